"""Status codes in ranges and data tables: ``range()`` bounds in a status spot, and codes in rows
that a loop or a parametrised test unpacks into a status name.

``status_forcelist=range(500, 600)`` and ``for status in range(400, 600)`` read a span of codes;
its stop is the edge of a class, as in ``status < 600``. ``for status, ok in [(200, True)]:`` and
``@pytest.mark.parametrize("status", [200, 404])`` hand each row's code to a status name. Numbers
in rows unpacked into other names (``for x, y in [(100, 200)]``) stay silent, and so does ``code``
outside HTTP code (an SMTP reply table).
"""

from __future__ import annotations

import re

from http_status_ls.core.occurrences import Role
from http_status_ls.detect.python.judgment import Context, loose_name_holds_status
from http_status_ls.detect.python.tree import Node, ParsedText, same
from http_status_ls.detect.python.vocabulary import CLASS_BOUNDS, is_status_name, strong_status_name

_ROWS = frozenset({"tuple", "list"})
_TABLES = frozenset({"list", "tuple", "set"})


def range_call(parsed: ParsedText, arguments: Node) -> Node | None:
    """The call when ``arguments`` are those of ``range(start, stop)`` with two integers."""
    call = arguments.parent
    if call is None or call.type != "call" or parsed.callee(call) != "range":
        return None
    values = [child for child in arguments.named_children if child.type != "comment"]
    return call if len(values) == 2 and all(value.type == "integer" for value in values) else None


def range_role(parsed: ParsedText, call: Node, value: Node) -> Role:
    """The stop of ``range(500, 600)`` is a class edge; the start is a code read."""
    arguments = call.child_by_field_name("arguments")
    stop = arguments.named_children[-1] if arguments is not None and arguments.named_children else None
    edge = same(stop, value) and int(parsed.text(value)) in CLASS_BOUNDS
    return Role.BOUND if edge else Role.READS


def status_target(parsed: ParsedText, name: str, spot: Node) -> Context | None:
    """The context when a loop variable or test parameter ``name`` (written at ``spot``) holds
    statuses. A bare ``status`` in a mail or FTP client's table is a reply code."""
    if is_status_name(name) and (strong_status_name(name) or not parsed.speaks_other_protocol):
        return Context(f"for {name} in", strong_status_name(name), Role.READS)
    if loose_name_holds_status(parsed, name, spot):
        return Context(f"for {name} in", False, Role.READS)
    return None


def row_context(parsed: ParsedText, node: Node) -> Context | None:
    """The context of an integer in a data table unpacked into status names: a row of a ``for``
    loop's table or of ``@pytest.mark.parametrize``'s values, or a value of a one-name table."""
    parent = node.parent
    if parent is None:
        return None
    if parent.type in _ROWS and parent.parent is not None and parent.parent.type in _TABLES:
        row, table = parent, parent.parent
        index: int | None = next((i for i, child in enumerate(_elements(row)) if same(child, node)), None)
        if index is None:
            return None
    elif parent.type in _TABLES:
        table, index = parent, None
    else:
        return None
    names = _unpacked_names(parsed, table)
    if not names:
        return None
    if index is None:
        return status_target(parsed, *names[0]) if len(names) == 1 else None
    if index >= len(names) or len(names) < 2:
        return None
    found = status_target(parsed, *names[index])
    if found is None and table.parent is not None and table.parent.type == "argument_list":
        return _tested_as_status(parsed, table, names[index][0])
    return found


def _elements(collection: Node) -> list[Node]:
    return [child for child in collection.named_children if child.type != "comment"]


def _unpacked_names(parsed: ParsedText, table: Node) -> list[tuple[str, Node]]:
    """The names each row of ``table`` is unpacked into, each with where it is written:
    ``for status, ok in table`` -> status, ok; ``parametrize("path, status", table)`` -> path,
    status (both written in the string)."""
    holder = table.parent
    if holder is None:
        return []
    if holder.type == "for_statement" and same(holder.child_by_field_name("right"), table):
        target = holder.child_by_field_name("left")
        if target is None:
            return []
        parts = _elements(target) if target.type in ("pattern_list", "tuple_pattern") else [target]
        if not all(part.type == "identifier" for part in parts):
            return []
        return [(parsed.text(part), part) for part in parts]
    if holder.type != "argument_list" or holder.parent is None or parsed.callee(holder.parent) != "parametrize":
        return []
    arguments = _elements(holder)
    if len(arguments) < 2 or not same(arguments[1], table):
        return []
    return _argument_names(parsed, arguments[0])


def _argument_names(parsed: ParsedText, argnames: Node) -> list[tuple[str, Node]]:
    """``"path, status"`` or ``("path", "status")``: the names a parametrised test's rows fill."""
    if argnames.type in ("tuple", "list"):
        names = [(parsed.string_content(part), part) for part in _elements(argnames)]
        return [(name, part) for name, part in names if name is not None] if all(name for name, _ in names) else []
    spelled = parsed.string_content(argnames)
    if spelled is None:
        return []
    return [(part.strip(), argnames) for part in spelled.split(",")]


def _tested_as_status(parsed: ParsedText, table: Node, name: str) -> Context | None:
    """A parametrised test's argument that is not named for a status but compared with one in the
    test: ``("path", "expected")`` rows with ``assert client.get(path).status_code == expected``."""
    decorator = table.parent.parent.parent if table.parent is not None and table.parent.parent is not None else None
    definition = decorator.parent if decorator is not None and decorator.type == "decorator" else None
    test = definition.child_by_field_name("definition") if definition is not None else None
    body = test.child_by_field_name("body") if test is not None else None
    if body is None or not name.isidentifier():
        return None
    text = parsed.source[body.start_byte : body.end_byte].decode("utf-8", "surrogatepass")
    spelled = re.escape(name)
    compared = rf"\.status(?:_code)?\s*==\s*{spelled}\b|\b{spelled}\s*==\s*[\w.()]*\.status(?:_code)?\b"
    return Context(f"parametrize {name}", False, Role.READS) if re.search(compared, text) else None
