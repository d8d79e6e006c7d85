"""What a judgment of a number's spot answers, and the names that hold a status only in HTTP code.

Shared by :mod:`.contexts` (the spots of single values) and :mod:`.tables` (ranges and data rows).
"""

from __future__ import annotations

from typing import NamedTuple

from http_status_ls.core.occurrences import Role
from http_status_ls.detect.python.protocols import other_codes_in_scope
from http_status_ls.detect.python.tree import Node, ParsedText
from http_status_ls.detect.python.vocabulary import is_status_name, loose_status_name


class Context(NamedTuple):
    label: str
    """Why the number counts, for people: ``abort()``, ``.status_code ==``."""
    strong: bool
    """Any number counts (an out-of-range one is a mistake); otherwise only 100-999."""
    role: Role


StatusExpression = tuple[str, bool]
"""(label, strong) of an expression that holds a status: ``.status_code``, ``status``."""


def loose_name_holds_status(parsed: ParsedText, name: str, spot: Node) -> bool:
    """Whether a loose name (``code``, ``status_i``) holds a status at ``spot``: only in a file
    that speaks HTTP, and not in a function that also handles exit codes, errno values or replies
    of another protocol."""
    return loose_status_name(name) and parsed.speaks_http and not other_codes_in_scope(parsed, spot)


def loose_expression(parsed: ParsedText, node: Node) -> StatusExpression | None:
    """(label, weak) for the expressions that hold a status only in HTTP code: ``code``,
    ``status_i``, and the ``.value`` of a status (``http_status.value``)."""
    if node.type == "identifier":
        name = parsed.text(node)
        return (name, False) if loose_name_holds_status(parsed, name, node) else None
    if node.type != "attribute" or not parsed.speaks_http:
        return None
    attribute, owner = node.child_by_field_name("attribute"), node.child_by_field_name("object")
    if attribute is None or owner is None or parsed.text(attribute) != "value":
        return None
    if owner.type == "attribute":
        owner = owner.child_by_field_name("attribute") or owner
    if owner.type == "identifier" and is_status_name(parsed.text(owner)):
        return f"{parsed.text(owner)}.value", False
    return None
