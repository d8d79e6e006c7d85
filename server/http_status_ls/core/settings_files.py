"""Settings from files: the ``[tool.http-status-ls]`` table of a project's ``pyproject.toml``, found
from a file upward, read without raising, and layered under the client's settings (`settings`
parses each layer).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from http_status_ls.core.settings import DEFAULTS, PYPROJECT_TABLE, Settings, parse
from http_status_ls.kb.rules import RULE_IDS


def read_pyproject(path: Path) -> tuple[dict[str, Any] | None, list[str]]:
    """The ``[tool.http-status-ls]`` table of a ``pyproject.toml`` (None when it has none), plus
    messages when the file cannot be read."""
    toml = _toml_module()
    if toml is None:
        return None, [
            f"{path}: [tool.{PYPROJECT_TABLE}] not read: Python {sys.version_info.major}.{sys.version_info.minor} "
            "has no tomllib; install `tomli` to use pyproject.toml settings"
        ]
    try:
        with open(path, "rb") as stream:
            document = toml.load(stream)
    except OSError as error:
        return None, [f"{path}: cannot read: {error.strerror or error}; using the defaults"]
    except (toml.TOMLDecodeError, UnicodeDecodeError) as error:
        return None, [f"{path}: not valid TOML ({error}); using the defaults"]
    table = document.get("tool", {})
    table = table.get(PYPROJECT_TABLE) if isinstance(table, Mapping) else None
    return table, []


def find_pyproject(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` with a ``[tool.http-status-ls]`` table, from ``start`` (a file
    or a directory) upward. Files without the table are passed over, as a monorepo's package-level
    ``pyproject.toml`` usually is not where linters are configured."""
    try:
        here = start.resolve()
    except OSError:
        return None
    if not here.is_dir():
        here = here.parent
    for directory in (here, *here.parents):
        candidate = directory / "pyproject.toml"
        try:
            # A cheap look before parsing: most pyproject files never mention us.
            if candidate.is_file() and PYPROJECT_TABLE in candidate.read_text(encoding="utf-8", errors="replace"):
                return candidate
        except OSError:
            continue
    return None


def load(
    *,
    pyproject: Path | None = None,
    client: Any = None,
    known_rules: Iterable[str] | None = RULE_IDS,
) -> tuple[Settings, list[str]]:
    """Defaults < the pyproject table < the client's payload, with every message from both layers."""
    messages: list[str] = []
    settings = DEFAULTS
    if pyproject is not None:
        table, read_messages = read_pyproject(pyproject)
        messages += read_messages
        if table is not None:
            settings, layer_messages = parse(
                table, base=settings, prefix=f"{pyproject} [tool.{PYPROJECT_TABLE}]", known_rules=known_rules
            )
            messages += layer_messages
    if client is not None:
        settings, layer_messages = parse(client, base=settings, known_rules=known_rules)
        messages += layer_messages
    return settings, messages


def _toml_module() -> Any:
    if sys.version_info >= (3, 11):
        import tomllib

        return tomllib
    try:
        import tomli  # type: ignore[import-not-found]
    except ImportError:
        return None
    return tomli
