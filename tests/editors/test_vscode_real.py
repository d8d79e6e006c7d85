"""The extension's .vsix in a real VS Code: code-server 4.100.3 (VS Code 1.100) in headless Chromium.

``vscode_real/install.py`` installs code-server and playwright-core once into ``.cache/vscode-real``
(about three minutes; a later run reuses it). Each run packages the extension, installs the .vsix into
a fresh extensions folder, starts code-server on a loopback port with a workspace this file writes,
and lets ``vscode_real/drive.mjs`` work the UI: the Problems panel, a hover, a settings change, a
quick fix, a completion. The assertions here are on what the UI showed.

Outside CI a machine without the system packages skips with the apt-get line to run; under CI=true a
missing prerequisite fails, so CI cannot pass by skipping.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest

from tests.editors.vscode_real import install

REPO = Path(__file__).resolve().parents[2]
EXTENSION = REPO / "editors" / "vscode"
DRIVER = Path(__file__).resolve().parent / "vscode_real" / "drive.mjs"
WAIT_S = 30  # for each thing the driver waits for in the UI
LISTENING = re.compile(r"HTTP server listening on (http://127\.0\.0\.1:\d+/)")

APP_PY = """\
from http import HTTPStatus

from flask import Flask, abort

app = Flask(__name__)


@app.get("/pets/<int:pet_id>")
def pet(pet_id):
    abort(404)


@app.get("/calm")
def calm():
    abort(420)
"""

OPENAPI_YAML = """\
openapi: 3.0.3
info:
  title: Pets
  version: 1.0.0
paths:
  /pets:
    get:
      responses:
        '200':
          description: The pets.
        '305':
          description: Use the proxy.
"""


# Quiet, offline, no trust prompt: nothing in the window but the workspace.
QUIET_SETTINGS = {
    "security.workspace.trust.enabled": False,
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": False,
    "workbench.enableExperiments": False,
    "telemetry.telemetryLevel": "off",
    "update.mode": "none",
    "extensions.autoCheckUpdates": False,
    "extensions.autoUpdate": False,
    "extensions.ignoreRecommendations": True,
    "git.enabled": False,
    "github.gitAuthentication": False,
    "json.schemaDownload.enable": False,
    "npm.fetchOnlinePackageInfo": False,
    "typescript.surveys.enabled": False,
}


def unavailable(reason: str) -> NoReturn:
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"CI=true and the real VS Code test cannot run: {reason}")
    pytest.skip(reason)


def position(text: str, needle: str, offset: int = 0) -> list[int]:
    """1-based line and column of needle's character at offset, as VS Code's Go to Line takes them."""
    index = text.index(needle) + offset
    line = text.count("\n", 0, index) + 1
    return [line, index - (text.rfind("\n", 0, index) + 1) + 1]


@pytest.fixture(scope="session")
def code_server() -> install.Installation:
    missing = install.missing_prerequisites()
    if missing:
        unavailable(
            "this machine lacks what it needs: " + "; ".join(missing) + f". On Debian 12, as root: `{install.APT_LINE}` "
            "(or run .ci/run, which installs them), then pytest tests/editors/test_vscode_real.py"
        )
    if not (EXTENSION / "node_modules" / "@vscode" / "vsce").is_dir():
        pytest.fail("editors/vscode/node_modules is missing: run `npm ci --prefix editors/vscode` first")
    return install.install()


def _environment(home: Path) -> dict[str, str]:
    # code-server keeps its own config and state under XDG folders; these keep them in the test's tmp.
    return {
        **os.environ,
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "NO_COLOR": "1",
        # The machine reaches no marketplace: point code-server's gallery at a closed loopback port so
        # it never looks up an outside host at all.
        "EXTENSIONS_GALLERY": json.dumps({"serviceUrl": "http://127.0.0.1:9/gallery", "itemUrl": "http://127.0.0.1:9/item"}),
    }


def _code_server_command(code_server: install.Installation, tmp: Path) -> list[str]:
    config = tmp / "code-server.yaml"
    config.write_text("bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n", encoding="utf-8")
    return [
        shutil.which("node") or "node",
        str(code_server.code_server),
        f"--config={config}",
        f"--user-data-dir={tmp / 'user-data'}",
        f"--extensions-dir={tmp / 'extensions'}",
        "--disable-telemetry",
        "--disable-update-check",
        "--disable-workspace-trust",
        "--ignore-last-opened",
    ]


def _install_vsix(command: list[str], tmp: Path, environment: dict[str, str]) -> None:
    vsix = tmp / "http-status-ls.vsix"
    package = subprocess.run(
        ["npm", "run", "package", "--", "--out", str(vsix)],
        cwd=EXTENSION,
        capture_output=True,
        text=True,
        # The build bundles the server's libraries for five CPythons; a cold pip cache downloads them.
        timeout=600,
        stdin=subprocess.DEVNULL,
        # The build needs a Python with pip; Debian's python3 on PATH may have none.
        env={**os.environ, "PYTHON": sys.executable},
    )
    assert package.returncode == 0, (package.stdout + package.stderr)[-4000:]
    installed = subprocess.run(
        [*command, f"--install-extension={vsix}"], capture_output=True, text=True, timeout=120, env=environment
    )
    assert "was successfully installed" in installed.stdout + installed.stderr, installed.stdout + installed.stderr


@pytest.fixture(scope="module")
def running(code_server: install.Installation, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """code-server with the .vsix installed, serving a window on loopback: (URL, tmp folder)."""
    tmp = tmp_path_factory.mktemp("vscode-real")
    environment = _environment(tmp)
    command = _code_server_command(code_server, tmp)
    _install_vsix(command, tmp, environment)
    settings = tmp / "user-data" / "User" / "settings.json"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(json.dumps(QUIET_SETTINGS, indent=2), encoding="utf-8")
    log = tmp / "code-server.log"
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=environment, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 60
        while not (match := LISTENING.search(log.read_text(encoding="utf-8"))):
            assert process.poll() is None and time.monotonic() < deadline, f"code-server did not start:\n{log.read_text()}"
            time.sleep(0.2)
        yield match.group(1), tmp
    finally:
        # The group holds code-server, its extension host and the language server the extension started.
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=20)


@pytest.fixture(scope="module")
def ui(running: tuple[str, Path], code_server: install.Installation) -> dict:
    """What the driver saw, check by check, plus the workspace folder."""
    url, tmp = running
    workspace = tmp / "workspace"
    workspace.mkdir()
    (workspace / "app.py").write_text(APP_PY, encoding="utf-8")
    (workspace / "openapi.yaml").write_text(OPENAPI_YAML, encoding="utf-8")
    screenshots = tmp / "screenshots"
    screenshots.mkdir()
    scenario = {
        "url": url,
        "folder": str(workspace),
        "chromium": shutil.which("chromium"),
        "chromiumProfile": str(tmp / "chromium-profile"),
        "playwright": str(code_server.package_json),
        "screenshots": str(screenshots),
        "results": str(tmp / "results.json"),
        "waitSeconds": WAIT_S,
        "open": ["openapi.yaml", "app.py"],
        "problems": {"waitFor": ["unofficial-code", "deprecated-code"]},
        "hover": {"file": "app.py", "at": position(APP_PY, "abort(404)", 7), "waitFor": ["Not Found"]},
        "settings": {
            "file": str(workspace / ".vscode" / "settings.json"),
            "stages": [
                # 305 stays while 420 goes: the panel is live and only the rule turned off is gone.
                {
                    "name": "off",
                    "text": json.dumps({"httpStatus.rules": {"unofficial-code": "off"}}, indent=2),
                    "waitFor": ["deprecated-code"],
                    "waitGone": ["unofficial-code"],
                },
                {"name": "on", "text": "{}\n", "waitFor": ["unofficial-code", "deprecated-code"], "waitGone": []},
            ],
        },
        "codeAction": {
            "file": "app.py",
            "path": str(workspace / "app.py"),
            "at": position(APP_PY, "abort(420)", 7),
            "choose": "429",  # the first quick fix offers 429 Too Many Requests, the second 424
            "waitFor": ["abort(429)"],
        },
        "completion": {
            "file": "app.py",
            "at": [APP_PY.count("\n") + 1, 1],  # the empty last line
            "type": "status = HTTPStatus.NOT_F",
            "choose": "NOT_FOUND",
            "waitFor": "HTTPStatus.NOT_FOUND",
        },
    }
    (tmp / "scenario.json").write_text(json.dumps(scenario, indent=2), encoding="utf-8")
    driver = subprocess.run(
        [shutil.which("node") or "node", str(DRIVER), str(tmp / "scenario.json")],
        capture_output=True,
        text=True,
        timeout=WAIT_S * 12,
        stdin=subprocess.DEVNULL,
    )
    results_file = tmp / "results.json"
    assert results_file.exists(), f"the driver wrote no results (exit {driver.returncode}):\n{driver.stderr[-4000:]}"
    results = json.loads(results_file.read_text(encoding="utf-8"))
    results["workspace"] = workspace
    results["log"] = driver.stderr
    return results


def seen(ui: dict, name: str):
    record = ui["checks"].get(name)
    assert record is not None, f"{name} did not run:\n{ui['log'][-3000:]}"
    where = f" (screenshot: {record['screenshot']})" if "screenshot" in record else ""
    assert record["ok"], f"{name}: {record.get('error') or json.dumps(record['seen'], indent=1)[:3000]}{where}"
    return record["seen"]


def markers(problems: dict[str, list[str]], file: str, rule: str) -> list[str]:
    return [text for text in problems.get(file, []) if rule in text]


def test_workbench_opens_the_workspace(ui: dict) -> None:
    seen(ui, "workbench")


def test_the_vsix_alone_runs_its_bundled_server(ui: dict, running: tuple[str, Path]) -> None:
    # No setting names a server: the extension found python3 and ran the libraries it carries.
    settings = json.loads((running[1] / "user-data" / "User" / "settings.json").read_text(encoding="utf-8"))
    assert not any(key.startswith("httpStatus.server") for key in settings)
    logs = list((running[1] / "user-data" / "logs").rglob("HTTP Status Codes.log"))
    assert logs, "the extension wrote no output channel log"
    text = "\n".join(log.read_text(encoding="utf-8") for log in logs)
    assert "from the libraries bundled in the extension" in text, text[-2000:]


def test_problems_panel_lists_420_in_python_and_305_in_openapi(ui: dict) -> None:
    problems = seen(ui, "problems")
    [unofficial] = markers(problems, "app.py", "unofficial-code")
    # The message's wording is the server's; what must show is the code, its portable twin, the place.
    assert "420" in unofficial and "429" in unofficial
    assert "[Ln {}, Col {}]".format(*position(APP_PY, "abort(420)", 6)) in unofficial
    [deprecated] = markers(problems, "openapi.yaml", "deprecated-code")
    assert "305" in deprecated
    assert "[Ln {}, Col {}]".format(*position(OPENAPI_YAML, "'305'")) in deprecated
    assert all("http-status-ls" in text for texts in problems.values() for text in texts)


def test_hover_on_404_shows_not_found(ui: dict) -> None:
    hover = seen(ui, "hover")
    assert hover.startswith("404 Not Found")
    assert "4xx" in hover


def test_rule_off_in_workspace_settings_removes_the_420_diagnostic(ui: dict) -> None:
    stages = seen(ui, "settings")
    assert markers(stages["off"], "app.py", "unofficial-code") == []
    assert len(markers(stages["off"], "openapi.yaml", "deprecated-code")) == 1
    assert len(markers(stages["on"], "app.py", "unofficial-code")) == 1


def test_quick_fix_replaces_420_with_429(ui: dict) -> None:
    action = seen(ui, "code_action")
    assert "429 Too Many Requests" in action["chosen"]
    assert any("424" in title for title in action["titles"])  # the other portable code is offered too
    assert action["saved"] == APP_PY.replace("abort(420)", "abort(429)")
    assert (ui["workspace"] / "app.py").read_text(encoding="utf-8") == action["saved"]


def test_completion_after_httpstatus_not_f_offers_not_found(ui: dict) -> None:
    completion = seen(ui, "completion")
    assert completion["labels"][0].startswith("NOT_FOUND") and "404" in completion["labels"][0]
    assert completion["line"].strip() == "status = HTTPStatus.NOT_FOUND"


def test_ci_installs_the_system_packages_this_test_needs() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    apt = [line.split() for line in ci if "apt-get install" in line]
    assert apt and set(install.SYSTEM_PACKAGES) <= set(apt[0]), f".ci/run must install {install.SYSTEM_PACKAGES}"
