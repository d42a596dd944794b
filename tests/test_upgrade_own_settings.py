"""`upgrade` of a workbook with its own sheet called Settings or 参数: xl_crm adds its own beside it.

xl_crm's Settings sheet is recognised by what it holds (threshold names
and the stage table), so a user's sheet of that name is left byte for byte
as it was, xl_crm's goes under another name with the defined names
pointing there, and every name a formula of the upgraded workbook uses is
defined. Reading the workbook afterwards finds xl_crm's Settings by content.
"""

from __future__ import annotations

import pytest
from fixtures_book import user_workbook
from helpers import PARITY_AS_OF as AS_OF
from helpers import differences, fix_as_of, undefined_names, upgrade_book

from xl_crm.adopt.upgrade import upgrade_workbook
from xl_crm.model.settings import DEFAULT, THRESHOLDS
from xl_crm.ooxml.package import Package
from xl_crm.sheets import settings_sheet
from xl_crm.sheets.read import read_workbook

# a real CRM template's own Settings: names of its own, two of them also names xl_crm uses
OWN_ROWS = [["Currency", "EUR"], ["Fiscal year starts", "April"], ["AsOf", "see the dashboard"], ["GradeDaysA", 999],
            ["Owner", "Li Wei"]]


def with_own_sheet(path, lang: str, own: str):
    """The test's user workbook with one more sheet of the user's own, named `own`."""
    built = upgrade_book(path, lang, seed=17)
    with Package.open(built) as pkg:
        sheets = [{"name": own, "headers": ["Option", "Value"], "rows": OWN_ROWS}]
        pkg.put_sheet(own, user_workbook(path.with_name("own.xlsx"), sheets).read_bytes(), own)
        pkg.save(backup=False)
    return built


def sheet_xml(path, name: str) -> bytes:
    with Package.open(path) as pkg:
        return pkg.read(pkg.sheet_part(name))


@pytest.mark.parametrize("lang, own, ours", [("en", "Settings", "CRM Settings"), ("zh", "参数", "CRM参数"),
                                             ("en", "参数", "Settings"), ("zh", "settings", "参数")])
def test_own_settings_sheet_is_kept_and_crm_settings_added_beside_it(tmp_path, gnumeric, lang, own, ours):
    path = with_own_sheet(tmp_path / "mine.xlsx", lang, own)
    before, own_before = path.read_bytes(), sheet_xml(path, own)
    assert read_workbook(path).settings_name is None  # the user's sheet is not taken for xl_crm's

    plan = upgrade_workbook(path, dry_run=True)
    assert path.read_bytes() == before
    said = "\n".join(plan.lines())
    assert f"add sheet {ours!r}" in said
    if ours not in ("Settings", "参数"):
        assert "is the workbook's own, not xl_crm's Settings: left as it is" in said

    upgrade_workbook(path, as_of=AS_OF, backup=False)
    assert sheet_xml(path, own) == own_before
    with Package.open(path) as pkg:
        assert {n for n in ("AsOf", "GradeDaysA", "StageName") if pkg.defined_names[n].startswith(f"'{ours}'!")} \
            == {"AsOf", "GradeDaysA", "StageName"}
    assert not undefined_names(path)

    data = read_workbook(path)
    assert data.settings_name == ours and data.lang == lang
    assert ours not in {t.sheet_name for t in data.tables.values()} | set(data.also)  # never read as data
    assert data.settings.stages == DEFAULT.stages  # read from xl_crm's sheet, not the user's
    assert all(getattr(data.settings, t.field) == getattr(DEFAULT, t.field) for t in THRESHOLDS)
    fix_as_of(path)
    assert not differences(path, {"gnumeric": gnumeric(path)})  # the derived columns compute
    assert not upgrade_workbook(path, backup=False).written  # and a second upgrade finds nothing to do


def test_every_formula_of_an_upgraded_workbook_uses_defined_names_only(tmp_path):
    path = upgrade_book(tmp_path / "mine.xlsx", "en", seed=3)
    upgrade_workbook(path, as_of=AS_OF, backup=False)
    assert not undefined_names(path)
    with Package.open(path) as pkg:  # the check sees a name the workbook lacks
        xml = pkg.read(pkg.sheet_part("My accounts")).replace(b"GradeDaysA", b"GradeDaysQ", 1)
        pkg.write(pkg.sheet_part("My accounts"), xml)
        pkg.save(backup=False)
    assert any("GradeDaysQ" in p for p in undefined_names(path))


def test_settings_found_by_content():
    cells, _ = settings_sheet.layout(DEFAULT, "zh")
    rows = [[None] * 5 for _ in range(max(c.row for c in cells))]
    for c in cells:
        rows[c.row - 1][c.col] = c.value
    own = [["Option", "Value"], *OWN_ROWS]
    sheets = {"Settings": own, "CRM参数": rows, "Customers": [["Customer ID"]]}
    assert settings_sheet.find(list(sheets), sheets.get) == "CRM参数"
    assert settings_sheet.language("CRM参数", rows) == "zh"
    assert settings_sheet.find(["Settings"], {"Settings": own}.get) is None
    assert settings_sheet.free_name("en", ["settings", "CRM Settings"]) == "CRM Settings 2"
