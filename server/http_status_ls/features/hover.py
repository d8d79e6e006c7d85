"""Hover: what the status code, name or OpenAPI key under the cursor means.

Only occurrences count; a number the detectors did not claim (``timeout=300``) has no hover. The text
comes from :mod:`render`: a short card by default, or with ``hover.verbosity = "full"`` the same
text ``http-status-ls explain`` prints. The card's footer names the code the way the user's
library does: the name hovered, else the name in the library the Python file imports (the standard
library's when it imports none); YAML and JSON have no library, so no name.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from lsprotocol import types

from http_status_ls.core.occurrences import Analysis, Kind, Occurrence, Role
from http_status_ls.core.positions import RangeMaker, span_range
from http_status_ls.features import render
from http_status_ls.features.hover_responses import Judged, responses_hover
from http_status_ls.kb import libraries, registry
from http_status_ls.kb.registry import NameRef, StatusEntry

Verbosity = render.Verbosity


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
    lines = [f"**{code} {extra.phrase}**" if markdown else f"{code} {extra.phrase}"]
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


def _spelled_namespace(library: str, namespaces: Mapping[str, str]) -> str:
    """How the file reaches ``library``: its shortest spelling there (``S`` for ``from http import
    HTTPStatus as S``), else the usual one (``HTTPStatus``)."""
    spellings = [text for text, name in namespaces.items() if name == library]
    if spellings:
        return min(spellings, key=len)
    return libraries.BY_NAME[library].prefix.rstrip(".")


def _current_names(entry: StatusEntry, library: str) -> list[NameRef]:
    row = libraries.BY_NAME[library]
    refs = [ref for ref in entry.names_in(library) if not ref.deprecated and not row.is_case_twin(ref.name)]
    return sorted(refs, key=lambda ref: not ref.preferred)


def library_name(entry: StatusEntry, namespaces: Mapping[str, str] | None) -> render.LibraryName | None:
    """The footer's name for a number in a Python file: from the status library the file imports
    (the one a literal would become first, as the code actions choose), else from the standard
    library, which every file can import. None when that library has no name for the code."""
    imported = set((namespaces or {}).values())
    candidates = [row.name for row in libraries.CONSTANT_LIBRARIES if row.name in imported] or ["http.HTTPStatus"]
    for library in candidates:
        refs = _current_names(entry, library)
        if refs:
            # A name only newer versions have comes with the spelling every version has.
            alternative = refs[1] if refs[0].note and len(refs) > 1 else None
            return render.LibraryName(
                ref=refs[0], namespace=_spelled_namespace(library, namespaces or {}), alternative=alternative
            )
    return None


def describe_code(
    code: int,
    *,
    markdown: bool = True,
    extra_codes: ExtraCodes | None = None,
    verbosity: Verbosity = "full",
    name: render.LibraryName | None = None,
    python_names: bool = True,
) -> str:
    """A number: a registered or known code, a project's own code, a number mistaken for one, or an
    unassigned one. ``name`` is the card's footer name; ``python_names`` whether the full text lists
    every library's names (not in YAML or JSON)."""
    reg = registry.load()
    extra = extra_codes.get(code) if extra_codes else None
    if (entry := reg.entry(code)) is not None:
        if verbosity == "short":
            text = render.card(entry, markdown=markdown, name=name)
        else:
            text = render.describe_entry(entry, markdown=markdown, python_names=python_names)
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
        if verbosity == "short":
            return render.not_status_card(known, markdown=markdown)
        return render.describe_not_status(known, markdown=markdown)
    if verbosity == "short":
        return render.unassigned_card(code, markdown=markdown)
    return render.describe_unassigned(code, markdown=markdown)


def _describe_name(
    occurrence: Occurrence, markdown: bool, extra_codes: ExtraCodes | None = None, verbosity: Verbosity = "short"
) -> str:
    ref = occurrence.name
    if ref is None:
        library = occurrence.context
        names = [r.name for r in registry.load().names_of(library)]
        close = difflib.get_close_matches(occurrence.text, names, n=1)
        text = f"{_code(occurrence.text, markdown)} is not a status code name in {_code(library, markdown)}."
        if close:
            text += f" Did you mean {_code(close[0], markdown)}?"
        return text
    if verbosity == "short":
        # The card's footer says which name this is, and what replaces it when it is deprecated.
        shown = render.LibraryName(ref=ref, namespace=libraries.BY_NAME[ref.library].prefix.rstrip("."))
        return describe_code(ref.code, markdown=markdown, extra_codes=extra_codes, verbosity="short", name=shown)
    head = f"{_code(f'{ref.library}.{ref.name}', markdown)} = {ref.code}"
    if ref.deprecated:
        head += "\n\n" + _alert(f"Deprecated name: use {ref.replacement or 'the current name'}", markdown)
    return head + "\n\n" + describe_code(ref.code, markdown=markdown, extra_codes=extra_codes)


def _describe_response_key(
    occurrence: Occurrence,
    openapi: str | None,
    markdown: bool,
    extra_codes: ExtraCodes | None = None,
    verbosity: Verbosity = "short",
) -> str:
    reg = registry.load()
    value = occurrence.value if occurrence.value is not None else occurrence.text.strip("'\"")
    swagger2 = bool(openapi and openapi.startswith("2"))
    if value == "default":
        return render.describe_default(markdown=markdown)
    if re.fullmatch(r"\d+", value):
        code = int(value)
        if len(value) != 3:
            return (render.unassigned_card if verbosity == "short" else render.describe_unassigned)(code, markdown=markdown)
        return describe_code(code, markdown=markdown, extra_codes=extra_codes, verbosity=verbosity, python_names=False)
    if re.fullmatch(r"[1-5][xX]{2}", value) and (klass := reg.status_class(int(value[0]))) is not None:
        text = render.describe_class(klass, markdown=markdown, verbosity=verbosity)
        if value[1:] != "XX":
            text = _alert(f"OpenAPI only understands ranges in upper case: write '{value[0]}XX'", markdown) + "\n\n" + text
        elif swagger2:
            text = _alert("Swagger 2.0 has no status code ranges (they arrived in OpenAPI 3.0)", markdown) + "\n\n" + text
        return text
    return (
        f"{_code(value, markdown)} is not a status code: the keys of a responses object are status codes "
        f"('200'), ranges ('4XX', OpenAPI 3) or {_code('default', markdown)}."
    )


def describe_bound(code: int, *, markdown: bool = True, verbosity: Verbosity = "full") -> str:
    """A class edge in an ordering comparison (``code > 199``, ``status < 600``): the class it
    bounds, not the number as a code (199 is also a Warning warn-code, which is beside the point)."""
    digit, last = code // 100, code % 100 == 99
    klass = registry.load().status_class(digit) if 1 <= digit <= 5 else None
    shown = _code(str(code), markdown)
    if klass is None:
        edge = "just below 100, the first" if code < 100 else "just past 599, the last"
        return f"{shown} bounds the status codes here: {edge} status code."
    edge = "the last" if last else "the first"
    line = f"{shown} bounds a class here, not a code: {edge} code of {digit}xx {klass.title}."
    return line + "\n\n" + render.describe_class(klass, markdown=markdown, verbosity=verbosity)


def describe_occurrence(
    occurrence: Occurrence,
    *,
    openapi: str | None = None,
    markdown: bool = True,
    extra_codes: ExtraCodes | None = None,
    verbosity: Verbosity = "short",
    language: str | None = None,
    namespaces: Mapping[str, str] | None = None,
) -> str | None:
    """The hover text of one occurrence. ``language`` and ``namespaces`` (the file's status library
    imports) choose the card's footer name: Python files only."""
    if occurrence.kind is Kind.NAME:
        return _describe_name(occurrence, markdown, extra_codes, verbosity)
    if occurrence.kind is Kind.RESPONSE_KEY:
        return _describe_response_key(occurrence, openapi, markdown, extra_codes, verbosity)
    if occurrence.code is None:
        return None
    if occurrence.role is Role.BOUND:
        return describe_bound(occurrence.code, markdown=markdown, verbosity=verbosity)
    python = language == "python"
    entry = registry.load().entry(occurrence.code) if python and verbosity == "short" else None
    name = library_name(entry, namespaces) if entry is not None else None
    return describe_code(
        occurrence.code, markdown=markdown, extra_codes=extra_codes, verbosity=verbosity, name=name, python_names=python
    )


def hover(
    analysis: Analysis,
    line: int,
    col: int,
    *,
    markdown: bool = True,
    to_range: RangeMaker = span_range,
    extra_codes: ExtraCodes | None = None,
    verbosity: Verbosity = "short",
    lines: Sequence[str] | None = None,
    findings: Callable[[], Iterable[Judged]] | None = None,
    profile: str | None = None,
) -> types.Hover | None:
    """The hover at (line, code-point col), or None when no occurrence is there. ``extra_codes``
    are the project's own codes (settings), described where the registry has nothing;
    ``verbosity`` is the ``hover.verbosity`` setting (a card, or the full text). On an operation's
    ``responses`` key, the operation's card (:mod:`hover_responses`: ``lines``, ``findings`` and
    ``profile`` are for it)."""
    occurrence = analysis.at(line, col)
    if occurrence is None:
        return responses_hover(
            analysis, line, col, markdown=markdown, to_range=to_range, lines=lines, findings=findings, profile=profile
        )
    text = describe_occurrence(
        occurrence,
        openapi=analysis.openapi,
        markdown=markdown,
        extra_codes=extra_codes,
        verbosity=verbosity,
        language=analysis.language,
        namespaces=analysis.detection.namespaces,
    )
    if not text:
        return None
    kind = types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText
    return types.Hover(contents=types.MarkupContent(kind=kind, value=text), range=to_range(occurrence.span))
