"""The sections of a block-style YAML API description: each top-level key, and each child of a
top-level block mapping (a path item under ``paths``, a kind of component under ``components``).

An API description in block style is a mapping whose children never reach across one another: a
path item's lines are indented deeper than its key, and the next path item starts at its key's
indent. So each section can be read on its own, behind a two-line header that gives it its place
(the version, then its parent key), and what is found in it does not depend on the other sections.
That lets an edit re-read only the section that holds it (see `yaml_reuse`), and a syntax error be
confined to the section it is in (see `detect.yaml`).

The split is made on lines alone, and refused (None) for anything it cannot follow: several
documents, a top-level line that is not a key, a byte-order mark, lone carriage returns, more or
fewer than one version key. Whether libyaml reads the text the same way is checked by the caller
against the keys the reading met (`Outline.matches`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from http_status_ls.core.occurrences import Occurrence, ResponsesBlock, Span
from http_status_ls.detect.openapi import Role, child_role

# A block mapping key as the first thing on a line: a quoted scalar, or a plain one (which cannot
# start with an indicator, unless `-?:` followed by a non-space, and ends at the first `: `, `:` at
# the end of the line, or ` #`). Group 1 is the key, group 2 what follows the colon (None when
# nothing does).
_KEY = re.compile(
    r"""('(?:[^'\r\n]|'')*'|"(?:[^"\\\r\n]|\\.)*"|(?:[^\s'"#&*!|>%@`{}\[\],?:-]|[-?:](?=\S))(?:(?!\s\#)[^\r\n])*?)"""
    r"""[ \t]*:(?:[ \t]+([^\r\n]*)|)\r?\n?\Z"""
)
# What may follow a key's colon when its value starts on the next line: anchors, tags, a comment.
_NO_VALUE = re.compile(r"(?:[&!]\S*[ \t]*)*(?:#.*)?")
_VERSION_KEY = re.compile(r"""["']?(?:openapi|swagger)["']?[ \t]*:""")
_LONE_CR = re.compile("\r(?!\n)")
_ITEM = re.compile(r"-(?:[ \t]|\r?\n|\Z)")  # a block sequence's item


@dataclass(frozen=True, slots=True)
class Section:
    """Lines ``start`` to ``end`` (excluded) of the text, read on their own behind ``head``."""

    start: int
    end: int
    indent: int
    """The column of the section's key: 0 for a top-level key, else its parent's children's."""
    head: str
    """The parent's key line (with its line break), empty for a top-level section."""
    version: bool = False
    """Whether this is the top-level key that gives the version (it is never read on its own)."""
    head_line: int = -1
    """The line of the parent's key, -1 for a top-level section."""


@dataclass(frozen=True, slots=True)
class Outline:
    """How a text splits into sections; the lines between them (leading comments, the parents' key
    lines) hold nothing that can be found."""

    sections: tuple[Section, ...]
    version_text: str
    """The text of the section that gives the version."""

    def matches(self, keys: Iterable[tuple[int, int, int]]) -> bool:
        """Whether the keys a reading met (depth, line, column: depth 1 for the root's keys, 2 for
        their children's) are the ones this outline starts sections at (the children's only where
        their parent was split): then no value reaches across a section's first line."""
        expected: set[tuple[int, int]] = set()
        ranges: list[tuple[int, int]] = []
        for section in self.sections:
            expected.add((section.start, section.indent))
            if section.indent:
                expected.add((section.head_line, 0))
                if ranges and ranges[-1][0] == section.head_line:
                    ranges[-1] = (section.head_line, section.end)
                else:
                    ranges.append((section.head_line, section.end))
        seen: set[tuple[int, int]] = set()
        for depth, line, column in keys:
            if depth == 1 or any(first < line < last for first, last in ranges):
                seen.add((line, column))
        return seen == expected


def split(text: str) -> Outline | None:
    """The sections of ``text``, or None when it is not an API description this split can follow."""
    if text.startswith("\ufeff") or ("\r" in text and _LONE_CR.search(text) is not None):
        return None
    # One pass finds the top-level lines and the lines as shallow as the first indented one, which
    # in most texts are the children of every top-level key (one pass per key costs more).
    indented = _INDENTED.search(text)
    step = 0 if indented is None else len(indented.group(1))
    shallow, total = _shallow_lines(text, step)
    tops = _top_keys(text, shallow)
    if tops is None:
        return None
    if not tops or sum(1 for _, p in tops if _VERSION_KEY.match(text, p)) != 1:
        return None
    sections: list[Section] = []
    version_text = ""
    for number, (first, position) in enumerate(tops):
        last = tops[number + 1][0] if number + 1 < len(tops) else total
        next_position = tops[number + 1][1] if number + 1 < len(tops) else len(text)
        version = _VERSION_KEY.match(text, position) is not None
        if version:
            version_text = text[position:next_position]
        children = None if version else _children(text, first, position, next_position, (shallow, step))
        if children is None:
            sections.append(Section(first, last, 0, "", version))
        else:
            sections += _child_sections(text, first, position, last, children)
    return Outline(tuple(sections), version_text)


def _shallow_lines(text: str, step: int) -> tuple[list[tuple[int, int, int]], int]:
    """(line, offset, indent) of each line with content indented by at most ``step``, and the
    number of lines of ``text``."""
    shallow: list[tuple[int, int, int]] = []
    if text[:1] not in ("", " ", "\t", "\r", "\n", "#"):
        shallow.append((0, 0, 0))
    line, previous = 0, 0
    for match in _shallower(step + 1).finditer(text):
        position = match.start() + 1
        line += text.count("\n", previous, position)
        previous = position
        shallow.append((line, position, match.end() - 1 - position))
    total = line + text.count("\n", previous) if shallow else text.count("\n")
    if not text.endswith("\n") and text:
        total += 1
    return shallow, total


def _top_keys(text: str, shallow: list[tuple[int, int, int]]) -> list[tuple[int, int]] | None:
    """(line, offset) of each top-level line that is not a sequence item, from the ``shallow``
    lines; None when one is neither a key nor an item under a key."""
    tops: list[tuple[int, int]] = []
    for top_line, position, indent in shallow:
        if indent:
            continue
        end = text.find("\n", position)
        body = text[position : len(text) if end < 0 else end + 1]
        if _ITEM.match(body):
            if not tops:
                return None
            continue  # an item of the sequence under the key above
        if _KEY.match(body) is None:
            return None  # a document marker, a directive, a complex key, a scalar: not followed
        tops.append((top_line, position))
    return tops


def _child_sections(text: str, first: int, position: int, last: int, children: tuple[int, list[int]]) -> list[Section]:
    """A section per child of the top-level key at ``position`` (line ``first``), whose value
    ends before line ``last``."""
    head_end = text.find("\n", position) + 1
    head = text[position:head_end]
    indent, starts = children
    return [
        Section(start, starts[index + 1] if index + 1 < len(starts) else last, indent, head, head_line=first)
        for index, start in enumerate(starts)
    ]


def _children(
    text: str, first: int, start: int, stop: int, known: tuple[list[tuple[int, int, int]], int] | None = None
) -> tuple[int, list[int]] | None:
    """The indent and the lines of the children of the top-level key at offset ``start`` (on line
    ``first``) whose value ends at offset ``stop``; None when that value is not a block mapping whose
    keys each start a line at one indent. ``known`` may give the lines of the text indented by at
    most some indent (line, offset, indent), and that indent."""
    head_end = text.find("\n", start)
    if head_end < 0 or head_end + 1 >= stop:
        return None
    key = _KEY.match(text[start : head_end + 1])
    if key is None or (key.group(2) is not None and _NO_VALUE.fullmatch(key.group(2).rstrip("\r")) is None):
        return None
    if child_role(Role.ROOT, _unquoted(key.group(1))) is None:
        return None  # its value is blanked whole by the pre-scan: one section
    found = _CONTENT.search(text, head_end, stop)
    if found is None:
        return None
    indent = len(found.group(1))
    if indent == 0 or _ITEM.match(text, found.end(1)):
        return None
    if known is not None and known[1] == indent:
        return _known_children(text, known[0], indent, head_end, stop)
    if _shallower(indent).search(text, head_end, stop) is not None:
        return None
    starts: list[int] = []
    line, previous = first + 1, head_end + 1
    for child in _at_indent(indent).finditer(text, head_end, stop):
        position = child.start() + 1
        line += text.count("\n", previous, position)
        previous = position
        if _ITEM.match(text, position + indent):
            if not starts:
                return None
            continue  # a sequence under the key above, written at its indent
        end = text.find("\n", position, stop)
        if _KEY.match(text[position + indent : stop if end < 0 else end + 1]) is None:
            return None
        starts.append(line)
    return (indent, starts) if starts else None


def _known_children(
    text: str, shallow: list[tuple[int, int, int]], indent: int, head_end: int, stop: int
) -> tuple[int, list[int]] | None:
    """`_children` from the lines indented by at most ``indent``, found beforehand."""
    low = bisect.bisect_right(shallow, head_end, key=lambda entry: entry[1])
    starts: list[int] = []
    for line, position, column in shallow[low:]:
        if position >= stop:
            break
        if column != indent:
            return None
        if _ITEM.match(text, position + indent):
            if not starts:
                return None
            continue
        end = text.find("\n", position, stop)
        if _KEY.match(text[position + indent : stop if end < 0 else end + 1]) is None:
            return None
        starts.append(line)
    return (indent, starts) if starts else None


_INDENTED = re.compile(r"\n( +)[^ \r\n#]")
_CONTENT = re.compile(r"\n( *)[^ \r\n#]")
_shallower_patterns: dict[int, re.Pattern[str]] = {}
_at_indent_patterns: dict[int, re.Pattern[str]] = {}


def _shallower(indent: int) -> re.Pattern[str]:
    """Finds a line with content indented less than ``indent`` (a tab counts as content)."""
    pattern = _shallower_patterns.get(indent)
    if pattern is None:
        pattern = _shallower_patterns[indent] = re.compile(rf"\n {{0,{indent - 1}}}[^ \r\n#]")
    return pattern


def _at_indent(indent: int) -> re.Pattern[str]:
    """Finds a line with content indented by exactly ``indent``."""
    pattern = _at_indent_patterns.get(indent)
    if pattern is None:
        pattern = _at_indent_patterns[indent] = re.compile(rf"\n {{{indent}}}[^ \r\n#]")
    return pattern


def _unquoted(key: str) -> str:
    if key[:1] == "'":
        return key[1:-1].replace("''", "'")
    if key[:1] == '"':
        return key[1:-1] if "\\" not in key else key  # an escape: no role, so one section
    return key


def fits(text: str, section: Section) -> bool:
    """Whether ``text`` can still be the section ``section`` after an edit, so that the text splits
    as before: a key at the section's indent first, every other line deeper (or blank, a comment,
    or a ``- `` item at that indent); a top-level section must stay one section (not one split into
    children) and not become the version's."""
    first_end = (text.find("\n") + 1) or len(text)
    first = text[:first_end]
    indent = section.indent
    if len(first) - len(first.lstrip(" ")) != indent or _KEY.match(first, indent) is None:
        return False
    if "\r" in text and _LONE_CR.search(text) is not None:
        return False  # a lone carriage return ends a line for the editor, not for the split
    if indent == 0 and (_VERSION_KEY.match(first) is not None or _children(text, 0, 0, len(text)) is not None):
        return False
    for shallow in _shallower(indent + 1).finditer(text, first_end - 1):
        if len(shallow.group()) - 2 != indent or _ITEM.match(text, shallow.end() - 1) is None:
            return False
    return True


@dataclass(frozen=True, slots=True)
class Blanked:
    """The values the pre-scan blanked in one section that an edit may touch without a new read
    (see `yaml_reuse.BlankedValues`), in lines counted from the section's first line."""

    key_lines: tuple[int, ...] = ()
    last_lines: tuple[int, ...] = ()
    indents: tuple[int, ...] = ()
    value_lines: Mapping[int, int] | None = None


NOTHING_BLANKED = Blanked()


@dataclass(frozen=True, slots=True)
class SectionReading:
    """What the reading of one section found, in the lines of the whole text."""

    occurrences: tuple[Occurrence, ...]
    blocks: tuple[ResponsesBlock, ...]
    notes: tuple[str, ...]
    """Its notes, with lines counted from the section's first line (which is line 1)."""
    blanked: Blanked


SectionReader = Callable[[Section, str], SectionReading]
"""Reads the text of one section (its lines joined) as placed in the whole text."""


@dataclass(frozen=True, slots=True)
class Sectioned:
    """What an analysis keeps so that an edit can re-read one section: the outline, and what each
    section's reading gave that is not in the detection's occurrences and blocks."""

    outline: Outline
    notes: tuple[tuple[str, ...], ...]
    """Per section: the notes of its reading (syntax errors recovered from), with positions counted
    from the section's first line (see `placed_notes`)."""
    blanked: tuple[Blanked, ...]
    """Per section: its blanked values."""
    lead_notes: tuple[str, ...]
    """Notes about the whole text (characters libyaml cannot read), first in the detection's."""
    read: SectionReader

    def all_notes(self) -> tuple[str, ...]:
        """The notes of the whole text, in its positions."""
        placed = (placed_notes(notes, section.start) for notes, section in zip(self.notes, self.outline.sections, strict=True))
        return self.lead_notes + tuple(note for notes in placed for note in notes)


_NOTE_POSITION = re.compile(r" at (\d+)(?=:\d+ \()")


def placed_notes(notes: tuple[str, ...], start: int) -> tuple[str, ...]:
    """``notes`` of a section starting on line ``start``, their positions made the whole text's: a
    section's notes count its first line as line 1, so they stay true when the section moves."""
    if not notes:
        return notes
    return tuple(_NOTE_POSITION.sub(lambda m: f" at {int(m.group(1)) + start}", note, count=1) for note in notes)


def shifted(
    occurrences: Sequence[Occurrence], blocks: Sequence[ResponsesBlock], lines: int
) -> tuple[tuple[Occurrence, ...], tuple[ResponsesBlock, ...]]:
    """``occurrences`` and ``blocks`` moved down by ``lines`` (a response key is the same object in
    both, and stays so)."""
    if not lines:
        return tuple(occurrences), tuple(blocks)
    moved: dict[int, Occurrence] = {}

    def move(occurrence: Occurrence) -> Occurrence:
        result = moved.get(id(occurrence))
        if result is None:
            body = occurrence.body_span
            result = replace(
                occurrence,
                span=_down(occurrence.span, lines),
                body_span=None if body is None else _down(body, lines),
            )
            moved[id(occurrence)] = result
        return result

    new_occurrences = tuple(move(o) for o in occurrences)
    new_blocks = tuple(replace(b, span=_down(b.span, lines), keys=tuple(move(k) for k in b.keys)) for b in blocks)
    return new_occurrences, new_blocks


def _down(span: Span, lines: int) -> Span:
    return Span(span.start_line + lines, span.start_col, span.end_line + lines, span.end_col)
