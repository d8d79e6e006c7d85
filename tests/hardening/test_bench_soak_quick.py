"""The soak benchmark must keep working: run its quick mode (300 edits on petstore, 500 files)."""

from __future__ import annotations

import pytest

from tests.support.bench_runs import needs_petstore, run_quick

pytestmark = pytest.mark.corpus


@needs_petstore
def test_bench_soak_quick():
    figures = run_quick("bench_soak", timeout=300)
    soak = figures["soak"]
    assert soak["file"] == "petstore-expanded.yaml" and soak["edits"] == 300 and soak["storms"] == 6
    assert soak["final_matches_fresh"] is True
    assert len(soak["rss_mb"]) == soak["storms"] and soak["converge_median_ms"] > 0
    assert [run["files"] for run in figures["workspace"]] == [500, 500]
    assert all(run["problems"] == 500 for run in figures["workspace"])
