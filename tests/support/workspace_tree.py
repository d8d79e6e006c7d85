"""A generated workspace for the big-workspace test and benchmark: Python, YAML and JSON files, each
with a known number of problems, so a run over the tree can be checked for what it found as well as
for how long and how much memory it took."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

_PYTHON = '''"""Views for {name}."""
from http import HTTPStatus

from flask import abort, jsonify

TIMEOUT = 300


def get_{name}(item_id):
    if item_id is None:
        abort(404)
    if item_id == "old":
        abort(305)
    return jsonify([]), HTTPStatus.OK
'''
_YAML = """openapi: 3.0.0
info: {{title: {name}, version: '1'}}
paths:
  /{name}:
    get:
      responses:
        '200': {{description: ok}}
        '420': {{description: calm down}}
"""
_JSON = '{{"openapi": "3.0.0", "paths": {{"/{name}": {{"get": {{"responses": {{"200": {{}}, "509": {{}}}}}}}}}}}}\n'

PROBLEMS_PER_FILE = 1
"""Each file holds one code that ``check`` reports (305, 420 or 509) and others it must not."""


def generate(root: Path, count: int) -> int:
    """Write ``count`` files under ``root`` (in folders of 100); returns their total size in bytes."""
    total = 0
    for i in range(count):
        folder = root / f"service{i // 100:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        name = f"thing{i}"
        kind = i % 10
        if kind < 7:
            path, text = folder / f"{name}.py", _PYTHON.format(name=name)
        elif kind < 9:
            path, text = folder / f"{name}.yaml", _YAML.format(name=name)
        else:
            path, text = folder / f"{name}.json", _JSON.format(name=name)
        path.write_text(text, encoding="utf-8")
        total += len(text)
    return total


@dataclass
class Run:
    status: int
    seconds: float
    peak_mb: float
    """The largest resident set of the checker or any of its workers (ru_maxrss from wait4)."""
    stdout: str
    stderr: str


_LAUNCHER = """
import resource, subprocess, sys
with open(sys.argv[1], "wb") as out, open(sys.argv[2], "wb") as err:
    status = subprocess.call(sys.argv[3:], stdout=out, stderr=err)
print(status, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def run_check(paths: Sequence[str], jobs: int) -> Run:
    """``http-status-ls check --format json`` as a process of its own, timed and measured.

    A child's peak resident set counts the memory it shared with its parent until exec, so the
    checker is started by a small launcher (not by the test process, which may be big) and the
    launcher reports the peak of its children: the checker and the workers the checker reaped."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory(prefix="check-run-") as directory:
        out, err = Path(directory) / "stdout", Path(directory) / "stderr"
        command = [sys.executable, "-m", "http_status_ls", "check", "--format", "json", "--jobs", str(jobs), *paths]
        started = time.perf_counter()
        launched = subprocess.run(
            [sys.executable, "-c", _LAUNCHER, str(out), str(err), *command], capture_output=True, text=True, check=True
        )
        seconds = time.perf_counter() - started
        status, maxrss = (int(word) for word in launched.stdout.split())
        # ru_maxrss is in KB on Linux, bytes on macOS.
        peak = maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
        return Run(status, seconds, peak, out.read_text("utf-8"), err.read_text("utf-8"))
