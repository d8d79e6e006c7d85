"""Hover: what the status code, name or OpenAPI key under the cursor means.

Only occurrences count; a number the detectors did not claim (``timeout=300``) has no hover. The text
comes from :mod:`render`, the same text ``http-status-ls explain`` prints.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import Any

from lsprotocol import types

from http_status_ls.core.occurrences import Analysis, Kind, Occurrence
from http_status_ls.core.positions import RangeMaker, span_range
from http_status_ls.features import render
from http_status_ls.kb import registry


def _code(text: str, markdown: bool) -> str:
    return f"`{text}`" if markdown else text


def _alert(text: str, markdown: bool) -> str:
    return f"> **{text}**" if markdown else f"!! {text}"


ExtraCodes = Mapping[int, Any]
"""An organisation's own codes (``settings.ExtraCode`` by code: ``.phrase``, ``.description``)."""


def describe_extra(extra: Any, *, markdown: bool = True) -> str:
    """A code the project's settings declare (``httpStatus.extraCodes``) and the registry does not know."""
    reg = registry.load()
    code = extra.code
    lines = [f"### {code} {extra.phrase}" if markdown else f"{code} {extra.phrase}"]
    klass = reg.status_class(code // 100) if 100 <= code <= 599 else None
    origin = f"this project's own code ({_code('httpStatus.extraCodes', markdown)})"
    lines.append(f"{code // 100}xx {klass.title} · {origin}" if klass else origin[0].upper() + origin[1:])
    if extra.description:
        lines.append(extra.description)
    fallback = reg.entry(code // 100 * 100) if klass else None
    generic = f"{fallback.code} {fallback.phrase}" if fallback else "an error"
    lines.append(
        f"Not in the IANA registry: clients outside your organisation read it as {generic}."
        if 100 <= code <= 599
        else "Outside the range 100-599: HTTP clients outside your organisation may reject it."
    )
    return "\n\n".join(lines)


def describe_code(code: int, *, markdown: bool = True, extra_codes: ExtraCodes | None = None) -> str:
    """A number: a registered or known code, a project's own code, a number mistaken for one, or an
    unassigned one."""
    reg = registry.load()
    extra = extra_codes.get(code) if extra_codes else None
    if (entry := reg.entry(code)) is not None:
        text = render.describe_entry(entry, markdown=markdown)
        if extra is not None:
            # The project uses a known code knowingly: say so first, then what everyone else means by it.
            text = (
                f"This project's own code: {_code(f'{code} {extra.phrase}', markdown)}"
                + (f". {extra.description}" if extra.description else "")
                + "\n\n"
                + text
            )
        return text
    if extra is not None:
        return describe_extra(extra, markdown=markdown)
    if (known := reg.not_status(code)) is not None:
        return render.describe_not_status(known, markdown=markdown)
    return render.describe_unassigned(code, markdown=markdown)


def _describe_name(occurrence: Occurrence, markdown: bool, extra_codes: ExtraCodes | None = None) -> str:
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
    return head + "\n\n" + describe_code(ref.code, markdown=markdown, extra_codes=extra_codes)


def _describe_response_key(
    occurrence: Occurrence, openapi: str | None, markdown: bool, extra_codes: ExtraCodes | None = None
) -> str:
    reg = registry.load()
    value = occurrence.value if occurrence.value is not None else occurrence.text.strip("'\"")
    swagger2 = bool(openapi and openapi.startswith("2"))
    if value == "default":
        return render.describe_default(markdown=markdown)
    if re.fullmatch(r"\d+", value):
        code = int(value)
        if len(value) != 3:
            return render.describe_unassigned(code, markdown=markdown)
        return describe_code(code, markdown=markdown, extra_codes=extra_codes)
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


def describe_occurrence(
    occurrence: Occurrence,
    *,
    openapi: str | None = None,
    markdown: bool = True,
    extra_codes: ExtraCodes | None = None,
) -> str | None:
    """The hover text of one occurrence."""
    if occurrence.kind is Kind.NAME:
        return _describe_name(occurrence, markdown, extra_codes)
    if occurrence.kind is Kind.RESPONSE_KEY:
        return _describe_response_key(occurrence, openapi, markdown, extra_codes)
    if occurrence.code is None:
        return None
    return describe_code(occurrence.code, markdown=markdown, extra_codes=extra_codes)


def hover(
    analysis: Analysis,
    line: int,
    col: int,
    *,
    markdown: bool = True,
    to_range: RangeMaker = span_range,
    extra_codes: ExtraCodes | None = None,
) -> types.Hover | None:
    """The hover at (line, code-point col), or None when no occurrence is there. ``extra_codes``
    are the project's own codes (settings), described where the registry has nothing."""
    occurrence = analysis.at(line, col)
    if occurrence is None:
        return None
    text = describe_occurrence(occurrence, openapi=analysis.openapi, markdown=markdown, extra_codes=extra_codes)
    if not text:
        return None
    kind = types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText
    return types.Hover(contents=types.MarkupContent(kind=kind, value=text), range=to_range(occurrence.span))
