"""Completion: status names after a namespace, codes in a Python status position, response keys in
an OpenAPI ``responses`` object.

Works on the analysis of the version being typed plus the raw lines (the token under the cursor is
usually too incomplete to parse). Positions are code points; ``to_range`` converts edit ranges.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from lsprotocol import types
from pygls.capabilities import get_capability

from http_status_ls.core.occurrences import Analysis, ResponsesBlock, Span
from http_status_ls.core.positions import RangeMaker, span_range
from http_status_ls.features import render
from http_status_ls.features.hover import describe_code
from http_status_ls.kb import registry

# What most APIs return, offered first in a responses object and after `abort(`.
COMMON_CODES: tuple[int, ...] = (
    200,
    201,
    202,
    204,
    301,
    302,
    304,
    400,
    401,
    403,
    404,
    405,
    409,
    410,
    422,
    429,
    500,
    502,
    503,
    504,
)

_LIBRARY_KIND = {
    "aiohttp.web": types.CompletionItemKind.Class,
    "werkzeug.exceptions": types.CompletionItemKind.Class,
    "django.http": types.CompletionItemKind.Class,
    "http.HTTPStatus": types.CompletionItemKind.EnumMember,
    "httpx.codes": types.CompletionItemKind.EnumMember,
}


@dataclass(frozen=True)
class CompletionSupport:
    """What the client can show, distilled from its capabilities once per session."""

    snippets: bool = False
    markdown: bool = False
    label_details: bool = False
    deprecated_tag: bool = False
    deprecated_flag: bool = False
    lazy_documentation: bool = False
    """Documentation is filled in by ``completionItem/resolve`` instead of sent with every item."""
    insert_as_is: bool = False
    """The client can be told not to re-indent multi-line insertions (we indent them ourselves)."""

    @classmethod
    def from_capabilities(cls, capabilities: types.ClientCapabilities) -> CompletionSupport:
        item = "text_document.completion.completion_item"
        formats = get_capability(capabilities, f"{item}.documentation_format", None) or []
        tags = get_capability(capabilities, f"{item}.tag_support.value_set", None) or []
        resolvable = get_capability(capabilities, f"{item}.resolve_support.properties", None) or []
        return cls(
            snippets=bool(get_capability(capabilities, f"{item}.snippet_support", False)),
            markdown=types.MarkupKind.Markdown in formats,
            label_details=bool(get_capability(capabilities, f"{item}.label_details_support", False)),
            deprecated_tag=types.CompletionItemTag.Deprecated in tags,
            deprecated_flag=bool(get_capability(capabilities, f"{item}.deprecated_support", False)),
            lazy_documentation="documentation" in resolvable,
            insert_as_is=types.InsertTextMode.AsIs
            in (get_capability(capabilities, f"{item}.insert_text_mode_support.value_set", None) or []),
        )


# --- documentation ---------------------------------------------------------------------------


@lru_cache(maxsize=1024)
def _documentation_text(kind: str, key: Any, markdown: bool) -> str:
    reg = registry.load()
    if kind == "default":
        return render.describe_default(markdown=markdown)
    if kind == "class":
        klass = reg.status_class(int(key))
        return render.describe_class(klass, markdown=markdown) if klass else ""
    if kind == "name":
        library, name = key
        ref = reg.resolve(library, name)
        if ref is None:
            return ""
        text = describe_code(ref.code, markdown=markdown)
        if ref.deprecated:
            note = f"Deprecated name: use {ref.replacement or 'the current name'}"
            text = (f"> **{note}**" if markdown else f"!! {note}") + "\n\n" + text
        return text
    return describe_code(int(key), markdown=markdown)


def _documentation(data: Mapping[str, Any], markdown: bool) -> types.MarkupContent | None:
    kind = data.get("doc")
    key: Any = None
    if kind == "name":
        key = (data.get("library"), data.get("name"))
    elif kind == "class":
        key = data.get("digit")
    elif kind == "code":
        key = data.get("code")
    elif kind != "default":
        return None
    text = _documentation_text(kind, key, markdown)
    if not text:
        return None
    return types.MarkupContent(kind=types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText, value=text)


def resolve(item: types.CompletionItem, support: CompletionSupport) -> types.CompletionItem:
    """``completionItem/resolve``: add the documentation left out of the list."""
    if item.documentation is None and isinstance(item.data, Mapping):
        item.documentation = _documentation(item.data, support.markdown)
    return item


def _item(
    support: CompletionSupport,
    *,
    label: str,
    detail: str,
    short: str,
    description: str,
    data: dict[str, Any],
    sort: int,
    kind: types.CompletionItemKind,
    edit_range: types.Range,
    new_text: str,
    filter_text: str,
    snippet: bool = False,
    deprecated: bool = False,
    additional: list[types.TextEdit] | None = None,
) -> types.CompletionItem:
    return types.CompletionItem(
        label=label,
        kind=kind,
        detail=detail,
        label_details=types.CompletionItemLabelDetails(detail=short, description=description) if support.label_details else None,
        documentation=None if support.lazy_documentation else _documentation(data, support.markdown),
        sort_text=f"{sort:04d}",
        filter_text=filter_text,
        text_edit=types.TextEdit(range=edit_range, new_text=new_text),
        insert_text_format=types.InsertTextFormat.Snippet if snippet else types.InsertTextFormat.PlainText,
        tags=[types.CompletionItemTag.Deprecated] if deprecated and support.deprecated_tag else None,
        deprecated=True if deprecated and support.deprecated_flag and not support.deprecated_tag else None,
        insert_text_mode=types.InsertTextMode.AsIs if "\n" in new_text and support.insert_as_is else None,
        additional_text_edits=additional,
        data=data,
    )


# --- Python ----------------------------------------------------------------------------------


def _name_items(
    library: str, prefix: str, line: int, col: int, support: CompletionSupport, to_range: RangeMaker
) -> types.CompletionList:
    reg = registry.load()
    edit_range = to_range(Span(line, col - len(prefix), line, col))
    digits_first = prefix[:1].isdigit()
    items = []
    for rank, ref in enumerate(reg.names_of(library)):
        if not ref.attribute_access:
            continue  # requests' '\o/' only works as codes['\o/'], never after a dot
        if library == "requests.codes" and ref.name.isupper() or library == "httpx.codes" and ref.name.islower():
            continue  # the libraries' case twins of every name would double the list
        entry = reg.entry(ref.code)
        phrase = entry.phrase if entry else ""
        detail = f"{ref.code} {phrase}".strip()
        if ref.deprecated:
            detail += f" (deprecated: use {ref.replacement})" if ref.replacement else " (deprecated)"
        items.append(
            _item(
                support,
                label=ref.name,
                detail=detail,
                short=f" {ref.code}",
                description=phrase,
                data={"doc": "name", "library": library, "name": ref.name, "code": ref.code},
                sort=rank,
                kind=_LIBRARY_KIND.get(library, types.CompletionItemKind.Constant),
                edit_range=edit_range,
                new_text=ref.name,
                # Typing 404 must find NOT_FOUND; clients that match prefixes need the number first
                # once digits are typed, so an empty prefix asks to be re-queried (isIncomplete).
                filter_text=f"{ref.code} {ref.name}" if digits_first else f"{ref.name} {ref.code}",
                deprecated=ref.deprecated,
            )
        )
    return types.CompletionList(is_incomplete=not prefix, items=items)


@lru_cache(maxsize=1)
def _code_rank() -> tuple[int, ...]:
    """Standard codes, the common ones first."""
    reg = registry.load()
    standard = [e.code for e in reg.entries if e.standing == "standard"]
    return tuple(c for c in COMMON_CODES if c in standard) + tuple(c for c in standard if c not in COMMON_CODES)


def _code_items(prefix: str, line: int, col: int, support: CompletionSupport, to_range: RangeMaker) -> types.CompletionList:
    reg = registry.load()
    edit_range = to_range(Span(line, col - len(prefix), line, col))
    items = []
    for rank, code in enumerate(_code_rank()):
        if not str(code).startswith(prefix):
            continue
        entry = reg.entry(code)
        phrase = entry.phrase if entry else ""
        items.append(
            _item(
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


def _python(analysis: Analysis, line_text: str, line: int, col: int, support: CompletionSupport, to_range: RangeMaker):
    try:
        from http_status_ls.detect.python.reader import namespace_before, status_literal_context
    except ImportError:
        return None
    # The context scans (strings, brackets) walk the line before the cursor character by character;
    # on a multi-megabyte line that took seconds. What decides a completion is close to the cursor.
    before = line_text[max(0, col - _PYTHON_CONTEXT_CHARS) : col]
    found = namespace_before(before, len(before), analysis.detection.namespaces)
    if found is not None:
        library, prefix = found
        if registry.load().names_of(library):
            return _name_items(library, prefix, line, col, support, to_range)
        return None
    if status_literal_context(before):
        prefix = re.search(r"\d*$", before)[0]  # type: ignore[index]
        return _code_items(prefix, line, col, support, to_range)
    return None


# --- OpenAPI responses -----------------------------------------------------------------------


@dataclass(frozen=True)
class _KeySlot:
    """Where a new response key is being typed."""

    block: ResponsesBlock
    start: int
    """Column where the typed key (with its opening quote) starts."""
    end: int
    """Column where the replaced text ends (after an auto-closed quote, if any)."""
    quote: str
    typed: str
    indent: str
    step: str
    whole_entry: bool
    """Insert the key with a value scaffold; False when the line already has the ``:`` and value."""
    comma_before: tuple[int, int] | None = None
    comma_after: bool = False


def _text(line: str) -> str:
    return line.rstrip("\r\n")


def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _blank(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def _yaml_slot(analysis: Analysis, lines: Sequence[str], line: int, col: int) -> _KeySlot | None:
    line_text = _text(lines[line]) if line < len(lines) else ""
    match = re.fullmatch(r"([ \t]*)(['\"]?)([0-9A-Za-z]*)", line_text[:col])
    if match is None:
        return None
    indent = len(match[1])
    blocks = [b for b in analysis.detection.responses if not b.flow and b.span.start_line < line]
    for block in reversed(blocks[-8:]):
        owner_indent = block.span.start_col
        if block.key_indent is not None:
            if indent != block.key_indent:
                continue
        elif indent <= owner_indent:
            continue
        # Everything between the block's last line and the cursor must still belong to the block.
        if any(not _blank(lines[i]) and _indent_of(lines[i]) <= owner_indent for i in range(block.span.end_line + 1, line)):
            continue
        quote = match[2]
        end = col
        rest = line_text[col:]
        if quote and rest.startswith(quote):
            end += 1
            rest = rest[1:]
        existing = [k for k in block.keys if k.quoted]
        style = quote or (existing[0].text[0] if existing else "'")
        step = (block.key_indent - owner_indent) if block.key_indent is not None and block.key_indent > owner_indent else 2
        return _KeySlot(
            block=block,
            start=indent,
            end=end,
            quote=style,
            typed=match[2] + match[3],
            indent=match[1],
            step=" " * step,
            whole_entry=not rest.strip().startswith(":"),
        )
    return None


def _scan_to(lines: Sequence[str], start: tuple[int, int], stop: tuple[int, int]):
    """Brace depth and the last significant character between ``start`` and ``stop``, outside strings
    and ``//`` comments: tells a key position (after ``{`` or ``,`` at depth 1) from a value."""
    depth = 0
    last: tuple[str, int, int] | None = None
    in_string = False
    escaped = False
    for number in range(start[0], stop[0] + 1):
        text = lines[number] if number < len(lines) else ""
        first = start[1] if number == start[0] else 0
        limit = stop[1] if number == stop[0] else len(text)
        i = first
        while i < limit:
            char = text[i]
            if in_string:
                if escaped:
                    escaped = False
                elif char == "\\":
                    escaped = True
                elif char == '"':
                    in_string = False
                    last = ('"', number, i)
            elif char == '"':
                in_string = True
            elif char == "/" and text.startswith("//", i):
                break
            elif char in "{[":
                depth += 1
                last = (char, number, i)
            elif char in "}]":
                depth -= 1
                last = (char, number, i)
            elif not char.isspace():
                last = (char, number, i)
            i += 1
    return depth, last, in_string


def _next_significant(lines: Sequence[str], line: int, col: int, limit: int = 2000) -> str:
    for number in range(line, min(len(lines), line + limit)):
        text = lines[number][col if number == line else 0 :]
        stripped = text.lstrip()
        if stripped.startswith("//"):
            continue
        if stripped:
            return stripped[0]
    return ""


def _flow_slot(analysis: Analysis, lines: Sequence[str], line: int, col: int) -> _KeySlot | None:
    line_text = _text(lines[line]) if line < len(lines) else ""
    match = re.search(r"(['\"]?)([0-9A-Za-z]*)$", line_text[:col])
    if match is None:
        return None
    typed_start = match.start()
    for block in analysis.detection.responses:
        span = block.span
        if not block.flow or not span.contains(line, col) or (line, col) == (span.start_line, span.start_col):
            continue
        depth, last, in_string = _scan_to(lines, (span.start_line, span.start_col), (line, typed_start))
        if in_string or depth != 1 or last is None:
            continue
        comma_before = None
        if last[0] not in "{,":
            if last[0] == ":":
                continue  # a value position, not a key
            comma_before = (last[1], last[2] + 1)
        quote = match[1]
        end = col
        rest = line_text[col:]
        if quote and rest.startswith(quote):
            end += 1
            rest = rest[1:]
        after = _next_significant(lines, line, end)
        leading = re.match(r"[ \t]*", line_text)[0]  # type: ignore[index]
        return _KeySlot(
            block=block,
            start=typed_start,
            end=end,
            quote=quote or ('"' if analysis.language == "json" else "'"),
            typed=match[0],
            indent=leading,
            step="\t" if "\t" in leading else "  ",
            whole_entry=not rest.strip().startswith(":"),
            comma_before=comma_before,
            comma_after=after not in ("}", "", ","),
        )
    return None


def _snippet_escape(text: str) -> str:
    return re.sub(r"([$}\\])", r"\\\1", text)


def _yaml_scalar(text: str) -> str:
    return f'"{text}"' if re.search(r"[:#'\"{}\[\],&*!|>%@`]", text) or not text else text


def _entry_text(slot: _KeySlot, key: str, phrase: str, json: bool, snippets: bool) -> str:
    quoted = f"{slot.quote}{key}{slot.quote}"
    if not slot.whole_entry:
        return quoted
    description = _snippet_escape(phrase) if snippets else phrase
    if json:
        value = f'"${{1:{description}}}"' if snippets else f'"{description}"'
        inner = slot.indent + slot.step
        text = f'{quoted}: {{\n{inner}"description": {value}\n{slot.indent}}}'
        if slot.comma_after:
            text += ","
        return text + ("$0" if snippets else "")
    scalar = _yaml_scalar(phrase)
    value = f"${{1:{_snippet_escape(scalar)}}}" if snippets else scalar
    if slot.block.flow:
        text = f"{quoted}: {{description: {value}}}" + (", " if slot.comma_after else "")
        return text + ("$0" if snippets else "")
    return f"{quoted}:\n{slot.indent}{slot.step}description: {value}" + ("$0" if snippets else "")


def _openapi(analysis: Analysis, lines: Sequence[str], line: int, col: int, support: CompletionSupport, to_range: RangeMaker):
    slot = _flow_slot(analysis, lines, line, col) or _yaml_slot(analysis, lines, line, col)
    if slot is None:
        return None
    reg = registry.load()
    json = analysis.language == "json"
    openapi3 = not (analysis.openapi or "").startswith("2")
    present = set()
    for key in slot.block.keys:
        value = key.value if key.value is not None else key.text.strip("'\"")
        present.add(str(int(value)) if value.isdigit() else value)

    candidates: list[tuple[str, str, str, dict[str, Any], types.CompletionItemKind]] = []
    for code in _code_rank():
        entry = reg.entry(code)
        candidates.append(
            (
                str(code),
                entry.phrase if entry else "",
                f"{code} {entry.phrase if entry else ''}",
                {"doc": "code", "code": code},
                types.CompletionItemKind.Value,
            )
        )
    common = sum(1 for c in COMMON_CODES if reg.entry(c))
    extras = [
        (
            "default",
            "Any other response",
            "default: every status not listed",
            {"doc": "default"},
            types.CompletionItemKind.Keyword,
        )
    ]
    if openapi3:
        for klass in reg.classes:
            extras.append(
                (
                    f"{klass.digit}XX",
                    f"Any {klass.title} code",
                    f"{klass.digit}XX: any {klass.digit}xx {klass.title} code",
                    {"doc": "class", "digit": klass.digit},
                    types.CompletionItemKind.Constant,
                )
            )
    candidates[common:common] = extras

    edit_range = to_range(Span(line, slot.start, line, slot.end))
    additional = None
    if slot.comma_before is not None and slot.whole_entry:
        at = Span(slot.comma_before[0], slot.comma_before[1], slot.comma_before[0], slot.comma_before[1])
        additional = [types.TextEdit(range=to_range(at), new_text=",")]
    # Clients filter on the text of the edit range, which starts with the quote the user typed.
    opener = slot.typed[:1] if slot.typed[:1] in ("'", '"') else ""
    items = []
    for rank, (key, phrase, detail, data, kind) in enumerate(candidates):
        if key in present:
            continue
        description = phrase if data.get("doc") == "code" else _scaffold_description(data)
        items.append(
            _item(
                support,
                label=key,
                detail=detail,
                short="",
                description=phrase,
                data=data,
                sort=rank,
                kind=kind,
                edit_range=edit_range,
                new_text=_entry_text(slot, key, description, json, support.snippets),
                filter_text=f"{opener}{key} {phrase}",
                snippet=support.snippets and slot.whole_entry,
                additional=additional,
            )
        )
    return types.CompletionList(is_incomplete=False, items=items)


def _scaffold_description(data: Mapping[str, Any]) -> str:
    if data.get("doc") == "default":
        return "Unexpected error"
    klass = registry.load().status_class(int(data.get("digit", 0)))
    return f"{klass.title} response" if klass else "Response"


# --- entry point -----------------------------------------------------------------------------


def complete(
    analysis: Analysis,
    lines: Sequence[str],
    line: int,
    col: int,
    *,
    support: CompletionSupport = CompletionSupport(),
    to_range: RangeMaker = span_range,
) -> types.CompletionList | None:
    """Completion at (line, code-point col) of the document whose analysis and lines are given."""
    line_text = _text(lines[line]) if 0 <= line < len(lines) else ""
    col = max(0, min(col, len(line_text)))
    if analysis.language == "python":
        return _python(analysis, line_text, line, col, support, to_range)
    if analysis.openapi is not None or analysis.detection.responses:
        return _openapi(analysis, lines, line, col, support, to_range)
    return None
