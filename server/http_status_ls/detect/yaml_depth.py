"""Skipping a region of YAML nested deeper than libyaml reads.

libyaml stops with "exceeded maximum nesting depth" past 1,000 nested collections. Blanking the
line it stopped on, as other errors are recovered from, loses what follows on that line (a deep flow
value and its siblings are often one generated line) and, for deep block nesting, takes one reading
per line. Here the collection that went too deep is blanked instead: from its opening bracket to the
matching closing one in flow style, or the rest of its block in block style. What is blanked keeps
its length and its line breaks, so every other position stays put.
"""

from __future__ import annotations

import yaml

TOO_DEEP = "exceeded maximum nesting depth"
"""libyaml's problem for a collection nested too deep."""

_OPENING = {"[": "]", "{": "}"}


def is_too_deep(error: yaml.MarkedYAMLError) -> bool:
    return TOO_DEEP in (error.problem or "")


def skip_too_deep(text: str, error: yaml.MarkedYAMLError, keep: int = 0) -> tuple[str, list[int]] | None:
    """``text`` with the collection that went too deep blanked, and the lines it touched; None when
    it cannot be found or lies in the first ``keep`` lines."""
    mark = error.problem_mark
    if mark is None or mark.line < keep or not 0 <= mark.index < len(text):
        return None
    start = mark.index
    if text[start] in _OPENING:
        end = _closing(text, start)
    else:
        end = _block_end(text, start)
    if end is None or end <= start:
        return None
    blanked = "".join(c if c in "\r\n" else " " for c in text[start:end])
    first = mark.line
    return text[:start] + blanked + text[end:], list(range(first, first + text.count("\n", start, end) + 1))


def _closing(text: str, start: int) -> int | None:
    """The index after the bracket that closes the one at ``start``, skipping quoted scalars (read
    roughly: a quote opens one after a bracket, a comma, a colon or a space)."""
    depth = 0
    index = start
    size = len(text)
    while index < size:
        char = text[index]
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return index + 1
        elif char in "'\"" and text[index - 1 : index] in ("[", "{", ",", ":", " ", "\t", "\n"):
            index = _quote_end(text, index)
        index += 1
    return None


def _quote_end(text: str, start: int) -> int:
    """The index of the quote that closes the one at ``start`` (the text's end when none does)."""
    quote = text[start]
    index = start + 1
    size = len(text)
    while index < size:
        char = text[index]
        if quote == '"' and char == "\\":
            index += 2
            continue
        if char == quote:
            if quote == "'" and text[index + 1 : index + 2] == "'":
                index += 2
                continue
            return index
        index += 1
    return size


def _block_end(text: str, start: int) -> int | None:
    """The end of the block that the line holding ``start`` opens at its indent: up to the first
    later line that is indented less (blank lines and comments do not end it)."""
    line_start = text.rfind("\n", 0, start) + 1
    indent = len(text) - len(text[line_start:].lstrip(" ")) - line_start
    position = text.find("\n", start)
    while position >= 0:
        following = position + 1
        body_end = text.find("\n", following)
        body = text[following : len(text) if body_end < 0 else body_end].rstrip("\r")
        content = body.lstrip(" ")
        if content and not content.startswith("#") and len(body) - len(content) < indent:
            return position
        position = body_end
    return len(text)
