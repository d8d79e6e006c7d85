"""Spans and occurrences (core/occurrences.py)."""

from __future__ import annotations

import dataclasses

import pytest

from http_status_ls.core.occurrences import Span, new_span


def test_the_quick_span_is_a_span():
    quick = new_span(1, 2, 3, 4)
    assert quick == Span(1, 2, 3, 4) and hash(quick) == hash(Span(1, 2, 3, 4)) and type(quick) is Span
    assert quick < Span(1, 2, 3, 5) and repr(quick) == repr(Span(1, 2, 3, 4))
    with pytest.raises(dataclasses.FrozenInstanceError):
        quick.start_line = 5  # type: ignore[misc]


def test_a_span_contains_its_ends():
    span = Span(2, 4, 2, 7)
    assert span.contains(2, 4) and span.contains(2, 7)
    assert not span.contains(2, 3) and not span.contains(2, 8) and not span.contains(3, 5)
