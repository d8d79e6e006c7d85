"""VS Code: the extension's own test suite (node's test runner) and its .vsix packaging.

VS Code itself cannot be downloaded in CI, so editors/vscode tests in two layers (see its test/):
the settings-to-command logic with a fake ``vscode`` module, and the bundled extension's real
LanguageClient against this environment's server. Here pytest runs ``npm test`` with the server
command set, and checks ``npm run package`` produces a usable .vsix. ``node_modules`` comes from
``npm ci --prefix editors/vscode`` (the README's test command runs it before pytest).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXTENSION = REPO / "editors" / "vscode"
TIMEOUT_S = 300


def _npm() -> str:
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        pytest.fail("node and npm (Node 20+) are needed for the VS Code extension's tests")
    if not (EXTENSION / "node_modules" / "vscode-languageclient").is_dir():
        pytest.fail("editors/vscode/node_modules is missing: run `npm ci --prefix editors/vscode` first")
    return npm


def _server_command() -> str:
    script = shutil.which("http-status-ls", path=sysconfig.get_path("scripts"))
    return script if script is not None else json.dumps([sys.executable, "-m", "http_status_ls"])


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "HTTP_STATUS_LS_COMMAND": _server_command(), "NO_COLOR": "1", "FORCE_COLOR": "0"}
    return subprocess.run(
        [_npm(), *args],
        cwd=EXTENSION,
        env=environment,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture(scope="module")
def npm_test() -> subprocess.CompletedProcess[str]:
    return _run("test")


def _summary(output: str, name: str) -> int:
    match = re.search(rf"^ℹ {name} (\d+)$", output, re.MULTILINE)
    assert match, f"no '{name}' line in node's test report:\n{output[-3000:]}"
    return int(match.group(1))


def test_npm_test_passes(npm_test: subprocess.CompletedProcess[str]) -> None:
    output = npm_test.stdout + npm_test.stderr
    assert npm_test.returncode == 0, output[-6000:]
    assert _summary(output, "fail") == 0
    assert _summary(output, "cancelled") == 0
    assert _summary(output, "pass") >= 30


@pytest.mark.parametrize(
    "name",
    [
        # layer 1: settings -> server command, with a fake vscode module
        "httpStatus.server.command wins and keeps its arguments",
        "an empty command falls through to httpStatus.server.interpreter with -m http_status_ls",
        "with neither setting, http-status-ls on PATH is used",
        "when nothing works the message names both settings and how to install",
        "activation with a broken server command shows an error naming the setting and does not throw",
        "contributes a severity setting for every diagnostic rule",
        # layer 2: the bundled extension's LanguageClient against the real server
        "pull diagnostics: a deprecated code in Python arrives through textDocument/diagnostic",
        "push diagnostics arrive with the document version and follow edits",
        "positions after non-ASCII text are UTF-16 code units, as VS Code counts them",
        "hover on a literal, on a name, and nothing on timeout=300",
        "completion after HTTPStatus. lists the names with code and phrase",
        "the client asked for nothing this fake VS Code lacks",
    ],
)
def test_npm_test_ran(npm_test: subprocess.CompletedProcess[str], name: str) -> None:
    output = npm_test.stdout + npm_test.stderr
    passed = [line.strip()[2:] for line in output.splitlines() if line.strip().startswith("✔ ")]
    assert any(line.startswith(name) for line in passed), f"{name!r} did not pass:\n{output[-4000:]}"


def test_npm_run_package_makes_a_vsix(tmp_path: Path) -> None:
    vsix = tmp_path / "http-status-ls.vsix"
    process = _run("run", "package", "--", "--out", str(vsix))
    assert process.returncode == 0, (process.stdout + process.stderr)[-4000:]
    with zipfile.ZipFile(vsix) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("extension/package.json"))
        bundle = archive.read("extension/out/extension.js")
    assert {"extension.vsixmanifest", "extension/package.json", "extension/out/extension.js"} <= names
    assert not any(
        "node_modules" in name or name.startswith("extension/src/") or name.startswith("extension/test/") for name in names
    )
    assert manifest["main"] == "./out/extension.js"
    assert manifest["engines"]["vscode"] == "^1.91.0"
    # The client library is inside the bundle; `vscode` is left to the editor.
    assert b"vscode-languageclient" in bundle or b"LanguageClient" in bundle
    assert b'require("vscode")' in bundle
