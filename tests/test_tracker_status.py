"""A rep who leaves the status blank in new rows of an adopted tracker: the read takes it from the stage cell,
as it does for a tracker with no status column, and refresh writes it into the blank cell."""

from __future__ import annotations

from helpers import TRACKER_AS_OF as AS_OF
from helpers import tracker

from xl_crm.adopt.upgrade import upgrade_workbook
from xl_crm.commands.workbook import refresh_workbook
from xl_crm.model.vocab import STATUS
from xl_crm.ooxml.package import Package
from xl_crm.sheets import links
from xl_crm.sheets.read import read_workbook


def test_blank_status_cells_of_new_tracker_rows_come_from_the_stage(tmp_path):
    path = tracker(tmp_path / "mine.xlsx")
    upgrade_workbook(path, as_of=AS_OF, backup=False)
    deals = read_workbook(path).tables["opportunities"]
    last = max(deals.frame.index)
    typed = {last + 1: ["海鸥电子有限公司", "赢单", 40000], last + 2: ["星辰科技", "方案论证", 9000],
             last + 3: ["蓝海贸易", "输单", 500]}
    with Package.open(path) as pkg:  # status left blank, as a rep types a row
        pkg.set_cells(deals.sheet_name, {(row, j): v for row, cells in typed.items()
                                         for j, v in zip((0, deals.columns["stage"], deals.columns["amount"]), cells)})
        pkg.save(backup=False)

    table = read_workbook(path).tables["opportunities"]
    assert table.filled["status"] == [last + 1, last + 2, last + 3]
    assert table.frame.loc[last + 1:, "status"].tolist() == ["Won", "Open", "Lost"]
    assert table.frame.loc[last + 1:, "stage"].tolist() == [5, "方案论证", None]
    assert [table.frame.at[r, "status"] for r in deals.frame.index] == deals.frame["status"].tolist()
    assert set(links.filled_cells(table, "zh").values()) >= {"赢单", "跟进中", "丢单"}

    refresh_workbook(path, as_of=AS_OF, backup=False)
    after = read_workbook(path).tables["opportunities"]
    assert "status" not in after.filled  # the cells hold it now
    assert [STATUS.parse(v) for v in after.frame.loc[last + 1:, "status"]] == ["Won", "Open", "Lost"]


def test_a_status_typed_in_a_tracker_is_kept_whatever_the_stage_says(tmp_path):
    path = tracker(tmp_path / "mine.xlsx")
    upgrade_workbook(path, as_of=AS_OF, backup=False)
    deals = read_workbook(path).tables["opportunities"]
    row = deals.frame.index[0]
    with Package.open(path) as pkg:
        pkg.set_cells(deals.sheet_name, {(row, deals.columns["stage"]): "赢单"})  # status cell says 跟进中
        pkg.save(backup=False)
    table = read_workbook(path).tables["opportunities"]
    assert "status" not in table.filled
    assert (table.frame.at[row, "status"], table.frame.at[row, "stage"]) == ("跟进中", "赢单")  # check reports it
