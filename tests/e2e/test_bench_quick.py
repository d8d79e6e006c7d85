"""The benchmark script must keep working: run it on the small petstore spec only."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.bench_runs import needs_petstore, run_quick
from tests.support.paths import REPO
from tests.support.wire import process_cpu_seconds

pytestmark = pytest.mark.corpus


@needs_petstore
def test_bench_quick_runs_on_petstore():
    (result,) = run_quick("bench_server", timeout=120)
    assert result["file"] == "petstore-expanded.yaml"
    assert result["open_to_diagnostics_s"] > 0
    assert result["spawn_to_diagnostics_s"] > result["open_to_diagnostics_s"]
    if Path("/proc/self/stat").is_file():  # CPU time is read from /proc
        assert isinstance(result["open_cpu_ms"], float) and 0 <= result["open_cpu_ms"] < 10_000
    assert result["hovers"] > 0 and result["hover_hits"] == result["hovers"]
    assert result["completions"] > 0 and result["completion_items"] > 0
    assert result["edits"] == 3


@needs_petstore
def test_open_ab_takes_opens_in_turns_and_prints_the_ratio():
    completed = subprocess.run(
        [sys.executable, "-m", "bench.bench_open_ab", "--old", str(REPO), "--files", "petstore-expanded.yaml", "--rounds", "2"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    row = next(line for line in completed.stdout.splitlines() if line.startswith("petstore-expanded.yaml"))
    label = REPO.name  # the bench labels a version by its directory's name, as given
    assert f"{label} 0." in row and "this 0." in row
    ratio = float(row.rsplit(f"this/{label} ", 1)[1])
    assert 0.1 < ratio < 10


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="CPU time is read from /proc (Linux)")
def test_cpu_seconds_counts_a_process_working():
    before = process_cpu_seconds(os.getpid())
    deadline = time.process_time() + 0.05
    while time.process_time() < deadline:
        pass
    after = process_cpu_seconds(os.getpid())
    assert before is not None and after is not None and after - before >= 0.03
    assert process_cpu_seconds(2**22 + 12345) is None  # no such process
