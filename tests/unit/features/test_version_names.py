"""Version-aware names (issue 10): completion and code actions offer a library name only when the
project's target has it, a renamed constant's old spelling is deprecated only where its replacement
exists, and every spelling is still recognised."""

from __future__ import annotations

import csv
import http
import http.client
import json
import sys

import pytest

from http_status_ls.core.occurrences import Span
from http_status_ls.core.project_target import UNKNOWN, ProjectTarget
from http_status_ls.detect.analysis import analyse
from http_status_ls.features.actions.request import code_actions
from http_status_ls.features.diagnostics import diagnostics, findings
from http_status_ls.kb import libraries, registry
from http_status_ls.lsp.documents import split_lines
from tests.support.paths import REPO
from tests.unit.features.test_code_actions import actions_at, applied, rules_after, titled
from tests.unit.features.test_completion import complete_at, item, labels

PY310 = ProjectTarget(python=(3, 10))
PY312 = ProjectTarget(python=(3, 12))
PY313 = ProjectTarget(python=(3, 13))
RUNNING = ProjectTarget(python=sys.version_info[:2])
"""The interpreter running the tests: whatever it is offered must exist in it."""
OLD_STARLETTE = ProjectTarget(starlette=(0, 47, 3))
NEW_STARLETTE = ProjectTarget(starlette=(0, 48, 0))

RENAMED = {
    413: ("REQUEST_ENTITY_TOO_LARGE", "CONTENT_TOO_LARGE"),
    414: ("REQUEST_URI_TOO_LONG", "URI_TOO_LONG"),
    416: ("REQUESTED_RANGE_NOT_SATISFIABLE", "RANGE_NOT_SATISFIABLE"),
    422: ("UNPROCESSABLE_ENTITY", "UNPROCESSABLE_CONTENT"),
}
"""RFC 9110's renames: HTTPStatus's names before Python 3.13, and since."""

PYTHON_TARGETS = [
    pytest.param(UNKNOWN, False, id="unknown"),
    pytest.param(PY310, False, id="3.10"),
    pytest.param(PY312, False, id="3.12"),
    pytest.param(PY313, True, id="3.13"),
]
STARLETTE_TARGETS = [
    pytest.param(UNKNOWN, False, id="unknown"),
    pytest.param(OLD_STARLETTE, False, id="0.47.3"),
    pytest.param(NEW_STARLETTE, True, id="0.48.0"),
]


def _starlette(code: int, new: bool) -> str:
    old_name, new_name = RENAMED[code]
    return f"HTTP_{code}_{new_name if new else old_name}"


# --- completion -------------------------------------------------------------------------------------


@pytest.mark.parametrize("target, has_new", PYTHON_TARGETS)
@pytest.mark.parametrize("namespace", ["from http import HTTPStatus\nHTTPStatus.", "from http import client\nclient."])
def test_python_names_completed_per_target(namespace: str, target: ProjectTarget, has_new: bool):
    offered = labels(complete_at(f"{namespace}|", "python", target=target))
    for old, new in RENAMED.values():
        assert old in offered
        assert (new in offered) is has_new, new
    if has_new:  # both work: the current name first
        assert offered.index("UNPROCESSABLE_CONTENT") < offered.index("UNPROCESSABLE_ENTITY")


def test_what_is_typed_does_not_bring_back_a_name_the_target_lacks():
    result = complete_at("from http import HTTPStatus\nabort(HTTPStatus.UNPROCESSABLE_C|)", "python", target=PY310)
    assert "UNPROCESSABLE_CONTENT" not in labels(result)
    assert item(result, "UNPROCESSABLE_ENTITY").detail == "422 Unprocessable Content"


def test_names_older_pythons_lack_are_not_offered():
    on_38 = labels(complete_at("from http import HTTPStatus\nHTTPStatus.|", "python", target=ProjectTarget(python=(3, 8))))
    assert "EARLY_HINTS" not in on_38 and "TOO_EARLY" not in on_38 and "IM_A_TEAPOT" not in on_38
    assert "EARLY_HINTS" in labels(complete_at("from http import HTTPStatus\nHTTPStatus.|", "python"))


def test_every_name_offered_for_the_running_python_exists_in_it():
    for namespace, module in (("HTTPStatus", http.HTTPStatus), ("client", http.client)):
        source = f"from http import {namespace}\n{namespace}.|"
        for label in labels(complete_at(source, "python", target=RUNNING)):
            assert hasattr(module, label), f"{namespace}.{label}"


@pytest.mark.parametrize("target, has_new", STARLETTE_TARGETS)
@pytest.mark.parametrize("module", ["starlette", "fastapi"])
def test_starlette_names_completed_per_target(module: str, target: ProjectTarget, has_new: bool):
    result = complete_at(f"from {module} import status\nstatus.HTTP_4|", "python", target=target)
    offered = labels(result)
    for code in RENAMED:
        old, new = _starlette(code, False), _starlette(code, True)
        assert (new in offered) is has_new
        assert old in offered
        found = item(result, old)
        # On a starlette without the new name the old one is just the name: nothing says deprecated.
        assert bool(found.tags) is has_new
        assert ("deprecated" in found.detail) is has_new
        assert ("Deprecated" in found.documentation.value) is has_new
    if has_new:
        assert offered.index(_starlette(422, False)) > offered.index("HTTP_511_NETWORK_AUTHENTICATION_REQUIRED")
    else:
        assert offered.index(_starlette(422, False)) < offered.index("HTTP_423_LOCKED")


# --- code actions -----------------------------------------------------------------------------------


@pytest.mark.parametrize("target, has_new", PYTHON_TARGETS)
@pytest.mark.parametrize("code", sorted(RENAMED))
def test_literal_to_httpstatus_per_target(code: int, target: ProjectTarget, has_new: bool):
    source = f"from flask import abort\n\n\ndef view():\n    abort({code})\n"
    name = RENAMED[code][1 if has_new else 0]
    actions = actions_at(source, "python", f"({code}", target=target)
    assert [a.title for a in actions] == [f"Replace {code} with HTTPStatus.{name} (from http import HTTPStatus)"]
    assert f"abort(HTTPStatus.{name})" in applied(source, actions[0], "python")


@pytest.mark.parametrize("code", sorted(RENAMED))
def test_the_rewrite_for_the_running_python_runs(code: int):
    source = f"from http import HTTPStatus\n\nstatus = {code}\n"
    action = titled(actions_at(source, "python", f"{code}", target=RUNNING), f"Replace {code} with HTTPStatus.")
    result = applied(source, action, "python")
    namespace: dict[str, object] = {}
    exec(compile(result, "<rewritten>", "exec"), namespace)  # an AttributeError here is the bug of issue 10
    assert namespace["status"] == code


@pytest.mark.parametrize("target, has_new", STARLETTE_TARGETS)
@pytest.mark.parametrize("module", ["starlette", "fastapi"])
def test_literal_to_status_constant_per_target(module: str, target: ProjectTarget, has_new: bool):
    source = f"from {module} import status\n\n\ndef view():\n    raise HTTPException(422)\n"
    action = titled(actions_at(source, "python", "422", target=target), "Replace 422 with status.")
    assert action.title == f"Replace 422 with status.{_starlette(422, has_new)}"
    result = applied(source, action, "python")
    # What the rewrite writes is never called deprecated on the same target.
    assert "deprecated-name" not in rules_after(result, "python", target)


def test_a_framework_module_without_a_status_import_gets_the_name_its_starlette_has():
    source = "from fastapi import FastAPI\n\napp = FastAPI()\n\n\ndef view():\n    raise HTTPException(413)\n"
    old = titled(actions_at(source, "python", "413", target=OLD_STARLETTE), "Replace 413")
    assert old.title == "Replace 413 with status.HTTP_413_REQUEST_ENTITY_TOO_LARGE (from fastapi import status)"
    new = titled(actions_at(source, "python", "413", target=NEW_STARLETTE), "Replace 413")
    assert new.title == "Replace 413 with status.HTTP_413_CONTENT_TOO_LARGE (from fastapi import status)"


# --- deprecated names ---------------------------------------------------------------------------------


@pytest.mark.parametrize("target, has_new", STARLETTE_TARGETS)
def test_the_old_starlette_spelling_is_deprecated_only_where_the_new_one_exists(target: ProjectTarget, has_new: bool):
    source = "from starlette import status\n\nraise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY)\n"
    assert ("deprecated-name" in rules_after(source, "python", target)) is has_new
    renames = [a for a in actions_at(source, "python", "HTTP_422", target=target) if a.title.startswith("Rename")]
    assert bool(renames) is has_new


def test_a_stale_deprecated_name_diagnostic_gets_no_fix_on_an_older_starlette():
    """The client sends back a diagnostic made before the environment was known (or changed):
    the rename would write a name this starlette lacks."""
    source = "from starlette import status\n\nraise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY)\n"
    analysis = analyse("file:///doc.py", "python", source, 1)
    (sent,) = [d for d in diagnostics(analysis, target=NEW_STARLETTE) if d.code == "deprecated-name"]
    lines = split_lines(source)
    span = Span(sent.range.start.line, sent.range.start.character, sent.range.end.line, sent.range.end.character)
    assert code_actions(analysis, lines, span, [sent], target=NEW_STARLETTE)[0].title.startswith("Rename")
    assert not [a for a in code_actions(analysis, lines, span, [sent], target=OLD_STARLETTE) if a.title.startswith("Rename")]


def test_drf_names_are_never_deprecated():
    source = "from rest_framework import status\n\nx = status.HTTP_422_UNPROCESSABLE_ENTITY\n"
    assert "deprecated-name" not in rules_after(source, "python", NEW_STARLETTE)


# --- the other spelling is still recognised --------------------------------------------------------


@pytest.mark.parametrize("target", [UNKNOWN, PY310, PY313], ids=["unknown", "3.10", "3.13"])
def test_a_name_the_target_lacks_is_still_known(target: ProjectTarget):
    analysis = analyse("file:///doc.py", "python", "from http import HTTPStatus\nabort(HTTPStatus.UNPROCESSABLE_CONTENT)\n", 1)
    (name,) = [o for o in analysis.occurrences if o.name is not None]
    assert name.code == 422
    assert [f.rule for f in findings(analysis, target=target)] == []


@pytest.mark.parametrize("target, suggested", [(PY310, "UNPROCESSABLE_ENTITY"), (PY313, "UNPROCESSABLE_CONTENT")])
def test_a_typo_is_corrected_to_a_name_the_target_has(target: ProjectTarget, suggested: str):
    source = "from http import HTTPStatus\nabort(HTTPStatus.UNPROCESSABLE_CONTEN)\n"
    (unknown,) = [f for f in findings(analyse("file:///doc.py", "python", source, 1), target=target) if f.rule == "unknown-name"]
    assert unknown.message.endswith(f"did you mean {suggested}?")
    action = titled(actions_at(source, "python", "UNPROCESSABLE_CONTEN", target=target), "Change ")
    assert action.title == f"Change UNPROCESSABLE_CONTEN to {suggested}"


# --- the knowledge base against the interpreters -------------------------------------------------


def _available(library: str, target: ProjectTarget) -> set[str]:
    return {ref.name for ref in registry.load().names_of(library) if target.has(ref)}


def test_the_running_python_has_exactly_the_names_its_target_has():
    assert _available("http.HTTPStatus", RUNNING) == set(http.HTTPStatus.__members__)


REFERENCE = REPO.parent / "shared" / "reference" / "python-status-names.csv"


@pytest.mark.skipif(not REFERENCE.is_file(), reason="shared/reference is not beside the repository")
@pytest.mark.parametrize(
    "library_row, version", [("http.HTTPStatus (CPython 3.11.7)", (3, 11)), ("http.HTTPStatus (CPython >=3.13 / main)", (3, 13))]
)
def test_each_pythons_names_are_exactly_those_its_target_has(library_row: str, version: tuple[int, int]):
    with open(REFERENCE, encoding="utf-8", newline="") as stream:
        listed = {row["expression"].rsplit(".", 1)[-1] for row in csv.DictReader(stream) if row["library"] == library_row}
    assert _available("http.HTTPStatus", ProjectTarget(python=version)) == listed


def test_every_recorded_since_names_a_listed_name_of_a_versioned_library():
    raw = json.loads(registry.data_path().read_text(encoding="utf-8"))
    recorded = 0
    for entry in raw["statuses"]:
        for key, written in entry.get("name_since", {}).items():
            library, _, name = key.rpartition(".")
            row = libraries.BY_NAME[library]
            assert row.versioning is not None and row.mirrors is None, key
            assert name in entry["names"][library], key
            ref = registry.load().resolve(library, name)
            assert ref is not None and ref.since == libraries.parse_version(written), key
            recorded += 1
    assert recorded == 25  # Python 3.7, 3.8, 3.9 (three), 3.13 (four); starlette 0.48 (four); falcon 4.0 (twelve)
    # The libraries that repeat another's names repeat when they came, too.
    assert registry.load().resolve("fastapi.status", "HTTP_422_UNPROCESSABLE_CONTENT").since == (0, 48)
    assert registry.load().resolve("http.client", "URI_TOO_LONG").since == (3, 13)
