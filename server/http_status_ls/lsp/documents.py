"""The open documents: their text as the client last sent it, and the one analysis of each version.

The server keeps its own copy of every open document instead of pygls' workspace copy, because
applying an edit there re-splits the whole text (about 60 ms on a 4 MB spec) and we need, per edit,
the byte offsets tree-sitter wants for an incremental re-parse. Here an edit touches only the lines
it spans: the line list is spliced, the text is sliced once, and the edit is remembered in bytes so
the next analysis can hand an adjusted tree to the detector.

Every feature reads :meth:`Document.analysis`, which analyses the current revision at most once;
:meth:`Document.memo` keeps other per-revision results (diagnostics) next to it.
"""

from __future__ import annotations

import bisect
import itertools
import logging
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from http_status_ls.core.occurrences import Analysis
from http_status_ls.core.positions import ClientPositions, content_length, encoding_of, split_lines
from http_status_ls.detect.analysis import INCREMENTAL, JSON, PYTHON, YAML, analyse, language_of
from http_status_ls.detect.json_reuse import LineEdit, reuse
from http_status_ls.detect.python.project_params import NO_PROJECT, ProjectParameters
from http_status_ls.detect.yaml_reuse import BlankedValues, YamlEdits

__all__ = ["Document", "DocumentStore", "Lines", "TreeEdit", "split_lines"]

T = TypeVar("T")
log = logging.getLogger(__name__)

_LONE_CR = re.compile("\r(?!\n)")

MANY_RANGES = 64
"""Above this many changes in one ``didChange``, edits are not carried to the old parse tree (see
:meth:`Document.apply_changes`)."""


def _utf8_length(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


_MARKS = itertools.count(1)
"""Marks of line-list states, unique in the process: a mark of one document never names a state of another."""

LINE_LOG_KEPT = 256
"""Splices a line list remembers; a reader further behind compares the lines instead."""


class Lines(list[str]):
    """A document's lines that remember which rows their last splices replaced.

    A reader of the lines (the OpenAPI model, ``detect.openapi_reads``) notes :attr:`mark` and later
    asks :meth:`rows_changed_since` that mark, instead of comparing 160,000 lines to find the one a
    keystroke changed."""

    __slots__ = ("_log", "chars", "mark")

    def __init__(self, lines: Iterable[str] = (), chars: int | None = None) -> None:
        super().__init__(lines)
        self.mark = next(_MARKS)
        """Names the current state of the lines."""
        self.chars = sum(map(len, self)) if chars is None else chars
        """The length of the text in code points, kept as the lines change (summing 160,000 line
        lengths costs a millisecond)."""
        self._log: list[tuple[int, int, int, int]] = []
        """(mark before, first row, rows removed, rows added) of each splice, oldest first."""

    def splice(self, first: int, end: int, new: list[str]) -> None:
        """``self[first:end] = new``, remembered."""
        removed = max(0, min(end, len(self)) - first)
        self.chars += sum(map(len, new)) - sum(map(len, self[first:end]))
        self[first:end] = new
        self._log.append((self.mark, first, removed, len(new)))
        self.mark = next(_MARKS)
        if len(self._log) > LINE_LOG_KEPT:
            del self._log[: len(self._log) - LINE_LOG_KEPT]

    def rows_changed_since(self, mark: int) -> tuple[int, int, int] | None:
        """``(first, old_end, new_end)``: since the state named ``mark``, rows ``first:old_end`` of
        that state became rows ``first:new_end`` now, and every other line is the same object, rows
        past the change shifted by ``new_end - old_end``. ``(0, 0, 0)``: nothing changed. None: the
        mark is not one of these lines' recent states."""
        if mark == self.mark:
            return 0, 0, 0
        log = self._log
        start = next((index for index in range(len(log) - 1, -1, -1) if log[index][0] == mark), None)
        if start is None:
            return None
        _, first, removed, added = log[start]
        old_end, new_end = first + removed, first + added
        for _, row, removed, added in log[start + 1 :]:
            # The union of the rows changed so far and this splice's, in the current rows; past its
            # end, old and current rows differ by a constant shift.
            high = max(new_end, row + removed)
            old_end += high - new_end
            first, new_end = min(first, row), high + added - removed
        return first, old_end, new_end


@dataclass(frozen=True, slots=True)
class TreeEdit:
    """One edit in tree-sitter's terms: byte offsets and (row, byte column) points."""

    start_byte: int
    old_end_byte: int
    new_end_byte: int
    start_point: tuple[int, int]
    old_end_point: tuple[int, int]
    new_end_point: tuple[int, int]

    def apply_to(self, tree: Any) -> None:
        tree.edit(
            start_byte=self.start_byte,
            old_end_byte=self.old_end_byte,
            new_end_byte=self.new_end_byte,
            start_point=self.start_point,
            old_end_point=self.old_end_point,
            new_end_point=self.new_end_point,
        )


class Document:
    """One open document. ``lines`` always joins back to ``text``."""

    def __init__(self, uri: str, language_id: str | None, version: int | None, text: str):
        self.uri = uri
        self.language_id = language_id
        self.language = language_of(uri, language_id)
        self.version = version
        self._text: str | None = text
        self.lines = Lines(split_lines(text), len(text))
        self._wide: list[int] | None = None
        self._wide_extra: list[int] = []
        self.revision = 0
        """Bumped by every change; versions come from the client and are not trusted to be unique."""
        self.last_analysis_seconds = 0.0
        self._analysis: Analysis | None = None
        self._analysed_revision = -1
        self._pending_edits: list[tuple[TreeEdit, LineEdit | None]] = []
        self._tree_reusable = True
        self._yaml_edits: YamlEdits | None = None
        """For a YAML API description, the edits since its analysis while they may keep it (see
        :mod:`yaml_reuse`)."""
        self._analysis_project: ProjectParameters = NO_PROJECT
        """The table of status parameters the analysis was made with (see :meth:`analysis`)."""
        self._memo: dict[str, Any] = {}
        self._memo_revision = 0
        self._positions: ClientPositions | None = None
        self._lone_cr = "\r" in text and _LONE_CR.search(text) is not None
        """A lone CR ends a line for the LSP but not for tree-sitter, whose rows would then disagree with
        our lines; such documents are re-parsed from scratch (they are rare: classic Mac files)."""

    # --- edits -----------------------------------------------------------------------------------

    def apply_changes(
        self,
        changes: Iterable[types.TextDocumentContentChangeEvent],
        version: int | None,
        codec: PositionCodec,
    ) -> None:
        """Apply a ``didChange``'s changes in order; each range is in the client's units and refers to
        the text as left by the previous change.

        Many ranges at once (an editor's replace-all) are applied to the lines alone, in time linear
        in the edit plus the document: each edit carried to the old parse tree needs its byte offset,
        which costs a pass over the lines before it, so 20,000 of them took seconds where analysing
        the result afresh takes under one."""
        changes = list(changes)
        if len(changes) > MANY_RANGES:
            self._pending_edits.clear()
            self._tree_reusable = False  # the next analysis starts afresh
            self._yaml_edits = None  # ... and so does a YAML one (nothing of the old one is kept)
            self._wide = None  # rebuilt on next use rather than shifted per edit
        for change in changes:
            if isinstance(change, types.TextDocumentContentChangePartial):
                start = self._code_points(change.range.start, codec)
                end = self._code_points(change.range.end, codec)
                self._splice(*start, *end, change.text)
            else:
                self.replace(change.text)
        self.version = version
        self.revision += 1

    def _code_points(self, position: types.Position, codec: PositionCodec) -> tuple[int, int]:
        """A client position as (line, code-point column); lines past the end stay past the end
        (an append there must land after the last line break, not before it)."""
        line = position.line
        if line >= len(self.lines) or self.lines[line].isascii():
            return line, position.character
        positions = self._positions
        if positions is None or positions.encoding != encoding_of(codec):
            positions = self._positions = ClientPositions(self.lines, codec)
        return line, positions.to_code_points(line, position.character)

    @property
    def text(self) -> str:
        """The whole text, joined from the lines on first use after an edit: an edit itself only
        touches the lines it spans, where re-slicing a 4 MB string would cost 15 ms a keystroke."""
        if self._text is None:
            self._text = "".join(self.lines)
        return self._text

    def replace(self, text: str) -> None:
        """A full-text change: nothing of the old tree can be reused."""
        self._text = text
        self.lines = Lines(split_lines(text), len(text))
        self._wide = None
        self._positions = None
        self._lone_cr = "\r" in text and _LONE_CR.search(text) is not None
        self._pending_edits.clear()
        self._tree_reusable = False

    def _byte_offset(self, line: int, col: int) -> int:
        """UTF-8 offset of (line, code-point col): the code-point offset plus the extra bytes of the
        non-ASCII lines before it (kept as a small index, so no prefix of the text is encoded)."""
        lines = self.lines
        # From the nearer end: a line length is summed per line passed.
        offset = sum(map(len, lines[:line])) if line <= len(lines) // 2 else lines.chars - sum(map(len, lines[line:]))
        if line < len(lines):
            offset += _utf8_length(lines[line][:col])
        if self._wide is None:
            self._wide = [i for i, text in enumerate(lines) if not text.isascii()]
            self._wide_extra = [_utf8_length(lines[i]) - len(lines[i]) for i in self._wide]
        return offset + sum(self._wide_extra[: bisect.bisect_left(self._wide, line)])

    def _reindex_wide(self, first: int, last: int, new_lines: list[str]) -> None:
        """Keep the non-ASCII line index in step with lines[first:last + 1] becoming new_lines."""
        if self._wide is None:
            return
        wide, extra = self._wide, self._wide_extra
        low, high = bisect.bisect_left(wide, first), bisect.bisect_right(wide, last)
        shift = len(new_lines) - (last - first + 1)
        added = [(first + i, _utf8_length(text) - len(text)) for i, text in enumerate(new_lines) if not text.isascii()]
        wide[low:high] = [i for i, _ in added]
        extra[low:high] = [e for _, e in added]
        if shift:
            for i in range(low + len(added), len(wide)):
                wide[i] += shift

    def _clamp(self, line: int, col: int) -> tuple[int, int]:
        """A position inside the text: past-the-end lines mean the end, long columns the line end."""
        lines = self.lines
        if line < 0:
            return 0, 0
        if line >= len(lines):
            if not lines or lines[-1].endswith(("\n", "\r")):
                return len(lines), 0
            return len(lines) - 1, content_length(lines[-1])
        return line, max(0, min(col, content_length(lines[line])))

    def _splice(self, start_line: int, start_col: int, end_line: int, end_col: int, new: str) -> None:
        (sl, sc), (el, ec) = self._clamp(start_line, start_col), self._clamp(end_line, end_col)
        if (el, ec) < (sl, sc):
            (sl, sc), (el, ec) = (el, ec), (sl, sc)
        lines = self.lines
        count = len(lines)
        head = lines[sl][:sc] if sl < count else ""
        tail = lines[el][ec:] if el < count else ""
        if "\r" in new and _LONE_CR.search(new):
            self._lone_cr = True

        if self._lone_cr:
            self._pending_edits.clear()
            self._tree_reusable = False
        elif self.language in INCREMENTAL and self._tree_reusable:
            self._pending_edits.append(self._tree_edit(sl, sc, el, ec, new))

        if sc == 0 and 0 < sl <= count and lines[sl - 1].endswith("\r") and (new or tail).startswith("\n"):
            # The lone CR ending the line above and the LF now at the start of this one are one CRLF
            # line break from now on: the two lines become one.
            sl -= 1
            head = lines[sl]
        new_lines = split_lines(head + new + tail)
        if self._yaml_edits is not None:
            self._yaml_edits.note(sl, el, lines[sl : el + 1], new_lines)
        lines.splice(sl, el + 1, new_lines)
        self._reindex_wide(sl, el, new_lines)
        self._text = None
        self._positions = None

    def _tree_edit(self, sl: int, sc: int, el: int, ec: int, new: str) -> tuple[TreeEdit, LineEdit | None]:
        """Replacing (sl, sc)-(el, ec) by ``new``, as tree-sitter's edit and, when it stays inside one
        line, as the line edit that lets a JSON analysis be kept (see :mod:`json_reuse`). Computed
        before the lines change."""
        lines = self.lines
        count = len(lines)
        head = lines[sl][:sc] if sl < count else ""
        if el == sl:
            removed = lines[sl][sc:ec] if sl < count else ""
        else:
            removed = lines[sl][sc:] + "".join(lines[sl + 1 : el]) + (lines[el][:ec] if el < count else "")
        start_byte = self._byte_offset(sl, sc)
        newline_count = new.count("\n")
        if newline_count:
            new_end_point = (sl + newline_count, _utf8_length(new[new.rfind("\n") + 1 :]))
        else:
            new_end_point = (sl, _utf8_length(head) + _utf8_length(new))
        tree_edit = TreeEdit(
            start_byte=start_byte,
            old_end_byte=start_byte + _utf8_length(removed),
            new_end_byte=start_byte + _utf8_length(new),
            start_point=(sl, _utf8_length(head)),
            old_end_point=(el, _utf8_length(lines[el][:ec]) if el < count else 0),
            new_end_point=new_end_point,
        )
        line_edit = None
        if sl == el < count and not newline_count:
            line_edit = LineEdit(line=sl, start_col=sc, end_col=ec, removed=removed, inserted=new, before=head[-1:])
        return tree_edit, line_edit

    # --- analysis --------------------------------------------------------------------------------

    @property
    def analysed(self) -> bool:
        """Whether the current revision has been analysed already."""
        return self._analysed_revision == self.revision and self._analysis is not None

    def analysis(self, extra_keys: Sequence[str] = (), project: ProjectParameters = NO_PROJECT) -> Analysis:
        """The analysis of the current revision, computed on first request and then reused while
        the project's table of status parameters (Python only) stays the same."""
        if self.analysed and (self.language != PYTHON or self._analysis_project == project):
            assert self._analysis is not None
            return self._analysis
        self._analysis_project = project
        started = time.perf_counter()
        previous, old_tree = self._analysis, None
        if self._tree_reusable and previous is not None and self.language in INCREMENTAL:
            old_tree = previous.detection.tree
        if self.language == YAML and self._tree_reusable and previous is not None and self._yaml_edits is not None:
            kept = self._yaml_edits.carry(previous, self.version, self.lines)
            if kept is not None:
                return self._analysed(kept, started)
        self._yaml_edits = None
        if old_tree is not None:
            try:
                applied = 0
                if self.language == JSON and self._pending_edits:
                    reused, applied = reuse(previous, self._pending_edits, self.version)  # type: ignore[arg-type]
                    if reused is not None:
                        return self._analysed(reused, started)
                for edit, _ in self._pending_edits[applied:]:
                    edit.apply_to(old_tree)
            except Exception:  # a tree we cannot adjust is simply not reused
                log.exception("could not carry the parse tree of %s over an edit", self.uri)
                old_tree = None
        analysis = analyse(self.uri, self.language_id, self.text, self.version, old_tree, extra_keys=extra_keys, project=project)
        return self._analysed(analysis, started)

    def _analysed(self, analysis: Analysis, started: float) -> Analysis:
        if self.language == YAML and self._yaml_edits is None:
            # A fresh read: its blanked values are where the next edits may keep it.
            blanked = analysis.detection.tree
            self._yaml_edits = YamlEdits(blanked) if isinstance(blanked, BlankedValues) else None
        self._analysis = analysis
        self._pending_edits.clear()
        self._tree_reusable = True
        self.last_analysis_seconds = time.perf_counter() - started
        self._analysed_revision = self.revision
        return analysis

    def invalidate(self) -> None:
        """Forget the analysis (settings changed); the next request analyses from scratch."""
        self._analysis = None
        self._analysed_revision = -1
        self._yaml_edits = None
        self._pending_edits.clear()
        self._tree_reusable = True
        self._memo.clear()

    def forget_derived(self) -> None:
        """Drop what was derived from the analysis (diagnostics...), keeping the parse tree."""
        self._memo.clear()

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """A per-revision cache for results derived from the analysis (diagnostics, hints ...)."""
        if self._memo_revision != self.revision:
            self._memo.clear()
            self._memo_revision = self.revision
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]


class DocumentStore:
    """The open documents by URI, as opened, changed and closed by the client.

    Notifications out of order are survived, with a log line: a change to a document never opened is
    dropped (there is no text to apply it to), and a change whose version does not go forward is
    still applied, since the client has applied it to its own text and both must stay the same."""

    def __init__(self, extra_keys: Sequence[str] = ()):
        self._documents: dict[str, Document] = {}
        self.extra_keys: tuple[str, ...] = tuple(extra_keys)
        self.project: ProjectParameters = NO_PROJECT
        """The workspace's status parameters, which every Python analysis is made with."""

    def open(self, uri: str, language_id: str | None, version: int | None, text: str) -> Document:
        document = Document(uri, language_id, version, text)
        self._documents[uri] = document
        return document

    def change(
        self,
        uri: str,
        version: int | None,
        changes: Iterable[types.TextDocumentContentChangeEvent],
        codec: PositionCodec,
    ) -> Document | None:
        document = self._documents.get(uri)
        if document is None:
            log.warning("ignored a change to %s (version %s): the document is not open", uri, version)
            return None
        if version is not None and document.version is not None and version <= document.version:
            log.warning("%s: version %s after version %s; applied the change all the same", uri, version, document.version)
        document.apply_changes(changes, version, codec)
        return document

    def close(self, uri: str) -> Document | None:
        return self._documents.pop(uri, None)

    def get(self, uri: str) -> Document | None:
        return self._documents.get(uri)

    def analysis(self, uri: str) -> Analysis | None:
        """The current analysis of an open document (computed now if this revision has none yet)."""
        document = self._documents.get(uri)
        return document.analysis(self.extra_keys, self.project) if document is not None else None

    def set_project(self, project: ProjectParameters) -> bool:
        """A new table of status parameters; True when it differs (Python analyses made with the old
        one are then redone on their next use, reusing their parse trees)."""
        if project == self.project:
            return False
        self.project = project
        for document in self._documents.values():
            if document.language == PYTHON:
                document.forget_derived()
        return True

    def set_extra_keys(self, extra_keys: Sequence[str]) -> None:
        if tuple(extra_keys) != self.extra_keys:
            self.extra_keys = tuple(extra_keys)
            for document in self._documents.values():
                document.invalidate()

    def __iter__(self):
        return iter(list(self._documents.values()))

    def __len__(self) -> int:
        return len(self._documents)
