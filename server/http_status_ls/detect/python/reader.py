"""Finds HTTP status codes in Python source: numbers in status positions and library names for codes.

A number counts only where the syntax says it is a status (``abort(404)``, ``status_code=201``,
``return body, 404``: the judgments are in :mod:`.contexts`), never because it merely has three
digits: ``timeout=300`` and ``range(200)`` stay silent. A name counts only when the file's imports
say which library it comes from (``HTTPStatus.NOT_FOUND`` after ``from http import HTTPStatus``,
``st.HTTP_404_NOT_FOUND`` after ``from starlette import status as st``, ``codes['teapot']`` after
``from requests import codes``).

The tree comes from tree-sitter-python. Instead of walking every node, the reader finds candidate
tokens with byte regexes (digit runs, the imported local names) and asks the tree about each one, so
the cost follows the number of candidates, not the size of the tree. A text with syntax errors is
also read from the repaired copies :mod:`.recovery` makes of its broken parts.
"""

from __future__ import annotations

import re

from http_status_ls.core.occurrences import Detection, Kind, Occurrence, Role, Span
from http_status_ls.detect.python import recovery
from http_status_ls.detect.python.contexts import literal_context, quoted_responses_key, status_line_context
from http_status_ls.detect.python.imports import (
    ImportedName,
    Imports,
    import_statement_nodes,
    namespace_spellings,
    read_statement,
)
from http_status_ls.detect.python.project_calls import CallTable
from http_status_ls.detect.python.project_params import NO_PROJECT, ProjectParameters
from http_status_ls.detect.python.protocols import (
    raw_status_line_role,
    speaks_http,
    speaks_other_protocol,
    status_line_is_http,
)
from http_status_ls.detect.python.summaries import file_parameters, read_definitions, remember
from http_status_ls.detect.python.tree import Node, ParsedText, Tree, parse, same, source_bytes
from http_status_ls.kb import libraries, registry

_CLASS_NAMING_LIBRARIES = ("aiohttp.web", "pyramid.httpexceptions", "webob.exc")
"""Libraries whose exception classes are named ``HTTP`` + the reason phrase (``HTTPNotFound``)."""
# Candidate numbers: 2 to 5 digits (one digit is never a status, and ``status = 0`` is a placeholder).
# Python's ``re`` is slow with look-arounds, so token boundaries are checked on the few matches.
_NUMBER = re.compile(rb"[1-9][0-9]{1,4}")
_IDENTIFIER_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_WORD_BYTES = _IDENTIFIER_BYTES | {ord(".")}
_QUOTES = frozenset(b"'\"")
_STAR_STATUS_NAME = re.compile(rb"HTTP_[0-9]\w*")
_IMPORT_NODES = frozenset(
    {"import_statement", "import_from_statement", "aliased_import", "relative_import", "future_import_statement"}
)
# Operators whose operands are never a status (``<``/``>`` and ``|`` are left out: comparisons and
# ``case 401 | 403:`` are status spots).
_ARITHMETIC = frozenset(b"*+-/%&^~@")
_BLANKS = frozenset(b" \t")


class _Reader(ParsedText):
    """Reads one parsed text: the (possibly repaired) document, or one line of it re-parsed alone.
    Readers of one document share ``found``, keyed by (row, byte column), which every reader's
    source keeps identical to the document's."""

    def __init__(self, source: bytes, tree: Tree, found: dict[tuple[int, int], Occurrence]):
        super().__init__(source, tree)
        self.registry = registry.load()
        self.found = found
        self.skip: list[tuple[int, int]] = []
        """Byte ranges another reader reads from a repaired copy."""
        self.imports = Imports()
        """The whole document's imports, once :meth:`scan` runs."""
        self.status_classes: dict[str, int] = {}
        self.relative_classes: dict[str, int] = {}
        """Names imported relatively that only the HTTP exception classes' naming explains."""
        """The project's HTTP error classes that set their status (``code = 409``), by name."""

    def add(self, node: Node, occurrence: Occurrence) -> None:
        if self.skip:
            start = node.start_byte
            if any(low <= start < high for low, high in self.skip):
                return
        point = node.start_point
        self.found.setdefault((point.row, point.column), occurrence)

    # imports -------------------------------------------------------------------------------
    def read_imports(self, imports: Imports) -> None:
        """Adds this text's imports to ``imports`` and records the library names they import."""
        for node in import_statement_nodes(self.source, self.root):
            statement = read_statement(node, self.text)
            if statement is None:
                continue
            imports.add(statement)
            module = statement.absolute_module
            library = None if statement.plain or statement.wildcard or module is None else libraries.BY_PATH.get(module)
            if library is not None:
                for imported in statement.names:
                    self.name_occurrence(imported.name_node, library.name, imported.name)
            elif statement.relative and not statement.wildcard:
                self._relative_classes(statement.names)

    def _relative_classes(self, names: tuple[ImportedName, ...]) -> None:
        """``from .exceptions import HTTPNotFound`` inside a framework's own package: a class
        named as aiohttp, pyramid and WebOb name theirs means the same status, when they agree."""
        for imported in names:
            if imported.name != imported.local or not imported.name.startswith("HTTP"):
                continue
            refs = (self.registry.resolve(library, imported.name) for library in _CLASS_NAMING_LIBRARIES)
            codes = {ref.code for ref in refs if ref is not None}
            if len(codes) == 1:
                self.relative_classes[imported.name] = codes.pop()

    # names ---------------------------------------------------------------------------------
    def name_occurrence(self, token: Node, library: str, name: str, expression: Node | None = None) -> None:
        """Records ``token`` as a library's name for a code, or as an unknown member when it looks
        like one of the library's status names (``HTTPStatus.NOT_FUND``). ``expression`` is the
        whole expression the name is used as, whose spot says whether the code is sent or read."""
        ref = self.registry.resolve(library, name)
        if ref is None and not _looks_like_name(library, name):
            return
        found = literal_context(self, expression, ref.code) if expression is not None and ref is not None else None
        role = found.role if found is not None else Role.UNKNOWN
        if role is Role.BOUND:
            role = Role.READS  # a name is a code, never a class edge: ``>= HTTPStatus.BAD_REQUEST`` reads 400
        self.add(
            token,
            Occurrence(
                span=self.span(token),
                kind=Kind.NAME,
                text=self.text(token),
                code=ref.code if ref else None,
                context=library,
                name=ref,
                role=role,
            ),
        )

    def scan(self, imports: Imports) -> None:
        """Finds candidate numbers and imported names in the text and asks the tree about each.
        ``speaks_http``, ``speaks_other_protocol`` and ``modules`` must be set from ``imports``."""
        # Separate passes: one regex alternating digits with names is several times slower.
        self.imports = imports
        self._scan_numbers()
        self._scan_names(imports)
        if self.status_classes:
            self._scan_status_classes(imports)

    def _scan_numbers(self) -> None:
        source, size = self.source, len(self.source)
        for match in _NUMBER.finditer(source):
            start, end = match.span()
            before = source[start - 1] if start else 0
            after = source[end] if end < size else 0
            if before in _QUOTES:
                if end - start == 3 and (after in _QUOTES or after == 0x20):
                    self._quoted_literal(match)
            elif before not in _WORD_BYTES and after not in _WORD_BYTES and not _operand(source, start, end):
                self._literal(match)

    def _scan_names(self, imports: Imports) -> None:
        source, size = self.source, len(self.source)
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

    def _scan_status_classes(self, imports: Imports) -> None:
        """``raise HTTPConflict()`` and ``from .exceptions import HTTPConflict`` where the project
        defines ``class HTTPConflict(HTTPError): code = 409``: the name means its status. A name
        the file imports from a status library is that library's (read by :meth:`_scan_names`)."""
        source, size = self.source, len(self.source)
        wanted = [name.encode("utf-8", "surrogatepass") for name in self.status_classes if name not in imports.relevant]
        for start, end in _name_positions(source, wanted, False):
            if (start and source[start - 1] in _WORD_BYTES) or (end < size and source[end] in _IDENTIFIER_BYTES):
                continue
            token = self.root.descendant_for_byte_range(start, end)
            if token is None or token.type != "identifier" or token.start_byte != start or token.end_byte != end:
                continue
            role = _status_class_role(token)
            if role is None:
                continue
            name = self.text(token)
            # A literal of the class's status, not a library NAME: no library row describes it, and
            # the style rule rewrites only literals spelled as their number.
            occurrence = Occurrence(
                span=self.span(token),
                kind=Kind.LITERAL,
                text=name,
                code=self.status_classes[name],
                context=f"class {name}",
                role=role,
            )
            self.add(token, occurrence)

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
            library = libraries.BY_PATH.get(owner)
            # `falcon.status_codes.HTTP_OK`: `falcon` is a library, but so is the longer path, read on
            if library is not None and not (path in libraries.BY_PATH and i < len(tokens) - 1):
                self.name_occurrence(part, library.name, member, expression if i == len(tokens) - 1 else None)
                return
        library = libraries.BY_PATH.get(path)
        if library is not None and library.item_access:
            self._item_access(expression, library.name)

    def _item_access(self, expression: Node, library: str) -> None:
        """``codes['teapot']``: the string content is the member name."""
        subscript = expression.parent
        if subscript is None or subscript.type != "subscript" or not same(subscript.child_by_field_name("value"), expression):
            return
        keys = subscript.children_by_field_name("subscript")
        if len(keys) != 1 or keys[0].type != "string":
            return
        contents = [child for child in keys[0].children if child.type == "string_content"]
        if len(contents) == 1:
            self.name_occurrence(contents[0], library, self.text(contents[0]), subscript)

    # literals ------------------------------------------------------------------------------
    def _literal(self, match: re.Match[bytes]) -> None:
        start, end = match.span()
        node = self.root.descendant_for_byte_range(start, end)
        if node is None:
            return
        kind = node.type
        if kind == "string_content":
            self._raw_status_line(node, match)
            return
        if kind != "integer" or node.start_byte != start or node.end_byte != end:
            return
        digits = match.group()
        value = int(digits)
        found = literal_context(self, node, value)
        if found is None:
            return
        context, strong, role = found
        if not (strong or 100 <= value <= 999):
            return
        self.add(
            node,
            Occurrence(
                span=self.span(node),
                kind=Kind.LITERAL,
                text=digits.decode("ascii"),
                code=value,
                context=context,
                # A class edge is not a code: no inlay hint names it as one.
                confident=(strong or value <= 599) and role is not Role.BOUND,
                role=role,
            ),
        )

    def _quoted_literal(self, match: re.Match[bytes]) -> None:
        """Three digits at the start of a string: a ``responses`` key (``"404"``), or the code of a
        WSGI status line (``"404 Not Found"``)."""
        content = self.root.descendant_for_byte_range(match.start(), match.end())
        if content is None or content.type != "string_content" or content.start_byte != match.start():
            return
        string = content.parent
        if string is None or string.type != "string" or string.named_child_count != 3:
            return  # an f-string with parts, or an implicit concatenation
        if content.end_byte == match.end():
            if quoted_responses_key(self, string):
                self._quoted_key(string, match)
            return
        line = status_line_context(self, string)
        if line is None:
            return
        if not line.trusted and not status_line_is_http(self, string, line.label, self.imports.modules):
            return  # "250 OK" in a mail server is SMTP
        start = content.start_point
        column = self.column(content.start_byte, start.column)
        self.add(
            content,
            Occurrence(
                span=Span(start.row, column, start.row, column + 3),
                kind=Kind.LITERAL,
                text=match.group().decode("ascii"),
                code=int(match.group()),
                context=line.label,
                role=line.role,
            ),
        )

    def _raw_status_line(self, content: Node, match: re.Match[bytes]) -> None:
        """The code of a string that starts with an HTTP status line: ``b"HTTP/1.1 200 OK\\r\\n"``."""
        role = raw_status_line_role(self, content, match.start(), match.end())
        if role is None:
            return
        point = content.start_point  # the line starts the string, so the code is on its first row
        column = self.column(match.start(), point.column + match.start() - content.start_byte)
        self.add(
            content,
            Occurrence(
                span=Span(point.row, column, point.row, column + 3),
                kind=Kind.LITERAL,
                text=match.group().decode("ascii"),
                code=int(match.group()),
                context="HTTP status line",
                role=role,
            ),
        )

    def _quoted_key(self, string: Node, match: re.Match[bytes]) -> None:
        self.add(
            string,
            Occurrence(
                span=self.span(string),
                kind=Kind.LITERAL,
                text=self.text(string),
                code=int(match.group()),
                context="responses",
                value=match.group().decode("ascii"),
                quoted=True,
                role=Role.SENDS,
            ),
        )


def _status_class_role(token: Node) -> Role | None:
    """Where a project's status class means its status: raised or built (``raise Gone()``,
    ``Gone()``), sent; imported (``from .errors import Gone``), unknown. Elsewhere (``except Gone``,
    ``@app.exception(Gone)``, ``isinstance(e, Gone)``) it names the class, not a response."""
    parent = token.parent
    if parent is None:
        return None
    if parent.type == "call" and same(parent.child_by_field_name("function"), token):
        grand = parent.parent
        return Role.SENDS if grand is not None and grand.type in ("raise_statement", "return_statement") else Role.UNKNOWN
    if parent.type == "raise_statement":
        return Role.SENDS
    if (
        parent.type == "dotted_name"
        and parent.parent is not None
        and parent.parent.type in ("import_from_statement", "aliased_import")
    ):
        statement = parent.parent
        return None if same(statement.child_by_field_name("module_name"), parent) else Role.UNKNOWN
    return None


def _looks_like_name(library: str, name: str) -> bool:
    """Whether an unknown member has the shape of the library's status names (and is not one of
    its other members), so it is worth reporting as a near miss."""
    row = libraries.BY_NAME.get(library)
    if row is None or row.name_shape is None or name.startswith("_") or not row.name_shape.fullmatch(name):
        return False
    return name not in row.not_names


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


def _dotted_chain(token: Node, parent: Node) -> tuple[list[Node], Node] | None:
    """The name tokens of the dotted expression that starts with ``token`` (``http``, ``HTTPStatus``,
    ``OK`` for ``http.HTTPStatus.OK``) and the node of the whole expression; None when ``token`` is
    not its start. At most six parts: library paths are never deeper."""
    if parent.type == "dotted_name":  # a value pattern: ``case HTTPStatus.OK:``
        if parent.parent is None or parent.parent.type in _IMPORT_NODES:
            return None
        parts = [child for child in parent.named_children if child.type == "identifier"]
        return (parts, parent) if parts and same(parts[0], token) else None
    tokens, expression = [token], token
    while len(tokens) < 6:
        outer = expression.parent
        if outer is None or outer.type != "attribute" or not same(outer.child_by_field_name("object"), expression):
            break
        attribute = outer.child_by_field_name("attribute")
        if attribute is None:
            break
        tokens.append(attribute)
        expression = outer
    return tokens, expression


def _is_expression_use(token: Node, parent: Node) -> bool:
    """False for an imported local's spelling used as something else: a keyword argument's name, a
    parameter, a definition's name, an assignment target, or another object's attribute."""
    kind = parent.type
    if kind == "attribute":
        attribute = parent.child_by_field_name("attribute")
        return not same(attribute, token)
    if kind in ("keyword_argument", "default_parameter", "typed_default_parameter", "function_definition", "class_definition"):
        return not same(parent.child_by_field_name("name"), token)
    if kind in ("parameters", "lambda_parameters", "typed_parameter", "global_statement", "nonlocal_statement", "aliased_import"):
        return False
    if kind == "assignment":
        return not same(parent.child_by_field_name("left"), token)
    return True


def _namespaces(imports: Imports) -> dict[str, str]:
    """The dotted texts that name a library namespace in this file, for completion after a dot."""
    return {text: library.name for text, library in namespace_spellings(imports.bindings)}


def detect_python(text: str, old_tree: Tree | None = None, *, project: ProjectParameters | None = None) -> Detection:
    """Status-code occurrences and library namespaces in one Python text.

    ``old_tree`` is the previous version's tree, already edited by the caller; it makes the parse
    incremental. The returned Detection carries the new tree for the next call. ``project`` is the
    workspace's table of status parameters (:mod:`.project_params`); this file's own definitions
    count without it."""
    notes: list[str] = []
    source = source_bytes(text)
    try:
        tree = parse(source, old_tree)
    except (TypeError, ValueError) as error:
        notes.append(f"incremental parse refused ({error}); parsed from scratch")
        tree = parse(source)
    found: dict[tuple[int, int], Occurrence] = {}
    readers = [_Reader(source, tree, found)]
    if tree.root_node.has_error:
        repaired = recovery.repair(source, tree.root_node)
        readers[0].skip += repaired.skip
        readers += [_Reader(copy, copy_tree, found) for copy, copy_tree in repaired.texts]
        notes += repaired.notes
    imports = Imports()
    try:
        for reader in readers:
            reader.read_imports(imports)
        imports.settle(registry.load())
        modules = tuple(imports.modules)
        http, other_protocol = speaks_http(modules), speaks_other_protocol(modules)
        for reader in readers:
            reader.speaks_http, reader.speaks_other_protocol, reader.modules = http, other_protocol, modules
        main = readers[0]
        own = read_definitions(main)
        remember(text, file_parameters(own))
        calls = CallTable(own, project or NO_PROJECT, imports.names, imports.star_elsewhere)
        guessed = {name: code for reader in readers for name, code in reader.relative_classes.items()}
        status_classes = {**guessed, **dict((project or NO_PROJECT).status_classes), **own.status_classes}
        for reader in readers:
            reader.calls = calls
            reader.status_classes = status_classes
            reader.scan(imports)
    except (RecursionError, ValueError, UnicodeError) as error:  # pragma: no cover - a safety net
        notes.append(f"python detector stopped early: {error!r}")
    occurrences = tuple(found[point] for point in sorted(found))  # (row, byte column) order is position order
    return Detection(occurrences=occurrences, namespaces=_namespaces(imports), tree=tree, notes=tuple(notes))
