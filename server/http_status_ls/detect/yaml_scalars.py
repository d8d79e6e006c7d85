"""Status codes written inside one YAML scalar rather than as the whole of it: a comma-separated list
under a status key (``custom-http-errors: "404,503"``), a range (Traefik's ``status: ["500-599"]``),
nginx's upstream conditions (``proxy-next-upstream: "error http_502"``),
the codes of an Ansible condition (``until: result.status == 200``, see `detect.yaml_conditions`) or
of a Prometheus rule's expression (``expr: rate(x{code="503"}[5m])``, see `detect.yaml_promql`);
and the edge of an Envoy range (``expected_statuses: [{start: 200, end: 300}]``), whose role is that
of a class edge.

The YAML walk records each status value as the scalar event it read; each code found here becomes a
`Piece` shaped like such an event (its marks, its value, no style), so the walk turns it into an
occurrence the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from http_status_ls.core.occurrences import Role
from http_status_ls.detect.openapi import (
    CONDITION_KEYS,
    PROMQL_KEY,
    RANGE_EDGE_KEYS,
    Found,
    codes_in_value,
    ordering_role,
    status_value,
)
from http_status_ls.detect.yaml_conditions import condition_codes
from http_status_ls.detect.yaml_promql import promql_codes

QUOTED_STYLES = ("'", '"')
"""The styles of a quoted scalar."""
LINE_BREAK = re.compile("\r\n|\r|\n")


class Position(Protocol):
    """A place in the text read: 0-based line and code-point column, character index."""

    @property
    def line(self) -> int: ...
    @property
    def column(self) -> int: ...
    @property
    def index(self) -> int: ...


class ScalarEvent(Protocol):
    """What is read off a libyaml scalar event."""

    @property
    def start_mark(self) -> Position: ...
    @property
    def value(self) -> str: ...
    @property
    def style(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Place:
    """A position in libyaml's terms: 0-based line and code-point column, character index."""

    line: int
    column: int
    index: int


@dataclass(frozen=True, slots=True)
class Piece:
    """One code inside a scalar, shaped like the scalar event of a bare code."""

    start_mark: Place
    end_mark: Place
    value: str
    style: str | None = None
    role: Role | None = None
    """The role its place gives it (a class edge), when the key's does not do."""


def codes_inside(key: str, event: ScalarEvent, written: str) -> list[Piece] | None:
    """The codes inside the scalar ``event`` (``written`` is its text in the source) under ``key``;
    None when the scalar is to be read whole, as a bare code or nothing."""
    if key in CONDITION_KEYS:
        return _pieces(event, written, condition_codes(written))
    if key == PROMQL_KEY:
        return _pieces(event, written, promql_codes(written))
    value = event.value
    if event.style and event.style not in QUOTED_STYLES:
        return None
    if key in RANGE_EDGE_KEYS:  # `end: 300` names the class edge, `end: 600` nothing
        code = status_value(value)
        role = ordering_role(code) if code is not None else None
        found = [Found(0, len(value), role)] if role is not None else []
    else:
        found = codes_in_value(key, value)  # `"404,503"`, `"500-599"`, `"error http_502"`
        if not found:
            return None  # read whole: a bare code, or nothing
    # Offsets in the value are offsets in the source only when the scalar is written as it reads:
    # on one line, with nothing escaped.
    if written == value:
        shift = 0
    elif written[:1] in QUOTED_STYLES and written[1:-1] == value:
        shift = 1
    else:
        return []
    return _pieces(event, written, [Found(start + shift, end + shift, role) for start, end, role in found])


def _pieces(event: ScalarEvent, written: str, found: list[Found]) -> list[Piece]:
    start = event.start_mark
    return [
        Piece(_place(start, written, begin), _place(start, written, end), written[begin:end], role=role)
        for begin, end, role in found
    ]


def _place(start: Position, written: str, offset: int) -> Place:
    """The position ``offset`` characters into ``written``, which starts at ``start``."""
    line, line_start = start.line, None
    for match in LINE_BREAK.finditer(written, 0, offset):
        line, line_start = line + 1, match.end()
    column = start.column + offset if line_start is None else offset - line_start
    return Place(line, column, start.index + offset)
