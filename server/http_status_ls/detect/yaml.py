"""Status codes in YAML: OpenAPI/Swagger response keys, and status-naming values in other YAML.

The text is read as libyaml's event stream (through PyYAML's C parser when it is there): no YAML
object is ever built and aliases stay aliases, so a 4 MB spec is read in a fraction of a second and
an alias bomb costs nothing. A walk over the events keeps one frame per open collection and, for
API descriptions, the role of each mapping (see `openapi_keys`), so only the keys of an operation's
``responses`` become occurrences.

Positions: libyaml's marks count lines and columns in code points, like Python strings, once the
text is made to agree with the LSP on what a line break is (see `_prepare`).

Speed: what costs is turning libyaml's events into Python objects, and most of a large API
description (schemas, examples, prose) cannot hold a response key. For API descriptions a line
scan first blanks those parts (see `_prune`), which more than halves the time on a 4 MB spec; the
result is cross-checked and the full text is read whenever the two readings could differ.

A file being typed is usually broken somewhere. On a syntax error the offending line is blanked
(same length, so every other position stays put) and the text is read again, a bounded number of
times; what comes after the error is still found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import yaml

from http_status_ls.core.occurrences import Detection, Kind, Occurrence, ResponsesBlock, Span
from http_status_ls.detect.openapi import (
    VERSION_KEYS,
    Role,
    body_key,
    child_role,
    classify_response_key,
    is_response_key,
    is_version,
    json_pointer,
    normalise_key,
    status_keys,
    status_value,
)

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml: same events, slower
    _Loader = yaml.SafeLoader

MAX_RECOVERIES = 20

# Characters libyaml refuses (it raises on control characters and lone surrogates) or reads as line
# breaks where the LSP sees none (NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR). Each becomes one space,
# so no position moves.
_UNREADABLE = re.compile("[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

_ScalarEvent = yaml.ScalarEvent
_AliasEvent = yaml.AliasEvent
_MappingStartEvent = yaml.MappingStartEvent
_MappingEndEvent = yaml.MappingEndEvent
_SequenceStartEvent = yaml.SequenceStartEvent
_SequenceEndEvent = yaml.SequenceEndEvent
_DocumentStartEvent = yaml.DocumentStartEvent
_DocumentEndEvent = yaml.DocumentEndEvent
_StreamEndEvent = yaml.StreamEndEvent

_QUOTES = ("'", '"')
_LINE_BREAK = re.compile("\r\n|\r|\n")


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
    return Detection(
        occurrences=tuple(occurrences),
        responses=tuple(walk.blocks),
        openapi=walk.openapi,
        notes=tuple(notes),
    )


def _read(
    source: str,
    bom: int,
    keys: frozenset[str],
    readable: str,
    notes: list[str],
    pruned: _Pruned | None = None,
    blanked: set[int] | None = None,
) -> _Walk:
    """Read the text, recovering from syntax errors line by line (the lines blanked on the way are
    added to ``blanked``)."""
    blanked_any = False
    for attempt in range(MAX_RECOVERIES + 1):
        walk = _Walk(source, bom, keys, pruned)
        walk.recovered = blanked_any
        try:
            walk.run(readable)
            return walk
        except yaml.MarkedYAMLError as error:
            walk.recovered = True
            recovered = _recover(readable, error, walk.last) if attempt < MAX_RECOVERIES else None
            where = error.problem_mark
            position = f"{where.line + 1}:{where.column + 1}" if where is not None else "?"
            if recovered is None:
                notes.append(f"yaml: gave up at {position} ({error.problem}); kept what came before")
                walk.finish_document()
                return walk
            notes.append(f"yaml: recovered from an error at {position} ({error.problem})")
            readable, line = recovered
            blanked_any = True
            if blanked is not None:
                blanked.add(line)
        except Exception as error:  # noqa: BLE001 - a detector must never take the server down
            notes.append(f"yaml: stopped reading ({type(error).__name__}: {error}); kept what came before")
            walk.finish_document()
            return walk
    raise AssertionError("unreachable: the last attempt always returns")


def _read_pruned(source: str, bom: int, keys: frozenset[str], readable: str, notes: list[str]) -> _Walk | None:
    """Read an API description with the values that cannot matter blanked out (see `_prune`), or
    None when that does not apply or its reading is not trustworthy; the caller then reads it all."""
    if _OPENAPI_ROOT.search(readable) is None:
        return None
    try:
        pruned = _prune(readable)
    except Exception:  # noqa: BLE001 - the fast path is optional
        return None
    if pruned is None:
        return None
    own_notes: list[str] = []
    blanked: set[int] = set()
    walk = _read(source, bom, keys, pruned.text, own_notes, pruned, blanked)
    if walk.openapi is None or walk.plain_documents:
        return None  # status values may sit in what was blanked
    # The line scan and libyaml must agree on where every responses object and key is.
    if walk.responses_lines != [n for n in pruned.responses_lines if n not in blanked]:
        return None
    if walk.response_key_lines != [n for n in pruned.response_key_lines if n not in blanked]:
        return None
    notes.extend(own_notes)
    return walk


def _prepare(source: str) -> str:
    """The text libyaml will read: unreadable characters become spaces (same length)."""
    if _UNREADABLE.search(source) is None:
        return source
    return _UNREADABLE.sub(" ", source)


def _recover(text: str, error: yaml.MarkedYAMLError, last_event=None) -> tuple[str, int] | None:
    """The text with the line that caused ``error`` made harmless, and that line's number; None
    when nothing is left to try. ``last_event`` is the last node read before the error. Lengths
    never change: a blanked line keeps its line break and becomes spaces."""
    lines = text.splitlines(keepends=True)
    problem, context = error.problem_mark, error.context_mark
    candidates: list[int] = []
    # A quote left open swallows the lines up to the next quote and the error surfaces there; the
    # quoted scalar that spans lines right before the error is the tell.
    if type(last_event) is _ScalarEvent and last_event.style in _QUOTES and last_event.start_mark.line < last_event.end_mark.line:
        candidates.append(last_event.start_mark.line)
    # A word typed without its colon runs on into the next line as one plain scalar, and the next
    # line's colon is reported; the word's line is the culprit.
    if problem is not None and "mapping values are not allowed" in (error.problem or ""):
        previous = problem.line - 1
        while 0 <= previous < len(lines) and lines[previous].strip() == "":
            previous -= 1
        if previous >= 0 and ":" not in lines[previous] and not lines[previous].lstrip().startswith("#"):
            candidates.append(previous)
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
    for number in candidates:
        if number >= len(lines):
            continue
        line = lines[number]
        body = line.rstrip("\r\n")
        if not body.strip():
            continue
        lines[number] = " " * len(body) + line[len(body) :]
        return "".join(lines), number
    return None


# -- pruning: what libyaml never needs to see ---------------------------------------------------
#
# Most of a large API description (schemas, examples, descriptions, parameters) lies under keys
# whose role is None, and turning each of its nodes into a Python event is what makes a full read
# slow. A line scan that understands block-style YAML (one key per line, children indented deeper)
# follows the roles down from the root and blanks the value of every key that leads nowhere, when
# that value starts on the next line: the key keeps a null value, every other position stays put.
# Whatever the scan does not understand (flow collections, sequences, scalars on the key's line)
# it leaves untouched, for libyaml to read as usual. The reading is then cross-checked: the scan
# and libyaml must agree on every `responses` key and response key line, or the full text is read.

_OPENAPI_ROOT = re.compile(r"""^["']?(?:openapi|swagger)["']?[ \t]*:""", re.MULTILINE)
_OPENAPI_VERSION = re.compile(r"""^["']?(?:openapi|swagger)["']?[ \t]*:[ \t]*["']?(\d[^"'\s#:,\]}]*)""", re.MULTILINE)

# A block mapping key on one line: a quoted scalar, or a plain one (which cannot start with an
# indicator, unless `-?:` followed by a non-space, and ends at the first `: `, `:` at the end of
# the line, or ` #`). Group 2 is what follows the colon, if anything.
_KEY_LINE = re.compile(
    rb"""('(?:[^'\r\n]|'')*'|"(?:[^"\\\r\n]|\\.)*"|(?:[^\s'"#&*!|>%@`{}\[\],?:-]|[-?:](?=\S))(?:(?!\s\#)[^\r\n])*?)"""
    rb"""[ \t]*:(?:[ \t]+([^\r\n]*)|)$"""
)
# A rest of the key line that leaves the value to the following lines: anchors, tags, a comment.
_NO_VALUE = re.compile(rb"(?:[&!]\S*[ \t]*)*(?:#.*)?")
_INDENT = re.compile(rb" *")
_DOCUMENT_MARKER = re.compile(rb"(?:---|\.\.\.)(?:[ \t]|$)")
_BLANK_BYTES = bytes(b if b in (0x0A, 0x0D) else 0x20 for b in range(256))
_CONTINUATION_BYTES = bytes(range(0x80, 0xC0))
_region_ends: dict[tuple[int, bool], re.Pattern[bytes]] = {}


def _region_end(indent: int, with_dashes: bool) -> re.Pattern[bytes]:
    """Finds the line break before the first line that ends the value of a key indented by
    ``indent``: a line indented no deeper that is not a comment (nor, for a value that starts on
    the next line, a `- ` item at the key's own indent, which YAML allows)."""
    pattern = _region_ends.get((indent, with_dashes))
    if pattern is None:
        source = rb"\n(?= {0,%d}[^ \t\r\n#])" % indent
        if with_dashes:
            source += rb"(?! {%d}-(?:[ \t\r\n]|$))" % indent
        pattern = _region_ends[(indent, with_dashes)] = re.compile(source)
    return pattern


def _plain_key(raw: bytes) -> str | None:
    if raw[:1] == b"'":
        return raw[1:-1].replace(b"''", b"'").decode("utf-8", "replace")
    if raw[:1] == b'"':
        return None if b"\\" in raw else raw[1:-1].decode("utf-8", "replace")
    return raw.decode("utf-8", "replace")


class _Pruned:
    """A text with values blanked, and what the line scan saw on the way."""

    __slots__ = ("text", "source", "regions", "responses_lines", "response_key_lines")

    def __init__(self, text: str, source: bytes, regions: dict[int, tuple[int, int, int]]) -> None:
        self.text = text
        self.source = source
        self.regions = regions
        """Key line -> (first line, start byte, end byte) of the blanked value under it."""
        self.responses_lines: list[int] = []
        self.response_key_lines: list[int] = []

    def content_end(self, key_line: int) -> _Mark | None:
        """Where the blanked value under the key on ``key_line`` really ends (its last character
        that is not space or a comment line), so a `responses` block that ends with it keeps its
        true extent."""
        region = self.regions.get(key_line)
        if region is None:
            return None
        first_line, start, end = region
        lines = self.source[start:end].split(b"\n")
        for number in range(len(lines) - 1, -1, -1):
            body = lines[number].rstrip()
            stripped = body.lstrip(b" ")
            if stripped and not stripped.startswith(b"#"):
                return _Mark(first_line + number, len(body.decode("utf-8", "replace")))
        return None


def _prune(text: str) -> _Pruned | None:
    """Blank the values of role-less keys in a block-style API description; None when the text is
    not one this scan can follow (tabs in indentation, lone CR line breaks)."""
    if "\r" in text and re.search("\r(?!\n)", text):
        return None
    source = text.encode("utf-8", "surrogatepass")
    regions: dict[int, tuple[int, int, int]] = {}
    responses_lines: list[int] = []
    response_key_lines: list[int] = []
    stack: list[tuple[int, Role | None]] = [(-1, Role.ROOT)]
    size = len(source)
    position = 0
    line = 0
    while position < size:
        newline = source.find(b"\n", position)
        line_end = size if newline < 0 else newline + 1
        content_start = _INDENT.match(source, position).end()
        first = source[content_start : content_start + 1]
        if first in (b"", b"\n", b"\r", b"#"):
            position, line = line_end, line + 1
            continue
        if first == b"\t":
            return None
        indent = content_start - position
        content_end = size if newline < 0 else newline
        if content_end > content_start and source[content_end - 1] == 0x0D:
            content_end -= 1
        if indent == 0 and _DOCUMENT_MARKER.match(source, content_start, content_end) is not None:
            stack = [(-1, Role.ROOT)]  # a new document
            position, line = line_end, line + 1
            continue
        while stack[-1][0] >= indent:
            stack.pop()
        parent = stack[-1][1]
        match = _KEY_LINE.match(source, content_start, content_end)
        role = None
        opens_block = False
        if match is not None:
            rest = match.group(2)
            opens_block = rest is None or _NO_VALUE.fullmatch(rest) is not None
            key = _plain_key(match.group(1))
            if parent is Role.RESPONSES:
                if key is None or is_response_key(key):
                    response_key_lines.append(line)
                    role = Role.RESPONSE
            elif key is not None and parent is not None:
                role = child_role(parent, key)
                if role is Role.RESPONSES:
                    responses_lines.append(line)
        if role is not None and opens_block:
            stack.append((indent, role))
            position, line = line_end, line + 1
            continue
        # A value this scan does not follow: skip it, and blank it when it is a block of its own.
        if newline < 0:
            break
        found = _region_end(indent, opens_block).search(source, newline)
        end = size if found is None else found.start() + 1
        skipped = source.count(b"\n", line_end, end)
        if match is not None and opens_block and end > line_end:
            regions[line] = (line + 1, line_end, end)
        position, line = end, line + 1 + skipped

    pieces: list[bytes] = []
    previous = 0
    for _, start, end in regions.values():
        pieces.append(source[previous:start])
        pieces.append(_blank(source[start:end]))
        previous = end
    pieces.append(source[previous:])
    pruned = _Pruned(b"".join(pieces).decode("utf-8", "surrogatepass"), source, regions)
    pruned.responses_lines = responses_lines
    pruned.response_key_lines = response_key_lines
    return pruned


def _blank(segment: bytes) -> bytes:
    """The UTF-8 segment with every character but line breaks turned into one space, so that the
    marks of what follows (which count characters) do not move: continuation bytes are dropped and
    every other byte becomes a space."""
    return segment.translate(_BLANK_BYTES, _CONTINUATION_BYTES)


class _Mark:
    """A position made up here (libyaml's marks cannot be built from Python)."""

    __slots__ = ("line", "column", "index")

    def __init__(self, line: int, column: int, index: int = -1) -> None:
        self.line = line
        self.column = column
        self.index = index


class _Frame:
    """One open collection (or the document itself) during the walk."""

    __slots__ = (
        "kind",
        "role",
        "flow",
        "expect_key",
        "key",
        "key_mark",
        "key_end",
        "value_role",
        "value_status",
        "value_version",
        "record",
        "value_record",
        "block",
        "status",
    )

    def __init__(self, kind: int, role: Role | None = None, flow: bool = False) -> None:
        self.kind = kind
        self.role = role
        self.flow = flow
        self.expect_key = True
        self.key: str | None = None
        self.key_mark = None
        self.key_end = None
        self.value_role: Role | None = None
        self.value_status: str | None = None
        self.value_version = False
        self.record: list | None = None  # RESPONSE mapping: the record of the key it belongs to
        self.value_record: list | None = None  # RESPONSES mapping: the record of the current key
        self.block: list | None = None  # RESPONSES mapping: the block being collected
        self.status: str | None = None  # sequence under a status key: the key


_DOCUMENT, _MAPPING, _SEQUENCE = 0, 1, 2


class _Walk:
    """Turns one event stream into occurrences. Each document is judged on its own: response keys
    if it is an API description, status-key values otherwise."""

    def __init__(self, source: str, bom: int, keys: frozenset[str], pruned: _Pruned | None = None) -> None:
        self.source = source
        self.bom = bom
        self.keys = keys
        self.pruned = pruned
        self.plain_documents = 0
        self.recovered = False
        """Whether the text read had lines blanked after errors (or was cut short by one)."""
        self.responses_lines: list[int] = []
        self.response_key_lines: list[int] = []
        self.status_key_cache: dict[str, bool] = {}
        self.occurrences: list[Occurrence] = []
        self.blocks: list[ResponsesBlock] = []
        self.openapi: str | None = None
        self._reset_document()

    def _reset_document(self) -> None:
        self.stack: list[_Frame] = []
        self.version: str | None = None
        self.response_keys: list[list] = []  # [key event, {body key: event}]
        self.raw_blocks: list[tuple] = []
        self.values: list[tuple] = []  # (event, key as written)
        self.last = None  # the event that ends the last node read (a block collection's end does not)
        self.in_document = False

    # -- the event loop -----------------------------------------------------------------------

    def run(self, text: str) -> None:
        loader = _Loader(text)
        try:
            get_event = loader.get_event
            stack = self.stack
            while True:
                event = get_event()
                kind = type(event)
                if kind is _ScalarEvent:
                    self.last = event
                    self._scalar(event, stack[-1])
                elif kind is _MappingStartEvent:
                    self._collection_start(event, stack, _MAPPING)
                elif kind is _MappingEndEvent or kind is _SequenceEndEvent:
                    frame = stack.pop()
                    if frame.flow:
                        self.last = event
                    if frame.block is not None:
                        self._close_block(frame)
                    parent = stack[-1]
                    if parent.kind == _MAPPING:
                        parent.expect_key = not parent.expect_key
                elif kind is _SequenceStartEvent:
                    self._collection_start(event, stack, _SEQUENCE)
                elif kind is _AliasEvent:
                    self.last = event
                    frame = stack[-1]
                    if frame.kind == _MAPPING:
                        if frame.expect_key:
                            frame.value_role = None
                            frame.value_status = None
                            frame.value_version = False
                            frame.value_record = None
                        frame.expect_key = not frame.expect_key
                elif kind is _DocumentStartEvent:
                    self._reset_document()
                    stack = self.stack
                    stack.append(_Frame(_DOCUMENT))
                    self.in_document = True
                elif kind is _DocumentEndEvent:
                    self.finish_document()
                    stack = self.stack
                elif kind is _StreamEndEvent or event is None:
                    break
        finally:
            dispose = getattr(loader, "dispose", None)
            if dispose is not None:
                dispose()

    def _scalar(self, event: yaml.ScalarEvent, frame: _Frame) -> None:
        kind = frame.kind
        if kind == _MAPPING:
            if frame.expect_key:
                self._key(event, frame)
                frame.expect_key = False
                return
            frame.expect_key = True
            if frame.value_status is not None:
                self._status_value(event, frame.value_status)
            elif frame.value_version:
                if self.version is None and is_version(event.value):
                    self.version = event.value
            elif frame.value_role is Role.RESPONSES and event.value == "" and not event.style:
                # `responses:` with nothing yet: the user is about to type the first key.
                self._empty_block(frame, event)
        elif kind == _SEQUENCE:
            if frame.status is not None:
                self._status_value(event, frame.status)

    def _key(self, event: yaml.ScalarEvent, frame: _Frame) -> None:
        value = event.value
        frame.key = value
        frame.key_mark = event.start_mark
        frame.key_end = event.end_mark
        role = frame.role
        if role is not None:
            child = child_role(role, value)
            frame.value_role = child
            if role is Role.RESPONSES:
                if is_response_key(value):
                    record = [event, None]
                    frame.value_record = record
                    frame.block[2].append(record)
                    self.response_keys.append(record)
                    self.response_key_lines.append(event.start_mark.line)
                else:
                    frame.value_record = None
            elif child is Role.RESPONSES:
                self.responses_lines.append(event.start_mark.line)
            elif role is Role.RESPONSE and frame.record is not None and value in ("content", "schema"):
                bodies = frame.record[1]
                if bodies is None:
                    bodies = frame.record[1] = {}
                bodies.setdefault(value, event)
            frame.value_version = role is Role.ROOT and value in VERSION_KEYS
        else:
            frame.value_role = None
            frame.value_version = False
        cached = self.status_key_cache.get(value)
        if cached is None:
            cached = self.status_key_cache[value] = normalise_key(value) in self.keys
        frame.value_status = value if cached else None

    def _collection_start(self, event, stack: list[_Frame], kind: int) -> None:
        parent = stack[-1]
        flow = bool(event.flow_style)
        if parent.kind == _DOCUMENT:
            frame = _Frame(kind, Role.ROOT if kind == _MAPPING else None, flow)
        elif parent.kind == _MAPPING:
            if parent.expect_key:
                # A collection used as a key: nothing in it counts, and the parent's next node is
                # this key's value.
                parent.value_role = None
                parent.value_status = None
                parent.value_version = False
                parent.value_record = None
                parent.key = None
                frame = _Frame(kind, None, flow)
            elif kind == _MAPPING:
                frame = _Frame(kind, parent.value_role, flow)
                if frame.role is Role.RESPONSES:
                    frame.block = [parent.key_mark, self._pointer(), [], flow, event.start_mark]
                elif frame.role is Role.RESPONSE:
                    frame.record = parent.value_record
            else:
                frame = _Frame(kind, None, flow)
                frame.status = parent.value_status
        else:
            frame = _Frame(kind, None, flow)
        stack.append(frame)

    def _pointer(self) -> str:
        return json_pointer(f.key for f in self.stack if f.kind == _MAPPING and f.key is not None)

    # -- recording ----------------------------------------------------------------------------

    def _status_value(self, event: yaml.ScalarEvent, key: str) -> None:
        style = event.style
        if style and style not in _QUOTES:
            return  # block scalars (`|`, `>`) end in a line break: not a bare code
        if status_value(event.value) is not None:
            self.values.append((event, key))

    def _empty_block(self, frame: _Frame, event: yaml.ScalarEvent) -> None:
        """`responses:` with nothing yet. There is no key to give the keys' column, so key_indent
        stays None and the completion decides from the cursor."""
        key_mark = frame.key_mark
        end = event.end_mark
        if end.line != key_mark.line:
            # Only the key and its colon can be relied on.
            end = _Mark(frame.key_end.line, frame.key_end.column + 1)
        self.raw_blocks.append((key_mark, end, self._pointer(), [], False, None))

    def _close_block(self, frame: _Frame) -> None:
        key_mark, pointer, records, flow, start = frame.block
        key_indent = None if flow else self._column(start)
        end = self._end_of(self.last)
        if self.pruned is not None and not flow:
            # The block may end with a value that was blanked: it ends where that value did.
            end = self.pruned.content_end(end.line) or end
        self.raw_blocks.append((key_mark, end, pointer, records, flow, key_indent))

    def _end_of(self, event):
        """Where the node ``event`` ends. A block scalar's own end mark is the start of whatever
        follows its trailing line breaks; its text ends at its last non-blank character."""
        end = event.end_mark
        if type(event) is not _ScalarEvent or event.style not in ("|", ">"):
            return end
        source = self.source
        index = end.index
        while index > event.start_mark.index + 1 and source[index - 1] in " \t\r\n":
            index -= 1
        breaks = len(_LINE_BREAK.findall(source, index, end.index))
        line_start = max(source.rfind("\n", 0, index), source.rfind("\r", 0, index)) + 1
        return _Mark(end.line - breaks, index - line_start, index)

    def finish_document(self) -> None:
        """Turn what the current document collected into occurrences (also for a document cut
        short by an error)."""
        if not self.in_document:
            return
        self.in_document = False
        for frame in self.stack:
            if frame.block is not None and self.last is not None:
                self._close_block(frame)  # a responses object cut short by an error
        version = self.version
        if version is not None:
            if self.openapi is None:
                self.openapi = version
            self._finish_openapi(version)
        else:
            self.plain_documents += 1
            for event, key in self.values:
                value = event.value
                self.occurrences.append(
                    Occurrence(
                        span=self._span(event.start_mark, event.end_mark),
                        kind=Kind.YAML_VALUE,
                        text=self._text(event),
                        code=int(value),
                        context=key,
                        value=value,
                        quoted=event.style in _QUOTES,
                    )
                )
        self._reset_document()

    def _finish_openapi(self, version: str) -> None:
        body = body_key(version)
        made: dict[int, Occurrence] = {}
        for record in self.response_keys:
            event, bodies = record
            value = event.value
            code, range_class = classify_response_key(value)
            body_event = bodies.get(body) if bodies else None
            occurrence = Occurrence(
                span=self._span(event.start_mark, event.end_mark),
                kind=Kind.RESPONSE_KEY,
                text=self._text(event),
                code=code,
                context="responses",
                value=value,
                range_class=range_class,
                quoted=event.style in _QUOTES,
                confident=True,
                body_span=self._span(body_event.start_mark, body_event.end_mark) if body_event else None,
            )
            made[id(record)] = occurrence
            self.occurrences.append(occurrence)
        for key_mark, end_mark, pointer, records, flow, key_indent in self.raw_blocks:
            start = self._position(key_mark)
            end = self._position(end_mark)
            self.blocks.append(
                ResponsesBlock(
                    span=Span(start[0], start[1], end[0], end[1]),
                    keys=tuple(made[id(r)] for r in records),
                    pointer=pointer,
                    flow=flow,
                    key_indent=key_indent,
                )
            )

    # -- positions ----------------------------------------------------------------------------

    def _column(self, mark) -> int:
        return mark.column + self.bom if mark.line == 0 else mark.column

    def _position(self, mark) -> tuple[int, int]:
        return mark.line, self._column(mark)

    def _span(self, start, end) -> Span:
        return Span(start.line, self._column(start), end.line, self._column(end))

    def _text(self, event) -> str:
        # Marks index characters of the text libyaml read, which has the source's length.
        return self.source[event.start_mark.index : event.end_mark.index]
