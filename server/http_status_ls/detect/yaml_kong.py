"""Which Kong plugin a ``config`` mapping configures, read from the text beside it.

Kong's rate-limiting plugins answer a client over its limit with ``config.error_code`` (429 by
default; ``kong/plugins/rate-limiting/schema.lua``: "Set a custom error code to return when the rate
limit is exceeded"). ``error_code`` under any other ``config`` may be an application's error number,
so it counts only beside the plugin's name: ``name: rate-limiting`` in a decK file's plugin entry,
``plugin: rate-limiting`` in a KongPlugin resource. decK writes an entry's keys in alphabetical
order, so the name often comes after ``config``: both directions are read.

Only block mappings are read (the name on a line of its own, at the column of ``config``); a flow
mapping stays silent. The YAML walk calls this only for an ``error_code`` key under ``config``.
"""

from __future__ import annotations

import re
from typing import Protocol

RATE_LIMITING_PLUGINS = frozenset({"rate-limiting", "rate-limiting-advanced", "ai-rate-limiting-advanced"})
"""Kong plugins whose ``config.error_code`` is the status they answer with (their schema.lua)."""

# A `name:` or `plugin:` key (after the dash of a sequence item, perhaps) and its plain or quoted value.
_NAME_LINE = re.compile(r"""([ \t]*(?:-[ \t]+)?)(?:name|plugin)[ \t]*:[ \t]*(['"]?)([\w.-]+)\2[ \t]*(?:#.*)?""")
_SCAN_LINES = 400
"""How far each way the name is looked for: a plugin's ``config`` is rarely longer."""


class _Mark(Protocol):
    @property
    def column(self) -> int: ...
    @property
    def index(self) -> int: ...


class _Key(Protocol):
    @property
    def start_mark(self) -> _Mark: ...


def configures_rate_limiting(source: str, config_key: _Key | None) -> bool:
    """Whether the ``config`` key ``config_key`` (an event of ``source``) configures one of Kong's
    rate-limiting plugins."""
    if config_key is None:
        return False
    return _plugin_name(source, config_key.start_mark.index, config_key.start_mark.column) in RATE_LIMITING_PLUGINS


def _plugin_name(source: str, index: int, column: int) -> str | None:
    line_start = source.rfind("\n", 0, index) + 1
    before = source[line_start:index]
    if before.strip(" \t-"):
        return None  # `config` is not the first key on its line: a flow mapping
    # After a sequence item's dash (`- config:`), the mapping starts on this line.
    for line in _lines_before(source, line_start) if "-" not in before else ():
        name, end = _read(line, column)
        if name is not None:
            return name
        if end:
            break
    line_end = source.find("\n", index)
    for line in _lines_after(source, line_end):
        content = line.lstrip(" \t")
        if content and not content.startswith("#") and len(line) - len(content) < column:
            return None  # the mapping ends (or the sequence it is in moves on to its next item)
        name, end = _read(line, column)
        if name is not None or end:
            return name
    return None


def _read(line: str, column: int) -> tuple[str | None, bool]:
    """(the plugin name on ``line``, if any, at ``column``; whether the mapping ends there)."""
    content = line.lstrip(" \t")
    if not content or content.startswith("#"):
        return None, False
    found = _NAME_LINE.fullmatch(line.rstrip("\r"))
    if found is not None and len(found.group(1)) == column:
        return found.group(3), True
    return None, len(line) - len(content) < column


def _lines_before(source: str, line_start: int) -> list[str]:
    lines: list[str] = []
    end = line_start - 1
    while end >= 0 and len(lines) < _SCAN_LINES:
        start = source.rfind("\n", 0, end) + 1
        lines.append(source[start:end])
        end = start - 1
    return lines


def _lines_after(source: str, line_end: int) -> list[str]:
    lines: list[str] = []
    start = line_end + 1 if line_end >= 0 else len(source)
    while start < len(source) and len(lines) < _SCAN_LINES:
        end = source.find("\n", start)
        end = len(source) if end < 0 else end
        lines.append(source[start:end])
        start = end + 1
    return lines
