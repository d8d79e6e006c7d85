"""The layer rule: kb <- core <- detect <- features <- lsp <- cli.

A module may import from its own layer or from layers to its left, never to its right, so data flows
one way and ``check`` (cli) never drags the LSP glue in. Package ``__init__`` files stay free of
imports, so importing one layer never loads another by accident.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.support.paths import PACKAGE

LAYERS = ("kb", "core", "detect", "features", "lsp", "cli")


def _layer_of(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] != "http_status_ls" or len(parts) < 2 or parts[1] not in LAYERS:
        return None
    return LAYERS.index(parts[1])


def _module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    return _imports_of(path.read_text(encoding="utf-8"), package)


def _imports_of(source: str, package: str) -> list[tuple[int, str]]:
    """Every module ``source`` imports (at any depth: lazy imports count too), made absolute."""
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            # `from http_status_ls import features` names a layer through the imported names.
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names if module == "http_status_ls"]
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_is_in_a_layer_or_the_entry_points() -> None:
    loose = {p.name for p in PACKAGE.glob("*.py")}
    assert loose == {"__init__.py", "__main__.py"}, "a module outside the layers: give it a layer folder"
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__" and p.name != "data"} == set(LAYERS)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_left(path: Path) -> None:
    own = _layer_of(_module_name(path))
    if own is None:
        return  # the entry points may import anything
    wrong = [
        f"line {line}: {module} ({LAYERS[layer]})"
        for line, module in _imports(path)
        if (layer := _layer_of(module)) is not None and layer > own
    ]
    assert not wrong, f"{path.name} is in {LAYERS[own]} and imports from a layer to its right: {wrong}"


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("__init__.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_package_inits_import_nothing(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert not [node for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))]


def test_the_rule_catches_a_violation() -> None:
    # The walk must see lazy, relative and aliased imports, or the rule above holds vacuously.
    source = "def f():\n    from ..lsp import server\n    import http_status_ls.cli.main as m\n"
    modules = [module for _, module in _imports_of(source, "http_status_ls.core")]
    assert "http_status_ls.lsp" in modules and "http_status_ls.cli.main" in modules
