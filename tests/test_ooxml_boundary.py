"""xl_crm.ooxml edits Excel packages and knows nothing of the CRM: it imports nothing from the rest of xl_crm."""

import ast
from pathlib import Path

import xl_crm.ooxml

OOXML = Path(xl_crm.ooxml.__file__).parent


def outside_imports(source: str) -> list[str]:
    """The imports of a module of xl_crm/ooxml that reach into xl_crm beyond it."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level > 1:
            found.append("." * node.level + (node.module or ""))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        if not isinstance(node, ast.ImportFrom) or node.level == 0:
            found += [n for n in names if n.split(".")[0] == "xl_crm" and not n.startswith("xl_crm.ooxml")]
    return found


def test_the_scan_sees_imports_that_leave_the_package():
    assert outside_imports("from ..model import schema\nimport xl_crm.rules\nfrom xl_crm.sheets import new\n"
                           "def f():\n    from ...x import y\n") == ["..model", "xl_crm.rules", "xl_crm.sheets",
                                                                       "...x"]
    assert outside_imports("from . import parts\nfrom .xmlbytes import attr\nimport re\n"
                           "from xl_crm.ooxml import styles\n") == []


def test_no_module_of_ooxml_imports_the_rest_of_xl_crm():
    modules = sorted(OOXML.glob("*.py"))
    assert len(modules) > 10
    leaks = {m.name: outside_imports(m.read_text(encoding="utf-8")) for m in modules}
    assert {name: found for name, found in leaks.items() if found} == {}
