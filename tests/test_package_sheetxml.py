"""Row-level rewriting of worksheet XML: order, implicit references, prefixes, empty sheets."""

from __future__ import annotations

import time

from xl_crm.ooxml import shared_formulas
from xl_crm.ooxml.sheetxml import Cells, Formula, col_index, col_letters, edit_cells

HEAD = b'<?xml version="1.0"?><worksheet xmlns="main"><dimension ref="A1:B2"/><sheetData>'
TAIL = b"</sheetData><drawing r:id=\"rId1\"/></worksheet>"


def edits(values, prefix=b"", date_style=lambda s: 7, cached=False):
    """(new values by row, render function) for edit_cells."""
    cells = Cells(prefix, date_style)
    out = {}
    for (row, col), value in values.items():
        out.setdefault(row, {})[col] = value
    return out, cells.cached if cached else cells.value


def test_column_letters_round_trip():
    for col in (0, 25, 26, 701, 702, 16383):
        assert col_index(col_letters(col)) == col
    assert col_letters(27) == "AB"


def test_new_rows_and_cells_land_in_order_and_the_rest_is_untouched():
    rows = b'<row r="2" spans="1:2"><c r="A2" s="3"><v>1</v></c><c r="C2"><v>3</v></c></row><row r="5"/>'
    xml = HEAD + rows + TAIL
    out = edit_cells(xml, *edits({(2, 1): "x", (1, 0): 5, (4, 0): None, (9, 2): True, (2, 0): 10}))
    assert out.startswith(b'<?xml version="1.0"?><worksheet xmlns="main"><dimension ref="A1:C9"/><sheetData>')
    assert out.endswith(TAIL)
    body = out[out.index(b"<sheetData>") + 11:out.index(b"</sheetData>")]
    assert body == (b'<row r="1"><c r="A1"><v>5</v></c></row>'
                    b'<row r="2"><c r="A2" s="3"><v>10</v></c><c r="B2" t="inlineStr"><is><t>x</t></is></c>'
                    b'<c r="C2"><v>3</v></c></row>'
                    b'<row r="4"><c r="A4"/></row><row r="5"/>'
                    b'<row r="9"><c r="C9" t="b"><v>1</v></c></row>')


def test_cells_without_references_get_their_implied_ones():
    xml = HEAD + b"<row><c><v>1</v></c><c><v>2</v></c></row>" + TAIL
    out = edit_cells(xml, *edits({(1, 3): 4}))
    assert b'<c r="A1"><v>1</v></c><c r="B1"><v>2</v></c><c r="D1"><v>4</v></c>' in out


def test_self_closing_sheet_data_and_prefixed_parts():
    xml = b'<x:worksheet xmlns:x="main"><x:sheetData/><x:pageMargins/></x:worksheet>'
    out = edit_cells(xml, *edits({(3, 0): "a<b&c"}, prefix=b"x:"))
    assert out == (b'<x:worksheet xmlns:x="main"><x:sheetData><x:row r="3"><x:c r="A3" t="inlineStr"><x:is>'
                   b'<x:t>a&lt;b&amp;c</x:t></x:is></x:c></x:row></x:sheetData><x:pageMargins/></x:worksheet>')


def test_dates_take_a_date_style_built_on_the_cells_own():
    xml = HEAD + b'<row r="1"><c r="A1" s="4"><v>1</v></c></row>' + TAIL
    seen = []
    import datetime
    out = edit_cells(xml, *edits({(1, 0): datetime.date(2026, 1, 1)}, date_style=lambda s: seen.append(s) or 9))
    assert seen == [4] and b'<c r="A1" s="9"><v>46023</v></c>' in out


def test_set_cached_keeps_shared_formula_and_style():
    xml = HEAD + b'<row r="1"><c r="A1" s="2"><f t="shared" si="0" ref="A1:A9">B1</f><v>1</v></c></row>' + TAIL
    out = edit_cells(xml, *edits({(1, 0): "ok"}, cached=True))
    assert b'<c r="A1" s="2" t="str"><f t="shared" si="0" ref="A1:A9">B1</f><v>ok</v></c>' in out


def test_a_shared_formula_stores_its_text_once_in_a_group_the_sheet_does_not_use():
    xml = HEAD + b'<row r="1"><c r="A1"><f t="shared" ref="A1:A3" si="4">B1</f><v>1</v></c></row>' + TAIL
    assert shared_formulas.next_group(xml) == 5 and shared_formulas.next_group(HEAD + TAIL) == 0
    out = edit_cells(xml, *edits(shared_formulas.column(5, 2, range(2, 5), '=IF($B2<1,"a","")', {2: "a", 4: 3})))
    assert b'<c r="C2" t="str"><f t="shared" ref="C2:C4" si="5">IF($B2&lt;1,"a","")</f><v>a</v></c>' in out
    assert b'<c r="C3"><f t="shared" si="5"/></c>' in out and b'<c r="C4"><f t="shared" si="5"/><v>3</v></c>' in out
    assert shared_formulas.next_group(out) == 6


def test_formula_text_and_strings_are_escaped():
    xml = HEAD + TAIL
    out = edit_cells(xml, *edits({(1, 0): Formula('=IF(A2<1,"a&b","")', "a&b"), (1, 1): " pad\x01"}))
    assert b'<c r="A1" t="str"><f>IF(A2&lt;1,"a&amp;b","")</f><v>a&amp;b</v></c>' in out
    assert b'<t xml:space="preserve"> pad_x0001_</t>' in out  # a control character as OOXML escapes it


def test_a_large_sheet_edits_in_seconds():
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d" t="s"><v>0</v></c></row>' % (r, r, r, r)
                    for r in range(1, 50_001))
    xml = HEAD + rows + TAIL
    start = time.perf_counter()
    out = edit_cells(xml, *edits({(r, 5): r * 2 for r in range(2, 50_001)}))
    assert time.perf_counter() - start < 10
    assert out.count(b"<row ") == 50_000 and b'<c r="F50000"><v>100000</v></c></row>' in out
