"""VS Code: the extension's own test suite (node's test runner) and its .vsix packaging.

editors/vscode tests in two layers with a fake ``vscode`` module (see its test/): the launch
decisions (settings, which Python, the probe), and the bundled extension's real LanguageClient
against this environment's server. Here pytest runs ``npm test`` with this environment's server and
Python, then builds the .vsix with ``npm run package`` and runs the server it carries with a bare
Python (a fresh virtual environment with nothing installed), which is what a user's machine has.
tests/editors/test_vscode_real.py installs the same .vsix in a real VS Code. ``node_modules`` comes
from ``npm ci --prefix editors/vscode`` (the README's test command runs it before pytest).
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


def _run(*args: str, **extra_environment: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "HTTP_STATUS_LS_COMMAND": _server_command(),
        # The Python the no-settings tests put on PATH, and the one whose pip builds the .vsix.
        "HTTP_STATUS_LS_PYTHON": sys.executable,
        "PYTHON": sys.executable,
        "NO_COLOR": "1",
        "FORCE_COLOR": "0",
        **extra_environment,
    }
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
    assert _summary(output, "pass") >= 60


@pytest.mark.parametrize(
    "name",
    [
        # layer 1: settings -> server command, with a fake vscode module
        "httpStatus.server.command wins and keeps its arguments",
        "with no command set the answer is undefined: the bundled server is used",
        "in an untrusted workspace a command inside the workspace is refused",
        "activation with a broken server command shows an error naming the setting and does not throw",
        "contributes a severity setting for every diagnostic rule",
        "activates on Python, YAML and OpenAPI JSON files only, never on every JSON file",
        "the document selector matches the activation: Python and YAML, and JSON by the same names",
        "declares limited support for untrusted workspaces, restricting the settings that run programs",
        "is ready for a marketplace: icon, changelog, licence, not private, a publisher",
        "the semver stand-ins answer the one question the client asks",
        # which Python runs the bundled server
        "without the setting: the Python extension's interpreter, then python3 on PATH",
        "httpStatus.server.interpreter, when set, is the only candidate",
        "a Python older than 3.10 is refused with its version, and the next one is tried",
        "the message when nothing passes: what is needed, what was tried, what to do",
        "python3 on PATH older than 3.10: one error with what to do, the log names it and why",
        "no Python at all: one error, and the log says python3 is not on PATH",
        "the Python extension's interpreter is used when it passes",
        "a too-old Python extension interpreter falls back to python3 on PATH, and the log says why",
        "in an untrusted workspace the Python extension is not asked",
        "a new selection in the Python extension starts the server again with it",
        "the real launcher answers for this checkout's Python",
        # the bundled server, started with no settings
        "with no settings the bundled server runs with python3 from PATH",
        "hover and diagnostics come from the bundled server",
        "JSON: an OpenAPI file by name goes to the server, package.json does not",
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


PYTHON_VERSIONS = ["3.10", "3.11", "3.12", "3.13", "3.14"]
SAMPLE = "from flask import abort\n\nabort(305)\nabort(420)\n"


@pytest.fixture(scope="module")
def vsix(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The .vsix as `npm run package` builds it, with the publisher given as a setting of the build."""
    out = tmp_path_factory.mktemp("vsix") / "http-status-ls.vsix"
    process = _run("run", "package", "--", "--out", str(out), VSCE_PUBLISHER="example-publisher")
    output = process.stdout + process.stderr
    assert process.returncode == 0, output[-4000:]
    # vsce warns (" WARNING  ...") about what could be fixed: a missing LICENSE, a big bundle, loose
    # files. pip's "WARNING: ..." lines are about this machine's pip configuration, not the package.
    assert not re.search(r"^\s*WARNING(?!:)", output, re.MULTILINE), output[-4000:]
    return out


def test_npm_run_package_makes_a_vsix(vsix: Path) -> None:
    with zipfile.ZipFile(vsix) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("extension/package.json"))
        bundle = archive.read("extension/out/extension.js")
        vsix_manifest = archive.read("extension.vsixmanifest").decode()
    assert {
        "extension.vsixmanifest",
        "extension/package.json",
        "extension/out/extension.js",
        "extension/out/THIRD_PARTY_NOTICES.txt",
        "extension/images/icon.png",
        "extension/changelog.md",
        "extension/LICENSE.txt",
        "extension/bundled/tool/launch_server.py",
        "extension/bundled/build.json",
        "extension/bundled/libs/http_status_ls/__init__.py",
    } <= names
    assert not any(
        "node_modules" in name
        or "__pycache__" in name
        or name.endswith((".map", ".pyc", "direct_url.json"))
        or name.startswith(("extension/src/", "extension/test/", "extension/scripts/", "extension/bundled/libs/bin/"))
        for name in names
    ), sorted(names)
    assert manifest["main"] == "./out/extension.js"
    assert manifest["engines"]["vscode"] == "^1.91.0"
    assert manifest["publisher"] == "example-publisher"
    assert "scripts" not in manifest and "private" not in manifest
    assert 'TargetPlatform="linux-x64"' in vsix_manifest or sys.platform != "linux"
    # The client library is inside the bundle; `vscode` is left to the editor.
    assert b"vscode-languageclient" in bundle or b"LanguageClient" in bundle
    assert b'require("vscode")' in bundle
    # Minified, and without the semver package (src/shims/): 457,657 bytes before, about 444,000 now.
    assert len(bundle) < 450_000, f"the minified bundle grew to {len(bundle)} bytes"
    assert vsix.stat().st_size < 12_000_000, f"the .vsix grew to {vsix.stat().st_size} bytes"


def test_the_vsix_carries_compiled_modules_for_each_python(vsix: Path) -> None:
    with zipfile.ZipFile(vsix) as archive:
        names = archive.namelist()
        build = json.loads(archive.read("extension/bundled/build.json"))
    assert build["pythons"] == PYTHON_VERSIONS
    if sys.platform == "linux":
        for version in PYTHON_VERSIONS:
            tag = version.replace(".", "")
            for module in ("tree_sitter/_binding", "yaml/_yaml"):
                assert any(name.startswith(f"extension/bundled/libs/{module}.cpython-{tag}-") for name in names), (
                    module,
                    version,
                )
        # The grammars are built once for every CPython 3 (abi3).
        assert "extension/bundled/libs/tree_sitter_python/_binding.abi3.so" in names


def test_the_server_in_the_vsix_runs_with_a_bare_python(vsix: Path, tmp_path: Path) -> None:
    """What a user's machine has: a Python with nothing installed. The .vsix must bring the rest."""
    with zipfile.ZipFile(vsix) as archive:
        archive.extractall(tmp_path / "installed")
    launcher = tmp_path / "installed" / "extension" / "bundled" / "tool" / "launch_server.py"
    bare = tmp_path / "bare"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(bare)], check=True, timeout=120)
    python = bare / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    nothing_installed = subprocess.run([str(python), "-c", "import yaml"], capture_output=True, text=True, timeout=60)
    assert nothing_installed.returncode != 0, "the bare Python must not have the libraries itself"

    probe = subprocess.run([str(python), str(launcher), "--probe"], capture_output=True, text=True, timeout=60)
    answer = json.loads(probe.stdout)
    assert answer["bundled"] is True and answer["libyaml"] is True, answer
    assert "error" not in answer, answer
    assert answer["version"][:2] == list(sys.version_info[:2])

    sample = tmp_path / "app.py"
    sample.write_text(SAMPLE, encoding="utf-8")
    check = subprocess.run([str(python), str(launcher), "check", str(sample)], capture_output=True, text=True, timeout=60)
    assert "deprecated-code" in check.stdout and "unofficial-code" in check.stdout, check.stdout + check.stderr
