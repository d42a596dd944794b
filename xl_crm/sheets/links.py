"""What a rep's own tracker leaves out and a CRM needs: IDs, the status, the customers and contacts it names.

A one-sheet deal tracker names each deal's customer by name and has no
IDs; a Salesforce or HubSpot export ends its stage column in Closed Won
and Closed Lost. Read as a CRM, such a table gets, for the rows that lack
them (never by changing the user's cells):

- a customer ID from the customer's name: the ID of the Customers row with
  the same customer key (DOMAIN section 16), else one made from that key,
  so `华为技术有限公司` and `华为技术 (中国) 有限公司` are one customer;
- a deal or contact ID made from the row's own content, so the same row
  gets the same ID on every run whatever its row number;
- the status a stage cell implies (DOMAIN section 4: a won deal passed the
  last stage, a lost one's furthest stage is unknown);
- when there is no Customers (or Contacts) table, one built from the
  distinct customers (contact people) the rows name, first spelling kept.
"""

from __future__ import annotations

import hashlib

import pandas as pd

from ..model import schema, vocab
from ..model.cells import Invalid, cell_text, is_blank
from ..model.settings import Settings
from ..rules.customer_key import customer_key

PREFIX = {"customers": "C-", "opportunities": "D-", "contacts": "P-"}
CONTACT_LINKS = {"contact_name": "name", "contact_phone": "phone", "contact_title": "title"}
AMBIGUOUS_CLOSE = {"close_date", "closedate"}  # an open deal's CloseDate (Salesforce, HubSpot) is its expected close


def stable_id(sheet_key: str, *parts) -> str:
    """An ID made from content: `C-` and eight hex digits of its SHA-1."""
    text = "\x1f".join("" if is_blank(p) else cell_text(p).casefold() for p in parts)
    return PREFIX[sheet_key] + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8].upper()


def customer_id(name) -> str | None:
    """The ID a customer named `name` gets when no Customers row has that name's key."""
    return None if is_blank(name) else stable_id("customers", customer_key(name))


def row_ids(sheet_key: str, frame: pd.DataFrame, names: pd.Series | None = None) -> pd.Series:
    """One ID per row from the row's input cells; identical rows get `-2`, `-3` ... in row order."""
    inputs = [c.key for c in schema.sheet(sheet_key).columns if c.role == schema.INPUT and c.key in frame
              and c.key != schema.sheet(sheet_key).id_column]
    parts = frame[inputs].astype(object).where(frame[inputs].notna(), None).values.tolist()
    if names is not None:
        parts = [[customer_key(n) if not is_blank(n) else None, *p] for n, p in zip(names.tolist(), parts)]
    return pd.Series(numbered([stable_id(sheet_key, *cells) for cells in parts]), index=frame.index, dtype=object)


def numbered(ids: list) -> list:
    """IDs made unique in row order: the second `C-1A2B3C4D` is `C-1A2B3C4D-2` (None stays None)."""
    seen: dict[str, int] = {}
    out = []
    for base in ids:
        if base is not None:
            seen[base] = seen.get(base, 0) + 1
        out.append(base if base is None or seen[base] == 1 else f"{base}-{seen[base]}")
    return out


def customer_ids(names: pd.Series, customers: pd.DataFrame | None) -> pd.Series:
    """The customer ID of each name: a Customers row's ID it is, the row with the same key, else one from the key."""
    known, ids = {}, {}
    if customers is not None and {"customer_id", "name"} <= set(customers.columns):
        for cid, name in zip(customers["customer_id"].tolist(), customers["name"].tolist()):
            if not is_blank(cid):
                ids.setdefault(cell_text(cid), cid)
                if not is_blank(name):
                    known.setdefault(customer_key(name), cid)

    def one(name):
        if is_blank(name):
            return None
        return ids.get(cell_text(name)) or known.get(customer_key(name)) or customer_id(name)
    return pd.Series([one(n) for n in names.tolist()], index=names.index, dtype=object)


def status_from_stage(frame: pd.DataFrame, settings: Settings) -> tuple[pd.Series, pd.Series]:
    """(stage, status) a stage cell gives: `Closed Won` is Won past the last stage, `Closed Lost` Lost at an unknown."""
    last = len(settings.stages)

    def read(cell):
        closed = vocab.closed_status(cell)
        stage = cell if closed is None else last if closed == "Won" else None
        return stage, closed or (None if is_blank(cell) else "Open")
    pairs = per_value(frame["stage"].tolist(), read)
    return (pd.Series([p[0] for p in pairs], index=frame.index, dtype=object),
            pd.Series([p[1] for p in pairs], index=frame.index, dtype=object))


def per_value(cells: list, fn) -> list:
    """fn of each cell, computed once per distinct value (a stage column holds a handful among many rows)."""
    done = {}
    out = []
    for cell in cells:
        key = (type(cell), cell)  # 1, 1.0 and True are equal keys in a dict, not equal cells
        if key not in done:
            done[key] = fn(cell)
        out.append(done[key])
    return out


def built_customers(names: pd.Series, owners: pd.Series | None, ids: pd.Series | None = None) -> pd.DataFrame:
    """Customers rows for the distinct customers of `names` (by customer key), first spelling and owner kept.

    ids: the customer ID each row already gives its customer (else one is made from the name).
    """
    rows = {}
    owners = owners if owners is not None else pd.Series(None, index=names.index, dtype=object)
    ids = ids if ids is not None else pd.Series(None, index=names.index, dtype=object)
    for name, owner, given in zip(names.tolist(), owners.tolist(), ids.tolist()):
        if is_blank(name):
            continue
        key = customer_key(name)
        if key not in rows:
            rows[key] = {"customer_id": customer_id(name) if is_blank(given) else given, "name": cell_text(name),
                         "owner": owner}
    return pd.DataFrame(list(rows.values()), columns=["customer_id", "name", "owner"], dtype=object)


def built_contacts(people: pd.DataFrame, customer: pd.Series) -> pd.DataFrame:
    """Contacts rows for the distinct people (name within customer) of a table's contact columns."""
    rows = {}
    for (_, person), cid in zip(people.iterrows(), customer.tolist()):
        if is_blank(person.get("name")):
            continue
        key = (cid, cell_text(person["name"]).casefold())
        if key not in rows:
            rows[key] = {"contact_id": stable_id("contacts", cid, person["name"]), "customer_id": cid,
                         **{k: None if is_blank(v) else v for k, v in person.items()}}
    columns = ["contact_id", "customer_id", *people.columns]
    return pd.DataFrame(list(rows.values()), columns=columns, dtype=object)


def new_customers(data) -> pd.DataFrame:
    """Customers rows for the customers deal rows name and the Customers sheet lacks (for refresh to append).

    `data` is a read workbook (xl_crm.sheets.read.CrmData) whose deal table names customers by name.
    """
    opps, customers = data.tables.get("opportunities"), data.tables.get("customers")
    if opps is None or customers is None or opps.linked is None or "customer_name" not in opps.linked:
        return built_customers(pd.Series([], dtype=object), None)
    known = {cell_text(v) for v in customers.frame.get("customer_id", pd.Series([], dtype=object)) if not is_blank(v)}
    rows = opps.frame["customer_id"].map(lambda v: not is_blank(v) and cell_text(v) not in known)
    owners = opps.frame["owner"][rows] if "owner" in opps.frame else None
    return built_customers(opps.linked["customer_name"][rows], owners, opps.frame["customer_id"][rows])


def filled_cells(table, lang: str = "en") -> dict[tuple[int, int], object]:
    """(Excel row, 0-based column) -> value of the ID and status cells a rep left blank and the read completed,
    as written in the workbook's language (a status 赢单 in a Chinese tracker)."""
    return {(row, table.columns[key]): table.spec.column(key).cell(table.frame.at[row, key], lang)
            for key, rows in table.filled.items() for row in rows}


def header_link(sheet_key: str, mapping, cell) -> str | None:
    """customer_name, contact_name, contact_phone or contact_title: what a header names besides the table's columns."""
    link = mapping.link(sheet_key, cell)
    if link or sheet_key not in ("customers", "opportunities"):
        return link
    keys = [k for k in mapping.fields("contacts", cell) if f"contact_{k}" in CONTACT_LINKS]
    return f"contact_{keys[0]}" if keys else None


def deal_columns(opps, settings: Settings) -> None:
    """A deal table's stage read as the Settings name of another CRM's stage, `Closed Won` in it as the status
    (for a status column the table lacks, or a tracker's blank status cells); an open deal's CloseDate as its
    expected close.

    `opps` is a sheets.read.Table (or anything with its frame, columns, headers, linked, implied, filled, renamed).
    """
    frame = opps.frame
    if "stage" in frame:
        if len(settings.stages) == 5:
            cells = frame["stage"].tolist()
            names = per_value(cells, lambda v: _stage_name(v, settings))
            opps.renamed = {str(c): n for c, n in zip(cells, names) if isinstance(c, str) and n != c}
            frame = frame.assign(stage=pd.Series(names, index=frame.index, dtype=object))
        stage, status = status_from_stage(frame, settings)
        if "status" not in opps.columns:
            frame = frame.assign(stage=stage, status=status)
            opps.implied.append("status")
        else:  # a status cell is taken as it is: the stage is read as closed only where the two agree
            given = frame["status"].map(_status)
            blank = frame["status"].map(is_blank) & status.notna() & _tracker(opps)
            frame = frame.assign(stage=stage.where(blank | (given == status), frame["stage"]))
            if blank.any():
                frame = frame.assign(status=frame["status"].where(~blank, status))
                opps.filled["status"] = frame.index[blank].tolist()
    if ("closed_date" in opps.columns and "status" in frame
            and schema.normalise_header(opps.headers[opps.columns["closed_date"]]) in AMBIGUOUS_CLOSE):
        is_open = frame["status"].map(lambda v: _status(v) == "Open")
        planned = frame["closed_date"].where(is_open, None)
        if "expected_close" in opps.columns:
            planned = frame["expected_close"].where(~frame["expected_close"].map(is_blank), planned)
        else:
            opps.implied.append("expected_close")
        frame = frame.assign(expected_close=planned, closed_date=frame["closed_date"].where(~is_open, None))
    opps.frame = frame


def _tracker(table) -> bool:
    """A table that names its customers by name: a rep's own tracker, whose blank cells the read completes."""
    return table.linked is not None and "customer_name" in table.linked


def _stage_name(value, settings: Settings):
    """`Prospecting` (Salesforce) or `contractsent` (HubSpot) as the Settings stage at that place; else as it is."""
    try:
        settings.stage_index(value)
        return value
    except Invalid:
        number = settings.stage_alias(value)
        return value if number is None or not 1 <= number <= len(settings.stages) else settings.stage(number).name


def _status(value) -> str | None:
    try:
        return vocab.STATUS.parse(value)
    except Invalid:
        return None


def complete(tables: dict, customers_known: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """What a rep's own tables lack, in their frames: customer, deal and contact IDs; the Customers and Contacts
    sheets they lack, built from their rows (returned by sheet key).

    tables: sheet key -> sheets.read.Table; customers_known: the Customers rows of the workbook the tables go
    into, when they have none of their own (an import).
    """
    built = {}
    opps, customers = tables.get("opportunities"), tables.get("customers")
    if customers is not None and "customer_id" not in customers.columns and "name" in customers.frame:
        ids = numbered([customer_id(n) for n in customers.frame["name"].tolist()])
        _imply(customers, "customer_id", pd.Series(ids, index=customers.frame.index, dtype=object))
    if customers is None and opps is not None and _tracker(opps):
        names = opps.linked["customer_name"]
        ids = None if customers_known is None else customer_ids(names, customers_known)
        built["customers"] = built_customers(names, opps.frame.get("owner"), ids)
    known = customers.frame if customers is not None else built.get("customers")
    if customers_known is not None:
        known = customers_known if known is None else pd.concat([customers_known, known], ignore_index=True)
        if "customers" in built:  # only the customers the workbook lacks
            ids = {cell_text(v) for v in customers_known.get("customer_id", []) if not is_blank(v)}
            built["customers"] = built["customers"][~built["customers"]["customer_id"].map(cell_text).isin(ids)]
    for key in ("opportunities", "contacts", "activities"):
        table = tables.get(key)
        if table is not None and _tracker(table):
            _imply(table, "customer_id", customer_ids(table.linked["customer_name"], known))
    if opps is not None and ("opportunity_id" not in opps.columns or "customer_name" in opps.links):
        names = opps.linked["customer_name"] if "customer_name" in opps.links else None
        _imply(opps, "opportunity_id", row_ids("opportunities", opps.frame, names))
    if "contacts" not in tables:
        for source in (opps, customers):
            people = _people(source)
            if people is not None and "customer_id" in source.frame:
                built["contacts"] = built_contacts(people, source.frame["customer_id"])
                break
    return built


def _imply(table, key: str, values: pd.Series) -> None:
    """Values for a column the sheet lacks, or for its blank cells when the table names customers by name."""
    frame = table.frame
    if key not in table.columns:
        table.frame = frame.assign(**{key: values})
        table.implied.append(key)
    elif _tracker(table):
        blank = frame[key].map(is_blank) & values.notna()
        if blank.any():
            table.frame = frame.assign(**{key: frame[key].where(~blank, values)})
            table.filled[key] = frame.index[blank].tolist()


def _people(table) -> pd.DataFrame | None:
    """The contact person columns of a deal or customer table, as Contacts columns."""
    if table is None or table.linked is None or "contact_name" not in table.linked:
        return None
    people = table.linked[[k for k in CONTACT_LINKS if k in table.linked]]
    return people.rename(columns=CONTACT_LINKS)
