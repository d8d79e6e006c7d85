"""Reading the definitions of one top-level statement of a file: what each function and class says
about its parameters on its own.

A parameter takes a status when its name says so (``status_code``, ``http_status``, ``status`` in
HTTP code), when its annotation does (``HTTPStatus``, ``status: int``), or when it is a ``code`` of
a function whose name says it answers (``error_response``, ``redirect_to``) or of an error class's
constructor (``ApiError(code, message)``). A dataclass or ``NamedTuple`` takes its fields, and
``namedtuple("Row", "method url status")`` its field names. What the bodies hand on, and what
classes inherit, depends on the rest of the file: :mod:`.summaries` puts the records together.

A record holds no tree node (only offsets inside its statement), so it can be kept for the next
version of the text: a keystroke changes one statement, whose record alone is read again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from http_status_ls.detect.python.judgment import loose_name_holds_status
from http_status_ls.detect.python.project_calls import class_bases
from http_status_ls.detect.python.project_params import StatusParameter
from http_status_ls.detect.python.tree import Node, ParsedText
from http_status_ls.detect.python.vocabulary import is_status_name, loose_status_name, reading_name, strong_status_name, words

_KEYWORDS = (b"def", b"class")
_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_DATACLASS_DECORATORS = frozenset({"dataclass", "s", "attrs", "define", "frozen", "mutable", "dataclass_transform"})
_TUPLE_BASES = frozenset({"NamedTuple"})
_NOT_PARAMETERS = frozenset({"self", "cls"})
_ANSWERING_WORDS = frozenset({"redirect", "abort", "response", "respond", "reply", "error", "fail", "http", "status"})
_NEVER_STATUS_WORDS = frozenset(
    {"id", "ids", "url", "uri", "path", "request", "req", "client", "session", "payload", "data", "body", "headers"}
    | {"header", "name", "names", "text", "message", "msg", "item", "items", "args", "kwargs", "key", "keys", "ctx"}
    | {"context", "app", "db", "user", "users", "query", "params", "config", "settings", "callback", "func", "fn"}
    | {"node", "event", "file", "files", "timeout", "port", "host", "size", "width", "height", "count", "limit"}
    | {"offset", "page", "index", "line", "lines", "token", "model", "form", "template", "content", "json", "logger"}
    | {"log", "parser", "options", "env", "loop", "instance", "obj", "cursor", "conn", "connection", "tree"}
)
"""Last words of parameter names that never hold a status: their bodies are not read for one."""
_NOT_FIELDS = ("ClassVar", "typing.ClassVar", "KW_ONLY", "dataclasses.KW_ONLY", "InitVar")

Parameter = tuple[str, int | None]
"""A parameter's name and position (None when keyword-only)."""


@dataclass(frozen=True, slots=True)
class FunctionRecord:
    callable_name: str
    """The function's name, or its class's for ``__init__``."""
    method: bool
    owner: str | None
    rows: tuple[StatusParameter, ...]
    """The parameters whose names or annotations decide."""
    constructor_codes: tuple[Parameter, ...]
    """``code`` parameters of a constructor: statuses when the class turns out to be an HTTP error."""
    left: tuple[Parameter, ...]
    """The parameters whose use in the body decides (:func:`.summaries.handed_on`)."""
    def_at: int
    """Where the ``def`` keyword is, relative to the statement."""
    span: tuple[int, int]
    """The definition's bytes, relative to the statement."""


@dataclass(frozen=True, slots=True)
class ClassRecord:
    name: str
    bases: tuple[str, ...]
    has_init: bool
    fields: tuple[StatusParameter, ...] | None
    """A dataclass's or NamedTuple's status fields; None for other classes."""
    status: int | None = None
    """The status a class body sets (``code = 409``), whether or not the class is an HTTP error."""


@dataclass(frozen=True, slots=True)
class StatementRecord:
    functions: tuple[FunctionRecord, ...] = ()
    classes: tuple[ClassRecord, ...] = ()
    records: tuple[StatusParameter, ...] = ()
    """Status fields of ``namedtuple(...)`` calls."""
    record_names: tuple[str, ...] = ()


EMPTY_STATEMENT = StatementRecord()


def worth_reading(statement: bytes) -> bool:
    return b"def" in statement or b"class" in statement or b"namedtuple" in statement


def read_statement(parsed: ParsedText, statement: Node) -> StatementRecord:
    """The definitions of one top-level statement (its nested ones too). ``parsed.speaks_http`` and
    ``parsed.speaks_other_protocol`` must be set."""
    start, end = statement.start_byte, statement.end_byte
    functions: list[FunctionRecord] = []
    classes: list[ClassRecord] = []
    for at, after in _keywords(parsed.source, start, end):
        token = parsed.root.descendant_for_byte_range(at, after)
        definition = token.parent if token is not None and token.type in ("def", "class") else None
        if definition is None or definition.type not in ("function_definition", "class_definition"):
            continue
        name_node = definition.child_by_field_name("name")
        if name_node is None:
            continue
        if definition.type == "class_definition":
            classes.append(_read_class(parsed, definition, parsed.text(name_node)))
        else:
            function = _read_function(parsed, definition, parsed.text(name_node), at - start, start)
            if function is not None:
                functions.append(function)
    records, names = _read_namedtuples(parsed, start, end)
    if not (functions or classes or records or names):
        return EMPTY_STATEMENT
    return StatementRecord(tuple(functions), tuple(classes), records, names)


def _keywords(source: bytes, start: int, end: int) -> list[tuple[int, int]]:
    """Where the words ``def`` and ``class`` stand in ``source[start:end]``, in order: the matches of
    ``\\b(?:def|class)\\b`` searched from ``start`` to ``end``."""
    # bytes.find and two boundary tests instead of that pattern: a leading \b leaves the regex
    # engine no prefix to skip ahead with, so it tries a match at every byte of every statement.
    found: list[tuple[int, int]] = []
    for keyword in _KEYWORDS:
        at = source.find(keyword, start, end)
        while at >= 0:
            after = at + len(keyword)
            if (at == 0 or source[at - 1] not in _WORD_BYTES) and (after >= end or source[after] not in _WORD_BYTES):
                found.append((at, after))
            at = source.find(keyword, at + 1, end)
    found.sort()
    return found


# --- functions ---------------------------------------------------------------------------------


def _owning_class(parsed: ParsedText, definition: Node) -> str | None:
    holder = definition.parent
    if holder is not None and holder.type == "decorated_definition":
        holder = holder.parent
    owner = holder.parent if holder is not None and holder.type == "block" else None
    if owner is None or owner.type != "class_definition":
        return None
    name = owner.child_by_field_name("name")
    return parsed.text(name) if name is not None else None


def _decorators(parsed: ParsedText, definition: Node) -> list[str]:
    """The last names of a definition's decorators: ``dataclass`` for ``@dataclasses.dataclass(frozen=True)``."""
    holder = definition.parent
    if holder is None or holder.type != "decorated_definition":
        return []
    found = []
    for decorator in holder.named_children:
        if decorator.type != "decorator" or not decorator.named_children:
            continue
        expression = decorator.named_children[0]
        if expression.type == "call":
            expression = expression.child_by_field_name("function") or expression
        if expression.type == "attribute":
            expression = expression.child_by_field_name("attribute") or expression
        found.append(parsed.text(expression))
    return found


def _parameters(parsed: ParsedText, definition: Node, method: bool) -> list[tuple[str, int | None, str]]:
    """(name, position, annotation) of each parameter, positions None after ``*``, without ``self``/``cls``."""
    node = definition.child_by_field_name("parameters")
    if node is None:
        return []
    found: list[tuple[str, int | None, str]] = []
    position: int | None = 0
    skip_first = method
    for child in node.named_children:
        name_node: Node | None
        if child.type in ("list_splat_pattern", "keyword_separator", "dictionary_splat_pattern"):
            position = None
            continue
        if child.type == "identifier":
            name_node, annotation = child, None
        elif child.type in ("typed_parameter", "default_parameter", "typed_default_parameter"):
            name_node = child.child_by_field_name("name") or (child.named_children[0] if child.named_children else None)
            annotation = child.child_by_field_name("type")
        else:
            continue
        if name_node is None or name_node.type != "identifier":
            position = None
            continue
        if skip_first:
            skip_first = False
            continue
        found.append((parsed.text(name_node), position, parsed.text(annotation) if annotation else ""))
        if position is not None:
            position += 1
    return found


def _read_function(parsed: ParsedText, definition: Node, name: str, def_at: int, base: int) -> FunctionRecord | None:
    decorators = _decorators(parsed, definition)
    if "property" in decorators or "overload" in decorators:
        return None
    owner = _owning_class(parsed, definition)
    constructor = owner is not None and name == "__init__"
    callable_name, method = (owner, False) if constructor and owner is not None else (name, owner is not None)
    parameters = _parameters(parsed, definition, method=owner is not None and "staticmethod" not in decorators)
    # A constructor answers when its class does: ``ApiError(code, message)``.
    title = owner if constructor and owner is not None else name
    answering: bool | None = None  # only a loose name (``code``) asks, so it is worked out on demand
    rows, codes, left = [], [], []
    for spelled, position, annotation in parameters:
        if answering is None and loose_status_name(spelled):
            answering = bool(_ANSWERING_WORDS.intersection(words(title)))
        decided = by_name(parsed, spelled, annotation, definition, bool(answering))
        if decided is not None:
            rows.append(StatusParameter(callable_name, position, spelled, decided[0], decided[1], method))
        elif spelled in _NOT_PARAMETERS:
            continue
        elif constructor and loose_status_name(spelled) and loose_name_holds_status(parsed, spelled, definition):
            codes.append((spelled, position))
        elif not _NEVER_STATUS_WORDS.intersection(words(spelled)[-1:]):
            left.append((spelled, position))
    span = (definition.start_byte - base, definition.end_byte - base)
    return FunctionRecord(callable_name, method, owner, tuple(rows), tuple(codes), tuple(left), def_at, span)


def by_name(parsed: ParsedText, name: str, annotation: str, scope: Node, answering: bool) -> tuple[bool, bool] | None:
    """(strong, reads) when a parameter's name or annotation makes it a status."""
    reads = reading_name(name)
    if "HTTPStatus" in annotation or strong_status_name(name):
        return True, reads
    if is_status_name(name) and not parsed.speaks_other_protocol and (parsed.speaks_http or annotation == "int"):
        return False, reads
    if answering and loose_status_name(name) and loose_name_holds_status(parsed, name, scope):
        return False, False
    return None


# --- classes and records -----------------------------------------------------------------------


def read_class_alone(parsed: ParsedText, definition: Node) -> StatementRecord:
    """The record of a class without its methods (read one by one instead: a big class)."""
    name = definition.child_by_field_name("name")
    return StatementRecord(classes=(_read_class(parsed, definition, parsed.text(name)),)) if name is not None else EMPTY_STATEMENT


def class_of(statement: Node) -> Node | None:
    """The class a statement defines, decorated or not."""
    if statement.type == "decorated_definition":
        statement = statement.child_by_field_name("definition") or statement
    return statement if statement.type == "class_definition" else None


def _read_class(parsed: ParsedText, definition: Node, name: str) -> ClassRecord:
    bases = class_bases(parsed, definition)
    body = definition.child_by_field_name("body")
    has_init = body is not None and re.search(rb"\bdef\s+__init__\b", parsed.source[body.start_byte : body.end_byte]) is not None
    fields = None
    if not has_init and (_TUPLE_BASES.intersection(bases) or _DATACLASS_DECORATORS.intersection(_decorators(parsed, definition))):
        fields = _read_fields(parsed, definition, body, name)
    return ClassRecord(name, bases, has_init, fields, _class_status(parsed, body))


_STATUS_ATTRIBUTES = frozenset({b"code", b"status_code", b"status"})


def _class_status(parsed: ParsedText, body: Node | None) -> int | None:
    """``code = 409`` (werkzeug), ``status_code = 404`` (aiohttp), ``status = 404`` in a class body."""
    for statement in body.named_children if body is not None else []:
        assignment = (
            statement.named_children[0] if statement.type == "expression_statement" and statement.named_children else None
        )
        if assignment is None or assignment.type != "assignment":
            continue
        target, value = assignment.child_by_field_name("left"), assignment.child_by_field_name("right")
        if target is None or value is None or target.type != "identifier" or value.type != "integer":
            continue
        spelled = parsed.source[value.start_byte : value.end_byte]
        if (
            parsed.source[target.start_byte : target.end_byte] in _STATUS_ATTRIBUTES
            and spelled.isdigit()
            and 100 <= int(spelled) <= 599
        ):
            return int(spelled)
    return None


def _read_fields(parsed: ParsedText, definition: Node, body: Node | None, name: str) -> tuple[StatusParameter, ...]:
    """``status: int`` in a dataclass or NamedTuple is its constructor's parameter, in order."""
    found = []
    position = 0
    for statement in body.named_children if body is not None else []:
        assignment = (
            statement.named_children[0] if statement.type == "expression_statement" and statement.named_children else None
        )
        if assignment is None or assignment.type != "assignment":
            continue
        target, annotation = assignment.child_by_field_name("left"), assignment.child_by_field_name("type")
        if target is None or annotation is None or target.type != "identifier":
            continue
        spelled = parsed.text(annotation)
        if spelled.startswith(_NOT_FIELDS):
            continue
        decided = by_name(parsed, parsed.text(target), spelled, definition, False)
        if decided is not None:
            found.append(StatusParameter(name, position, parsed.text(target), decided[0], decided[1]))
        position += 1
    return tuple(found)


def _read_namedtuples(parsed: ParsedText, start: int, end: int) -> tuple[tuple[StatusParameter, ...], tuple[str, ...]]:
    """``Row = namedtuple("Row", "method url status")`` (or a list of field names)."""
    rows: list[StatusParameter] = []
    names: list[str] = []
    at = parsed.source.find(b"namedtuple", start, end)
    while at >= 0:
        token = parsed.root.descendant_for_byte_range(at, at + len("namedtuple"))
        at = parsed.source.find(b"namedtuple", at + 1, end)
        call = token.parent if token is not None and token.type == "identifier" else None
        if call is None or call.type != "call" or parsed.callee(call) != "namedtuple":
            continue
        arguments = call.child_by_field_name("arguments")
        values = [child for child in arguments.named_children if child.type != "comment"] if arguments is not None else []
        title = parsed.string_content(values[0]) if values else None
        if title is None or len(values) < 2:
            continue
        names.append(title)
        for position, field_name in enumerate(_field_names(parsed, values[1])):
            decided = by_name(parsed, field_name, "", call, False)
            if decided is not None:
                rows.append(StatusParameter(title, position, field_name, decided[0], decided[1]))
    return tuple(rows), tuple(names)


def _field_names(parsed: ParsedText, node: Node) -> list[str]:
    spelled = parsed.string_content(node)
    if spelled is not None:
        return spelled.replace(",", " ").split()
    if node.type in ("list", "tuple"):
        return [parsed.string_content(child) or "?" for child in node.named_children if child.type != "comment"]
    return []
