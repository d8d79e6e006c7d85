"""What the OpenAPI walk of a JSON text found, kept by tree for the walk after an edit (`detect.json`).

After an edit, tree-sitter hands back unchanged subtrees of the previous tree as they were (same
node ids). Each pair the walk entered is remembered as a `Unit`: a pair that came back unchanged
under the same pointer leads to the same blocks as last time, moved to where the pair now starts.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from typing import NamedTuple

from tree_sitter import Tree

from http_status_ls.core.occurrences import ResponsesBlock, Span


class Unit(NamedTuple):
    """What one pair on the way to the responses objects led to: kept for the run after an edit.
    (A tuple: a big description has thousands of them, and a tuple is the cheapest to make.)"""

    parent: str
    """JSON pointer of the object holding the pair: with the same bytes, the same place."""
    length: int
    """Bytes from the start of the key to the end of the value."""
    start: tuple[int, int]
    """(line, code-point column) of the pair's start."""
    blocks: tuple[ResponsesBlock, ...]


Units = dict[int, Unit]
"""By node id of the pair."""


def moved(block: ResponsesBlock, old: tuple[int, int], new: tuple[int, int]) -> ResponsesBlock:
    """``block``, found in a pair that started at ``old`` and now starts at ``new`` with the same
    bytes: on the pair's first line every span moves with it, below only line numbers change."""
    if old == new:
        return block
    first = old[0]
    lines, columns = new[0] - first, new[1] - old[1]

    def move(span: Span) -> Span:
        return Span(
            span.start_line + lines,
            span.start_col + columns if span.start_line == first else span.start_col,
            span.end_line + lines,
            span.end_col + columns if span.end_line == first else span.end_col,
        )

    return replace(
        block,
        span=move(block.span),
        keys=tuple(
            replace(key, span=move(key.span), body_span=None if key.body_span is None else move(key.body_span))
            for key in block.keys
        ),
    )


@dataclass(slots=True)
class Memory:
    tree: Tree
    body: str
    found: Units


class Memories:
    """What each recent OpenAPI run found, by the tree it read, for the next run on that tree's edit.

    A memory holds its tree, so that node ids in it cannot come from a freed tree whose memory a
    new tree now uses. A memory is dropped once nothing but this table holds the tree (the document
    was closed or has moved on; CPython's reference count tells), and there are never more than
    a few, whatever the reference counts say."""

    SLOTS = 4

    def __init__(self) -> None:
        self._by_tree: dict[int, Memory] = {}

    def recall(self, tree: Tree | None, body: str) -> Units | None:
        memory = self._by_tree.get(id(tree)) if tree is not None else None
        if memory is None or memory.tree is not tree or memory.body != body:
            return None
        return memory.found

    def keep(self, tree: Tree, body: str, found: Units) -> None:
        self._by_tree.pop(id(tree), None)
        self._by_tree[id(tree)] = Memory(tree, body, found)
        while len(self._by_tree) > self.SLOTS:
            del self._by_tree[next(iter(self._by_tree))]

    def forget_unused(self) -> None:
        count = getattr(sys, "getrefcount", None)
        if count is None:
            return
        for key, memory in list(self._by_tree.items()):
            # Two references: the memory's own and the argument of getrefcount.
            if count(memory.tree) <= 2:
                del self._by_tree[key]

    def __len__(self) -> int:
        return len(self._by_tree)
