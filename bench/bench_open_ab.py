"""Compare the open -> diagnostics time of two or more versions of the server, taken in turns.

``bench_server --old`` runs each version's server one after the other, seconds apart; on a shared
machine the load changes in between, and the same command moved by up to 30 % from one run to the
next. Here one server per version runs side by side (all started and idle before the first open),
and the opens go round them in turn: open, wait for the diagnostics, close, next server. A burst
of load then falls on every version alike, and the paired ratio of each round says what one
version costs against the other on the same machine at the same moment.

Run it from the repository root; each ``--old DIR`` is a tree holding ``server/`` (for example made
by ``git archive REV server data | tar -x -C DIR``), and the version installed here runs last::

    python -m bench.bench_open_ab --old OLD_TREE --files github.api.yaml --rounds 15
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from tests.support.paths import CORPUS
from tests.support.wire import ServerProcess

from bench.bench_server import BIG_FILES, _diagnostics_for, _did_open, _ready


def compare(
    path: Path, versions: list[tuple[str, dict[str, str] | None]], rounds: int
) -> tuple[dict[str, list[float]], dict[str, float | None]]:
    """Seconds of each open of ``path``, by version label, ``rounds`` opens each, in turns; and the
    CPU seconds each server used for all its opens, their clean-up included (None off Linux)."""
    text = path.read_text(encoding="utf-8")
    language = "json" if path.suffix == ".json" else "yaml"
    servers = []
    try:
        for label, env in versions:
            server = ServerProcess("--stdio", keep_stdout=False, stderr_path=Path(os.devnull), env=env)
            server.__enter__()
            servers.append((label, server))
            server.initialize(process_id=os.getpid(), resolve_documentation=True)
            _ready(server)
        time.sleep(1.0)  # let each finish what it does when idle after start
        times: dict[str, list[float]] = {label: [] for label, _ in versions}
        cpu: dict[str, float | None] = {label: 0.0 for label, _ in versions}
        for number in range(rounds):
            # Who goes first changes each round, so that no version always follows the same one.
            turn = servers[number % len(servers) :] + servers[: number % len(servers)]
            for label, server in turn:
                uri = (path.parent / f"ab-{number}" / path.name).resolve().as_uri()
                frame = _did_open(uri, language, text)
                used = server.cpu_seconds()
                started = time.perf_counter()
                server.send_raw(frame)
                arrived = server.wait_for(_diagnostics_for(uri, 1), 120).at
                times[label].append(arrived - started)
                server.close_document(uri)
                time.sleep(0.2)  # its clean-up after the close, off the next server's clock
                # CPU time is what the load of other processes moves least; ticks of 10 ms, so only
                # the total over all the rounds is worth reading.
                after = server.cpu_seconds()
                total = cpu[label]
                cpu[label] = None if used is None or after is None or total is None else total + after - used
        return times, cpu
    finally:
        for _, server in servers:
            server.__exit__(None, None, None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=str(CORPUS))
    parser.add_argument("--files", nargs="*", default=list(BIG_FILES))
    parser.add_argument("--old", nargs="+", required=True, help="trees holding server/ of the versions to compare with")
    parser.add_argument("--rounds", type=int, default=15, help="opens of each file by each version")
    args = parser.parse_args()
    versions: list[tuple[str, dict[str, str] | None]] = []
    for old in args.old:
        server_dir = Path(old).resolve() / "server"
        if not server_dir.is_dir():
            raise SystemExit(f"bench_open_ab: no server/ in {old}")
        versions.append((Path(old).name, {"PYTHONPATH": str(server_dir)}))
    versions.append(("this", None))
    print(
        f"open -> diagnostics, seconds: median (min) of {args.rounds} opens taken in turns; ratio: median of the per-round ratios"
    )
    print("then the servers' CPU time per open (user and system, its clean-up included), and the ratio of the totals")
    for name in args.files:
        path = Path(args.corpus) / name
        if not path.is_file():
            print(f"skipping {name}: not in {args.corpus}", file=sys.stderr)
            continue
        times, cpu = compare(path, versions, args.rounds)
        cells = [f"{label} {statistics.median(t):.3f} ({min(t):.3f})" for label, t in times.items()]
        mine = times["this"]
        ratios = [
            f"this/{label} {statistics.median(m / o for m, o in zip(mine, other, strict=True)):.2f}"
            for label, other in times.items()
            if label != "this"
        ]
        print(f"{name:20} " + "  ".join(cells) + "  | " + "  ".join(ratios))
        mine_cpu = cpu["this"]
        if mine_cpu is not None and all(used for used in cpu.values()):
            per_open = "  ".join(f"{label} {used / args.rounds * 1000:.0f}" for label, used in cpu.items() if used)
            cpu_ratios = "  ".join(
                f"this/{label} {mine_cpu / used:.2f}" for label, used in cpu.items() if used and label != "this"
            )
            print(f"{'':20} CPU ms per open, clean-up included: {per_open}  | {cpu_ratios}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
