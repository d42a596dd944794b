"""Handover (DOMAIN section 16): a rep's customers move with their open deals, contacts, deal contacts,
activities and payments; in a team folder from one workbook to the other, both files or neither, the rows
deleted from the leaving rep's tables; History records each owner change; --dry-run changes nothing."""

from __future__ import annotations

from collections import Counter

from helpers import HANDOVER_DAY as DAY
from helpers import ann_frames, bob_frames, expected_cell, parts_of, rewrite_part, same, values_of, xl_crm

from xl_crm.commands.workbook import write_standard_workbook
from xl_crm.compute import derive
from xl_crm.folder.read import read_team
from xl_crm.model import schema
from xl_crm.model.asof import AsOf
from xl_crm.ooxml.package import Package
from xl_crm.ooxml.tables import sheet_tables
from xl_crm.sheets.read import read_workbook
from xl_crm.team.handover import MOVED, handover

# what tells one row from another on each sheet
ROW_KEYS = {"customers": ("customer_id",), "opportunities": ("opportunity_id",), "contacts": ("contact_id",),
            "payments": ("payment_id",), "deal_contacts": ("opportunity_id", "contact_id"),
            "activities": ("date", "customer_id", "opportunity_id")}  # History gains rows: its own test


def team_folder(root, n: int = 3):
    root.mkdir(parents=True, exist_ok=True)
    for name, frames in (("ann.xlsx", ann_frames(n)), ("bob.xlsx", bob_frames())):
        write_standard_workbook(root / name, frames, lang="en", as_of=AsOf(DAY), backup=False)
    return root


def rows_by_id(team, key: str, id_key: str) -> dict:
    """id -> (file name, owner) over the team."""
    out = {}
    for data in team.members:
        if key in data.tables:
            frame = data.tables[key].frame
            for record in frame.to_dict("records"):
                assert record[id_key] not in out, f"{record[id_key]} twice"
                out[record[id_key]] = (data.path.name, record.get("owner"))
    return out


def test_a_handover_in_a_folder_moves_the_rows_to_the_other_reps_workbook(tmp_path):
    folder = team_folder(tmp_path / "team")
    before = {key: len(read_team(folder).merged.frame(key)) for key in ("customers", "opportunities", "contacts",
                                                                         "activities", "deal_contacts", "payments")}
    done = xl_crm("handover", folder, "--from", "ann", "--to", "Bob", "--as-of", DAY.isoformat())
    assert done.exit_code == 0, done.output
    assert "moved 3 customers and 3 open deals from Ann to Bob" in done.output  # as the team writes the name
    team = read_team(folder)
    after = {key: len(team.merged.frame(key)) for key in before}
    assert after == before  # no row lost or doubled
    customers = rows_by_id(team, "customers", "customer_id")
    assert {c: customers[c] for c in ("A0", "A1", "A2")} == {c: ("bob.xlsx", "Bob") for c in ("A0", "A1", "A2")}
    assert customers["A-KEEP"] == ("ann.xlsx", "Annette")
    deals = rows_by_id(team, "opportunities", "opportunity_id")
    assert deals["AO1"] == ("bob.xlsx", "Bob") and deals["AW1"] == ("ann.xlsx", "Ann")  # closed deals stay
    assert rows_by_id(team, "contacts", "contact_id")["AP2"][0] == "bob.xlsx"
    assert rows_by_id(team, "payments", "payment_id")["AY0"][0] == "bob.xlsx"
    bob = next(d for d in team.members if d.path.name == "bob.xlsx")
    assert len(bob.frame("activities")) == 3 and len(bob.frame("deal_contacts")) == 3
    assert set(bob.frame("customers").set_index("customer_id").loc[["A0", "A1", "A2"], "assigned_date"]) == {DAY}
    owner_rows = bob.frame("history")
    owner_rows = owner_rows[(owner_rows["field"] == "owner") & owner_rows["old"].notna()]  # not first sightings
    assert sorted(owner_rows["opportunity_id"]) == ["AO0", "AO1", "AO2"]
    assert set(owner_rows["old"]) == {"Ann"}
    assert set(owner_rows["new"]) == {"Bob"}
    checked = xl_crm("check", folder)
    assert "another workbook" not in checked.output, checked.output
    tables, sheets = table_rows(folder / "ann.xlsx"), values_of(folder / "ann.xlsx")
    assert tables["Customers"] == (1, 2) and tables["Opportunities"] == (1, 5)  # A-KEEP; AW0-AW2 and AK
    for sheet in ("Contacts", "Activities", "Payments", "DealContacts"):  # every row went
        assert tables[sheet] == (1, 2), sheet  # one emptied row stays, as in Excel
        assert all(cell in ("", None) for row in sheets[sheet][1:] for cell in row), sheet


def rows_in(folder) -> Counter:
    """Every row of every sheet over the team, by what tells it apart."""
    found = Counter()
    for data in read_team(folder).members:
        for key, columns in ROW_KEYS.items():
            if key in data.tables:
                found.update((key, *row) for row in data.tables[key].frame[list(columns)].itertuples(index=False))
    return found


def table_rows(path) -> dict[str, tuple[int, int]]:
    """Sheet name -> (header row, last row) of its table."""
    with Package.open(path) as pkg:
        return {name: (t.header_row, t.last_row) for name in pkg.sheet_names for t in sheet_tables(pkg, name)}


def rule_mismatches(data) -> list[str]:
    """Derived cells of Customers and Opportunities that differ from the rules applied to the rows' cells."""
    problems = []
    for key, rules in (("customers", derive.customer_columns), ("opportunities", derive.opportunity_columns)):
        spec = schema.sheet(key)
        got = data.tables[key].frame
        frame = got.reindex(columns=spec.keys).astype(object)
        expected = rules(frame.where(frame.notna(), None), DAY, data.settings)
        for column in spec.role(schema.DERIVED):
            for row, value in expected[column.key].items():
                if not same(expected_cell(column, value, "en"), got.at[row, column.key]):
                    problems.append(f"{key} row {row} {column.key}: python {value!r} sheet {got.at[row, column.key]!r}")
    return problems


def test_the_moved_rows_are_deleted_from_the_leaving_reps_tables(tmp_path, recalc):
    folder = team_folder(tmp_path / "team", n=4)
    ann = folder / "ann.xlsx"
    before, tables_before, rows_before = values_of(ann), table_rows(ann), rows_in(folder)
    plan = handover(folder, "Ann", "Bob", ["A0", "A2"], as_of=DAY)  # A1 and A3 stay between and below
    moved = plan.rows[ann]
    after, tables_after = values_of(ann), table_rows(ann)
    assert rows_in(folder) == rows_before  # no row lost or doubled
    data = read_workbook(ann)
    assert {key for key in MOVED if moved.get(key)} == set(MOVED) - {"competitors"}
    for key in MOVED:
        if not moved.get(key):
            continue
        sheet = data.tables[key].sheet_name
        header, last = tables_before[sheet]
        staying = [before[sheet][r - 1] for r in range(header + 1, last + 1) if r not in moved.get(key, [])]
        assert tables_after[sheet] == (header, header + max(len(staying), 1)), sheet  # the table ends at the last row
        rows = after[sheet][header:header + len(staying)]
        assert rows == staying, sheet  # the same rows in the same order: no blank row inside
        assert all(any(cell not in ("", None) for cell in row) for row in rows), sheet
    assert sorted(data.frame("customers")["customer_id"]) == ["A-KEEP", "A1", "A3"]
    assert rule_mismatches(read_workbook(recalc(ann))) == []
    assert "another workbook" not in xl_crm("check", folder).output


def test_a_sheet_holding_what_cannot_move_has_its_rows_emptied_with_a_note(tmp_path):
    folder = team_folder(tmp_path / "team")
    ann = folder / "ann.xlsx"
    with Package.open(ann) as pkg:
        part = pkg.sheet_part("Customers")
    xml = parts_of(ann)[part]
    at = xml.index(b"<tableParts")  # a page break below the rows: it would have to move with them
    rewrite_part(ann, tmp_path / "breaks.xlsx", part,
                 xml[:at] + b'<rowBreaks count="1" manualBreakCount="1"><brk id="4" max="16383" man="1"/></rowBreaks>'
                 + xml[at:]).replace(ann)
    before, tables, rows_before = values_of(ann)["Customers"], table_rows(ann), rows_in(folder)
    done = xl_crm("handover", folder, "--from", "Ann", "--to", "Bob", "--as-of", DAY.isoformat())
    assert done.exit_code == 0, done.output
    assert "Customers: the moved rows were emptied, not deleted: the sheet has rowBreaks" in done.output
    assert rows_in(folder) == rows_before
    after = values_of(ann)["Customers"]
    assert table_rows(ann)["Customers"] == tables["Customers"] and len(after) == len(before)
    assert [row[0] for row in after[1:]] == ["", "", "", "A-KEEP"]
    assert table_rows(ann)["Contacts"] == (1, 2)  # the other sheets' rows are deleted


def test_a_dry_run_lists_and_changes_nothing(tmp_path):
    folder = team_folder(tmp_path / "team")
    files = {p.name: p.read_bytes() for p in folder.iterdir()}
    done = xl_crm("handover", folder, "--from", "Ann", "--to", "pool", "--customers", "A1", "--dry-run")
    assert done.exit_code == 0, done.output
    assert "would move 1 customers and 1 open deals from Ann to the pool" in done.output
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == files


def test_to_the_pool_in_one_workbook_blanks_the_owners_in_place(tmp_path):
    path = write_standard_workbook(tmp_path / "one.xlsx", ann_frames(), lang="en", as_of=AsOf(DAY), backup=False)
    done = xl_crm("handover", path, "--from", "Ann", "--to", "pool", "--customers", "A0", "--customers", "A2",
               "--as-of", DAY.isoformat())
    assert done.exit_code == 0, done.output
    data = read_workbook(path)
    owners = data.frame("customers").set_index("customer_id")["owner"]
    assert owners.isna()[["A0", "A2"]].all() and owners["A1"] == "Ann"
    deals = data.frame("opportunities").set_index("opportunity_id")["owner"]
    assert deals.isna()[["AO0", "AO2"]].all() and deals["AW0"] == "Ann" and deals["AO1"] == "Ann"
    history = data.frame("history")
    owner_rows = history[(history["field"] == "owner") & history["new"].isna()]
    assert sorted(owner_rows["opportunity_id"]) == ["AO0", "AO2"] and set(owner_rows["old"]) == {"Ann"}


def test_unknown_reps_and_customers_are_refused(tmp_path):
    folder = team_folder(tmp_path / "team")
    assert "Zed owns no customer" in xl_crm("handover", folder, "--from", "Zed", "--to", "Bob").output
    assert "not customers of Ann: B1" in xl_crm("handover", folder, "--from", "Ann", "--to", "Bob", "--customers", "A0",
                                             "--customers", "B1").output
    assert "no workbook of Carol" in xl_crm("handover", folder, "--from", "Ann", "--to", "Carol").output


def test_names_typed_in_another_case_are_the_teams_reps(tmp_path):
    folder = team_folder(tmp_path / "team")
    done = xl_crm("handover", folder, "--from", "ANN", "--to", "bob", "--as-of", DAY.isoformat())
    assert done.exit_code == 0, done.output
    assert "from Ann to Bob" in done.output
    team = read_team(folder)
    owners = {owner for key in ("customers", "opportunities") for owner in team.merged.frame(key)["owner"]}
    assert owners == {"Ann", "Annette", "Bob"}  # Ann's closed deals stay hers; no second "bob"
    history = team.merged.frame("history")
    assert set(history.loc[history["old"] == "Ann", "new"]) == {"Bob"}
