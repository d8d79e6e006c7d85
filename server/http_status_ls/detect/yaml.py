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
libyaml is given the blanked text without the spaces of its blanked lines (see `yaml_collapse`).

A file being typed is usually broken somewhere. On a syntax error the offending line is blanked
(same length, so every other position stays put) and the text is read again, a bounded number of
times; what comes after the error is still found. An API description that splits into sections
(each top-level key, each path item: see `yaml_sections`) is read section by section when it has an
error, so that recovery stays inside the section that has it and the next keystroke re-reads only
that section (`yaml_splice`); read whole, which is faster, it gives the same result when it has none.
A region nested deeper than libyaml reads is skipped (`yaml_depth`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import partial

import yaml

from http_status_ls.core.occurrences import Detection, Occurrence, ResponsesBlock
from http_status_ls.core.text_scan import split_lines
from http_status_ls.detect.openapi import status_keys
from http_status_ls.detect.yaml_collapse import collapse
from http_status_ls.detect.yaml_depth import is_too_deep, skip_too_deep
from http_status_ls.detect.yaml_prune import UNREADABLE as _UNREADABLE
from http_status_ls.detect.yaml_prune import Pruned, Skeleton, prune
from http_status_ls.detect.yaml_reuse import BlankedValues
from http_status_ls.detect.yaml_sections import (
    NOTHING_BLANKED,
    Blanked,
    Outline,
    Section,
    Sectioned,
    SectionReading,
    shifted,
    split,
)
from http_status_ls.detect.yaml_walk import QUOTED_STYLES, Node, Walk

_Loader: type[yaml.CSafeLoader] | type[yaml.SafeLoader]
try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml: same events, slower
    _Loader = yaml.SafeLoader
_COLLAPSIBLE = _Loader is getattr(yaml, "CSafeLoader", None)
"""Whether the loader reads UTF-8 bytes as libyaml does (the pure-Python one counts differently)."""

MAX_RECOVERIES = 20
MAX_DEEP_SKIPS = 100
"""Regions nested deeper than libyaml reads that are skipped, each costing a reading (see `yaml_depth`)."""
SINGLE_LINE_RECOVERIES = 2
"""After this many attempts that blank one line each, an error blanks the rest of its block (see
`_recover`): a broken line often turns the lines after it into errors one by one (a block scalar
read as plain text), and every attempt re-reads the whole text, seconds on a 4 MB spec."""


@dataclass(frozen=True, slots=True)
class _Place:
    """Where a text being read sits in the text the user sees: ``offset`` lines further down, after
    a ``header`` of that many lines made up to give it its place (never blanked by recovery)."""

    offset: int = 0
    header: int = 0
    most: int | None = None
    """How many recoveries to try: `MAX_RECOVERIES` when None."""

    @property
    def recoveries(self) -> int:
        return MAX_RECOVERIES if self.most is None else self.most


_WHOLE = _Place()
_NO_RECOVERY = _Place(most=0)

# How the notes of a reading that met a syntax error (or worse) start.
_SKIPPED = "yaml: skipped a region"
_GAVE_UP = "yaml: gave up"
_RECOVERED = "yaml: recovered from an error"
_STOPPED = "yaml: stopped reading"
_ERROR_NOTES = (_SKIPPED, _GAVE_UP, _RECOVERED, _STOPPED)


def read_with_errors(detection: Detection) -> bool:
    """Whether reading the text met a syntax error, as the detection's notes tell."""
    return any(note.startswith(_ERROR_NOTES) for note in detection.notes)


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
    outline = split(readable) if not bom and _is_api_description(readable) else None
    if outline is not None:
        by_section = _read_outlined(source, keys, readable, outline, notes)
        if by_section is not None:
            return by_section
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
        skeleton=_skeleton(walk, readable is source and not bom),
    )


def _skeleton(walk: Walk, as_written: bool) -> Skeleton | None:
    """The pre-scan's skeleton, when the reading it came from is of the text as written: no
    character replaced (``as_written``), no line blanked to recover from an error."""
    return walk.pruned.skeleton if as_written and walk.pruned is not None and not walk.recovered else None


def _read(
    source: str,
    bom: int,
    keys: frozenset[str],
    readable: str,
    notes: list[str],
    pruned: Pruned | None = None,
    blanked: set[int] | None = None,
    place: _Place | None = None,
) -> Walk:
    """Read the text, recovering from syntax errors line by line (the lines blanked on the way are
    added to ``blanked``). ``place`` says where the text is in a larger one (see `_Place`)."""
    place = place or _WHOLE
    blanked_any = False
    attempt = skipped = 0
    # The first reading of a pre-scanned text reads it collapsed, which is faster (`yaml_collapse`);
    # a text that recovery changed since is read as it is.
    pruned_text = pruned.text if pruned is not None else None
    collapsed = collapse(pruned) if pruned is not None and readable is pruned_text and _COLLAPSIBLE else None
    while True:
        walk = Walk(source, bom, keys, pruned)
        walk.recovered = blanked_any
        try:
            walk.run(readable, _Loader, collapsed if readable is pruned_text else None)
            return walk
        except yaml.MarkedYAMLError as error:
            walk.recovered = True
            where = error.problem_mark
            position = f"{where.line + 1 + place.offset}:{where.column + 1}" if where is not None else "?"
            deep = None
            if place.recoveries and skipped < MAX_DEEP_SKIPS and is_too_deep(error):
                deep = skip_too_deep(readable, error, place.header)
            if deep is not None:
                # Not counted as a recovery: what follows the deep region is read as usual.
                skipped += 1
                notes.append(f"{_SKIPPED} nested too deep at {position} ({error.problem})")
                readable, lines = deep
                blanked_any = True
                if blanked is not None:
                    blanked.update(lines)
                continue
            widen = attempt >= SINGLE_LINE_RECOVERIES
            recovered = _recover(readable, error, walk.last, widen, place.header) if attempt < place.recoveries else None
            attempt += 1
            if recovered is None:
                notes.append(f"{_GAVE_UP} at {position} ({error.problem}); kept what came before")
                walk.finish_document()
                return walk
            notes.append(f"{_RECOVERED} at {position} ({error.problem})")
            readable, lines = recovered
            blanked_any = True
            if blanked is not None:
                blanked.update(lines)
        except Exception as error:  # noqa: BLE001 - a detector must never take the server down
            notes.append(f"{_STOPPED} ({type(error).__name__}: {error}); kept what came before")
            walk.finish_document()
            return walk


def _read_pruned(
    source: str, bom: int, keys: frozenset[str], readable: str, notes: list[str], place: _Place | None = None
) -> Walk | None:
    """Read an API description with the values that cannot matter blanked out (see `yaml_prune`),
    or None when that does not apply or its reading is not trustworthy; the caller then reads it all."""
    if not _is_api_description(readable):
        return None
    own_notes: list[str] = []
    blanked: set[int] = set()
    walk = _read_pruned_once(source, bom, keys, readable, own_notes, blanked, place)
    if walk is None and blanked:
        # Recovery blanked lines that the line scan had followed as written (a key with a stray
        # bracket), so the two readings disagree. Scanning the text with those lines blanked lets
        # them agree, where the full reading would cost three times as much.
        walk = _read_pruned_once(source, bom, keys, _blank_lines(readable, blanked), own_notes, set(), place)
        if walk is not None:
            walk.recovered = True
    if walk is not None:
        notes.extend(own_notes)
    return walk


def _read_pruned_once(
    source: str,
    bom: int,
    keys: frozenset[str],
    readable: str,
    notes: list[str],
    blanked: set[int],
    place: _Place | None = None,
) -> Walk | None:
    """One reading of ``readable`` pruned, or None when it is not trustworthy (the lines recovery
    blanked are added to ``blanked`` either way)."""
    try:
        pruned = prune(readable)
    except Exception:  # noqa: BLE001 - the fast path is optional
        return None
    if pruned is None:
        return None
    walk = _read(source, bom, keys, pruned.text, notes, pruned, blanked, place)
    if walk.openapi is None or walk.plain_documents:
        return None  # status values may sit in what was blanked
    # The line scan and libyaml must agree on where every responses object and key is.
    if walk.responses_lines != [n for n in pruned.responses_lines if n not in blanked]:
        return None
    if walk.response_key_lines != [n for n in pruned.response_key_lines if n not in blanked]:
        return None
    return walk


# -- reading by section (see `yaml_sections`) ------------------------------------------------------


def _read_outlined(source: str, keys: frozenset[str], readable: str, outline: Outline, notes: list[str]) -> Detection | None:
    """An API description that splits into sections: read whole when that reading has no syntax
    error and meets the sections' keys where the split put them (it then equals the sections read
    one by one), else section by section, each recovering from its own errors only. None when the
    version cannot be read on its own."""
    lead = tuple(notes)
    whole_notes: list[str] = []
    walk = _read_pruned(source, 0, keys, readable, whole_notes, _NO_RECOVERY)
    if walk is None:
        walk = _read(source, 0, keys, readable, whole_notes, place=_NO_RECOVERY)
    version = _version(outline.version_text, keys)
    if version is None:
        return None
    read = partial(_read_section, version=version, keys=keys)
    if not walk.recovered and walk.openapi == version and not walk.plain_documents and outline.matches(walk.outline):
        occurrences = tuple(sorted(walk.occurrences, key=lambda o: (o.span.start_line, o.span.start_col)))
        whole = BlankedValues.of(walk.pruned, walk.blocks) if walk.pruned is not None else None
        sectioned = Sectioned(outline, ((),) * len(outline.sections), _per_section(whole, outline), lead, read)
        return _detection(occurrences, tuple(walk.blocks), version, sectioned, _skeleton(walk, readable is source))
    readings = _read_by_section(split_lines(source), outline, version, keys)
    sectioned = Sectioned(outline, tuple(r.notes for r in readings), tuple(r.blanked for r in readings), lead, read)
    occurrences = tuple(o for r in readings for o in r.occurrences)
    return _detection(occurrences, tuple(b for r in readings for b in r.blocks), version, sectioned)


_NOTHING_READ = SectionReading((), (), (), NOTHING_BLANKED)


def _detection(
    occurrences: tuple[Occurrence, ...],
    blocks: tuple[ResponsesBlock, ...],
    version: str,
    sectioned: Sectioned,
    skeleton: Skeleton | None = None,
) -> Detection:
    tree = BlankedValues.of_sections(sectioned)
    notes = sectioned.all_notes()
    return Detection(occurrences=occurrences, responses=blocks, openapi=version, notes=notes, tree=tree, skeleton=skeleton)


def _version(text: str, keys: frozenset[str]) -> str | None:
    """The version, read from its own section (which is never read with the others)."""
    walk = _read(text, 0, keys, _prepare(text), [], place=_NO_RECOVERY)
    return None if walk.recovered else walk.openapi


def _read_section(section: Section, text: str, *, version: str, keys: frozenset[str]) -> SectionReading:
    """Read the text of one section behind a header that gives it its place: the version, then its
    parent's key line. Errors are recovered from inside the section; positions are the whole text's."""
    header = f"openapi: {json.dumps(version)}\n{section.head}"
    header_lines = 2 if section.head else 1
    # Notes count the section's first line as line 1 (see `yaml_sections.placed_notes`).
    place = _Place(offset=-header_lines, header=header_lines)
    mini = header + text
    readable = _prepare(mini)
    notes: list[str] = []
    walk = _read_pruned(mini, 0, keys, readable, notes, place)
    if walk is not None and walk.recovered:
        # Blanking can make an error of a line libyaml reads as the end of a value (a quoted scalar
        # continued on a shallower line): the whole text is read unblanked before being recovered,
        # and a section must be too, or re-reading it after an edit would disagree with a fresh read.
        whole = _read(mini, 0, keys, readable, [], place=replace(place, most=0))
        if not whole.recovered:
            walk, notes = whole, []
    if walk is None:
        walk = _read(mini, 0, keys, readable, notes, place=place)
    ordered = sorted(walk.occurrences, key=lambda o: (o.span.start_line, o.span.start_col))
    occurrences, blocks = shifted(ordered, walk.blocks, section.start - header_lines)
    blanked = NOTHING_BLANKED
    if walk.pruned is not None and not walk.recovered:
        values = BlankedValues.of(walk.pruned, walk.blocks)
        blanked = values.relative(header_lines, header_lines, header_lines + len(text))
    return SectionReading(occurrences, blocks, tuple(notes), blanked)


def _read_by_section(lines: list[str], outline: Outline, version: str, keys: frozenset[str]) -> list[SectionReading]:
    """Each section read on its own (which costs about as much as one reading of the whole text)."""
    return [
        _NOTHING_READ
        if section.version
        else _read_section(section, "".join(lines[section.start : section.end]), version=version, keys=keys)
        for section in outline.sections
    ]


def _per_section(values: BlankedValues | None, outline: Outline) -> tuple[Blanked, ...]:
    if values is None:
        return (NOTHING_BLANKED,) * len(outline.sections)
    return tuple(values.per_range([(s.start, s.end) for s in outline.sections]))


def _blank_lines(text: str, numbers: set[int]) -> str:
    """``text`` with the lines ``numbers`` blanked (same length)."""
    lines = text.splitlines(keepends=True)
    for number in numbers:
        if number < len(lines):
            _blank_line(lines, number)
    return "".join(lines)


def _prepare(source: str) -> str:
    """The text libyaml will read: unreadable characters become spaces (same length)."""
    if not _may_be_unreadable(source):
        return source
    return _UNREADABLE.sub(" ", source)


# Every ASCII character libyaml reads as written: tab, line feed, carriage return, the printable ones.
_READABLE_ASCII = bytes([0x09, 0x0A, 0x0D, *range(0x20, 0x7F)])


def _may_be_unreadable(text: str) -> bool:
    """Whether `UNREADABLE` finds something in ``text``. The regex steps through every character
    (35 to 60 ms on a 4 MB spec); dropping the readable ASCII bytes from the UTF-8 text
    leaves the UTF-8 of every other character (a multi-byte sequence has no ASCII byte in it), a
    few hundred characters for the regex to look at."""
    rest = text.encode("utf-8", "surrogatepass").translate(None, _READABLE_ASCII)
    return bool(rest) and _UNREADABLE.search(rest.decode("utf-8", "surrogatepass")) is not None


def _is_api_description(text: str) -> bool:
    """Whether a line of ``text`` starts with the ``openapi`` or ``swagger`` key (`_OPENAPI_ROOT`).
    The regex tries every position of the text; only the places of the two words can start a
    match, so the regex is tried at their line starts only."""
    for word in ("openapi", "swagger"):
        found = text.find(word)
        while found >= 0:
            line_start = found - 1 if found and text[found - 1] in "\"'" else found
            if (line_start == 0 or text[line_start - 1] == "\n") and _OPENAPI_ROOT.match(text, line_start):
                return True
            found = text.find(word, found + 1)
    return False


# -- recovery: which line to blank after a syntax error --------------------------------------------


def _recover(
    text: str, error: yaml.MarkedYAMLError, last_event: Node | None = None, widen: bool = False, keep: int = 0
) -> tuple[str, list[int]] | None:
    """The text with the line that caused ``error`` made harmless, and the lines blanked; None
    when nothing is left to try. ``last_event`` is the last node read before the error. With
    ``widen``, an indented line takes with it the lines after it that are indented as deep (the
    rest of its block), so that a run of errors costs one more reading, not one per line. Lengths
    never change: a blanked line keeps its line break and becomes spaces. The first ``keep`` lines
    are never blanked."""
    lines = text.splitlines(keepends=True)
    for number in _suspects(lines, error, last_event):
        if number >= len(lines) or number < keep:
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
