"""How big hovers are: the size distribution of the hover text over every number the knowledge base
knows (each status code, unofficial ones included, and the numbers that are not status codes).

Each number is hovered as a client would meet it:

* ``python``: a literal, ``abort(404)``, in a file that imports ``from http import HTTPStatus``;
* ``yaml``: an OpenAPI 3 response key, ``'404':``.

and with each ``hover.verbosity``: the ``short`` card and the ``full`` text. For each it prints the
median, the 95th percentile and the largest hover, in characters as displayed (what the card budget
counts: link addresses and Markdown markup hidden, as Neovim, Eglot and VS Code hide them), in
characters as sent, and in lines.

``--ref REF`` measures a committed version instead of the working tree: its ``server/`` and ``data/``
are extracted from git into a temporary directory and hovered there, in a child process; the
figures are computed here, the same way for both. A version before the card only has the full text.

Run it from the repository root::

    python -m bench.hover_sizes [--ref HEAD]
"""

from __future__ import annotations

import argparse
import inspect
import json
import math
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CONTEXTS = ("python", "yaml")
VERBOSITIES = ("short", "full")


def hover_texts() -> dict[str, dict[str, list[str]]]:
    """Every number's hover text by verbosity and context, from whichever ``http_status_ls`` is
    importable (the working tree, or a version extracted by :func:`_texts_at`)."""
    from lsprotocol.types import MarkupContent

    from http_status_ls.core.occurrences import Analysis, Detection, Kind, Occurrence, Span
    from http_status_ls.features.hover import hover
    from http_status_ls.kb import registry

    reg = registry.load()
    numbers = [entry.code for entry in reg.entries] + [int(item.code) for item in reg.not_status_codes]
    supported = inspect.signature(hover).parameters
    verbosities = [v for v in VERBOSITIES if "verbosity" in supported] or ["full"]

    def occurrence(code: int, context: str) -> Occurrence:
        written = f"{code:03d}"
        if context == "python":
            return Occurrence(span=Span(0, 6, 0, 6 + len(written)), kind=Kind.LITERAL, text=written, code=code, context="abort()")
        return Occurrence(
            span=Span(0, 2, 0, 4 + len(written)),
            kind=Kind.RESPONSE_KEY,
            text=f"'{written}'",
            code=code,
            context="responses",
            value=written,
            quoted=True,
        )

    def text(code: int, context: str, verbosity: str) -> str:
        detection = Detection(
            occurrences=(occurrence(code, context),),
            openapi="3.0.3" if context == "yaml" else None,
            namespaces={"HTTPStatus": "http.HTTPStatus"} if context == "python" else {},
        )
        analysis = Analysis(
            uri=f"file:///bench.{'py' if context == 'python' else 'yaml'}", version=1, language=context, detection=detection
        )
        options: dict[str, Any] = {"verbosity": verbosity} if "verbosity" in supported else {}
        result = hover(analysis, 0, 7, **options)
        contents = result.contents if result is not None else None
        return contents.value if isinstance(contents, MarkupContent) else ""

    return {v: {c: [text(code, c, v) for code in numbers] for c in CONTEXTS} for v in verbosities}


def _texts_at(ref: str) -> dict[str, dict[str, list[str]]]:
    """:func:`hover_texts` of a committed version, hovered in a child process."""
    with tempfile.TemporaryDirectory(prefix="hover-sizes-") as tmp:
        archive = subprocess.run(["git", "archive", ref, "server", "data"], cwd=REPO, capture_output=True, check=True).stdout
        archive_path = Path(tmp) / "tree.tar"
        archive_path.write_bytes(archive)
        with tarfile.open(archive_path) as tar:
            # Extraction filters arrived in a 3.10 patch release; the archive is git's own either way.
            if hasattr(tarfile, "data_filter"):
                tar.extractall(tmp, filter="data")
            else:
                tar.extractall(tmp)  # noqa: S202
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(tmp) / "server"), str(REPO)])}
        child = subprocess.run(
            [sys.executable, "-m", "bench.hover_sizes", "--dump"], cwd=tmp, env=env, capture_output=True, text=True, check=True
        )
        return json.loads(child.stdout)


def _percentile(values: list[int], fraction: float) -> int:
    """Nearest rank: the smallest value at or above ``fraction`` of them."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def _stats(values: list[int]) -> str:
    return f"{statistics.median(values):>6g} {_percentile(values, 0.95):>5} {max(values):>5}"


def report(texts: dict[str, dict[str, list[str]]], displayed: Callable[[str], str], label: str) -> str:
    count = len(next(iter(next(iter(texts.values())).values())))
    lines = [
        f"hover sizes, {label}: {count} numbers (every code, unofficial ones included, and the not-status numbers)",
        f"{'':17} {'displayed chars':>17}   {'chars as sent':>17}   {'lines':>17}",
        f"{'verbosity context':17} {'median   p95   max':>17}   {'median   p95   max':>17}   {'median   p95   max':>17}",
    ]
    for verbosity, by_context in texts.items():
        for context, hovers in by_context.items():
            shown = [len(displayed(text)) for text in hovers]
            sent = [len(text) for text in hovers]
            heights = [text.count("\n") + 1 for text in hovers]
            lines.append(f"{verbosity:9} {context:7} {_stats(shown)}   {_stats(sent)}   {_stats(heights)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ref", help="measure this committed version (e.g. HEAD) instead of the working tree")
    parser.add_argument("--dump", action="store_true", help=argparse.SUPPRESS)  # the child of --ref
    args = parser.parse_args(argv)
    if args.dump:
        json.dump(hover_texts(), sys.stdout)
        return 0
    # Both versions are measured with the working tree's idea of what a reader sees.
    from http_status_ls.features.render import displayed

    if args.ref:
        print(report(_texts_at(args.ref), displayed, f"git {args.ref}"))
    else:
        print(report(hover_texts(), displayed, "working tree"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
