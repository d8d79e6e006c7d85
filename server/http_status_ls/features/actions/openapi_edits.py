"""Text edits inside an OpenAPI description: add an entry to a mapping, in the style of the place it
goes, so that the file still parses and reads as if written by hand.

A new entry is a small tree (:data:`Tree`: nested dicts of strings) written out as

* YAML block style, at the file's own indentation (the step its nested keys take), keys and values
  quoted only where YAML needs it;
* JSON, or a YAML flow mapping (``{...}``), with the comma the previous member needs: on a line of
  its own, indented like its neighbours, when the mapping spreads over lines, else on the same line.

It also finds where a key is from its path (``components/responses/NotFound``), for an entry that
goes into the reusable response a ``$ref`` points at. Everything works on :class:`DocumentText` in
code points; nothing here knows what an entry means.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Union

from http_status_ls.core.text_scan import FLOW, flow_value_end, skip_blanks, string_end
from http_status_ls.features.actions.edits import DocumentText, Edit, indent_of

Tree = dict[str, Union["Tree", str]]
"""An entry to write: keys to strings or to nested entries, in the order they are written."""

_JSON_DECODER = json.JSONDecoder()
_INDENT_SAMPLE = 1000
"""Lines read to find the file's indentation step: the start of a description shows it."""
_PLAIN_SCALAR = re.compile(r"[A-Za-z$][A-Za-z0-9 _.,()/+$-]*")
_YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
_KEY_LINE = re.compile(
    r"""( *)('(?:[^']|'')*'|"(?:[^"\\]|\\.)*"|[^\s'"#{}\[\],&*!|>%@`-][^#]*?|-[^\s#][^#]*?)[ \t]*:(?=[ \t]|$)"""
)


def _find_key(full: str, lead: str, key: str, start: int, stop: int) -> int | None:
    """The first offset in ``full[start:stop]`` of ``lead`` followed by ``key`` written as a YAML
    block key (plain, single- or double-quoted) and its colon. ``str.find`` is many times faster
    than a multi-line regex on a 4 MB text."""
    best: int | None = None
    for spelling in (key, "'" + key.replace("'", "''") + "'", json.dumps(key)):
        needle = f"{lead}{spelling}:"
        at = full.find(needle, start, stop)
        while at >= 0 and full[at + len(needle) : at + len(needle) + 1] not in ("", " ", "\t", "\r", "\n"):
            at = full.find(needle, at + 1, stop)
        if at >= 0 and (best is None or at < best):
            best = at
    return best


def yaml_scalar(value: str) -> str:
    """A string as a YAML scalar: plain when it reads back as the same string, else single-quoted."""
    if _PLAIN_SCALAR.fullmatch(value) and not value.endswith(" ") and value.lower() not in _YAML_WORDS:
        return value
    return "'" + value.replace("'", "''") + "'"


def yaml_lines(tree: Tree, indent: int, step: int) -> list[str]:
    """``tree`` as YAML block-style lines starting at column ``indent``."""
    lines: list[str] = []
    pad = " " * indent
    for key, value in tree.items():
        if isinstance(value, dict):
            lines.append(f"{pad}{yaml_scalar(key)}:")
            lines += yaml_lines(value, indent + step, step)
        else:
            lines.append(f"{pad}{yaml_scalar(key)}: {yaml_scalar(value)}")
    return lines


def unquoted_key(written: str) -> str:
    """A YAML or JSON key as written, without its quotes."""
    if len(written) >= 2 and written[0] == written[-1] == "'":
        return written[1:-1].replace("''", "'")
    if len(written) >= 2 and written[0] == written[-1] == '"':
        try:
            value = json.loads(written)
        except ValueError:
            return written[1:-1]
        return value if isinstance(value, str) else written[1:-1]
    return written


@dataclass(frozen=True, slots=True)
class Member:
    """One member of a JSON object or YAML flow mapping: its key (unquoted) and offsets."""

    key: str
    key_start: int
    value_start: int
    value_end: int


@dataclass(frozen=True, slots=True)
class FlowObject:
    """A JSON object or YAML flow mapping: where its braces are, and its members."""

    open_at: int
    close_at: int
    members: tuple[Member, ...]


@dataclass(frozen=True, slots=True)
class BlockEntry:
    """A YAML block mapping entry whose value is on the lines below its key: the key's row and
    column, the column its children start at (None when it has none yet) and its last row."""

    row: int
    indent: int
    child_indent: int | None
    last_row: int


class TextEdits:
    """Adds entries to the mappings of one document version."""

    def __init__(self, text: DocumentText, language: str):
        self.text = text
        self.language = language

    # --- the file's style -------------------------------------------------------------------

    @cached_property
    def step(self) -> int:
        """The file's indentation step: the commonest increase from one line to the next (2 when
        no line is indented)."""
        deltas: Counter[int] = Counter()
        previous = 0
        for row in range(min(len(self.text.lines), _INDENT_SAMPLE)):
            line = self.text.line(row)
            stripped = line.lstrip(" ")
            if not stripped or stripped.startswith("#"):
                continue
            indent = len(line) - len(stripped)
            if indent > previous:
                deltas[indent - previous] += 1
            previous = indent
        return deltas.most_common(1)[0][0] if deltas else 2

    # --- YAML block mappings ------------------------------------------------------------------

    def block_entry(self, row: int, col: int) -> BlockEntry | None:
        """The block entry whose key starts at (``row``, ``col``); None when its key does not start
        its line or its value is written on the key's line (a flow mapping, a scalar)."""
        line = self.text.line(row)
        if line[:col].strip():
            return None
        match = _KEY_LINE.match(line)
        if match is None or len(match.group(1)) != col:
            return None
        rest = line[match.end() + 1 :].strip()
        if rest and not rest.startswith("#"):
            return None
        last, child = row, None
        for following in range(row + 1, len(self.text.lines)):
            content = self.text.line(following)
            stripped = content.strip()
            if not stripped or stripped.startswith("#"):
                continue
            indent = indent_of(content)
            if indent <= col:
                break
            child = indent if child is None else child
            last = following
        return BlockEntry(row, col, child, last)

    def block_children(self, entry: BlockEntry) -> list[tuple[str, int]]:
        """The keys directly under a block entry (unquoted) and their rows."""
        found: list[tuple[str, int]] = []
        if entry.child_indent is None:
            return found
        for row in range(entry.row + 1, entry.last_row + 1):
            line = self.text.line(row)
            match = _KEY_LINE.match(line)
            if match is not None and len(match.group(1)) == entry.child_indent:
                found.append((unquoted_key(match.group(2)), row))
        return found

    def insert_block(self, row: int, indent: int, key: str, value: Tree | str, step: int | None = None) -> Edit:
        """Insert ``key: value`` as whole lines before ``row``, its key at column ``indent``; ``key``
        is written as given (the caller quotes it)."""
        step = step or self.step
        pad = " " * indent
        if isinstance(value, dict):
            block = [f"{pad}{key}:", *yaml_lines(value, indent + step, step)]
        else:
            block = [f"{pad}{key}: {yaml_scalar(value)}"]
        return self.text.insert_lines(row, block)

    # --- JSON and YAML flow mappings ------------------------------------------------------------

    def flow_object(self, open_at: int, until: str | None = None) -> FlowObject | None:
        """The object whose ``{`` is at ``open_at``; None when it cannot be read. With ``until``,
        reading stops at the member with that key (``close_at`` is then -1)."""
        full = self.text.joined
        if full[open_at : open_at + 1] != "{":
            return None
        members: list[Member] = []
        i = skip_blanks(full, open_at + 1)
        while i < len(full) and full[i] != "}":
            key_end = string_end(full, i, FLOW) if FLOW.opens(full[i]) else self._plain_key_end(full, i)
            if key_end is None:
                return None
            colon = skip_blanks(full, key_end)
            if full[colon : colon + 1] != ":":
                return None
            value_start = skip_blanks(full, colon + 1)
            key = unquoted_key(full[i:key_end].strip())
            if key == until:
                members.append(Member(key, i, value_start, value_start))
                return FlowObject(open_at, -1, tuple(members))
            value_end = self._value_end(full, value_start)
            if value_end is None:
                return None
            members.append(Member(key, i, value_start, value_end))
            i = skip_blanks(full, value_end)
            if full[i : i + 1] == ",":
                i = skip_blanks(full, i + 1)
            elif full[i : i + 1] != "}":
                return None
        if i >= len(full):
            return None
        return FlowObject(open_at, i, tuple(members))

    def _value_end(self, full: str, start: int) -> int | None:
        """Where the value at ``start`` ends; JSON's decoder skips a large value far faster than
        the character loop YAML flow needs."""
        if self.language == "json":
            try:
                return _JSON_DECODER.raw_decode(full, start)[1]
            except ValueError:
                pass
        return flow_value_end(full, start)

    def locate(self, tokens: Sequence[str]) -> tuple[int, int] | None:
        """Where the key at the end of a path of keys from the root starts (``("components",
        "responses", "NotFound")``), as (row, column); None when the path cannot be followed."""
        if not tokens:
            return None
        if self.language == "json":
            at = skip_blanks(self.text.joined, 0)
            member: Member | None = None
            for token in tokens:
                obj = self.flow_object(at, until=token)
                member = next((m for m in obj.members if m.key == token), None) if obj is not None else None
                if member is None:
                    return None
                at = member.value_start
            return self.text.point(member.key_start) if member is not None else None
        found: tuple[int, int] | None = None
        row = self._root_key(tokens[0])
        if row is not None:
            found = (row, 0)
        for token in tokens[1:]:
            if found is None:
                return None
            found = self._child_key(*found, token)
        return found

    def _child_key(self, row: int, col: int, key: str) -> tuple[int, int] | None:
        """Where ``key`` is among the children of the block entry at (``row``, ``col``). Searches
        over the joined text instead of a loop over its lines: ``components`` may be most of a 4 MB
        file."""
        text = self.text
        full = text.joined
        start = text.offset(row + 1, 0) - 1 if row + 1 < len(text.lines) else len(full)
        first = re.compile(r"\n( *)[^ \r\n#]").search(full, start)
        if first is None or len(first.group(1)) <= col:
            return None
        child = len(first.group(1))
        ends = re.compile(rf"\n {{0,{col}}}[^ \r\n#]").search(full, start)
        found = _find_key(full, "\n" + " " * child, key, start, ends.start() if ends is not None else len(full))
        return (text.point(found + 1)[0], child) if found is not None else None

    def _root_key(self, key: str) -> int | None:
        """The row of a key of a block-style YAML document's root mapping."""
        full = self.text.joined
        found = _find_key("\n" + full, "\n", key, 0, len(full) + 1)
        return self.text.point(found)[0] if found is not None else None

    @staticmethod
    def _plain_key_end(full: str, i: int) -> int | None:
        j = i
        while j < len(full) and full[j] not in ":,{}[]\n":
            j += 1
        return j if j > i and full[j : j + 1] == ":" else None

    def value_object(self, key_end: int) -> FlowObject | None:
        """The flow object that is the value of the key ending at offset ``key_end``."""
        full = self.text.joined
        colon = skip_blanks(full, key_end)
        if full[colon : colon + 1] != ":":
            return None
        return self.flow_object(skip_blanks(full, colon + 1))

    def append_member(self, obj: FlowObject, key: str, value: Tree | str) -> Edit:
        """Add ``"key": value`` at the end of ``obj``: after its last member (with a comma), on a
        line of its own when that member has one, else on the same line."""
        text = self.text
        written_key = json.dumps(key)
        if not obj.members:
            inner = f"{written_key}: {json.dumps(value, ensure_ascii=False)}"
            return text.span(obj.open_at + 1, obj.close_at), inner
        last = obj.members[-1]
        key_row, key_col = text.point(last.key_start)
        if key_row == text.point(obj.open_at)[0]:
            compact = json.dumps(value, ensure_ascii=False)
            return text.span(last.value_end, last.value_end), f", {written_key}: {compact}"
        indent = key_col if not text.line(key_row)[:key_col].strip() else indent_of(text.line(key_row))
        pretty = json.dumps(value, indent=self.step, ensure_ascii=False).split("\n")
        pad = " " * indent
        body = (text.newline + pad).join(pretty)
        # The comma goes right after the last value, before the line break that follows it.
        return text.span(last.value_end, last.value_end), f",{text.newline}{pad}{written_key}: {body}"
