"""Eglot with one server for Python and YAML, in batch Emacs: each file gets its own diagnostics,
whichever was opened first.

Eglot (1.9 on Emacs 28, and later) sends the ``languageId`` of the buffer that started the server for
every buffer of that server, so ``openapi.yaml`` arrives as ``python`` when ``app.py`` came first,
and the other way round. ``tests/editors/eglot/two_languages.el`` opens both files of a fresh project
in each order against one server and records what Flymake shows. Like ``test_eglot.py`` it skips
(with how to install Emacs and Eglot) when they are missing, and fails instead under CI=true.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.editors.test_eglot import run_script

SCRIPT = Path(__file__).resolve().parent / "eglot" / "two_languages.el"
ORDERS = ("python_first", "yaml_first")


@pytest.fixture(scope="module")
def eglot(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return run_script(tmp_path_factory.mktemp("eglot-languages"), SCRIPT)


def check(eglot: dict, name: str) -> str:
    result = eglot["checks"].get(name)
    assert result is not None, f"{name} did not run:\n{eglot['stderr']}"
    assert result["ok"] is True, f"{name}: {result['detail']}\n{eglot['stderr']}"
    return str(result["detail"])


@pytest.mark.parametrize("order", ORDERS)
def test_one_server_and_one_language_id_for_both_files(eglot: dict, order: str) -> None:
    first = order.removesuffix("_first")
    assert check(eglot, f"{order}_one_server") == f'languageId "{first}" for every buffer'


@pytest.mark.parametrize("order", ORDERS)
def test_python_file_gets_its_diagnostic(eglot: dict, order: str) -> None:
    detail = check(eglot, f"{order}_python")
    assert "420" in detail and "unofficial-code" in detail


@pytest.mark.parametrize("order", ORDERS)
def test_yaml_file_gets_its_diagnostic(eglot: dict, order: str) -> None:
    detail = check(eglot, f"{order}_yaml")
    assert "305" in detail and "deprecated-code" in detail


def test_run_passes(eglot: dict) -> None:
    assert eglot["exit"] == 0, eglot["stderr"]
    assert "http-status-ls Eglot two-languages check passed" in eglot["stderr"]
