"""``http-status-ls check PATH...``: the server's diagnostics for CI and pre-commit.

Each file goes through the same pipeline as an open document in the editor (``analysis.analyse`` then
``diagnostics.findings``), with the project's settings (``[tool.http-status-ls]`` in the nearest
``pyproject.toml`` from the first path upward) and inline suppressions applied, then ``--select`` /
``--ignore``. Output is sorted by path, line and column whatever the order files finish in.

Files are analysed in worker processes when there is enough work to pay for them. A worker gets a
chunk of paths, analyses one file at a time and sends back only the findings, so no parse tree
outlives its file and only a few chunks are in flight at once. :mod:`report` writes what they found.

Exit status: 0 clean (information and hints do not count), 1 when a finding at warning or above
remains, 2 for usage errors, invalid settings, and files that cannot be read or decoded (each named on
stderr; the other files are still checked and reported).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from http_status_ls.cli.report import FORMATS, WRITERS, Problem, printable, write_summary
from http_status_ls.core import settings_files
from http_status_ls.core.gc_pause import collection_paused
from http_status_ls.core.languages import PYTHON
from http_status_ls.core.project_files import ProjectFile, read_regular_file, walk
from http_status_ls.core.project_target import ProjectTargets
from http_status_ls.core.settings import Settings
from http_status_ls.kb.rules import RULE_IDS, SEVERITY, Severity

if TYPE_CHECKING:
    from http_status_ls.detect.python.project_params import FileParameters, ProjectParameters
    from http_status_ls.detect.python.routes import FileRoutes

_CALLED_WORD = re.compile(r"\b(\w+)\s*\(")
# The same on an ASCII text, where the ASCII classes match what the Unicode ones do (``\s`` takes
# \x1c-\x1f there too) and spare a Unicode lookup per character: twice as fast.
_ASCII_CALLED_WORD = re.compile(r"\b(\w+)[ \t\n\r\f\v\x1c-\x1f]*\(", re.ASCII)
_NAME_START = re.compile(r"[A-Za-z_]")


def called_names(text: str) -> frozenset[str]:
    """Every ``name(`` in the text: the names ``[A-Za-z_]\\w*`` followed by ``(``, where a word
    that starts with a digit or another letter (``9abc(``) counts from its first ASCII letter or ``_``."""
    # Matching whole words from a word boundary is about twice as fast as trying an identifier at
    # every character of every word, and gives the same names once each word is trimmed.
    found = set()
    for word in (_ASCII_CALLED_WORD if text.isascii() else _CALLED_WORD).findall(text):
        first = word[0]
        if first == "_" or ("a" <= first <= "z") or ("A" <= first <= "Z"):
            found.add(word)
        else:
            start = _NAME_START.search(word)
            if start is not None:
                found.add(word[start.start() :])
    return frozenset(found)


# Below this much work a process pool costs more to start than it saves: a small Python file takes
# under a millisecond, a megabyte of YAML about 0.2 s, and starting the workers a tenth of a second.
_SERIAL_MAX_FILES = 200
_SERIAL_MAX_BYTES = 1_000_000
_CHUNK_MAX_FILES = 64
_CHUNK_MAX_BYTES = 2_000_000


@dataclass(slots=True)
class FileOutcome:
    path: str
    problems: list[Problem] = field(default_factory=list)
    error: str | None = None
    """Why the file could not be checked (unreadable, not UTF-8, analysis failure): exit status 2."""
    note: str | None = None
    """Why the file was skipped on purpose (too large, language switched off): no effect on status."""
    summary: FileParameters | None = None
    """What a Python file defines that takes a status (None: nothing), for the project's table."""
    calls: frozenset[str] = frozenset()
    """The names a Python file calls: whether the table of the other files can change its findings."""
    routes: FileRoutes | None = None
    """A Python file's routes and the codes its functions produce, for the cross-check (None: none)."""
    openapi: bool = False
    """A YAML or JSON file that is an API description, for the cross-check."""


@dataclass(frozen=True, slots=True)
class _Job:
    """What a worker needs besides the paths; pickled once per worker."""

    settings: Settings
    severity: dict[str, Any]
    select: frozenset[str] | None
    ignore: frozenset[str]
    targets: ProjectTargets = field(default_factory=ProjectTargets)
    """The projects' targets (requires-python, the installed starlette), cached per folder per worker."""
    root: Path = field(default_factory=Path.cwd)
    """Where environments are looked for up to, and what a relative ``pythonEnvironment`` is relative to."""
    project: ProjectParameters | None = None
    """The status parameters the checked Python files define, so that a helper defined in one file
    makes its calls in the others statuses (built by a first pass over the files)."""
    routes: dict[str, FileRoutes] = field(default_factory=dict)
    """Filled in the main process from the outcomes (workers leave it empty): each Python file's routes."""
    descriptions: list[str] = field(default_factory=list)
    """Likewise: the API descriptions among the files."""
    read_routes: bool = True
    """Whether a YAML or JSON file (a possible API description) is among the files: without one the
    cross-check has nothing to compare with, and reading routes would cost a second pass per file."""
    folder_targets: dict[tuple[str, str | None, str | None], Any] = field(default_factory=dict)
    """The target of each folder's files, asked once per folder: the files of one folder share it,
    and nothing it reads changes while ``check`` runs."""


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
    parser.add_argument(
        "--fix", action="store_true", help="rewrite the files with every safe fix first, then report what remains"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """``check`` on its own: ``python -m http_status_ls.cli.check PATH...``."""
    parser = argparse.ArgumentParser(prog="http-status-ls check", description="Check HTTP status codes in files.")
    add_arguments(parser)
    return run(parser.parse_args(argv))


def run(args: argparse.Namespace, *, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Check ``args.paths`` and print the report; returns the exit status."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    selection = _selection(args, err)
    if selection is None:
        return 2
    select, ignore = selection
    loaded = _project_settings(args, err)
    if loaded is None:
        return 2
    settings, failed = loaded
    job = _Job(settings=settings, severity=_severity(settings, select), select=select, ignore=ignore or frozenset())

    def unreadable(path: str, error: OSError) -> None:
        nonlocal failed
        failed = True
        print(f"http-status-ls: {printable(_display(path))}: {error.strerror or error}", file=err)

    files = list(walk(args.paths, on_error=unreadable, respect_gitignore=not args.no_gitignore))
    job = replace(job, read_routes=any(file.language != PYTHON for file in files))
    if getattr(args, "fix", False):
        from http_status_ls.cli import fix  # loads the code actions: only when fixing

        fix.fix_files(files, job, err)
    problems, checked, incomplete = _check_files(files, job, args.jobs or os.cpu_count() or 1, err)
    problems += _cross_check(job)
    problems.sort(key=lambda p: (p.path, p.line, p.column, p.rule))
    WRITERS[args.format](problems, out)
    write_summary(problems, checked, err)
    if failed or incomplete:
        return 2
    return 1 if any(p.fails for p in problems) else 0


def _selection(args: argparse.Namespace, err: TextIO) -> tuple[frozenset[str] | None, frozenset[str] | None] | None:
    """``--select`` and ``--ignore`` as sets of rules (None: not given), or None after naming every
    usage error on stderr (unknown rules, a negative ``--jobs``)."""
    rules = set(RULE_IDS)
    select, select_error = _rule_list(args.select, rules, "--select")
    ignore, ignore_error = _rule_list(args.ignore, rules, "--ignore")
    errors = [message for message in (select_error, ignore_error) if message]
    if (args.jobs or 0) < 0:
        errors.append("--jobs must be 0 (one per CPU) or more")
    for message in errors:
        print(f"http-status-ls check: error: {message}", file=err)
    return None if errors else (select, ignore)


def _project_settings(args: argparse.Namespace, err: TextIO) -> tuple[Settings, bool] | None:
    """The settings of ``--config``, else of the nearest ``pyproject.toml`` from the first path up,
    and whether they had invalid keys (each named on stderr). None when ``--config`` names no file."""
    pyproject: Path | None
    if args.config:
        pyproject = Path(args.config)
        if not pyproject.is_file():
            print(f"http-status-ls check: error: --config {args.config}: no such file", file=err)
            return None
    else:
        pyproject = settings_files.find_pyproject(Path(args.paths[0]))
    settings, messages = settings_files.load(pyproject=pyproject, known_rules=set(RULE_IDS))
    for message in messages:
        print(f"http-status-ls: {message}", file=err)
    return settings, bool(messages)


def _severity(settings: Settings, select: frozenset[str] | None) -> dict[str, Any]:
    """The severity table of the settings, with every ``--select``ed rule on."""
    severity = settings.severity_table(SEVERITY)
    for rule in select or ():
        # The command line wins over the configuration: a selected rule is on, at its default severity.
        if severity.get(rule) is None:
            severity[rule] = SEVERITY.get(rule) or Severity.Warning
    return severity


def _check_files(files: list[ProjectFile], job: _Job, jobs: int, err: TextIO) -> tuple[list[Problem], int, bool]:
    """The problems found in ``files``, how many files were checked, and whether any could not be
    (each named on stderr, as are the ones skipped on purpose)."""
    problems: list[Problem] = []
    checked = 0
    failed = False
    outcomes: list[FileOutcome] = []
    try:
        outcomes.extend(_outcomes(files, job, jobs))
        _recheck_with_project(files, outcomes, job, jobs)
    except BrokenProcessPool as error:
        # A worker died (out of memory, killed): report what was done, and fail rather than pass.
        failed = True
        print(
            f"http-status-ls: a worker process died ({error}); {len(files) - len(outcomes)} files unchecked; try --jobs 1",
            file=err,
        )
    for outcome in outcomes:
        if outcome.routes is not None:
            job.routes[outcome.path] = outcome.routes
        if outcome.openapi:
            job.descriptions.append(outcome.path)
        if outcome.error:
            failed = True
            print(f"http-status-ls: {printable(outcome.path)}: {outcome.error}", file=err)
            continue
        if outcome.note:
            print(f"http-status-ls: {printable(outcome.path)}: {outcome.note}", file=err)
            continue
        checked += 1
        problems.extend(outcome.problems)
    return problems, checked, failed


def _recheck_with_project(files: list[ProjectFile], outcomes: list[FileOutcome], job: _Job, jobs: int) -> None:
    """The second pass: once every file has been read on its own, the files that call a function or
    class another file defines with a status parameter are checked again with the project's table,
    so that ``error_response(404, ...)`` counts wherever ``error_response`` is defined. Files that
    call none of them keep their first outcome: most files are read once."""
    summaries = [outcome.summary for outcome in outcomes if outcome.summary is not None]
    if not summaries:
        return
    from http_status_ls.detect.python.project_params import ProjectParameters

    project = ProjectParameters.from_files(summaries)
    names = {name for name, _rows in project.by_name}
    again = [index for index, outcome in enumerate(outcomes) if (outcome.calls & names) - _defines(outcome.summary)]
    if not again:
        return
    for index, outcome in zip(again, _outcomes([files[i] for i in again], replace(job, project=project), jobs), strict=True):
        outcome.routes = outcomes[index].routes  # read in the first pass; the table does not change them
        outcomes[index] = outcome


def _defines(summary: FileParameters | None) -> set[str]:
    return {row.callable_name for row in summary.parameters} if summary is not None else set()


def check_text(path: str, text: str, job: _Job) -> list[Problem]:
    """The problems of one file's text, after settings, suppressions and rule selection."""
    return _checked_text(path, text, job)[0]


def _checked_text(path: str, text: str, job: _Job) -> tuple[list[Problem], Any]:
    """The problems of one file's text and its analysis (whose detection the routes reuse)."""
    from http_status_ls.detect.analysis import analyse
    from http_status_ls.features.diagnostics import findings

    with collection_paused():  # see `core.gc_pause`
        analysis = analyse(path, None, text, None, extra_keys=job.settings.extra_yaml_keys, project=job.project)
        # analyse() turns a detector crash into a note so the server survives; in CI it must not
        # pass silently as "no problems".
        failure = next((note for note in analysis.detection.notes if "detector failed" in note), None)
        if failure is not None:
            raise _AnalysisFailed(failure)
        found = findings(analysis, severity=job.severity, target=_target_of(path, job), text=text)
    return _problems(path, text, found, job), analysis


def _target_of(path: str, job: _Job) -> Any:
    """The project target (requires-python, starlette) of the file at ``path``, shared by its folder."""
    settings = job.settings
    key = (os.path.dirname(path), settings.python_version, settings.python_environment)
    target = job.folder_targets.get(key)
    if target is None:
        target = job.folder_targets[key] = job.targets.resolve(
            Path(path), root=job.root, python_version=settings.python_version, environment=settings.python_environment
        )
    return target


def _problems(path: str, text: str, found: Sequence[Any], job: _Job) -> list[Problem]:
    """Findings (anything with span, rule, severity, message, href) as problems, after rule
    selection and inline suppressions."""
    from http_status_ls.features.suppression import drop_suppressed

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
        data = read_regular_file(file.path)  # a FIFO is refused, never waited on
    except OSError as error:
        return FileOutcome(path, error=f"cannot read: {error.strerror or error}")
    try:
        # utf-8-sig: a byte-order mark is not a character of line 1 (editors hide it too).
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return FileOutcome(path, error=f"not UTF-8 (byte {error.start}: {error.reason})")
    del data
    try:
        problems, analysis = _checked_text(path, text, job)
        outcome = FileOutcome(path, problems=problems)
    except _AnalysisFailed as failure:
        return FileOutcome(path, error=f"could not be analysed: {failure}")
    except Exception as error:  # a bug on one file must not hide the results of the others
        return FileOutcome(path, error=f"could not be analysed: {type(error).__name__}: {error}")
    if file.language == PYTHON and job.project is None:
        from http_status_ls.detect.python.project_params import EMPTY_FILE, summarise_python
        from http_status_ls.detect.python.routes import EMPTY_ROUTES, summarise_routes

        summary = summarise_python(text)  # the detector's own summary of this text: no second parse
        outcome.summary = summary if summary != EMPTY_FILE else None
        outcome.calls = called_names(text)
        try:
            routes = summarise_routes(text, analysis.detection) if job.read_routes else EMPTY_ROUTES
        except Exception:  # the cross-check loses this file's routes; its own findings stand
            routes = EMPTY_ROUTES
        outcome.routes = routes if routes != EMPTY_ROUTES else None
    elif file.language != PYTHON:
        outcome.openapi = _DESCRIPTION.search(text) is not None
    return outcome


_DESCRIPTION = re.compile(r"""^["']?(?:openapi|swagger)["']?[ \t]*:|["'](?:openapi|swagger)["'][ \t]*:[ \t]*["']""", re.MULTILINE)
"""An API description has a root ``openapi:``/``swagger:`` key (YAML at column 0; JSON anywhere,
as a string member); the cross-check reads it again and drops what is not one."""


def _cross_check(job: _Job) -> list[Problem]:
    """The cross-check of the Python handlers among the files against the API descriptions among
    them (``features.code_spec``): nothing unless both are there."""
    if not job.routes or not job.descriptions:
        return []
    from http_status_ls.features.code_spec_files import cross_check_files

    result = cross_check_files(job.routes, job.descriptions, named=job.settings.openapi_specs)
    problems: list[Problem] = []
    for path, found in result.by_file().items():
        try:
            text = read_regular_file(path).decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        judged = [_Judged(f.span, f.rule, job.severity.get(f.rule), f.message) for f in found]
        problems += _problems(path, text, [f for f in judged if f.severity is not None], job)
    return problems


@dataclass(frozen=True, slots=True)
class _Judged:
    """A cross-check finding at the severity the settings give its rule."""

    span: Any
    rule: str
    severity: Any
    message: str
    href: str | None = None


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


if __name__ == "__main__":
    sys.exit(main())
