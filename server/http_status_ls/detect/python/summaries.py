"""One file's status parameters: the records of its statements (:mod:`.definitions`) put together,
with what only the whole file tells.

Across statements: which classes are HTTP errors (their base is an HTTP library's exception, or one
of the file's HTTP errors), so a constructor's ``code`` is a status; what a class without a
constructor inherits (an HTTP library base takes its status first, or second for sanic's; a base
of the file gives its rows; a base from elsewhere is recorded for the workspace table); and what
the bodies hand on to a status spot (``abort(code)``, ``Response(body, status=s)``,
``self.assertEqual(resp.status_code, expected)``, another status parameter of the file).

Forwarding is followed within the file only: a summary depends on its own file, so an edit
elsewhere never changes it. Statement records and body judgments are kept for the next version of
the text, so a keystroke costs the statement it changes.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from functools import lru_cache

from http_status_ls.core.occurrences import Role
from http_status_ls.detect.python.contexts import literal_context
from http_status_ls.detect.python.definitions import (
    EMPTY_STATEMENT,
    FunctionRecord,
    Parameter,
    StatementRecord,
    class_of,
    read_class_alone,
    read_statement,
    worth_reading,
)
from http_status_ls.detect.python.imports import Imports, import_statement_nodes
from http_status_ls.detect.python.imports import read_statement as read_import
from http_status_ls.detect.python.project_calls import CallTable, FileDefinitions
from http_status_ls.detect.python.project_params import FileParameters, StatusParameter
from http_status_ls.detect.python.protocols import speaks_http, speaks_other_protocol
from http_status_ls.detect.python.tree import Node, ParsedText, parse, same, source_bytes
from http_status_ls.detect.python.vocabulary import positional_status

_RETURN_TUPLE = "return (body, status)"
_MAX_USES = 8
"""Uses of one parameter looked at for a status spot: a parameter handed on is handed on early."""
_BUILTIN_BASES = frozenset(
    {"object", "Exception", "BaseException", "ValueError", "RuntimeError", "TypeError", "KeyError", "LookupError"}
    | {"OSError", "IOError", "Enum", "IntEnum", "StrEnum", "ABC", "Protocol", "Generic", "TestCase", "dict", "tuple"}
)
"""Bases never defined in a project: a class inheriting only these inherits no status."""

_STATEMENTS: dict[tuple[bytes, bool, bool, str], StatementRecord] = {}
"""Statement records by text, flags and the class the statement is in (a member of a big class)."""
_BIG_CLASS = 16_384
"""Bytes past which a class's members are read, and kept, one by one."""
_Undecided = tuple[int, FunctionRecord, tuple[Parameter, ...]]
"""(where the function's statement starts, the function, its parameters the body decides)."""
_Uses = tuple[tuple[bool, bool] | None, ...]
_MEMOS: OrderedDict[tuple[object, ...], dict[int, tuple[FunctionRecord, tuple[Parameter, ...], _Uses]]] = OrderedDict()


def read_definitions(parsed: ParsedText) -> FileDefinitions:
    """The status parameters of the functions and classes ``parsed`` defines. ``parsed.speaks_http``
    and ``parsed.speaks_other_protocol`` must be set (from the file's imports)."""
    statements = _statements(parsed)
    own = FileDefinitions()
    _collect_names(own, statements)
    _mark_http_errors(own)
    _keep_http_status_classes(own, statements)
    undecided, constructors = _own_rows(own, statements)
    if undecided:
        _hand_on(parsed, own, undecided)
    for _start, record in statements:
        for cls in record.classes:
            _class_rows(own, cls.name, cls.bases, cls.has_init or cls.name in constructors, cls.fields)
    _inherit_within(own, constructors)
    _inherit_pending(own, constructors)
    return own


def _collect_names(own: FileDefinitions, statements: list[tuple[int, StatementRecord]]) -> None:
    """The callables, methods, class bases and records the statements define, into ``own``."""
    for _start, record in statements:
        for cls in record.classes:
            own.callables.add(cls.name)
            own.bases[cls.name] = cls.bases
        for function in record.functions:
            if function.owner is None:
                own.callables.add(function.callable_name)
            elif function.method:
                own.methods.add(function.callable_name)
        own.callables.update(record.record_names)
        for row in record.records:
            own.add(row)


def _own_rows(own: FileDefinitions, statements: list[tuple[int, StatementRecord]]) -> tuple[list[_Undecided], set[str]]:
    """Each function's own status parameters into ``own``; the functions whose parameters depend on
    what they call (undecided), and the names of the constructors (``__init__`` of a class)."""
    undecided: list[_Undecided] = []
    constructors = set()
    for start, record in statements:
        for function in record.functions:
            for row in function.rows:
                own.add(row)
            left = function.left
            if function.constructor_codes:
                if function.owner in own.http_errors:
                    for name, position in function.constructor_codes:
                        own.add(StatusParameter(function.callable_name, position, name))
                else:
                    left += function.constructor_codes
            if function.owner is not None and not function.method:
                constructors.add(function.callable_name)
            if left:
                undecided.append((start, function, left))
    return undecided, constructors


def _hand_on(parsed: ParsedText, own: FileDefinitions, undecided: list[_Undecided]) -> None:
    """The parameters the undecided functions hand on to the file's other status helpers."""
    parsed.calls = CallTable(own)
    for _ in range(2):  # a second pass follows helpers that call helpers of the same file
        new = [row for row in handed_on(parsed, own, undecided) if row not in own.rows.get(row.callable_name, ())]
        if not new:
            break
        for row in new:
            own.add(row)
    parsed.calls = None


def _statements(parsed: ParsedText) -> list[tuple[int, StatementRecord]]:
    """The records of the statements that define something, each with where it starts: the
    top-level ones, and the members of a big class one by one (a keystroke in one method of a
    thousand-line class reads that method again, not the class)."""
    found: list[tuple[int, StatementRecord]] = []
    children = parsed.root.children
    if len(_STATEMENTS) > 4 * len(children) + 1024:
        _STATEMENTS.clear()  # statements edited away, or another file's
    _read_statements(parsed, children, "", found)
    return found


def _read_statements(parsed: ParsedText, statements: list[Node], owner: str, found: list[tuple[int, StatementRecord]]) -> None:
    for child in statements:
        text = parsed.source[child.start_byte : child.end_byte]
        if not worth_reading(text):
            continue
        definition = class_of(child) if len(text) > _BIG_CLASS else None
        body = definition.child_by_field_name("body") if definition is not None else None
        if definition is not None and body is not None:
            found.append((child.start_byte, read_class_alone(parsed, definition)))
            name = definition.child_by_field_name("name")
            _read_statements(parsed, body.children, parsed.text(name) if name is not None else "?", found)
            continue
        key = (text, parsed.speaks_http, parsed.speaks_other_protocol, owner)
        record = _STATEMENTS.get(key)
        if record is None:
            record = _STATEMENTS[key] = read_statement(parsed, child)
        if record is not EMPTY_STATEMENT:
            found.append((child.start_byte, record))


# --- what bodies hand on -----------------------------------------------------------------------


def handed_on(parsed: ParsedText, own: FileDefinitions, undecided: list[_Undecided]) -> list[StatusParameter]:
    """The rows of the parameters the functions' bodies hand on to a status spot, judged against
    the rows known before this pass (so the answer does not depend on the order of functions)."""
    state = (
        parsed.speaks_http,
        parsed.speaks_other_protocol,
        frozenset(row for rows in own.rows.values() for row in rows),
        frozenset(own.bases.items()),
        frozenset(own.callables),
        frozenset(own.methods),
        frozenset(own.http_errors),
    )
    memo = _MEMOS.get(state)
    if memo is None:
        memo = _MEMOS[state] = {}
        while len(_MEMOS) > 4:
            _MEMOS.popitem(last=False)
    else:
        _MEMOS.move_to_end(state)
    if len(memo) > 2 * len(undecided) + 256:
        memo.clear()  # functions edited away
    found: list[StatusParameter] = []
    for start, function, left in undecided:
        # A record is the same object while its statement's text is unchanged (see _statements),
        # and what the body hands on depends on nothing else but the state.
        known = memo.get(id(function))
        if known is not None and known[0] is function and known[1] == left:
            uses = known[2]
        else:
            body = _body(parsed, start + function.def_at)
            uses = tuple(_status_use(parsed, body, name) if body is not None else None for name, _ in left)
            memo[id(function)] = (function, left, uses)
        for (name, position), use in zip(left, uses, strict=True):
            if use is not None:
                found.append(StatusParameter(function.callable_name, position, name, use[0], use[1], function.method))
    return found


def _body(parsed: ParsedText, def_at: int) -> Node | None:
    token = parsed.root.descendant_for_byte_range(def_at, def_at + 3)
    definition = token.parent if token is not None and token.type == "def" else None
    return definition.child_by_field_name("body") if definition is not None else None


@lru_cache(maxsize=4096)
def _use_pattern(name: str) -> re.Pattern[bytes]:
    return re.compile(rb"(?<![\w.])" + re.escape(name.encode("utf-8", "surrogatepass")) + rb"(?!\w)")


def _status_use(parsed: ParsedText, body: Node, name: str) -> tuple[bool, bool] | None:
    """(strong, reads) of the first status spot ``name`` is used in within ``body``."""
    for count, match in enumerate(_use_pattern(name).finditer(parsed.source, body.start_byte, body.end_byte)):
        if count >= _MAX_USES:
            return None
        node = parsed.root.descendant_for_byte_range(match.start(), match.end())
        if node is None or node.type != "identifier" or node.start_byte != match.start() or node.end_byte != match.end():
            continue
        if _response_body(parsed, node):
            continue
        context = literal_context(parsed, node, 200)
        if context is None or (context.label == _RETURN_TUPLE and not _returns_response(parsed, node)):
            continue
        if not context.strong and (parsed.speaks_other_protocol or not parsed.speaks_http):
            continue  # ``self.status = value`` says little outside HTTP code
        return context.strong, context.role is Role.READS
    return None


def _response_body(parsed: ParsedText, node: Node) -> bool:
    """``Response(body, ...)``: httpx's ``Response(404)`` takes a literal status first, but a name
    there is far more often flask's or starlette's body."""
    arguments = node.parent
    call = arguments.parent if arguments is not None and arguments.type == "argument_list" else None
    first = arguments.named_children[0] if arguments is not None and arguments.named_children else None
    return call is not None and call.type == "call" and parsed.callee(call) == "Response" and same(first, node)


def _returns_response(parsed: ParsedText, node: Node) -> bool:
    """``return jsonify(body), code`` in HTTP code: the pair is a view's answer. ``return a, b``
    of two names is any pair."""
    pair = node.parent
    first = pair.named_children[0] if pair is not None and pair.named_children else None
    return parsed.speaks_http and first is not None and first.type in ("call", "dictionary", "string", "list")


# --- classes -----------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _library_positions(base: str) -> tuple[int, ...]:
    """Where an HTTP library's exception or response class ``base`` takes its status, positionally."""
    return tuple(index for index in range(4) if positional_status(base, index, first_is_int=index == 0) is not None)


@lru_cache(maxsize=4096)
def _is_library_error(base: str) -> bool:
    return base.endswith(("Exception", "Error")) and bool(_library_positions(base))


def _mark_http_errors(own: FileDefinitions) -> None:
    """Classes whose base is an HTTP library's exception, or (through the file) one of these."""
    for _ in range(4):
        before = len(own.http_errors)
        for name, bases in own.bases.items():
            if any(base in own.http_errors or _is_library_error(base) for base in bases):
                own.http_errors.add(name)
        if len(own.http_errors) == before:
            return


def _keep_http_status_classes(own: FileDefinitions, statements: list[tuple[int, StatementRecord]]) -> None:
    """Records the classes that set a status and are HTTP errors (``class Conflict(HTTPException)``,
    or a base spelled ``HTTP...``): ``code = 503`` in ``class RetryLater(Exception)`` is no status."""
    for _start, record in statements:
        for cls in record.classes:
            if cls.status is None:
                continue
            if cls.name in own.http_errors or any(base.startswith(("HTTP", "Http")) for base in cls.bases):
                own.status_classes[cls.name] = cls.status


def _class_rows(
    own: FileDefinitions, name: str, bases: tuple[str, ...], has_init: bool, fields: tuple[StatusParameter, ...] | None
) -> None:
    """Rows for a class that has no constructor of its own: a dataclass's or NamedTuple's fields,
    else the positions of an HTTP library base; a base the file does not define is recorded."""
    if has_init:
        return
    if fields is not None:
        for row in fields:
            own.add(row)
        return
    for base in bases:
        positions = _library_positions(base)
        if positions:
            for position in positions:
                own.add(StatusParameter(name, position, "", True))
            return
    for base in bases:
        if base not in own.callables and base not in _BUILTIN_BASES:
            own.inherits.append((name, base))


def _inherit_within(own: FileDefinitions, constructors: set[str]) -> None:
    """A class without a constructor, whose base is a class of this file, takes the base's rows."""
    for _ in range(4):
        changed = False
        for name, bases in own.bases.items():
            if name in constructors or own.rows.get(name):
                continue
            for base in bases:
                rows = [row for row in own.rows.get(base, ()) if not row.method and base != name]
                if rows:
                    for row in rows:
                        own.add(StatusParameter(name, row.position, row.keyword, row.strong, row.reads))
                    changed = True
                    break
        if not changed:
            return


def _inherit_pending(own: FileDefinitions, constructors: set[str]) -> None:
    """A class whose base waits for another file's rows waits too: ``class Lost(Gone)`` where
    ``Gone`` inherits from a class of another file."""
    for _ in range(4):
        pending = {child for child, _base in own.inherits}
        added = [
            (name, next(base for base in bases if base in pending))
            for name, bases in own.bases.items()
            if name not in pending and name not in constructors and not own.rows.get(name) and pending.intersection(bases)
        ]
        if not added:
            return
        own.inherits.extend(added)


# --- summaries ---------------------------------------------------------------------------------


def file_parameters(own: FileDefinitions) -> FileParameters:
    """The part of a file's definitions other files see."""
    rows = sorted(
        (row for found in own.rows.values() for row in found),
        key=lambda p: (p.callable_name, p.position is None, p.position or 0, p.keyword, p.strong, p.reads, p.method),
    )
    unresolved = [(name, base) for name, base in own.inherits if not own.rows.get(name)]
    return FileParameters(
        parameters=tuple(rows),
        http_errors=tuple(sorted(own.http_errors)),
        inherits=tuple(sorted(unresolved)),
        status_classes=tuple(sorted(own.status_classes.items())),
    )


_RECENT: OrderedDict[str, FileParameters] = OrderedDict()
"""The summaries of the last texts the detector read, so the workspace index asking for an open
document's summary costs nothing more."""


def remember(text: str, summary: FileParameters) -> None:
    _RECENT[text] = summary
    _RECENT.move_to_end(text)
    while len(_RECENT) > 8:
        _RECENT.popitem(last=False)


def summarise_text(text: str) -> FileParameters:
    """The status parameters one Python text defines (parsed here: for files no editor has open)."""
    known = _RECENT.get(text)
    if known is not None:
        return known
    source = source_bytes(text)
    parsed = ParsedText(source, parse(source))
    imports = Imports()
    for node in import_statement_nodes(source, parsed.root):
        statement = read_import(node, parsed.text)
        if statement is not None:
            imports.add(statement)
    parsed.speaks_http = speaks_http(imports.modules)
    parsed.speaks_other_protocol = speaks_other_protocol(imports.modules)
    return file_parameters(read_definitions(parsed))
