"""Any name the file system allows, and files that are not regular files, in ``check`` and in
workspace references.

A name that is not UTF-8 once crashed ``check --format sarif`` (nothing written, exit 1, which CI
reads as "findings") and made workspace references answer null; a newline in a name split its line
of the text report; a FIFO named ``.gitignore`` or ``x.py`` hung ``check`` and froze the server.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.wire import ServerProcess

from .conftest import new_uri

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="non-UTF-8 names and FIFOs as Linux has them")

FINDING = b"from flask import abort\nabort(420)\n"
LATIN1_NAME = b"caf\xe9.py"


def check(*arguments: str | bytes, cwd: Path, timeout: float = 30) -> subprocess.CompletedProcess[bytes]:
    # A strict UTF-8 stdout, as in a CI job whose locale is C.UTF-8: nothing may be written that is not UTF-8.
    environment = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}
    return subprocess.run(
        [sys.executable, "-m", "http_status_ls", "check", *arguments],
        cwd=cwd,
        env=environment,
        capture_output=True,
        timeout=timeout,
    )


@pytest.fixture
def odd_tree(tmp_path: Path) -> Path:
    os.makedirs(tmp_path / "src")
    with open(os.path.join(os.fsencode(tmp_path / "src"), LATIN1_NAME), "wb") as stream:
        stream.write(FINDING)
    (tmp_path / "src" / "new\nline.py").write_bytes(FINDING)
    (tmp_path / "src" / "plain.py").write_bytes(FINDING)
    return tmp_path


@pytest.mark.parametrize("output", ["text", "json", "sarif", "github"])
def test_check_reports_every_name_in_every_format(odd_tree: Path, output: str):
    done = check("--format", output, "--jobs", "1", "src", cwd=odd_tree)
    assert done.returncode == 1, done.stderr.decode(errors="replace")  # findings, not a crash
    text = done.stdout.decode("utf-8")  # strict: the whole report is UTF-8
    assert "Traceback" not in done.stderr.decode(errors="replace")
    if output == "text":
        lines = text.splitlines()
        assert len(lines) == 3, lines  # the newline in a name does not split its line
        assert any(line.startswith("src/caf\\xe9.py:2:7:") for line in lines), lines
        assert any(line.startswith("src/new\\nline.py:2:7:") for line in lines), lines
    elif output == "json":
        paths = sorted(row["path"] for row in json.loads(text))
        assert paths == ["src/caf\\xe9.py", "src/new\\nline.py", "src/plain.py"]
    elif output == "sarif":
        results = json.loads(text)["runs"][0]["results"]
        uris = sorted(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for result in results)
        assert uris == ["src/caf%E9.py", "src/new%0Aline.py", "src/plain.py"]
    else:
        assert len(text.splitlines()) == 3 and "file=src/caf\\xe9.py" in text


def test_a_fifo_named_gitignore_or_on_the_command_line_never_blocks_check(tmp_path: Path):
    (tmp_path / "app.py").write_bytes(FINDING)
    os.mkfifo(tmp_path / ".gitignore")
    os.mkfifo(tmp_path / "pipe.py")
    started = time.monotonic()
    done = check("--jobs", "1", ".", cwd=tmp_path, timeout=20)
    assert done.returncode == 1 and b"app.py:2:7" in done.stdout
    named = check("--jobs", "1", "pipe.py", "app.py", cwd=tmp_path, timeout=20)
    assert named.returncode == 2  # a path named but not checked
    assert b"pipe.py: not a regular file" in named.stderr and b"app.py:2:7" in named.stdout
    assert time.monotonic() - started < 20


def test_references_find_every_name_and_skip_fifos(odd_tree: Path):
    os.mkfifo(odd_tree / ".gitignore")
    os.mkfifo(odd_tree / "src" / "pipe.py")
    with ServerProcess("--stdio") as server:
        server.initialize(root_uri=odd_tree.as_uri())
        uri = new_uri("refs", ".py")
        server.open(uri, "python", FINDING.decode())
        answer = server.request(
            "textDocument/references",
            {"textDocument": {"uri": uri}, "position": {"line": 1, "character": 7}, "context": {"includeDeclaration": True}},
            timeout=20,
        )
        assert answer.error is None and answer.result is not None
        found = sorted(location["uri"].rsplit("/", 1)[-1] for location in answer.result if location["uri"] != uri)
        assert found == ["caf%E9.py", "new%0Aline.py", "plain.py"]
        assert server.hover(uri, 1, 7).error is None
        assert server.shutdown() == 0
