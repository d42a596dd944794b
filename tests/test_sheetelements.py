"""Column formats, validations and conditional formats added in schema order, existing ones untouched."""

from __future__ import annotations

import re

from xl_crm.ooxml.sheetelements import (
    Area,
    Highlight,
    Validation,
    add_column_formats,
    add_highlights,
    add_validations,
    parse_sqref,
)

NS = b'<worksheet xmlns="main" xmlns:x14="x14" xmlns:xm="xm">'
DATA = (b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>priority="99" &lt;dataValidation</t></is></c></row>'
        b"</sheetData>")
EXT = (b'<extLst><ext uri="{CCE6A557}"><x14:dataValidations count="1"><x14:dataValidation type="list">'
       b'<x14:formula1><xm:f>Lists!$A$1:$A$3</xm:f></x14:formula1><xm:sqref>H2:H9</xm:sqref></x14:dataValidation>'
       b'</x14:dataValidations><x14:conditionalFormattings><x14:conditionalFormatting><x14:cfRule type="dataBar" '
       b'priority="7"/></x14:conditionalFormatting></x14:conditionalFormattings></ext></extLst>')


def order(xml: bytes) -> list[str]:
    """Top-level element names of the worksheet, in order."""
    body = xml[xml.index(b">", xml.index(b"<worksheet")) + 1:xml.rindex(b"</worksheet>")]
    names, depth = [], 0
    for match in re.finditer(rb"<(/?)([\w:]+)[^>]*?(/?)>", body):
        closing, name, empty = match.groups()
        if closing:
            depth -= 1
        else:
            if depth == 0:
                names.append(name.decode())
            depth += 0 if empty else 1
    return names


def test_parse_sqref_reads_cells_ranges_columns_and_rows():
    assert parse_sqref("B2 C3:D9 F:F 4:5") == [Area(2, 1, 2, 1), Area(3, 2, 9, 3), Area(1, 5, 1048576, 5),
                                                 Area(4, 0, 5, 16383)]


def test_validations_join_the_existing_list_and_skip_covered_cells():
    existing = (b'<dataValidations count="1"><dataValidation type="whole" sqref="C2:C50"><formula1>1</formula1>'
                b'</dataValidation></dataValidations>')
    xml = NS + DATA + b'<conditionalFormatting sqref="A1"/>' + existing + b'<hyperlinks/>' + EXT + b"</worksheet>"
    out, skipped = add_validations(xml, [Validation(Area(2, 3, 9, 3), '"Now,Future"'),
                                         Validation(Area(2, 2, 9, 2), "StageName"),
                                         Validation(Area(5, 7, 6, 7), '"A&B"')])
    assert [v.area.sqref for v in skipped] == ["C2:C9", "H5:H6"]  # C has a validation, H a 2010 one in extLst
    assert b'<dataValidations count="2"><dataValidation type="whole" sqref="C2:C50">' in out
    assert (b'<dataValidation type="list" allowBlank="1" showInputMessage="1" sqref="D2:D9">'
            b'<formula1>"Now,Future"</formula1></dataValidation></dataValidations>') in out
    assert out.endswith(EXT + b"</worksheet>") and order(out) == order(xml)


def test_a_new_validation_list_goes_before_hyperlinks_and_drawing():
    xml = NS + b"<sheetViews/>" + DATA + b'<hyperlinks/><pageMargins left="1"/><drawing r:id="rId1"/>' + EXT + \
        b"</worksheet>"
    out, skipped = add_validations(xml, [Validation(Area(2, 0, 2, 0), '"Yes,No"')])
    assert not skipped
    assert order(out) == ["sheetViews", "sheetData", "dataValidations", "hyperlinks", "pageMargins", "drawing",
                          "extLst"]


def test_highlights_follow_existing_rules_with_higher_priorities():
    xml = (NS + DATA + b'<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells><conditionalFormatting '
           b'sqref="B2"><cfRule type="dataBar" priority="3"><extLst><ext uri="{B025}"><x14:id>{1}</x14:id></ext>'
           b'</extLst></cfRule></conditionalFormatting><dataValidations count="0"/>' + EXT + b"</worksheet>")
    out = add_highlights(xml, [Highlight(Area(2, 5, 40, 5), "equal", '"Overdue"', 4),
                               Highlight(Area(2, 6, 40, 6), "greaterThan", "0", 5)])
    assert order(out) == ["sheetData", "mergeCells", "conditionalFormatting", "conditionalFormatting",
                          "conditionalFormatting", "dataValidations", "extLst"]
    assert (b'<conditionalFormatting sqref="F2:F40"><cfRule type="cellIs" dxfId="4" priority="8" '
            b'operator="equal"><formula>"Overdue"</formula></cfRule></conditionalFormatting>') in out
    assert b'dxfId="5" priority="9" operator="greaterThan"><formula>0</formula>' in out
    assert out.endswith(EXT + b"</worksheet>")


def test_prefixed_sheet_keeps_its_prefix():
    xml = b'<x:worksheet xmlns:x="main"><x:sheetData/><x:pageMargins left="1"/></x:worksheet>'
    out = add_highlights(add_validations(xml, [Validation(Area(2, 0, 3, 0), '"a"')])[0],
                         [Highlight(Area(2, 0, 3, 0), "equal", "1", 0)])
    assert (b'<x:sheetData/><x:conditionalFormatting sqref="A2:A3"><x:cfRule type="cellIs" dxfId="0" priority="1" '
            b'operator="equal"><x:formula>1</x:formula></x:cfRule></x:conditionalFormatting><x:dataValidations '
            b'count="1">') in out


def test_column_formats_fill_only_columns_nobody_set():
    xml = (NS + b'<sheetFormatPr defaultRowHeight="15"/><cols><col min="2" max="3" width="30" customWidth="1"/>'
           b'<col min="9" max="9" width="5"/></cols>' + DATA + b"</worksheet>")
    out = add_column_formats(xml, {3: (14, 7), 2: (10, None), 9: (8, 2)})
    cols = out[out.index(b"<cols>"):out.index(b"</cols>")]
    assert cols == (b'<cols><col min="2" max="3" width="30" customWidth="1"/>'
                    b'<col min="4" max="4" width="14" style="7" customWidth="1"/><col min="9" max="9" width="5"/>'
                    b'<col min="10" max="10" width="8" style="2" customWidth="1"/>')
    bare = NS + b'<sheetViews/><sheetFormatPr defaultRowHeight="15"/>' + DATA + b"</worksheet>"
    assert order(add_column_formats(bare, {0: (12, None)})) == ["sheetViews", "sheetFormatPr", "cols", "sheetData"]
