"""Hover: what the status code, name or OpenAPI key under the cursor means.

Only occurrences count; a number the detectors did not claim (``timeout=300``) has no hover. The text
comes from :mod:`render`, the same text ``http-status-ls explain`` prints.
"""

from __future__ import annotations

import difflib
import re

from lsprotocol import types

from . import registry, render
from .occurrences import Analysis, Kind, Occurrence
from .positions import RangeMaker, span_range


def _code(text: str, markdown: bool) -> str:
    return f"`{text}`" if markdown else text


def _alert(text: str, markdown: bool) -> str:
    return f"> **{text}**" if markdown else f"!! {text}"


def describe_code(code: int, *, markdown: bool = True) -> str:
    """A number: a registered or known code, a number mistaken for one, or an unassigned one."""
    reg = registry.load()
    if (entry := reg.entry(code)) is not None:
        return render.describe_entry(entry, markdown=markdown)
    if (known := reg.not_status(code)) is not None:
        return render.describe_not_status(known, markdown=markdown)
    return render.describe_unassigned(code, markdown=markdown)


def _describe_name(occurrence: Occurrence, markdown: bool) -> str:
    ref = occurrence.name
    if ref is None:
        library = occurrence.context
        names = [r.name for r in registry.load().names_of(library)]
        close = difflib.get_close_matches(occurrence.text, names, n=1)
        text = f"{_code(occurrence.text, markdown)} is not a status code name in {_code(library, markdown)}."
        if close:
            text += f" Did you mean {_code(close[0], markdown)}?"
        return text
    head = f"{_code(f'{ref.library}.{ref.name}', markdown)} = {ref.code}"
    if ref.deprecated:
        head += "\n\n" + _alert(f"Deprecated name: use {ref.replacement or 'the current name'}", markdown)
    return head + "\n\n" + describe_code(ref.code, markdown=markdown)


def _describe_response_key(occurrence: Occurrence, openapi: str | None, markdown: bool) -> str:
    reg = registry.load()
    value = occurrence.value if occurrence.value is not None else occurrence.text.strip("'\"")
    swagger2 = bool(openapi and openapi.startswith("2"))
    if value == "default":
        return render.describe_default(markdown=markdown)
    if re.fullmatch(r"\d+", value):
        code = int(value)
        if len(value) != 3:
            return render.describe_unassigned(code, markdown=markdown)
        return describe_code(code, markdown=markdown)
    if re.fullmatch(r"[1-5][xX]{2}", value) and (klass := reg.status_class(int(value[0]))) is not None:
        text = render.describe_class(klass, markdown=markdown)
        if value[1:] != "XX":
            text = _alert(f"OpenAPI only understands ranges in upper case: write '{value[0]}XX'", markdown) + "\n\n" + text
        elif swagger2:
            text = _alert("Swagger 2.0 has no status code ranges (they arrived in OpenAPI 3.0)", markdown) + "\n\n" + text
        return text
    return (
        f"{_code(value, markdown)} is not a status code: the keys of a responses object are status codes "
        f"('200'), ranges ('4XX', OpenAPI 3) or {_code('default', markdown)}."
    )


def describe_occurrence(occurrence: Occurrence, *, openapi: str | None = None, markdown: bool = True) -> str | None:
    """The hover text of one occurrence."""
    if occurrence.kind is Kind.NAME:
        return _describe_name(occurrence, markdown)
    if occurrence.kind is Kind.RESPONSE_KEY:
        return _describe_response_key(occurrence, openapi, markdown)
    if occurrence.code is None:
        return None
    return describe_code(occurrence.code, markdown=markdown)


def hover(
    analysis: Analysis,
    line: int,
    col: int,
    *,
    markdown: bool = True,
    to_range: RangeMaker = span_range,
) -> types.Hover | None:
    """The hover at (line, code-point col), or None when no occurrence is there."""
    occurrence = analysis.at(line, col)
    if occurrence is None:
        return None
    text = describe_occurrence(occurrence, openapi=analysis.openapi, markdown=markdown)
    if not text:
        return None
    kind = types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText
    return types.Hover(contents=types.MarkupContent(kind=kind, value=text), range=to_range(occurrence.span))
