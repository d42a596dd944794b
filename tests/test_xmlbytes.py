"""The byte-level XML helpers every part editor of xl_crm.ooxml uses."""

import pytest
from defusedxml import ElementTree

from xl_crm.ooxml.xmlbytes import (
    attr,
    element_pattern,
    insertion_point,
    quote,
    root_prefix,
    set_attr,
    start_tag,
    unescape,
)


def test_unescape_resolves_the_five_entities_and_character_references():
    assert unescape("a &lt;b&gt; &amp;amp; &quot;c&quot; &apos;d&apos; &#10;&#x41;") == "a <b> &amp; \"c\" 'd' \nA"
    assert unescape("plain") == "plain"


@pytest.mark.parametrize("text", ["plain", 'say "hi" & <go>', "two\nlines\tand\rreturn", "é 中文"])
def test_quote_gives_a_value_a_parser_reads_back_unchanged(text):
    element = f"<a v={quote(text)}/>"
    assert ElementTree.fromstring(element).get("v") == text
    assert attr(element.encode(), "v") == text


def test_attr_reads_only_the_start_tag_in_either_quote_style():
    element = b"""<x:c r="B7" s='3' t="s"><x:v r="Z9">4</x:v></x:c>"""
    assert (attr(element, "r"), attr(element, "s"), attr(element, "t")) == ("B7", "3", "s")
    assert attr(element, "ref") is None and attr(b"<c/>", "r") is None
    assert attr(b' t="shared" ref="A1:A3" si="0"', "si") == "0"  # a bare attribute list
    assert attr(b'<definedName name="a&amp;b">x</definedName>', "name") == "a&b"
    assert attr(b'<tableColumn id="1" name="n"/>', "id") == "1"  # not the end of another name


def test_set_attr_replaces_in_place_or_appends_keeping_the_rest():
    assert set_attr(b'<xf numFmtId="0" fontId="1"/>', "numFmtId", "164") == b'<xf numFmtId="164" fontId="1"/>'
    assert set_attr(b'<xf fontId="1"/>', "numFmtId", "164") == b'<xf fontId="1" numFmtId="164"/>'
    assert set_attr(b'<xf fontId="1"><a/></xf>', "x", 'a"b') == b'<xf fontId="1" x="a&quot;b"><a/></xf>'
    assert set_attr(b"<cols count='2'>", "count", "3") == b'<cols count="3">'


def test_start_tag_and_element_pattern():
    assert start_tag(b'<c r="A1"/>') == b'<c r="A1"' and start_tag(b'<c r="A1"><v>1</v></c>') == b'<c r="A1"'
    xml = b'<x:cols><x:col min="1"/><x:col min="2"></x:col></x:cols>'
    assert [m.group(0) for m in element_pattern(b"x:", "col").finditer(xml)] == [
        b'<x:col min="1"/>', b'<x:col min="2"></x:col>']


def test_root_prefix():
    assert root_prefix(b'<?xml version="1.0"?><x:worksheet xmlns:x="m">', "worksheet") == b"x:"
    assert root_prefix(b"<worksheet>", "worksheet") == b""
    assert root_prefix(b"<workbook>", "worksheet") is None


def test_a_new_element_goes_after_the_last_present_one_before_it_in_schema_order():
    order = ("a", "b", "c", "d")
    xml = b"<r x='1'><a/><c>1</c><d/></r>"
    assert xml[:insertion_point(xml, b"", "r", order, "b")] == b"<r x='1'><a/>"
    assert xml[:insertion_point(xml, b"", "r", order, "c")] == b"<r x='1'><a/><c>1</c>"  # after its own kind
    assert insertion_point(b"<r><d/></r>", b"", "r", order, "b") == len(b"<r>")  # none before: the first child
    ends = {"a": 4}
    assert insertion_point(xml, b"", "r", order, "d", ends.get) == 4  # the caller says where elements end
