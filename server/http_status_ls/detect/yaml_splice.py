"""Re-reading only the sections of a YAML API description that edits touched.

A text read by sections (see `yaml_sections`) keeps its outline with its analysis. The edits since
are noted here, each against the section that holds it; the next analysis re-reads those sections
alone (a path item costs about a millisecond where the whole 4 MB text costs a few hundred) and
splices what they hold into the previous analysis, moving what follows by the lines added or
removed. A syntax error in a re-read section is recovered from inside it, as a fresh analysis of the
text does (`detect.yaml` reads a broken text section by section), so the result is the same.

Anything that could change how the text splits gives up, and the text is read afresh: an edit across
two sections or on a line between them (a parent's key, a comment before the first section), on the
version's section, or that leaves a section not starting with its key or with a line as shallow as
its key (a new path item, a new top-level key).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import replace

from http_status_ls.core.occurrences import Detection, Occurrence, ResponsesBlock
from http_status_ls.detect.yaml_sections import Outline, Section, Sectioned, SectionReading, fits, placed_notes, shifted


class SectionEdits:
    """The sections touched by the edits since an analysis, and where every section is now."""

    __slots__ = ("_sectioned", "_starts", "_ends", "_base_starts", "_dirty", "valid")

    def __init__(self, sectioned: Sectioned) -> None:
        self._sectioned = sectioned
        sections = sectioned.outline.sections
        self._starts = [s.start for s in sections]
        self._ends = [s.end for s in sections]
        self._base_starts = list(self._starts)
        """Where each section started in the text the analysis was made of."""
        self._dirty: set[int] = set()
        self.valid = True

    @property
    def touched(self) -> bool:
        """Whether an edit was noted since the last splice or commit."""
        return bool(self._dirty)

    def note(self, first: int, last: int, added: int) -> None:
        """Lines ``first`` to ``last`` are being replaced by ``added`` more lines than they had."""
        if not self.valid:
            return
        starts, ends = self._starts, self._ends
        index = bisect.bisect_right(starts, first) - 1
        final = index == len(starts) - 1
        # An edit at the very end (the line after the last) belongs to the last section.
        if index < 0 or not (last < ends[index] or (final and last <= ends[index])):
            self.valid = False
            return
        if self._sectioned.outline.sections[index].version:
            self.valid = False
            return
        self._dirty.add(index)
        if added:
            ends[index] += added
            for later in range(index + 1, len(starts)):
                starts[later] += added
                ends[later] += added

    def notes(self) -> tuple[str, ...] | None:
        """The notes of the analysis with its sections where they are now, None when no section has
        notes (nothing to move)."""
        sectioned = self._sectioned
        if not any(sectioned.notes):
            return None
        placed = (placed_notes(n, start) for n, start in zip(sectioned.notes, self._starts, strict=True))
        return sectioned.lead_notes + tuple(note for notes in placed for note in notes)

    def commit(self) -> None:
        """The analysis was carried over the edits another way: where sections are now is the base."""
        self._base_starts = list(self._starts)
        self._dirty.clear()

    def splice(self, previous: Detection, lines: Sequence[str]) -> tuple[Detection, Sectioned] | None:
        """``previous`` with the touched sections read again from ``lines`` (the current text), and
        what the next edit will need; None when the text may no longer split the same way. The
        detection's ``tree`` is left for the caller to make from the sections."""
        if not self.valid:
            return None
        sectioned = self._sectioned
        old_sections = sectioned.outline.sections
        starts, ends, base = self._starts, self._ends, self._base_starts
        readings: dict[int, SectionReading] = {}
        sections: list[Section] = []
        parent_shift: dict[int, int] = {}
        for index, old in enumerate(old_sections):
            shift = starts[index] - base[index]
            head_line = old.head_line
            if old.indent:
                # The parent's key line is above its first child and moves with that child's start.
                head_line += parent_shift.setdefault(old.head_line, shift)
            section = old
            if shift or ends[index] != old.end or head_line != old.head_line:
                section = replace(old, start=starts[index], end=ends[index], head_line=head_line)
            if index in self._dirty:
                chunk = "".join(lines[section.start : section.end])
                if not fits(chunk, section):
                    return None
                readings[index] = sectioned.read(section, chunk)
            sections.append(section)
        occurrences, blocks = _spliced(previous, readings, starts, base)
        notes = tuple(readings[i].notes if i in readings else n for i, n in enumerate(sectioned.notes))
        blanked = tuple(readings[i].blanked if i in readings else b for i, b in enumerate(sectioned.blanked))
        outline = Outline(tuple(sections), sectioned.outline.version_text)
        new = Sectioned(outline, notes, blanked, sectioned.lead_notes, sectioned.read)
        detection = Detection(
            occurrences=tuple(occurrences),
            responses=tuple(blocks),
            openapi=previous.openapi,
            notes=new.all_notes(),
        )
        return detection, new


def _spliced(
    previous: Detection, readings: dict[int, SectionReading], starts: Sequence[int], base: Sequence[int]
) -> tuple[list[Occurrence], list[ResponsesBlock]]:
    """The previous occurrences and blocks with those of each re-read section replaced by what its
    reading found, and those after moved by the lines added before them. Between two re-read
    sections everything moves by the same number of lines."""
    occurrences, blocks = previous.occurrences, previous.responses
    occurrence_lines = [o.span.start_line for o in occurrences]
    block_lines = [b.span.start_line for b in blocks]
    new_occurrences: list[Occurrence] = []
    new_blocks: list[ResponsesBlock] = []
    occurrence_from = block_from = 0  # the first previous ones not placed yet

    def keep(occurrence_to: int, block_to: int, lines: int) -> None:
        moved = shifted(occurrences[occurrence_from:occurrence_to], blocks[block_from:block_to], lines)
        new_occurrences.extend(moved[0])
        new_blocks.extend(moved[1])

    for index in sorted(readings):
        start, end = base[index], base[index + 1] if index + 1 < len(base) else None
        keep(bisect.bisect_left(occurrence_lines, start), bisect.bisect_left(block_lines, start), starts[index] - start)
        new_occurrences.extend(readings[index].occurrences)
        new_blocks.extend(readings[index].blocks)
        occurrence_from = len(occurrences) if end is None else bisect.bisect_left(occurrence_lines, end)
        block_from = len(blocks) if end is None else bisect.bisect_left(block_lines, end)
    last = len(base) - 1
    keep(len(occurrences), len(blocks), starts[last] - base[last])
    return new_occurrences, new_blocks
