"""Finds HTTP status codes in Python source: numbers in status positions and library names for codes.

A number counts only where the syntax says it is a status (``abort(404)``, ``status_code=201``,
``return body, 404``, ``resp.status_code == 200``, ``{"statusCode": 500}``, ``responses={404: ...}``),
never because it merely has three digits: ``timeout=300`` and ``range(200)`` stay silent.
A name counts only when the file's imports say which library it comes from (``HTTPStatus.NOT_FOUND``
after ``from http import HTTPStatus``, ``st.HTTP_404_NOT_FOUND`` after ``from starlette import status
as st``, ``codes['teapot']`` after ``from requests import codes``).

The tree comes from tree-sitter-python. Instead of walking every node, the detector finds candidate
tokens with byte regexes (digit runs, the imported local names) and asks the tree about each one, so
the cost follows the number of candidates, not the size of the tree. tree-sitter columns are bytes;
every span is converted to code points before it leaves this module.

Code being typed often has an unclosed bracket or string, and tree-sitter then folds everything
after it into one ERROR node. When that happens the detector re-reads that stretch (from the start of
its top-level statement) from a repaired copy, with the missing closers inserted at the end of the
line where the statement was left open; insertions add no lines and move no earlier column, and the
copy is preceded by as many line breaks as lines before it, so positions found in the copy are
positions in the original. Lines still inside an ERROR node after that are re-parsed one by one at
their own row and column. The tree handed back is always the tree of the real text, for the next
incremental parse.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import tree_sitter
import tree_sitter_python

from http_status_ls.core.occurrences import Detection, Kind, Occurrence, Span
from http_status_ls.kb import registry

PYTHON = tree_sitter.Language(tree_sitter_python.language())
_PARSER = tree_sitter.Parser(PYTHON)

Node = tree_sitter.Node

# Where each registry library lives, by every module path people import it from.
_LIBRARY_PATHS: dict[str, str] = {
    "http.HTTPStatus": "http.HTTPStatus",
    "http.client": "http.client",
    "starlette.status": "starlette.status",
    "fastapi.status": "fastapi.status",
    "rest_framework.status": "rest_framework.status",
    "requests.codes": "requests.codes",
    "requests.status_codes.codes": "requests.codes",
    "httpx.codes": "httpx.codes",
    "httpx._status_codes.codes": "httpx.codes",
    "aiohttp.web": "aiohttp.web",
    "aiohttp.web_exceptions": "aiohttp.web",
    "werkzeug.exceptions": "werkzeug.exceptions",
    "django.http": "django.http",
    "django.http.response": "django.http",
}
# Libraries whose members can also be looked up by item: ``codes['teapot']``, ``HTTPStatus['OK']``.
_ITEM_ACCESS = frozenset({"requests.codes", "httpx.codes", "http.HTTPStatus"})

# Members of the namespaces that are not status names, so an unknown one is not reported as a typo.
_NOT_CODE_MEMBERS = {
    "http.client": frozenset({"HTTP_PORT", "HTTPS_PORT"}),
    "requests.codes": frozenset(
        {"get", "items", "keys", "values", "update", "pop", "setdefault", "copy", "clear", "fromkeys", "popitem", "name"}
    ),
    "httpx.codes": frozenset(
        {
            "get_reason_phrase",
            "is_informational",
            "is_success",
            "is_redirect",
            "is_client_error",
            "is_server_error",
            "is_error",
        }
    ),
    "aiohttp.web": frozenset(
        {
            "HTTPException",
            "HTTPError",
            "HTTPClientError",
            "HTTPServerError",
            "HTTPRedirection",
            "HTTPSuccessful",
            "HTTPMove",
        }
    ),
    "django.http": frozenset({"HttpResponseBase"}),
}
# What a status name looks like in each library; werkzeug's plain class names cannot be told from
# the module's other classes, so an unknown werkzeug name is never reported.
_CODE_NAME_SHAPE = {
    "http.HTTPStatus": re.compile(r"[A-Z][A-Z0-9_]*"),
    "http.client": re.compile(r"[A-Z][A-Z0-9_]*"),
    "starlette.status": re.compile(r"HTTP_\d\w*"),
    "fastapi.status": re.compile(r"HTTP_\d\w*"),
    "rest_framework.status": re.compile(r"HTTP_\d\w*"),
    "requests.codes": re.compile(r"[A-Za-z]\w*"),
    "httpx.codes": re.compile(r"[A-Za-z]\w*"),
    "aiohttp.web": re.compile(r"HTTP[A-Z]\w*"),
    "django.http": re.compile(r"HttpResponse[A-Z]\w*"),
}

# --- what makes a name status-like ------------------------------------------------------------

_CAMEL_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
# Glued spellings that count as two words.
_GLUED = {"statuscode": ("status", "code"), "statuscodes": ("status", "codes"), "httpstatus": ("http", "status")}
_STATUS_WORDS = frozenset({"status", "statuses", "stati"})
_LAST_WORDS = frozenset({"status", "statuses", "stati", "code", "codes", "forcelist", "list", "set", "int", "allowlist"})
# A process, job or order has a "status" too; those names are never HTTP.
_OTHER_STATUS_OWNERS = frozenset(
    {"exit", "process", "proc", "job", "task", "order", "build", "wait", "payment", "git", "sys", "return", "thread"}
)


def _words(name: str) -> list[str]:
    words: list[str] = []
    for part in name.split("_"):
        for word in _CAMEL_WORD.findall(part):
            word = word.lower()
            words.extend(_GLUED.get(word, (word,)))
    return words


@lru_cache(maxsize=4096)
def is_status_name(name: str) -> bool:
    """Whether a variable, attribute, keyword or key name holds a status code (or several):
    ``status``, ``status_code``, ``statusCode``, ``STATUS_CODE``, ``RETRY_STATUSES``,
    ``status_forcelist``, ``allowed_status_codes``; not ``status_message`` nor ``exit_status``."""
    words = _words(name)
    if not words or not _STATUS_WORDS.intersection(words):
        return False
    if _OTHER_STATUS_OWNERS.intersection(words):
        return False
    return words[-1] in _LAST_WORDS


@lru_cache(maxsize=4096)
def _strong_status_name(name: str) -> bool:
    """Names that can only mean an HTTP status (``status_code``, ``http_status``), as opposed to a
    bare ``status`` that may be a model field holding 0, 1, 2."""
    joined = "".join(_words(name))
    return "statuscode" in joined or "httpstatus" in joined or joined == "statusint"


# Attributes compared against status codes: ``resp.status_code``, ``r.status``, ``err.code``.
_STATUS_ATTRIBUTES = frozenset({"status_code", "status", "code", "status_int", "status_code_int"})

# --- where a positional argument is a status --------------------------------------------------

_FIRST_ARGUMENT_CALLS = frozenset(
    {
        "abort",
        "send_response",
        "send_response_only",
        "send_error",
        "set_status",
        "HTTPStatus",
        "errorhandler",
        "app_errorhandler",
        "register_error_handler",
        "exception_handler",
        "add_exception_handler",
    }
)
_SECOND_ARGUMENT_CALLS = frozenset({"make_response", "redirect"})
_UNITTEST_ASSERTS = frozenset({"assertEqual", "assertEquals", "assertNotEqual", "assertNotEquals", "assertIn", "assertNotIn"})


def _is_http_exception(callee: str) -> bool:
    return ("HTTP" in callee or "Http" in callee) and callee.endswith(("Exception", "Error")) and "WebSocket" not in callee


def positional_status(callee: str, index: int, first_is_int: bool | None = None, decorator: bool = False) -> str | None:
    """The context label when the ``index``-th positional argument of a call to ``callee`` is a
    status code, else None. ``first_is_int`` tells HTTPError's two signatures apart (tornado's
    ``HTTPError(404)`` and urllib's ``HTTPError(url, 404, msg, hdrs, fp)``); None means unknown."""
    if index == 0 and callee in _FIRST_ARGUMENT_CALLS:
        return f"{callee}()"
    if index == 1 and callee in _SECOND_ARGUMENT_CALLS:
        return f"{callee}()"
    if index == 0 and callee == "response" and decorator:
        return "@response()"  # flask-restx: @api.response(404, "Not found")
    if callee.endswith("HTTPError"):
        if index == 0 and first_is_int is not False:
            return f"{callee}()"
        if index == 1 and not first_is_int:
            return f"{callee}()"
        return None
    if index == 0 and _is_http_exception(callee):
        return f"{callee}()"
    if callee.endswith("Response"):
        # Flask, Starlette, DRF and werkzeug take the status second; httpx's Response takes it first.
        if index == 1 or (index == 0 and callee == "Response"):
            return f"{callee}()"
    return None


def _exception_like(callee: str) -> bool:
    return callee in ("abort", "redirect") or (
        callee.endswith(("Exception", "Error", "Response")) and "websocket" not in callee.lower()
    )


def keyword_status(name: str, callee: str) -> tuple[str, bool] | None:
    """(context label, strong) when keyword argument ``name=`` of a call to ``callee`` is a status.
    Strong contexts report any number (an out-of-range one is a mistake worth flagging); weak ones
    (``status=`` on an arbitrary call, ``code=`` on an exception) only 100-999."""
    if name == "code":
        if not _exception_like(callee):
            return None
        return "code=", callee in ("abort", "redirect") or "HTTP" in callee or "Http" in callee
    if not is_status_name(name):
        return None
    strong = _strong_status_name(name) or (
        name == "status" and (callee.endswith(("Response", "response", "Exception")) or callee in ("abort", "json_response"))
    )
    return f"{name}=", strong


# --- the detector -------------------------------------------------------------------------------

# Candidate numbers: 2 to 5 digits (one digit is never a status, and ``status = 0`` is a placeholder).
# Python's ``re`` is slow with look-arounds, so token boundaries are checked on the few matches.
_NUMBER = re.compile(rb"[1-9][0-9]{1,4}")
_IDENTIFIER_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_WORD_BYTES = _IDENTIFIER_BYTES | {ord(".")}
_QUOTES = frozenset(b"'\"")
_STAR_STATUS_NAME = re.compile(rb"HTTP_[0-9]\w*")

_TRANSPARENT = frozenset({"parenthesized_expression", "conditional_expression", "boolean_operator"})
_COLLECTIONS = frozenset({"list", "tuple", "set"})
_COLLECTION_CALLS = frozenset({"frozenset", "set", "tuple", "list"})
_IMPORT_NODES = frozenset(
    {"import_statement", "import_from_statement", "aliased_import", "relative_import", "future_import_statement"}
)


@dataclass(slots=True)
class _Imports:
    bindings: dict[str, str] = field(default_factory=dict)
    """Local name -> what it denotes, as a dotted path (``S`` -> ``http.HTTPStatus``)."""
    star_libraries: list[str] = field(default_factory=list)
    relevant: dict[str, str] = field(default_factory=dict)
    """The bindings that can reach a library, plus the names star imports bring in."""
    star_status_path: str | None = None
    """After ``from <status module> import *``: the module path for bare ``HTTP_XXX_*`` names."""

    def settle(self, known: registry.Registry) -> None:
        """Computes ``relevant`` once all import statements are read."""
        self.relevant = {local: path for local, path in self.bindings.items() if _leads_to_library(path)}
        for library in self.star_libraries:
            path = _path_of(library)
            for ref in known.names_of(library):
                if ref.attribute_access:
                    self.relevant.setdefault(ref.name, f"{path}.{ref.name}")
            if library.endswith(".status"):
                self.star_status_path = path


class _Reader:
    """Reads one parsed text: the (possibly repaired) document, or one line of it re-parsed alone.
    Readers of one document share ``found``, keyed by (row, byte column), which every reader's
    source keeps identical to the document's."""

    def __init__(self, source: bytes, tree: tree_sitter.Tree, found: dict[tuple[int, int], Occurrence]):
        self.source = source
        self.root = tree.root_node
        self.registry = registry.load()
        self.found = found
        self.skip: list[tuple[int, int]] = []
        """Byte ranges another reader reads from a repaired copy."""

    # positions -----------------------------------------------------------------------------
    def _column(self, byte: int, byte_column: int) -> int:
        line_start = byte - byte_column
        prefix = self.source[line_start:byte]
        if prefix.isascii():
            return byte_column
        return len(prefix.decode("utf-8", "surrogatepass"))

    def span(self, node: Node) -> Span:
        start, end = node.start_point, node.end_point
        return Span(start.row, self._column(node.start_byte, start.column), end.row, self._column(node.end_byte, end.column))

    def text(self, node: Node) -> str:
        return self.source[node.start_byte : node.end_byte].decode("utf-8", "surrogatepass")

    def add(self, node: Node, occurrence: Occurrence) -> None:
        start = node.start_byte
        if any(low <= start < high for low, high in self.skip):
            return
        point = node.start_point
        self.found.setdefault((point.row, point.column), occurrence)

    # imports -------------------------------------------------------------------------------
    def read_imports(self, imports: _Imports) -> None:
        """Adds this text's imports to ``imports`` and records the library names they import."""
        source, position = self.source, 0
        while (position := source.find(b"import", position)) >= 0:
            token = self.root.descendant_for_byte_range(position, position + 6)
            position += 6
            statement = token.parent if token is not None and token.type == "import" else None
            if statement is None:
                continue
            if statement.type == "import_statement":
                self._plain_import(statement, imports)
            elif statement.type == "import_from_statement":
                self._from_import(statement, imports)

    def _plain_import(self, statement: Node, imports: _Imports) -> None:
        for target in statement.children_by_field_name("name"):
            if target.type == "aliased_import":
                dotted = target.child_by_field_name("name")
                alias = target.child_by_field_name("alias")
                if dotted is not None and alias is not None:
                    imports.bindings[self.text(alias)] = self.text(dotted)
            elif target.type == "dotted_name":
                first = self.text(target).split(".", 1)[0]
                imports.bindings[first] = first

    def _from_import(self, statement: Node, imports: _Imports) -> None:
        module = statement.child_by_field_name("module_name")
        if module is None or module.type != "dotted_name":
            return  # relative imports never reach a known library
        module_path = self.text(module)
        if any(child.type == "wildcard_import" for child in statement.children):
            library = _LIBRARY_PATHS.get(module_path)
            if library is not None:
                imports.star_libraries.append(library)
            return
        library = _LIBRARY_PATHS.get(module_path)
        for target in statement.children_by_field_name("name"):
            if target.type == "aliased_import":
                dotted, alias = target.child_by_field_name("name"), target.child_by_field_name("alias")
            else:
                dotted, alias = target, target
            if dotted is None or alias is None:
                continue
            name = self.text(dotted)
            imports.bindings[self.text(alias)] = f"{module_path}.{name}"
            if library is not None:
                self.name_occurrence(dotted, library, name)

    # names ---------------------------------------------------------------------------------
    def name_occurrence(self, token: Node, library: str, name: str) -> None:
        """Records ``token`` as a library's name for a code, or as an unknown member when it looks
        like one of the library's status names (``HTTPStatus.NOT_FUND``)."""
        ref = self.registry.resolve(library, name)
        if ref is None:
            shape = _CODE_NAME_SHAPE.get(library)
            if name.startswith("_") or shape is None or not shape.fullmatch(name):
                return
            if name in _NOT_CODE_MEMBERS.get(library, ()):
                return
        self.add(
            token,
            Occurrence(
                span=self.span(token),
                kind=Kind.NAME,
                text=self.text(token),
                code=ref.code if ref else None,
                context=library,
                name=ref,
            ),
        )

    def scan(self, imports: _Imports) -> None:
        """Finds candidate numbers and imported names in the text and asks the tree about each."""
        source, size = self.source, len(self.source)
        # Separate passes: one regex alternating digits with names is several times slower.
        for match in _NUMBER.finditer(source):
            start, end = match.span()
            before = source[start - 1] if start else 0
            after = source[end] if end < size else 0
            if before in _QUOTES:
                if end - start == 3 and (after in _QUOTES or after == 0x20):
                    self._quoted_literal(match)
            elif before not in _WORD_BYTES and after not in _WORD_BYTES and not _operand(source, start, end):
                self._literal(match)
        relevant, star_status_path = imports.relevant, imports.star_status_path
        locals_ = [local.encode("utf-8", "surrogatepass") for local in relevant]
        for start, end in _name_positions(source, locals_, star_status_path is not None):
            if (start and source[start - 1] in _WORD_BYTES) or (end < size and source[end] in _IDENTIFIER_BYTES):
                continue
            token = self.root.descendant_for_byte_range(start, end)
            if token is None or token.type != "identifier" or token.start_byte != start or token.end_byte != end:
                continue
            local = source[start:end].decode("utf-8", "surrogatepass")
            path = relevant.get(local)
            if path is None and star_status_path is not None:
                path = f"{star_status_path}.{local}"
            if path is not None:
                self._resolve_chain(token, path)

    def _resolve_chain(self, token: Node, path: str) -> None:
        """Follows ``token.attr.attr`` (or a dotted ``case`` pattern) from an imported local until
        the path reaches a library's member, and records that member's token."""
        parent = token.parent
        if parent is None or not _is_expression_use(token, parent):
            return
        chain = _dotted_chain(token, parent)
        if chain is None:
            return
        tokens, expression = chain
        for i, part in enumerate(tokens):
            if i:
                path = f"{path}.{self.text(part)}"
            owner, _dot, member = path.rpartition(".")
            library = _LIBRARY_PATHS.get(owner)
            if library is not None:
                self.name_occurrence(part, library, member)
                return
        library = _LIBRARY_PATHS.get(path)
        if library in _ITEM_ACCESS:
            self._item_access(expression, library)

    def _item_access(self, expression: Node, library: str) -> None:
        """``codes['teapot']``: the string content is the member name."""
        subscript = expression.parent
        if subscript is None or subscript.type != "subscript" or not _same(subscript.child_by_field_name("value"), expression):
            return
        keys = subscript.children_by_field_name("subscript")
        if len(keys) != 1 or keys[0].type != "string":
            return
        contents = [child for child in keys[0].children if child.type == "string_content"]
        if len(contents) == 1:
            self.name_occurrence(contents[0], library, self.text(contents[0]))

    # literals ------------------------------------------------------------------------------
    def _literal(self, match: re.Match[bytes]) -> None:
        node = self.root.descendant_for_byte_range(match.start(), match.end())
        if node is None or node.type != "integer" or node.start_byte != match.start() or node.end_byte != match.end():
            return
        value = int(match.group())
        found = self._literal_context(node, value)
        if found is None:
            return
        context, strong = found
        if not (strong or 100 <= value <= 999):
            return
        self.add(
            node,
            Occurrence(
                span=self.span(node),
                kind=Kind.LITERAL,
                text=match.group().decode("ascii"),
                code=value,
                context=context,
                confident=strong or value <= 599,
            ),
        )

    def _literal_context(self, node: Node, value: int) -> tuple[str, bool] | None:
        """(context label, strong) when the syntax around an integer makes it a status. The value
        may sit in parentheses, a conditional, or a list/tuple/set (``status_forcelist=[500]``)."""
        parent = node.parent
        if parent is None:
            return None
        returned = self._returned_status(node, parent, value)
        if returned is not None:
            return returned
        current, collection = node, False
        for _ in range(6):
            parent = current.parent
            if parent is None:
                return None
            kind = parent.type
            if kind in _TRANSPARENT:
                if (
                    kind == "conditional_expression"
                    and parent.named_child_count == 3
                    and _same(parent.named_children[1], current)
                ):
                    return None  # the condition of ``a if cond else b`` is not the value
                current = parent
            elif kind in _COLLECTIONS:
                collection = True
                current = parent
            elif kind == "argument_list" and collection:
                call = parent.parent
                if call is None or call.type != "call" or _callee(call, self) not in _COLLECTION_CALLS:
                    break
                current = call
            elif kind in ("case_pattern", "union_pattern"):
                current = parent
            else:
                break
        parent = current.parent
        if parent is None:
            return None
        kind = parent.type
        if kind == "keyword_argument":
            return self._keyword_argument(parent, current)
        if kind == "argument_list":
            return self._positional_argument(parent, current, collection)
        if kind == "comparison_operator":
            return self._comparison(parent, current, collection)
        if kind == "assignment":
            return self._assignment(parent, current)
        if kind == "pair":
            return self._pair(parent, current, collection)
        if kind in ("default_parameter", "typed_default_parameter"):
            name = parent.child_by_field_name("name")
            if name is not None and _same(parent.child_by_field_name("value"), current) and is_status_name(self.text(name)):
                return f"{self.text(name)}=", _strong_status_name(self.text(name))
            return None
        if kind == "case_clause" and not collection:
            return self._case(parent)
        return None

    def _returned_status(self, node: Node, parent: Node, value: int) -> tuple[str, bool] | None:
        """Flask's ``return body, 404`` and ``return body, 404, headers``. Only 200-599: a view
        cannot answer with a 1xx, and ``return ('TERM', 100)`` is a plain pair."""
        if parent.type not in ("expression_list", "tuple") or parent.parent is None or parent.parent.type != "return_statement":
            return None
        elements = [child for child in parent.named_children if child.type != "comment"]
        if len(elements) not in (2, 3) or not _same(elements[1], node) or not 200 <= value <= 599:
            return None
        if elements[0].type in ("integer", "float"):
            return None
        return "return (body, status)", True

    def _keyword_argument(self, argument: Node, value: Node) -> tuple[str, bool] | None:
        if not _same(argument.child_by_field_name("value"), value):
            return None
        name = argument.child_by_field_name("name")
        arguments = argument.parent
        call = arguments.parent if arguments is not None else None
        callee = _callee(call, self) if call is not None and call.type == "call" else ""
        return keyword_status(self.text(name), callee) if name is not None else None

    def _positional_argument(self, arguments: Node, value: Node, collection: bool) -> tuple[str, bool] | None:
        call = arguments.parent
        if call is None or call.type != "call":
            return None
        callee = _callee(call, self)
        positional = [
            child
            for child in arguments.named_children
            if child.type not in ("keyword_argument", "list_splat", "dictionary_splat", "comment")
        ]
        index = next((i for i, child in enumerate(positional) if _same(child, value)), None)
        if index is None:
            return None
        if callee in _UNITTEST_ASSERTS:
            # self.assertEqual(resp.status_code, 200) / self.assertIn(resp.status_code, (200, 201))
            if len(positional) < 2 or index > 1 or (collection and index != 1):
                return None
            other = self._status_expression(positional[1 - index])
            return (f"{callee}()", other[1]) if other is not None else None
        if collection:
            return None
        decorator = call.parent is not None and call.parent.type == "decorator"
        first_is_int = positional[0].type == "integer"
        label = positional_status(callee, index, first_is_int, decorator)
        return (label, True) if label is not None else None

    def _comparison(self, comparison: Node, value: Node, collection: bool) -> tuple[str, bool] | None:
        operands: list[Node] = []
        operators: list[str] = []
        for child in comparison.children:
            if child.is_named and child.type != "comment":
                operands.append(child)
            elif not child.is_named:
                operators.append(child.type)
        index = next((i for i, operand in enumerate(operands) if _same(operand, value)), None)
        if index is None or len(operators) != len(operands) - 1:
            return None
        if collection:
            if index == 0 or operators[index - 1] not in ("in", "not in"):
                return None
            found = self._status_expression(operands[index - 1])
            return (f"{found[0]} {operators[index - 1]}", found[1]) if found else None
        ordering = ("==", "!=", "<", ">", "<=", ">=")
        for neighbour, operator in (
            (index - 1, operators[index - 1] if index > 0 else None),
            (index + 1, operators[index] if index < len(operators) else None),
        ):
            if operator in ordering and 0 <= neighbour < len(operands):
                found = self._status_expression(operands[neighbour])
                if found is not None:
                    return f"{found[0]} {operator}", found[1]
        return None

    def _status_expression(self, node: Node) -> tuple[str, bool] | None:
        """(label, strong) when ``node`` reads a status: ``resp.status_code``, ``status``,
        ``event["statusCode"]``, ``resp.getcode()``."""
        while node.type == "parenthesized_expression" and node.named_child_count == 1:
            node = node.named_children[0]
        if node.type == "identifier":
            name = self.text(node)
            return (name, _strong_status_name(name)) if is_status_name(name) else None
        if node.type == "attribute":
            attribute = node.child_by_field_name("attribute")
            name = self.text(attribute) if attribute is not None else ""
            if name in _STATUS_ATTRIBUTES or is_status_name(name):
                return f".{name}", _strong_status_name(name)
            return None
        if node.type == "subscript":
            key = _string_key(node, self)
            if key is not None and is_status_name(key):
                return f'["{key}"]', _strong_status_name(key)
            return None
        if node.type == "call":
            function = node.child_by_field_name("function")
            if function is not None and function.type == "attribute":
                attribute = function.child_by_field_name("attribute")
                if attribute is not None and self.text(attribute) == "getcode":
                    return ".getcode()", True
        return None

    def _assignment(self, assignment: Node, value: Node) -> tuple[str, bool] | None:
        if not _same(assignment.child_by_field_name("right"), value):
            return None
        target = assignment.child_by_field_name("left")
        if target is None or target.type not in ("identifier", "attribute", "subscript"):
            return None
        found = self._status_expression(target)
        if found is None:
            return None
        label, strong = found
        if target.type == "attribute" and label == ".code":
            return None  # ``self.code = 200`` is too vague on its own
        return f"{label} =", strong

    def _pair(self, pair: Node, current: Node, collection: bool) -> tuple[str, bool] | None:
        key = pair.child_by_field_name("key")
        if _same(pair.child_by_field_name("value"), current):
            name = _string_content(key, self) if key is not None else None
            if name is not None and is_status_name(name):
                return f'"{name}":', _strong_status_name(name)
            return None
        if _same(key, current) and not collection and self._responses_mapping(pair.parent):
            return "responses", True
        return None

    def _responses_mapping(self, dictionary: Node | None) -> bool:
        """Whether a dict is FastAPI/drf-spectacular/flask-restx ``responses={404: ...}``."""
        if dictionary is None or dictionary.type != "dictionary":
            return False
        holder = dictionary.parent
        if holder is None:
            return False
        if holder.type == "keyword_argument":
            name = holder.child_by_field_name("name")
            return name is not None and self.text(name) == "responses"
        if holder.type == "assignment" and _same(holder.child_by_field_name("right"), dictionary):
            target = holder.child_by_field_name("left")
            return target is not None and target.type == "identifier" and _words(self.text(target))[-1:] == ["responses"]
        return False

    def _case(self, clause: Node) -> tuple[str, bool] | None:
        """``case 404:`` under ``match resp.status_code:``."""
        block = clause.parent
        statement = block.parent if block is not None else None
        if statement is None or statement.type != "match_statement":
            return None
        subject = statement.child_by_field_name("subject")
        found = self._status_expression(subject) if subject is not None else None
        return (f"case (match {found[0]})", found[1]) if found else None

    def _quoted_literal(self, match: re.Match[bytes]) -> None:
        content = self.root.descendant_for_byte_range(match.start(), match.end())
        if content is None or content.type != "string_content" or content.start_byte != match.start():
            return
        string = content.parent
        if string is None or string.type != "string" or string.named_child_count != 3:
            return  # an f-string with parts, or an implicit concatenation
        code = int(match.group())
        digits_only = content.end_byte == match.end()
        holder = string.parent
        if digits_only:
            if holder is not None and holder.type == "pair" and _same(holder.child_by_field_name("key"), string):
                if self._responses_mapping(holder.parent):
                    self.add(
                        string,
                        Occurrence(
                            span=self.span(string),
                            kind=Kind.LITERAL,
                            text=self.text(string),
                            code=code,
                            context="responses",
                            value=match.group().decode("ascii"),
                            quoted=True,
                        ),
                    )
            return
        # A WSGI status line: start_response("404 Not Found", headers) or status = "200 OK".
        context = None
        if holder is not None and holder.type == "argument_list":
            call = holder.parent
            positional = [c for c in holder.named_children if c.type != "comment"]
            if (
                call is not None
                and call.type == "call"
                and _callee(call, self) == "start_response"
                and positional
                and _same(positional[0], string)
            ):
                context = "start_response()"
        elif holder is not None and holder.type == "assignment" and _same(holder.child_by_field_name("right"), string):
            target = holder.child_by_field_name("left")
            found = self._status_expression(target) if target is not None else None
            if found is not None and found[0] != ".code":
                context = f"{found[0]} ="
        if context is None:
            return
        start = content.start_point
        column = self._column(content.start_byte, start.column)
        self.add(
            content,
            Occurrence(
                span=Span(start.row, column, start.row, column + 3),
                kind=Kind.LITERAL,
                text=match.group().decode("ascii"),
                code=code,
                context=context,
            ),
        )


# Operators whose operands are never a status (``<``/``>`` and ``|`` are left out: comparisons and
# ``case 401 | 403:`` are status spots).
_ARITHMETIC = frozenset(b"*+-/%&^~@")
_BLANKS = frozenset(b" \t")


def _operand(source: bytes, start: int, end: int) -> bool:
    """Whether the number at ``source[start:end]`` stands next to an arithmetic operator (``n * 100``,
    ``100 + x``, ``-200``), which no status rule accepts: a cheap test that spares a tree lookup."""
    before = start - 1
    while before >= 0 and source[before] in _BLANKS:
        before -= 1
    if before >= 0 and source[before] in _ARITHMETIC:
        return True
    after, size = end, len(source)
    while after < size and source[after] in _BLANKS:
        after += 1
    return after < size and source[after] in _ARITHMETIC


def _name_positions(source: bytes, names: list[bytes], star_status: bool) -> list[tuple[int, int]]:
    """Byte ranges where any of ``names`` occurs (token boundaries are the caller's business).
    A few names are found with ``bytes.find``, many (a star import) with one regex."""
    positions: list[tuple[int, int]] = []
    if len(names) <= 16:
        for name in names:
            start = source.find(name)
            while start >= 0:
                positions.append((start, start + len(name)))
                start = source.find(name, start + len(name))
    else:
        alternatives = b"|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
        positions.extend(match.span() for match in re.finditer(alternatives, source))
    if star_status:
        positions.extend(match.span() for match in _STAR_STATUS_NAME.finditer(source))
    return positions


def _same(a: Node | None, b: Node | None) -> bool:
    return a is not None and b is not None and a.start_byte == b.start_byte and a.end_byte == b.end_byte and a.type == b.type


def _dotted_chain(token: Node, parent: Node) -> tuple[list[Node], Node] | None:
    """The name tokens of the dotted expression that starts with ``token`` (``http``, ``HTTPStatus``,
    ``OK`` for ``http.HTTPStatus.OK``) and the node of the whole expression; None when ``token`` is
    not its start. At most six parts: library paths are never deeper."""
    if parent.type == "dotted_name":  # a value pattern: ``case HTTPStatus.OK:``
        if parent.parent is None or parent.parent.type in _IMPORT_NODES:
            return None
        parts = [child for child in parent.named_children if child.type == "identifier"]
        return (parts, parent) if parts and _same(parts[0], token) else None
    tokens, expression = [token], token
    while len(tokens) < 6:
        outer = expression.parent
        if outer is None or outer.type != "attribute" or not _same(outer.child_by_field_name("object"), expression):
            break
        attribute = outer.child_by_field_name("attribute")
        if attribute is None:
            break
        tokens.append(attribute)
        expression = outer
    return tokens, expression


def _callee(call: Node, reader: _Reader) -> str:
    """The called name: ``abort`` for ``abort(...)`` and ``flask.abort(...)``, '' for anything else."""
    function = call.child_by_field_name("function")
    if function is None:
        return ""
    if function.type == "identifier":
        return reader.text(function)
    if function.type == "attribute":
        attribute = function.child_by_field_name("attribute")
        return reader.text(attribute) if attribute is not None else ""
    return ""


def _string_content(node: Node, reader: _Reader) -> str | None:
    if node.type != "string":
        return None
    contents = [child for child in node.named_children if child.type != "string_start" and child.type != "string_end"]
    if len(contents) != 1 or contents[0].type != "string_content":
        return None
    return reader.text(contents[0])


def _string_key(subscript: Node, reader: _Reader) -> str | None:
    keys = subscript.children_by_field_name("subscript")
    if len(keys) != 1:
        return None
    return _string_content(keys[0], reader)


def _is_expression_use(token: Node, parent: Node) -> bool:
    """False for an imported local's spelling used as something else: a keyword argument's name, a
    parameter, a definition's name, an assignment target, or another object's attribute."""
    kind = parent.type
    if kind == "attribute":
        attribute = parent.child_by_field_name("attribute")
        return not _same(attribute, token)
    if kind in ("keyword_argument", "default_parameter", "typed_default_parameter", "function_definition", "class_definition"):
        return not _same(parent.child_by_field_name("name"), token)
    if kind in ("parameters", "lambda_parameters", "typed_parameter", "global_statement", "nonlocal_statement", "aliased_import"):
        return False
    if kind == "assignment":
        return not _same(parent.child_by_field_name("left"), token)
    return True


def _path_of(library: str) -> str:
    """The canonical import path of a library (the first one listed for it)."""
    return next(path for path, lib in _LIBRARY_PATHS.items() if lib == library)


def _leads_to_library(path: str) -> bool:
    """Whether a local bound to ``path`` can reach a library: it is one, is one's member, or is a
    package a library lives in (``requests`` for ``requests.codes``)."""
    if path in _LIBRARY_PATHS or path.rpartition(".")[0] in _LIBRARY_PATHS:
        return True
    prefix = path + "."
    return any(library_path.startswith(prefix) for library_path in _LIBRARY_PATHS)


def _namespaces(imports: _Imports) -> dict[str, str]:
    """The dotted texts that name a library namespace in this file, for completion after a dot."""
    namespaces: dict[str, str] = {}
    for local, path in imports.bindings.items():
        for library_path, library in _LIBRARY_PATHS.items():
            if library_path == path:
                namespaces[local] = library
            elif library_path.startswith(path + "."):
                namespaces[local + library_path[len(path) :]] = library
    return namespaces


# --- code being typed -----------------------------------------------------------------------------

_LEXEME = re.compile(
    rb"""(?P<comment>\#[^\n]*)|(?P<quote>'''|\"\"\"|'|")|(?P<open>[(\[{])|(?P<close>[)\]}])|(?P<newline>\n)|\\\n"""
)
_STRING_END = {
    b"'''": re.compile(rb"(?:\\.|[^\\])*?'''", re.S),
    b'"""': re.compile(rb'(?:\\.|[^\\])*?"""', re.S),
    b"'": re.compile(rb"(?:\\.|[^\\\n])*?(?:'|(?=\n)|\Z)"),
    b'"': re.compile(rb'(?:\\.|[^\\\n])*?(?:"|(?=\n)|\Z)'),
}
_CLOSER = {ord("("): b")", ord("["): b"]", ord("{"): b"}"}
# A line that starts a statement: it begins with a name (or ``@``), and is not the continuation of
# an expression (``and x``, ``for x in y`` inside a comprehension: those have no trailing colon).
_LINE_START = re.compile(rb"[ \t]*(@|[A-Za-z_\x80-\xff][\w\x80-\xff]*)(.*)")
_CONTINUATION_WORDS = frozenset({b"and", b"or", b"not", b"in", b"is", b"lambda"})
_CLAUSE_WORDS = frozenset({b"if", b"else", b"for", b"async"})


def _indentation(source: bytes, position: int) -> int:
    line_start = source.rfind(b"\n", 0, position) + 1
    indent = line_start
    while indent < len(source) and source[indent] in b" \t":
        indent += 1
    return indent - line_start


def _starts_statement(source: bytes, line_start: int) -> bool:
    line_end = source.find(b"\n", line_start)
    match = _LINE_START.match(source, line_start, len(source) if line_end < 0 else line_end)
    if match is None:
        return False
    word = match[1]
    if word in _CONTINUATION_WORDS:
        return False
    if word in _CLAUSE_WORDS:
        return match[2].split(b"#", 1)[0].rstrip().endswith(b":")
    return True


def _closing_insertions(source: bytes, start: int, end: int) -> list[tuple[int, bytes]]:
    """Where to insert what closes the brackets and one-line strings left open in
    ``source[start:end]``. Brackets close before the first line that starts a new statement at or
    left of the indentation of the line that opened them; a one-line string closes at its line's end."""
    insertions: list[tuple[int, bytes]] = []
    stack: list[int] = []  # byte positions of open brackets
    comment_start = -1
    position = start
    while position < end:
        lexeme = _LEXEME.search(source, position, end)
        if lexeme is None:
            break
        kind = lexeme.lastgroup
        position = lexeme.end()
        if kind == "comment":
            comment_start = lexeme.start()
        elif kind == "quote":
            quote = lexeme.group()
            closing = _STRING_END[quote].match(source, position)
            if closing is None:
                return insertions  # an unterminated triple-quoted string runs to the end
            position = closing.end()
            if len(quote) == 1 and not source.endswith(quote, 0, position):
                insertions.append((position, quote))  # 'abc  ->  'abc'
        elif kind == "open":
            stack.append(lexeme.start())
        elif kind == "close":
            if stack:
                stack.pop()
        elif kind == "newline":
            line_end = comment_start if comment_start >= 0 else lexeme.start()
            comment_start = -1
            if stack and _starts_statement(source, position):
                if _indentation(source, position) <= _indentation(source, stack[0]):
                    insertions.append((line_end, b"".join(_CLOSER[source[p]] for p in reversed(stack))))
                    stack.clear()
    if stack and end >= len(source.rstrip()):
        at = comment_start if comment_start >= 0 else len(source)
        insertions.append((at, b"".join(_CLOSER[source[p]] for p in reversed(stack))))
    return insertions


def _error_ranges(root: Node) -> list[tuple[int, int]]:
    """Byte ranges of the outermost ERROR nodes, merged when they overlap, found by descending only
    into erroneous subtrees."""
    if root.type == "ERROR":
        return [(root.start_byte, root.end_byte)]
    ranges: list[tuple[int, int]] = []
    pending = [root]
    while pending:
        node = pending.pop()
        for child in node.children:
            if child.type == "ERROR":
                ranges.append((child.start_byte, child.end_byte))
            elif child.has_error:
                pending.append(child)
    ranges.sort()
    merged: list[tuple[int, int]] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _statement_start(source: bytes, root: Node, position: int) -> int:
    """Where the top-level statement holding ``position`` starts (a line start). When the error
    recovery left that statement's tail as a top-level node of its own (an indented line), the
    window starts at the sibling before it, the definition it belongs to."""
    top = root.first_child_for_byte(position)
    if top is None or top.start_byte > position:
        return source.rfind(b"\n", 0, position) + 1
    for _ in range(50):
        line_start = source.rfind(b"\n", 0, top.start_byte) + 1
        previous = top.prev_sibling
        if top.start_byte == line_start or previous is None:
            return line_start
        top = previous
    return source.rfind(b"\n", 0, top.start_byte) + 1


@dataclass(frozen=True, slots=True)
class _Window:
    """A stretch of a broken document re-read from a repaired copy: ``source`` is that copy,
    preceded by as many line breaks as there are lines before ``start``, so rows and columns are
    the document's."""

    start: int
    end: int
    source: bytes
    tree: tree_sitter.Tree
    inserted: int


def _windows(source: bytes, root: Node) -> tuple[list[_Window], list[tuple[int, int]]]:
    """Repaired windows over the ERROR regions that an unclosed bracket or string explains, and
    the ERROR ranges that stay unexplained. Each window runs from the start of the top-level
    statement of the error to the end of the error's last line and is parsed alone: re-parsing
    the whole repaired document costs as much as a full parse, because tree-sitter-python reuses
    nothing after a changed bracket."""
    windows: list[_Window] = []
    unexplained: list[tuple[int, int]] = []
    covered = 0
    for start, end in _error_ranges(root):
        if end <= covered:
            continue
        # Start at the erroneous statement's line: an unclosed string may open before the ERROR.
        scan_from = max(source.rfind(b"\n", 0, start) + 1, covered)
        insertions = _closing_insertions(source, scan_from, end)
        if not insertions:
            unexplained.append((start, end))
            continue
        window_start = max(_statement_start(source, root, start), covered)
        line_end = source.find(b"\n", max(end - 1, window_start))
        window_end = len(source) if line_end < 0 else line_end
        pieces = [b"\n" * source.count(b"\n", 0, window_start)]
        previous = window_start
        for position, closers in sorted(insertions):
            pieces += [source[previous:position], closers]
            previous = position
        pieces.append(source[previous:window_end])
        repaired = b"".join(pieces)
        inserted = sum(len(closers) for _, closers in insertions)
        windows.append(_Window(window_start, window_end, repaired, _PARSER.parse(repaired), inserted))
        covered = window_end
    return windows, unexplained


_MAX_LINES_ALONE = 200
_BLOCK_OPENER_SWAP = {b"elif": b"if  ", b"while": b"if   "}


def _rows(source: bytes, ranges: list[tuple[int, int]]) -> set[int]:
    rows: set[int] = set()
    for start, end in ranges:
        first = source.count(b"\n", 0, start)
        rows.update(range(first, first + source.count(b"\n", start, end) + 1))
    return rows


def _lines_alone(source: bytes, rows: set[int]) -> list[tuple[bytes, tree_sitter.Tree]]:
    """Lines still inside an ERROR node, each parsed on its own but at its own row and column (the
    snippet is the line after blank rows, or after ``if 1:`` for an indented line), so a
    half-typed statement does not hide the complete ones next to it."""
    if not rows or len(rows) > _MAX_LINES_ALONE:
        return []
    snippets = []
    lines = source.split(b"\n")
    for row in sorted(rows):
        line = lines[row] if row < len(lines) else b""
        body = line.lstrip(b" \t")
        if not body.strip() or body.startswith(b"#"):
            continue  # blank, or only a CR or form feed left of a CRLF line
        indent = len(line) - len(body)
        if indent and row == 0:
            continue
        word = body.split(None, 1)[0].rstrip(b":")
        if word in (b"else", b"except", b"finally", b"case", b"try"):
            continue  # clauses that cannot stand alone, and rarely hold a status
        body = _BLOCK_OPENER_SWAP.get(word, word) + body[len(word) :]
        if body.split(b"#", 1)[0].rstrip().endswith(b":"):
            body += b" ..."
        prefix = b"\n" * (row - 1) + b"if 1:\n" if indent else b"\n" * row
        snippet = prefix + line[:indent] + body
        snippets.append((snippet, _PARSER.parse(snippet)))
    return snippets


# --- entry points ---------------------------------------------------------------------------------


def _source_bytes(text: str) -> bytes:
    # Lone surrogates survive the round trip; a lone CR ends a line for LSP clients, so it ends one
    # for tree-sitter too (same byte length, so offsets do not move).
    source = text.encode("utf-8", "surrogatepass")
    if b"\r" in source:
        source = re.sub(rb"\r(?!\n)", b"\n", source)
    return source


def detect_python(text: str, old_tree: tree_sitter.Tree | None = None) -> Detection:
    """Status-code occurrences and library namespaces in one Python text.

    ``old_tree`` is the previous version's tree, already edited by the caller; it makes the parse
    incremental. The returned Detection carries the new tree for the next call."""
    notes: list[str] = []
    source = _source_bytes(text)
    try:
        tree = _PARSER.parse(source, old_tree) if old_tree is not None else _PARSER.parse(source)
    except (TypeError, ValueError) as error:
        notes.append(f"incremental parse refused ({error}); parsed from scratch")
        tree = _PARSER.parse(source)
    found: dict[tuple[int, int], Occurrence] = {}
    readers = [_Reader(source, tree, found)]
    if tree.root_node.has_error:
        windows, unexplained = _windows(source, tree.root_node)
        snippets = _lines_alone(source, _rows(source, unexplained))
        for window in windows:
            readers[0].skip.append((window.start, window.end))
            readers.append(_Reader(window.source, window.tree, found))
            if window.tree.root_node.has_error:
                snippets += _lines_alone(window.source, _rows(window.source, _error_ranges(window.tree.root_node)))
        readers += [_Reader(snippet, snippet_tree, found) for snippet, snippet_tree in snippets]
        if windows:
            inserted = sum(window.inserted for window in windows)
            notes.append(f"syntax errors: closed {inserted} unclosed bracket(s)/string(s) to read the code after them")
        if snippets:
            notes.append(f"syntax errors: re-read {len(snippets)} line(s) alone")
        elif unexplained or any(window.tree.root_node.has_error for window in windows):
            notes.append("syntax errors: occurrences inside the broken parts may be missed")
    imports = _Imports()
    try:
        for reader in readers:
            reader.read_imports(imports)
        imports.settle(registry.load())
        for reader in readers:
            reader.scan(imports)
    except (RecursionError, ValueError, UnicodeError) as error:  # pragma: no cover - a safety net
        notes.append(f"python detector stopped early: {error!r}")
    occurrences = tuple(found[point] for point in sorted(found))  # (row, byte column) order is position order
    return Detection(occurrences=occurrences, namespaces=_namespaces(imports), tree=tree, notes=tuple(notes))


# --- completion helpers (text only, no parse) -----------------------------------------------------

_DOTTED_BEFORE = re.compile(r"(?<![\w.])([^\W\d]\w*(?:\.[^\W\d]\w*)*)\.(\w*)$")


def _code_state(before: str) -> str:
    """``code``, ``string`` or ``comment``: where the end of a line prefix is (rough, one line)."""
    quote: str | None = None
    i = 0
    while i < len(before):
        char = before[i]
        if quote is not None:
            if char == "\\":
                i += 2
                continue
            if before.startswith(quote, i):
                i += len(quote)
                quote = None
                continue
        elif char == "#":
            return "comment"
        elif char in "'\"":
            quote = before[i : i + 3] if before.startswith(char * 3, i) else char
            i += len(quote)
            continue
        i += 1
    return "string" if quote is not None else "code"


def namespace_before(line_text: str, col: int, namespaces: Mapping[str, str]) -> tuple[str, str] | None:
    """(library, typed prefix) when the cursor at code-point ``col`` follows ``<namespace>.`` and an
    optional identifier prefix: ``abort(HTTPStatus.NO|`` -> ("http.HTTPStatus", "NO")."""
    before = line_text[: max(0, min(col, len(line_text)))]
    match = _DOTTED_BEFORE.search(before)
    if match is None:
        return None
    library = namespaces.get(match[1])
    if library is None or _code_state(before[: match.start()]) != "code":
        return None
    return library, match[2]


_TYPED_NUMBER = re.compile(r"(?<![\w.])\d{0,3}$")
_NAME_EQUALS = re.compile(r"(?:[^\W\d][\w.]*\.)?([^\W\d]\w*)\s*(?::[^=]*)?(?<![=!<>])=$")
_STRING_KEY_COLON = re.compile(r"""['"]([^'"]+)['"]\s*:$""")
_COMPARED = re.compile(
    r"""(?:\.(\w+)|(?<![\w.])([^\W\d]\w*)|\[\s*['"](\w+)['"]\s*\]|\.(getcode)\(\s*\))\s*(==|!=|<=|>=|<|>|\bin|\bnot\s+in)$"""
)
_CALLEE_BEFORE = re.compile(r"(?:^|[^\w.])(?:[^\W\d][\w]*\.)*([^\W\d]\w*)$")


def _split_brackets(head: str) -> tuple[list[tuple[int, str]], list[int]]:
    """The unclosed brackets of a line prefix as (position, char), innermost last, and the
    positions of the top-level commas inside the innermost one (or at statement level)."""
    stack: list[tuple[int, str, list[int]]] = [(-1, "", [])]
    quote: str | None = None
    i = 0
    while i < len(head):
        char = head[i]
        if quote is not None:
            if char == "\\":
                i += 2
                continue
            if head.startswith(quote, i):
                i += len(quote) - 1
                quote = None
        elif char in "'\"":
            quote = char * 3 if head.startswith(char * 3, i) else char
            i += len(quote) - 1
        elif char in "([{":
            stack.append((i, char, []))
        elif char in ")]}":
            if len(stack) > 1:
                stack.pop()
        elif char == ",":
            stack[-1][2].append(i)
        i += 1
    return [(position, char) for position, char, _ in stack[1:]], stack[-1][2]


def _segment_is_status(segment: str, callee: str | None) -> bool:
    """Whether ``segment`` (ending right where the number goes) puts the number in a status spot."""
    segment = segment.strip()
    if not segment:
        return False
    if match := _NAME_EQUALS.fullmatch(segment):
        name = match[1]
        if callee is not None:
            return keyword_status(name, callee) is not None
        return is_status_name(name)
    if match := _COMPARED.search(segment):
        attribute, name, key, getcode = match[1], match[2], match[3], match[4]
        if attribute is not None:
            return attribute in _STATUS_ATTRIBUTES or is_status_name(attribute)
        if getcode is not None:
            return True
        return is_status_name(name or key or "")
    return False


def _callee_before(prefix: str) -> str | None:
    """The called name when an opening parenthesis follows ``prefix``; None for ``if (``, ``x + (``."""
    match = _CALLEE_BEFORE.search(prefix)
    if match is None or keyword.iskeyword(match[1]):
        return None
    return match[1]


def _holder_is_status(holder: str) -> bool:
    """For a collection opened right after ``holder``: does it hold status codes?
    (``status_forcelist=[``, ``resp.status in (``, ``RETRY_STATUSES = {``)."""
    brackets, commas = _split_brackets(holder)
    if not brackets:
        return _segment_is_status(holder[commas[-1] + 1 :] if commas else holder, None)
    position, char = brackets[-1]
    segment = holder[(commas[-1] if commas else position) + 1 :]
    callee = _callee_before(holder[:position]) if char == "(" else None
    if callee in _COLLECTION_CALLS and not segment.strip():
        return _holder_is_status(holder[:position].rstrip()[: -len(callee)])  # frozenset([4|
    return _segment_is_status(segment, callee)


def status_literal_context(text_before_cursor_on_line: str) -> bool:
    """Whether the cursor is typing a number where a status code goes: ``abort(4``, ``status_code=4``,
    ``status=``, ``return body, 4``, ``resp.status_code == 2``; not ``timeout=3``."""
    before = text_before_cursor_on_line
    typed = _TYPED_NUMBER.search(before)
    if typed is None or _code_state(before) != "code":
        return False
    head = before[: typed.start()]
    brackets, commas = _split_brackets(head)
    if not brackets:
        if re.match(r"\s*return\s", head):
            # return body, 4|  (only the second element of the tuple)
            return len(commas) == 1 and head[: commas[0]].strip() != "return" and head[commas[0] + 1 :].strip() == ""
        return not commas and _segment_is_status(head, None)
    position, char = brackets[-1]
    segment = head[(commas[-1] if commas else position) + 1 :]
    holder = head[:position].rstrip()
    if char == "(" and (callee := _callee_before(head[:position])) is not None:
        if segment.strip():
            return _segment_is_status(segment, callee)
        return positional_status(callee, len(commas), None, head.lstrip().startswith("@")) is not None
    if char == "{" and ":" in segment:
        key = _STRING_KEY_COLON.search(segment.strip())  # {"statusCode": 4|
        return key is not None and is_status_name(key[1])
    if segment.strip():
        return _segment_is_status(segment, None)  # (resp.status_code == 4|
    if char == "{" and re.search(r"(?<![\w.])responses\s*=$", holder):
        return True  # responses={4|  (a key)
    if char == "(" and re.search(r"(?:^|\s)return$", holder):
        return len(commas) == 1  # return (body, 4|
    return _holder_is_status(holder)
