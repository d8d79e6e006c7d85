"""Benchmark the language server the way an editor drives it: over stdio, on real OpenAPI specs.

For each file of ``../shared/corpus/openapi`` (relative to the repository root) it starts a fresh
server process and measures, wall clock on the client side:

- open -> diagnostics: ``didOpen`` (already serialised) sent until its ``publishDiagnostics`` arrives,
  on a server that has finished starting; the median of ``--opens`` opens of the same text under
  different names; and the server's CPU time per open (the mean of all but the first, its clean-up
  included), which the machine's load moves less than the wall clock;
- spawn -> diagnostics: a fresh server process started, ``initialize`` answered and the file opened
  at once, until its diagnostics arrive (start-up and open together, as an editor sees them);
- hover: round trips on response keys spread over the file (median, p95);
- completion: round trips at response-key positions (median, p95);
- edit -> diagnostics: a one-character edit until the diagnostics of that version arrive (this
  includes the server's debounce), median, p95 and max, for five kinds of keystroke: a letter inside
  a description ("text"), a space after a key's colon ("struct"), the same two places given an
  opening quote that breaks the document ("text broken", "struct broken"; the quote is deleted again
  after each one, untimed, so every broken keystroke starts from a valid document), and a letter in
  an operation's summary or description ("prose", where people type most; `bench.edit_spots` finds
  the places);
- peak memory: the server process's peak resident set (``VmHWM``), Linux only.

The client is the hand-written JSON-RPC client the hardening tests use (``tests/support/wire.py``)
rather than an LSP library, so that what is timed is the server; it reads the server's output on a
thread of its own and stamps each answer as it arrives. Run it as a module from the repository root::

    python -m bench.bench_server            # every corpus file
    python -m bench.bench_server --quick    # petstore only, few iterations (used by a test)
    python -m bench.bench_server --json     # machine-readable results

The server is started with this interpreter and environment, so ``PYTHONPATH=DIR`` runs the copy
of ``http_status_ls`` in DIR instead. To compare two versions on a busy machine, ``--old DIR`` runs
each file with the copy in DIR (a tree holding ``server/``, e.g. made by ``git archive HEAD server
data | tar -x -C DIR``) and then with this one, and prints both, labelled "before" and "after";
several DIRs run one after the other, each labelled with its name::

    python -m bench.bench_server --old OLD_TREE --files stripe.spec3.yaml github.api.yaml
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tests.support.paths import CORPUS
from tests.support.wire import Notification, ServerProcess, frame

from bench.edit_spots import edit_position, key_positions, prose_position, structural_position

BIG_FILES = ("github.api.json", "github.api.yaml", "stripe.spec3.json", "stripe.spec3.yaml")
QUICK_FILES = ("petstore-expanded.yaml",)
GOALS = {
    "open_to_diagnostics_s": 0.5,
    "hover_median_ms": 10.0,
    "completion_median_ms": 10.0,
    "edit_json_ms": 50.0,
    "edit_yaml_ms": 30.0,
    "edit_yaml_p95_ms": 60.0,
    "peak_mb": 150.0,
}


@dataclass
class Result:
    file: str
    code: str = ""
    """Which copy of the server ran: "" alone, "before" or "after" with ``--old``."""
    size_mb: float = 0.0
    lines: int = 0
    open_to_diagnostics_s: float = 0.0
    """From ``didOpen`` to its diagnostics, on a server that has finished starting (see :func:`_ready`):
    the median of ``opens`` opens of the same text under different names."""
    opens: int = 0
    open_cpu_ms: float | None = None
    """The server's CPU time per open on a started server (user and system, the mean of the opens
    after the first), its clean-up after the diagnostics and the close included: less moved by the
    machine's load than the wall clock. None where it cannot be read (not Linux)."""
    spawn_to_diagnostics_s: float = 0.0
    """From starting a fresh server process to the diagnostics of a file opened right after
    ``initialize``: what an editor that opens the file and starts the server waits for."""
    diagnostics: int = 0
    hover_median_ms: float = 0.0
    hover_p95_ms: float = 0.0
    hovers: int = 0
    hover_hits: int = 0
    completion_median_ms: float = 0.0
    completion_p95_ms: float = 0.0
    completions: int = 0
    completion_items: int = 0
    edit_median_ms: float = 0.0
    edit_p95_ms: float = 0.0
    edit_max_ms: float = 0.0
    edits: int = 0
    structural_edit_median_ms: float = 0.0
    structural_edit_p95_ms: float = 0.0
    structural_edit_max_ms: float = 0.0
    broken_edit_median_ms: float = 0.0
    broken_edit_p95_ms: float = 0.0
    broken_edit_max_ms: float = 0.0
    broken_structural_edit_median_ms: float = 0.0
    broken_structural_edit_p95_ms: float = 0.0
    broken_structural_edit_max_ms: float = 0.0
    prose_edit_median_ms: float = 0.0
    """A letter typed in an operation's summary (`prose_position`); not among ``valid_timings``."""
    prose_edit_p95_ms: float = 0.0
    prose_edit_max_ms: float = 0.0
    peak_mb: float | None = None
    notes: list[str] = field(default_factory=list)
    valid_timings: list[float] = field(default_factory=list)
    """Every keystroke that left the text valid ("text" and "struct"), in ms."""
    broken_timings: list[float] = field(default_factory=list)
    """Every keystroke that broke it."""


def _diagnostics_for(uri: str, version: int) -> Callable[[Notification], bool]:
    """A test for the notification that publishes the diagnostics of ``uri`` at ``version``."""

    def matches(notification: Notification) -> bool:
        return (
            notification.method == "textDocument/publishDiagnostics"
            and notification.params["uri"] == uri
            and notification.params.get("version") == version
        )

    return matches


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def bench_file(
    path: Path, hovers: int, completions: int, edits: int, env: dict[str, str] | None = None, code: str = "", opens: int = 5
) -> Result:
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    json_file = path.suffix == ".json"
    result = Result(file=path.name, code=code, size_mb=round(len(text.encode()) / 1e6, 2), lines=len(lines))
    uri = path.resolve().as_uri()
    with ServerProcess("--stdio", keep_stdout=False, stderr_path=Path(os.devnull), env=env) as server:
        server.initialize(process_id=os.getpid(), resolve_documentation=True)

        language = "json" if json_file else "yaml"
        did_open = _did_open(uri, language, text)
        _ready(server)
        time.sleep(1.0)  # and let it finish what it does when idle after start (warm-ups, the index)
        started = time.perf_counter()
        server.send_raw(did_open)
        opened = server.wait_for(_diagnostics_for(uri, 1), 120)
        open_times = [opened.at - started]
        result.diagnostics = len(opened.params["diagnostics"])

        timings = []
        for line, col, length in key_positions(lines, hovers):
            answer = server.hover(uri, line, col + max(0, length // 2))
            timings.append(answer.seconds * 1000)
            result.hover_hits += answer.result is not None
        if timings:
            result.hovers = len(timings)
            result.hover_median_ms = round(statistics.median(timings), 2)
            result.hover_p95_ms = round(_percentile(timings, 0.95), 2)

        timings = []
        for line, col, _ in key_positions(lines, completions):
            answer = server.completion(uri, line, col)
            timings.append(answer.seconds * 1000)
            result.completion_items += len(answer.result["items"]) if answer.result else 0
        if timings:
            result.completions = len(timings)
            result.completion_median_ms = round(statistics.median(timings), 2)
            result.completion_p95_ms = round(_percentile(timings, 0.95), 2)

        version = 1
        text_spot, structure_spot = edit_position(lines, json_file), structural_position(lines, json_file)
        for prefix, (line, col), typed, broken in (
            ("", text_spot, "x", False),
            ("structural_", structure_spot, " ", False),
            ("broken_", text_spot, '"', True),
            ("broken_structural_", structure_spot, ' "', True),
            ("prose_", prose_position(lines, json_file), "x", False),
        ):
            timings = []
            for _ in range(edits):
                version += 1
                timings.append(_timed_edit(server, uri, version, line, col, typed))
                if broken:  # take the quote back, so that the next keystroke breaks a valid text again
                    version += 1
                    _timed_edit(server, uri, version, line, col, "", remove=len(typed))
                else:
                    col += len(typed)
                time.sleep(0.05)  # an editor's keystrokes are apart; do not measure a burst
            if prefix != "prose_":
                (result.broken_timings if broken else result.valid_timings).extend(round(t, 1) for t in timings)
            if timings:
                result.edits = len(timings)
                setattr(result, f"{prefix}edit_median_ms", round(statistics.median(timings), 1))
                setattr(result, f"{prefix}edit_p95_ms", round(_percentile(timings, 0.95), 1))
                setattr(result, f"{prefix}edit_max_ms", round(max(timings), 1))
        result.peak_mb = round((server.memory_mb() or (0.0, 0.0))[1], 1) or None
        server.shutdown()
    # One open is one sample of a noisy machine: a second process times start-up and open together,
    # then opens the same text under other names (a fresh analysis each time); the median of all the
    # opens on a started server is reported. (Its memory is not counted: that is the first process's.)
    result.spawn_to_diagnostics_s, more, cpu = _spawn_and_opens(path, language, text, did_open, opens - 1, env)
    open_times += more
    result.open_cpu_ms = round(cpu / len(more) * 1000, 1) if cpu is not None and more else None
    result.open_to_diagnostics_s = round(statistics.median(open_times), 3)
    result.opens = len(open_times)
    return result


def _did_open(uri: str, language: str, text: str) -> bytes:
    """The ``didOpen`` frame, serialised before any clock starts: the editor's JSON encoding is not
    the server's time."""
    document = {"uri": uri, "languageId": language, "version": 1, "text": text}
    return frame({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": document}})


def _timed_open(server: ServerProcess, uri: str, did_open: bytes) -> float:
    """Seconds from sending ``did_open`` to its diagnostics."""
    started = time.perf_counter()
    server.send_raw(did_open)
    return server.wait_for(_diagnostics_for(uri, 1), 120).at - started


def _ready(server: ServerProcess) -> None:
    """Wait until the server has loaded everything it loads after answering ``initialize`` (it may
    answer that first, see ``lsp/startup.py``): a hover on a document it does not have is answered
    only then. Without this, "open -> diagnostics" would also time the rest of the start-up."""
    server.hover("file:///bench-ready-probe.yaml", 0, 0)


def _spawn_and_opens(
    path: Path, language: str, text: str, did_open: bytes, opens: int, env: dict[str, str] | None
) -> tuple[float, list[float], float | None]:
    """Seconds from starting a fresh server to the diagnostics of ``did_open``, sent at once after
    ``initialize`` as an editor does; then the seconds of ``opens`` more opens of the same text under
    other names, once the server has started, each closed after its diagnostics and given 0.2 s to
    clean up (so that the garbage collection after one is not timed in the next); and the CPU
    seconds the server used for those opens, clean-ups included (None where it cannot be read)."""
    uri = path.resolve().as_uri()
    started = time.perf_counter()
    with ServerProcess("--stdio", keep_stdout=False, stderr_path=Path(os.devnull), env=env) as server:
        server.initialize(process_id=os.getpid(), resolve_documentation=True)
        server.send_raw(did_open)
        opened = server.wait_for(_diagnostics_for(uri, 1), 120)
        time.sleep(1.0)
        times = []
        cpu: float | None = 0.0
        for copy in range(opens):
            other = (path.parent / f"bench-copy-{copy}" / path.name).as_uri()
            frame_of_open = _did_open(other, language, text)
            before = server.cpu_seconds()
            times.append(_timed_open(server, other, frame_of_open))
            server.close_document(other)
            time.sleep(0.2)
            after = server.cpu_seconds()
            cpu = None if cpu is None or before is None or after is None else cpu + after - before
        server.shutdown()
    return round(opened.at - started, 3), times, cpu


def _timed_edit(server: ServerProcess, uri: str, version: int, line: int, col: int, typed: str, remove: int = 0) -> float:
    """Milliseconds from sending one change until the diagnostics of its version arrive."""
    start = {"line": line, "character": col}
    end = {"line": line, "character": col + remove}
    started = time.perf_counter()
    server.change(uri, version, [{"range": {"start": start, "end": end}, "text": typed}])
    arrived = server.wait_for(_diagnostics_for(uri, version), 60)
    return (arrived.at - started) * 1000


def _verdicts(result: Result) -> list[str]:
    misses = []
    big = result.size_mb >= 2
    if big and result.open_to_diagnostics_s > GOALS["open_to_diagnostics_s"]:
        misses.append("open->diagnostics")
    if result.hover_median_ms > GOALS["hover_median_ms"]:
        misses.append("hover")
    if result.completion_median_ms > GOALS["completion_median_ms"]:
        misses.append("completion")
    edit_goal = GOALS["edit_json_ms"] if result.file.endswith(".json") else GOALS["edit_yaml_ms"]
    if result.edit_median_ms > edit_goal:
        misses.append("edit->diagnostics")
    if result.structural_edit_median_ms > edit_goal:
        misses.append("structural edit->diagnostics")
    if max(result.broken_edit_median_ms, result.broken_structural_edit_median_ms) > edit_goal:
        misses.append("broken edit->diagnostics")
    if result.prose_edit_median_ms > edit_goal:
        misses.append("prose edit->diagnostics")
    if not result.file.endswith(".json"):
        for kind, timings in (("valid", result.valid_timings), ("broken", result.broken_timings)):
            if timings and _percentile(timings, 0.95) > GOALS["edit_yaml_p95_ms"]:
                misses.append(f"{kind} edit p95")
    if result.peak_mb and result.peak_mb > GOALS["peak_mb"]:
        misses.append("peak memory")
    return misses


def _label(result: Result) -> str:
    return f"{result.file} ({result.code})" if result.code else result.file


def print_table(results: list[Result]) -> None:
    header = (
        f"{'file':40} {'MB':>4} {'open->diag':>10} {'open CPU':>9} {'spawn->diag':>11} {'hover med/p95':>14} {'hits':>7}"
        f" {'compl med/p95':>14} {'peak MB':>7}  goals"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        misses = _verdicts(r)
        print(
            f"{_label(r):40} {r.size_mb:4.1f} {r.open_to_diagnostics_s:9.3f}s {_cpu_cell(r.open_cpu_ms)} {r.spawn_to_diagnostics_s:10.3f}s "
            f"{r.hover_median_ms:6.2f}/{r.hover_p95_ms:<7.2f} {r.hover_hits:3d}/{r.hovers:<3d} "
            f"{r.completion_median_ms:6.2f}/{r.completion_p95_ms:<7.2f} "
            f"{r.peak_mb or float('nan'):7.1f}  " + ("ok" if not misses else "MISSED: " + ", ".join(misses))
        )
    print(f"\nedit -> diagnostics, ms (median/p95/max of {results[0].edits if results else 0} keystrokes each)")
    header = (
        f"{'file':40} {'valid: text':>20} {'valid: struct':>20} {'broken: text':>20} {'broken: struct':>20}"
        f" {'valid: all':>20} {'broken: all':>20} {'valid: prose':>20}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        cells = []
        for prefix in ("", "structural_", "broken_", "broken_structural_"):
            median, p95, worst = (getattr(r, f"{prefix}edit_{what}_ms") for what in ("median", "p95", "max"))
            cells.append(f"{median:.1f}/{p95:.1f}/{worst:.1f}".rjust(20))
        for timings in (r.valid_timings, r.broken_timings):
            cells.append(_summary(timings).rjust(20))
        cells.append(f"{r.prose_edit_median_ms:.1f}/{r.prose_edit_p95_ms:.1f}/{r.prose_edit_max_ms:.1f}".rjust(20))
        print(f"{_label(r):40} " + " ".join(cells))
    print(
        "\n(times in ms unless marked; open->diag on a server that has finished starting, open CPU the server's CPU "
        "time per open there (mean, its clean-up included), spawn->diag from "
        "starting a fresh server to the diagnostics of a file opened right after initialize; hovers on response-key lines spread over the file, hits = hovers that "
        "answered; completions at response-key positions; edits are 50 ms apart: 'text' a letter inside a "
        "description, 'struct' a space after a key's colon, 'broken' an opening quote at the same places, 'prose' a "
        "letter in an operation's summary (not in 'valid: all'); goals: "
        "open->diagnostics < 0.5 s on the 4 MB specs, hover/completion medians < 10 ms, edit->diagnostics "
        "medians < 50 ms JSON / 30 ms YAML and p95 < 60 ms YAML, peak < 150 MB)"
    )


def _cpu_cell(milliseconds: float | None) -> str:
    return f"{milliseconds:7.0f}ms" if milliseconds is not None else f"{'n/a':>9}"


def _summary(timings: list[float]) -> str:
    if not timings:
        return "-"
    return f"{statistics.median(timings):.1f}/{_percentile(timings, 0.95):.1f}/{max(timings):.1f}"


def run(args: argparse.Namespace) -> list[Result]:
    corpus = Path(args.corpus)
    names = args.files or (QUICK_FILES if args.quick else (*BIG_FILES, *QUICK_FILES))
    copies: list[tuple[str, dict[str, str] | None]] = [("", None)]
    if args.old:
        copies = []
        for old in args.old:
            old_server = Path(old).resolve() / "server"
            if not old_server.is_dir():
                raise SystemExit(f"bench_server: no server/ in {old}")
            label = "before" if len(args.old) == 1 else f"before: {Path(old).name}"
            copies.append((label, {"PYTHONPATH": str(old_server)}))
        copies.append(("after", None))
    results = []
    for name in names:
        path = corpus / name
        if not path.is_file():
            print(f"skipping {name}: not in {corpus}", file=sys.stderr)
            continue
        for code, env in copies:  # one file at a time, both copies, so both see the same load
            results.append(bench_file(path, args.hovers, args.completions, args.edits, env, code, args.opens))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=str(CORPUS), help="directory of OpenAPI files (default: %(default)s)")
    parser.add_argument("--quick", action="store_true", help="petstore only, few iterations")
    parser.add_argument("--files", nargs="*", help="file names inside the corpus directory")
    parser.add_argument("--hovers", type=int, default=200)
    parser.add_argument("--completions", type=int, default=50)
    parser.add_argument("--edits", type=int, default=20, help="keystrokes of each kind")
    parser.add_argument("--opens", type=int, default=5, help="opens of each file, the median reported")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--old", nargs="+", help="trees holding server/ of other versions, each run before this one on each file")
    args = parser.parse_args(argv)
    if args.quick:
        args.hovers, args.completions, args.edits = min(args.hovers, 20), min(args.completions, 5), min(args.edits, 3)
        args.opens = min(args.opens, 2)
    if not Path(args.corpus).is_dir():
        print(f"bench_server: no corpus at {args.corpus}", file=sys.stderr)
        return 2
    results = run(args)
    if args.json:
        print(json.dumps([asdict(r) for r in results], indent=2))
    else:
        print_table(results)
    return 0 if results else 2


if __name__ == "__main__":
    raise SystemExit(main())
