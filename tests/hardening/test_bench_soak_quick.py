"""The soak benchmark must keep working: run its quick mode (300 edits on petstore, 500 files)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.corpus

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus" / "openapi"


@pytest.mark.skipif(not (CORPUS / "petstore-expanded.yaml").is_file(), reason="../shared/corpus is not next to the repository")
def test_bench_soak_quick():
    completed = subprocess.run(
        [sys.executable, str(REPO / "bench" / "bench_soak.py"), "--quick", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    figures = json.loads(completed.stdout)
    soak = figures["soak"]
    assert soak["file"] == "petstore-expanded.yaml" and soak["edits"] == 300 and soak["storms"] == 6
    assert soak["final_matches_fresh"] is True
    assert len(soak["rss_mb"]) == soak["storms"] and soak["converge_median_ms"] > 0
    assert [run["files"] for run in figures["workspace"]] == [500, 500]
    assert all(run["problems"] == 500 for run in figures["workspace"])
