"""The folders of xl_crm are layers: each imports only the ones before it in LAYERS (the README's tree)."""

from __future__ import annotations

import ast
from pathlib import Path

import xl_crm

LAYERS = ("ooxml", "errors", "model", "rules", "compute", "sheets", "folder", "adopt", "reports", "commands",
          "team", "excel", "cli")
ROOT = Path(xl_crm.__file__).parent


def imports(path: Path) -> set[str]:
    """The xl_crm layers a module imports, by relative or absolute import."""
    package = list(path.relative_to(ROOT).parent.parts)
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            target = package[: len(package) - node.level + 1] + (node.module.split(".") if node.module else [])
            found.update(target[:1])
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("xl_crm."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("xl_crm."))
    return found


def test_every_folder_is_a_known_layer():
    folders = {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders <= set(LAYERS), folders - set(LAYERS)


def test_each_layer_imports_only_the_layers_before_it():
    wrong = []
    for path in ROOT.rglob("*.py"):
        layer = path.relative_to(ROOT).parts[0].removesuffix(".py")
        if layer not in LAYERS:
            continue  # the front door (__init__, __main__) may reach every layer
        allowed = set(LAYERS[: LAYERS.index(layer) + 1])
        wrong += [f"{path.relative_to(ROOT)} imports {name}" for name in imports(path) - allowed if name in LAYERS]
    assert not wrong, "\n".join(sorted(wrong))
