"""One Python file's route summary (:class:`.routes.FileRoutes`): its declarations (read by
:mod:`.routes_declare`), what each of its functions produces (:mod:`.routes_body`), its imports and
its classes' bases; and the response facts the handler-level rules judge (:mod:`.routes_rules`).

One tree-sitter query collects the definitions, calls, raises and returns in a single pass over the
tree; library names (``status.HTTP_404_NOT_FOUND``, ``web.HTTPNotFound``) come from the Python
detector's occurrences, so both agree on what a name means.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

import tree_sitter

from http_status_ls.core.occurrences import Detection, Kind
from http_status_ls.detect.python.imports import import_statement_nodes, read_statement
from http_status_ls.detect.python.project_calls import class_bases
from http_status_ls.detect.python.reader import detect_python
from http_status_ls.detect.python.routes import (
    AIOHTTP,
    DJANGO,
    FASTAPI,
    FLASK,
    CallSite,
    DeclaredRoute,
    FileRoutes,
    FunctionCodes,
    Include,
    ProducedStatus,
    Router,
)
from http_status_ls.detect.python.routes_body import FunctionReader, ResponseFact
from http_status_ls.detect.python.routes_declare import (
    decorated_routes,
    depends_calls,
    enclosing_class,
    parameter_name,
    read_call,
    view_methods,
)
from http_status_ls.detect.python.tree import PYTHON, Node, ParsedText, parse, source_bytes

_QUERY = tree_sitter.Query(
    PYTHON,
    """
    (function_definition) @def
    (raise_statement) @raise
    (return_statement) @return
    (call) @call
    (class_definition) @class
    (assignment
      left: (attribute attribute: (identifier) @status_attribute)
      (#match? @status_attribute "^(status_code|status|code)$")) @status_assign
    """,
)


@dataclass(frozen=True, slots=True)
class ReadFile:
    """A file's routes and the response facts the handler-level rules judge."""

    routes: FileRoutes
    facts: tuple[ResponseFact, ...]


def read_routes(text: str) -> FileRoutes:
    return read_file(text).routes


def _read_functions(
    parsed: ParsedText, reader: FunctionReader, definitions: list[Node], by_function: dict[int, list[Node]]
) -> tuple[list[FunctionCodes], list[ResponseFact]]:
    """The codes of each function defined in the file (even one with none: a handler that produces
    none is still found), and the response facts read on the way."""
    functions: list[FunctionCodes] = []
    facts: list[ResponseFact] = []
    for definition in definitions:
        name = _definition_name(parsed, definition)
        if name is None:
            continue
        parameters = _parameters(parsed, definition)
        codes, found_facts = reader.read(definition, name, by_function.get(definition.id, []), parameters)
        depends = tuple(_dependencies(parsed, definition))
        methods = view_methods(parsed, definition)
        if depends or methods:
            codes = replace(codes, calls=codes.calls + depends, methods=methods)
        facts += found_facts
        functions.append(codes)
    return functions, facts


def read_file(
    text: str,
    detection: Detection | None = None,
    *,
    rules_only: bool = False,
    select: Callable[[list[Node]], list[Node]] | None = None,
) -> ReadFile:
    """The file's routes and response facts; ``detection`` (of this same text) saves a parse.
    ``rules_only`` skips what only the cross-check needs (registration calls, call sites), for
    the handler-level rules on the diagnostics path; ``select`` picks the function definitions
    to read (in document order), for rules that can only fire in some of them."""
    if detection is None or detection.tree is None:
        detection = detect_python(text)
    source = source_bytes(text)
    tree = detection.tree if detection.tree is not None else parse(source)
    parsed = ParsedText(source, tree)
    name_codes = {
        (o.span.end_line, o.span.end_col): o.code for o in detection.occurrences if o.kind is Kind.NAME and o.code is not None
    }
    imports = _imports(parsed)
    captures = _captures(tree)
    definitions = captures.get("def", [])
    project_names = frozenset() if rules_only else _project_names(parsed, captures, imports)
    framework = _framework(imports)
    reader = FunctionReader(parsed, name_codes, project_names, tuples=framework == FLASK or not framework, imports=dict(imports))

    if select is not None:
        definitions = select(definitions)
    by_function = _by_function(definitions, [node for kind in _BODY_KINDS for node in captures.get(kind, [])])

    functions, facts = _read_functions(parsed, reader, definitions, by_function)
    functions += _class_codes(parsed, captures.get("class", []), name_codes)

    routers: list[Router] = []
    includes: list[Include] = []
    routes: list[DeclaredRoute] = []
    for call in () if rules_only else captures.get("call", []):
        read_call(parsed, call, framework, routers, includes, routes)
    for definition in definitions:
        routes += decorated_routes(parsed, definition, framework, {router.name: router for router in routers})
    merged = _merge_functions(functions)
    return ReadFile(
        routes=FileRoutes(
            routes=tuple(sorted(routes, key=lambda route: route.decorator_span)),
            functions=merged,
            routers=tuple(dict.fromkeys(routers)),
            includes=tuple(dict.fromkeys(includes)),
            imports=tuple(imports),
            classes=tuple(_classes(parsed, captures.get("class", []))),
        ),
        facts=tuple(facts),
    )


def _captures(tree: tree_sitter.Tree) -> dict[str, list[Node]]:
    # Capture lists are not in document order: sort them, so equal texts give equal summaries.
    return {
        name: sorted(nodes, key=lambda node: node.start_byte)
        for name, nodes in tree_sitter.QueryCursor(_QUERY).captures(tree.root_node).items()
    }


def _project_names(parsed: ParsedText, captures: dict[str, list[Node]], imports: list[tuple[str, str]]) -> frozenset[str]:
    """The names a call may reach in the project: the file's own functions and classes, and what
    it imports from modules that are not known libraries."""
    defined = frozenset(_function_names(parsed, captures.get("def", []))) | frozenset(
        parsed.text(class_name)
        for node in captures.get("class", [])
        if (class_name := node.child_by_field_name("name")) is not None
    )
    return defined | frozenset(local for local, path in imports if _may_be_project(path))


# --- imports and names ---------------------------------------------------------------------------
def _imports(parsed: ParsedText) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for node in import_statement_nodes(parsed.source, parsed.root):
        statement = read_statement(node, parsed.text)
        if statement is None or statement.wildcard:
            continue
        found += [(imported.local, imported.denotes) for imported in statement.names]
    return found


_NOT_PROJECT = frozenset(sys.stdlib_module_names) | frozenset(
    {"fastapi", "starlette", "flask", "werkzeug", "aiohttp", "django", "rest_framework", "pydantic", "sanic", "quart"}
    | {"litestar", "sqlalchemy", "requests", "httpx", "jinja2", "marshmallow", "attrs", "yarl", "multidict", "celery"}
    | {"redis", "boto3", "numpy", "pandas", "pymongo", "motor", "peewee", "alembic", "passlib", "jose", "jwt", "click"}
    | {"itsdangerous", "structlog", "sentry_sdk", "uvicorn", "gunicorn", "orjson", "ujson", "yaml", "dotenv", "bcrypt"}
    | {"pytest", "typing_extensions", "flask_login", "flask_sqlalchemy", "flask_restful", "fastapi_users", "stripe"}
)
"""Roots of imports that are never the project's: calls to their names are not followed."""


def _may_be_project(path: str) -> bool:
    return path.startswith(".") or path.split(".", 1)[0] not in _NOT_PROJECT


def _framework(imports: Iterable[tuple[str, str]]) -> str:
    roots = {path.lstrip(".").split(".", 1)[0] for _local, path in imports}
    frameworks = (("fastapi", FASTAPI), ("starlette", FASTAPI), ("flask", FLASK), ("aiohttp", AIOHTTP))
    for root, framework in (*frameworks, ("rest_framework", DJANGO), ("django", DJANGO)):
        if root in roots:
            return framework
    return ""


_BODY_KINDS = ("raise", "return", "call", "status_assign")


def _by_function(definitions: list[Node], nodes: list[Node]) -> dict[int, list[Node]]:
    """The nodes of each function's own body (not of functions nested in it), by the function's
    node id: one sweep over both lists in byte order, with a stack of the open definitions."""
    found: dict[int, list[Node]] = {}
    spans = [(definition.start_byte, definition.end_byte, definition.id) for definition in definitions]
    open_: list[tuple[int, int, int]] = []
    next_definition = 0
    for node in sorted(nodes, key=lambda node: node.start_byte):
        start = node.start_byte
        while next_definition < len(spans) and spans[next_definition][0] <= start:
            open_.append(spans[next_definition])
            next_definition += 1
        while open_ and open_[-1][1] <= start:
            open_.pop()
        if open_:
            found.setdefault(open_[-1][2], []).append(node)
    return found


def _definition_name(parsed: ParsedText, definition: Node) -> str | None:
    """A function's name; ``Class.method`` for a method; an ``__init__``'s class name (its codes are
    the class's: ``raise ItemLocked(3)``)."""
    name_node = definition.child_by_field_name("name")
    if name_node is None:
        return None
    name = parsed.text(name_node)
    owner = enclosing_class(definition)
    class_name = owner.child_by_field_name("name") if owner is not None else None
    if class_name is None:
        return None if owner is not None else name
    return parsed.text(class_name) if name == "__init__" else f"{parsed.text(class_name)}.{name}"


def _classes(parsed: ParsedText, classes: list[Node]) -> Iterable[tuple[str, tuple[str, ...]]]:
    for definition in classes:
        name = definition.child_by_field_name("name")
        bases = class_bases(parsed, definition)
        if name is not None and bases:
            yield parsed.text(name), bases


def _function_names(parsed: ParsedText, definitions: list[Node]) -> Iterable[str]:
    for definition in definitions:
        if enclosing_class(definition) is None and (name := definition.child_by_field_name("name")) is not None:
            yield parsed.text(name)


def _parameters(parsed: ParsedText, definition: Node) -> dict[str, int | None]:
    """Parameter name -> positional index (without ``self``/``cls``), None when keyword-only."""
    found: dict[str, int | None] = {}
    parameters = definition.child_by_field_name("parameters")
    if parameters is None:
        return found
    position: int | None = 0
    for parameter in parameters.named_children:
        if parameter.type in ("list_splat_pattern", "keyword_separator"):
            position = None
            continue
        name = parameter_name(parsed, parameter)
        if name is None or name in ("self", "cls"):
            continue
        found[name] = position
        if position is not None:
            position += 1
    return found


def _dependencies(parsed: ParsedText, definition: Node) -> Iterable[CallSite]:
    """``user = Depends(get_user)`` and ``Annotated[User, Depends(get_user)]`` parameters."""
    parameters = definition.child_by_field_name("parameters")
    if parameters is None:
        return
    for parameter in parameters.named_children:
        yield from depends_calls(parsed, parameter)


def _class_codes(parsed: ParsedText, classes: list[Node], name_codes: dict[tuple[int, int], int]) -> list[FunctionCodes]:
    """HTTP error classes that set their code in the class body: ``code = 410``, ``status_code = 404``."""
    found: list[FunctionCodes] = []
    for definition in classes:
        name, body = definition.child_by_field_name("name"), definition.child_by_field_name("body")
        if name is None or body is None:
            continue
        for statement in body.named_children:
            assignment = (
                statement.named_children[0] if statement.type == "expression_statement" and statement.named_child_count else None
            )
            if assignment is None or assignment.type != "assignment":
                continue
            left, right = assignment.child_by_field_name("left"), assignment.child_by_field_name("right")
            if left is None or right is None or parsed.text(left) not in ("code", "status_code", "status"):
                continue
            code = int(parsed.text(right)) if right.type == "integer" and parsed.text(right).isdigit() else None
            if code is None:
                point = right.end_point
                code = name_codes.get((point.row, parsed.column(right.end_byte, point.column)))
            if code is not None:
                found.append(FunctionCodes(parsed.text(name), produced=(ProducedStatus(code, parsed.span(right), "raise"),)))
    return found


def _merge_functions(functions: list[FunctionCodes]) -> tuple[FunctionCodes, ...]:
    """One summary per name (a class's ``code =`` and its ``__init__`` are one)."""
    merged: dict[str, FunctionCodes] = {}
    for codes in functions:
        known = merged.get(codes.name)
        if known is None:
            merged[codes.name] = codes
            continue
        merged[codes.name] = FunctionCodes(
            codes.name,
            known.produced + codes.produced,
            known.returned + codes.returned,
            known.calls + codes.calls,
            known.uncertain + codes.uncertain,
            known.parameters + codes.parameters,
            known.plain_return or codes.plain_return,
            known.methods or codes.methods,
        )
    return tuple(merged.values())
