"""Decoding the knowledge base's JSON without importing the ``json`` package on the way.

``json`` imports ``re``, and ``re`` imports ``enum``: together about a third of what
``http-status-ls explain 404`` spends beyond the interpreter's own start. The decoding itself is
done in C by ``_json``'s scanner, which ``json`` drives too, so :func:`decode` calls that scanner
directly with ``json``'s default options. ``json`` is imported only where the scanner is missing
(an interpreter without the C accelerator) or the text is not one well-formed JSON value: it then
decodes the text itself, and its error says what is wrong and where.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which `explain` never needs
if TYPE_CHECKING:
    from typing import Any


class _DefaultOptions:
    """What the scanner reads from ``json.JSONDecoder()``: its defaults, spelled out."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = {"-Infinity": float("-inf"), "Infinity": float("inf"), "NaN": float("nan")}.__getitem__


_WHITESPACE = " \t\n\r"
"""JSON's whitespace, the only characters allowed around the value."""


def decode(text: str) -> Any:
    """The value of a JSON text, equal to what ``json.loads(text)`` returns."""
    start = len(text) - len(text.lstrip(_WHITESPACE))
    if (scanned := _scan(text, start)) is not None:
        value, end = scanned
        if not text[end:].strip(_WHITESPACE):
            return value
    import json

    return json.loads(text)


def _scan(text: str, start: int) -> tuple[Any, int] | None:
    """The value that starts at ``start`` and where it ends; None without the scanner, or where
    there is no well-formed value."""
    try:
        from _json import make_scanner
    except ImportError:
        return None
    try:
        # typeshed types the scanner's options as a json.JSONDecoder; it reads their attributes only.
        return make_scanner(_DefaultOptions)(text, start)  # type: ignore[arg-type]
    except (ValueError, StopIteration):  # json.JSONDecodeError is a ValueError
        return None
