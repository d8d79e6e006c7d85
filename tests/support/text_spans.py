"""Spans of tokens in test texts, computed independently of the detectors that are being tested."""

from __future__ import annotations

from http_status_ls.core.occurrences import Span


def span_of(text: str, token: str, nth: int = 0) -> Span:
    """The span of the ``nth`` occurrence of ``token`` (on one line) in ``text``, in code points."""
    index = -1
    for _ in range(nth + 1):
        index = text.index(token, index + 1)
    line = text.count("\n", 0, index)
    column = index - (text.rfind("\n", 0, index) + 1)
    return Span(line, column, line, column + len(token))


def keys(detection) -> list[tuple[str, int | None]]:
    """(token as written, code) of each occurrence, in order."""
    return [(o.text, o.code) for o in detection.occurrences]
