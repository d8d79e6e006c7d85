"""Small questions about the syntax around a response, for :mod:`.routes_body`: an argument by
position or keyword, the assignments to a local name, whether a call is raised or stands alone,
whether a response has a body or a ``Location`` header, and whether code sits in an ``except``.
"""

from __future__ import annotations

from http_status_ls.detect.python.routes_vocabulary import RESPONSES
from http_status_ls.detect.python.tree import Node, ParsedText
from http_status_ls.detect.python.vocabulary import is_status_name, loose_status_name


def argument_node(parsed: ParsedText, call: Node, position: int | None, keywords: tuple[str, ...]) -> Node | None:
    """The argument at ``position`` or under one of ``keywords``."""
    arguments = call.child_by_field_name("arguments")
    if arguments is None:
        return None
    index = 0
    for argument in arguments.named_children:
        if argument.type == "keyword_argument":
            name = argument.child_by_field_name("name")
            if name is not None and parsed.text(name) in keywords:
                return argument.child_by_field_name("value")
            continue
        if argument.type in ("list_splat", "dictionary_splat"):
            return None
        if index == position:
            return argument
        index += 1
    return None


def local_assignments(parsed: ParsedText, function: Node, name: str) -> list[Node]:
    """The values assigned to ``name`` by plain ``name = value`` statements in ``function``'s body."""
    body = function.child_by_field_name("body")
    if body is None:
        return []
    found: list[Node] = []
    stack = list(body.named_children)
    while stack:
        node = stack.pop()
        if node.type in ("function_definition", "class_definition", "lambda"):
            continue
        if node.type == "assignment":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is not None and right is not None and left.type == "identifier" and parsed.text(left) == name:
                found.append(right)
            continue
        stack.extend(node.named_children)
    return found


def assigned_response(parsed: ParsedText, function: Node, name: str) -> bool:
    return any(value.type == "call" and parsed.callee(value) in RESPONSES for value in local_assignments(parsed, function, name))


def is_raised(call: Node) -> bool:
    parent = call.parent
    return parent is not None and parent.type == "raise_statement"


def is_super_init(parsed: ParsedText, call: Node) -> bool:
    function = call.child_by_field_name("function")
    owner = function.child_by_field_name("object") if function is not None else None
    return owner is not None and owner.type == "call" and parsed.callee(owner) == "super"


def stands_alone(call: Node) -> bool:
    """Whether a response call is the answer itself, not the body of an outer one."""
    parent = call.parent
    return parent is not None and parent.type in ("return_statement", "assignment", "expression_statement")


def inside_except(node: Node) -> bool:
    current = node.parent
    while current is not None and current.type not in ("function_definition", "class_definition"):
        if current.type == "except_clause":
            return True
        current = current.parent
    return False


EMPTY_BODIES = frozenset({'""', "''", 'b""', "b''", "None"})


def has_body(parsed: ParsedText, value: Node) -> bool | None:
    text = parsed.text(value)
    if text in EMPTY_BODIES or value.type == "none":
        return False
    if value.type in ("string", "dictionary", "list", "integer") or value.type == "call":
        return True
    return None


def has_location(parsed: ParsedText, headers: Node) -> bool | None:
    if headers.type != "dictionary":
        return None
    for pair in headers.named_children:
        key = pair.child_by_field_name("key") if pair.type == "pair" else None
        if key is None:
            return None
        content = parsed.string_content(key)
        if content is None:
            return None
        if content.lower() == "location":
            return True
    return False


def keyword_location(parsed: ParsedText, call: Node) -> bool | None:
    headers = argument_node(parsed, call, None, ("headers",))
    if headers is None:
        return False
    return has_location(parsed, headers)


def call_body(parsed: ParsedText, call: Node, callee: str) -> bool | None:
    """Whether a response call passes a body: its first positional argument or ``content=``/``body=``/..."""
    if callee in ("redirect", "RedirectResponse"):
        return False
    body = argument_node(parsed, call, 0, ("content", "body", "text", "data", "response"))
    if body is None:
        return False
    return has_body(parsed, body)


def raises_on_invalid(parsed: ParsedText, call: Node) -> bool:
    """``serializer.is_valid(raise_exception=True)``: DRF answers 400 when the data is invalid."""
    flag = argument_node(parsed, call, None, ("raise_exception",))
    return flag is not None and parsed.text(flag) == "True"


def assigned_owner(parsed: ParsedText, node: Node | None) -> str:
    """The variable an assignment writes (``resp`` for ``resp = ...`` and ``resp.status_code = ...``)."""
    if node is None or node.type != "assignment":
        return ""
    left = node.child_by_field_name("left")
    if left is not None and left.type == "attribute":
        left = left.child_by_field_name("object")
    return parsed.text(left) if left is not None and left.type == "identifier" else ""


def parameter_defaults(parsed: ParsedText, function: Node) -> dict[str, Node]:
    """Parameter name -> its default value's node."""
    parameters = function.child_by_field_name("parameters")
    found: dict[str, Node] = {}
    for parameter in parameters.named_children if parameters is not None else ():
        name, value = parameter.child_by_field_name("name"), parameter.child_by_field_name("value")
        if name is not None and value is not None and parameter.type in ("default_parameter", "typed_default_parameter"):
            found[parsed.text(name)] = value
    return found


def status_like(name: str) -> bool:
    return is_status_name(name) or loose_status_name(name) or name in ("code", "status")
