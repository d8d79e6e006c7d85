"""``http-status-ls check PATH...``: the server's diagnostics for CI and pre-commit.

Each file goes through the same pipeline as an open document in the editor (``analysis.analyse`` then
``diagnostics.findings``), with the project's settings (``[tool.http-status-ls]`` in the nearest
``pyproject.toml`` from the first path upward) and inline suppressions applied, then ``--select`` /
``--ignore``. Output is sorted by path, line and column whatever the order files finish in.

Files are analysed in worker processes when there is enough work to pay for them. A worker gets a
chunk of paths, analyses one file at a time and sends back only the findings, so no parse tree
outlives its file and only a few chunks are in flight at once.

Exit status: 0 clean (information and hints do not count), 1 when a finding at warning or above
remains, 2 for usage errors, invalid settings, and files that cannot be read or decoded (each named on
stderr; the other files are still checked and reported).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from http_status_ls import __version__
from http_status_ls.core import settings as settings_module
from http_status_ls.core.project_files import ProjectFile, walk
from http_status_ls.core.settings import Settings

FORMATS = ("text", "json", "sarif", "github")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://www.iana.org/assignments/http-status-codes/http-status-codes.xhtml"

# What each rule is about, for SARIF's rule table (code scanning shows it next to each alert).
RULE_SUMMARIES: dict[str, str] = {
    "deprecated-code": "A status code that its specification deprecates (e.g. 305 Use Proxy).",
    "reserved-code": "A status code reserved and never to be used (e.g. 306).",
    "obsolete-code": "A status code whose specification is obsolete (e.g. 510 Not Extended).",
    "provisional-code": "A status code only provisionally registered with IANA (e.g. 104).",
    "unofficial-code": "A vendor's status code that is not in the IANA registry (e.g. 420, 509).",
    "unassigned-code": "A well-formed status code that IANA has not assigned (e.g. 512).",
    "not-a-status-code": "A number that is something else, e.g. a Warning header warn-code (299).",
    "invalid-code": "Not a status code at all: status codes are three digits from 100 to 599.",
    "invalid-range-key": "An OpenAPI response range key written wrongly (2xx) or not allowed (Swagger 2.0).",
    "unquoted-response-key": "An OpenAPI 3 response key that YAML reads as an integer; the spec requires a string.",
    "duplicate-response-key": "The same status code twice in one OpenAPI responses object.",
    "body-not-allowed": "A body declared on a response that must not have one (204, 304, 1xx).",
    "deprecated-name": "A deprecated library constant for a status code (e.g. starlette's HTTP_422_...).",
    "unknown-name": "A constant that does not exist in the status-code namespace it is read from.",
}
_SARIF_LEVEL = {1: "error", 2: "warning", 3: "note", 4: "note"}
_SEVERITY_NAME = {1: "error", 2: "warning", 3: "information", 4: "hint"}
_GITHUB_COMMAND = {1: "error", 2: "warning", 3: "notice", 4: "notice"}

# Below this much work a process pool costs more to start than it saves: a small Python file takes
# under a millisecond, a megabyte of YAML about 0.2 s, and starting the workers a tenth of a second.
_SERIAL_MAX_FILES = 200
_SERIAL_MAX_BYTES = 1_000_000
_CHUNK_MAX_FILES = 64
_CHUNK_MAX_BYTES = 2_000_000


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding as printed: 1-based line and column in characters; the end column is the one just
    after the last character (as SARIF counts)."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    rule: str
    severity: int
    """LSP severity: 1 error, 2 warning, 3 information, 4 hint."""
    message: str
    url: str | None = None

    @property
    def fails(self) -> bool:
        return self.severity <= 2


@dataclass(slots=True)
class FileOutcome:
    path: str
    problems: list[Problem] = field(default_factory=list)
    error: str | None = None
    """Why the file could not be checked (unreadable, not UTF-8, analysis failure): exit status 2."""
    note: str | None = None
    """Why the file was skipped on purpose (too large, language switched off): no effect on status."""


@dataclass(frozen=True, slots=True)
class _Job:
    """What a worker needs besides the paths; pickled once per worker."""

    settings: Settings
    severity: dict[str, Any]
    select: frozenset[str] | None
    ignore: frozenset[str]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``check``, for a subparser of the main CLI."""
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files and directories to check")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text (path:line:col: rule message), json, sarif (SARIF 2.1.0) or github (Actions annotations)",
    )
    parser.add_argument(
        "--select",
        action="append",
        metavar="RULE,...",
        help="report only these rules (repeatable; re-enables rules that settings turn off)",
    )
    parser.add_argument("--ignore", action="append", metavar="RULE,...", help="never report these rules (repeatable)")
    parser.add_argument(
        "--config", metavar="PYPROJECT", help="read [tool.http-status-ls] from this pyproject.toml instead of searching upward"
    )
    parser.add_argument("--no-gitignore", action="store_true", help="walk ignored files too")
    parser.add_argument(
        "--jobs", "-j", type=int, default=0, metavar="N", help="worker processes (default: one per CPU; 1 checks in this process)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """``check`` on its own: ``python -m http_status_ls.check PATH...``."""
    parser = argparse.ArgumentParser(prog="http-status-ls check", description="Check HTTP status codes in files.")
    add_arguments(parser)
    return run(parser.parse_args(argv))


def run(args: argparse.Namespace, *, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Check ``args.paths`` and print the report; returns the exit status."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    from http_status_ls.features import diagnostics  # here, so `http-status-ls --help` never loads lsprotocol

    rules = set(diagnostics.RULES)
    select, select_error = _rule_list(args.select, rules, "--select")
    ignore, ignore_error = _rule_list(args.ignore, rules, "--ignore")
    if select_error or ignore_error or (args.jobs or 0) < 0:
        for message in (select_error, ignore_error):
            if message:
                print(f"http-status-ls check: error: {message}", file=err)
        if (args.jobs or 0) < 0:
            print("http-status-ls check: error: --jobs must be 0 (one per CPU) or more", file=err)
        return 2

    failed = False
    if args.config:
        pyproject: Path | None = Path(args.config)
        if not pyproject.is_file():
            print(f"http-status-ls check: error: --config {args.config}: no such file", file=err)
            return 2
    else:
        pyproject = settings_module.find_pyproject(Path(args.paths[0]))
    settings, messages = settings_module.load(pyproject=pyproject, known_rules=rules)
    for message in messages:
        print(f"http-status-ls: {message}", file=err)
        failed = True

    severity = settings.severity_table(diagnostics.SEVERITY)
    for rule in select or ():
        # The command line wins over the configuration: a selected rule is on, at its default severity.
        if severity.get(rule) is None:
            severity[rule] = diagnostics.SEVERITY.get(rule) or diagnostics.Severity.Warning
    job = _Job(settings=settings, severity=severity, select=select, ignore=ignore or frozenset())

    def unreadable(path: str, error: OSError) -> None:
        nonlocal failed
        failed = True
        print(f"http-status-ls: {_display(path)}: {error.strerror or error}", file=err)

    files = list(walk(args.paths, on_error=unreadable, respect_gitignore=not args.no_gitignore))
    problems: list[Problem] = []
    checked = 0
    try:
        for outcome in _outcomes(files, job, args.jobs or os.cpu_count() or 1):
            if outcome.error:
                failed = True
                print(f"http-status-ls: {outcome.path}: {outcome.error}", file=err)
                continue
            if outcome.note:
                print(f"http-status-ls: {outcome.path}: {outcome.note}", file=err)
                continue
            checked += 1
            problems.extend(outcome.problems)
    except BrokenProcessPool as error:
        # A worker died (out of memory, killed): report what was done, and fail rather than pass.
        failed = True
        print(f"http-status-ls: a worker process died ({error}); {len(files) - checked} files unchecked; try --jobs 1", file=err)
    problems.sort(key=lambda p: (p.path, p.line, p.column, p.rule))

    write = {"text": _write_text, "json": _write_json, "sarif": _write_sarif, "github": _write_github}[args.format]
    write(problems, out)
    _summary(problems, checked, err)
    if failed:
        return 2
    return 1 if any(p.fails for p in problems) else 0


def check_text(path: str, text: str, job: _Job) -> list[Problem]:
    """The problems of one file's text, after settings, suppressions and rule selection."""
    from http_status_ls.detect.analysis import analyse
    from http_status_ls.features.diagnostics import findings
    from http_status_ls.features.suppression import drop_suppressed

    analysis = analyse(path, None, text, None, extra_keys=job.settings.extra_yaml_keys)
    # analyse() turns a detector crash into a note so the server survives; in CI it must not pass
    # silently as "no problems".
    failure = next((note for note in analysis.detection.notes if "detector failed" in note), None)
    if failure is not None:
        raise _AnalysisFailed(failure)
    found = findings(analysis, severity=job.severity)
    if job.select is not None:
        found = [f for f in found if f.rule in job.select]
    if job.ignore:
        found = [f for f in found if f.rule not in job.ignore]
    found = drop_suppressed(text, found, where=lambda f: (f.span.start_line, f.rule))
    return [
        Problem(
            path=path,
            line=f.span.start_line + 1,
            column=f.span.start_col + 1,
            end_line=f.span.end_line + 1,
            end_column=f.span.end_col + 1,
            rule=f.rule,
            severity=int(f.severity),
            message=f.message,
            url=f.href,
        )
        for f in found
    ]


class _AnalysisFailed(Exception):
    pass


def _check_file(file: ProjectFile, job: _Job) -> FileOutcome:
    path = _display(file.path)
    if not job.settings.languages.enabled(file.language):
        return FileOutcome(path, note=f"skipped: {file.language} is switched off in the settings")
    if file.size > job.settings.max_file_size:
        return FileOutcome(path, note=f"skipped: {file.size:,} bytes is over maxFileSize ({job.settings.max_file_size:,})")
    try:
        with open(file.path, "rb") as stream:
            data = stream.read()
    except OSError as error:
        return FileOutcome(path, error=f"cannot read: {error.strerror or error}")
    try:
        # utf-8-sig: a byte-order mark is not a character of line 1 (editors hide it too).
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return FileOutcome(path, error=f"not UTF-8 (byte {error.start}: {error.reason})")
    del data
    try:
        return FileOutcome(path, problems=check_text(path, text, job))
    except _AnalysisFailed as failure:
        return FileOutcome(path, error=f"could not be analysed: {failure}")
    except Exception as error:  # a bug on one file must not hide the results of the others
        return FileOutcome(path, error=f"could not be analysed: {type(error).__name__}: {error}")


# --- running over many files ------------------------------------------------------------------

_worker_job: _Job | None = None


def _start_worker(job: _Job) -> None:
    global _worker_job
    _worker_job = job


def _check_chunk(chunk: list[ProjectFile]) -> list[FileOutcome]:
    assert _worker_job is not None
    return [_check_file(file, _worker_job) for file in chunk]


def _outcomes(files: list[ProjectFile], job: _Job, jobs: int) -> Iterator[FileOutcome]:
    """The outcome of every file, in the order of ``files``."""
    total = sum(file.size for file in files)
    workers = min(jobs, len(files))
    if workers <= 1 or (len(files) < _SERIAL_MAX_FILES and total < _SERIAL_MAX_BYTES):
        for file in files:
            yield _check_file(file, job)
        return
    _preload(files)
    with _pool(workers, job) as pool:
        # A bounded window of chunks in flight: results come back in submission order, and neither
        # pending results nor pending work pile up for a huge tree.
        window: deque[Future[list[FileOutcome]]] = deque()
        for chunk in _chunks(files, workers):
            window.append(pool.submit(_check_chunk, chunk))
            if len(window) >= 3 * workers:
                yield from window.popleft().result()
        while window:
            yield from window.popleft().result()


def _pool(workers: int, job: _Job) -> Executor:
    import multiprocessing

    # fork on Linux: workers inherit the already imported parsers instead of importing them again.
    # Elsewhere (macOS, Windows) the platform's default start method is the safe one.
    context = multiprocessing.get_context("fork") if sys.platform.startswith("linux") else None
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_worker, initargs=(job,))


def _preload(files: list[ProjectFile]) -> None:
    """Import the detectors the files need and load the knowledge base before forking, so each
    worker does not."""
    from http_status_ls.detect import analysis  # noqa: F401
    from http_status_ls.features import diagnostics  # noqa: F401
    from http_status_ls.kb import registry

    registry.load()

    languages = {file.language for file in files}
    if "python" in languages:
        from http_status_ls.detect.python import reader as detect_python  # noqa: F401
    if "yaml" in languages:
        from http_status_ls.detect import yaml as detect_yaml  # noqa: F401
    if "json" in languages:
        from http_status_ls.detect import json as detect_json  # noqa: F401


def _chunks(files: list[ProjectFile], workers: int) -> Iterator[list[ProjectFile]]:
    """Consecutive runs of files, small enough to spread the work over the workers (about four
    chunks each) and to keep a multi-megabyte spec from sharing a chunk with many others."""
    per_chunk = max(1, min(_CHUNK_MAX_FILES, len(files) // (workers * 4)))
    chunk: list[ProjectFile] = []
    size = 0
    for file in files:
        if chunk and (len(chunk) >= per_chunk or size + file.size > _CHUNK_MAX_BYTES):
            yield chunk
            chunk, size = [], 0
        chunk.append(file)
        size += file.size
    if chunk:
        yield chunk


# --- options ----------------------------------------------------------------------------------


def _rule_list(values: list[str] | None, known: set[str], option: str) -> tuple[frozenset[str] | None, str | None]:
    if not values:
        return None, None
    rules = {rule.strip() for value in values for rule in value.split(",") if rule.strip()}
    unknown = sorted(rules - known)
    if unknown:
        return (
            None,
            f"{option}: unknown rule{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} (known: {', '.join(sorted(known))})",
        )
    if not rules:
        return None, f"{option}: no rule given"
    return frozenset(rules), None


def _display(path: str) -> str:
    """A path as people read it in a report: ``src/app.py`` rather than ``./src/app.py``."""
    return os.path.normpath(path)


# --- output -----------------------------------------------------------------------------------


def _write_text(problems: list[Problem], out: TextIO) -> None:
    for p in problems:
        out.write(f"{p.path}:{p.line}:{p.column}: {p.rule} {p.message}\n")


def _write_json(problems: list[Problem], out: TextIO) -> None:
    rows = [{**asdict(p), "severity": _SEVERITY_NAME.get(p.severity, "warning")} for p in problems]
    json.dump(rows, out, indent=2, ensure_ascii=False)
    out.write("\n")


def _write_github(problems: list[Problem], out: TextIO) -> None:
    for p in problems:
        properties = ",".join(
            f"{key}={_github_property(str(value))}"
            for key, value in (
                ("file", Path(p.path).as_posix()),
                ("line", p.line),
                ("col", p.column),
                ("endLine", p.end_line),
                ("endColumn", p.end_column),
                ("title", f"http-status-ls {p.rule}"),
            )
        )
        out.write(f"::{_GITHUB_COMMAND.get(p.severity, 'warning')} {properties}::{_github_data(p.message)}\n")


def _github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def sarif_log(problems: Iterable[Problem]) -> dict[str, Any]:
    """A SARIF 2.1.0 log with one run; columns are counted in Unicode code points."""
    from http_status_ls.features.diagnostics import RULES, SEVERITY

    rule_ids = list(RULES)
    index = {rule: i for i, rule in enumerate(rule_ids)}
    rules = []
    for rule in rule_ids:
        descriptor: dict[str, Any] = {
            "id": rule,
            "name": "".join(part.capitalize() for part in rule.split("-")),
            "shortDescription": {"text": RULE_SUMMARIES.get(rule, rule)},
            "defaultConfiguration": {
                "level": _SARIF_LEVEL.get(int(SEVERITY[rule] or 2), "warning") if SEVERITY.get(rule) is not None else "none"
            },
        }
        rules.append(descriptor)
    results = []
    for p in problems:
        result: dict[str, Any] = {
            "ruleId": p.rule,
            "level": _SARIF_LEVEL.get(p.severity, "warning"),
            "message": {"text": p.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": _artifact_location(p.path),
                        "region": {
                            "startLine": p.line,
                            "startColumn": p.column,
                            "endLine": p.end_line,
                            "endColumn": p.end_column,
                        },
                    }
                }
            ],
        }
        if p.rule in index:
            result["ruleIndex"] = index[p.rule]
        if p.url:
            result["properties"] = {"helpUri": p.url}
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "http-status-ls",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().as_uri() + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def _artifact_location(path: str) -> dict[str, str]:
    if os.path.isabs(path):
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(Path(path).as_posix()), "uriBaseId": "%SRCROOT%"}


def _write_sarif(problems: list[Problem], out: TextIO) -> None:
    json.dump(sarif_log(problems), out, indent=2, ensure_ascii=False)
    out.write("\n")


def _summary(problems: list[Problem], checked: int, err: TextIO) -> None:
    files = f"{checked} file{'s' if checked != 1 else ''}"
    if not problems:
        print(f"http-status-ls: {files} checked, no problems", file=err)
        return
    counts: dict[str, int] = {}
    for p in problems:
        name = _SEVERITY_NAME.get(p.severity, "warning")
        counts[name] = counts.get(name, 0) + 1
    plural = {"error": "errors", "warning": "warnings", "information": "information", "hint": "hints"}
    detail = ", ".join(f"{counts[name]} {name if counts[name] == 1 else plural[name]}" for name in plural if name in counts)
    print(f"http-status-ls: {files} checked, {len(problems)} problem{'s' if len(problems) != 1 else ''} ({detail})", file=err)


if __name__ == "__main__":
    sys.exit(main())
