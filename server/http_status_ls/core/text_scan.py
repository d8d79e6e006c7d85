"""The small lexers that features and detectors run on raw text, where there is no parse tree to ask:
where a string ends, which brackets are still open, where a comment starts.

Three kinds of text are read, each with its own quoting (:class:`Quoting`):

* Python: ``'``, ``"`` and their triple forms, backslash escapes; a one-line string ends with its
  line even when it was never closed (:func:`python_lexemes`, :func:`python_line_state`);
* JSON and YAML flow collections: ``"`` with backslash escapes, and YAML's ``'`` where a doubled
  quote is an escaped one (:func:`flow_value_end`, :func:`yaml_flow_depth`, :func:`json_scan`);
* one line of Python or YAML, to tell a ``#`` comment from a ``#`` in a string (:func:`starts_comment`).

Every function takes code-point offsets into a ``str`` (the Python lexer also reads ``bytes``, for
the detector's byte offsets) and none of them allocates more than its answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import AnyStr, Generic, Literal, NamedTuple, cast

# --- strings ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Quoting:
    """How strings are written in one kind of text: for each opening quote, the rest of the string
    up to and including its closing quote."""

    rests: Mapping[str, re.Pattern[str]]

    def opens(self, char: str) -> bool:
        return char in self.rests


# A doubled quote is one escaped quote, so a closing quote is never followed by another.
_DOUBLE_QUOTED_REST = re.compile(r'(?:\\.|[^"\\])*"', re.S)
FLOW = Quoting({'"': _DOUBLE_QUOTED_REST, "'": re.compile(r"(?:''|[^'])*'(?!')", re.S)})
"""JSON strings and YAML flow scalars."""
JSON = Quoting({'"': _DOUBLE_QUOTED_REST})
HASH_COMMENT_LINE = Quoting({'"': _DOUBLE_QUOTED_REST, "'": re.compile(r"(?:\\.|''|[^'\\])*'(?!')", re.S)})
"""One line of Python or YAML: backslash escapes in either quote, and YAML's doubled ``''``."""


def string_end(text: str, start: int, quoting: Quoting = FLOW, stop: int | None = None) -> int | None:
    """The index after the string whose opening quote is ``text[start]``; None when it does not
    close before ``stop`` (the end of the text by default)."""
    rest = quoting.rests.get(text[start : start + 1])
    if rest is None:
        return None
    closing = rest.match(text, start + 1, len(text) if stop is None else stop)
    return closing.end() if closing is not None else None


# --- Python -----------------------------------------------------------------------------------------

LexemeKind = Literal["comment", "string", "unclosed", "open", "close", "comma", "newline"]


class Lexeme(NamedTuple):
    """One token of Python the lexer stops at. A ``string`` runs from its opening quote to the
    character after its closing quote, or to its line's end when ``closed`` is False; an
    ``unclosed`` string runs to the end of the text (a triple-quoted string never closed)."""

    kind: LexemeKind
    start: int
    end: int
    closed: bool = True


_PYTHON_LEXEME = (
    r"""(?P<comment>\#[^\n]*)|(?P<quote>'''|\"\"\"|'|")|(?P<open>[(\[{])|(?P<close>[)\]}])|(?P<comma>,)|(?P<newline>\n)|\\\n"""
)
_PYTHON_STRING_REST = {
    "'''": (r"(?:\\.|[^\\])*?(?P<closing>''')", re.S),
    '"""': (r'(?:\\.|[^\\])*?(?P<closing>""")', re.S),
    "'": (r"(?:\\.|[^\\\n])*?(?:(?P<closing>')|(?=\n)|\Z)", 0),
    '"': (r'(?:\\.|[^\\\n])*?(?:(?P<closing>")|(?=\n)|\Z)', 0),
}


@dataclass(frozen=True, slots=True)
class _PythonPatterns(Generic[AnyStr]):
    lexeme: re.Pattern[AnyStr]
    string_rests: Mapping[AnyStr, re.Pattern[AnyStr]]


_PYTHON_TEXT = _PythonPatterns(
    re.compile(_PYTHON_LEXEME), {quote: re.compile(rest, flags) for quote, (rest, flags) in _PYTHON_STRING_REST.items()}
)
_PYTHON_BYTES = _PythonPatterns(
    re.compile(_PYTHON_LEXEME.encode()),
    {quote.encode(): re.compile(rest.encode(), flags) for quote, (rest, flags) in _PYTHON_STRING_REST.items()},
)


def python_lexemes(text: AnyStr, start: int = 0, end: int | None = None) -> Iterator[Lexeme]:
    """The comments, strings, brackets, commas and line breaks of Python ``text[start:end]``, in
    order (a backslash line continuation is skipped). A string that opens before ``end`` is read to
    its close even past ``end``."""
    # One function for str and bytes: the patterns match the text's type, which checkers cannot follow.
    patterns: _PythonPatterns[AnyStr] = _PYTHON_BYTES if isinstance(text, bytes) else _PYTHON_TEXT  # pyright: ignore[reportAssignmentType]
    stop = len(text) if end is None else end
    position = start
    while position < stop:
        found = patterns.lexeme.search(text, position, stop)
        if found is None:
            return
        kind = found.lastgroup
        position = found.end()
        if kind == "quote":
            rest = patterns.string_rests[found.group()].match(text, position)
            if rest is None:
                yield Lexeme("unclosed", found.start(), len(text), closed=False)
                return
            position = rest.end()
            yield Lexeme("string", found.start(), position, closed=rest.group("closing") is not None)
        elif kind is not None:
            yield Lexeme(cast(LexemeKind, kind), found.start(), position)


@dataclass(frozen=True, slots=True)
class LineState:
    """Where the end of one line of Python stands."""

    ends_in: Literal["code", "string", "comment"]
    brackets: tuple[tuple[int, str], ...]
    """The brackets still open, as (index, character), innermost last."""
    commas: tuple[int, ...]
    """The commas directly inside the innermost open bracket (or outside any bracket)."""


def python_line_state(line: str) -> LineState:
    """Whether one line of Python (or the part of it before a cursor) ends in code, in a string or
    in a comment, and which of its brackets are still open."""
    stack: list[tuple[int, str, list[int]]] = [(-1, "", [])]
    ends_in: Literal["code", "string", "comment"] = "code"
    for lexeme in python_lexemes(line):
        kind = lexeme.kind
        if kind == "comment":
            ends_in = "comment"
            break
        if kind == "unclosed" or not lexeme.closed:
            ends_in = "string"
            break
        if kind == "open":
            stack.append((lexeme.start, line[lexeme.start], []))
        elif kind == "close" and len(stack) > 1:
            stack.pop()
        elif kind == "comma":
            stack[-1][2].append(lexeme.start)
    return LineState(ends_in, tuple((at, char) for at, char, _ in stack[1:]), tuple(stack[-1][2]))


# --- a comment on one line of Python or YAML ----------------------------------------------------------

_STRING_PREFIX = re.compile(r"(?:^|[^\w])[rRbBfFuUtT]{1,2}$")


def starts_comment(line: str, hash_at: int) -> bool:
    """Whether the ``#`` at ``hash_at`` begins a comment: not inside a quoted string of this line,
    and (as YAML requires) at the start of the line or after whitespace. A ``#`` in a comment that
    started earlier counts too."""
    if hash_at > 0 and not line[hash_at - 1].isspace():
        return False
    i = 0
    while i < hash_at:
        char = line[i]
        if char == "#":
            return True
        if HASH_COMMENT_LINE.opens(char) and _opens_string(line, i):
            end = string_end(line, i, HASH_COMMENT_LINE, hash_at)
            if end is None:
                return False
            i = end
            continue
        i += 1
    return True


def _opens_string(line: str, quote_at: int) -> bool:
    """Whether a quote can start a string here: after a delimiter or space, or a Python prefix such
    as ``f``/``rb``. The apostrophe in a YAML plain scalar (``description: It's gone``) cannot."""
    if quote_at == 0:
        return True
    before = line[quote_at - 1]
    if before.isspace() or before in "([{,:=!<>+-*/%|&^~@;":
        return True
    return bool(_STRING_PREFIX.search(line, 0, quote_at))


# --- JSON and YAML flow collections -----------------------------------------------------------------

_BLANKS = " \t\r\n"


def skip_blanks(text: str, i: int) -> int:
    """The first index at or after ``i`` that is not a space, tab or line break."""
    while i < len(text) and text[i] in _BLANKS:
        i += 1
    return i


def skip_blanks_back(text: str, i: int) -> int:
    """The last index before ``i`` that is not a space, tab or line break (-1 when none)."""
    i -= 1
    while i >= 0 and text[i] in _BLANKS:
        i -= 1
    return i


def flow_value_end(text: str, i: int) -> int | None:
    """The index after the JSON or YAML flow value that starts at or after ``text[i]``: a string, a
    bracketed collection, or a plain scalar up to the next ``,``, ``}`` or ``]``."""
    i = skip_blanks(text, i)
    if i >= len(text):
        return None
    if FLOW.opens(text[i]):
        return string_end(text, i, FLOW)
    if text[i] in "{[":
        return _collection_end(text, i)
    j = i
    while j < len(text) and text[j] not in ",}]":
        j += 1
    while j > i and text[j - 1] in _BLANKS:
        j -= 1
    return j if j > i else None


def _collection_end(text: str, i: int) -> int | None:
    """The index after the bracket that closes the one at ``text[i]`` (strings skipped)."""
    depth = 0
    j = i
    while j < len(text):
        char = text[j]
        if FLOW.opens(char):
            end = string_end(text, j, FLOW)
            if end is None:
                return None
            j = end
            continue
        if char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return None


def yaml_flow_depth(text: str, start: int, end: int) -> int:
    """How many YAML flow collections that open between two offsets are still open at ``end``.

    Outside a flow collection a bracket or quote only opens something where a value starts (after
    ``:``, ``-``, ``?`` or at the start of a line): ``description: use {id}`` opens nothing."""
    depth = 0
    i = start
    while i < end:
        char = text[i]
        if char == "#" and (i == 0 or text[i - 1] in " \t\n"):
            i = _line_end(text, i, end)
            continue
        if char in "'\"{[" and depth == 0 and not _value_starts(text, i):
            i = _line_end(text, i, end)  # inside a plain scalar: nothing opens on this line
            continue
        if FLOW.opens(char):
            closing = string_end(text, i, FLOW)
            i = closing if closing is not None else end
            continue
        if char in "{[":
            depth += 1
        elif char in "}]":
            depth = max(0, depth - 1)
        i += 1
    return depth


def _line_end(text: str, i: int, end: int) -> int:
    newline = text.find("\n", i, end)
    return newline if newline >= 0 else end


def _value_starts(text: str, i: int) -> bool:
    line_start = text.rfind("\n", 0, i) + 1
    before = text[line_start:i].rstrip(" \t")
    return not before or before[-1] in ":-?"


class JsonScan(NamedTuple):
    """What lies between two positions of a JSON text."""

    depth: int
    """Brackets opened minus brackets closed."""
    last: tuple[str, int, int] | None
    """The last significant character as (character, line, column); a string counts as its closing quote."""
    in_string: bool
    """Whether the end position is inside a string."""


def json_scan(lines: Sequence[str], start: tuple[int, int], stop: tuple[int, int]) -> JsonScan:
    """Bracket depth and the last significant character between ``start`` and ``stop`` (line,
    column) of JSON given as lines with their line breaks, outside strings and ``//`` comments:
    tells a key position (after ``{`` or ``,`` at depth 1) from a value position."""
    depth = 0
    last: tuple[str, int, int] | None = None
    in_string = False
    for number in range(start[0], stop[0] + 1):
        text = lines[number] if number < len(lines) else ""
        i = start[1] if number == start[0] else 0
        limit = stop[1] if number == stop[0] else len(text)
        if in_string:
            closing = JSON.rests['"'].match(text, i, limit)
            if closing is None:
                continue  # the string goes on to the next line
            in_string, i = False, closing.end()
            last = ('"', number, i - 1)
        while i < limit:
            char = text[i]
            if char == '"':
                closing = JSON.rests['"'].match(text, i + 1, limit)
                if closing is None:
                    in_string = True
                    break
                i = closing.end()
                last = ('"', number, i - 1)
                continue
            if text.startswith("//", i):
                break
            if char in "{[":
                depth += 1
            elif char in "}]":
                depth -= 1
            if not char.isspace():
                last = (char, number, i)
            i += 1
    return JsonScan(depth, last, in_string)


# Kept here, not in core.positions, so that detectors can split lines without loading the LSP types.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


_OTHER_BREAKS = "\v\f\x1c\x1d\x1e\x85\u2028\u2029"
"""What ``str.splitlines`` breaks lines at besides ``\r\n``, ``\r`` and ``\n``."""


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` with their terminators, broken where the LSP breaks them: at ``\\r\\n``,
    ``\\r`` and ``\\n`` only. ``"".join(split_lines(t)) == t`` always; an empty text has no lines."""
    if not text:
        return []
    if not any(mark in text for mark in _OTHER_BREAKS):
        # Python's own split, twice as fast, breaks at these and at the LSP's three, nowhere else.
        return text.splitlines(keepends=True)
    if "\r" not in text:
        parts = text.split("\n")
        last = parts.pop()
        lines = [part + "\n" for part in parts]
        if last:
            lines.append(last)
        return lines
    return _LINE.findall(text)
