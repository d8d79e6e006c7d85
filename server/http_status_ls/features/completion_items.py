"""Completion items as the client can show them, for every kind of completion.

What the client supports (read once per session from its capabilities), how one item is made from
what a completion offers, the documentation that goes with it (sent with the list, or filled in by
``completionItem/resolve`` when the client asks for it lazily), and the order codes are offered in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from lsprotocol import types
from pygls.capabilities import get_capability

from http_status_ls.features import render
from http_status_ls.features.hover import describe_code
from http_status_ls.kb import records, registry

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


@lru_cache(maxsize=1)
def code_rank() -> tuple[int, ...]:
    """Standard codes, the common ones first."""
    reg = registry.load()
    standard = [e.code for e in reg.entries if e.standing == "standard"]
    return tuple(c for c in COMMON_CODES if c in standard) + tuple(c for c in standard if c not in COMMON_CODES)


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
    insert_adjusts: bool = False
    """The client can be told to indent the lines after the first like the line the item is accepted on."""
    default_insert_mode: types.InsertTextMode | None = None
    """What the client does with an item that does not say (``textDocument.completion.insertTextMode``)."""

    @classmethod
    def from_capabilities(cls, capabilities: types.ClientCapabilities) -> CompletionSupport:
        item = "text_document.completion.completion_item"
        formats = get_capability(capabilities, f"{item}.documentation_format", None) or []
        tags = get_capability(capabilities, f"{item}.tag_support.value_set", None) or []
        resolvable = get_capability(capabilities, f"{item}.resolve_support.properties", None) or []
        modes = get_capability(capabilities, f"{item}.insert_text_mode_support.value_set", None) or []
        return cls(
            snippets=bool(get_capability(capabilities, f"{item}.snippet_support", False)),
            markdown=types.MarkupKind.Markdown in formats,
            label_details=bool(get_capability(capabilities, f"{item}.label_details_support", False)),
            deprecated_tag=types.CompletionItemTag.Deprecated in tags,
            deprecated_flag=bool(get_capability(capabilities, f"{item}.deprecated_support", False)),
            lazy_documentation="documentation" in resolvable,
            insert_as_is=types.InsertTextMode.AsIs in modes,
            insert_adjusts=types.InsertTextMode.AdjustIndentation in modes,
            default_insert_mode=get_capability(capabilities, "text_document.completion.insert_text_mode", None),
        )


# --- documentation ---------------------------------------------------------------------------


@lru_cache(maxsize=1024)
def _documentation_text(kind: str, key: Any, markdown: bool) -> str:
    """One to three lines (:func:`render.brief`): the popup must not cover the line being typed.
    The hover and ``http-status-ls explain`` have the rest."""
    reg = registry.load()
    if kind == "default":
        return render.default_brief(markdown=markdown)
    if kind == "class":
        klass = reg.status_class(int(key))
        return render.class_brief(klass, markdown=markdown) if klass else ""
    if kind == "name":
        library, name, deprecated = key
        ref = reg.resolve(library, name)
        entry = reg.entry(ref.code) if ref is not None else None
        if ref is None or entry is None:
            return ""
        if ref.deprecated and not deprecated:
            # Deprecated only where its replacement exists: on the project's starlette it is the name.
            ref = records.replace(ref, deprecated=False, replacement=None)
        return render.brief(entry, markdown=markdown, name_note=render.name_note(ref, markdown=markdown))
    entry = reg.entry(int(key))
    return (
        render.brief(entry, markdown=markdown)
        if entry is not None
        else describe_code(int(key), markdown=markdown, verbosity="short")
    )


def _documentation(data: Mapping[str, Any], markdown: bool) -> types.MarkupContent | None:
    kind = data.get("doc")
    key: Any = None
    if kind == "name":
        # Whether the name is deprecated depends on the project's target, which the item carries;
        # an item without it (made before it did) goes by the knowledge base.
        deprecated = data.get("deprecated")
        if not isinstance(deprecated, bool):
            ref = registry.load().resolve(str(data.get("library")), str(data.get("name")))
            deprecated = ref is not None and ref.deprecated
        key = (data.get("library"), data.get("name"), deprecated)
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


# --- the item ----------------------------------------------------------------------------------


def completion_item(
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
    insert_mode: types.InsertTextMode | None = None,
) -> types.CompletionItem:
    """One item, with only what the client can show. ``data`` says which documentation goes with it
    (``{"doc": "code", "code": 404}``, see `resolve`); ``sort`` is its rank in the list; ``insert_mode``
    tells the client how to indent the lines after the first of a multi-line ``new_text``."""
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
        insert_text_mode=insert_mode,
        additional_text_edits=additional,
        data=data,
    )
