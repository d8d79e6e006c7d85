"""What the detectors find: status-code occurrences in one document, and the analysis of one version.

Positions here are 0-based lines and columns counted in code points (Python ``str`` indices). They
become the client's utf-8 or utf-16 units only at the LSP boundary, through pygls' position codec.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from enum import Enum
from typing import Any

from http_status_ls.kb.registry import NameRef


@dataclass(frozen=True, slots=True, order=True)
class Span:
    start_line: int
    start_col: int
    end_line: int
    end_col: int

    def contains(self, line: int, col: int) -> bool:
        """True when a cursor at (line, col) touches the span; the end is inclusive, so a cursor
        right after ``404`` still hovers it."""
        return (self.start_line, self.start_col) <= (line, col) <= (self.end_line, self.end_col)


_object_new = object.__new__
# The slot descriptors of Span's fields: setting through them is what a frozen dataclass's
# `__init__` does by way of `object.__setattr__`, minus the lookups.
_SPAN_SLOTS: tuple[Callable[[Span, int], None], ...] = tuple(
    vars(Span)[name].__set__ for name in ("start_line", "start_col", "end_line", "end_col")
)


def new_span(start_line: int, start_col: int, end_line: int, end_col: int) -> Span:
    """``Span(start_line, start_col, end_line, end_col)`` at half the cost, for the OpenAPI model,
    which makes thousands: a frozen dataclass's ``__init__`` goes through ``object.__setattr__``
    for each field."""
    span = _object_new(Span)
    set_start_line, set_start_col, set_end_line, set_end_col = _SPAN_SLOTS
    set_start_line(span, start_line)
    set_start_col(span, start_col)
    set_end_line(span, end_line)
    set_end_col(span, end_col)
    return span


class Kind(str, Enum):
    LITERAL = "literal"  # a Python number in a status position: abort(404)
    NAME = "name"  # a library constant: HTTPStatus.NOT_FOUND, status.HTTP_404_NOT_FOUND, NotFound
    YAML_VALUE = "yaml-value"  # a value under a status-naming key in plain YAML: `status: 404`
    RESPONSE_KEY = "response-key"  # a key of an OpenAPI operation's `responses`: '404', 4XX, default


class Role(str, Enum):
    """What the program does with the code where it is written. The rules judge what a program sends
    or declares; a status that another party sends and the program only tests for is not the
    program's choice, so the same number there is worth a note at most (docs/contexts.md)."""

    SENDS = "sends"
    """Answers with it or declares it: ``abort(404)``, ``return body, 201``, ``status_code=`` on a
    response or exception, ``status = 404``, an OpenAPI response key."""
    READS = "reads"
    """Tests a status someone else sent: ``resp.status_code == 404``, ``in (420, 429)``, ``case 404:``
    under ``match resp.status_code``, ``status_forcelist=[...]``, ``assert resp.status_code == 201``."""
    BOUND = "bound"
    """The edge of a class in an ordering comparison (``code > 199``, ``status < 600``): it names
    the class, not a code."""
    UNKNOWN = "unknown"
    """Nothing says which; judged as if sent (what detectors that do not tell get)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Occurrence:
    span: Span
    kind: Kind
    text: str
    """The token as written: ``404``, ``'404'``, ``NOT_FOUND``, ``"4XX"``."""
    code: int | None
    """The status meant; None for ``default``, ranges, and keys that are not status codes."""
    context: str
    """Why this token counts, for people: ``abort()``, ``status_code=``, ``responses``."""
    name: NameRef | None = None
    """For Kind.NAME: which library name it is."""
    value: str | None = None
    """For keys and YAML values: the token without quotes (``200``, ``4XX``, ``default``, ``2xx``)."""
    range_class: int | None = None
    """For an OpenAPI range key ``4XX``: 4."""
    quoted: bool = False
    confident: bool = True
    """Inlay hints only go on confident occurrences."""
    body_span: Span | None = None
    """For a response key: the span of the ``content`` (3.x) or ``schema`` (2.0) key under it, if any."""
    role: Role = Role.UNKNOWN
    """Whether the program sends the code here or only reads it (see :class:`Role`)."""


_OCCURRENCE_SLOTS: tuple[Callable[[Occurrence, Any], None], ...] = tuple(
    vars(Occurrence)[each.name].__set__ for each in fields(Occurrence)
)


def new_response_key(
    span: Span, text: str, value: str, code: int | None, range_class: int | None, quoted: bool, body_span: Span | None
) -> Occurrence:
    """The occurrence of a key of a ``responses`` object, made as `new_span` makes a
    span: the detectors of large API descriptions make thousands (`detect.openapi.response_key_occurrence`
    says what each field holds)."""
    occurrence = _object_new(Occurrence)
    (
        set_span,
        set_kind,
        set_text,
        set_code,
        set_context,
        set_name,
        set_value,
        set_range_class,
        set_quoted,
        set_confident,
        set_body_span,
        set_role,
    ) = _OCCURRENCE_SLOTS
    set_span(occurrence, span)
    set_kind(occurrence, Kind.RESPONSE_KEY)
    set_text(occurrence, text)
    set_code(occurrence, code)
    set_context(occurrence, "responses")
    set_name(occurrence, None)
    set_value(occurrence, value)
    set_range_class(occurrence, range_class)
    set_quoted(occurrence, quoted)
    set_confident(occurrence, True)
    set_body_span(occurrence, body_span)
    set_role(occurrence, Role.SENDS)  # an API description declares what the operation answers
    return occurrence


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponsesBlock:
    """One operation's OpenAPI ``responses`` object."""

    span: Span
    """From the ``responses`` key to the end of its value."""
    keys: tuple[Occurrence, ...]
    pointer: str
    """JSON pointer of the object, e.g. ``/paths/~1pets/get/responses``."""
    flow: bool
    """True for JSON and YAML flow mappings (``{...}``): new keys need commas and quotes."""
    key_indent: int | None = None
    """For a block YAML mapping: the column its keys start at (where a completion inserts)."""


_RESPONSES_BLOCK_SLOTS: tuple[Callable[[ResponsesBlock, Any], None], ...] = tuple(
    vars(ResponsesBlock)[each.name].__set__ for each in fields(ResponsesBlock)
)


def new_responses_block(
    span: Span, keys: tuple[Occurrence, ...], pointer: str, flow: bool, key_indent: int | None
) -> ResponsesBlock:
    """``ResponsesBlock(...)``, made as `new_span` makes a span (a big description has thousands)."""
    block = _object_new(ResponsesBlock)
    set_span, set_keys, set_pointer, set_flow, set_key_indent = _RESPONSES_BLOCK_SLOTS
    set_span(block, span)
    set_keys(block, keys)
    set_pointer(block, pointer)
    set_flow(block, flow)
    set_key_indent(block, key_indent)
    return block


@dataclass(frozen=True, slots=True, kw_only=True)
class Detection:
    """What one detector returns for one text."""

    occurrences: tuple[Occurrence, ...] = ()
    responses: tuple[ResponsesBlock, ...] = ()
    openapi: str | None = None
    """The ``openapi:`` / ``swagger:`` version when the document is an API description."""
    namespaces: Mapping[str, str] = field(default_factory=dict)
    """Python: local name -> library (``{"HTTPStatus": "http.HTTPStatus", "st": "starlette.status"}``)."""
    notes: tuple[str, ...] = ()
    """What was skipped or recovered from, for the log (never shown as diagnostics)."""
    tree: Any = None
    """The parse tree to reuse for an incremental re-parse (tree-sitter), if any."""
    source: bytes | None = None
    """The UTF-8 bytes ``tree`` was parsed from, when they are the analysed text's (the tree holds
    them anyway): a later reader of the tree need not encode 4 MB again."""
    skeleton: Any = None
    """What the detector read that the OpenAPI model would read again, for the model: in YAML where
    the lines of the mappings the pre-scan followed start (`detect.yaml_prune.Skeleton`), in JSON
    the responses objects a first walk read (`detect.json.JsonSkeleton`); None once the text may
    have changed, and emptied once the model is built."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Analysis:
    """The analysis of one version of one document; every feature reads this, nothing re-parses."""

    uri: str
    version: int | None
    language: str
    """``python``, ``yaml`` or ``json``."""
    detection: Detection

    @property
    def occurrences(self) -> tuple[Occurrence, ...]:
        return self.detection.occurrences

    @property
    def openapi(self) -> str | None:
        return self.detection.openapi

    def at(self, line: int, col: int) -> Occurrence | None:
        """The occurrence under a cursor, in O(log n)."""
        occurrences = self.detection.occurrences
        i = bisect.bisect_right(occurrences, (line, col), key=lambda o: (o.span.start_line, o.span.start_col))
        for occurrence in reversed(occurrences[max(0, i - 2) : i]):
            if occurrence.span.contains(line, col):
                return occurrence
        return None
