"""``http-status-ls check --fix``: what it writes and prints, a second run that changes nothing, a file
that does not parse left as it was, line breaks and byte-order marks kept, and the exit status of
what remains."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from http_status_ls.cli import check
from tests.support.fixture_texts import fixture_text

PYPROJECT = """\
[tool.http-status-ls]
rules = { status-style = "warning" }
statusStyle = { allow = [200] }
"""

VIEWS = fixture_text("fix_all_views.py")
"""A Flask view with one status-style problem of each kind (the style allows 200)."""

SPEC = """\
openapi: 3.0.3
info: {title: Orders, version: '1'}
paths:
  /orders:
    get:
      responses:
        200:
          description: ok
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    (tmp_path / "views.py").write_text(VIEWS)
    (tmp_path / "openapi.yaml").write_text(SPEC)
    return tmp_path


def run_fix(capsys: pytest.CaptureFixture[str], *paths: Path) -> tuple[int, str, str]:
    status = check.main(["--fix", "--jobs", "1", *map(str, paths)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_fix_writes_the_files_and_says_what_it_changed(project: Path, capsys):
    status, out, err = run_fix(capsys, project)
    views = (project / "views.py").read_text()
    assert views.startswith("from http import HTTPStatus\n\nfrom flask import Flask, abort\n")
    assert 'return {"id": order_id}, HTTPStatus.CREATED\n    abort(HTTPStatus.NOT_FOUND)\n' in views
    assert "== 200:" in views  # on the allowlist
    assert "        '200':\n" in (project / "openapi.yaml").read_text()
    assert f"{project / 'views.py'}: fixed 2 (status-style x2)" in err
    assert f"{project / 'openapi.yaml'}: fixed 1 (unquoted-response-key x1)" in err
    assert "Fixed 3 problems in 2 files" in err
    assert status == 0 and "status-style" not in out and "unquoted-response-key" not in out  # nothing fixable remains


def test_a_second_run_changes_nothing(project: Path, capsys):
    run_fix(capsys, project)
    before = {path.name: path.read_bytes() for path in project.iterdir()}
    status, _out, err = run_fix(capsys, project)
    assert "Nothing to fix" in err and "fixed" not in err
    assert {path.name: path.read_bytes() for path in project.iterdir()} == before
    assert status == 0


def test_what_remains_decides_the_exit_status(project: Path, capsys):
    (project / "legacy.py").write_text("from flask import abort\n\nabort(305)\n")
    status, out, err = run_fix(capsys, project)
    assert "legacy.py: fixed 1 (status-style x1)" in err
    assert "abort(HTTPStatus.USE_PROXY)" in (project / "legacy.py").read_text()
    assert "deprecated-code" in out and status == 1  # a code to change is a person's choice


def test_a_file_that_does_not_parse_is_named_and_left(project: Path, capsys):
    broken = project / "broken.py"
    broken.write_text("from flask import abort\n\ndef view(:\n    abort(404)\n")
    before = broken.read_bytes()
    run_fix(capsys, project)
    _status, _out, err = run_fix(capsys, project)
    assert broken.read_bytes() == before
    assert f"{broken}: not fixed: it does not parse" in err


def test_line_breaks_and_byte_order_mark_are_kept(project: Path, capsys):
    views = project / "views.py"
    views.write_bytes(codecs.BOM_UTF8 + VIEWS.replace("\n", "\r\n").encode())
    run_fix(capsys, project)
    data = views.read_bytes()
    assert data.startswith(codecs.BOM_UTF8 + b"from http import HTTPStatus\r\n\r\nfrom flask")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"abort(HTTPStatus.NOT_FOUND)\r\n" in data


def test_ignored_rules_are_not_fixed(project: Path, capsys):
    status = check.main(["--fix", "--jobs", "1", "--ignore", "status-style", str(project)])
    capsys.readouterr()
    assert (project / "views.py").read_text() == VIEWS
    assert "'200':" in (project / "openapi.yaml").read_text()
    assert status == 0


def test_without_fix_nothing_is_written(project: Path, capsys):
    status = check.main(["--jobs", "1", str(project)])
    capsys.readouterr()
    assert (project / "views.py").read_text() == VIEWS and status == 1


def test_a_helper_defined_in_another_file_is_followed(project: Path, capsys):
    (project / "errors.py").write_text(
        "from flask import jsonify\n\n\ndef error_response(status_code, message):\n"
        "    return jsonify(error=message), status_code\n"
    )
    (project / "carts.py").write_text(
        "from errors import error_response\n\n\ndef cart():\n    return error_response(409, 'busy')\n"
    )
    run_fix(capsys, project)
    assert "error_response(HTTPStatus.CONFLICT, 'busy')" in (project / "carts.py").read_text()
