"""The texts in tests/fixtures, for tests that share a document instead of typing it again.

A fixture is read byte for byte (line breaks untranslated): tests compute positions in it, and an
edit's expected result is compared to the letter.
"""

from __future__ import annotations

from functools import cache

from tests.support.paths import FIXTURES


@cache
def fixture_text(name: str) -> str:
    """The text of ``tests/fixtures/<name>``."""
    return (FIXTURES / name).read_bytes().decode("utf-8")
