"""The benchmark script must keep working: run it on the small petstore spec only."""

from __future__ import annotations

import pytest

from tests.support.bench_runs import needs_petstore, run_quick

pytestmark = pytest.mark.corpus


@needs_petstore
def test_bench_quick_runs_on_petstore():
    (result,) = run_quick("bench_server", timeout=120)
    assert result["file"] == "petstore-expanded.yaml"
    assert result["open_to_diagnostics_s"] > 0
    assert result["spawn_to_diagnostics_s"] > result["open_to_diagnostics_s"]
    assert result["hovers"] > 0 and result["hover_hits"] == result["hovers"]
    assert result["completions"] > 0 and result["completion_items"] > 0
    assert result["edits"] == 3
