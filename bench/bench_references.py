"""Benchmark workspace references before and after the workspace index, against ripgrep.

Generates a workspace of 10,000 files (Python, YAML and JSON) in a temporary directory, a common
code (404) in 3,000 of them and a rare one (418) in three, then starts the real server over stdio
and measures, on the client side:

- references to each code right after ``initialized``, while the index is being built: the
  streaming search that answers until the index is ready;
- the index build (from ``initialized`` to the end of its ``$/progress``);
- references to each code once the index is built (median of a few requests), for a client that
  watches files for the server and for one that does not (the server then checks every file's stamp);
- ``rg -l -w CODE`` over the same tree, when ripgrep is installed: the yardstick.

Run it from the repository root::

    python -m bench.bench_references                 # 10,000 files
    python -m bench.bench_references --files 2000    # smaller
    python -m bench.bench_references --per-file 28   # 84,000 references to the common code
    python -m bench.bench_references --baseline DIR  # also time the streaming search of the copy
                                                     # of http_status_ls in DIR (no index)
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.support.wire import ServerProcess

COMMON, RARE = 404, 418
GOALS = {"common_after_s": 0.5, "rare_after_vs_rg": 2.0}

_PYTHON_HEAD = "from flask import abort, jsonify\n"
_PYTHON_VIEW = "\n\ndef view_{n}_{i}(item):\n    if item is None:\n        abort({code})\n    return jsonify(item), 200\n"
_PYTHON_WITHOUT = "import os\n\n\ndef helper_{n}(value):\n    return os.path.join(str(value), 'x')\n"
_YAML_HEAD = "openapi: 3.0.0\ninfo: {{title: t{n}, version: '1'}}\npaths:\n"
_YAML_PATH = (
    "  /p{n}x{i}:\n    get:\n      responses:\n        '200': {{description: ok}}\n        '{code}': {{description: no}}\n"
)
_YAML_WITHOUT = "name: job{n}\nsteps:\n  - run: make\n"
_JSON_CASE = '{{"path": "/p{n}x{i}", "status": {code}}}'
_JSON_WITHOUT = '{{"name": "thing{n}", "tags": ["a", "b"]}}\n'


def _with_code(kind: str, n: int, code: int, per_file: int) -> str:
    """A file of ``kind`` holding ``code`` ``per_file`` times (a view, a path, a case each)."""
    if kind == "py":
        return _PYTHON_HEAD + "".join(_PYTHON_VIEW.format(n=n, i=i, code=code) for i in range(per_file))
    if kind == "yaml":
        return _YAML_HEAD.format(n=n) + "".join(_YAML_PATH.format(n=n, i=i, code=code) for i in range(per_file))
    return '{"cases": [' + ", ".join(_JSON_CASE.format(n=n, i=i, code=code) for i in range(per_file)) + "]}\n"


def generate(root: Path, files: int, common: int, rare: int, per_file: int = 1) -> None:
    """``files`` files in folders of 100: every ``files // common``-th holds the common code
    ``per_file`` times, ``rare`` spread ones hold the rare code once; 70 % Python, 20 % YAML, 10 % JSON."""
    step = files / common
    with_common = {int(i * step) for i in range(common)}
    with_rare = {files // 7 + i * (files // (rare + 1)) for i in range(rare)} - with_common
    for n in range(files):
        folder = root / f"service{n // 100:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        code = COMMON if n in with_common else RARE if n in with_rare else None
        kind = ("py", "py", "py", "py", "py", "py", "py", "yaml", "yaml", "json")[n % 10]
        if code is not None:
            text = _with_code(kind, n, code, per_file if code == COMMON else 1)
        else:
            text = {"py": _PYTHON_WITHOUT, "yaml": _YAML_WITHOUT, "json": _JSON_WITHOUT}[kind].format(n=n)
        (folder / f"m{n}.{kind}").write_text(text, encoding="utf-8")


def ripgrep(root: Path, code: int, runs: int) -> float | None:
    """Median seconds of ``rg -l -w CODE ROOT``; None without ripgrep."""
    rg = shutil.which("rg")
    if rg is None:
        return None
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([rg, "-l", "-w", str(code), str(root)], stdout=subprocess.DEVNULL, check=False)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def start(root: Path, *, watching: bool, pythonpath: str | None = None) -> ServerProcess:
    """A server over ``root`` for a client that shows progress and watches files (or neither)."""
    env = {"PYTHONPATH": pythonpath} if pythonpath else None
    process = ServerProcess("--stdio", env=env, keep_stdout=False)
    capabilities: dict = {
        "general": {"positionEncodings": ["utf-16"]},
        "textDocument": {"hover": {"contentFormat": ["markdown"]}},
    }
    if watching:
        capabilities["window"] = {"workDoneProgress": True}
        capabilities["workspace"] = {"didChangeWatchedFiles": {"dynamicRegistration": True}}
    answer = process.request(
        "initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": capabilities}, timeout=60
    )
    assert answer.error is None, answer.error
    process.notify("initialized", {})
    return process


def probe(process: ServerProcess, directory: Path) -> str:
    """Opens a document (outside the workspace) mentioning both codes; its URI."""
    uri = (directory / "probe.py").as_uri()
    process.open(uri, "python", f"abort({COMMON})\nabort({RARE})\n")
    return uri


def references(process: ServerProcess, uri: str, line: int) -> tuple[float, int]:
    """Seconds and number of locations of one references request on the code at ``line``."""
    params = {"textDocument": {"uri": uri}, "position": {"line": line, "character": 7}, "context": {"includeDeclaration": True}}
    answer = process.request("textDocument/references", params, timeout=300)
    assert answer.error is None, answer.error
    return answer.seconds, len(answer.result or [])


def index_end(process: ServerProcess, timeout: float) -> float:
    """When the index's ``$/progress`` ended (perf_counter)."""
    found = process.wait_for(
        lambda n: n.method == "$/progress" and isinstance(n.params.get("value"), dict) and n.params["value"].get("kind") == "end",
        timeout,
    )
    return found.at


def median_references(process: ServerProcess, uri: str, line: int, runs: int) -> tuple[float, int]:
    timings, count = [], 0
    for _ in range(runs):
        seconds, count = references(process, uri, line)
        timings.append(seconds)
    return statistics.median(timings), count


def run(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="bench-references-") as temporary:
        base = Path(temporary)
        root = base / "workspace"
        generated = time.perf_counter()
        generate(root, args.files, args.common, args.rare, args.per_file)
        print(
            f"generated {args.files:,} files ({args.common:,} with {COMMON} x{args.per_file}, {args.rare} with {RARE})"
            f" in {time.perf_counter() - generated:.1f} s"
        )
        rows: list[tuple[str, float | None, int | None]] = []
        memory: tuple[float, float] | None = None

        if args.baseline:
            process = start(root, watching=False, pythonpath=args.baseline)
            try:
                uri = probe(process, base)
                for code, line in ((COMMON, 0), (RARE, 1)):
                    seconds, count = median_references(process, uri, line, args.runs)
                    rows.append((f"baseline streaming ({args.baseline}), {code}", seconds, count))
                process.shutdown(30)
            finally:
                process.close()

        process = start(root, watching=True)
        try:
            started = time.perf_counter()
            uri = probe(process, base)
            for code, line in ((COMMON, 0), (RARE, 1)):
                seconds, count = references(process, uri, line)
                rows.append((f"before: streaming while indexing, {code}", seconds, count))
            built = index_end(process, 600) - started
            rows.append(("index build (initialized -> progress end)", built, None))
            for code, line in ((COMMON, 0), (RARE, 1)):
                seconds, count = median_references(process, uri, line, args.runs)
                rows.append((f"after: indexed, watching client, {code}", seconds, count))
            memory = process.memory_mb()
            process.shutdown(30)
        finally:
            process.close()

        process = start(root, watching=False)
        try:
            uri = probe(process, base)
            deadline = time.monotonic() + 600
            while not any("indexed " in line for line in process.stderr_lines) and time.monotonic() < deadline:
                time.sleep(0.05)
            for code, line in ((COMMON, 0), (RARE, 1)):
                seconds, count = median_references(process, uri, line, args.runs)
                rows.append((f"after: indexed, client not watching, {code}", seconds, count))
            process.shutdown(30)
        finally:
            process.close()

        for code in (COMMON, RARE):
            rows.append((f"rg -l -w {code}", ripgrep(root, code, args.runs), None))

    yardstick = {label.rsplit(" ", 1)[-1]: seconds for label, seconds, _ in rows if label.startswith("rg ")}
    print(f"\n{'measure':58} {'seconds':>8} {'found':>6} {'x rg':>6}")
    print("-" * 81)
    for label, measured, found in rows:
        rg = yardstick.get(label.rsplit(" ", 1)[-1])  # rows about a code end with it
        ratio = f"{measured / rg:6.1f}" if measured is not None and rg else "     -"
        shown = f"{measured:8.3f}" if measured is not None else "   (n/a)"
        print(f"{label:58} {shown} {found if found is not None else '':>6} {ratio}")
    if memory:
        print(f"\nserver memory after indexing: {memory[0]:.0f} MB resident, {memory[1]:.0f} MB peak")
    print(
        f"\n(median of {args.runs} requests where 'after'; 'found' counts locations, the probe document's own included; "
        f"goals: common code < {GOALS['common_after_s']} s once indexed, rare code < {GOALS['rare_after_vs_rg']:.0f}x rg)"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--common", type=int, default=3_000, help="files holding the common code")
    parser.add_argument("--rare", type=int, default=3, help="files holding the rare code")
    parser.add_argument("--per-file", type=int, default=1, help="times the common code appears in each of its files")
    parser.add_argument("--runs", type=int, default=5, help="requests per measure once indexed")
    parser.add_argument("--baseline", help="PYTHONPATH of an older http_status_ls to time its streaming search")
    args = parser.parse_args(argv)
    os.environ.setdefault("HTTP_STATUS_LS_LOG", "INFO")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
