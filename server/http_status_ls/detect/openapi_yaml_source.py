"""Block-style YAML read by indentation, for the operations model (`detect.openapi_read`).

The model needs a few keys at known places of a description (``paths`` -> path -> method ->
``responses`` -> code -> ``description``/``headers``/``content``...), never the schemas and examples
around them, which are most of a large file. Libyaml's event stream costs about 0.3 s on a 4 MB
description however little of it is wanted; here a mapping's keys are found by searching the text
for a line break followed by exactly the mapping's indentation, which the regular expression engine
does in C, so the values in between are skipped without being read.

Only block mappings are walked this way. A value written in flow style (``{...}``, ``[...]``), a
block scalar, or a scalar continued on the next lines is handed to PyYAML whole: such values are
small where the model looks (a ``security`` list, a ``description``). Keys are one line (no ``?``
complex keys); merge keys and aliases are not followed.
"""

from __future__ import annotations

import re
from functools import lru_cache, partial
from typing import Any, NamedTuple

import yaml

from http_status_ls.core.occurrences import Span, new_span
from http_status_ls.detect.openapi_reads import Reads, watched_keys
from http_status_ls.detect.yaml_prune import KnownLine, Skeleton

_Loader: type[yaml.CSafeLoader] | type[yaml.SafeLoader]
try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Loader = yaml.SafeLoader

# A key on its line: a quoted scalar or a plain one, then `:` and what follows on the line (with
# its trailing blanks, which the reader strips). A plain key runs to the first `:` followed by a
# blank or the line's end, and holds no blank followed by `#`. It is read as runs of ordinary
# characters between single special ones, each of which can be taken one way only: a lazy loop
# that tried the colon at every character made this match a tenth of the build.
_KEY = r"""('(?:[^'\r\n]|'')*'|"(?:[^"\\\r\n]|\\.)*"|(?:[^\s'"#&*!|>%@`{}\[\],?:-]|[-?:](?=\S))[^\s:#]*(?:(?:\#|[ \t]+(?=[^\s#:]|:\S|[^\S\r\n \t])|[^\S\r\n \t](?!\#)|:(?=\S))[^\s:#]*)*)"""
_AFTER_KEY = r"""[ \t]*:(?:[ \t]+([^\r\n]*)|[ \t]*)\r?$"""
_KEY_LINE = re.compile(_KEY + _AFTER_KEY, re.MULTILINE)
# The first line of a block with content (not blank, not a comment, not a document marker).
_FIRST_CONTENT = re.compile(r"^( *)(?=[^ \t\r\n#])(?!---|\.\.\.|%)", re.MULTILINE)
_NO_VALUE = re.compile(r"(?:[&!]\S*[ \t]*)*(?:#.*)?")
_PLAIN_COMMENT = re.compile(r"[ \t]+#.*$")
_QUOTED = r"""(?:'[^'\r\n]*(?:''[^'\r\n]*)*'|"[^"\\\r\n]*(?:\\.[^"\\\r\n]*)*")"""
"""A quoted scalar on one line, as runs between its escapes (a loop over its characters cost more)."""
_QUOTED_SCALAR = re.compile(f"({_QUOTED})" + r"""(?:[ \t]+#.*|[ \t]*)$""")
"""A quoted scalar closed on its key's line, then perhaps a comment (group 1: the scalar as written)."""
_NOT_CONTENT = ("---", "...", "%")
_ONLY_REF = re.compile(r"""( +)(?:\$ref|'\$ref'|"\$ref")[ \t]*:[ \t]+""" + f"({_QUOTED})" + r"""[ \t]*\r?\n?""")
"""A block that is one line, a `$ref` to a quoted reference (group 2) and nothing else."""
_MAY_START_KEY = r"(?=[^ \t\r\n#\-\[{]|-\S)"
"""What may start a key at the beginning of a line (not a sequence item, a flow collection, a comment)."""
_KEY_START = re.compile(_MAY_START_KEY)
_RESERVED_PLAIN = frozenset({"true", "false", "yes", "no", "on", "off", "null", "y", "n", ".inf", ".nan"})


@lru_cache(maxsize=64)
def _keys_at(indent: int) -> re.Pattern[str]:
    """A line break and exactly ``indent`` spaces before what may start a key (a literal start lets
    the regular expression engine skip to each candidate line at C speed)."""
    return re.compile("\n" + " " * indent + _MAY_START_KEY)


class YamlNode(NamedTuple):
    """A value in the text: a block of lines ``[start, end)`` (the lines after its key), with the
    rest of the key's line ``inline`` when the value starts there; or a value PyYAML read (``py``)."""

    start: int
    end: int
    inline: str = ""
    inline_at: int = -1
    py: Any = None
    loaded: bool = False


def _node(fields: tuple[int, int, str, int, Any, bool]) -> YamlNode:
    """A node from all its fields, without the named tuple's keyword handling (thousands per build)."""
    return tuple.__new__(YamlNode, fields)


KeyHandle = tuple[int, int] | tuple[int, int, int, int] | YamlNode
"""Where a key is: (start, end) offsets, with its (row, column) when known; or, for a key inside
a flow mapping, the node PyYAML read."""


class YamlSource:
    """Keys, scalars and positions of one YAML text."""

    def __init__(self, text: str, skeleton: Skeleton | None = None) -> None:
        self.text = text
        self.skeleton = skeleton.lines if skeleton is not None and skeleton.length == len(text) else None
        """Where the lines of the mappings the detector's pre-scan followed start (`yaml_prune.Skeleton`)."""
        self._anchor = (0, 0)  # an (offset, line) pair already counted, to count the next from
        self.read_lines: list[int] = []
        """The offsets where the lines read start, and the ranges read whole, made rows by :meth:`finish`."""
        self.read_ranges: list[tuple[int, int]] = []
        self._first_lines: dict[tuple[int, int], tuple[int, int] | None] = {}
        self._sparse_keys: set[str] = set()
        """The keys looked for in mappings whose other keys' lines were not read (`items`)."""

    def finish(self) -> Reads:
        """What the build read (`openapi_reads`), made rows once they are asked for."""
        watched = watched_keys(tuple(sorted(self._sparse_keys)), json=False) if self._sparse_keys else None
        return Reads(json=False, pending=partial(_rows_read, self.text, self.read_lines, self.read_ranges), watched=watched)

    # --- positions -------------------------------------------------------------------------

    def position(self, offset: int) -> tuple[int, int]:
        text = self.text
        known, line = self._anchor
        if offset >= known:
            line += text.count("\n", known, offset)
        else:
            line -= text.count("\n", offset, known)
        self._anchor = (offset, line)
        return line, offset - (text.rfind("\n", 0, offset) + 1)

    def span(self, start: int, end: int) -> Span:
        line, col = self.position(start)
        return new_span(line, col, line, col + (end - start))  # a key or scalar on one line

    # --- structure -------------------------------------------------------------------------

    def root(self) -> YamlNode | None:
        start = 1 if self.text.startswith("\ufeff") else 0
        return YamlNode(start, len(self.text))

    def _first_line(self, node: YamlNode) -> tuple[int, int] | None:
        """(offset, indent) of the first line of the block holding content, else None."""
        where = (node.start, node.end)
        if where in self._first_lines:
            return self._first_lines[where]  # a value's description is asked for twice, say
        match = _FIRST_CONTENT.search(self.text, node.start, node.end)
        found = None
        if match is not None:
            self.read_lines.append(match.start())
            found = match.start(), match.end() - match.start()
        self._first_lines[where] = found
        return found

    def _first_known(self, node: YamlNode, known: list[KnownLine]) -> tuple[int, int] | None:
        """`_first_line` from the pre-scan's lines of the mapping."""
        if not known or known[0][0] >= node.end:
            return None
        start, indent, _, _ = known[0]
        if self.text.startswith(_NOT_CONTENT, start + indent):
            return self._first_line(node)  # a line `_FIRST_CONTENT` passes over: let it decide
        self.read_lines.append(start)
        found = self._first_lines[(node.start, node.end)] = start, indent
        return found

    def _value(self, node: YamlNode) -> Any:
        """The value as PyYAML reads it (a flow collection, a block scalar, a continued scalar)."""
        if node.loaded:
            return node.py
        slice_start = self.text.rfind("\n", 0, node.inline_at) + 1 if node.inline_at >= 0 else node.start
        self.read_ranges.append((slice_start, node.end))
        try:
            loaded = yaml.load(self.text[slice_start : node.end], Loader=_Loader)  # noqa: S506 - a safe loader
        except yaml.YAMLError:
            return None
        if isinstance(loaded, dict) and len(loaded) == 1 and node.inline_at >= 0:
            return next(iter(loaded.values()))
        return loaded if node.inline_at < 0 else None

    def _is_block(self, node: YamlNode) -> bool:
        return not node.loaded and not node.inline

    def items(
        self, node: YamlNode, only: tuple[str, ...] | None = None, *, sparse: bool = False
    ) -> list[tuple[str, KeyHandle, YamlNode]]:
        """(key, key handle, value) of a mapping; nothing for anything else. ``only``: the keys
        wanted (others may be left out, which spares reading them). ``sparse``: the lines of the
        other keys are not read either (`Reads.watched`): an operation's summary and description
        are typed in."""
        if node.loaded or node.inline:
            return self._flow_items(node)
        mark = len(self.read_lines)
        found_lines = self._key_lines(node)
        sparse = sparse and only is not None
        if sparse:
            del self.read_lines[mark:]  # only the lines of the keys found are read, below
            self._sparse_keys.update(only or ())
        if found_lines is None:
            return []
        indent, lines, rows = found_lines
        text, end = self.text, node.end
        key_line = _KEY_LINE.match
        wanted = _prefixes(only) if only is not None else None
        found: list[tuple[str, KeyHandle, YamlNode]] = []
        last = len(lines) - 1
        for index, line in enumerate(lines):
            start = line + indent
            if wanted is not None and not text.startswith(wanted, start):
                continue
            match = key_line(text, start, end)
            if match is None:
                continue
            raw, rest = match.groups()
            key = _unquote(raw) if raw[0] in "'\"" else raw
            if key is None:
                continue
            following = lines[index + 1] if index < last else end
            value = _value_node(min(match.end() + 1, end), following, rest, match.start(2))
            # A key whose row the pre-scan gave is placed without counting lines to it.
            handle = (start, start + len(raw)) if rows is None else (start, start + len(raw), rows[index], indent)
            found.append((key, handle, value))
            if sparse:
                self.read_lines.append(line)
        return found

    def _flow_items(self, node: YamlNode) -> list[tuple[str, KeyHandle, YamlNode]]:
        """`items` of a value PyYAML reads (a flow mapping, say)."""
        value = self._value(node)
        if isinstance(value, dict):
            return [(str(key), node, YamlNode(node.start, node.end, py=item, loaded=True)) for key, item in value.items()]
        return []

    def _key_lines(self, node: YamlNode) -> tuple[int, list[int], list[int] | None] | None:
        """The indent of a block mapping's keys, the starts of the lines that may hold them, and
        their rows when the pre-scan gave them; None when the block is no mapping."""
        known = self.skeleton.get(node.start) if self.skeleton is not None else None
        first = self._first_line(node) if known is None else self._first_known(node, known)
        if first is None:
            return None
        offset, indent = first
        text = self.text
        lead = text[offset + indent : offset + indent + 2]
        if lead[:1] in ("[", "{") or (lead[:1] == "-" and lead[1:] in (" ", "\n", "\r", "")):
            return None
        if known is not None:
            lines, rows = _known_keys(text, known, indent, node.end)
        else:
            # Line starts of the keys (the first line's, then one after each line break the search found).
            lines = [offset, *(m.start() + 1 for m in _keys_at(indent).finditer(text, offset + indent, node.end))]
            rows = None
        self.read_lines += lines
        return indent, lines, rows

    def only_ref(self, node: YamlNode) -> str | None:
        """The reference of a mapping that holds a ``$ref`` and nothing else, written on one line
        below its key, with the same line read as `items` would; else None."""
        if node.loaded or node.inline:
            return None
        found = _ONLY_REF.fullmatch(self.text, node.start, node.end)
        if found is None:
            return None
        self.read_lines.append(node.start)
        return _unquote(found.group(2))

    def responses(self, node: YamlNode) -> None:
        """Only the JSON source is handed the responses its detector read (`JsonSource.responses`)."""
        return None

    def key_span(self, handle: KeyHandle) -> Span:
        """The key's span; a value PyYAML read (a key inside a flow mapping) has only its own place."""
        if isinstance(handle, YamlNode):
            return self._node_span(handle)
        if len(handle) == 4:
            start, end, row, column = handle
            return new_span(row, column, row, column + (end - start))
        start, end = handle[:2]
        return self.span(start, end)

    def _node_span(self, node: YamlNode) -> Span:
        at = node.inline_at if node.inline_at >= 0 else node.start
        line, col = self.position(at)
        return Span(line, col, line, col)

    def scalar(self, node: YamlNode) -> str | None:
        """A string or number value, as a string."""
        if node.loaded:
            value = node.py
        elif not node.inline:
            if self._first_line(node) is None:
                return None
            value = self._value(YamlNode(node.start, node.end, inline=" ", inline_at=node.start - 1))
            return None if not isinstance(value, (str, int, float)) else str(value)
        elif self._first_line(node) is not None or node.inline[0] in "|>[{&*!":
            value = self._value(node)
        else:
            value = _scalar(node.inline)
        return str(value) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else None

    def value_span(self, node: YamlNode) -> Span | None:
        """The value as written on its key's line (a one-line scalar of reason-phrase length)."""
        if node.loaded or not node.inline or len(node.inline) > 200 or self._first_line(node) is not None:
            return None
        if node.inline[0] in "'\"":
            quoted = _QUOTED_SCALAR.match(node.inline)
            written = quoted.group(1) if quoted is not None else node.inline
        else:
            written = _PLAIN_COMMENT.sub("", node.inline)
        return self.span(node.inline_at, node.inline_at + len(written.rstrip()))

    def python(self, node: YamlNode) -> Any:
        """The whole value as Python objects (for small values only)."""
        if node.loaded:
            return node.py
        if node.inline:
            if self._first_line(node) is None and node.inline[0] not in "|>[{&*!'\"":
                return _scalar(node.inline)
            return self._value(node)
        if self._first_line(node) is None:
            return None
        self.read_ranges.append((node.start, node.end))
        try:
            return yaml.load(self.text[node.start : node.end], Loader=_Loader)  # noqa: S506 - a safe loader
        except yaml.YAMLError:
            return None

    def raw(self, node: YamlNode) -> str:
        if node.loaded:
            return repr(node.py)
        self.read_ranges.append((node.start, node.end))
        return (node.inline + "\n" if node.inline else "") + self.text[node.start : node.end]

    def is_empty(self, node: YamlNode) -> bool:
        if node.loaded:
            return not node.py
        if node.inline:
            return node.inline.strip() in ("[]", "{}", "~", "null", "''", '""')
        return self._first_line(node) is None

    def layout(self, node: YamlNode) -> tuple[bool, int | None, tuple[int, int] | None]:
        """(flow, the column of the mapping's keys, where a new key goes) of a mapping value."""
        if not self._is_block(node):
            return True, None, None
        first = self._first_line(node)
        if first is None:
            return False, None, self.position(node.start)
        # Back over trailing blank and comment lines, so a new key goes right after the last value.
        text, end = self.text, node.end
        while end > first[0]:
            line_start = max(text.rfind("\n", first[0], end - 1) + 1, first[0])
            line = text[line_start:end].strip()
            if line and not line.startswith("#"):
                self.read_lines.append(line_start)
                break
            end = line_start
        return False, first[1], self.position(end)


def _value_node(block_start: int, following: int, rest: str | None, rest_at: int) -> YamlNode:
    """The value of a key: the lines below it up to the next key, with what follows the key's colon
    on its line (its trailing blanks dropped) unless that is nothing, an anchor, a tag or a comment."""
    if rest and rest[-1] in " \t":
        rest = rest.rstrip(" \t")
    if not rest or _NO_VALUE.fullmatch(rest):
        return _node((block_start, following, "", -1, None, False))
    return _node((block_start, following, rest, rest_at, None, False))


def _known_keys(text: str, known: list[KnownLine], indent: int, end: int) -> tuple[list[int], list[int]]:
    """The starts of the lines the key search (`_keys_at`) would find, and their rows, from the
    pre-scan's lines of the mapping: those at its indent that may start a key (which the pre-scan
    says, but for a `-` it leaves to `_KEY_START`)."""
    starts, rows = [], []
    may_start_key = _KEY_START.match
    for start, at, row, may in known:
        if start >= end:
            break
        if at == indent and (may or (may is None and may_start_key(text, start + at))):
            starts.append(start)
            rows.append(row)
    return starts, rows


def _rows_read(text: str, lines: list[int], ranges: list[tuple[int, int]]) -> tuple[set[int], list[tuple[int, int]]]:
    """The rows of the line offsets and ranges a build read: one counting pass over them."""
    row_of: dict[int, int] = {}
    offset, row = 0, 0
    for at in sorted({*lines, *(start for start, _ in ranges), *(end for _, end in ranges)}):
        row += text.count("\n", offset, at)
        offset = at
        row_of[at] = row
    return {row_of[start] for start in lines}, [(row_of[start], row_of[end]) for start, end in ranges]


@lru_cache(maxsize=32)
def _prefixes(keys: tuple[str, ...]) -> tuple[str, ...]:
    """How each key may start its line: plain, single- or double-quoted."""
    return tuple(f"{quote}{key}" for key in keys for quote in ("", "'", '"'))


def _unquote(raw: str) -> str | None:
    if raw.startswith("'"):
        return raw[1:-1].replace("''", "'")
    if raw.startswith('"'):
        if "\\" not in raw:
            return raw[1:-1]
        try:
            value = yaml.load(raw, Loader=_Loader)  # noqa: S506 - a safe loader
        except yaml.YAMLError:
            return None
        return value if isinstance(value, str) else None
    return raw


def _scalar(inline: str) -> Any:
    if inline[0] in "'\"":
        # Only the quoted scalar: a comment after it is no part of the value.
        quoted = _QUOTED_SCALAR.match(inline)
        value = _unquote(quoted.group(1)) if quoted is not None else None
        if value is not None:
            return value
    plain = _PLAIN_COMMENT.sub("", inline).strip()
    if plain[:1].isalpha() and plain.lower() not in _RESERVED_PLAIN:
        return plain  # prose: a string whatever it says, no need to ask PyYAML
    try:
        return yaml.load(plain, Loader=_Loader) if plain else None  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        return plain
