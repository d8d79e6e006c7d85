"""The walk over libyaml's events that the YAML detector makes: one frame per open collection, the
role of each mapping of an API description (see `detect.openapi`), and at the end of each document
the occurrences it holds: response keys if it is an API description, status-key values otherwise.

No YAML object is ever built: the walk reads events one by one and keeps only what may become an
occurrence (the events of response keys, status values and their keys), so aliases stay aliases and
an alias bomb costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import yaml

from http_status_ls.core.occurrences import Occurrence, ResponsesBlock, Span
from http_status_ls.detect.openapi import (
    FIXED_ROLES,
    KEYS_IN_CONTEXT,
    PLUGIN_KEYS,
    SIGNIFICANT_KEYS,
    VERSION_KEYS,
    Role,
    body_key,
    child_role,
    is_response_key,
    is_version,
    json_pointer,
    normalise_key,
    response_key_occurrence,
    status_key_in_context,
    status_value,
    status_value_occurrence,
)
from http_status_ls.detect.yaml_collapse import Collapsed
from http_status_ls.detect.yaml_kong import configures_rate_limiting
from http_status_ls.detect.yaml_prune import Pruned
from http_status_ls.detect.yaml_scalars import LINE_BREAK, QUOTED_STYLES, Position, codes_inside

_ScalarEvent = yaml.ScalarEvent
_AliasEvent = yaml.AliasEvent
_MappingStartEvent = yaml.MappingStartEvent
_MappingEndEvent = yaml.MappingEndEvent
_SequenceStartEvent = yaml.SequenceStartEvent
_SequenceEndEvent = yaml.SequenceEndEvent
_DocumentStartEvent = yaml.DocumentStartEvent
_DocumentEndEvent = yaml.DocumentEndEvent
_StreamEndEvent = yaml.StreamEndEvent
_ROOT, _RESPONSES, _RESPONSE = Role.ROOT, Role.RESPONSES, Role.RESPONSE
_BODY_KEYS = ("content", "schema")


# -- the events as the walk reads them ------------------------------------------------------------
#
# The stubs type an event's marks as optional, because an event built by hand may lack them; every
# event libyaml emits carries both. These protocols say what the walk reads off those events, and
# the positions it makes up itself (`_Mark`) fit the same shape.


class Node(Protocol):
    """An event that stands for a node, or ends one: where it starts and ends."""

    @property
    def start_mark(self) -> Position: ...
    @property
    def end_mark(self) -> Position: ...


class _Scalar(Node, Protocol):
    @property
    def value(self) -> str: ...
    @property
    def style(self) -> str | None: ...


class _CollectionStart(Node, Protocol):
    @property
    def flow_style(self) -> bool | None: ...


@dataclass(slots=True)
class _Mark:
    """A position made up here (libyaml's marks cannot be built from Python)."""

    line: int
    column: int
    index: int = -1


@dataclass(slots=True)
class _Placed:
    """An event's start, with its index in the source (see `Walk.collapsed`)."""

    start_mark: _Mark


def _placed_in_source(mark: yaml.Mark | None, collapsed: Collapsed) -> yaml.Mark | None:
    """An error's mark with its index in the text before collapsing (libyaml's marks are read-only)."""
    if mark is None:
        return None
    return yaml.Mark(mark.name, collapsed.original(mark.index), mark.line, mark.column, mark.buffer, mark.pointer)


# -- the walk -------------------------------------------------------------------------------------
#
# Its records are mutable and shared (a response key sits in its block and in the document's list),
# so they compare by identity.


@dataclass(slots=True, eq=False)
class _ResponseKey:
    """A key of a responses object, and the first body keys (``content``, ``schema``) under it."""

    event: _Scalar
    bodies: dict[str, _Scalar] | None = None


@dataclass(slots=True, eq=False)
class _Block:
    """A responses object being read."""

    key: _Scalar
    """The ``responses`` key."""
    pointer: str
    keys: list[_ResponseKey]
    flow: bool
    key_indent: int | None
    """The column its keys start at: None in flow style, and for a ``responses:`` with nothing yet."""


@dataclass(slots=True, eq=False)
class _Frame:
    """One open collection (or the document itself) during the walk."""

    kind: int
    role: Role | None = None
    flow: bool = False
    expect_key: bool = True
    key: str | None = None
    """The mapping's current key, None when it is not a scalar."""
    key_event: _Scalar | None = None
    value_role: Role | None = None
    """The role of the current key's value."""
    value_status: str | None = None
    """The current key, when it names status values."""
    value_version: bool = False
    """Whether the current key is the root's ``openapi`` or ``swagger``."""
    record: _ResponseKey | None = None
    """RESPONSE mapping: the key it is the value of."""
    value_record: _ResponseKey | None = None
    """RESPONSES mapping: the current key, when it is a response key."""
    block: _Block | None = None
    """RESPONSES mapping: the block being collected."""
    status: str | None = None
    """Sequence under a status key: the key."""

    def forget_value(self) -> None:
        """The mapping's next value follows a key that is not a scalar: nothing in it counts."""
        self.value_role = None
        self.value_status = None
        self.value_version = False
        self.value_record = None


_DOCUMENT, _MAPPING, _SEQUENCE = 0, 1, 2


class Walk:
    """Turns one event stream into occurrences. Each document is judged on its own: response keys
    if it is an API description, status-key values otherwise."""

    def __init__(self, source: str, bom: int, keys: frozenset[str], pruned: Pruned | None = None) -> None:
        self.source = source
        self.bom = bom
        self.keys = keys
        self.pruned = pruned
        self.plain_documents = 0
        self.recovered = False
        """Whether the text read had lines blanked after errors (or was cut short by one)."""
        self.responses_lines: list[int] = []
        self.response_key_lines: list[int] = []
        self.outline: list[tuple[int, int, int]] = []
        """(depth, line, column) of the keys of block mappings at depth 1 (the root) and 2, to check
        that libyaml reads the sections of an API description where the line split puts them."""
        self.status_key_cache: dict[str, bool] = {}
        self.collapsed: Collapsed | None = None
        """The collapsed text being read (see `yaml_collapse`), whose indexes must be mapped back."""
        self.occurrences: list[Occurrence] = []
        self.blocks: list[ResponsesBlock] = []
        self.openapi: str | None = None
        self._reset_document()

    def _reset_document(self) -> None:
        self.stack: list[_Frame] = []
        self.version: str | None = None
        self.response_keys: list[_ResponseKey] = []
        self.closed_blocks: list[tuple[_Block, Position]] = []
        """Each responses object read, with where it ends."""
        self.values: list[tuple[_Scalar, str]] = []
        """Each status value, with its key as written."""
        self.last: Node | None = None
        """The event that ends the last node read (a block collection's end does not)."""
        self.in_document = False

    # -- the event loop -----------------------------------------------------------------------

    def run(
        self,
        text: str,
        loader_class: type[yaml.CSafeLoader] | type[yaml.SafeLoader],
        collapsed: Collapsed | None = None,
    ) -> None:
        """Walk the events of ``text`` as ``loader_class`` reads them, or of its ``collapsed`` form
        (the same events, read faster); a syntax error propagates, with what came before it kept
        and its marks' indexes in ``text``."""
        self.collapsed = collapsed
        loader = loader_class(text if collapsed is None else collapsed.data)
        try:
            # Each handler takes its event as the protocol for its kind (see above), not as the
            # stubs' class, whose marks may be None.
            get_event: Callable[[], Any] = loader.get_event
            stack = self.stack
            while True:
                event = get_event()
                kind = type(event)
                if kind is _ScalarEvent:
                    # The commonest event, handled here rather than through a call.
                    self.last = event
                    frame = stack[-1]
                    if frame.kind != _MAPPING:
                        if frame.status is not None:  # a sequence under a status key
                            self._status_value(event, frame.status)
                    elif frame.expect_key:
                        self._key(event, frame)
                        frame.expect_key = False
                    else:
                        frame.expect_key = True
                        if frame.value_status is not None or frame.value_version or frame.value_role is _RESPONSES:
                            self._value(event, frame)
                elif kind is _MappingStartEvent:
                    self._collection_start(event, stack, _MAPPING)
                elif kind is _MappingEndEvent or kind is _SequenceEndEvent:
                    self._collection_end(event, stack)
                elif kind is _StreamEndEvent or event is None:
                    break
                else:
                    stack = self._rare_event(event, kind, stack)
        except yaml.MarkedYAMLError as error:
            if collapsed is not None:
                error.context_mark = _placed_in_source(error.context_mark, collapsed)
                error.problem_mark = _placed_in_source(error.problem_mark, collapsed)
            raise
        finally:
            dispose = getattr(loader, "dispose", None)
            if dispose is not None:
                dispose()

    def _collection_end(self, event: Node, stack: list[_Frame]) -> None:
        frame = stack.pop()
        if frame.flow:
            self.last = event
        if frame.block is not None and self.last is not None:
            self._close_block(frame.block, self.last)
        parent = stack[-1]
        if parent.kind == _MAPPING:
            parent.expect_key = not parent.expect_key

    def _rare_event(self, event: Any, kind: type, stack: list[_Frame]) -> list[_Frame]:
        """A sequence start, an alias, a document's start or end (the loop handles the common
        events itself); the stack to go on with, a new one after a document's start or end."""
        if kind is _SequenceStartEvent:
            self._collection_start(event, stack, _SEQUENCE)
        elif kind is _AliasEvent:
            self.last = event
            frame = stack[-1]
            if frame.kind == _MAPPING:
                if frame.expect_key:
                    frame.forget_value()
                frame.expect_key = not frame.expect_key
        elif kind is _DocumentStartEvent:
            self._reset_document()
            stack = self.stack
            stack.append(_Frame(_DOCUMENT))
            self.in_document = True
        elif kind is _DocumentEndEvent:
            self.finish_document()
            stack = self.stack
        return stack

    def _value(self, event: _Scalar, frame: _Frame) -> None:
        """A scalar value in a mapping whose key names status values, the version, or a responses
        object (the event loop passes only those on)."""
        if frame.value_status is not None:
            self._status_value(event, frame.value_status)
        elif frame.value_version:
            if self.version is None and is_version(event.value):
                self.version = event.value
        elif frame.value_role is _RESPONSES and event.value == "" and not event.style:
            # `responses:` with nothing yet: the user is about to type the first key.
            self._empty_block(frame, event)

    def _key(self, event: _Scalar, frame: _Frame) -> None:
        value = event.value
        frame.key = value
        frame.key_event = event
        depth = len(self.stack)
        if depth <= 3 and not frame.flow:  # the root's keys and their children's
            start = event.start_mark
            self.outline.append((depth - 1, start.line, start.column))
        role = frame.role
        if role is None:
            frame.value_role = None
            frame.value_version = False
        elif role in FIXED_ROLES and value not in SIGNIFICANT_KEYS:
            # Most keys of an operation or a path item (`summary`, `parameters`...): no role, and
            # only the root's can be the version.
            frame.value_role = None
            frame.value_version = role is _ROOT and value in VERSION_KEYS
        else:
            child = child_role(role, value)
            frame.value_role = child
            if role is _RESPONSES:
                self._response_key(event, frame)
            elif child is _RESPONSES:
                self.responses_lines.append(event.start_mark.line)
            elif role is _RESPONSE and frame.record is not None and value in _BODY_KEYS:
                bodies = frame.record.bodies
                if bodies is None:
                    bodies = frame.record.bodies = {}
                bodies.setdefault(value, event)
            frame.value_version = role is _ROOT and value in VERSION_KEYS
        cached = self.status_key_cache.get(value)
        if cached is None:
            cached = self.status_key_cache[value] = normalise_key(value) in self.keys
        frame.value_status = value if cached else None
        if not cached and value in KEYS_IN_CONTEXT:  # `codes` under `retry`, Ansible's `when`...
            frame.value_status = self._key_in_context(value)

    def _key_in_context(self, value: str) -> str | None:
        """``value`` when, where it stands, it names status values (see `status_key_in_context`)."""
        # The key holding this mapping, through any sequence (`rules: [{expr: ...}]`).
        holder = next((f.key for f in reversed(self.stack[:-1]) if f.kind != _SEQUENCE), None)
        key = status_key_in_context(value, holder)
        if key is not None and key in PLUGIN_KEYS:  # Kong's `config.error_code`
            config_key = self.stack[-2].key_event
            config: _Scalar | _Placed | None = config_key
            if config_key is not None and self.collapsed is not None:
                start = config_key.start_mark
                config = _Placed(_Mark(start.line, start.column, self.collapsed.original(start.index)))
            return key if configures_rate_limiting(self.source, config) else None
        return key

    def _response_key(self, event: _Scalar, frame: _Frame) -> None:
        """A key of a responses object: a response, unless an extension or a merge key."""
        if frame.block is None or not is_response_key(event.value):
            frame.value_record = None
            return
        record = _ResponseKey(event)
        frame.value_record = record
        frame.block.keys.append(record)
        self.response_keys.append(record)
        self.response_key_lines.append(event.start_mark.line)

    def _collection_start(self, event: _CollectionStart, stack: list[_Frame], kind: int) -> None:
        parent = stack[-1]
        flow = bool(event.flow_style)
        if parent.kind == _DOCUMENT:
            frame = _Frame(kind, Role.ROOT if kind == _MAPPING else None, flow)
        elif parent.kind == _MAPPING:
            if parent.expect_key:
                # A collection used as a key: nothing in it counts, and the parent's next node is
                # this key's value.
                parent.forget_value()
                parent.key = None
                frame = _Frame(kind, None, flow)
            elif kind == _MAPPING:
                frame = _Frame(kind, parent.value_role, flow)
                if frame.role is Role.RESPONSES and parent.key_event is not None:
                    key_indent = None if flow else self._column(event.start_mark)
                    frame.block = _Block(parent.key_event, self._pointer(), [], flow, key_indent)
                elif frame.role is Role.RESPONSE:
                    frame.record = parent.value_record
            else:
                frame = _Frame(kind, None, flow)
                frame.status = parent.value_status
        else:
            frame = _Frame(kind, None, flow)
        stack.append(frame)

    def _pointer(self) -> str:
        return json_pointer([f.key for f in self.stack if f.kind == _MAPPING and f.key is not None])

    # -- recording ----------------------------------------------------------------------------

    def _status_value(self, event: _Scalar, key: str) -> None:
        # In a collapsed reading a piece's index is the scalar's plus an offset in the source, which
        # is off only when a collapsed line lies inside the scalar; such readings are of API
        # descriptions, whose status values are never reported.
        inside = codes_inside(key, event, self._text(event))  # `"404,503"`, `r.status == 200`
        if inside is not None:
            self.values.extend((piece, key) for piece in inside)
            return
        style = event.style
        if style and style not in QUOTED_STYLES:
            return  # block scalars (`|`, `>`) end in a line break: not a bare code
        if status_value(event.value) is not None:
            self.values.append((event, key))

    def _empty_block(self, frame: _Frame, event: _Scalar) -> None:
        """`responses:` with nothing yet. There is no key to give the keys' column, so key_indent
        stays None and the completion decides from the cursor."""
        key = frame.key_event
        if key is None:
            return  # a value's role always comes from its key
        end: Position = event.end_mark
        if end.line != key.start_mark.line:
            # Only the key and its colon can be relied on.
            end = _Mark(key.end_mark.line, key.end_mark.column + 1)
        self.closed_blocks.append((_Block(key, self._pointer(), [], False, None), end))

    def _close_block(self, block: _Block, last: Node) -> None:
        end = self._end_of(last)
        if self.pruned is not None and not block.flow:
            # The block may end with a value that was blanked: it ends where that value did.
            content_end = self.pruned.content_end(end.line)
            if content_end is not None:
                end = _Mark(*content_end)
        self.closed_blocks.append((block, end))

    def _end_of(self, event: Node) -> Position:
        """Where the node ``event`` ends. A block scalar's own end mark is the start of whatever
        follows its trailing line breaks; its text ends at its last non-blank character."""
        end = event.end_mark
        style: str | None = getattr(event, "style", None)  # only scalars have a style
        if style not in ("|", ">"):
            return end
        source = self.source
        end_index, start_index = self._index(end.index), self._index(event.start_mark.index)
        index = end_index
        while index > start_index + 1 and source[index - 1] in " \t\r\n":
            index -= 1
        breaks = len(LINE_BREAK.findall(source, index, end_index))
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
                self._close_block(frame.block, self.last)  # a responses object cut short by an error
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
                    status_value_occurrence(
                        self._span(event),
                        self._text(event),
                        value,
                        int(value),
                        context=key,
                        quoted=event.style in QUOTED_STYLES,
                        role=getattr(event, "role", None),  # a class edge inside a scalar (`yaml_scalars.Piece`)
                    )
                )
        self._reset_document()

    def _finish_openapi(self, version: str) -> None:
        body = body_key(version)
        made: dict[_ResponseKey, Occurrence] = {}
        for record in self.response_keys:
            event, bodies = record.event, record.bodies
            body_event = bodies.get(body) if bodies else None
            occurrence = response_key_occurrence(
                self._span(event),
                self._text(event),
                event.value,
                quoted=event.style in QUOTED_STYLES,
                body_span=self._span(body_event) if body_event else None,
            )
            made[record] = occurrence
            self.occurrences.append(occurrence)
        for block, end_mark in self.closed_blocks:
            start = block.key.start_mark
            self.blocks.append(
                ResponsesBlock(
                    span=Span(start.line, self._column(start), end_mark.line, self._column(end_mark)),
                    keys=tuple(made[r] for r in block.keys),
                    pointer=block.pointer,
                    flow=block.flow,
                    key_indent=block.key_indent,
                )
            )

    # -- positions ----------------------------------------------------------------------------

    def _column(self, mark: Position) -> int:
        return mark.column + self.bom if mark.line == 0 else mark.column

    def _span(self, event: Node) -> Span:
        start, end = event.start_mark, event.end_mark
        start_line, end_line = start.line, end.line
        if start_line and end_line:  # the byte-order mark only shifts the first line
            return Span(start_line, start.column, end_line, end.column)
        return Span(start_line, self._column(start), end_line, self._column(end))

    def _text(self, event: Node) -> str:
        # Marks index characters of the text libyaml read, which has the source's length (once the
        # collapsed lines are given back their spaces).
        collapsed = self.collapsed
        start, end = event.start_mark, event.end_mark
        if collapsed is None:
            return self.source[start.index : end.index]
        begin = collapsed.original(start.index)
        if start.line == end.line:  # a collapsed region is whole lines: none lies inside one line
            return self.source[begin : begin + end.index - start.index]
        return self.source[begin : collapsed.original(end.index)]

    def _index(self, index: int) -> int:
        """The index in the source of a mark's ``index``."""
        return index if self.collapsed is None else self.collapsed.original(index)
