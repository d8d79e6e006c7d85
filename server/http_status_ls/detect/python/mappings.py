"""Codes held by a collection named for statuses: tested for membership in it, or keyed in it.

``503 in TRANSIENT_STATUSES`` and ``404 not in RETRYABLE_ERROR_CODES`` test a code against a set of
statuses; ``ERRORS_BY_STATUS = {400: BadRequest}`` and ``exception_handlers={404: not_found}`` key a
mapping by status. The name decides, as for ``RETRY_HTTP_CODES = [...]``: one that says status
counts anywhere, one that says only codes (``ERROR_CODES``, ``codes``) only in HTTP code, and a
mapping counts only when every key is an integer in 100-599 (``SIZES = {200: "small"}`` and port
maps stay silent by name, ``{0: ..., 404: ...}`` by its keys).
"""

from __future__ import annotations

from http_status_ls.core.occurrences import Role
from http_status_ls.detect.python.judgment import Context
from http_status_ls.detect.python.tree import Node, ParsedText
from http_status_ls.detect.python.vocabulary import codes_name, is_status_name, strong_status_name, words

_PLURALS = frozenset({"statuses", "codes", "status"})
_HANDLER_WORDS = frozenset({"exception", "exceptions", "error", "errors"})


def _collection_name(parsed: ParsedText, node: Node) -> str | None:
    """The name a collection is reached by: ``CODES``, ``self.codes`` -> ``codes``."""
    if node.type == "attribute":
        node = node.child_by_field_name("attribute") or node
    return parsed.text(node) if node.type == "identifier" else None


def _names_statuses(parsed: ParsedText, name: str) -> bool:
    """Whether a collection's name says it holds statuses (see the module docstring)."""
    found = words(name)
    if not found or found[-1] not in _PLURALS:
        return False
    if found[-1] != "codes":
        return (is_status_name(name) and found[-1] == "statuses") or (found[-1] == "status" and len(found) > 1)
    says_http = codes_name(name) if len(found) > 1 else False
    return says_http is True or (says_http is False and parsed.speaks_http)


def membership(parsed: ParsedText, holder: Node, operator: str) -> Context | None:
    """``503 in TRANSIENT_STATUSES``: a code tested against a collection of statuses."""
    name = _collection_name(parsed, holder)
    if name is None or not _names_statuses(parsed, name):
        return None
    return Context(f"{operator} {name}", strong_status_name(name), Role.READS)


def status_map_key(parsed: ParsedText, dictionary: Node | None) -> Context | None:
    """The context of a key of a mapping by status: ``ERRORS_BY_STATUS = {400: ...}``,
    ``exception_handlers={404: handler}`` (Starlette), ``error_handlers = {500: ...}``."""
    if dictionary is None or dictionary.type != "dictionary" or dictionary.parent is None:
        return None
    holder = dictionary.parent
    if holder.type == "keyword_argument":
        name_node = holder.child_by_field_name("name")
    elif holder.type == "assignment":
        name_node = holder.child_by_field_name("left")
    else:
        return None
    name = _collection_name(parsed, name_node) if name_node is not None else None
    if name is None:
        return None
    found = words(name)
    handlers = found[-1:] == ["handlers"] and bool(_HANDLER_WORDS.intersection(found))
    if not handlers and not (is_status_name(name) or _names_statuses(parsed, name)):
        return None
    if not _status_keys(parsed, dictionary):
        return None
    return Context(f"{name} key", False, Role.SENDS if handlers else Role.READS)


def _status_keys(parsed: ParsedText, dictionary: Node) -> bool:
    """Whether every key of ``dictionary`` is an integer in 100-599 (and there is one)."""
    keys = [pair.child_by_field_name("key") for pair in dictionary.named_children if pair.type == "pair"]
    if not keys:
        return False
    for key in keys:
        if key is None or key.type != "integer":
            return False
        spelled = parsed.text(key)
        if not spelled.isdigit() or not 100 <= int(spelled) <= 599:
            return False
    return True
