"""The pre-scan of a YAML API description: blank what libyaml never needs to see.

Most of a large API description (schemas, examples, descriptions, parameters) lies under keys whose
role is None, and turning each of its nodes into a Python event is what makes a full read slow. A
line scan that understands block-style YAML (one key per line, children indented deeper) follows the
roles down from the root and blanks the value of every key that leads nowhere, when that value
starts on the next line: the key keeps a null value, every other position stays put. Whatever the
scan does not understand (flow collections, sequences, scalars on the key's line) it leaves
untouched, for libyaml to read as usual.

The scan also notes the line of every ``responses`` key and response key it passes, so that the
YAML detector can cross-check it against libyaml's reading and read the full text whenever the two
disagree (see `detect.yaml`), and where the lines of each mapping it follows start (`Skeleton`),
so that the OpenAPI model need not search the text for them again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from http_status_ls.detect.openapi import FIXED_ROLES, SIGNIFICANT_KEYS, Role, child_role, is_response_key

# A block mapping key on one line: a quoted scalar, or a plain one (which cannot start with an
# indicator, unless `-?:` followed by a non-space, and ends at the first `: `, `:` at the end of
# the line, or ` #`), then the first character of what follows the colon, if anything: the rest
# of the line is not matched, which on long one-line descriptions was most of the matching. The
# line is matched up to its "\n", so a "\r" before it is allowed for.
_INNER_COLON = rb""":(?![ \t]+[^ \t\r\n]|[ \t]*\r?$)"""
"""A colon inside a plain key: one followed by a blank and more, or ending the line, ends the key."""
_PLAIN_KEY_REST = rb"""[^\s:#]*(?:(?:\#|[\f\v](?!\#)|[ \t]+(?=[^\s:#]|[\f\v]|%s)|%s)[^\s:#]*)*""" % (_INNER_COLON, _INNER_COLON)
"""The rest of a plain key, as runs of ordinary characters between single special ones, each taken
one way only: a lazy loop that tried the colon at every character cost a third more."""
_KEY_LINE = (
    rb"""('(?:[^'\r\n]|'')*'|"(?:[^"\\\r\n]|\\.)*"|(?:[^\s'"#&*!|>%@`{}\[\],?:-]|[-?:](?=\S))"""
    + _PLAIN_KEY_REST
    + rb""")[ \t]*:(?:[ \t]+(?=([^ \t\r\n]))|[ \t]*\r?$)"""
)
_LINE = re.compile(rb"( *)(?:" + _KEY_LINE + rb")?")
"""A line's indentation (group 1), then the key (2) and the first character of its value (3) when
the line is a key line; one match per line, where the indentation and the key took two."""
_MAY_BE_NO_VALUE = frozenset(b"&!#")
"""The first characters of a rest of a key line that may still leave the value to the next lines."""
# A rest of the key line that leaves the value to the following lines: anchors, tags, a comment.
_NO_VALUE = re.compile(rb"(?:[&!]\S*[ \t]*)*(?:#.*)?")
_DOCUMENT_MARKER = re.compile(rb"(?:---|\.\.\.)(?:[ \t\r]|$)")
_LONE_CR = re.compile("\r(?!\n)")
_BLANK_BYTES = bytes(b if b in (0x0A, 0x0D) else 0x20 for b in range(256))
_CONTINUATION_BYTES = bytes(range(0x80, 0xC0))
_region_ends: dict[tuple[int, bool], re.Pattern[bytes]] = {}
_NOT_CONTENT = frozenset((b"", b"\n", b"\r", b"#"))
"""What a line without content starts with after its indentation (a blank line, a comment)."""
_NO_KEY_START = frozenset((b"-", b"[", b"{"))
_BLANK_AFTER_DASH = (b" ", b"\t", b"\r", b"\n", b"")

KnownLine = tuple[int, int, int, bool | None]
"""A line the pre-scan met in a mapping it followed: where it starts (in code points), its indent,
its row, and whether it may start a key (None: ask, see `_dash_may_start_key`)."""
# Mappings whose keys' values on the key line may matter: the version at the root, an empty value
# under `responses` (the user is about to type a key), a mapping the scan does not follow.
_VALUES_MATTER = (None, Role.ROOT, Role.RESPONSES)


def _raw_children(role: Role) -> dict[bytes, Role]:
    """The keys that lead on from a mapping with ``role``, as they may be written (plain, single-
    or double-quoted), with the role of their values."""
    found = {}
    for key in SIGNIFICANT_KEYS:
        child = child_role(role, key)
        if child is not None:
            for written in (key, f"'{key}'", f'"{key}"'):
                found[written.encode()] = child
    return found


_FIXED_RAW: dict[Role | None, dict[bytes, Role]] = {role: _raw_children(role) for role in (*FIXED_ROLES, Role.RESPONSE)}
"""The roles whose mappings lead on only through a few fixed keys (a response through none), with
those keys as written: a key line is looked up as its bytes, without being decoded."""

# Characters libyaml refuses (it raises on control characters and lone surrogates) or reads as line
# breaks where the LSP sees none (NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR). The YAML detector turns
# each into one space, so no position moves.
UNREADABLE = re.compile("[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(slots=True)
class Region:
    """The blanked value under one key: its first line, and its bytes in the UTF-8 source."""

    first_line: int
    start: int
    end: int


@dataclass(slots=True)
class Skeleton:
    """The lines of the mappings the scan followed (the root, ``paths``, path items, operations,
    ``responses``, each response...), for a reader of the same text that walks them again (the
    OpenAPI model, `openapi_yaml_source`): finding a mapping's keys by searching its text costs more
    than the scan itself on a 4 MB description, whose followed mappings hold most of its bytes.

    Its one reader in the server is the model's first build, which then lets go of it (`release`)."""

    lines: dict[int, list[KnownLine]]
    """Where a followed mapping's value starts (the line after its key's, 0 for the root), in code
    points -> each line of content the scan met in it at the mapping's own level, in order: its
    keys, and whatever else starts a line there (`KnownLine`)."""
    length: int
    """The length of the text scanned, in code points: a skeleton is only of the text it was made from."""

    def release(self) -> None:
        """Let go of the lines once the model is built: GitHub's 2.5 MB of them are some 16,000 objects,
        which the garbage collection that follows the analysis would otherwise walk (3-5 ms), and the
        detection keeps them until the first edit. A skeleton released fits no text."""
        self.lines = {}
        self.length = -1


@dataclass(slots=True)
class Pruned:
    """A text with values blanked, and what the line scan saw on the way."""

    text: str
    source: bytes
    """The UTF-8 text before blanking."""
    regions: dict[int, Region]
    """Key line -> the value blanked under it."""
    responses_lines: list[int]
    """The lines of the ``responses`` keys the scan followed."""
    response_key_lines: list[int]
    """The lines of the keys it found in them."""
    value_lines: dict[int, int]
    """Line -> byte offset in the line where its value starts, for each key line it followed whose key leads
    nowhere and whose value is on the line and ends with it (`description: Not found.` in a
    response): what is typed into such a value cannot change the detector's findings."""
    skeleton: Skeleton | None = None
    """None when the scan met a document marker (the mappings it followed are not one document's)
    or too many non-ASCII characters to count code points cheaply."""

    def content_end(self, key_line: int) -> tuple[int, int] | None:
        """Where the blanked value under the key on ``key_line`` really ends, as (line, column): its
        last character that is not space or in a comment line, so that a `responses` block that ends
        with it keeps its true extent. None when nothing was blanked under that key."""
        region = self.regions.get(key_line)
        if region is None:
            return None
        lines = self.source[region.start : region.end].split(b"\n")
        for number in range(len(lines) - 1, -1, -1):
            body = lines[number].rstrip()
            stripped = body.lstrip(b" ")
            if stripped and not stripped.startswith(b"#"):
                return region.first_line + number, len(body.decode("utf-8", "replace"))
        return None


def prune(text: str) -> Pruned | None:
    """Blank the values of role-less keys in a block-style API description; None when the text is
    not one this scan can follow (tabs in indentation, lone CR line breaks)."""
    if "\r" in text and _LONE_CR.search(text):
        return None
    source = text.encode("utf-8", "surrogatepass")
    scan = _LineScan()
    if not scan.run(source, len(source) - len(text)):
        return None
    text = _blank_regions(source, scan.regions).decode("utf-8", "surrogatepass")
    skeleton = Skeleton(scan.followed, len(text)) if scan.followed is not None else None
    return Pruned(text, source, scan.regions, scan.responses_lines, scan.response_key_lines, scan.value_lines, skeleton)


class _LineScan:
    """One pass over the lines of a block-style text, following the roles down from the root."""

    __slots__ = ("regions", "responses_lines", "response_key_lines", "value_lines", "followed")

    def __init__(self) -> None:
        self.regions: dict[int, Region] = {}
        self.responses_lines: list[int] = []
        self.response_key_lines: list[int] = []
        self.value_lines: dict[int, int] = {}
        self.followed: dict[int, list[KnownLine]] | None = {}
        """`Skeleton.lines`, while it is being made."""

    def run(self, source: bytes, wider: int) -> bool:
        """Scan ``source``; False when it is not a text this scan can follow (a tab indents a line).
        ``wider``: how many more bytes than code points it has."""
        root: list[KnownLine] = []
        followed = {0: root}
        self.followed = followed
        # The open mappings that have a role: (indent of their key, role, the lines met in them).
        stack: list[tuple[int, Role | None, list[KnownLine]]] = [(-1, Role.ROOT, root)]
        # Code points are counted from bytes by the UTF-8 characters of more than one byte: their
        # offsets and the bytes each adds, then one past the end (so the loops below need no bound).
        size = len(source)
        wide = [*self._wide_characters_if_few(source, wider), (size + 1, 0)]
        next_wide = extra = 0
        record = self.followed is not None
        position = 0
        line = 0
        # Bound once: the loop runs once per line of every followed mapping (12,000 on GitHub's).
        find, line_match, count = source.find, _LINE.match, source.count
        while position < size:
            newline = find(b"\n", position)
            content_end = size if newline < 0 else newline
            line_end = content_end + 1
            match = line_match(source, position, content_end)
            assert match is not None  # the indentation matches anywhere
            content_start = match.end(1)
            first = source[content_start : content_start + 1]
            if first in _NOT_CONTENT:
                position, line = line_end, line + 1
                continue
            if first == b"\t":
                return False
            indent = content_start - position
            if indent == 0 and _DOCUMENT_MARKER.match(source, content_start, content_end) is not None:
                stack = [(-1, Role.ROOT, [])]  # a new document
                self.followed, record = None, False  # the mappings followed are not one document's
                position, line = line_end, line + 1
                continue
            while stack[-1][0] >= indent:
                stack.pop()
            parent = stack[-1][1]
            if record:
                while wide[next_wide][0] < position:
                    extra += wide[next_wide][1]
                    next_wide += 1
                # Whether the line may start a key, as the model's reader would ask.
                may = first not in _NO_KEY_START or _dash_may_start_key(source, content_start, first)
                stack[-1][2].append((position - extra, indent, line, may))
            raw = match.group(2)
            role = None
            opens_block = False
            if raw is not None:
                rest = match.start(3)
                opens_block = rest < 0 or (
                    source[rest] in _MAY_BE_NO_VALUE
                    and _NO_VALUE.fullmatch(source, rest, content_end - (source[content_end - 1] == 13)) is not None
                )
                role = self._key_role(raw, parent, line)
            if role is not None and opens_block:
                lines: list[KnownLine] = []
                if record:
                    while wide[next_wide][0] < line_end:
                        extra += wide[next_wide][1]
                        next_wide += 1
                    followed[line_end - extra] = lines
                stack.append((indent, role, lines))
                position, line = line_end, line + 1
                continue
            if newline < 0:
                break
            end = self._skip_value(source, match, (line, position, newline), indent, opens_block, role, parent)
            position, line = end, line + 1 + count(b"\n", line_end, end)
        return True

    def _wide_characters_if_few(self, source: bytes, wider: int) -> list[tuple[int, int]]:
        """`_wide_characters` of ``source``; none, and no skeleton, when there are too many (each
        adds at most 3 bytes: more than that many bytes more tells without a search)."""
        if not wider:
            return []
        wide = _wide_characters(source) if wider <= 3 * _WIDE_CHARACTERS_MOST else None
        if wide is None:
            self.followed = None
            return []
        return wide

    def _skip_value(
        self,
        source: bytes,
        match: re.Match[bytes],
        where: tuple[int, int, int],
        indent: int,
        opens_block: bool,
        role: Role | None,
        parent: Role | None,
    ) -> int:
        """Where the value of a key this scan does not follow ends; blanked when it is a block of
        its own, noted when it is on the key's line and leads nowhere (`value_lines`). ``where``:
        the key's line, and the offsets where that line starts and of its line break."""
        line, position, newline = where
        found = _region_end(indent, opens_block).search(source, newline)
        end = len(source) if found is None else found.start() + 1
        if opens_block:
            if end > newline + 1:
                self.regions[line] = Region(line + 1, newline + 1, end)
        elif end == newline + 1 and match.start(2) >= 0 and role is None and parent not in _VALUES_MATTER:
            self.value_lines[line] = match.start(3) - position
        return end

    def _key_role(self, raw_key: bytes, parent: Role | None, line: int) -> Role | None:
        """The role of the value under a key written ``raw_key`` on ``line`` in a mapping with role
        ``parent``; notes the line when the key is a `responses` key or a response key."""
        fixed = _FIXED_RAW.get(parent)
        if fixed is not None and not (raw_key[0] == 34 and 92 in raw_key):  # not double-quoted with escapes
            role = fixed.get(raw_key)  # looked up as written: most keys of an operation lead nowhere
            if role is Role.RESPONSES:
                self.responses_lines.append(line)
            return role
        if parent is None:
            return None
        key = _plain_key(raw_key)
        if parent is Role.RESPONSES:
            # A key the scan cannot read (an escape sequence) is taken for a response key: if it is
            # not one, libyaml will disagree and the full text is read.
            if key is None or is_response_key(key):
                self.response_key_lines.append(line)
                return Role.RESPONSE
            return None
        if key is None:
            return None
        role = child_role(parent, key)
        if role is Role.RESPONSES:
            self.responses_lines.append(line)
        return role


_WIDE_CHARACTERS_MOST = 20_000
"""Above this many, counting code points costs more than the skeleton saves."""
_ASCII_BLOCK = 1 << 16
_LEAD_BYTE = re.compile(rb"[\xc0-\xff]")
"""The first byte of a UTF-8 character of more than one byte (the others are 0x80-0xBF)."""


def _wide_characters(source: bytes) -> list[tuple[int, int]] | None:
    """The byte offset of each UTF-8 character of more than one byte, with the bytes it adds, in
    order; None when there are too many. ASCII is passed over by halving blocks (a slice and
    ``isascii`` run at memory speed, where a regular expression took 30 ms on 4 MB)."""
    found: list[tuple[int, int]] = []
    size = len(source)
    for block in range(0, size, _ASCII_BLOCK):
        pending = [(block, min(block + _ASCII_BLOCK, size))]
        while pending:
            start, end = pending.pop()
            if source[start:end].isascii():
                continue
            if end - start > 512:
                middle = (start + end) // 2
                pending += ((middle, end), (start, middle))  # the first half is taken first
                continue
            for lead in _LEAD_BYTE.finditer(source, start, end):
                byte = lead.group()[0]
                found.append((lead.start(), 1 if byte < 0xE0 else 2 if byte < 0xF0 else 3))
        if len(found) > _WIDE_CHARACTERS_MOST:
            return None
    return found


def _dash_may_start_key(source: bytes, content_start: int, first: bytes) -> bool | None:
    """For a line starting with ``[``, ``{`` or ``-``, whether it may start a key as the model's reader
    would ask (`_KEY_START` in `openapi_yaml_source`): surely not for ``[``, ``{`` or a ``- `` item;
    None leaves a ``-`` before anything else to that reader."""
    if first == b"-" and source[content_start + 1 : content_start + 2] not in _BLANK_AFTER_DASH:
        return None
    return False


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


def continues_region(line: str, key_indent: int) -> bool:
    """Whether ``line`` (with its line break) would be blanked as part of the value of a key indented
    by ``key_indent``, by the same rule the scan uses to find where that value ends."""
    return _region_end(key_indent, True).match(b"\n" + line.encode("utf-8", "surrogatepass")) is None


def _plain_key(raw: bytes) -> str | None:
    """A key as written on its line, unquoted; None for a double-quoted key whose escapes libyaml
    refuses."""
    if raw[:1] == b"'":
        return raw[1:-1].replace(b"''", b"'").decode("utf-8", "replace")
    if raw[:1] == b'"':
        return _unescaped(raw) if b"\\" in raw else raw[1:-1].decode("utf-8", "replace")
    return raw.decode("utf-8", "replace")


def _unescaped(raw: bytes) -> str | None:
    """A double-quoted key with escapes (``"/u/\\\\x"``, ``"/u/\\u0041"``), decoded by libyaml itself so
    that the scan and the full reading agree on it. Such keys are rare; without a value, a path key
    would lead nowhere and its responses would be blanked unseen."""
    try:
        value = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        return None
    return value if isinstance(value, str) else None


def _blank_regions(source: bytes, regions: dict[int, Region]) -> bytes:
    """``source`` with every region blanked (regions are in ascending order and never overlap)."""
    pieces: list[bytes] = []
    previous = 0
    for region in regions.values():
        pieces.append(source[previous : region.start])
        pieces.append(_blank(source[region.start : region.end]))
        previous = region.end
    pieces.append(source[previous:])
    return b"".join(pieces)


def _blank(segment: bytes) -> bytes:
    """The UTF-8 segment with every character but line breaks turned into one space, so that the
    marks of what follows (which count characters) do not move: continuation bytes are dropped and
    every other byte becomes a space."""
    return segment.translate(_BLANK_BYTES, _CONTINUATION_BYTES)
