"""Status codes in YAML: OpenAPI/Swagger response keys, and status-naming values in other YAML.

The text is read as libyaml's event stream (through PyYAML's C parser when it is there): no YAML
object is ever built and aliases stay aliases, so a 4 MB spec is read in a fraction of a second and
an alias bomb costs nothing. The walk over the events (see `yaml_walk`) follows, in API
descriptions, the role of each mapping, so only the keys of an operation's ``responses`` become
occurrences. This module reads the text: which reading, and what to do on a syntax error.

Positions: libyaml's marks count lines and columns in code points, like Python strings, once the
text is made to agree with the LSP on what a line break is (see `_prepare`).

Speed: what costs is turning libyaml's events into Python objects, and most of a large API
description (schemas, examples, prose) cannot hold a response key. For API descriptions a line
scan first blanks those parts (see `yaml_prune`), which more than halves the time on a 4 MB spec;
the result is cross-checked and the full text is read whenever the two readings could differ.

A file being typed is usually broken somewhere. On a syntax error the offending line is blanked
(same length, so every other position stays put) and the text is read again, a bounded number of
times; what comes after the error is still found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import yaml

from http_status_ls.core.occurrences import Detection
from http_status_ls.detect.openapi import status_keys
from http_status_ls.detect.yaml_prune import UNREADABLE as _UNREADABLE
from http_status_ls.detect.yaml_prune import Pruned, prune
from http_status_ls.detect.yaml_reuse import BlankedValues
from http_status_ls.detect.yaml_walk import QUOTED_STYLES, Node, Walk

_Loader: type[yaml.CSafeLoader] | type[yaml.SafeLoader]
try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml: same events, slower
    _Loader = yaml.SafeLoader

MAX_RECOVERIES = 20
SINGLE_LINE_RECOVERIES = 2
"""After this many attempts that blank one line each, an error blanks the rest of its block (see
`_recover`): a broken line often turns the lines after it into errors one by one (a block scalar
read as plain text), and every attempt re-reads the whole text, seconds on a 4 MB spec."""


_OPENAPI_ROOT = re.compile(r"""^["']?(?:openapi|swagger)["']?[ \t]*:""", re.MULTILINE)
_OPENAPI_VERSION = re.compile(r"""^["']?(?:openapi|swagger)["']?[ \t]*:[ \t]*["']?(\d[^"'\s#:,\]}]*)""", re.MULTILINE)


def detect_yaml(text: str, *, extra_keys: Iterable[str] = ()) -> Detection:
    """Find the status codes in one YAML text (all documents of a stream)."""
    bom = 1 if text.startswith("\ufeff") else 0
    source = text[bom:]
    readable = _prepare(source)
    keys = status_keys(tuple(extra_keys))
    notes: list[str] = []
    if readable is not source:
        notes.append("yaml: replaced characters libyaml cannot read with spaces")
    walk = _read_pruned(source, bom, keys, readable, notes)
    if walk is None:
        walk = _read(source, bom, keys, readable, notes)
    if walk.openapi is None and walk.recovered and (marker := _OPENAPI_VERSION.search(readable)):
        # An API description so broken that its version line was lost on the way: its examples
        # must not be read as plain YAML, and its structure cannot be trusted.
        notes.append("yaml: the API description's version line could not be read; nothing reported")
        return Detection(openapi=marker.group(1), notes=tuple(notes))
    occurrences = sorted(walk.occurrences, key=lambda o: (o.span.start_line, o.span.start_col))
    # What lets the next version be kept when an edit stays inside a blanked value (`yaml_reuse`).
    pruned = walk.pruned
    blanked = BlankedValues.of(pruned, walk.blocks) if pruned is not None and not walk.recovered else None
    return Detection(
        occurrences=tuple(occurrences),
        responses=tuple(walk.blocks),
        openapi=walk.openapi,
        notes=tuple(notes),
        tree=blanked,
    )


def _read(
    source: str,
    bom: int,
    keys: frozenset[str],
    readable: str,
    notes: list[str],
    pruned: Pruned | None = None,
    blanked: set[int] | None = None,
) -> Walk:
    """Read the text, recovering from syntax errors line by line (the lines blanked on the way are
    added to ``blanked``)."""
    blanked_any = False
    for attempt in range(MAX_RECOVERIES + 1):
        walk = Walk(source, bom, keys, pruned)
        walk.recovered = blanked_any
        try:
            walk.run(readable, _Loader)
            return walk
        except yaml.MarkedYAMLError as error:
            walk.recovered = True
            widen = attempt >= SINGLE_LINE_RECOVERIES
            recovered = _recover(readable, error, walk.last, widen) if attempt < MAX_RECOVERIES else None
            where = error.problem_mark
            position = f"{where.line + 1}:{where.column + 1}" if where is not None else "?"
            if recovered is None:
                notes.append(f"yaml: gave up at {position} ({error.problem}); kept what came before")
                walk.finish_document()
                return walk
            notes.append(f"yaml: recovered from an error at {position} ({error.problem})")
            readable, lines = recovered
            blanked_any = True
            if blanked is not None:
                blanked.update(lines)
        except Exception as error:  # noqa: BLE001 - a detector must never take the server down
            notes.append(f"yaml: stopped reading ({type(error).__name__}: {error}); kept what came before")
            walk.finish_document()
            return walk
    raise AssertionError("unreachable: the last attempt always returns")


def _read_pruned(source: str, bom: int, keys: frozenset[str], readable: str, notes: list[str]) -> Walk | None:
    """Read an API description with the values that cannot matter blanked out (see `yaml_prune`),
    or None when that does not apply or its reading is not trustworthy; the caller then reads it all."""
    if _OPENAPI_ROOT.search(readable) is None:
        return None
    own_notes: list[str] = []
    blanked: set[int] = set()
    walk = _read_pruned_once(source, bom, keys, readable, own_notes, blanked)
    if walk is None and blanked:
        # Recovery blanked lines that the line scan had followed as written (a key with a stray
        # bracket), so the two readings disagree. Scanning the text with those lines blanked lets
        # them agree, where the full reading would cost three times as much.
        walk = _read_pruned_once(source, bom, keys, _blank_lines(readable, blanked), own_notes, set())
        if walk is not None:
            walk.recovered = True
    if walk is not None:
        notes.extend(own_notes)
    return walk


def _read_pruned_once(
    source: str, bom: int, keys: frozenset[str], readable: str, notes: list[str], blanked: set[int]
) -> Walk | None:
    """One reading of ``readable`` pruned, or None when it is not trustworthy (the lines recovery
    blanked are added to ``blanked`` either way)."""
    try:
        pruned = prune(readable)
    except Exception:  # noqa: BLE001 - the fast path is optional
        return None
    if pruned is None:
        return None
    walk = _read(source, bom, keys, pruned.text, notes, pruned, blanked)
    if walk.openapi is None or walk.plain_documents:
        return None  # status values may sit in what was blanked
    # The line scan and libyaml must agree on where every responses object and key is.
    if walk.responses_lines != [n for n in pruned.responses_lines if n not in blanked]:
        return None
    if walk.response_key_lines != [n for n in pruned.response_key_lines if n not in blanked]:
        return None
    return walk


def _blank_lines(text: str, numbers: set[int]) -> str:
    """``text`` with the lines ``numbers`` blanked (same length)."""
    lines = text.splitlines(keepends=True)
    for number in numbers:
        if number < len(lines):
            _blank_line(lines, number)
    return "".join(lines)


def _prepare(source: str) -> str:
    """The text libyaml will read: unreadable characters become spaces (same length)."""
    if _UNREADABLE.search(source) is None:
        return source
    return _UNREADABLE.sub(" ", source)


# -- recovery: which line to blank after a syntax error --------------------------------------------


def _recover(
    text: str, error: yaml.MarkedYAMLError, last_event: Node | None = None, widen: bool = False
) -> tuple[str, list[int]] | None:
    """The text with the line that caused ``error`` made harmless, and the lines blanked; None
    when nothing is left to try. ``last_event`` is the last node read before the error. With
    ``widen``, an indented line takes with it the lines after it that are indented as deep (the
    rest of its block), so that a run of errors costs one more reading, not one per line. Lengths
    never change: a blanked line keeps its line break and becomes spaces."""
    lines = text.splitlines(keepends=True)
    for number in _suspects(lines, error, last_event):
        if number >= len(lines):
            continue
        body = lines[number].rstrip("\r\n")
        if not body.strip():
            continue
        _blank_line(lines, number)
        indent = len(body) - len(body.lstrip(" "))
        following = number + 1
        if widen and indent > 0:
            while following < len(lines) and _indent_or_blank(lines[following]) >= indent:
                _blank_line(lines, following)
                following += 1
        return "".join(lines), list(range(number, following))
    return None


def _blank_line(lines: list[str], number: int) -> None:
    line = lines[number]
    body = line.rstrip("\r\n")
    lines[number] = " " * len(body) + line[len(body) :]


def _indent_or_blank(line: str) -> float:
    """The indent of ``line``, infinite for a blank line (it belongs to whatever block it is in)."""
    body = line.rstrip("\r\n")
    content = body.lstrip(" ")
    return float("inf") if not content else len(body) - len(content)


def _suspects(lines: list[str], error: yaml.MarkedYAMLError, last_event: Node | None) -> list[int]:
    """The lines that may have caused ``error``, the likeliest first."""
    problem, context = error.problem_mark, error.context_mark
    candidates: list[int] = []
    # A quote left open swallows the lines up to the next quote and the error surfaces there; the
    # quoted scalar that spans lines right before the error is the tell.
    style: str | None = getattr(last_event, "style", None)  # only scalars have a style
    if last_event is not None and style in QUOTED_STYLES and last_event.start_mark.line < last_event.end_mark.line:
        candidates.append(last_event.start_mark.line)
    # A word typed without its colon runs on into the next line as one plain scalar, and the next
    # line's colon is reported; the word's line is the culprit.
    if problem is not None and "mapping values are not allowed" in (error.problem or ""):
        colonless = _line_without_colon(lines, problem.line - 1)
        if colonless is not None:
            candidates.append(colonless)
    # When the error is about something left open (a flow collection, a quoted scalar, a key
    # without its colon), it is reported where reading ran aground, often lines later; the line
    # that opened it is the one being typed. Other errors are on the line they are reported at.
    opened = any(word in (error.context or "") for word in ("flow", "quoted", "simple key"))
    if context is not None and opened:
        candidates.append(context.line)
    if problem is not None:
        candidates.append(problem.line)
    if context is not None and not opened:
        candidates.append(context.line)
    return candidates


def _line_without_colon(lines: list[str], previous: int) -> int | None:
    """The last line with content at or before ``previous``, when it has no colon and is not a
    comment: a word typed without its colon."""
    while 0 <= previous < len(lines) and lines[previous].strip() == "":
        previous -= 1
    if previous >= 0 and ":" not in lines[previous] and not lines[previous].lstrip().startswith("#"):
        return previous
    return None
