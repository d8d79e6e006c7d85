"""Benchmark of ``http-status-ls check``: wall time and files per second, as a real process.

Two workloads:

* the whole ``../shared/corpus`` (four 3-4 MB OpenAPI descriptions in YAML and JSON, and petstore);
* a generated tree of Python files (a few thousand by default, written into a temporary directory),
  shaped like an API code base: views with ``abort``/``Response``/``status_code=``, tests comparing
  ``resp.status_code``, and the usual noise (timeouts, ports, slices) that must stay quiet.

Each workload runs serially (``--jobs 1``) and with one worker per CPU, alternately, ``--repeat``
times; the figures are medians (and the best wall time) of the whole process: interpreter start,
imports, walk, analysis and output. CPU time is the checker's and its workers' together.

Run it as a module from the repository root::

    python -m bench.bench_check [--files 3000] [--repeat 3] [--quick]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.support.paths import SHARED_CORPUS as CORPUS

_VIEW = '''\
"""Handlers for {name}."""
from http import HTTPStatus

from flask import abort, jsonify, make_response
import requests

UPSTREAM_TIMEOUT = 300
PAGE = 200


def get_{name}(item_id):
    item = load(item_id)
    if item is None:
        abort({missing})
    if not allowed(item):
        abort(HTTPStatus.FORBIDDEN)
    rows = fetch()[:PAGE]
    return jsonify(rows), {ok}


def create_{name}(payload):
    upstream = requests.post("http://backend:8080/{name}", json=payload, timeout=UPSTREAM_TIMEOUT)
    if upstream.status_code == {odd}:
        return make_response("slow down", 429)
    return jsonify(upstream.json()), HTTPStatus.CREATED
'''

_TEST = """\
def test_{name}(client):
    resp = client.get("/{name}/1")
    assert resp.status_code == {ok}
    for _ in range(200):
        pass
    assert client.get("/{name}/missing").status_code in (404, 410)
"""


def generate(root: Path, count: int, seed: int = 5) -> int:
    """Write ``count`` Python files under ``root``; returns their total size in bytes."""
    rng = random.Random(seed)
    total = 0
    for i in range(count):
        package = root / f"service{i % 40}" / ("tests" if i % 4 == 3 else "views")
        package.mkdir(parents=True, exist_ok=True)
        name = f"thing{i}"
        template = _TEST if i % 4 == 3 else _VIEW
        # Mostly ordinary codes, now and then one the checker reports (420, 509, 299, 305).
        text = template.format(
            name=name,
            missing=rng.choice([404, 404, 404, 410, 420]),
            ok=rng.choice([200, 200, 201, 299]),
            odd=rng.choice([503, 503, 509, 305]),
        )
        path = package / f"{name}.py"
        path.write_text(text, encoding="utf-8")
        total += len(text)
    return total


def run_once(paths: list[str], jobs: int) -> tuple[float, float, int, str]:
    """Wall time and CPU time (this process's children: the checker and its workers) of one run,
    its exit status and its summary line."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "http_status_ls", "check", "--jobs", str(jobs), "--format", "json", *paths],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    summary = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else ""
    return wall, cpu, result.returncode, summary


def report(label: str, paths: list[str], files: int, size: int, repeat: int) -> None:
    print(f"\n{label}: {files:,} files, {size / 1e6:.1f} MB")
    settings = sorted({1, os.cpu_count() or 1})
    runs: dict[int, list[tuple[float, float, int, str]]] = {jobs: [] for jobs in settings}
    # Alternate the settings run by run, so that a busy spell on the machine hits both alike.
    for _ in range(repeat):
        for jobs in settings:
            runs[jobs].append(run_once(paths, jobs))
    for jobs in settings:
        wall = statistics.median(r[0] for r in runs[jobs])
        cpu = statistics.median(r[1] for r in runs[jobs])
        status, summary = runs[jobs][-1][2], runs[jobs][-1][3]
        print(
            f"  --jobs {jobs:<2}  wall {wall:6.2f} s  (best {min(r[0] for r in runs[jobs]):5.2f})  cpu {cpu:6.2f} s"
            f"  {files / wall:7.0f} files/s  {size / 1e6 / wall:5.1f} MB/s  exit {status}"
            f"  [{summary.removeprefix('http-status-ls: ')}]"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=3000, help="generated Python files (default 3000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is shown")
    parser.add_argument("--quick", action="store_true", help="petstore and 50 generated files, once (a smoke test)")
    args = parser.parse_args(argv)
    if args.quick:
        args.files, args.repeat = 50, 1
    print(f"http-status-ls check benchmark: Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")

    if CORPUS.is_dir():
        corpus_files = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".json", ".yaml", ".yml"))
        if args.quick:
            corpus_files = [p for p in corpus_files if p.name.startswith("petstore")]
        size = sum(p.stat().st_size for p in corpus_files)
        target = [str(CORPUS)] if not args.quick else [str(p) for p in corpus_files]
        report(f"corpus {CORPUS}", target, len(corpus_files), size, args.repeat)
    else:
        print(f"\ncorpus: skipped, {CORPUS} is absent (it lives next to the repository as ../shared/corpus)")

    with tempfile.TemporaryDirectory(prefix="http-status-bench-") as directory:
        size = generate(Path(directory), args.files)
        report("generated Python tree", [directory], args.files, size, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
