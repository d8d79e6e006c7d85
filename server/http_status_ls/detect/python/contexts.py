"""Why a number is a status code: the syntax around an integer (or a quoted number) in the tree.

A number counts only where the syntax says it is a status: ``abort(404)``, ``status_code=201``,
``return body, 404``, ``resp.status_code == 200``, ``{"statusCode": 500}``, ``responses={404: ...}``,
``case 404:`` under ``match resp.status_code:``. Each judgment answers (context label, strong,
role): strong contexts report any number, weak ones only 100-999; the role says whether the program
sends the code there or only reads one that another party sent (docs/contexts.md lists them).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from http_status_ls.core.occurrences import Role
from http_status_ls.detect.python.framework_spots import after_http_version, class_status_attribute, positional_label
from http_status_ls.detect.python.judgment import Context, StatusExpression, loose_expression, loose_name_holds_status
from http_status_ls.detect.python.mappings import membership, status_map_key
from http_status_ls.detect.python.tables import range_call, range_role, row_context, status_target
from http_status_ls.detect.python.tree import Node, ParsedText, same
from http_status_ls.detect.python.vocabulary import (
    CLASS_BOUNDS,
    COLLECTION_CALLS,
    STATUS_ATTRIBUTES,
    UNITTEST_ASSERTS,
    codes_name,
    is_status_name,
    keyword_status,
    reading_name,
    strong_status_name,
    words,
)

_TRANSPARENT = frozenset({"parenthesized_expression", "conditional_expression", "boolean_operator"})
_COLLECTIONS = frozenset({"list", "tuple", "set"})
_PATTERNS = frozenset({"case_pattern", "union_pattern"})
_ORDERING = ("==", "!=", "<", ">", "<=", ">=")
_INEQUALITIES = frozenset({"<", ">", "<=", ">="})


def literal_context(parsed: ParsedText, node: Node, value: int) -> Context | None:
    """The context when the syntax around an integer makes it a status. The value may sit in
    parentheses, a conditional, or a list/tuple/set (``status_forcelist=[500]``)."""
    parent = node.parent
    if parent is None:
        return None
    returned = _returned_status(node, parent, value) or after_http_version(parsed, node, parent)
    if returned is not None:
        return returned
    if parent.type in _COLLECTIONS:
        row = row_context(parsed, node)
        if row is not None:
            return row
    climbed = _climb(parsed, node)
    if climbed is None:
        return None
    current, collection, span = climbed
    holder = current.parent
    if holder is None:
        return None
    judge = _JUDGES.get(holder.type)
    found = judge(parsed, holder, current, collection) if judge is not None else None
    if found is not None and span is not None:
        return found._replace(role=range_role(parsed, span, node))  # range(500, 600): 600 is an edge
    return found


def _climb(parsed: ParsedText, node: Node) -> tuple[Node, bool, Node | None] | None:
    """The outermost expression that carries the integer's value, whether a collection holds it,
    and the ``range(start, stop)`` call it bounds, if any; None when the integer is the condition
    of a conditional (never the value) or has no parent."""
    current, collection = node, False
    span = range_call(parsed, node.parent) if node.parent is not None and node.parent.type == "argument_list" else None
    if span is not None:
        current, collection = span, True
    for _ in range(6):
        parent = current.parent
        if parent is None:
            return None
        kind = parent.type
        if kind in _TRANSPARENT:
            if kind == "conditional_expression" and parent.named_child_count == 3 and same(parent.named_children[1], current):
                return None  # the condition of ``a if cond else b`` is not the value
            current = parent
        elif kind in _COLLECTIONS:
            collection, current = True, parent
        elif kind == "argument_list" and collection:
            call = parent.parent
            if call is None or call.type != "call" or parsed.callee(call) not in COLLECTION_CALLS:
                break
            current = call
        elif kind in _PATTERNS or (kind == "list_splat" and collection):
            current = parent  # ``[*range(500, 600), 429]``: the splat's codes are the list's
        else:
            break
    return current, collection, span


def _returned_status(node: Node, parent: Node, value: int) -> Context | None:
    """Flask's ``return body, 404`` and ``return body, 404, headers``. Only 200-599: a view
    cannot answer with a 1xx, and ``return ('TERM', 100)`` is a plain pair."""
    if parent.type not in ("expression_list", "tuple") or parent.parent is None or parent.parent.type != "return_statement":
        return None
    elements = [child for child in parent.named_children if child.type != "comment"]
    if len(elements) not in (2, 3) or not same(elements[1], node) or not 200 <= value <= 599:
        return None
    if elements[0].type in ("integer", "float"):
        return None
    return Context("return (body, status)", True, Role.SENDS)


def _role_of_name(name: str, collection: bool) -> Role:
    """A value given to a status name: sent, unless the name says it is a list to test against or
    the value is a collection (one response carries one status, so several codes are a set to
    test membership in: ``status_forcelist=[500, 502]``, ``OK_STATUSES = {200, 201}``)."""
    return Role.READS if collection or reading_name(name) else Role.SENDS


def _keyword_argument(parsed: ParsedText, argument: Node, value: Node, collection: bool) -> Context | None:
    if not same(argument.child_by_field_name("value"), value):
        return None
    name = argument.child_by_field_name("name")
    arguments = argument.parent
    call = arguments.parent if arguments is not None else None
    callee = parsed.callee(call) if call is not None and call.type == "call" else ""
    if name is None:
        return None
    if callee in _MOCK_FACTORIES and arguments is not None:
        callee = _mocked_class(parsed, arguments) or callee
    found = keyword_status(parsed.text(name), callee)
    if found is None and parsed.calls is not None and call is not None and call.type == "call":
        return parsed.calls.keyword(parsed, call, parsed.text(name), collection)
    return Context(*found, _role_of_name(parsed.text(name), collection)) if found is not None else None


_MOCK_FACTORIES = frozenset({"create_autospec", "Mock", "MagicMock", "NonCallableMock", "AsyncMock"})


def _mocked_class(parsed: ParsedText, arguments: Node) -> str | None:
    """The class a mock stands in for: ``create_autospec(Response, code=200)``,
    ``Mock(spec=HTTPError, code=404)``; its keywords are judged as that class's."""
    for child in arguments.named_children:
        spec = child
        if child.type == "keyword_argument":
            keyword = child.child_by_field_name("name")
            if keyword is None or parsed.text(keyword) not in ("spec", "spec_set"):
                continue
            spec = child.child_by_field_name("value") or child
        if spec.type == "attribute":
            spec = spec.child_by_field_name("attribute") or spec
        if spec.type == "identifier":
            return parsed.text(spec)
        if child.type != "keyword_argument":
            return None  # only the first positional argument is the spec
    return None


def _positional_argument(parsed: ParsedText, arguments: Node, value: Node, collection: bool) -> Context | None:
    call = arguments.parent
    if call is None or call.type != "call":
        return None
    callee = parsed.callee(call)
    positional = [
        child
        for child in arguments.named_children
        if child.type not in ("keyword_argument", "list_splat", "dictionary_splat", "comment")
    ]
    index = next((i for i, child in enumerate(positional) if same(child, value)), None)
    if index is None:
        return None
    if callee in UNITTEST_ASSERTS:
        return _unittest_assert(parsed, callee, positional, index, collection)
    first_is_int = positional[0].type == "integer"
    if collection:
        return parsed.calls.positional(parsed, call, index, True) if parsed.calls is not None else None
    if callee == "get" and index == 1:
        return _get_default(parsed, positional[0])
    decorator = call.parent is not None and call.parent.type == "decorator"
    label = positional_label(parsed, callee, index, first_is_int, decorator)
    if label is None and parsed.calls is not None and not _splat_before(arguments, value):
        return parsed.calls.positional(parsed, call, index, False, first_is_int)
    return Context(label, True, Role.SENDS) if label is not None else None


def _unittest_assert(parsed: ParsedText, callee: str, positional: list[Node], index: int, collection: bool) -> Context | None:
    """``self.assertEqual(resp.status_code, 200)`` / ``self.assertIn(resp.status_code, (200, 201))``."""
    if len(positional) < 2 or index > 1 or (collection and index != 1):
        return None
    # A test reads what the code under test sent: the verdict belongs where it is sent.
    other = status_expression(parsed, positional[1 - index])
    return Context(f"{callee}()", other[1], Role.READS) if other is not None else None


def _splat_before(arguments: Node, value: Node) -> bool:
    """Whether ``*args`` comes before ``value``, which makes its position unknown."""
    for child in arguments.named_children:
        if child.start_byte >= value.start_byte:
            return False
        if child.type == "list_splat":
            return True
    return False


def _get_default(parsed: ParsedText, key: Node) -> Context | None:
    """``payload.get("status_code", 200)``: the status assumed when a mapping has none."""
    name = parsed.string_content(key)
    if name is None or not is_status_name(name):
        return None
    return Context(f'.get("{name}")', strong_status_name(name), Role.READS)


def _compared_status(parsed: ParsedText, node: Node) -> StatusExpression | None:
    """What a comparison's operand says: a status expression, or a loose one in HTTP code."""
    return status_expression(parsed, node) or loose_expression(parsed, node)


def _split_comparison(comparison: Node) -> tuple[list[Node], list[str]]:
    """The operands of a (possibly chained) comparison and the operators between them."""
    operands: list[Node] = []
    operators: list[str] = []
    for child in comparison.children:
        if child.is_named and child.type != "comment":
            operands.append(child)
        elif not child.is_named:
            operators.append(child.type)
    return operands, operators


def _ordering_role(parsed: ParsedText, value: Node, operator: str) -> Role:
    """READS, or BOUND for a class edge under ``<``, ``<=``, ``>``, ``>=``: ``code > 199``."""
    bound = parsed.text(value) if value.type == "integer" else ""
    edge = operator in _INEQUALITIES and bound.isdigit() and int(bound) in CLASS_BOUNDS
    return Role.BOUND if edge else Role.READS


def _comparison(parsed: ParsedText, comparison: Node, value: Node, collection: bool) -> Context | None:
    operands, operators = _split_comparison(comparison)
    index = next((i for i, operand in enumerate(operands) if same(operand, value)), None)
    if index is None or len(operators) != len(operands) - 1:
        return None
    if collection:
        if index == 0 or operators[index - 1] not in ("in", "not in"):
            return None
        found = _compared_status(parsed, operands[index - 1])
        return Context(f"{found[0]} {operators[index - 1]}", found[1], Role.READS) if found else None
    if index + 1 < len(operands) and operators[index] in ("in", "not in"):
        return membership(parsed, operands[index + 1], operators[index])  # ``503 in TRANSIENT_STATUSES``
    for neighbour, operator in (
        (index - 1, operators[index - 1] if index > 0 else None),
        (index + 1, operators[index] if index < len(operators) else None),
    ):
        if operator in _ORDERING and 0 <= neighbour < len(operands):
            found = _compared_status(parsed, operands[neighbour])
            if found is not None:
                return Context(f"{found[0]} {operator}", found[1], _ordering_role(parsed, value, operator))
    return None


def status_expression(parsed: ParsedText, node: Node) -> StatusExpression | None:
    """(label, strong) when ``node`` reads a status: ``resp.status_code``, ``status``,
    ``event["statusCode"]``, ``resp.getcode()``."""
    while node.type == "parenthesized_expression" and node.named_child_count == 1:
        node = node.named_children[0]
    if node.type == "identifier":
        name = parsed.text(node)
        return (name, strong_status_name(name)) if is_status_name(name) else None
    if node.type == "attribute":
        attribute = node.child_by_field_name("attribute")
        name = parsed.text(attribute) if attribute is not None else ""
        if name in STATUS_ATTRIBUTES or is_status_name(name):
            return f".{name}", strong_status_name(name)
        return None
    if node.type == "subscript":
        key = parsed.string_key(node)
        if key is not None and is_status_name(key):
            return f'["{key}"]', strong_status_name(key)
        return None
    if node.type == "call":
        function = node.child_by_field_name("function")
        if function is not None and function.type == "attribute":
            attribute = function.child_by_field_name("attribute")
            if attribute is not None and parsed.text(attribute) == "getcode":
                return ".getcode()", True
    return None


def _assignment(parsed: ParsedText, assignment: Node, value: Node, collection: bool) -> Context | None:
    if not same(assignment.child_by_field_name("right"), value):
        return None
    target = assignment.child_by_field_name("left")
    if target is None or target.type not in ("identifier", "attribute", "subscript"):
        return None
    if target.type == "identifier" and not collection:
        in_class = class_status_attribute(parsed, assignment, parsed.text(target))
        if in_class is not None:
            return in_class
    found = status_expression(parsed, target)
    if found is None:
        return _codes_list(parsed, target, collection)
    label, strong = found
    if target.type == "attribute" and label == ".code":
        return None  # ``self.code = 200`` is too vague on its own
    return Context(f"{label} =", strong, _role_of_name(_bare(label), collection))


def _codes_list(parsed: ParsedText, target: Node, collection: bool, name: str | None = None) -> Context | None:
    """A collection under a name that lists codes: ``RETRY_HTTP_CODES = [500, 502]`` anywhere,
    ``RETRYABLE_ERROR_CODES = (500, 503)`` in HTTP code (in an SMTP server those are replies)."""
    if not collection:
        return None
    if name is None:
        if target.type == "attribute":
            target = target.child_by_field_name("attribute") or target
        if target.type != "identifier":
            return None
        name = parsed.text(target)
    says_http = codes_name(name)
    if says_http is None or not (says_http or parsed.speaks_http):
        return None
    return Context(f"{name} =", False, Role.READS)


def _subscript_key(parsed: ParsedText, subscript: Node, current: Node, collection: bool) -> Context | None:
    """``operation_responses[200] = {...}``: a key of a mapping named for responses."""
    owner = subscript.child_by_field_name("value")
    if collection or owner is None or not same(subscript.child_by_field_name("subscript"), current):
        return None
    if owner.type == "attribute":
        owner = owner.child_by_field_name("attribute") or owner
    if owner.type != "identifier" or words(parsed.text(owner))[-1:] != ["responses"]:
        return None
    return Context(f"{parsed.text(owner)}[...]", True, Role.SENDS)


def _for_loop(parsed: ParsedText, loop: Node, current: Node, collection: bool) -> Context | None:
    """``for status in (200, 204):``, ``for status in range(400, 600):``."""
    target = loop.child_by_field_name("left")
    if not collection or target is None or target.type != "identifier" or not same(loop.child_by_field_name("right"), current):
        return None
    return status_target(parsed, parsed.text(target), target)


def _bare(label: str) -> str:
    """The name in a status expression's label: ``.status_code`` -> ``status_code``, ``["status"]`` -> ``status``."""
    return label.strip('.[]"')


def _pair(parsed: ParsedText, pair: Node, current: Node, collection: bool) -> Context | None:
    key = pair.child_by_field_name("key")
    if same(pair.child_by_field_name("value"), current):
        name = parsed.string_content(key) if key is not None else None
        if name is not None and is_status_name(name):
            return Context(f'"{name}":', strong_status_name(name), _role_of_name(name, collection))
        return _codes_list(parsed, pair, collection, name) if name is not None else None
    if same(key, current) and not collection and responses_mapping(parsed, pair.parent):
        return Context("responses", True, Role.SENDS)  # declares what the operation answers
    return status_map_key(parsed, pair.parent) if same(key, current) and not collection else None


def _default_parameter(parsed: ParsedText, parameter: Node, current: Node, collection: bool) -> Context | None:
    name = parameter.child_by_field_name("name")
    if name is not None and same(parameter.child_by_field_name("value"), current) and is_status_name(parsed.text(name)):
        spelled = parsed.text(name)
        return Context(f"{spelled}=", strong_status_name(spelled), _role_of_name(spelled, collection))
    if name is not None and same(parameter.child_by_field_name("value"), current) and not collection:
        return _code_default(parsed, parameter, parsed.text(name))
    return None


def _passes_on_status(parsed: ParsedText, function: Node, name: str) -> bool:
    """Whether a function hands its parameter ``name`` on as a status: ``code=code``,
    ``status_code=code``, ``abort(code)``."""
    body = function.child_by_field_name("body")
    if body is None:
        return False
    text = parsed.source[body.start_byte : body.end_byte].decode("utf-8", "surrogatepass")
    spelled = re.escape(name)
    return re.search(rf"\b(?:status_code|status|code)\s*=\s*{spelled}\b|\babort\(\s*{spelled}\b", text) is not None


_ANSWERING_WORDS = frozenset({"redirect", "abort", "response", "respond", "reply", "error", "fail", "http", "status"})


def _code_default(parsed: ParsedText, parameter: Node, name: str) -> Context | None:
    """``def redirect(location, code: int = 303)``: a loose ``code`` parameter counts in HTTP code
    when the function's name says it answers (``redirect``, ``error_response``, ``abort_with``)
    or its body hands the parameter on as a status."""
    if not loose_name_holds_status(parsed, name, parameter):
        return None
    function = parameter.parent.parent if parameter.parent is not None else None
    title = function.child_by_field_name("name") if function is not None and function.type == "function_definition" else None
    if title is None or function is None:
        return None
    if not _ANSWERING_WORDS.intersection(words(parsed.text(title))) and not _passes_on_status(parsed, function, name):
        return None
    return Context(f"{name}=", False, Role.SENDS)


def _case(parsed: ParsedText, clause: Node, current: Node, collection: bool) -> Context | None:
    """``case 404:`` under ``match resp.status_code:``."""
    if collection:
        return None
    block = clause.parent
    statement = block.parent if block is not None else None
    if statement is None or statement.type != "match_statement":
        return None
    subject = statement.child_by_field_name("subject")
    found = status_expression(parsed, subject) if subject is not None else None
    return Context(f"case (match {found[0]})", found[1], Role.READS) if found else None


_JUDGES: dict[str, Callable[[ParsedText, Node, Node, bool], Context | None]] = {
    "keyword_argument": _keyword_argument,
    "argument_list": _positional_argument,
    "comparison_operator": _comparison,
    "assignment": _assignment,
    "pair": _pair,
    "default_parameter": _default_parameter,
    "typed_default_parameter": _default_parameter,
    "case_clause": _case,
    "subscript": _subscript_key,
    "for_statement": _for_loop,
}
"""What holds the value -> the judgment of that spot."""


def responses_mapping(parsed: ParsedText, dictionary: Node | None) -> bool:
    """Whether a dict is FastAPI/drf-spectacular/flask-restx ``responses={404: ...}``."""
    if dictionary is None or dictionary.type != "dictionary":
        return False
    holder = dictionary.parent
    if holder is None:
        return False
    if holder.type == "keyword_argument":
        name = holder.child_by_field_name("name")
        return name is not None and parsed.text(name) == "responses"
    if holder.type == "assignment" and same(holder.child_by_field_name("right"), dictionary):
        target = holder.child_by_field_name("left")
        return target is not None and target.type == "identifier" and words(parsed.text(target))[-1:] == ["responses"]
    return False


class StatusLine(NamedTuple):
    label: str
    role: Role
    trusted: bool
    """HTTP whatever the file imports (``start_response()``, a Lambda response dict); otherwise
    the file must show it speaks HTTP (:func:`.protocols.status_line_is_http`)."""


def status_line_context(parsed: ParsedText, string: Node) -> StatusLine | None:
    """The context of a status line, a string starting with a code: the first argument of
    ``start_response("404 Not Found", headers)``, the value of ``status = "200 OK"`` or of
    ``"statusDescription": "200 OK"``, or what ``resp.status == "201 Created"`` compares with."""
    holder = string.parent
    if holder is None:
        return None
    if holder.type == "argument_list":
        call = holder.parent
        positional = [c for c in holder.named_children if c.type != "comment"]
        if call is not None and call.type == "call" and parsed.callee(call) == "start_response" and positional:
            return StatusLine("start_response()", Role.SENDS, True) if same(positional[0], string) else None
        return None
    if holder.type == "assignment" and same(holder.child_by_field_name("right"), string):
        target = holder.child_by_field_name("left")
        found = status_expression(parsed, target) if target is not None else None
        if found is not None and found[0] != ".code":
            return StatusLine(f"{found[0]} =", Role.SENDS, False)
    if holder.type == "comparison_operator":
        return _compared_status_line(parsed, holder, string)
    if holder.type == "pair" and same(holder.child_by_field_name("value"), string):
        return _status_line_pair(parsed, holder)
    return None


def _compared_status_line(parsed: ParsedText, comparison: Node, string: Node) -> StatusLine | None:
    """``resp.status == "201 Created"`` (webob and aiohttp test clients compare the whole line)."""
    operands, operators = _split_comparison(comparison)
    if len(operands) != 2 or operators[0] not in ("==", "!="):
        return None
    other = operands[1] if same(operands[0], string) else operands[0]
    found = status_expression(parsed, other)
    if found is None or found[0] == ".code":
        return None
    return StatusLine(f"{found[0]} {operators[0]}", Role.READS, False)


def _status_line_pair(parsed: ParsedText, pair: Node) -> StatusLine | None:
    """``"statusDescription": "200 OK"``: trusted beside a ``"statusCode"`` key (an ALB response)."""
    key = pair.child_by_field_name("key")
    name = parsed.string_content(key) if key is not None else None
    if name is None or "status" not in words(name):
        return None
    siblings = pair.parent.named_children if pair.parent is not None else []
    sibling_keys = [
        sibling.child_by_field_name("key") for sibling in siblings if sibling.type == "pair" and not same(sibling, pair)
    ]
    beside_code = any(strong_status_name(parsed.string_content(key) or "") for key in sibling_keys if key is not None)
    return StatusLine(f'"{name}":', Role.SENDS, beside_code)


def quoted_responses_key(parsed: ParsedText, string: Node) -> bool:
    """Whether a string of digits is a key of a ``responses`` mapping: ``responses={"404": ...}``."""
    holder = string.parent
    return (
        holder is not None
        and holder.type == "pair"
        and same(holder.child_by_field_name("key"), string)
        and responses_mapping(parsed, holder.parent)
    )
