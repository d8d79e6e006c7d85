"""Where the server benchmark (`bench_server`) hovers and types in an API description.

Each finder reads the text's lines and returns (line, UTF-16 column) places, the way an editor
sends positions; none needs the server.
"""

from __future__ import annotations

import re

from tests.support.lsp_positions import units


def _utf16(text: str) -> int:
    return units(text, "utf-16")


_KEY = re.compile(r"""^(\s*)(['"]?)(\d{3}|default|[1-5]XX)\2\s*:""")


def key_positions(lines: list[str], count: int) -> list[tuple[int, int, int]]:
    """(line, indent column, key length) of response-like keys, spread evenly over the file."""
    if count <= 0:
        return []
    found = []
    for number, line in enumerate(lines):
        match = _KEY.match(line)
        if match:
            found.append((number, _utf16(match[1]), len(match[2]) * 2 + len(match[3])))
    if len(found) <= count:
        return found
    step = len(found) / count
    return [found[int(i * step)] for i in range(count)]


def edit_position(lines: list[str], json_file: bool) -> tuple[int, int]:
    """A spot inside a description in the middle of the file, where a character changes nothing."""
    middle = len(lines) // 2
    for number in list(range(middle, len(lines))) + list(range(0, middle)):
        line = lines[number]
        if json_file:
            match = re.search(r'"description": "[^"\\]*', line)
        else:
            match = re.search(r"description: [A-Za-z][^'\"#:]*", line)
        if match:
            return number, _utf16(line[: match.end()])
    return 0, 0


_PATH_KEY = re.compile(r"""^\s*["']?/""")
_METHOD_KEY = re.compile(r"""^(\s*)["']?(?:get|put|post|delete|options|head|patch|trace)["']?\s*:""")


def prose_position(lines: list[str], json_file: bool) -> tuple[int, int]:
    """Inside an operation's summary or description in the middle of the file (a key right under a
    method's key): where people type, and a line the OpenAPI model does not read. (0, 0) when the
    file has none."""
    middle = len(lines) // 2
    pattern = (
        r'^(\s*)"(?:summary|description)": "[^"\\]*'
        if json_file
        else r"^(\s+)(?:summary|description): [^\s'\"|>&*!%@`#{\[-][^'\"#:]*"
    )
    for number in list(range(middle, len(lines))) + list(range(0, middle)):
        match = re.search(pattern, lines[number])
        if match and _under_a_method(lines, number, len(match[1])):
            return number, _utf16(lines[number][: match.end()])
    return 0, 0


def _under_a_method(lines: list[str], number: int, indent: int) -> bool:
    """Whether the key indented by ``indent`` on line ``number`` belongs to an operation: the first
    line above it indented less is a method's key, and the first above that one a path's."""
    method = _parent_line(lines, number, indent)
    if method is None or _METHOD_KEY.match(lines[method]) is None:
        return False
    path = _parent_line(lines, method, len(lines[method]) - len(lines[method].lstrip()))
    return path is not None and _PATH_KEY.match(lines[path]) is not None


def _parent_line(lines: list[str], number: int, indent: int) -> int | None:
    """The first line above ``number`` with content indented less than ``indent``."""
    for above in range(number - 1, max(-1, number - 2000), -1):
        line = lines[above]
        if line.strip() and len(line) - len(line.lstrip()) < indent:
            return above
    return None


def structural_position(lines: list[str], json_file: bool) -> tuple[int, int]:
    """Just after a key's colon in the middle of the file: a space there is outside any string, so
    the server cannot take its string-edit shortcut and runs the detector. In YAML the key is an
    operation's ``responses``, which the pre-scan never blanks, so the keystroke cannot be kept
    without reading (most other keys of a big spec lie in blanked values)."""
    middle = len(lines) // 2
    for number in list(range(middle, len(lines))) + list(range(0, middle)):
        match = re.search(r'"\s*:' if json_file else r"^ {4,}responses:(?=\s*$)", lines[number])
        if match:
            return number, _utf16(lines[number][: match.end()])
    return 0, 0
