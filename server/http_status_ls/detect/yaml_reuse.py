"""Keeping a YAML API description's analysis across edits inside the values the pre-scan blanks.

The pre-scan (see `yaml_prune`) blanks the values of keys that lead nowhere: schemas, examples,
descriptions, parameters, most of a large API description (93 % of Stripe's lines, 79 % of
GitHub's). libyaml never sees those lines, so an edit that stays inside one of them, and leaves every
line it writes still part of that value by the scan's own rule, cannot change what the detector
finds, even when what is typed is a stray quote or bracket: the occurrences after it only move by
the number of lines added or removed. Deciding that costs a look at the edited lines; reading the
text again would cost 0.2 s on a 4 MB spec, and seconds when the edit breaks it.

What is kept, and when (each condition is one a fresh read depends on):

- the previous analysis came from the pre-scanned reading with no syntax error recovered;
- the edit's lines lie inside one blanked value, so the key line above it and the line that ends it
  are untouched, and every new line would be blanked with it (deeper than the key, blank, a comment,
  or a ``- `` item at the key's indent);
- no responses object ends at or inside that value, since its extent is measured to the value's last
  character (`yaml_prune.Pruned.content_end`);
- neither the old nor the new lines hold a character the detector replaces (that adds a note) or a
  lone carriage return (which turns the pre-scan off).

The same holds for an edit inside a value written on its key's line, when that key leads nowhere
(``description: Not found.`` in a response): libyaml reads one plain scalar before and after, and
only its end moves, which a responses object ending with it follows. Such an edit is kept when it
stays on the line, leaves the key and the colon alone, and both the old and the new value are plain
scalars no parser could read otherwise (no quote, bracket, ``: ``, `` #`` or leading indicator).

Anything else is read again in full.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from http_status_ls.core.occurrences import Analysis, Detection, Occurrence, ResponsesBlock, Span
from http_status_ls.detect.yaml_prune import UNREADABLE, Pruned, continues_region
from http_status_ls.detect.yaml_sections import NOTHING_BLANKED, Blanked, Sectioned
from http_status_ls.detect.yaml_splice import SectionEdits

# A value that is one plain scalar whatever surrounds it: no indicator first, no `: ` or ` #` inside,
# no flow indicators or quotes at all, not ending with a colon.
_SIMPLE_VALUE = re.compile(r"""[^\s\-?:,\[\]{}#&*!|>'"%@`](?:[^:#,\[\]{}'"\t\r\n]|:(?=[^\s:])|(?<=\S)#)*(?<![\s:])""")
_LINE_END = re.compile(r"\r?\n?\Z")
_SPACES = re.compile(rb" *")


@dataclass(frozen=True, slots=True)
class BlankedValues:
    """The values blanked in the reading an analysis came from, in line numbers, sorted: the key line
    of each, the last line of its value, and the key's indent."""

    key_lines: tuple[int, ...]
    last_lines: tuple[int, ...]
    indents: tuple[int, ...]
    value_lines: Mapping[int, int]
    """Line -> byte offset of its value, for the values on key lines that lead nowhere."""
    sections: Sectioned | None = None
    """For a text read by sections (see `yaml_sections`): what lets an edit re-read one of them."""

    def relative(self, base: int, first: int, end: int) -> Blanked:
        """The values whose key is on lines ``first`` to ``end`` (excluded), counted from ``base``."""
        return self.per_range([(first, end)], base)[0]

    def per_range(self, ranges: Sequence[tuple[int, int]], base: int | None = None) -> list[Blanked]:
        """The values whose key is in each of the ``ranges`` of lines (sorted, not overlapping),
        counted from ``base``, or from the range's first line when ``base`` is None."""
        values = sorted(self.value_lines.items())
        value_keys = [line for line, _ in values]
        pieces: list[Blanked] = []
        for first, end in ranges:
            origin = first if base is None else base
            low, high = bisect.bisect_left(self.key_lines, first), bisect.bisect_left(self.key_lines, end)
            value_low, value_high = bisect.bisect_left(value_keys, first), bisect.bisect_left(value_keys, end)
            pieces.append(
                Blanked(
                    tuple(line - origin for line in self.key_lines[low:high]),
                    tuple(line - origin for line in self.last_lines[low:high]),
                    self.indents[low:high],
                    {line - origin: offset for line, offset in values[value_low:value_high]} or None,
                )
            )
        return pieces

    @classmethod
    def of_sections(cls, sectioned: Sectioned) -> BlankedValues:
        """The blanked values of every section, in the lines of the whole text."""
        key_lines: list[int] = []
        last_lines: list[int] = []
        indents: list[int] = []
        value_lines: dict[int, int] = {}
        for section, blanked in zip(sectioned.outline.sections, sectioned.blanked, strict=True):
            if blanked is NOTHING_BLANKED:
                continue
            down = section.start.__add__  # `map` with it is several times faster than a generator, per keystroke
            key_lines.extend(map(down, blanked.key_lines))
            last_lines.extend(map(down, blanked.last_lines))
            indents.extend(blanked.indents)
            if blanked.value_lines:
                value_lines.update(zip(map(down, blanked.value_lines.keys()), blanked.value_lines.values()))
        return cls(tuple(key_lines), tuple(last_lines), tuple(indents), value_lines, sectioned)

    @classmethod
    def of(cls, pruned: Pruned, blocks: Sequence[ResponsesBlock]) -> BlankedValues:
        """The blanked values of ``pruned`` that an edit may touch without a fresh read: all but
        those a block-style responses object of ``blocks`` ends at or in."""
        source = pruned.source
        ends = sorted(block.span.end_line for block in blocks if not block.flow)
        key_lines: list[int] = []
        last_lines: list[int] = []
        indents: list[int] = []
        count, rfind = source.count, source.rfind
        # The regions come in the order of their key lines, so the first block end at or after the
        # key line only moves forward (thousands of regions in a large spec).
        at, end_count = 0, len(ends)
        for key_line, region in pruned.regions.items():
            start, end = region.start, region.end
            last_line = region.first_line + count(b"\n", start, end) - (1 if source[end - 1] == 0x0A else 0)
            while at < end_count and ends[at] < key_line:
                at += 1
            if at < end_count and ends[at] <= last_line:
                continue
            key_lines.append(key_line)
            last_lines.append(last_line)
            indents.append(_indent(source, rfind(b"\n", 0, start - 1) + 1))
        return cls(tuple(key_lines), tuple(last_lines), tuple(indents), pruned.value_lines)


def _indent(source: bytes, line_start: int) -> int:
    spaces = _SPACES.match(source, line_start)
    assert spaces is not None  # ` *` matches anywhere
    return spaces.end() - line_start


class YamlEdits:
    """The edits made since an analysis, as long as every one stays inside a blanked value; then the
    analysis is carried over them by :meth:`carry`."""

    __slots__ = ("_key_lines", "_last_lines", "_indents", "_value_lines", "_all_shifts", "_moves", "valid", "_sections")

    def __init__(self, values: BlankedValues) -> None:
        self._sections = None if values.sections is None else SectionEdits(values.sections)
        """For a text read by sections: the sections the edits touched, to re-read only those when
        an edit does not stay inside a blanked value (see `yaml_splice`)."""
        self._key_lines = list(values.key_lines)
        self._last_lines = list(values.last_lines)
        self._indents = values.indents
        self._value_lines = values.value_lines
        self._all_shifts: list[tuple[int, int]] = []
        """(last line replaced, lines added) of each edit since the reading, to find value lines."""
        self._moves: list[tuple[int, int, int]] = []
        """What moved since the last :meth:`carry`, in order: (line, column, columns added) for an
        edit inside a value, (last line replaced, -1, lines added) for one that added lines."""
        self.valid = True

    def note(self, first: int, last: int, old_lines: Sequence[str], new_lines: Sequence[str]) -> None:
        """Lines ``first`` to ``last`` (``old_lines``) are being replaced by ``new_lines``."""
        if self._sections is not None:
            if any(UNREADABLE.search(line) is not None for line in (*old_lines, *new_lines)):
                self._sections.valid = False  # the note about such characters is the whole text's
            else:
                self._sections.note(first, last, len(new_lines) - (last - first + 1))
        if not self.valid:
            return
        try:
            self._note(first, last, old_lines, new_lines)
        except Exception:  # noqa: BLE001 - a doubt is a fresh read, never a failed edit
            self.valid = False

    def _note(self, first: int, last: int, old_lines: Sequence[str], new_lines: Sequence[str]) -> None:
        if first == last and len(new_lines) == 1 and len(old_lines) == 1 and self._value_edit(first, old_lines[0], new_lines[0]):
            return
        index = bisect.bisect_right(self._key_lines, first) - 1
        if (
            index < 0
            or not (self._key_lines[index] < first and last <= self._last_lines[index])
            or not _harmless(old_lines, new_lines, self._indents[index])
        ):
            self.valid = False
            return
        delta = len(new_lines) - (last - first + 1)
        if delta:
            self._last_lines[index] += delta
            for later in range(index + 1, len(self._key_lines)):
                self._key_lines[later] += delta
                self._last_lines[later] += delta
            self._moves.append((last, -1, delta))
            self._all_shifts.append((last, delta))

    def _value_edit(self, line: int, old: str, new: str) -> bool:
        """Notes an edit of ``line`` (``old`` becoming ``new``) when it only retypes a value that
        leads nowhere; False when it is not one."""
        original = self._original_line(line)
        offset = None if original is None else self._value_lines.get(original)
        if offset is None:
            return False
        # The offset counts bytes of the text libyaml read, where each unreadable character was one space.
        readable = UNREADABLE.sub(" ", old).encode("utf-8", "surrogatepass")
        column = len(readable[:offset].decode("utf-8", "replace"))
        old_end, new_end = _LINE_END.search(old, column), _LINE_END.search(new, column)
        if old_end is None or new_end is None or old_end.group() != new_end.group() or old[:column] != new[:column]:
            return False
        old_value, new_value = old[column : old_end.start()], new[column : new_end.start()]
        if _SIMPLE_VALUE.fullmatch(old_value) is None or _SIMPLE_VALUE.fullmatch(new_value) is None:
            return False
        if UNREADABLE.search(old_value) is not None or UNREADABLE.search(new_value) is not None:
            return False
        self._moves.append((line, column, len(new_value) - len(old_value)))
        return True

    def _original_line(self, line: int) -> int | None:
        """The line number that ``line`` had in the reading, None for a line added since."""
        for last, delta in reversed(self._all_shifts):
            if line > last + delta:
                line -= delta
            elif line > last:
                return None
        return line

    def carry(self, previous: Analysis, version: int | None, lines: Sequence[str] | None = None) -> Analysis | None:
        """``previous`` carried over the edits noted since it was made, or None when one of them may
        have changed it; afterwards the edits are forgotten (the result is the new base). With the
        current ``lines``, a text read by sections has the sections the edits touched read again
        when the edits did not all stay inside blanked values."""
        if not self.valid:
            return self._splice(previous, version, lines)
        notes = None
        if self._sections is not None:
            notes = self._sections.notes()  # a section's syntax errors move with it
            self._sections.commit()
        moves, self._moves = self._moves, []
        # The text changed: where its lines start is no longer the skeleton's to say.
        if not moves:
            return replace(previous, version=version, detection=replace(previous.detection, skeleton=None))
        detection = replace(_moved(previous, moves), skeleton=None)
        return replace(previous, version=version, detection=detection if notes is None else replace(detection, notes=notes))

    def _splice(self, previous: Analysis, version: int | None, lines: Sequence[str] | None) -> Analysis | None:
        sections = self._sections
        if sections is None or lines is None:
            return None
        spliced = sections.splice(previous.detection, lines)
        if spliced is None:
            return None
        detection, sectioned = spliced
        values = BlankedValues.of_sections(sectioned)
        self.__init__(values)  # type: ignore[misc] # the new base: edits are noted against it from now on
        return replace(previous, version=version, detection=replace(detection, tree=values, skeleton=None))


def _harmless(old_lines: Sequence[str], new_lines: Sequence[str], key_indent: int) -> bool:
    for line in old_lines:
        if UNREADABLE.search(line) is not None or _lone_cr(line):
            return False
    for line in new_lines:
        if UNREADABLE.search(line) is not None or _lone_cr(line) or not continues_region(line, key_indent):
            return False
    return True


def _lone_cr(line: str) -> bool:
    return "\r" in line and (line.count("\r") > 1 or not line.endswith("\r\n"))


def _span_after(span: Span, moves: list[tuple[int, int, int]]) -> Span:
    start_line, start_col, end_line, end_col = span.start_line, span.start_col, span.end_line, span.end_col
    for line, column, delta in moves:
        if column < 0:
            start_line += delta if start_line > line else 0
            end_line += delta if end_line > line else 0
        else:
            start_col += delta if start_line == line and start_col >= column else 0
            end_col += delta if end_line == line and end_col >= column else 0
    if (start_line, start_col, end_line, end_col) == (span.start_line, span.start_col, span.end_line, span.end_col):
        return span
    return Span(start_line, start_col, end_line, end_col)


def _moved(previous: Analysis, moves: list[tuple[int, int, int]]) -> Detection:
    detection = previous.detection
    moved: dict[int, Occurrence] = {}

    def shifted(occurrence: Occurrence) -> Occurrence:
        result = moved.get(id(occurrence))
        if result is None:
            span = _span_after(occurrence.span, moves)
            body = None if occurrence.body_span is None else _span_after(occurrence.body_span, moves)
            unchanged = span is occurrence.span and body is occurrence.body_span
            result = occurrence if unchanged else replace(occurrence, span=span, body_span=body)
            moved[id(occurrence)] = result
        return result

    occurrences = tuple(shifted(o) for o in detection.occurrences)
    blocks = tuple(
        replace(block, span=_span_after(block.span, moves), keys=tuple(shifted(k) for k in block.keys))
        for block in detection.responses
    )
    return replace(detection, occurrences=occurrences, responses=blocks)
