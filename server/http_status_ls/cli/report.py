"""The report of ``http-status-ls check``: one :class:`Problem` per finding, written as text, JSON,
SARIF 2.1.0 or GitHub Actions annotations, and the one-line summary on stderr.

Nothing here reads files or judges codes: :mod:`check` hands over the problems, sorted. A path is
whatever the file system allows, bytes that are not UTF-8 and newlines included: every format writes
it escaped (:func:`printable`), and SARIF's URIs percent-encode its bytes, so no report is ever cut
short by an encoding error or split by a newline.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from http_status_ls import __version__
from http_status_ls.kb.rules import BY_ID, RULE_IDS, SEVERITY

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://www.iana.org/assignments/http-status-codes/http-status-codes.xhtml"

_SARIF_LEVEL = {1: "error", 2: "warning", 3: "note", 4: "note"}
_SEVERITY_NAME = {1: "error", 2: "warning", 3: "information", 4: "hint"}
_GITHUB_COMMAND = {1: "error", 2: "warning", 3: "notice", 4: "notice"}


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


def printable(path: str) -> str:
    """``path`` as text any output can carry: bytes that are not UTF-8 (which Python keeps as lone
    surrogates) as ``\\xNN``, and control characters as ``\\n``, ``\\t``, ``\\x1b``..."""
    if path.isprintable():
        return path
    text = os.fsencode(path).decode("utf-8", "backslashreplace")
    return "".join(character if character.isprintable() else repr(character)[1:-1] for character in text)


def write_text(problems: list[Problem], out: TextIO) -> None:
    """``path:line:col: rule message``, one line each (what editors and terminals link)."""
    for p in problems:
        out.write(f"{printable(p.path)}:{p.line}:{p.column}: {p.rule} {p.message}\n")


def write_json(problems: list[Problem], out: TextIO) -> None:
    """A JSON array of the problems, severities by name."""
    rows = [{**asdict(p), "path": printable(p.path), "severity": _SEVERITY_NAME.get(p.severity, "warning")} for p in problems]
    json.dump(rows, out, indent=2, ensure_ascii=False)
    out.write("\n")


def write_github(problems: list[Problem], out: TextIO) -> None:
    """GitHub Actions workflow commands: an annotation per problem on the pull request's diff."""
    for p in problems:
        properties = ",".join(
            f"{key}={_github_property(str(value))}"
            for key, value in (
                ("file", printable(Path(p.path).as_posix())),
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


def write_sarif(problems: list[Problem], out: TextIO) -> None:
    """A SARIF 2.1.0 log (what code scanning uploads take)."""
    json.dump(sarif_log(problems), out, indent=2, ensure_ascii=False)
    out.write("\n")


def sarif_log(problems: Iterable[Problem]) -> dict[str, Any]:
    """A SARIF 2.1.0 log with one run; columns are counted in Unicode code points."""
    index = {rule: i for i, rule in enumerate(RULE_IDS)}
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
                        "rules": [_sarif_rule(rule) for rule in RULE_IDS],
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().as_uri() + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": [_sarif_result(p, index) for p in problems],
            }
        ],
    }


def _sarif_rule(rule: str) -> dict[str, Any]:
    """The rule's entry in the tool's rule table (code scanning shows it next to each alert)."""
    return {
        "id": rule,
        "name": "".join(part.capitalize() for part in rule.split("-")),
        "shortDescription": {"text": BY_ID[rule].summary},
        "defaultConfiguration": {
            "level": _SARIF_LEVEL.get(int(SEVERITY[rule] or 2), "warning") if SEVERITY.get(rule) is not None else "none"
        },
    }


def _sarif_result(p: Problem, index: dict[str, int]) -> dict[str, Any]:
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
    return result


def _artifact_location(path: str) -> dict[str, str]:
    if os.path.isabs(path):
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(os.fsencode(Path(path).as_posix())), "uriBaseId": "%SRCROOT%"}


WRITERS: dict[str, Callable[[list[Problem], TextIO], None]] = {
    "text": write_text,
    "json": write_json,
    "sarif": write_sarif,
    "github": write_github,
}
FORMATS = tuple(WRITERS)


def write_summary(problems: list[Problem], checked: int, err: TextIO) -> None:
    """``N files checked, M problems (a errors, b warnings)`` on stderr."""
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
