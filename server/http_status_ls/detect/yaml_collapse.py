"""The pre-scanned text as libyaml reads it fastest: the blanked lines without their spaces.

The pre-scan (see `yaml_prune`) turns most of a large API description into lines of spaces, and
libyaml still steps through every one of those spaces: on Stripe's spec that is most of its reading
time. Here the blanked lines keep only their line breaks. Line numbers do not change, nor does any
column on a line that still has content, so every event reads the same; only character indexes
move, and `Collapsed.original` gives them back. The text is handed to libyaml as UTF-8 bytes, which
also spares it encoding the text once more (PyYAML hands a ``str`` to libyaml as its UTF-8 bytes, so
libyaml reads the same input either way).

Why the events cannot change: a blanked region is the value of a key that ends its line, made of
whole lines that hold nothing but spaces once blanked, and libyaml reads a line of spaces where a
block value may start as it reads an empty one. A blanked last line with no line break after it
keeps its spaces, so that the end of the text stays where it was (errors are reported there).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from http_status_ls.detect.yaml_prune import Pruned

_ALL_BUT_BREAKS = bytes(b for b in range(256) if b not in (0x0A, 0x0D))
_CONTINUATION_BYTES = bytes(range(0x80, 0xC0))
_SPACES_AND_BREAKS = bytes(b if b in (0x0A, 0x0D) else 0x20 for b in range(256))


@dataclass(frozen=True, slots=True)
class Collapsed:
    """The UTF-8 text libyaml reads, and what was taken out of it."""

    data: bytes
    ends: list[int]
    """For each collapsed region, the character index in ``data`` right after it."""
    removed: list[int]
    """For each collapsed region, the characters taken out up to and including it."""

    def original(self, index: int) -> int:
        """The index in the pre-scanned text of the character at ``index`` in ``data`` (outside
        the collapsed regions, where every mark the walk uses lies)."""
        before = bisect.bisect_right(self.ends, index)
        return index + self.removed[before - 1] if before else index


def collapse(pruned: Pruned) -> Collapsed | None:
    """``pruned``'s text with its blanked lines emptied, as UTF-8; None when nothing was blanked."""
    source = pruned.source
    if not pruned.regions:
        return None
    ascii = source.isascii()
    carriage_returns = b"\r" in source
    pieces: list[bytes] = []
    ends: list[int] = []
    removed: list[int] = []
    characters = 0  # in the collapsed text so far
    taken = 0
    previous = 0
    # One turn per region, thousands of them in a large spec: the work per turn is kept small.
    for region in pruned.regions.values():
        start, end = region.start, region.end
        kept = source[previous:start]
        pieces.append(kept)
        characters += len(kept) if ascii or kept.isascii() else _characters(kept)
        # A region ends after a line break, or at the end of the text.
        cut = end if source[end - 1] == 0x0A else max(start, source.rfind(b"\n", start, end) + 1)
        if cut > start:
            if carriage_returns and source.find(b"\r", start, cut) >= 0:
                breaks = source[start:cut].translate(None, _ALL_BUT_BREAKS)
            else:
                breaks = b"\n" * source.count(b"\n", start, cut)
            pieces.append(breaks)
            characters += len(breaks)
            taken += (cut - start if ascii else _characters(source[start:cut])) - len(breaks)
            ends.append(characters)
            removed.append(taken)
        if cut < end:
            tail = source[cut:end].translate(_SPACES_AND_BREAKS, _CONTINUATION_BYTES)
            pieces.append(tail)
            characters += len(tail)
        previous = end
    pieces.append(source[previous:])
    return Collapsed(b"".join(pieces), ends, removed)


def _characters(data: bytes) -> int:
    """How many characters the UTF-8 ``data`` holds."""
    return len(data.translate(None, _CONTINUATION_BYTES))
