"""The table of Python status libraries holds together, and agrees with the data file."""

from __future__ import annotations

import json

from http_status_ls.kb import libraries, registry
from http_status_ls.kb.libraries import BY_NAME, BY_PATH, CONSTANT_LIBRARIES, LIBRARIES


def test_one_row_per_library_and_one_library_per_path():
    assert len(BY_NAME) == len(LIBRARIES)
    assert sum(len(row.paths) for row in LIBRARIES) == len(BY_PATH)
    assert all(row.paths[0] == row.name for row in LIBRARIES)


def test_the_data_file_names_only_known_libraries_and_never_a_mirror():
    raw = json.loads(registry.data_path().read_text(encoding="utf-8"))
    named = {library for status in raw["statuses"] for key in ("names", "deprecated_names") for library in status.get(key, {})}
    assert named <= set(BY_NAME)
    assert not {row.name for row in LIBRARIES if row.mirrors is not None} & named


def test_mirrors_and_imports_point_at_rows():
    for row in LIBRARIES:
        assert row.mirrors is None or row.mirrors in BY_NAME
        # A literal can become a name only where the names are int constants, and then it needs an
        # import; the rewrite is opt-in (litestar's ints are never offered), classes and strings never.
        assert (row.new_import is not None) == (row.rewrite_preference is not None)
        if row.members == "class" or row.string_constants:
            assert row.rewrite_preference is None, row.name
    assert [row.rewrite_preference for row in CONSTANT_LIBRARIES] == list(range(len(CONSTANT_LIBRARIES)))
    assert CONSTANT_LIBRARIES[0].name == "http.HTTPStatus"


def test_new_imports_reach_their_library():
    for row in CONSTANT_LIBRARIES:
        new = row.new_import
        assert new is not None
        bound = f"{new.module}.{new.member}" if new.member else new.module
        assert f"{bound}{new.namespace[len(new.local) :]}" in row.paths
    statements = {row.name: row.new_import.statement for row in CONSTANT_LIBRARIES if row.new_import is not None}
    assert statements["requests.codes"] == "import requests"
    assert statements["fastapi.status"] == "from fastapi import status"


def test_members_that_are_not_names_are_not_names():
    reg = registry.load()
    for row in LIBRARIES:
        assert not {ref.name for ref in reg.names_of(row.name)} & row.not_names, row.name
        for name in row.not_names:
            assert row.name_shape is not None and row.name_shape.fullmatch(name), (row.name, name)  # else no need to list it


def test_case_twins():
    codes = BY_NAME["requests.codes"]
    assert codes.twin_of("ok") == "OK" and codes.twin_of("\\o/") is None and codes.twin_of("✓") is None
    assert codes.is_case_twin("OK") and not codes.is_case_twin("ok")
    httpx = BY_NAME["httpx.codes"]
    assert httpx.twin_of("NOT_FOUND") == "not_found" and httpx.is_case_twin("not_found")
    assert BY_NAME["http.HTTPStatus"].twin_of("OK") is None and not BY_NAME["http.HTTPStatus"].is_case_twin("OK")
    assert registry.load().resolve("requests.codes", "TEAPOT") is not None


def test_docs_url():
    assert (libraries.docs_url("http.HTTPStatus") or "").startswith("https://docs.python.org/")
    assert libraries.docs_url("django.http") is None
    assert libraries.docs_url("nope") is None


def test_a_name_shape_is_its_pattern_compiled_once():
    """Rows hold the pattern's text (``explain`` never compiles one); detection gets it compiled."""
    row = BY_NAME["http.HTTPStatus"]
    assert row.name_pattern is not None and row.name_shape is not None
    assert row.name_shape.pattern == row.name_pattern and row.name_shape is row.name_shape
    assert row.name_shape.fullmatch("NOT_FOUND") and not row.name_shape.fullmatch("not_found")
    assert BY_NAME["werkzeug.exceptions"].name_shape is None
    assert BY_NAME["falcon"].name_shape is not None and not BY_NAME["falcon"].name_shape.fullmatch("HTTP_701")
