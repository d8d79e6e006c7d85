"""A Python module's imports as the code actions need them: what its module-level imports bind and
reach, whether a name is free, and the edit that adds an import where isort would put it.

The statements are read by the detector's own import reader (:mod:`http_status_ls.detect.python.imports`);
this module adds what only placing a new import needs: rows, isort groups, the module docstring
and the comments that open the file.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import cached_property

from http_status_ls.core.occurrences import Analysis, Span
from http_status_ls.detect.python.imports import IMPORT_STATEMENTS, ImportStatement, namespace_spellings, read_statement
from http_status_ls.detect.python.tree import Node, Tree, parse, same, source_bytes
from http_status_ls.features.actions.edits import DocumentText, Edit
from http_status_ls.kb.libraries import NewImport

_STDLIB = frozenset(getattr(sys, "stdlib_module_names", ()))
_GROUP_ORDER = {"future": 0, "stdlib": 1, "third": 2, "local": 3}
# Statements whose body runs at module level, so imports in them bind module globals.
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


@dataclass(frozen=True, slots=True)
class _Import:
    """One import statement of the module and where it is."""

    statement: ImportStatement
    first_row: int
    last_row: int
    group: str
    """``future``, ``stdlib``, ``third`` (third party or first party) or ``local`` (relative)."""

    @property
    def module(self) -> str:
        return self.statement.module

    @property
    def plain(self) -> bool:
        return self.statement.plain


def _group(module: str) -> str:
    if module.startswith("."):
        return "local"
    root = module.split(".", 1)[0]
    if root == "__future__":
        return "future"
    return "stdlib" if root in _STDLIB else "third"


def _isort_name_key(name: str) -> tuple[int, str]:
    if name.isupper() and len(name) > 1:
        return 0, name
    if name[:1].isupper():
        return 1, name.lower()
    return 2, name.lower()


class PythonModule:
    """The module-level structure of a Python text that imports depend on, read from its tree."""

    def __init__(self, analysis: Analysis, text: DocumentText):
        self.text = text
        self.source = source_bytes(text.joined)
        tree = analysis.detection.tree
        self.tree: Tree = tree if isinstance(tree, Tree) else parse(self.source)
        self.root = self.tree.root_node

    def node_text(self, node: Node) -> str:
        return self.source[node.start_byte : node.end_byte].decode("utf-8", "surrogatepass")

    def column(self, row: int, byte_column: int) -> int:
        line = self.text.lines[row] if row < len(self.text.lines) else ""
        if line.isascii():
            return byte_column
        return len(line.encode("utf-8", "surrogatepass")[:byte_column].decode("utf-8", "surrogatepass"))

    def start(self, node: Node) -> tuple[int, int]:
        point = node.start_point
        return point.row, self.column(point.row, point.column)

    def end(self, node: Node) -> tuple[int, int]:
        point = node.end_point
        return point.row, self.column(point.row, point.column)

    # --- what the module imports -----------------------------------------------------------------

    def _import(self, node: Node) -> _Import | None:
        statement = read_statement(node, self.node_text)
        if statement is None:
            return None
        first, last = node.start_point.row, node.end_point.row
        if node.end_point.column == 0 and last > first:
            last -= 1
        return _Import(statement, first, last, _group(statement.module))

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
            if first_statement and _is_docstring(child):
                docstring_end = child.end_point.row
                first_statement = False
                continue
            first_statement = False
            found = self._import(child) if child.type in IMPORT_STATEMENTS else None
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
            if node.type in IMPORT_STATEMENTS:
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
            bound.update(item.statement.bindings())
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
        ``requests.codes``), for the libraries the module already imports."""
        found: dict[str, str] = {}
        for text, library in namespace_spellings(self.bindings):
            if library.name not in found or len(text) < len(found[library.name]):
                found[library.name] = text
        return found

    def is_free(self, name: str) -> bool:
        """Whether ``name`` is not used in the module at all (other than as an attribute or keyword
        argument), so a new import may bind it without shadowing or being shadowed."""
        pattern = re.compile(rb"(?<![\w.])" + re.escape(name.encode()) + rb"(?!\w)")
        for match in pattern.finditer(self.source):
            node = self.root.descendant_for_byte_range(match.start(), match.end())
            if node is None or node.type != "identifier":
                continue  # inside a string or a comment
            if not _binds_or_reads(node):
                continue
            return False
        return True

    def in_import(self, line: int, col: int) -> bool:
        text = self.text.line(line)
        byte_column = len(text[:col].encode("utf-8", "surrogatepass"))
        node: Node | None = self.root.descendant_for_point_range((line, byte_column), (line, byte_column))
        while node is not None:
            if node.type in IMPORT_STATEMENTS:
                return True
            node = node.parent
        return False

    # --- adding an import ------------------------------------------------------------------------

    def add_import(self, new: NewImport) -> list[Edit]:
        """The edits that import a library the way isort would place the statement."""
        head, docstring_end, comments_end = self.head
        if new.member is not None:
            into = next((item for item in head if _merges(item, new.module)), None)
            if into is not None:
                return [self._merge(into, new.member)]
        group = _group(new.module)
        blocks = self._blocks(head)
        same_group = next((block for block in blocks if any(item.group == group for item in block)), None)
        if same_group is not None:
            return [self.text.insert_lines(self._row_in_block(same_group, new), [new.statement])]
        return [self._new_block(blocks, _GROUP_ORDER[group], new.statement, docstring_end, comments_end)]

    def _new_block(
        self, blocks: list[list[_Import]], rank: int, statement: str, docstring_end: int | None, comments_end: int | None
    ) -> Edit:
        """The statement as a block of its own, between the blocks of the groups around its own."""
        later = [block for block in blocks if min(_GROUP_ORDER[item.group] for item in block) > rank]
        if later:
            row = self._with_comments_above(later[0][0].first_row)
            return self.text.insert_lines(row, [statement, ""])
        earlier = [block for block in blocks if max(_GROUP_ORDER[item.group] for item in block) < rank]
        anchor = earlier[-1][-1].last_row if earlier else docstring_end
        if anchor is None and blocks:
            anchor = blocks[-1][-1].last_row
        if anchor is not None:
            return self.text.insert_lines(anchor + 1, ["", statement] + self._blank_before(anchor + 1))
        row = comments_end + 1 if comments_end is not None else 0
        return self.text.insert_lines(row, [statement] + self._blank_before(row))

    def _blank_before(self, row: int) -> list[str]:
        """A blank line to separate the new block from the line at ``row``, if there is one."""
        follow = self.text.line(row).strip() if row < len(self.text.lines) else ""
        return [""] if follow else []

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

    def _row_in_block(self, block: list[_Import], new: NewImport) -> int:
        """Where isort's default order (``import x`` lines first, then ``from x import``, each by
        module, ignoring case) puts the new statement in a block."""
        plain = new.member is None
        key = new.module.lower()
        for item in block:
            if item.group == "future":
                continue
            after = (not item.plain or item.module.lower() > key) if plain else (not item.plain and item.module.lower() > key)
            if after:
                return self._with_comments_above(item.first_row) if item is not block[0] else item.first_row
        return block[-1].last_row + 1

    def _merge(self, item: _Import, member: str) -> Edit:
        """Add ``member`` to an existing ``from module import ...``, in isort's order (constants,
        classes, then the rest)."""
        key = _isort_name_key(member)
        names = item.statement.names
        for imported in names:
            if _isort_name_key(imported.name) > key:
                row, col = self.start(imported.node)
                return Span(row, col, row, col), f"{member}, "
        row, col = self.end(names[-1].node)
        return Span(row, col, row, col), f", {member}"


def _merges(item: _Import, module: str) -> bool:
    """Whether a new ``from <module> import x`` joins this statement."""
    return not item.plain and item.module == module and not item.statement.wildcard and bool(item.statement.names)


def _is_docstring(node: Node) -> bool:
    return (
        node.type == "expression_statement"
        and node.named_child_count == 1
        and node.named_children[0].type in ("string", "concatenated_string")
    )


def _binds_or_reads(identifier: Node) -> bool:
    """False for an identifier that neither binds nor reads a name: a keyword argument's name, or the
    module of ``from httpx import Client`` (which binds nothing called httpx)."""
    parent = identifier.parent
    if parent is None:
        return True
    if parent.type == "keyword_argument" and same(parent.child_by_field_name("name"), identifier):
        return False
    owner = parent.parent
    return not (
        parent.type == "dotted_name"
        and owner is not None
        and owner.type == "import_from_statement"
        and same(owner.child_by_field_name("module_name"), parent)
    )
