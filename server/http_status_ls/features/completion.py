"""Completion: status names after a namespace, codes in a Python status position, response keys in
an OpenAPI ``responses`` object (see `completion_openapi`).

Works on the analysis of the version being typed plus the raw lines (the token under the cursor is
usually too incomplete to parse). Library names are offered only when the project's target has them
(``core.project_target``): ``HTTPStatus.UNPROCESSABLE_CONTENT`` only to Python 3.13+ projects. Positions are code points; ``to_range`` converts edit ranges. How
an item is made for the client is `completion_items`' job.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lsprotocol import types

from http_status_ls.core.occurrences import Analysis, Span
from http_status_ls.core.positions import RangeMaker, span_range
from http_status_ls.core.project_target import UNKNOWN as UNKNOWN_TARGET
from http_status_ls.core.project_target import ProjectTarget
from http_status_ls.features.completion_items import CompletionSupport, code_rank, completion_item, resolve
from http_status_ls.features.completion_openapi import complete_response_key
from http_status_ls.kb import libraries, registry
from http_status_ls.kb.registry import NameRef

__all__ = ["CompletionSupport", "complete", "offered_names", "resolve"]

_NOTHING_SUPPORTED = CompletionSupport()

# What a library's names are (kb.libraries) -> how a client shows them.
_MEMBER_KIND = {
    "enum": types.CompletionItemKind.EnumMember,
    "constant": types.CompletionItemKind.Constant,
    "class": types.CompletionItemKind.Class,
}


# --- Python ----------------------------------------------------------------------------------


def offered_names(library: str, target: ProjectTarget) -> list[tuple[NameRef, bool]]:
    """The names of a library the target has, each with whether the target deprecates it, in the
    order they are offered: by code, the preferred spelling first, deprecated names last.

    A name the target lacks (``UNPROCESSABLE_CONTENT`` before Python 3.13) is not offered at all:
    it would fail with ``AttributeError`` at run time, and a name ranked last is still one keystroke
    away. Hover and diagnostics still know it when it is written."""
    offered = [(ref, target.deprecates(ref)) for ref in registry.load().names_of(library) if target.has(ref)]
    return sorted(offered, key=lambda pair: (pair[1], pair[0].code, not pair[0].preferred, pair[0].name))


def _name_items(
    library: str, prefix: str, line: int, col: int, support: CompletionSupport, to_range: RangeMaker, target: ProjectTarget
) -> types.CompletionList:
    reg = registry.load()
    edit_range = to_range(Span(line, col - len(prefix), line, col))
    digits_first = prefix[:1].isdigit()
    row = libraries.BY_NAME.get(library)
    kind = _MEMBER_KIND[row.members] if row is not None else types.CompletionItemKind.Constant
    items = []
    for rank, (ref, deprecated) in enumerate(offered_names(library, target)):
        if not ref.attribute_access:
            continue  # requests' '\o/' only works as codes['\o/'], never after a dot
        if row is not None and row.is_case_twin(ref.name):
            continue  # the libraries' case twins of every name would double the list
        entry = reg.entry(ref.code)
        phrase = entry.phrase if entry else ""
        detail = f"{ref.code} {phrase}".strip()
        if deprecated:
            detail += f" (deprecated: use {ref.replacement})" if ref.replacement else " (deprecated)"
        items.append(
            completion_item(
                support,
                label=ref.name,
                detail=detail,
                short=f" {ref.code}",
                description=phrase,
                data={"doc": "name", "library": library, "name": ref.name, "code": ref.code, "deprecated": deprecated},
                sort=rank,
                kind=_MEMBER_KIND[row.kind_of(ref.name)] if row is not None else kind,
                edit_range=edit_range,
                new_text=ref.name,
                # Typing 404 must find NOT_FOUND; clients that match prefixes need the number first
                # once digits are typed, so an empty prefix asks to be re-queried (isIncomplete).
                filter_text=f"{ref.code} {ref.name}" if digits_first else f"{ref.name} {ref.code}",
                deprecated=deprecated,
            )
        )
    return types.CompletionList(is_incomplete=not prefix, items=items)


def _code_items(prefix: str, line: int, col: int, support: CompletionSupport, to_range: RangeMaker) -> types.CompletionList:
    reg = registry.load()
    edit_range = to_range(Span(line, col - len(prefix), line, col))
    items = []
    for rank, code in enumerate(code_rank()):
        if not str(code).startswith(prefix):
            continue
        entry = reg.entry(code)
        phrase = entry.phrase if entry else ""
        items.append(
            completion_item(
                support,
                label=str(code),
                detail=f"{code} {phrase}",
                short="",
                description=phrase,
                data={"doc": "code", "code": code},
                sort=rank,
                kind=types.CompletionItemKind.Value,
                edit_range=edit_range,
                new_text=str(code),
                filter_text=f"{code} {phrase}",
            )
        )
    return types.CompletionList(is_incomplete=False, items=items)


_PYTHON_CONTEXT_CHARS = 2000
"""How much of a line before the cursor Python completion reads."""

_TRAILING_DIGITS = re.compile(r"\d*$")


def _python(
    analysis: Analysis,
    line_text: str,
    line: int,
    col: int,
    support: CompletionSupport,
    to_range: RangeMaker,
    target: ProjectTarget,
) -> types.CompletionList | None:
    try:
        from http_status_ls.detect.python.cursor import namespace_before, status_literal_context
    except ImportError:
        return None
    # The context scans (strings, brackets) walk the line before the cursor character by character;
    # on a multi-megabyte line that took seconds. What decides a completion is close to the cursor.
    before = line_text[max(0, col - _PYTHON_CONTEXT_CHARS) : col]
    found = namespace_before(before, len(before), analysis.detection.namespaces)
    if found is not None:
        library, prefix = found
        if registry.load().names_of(library):
            return _name_items(library, prefix, line, col, support, to_range, target)
        return None
    if status_literal_context(before):
        digits = _TRAILING_DIGITS.search(before)
        return _code_items(digits[0] if digits else "", line, col, support, to_range)
    return None


# --- entry point -----------------------------------------------------------------------------


def complete(
    analysis: Analysis,
    lines: Sequence[str],
    line: int,
    col: int,
    *,
    support: CompletionSupport = _NOTHING_SUPPORTED,
    to_range: RangeMaker = span_range,
    target: ProjectTarget = UNKNOWN_TARGET,
) -> types.CompletionList | None:
    """Completion at (line, code-point col) of the document whose analysis and lines are given;
    library names are those the project's ``target`` has (nothing known: the oldest maintained
    Python's, and the names every starlette has)."""
    line_text = lines[line].rstrip("\r\n") if 0 <= line < len(lines) else ""
    col = max(0, min(col, len(line_text)))
    if analysis.language == "python":
        return _python(analysis, line_text, line, col, support, to_range, target)
    if analysis.openapi is not None or analysis.detection.responses:
        return complete_response_key(analysis, lines, line, col, support, to_range)
    return None
