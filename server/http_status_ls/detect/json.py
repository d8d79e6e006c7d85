"""Status codes in JSON (and JSONC): OpenAPI/Swagger response keys, and status-naming values.

The text is parsed with tree-sitter-json, which keeps going past syntax errors (comments, trailing
commas, a key being typed) and re-parses incrementally when handed the previous tree.

Large documents are never visited node by node. In an API description only the chain
root -> paths -> path -> method -> responses (and webhooks, callbacks, components/pathItems) is
followed, as the roles in `detect.openapi` say, and only towards the places where the bytes
``"responses"`` occur: a byte search finds them, and the walk enters only the pairs that contain
one, so the thousands of other keys of a big description are never read. In other JSON, a regular
expression finds the candidate status keys in the bytes and each is checked against the tree
(`json_values`).

After an edit, tree-sitter hands back unchanged subtrees of the previous tree as they were (same
node ids). A pair on the way (a path item, an operation, a ``responses`` object) that came back
unchanged under the same pointer leads to the same blocks as last time, moved to where the pair now
starts; only the pairs around the edit are read again. What the previous run found is remembered
per tree (`json_memory`), so the caller passes nothing but the old tree. Positions are worked out
by `json_reader`.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from tree_sitter import Node, Parser, Tree, TreeCursor

from http_status_ls.core.occurrences import (
    Detection,
    Occurrence,
    ResponsesBlock,
    Span,
    new_response_key,
    new_responses_block,
    new_span,
)
from http_status_ls.detect.json_memory import Memories, Unit, Units, moved
from http_status_ls.detect.json_reader import OBJECT, PAIR, JsonReader, encode_text, json_language
from http_status_ls.detect.json_values import status_values
from http_status_ls.detect.openapi import (
    FIXED_ROLES,
    SIGNIFICANT_KEYS,
    VERSION_KEYS,
    Role,
    body_key,
    child_role,
    classify_response_key,
    is_response_key,
    is_version,
    pointer_token,
    response_key_occurrence,
    status_keys,
)

_VERSION_MARKER = re.compile(rb'"(?:openapi|swagger)"\s*:\s*"?(\d[^",}\s]*)')


def detect_json(text: str, old_tree: Tree | None = None, *, extra_keys: Iterable[str] = ()) -> Detection:
    """Find the status codes in one JSON text. ``old_tree`` is the previous version's tree, already
    told about the edit (``Tree.edit``); the new tree comes back in ``Detection.tree``. What did not
    change since that tree was made is not read again (the result is the same either way)."""
    _MEMORIES.forget_unused()
    source = encode_text(text)
    parser = Parser(json_language())
    notes: list[str] = []
    skeleton: JsonSkeleton | None = None
    try:
        tree = parser.parse(source, old_tree) if old_tree is not None else parser.parse(source)
    except (TypeError, ValueError) as error:  # an unusable old tree: start afresh
        notes.append(f"json: could not reuse the previous tree ({error}); parsed afresh")
        tree, old_tree = parser.parse(source), None
    try:
        reader = JsonReader(source, text)
        root = _root_object(tree.root_node)
        version = _version(reader, root) if root is not None else None
        if root is not None and version is not None:
            body = body_key(version)
            # Only between trees that both parse cleanly: error recovery can keep a pair's node while
            # its bytes now mean something else, and a stale pair would keep a key that is gone.
            clean = not tree.root_node.has_error
            known = _MEMORIES.recall(old_tree, body) if clean else None
            # A first walk reads every responses object; the operations model, built next, is
            # handed what it read of them (`JsonSkeleton`). Rows are the model's lines only when
            # no lone "\r" ends one.
            skeleton = JsonSkeleton(tree, {}) if known is None and reader.rows_are_lines else None
            walk = _OpenAPIWalk(reader, body, known, skeleton)
            occurrences, blocks = walk.run(root)  # in document order already
            if clean:
                _MEMORIES.keep(tree, body, walk.found)
        elif tree.root_node.has_error and (marker := _VERSION_MARKER.search(source)) is not None:
            # Too broken to find the root object, yet an API description: its examples must not
            # be read as plain JSON, and its structure cannot be followed until it parses again.
            version = marker.group(1).decode("utf-8", "replace")
            occurrences, blocks = [], []
            notes.append("json: the API description has no readable root object; response keys skipped")
        else:
            occurrences, blocks = status_values(reader, tree.root_node, status_keys(tuple(extra_keys))), []
            occurrences.sort(key=lambda o: (o.span.start_line, o.span.start_col))
    except Exception as error:  # noqa: BLE001 - a detector must never take the server down
        notes.append(f"json: stopped reading ({type(error).__name__}: {error})")
        return Detection(notes=tuple(notes), tree=tree)
    if tree.root_node.has_error:
        notes.append("json: syntax errors; parts next to them may be skipped")
    return Detection(
        occurrences=tuple(occurrences),
        responses=tuple(blocks),
        openapi=version,
        notes=tuple(notes),
        tree=tree,
        source=source,
        skeleton=skeleton,
    )


def _root_object(document: Node) -> Node | None:
    for child in document.children:
        if child.type == "object":
            return child
    return None


def _pairs(obj: Node) -> Iterable[tuple[Node, Node | None]]:
    """(key, value) of each well-formed pair of an object, duplicates included, in order."""
    for child in obj.children:
        if child.type == "pair":
            key = child.child_by_field_name("key")
            if key is not None:
                yield key, child.child_by_field_name("value")


def _version(reader: JsonReader, root: Node) -> str | None:
    for key, value in _pairs(root):
        if value is None or reader.string_value(key) not in VERSION_KEYS:
            continue
        if value.type == "string":
            found = reader.string_value(value)
        elif value.type == "number":
            found = reader.token(value)  # `"swagger": 2.0`
        else:
            found = None
        if found is not None and is_version(found):
            return found
    return None


# The keys a mapping with a fixed role leads on through, as they appear in JSON source (the
# common, unescaped spelling), to (key, role of its value): the bytes of a key are compared without
# decoding it, and most keys of a description are skipped this way.
_FIXED_KEYS: dict[Role, dict[bytes, tuple[str, Role]]] = {
    role: {f'"{key}"'.encode(): (key, child) for key in sorted(SIGNIFICANT_KEYS) if (child := child_role(role, key)) is not None}
    for role in FIXED_ROLES
}

# A `responses` key can only be reached through fixed-role keys compared byte for byte (above), so
# every one the walk can find starts with these bytes.
_RESPONSES_KEY = b'"responses"'


@dataclass(slots=True)
class JsonSkeleton:
    """What a first walk of a JSON description read of each ``responses`` object without syntax
    errors, for the operations model built next from the same tree (`openapi_json_source`), which
    would otherwise read them again: by the object's node id, its response keys (the occurrences)
    with their values, and the rows of its other keys (``x-...``). Of ``tree`` only; the model
    releases it once built."""

    tree: Tree
    responses: dict[int, tuple[tuple[tuple[Occurrence, Node | None], ...], tuple[int, ...]]]

    def release(self) -> None:
        self.responses = {}


class _OpenAPIWalk:
    """Follows the roles of an API description from the root object to each ``responses`` object.

    Every pair it enters becomes a `_Unit` in ``found``. ``known`` holds the units of the run on the
    previous tree: a pair tree-sitter carried over unchanged (same node id) under the same pointer
    is not entered again, its blocks are moved to where it starts now.

    A first run finds every ``"responses"`` in the bytes (the anchors) and jumps from one to the
    next. A run after an edit, where nearly every pair is known, goes through the children of the
    objects it enters instead and searches the bytes of the unknown pairs only."""

    def __init__(self, reader: JsonReader, body: str, known: Units | None, skeleton: JsonSkeleton | None = None):
        self.reader = reader
        self.skeleton = skeleton
        self.source = reader.source
        self.body = f'"{body}"'.encode()
        self.known = known
        self.found: Units = {}
        self.blocks: list[ResponsesBlock] = []
        self.anchors: list[int] = []
        self.key_facts: dict[bytes, _KeyFact | None] = {}

    def run(self, root: Node) -> tuple[list[Occurrence], list[ResponsesBlock]]:
        if self.known is not None:
            self.walk_known(root, Role.ROOT, "")
        else:
            find, anchors = self.source.find, self.anchors
            end = root.end_byte
            at = find(_RESPONSES_KEY, root.start_byte, end)
            while at != -1:
                anchors.append(at)
                at = find(_RESPONSES_KEY, at + len(_RESPONSES_KEY), end)
            if anchors:
                self.walk(root, Role.ROOT, "", 0, len(anchors))
        # Blocks never overlap and come in the order of the pairs, keys in the order of their
        # object: joined, they are in document order.
        occurrences = [key for block in self.blocks for key in block.keys]
        return occurrences, self.blocks

    def walk_known(self, obj: Node, role: Role, pointer: str) -> None:
        """Visit the pairs of ``obj`` that are known or contain ``"responses"``, in order; remember
        the others as leading nowhere, so that the next run does not search them again."""
        known, find = self.known, self.source.find
        assert known is not None
        for child in obj.named_children:
            if child.type != "pair":
                continue
            if child.id in known or find(_RESPONSES_KEY, child.start_byte, child.end_byte) != -1:
                self.pair(child, role, pointer, 0, 0)
            else:
                self.found[child.id] = Unit(pointer, child.end_byte - child.start_byte, self.reader.start(child), ())

    def walk(self, obj: Node, role: Role, pointer: str, low: int, high: int) -> None:
        """Visit the pairs of ``obj`` that contain the anchors ``low:high``, in order."""
        if self.known is not None:
            self.walk_known(obj, role, pointer)
            return
        anchors, first_child_for_byte = self.anchors, obj.first_child_for_byte
        i = low
        while i < high:
            offset = anchors[i]
            child = first_child_for_byte(offset)
            if child is None:
                return  # no child ends after the offset
            if child.start_byte > offset:  # the offset lies between children (not in a pair)
                i = bisect.bisect_left(anchors, child.start_byte, i, high)
                continue
            j = bisect.bisect_left(anchors, child.end_byte, i, high)
            if child.kind_id == PAIR:
                self.pair(child, role, pointer, i, j)
            i = j

    def pair(self, pair: Node, role: Role, parent: str, low: int, high: int) -> None:
        """Take over what a known pair led to last time, or enter it; either way remember it."""
        length = pair.end_byte - pair.start_byte
        known = self.known.get(pair.id) if self.known is not None else None
        if known is not None and known.parent == parent and known.length == length:
            # The very pair of the previous tree, in the same place: the same bytes, hence the same
            # blocks, moved to where it starts now.
            start = self.reader.start(pair)
            if start == known.start:
                self.blocks.extend(known.blocks)
                self.found[pair.id] = known
            else:
                blocks = tuple(moved(block, known.start, start) for block in known.blocks)
                self.blocks.extend(blocks)
                self.found[pair.id] = Unit(parent, length, start, blocks)
            return
        first = len(self.blocks)
        self.enter(pair, role, parent, low, high)
        self.found[pair.id] = Unit(parent, length, self.reader.start(pair), tuple(self.blocks[first:]))

    def enter(self, pair: Node, role: Role, parent: str, low: int, high: int) -> None:
        """Follow one pair of an object with ``role`` whose pointer is ``parent``."""
        key = pair.child(0)  # a pair starts with its key
        if key is None:
            return
        fixed = _FIXED_KEYS.get(role)
        child: Role | None
        if fixed is not None:
            known_key = fixed.get(self.source[key.start_byte : key.end_byte])
            if known_key is None:
                return
            name, child = known_key
        else:
            written = self.reader.string_value(key)
            if written is None:
                return
            name, child = written, child_role(role, written)
        if child is None:
            return
        value = pair.child_by_field_name("value")
        pointer = f"{parent}/{pointer_token(name)}"
        if child is Role.RESPONSES and (value is None or value.is_missing):
            # `"responses": ` with nothing yet: the user is about to type the object.
            colon = pair.child(1)
            end = colon if colon is not None and colon.type == ":" else key
            self.blocks.append(ResponsesBlock(span=self.reader.span(key, end), keys=(), pointer=pointer, flow=True))
            return
        if value is None or value.kind_id != OBJECT:
            return
        if child is Role.RESPONSES:
            keys = tuple(self.response_keys(value))
            self.blocks.append(new_responses_block(self.reader.span(key, value), keys, pointer, True, None))
        else:
            self.walk(value, child, pointer, low, high)

    def response_keys(self, obj: Node) -> list[Occurrence]:
        """The occurrences of the response keys of a ``responses`` object, in order.

        An object without syntax errors is read with one cursor, as `openapi_json_source` reads one:
        only a pair has children there, its key first; the node of a key is made once, and what a
        key's bytes mean is worked out once per distinct spelling (``"200"`` recurs thousands of
        times in a big description)."""
        if obj.has_error:
            return self.response_keys_in_error(obj)
        found: list[Occurrence] = []
        values: list[Node | None] = []
        other_rows: list[int] = []
        source, facts, start = self.source, self.key_facts, self.reader.start
        cursor = obj.walk()
        more = cursor.goto_first_child() and cursor.goto_next_sibling()  # past the "{"
        while more:
            if not cursor.goto_first_child():  # "," or a comment
                more = cursor.goto_next_sibling()
                continue
            key = cursor.node
            if key is not None:
                raw = source[key.start_byte : key.end_byte]
                try:
                    fact = facts[raw]
                except KeyError:
                    fact = facts[raw] = _response_key_fact(raw)
                if fact is not None:
                    text, value, code, range_class = fact
                    if "\r" in text:  # a line break for the LSP, inside a string for tree-sitter
                        span = self.reader.span(key)
                    else:  # a well-formed string holds no "\n": one line
                        line, column = start(key)
                        span = new_span(line, column, line, column + len(text))
                    response, body_span = self.body_after(cursor)
                    found.append(new_response_key(span, text, value, code, range_class, True, body_span))
                    values.append(response)
                elif self.skeleton is not None:
                    other_rows.append(key.start_point[0])
            cursor.goto_parent()
            more = cursor.goto_next_sibling() and cursor.goto_next_sibling()
        if self.skeleton is not None:
            self.skeleton.responses[obj.id] = (tuple(zip(found, values)), tuple(other_rows))
        return found

    def body_after(self, cursor: TreeCursor) -> tuple[Node | None, Span | None]:
        """The response whose key ``cursor`` is on (in an object without syntax errors), and the
        span of its body key; the cursor is left among the pair's children."""
        if not (cursor.goto_next_sibling() and cursor.goto_next_sibling()):
            return None, None
        while cursor.field_name != "value":  # a comment before the value
            if not cursor.goto_next_sibling():
                return None, None
        response = cursor.node
        if response is None or response.kind_id != OBJECT or not cursor.goto_first_child():
            return response, None
        source, body, found = self.source, self.body, None
        while cursor.goto_next_sibling():
            if cursor.goto_first_child():
                key = cursor.node
                at_body = key is not None and source[key.start_byte : key.end_byte] == body
                cursor.goto_parent()
                if at_body:
                    line, column = self.reader.start(key)  # type: ignore[arg-type]
                    found = new_span(line, column, line, column + len(body))
                    break
        cursor.goto_parent()
        return response, found

    def response_keys_in_error(self, obj: Node) -> list[Occurrence]:
        """`response_keys` of an object holding a syntax error: every pair looked at through its fields."""
        reader, source = self.reader, self.source
        found = []
        for pair in obj.named_children:
            if pair.type != "pair":
                continue
            key = pair.child(0)
            name = reader.string_value(key)
            if name is None or not is_response_key(name):
                continue
            text = source[key.start_byte : key.end_byte].decode("utf-8", "surrogatepass")
            if "\r" in text:  # a line break for the LSP, inside a string for tree-sitter
                span = reader.span(key)
            else:  # a well-formed string (string_value said so) holds no "\n": one line
                line, column = reader.start(key)
                span = Span(line, column, line, column + len(text))
            body_span = self.body_of(pair.child_by_field_name("value"))
            found.append(response_key_occurrence(span, text, name, quoted=True, body_span=body_span))
        return found

    def body_of(self, response: Node | None) -> Span | None:
        if response is None or response.type != "object":
            return None
        source, body = self.source, self.body
        for pair in response.named_children:
            if pair.type == "pair":
                key = pair.child(0)
                if source[key.start_byte : key.end_byte] == body:
                    line, column = self.reader.start(key)
                    return Span(line, column, line, column + len(body))
        return None


_KeyFact = tuple[str, str, int | None, int | None]


def _response_key_fact(raw: bytes) -> _KeyFact | None:
    """(text, value, code, range class) of a key of a ``responses`` object written as ``raw`` (a
    string token of a tree without syntax errors); None when the key is no response (``x-...``) or
    is not a well-formed string (as `JsonReader.string_value` says)."""
    if len(raw) < 2 or not raw.endswith(b'"'):
        return None
    text = raw.decode("utf-8", "surrogatepass")
    if b"\\" not in raw:
        value: str = text[1:-1]
    else:
        try:
            value = json.loads(text)
        except ValueError:
            return None
    if not is_response_key(value):
        return None
    code, range_class = classify_response_key(value)
    return text, value, code, range_class


_MEMORIES = Memories()
