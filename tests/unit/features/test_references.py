"""References and highlights as plain functions: the symbol under a cursor, its occurrences in one
analysis, and the streaming search over a workspace directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.uris import from_fs_path
from pygls.workspace.position_codec import PositionCodec

from http_status_ls.detect.analysis import analyse
from http_status_ls.features import references
from http_status_ls.features.references import (
    OpenText,
    SearchScope,
    SearchStats,
    StatusSymbol,
    highlights,
    roots_of,
    symbol_at,
    symbol_of,
    workspace_references,
)
from http_status_ls.lsp.documents import split_lines
from tests.support.small_workspace import populate, write

# Spelled as the client sends them (plain strings), as the server's codec gets them.
UTF8 = PositionCodec("utf-8")
UTF16 = PositionCodec("utf-16")

PYTHON = """\
from http import HTTPStatus
import requests
from starlette import status


def view(kind):
    if kind == "gone":
        abort(404)
    time.sleep(404)
    if kind == "other":
        abort(405)
    raise HTTPException(status_code=status.HTTP_404_NOT_FOUND)
    return HTTPStatus.NOT_FOUND, requests.codes.not_found, HTTPStatus.NOT_FUOND
"""

OPENAPI = """\
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /pets:
    get:
      responses:
        '404': {description: missing}
        4XX: {description: client}
        default: {description: other}
    delete:
      responses:
        '404': {description: missing}
        '405': {description: nope}
        4xx: {description: wrongly cased}
        0404: {description: not a code}
"""


def spot(text: str, needle: str, occurrence: int = 0) -> tuple[int, int]:
    """(line, col) in code points of the ``occurrence``-th ``needle``."""
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index)
    return line, index - (text.rfind("\n", 0, index) + 1)


def spans(result, text: str) -> list[str]:
    """The text each highlight or location covers (single-line ranges)."""
    lines = text.split("\n")
    out = []
    for item in result:
        r = item.range
        assert r.start.line == r.end.line
        out.append(lines[r.start.line][r.start.character : r.end.character])
    return out


# --- the symbol ---------------------------------------------------------------------------------


def test_symbol_of_each_kind_of_occurrence():
    analysis = analyse("a.py", None, PYTHON, 1)
    assert symbol_at(analysis, *spot(PYTHON, "404")) == StatusSymbol(code=404)
    assert symbol_at(analysis, *spot(PYTHON, "HTTP_404_NOT_FOUND")) == StatusSymbol(code=404)
    assert symbol_at(analysis, *spot(PYTHON, "NOT_FOUND,")) == StatusSymbol(code=404)
    assert symbol_at(analysis, *spot(PYTHON, "not_found")) == StatusSymbol(code=404)
    assert symbol_at(analysis, *spot(PYTHON, "405")) == StatusSymbol(code=405)
    # Not occurrences, or occurrences of no code: no symbol, so no highlights and no references.
    assert symbol_at(analysis, *spot(PYTHON, "404", occurrence=1)) is None  # time.sleep(404)
    assert symbol_at(analysis, *spot(PYTHON, "NOT_FUOND")) is None
    assert symbol_at(analysis, *spot(PYTHON, "kind")) is None


def test_symbol_of_openapi_keys():
    analysis = analyse("api.yaml", None, OPENAPI, 1)
    assert symbol_at(analysis, *spot(OPENAPI, "'404'")) == StatusSymbol(code=404)
    assert symbol_at(analysis, *spot(OPENAPI, "4XX")) == StatusSymbol(range_class=4)
    assert symbol_at(analysis, *spot(OPENAPI, "4xx")) == StatusSymbol(range_class=4)
    assert symbol_at(analysis, *spot(OPENAPI, "default")) is None
    assert symbol_at(analysis, *spot(OPENAPI, "0404")) is None  # '0404' is not 404
    assert str(StatusSymbol(range_class=4)) == "4XX" and str(StatusSymbol(code=404)) == "404"


def test_symbol_of_a_key_without_value_falls_back_to_its_text():
    [key] = [o for o in analyse("api.yaml", None, OPENAPI, 1).occurrences if o.text == "4XX"]
    assert symbol_of(key) == StatusSymbol(range_class=4)


# --- highlights ---------------------------------------------------------------------------------


def test_highlights_mark_every_spelling_of_the_code_in_python():
    analysis = analyse("a.py", None, PYTHON, 1)
    result = highlights(analysis, *spot(PYTHON, "404"))
    assert spans(result, PYTHON) == ["404", "HTTP_404_NOT_FOUND", "NOT_FOUND", "not_found"]
    assert {h.kind for h in result} == {types.DocumentHighlightKind.Text}
    assert [h.range.start.line for h in result] == [7, 11, 12, 12]
    # The same answer from any of them.
    assert highlights(analysis, *spot(PYTHON, "not_found")) == result


def test_highlights_never_on_a_number_that_is_not_a_status():
    analysis = analyse("a.py", None, PYTHON, 1)
    assert highlights(analysis, *spot(PYTHON, "404", occurrence=1)) is None
    assert highlights(analysis, 0, 0) is None


def test_highlights_of_openapi_keys_and_range_keys():
    analysis = analyse("api.yaml", None, OPENAPI, 1)
    codes = highlights(analysis, *spot(OPENAPI, "'404'", occurrence=1))
    assert spans(codes, OPENAPI) == ["'404'", "'404'"]
    assert [h.range.start.line for h in codes] == [6, 11]
    # A range key is the class: the range keys of that class, in any case, and no code of it.
    ranges = highlights(analysis, *spot(OPENAPI, "4XX"))
    assert spans(ranges, OPENAPI) == ["4XX", "4xx"]
    assert highlights(analysis, *spot(OPENAPI, "default")) is None


def test_highlights_in_json_and_plain_yaml():
    text = '{"cases": [{"status": 404}, {"statusCode": "404"}, {"status": 500}, {"timeout": 404}]}'
    analysis = analyse("cases.json", None, text, 1)
    assert spans(highlights(analysis, *spot(text, "404")), text) == ["404", '"404"']
    yaml_text = "- status: 404\n  expectedCode: 404\n- status: 201\n"
    plain = analyse("cases.yaml", None, yaml_text, 1, extra_keys=["expectedCode"])
    assert [h.range.start.line for h in highlights(plain, *spot(yaml_text, "404"))] == [0, 1]


def test_highlight_ranges_go_through_the_range_maker():
    text = 'title = "😀"; abort(404); abort(404)\n'
    analysis = analyse("a.py", None, text, 1)
    lines = split_lines(text)
    from http_status_ls.core.positions import ClientPositions

    utf16 = highlights(analysis, *spot(text, "404"), to_range=ClientPositions(lines, UTF16).range)
    utf8 = highlights(analysis, *spot(text, "404"), to_range=ClientPositions(lines, UTF8).range)
    col = spot(text, "404")[1]
    assert utf16[0].range.start.character == col + 1  # the emoji is two UTF-16 units
    assert utf8[0].range.start.character == col + 3  # and four UTF-8 bytes
    assert len(utf16) == len(utf8) == 2


# --- the pre-filter -----------------------------------------------------------------------------


def test_prefilter_needles():
    needles = StatusSymbol(code=404).needles()
    assert needles[0] == b"404"
    assert b"NOT_FOUND" in needles and b"NotFound" in needles and b".not_found" in needles
    assert StatusSymbol(code=404).might_occur_in(b"return HTTPStatus.NOT_FOUND")
    assert StatusSymbol(code=404).might_occur_in(b"raise NotFound()")
    assert StatusSymbol(code=404).might_occur_in(b"codes['not_found']")
    assert not StatusSymbol(code=404).might_occur_in(b"abort(405)  # not found")
    # requests' short aliases only count after a dot or in quotes: "token" does not mention 200.
    assert not StatusSymbol(code=200).might_occur_in(b"token = book.get()")
    assert StatusSymbol(code=200).might_occur_in(b"requests.codes.ok")
    assert StatusSymbol(range_class=4).might_occur_in(b"'4xx':")
    assert not StatusSymbol(range_class=4).might_occur_in(b"'5XX': 404")


# --- the workspace ------------------------------------------------------------------------------


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return populate(tmp_path, OPENAPI)


def found(symbol: StatusSymbol, roots, open_texts=(), codec=UTF16, **scope) -> dict[str, list[tuple[int, int, int]]]:
    """URI -> [(line, start, end)] of every reference."""
    result: dict[str, list[tuple[int, int, int]]] = {}
    for locations in workspace_references(symbol, roots, open_texts, codec, scope=SearchScope(**scope)):
        for location in locations:
            r = location.range
            result.setdefault(location.uri, []).append((r.start.line, r.start.character, r.end.character))
    return result


def uri(root: Path, relative: str) -> str:
    return from_fs_path(str(root / relative))


def test_workspace_references_across_python_yaml_and_json(workspace: Path):
    result = found(StatusSymbol(code=404), [str(workspace)])
    assert result == {
        uri(workspace, "api/openapi.yaml"): [(6, 8, 13), (11, 8, 13)],
        uri(workspace, "app.py"): [(4, 10, 13), (5, 22, 31)],
        uri(workspace, "tests/cases.json"): [(0, 22, 25)],
        uri(workspace, "tests/emoji.py"): [(0, 20, 23)],  # in UTF-16 units: the emoji counts 2
    }
    # .gitignore'd files, the virtual environment, node_modules and undecodable files are not searched;
    # other.py mentions 404 only as a sleep.


def test_workspace_references_in_utf8_units(workspace: Path):
    result = found(StatusSymbol(code=404), [str(workspace)], codec=UTF8)
    assert result[uri(workspace, "tests/emoji.py")] == [(0, 22, 25)]  # the emoji is 4 bytes


def test_range_class_references(workspace: Path):
    assert found(StatusSymbol(range_class=4), [str(workspace)]) == {uri(workspace, "api/openapi.yaml"): [(7, 8, 11), (13, 8, 11)]}


def test_open_documents_win_over_the_disk_and_come_first(workspace: Path):
    edited = "\n\nabort(404)\nabort(404)\n"
    open_uri = uri(workspace, "app.py")
    outside = "untitled:Untitled-1"
    open_texts = [
        OpenText(uri=outside, analysis=analyse(outside, "python", "abort(404)\n", 3), lines=["abort(404)\n"]),
        OpenText(uri=open_uri, analysis=analyse(open_uri, "python", edited, 2), lines=split_lines(edited)),
    ]
    batches = list(workspace_references(StatusSymbol(code=404), [str(workspace)], open_texts, UTF16))
    assert [batch[0].uri for batch in batches[:2]] == [outside, open_uri]
    result = found(StatusSymbol(code=404), [str(workspace)], open_texts)
    assert result[open_uri] == [(2, 6, 9), (3, 6, 9)]  # the editor's text, not the file's
    assert result[outside] == [(0, 6, 9)]
    assert len(result) == 5


def test_scope_limits(workspace: Path):
    symbol = StatusSymbol(code=404)
    no_yaml = found(symbol, [str(workspace)], enabled=lambda language: language != "yaml")
    assert uri(workspace, "api/openapi.yaml") not in no_yaml and uri(workspace, "app.py") in no_yaml
    small = found(symbol, [str(workspace)], max_file_size=50)
    assert set(small) == {uri(workspace, "tests/cases.json"), uri(workspace, "tests/emoji.py")}
    keyed = found(symbol, [str(workspace)], extra_keys=("expected",))
    assert uri(workspace, "fixtures.yaml") not in keyed
    write(workspace, "fixtures.yaml", "- expected: 404\n")
    assert found(symbol, [str(workspace)], extra_keys=("expected",))[uri(workspace, "fixtures.yaml")] == [(0, 12, 15)]
    assert uri(workspace, "fixtures.yaml") not in found(symbol, [str(workspace)])


def test_prefilter_skips_files_without_the_code(workspace: Path):
    for i in range(30):
        write(workspace, f"many/m{i}.py", f"def f{i}():\n    return {i}\n")
    stats = SearchStats()
    list(workspace_references(StatusSymbol(code=404), [str(workspace)], [], UTF16, stats=stats))
    assert stats.read >= 36
    # Only the files holding "404" (or a 404 name) were analysed, not the 30 others.
    assert stats.analysed == 5  # app, openapi, cases.json, emoji.py, other.py (a sleep)
    assert stats.skipped == 1  # latin1.py: not UTF-8


def test_search_streams_one_file_at_a_time(workspace: Path, monkeypatch):
    analysed: list[str] = []
    real = references.analyse

    def counting(uri, *args, **kwargs):
        analysed.append(uri)
        return real(uri, *args, **kwargs)

    monkeypatch.setattr(references, "analyse", counting)
    search = workspace_references(StatusSymbol(code=404), [str(workspace)], [], UTF16)
    first = next(search)
    # The walk is in sorted order: api/openapi.yaml comes first, and nothing after it was read yet.
    assert first[0].uri == uri(workspace, "api/openapi.yaml")
    assert analysed == [uri(workspace, "api/openapi.yaml")]
    rest = list(search)
    # One list per file read (empty where the code is not), so the caller may pause after each.
    assert len([batch for batch in rest if batch]) == 3 and len(analysed) == 5


def test_overlapping_roots_report_each_file_once(workspace: Path):
    result = found(StatusSymbol(code=404), [str(workspace), str(workspace / "tests")])
    assert result[uri(workspace, "tests/cases.json")] == [(0, 22, 25)]


def test_roots_of():
    folders = [from_fs_path("/w/a"), from_fs_path("/w/b"), "untitled:x", from_fs_path("/w/a")]
    assert roots_of(folders, None, None) == [os.path.abspath("/w/a"), os.path.abspath("/w/b")]
    assert roots_of([], from_fs_path("/w/root"), None) == [os.path.abspath("/w/root")]
    assert roots_of([], None, "/w/legacy") == [os.path.abspath("/w/legacy")]
    assert roots_of([], "http://example.com/x", None) == []


def test_a_two_thousand_file_workspace_is_prefiltered(tmp_path: Path):
    import time

    body = "".join(f"def f{j}(x):\n    return x * {j % 97}\n\n" for j in range(30))
    for i in range(2000):
        extra = "abort(404)\n" if i % 400 == 0 else ""
        write(tmp_path, f"pkg{i // 100}/m{i}.py", body + extra)
    stats = SearchStats()
    started = time.perf_counter()
    result = found(StatusSymbol(code=404), [str(tmp_path)])
    list(workspace_references(StatusSymbol(code=404), [str(tmp_path)], [], UTF16, stats=stats))
    elapsed = (time.perf_counter() - started) / 2
    print(f"2,000 files: {elapsed * 1000:.0f} ms per search, {stats.analysed} analysed")
    assert len(result) == 5 and all(spots == [(90, 6, 9)] for spots in result.values())
    assert (stats.files, stats.read, stats.analysed) == (2000, 2000, 5)
    assert elapsed < 10  # a hang guard only; about 0.15 s on a loaded two-core machine
