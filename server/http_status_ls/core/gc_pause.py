"""Python's cyclic garbage collector held off while one document is analysed and judged.

Analysing a 4 MB API description allocates hundreds of thousands of objects, nearly all of them
freed by reference counting or kept as the document's analysis; almost none form cycles. Each such
burst makes the collector run its oldest generation, which walks every object alive, the analyses
of all other open documents included: with five of GitHub's descriptions open, collections took
66-73 of the 286-333 ms a sixth took from its text to its findings (in-process; 219 ms with the
pause). Holding the collector off for the burst costs one collection of the young objects when it
ends, and any cycle made meanwhile lives a few milliseconds longer.

The pause covers one document, never a whole request: analysing a Python file leaves some cyclic
garbage (tree-sitter's and the detector's), and a request that reads thousands of files must let
the collector run between them. The pause is counted, so that nested pauses and pauses in other
threads end together, and it never switches on a collector that was off before the first pause.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

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
                gc.enable()
