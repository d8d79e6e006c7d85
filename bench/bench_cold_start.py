"""Benchmark of a cold process: ``--version``, ``explain``, the server's start, ``check`` on one file.

``--version`` is asked by the editor extensions before they start the server, and ``explain`` is
typed by hand: both should cost little more than the interpreter's own start. The server is timed
from spawning the process until the ``initialize`` result arrives. In CI and in pre-commit hooks the checker is started for a handful of files, so interpreter start
and imports weigh as much as the analysis. For an empty file and for each file of
``../shared/corpus/openapi`` (relative to the repository root) this starts
``python -m http_status_ls check FILE`` ``--repeat`` times; every figure is the median and best wall
time, with the heavy modules the process imported (``-X importtime``).

``--package DIR`` runs another copy of the package (a directory holding ``http_status_ls``), to
compare two versions on the same machine at the same time; give it twice to interleave the runs.
Run it as a module from the repository root::

    python -m bench.bench_cold_start [--repeat 5] [--package OLD --package NEW]
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.support.paths import CORPUS

HEAVY = ("lsprotocol.types", "pygls", "cattrs", "yaml", "tree_sitter_json", "tree_sitter_python")


def _environment(package: str | None) -> dict[str, str]:
    env = dict(os.environ)
    if package:
        env["PYTHONPATH"] = package + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def run_command(arguments: list[str], package: str | None) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "http_status_ls", *arguments], env=_environment(package), capture_output=True, check=False
    )
    return time.perf_counter() - started


def heavy_imports_of(arguments: list[str], package: str | None) -> list[str]:
    command = [sys.executable, "-X", "importtime", "-m", "http_status_ls", *arguments]
    result = subprocess.run(command, env=_environment(package), capture_output=True, text=True, check=False)
    return _heavy(result.stderr)


def spawn_to_initialize(package: str | None) -> float:
    """Seconds from spawning the server until its ``initialize`` result arrives."""
    from tests.support.wire import ServerProcess

    started = time.perf_counter()
    with ServerProcess("--stdio", keep_stdout=False, stderr_path=Path(os.devnull), env=_environment(package)) as server:
        server.initialize(process_id=os.getpid())
        seconds = time.perf_counter() - started
        server.shutdown()
    return seconds


def _heavy(importtime_output: str) -> list[str]:
    found = set()
    for line in importtime_output.splitlines():
        name = line.rpartition("|")[2].strip()
        for heavy in HEAVY + ("multiprocessing", "argparse", "http_status_ls.cli.check"):
            if name == heavy or name.startswith(heavy + "."):
                found.add(heavy)
    return sorted(found)


def _row(
    label: str,
    measure: Callable[[str | None], float],
    heavy: Callable[[str | None], list[str]] | None,
    packages: list[str | None],
    repeat: int,
) -> None:  # noqa: ANN001 - callables
    timings: list[list[float]] = [[] for _ in packages]
    for _ in range(repeat):
        for index, package in enumerate(packages):  # interleaved: load changes hit both
            timings[index].append(measure(package))
    cells = []
    for index, package in enumerate(packages):
        imported = ",".join(heavy(package)) if heavy else ""
        cells.append(f"{statistics.median(timings[index]):7.3f}/{min(timings[index]):<8.3f} {imported or '-':40}")
    print(f"{label:26} " + " ".join(cells))


def run_once(path: Path, package: str | None) -> float:
    command = [sys.executable, "-m", "http_status_ls", "check", "--no-gitignore", str(path)]
    started = time.perf_counter()
    subprocess.run(command, env=_environment(package), cwd=path.parent, capture_output=True, check=False)
    return time.perf_counter() - started


def heavy_imports(path: Path, package: str | None) -> list[str]:
    command = [sys.executable, "-X", "importtime", "-m", "http_status_ls", "check", "--no-gitignore", str(path)]
    result = subprocess.run(command, env=_environment(package), cwd=path.parent, capture_output=True, text=True, check=False)
    return _heavy(result.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--package", action="append", help="a directory holding the http_status_ls to run")
    parser.add_argument("--corpus", default=str(CORPUS))
    args = parser.parse_args(argv)
    packages = args.package or [None]

    with tempfile.TemporaryDirectory() as scratch:
        empty = Path(scratch) / "empty.json"
        empty.write_text("")
        files = [empty] + sorted(Path(args.corpus).glob("*")) if Path(args.corpus).is_dir() else [empty]
        print(f"{'command or file':26} " + " ".join(f"{'median/best s':>16} {'heavy imports':40}" for _ in packages))
        for arguments in (["--version"], ["explain", "404"], ["list"]):
            _row(
                " ".join(arguments),
                functools.partial(run_command, arguments),
                functools.partial(heavy_imports_of, arguments),
                packages,
                args.repeat,
            )
        _row("server spawn->initialize", spawn_to_initialize, None, packages, args.repeat)
        for path in files:
            timings: list[list[float]] = [[] for _ in packages]
            for _ in range(args.repeat):
                for index, package in enumerate(packages):  # interleaved: load changes hit both
                    timings[index].append(run_once(path, package))
            cells = []
            for index, package in enumerate(packages):
                times = timings[index]
                heavy = ",".join(heavy_imports(path, package)) or "-"
                cells.append(f"{statistics.median(times):7.3f}/{min(times):<8.3f} {heavy:40}")
            print(f"{path.name:26} " + " ".join(cells))
    if len(packages) > 1:
        print("\ncolumns: " + "  |  ".join(str(p) for p in packages))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
