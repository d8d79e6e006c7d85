"""What the operations model read of a text, so that an edit elsewhere keeps the model.

Most typing in a large description happens in places the model never reads (a schema, an example,
prose). Building the model again costs tens of milliseconds on a 4 MB description, more than the
rest of an edit's diagnostics; so the model is carried over an edit that cannot change it: one
that stays inside one line, off every line the model read, out of that line's indentation, and
off the values read whole. The sources record the rows they read while the model is built.

The edit is found from the lines of the server's document when the caller has them: the document
says which rows its edits replaced since the model's lines (`lsp.documents.Lines`), else the two
lists are compared (unchanged lines are the same objects, so that costs a pointer comparison a
line, 3 ms on 160,000 lines); without lines, by comparing the two texts.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

_JSON_STRUCTURE = frozenset('"\\{}[],:\n\r')


@dataclass(frozen=True, slots=True)
class Edit:
    """One edit inside one line: ``old_line[column:column + removed]`` became ``inserted``."""

    row: int
    column: int
    removed: str
    inserted: str
    old_line: str
    new_line: str
    on_read_line: bool
    """The model read this line: only a patch of the one value on it can keep the model."""
    breaks: bool = False
    """The edit breaks the line (a string left open, a key line no longer one): the model of the
    text before stands until the line is given back its text."""


@dataclass(slots=True)
class Reads:
    """The rows one build read, and the ranges of rows of the values it read whole."""

    json: bool
    rows: set[int] = field(default_factory=set)
    ranges: list[tuple[int, int]] = field(default_factory=list)
    _sorted: list[tuple[int, int]] | None = None
    pending: Callable[[], tuple[set[int], list[tuple[int, int]]]] | None = None
    """What gives ``rows`` and ``ranges`` when they are first needed (:meth:`settle`): a YAML build
    reads by offsets, and turning them into rows costs several milliseconds on a large description,
    which a document opened only to be read never needs."""
    watched: re.Pattern[str] | None = None
    """The keys the build looked for in a mapping without reading the rows of its other keys (an
    operation's or a path item's: their summaries and descriptions are typed in, and must not build
    the model again).
    Renaming another key into one of these changes the model, so an edit on a line that writes
    one as a key, before or after the edit, counts as on a read line."""

    def settle(self) -> Reads:
        """Fill ``rows`` and ``ranges`` if they are still pending; the reads, for chaining."""
        if self.pending is not None:
            self.rows, self.ranges = self.pending()
            self.pending = None
            self._sorted = None
        return self

    def in_range(self, row: int) -> bool:
        self.settle()
        if self._sorted is None:
            self._sorted = sorted(self.ranges)
        index = bisect.bisect_right(self._sorted, (row, float("inf")))
        # Ranges may nest: look back over those starting at or before the row.
        return any(first <= row <= last for first, last in self._sorted[max(0, index - 64) : index])

    def edit_between(
        self,
        old: str,
        new: str,
        old_lines: Sequence[str] | None = None,
        new_lines: Sequence[str] | None = None,
        broken: tuple[int, str] | None = None,
        rows: tuple[int, int, int] | None = None,
    ) -> Edit | None:
        """The edit from ``old`` to ``new`` when it may keep the model; None when the model must be
        built again. An edit that changes nothing is an empty edit on no read line. ``broken``: the
        row an earlier edit broke and its text before (`Edit.breaks`); giving the row that text
        back, or leaving a JSON string on it open, keeps the model. ``rows``: ``(first, old_end,
        new_end)``, the rows of ``old_lines`` the edits replaced by rows of ``new_lines``, all
        other lines being the same (`lsp.documents.Lines.rows_changed_since`)."""
        self.settle()
        if old_lines is not None and new_lines is not None:
            found = _changed_line(old_lines, new_lines) if rows is None else _changed_row(old_lines, new_lines, rows)
        else:
            found = _changed_text(old, new)
        if found is None:
            return None
        row, old_line, new_line = found
        if broken is not None and row == broken[0] and self._leaves_broken(new_line, broken[1]):
            return Edit(row, 0, "", "", old_line, new_line, on_read_line=False, breaks=new_line != broken[1])
        if old_line == new_line:
            return Edit(row, 0, "", "", old_line, new_line, on_read_line=False)
        return self._edit_in_line(row, old_line, new_line)

    def _leaves_broken(self, new_line: str, before: str) -> bool:
        """Whether a broken row's new text keeps the model: its text from before the break, or (JSON)
        a string still left open on it."""
        return new_line == before or (self.json and _open_string(new_line))

    def _edit_in_line(self, row: int, old_line: str, new_line: str) -> Edit | None:
        """The edit turning ``old_line`` into a different ``new_line`` when it may keep the model."""
        column, old_end, new_end = _difference(old_line, new_line)
        removed, inserted = old_line[column:old_end], new_line[column:new_end]
        if _may_restructure(old_line, column, removed, inserted):
            return None
        if self.in_range(row):
            return None
        if self.json and (_JSON_STRUCTURE.intersection(removed) or _JSON_STRUCTURE.intersection(inserted)):
            if _open_string(new_line) and not _open_string(old_line):
                # A string left open breaks the document until it is closed; the model of the last
                # whole text stands meanwhile, and the edit that closes it builds it again.
                return Edit(row, column, removed, inserted, old_line, new_line, on_read_line=False, breaks=True)
            return None
        on_read_line = row in self.rows or self._writes_watched_key(old_line, new_line)
        return Edit(row, column, removed, inserted, old_line, new_line, on_read_line=on_read_line)

    def _writes_watched_key(self, old_line: str, new_line: str) -> bool:
        watched = self.watched
        return watched is not None and (watched.search(old_line) is not None or watched.search(new_line) is not None)


def watched_keys(keys: tuple[str, ...], *, json: bool) -> re.Pattern[str]:
    """What finds ``keys`` written as keys on a line (`Reads.watched`): in JSON quoted and followed
    by a colon (or the line's end); in YAML plain or quoted, after the indentation, a ``-`` or a
    flow mapping's ``{``/``,``, and followed by a colon and a blank (or the line's end)."""
    names = "|".join(re.escape(key) for key in keys)
    if json:
        return re.compile(f'"(?:{names})"' + r"\s*(?::|$)")
    return re.compile(r"(?:^|[\s{,?-])" + f"(?:{names}|'(?:{names})'|\"(?:{names})\")" + r"[ \t]*:(?:\s|$)")


def _may_restructure(old_line: str, column: int, removed: str, inserted: str) -> bool:
    """Whether an edit at ``column`` of ``old_line`` may change the document's structure: one in
    the indentation, on a blank line or a comment, or one that adds or removes a line break."""
    content = old_line.strip()
    indent = len(old_line) - len(old_line.lstrip(" \t"))
    if column <= indent or not content or content.startswith("#"):
        return True
    return any(mark in removed or mark in inserted for mark in "\n\r")


def _changed_line(old: Sequence[str], new: Sequence[str]) -> tuple[int, str, str] | None:
    """(row, old line, new line) of the one changed line between two line lists whose unchanged
    lines are the same objects; (0, line, line) when none changed; None for anything else."""
    if len(old) != len(new):
        return None
    # Halving: comparing two slices of unchanged lines costs a pointer comparison a line, in C.
    low, high = 0, len(old)  # old[:low] == new[:low]
    while high - low > 16:
        middle = (low + high) // 2
        if old[low:middle] == new[low:middle]:
            low = middle
        else:
            high = middle
    while low < len(old) and old[low] == new[low]:
        low += 1
    if low == len(old):
        return (0, old[0], old[0]) if old else (0, "", "")
    if old[low + 1 :] != new[low + 1 :]:
        return None
    return low, old[low], new[low]


def _changed_row(old: Sequence[str], new: Sequence[str], rows: tuple[int, int, int]) -> tuple[int, str, str] | None:
    """As :func:`_changed_line`, knowing that only ``old[first:old_end]`` became ``new[first:new_end]``."""
    first, old_end, new_end = rows
    if old_end != new_end:
        return None  # lines were added or removed
    found = _changed_line(old[first:old_end], new[first:new_end])
    if found is None:
        return None
    row, old_line, new_line = found
    if old_line is new_line or old_line == new_line:
        return (0, old[0], old[0]) if old else (0, "", "")  # as when comparing every line
    return first + row, old_line, new_line


def _changed_text(old: str, new: str) -> tuple[int, str, str] | None:
    """As :func:`_changed_line`, from the two texts."""
    if old == new:
        return 0, "", ""
    start, old_end, new_end = _difference(old, new)
    line_start = old.rfind("\n", 0, start) + 1
    old_stop, new_stop = old.find("\n", old_end), new.find("\n", new_end)
    if "\n" in old[start:old_end] or "\n" in new[start:new_end]:
        return None
    old_line = old[line_start : len(old) if old_stop < 0 else old_stop + 1]
    new_line = new[line_start : len(new) if new_stop < 0 else new_stop + 1]
    return old.count("\n", 0, line_start), old_line, new_line


def _difference(old: str, new: str) -> tuple[int, int, int]:
    """(start, end in ``old``, end in ``new``) of the region where two different texts differ."""
    shortest = min(len(old), len(new))
    low, high = 0, shortest  # old[:low] == new[:low]; the first difference is before `high`
    while high - low > 32:
        middle = (low + high) // 2
        if old[low:middle] == new[low:middle]:
            low = middle
        else:
            high = middle
    while low < shortest and old[low] == new[low]:
        low += 1
    start = low
    limit = shortest - start  # the common suffix does not reach back past the start
    low, high = 0, limit  # the last `low` characters agree
    while high - low > 32:
        middle = (low + high) // 2
        if old[len(old) - middle : len(old) - low] == new[len(new) - middle : len(new) - low]:
            low = middle
        else:
            high = middle
    while low < limit and old[len(old) - low - 1] == new[len(new) - low - 1]:
        low += 1
    return start, len(old) - low, len(new) - low


def _open_string(line: str) -> bool:
    """Whether a JSON line leaves a string open (an odd number of unescaped quotes)."""
    plain = line.replace("\\\\", "")
    return (plain.count('"') - plain.count('\\"')) % 2 == 1
