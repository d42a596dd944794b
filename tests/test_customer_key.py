"""The customer key (DOMAIN section 16): one key for the spellings of one company, different keys otherwise."""

import pytest

from xl_crm.rules.customer_key import customer_key


@pytest.mark.parametrize("a, b", [
    ("华为技术有限公司", "华为技术 (中国) 有限公司"),
    ("华为技术有限公司", "华为技术（中国）有限公司"),
    ("华为技术有限公司", "华为技术"),
    ("阿里巴巴集团", "阿里巴巴"),
    ("中兴通讯股份有限公司", "中兴通讯"),
    ("平安有限责任公司", "平安"),
    ("Acme Inc.", "ACME, inc"),
    ("Acme Corporation", "acme"),
    ("Acme Co.", "Acme"),
    ("Ａｃｍｅ　ＬＴＤ", "acme"),  # full-width letters and space fold under NFKC
    ("Siemens GmbH", "SIEMENS"),
    ("Foo-Bar LLC", "foo bar"),
    ("Big Co (Beijing) Limited", "Big Co Limited"),
])
def test_spellings_of_one_company_share_a_key(a, b):
    assert customer_key(a) == customer_key(b)


@pytest.mark.parametrize("a, b", [
    ("华为技术有限公司", "华为终端有限公司"),
    ("Acme", "Acne"),
    ("Acme Corp", "Acme Corporate"),
])
def test_different_companies_differ(a, b):
    assert customer_key(a) != customer_key(b)


def test_only_the_longest_suffix_goes_once():
    assert customer_key("中兴通讯股份有限公司") == "中兴通讯"  # not 中兴通讯股份 (有限公司) nor 中兴通讯股份有限 (公司)
    assert customer_key("Acme Co Ltd") == "acmeco"  # one suffix, as section 16 says
    assert customer_key("Pepsico") == "pepsi"  # suffixes match the folded text's end, words or not


def test_a_name_that_is_only_a_suffix_keeps_it():
    assert customer_key("公司") == "公司"
    assert customer_key(None) == ""
    assert customer_key(" ") == ""
