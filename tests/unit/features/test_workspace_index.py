"""The workspace index: built from a walk, kept current by notifications and by stamps, queried for
the files holding a symbol, and the project's status parameters merged from its Python files."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pygls.uris import from_fs_path
from pygls.workspace.position_codec import PositionCodec

from http_status_ls.detect.python.project_params import NO_PROJECT, FileParameters, StatusParameter
from http_status_ls.features import workspace_index
from http_status_ls.features.references import (
    SearchScope,
    StatusSymbol,
    indexed_references,
    path_key,
    workspace_references,
)
from http_status_ls.features.workspace_index import BuildProgress, IndexOptions, WorkspaceIndex
from tests.support.small_workspace import populate, write

UTF16 = PositionCodec("utf-16")
UTF8 = PositionCodec("utf-8")
NOT_FOUND = StatusSymbol(code=404)
CLIENT_ERRORS = StatusSymbol(range_class=4)

OPENAPI = """\
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      responses:
        '404': {description: gone}
        4XX: {description: client}
"""


def touch_later(path: Path, text: str) -> None:
    """Rewrite ``path`` with a stamp surely different from the old one (same-size writes within a
    clock tick would otherwise look unchanged)."""
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 2_000_000_000, before + 2_000_000_000))


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return populate(tmp_path, OPENAPI)


def built(root: Path, options: IndexOptions | None = None) -> WorkspaceIndex:
    index = WorkspaceIndex([str(root)], options or IndexOptions())
    for _ in index.build():
        pass
    return index


def holders(index: WorkspaceIndex, symbol: StatusSymbol, verify_all: bool = False) -> list[str]:
    """Paths (relative to the root) of the fresh records holding ``symbol``."""
    root = index.roots[0]
    return sorted(os.path.relpath(r.path, root) for r in index.candidates(symbol, verify_all=verify_all) if r is not None)


def relative(index: WorkspaceIndex) -> set[str]:
    return {os.path.relpath(record.path, index.roots[0]) for record in index.records.values()}


def locations(search: Iterator[list]) -> dict[str, list[tuple[int, int, int, int]]]:
    found: dict[str, list[tuple[int, int, int, int]]] = {}
    for batch in search:
        for location in batch:
            r = location.range
            found.setdefault(location.uri, []).append((r.start.line, r.start.character, r.end.line, r.end.character))
    return found


# --- building --------------------------------------------------------------------------------------


def test_build_indexes_what_the_walk_finds_and_reports_progress(workspace: Path):
    index = WorkspaceIndex([str(workspace)])
    steps = list(index.build())
    assert index.ready
    assert relative(index) == {"app.py", "other.py", "api/openapi.yaml", "tests/cases.json", "tests/emoji.py", "latin1.py"}
    progress = [step for step in steps if isinstance(step, BuildProgress)]
    assert [step.done for step in progress] == list(range(1, 7)) and {step.total for step in progress} == {6}
    app = index.records[path_key(str(workspace / "app.py"))]
    assert [(s.start_line, s.start_col, s.end_col) for s in app.symbols[NOT_FOUND]] == [(4, 10, 13), (5, 22, 31)]
    assert app.ascii and app.language == "python"
    assert index.records[path_key(str(workspace / "tests/emoji.py"))].ascii is False
    assert index.records[path_key(str(workspace / "latin1.py"))].skipped == "not UTF-8"
    assert NOT_FOUND not in index.records[path_key(str(workspace / "other.py"))].symbols  # a sleep is no status


def test_too_large_files_are_recorded_empty(workspace: Path):
    index = built(workspace, IndexOptions(max_file_size=60))
    record = index.records[path_key(str(workspace / "app.py"))]
    assert record.skipped == "too large" and record.symbols == {}
    assert holders(index, NOT_FOUND) == ["tests/cases.json", "tests/emoji.py"]


def test_candidates_hold_the_symbol(workspace: Path):
    index = built(workspace)
    assert holders(index, NOT_FOUND) == ["api/openapi.yaml", "app.py", "tests/cases.json", "tests/emoji.py"]
    assert holders(index, CLIENT_ERRORS) == ["api/openapi.yaml"]
    assert holders(index, StatusSymbol(code=201)) == ["tests/cases.json"]
    assert holders(index, StatusSymbol(code=418)) == []


# --- staying current -------------------------------------------------------------------------------


def test_update_reindexes_only_a_file_whose_stamp_moved(workspace: Path):
    index = built(workspace)
    assert index.update(str(workspace / "app.py")) is False
    touch_later(workspace / "app.py", "abort(201)\n")
    assert index.update(str(workspace / "app.py")) is True
    assert holders(index, StatusSymbol(code=201)) == ["app.py", "tests/cases.json"]
    assert "app.py" not in holders(index, NOT_FOUND)


def test_a_stale_candidate_is_indexed_again_at_query_time(workspace: Path):
    index = built(workspace)
    touch_later(workspace / "tests/emoji.py", "abort(500)\n")  # no notification
    assert holders(index, NOT_FOUND) == ["api/openapi.yaml", "app.py", "tests/cases.json"]
    assert holders(index, StatusSymbol(code=500)) == ["other.py", "tests/emoji.py"]


def test_a_deleted_candidate_is_dropped(workspace: Path):
    index = built(workspace)
    (workspace / "tests/cases.json").unlink()
    assert holders(index, NOT_FOUND) == ["api/openapi.yaml", "app.py", "tests/emoji.py"]
    assert "tests/cases.json" not in relative(index)


def test_notifications_add_and_remove_files_and_directories(workspace: Path):
    index = built(workspace)
    write(workspace, "new/one.py", "abort(404)\n")
    write(workspace, "new/deeper/two.yaml", "status: 404\n")
    write(workspace, "build/late.py", "abort(404)\n")  # ignored by .gitignore
    write(workspace, "late.generated.py", "abort(404)\n")  # ignored too
    for path in ("new", "build/late.py", "late.generated.py"):
        index.note_changed(str(workspace / path))
    assert holders(index, NOT_FOUND) == [
        "api/openapi.yaml",
        "app.py",
        "new/deeper/two.yaml",
        "new/one.py",
        "tests/cases.json",
        "tests/emoji.py",
    ]
    (workspace / "tests/cases.json").unlink()
    (workspace / "tests/emoji.py").unlink()
    (workspace / "tests").rmdir()
    index.note_changed(str(workspace / "tests"))  # a removed folder is one notification
    assert "tests/emoji.py" not in holders(index, NOT_FOUND)
    assert not any(path.startswith("tests") for path in relative(index))


def test_without_notifications_verify_all_finds_new_and_changed_files(workspace: Path):
    index = built(workspace)
    write(workspace, "api/more.yaml", "status: 404\n")
    touch_later(workspace / "other.py", "abort(404)\n")
    trusting = holders(index, NOT_FOUND)
    assert "api/more.yaml" not in trusting and "other.py" not in trusting  # the client would have said
    checked = holders(index, NOT_FOUND, verify_all=True)
    assert "api/more.yaml" in checked and "other.py" in checked


# --- answering references ------------------------------------------------------------------------


@pytest.mark.parametrize("codec", [UTF16, UTF8], ids=["utf-16", "utf-8"])
@pytest.mark.parametrize("symbol", [NOT_FOUND, CLIENT_ERRORS, StatusSymbol(code=201), StatusSymbol(code=500)], ids=str)
def test_indexed_references_equal_the_streaming_search(workspace: Path, codec: PositionCodec, symbol: StatusSymbol):
    index = built(workspace)
    streamed = locations(workspace_references(symbol, [str(workspace)], [], codec))
    indexed = locations(indexed_references(symbol, index.candidates(symbol), [], codec))
    assert indexed == streamed and (symbol != NOT_FOUND or len(indexed) == 4)


def test_indexed_references_convert_a_non_ascii_file(workspace: Path):
    index = built(workspace)
    emoji = from_fs_path(str(workspace / "tests/emoji.py"))
    assert locations(indexed_references(NOT_FOUND, index.candidates(NOT_FOUND), [], UTF16))[emoji] == [(0, 20, 0, 23)]
    assert locations(indexed_references(NOT_FOUND, index.candidates(NOT_FOUND), [], UTF8))[emoji] == [(0, 22, 0, 25)]


def test_indexed_references_apply_the_scope(workspace: Path):
    index = built(workspace)
    scope = SearchScope(enabled=lambda language: language != "python")
    found = locations(indexed_references(NOT_FOUND, index.candidates(NOT_FOUND), [], UTF16, scope=scope))
    assert sorted(os.path.relpath(uri[len("file://") :], workspace) for uri in found) == ["api/openapi.yaml", "tests/cases.json"]


# --- the project's status parameters --------------------------------------------------------------

REPLY = StatusParameter(callable_name="reply", position=0, keyword="status")
FAIL = StatusParameter(callable_name="fail", position=1, keyword="code")


@pytest.fixture
def summaries(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A stand-in for the Python summariser (its real rules are tested with the detector): a file
    defining ``reply`` or ``fail`` takes a status there. Records every text it is given."""
    seen: list[str] = []

    def summarise(text: str) -> FileParameters:
        seen.append(text)
        found = tuple(p for p in (REPLY, FAIL) if f"def {p.callable_name}(" in text)
        return FileParameters(parameters=found, http_errors=("Teapot",) if "class Teapot" in text else ())

    monkeypatch.setattr(workspace_index, "summarise_python", summarise)
    return seen


def test_parameters_merge_from_files_and_open_documents(workspace: Path, summaries: list[str]):
    write(workspace, "helpers.py", "def reply(status, body):\n    ...\n\nclass Teapot(Exception):\n    pass\n")
    index = built(workspace)
    assert dict(index.project.by_name) == {"reply": (REPLY,)} and index.project.http_errors == {"Teapot"}
    helpers = str(workspace / "helpers.py")
    # An open document's text wins over its file; closing it gives the file back its say.
    assert index.set_open_parameters(helpers, FileParameters(parameters=(FAIL,))) is True
    assert dict(index.project.by_name) == {"fail": (FAIL,)} and index.project.http_errors == frozenset()
    assert index.set_open_parameters(helpers, FileParameters(parameters=(FAIL,))) is False
    assert index.clear_open_parameters(helpers) is True
    assert dict(index.project.by_name) == {"reply": (REPLY,)}
    (workspace / "helpers.py").unlink()
    index.note_changed(helpers)
    list(index.refresh())
    assert index.project == NO_PROJECT


def test_a_table_change_reanalyses_only_the_files_that_mention_a_changed_name(
    workspace: Path, summaries: list[str], monkeypatch: pytest.MonkeyPatch
):
    write(workspace, "views.py", "from helpers import reply\n\nreply(404, 'gone')\n")
    index = built(workspace)
    analysed: list[str] = []
    real = workspace_index.analyse

    def counting(uri: str, *args, **kwargs):
        analysed.append(os.path.basename(uri))
        return real(uri, *args, **kwargs)

    monkeypatch.setattr(workspace_index, "analyse", counting)
    write(workspace, "helpers.py", "def reply(status, body):\n    ...\n")
    index.note_changed(str(workspace / "helpers.py"))
    list(index.refresh())
    assert dict(index.project.by_name) == {"reply": (REPLY,)}
    assert sorted(analysed) == ["helpers.py", "views.py"]  # app.py, other.py... never say `reply`
    python = [r for r in index.records.values() if r.language == "python" and r.skipped is None]
    assert python and all(record.project is index.project for record in python)
