"""Inlay hints: the reason phrase next to a bare status number, so ``abort(404)`` reads ``abort(404 Not Found)``.

A hint goes only where a number stands alone: a Python literal in a status position, a YAML/JSON
status value, an OpenAPI response key. Never on a library name (``HTTPStatus.NOT_FOUND`` already says
it), never on an occurrence the detector is not confident about, never on a code the knowledge base
(or the project's ``extraCodes``) does not know, and never inside a status line string
(``"404 Not Found"`` carries its phrase already).

Where: right after a literal or value; after the colon of a response key (``'429': Too Many
Requests``), since between a key and its colon the phrase would read as part of the key.

The label is the phrase (``Not Found``); codes that are not a standard part of HTTP say so:
``Enhance Your Calm (unofficial)``, ``Use Proxy (deprecated)``, ``Not Extended (obsolete)``;
reserved codes keep the knowledge base's own wording, ``I'm a Teapot (Unused)``. A project's own code
shows its configured phrase. The tooltip is the code's one-line summary.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from lsprotocol import types

from http_status_ls.core.occurrences import Analysis, Kind, Occurrence, Span
from http_status_ls.core.positions import RangeMaker, span_range
from http_status_ls.features.diagnostics import title
from http_status_ls.kb import registry

HINTED = frozenset({Kind.LITERAL, Kind.YAML_VALUE, Kind.RESPONSE_KEY})
MAX_LABEL = 40
_MARKERS = {"unofficial": "unofficial", "deprecated": "deprecated", "obsolete": "obsolete"}


@lru_cache(maxsize=1024)
def _known_label(code: int) -> tuple[str, str] | None:
    entry = registry.load().entry(code)
    if entry is None:
        return None
    phrase = title(entry).split(" ", 1)[1]  # "418 I'm a Teapot (Unused)" -> "I'm a Teapot (Unused)"
    if len(phrase) > MAX_LABEL:
        phrase = phrase[: MAX_LABEL - 1].rstrip() + "…"
    marker = _MARKERS.get(entry.standing)
    label = f"{phrase} ({marker})" if marker else phrase
    summary = re.split(r"(?<=[.!?])\s", entry.summary.strip(), maxsplit=1)[0] if entry.summary else ""
    tooltip = f"{title(entry)}: {summary}" if summary else title(entry)
    return label, tooltip


def label_for(code: int, extra_codes: Mapping[int, Any] | None = None) -> tuple[str, str] | None:
    """(label, tooltip) for a code, or None when there is nothing reliable to say."""
    extra = extra_codes.get(code) if extra_codes else None
    if extra is not None:
        phrase = str(getattr(extra, "phrase", "") or "")
        if phrase:
            description = str(getattr(extra, "description", "") or "")
            tooltip = f"{code} {phrase}: this project's own code" + (f". {description}" if description else "")
            return phrase, tooltip
    return _known_label(code)


def _position(occurrence: Occurrence, lines: Sequence[str]) -> tuple[int, int] | None:
    """Where the hint goes, in code points; None for a number inside a string (a status line)."""
    span = occurrence.span
    line = lines[span.end_line].rstrip("\r\n") if span.end_line < len(lines) else ""
    if occurrence.kind is Kind.RESPONSE_KEY:
        rest = line[span.end_col :]
        colon = len(rest) - len(rest.lstrip(" \t"))
        if rest[colon : colon + 1] == ":":
            return span.end_line, span.end_col + colon + 1
        return span.end_line, span.end_col
    if occurrence.kind is Kind.LITERAL and not occurrence.quoted and span.start_col > 0:
        if line[span.start_col - 1 : span.start_col] in ("'", '"'):
            return None
    return span.end_line, span.end_col


def inlay_hints(
    analysis: Analysis,
    lines: Sequence[str],
    span: Span | None = None,
    *,
    to_range: RangeMaker = span_range,
    extra_codes: Mapping[int, Any] | None = None,
) -> list[types.InlayHint]:
    """The hints of one analysed document whose position falls in ``span`` (code points; None for
    the whole document)."""
    occurrences = analysis.occurrences
    first, last = 0, len(occurrences)
    if span is not None:
        # Occurrences are in position order: skip to the range instead of looking at every one.
        first = bisect.bisect_left(occurrences, span.start_line, key=lambda o: o.span.start_line)
        last = bisect.bisect_right(occurrences, span.end_line, key=lambda o: o.span.start_line)
    hints: list[types.InlayHint] = []
    for occurrence in occurrences[first:last]:
        if occurrence.kind not in HINTED or not occurrence.confident or occurrence.code is None:
            continue
        found = label_for(occurrence.code, extra_codes)
        if found is None:
            continue
        where = _position(occurrence, lines)
        if where is None:
            continue
        if span is not None and not ((span.start_line, span.start_col) <= where <= (span.end_line, span.end_col)):
            continue
        label, tooltip = found
        line = lines[where[0]].rstrip("\r\n") if where[0] < len(lines) else ""
        followed = bool(line[where[1] :].strip()) and occurrence.kind is Kind.RESPONSE_KEY
        position = to_range(Span(where[0], where[1], where[0], where[1])).start
        hints.append(
            types.InlayHint(
                position=position,
                label=label,
                padding_left=True,
                padding_right=True if followed else None,
                tooltip=tooltip,
            )
        )
    return hints


def hints_enabled(settings: Any, language: str) -> bool:
    """Whether the user's settings (a ``settings.Settings``; None before any are read) want hints in
    ``language``: the language is analysed at all, and its ``inlayHints`` switch is on."""
    if settings is None:
        return True
    languages = getattr(settings, "languages", None)
    if languages is not None and not languages.enabled(language):
        return False
    switches = getattr(settings, "inlay_hints", None)
    return switches is None or switches.enabled(language)
