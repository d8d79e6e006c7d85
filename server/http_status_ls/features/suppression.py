"""Inline suppression comments: ``# http-status: ignore`` and ``# http-status: ignore[rule-a, rule-b]``.

A comment on a line silences the diagnostics that start on that line: all of them, or only the listed
rules. It works wherever ``#`` starts a comment (Python, YAML: ``core.text_scan.starts_comment``
tells a comment from a ``#`` in a string). Only lines containing the marker ``http-status:`` are
looked at, so the cost on a file without suppressions is one substring search.

A malformed comment (``ignore[`` without its ``]``, ``ignore-all``) suppresses nothing: a typo should
leave the diagnostic visible rather than silently hide every rule on the line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from http_status_ls.core.text_scan import starts_comment

MARKER = "http-status:"

# After the `#`: `http-status: ignore`, optionally `[rule, rule]`, then the end or a space (so
# `ignored` or `ignore-all` do not count) followed by any free text such as a reason.
_COMMENT = re.compile(r"#\s*http-status:\s*ignore(?:\[(?P<rules>[^\]\n]*)\])?(?=\s|$)")
_RULE = re.compile(r"[A-Za-z0-9][\w.-]*")

ALL = None
"""The value of a line that suppresses every rule."""

Item = TypeVar("Item")


def suppressions(text: str) -> dict[int, frozenset[str] | None]:
    """0-based line -> the rules silenced on it, or None for every rule."""
    found: dict[int, frozenset[str] | None] = {}
    if "\r" in text:
        # LSP ends lines at CRLF, LF and a lone CR; only line numbers matter here, so fold them to LF.
        text = re.sub(r"\r\n?", "\n", text)
    start = text.find(MARKER)
    while start != -1:
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", start)
        if line_end == -1:
            line_end = len(text)
        line_text = text[line_start:line_end]
        rules = _suppression_on(line_text)
        if rules is not False:
            line = text.count("\n", 0, line_start)
            found[line] = rules  # type: ignore[assignment]
        start = text.find(MARKER, line_end)
    return found


def is_suppressed(table: Mapping[int, frozenset[str] | None], line: int, rule: str | None) -> bool:
    if line not in table:
        return False
    rules = table[line]
    # ALL is None: spelled out so type checkers see `rules` is a set after it.
    return rules is None or (rule is not None and rule in rules)


def drop_suppressed(
    text: str,
    items: Iterable[Item],
    *,
    where: Callable[[Item], tuple[int, str | None]] | None = None,
) -> list[Item]:
    """``items`` without the suppressed ones, in their order.

    Items are lsprotocol ``Diagnostic`` objects (their start line and ``code``), ``(line, rule)``
    pairs, or anything else given ``where(item) -> (0-based line, rule)``.
    """
    items = list(items)
    if MARKER not in text:
        return items
    table = suppressions(text)
    if not table:
        return items
    locate = where or _line_and_rule
    return [item for item in items if not is_suppressed(table, *locate(item))]


def _line_and_rule(item: Any) -> tuple[int, str | None]:
    if isinstance(item, tuple):
        line, rule = item[0], item[1]
        return int(line), (None if rule is None else str(rule))
    code = getattr(item, "code", None)
    return item.range.start.line, (None if code is None else str(code))


def _suppression_on(line_text: str) -> frozenset[str] | None | bool:
    """The rules a line's comment silences, None for all, False when the line has no suppression."""
    for match in _COMMENT.finditer(line_text):
        if not starts_comment(line_text, match.start()):
            continue
        listed = match["rules"]
        if listed is None:
            return ALL
        rules = frozenset(rule.strip() for rule in listed.split(",") if rule.strip())
        if not rules or not all(_RULE.fullmatch(rule) for rule in rules):
            return False
        return rules
    return False
