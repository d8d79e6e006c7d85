"""Every Python file of the repository compiles without a warning.

An invalid escape sequence in a docstring (``\\ s``) is a DeprecationWarning on Python 3.11, which only
a test run shows, and a SyntaxWarning that every user of Python 3.12 or newer sees on import.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from tests.support.paths import REPO

SOURCES = sorted(
    path for folder in ("server", "bench", "tests") for path in (REPO / folder).rglob("*.py") if "__pycache__" not in path.parts
)


def test_there_are_sources():
    assert len(SOURCES) > 100 and any(path.name == "yaml_prune.py" for path in SOURCES)


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: str(path.relative_to(REPO)))
def test_compiles_without_a_warning(path: Path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        compile(path.read_text(encoding="utf-8"), str(path), "exec", dont_inherit=True)


def test_an_invalid_escape_is_caught():
    with warnings.catch_warnings(), pytest.raises((SyntaxError, DeprecationWarning, SyntaxWarning)):
        warnings.simplefilter("error")
        compile('"""A docstring that `lets`\\ s go."""\n', "example.py", "exec", dont_inherit=True)
