"""The ``statusStyle`` setting of the ``status-style`` rule: how Python code spells status codes.

::

    [tool.http-status-ls]
    rules.status-style = "warning"
    statusStyle = { style = "named", library = "http.HTTPStatus", allow = [200, 404] }

``style`` is ``named`` (a library constant, ``HTTPStatus.NOT_FOUND``) or ``numeric`` (``404``);
``library`` is the constants a file that imports none gets (by default its framework's, else
``HTTPStatus``); ``allow`` lists the codes that may stay numbers in the named style. Each bad part is
a message naming its key, and that part keeps its default (see ``core.settings``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

StyleName = Literal["named", "numeric"]
STYLES: tuple[StyleName, ...] = ("named", "numeric")

Bad = Callable[[str, str], None]
"""Reports a bad key: (key, problem)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class StatusStyle:
    """What the ``status-style`` rule enforces (the rule itself is off unless switched on)."""

    style: StyleName = "named"
    library: str | None = None
    """A constants library of ``kb.libraries`` (``http.HTTPStatus``, ``fastapi.status``...) for the
    files that import none; None: the file's framework's, else ``HTTPStatus``."""
    allow: frozenset[int] = field(default_factory=frozenset)
    """Codes that may stay numbers in the named style."""


DEFAULT_STYLE = StatusStyle()


def _norm(key: Any) -> str:
    return str(key).replace("-", "").replace("_", "").lower()


def _library_names() -> tuple[str, ...]:
    from http_status_ls.kb.libraries import CONSTANT_LIBRARIES  # only when the setting is given

    return tuple(library.name for library in CONSTANT_LIBRARIES if library.new_import is not None)


def read_status_style(key: str, value: Any, bad: Bad, base: StatusStyle) -> StatusStyle | None:
    """``statusStyle``: a table, or the style alone (``statusStyle = "numeric"``); None when the
    whole value is unusable."""
    entries = {"style": ("style", value)} if isinstance(value, str) else None
    if entries is None:
        if not isinstance(value, Mapping):
            bad(key, f'expected a table such as {{style = "named", allow = [200]}}, got {value!r}')
            return None
        entries = {_norm(k): (str(k), v) for k, v in value.items()}
    style, library, allow = base.style, base.library, base.allow
    for norm, (written, item) in entries.items():
        where = key if isinstance(value, str) else f"{key}.{written}"
        if norm == "style":
            if isinstance(item, str) and item.strip().lower() in STYLES:
                style = "numeric" if item.strip().lower() == "numeric" else "named"
            else:
                bad(where, f"{item!r} is not one of {', '.join(STYLES)}")
        elif norm == "library":
            known = _library_names()
            if isinstance(item, str) and item.strip() in known:
                library = item.strip()
            else:
                bad(where, f"{item!r} is not one of {', '.join(known)}")
        elif norm == "allow":
            codes = _codes(item)
            if codes is None:
                bad(where, f"expected a list of status codes (100-599), got {item!r}")
            else:
                allow = codes
        else:
            bad(where, "unknown option (known: style, library, allow)")
    return StatusStyle(style=style, library=library, allow=allow)


def _codes(value: Any) -> frozenset[int] | None:
    if not isinstance(value, (list, tuple)):
        return None
    codes = set()
    for item in value:
        code = int(item) if isinstance(item, str) and item.strip().isdigit() else item
        if isinstance(code, bool) or not isinstance(code, int) or not 100 <= code <= 599:
            return None
        codes.add(code)
    return frozenset(codes)
