"""Soak benchmark: a long editing session on a big spec, and ``check`` over a big workspace.

1. Edit storms. One server process, one document (by default the Stripe OpenAPI description in
   YAML, 4 MB, from ``../shared/corpus/openapi``), 10,000 edits sent as storms of back-to-back
   keystrokes: typing and deleting inside descriptions, and now and then turning a response key
   ``'200'`` into ``'420'`` and back, so the diagnostics change. After each storm the client waits for
   the diagnostics of the storm's last version; the wait, from the last edit sent, is the
   convergence time. The server's resident memory (VmRSS) is sampled after every storm and must
   not grow without bound. At the end the diagnostics must equal those of the final text opened
   fresh (10,000 edits later, the server's text is still the editor's).
2. Big workspace. ``http-status-ls check --jobs 1`` and ``--jobs 0`` over a generated tree of
   10,000 Python, YAML and JSON files: wall time and the peak resident set of the checker and its
   workers.

The server is driven through the hand-written client the hardening tests use
(``tests/support/wire.py``), so run it as a module from the repository root::

    python -m bench.bench_soak                 # 10,000 edits, 10,000 files
    python -m bench.bench_soak --quick         # 300 edits on petstore, 500 files
    python -m bench.bench_soak --json          # figures as JSON
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tests.support.lsp_positions import units
from tests.support.paths import CORPUS
from tests.support.wire import ServerProcess
from tests.support.workspace_tree import generate, run_check

GROWTH_GOAL_MB = 10.0
"""Mean memory over the last quarter of the session may exceed the mean over the second quarter
(after the warm-up, while the allocator finds its working set) by at most this much."""


@dataclass
class Soak:
    file: str
    size_mb: float
    edits: int
    storms: int
    encoding: str
    open_to_diagnostics_s: float = 0.0
    converge_median_ms: float = 0.0
    converge_p95_ms: float = 0.0
    converge_max_ms: float = 0.0
    send_rate_per_s: float = 0.0
    publishes: int = 0
    rss_mb: list[float] = field(default_factory=list)
    rss_growth_mb: float = 0.0
    peak_mb: float = 0.0
    final_matches_fresh: bool = False
    seconds: float = 0.0


@dataclass
class Workspace:
    files: int
    size_mb: float
    jobs: int
    seconds: float
    files_per_s: float
    peak_mb: float
    problems: int


class Editor:
    """The document as the editor has it, and the edits it sends (positions in the client's units)."""

    def __init__(self, text: str, encoding: str, seed: int = 7):
        self.lines = text.split("\n")  # the spec has \n line breaks only
        self.encoding = encoding
        self.rng = random.Random(seed)
        self.descriptions = [i for i, line in enumerate(self.lines) if re.search(r"description: [A-Za-z]", line)]
        self.keys = [i for i, line in enumerate(self.lines) if re.fullmatch(r"\s+'200':", line)]
        self.typed: list[tuple[int, int]] = []  # (line, column) of characters typed and not yet deleted
        self.flipped: int | None = None  # the line of a '200' turned into '420', if any

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def _position(self, line: int, column: int) -> dict:
        return {"line": line, "character": units(self.lines[line][:column], self.encoding)}

    def _replace(self, line: int, start: int, end: int, new: str) -> dict:
        change = {"range": {"start": self._position(line, start), "end": self._position(line, end)}, "text": new}
        self.lines[line] = self.lines[line][:start] + new + self.lines[line][end:]
        return change

    def keystroke(self) -> dict:
        """Typing (a letter, sometimes an accent or an emoji) or deleting what was typed. The session
        is stationary: what is typed is deleted again (at most 200 characters stand at any time)
        and a flipped response key is flipped back, so memory has no reason to grow."""
        roll = self.rng.random()
        if self.keys and roll < 0.02:
            line = self.flipped if self.flipped is not None else self.rng.choice(self.keys)
            self.flipped = None if self.flipped is not None else line
            column = self.lines[line].index("'") + 1
            return self._replace(line, column, column + 3, "200" if self.lines[line].strip() == "'420':" else "420")
        if self.typed and (roll < 0.45 or len(self.typed) >= 200):
            line, column = self.typed.pop()
            return self._replace(line, column, column + 1, "")
        if self.typed and roll < 0.9:
            line, column = self.typed[-1]
            column += 1
        else:
            line = self.rng.choice(self.descriptions)
            column = len(self.lines[line])
        character = self.rng.choice("abcdefghij é🎉")
        self.typed.append((line, column))
        return self._replace(line, column, column, character)


def soak(path: Path, edits: int, storm: int, encoding: str) -> Soak:
    text = path.read_text(encoding="utf-8")
    result = Soak(file=path.name, size_mb=round(len(text.encode()) / 1e6, 2), edits=edits, storms=0, encoding=encoding)
    editor = Editor(text, encoding)
    uri = path.resolve().as_uri()
    fresh_uri = uri + "#fresh"
    started = time.perf_counter()
    with ServerProcess("--stdio", keep_stdout=False, stderr_path=Path(os.devnull)) as server:
        server.initialize(encoding=encoding)
        time.sleep(0.3)  # the parsers warm up after `initialized`
        opened = time.perf_counter()
        server.open(uri, "yaml", text)
        server.diagnostics(uri, 1, timeout=120)
        result.open_to_diagnostics_s = round(time.perf_counter() - opened, 3)
        convergence: list[float] = []
        version = 1
        sent_seconds = 0.0
        while version - 1 < edits:
            count = min(storm, edits - (version - 1))
            burst_started = time.perf_counter()
            for _ in range(count):
                version += 1
                server.change(uri, version, [editor.keystroke()])
            sent = time.perf_counter()
            sent_seconds += sent - burst_started
            server.diagnostics(uri, version, timeout=120)
            convergence.append((time.perf_counter() - sent) * 1000)
            result.storms += 1
            result.rss_mb.append(round((server.memory_mb() or (0.0, 0.0))[0], 1))
            # Only the newest publishes matter from here on; keep the client's own memory flat too.
            dropped = server.forget_notifications(keep=1)
            result.publishes += sum(1 for n in dropped if n.method == "textDocument/publishDiagnostics")
        result.publishes += 1
        mine, _ = server.diagnostics(uri, version)
        server.open(fresh_uri, "yaml", editor.text)
        theirs, _ = server.diagnostics(fresh_uri, 1, timeout=120)
        strip = lambda items: [(i["range"], i["code"], i["message"]) for i in items]  # noqa: E731
        result.final_matches_fresh = strip(mine) == strip(theirs)
        result.peak_mb = round((server.memory_mb() or (0.0, 0.0))[1], 1)
        server.shutdown(timeout=30)
    result.seconds = round(time.perf_counter() - started, 1)
    result.converge_median_ms = round(statistics.median(convergence), 1)
    result.converge_p95_ms = round(sorted(convergence)[int(0.95 * (len(convergence) - 1))], 1)
    result.converge_max_ms = round(max(convergence), 1)
    result.send_rate_per_s = round(edits / sent_seconds) if sent_seconds else 0.0
    samples, quarter = result.rss_mb, max(1, len(result.rss_mb) // 4)
    second, last = samples[quarter : 2 * quarter] or samples, samples[-quarter:]
    result.rss_growth_mb = round(statistics.mean(last) - statistics.mean(second), 1)
    return result


def workspace(files: int, jobs: int) -> Workspace:
    with tempfile.TemporaryDirectory(prefix="http-status-soak-") as directory:
        size = generate(Path(directory), files)
        run = run_check([directory], jobs)
        problems = len(json.loads(run.stdout)) if run.stdout.strip() else 0
    return Workspace(
        files, round(size / 1e6, 1), jobs, round(run.seconds, 2), round(files / run.seconds), round(run.peak_mb, 1), problems
    )


def print_soak(result: Soak) -> None:
    samples = result.rss_mb
    shown = samples if len(samples) <= 12 else [samples[int(i * (len(samples) - 1) / 11)] for i in range(12)]
    verdict = "bounded" if result.rss_growth_mb < GROWTH_GOAL_MB else "GROWING"
    print(
        f"\nEdit storms: {result.file} ({result.size_mb} MB), {result.edits:,} edits in {result.storms} storms, "
        f"positions in {result.encoding}, {result.seconds} s in all"
    )
    print(f"  open -> diagnostics       {result.open_to_diagnostics_s:.3f} s")
    print(f"  edits sent at             {result.send_rate_per_s:,.0f} per second")
    print(
        f"  convergence after a storm median {result.converge_median_ms:.0f} ms, p95 {result.converge_p95_ms:.0f} ms, "
        f"max {result.converge_max_ms:.0f} ms (from the storm's last edit to its diagnostics)"
    )
    print(f"  diagnostics pushed        {result.publishes} for {result.edits:,} edits (debounced)")
    print(f"  VmRSS over the session    {' '.join(f'{mb:.0f}' for mb in shown)} MB")
    print(
        f"  growth                    {result.rss_growth_mb:+.1f} MB from the second quarter of the session to the last "
        f"({verdict}; goal < {GROWTH_GOAL_MB:.0f} MB); peak {result.peak_mb:.0f} MB"
    )
    print(f"  final diagnostics equal a fresh open of the final text: {'yes' if result.final_matches_fresh else 'NO'}")


def print_workspace(results: list[Workspace]) -> None:
    if not results:
        return
    print(f"\ncheck over a generated workspace ({results[0].files:,} files, {results[0].size_mb} MB):")
    for r in results:
        print(
            f"  --jobs {r.jobs}  {r.seconds:6.2f} s  {r.files_per_s:6,} files/s  peak {r.peak_mb:5.1f} MB (largest process)  "
            f"{r.problems:,} problems"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--file", default=str(CORPUS / "stripe.spec3.yaml"), help="the YAML document to edit (default: %(default)s)"
    )
    parser.add_argument("--edits", type=int, default=10_000)
    parser.add_argument("--storm", type=int, default=100, help="edits per storm (default %(default)s)")
    parser.add_argument("--encoding", default="utf-16", choices=["utf-16", "utf-8"])
    parser.add_argument("--files", type=int, default=10_000, help="files in the generated workspace (0: skip)")
    parser.add_argument("--quick", action="store_true", help="300 edits on petstore and 500 files (a smoke test)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if args.quick:
        args.file, args.edits, args.storm, args.files = str(CORPUS / "petstore-expanded.yaml"), 300, 50, 500
    path = Path(args.file)
    soaked = None
    if path.is_file():
        soaked = soak(path, args.edits, args.storm, args.encoding)
    else:
        print(
            f"bench_soak: {path} is absent (the corpus lives next to the repository as ../shared/corpus); edit storms skipped",
            file=sys.stderr,
        )
    checked = [workspace(args.files, jobs) for jobs in (1, 0)] if args.files else []
    if args.json:
        print(json.dumps({"soak": asdict(soaked) if soaked else None, "workspace": [asdict(r) for r in checked]}, indent=2))
    else:
        if soaked:
            print_soak(soaked)
        print_workspace(checked)
    failed = soaked is not None and (not soaked.final_matches_fresh or soaked.rss_growth_mb >= GROWTH_GOAL_MB)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
