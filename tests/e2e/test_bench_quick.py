"""The benchmark script must keep working: run it on the small petstore spec only."""

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
def test_bench_quick_runs_on_petstore():
    completed = subprocess.run(
        [sys.executable, str(REPO / "bench" / "bench_server.py"), "--quick", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    (result,) = json.loads(completed.stdout)
    assert result["file"] == "petstore-expanded.yaml"
    assert result["open_to_diagnostics_s"] > 0
    assert result["hovers"] > 0 and result["hover_hits"] == result["hovers"]
    assert result["completions"] > 0 and result["completion_items"] > 0
    assert result["edits"] == 3
