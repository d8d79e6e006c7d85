"""Status spots that belong to one framework's conventions, beside the general ones of :mod:`.contexts`.

``code = 409`` in the body of a werkzeug/aiohttp/starlette-style HTTP exception class is the status
the class answers with; Sanic's ``response.json(body, 400)`` takes the status second, positionally;
a code after an HTTP version (``("HTTP/1.1", 404, "Not Found")``) is a status line's code.
"""

from __future__ import annotations

import re

from http_status_ls.core.occurrences import Role
from http_status_ls.detect.python.judgment import Context
from http_status_ls.detect.python.tree import Node, ParsedText
from http_status_ls.detect.python.vocabulary import positional_status

_SANIC_HELPERS = frozenset({"json", "text", "html", "raw", "empty", "file"})


def positional_label(parsed: ParsedText, callee: str, index: int, first_is_int: bool, decorator: bool) -> str | None:
    """The label when a positional argument is a status: a known library call, or a Sanic helper."""
    return positional_status(callee, index, first_is_int, decorator) or _sanic_helper(parsed, callee, index)


def _sanic_helper(parsed: ParsedText, callee: str, index: int) -> str | None:
    """Sanic's ``response.json(body, 400)``: its response helpers take the status second."""
    if index != 1 or callee not in _SANIC_HELPERS:
        return None
    return f"{callee}()" if any(module == "sanic" or module.startswith("sanic.") for module in parsed.modules) else None


_CLASS_STATUS_ATTRIBUTES = frozenset({"code", "status_code", "status"})


def class_status_attribute(parsed: ParsedText, assignment: Node, name: str) -> Context | None:
    """``code = 409`` in the body of a class that subclasses an HTTP exception (werkzeug's
    ``HTTPException``, aiohttp's ``web.HTTPException``): the status the class answers with."""
    statement = assignment.parent
    block = statement.parent if statement is not None and statement.type == "expression_statement" else None
    definition = block.parent if block is not None and block.type == "block" else None
    if name not in _CLASS_STATUS_ATTRIBUTES or definition is None or definition.type != "class_definition":
        return None
    bases = definition.child_by_field_name("superclasses")
    if bases is None:
        return None
    for base in bases.named_children:
        spelled = parsed.text(base).rpartition(".")[2]
        if spelled.startswith(("HTTP", "Http")) and "WebSocket" not in spelled:
            return Context(f"{name} = (class {spelled})", False, Role.SENDS)
    return None


_VERSION = re.compile(r"HTTP/[0-9](?:\.[0-9])?")


def after_http_version(parsed: ParsedText, node: Node, parent: Node) -> Context | None:
    """The code right after an HTTP version in a tuple or a call: ``("HTTP/1.1", 404, "Not Found")``,
    ``ResponseStartLine("HTTP/1.1", 404, "Not Found")``, the parts of a status line."""
    if parent.type not in ("tuple", "list", "argument_list"):
        return None
    before = node.prev_named_sibling
    version = parsed.string_content(before) if before is not None and before.type == "string" else None
    if version is None or not _VERSION.fullmatch(version):
        return None
    spelled = parsed.text(node)
    if not spelled.isdigit() or not 100 <= int(spelled) <= 599:
        return None
    return Context("after an HTTP version", False, Role.SENDS if parent.type == "argument_list" else Role.READS)
