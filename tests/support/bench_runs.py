"""A benchmark's quick mode run from a test, the way its docstring says to run it: as a module from
the repository root, so that it finds ``tests.support`` without any path edits."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from tests.support.paths import CORPUS, REPO

needs_petstore = pytest.mark.skipif(
    not (CORPUS / "petstore-expanded.yaml").is_file(), reason="../shared/corpus is not next to the repository"
)
"""The quick modes run on the small petstore description of the shared corpus."""


def run_quick(bench: str, timeout: float) -> Any:
    """The figures ``python -m bench.<bench> --quick --json`` prints."""
    completed = subprocess.run(
        [sys.executable, "-m", f"bench.{bench}", "--quick", "--json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
    return json.loads(completed.stdout)
