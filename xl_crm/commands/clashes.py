"""What two places of a team say about one thing: an ID used in two files (an error), one customer
kept twice under spellings of one name by different owners (撞单, a warning; DOMAIN section 16), and
one rep's name written in two ways (a warning: reports would count two reps).

Each problem is said where it lies and names the other place: file, sheet and row.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..model import schema
from ..model.typed import column, ids, texts
from ..ooxml.sheetxml import col_letters
from ..rules.customer_key import customer_key
from ..sheets.read import CrmData
from .problems import ERROR, WARNING, Problem


def _column(data: CrmData, key: str, column_key: str) -> str | None:
    table = data.tables.get(key)
    if table is None or column_key not in table.columns:
        return None
    j = table.columns[column_key]
    return f"{col_letters(j)} ({table.headers[j]})"


def _place(path: Path | None, sheet: str, row, lang: str) -> str:
    where = f"{path.name} " if path is not None else ""
    return f"{where}{sheet} 第{row}行" if lang == "zh" else f"{where}{sheet} row {row}"


def _customers(datas: list[CrmData]) -> pd.DataFrame:
    """Every Customers row of the files: book, row, id, name, owner and customer key."""
    parts = []
    for i, data in enumerate(datas):
        if "customers" not in data.tables:
            continue
        frame = data.tables["customers"].frame
        names = texts(column(frame, "name"))
        parts.append(pd.DataFrame({"book": i, "row": frame.index, "customer_id": ids(column(frame, "customer_id")),
                                   "name": names, "owner": texts(column(frame, "owner")),
                                   "key": names.map(lambda n: customer_key(n) if isinstance(n, str) else None)}))
    if not parts:
        return pd.DataFrame(columns=["book", "row", "customer_id", "name", "owner", "key"])
    return pd.concat(parts, ignore_index=True)


def duplicate_customers(datas: list[CrmData], lang: str = "en", across: bool = False) -> list[tuple[int, Problem]]:
    """(book, warning) per customer whose key another row shares under another owner (blank is an owner too).

    across: only pairs in two files (check has said those within one file).
    """
    rows = _customers(datas)
    rows = rows[rows["key"].notna() & rows["key"].duplicated(keep=False)]
    named = len(datas) > 1
    found = []
    for _, group in rows.groupby("key", sort=False):
        first = group.iloc[0]
        fold = lambda owner: (owner or "").strip().casefold()
        for _, other in group.iloc[1:].iterrows():
            if fold(other["owner"]) == fold(first["owner"]) or (across and other["book"] == first["book"]):
                continue
            data = datas[other["book"]]
            there = _place(datas[first["book"]].path if named else None, datas[first["book"]].tables[
                "customers"].sheet_name, first["row"], lang)
            nobody = "（无负责人）" if lang == "zh" else "(no owner)"
            mine, theirs = other["owner"] or nobody, first["owner"] or nobody
            found.append((other["book"], Problem(
                WARNING, data.tables["customers"].sheet_name, int(other["row"]), _column(data, "customers", "name"),
                other["name"],
                f"duplicate customer: {there} holds {first['name']!r} owned by {theirs}; here owned by {mine}",
                f"撞单：{there}的“{first['name']}”负责人为 {theirs}，此处负责人为 {mine}",
                None)))
    return found


def duplicate_customer_problems(data: CrmData) -> list[Problem]:
    """The 撞单 warnings within one workbook."""
    return [p for _, p in duplicate_customers([data], data.lang)] + [p for _, p in owner_spellings([data])]


OWNED = ("customers", "opportunities", "activities", "targets")


def _owners(datas: list[CrmData], sheets=OWNED) -> pd.DataFrame:
    """Every filled owner cell of the sheets: book, sheet key, row, owner, and the owner case-folded."""
    parts = [pd.DataFrame({"book": i, "key": key, "row": d.tables[key].frame.index,
                           "owner": texts(column(d.tables[key].frame, "owner")).to_numpy()})
             for i, d in enumerate(datas) for key in sheets if key in d.tables]
    rows = pd.concat(parts, ignore_index=True).dropna(subset=["owner"]) if parts else pd.DataFrame(
        columns=["book", "key", "row", "owner"])
    return rows.assign(fold=rows["owner"].str.casefold())


def usual_spelling(datas: list[CrmData], name: str, sheets=OWNED) -> str:
    """The name as the files write it (its most common spelling, whatever the case typed), else as typed.

    The spelling owner_spellings calls usual: value_counts orders ties alike in both.
    """
    rows = _owners(datas, sheets)
    counts = rows.loc[rows["fold"] == name.strip().casefold(), "owner"].value_counts(sort=True)
    return counts.index[0] if len(counts) else name


def owner_spellings(datas: list[CrmData], across: bool = False) -> list[tuple[int, Problem]]:
    """(book, warning) at the first row of each spelling of a rep's name other than its most common one.

    "Bob", "bob" and "BOB" are three reps to a report; one warning per spelling names where the usual
    one is written. across: only spellings whose usual form is in another file.
    """
    rows, named = _owners(datas), len(datas) > 1
    found = []
    for _, group in rows.groupby("fold", sort=False):
        counts = group["owner"].value_counts(sort=True)
        if len(counts) < 2:
            continue
        usual = group[group["owner"] == counts.index[0]].iloc[0]
        for spelling in counts.index[1:]:
            other = group[group["owner"] == spelling].iloc[0]
            if across and other["book"] == usual["book"]:
                continue
            data, home = datas[other["book"]], datas[usual["book"]]
            there = _place(home.path if named else None, home.tables[usual["key"]].sheet_name, usual["row"],
                           data.lang)
            found.append((other["book"], Problem(
                WARNING, data.tables[other["key"]].sheet_name, int(other["row"]), _column(data, other["key"], "owner"),
                spelling,
                f"the rep {usual['owner']!r} of {there} written another way in {counts[spelling]} row(s): "
                "reports count two reps",
                f"负责人“{usual['owner']}”（{there}）在 {counts[spelling]} 行中写法不同：报表会算作两人",
                None)))
    return found


def id_clashes(datas: list[CrmData], lang: str = "en") -> list[tuple[int, Problem]]:
    """(book, error) per row whose ID a row of another file already uses (in the same kind of sheet)."""
    found = []
    for spec in schema.DATA_SHEETS:
        if spec.id_column is None:
            continue
        parts = [pd.DataFrame({"book": i, "row": d.tables[spec.key].frame.index,
                               "id": ids(column(d.tables[spec.key].frame, spec.id_column)).to_numpy()})
                 for i, d in enumerate(datas) if spec.key in d.tables]
        if len(parts) < 2:
            continue
        rows = pd.concat(parts, ignore_index=True).dropna(subset=["id"])
        books = rows.groupby("id")["book"].nunique()
        clashing = rows[rows["id"].isin(books.index[books > 1])]
        for _, group in clashing.groupby("id", sort=False):
            first = group.iloc[0]
            for _, other in group[group["book"] != first["book"]].iterrows():
                data, theirs = datas[other["book"]], datas[first["book"]]
                there = _place(theirs.path, theirs.tables[spec.key].sheet_name, first["row"], lang)
                found.append((other["book"], Problem(
                    ERROR, data.tables[spec.key].sheet_name, int(other["row"]), _column(data, spec.key, spec.id_column),
                    other["id"], f"ID used in another workbook of the team: {there}",
                    f"编号与团队中另一工作簿重复：{there}", f"{spec.key}.{spec.id_column}")))
    return found
