"""Python's cyclic garbage collector held off while one document is analysed and judged.

Analysing a 4 MB API description allocates hundreds of thousands of objects, nearly all of them
freed by reference counting or kept as the document's analysis; almost none form cycles. Each such
burst makes the collector run its oldest generation, which walks every object alive, the analyses
of all other open documents included: with five of GitHub's descriptions open, collections took
66-73 of the 286-333 ms a sixth took from its text to its findings (in-process; 219 ms with the
pause). Holding the collector off for the burst leaves its survivors young, and the first young
collection after it walked all of them, then the next middle one again: 22,000-26,000 objects and
7-18 ms for GitHub's description in the server, a twentieth of its open. So a pause that ends with
:data:`PROMOTE_AT` young objects or more moves them all straight to the oldest generation (through
``gc.freeze``/``gc.unfreeze``, which nothing else here uses): they live as long as their document,
and only a full collection, far rarer, walks them. The price: a cycle made shortly before or during
such a pause waits for that full collection. Measured, analysing and judging the examples and
GitHub's descriptions makes none; the server's other work makes a few small ones (closures).

The pause covers one document, never a whole request: analysing a Python file can leave cyclic
garbage (tree-sitter's and the detector's), and a request that reads thousands of files must let
the collector run between them. The pause is counted, so that nested pauses and pauses in other
threads end together, and it never switches on a collector that was off before the first pause.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

PROMOTE_AT = 10_000
"""Young objects alive at the end of a pause from which they join the old ones unwalked."""

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def collection_paused() -> Iterator[None]:
    """Hold off automatic garbage collection for the block (a collection may still be asked for)."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                if gc.get_count()[0] >= PROMOTE_AT:
                    # Into the permanent generation and back out into the oldest: no collection
                    # walks the burst's survivors now, a full one will in time.
                    gc.freeze()
                    gc.unfreeze()
                gc.enable()
