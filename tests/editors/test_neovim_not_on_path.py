"""A server that is not on PATH, in a real headless Neovim 0.11 with editors/nvim as it ships.

Neovim 0.11 does not start an enabled config whose ``cmd`` list names a program that is not
executable, and says nothing: only ``:checkhealth vim.lsp`` warns. So the config's ``cmd`` is a
function that raises a clear error, which Neovim shows when a file of its filetypes opens.
``tests/editors/nvim/not_on_path.lua`` opens a Python file and records the clients, ``:messages``
and ``:checkhealth vim.lsp``; each test runs it with its own PATH.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.editors.test_neovim import NVIM_DIR, RUN_TIMEOUT_S, _nvim, _scripts_dir

NOT_EXECUTABLE = "http_status_ls: 'http-status-ls' is not executable (not on PATH): set cmd to its full path"
"""What the user reads when a file opens and the program is not on PATH (editors/nvim/lsp/http_status_ls.lua)."""


def probe(tmp_path: Path, path: Path, wait_ms: int = 15000, **env: str) -> dict:
    """Run not_on_path.lua with only ``path`` on PATH; what Neovim showed."""
    results = tmp_path / "results.json"
    environment = {
        **os.environ,
        "PATH": str(path),
        "HTTP_STATUS_LS_NVIM_RESULTS": str(results),
        "HTTP_STATUS_LS_NVIM_WAIT_MS": str(wait_ms),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "TMPDIR": str(tmp_path),
        **env,
    }
    process = subprocess.run(
        [_nvim(), "--headless", "--clean", "-u", "NONE", "-c", f"luafile {NVIM_DIR / 'not_on_path.lua'}"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        stdin=subprocess.DEVNULL,
    )
    assert results.exists(), f"not_on_path.lua wrote no results (exit {process.returncode}):\n{process.stderr}"
    return json.loads(results.read_text(encoding="utf-8"))


@pytest.fixture
def empty_path(tmp_path: Path) -> Path:
    """A PATH with nothing on it, so certainly no http-status-ls."""
    folder = tmp_path / "empty-bin"
    folder.mkdir()
    return folder


def test_not_on_path_says_so_when_a_file_opens(tmp_path: Path, empty_path: Path) -> None:
    seen = probe(tmp_path, empty_path)
    assert seen["filetype"] == "python"
    assert seen["attached"] is False
    assert seen["messages"] == NOT_EXECUTABLE
    # :checkhealth still lists the config, so the user can see what it runs.
    assert "http_status_ls:" in seen["health"] and "No active clients" in seen["health"]


def test_on_path_the_same_config_starts_the_server(tmp_path: Path) -> None:
    if shutil.which("http-status-ls", path=_scripts_dir()) is None:
        pytest.skip("no http-status-ls console script in this environment (pip install -e .)")
    seen = probe(tmp_path, Path(_scripts_dir()))
    assert seen["attached"] is True, seen
    assert seen["messages"] == ""
    assert "http_status_ls (id: 1)" in seen["health"]


def test_a_cmd_list_is_skipped_silently_which_is_why_the_config_has_a_function(tmp_path: Path, empty_path: Path) -> None:
    """Neovim's own behaviour with ``cmd = { 'http-status-ls' }``: nothing shown, a warning only in
    :checkhealth vim.lsp (what the troubleshooting in the config's ``---@brief`` points to)."""
    seen = probe(tmp_path, empty_path, wait_ms=2000, HTTP_STATUS_LS_NVIM_CMD_LIST="1")
    assert seen["attached"] is False
    assert seen["messages"] == ""
    assert "'http-status-ls' is not executable. Configuration will not be used." in seen["health"]
