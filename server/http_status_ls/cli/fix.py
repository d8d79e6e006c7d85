"""``http-status-ls check --fix``: the safe fixes (``features.actions.fix_all``) written to the files.

Each file is fixed in this process before the check reports what remains: read, analysed with the
check's settings and rule selection, fixed, analysed again until nothing is left to fix (a fix can
make room for another: a second run then changes nothing), and written back only when the result
still parses. A file that does not parse to begin with is named and left as it is. The bytes that
are not edited stay as they were: the byte-order mark, the line breaks (inserted lines take the
file's own), the encoding (UTF-8; other files are not read).
"""

from __future__ import annotations

import ast
import codecs
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from http_status_ls.cli.report import printable
from http_status_ls.core.languages import PYTHON
from http_status_ls.core.project_files import ProjectFile, read_regular_file

if TYPE_CHECKING:
    from http_status_ls.cli.check import _Job

_MAX_ROUNDS = 4
"""Fixes that wait for another (overlapping) fix get their turn in a later round; a few suffice."""


@dataclass(slots=True)
class FixOutcome:
    path: str
    fixed: Counter[str] = field(default_factory=Counter)
    """Rule -> how many findings were fixed."""
    note: str | None = None
    """Why the file was left as it is (it does not parse, it is not UTF-8...)."""


def parses(language: str, text: str) -> bool:
    """Whether the text is valid in its language, as its own parser reads it."""
    if language == PYTHON:
        from http_status_ls.detect.python.tree import parse, source_bytes

        if parse(source_bytes(text)).root_node.has_error:
            return False
        try:
            ast.parse(text)
        except (SyntaxError, ValueError):
            return False
        return True
    if language == "json":
        try:
            json.loads(text)
        except ValueError:
            return False
        return True
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        for _event in yaml.parse(text, Loader=loader):
            pass
    except yaml.YAMLError:
        return False
    return True


def fix_text(path: str, text: str, language: str, job: _Job) -> tuple[str, Counter[str]]:
    """The text with every safe fix the check's settings call for, and what was fixed."""
    from http_status_ls.detect.analysis import analyse
    from http_status_ls.features.actions import fix_all
    from http_status_ls.features.diagnostics import Finding
    from http_status_ls.features.status_style import lines_of

    settings = job.settings
    target = job.targets.resolve(
        Path(path), root=job.root, python_version=settings.python_version, environment=settings.python_environment
    )

    def keep(finding: Finding) -> bool:
        return (job.select is None or finding.rule in job.select) and finding.rule not in job.ignore

    fixed: Counter[str] = Counter()
    for _round in range(_MAX_ROUNDS):
        analysis = analyse(path, None, text, None, extra_keys=settings.extra_yaml_keys, project=job.project)
        lines = lines_of(text)
        plan = fix_all.plan(analysis, lines, severity=job.severity, target=target, keep=keep)
        if not plan.edits:
            break
        new = fix_all.apply(lines, plan.edits)
        if new == text or not parses(language, new):
            break  # a fix that would break the file is never written
        text = new
        fixed.update(plan.fixed)
    return text, fixed


def fix_file(file: ProjectFile, job: _Job) -> FixOutcome:
    path = printable(os.path.normpath(file.path))
    if not job.settings.languages.enabled(file.language) or file.size > job.settings.max_file_size:
        return FixOutcome(path)  # the check says why it skips the file
    try:
        data = read_regular_file(file.path)
    except OSError as error:
        return FixOutcome(path, note=f"not fixed: cannot read: {error.strerror or error}")
    bom = data.startswith(codecs.BOM_UTF8)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return FixOutcome(path, note="not fixed: not UTF-8")
    if not parses(file.language, text):
        return FixOutcome(path, note="not fixed: it does not parse")
    try:
        new, fixed = fix_text(file.path, text, file.language, job)
    except Exception as error:  # a bug on one file must leave it as it was and the others fixed
        return FixOutcome(path, note=f"not fixed: {type(error).__name__}: {error}")
    if new != text:
        try:
            with open(file.path, "wb") as stream:  # the same file: its mode and owner stay
                stream.write((codecs.BOM_UTF8 if bom else b"") + new.encode("utf-8", "surrogatepass"))
        except OSError as error:
            return FixOutcome(path, note=f"not fixed: cannot write: {error.strerror or error}")
    return FixOutcome(path, fixed=fixed)


def with_project(files: list[ProjectFile], job: _Job) -> _Job:
    """The job with the status parameters the Python files define (``error_response(404, ...)``
    counts wherever ``error_response`` is defined), as the check's second pass has them."""
    from dataclasses import replace

    from http_status_ls.detect.python.project_params import EMPTY_FILE, ProjectParameters, summarise_python

    summaries = []
    for file in files:
        if file.language != PYTHON or file.size > job.settings.max_file_size:
            continue
        try:
            summary = summarise_python(read_regular_file(file.path).decode("utf-8-sig"))
        except (OSError, UnicodeDecodeError):
            continue  # fix_file names it
        if summary != EMPTY_FILE:
            summaries.append(summary)
    return replace(job, project=ProjectParameters.from_files(summaries)) if summaries else job


def fix_files(files: list[ProjectFile], job: _Job, out: TextIO) -> None:
    """Fix every file and say what changed: one line per changed or refused file, then a total."""
    job = with_project(files, job)
    total: Counter[str] = Counter()
    changed = 0
    for file in files:
        outcome = fix_file(file, job)
        if outcome.note is not None:
            print(f"http-status-ls: {outcome.path}: {outcome.note}", file=out)
        if outcome.fixed:
            changed += 1
            total.update(outcome.fixed)
            print(f"{outcome.path}: fixed {sum(outcome.fixed.values())} ({_by_rule(outcome.fixed)})", file=out)
    count = sum(total.values())
    if count:
        print(f"Fixed {count} problem{'s' if count != 1 else ''} in {changed} file{'s' if changed != 1 else ''}", file=out)
    else:
        print("Nothing to fix", file=out)


def _by_rule(fixed: Counter[str]) -> str:
    return ", ".join(f"{rule} x{count}" for rule, count in sorted(fixed.items()))
