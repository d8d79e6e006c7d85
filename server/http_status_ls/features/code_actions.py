"""Code actions: a status literal as a named constant and back, and the fixes for what diagnostics report.

Refactorings (``refactor.rewrite``), offered at the cursor:

- ``abort(404)`` -> ``abort(HTTPStatus.NOT_FOUND)``, in the file's own style: a constants namespace the
  module already imports (then the action is a ``quickfix`` too), else the framework's (``status``
  from FastAPI, Starlette or DRF), the client library's (``requests.codes``, ``httpx.codes``) in client
  code, or ``HTTPStatus``. A missing import is added where isort would put it.
- ``HTTPStatus.NOT_FOUND`` (``status.HTTP_404_NOT_FOUND``, ``requests.codes.not_found``...) -> ``404``.

Quick fixes, each attached to the diagnostic it fixes (taken from the request's context; its rule id
and range find the occurrence again, so nothing depends on the client round-tripping ``data``):

- a deprecated, obsolete or unofficial code -> each portable code the knowledge base names instead;
- a deprecated library name -> its current name (every bare use of it in the file, with its import);
- an unknown name -> the close match the diagnostic suggests;
- OpenAPI: quote an unquoted status key, write a range key with upper-case ``XX``, remove the body of
  a response that must not have one (the whole ``content``/``schema`` entry).

Edits are computed in code points on the analysed version and converted with ``to_range``; every one
leaves a file that still parses (the tests apply them and parse the result).
"""

from __future__ import annotations

import bisect
import difflib
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import tree_sitter
from lsprotocol import types

from http_status_ls.core.occurrences import Analysis, Kind, Occurrence, ResponsesBlock, Span
from http_status_ls.core.positions import RangeMaker, span_range
from http_status_ls.features.diagnostics import SOURCE, title
from http_status_ls.kb import registry

PointMaker = Callable[[types.Position], tuple[int, int]]
Edit = tuple[Span, str]

QUICKFIX = types.CodeActionKind.QuickFix
REWRITE = types.CodeActionKind.RefactorRewrite
KINDS = [QUICKFIX, REWRITE]

_CODE_RULES = frozenset({"deprecated-code", "obsolete-code", "unofficial-code", "reserved-code", "provisional-code"})


def _code_points(position: types.Position) -> tuple[int, int]:
    return position.line, position.character


# --- the text --------------------------------------------------------------------------------


class _Text:
    """The lines of one document version, with what edits need: line contents, offsets, newline."""

    def __init__(self, lines: Sequence[str]):
        self.lines = lines
        first = lines[0] if lines else ""
        self.newline = "\r\n" if first.endswith("\r\n") else "\n"

    def line(self, row: int) -> str:
        if not 0 <= row < len(self.lines):
            return ""
        return self.lines[row].rstrip("\r\n")

    @cached_property
    def joined(self) -> str:
        return "".join(self.lines)

    @cached_property
    def _starts(self) -> list[int]:
        starts, total = [], 0
        for line in self.lines:
            starts.append(total)
            total += len(line)
        return starts

    def offset(self, row: int, col: int) -> int:
        return self._starts[row] + col if row < len(self._starts) else len(self.joined)

    def point(self, offset: int) -> tuple[int, int]:
        row = max(0, bisect.bisect_right(self._starts, offset) - 1)
        return row, offset - self._starts[row] if self._starts else 0

    def span(self, start: int, end: int) -> Span:
        return Span(*self.point(start), *self.point(end))

    def insert_lines(self, row: int, block: Sequence[str]) -> Edit:
        """Insert whole lines before ``row`` (after the last line when ``row`` is past the end)."""
        nl = self.newline
        if row < len(self.lines):
            return Span(row, 0, row, 0), "".join(line + nl for line in block)
        last = len(self.lines) - 1
        if last < 0:
            return Span(0, 0, 0, 0), "".join(line + nl for line in block)
        end = len(self.line(last))
        return Span(last, end, last, end), "".join(nl + line for line in block)

    def delete_rows(self, first: int, last: int) -> Edit:
        """Delete lines ``first`` to ``last`` (inclusive) with their line breaks."""
        if last + 1 < len(self.lines):
            return Span(first, 0, last + 1, 0), ""
        if first == 0:
            return Span(0, 0, last, len(self.line(last))), ""
        # The last lines: take the break before them instead, so no position points past the end.
        return Span(first - 1, len(self.line(first - 1)), last, len(self.line(last))), ""


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


# --- what each library calls a code ----------------------------------------------------------


@dataclass(frozen=True)
class _Namespace:
    """A library of status constants and how a module gets hold of it."""

    library: str
    paths: tuple[str, ...]
    """Import paths that denote the namespace itself."""
    module: str
    """What a new import names: ``from <module> import <member>``, or ``import <module>``."""
    member: str | None
    local: str
    """The local name the new import binds."""
    text: str
    """How code refers to the namespace after the new import."""

    @property
    def statement(self) -> str:
        return f"from {self.module} import {self.member}" if self.member else f"import {self.module}"


_NAMESPACES: dict[str, _Namespace] = {
    ns.library: ns
    for ns in (
        _Namespace(
            library="http.HTTPStatus",
            paths=("http.HTTPStatus",),
            module="http",
            member="HTTPStatus",
            local="HTTPStatus",
            text="HTTPStatus",
        ),
        _Namespace(
            library="fastapi.status", paths=("fastapi.status",), module="fastapi", member="status", local="status", text="status"
        ),
        _Namespace(
            library="starlette.status",
            paths=("starlette.status",),
            module="starlette",
            member="status",
            local="status",
            text="status",
        ),
        _Namespace(
            library="rest_framework.status",
            paths=("rest_framework.status",),
            module="rest_framework",
            member="status",
            local="status",
            text="status",
        ),
        _Namespace(
            library="requests.codes",
            paths=("requests.codes", "requests.status_codes.codes"),
            module="requests",
            member=None,
            local="requests",
            text="requests.codes",
        ),
        _Namespace(
            library="httpx.codes",
            paths=("httpx.codes", "httpx._status_codes.codes"),
            module="httpx",
            member=None,
            local="httpx",
            text="httpx.codes",
        ),
        _Namespace(library="http.client", paths=("http.client",), module="http", member="client", local="client", text="client"),
    )
}
CONSTANT_LIBRARIES = tuple(_NAMESPACES)
"""Libraries whose names are int constants (a literal can become one and back), in the order a file
that imports several prefers them. aiohttp, werkzeug and django name exception or response classes."""

_CLIENT_LIBRARIES = frozenset({"requests.codes", "httpx.codes"})
# Imports that make a module server code, where requests.codes would read oddly in abort(...).
_SERVER_ROOTS = frozenset(
    {
        "flask",
        "django",
        "rest_framework",
        "fastapi",
        "starlette",
        "aiohttp",
        "werkzeug",
        "tornado",
        "sanic",
        "falcon",
        "bottle",
        "pyramid",
        "quart",
        "litestar",
        "connexion",
        "http.server",
    }
)
# The framework whose `status` module a file uses, by the root module it imports (first match wins).
_FRAMEWORK_STYLE = (("fastapi", "fastapi.status"), ("starlette", "starlette.status"), ("rest_framework", "rest_framework.status"))
_CLIENT_STYLE = (("requests", "requests.codes"), ("httpx", "httpx.codes"))


def constant_name(library: str, code: int) -> str | None:
    """The name a library prefers for ``code`` (current, usable after a dot), or None."""
    entry = registry.load().entry(code)
    if entry is None:
        return None
    for ref in entry.names_in(library):
        if not ref.deprecated and ref.attribute_access:
            return ref.name
    return None


# --- the module's imports (Python) -----------------------------------------------------------

_PARSER: tree_sitter.Parser | None = None


def _parse(source: bytes) -> tree_sitter.Tree:
    global _PARSER
    if _PARSER is None:
        from http_status_ls.detect.python.reader import PYTHON

        _PARSER = tree_sitter.Parser(PYTHON)
    return _PARSER.parse(source)


@dataclass
class _Import:
    node: tree_sitter.Node
    first_row: int
    last_row: int
    module: str
    """``os``, ``http``, ``__future__``; ``.models`` for a relative import."""
    straight: bool
    """``import x`` rather than ``from x import y``."""
    names: list[tuple[str, tree_sitter.Node]]
    """For ``from`` imports: each imported name (without alias) and its node."""
    wildcard: bool
    group: str
    """``future``, ``stdlib``, ``third`` (third party or first party) or ``local`` (relative)."""


_IMPORT_TYPES = frozenset({"import_statement", "import_from_statement", "future_import_statement"})
_STDLIB = frozenset(getattr(sys, "stdlib_module_names", ()))
_BLOCKS = frozenset(
    {
        "if_statement",
        "try_statement",
        "with_statement",
        "block",
        "else_clause",
        "elif_clause",
        "except_clause",
        "finally_clause",
        "except_group_clause",
    }
)


class _PythonModule:
    """The module-level structure of a Python text that imports depend on, read from its tree."""

    def __init__(self, analysis: Analysis, text: _Text):
        self.text = text
        source = text.joined.encode("utf-8", "surrogatepass")
        if b"\r" in source:
            source = re.sub(rb"\r(?!\n)", b"\n", source)
        self.source = source
        tree = analysis.detection.tree
        self.tree = tree if isinstance(tree, tree_sitter.Tree) else _parse(source)
        self.root = self.tree.root_node

    def node_text(self, node: tree_sitter.Node) -> str:
        return self.source[node.start_byte : node.end_byte].decode("utf-8", "surrogatepass")

    def column(self, row: int, byte_column: int) -> int:
        line = self.text.lines[row] if row < len(self.text.lines) else ""
        if line.isascii():
            return byte_column
        return len(line.encode("utf-8", "surrogatepass")[:byte_column].decode("utf-8", "surrogatepass"))

    def start(self, node: tree_sitter.Node) -> tuple[int, int]:
        point = node.start_point
        return point.row, self.column(point.row, point.column)

    def end(self, node: tree_sitter.Node) -> tuple[int, int]:
        point = node.end_point
        return point.row, self.column(point.row, point.column)

    # --- imports -------------------------------------------------------------------------------

    def _import(self, node: tree_sitter.Node) -> _Import | None:
        first, last = node.start_point.row, node.end_point.row
        if node.end_point.column == 0 and last > first:
            last -= 1
        if node.type == "future_import_statement":
            names = [(self.node_text(n), n) for n in node.children_by_field_name("name")]
            return _Import(
                node=node,
                first_row=first,
                last_row=last,
                module="__future__",
                straight=False,
                names=names,
                wildcard=False,
                group="future",
            )
        if node.type == "import_statement":
            targets = node.children_by_field_name("name")
            if not targets:
                return None
            target = targets[0]
            dotted = target.child_by_field_name("name") if target.type == "aliased_import" else target
            module = self.node_text(dotted) if dotted is not None else ""
            return _Import(
                node=node,
                first_row=first,
                last_row=last,
                module=module,
                straight=True,
                names=[],
                wildcard=False,
                group=self._group(module),
            )
        if node.type == "import_from_statement":
            module_node = node.child_by_field_name("module_name")
            if module_node is None:
                return None
            module = self.node_text(module_node)
            names = []
            for target in node.children_by_field_name("name"):
                dotted = target.child_by_field_name("name") if target.type == "aliased_import" else target
                if dotted is not None:
                    names.append((self.node_text(dotted), target))
            wildcard = any(child.type == "wildcard_import" for child in node.children)
            return _Import(
                node=node,
                first_row=first,
                last_row=last,
                module=module,
                straight=False,
                names=names,
                wildcard=wildcard,
                group="local" if module.startswith(".") else self._group(module),
            )
        return None

    @staticmethod
    def _group(module: str) -> str:
        root = module.split(".", 1)[0]
        if root == "__future__":
            return "future"
        return "stdlib" if root in _STDLIB else "third"

    @cached_property
    def head(self) -> tuple[list[_Import], int | None, int | None]:
        """The imports at the top of the module (before its first other statement), the last row of
        the module docstring, and the last row of the comments that open the file."""
        imports: list[_Import] = []
        docstring_end: int | None = None
        comments_end: int | None = None
        first_statement = True
        for child in self.root.children:
            if child.type == "comment":
                if (
                    first_statement
                    and not imports
                    and docstring_end is None
                    and (comments_end is None or child.start_point.row <= comments_end + 1)
                ):
                    comments_end = child.end_point.row
                continue
            if (
                first_statement
                and child.type == "expression_statement"
                and child.named_child_count == 1
                and (child.named_children[0].type in ("string", "concatenated_string"))
            ):
                docstring_end = child.end_point.row
                first_statement = False
                continue
            first_statement = False
            found = self._import(child) if child.type in _IMPORT_TYPES else None
            if found is None:
                break
            imports.append(found)
        return imports, docstring_end, comments_end

    @cached_property
    def module_imports(self) -> list[_Import]:
        """Every import whose names are module globals (not inside a function or class)."""
        found: list[_Import] = []
        stack = list(reversed(self.root.children))
        while stack:
            node = stack.pop()
            if node.type in _IMPORT_TYPES:
                item = self._import(node)
                if item is not None:
                    found.append(item)
            elif node.type in _BLOCKS:
                stack.extend(reversed(node.children))
        return found

    @cached_property
    def bindings(self) -> dict[str, str]:
        """Module-level local name -> the dotted path it denotes."""
        bound: dict[str, str] = {}
        for item in self.module_imports:
            node = item.node
            if item.straight:
                for target in node.children_by_field_name("name"):
                    if target.type == "aliased_import":
                        dotted, alias = target.child_by_field_name("name"), target.child_by_field_name("alias")
                        if dotted is not None and alias is not None:
                            bound[self.node_text(alias)] = self.node_text(dotted)
                    else:
                        root = self.node_text(target).split(".", 1)[0]
                        bound[root] = root
            elif not item.module.startswith("."):
                for name, target in item.names:
                    alias = target.child_by_field_name("alias") if target.type == "aliased_import" else None
                    bound[self.node_text(alias) if alias is not None else name] = f"{item.module}.{name}"
        return bound

    @cached_property
    def roots(self) -> frozenset[str]:
        """The modules imported at module level, as root packages (and ``http.server``)."""
        found = set()
        for item in self.module_imports:
            if item.module.startswith("."):
                continue
            found.add(item.module.split(".", 1)[0])
            if item.module.startswith("http.server"):
                found.add("http.server")
        return frozenset(found)

    @cached_property
    def namespaces(self) -> dict[str, str]:
        """Library -> the shortest text that names it in this module (``HTTPStatus``, ``st``,
        ``requests.codes``), for the constant libraries the module already imports."""
        found: dict[str, str] = {}
        for local, path in self.bindings.items():
            for library, namespace in _NAMESPACES.items():
                for library_path in namespace.paths:
                    if library_path == path:
                        text = local
                    elif library_path.startswith(path + "."):
                        text = local + library_path[len(path) :]
                    else:
                        continue
                    if library not in found or len(text) < len(found[library]):
                        found[library] = text
        return found

    def is_free(self, name: str) -> bool:
        """Whether ``name`` is not used in the module at all (other than as an attribute or keyword
        argument), so a new import may bind it without shadowing or being shadowed."""
        pattern = re.compile(rb"(?<![\w.])" + re.escape(name.encode()) + rb"(?!\w)")
        for match in pattern.finditer(self.source):
            node = self.root.descendant_for_byte_range(match.start(), match.end())
            if node is None or node.type != "identifier":
                continue  # inside a string or a comment
            parent = node.parent
            if parent is not None and parent.type == "keyword_argument" and _same(parent.child_by_field_name("name"), node):
                continue
            if (
                parent is not None
                and parent.type == "dotted_name"
                and parent.parent is not None
                and (
                    parent.parent.type == "import_from_statement"
                    and _same(parent.parent.child_by_field_name("module_name"), parent)
                )
            ):
                continue  # `from httpx import Client` names a module and binds nothing called httpx
            return False
        return True

    def in_import(self, line: int, col: int) -> bool:
        text = self.text.line(line)
        byte_column = len(text[:col].encode("utf-8", "surrogatepass"))
        node = self.root.descendant_for_point_range((line, byte_column), (line, byte_column))
        while node is not None:
            if node.type in _IMPORT_TYPES:
                return True
            node = node.parent
        return False

    # --- adding an import ----------------------------------------------------------------------

    def add_import(self, namespace: _Namespace) -> list[Edit]:
        """The edits that import ``namespace`` the way isort would place it."""
        head, docstring_end, comments_end = self.head
        group = self._group(namespace.module)
        if namespace.member is not None:
            for item in head:
                if not item.straight and item.module == namespace.module and not item.wildcard and item.names:
                    return [self._merge(item, namespace.member)]
        statement = namespace.statement
        blocks = self._blocks(head)
        same = [block for block in blocks if any(item.group == group for item in block)]
        if same:
            block = same[0]
            return [self.text.insert_lines(self._row_in_block(block, namespace), [statement])]
        order = {"future": 0, "stdlib": 1, "third": 2, "local": 3}
        rank = order[group]
        later = [block for block in blocks if min(order[item.group] for item in block) > rank]
        if later:
            row = self._with_comments_above(later[0][0].first_row)
            return [self.text.insert_lines(row, [statement, ""])]
        earlier = [block for block in blocks if max(order[item.group] for item in block) < rank]
        anchor = earlier[-1][-1].last_row if earlier else docstring_end if docstring_end is not None else None
        if anchor is None and blocks:
            anchor = blocks[-1][-1].last_row
        if anchor is not None:
            follow = self.text.line(anchor + 1).strip() if anchor + 1 < len(self.text.lines) else ""
            lines = ["", statement] + ([""] if follow else [])
            return [self.text.insert_lines(anchor + 1, lines)]
        row = comments_end + 1 if comments_end is not None else 0
        follow = self.text.line(row).strip() if row < len(self.text.lines) else ""
        return [self.text.insert_lines(row, [statement] + ([""] if follow else []))]

    def _blocks(self, head: list[_Import]) -> list[list[_Import]]:
        """The head's imports in groups separated by blank lines (comment lines do not separate)."""
        blocks: list[list[_Import]] = []
        for item in head:
            if blocks:
                gap = range(blocks[-1][-1].last_row + 1, item.first_row)
                if all(self.text.line(row).strip().startswith("#") for row in gap):
                    blocks[-1].append(item)
                    continue
            blocks.append([item])
        return blocks

    def _with_comments_above(self, row: int) -> int:
        while row > 0 and self.text.line(row - 1).strip().startswith("#"):
            row -= 1
        return row

    def _row_in_block(self, block: list[_Import], namespace: _Namespace) -> int:
        """Where isort's default order (``import x`` lines first, then ``from x import``, each by
        module, ignoring case) puts the new statement in a block."""
        straight = namespace.member is None
        key = namespace.module.lower()
        for item in block:
            if item.group == "future":
                continue
            if straight:
                if not item.straight or item.module.lower() > key:
                    return self._with_comments_above(item.first_row) if item is not block[0] else item.first_row
            elif not item.straight and item.module.lower() > key:
                return self._with_comments_above(item.first_row) if item is not block[0] else item.first_row
        return block[-1].last_row + 1

    def _merge(self, item: _Import, member: str) -> Edit:
        """Add ``member`` to an existing ``from module import ...``, in isort's order (constants,
        classes, then the rest)."""
        key = _isort_name_key(member)
        for name, node in item.names:
            if _isort_name_key(name) > key:
                row, col = self.start(node)
                return Span(row, col, row, col), f"{member}, "
        row, col = self.end(item.names[-1][1])
        return Span(row, col, row, col), f", {member}"


def _isort_name_key(name: str) -> tuple[int, str]:
    if name.isupper() and len(name) > 1:
        return 0, name
    if name[:1].isupper():
        return 1, name.lower()
    return 2, name.lower()


def _same(a: tree_sitter.Node | None, b: tree_sitter.Node | None) -> bool:
    return a is not None and b is not None and a.start_byte == b.start_byte and a.end_byte == b.end_byte


# --- the actions -----------------------------------------------------------------------------


@dataclass
class _Action:
    title: str
    kind: str
    edits: list[Edit]
    diagnostic: types.Diagnostic | None = None
    preferred: bool = False


class _Planner:
    """Works out the actions for one request on one analysed document."""

    def __init__(self, analysis: Analysis, lines: Sequence[str]):
        self.analysis = analysis
        self.text = _Text(lines)
        self.registry = registry.load()

    @cached_property
    def python(self) -> _PythonModule:
        return _PythonModule(self.analysis, self.text)

    # --- refactorings ---------------------------------------------------------------------------

    def to_constant(self, occurrence: Occurrence, only: Sequence[str] | None) -> list[_Action]:
        """``404`` -> a library constant; one action per namespace the module imports that names the
        code, else one that adds the import of the file's style."""
        code = occurrence.code
        if (
            self.analysis.language != "python"
            or occurrence.kind is not Kind.LITERAL
            or code is None
            or occurrence.text != str(code)
            or occurrence.context == "HTTPStatus()"
        ):
            return []
        line = self.text.line(occurrence.span.start_line)
        if occurrence.span.start_col > 0 and line[occurrence.span.start_col - 1] in "'\"":
            return []  # the digits of a status line inside a string
        module = self.python
        imported = module.namespaces
        server = bool(module.roots & _SERVER_ROOTS)
        actions = []
        for library in CONSTANT_LIBRARIES:
            text = imported.get(library)
            if text is None or (library in _CLIENT_LIBRARIES and server):
                continue
            name = constant_name(library, code)
            if name is None:
                continue
            kind = QUICKFIX if _wanted(QUICKFIX, only) else REWRITE
            actions.append(_Action(f"Replace {code} with {text}.{name}", kind, [(occurrence.span, f"{text}.{name}")]))
        if actions:
            return actions[:3]
        namespace = self._style(code)
        if namespace is None:
            return []
        name = constant_name(namespace.library, code)
        if name is None:
            return []
        edits = module.add_import(namespace) + [(occurrence.span, f"{namespace.text}.{name}")]
        return [_Action(f"Replace {code} with {namespace.text}.{name} ({namespace.statement})", REWRITE, edits)]

    def _style(self, code: int) -> _Namespace | None:
        """The namespace a module that imports none (usable) should import: its framework's, its
        client library's, else HTTPStatus; the first that names the code and whose local name is
        free in the module."""
        module = self.python
        roots = module.roots
        choices = [library for root, library in _FRAMEWORK_STYLE if root in roots]
        if not roots & _SERVER_ROOTS:
            choices += [library for root, library in _CLIENT_STYLE if root in roots]
        choices.append("http.HTTPStatus")
        for library in choices:
            namespace = _NAMESPACES[library]
            if constant_name(library, code) is not None and module.is_free(namespace.local):
                return namespace
        return None

    def expression_of(self, occurrence: Occurrence) -> Span | None:
        """The whole expression a library name stands in (``HTTPStatus.NOT_FOUND``,
        ``codes['teapot']``, a bare imported name), when a literal may replace it."""
        span = occurrence.span
        if span.start_line != span.end_line:
            return None
        line = self.text.line(span.start_line)
        start, end = span.start_col, span.end_col
        before = line[:start]
        if before.endswith("."):
            chain = re.search(r"(?:[^\W\d]\w*\.)+$", before)
            if chain is None:
                return None
            start = chain.start()
        elif before[-1:] in ("'", '"'):
            quote = before[-1]
            if not before[:-1].endswith("[") or line[end : end + 2] != quote + "]":
                return None
            chain = re.search(r"(?:[^\W\d]\w*\.)*[^\W\d]\w*$", before[:-2])
            if chain is None:
                return None
            start, end = chain.start(), end + 2
        else:
            if self.python.in_import(span.start_line, start):
                return None
        if start > 0 and (line[start - 1] == "." or line[start - 1].isalnum() or line[start - 1] == "_"):
            return None
        after = line[end:].lstrip(" \t")
        if after[:1] in (".", "(", "["):
            return None  # HTTPStatus.NOT_FOUND.phrase: a number has no .phrase
        return Span(span.start_line, start, span.end_line, end)

    def to_literal(self, occurrence: Occurrence) -> list[_Action]:
        ref = occurrence.name
        if (
            self.analysis.language != "python"
            or occurrence.kind is not Kind.NAME
            or ref is None
            or ref.library not in _NAMESPACES
        ):
            return []
        expression = self.expression_of(occurrence)
        if expression is None:
            return []
        shown = self.text.line(expression.start_line)[expression.start_col : expression.end_col]
        return [_Action(f"Replace {shown} with {ref.code}", REWRITE, [(expression, str(ref.code))])]

    # --- quick fixes ------------------------------------------------------------------------------

    def fixes(self, diagnostic: types.Diagnostic, to_point: PointMaker) -> list[_Action]:
        if diagnostic.source not in (SOURCE, None) or not isinstance(diagnostic.code, str):
            return []
        rule = diagnostic.code
        start = to_point(diagnostic.range.start)
        end = to_point(diagnostic.range.end)
        span = Span(start[0], start[1], end[0], end[1])
        if rule == "body-not-allowed":
            owner = next((o for o in self.analysis.occurrences if o.body_span == span), None)
            actions = self.remove_body(owner) if owner is not None else []
        else:
            occurrence = self.analysis.at(*start)
            if occurrence is None or occurrence.span != span:
                return []  # the diagnostic is from another version of the text
            if rule in _CODE_RULES:
                actions = self.replace_code(occurrence)
            elif rule == "deprecated-name":
                actions = self.rename(occurrence)
            elif rule == "unknown-name":
                actions = self.correct_name(occurrence, diagnostic.data)
            elif rule == "unquoted-response-key":
                actions = self.quote_key(occurrence)
            elif rule == "invalid-range-key":
                actions = self.upper_range(occurrence)
            else:
                actions = []
        for i, action in enumerate(actions):
            action.diagnostic = diagnostic
            action.preferred = i == 0
        return actions

    def replace_code(self, occurrence: Occurrence) -> list[_Action]:
        """A code that should not be used -> each code the knowledge base names in its place."""
        code = occurrence.code if occurrence.name is None else occurrence.name.code
        entry = self.registry.entry(code) if code is not None else None
        if entry is None:
            return []
        actions = []
        for new in entry.instead:
            target = self.registry.entry(new)
            edits = self._code_edits(occurrence, new)
            if target is None or not edits:
                continue
            actions.append(_Action(f"Replace {entry.code} with {title(target)}", QUICKFIX, edits))
        return actions

    def _code_edits(self, occurrence: Occurrence, new: int) -> list[Edit]:
        if occurrence.kind is Kind.NAME:
            ref = occurrence.name
            if ref is None or occurrence.text != ref.name or self._name_form(occurrence) == "bare":
                return []
            name = constant_name(ref.library, new) if self._name_form(occurrence) == "attribute" else _item_name(ref.library, new)
            return [(occurrence.span, name)] if name else []
        if occurrence.kind is Kind.RESPONSE_KEY and self._key_taken(occurrence, str(new)):
            return []  # the new key would duplicate one already in this responses object
        if occurrence.quoted and len(occurrence.text) >= 2 and occurrence.text[0] in "'\"":
            return [(occurrence.span, f"{occurrence.text[0]}{new}{occurrence.text[-1]}")]
        if not occurrence.text.isdigit():
            return []
        span = occurrence.span
        line = self.text.line(span.start_line)
        opener = line[span.start_col - 1] if span.start_col > 0 else ""
        if opener in "'\"":
            # A status line ("420 Enhance Your Calm"): the reason phrase goes with the code.
            phrase = re.match(r" [^'\"\\\n]*(?=['\"])", line[span.end_col :])
            target = self.registry.entry(new)
            if phrase is not None and target is not None and line[span.end_col + phrase.end()] == opener:
                whole = Span(span.start_line, span.start_col, span.end_line, span.end_col + phrase.end())
                return [(whole, f"{new} {target.phrase}")]
        return [(span, str(new))]

    def _name_form(self, occurrence: Occurrence) -> str:
        line = self.text.line(occurrence.span.start_line)
        before = line[: occurrence.span.start_col]
        if before.endswith("."):
            return "attribute"
        if before[-1:] in ("'", '"'):
            return "item"
        return "bare"

    def rename(self, occurrence: Occurrence) -> list[_Action]:
        """A deprecated library name -> its current name; a bare name is renamed everywhere in the
        module, its import included, so it stays bound."""
        ref = occurrence.name
        if ref is None or not ref.deprecated or not ref.replacement or occurrence.text != ref.name:
            return []
        if self._name_form(occurrence) != "bare":
            return [_Action(f"Rename {ref.name} to {ref.replacement}", QUICKFIX, [(occurrence.span, ref.replacement)])]
        spans = [
            o.span
            for o in self.analysis.occurrences
            if o.kind is Kind.NAME
            and o.text == ref.name
            and o.name is not None
            and o.name.deprecated
            and self._name_form(o) == "bare"
        ]
        where = f" ({len(spans)} places in this file)" if len(spans) > 1 else ""
        return [_Action(f"Rename {ref.name} to {ref.replacement}{where}", QUICKFIX, [(s, ref.replacement) for s in spans])]

    def correct_name(self, occurrence: Occurrence, data: Any) -> list[_Action]:
        """An unknown member of a status namespace -> the close match the diagnostic suggested."""
        if self._name_form(occurrence) == "bare":
            return []
        suggestion = data.get("suggestion") if isinstance(data, Mapping) else None
        if not isinstance(suggestion, str):
            names = [ref.name for ref in self.registry.names_of(occurrence.context)]
            close = difflib.get_close_matches(occurrence.text, names, n=1)
            suggestion = close[0] if close else None
        if not suggestion or self.registry.resolve(occurrence.context, suggestion) is None:
            return []
        return [_Action(f"Change {occurrence.text} to {suggestion}", QUICKFIX, [(occurrence.span, suggestion)])]

    def _block_of(self, occurrence: Occurrence) -> ResponsesBlock | None:
        for block in self.analysis.detection.responses:
            if any(key is occurrence for key in block.keys):
                return block
        return None

    def _key_taken(self, occurrence: Occurrence, value: str) -> bool:
        block = self._block_of(occurrence)
        return block is not None and any(
            key is not occurrence and (key.value if key.value is not None else key.text.strip("'\"")) == value
            for key in block.keys
        )

    def quote_key(self, occurrence: Occurrence) -> list[_Action]:
        if occurrence.kind is not Kind.RESPONSE_KEY or occurrence.quoted or occurrence.value is None:
            return []
        block = self._block_of(occurrence)
        quotes = [key.text[0] for key in block.keys if key.quoted and key.text[:1] in "'\""] if block else []
        quote = '"' if quotes and quotes.count('"') > quotes.count("'") else "'"
        new = f"{quote}{occurrence.value}{quote}"
        return [_Action(f"Quote the response key: {new}", QUICKFIX, [(occurrence.span, new)])]

    def upper_range(self, occurrence: Occurrence) -> list[_Action]:
        value = occurrence.value
        if occurrence.kind is not Kind.RESPONSE_KEY or value is None or (self.analysis.openapi or "").startswith("2"):
            return []
        if not re.fullmatch(r"[1-5][xX]{2}", value) or value == value.upper():
            return []
        fixed = value[0] + "XX"
        if self._key_taken(occurrence, fixed):
            return []
        text = occurrence.text
        new = f"{text[0]}{fixed}{text[-1]}" if occurrence.quoted and text[:1] in "'\"" else fixed
        return [_Action(f"Write the range as {fixed}", QUICKFIX, [(occurrence.span, new)])]

    def remove_body(self, occurrence: Occurrence) -> list[_Action]:
        body = occurrence.body_span
        if body is None:
            return []
        field = self.text.line(body.start_line)[body.start_col : body.end_col].strip("'\"")
        edit = self._remove_yaml_block(occurrence) if self.analysis.language == "yaml" else None
        if edit is None:
            edit = self._remove_pair(body)
        if edit is None:
            return []
        what = occurrence.value or occurrence.text
        return [_Action(f"Remove the body ({field}) from the {what} response", QUICKFIX, [edit])]

    def _remove_yaml_block(self, occurrence: Occurrence) -> Edit | None:
        """In a block mapping the entry is the key's line and every line indented deeper after it."""
        body = occurrence.body_span
        assert body is not None
        line = self.text.line(body.start_line)
        if line[: body.start_col].strip():
            return None
        text = self.text
        key = occurrence.span
        # Only the lines from the response key to the body key matter (not the whole 4 MB text).
        between = "".join(text.lines[key.end_line : body.start_line]) + line[: body.start_col]
        if _open_brackets(between, key.end_col, len(between)):
            return None  # inside a flow mapping written over several lines
        indent = body.start_col
        last = body.end_line
        for row in range(body.end_line + 1, len(text.lines)):
            content = text.line(row)
            stripped = content.strip()
            if not stripped or stripped.startswith("#"):
                continue
            if _indent(content) > indent:
                last = row
                continue
            break
        return text.delete_rows(body.start_line, last)

    def _remove_pair(self, key: Span) -> Edit | None:
        """In JSON or a YAML flow mapping: the ``key: value`` pair and one comma next to it."""
        text = self.text
        full = text.joined
        start = text.offset(key.start_line, key.start_col)
        i = _skip_blank(full, text.offset(key.end_line, key.end_col))
        if i >= len(full) or full[i] != ":":
            return None
        value_end = _value_end(full, i + 1)
        if value_end is None:
            return None
        after = _skip_blank(full, value_end)
        if after < len(full) and full[after] == ",":
            return text.span(start, _skip_blank(full, after + 1)), ""
        before = _skip_blank_back(full, start)
        if before >= 0 and full[before] == ",":
            return text.span(before, value_end), ""
        if before >= 0 and full[before] == "{":
            return text.span(before + 1, value_end), ""
        return None


def _item_name(library: str, code: int) -> str | None:
    entry = registry.load().entry(code)
    if entry is None:
        return None
    for ref in entry.names_in(library):
        if not ref.deprecated and "'" not in ref.name and '"' not in ref.name:
            return ref.name
    return None


def _skip_blank(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\r\n":
        i += 1
    return i


def _skip_blank_back(text: str, i: int) -> int:
    i -= 1
    while i >= 0 and text[i] in " \t\r\n":
        i -= 1
    return i


def _string_end(text: str, i: int) -> int | None:
    """The index after the string that opens at ``text[i]`` (JSON/YAML double quotes with escapes,
    YAML single quotes doubled)."""
    quote = text[i]
    j = i + 1
    while j < len(text):
        char = text[j]
        if quote == '"' and char == "\\":
            j += 2
            continue
        if char == quote:
            if quote == "'" and text.startswith("''", j):
                j += 2
                continue
            return j + 1
        j += 1
    return None


def _value_end(text: str, i: int) -> int | None:
    """The index after the flow value that starts at or after ``text[i]``."""
    i = _skip_blank(text, i)
    if i >= len(text):
        return None
    char = text[i]
    if char in "'\"":
        return _string_end(text, i)
    if char in "{[":
        depth = 0
        j = i
        while j < len(text):
            char = text[j]
            if char in "'\"":
                end = _string_end(text, j)
                if end is None:
                    return None
                j = end
                continue
            if char in "{[":
                depth += 1
            elif char in "}]":
                depth -= 1
                if depth == 0:
                    return j + 1
            j += 1
        return None
    j = i
    while j < len(text) and text[j] not in ",}]":
        j += 1
    while j > i and text[j - 1] in " \t\r\n":
        j -= 1
    return j if j > i else None


def _open_brackets(text: str, start: int, end: int) -> int:
    """How many YAML flow collections that open between two offsets are still open at ``end``.

    Outside a flow collection a bracket or quote only opens something where a value starts (after
    ``:``, ``-``, ``?`` or at the start of a line): ``description: use {id}`` opens nothing."""
    depth = 0
    i = start
    while i < end:
        char = text[i]
        if char == "#" and (i == 0 or text[i - 1] in " \t\n"):
            newline = text.find("\n", i, end)
            i = newline if newline >= 0 else end
            continue
        if char in "'\"{[" and depth == 0:
            line_start = text.rfind("\n", 0, i) + 1
            before = text[line_start:i].rstrip(" \t")
            if before and before[-1] not in ":-?":
                newline = text.find("\n", i, end)  # inside a plain scalar: nothing opens on this line
                i = newline if newline >= 0 else end
                continue
        if char in "'\"":
            closing = _string_end(text, i)
            i = closing if closing is not None else end
            continue
        if char in "{[":
            depth += 1
        elif char in "}]":
            depth = max(0, depth - 1)
        i += 1
    return depth


def _wanted(kind: str, only: Sequence[str] | None) -> bool:
    """Whether a client that asked for ``only`` these kinds wants an action of ``kind``."""
    if not only:
        return True
    kind = getattr(kind, "value", kind)  # lsprotocol's kinds are str enums; compare their values
    for wanted in only:
        wanted = getattr(wanted, "value", wanted)
        if kind == wanted or kind.startswith(f"{wanted}."):
            return True
    return False


def _overlapping(analysis: Analysis, span: Span) -> list[Occurrence]:
    """The occurrences a (possibly empty) range touches."""
    occurrences = analysis.occurrences
    # Occurrences are in position order and on one line each: start a line early, stop after the range.
    first = bisect.bisect_left(occurrences, span.start_line, key=lambda o: o.span.end_line)
    found = []
    for occurrence in occurrences[first:]:
        o = occurrence.span
        if (o.start_line, o.start_col) > (span.end_line, span.end_col):
            break
        if (o.end_line, o.end_col) >= (span.start_line, span.start_col):
            found.append(occurrence)
    return found


def code_actions(
    analysis: Analysis,
    lines: Sequence[str],
    span: Span,
    diagnostics: Iterable[types.Diagnostic] = (),
    *,
    only: Sequence[str] | None = None,
    to_range: RangeMaker = span_range,
    to_point: PointMaker = _code_points,
) -> list[types.CodeAction]:
    """The actions for a range (code points) of one analysed document: quick fixes for the
    ``diagnostics`` the client sent (ranges in its units, read with ``to_point``), then the
    rewrites of the occurrences the range touches. ``only`` is the client's kind filter."""
    planner = _Planner(analysis, lines)
    planned: list[_Action] = []
    if _wanted(QUICKFIX, only):
        for diagnostic in diagnostics:
            planned += planner.fixes(diagnostic, to_point)
    for occurrence in _overlapping(analysis, span):
        for action in planner.to_constant(occurrence, only) + planner.to_literal(occurrence):
            if _wanted(action.kind, only):
                planned.append(action)
    return [_to_lsp(action, analysis.uri, to_range) for action in planned]


def _to_lsp(action: _Action, uri: str, to_range: RangeMaker) -> types.CodeAction:
    edits = [types.TextEdit(range=to_range(span), new_text=text) for span, text in action.edits]
    return types.CodeAction(
        title=action.title,
        kind=action.kind,
        diagnostics=[action.diagnostic] if action.diagnostic is not None else None,
        is_preferred=True if action.preferred else None,
        edit=types.WorkspaceEdit(changes={uri: edits}),
    )
