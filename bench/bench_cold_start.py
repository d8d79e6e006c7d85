"""Benchmark of a cold process: ``--version``, ``explain``, ``list``, ``check`` on one small file, and
the server's start (spawn to the ``initialize`` result, spawn to the first hover answered).

``--version`` is asked by the editor extensions before they start the server, and ``explain`` is
typed by hand: both should cost little more than the interpreter's own start. In CI and in
pre-commit hooks the checker is started for a handful of files, so interpreter start and imports
weigh as much as the analysis. Each figure is the median and the best wall time of ``--repeat``
runs, with the heavy modules the command imported (``-X importtime``); the first row, an
interpreter that imports nothing of ours, is the yardstick.

Two versions compare in one run, their runs interleaved so that the machine's load hits both:
``--against REV`` puts ``git archive REV server data`` in a scratch directory and runs it beside
the working tree; ``--package DIR`` (repeatable) runs the package in DIR (a directory holding
``http_status_ls``). Each version gets its own bytecode cache (``PYTHONPYCACHEPREFIX``), written by
one untimed run of each command, because an installed wheel has its modules compiled at install;
``--no-bytecode`` measures compiling every module on every start instead. ``--corpus-files`` adds
``check`` of each file of ``../shared/corpus/openapi`` (relative to the repository root).
Run it as a module from the repository root::

    python -m bench.bench_cold_start [--repeat 7] [--against HEAD] [--package DIR ...]
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
from dataclasses import dataclass
from pathlib import Path

from tests.support.paths import CORPUS, REPO

HEAVY = ("lsprotocol.types", "pygls", "cattrs", "yaml", "tree_sitter_json", "tree_sitter_python")
LOOKED_FOR = (*HEAVY, "multiprocessing", "argparse", "http_status_ls.cli.check")
SMALL_PYTHON = "from flask import abort\n\n\ndef view():\n    abort(404)\n"


@dataclass
class Version:
    """One copy of the package under test, with its own bytecode cache."""

    label: str
    package: str | None
    """A directory holding http_status_ls, or None for the one installed in this environment."""
    bytecode: str | None
    """Where its bytecode is cached, or None: compiled on every start."""

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.package:
            env["PYTHONPATH"] = self.package + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        if self.bytecode:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = self.bytecode
        else:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
            env.pop("PYTHONPYCACHEPREFIX", None)
        return env


def run_command(arguments: list[str], version: Version, cwd: Path | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "http_status_ls", *arguments], env=version.environment(), cwd=cwd, capture_output=True, check=False
    )
    return time.perf_counter() - started


def bare_interpreter(version: Version) -> float:
    """The yardstick: an interpreter that imports nothing of ours."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], env=version.environment(), capture_output=True, check=False)
    return time.perf_counter() - started


def heavy_imports_of(arguments: list[str], version: Version, cwd: Path | None = None) -> list[str]:
    command = [sys.executable, "-X", "importtime", "-m", "http_status_ls", *arguments]
    result = subprocess.run(command, env=version.environment(), cwd=cwd, capture_output=True, text=True, check=False)
    found: set[str] = set()
    for line in result.stderr.splitlines():
        name = line.rpartition("|")[2].strip()
        found.update(heavy for heavy in LOOKED_FOR if name == heavy or name.startswith(heavy + "."))
    return sorted(found)


def spawn_to_initialize(version: Version) -> float:
    """Seconds from spawning the server until its ``initialize`` result arrives."""
    from tests.support.wire import ServerProcess

    started = time.perf_counter()
    with ServerProcess("--stdio", keep_stdout=False, stderr_path=Path(os.devnull), env=version.environment()) as server:
        server.initialize(process_id=os.getpid())
        seconds = time.perf_counter() - started
        server.shutdown()
    return seconds


def spawn_to_first_hover(version: Version) -> float:
    """Seconds from spawning the server until it answers a hover on a file opened right after
    ``initialized``, as an editor restoring its last session does."""
    from tests.support.wire import ServerProcess

    started = time.perf_counter()
    with ServerProcess("--stdio", keep_stdout=False, stderr_path=Path(os.devnull), env=version.environment()) as server:
        server.initialize(process_id=os.getpid())
        uri = "file:///bench/views.py"
        server.open(uri, "python", SMALL_PYTHON)
        answer = server.hover(uri, 4, 11)
        seconds = time.perf_counter() - started
        assert answer.result is not None, "the hover found nothing: the figure would not be a hover's"
        server.shutdown()
    return seconds


def _row(
    label: str,
    measure: Callable[[Version], float],
    heavy: Callable[[Version], list[str]] | None,
    versions: list[Version],
    repeat: int,
) -> None:
    for version in versions:  # untimed: writes each version's bytecode, as installing does
        measure(version)
    timings: list[list[float]] = [[] for _ in versions]
    for _ in range(repeat):
        for index, version in enumerate(versions):  # interleaved: load changes hit both
            timings[index].append(measure(version))
    cells = []
    for index, version in enumerate(versions):
        imported = ",".join(heavy(version)) if heavy else ""
        cells.append(f"{statistics.median(timings[index]):7.3f}/{min(timings[index]):<7.3f} {imported or '-':32}")
    ratio = ""
    if len(versions) == 2:
        ratio = f"  x{statistics.median(timings[0]) / statistics.median(timings[1]):.1f}"
    print(f"{label:26} " + " ".join(cells) + ratio, flush=True)


def _archive(revision: str, into: Path) -> str:
    """``git archive REVISION server data`` unpacked into ``into``; the package directory."""
    archive = subprocess.run(["git", "archive", revision, "server", "data"], cwd=REPO, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return str(into / "server")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--against", metavar="REV", help="also run the package as committed at REV (e.g. HEAD)")
    parser.add_argument("--package", action="append", default=[], help="a directory holding the http_status_ls to run")
    parser.add_argument("--no-bytecode", action="store_true", help="compile every module on every start")
    parser.add_argument("--corpus-files", action="store_true", help="also time `check` on each corpus file")
    parser.add_argument("--corpus", default=str(CORPUS))
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = Path(scratch_dir)
        packages: list[tuple[str, str | None]] = []
        if args.against:
            (scratch / "against").mkdir()
            packages.append((args.against, _archive(args.against, scratch / "against")))
        packages += [(package, package) for package in args.package]
        if args.against or not args.package:
            packages.append(("working tree", None))
        versions = [
            Version(label, package, None if args.no_bytecode else str(scratch / f"bytecode-{index}"))
            for index, (label, package) in enumerate(packages)
        ]
        small = scratch / "views.py"
        small.write_text(SMALL_PYTHON)
        files = sorted(Path(args.corpus).glob("*")) if args.corpus_files and Path(args.corpus).is_dir() else []

        print(f"{'median/best seconds':26} " + " ".join(f"{v.label[:16]:>16} {'heavy imports':32}" for v in versions))
        _row("interpreter (-c pass)", bare_interpreter, None, versions, args.repeat)
        for arguments in (["--version"], ["explain", "404"], ["list"]):
            _row(
                " ".join(arguments),
                functools.partial(run_command, arguments),
                functools.partial(heavy_imports_of, arguments),
                versions,
                args.repeat,
            )
        check_small = ["check", "--no-gitignore", small.name]
        _row(
            "check views.py",
            functools.partial(run_command, check_small, cwd=scratch),
            functools.partial(heavy_imports_of, check_small, cwd=scratch),
            versions,
            args.repeat,
        )
        _row("server spawn->initialize", spawn_to_initialize, None, versions, args.repeat)
        _row("server spawn->first hover", spawn_to_first_hover, None, versions, args.repeat)
        for path in files:
            command = ["check", "--no-gitignore", str(path)]
            _row(
                f"check {path.name}",
                functools.partial(run_command, command, cwd=path.parent),
                functools.partial(heavy_imports_of, command, cwd=path.parent),
                versions,
                args.repeat,
            )
    if len(versions) == 2:
        print(f"\nx: {versions[0].label} over {versions[1].label} (median)")
    print("bytecode: " + ("compiled on every start" if args.no_bytecode else "cached per version, written by one untimed run"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
