"""The tree-sitter-python grammar and parser, and what every reader of a tree needs: the bytes it was
parsed from, node texts, and node spans in code points.

tree-sitter columns are bytes; :meth:`ParsedText.span` converts them, so no byte column leaves the
detector.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import tree_sitter
import tree_sitter_python

from http_status_ls.core.occurrences import Span

if TYPE_CHECKING:
    from http_status_ls.detect.python.project_calls import CallTable

PYTHON = tree_sitter.Language(tree_sitter_python.language())
_PARSER = tree_sitter.Parser(PYTHON)

Node = tree_sitter.Node
Tree = tree_sitter.Tree


def parse(source: bytes, old_tree: Tree | None = None) -> Tree:
    """The tree of ``source``; ``old_tree`` (already edited by the caller) makes the parse incremental."""
    return _PARSER.parse(source, old_tree) if old_tree is not None else _PARSER.parse(source)


def source_bytes(text: str) -> bytes:
    """The bytes tree-sitter reads for ``text``."""
    # Lone surrogates survive the round trip; a lone CR ends a line for LSP clients, so it ends one
    # for tree-sitter too (same byte length, so offsets do not move).
    source = text.encode("utf-8", "surrogatepass")
    if b"\r" in source:
        source = re.sub(rb"\r(?!\n)", b"\n", source)
    return source


def same(a: Node | None, b: Node | None) -> bool:
    """Whether two handles denote the same node (tree-sitter makes a new handle on every access)."""
    return a is not None and b is not None and a.start_byte == b.start_byte and a.end_byte == b.end_byte and a.type == b.type


class ParsedText:
    """One text and its tree: node texts and spans."""

    def __init__(self, source: bytes, tree: Tree):
        self.source = source
        self.ascii = source.isascii()
        """Whether every byte is ASCII, so byte columns are code-point columns (asked once per text)."""
        self.root = tree.root_node
        self.speaks_http = False
        """Whether the file's imports show it is HTTP code (and speak no other protocol with
        three-digit codes): loose names such as ``code`` count as statuses only then."""
        self.speaks_other_protocol = False
        """Whether the file imports a library of a protocol with three-digit replies (SMTP, FTP)."""
        self.modules: tuple[str, ...] = ()
        """The dotted modules the file imports, once the reader has read its imports."""
        self.calls: CallTable | None = None
        """The project's callables that take a status, as this file reaches them (:mod:`.project_calls`)."""

    def column(self, byte: int, byte_column: int) -> int:
        """The code-point column of the byte at ``byte``, whose byte column is ``byte_column``."""
        if self.ascii:
            return byte_column
        line_start = byte - byte_column
        prefix = self.source[line_start:byte]
        if prefix.isascii():
            return byte_column
        return len(prefix.decode("utf-8", "surrogatepass"))

    def span(self, node: Node) -> Span:
        start, end = node.start_point, node.end_point
        return Span(start.row, self.column(node.start_byte, start.column), end.row, self.column(node.end_byte, end.column))

    def text(self, node: Node) -> str:
        return self.source[node.start_byte : node.end_byte].decode("utf-8", "surrogatepass")

    def callee(self, call: Node) -> str:
        """The called name: ``abort`` for ``abort(...)`` and ``flask.abort(...)``, '' for anything else."""
        function = call.child_by_field_name("function")
        if function is None:
            return ""
        if function.type == "identifier":
            return self.text(function)
        if function.type == "attribute":
            attribute = function.child_by_field_name("attribute")
            return self.text(attribute) if attribute is not None else ""
        return ""

    def string_content(self, node: Node) -> str | None:
        """The text of a plain string literal (``'abc'`` -> ``abc``); None for anything else."""
        if node.type != "string":
            return None
        contents = [child for child in node.named_children if child.type != "string_start" and child.type != "string_end"]
        if len(contents) != 1 or contents[0].type != "string_content":
            return None
        return self.text(contents[0])

    def string_key(self, subscript: Node) -> str | None:
        """The key of ``x["key"]``, None unless it is one plain string."""
        keys = subscript.children_by_field_name("subscript")
        if len(keys) != 1:
            return None
        return self.string_content(keys[0])
