"""``check`` over a big generated workspace finishes, finds exactly what is there, and its memory does
not grow with the number of files (it streams: no parse tree outlives its file). The 10,000-file run
is in bench/bench_soak.py."""

from __future__ import annotations

import collections
import json
from pathlib import Path

from tests.support.workspace_tree import generate, run_check

from .conftest import FIGURES

GROWTH_LIMIT_MB = 20.0
"""Ten times the files may cost a little more memory (the findings themselves), not ten times more."""


def _checked(root: Path, count: int) -> tuple[float, float]:
    generate(root, count)
    run = run_check([str(root)], jobs=1)
    assert run.status == 1, run.stderr  # warnings were found
    problems = json.loads(run.stdout)
    rules = collections.Counter(problem["rule"] for problem in problems)
    python_files = sum(1 for i in range(count) if i % 10 < 7)
    assert rules == {"deprecated-code": python_files, "unofficial-code": count - python_files}, rules
    assert len({problem["path"] for problem in problems}) == count
    assert f"{count} files checked" in run.stderr
    return run.seconds, run.peak_mb


def test_check_memory_does_not_grow_with_the_workspace(tmp_path: Path):
    small_seconds, small_peak = _checked(tmp_path / "small", 200)
    big_seconds, big_peak = _checked(tmp_path / "big", 2000)
    FIGURES.append(
        f"check --jobs 1: 200 files {small_seconds:.2f} s, peak {small_peak:.1f} MB; "
        f"2,000 files {big_seconds:.2f} s, peak {big_peak:.1f} MB"
    )
    assert big_peak - small_peak < GROWTH_LIMIT_MB
