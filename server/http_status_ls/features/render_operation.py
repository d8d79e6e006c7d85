"""Text for people about one OpenAPI operation's ``responses``: what it declares, class by class, and
what the active profile expects that it lacks. The hover on a ``responses`` key shows it.

It is a card like the status-code cards (:mod:`render`): one paragraph of lines joined by hard
breaks, read at a glance in an 80x24 float, within :data:`render.CARD_BUDGET` (10 lines, 600
characters as displayed). When the whole story does not fit, the phrases go first (``404`` instead
of ``404 Not Found``), then the classes share one line, then expectations beyond the last line that
fits are counted instead of listed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from http_status_ls.features import render
from http_status_ls.kb import registry

_BULLET = "• "
_EXPECTATION_LIMIT = 90
"""The longest expectation line, in characters (a diagnostic message may be 100)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class OperationSummary:
    """What one card says about one operation."""

    label: str
    """``GET /pets/{id}``."""
    keys: Sequence[str]
    """The response keys as declared, unquoted, in the order written."""
    missing: Sequence[str] | None = None
    """What the profile expects and the operation lacks, one short line each; None when unknown
    (nothing is said about expectations then)."""
    profile: str | None = None
    """The active profile's name, when known."""


def operation_label(pointer: str) -> str:
    """``GET /pets/{id}`` from the pointer of a ``responses`` object
    (``/paths/~1pets~1{id}/get/responses``): the method and the path, webhook or callback above it."""
    tokens = [token.replace("~1", "/").replace("~0", "~") for token in pointer.split("/")[1:]]
    if tokens and tokens[-1] == "responses":
        tokens = tokens[:-1]
    if len(tokens) >= 2:
        return f"{tokens[-1].upper()} {tokens[-2]}"
    return tokens[-1].upper() if tokens else "This operation"


def _class_of(key: str) -> int | None:
    """The class digit a key belongs to (``404`` and ``4XX`` -> 4); None for ``default`` and others."""
    if len(key) == 3 and key.isascii() and key.isdigit() and 1 <= int(key[0]) <= 5:
        return int(key[0])
    if re.fullmatch(r"[1-5]XX", key):
        return int(key[0])
    return None


def _key_text(key: str, phrases: bool) -> str:
    if re.fullmatch(r"[1-5]XX", key):
        return f"{key} (any)" if phrases else key
    if not phrases or not key.isdigit():
        return key
    entry = registry.load().entry(int(key))
    return f"{key} {render_phrase(entry.phrase)}" if entry is not None else key


def render_phrase(phrase: str) -> str:
    """A phrase without its parenthesised qualifier: ``Unused`` rather than ``(Unused)``."""
    return phrase.strip("()")


def _declared_lines(keys: Sequence[str], phrases: bool, one_line: bool) -> list[str]:
    by_class: dict[int, list[str]] = {}
    others: list[str] = []
    for key in sorted(dict.fromkeys(keys), key=lambda k: (not k.isdigit(), k)):
        digit = _class_of(key)
        if digit is None:
            others.append(key)
        else:
            by_class.setdefault(digit, []).append(key)
    if one_line:
        written = [_key_text(key, phrases) for digit in sorted(by_class) for key in by_class[digit]]
        return [", ".join(written + others)] if written or others else []
    lines = [f"{digit}xx: " + ", ".join(_key_text(key, phrases) for key in by_class[digit]) for digit in sorted(by_class)]
    if others:
        lines.append(", ".join("default (every other code)" if key == "default" and phrases else key for key in others))
    return lines


def _clipped(text: str) -> str:
    return text if len(text) <= _EXPECTATION_LIMIT else text[: _EXPECTATION_LIMIT - 1].rstrip() + "\N{HORIZONTAL ELLIPSIS}"


def _code(text: str, markdown: bool) -> str:
    return f"`{text}`" if markdown else text


def _expectation_lines(summary: OperationSummary, shown: int, markdown: bool) -> list[str]:
    """The expectations part with at most ``shown`` of the missing items listed (the rest counted)."""
    if summary.missing is None:
        return []
    profile = f" for the {_code(summary.profile, markdown)} profile" if summary.profile else ""
    if not summary.missing:
        return [f"Nothing missing{profile}."]
    missing = summary.missing
    lines = [f"Missing{profile}:", *(_BULLET + _clipped(item) for item in missing[:shown])]
    if shown < len(missing):
        lines.append(f"{_BULLET}{'and ' if shown else ''}{len(missing) - shown} more: see the problems list")
    return lines


def _fits(text: str, budget: render.Budget) -> bool:
    return len(render.displayed(text)) <= budget.chars and text.count("\n") + 1 <= budget.lines


def operation_card(summary: OperationSummary, *, markdown: bool = True, budget: render.Budget = render.CARD_BUDGET) -> str:
    """The card of one operation's ``responses`` (see the module's docstring)."""
    count = len(summary.keys)
    noun = "response" if count == 1 else "responses"
    title = (f"**{summary.label}**" if markdown else summary.label) + f" declares {count} {noun}"
    joiner = "  \n" if markdown else "\n"
    text = title
    missing = len(summary.missing or ())
    for phrases, one_line in ((True, False), (False, False), (True, True), (False, True)):
        declared = _declared_lines(summary.keys, phrases, one_line)
        for shown in range(missing, -1, -1):
            text = joiner.join([title, *declared, *_expectation_lines(summary, shown, markdown)])
            if _fits(text, budget):
                return text
    return text[: budget.chars]


def strip_label(message: str, label: str) -> str:
    """A diagnostic's message without the operation it names (the card's title names it):
    ``GET /a declares no 4xx`` and ``no 4xx on GET /a: add '400'`` lose ``GET /a``."""
    if message.startswith(label + " "):
        rest = message[len(label) :].lstrip(" :,")
        return rest[:1].upper() + rest[1:]
    return re.sub(rf" on {re.escape(label)}(?=$|[:,;. ])", "", message, count=1)
