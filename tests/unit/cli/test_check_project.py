"""``check`` reads the project, not only the file: a helper defined in one module makes the codes
other modules pass it statuses, serially and in worker processes alike."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from http_status_ls.cli import check
from tests.unit.cli.test_check import run_check, tree

HELPERS = """\
from flask import jsonify


def error_response(message, status_code):
    return jsonify(error=message), status_code


class ApiError(Exception):
    def __init__(self, code, message):
        self.code = code
"""

VIEWS = """\
from .helpers import ApiError, error_response as fail


def view(item):
    if item is None:
        return fail("gone", 420)
    raise ApiError(305, "use the proxy")


def unrelated(cache):
    cache.store("k", 420)
"""


def rules(out: str) -> list[tuple[str, int, str]]:
    return [(Path(row["path"]).name, row["line"], row["rule"]) for row in json.loads(out)]


def test_a_helper_in_one_file_makes_statuses_in_another(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tree(tmp_path, {"app/helpers.py": HELPERS, "app/views.py": VIEWS})
    status, out, _ = run_check(capsys, "-j", "1", "--format", "json", str(tmp_path))
    assert status == 1
    assert rules(out) == [("views.py", 6, "unofficial-code"), ("views.py", 7, "deprecated-code")]


def test_checking_the_caller_alone_knows_no_helper(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tree(tmp_path, {"app/helpers.py": HELPERS, "app/views.py": VIEWS})
    status, out, _ = run_check(capsys, "-j", "1", "--format", "json", str(tmp_path / "app" / "views.py"))
    assert status == 0 and rules(out) == []


def test_workers_get_the_same_table(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    files: dict[str, str | bytes] = {"app/helpers.py": HELPERS, **{f"app/views{i}.py": VIEWS for i in range(12)}}
    tree(tmp_path, files)
    serial = run_check(capsys, "-j", "1", "--format", "json", str(tmp_path))
    monkeypatch.setattr(check, "_SERIAL_MAX_FILES", 0)
    parallel = run_check(capsys, "-j", "2", "--format", "json", str(tmp_path))
    assert serial[:2] == parallel[:2]
    assert len(rules(parallel[1])) == 24


def test_only_files_calling_another_files_helpers_are_read_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    tree(tmp_path, {"app/helpers.py": HELPERS, "app/views.py": VIEWS, "app/other.py": "def plain():\n    return 1\n"})
    read: list[str] = []
    real = check._checked_text

    def counting(path: str, text: str, job: check._Job) -> tuple[list[check.Problem], Any]:
        read.append(Path(path).name)
        return real(path, text, job)

    monkeypatch.setattr(check, "_checked_text", counting)
    run_check(capsys, "-j", "1", str(tmp_path))
    assert sorted(read) == ["helpers.py", "other.py", "views.py", "views.py"]
