"""Emacs's Eglot end to end, in batch mode, when Emacs and Eglot are installed.

Debian's ``emacs-nox`` (Emacs 28) with ``elpa-eglot`` (Eglot 1.9) is enough; ``.ci/run`` installs them.
Without them these tests skip, except under CI=true, where they fail: CI cannot pass by skipping.
``tests/editors/eglot/check.el`` configures Eglot as the README says and records its checks as
JSON: diagnostics reach Flymake at the right column (Eglot counts UTF-16), hover and completion answer.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import NoReturn

import pytest

CHECK = Path(__file__).resolve().parent / "eglot" / "check.el"
SYSTEM_PACKAGES = ("emacs-nox", "elpa-eglot")
APT_LINE = "apt-get install --no-install-recommends " + " ".join(SYSTEM_PACKAGES)


def unavailable(reason: str) -> NoReturn:
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"CI=true and the Eglot test cannot run: {reason}")
    pytest.skip(reason)


def _emacs() -> str:
    emacs = shutil.which("emacs")
    if emacs is None:
        unavailable(f"Emacs is not installed. On Debian 12, as root: `{APT_LINE}` (or run .ci/run, which installs it)")
    probe = subprocess.run(
        [emacs, "--batch", "-q", "--eval", '(progn (require \'eglot) (princ "eglot-ok"))'],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    if "eglot-ok" not in probe.stdout:
        unavailable(f"Eglot is not available to Emacs. On Debian 12, as root: `{APT_LINE}`; Emacs 29+ has it built in")
    return emacs


@pytest.fixture(scope="module")
def eglot(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return run_script(tmp_path_factory.mktemp("eglot"), CHECK)


def run_script(tmp: Path, script: Path) -> dict:
    """Run an Emacs Lisp driver in batch Emacs against the real server: the results it wrote, with
    Emacs's exit status and stderr."""
    emacs = _emacs()
    results = tmp / "results.json"
    server = shutil.which("http-status-ls", path=sysconfig.get_path("scripts"))
    command = server if server is not None else json.dumps([sys.executable, "-m", "http_status_ls"])
    process = subprocess.run(
        [emacs, "--batch", "-q", "-l", str(script)],
        env={
            **os.environ,
            "HTTP_STATUS_LS_COMMAND": command,
            "HTTP_STATUS_LS_EGLOT_RESULTS": str(results),
            "TMPDIR": str(tmp),
            "HOME": str(tmp),
        },
        capture_output=True,
        text=True,
        timeout=180,
        stdin=subprocess.DEVNULL,
        cwd=tmp,
    )
    assert results.exists(), f"{script.name} wrote no results (exit {process.returncode}):\n{process.stderr}"
    record = json.loads(results.read_text(encoding="utf-8"))
    record["exit"] = process.returncode
    record["stderr"] = process.stderr
    return record


def check(eglot: dict, name: str) -> str:
    result = eglot["checks"].get(name)
    assert result is not None, f"{name} did not run:\n{eglot['stderr']}"
    assert result["ok"] is True, f"{name}: {result['detail']}"
    return result["detail"]


def test_run_passes(eglot: dict) -> None:
    assert eglot["exit"] == 0, eglot["stderr"]
    assert "http-status-ls Eglot check passed" in eglot["stderr"]


def test_deprecated_code_reaches_flymake(eglot: dict) -> None:
    detail = check(eglot, "diagnostic_deprecated")
    assert detail.startswith("eglot-warning") and "[deprecated-code]" in detail and "305 Use Proxy" in detail


def test_column_after_emoji_is_right(eglot: dict) -> None:
    detail = check(eglot, "utf16_position")
    expected, got = detail.removeprefix("expected ").split(", got ")
    assert expected == got


def test_nothing_on_timeout(eglot: dict) -> None:
    check(eglot, "no_diagnostic_on_timeout")


def test_hover_and_completion(eglot: dict) -> None:
    assert "305 Use Proxy" in check(eglot, "hover")
    assert int(check(eglot, "completion").split()[0]) >= 60


def test_ci_installs_emacs_and_eglot() -> None:
    ci = (Path(__file__).resolve().parents[2] / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    apt = [line.split() for line in ci if "apt-get install" in line]
    assert apt and set(SYSTEM_PACKAGES) <= set(apt[0]), f".ci/run must install {SYSTEM_PACKAGES}"
