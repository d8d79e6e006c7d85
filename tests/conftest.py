"""Markers by folder, so `pytest -m unit` is the fast loop and `-m "not editors"` skips real editors.

unit: plain functions, no server process. e2e: the real server over stdio (pytest-lsp) and the
installed wheel. hardening: raw-wire abuse, lifecycle and soak tests. editors: real Neovim, Emacs and
VS Code. corpus: reads the large OpenAPI descriptions in ../shared/corpus (added by the test files).
"""

from __future__ import annotations

from pathlib import Path

import pytest

_BY_FOLDER = {
    "unit": pytest.mark.unit,
    "e2e": pytest.mark.e2e,
    "hardening": pytest.mark.hardening,
    "editors": pytest.mark.editors,
}
_TESTS = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        folder = Path(str(item.path)).resolve().relative_to(_TESTS).parts[0]
        if folder in _BY_FOLDER:
            item.add_marker(_BY_FOLDER[folder])
