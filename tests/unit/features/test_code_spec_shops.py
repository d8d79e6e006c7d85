"""The cross-check on the demo services of tests/fixtures/code_spec: every drift each one holds, and
the quick fix of undocumented-status applied to its spec and read back."""

from __future__ import annotations

import glob
import os
from pathlib import Path

import pytest

from http_status_ls.detect.analysis import analyse
from http_status_ls.detect.openapi_operations import operations_of
from http_status_ls.detect.python.routes import FileRoutes, summarise_routes
from http_status_ls.features.actions.edits import Edit
from http_status_ls.features.code_spec import CrossCheck, covers
from http_status_ls.features.code_spec_files import cross_check_files
from http_status_ls.features.code_spec_fix import add_response

SHOPS = Path(__file__).parents[2] / "fixtures" / "code_spec"

EXPECTED = {
    "fastapi_shop": [
        ("fastapi_shop/openapi.yaml", 31, "unreturned-status", 410),
        ("fastapi_shop/openapi.yaml", 45, "unimplemented-operation", None),
        ("fastapi_shop/routers/items.py", 19, "undocumented-status", 422),
        ("fastapi_shop/routers/items.py", 38, "undocumented-status", 423),
        ("fastapi_shop/routers/items.py", 43, "undocumented-operation", None),
    ],
    "flask_shop": [
        ("flask_shop/openapi.json", 16, "unreturned-status", 402),
        ("flask_shop/openapi.json", 72, "unimplemented-operation", None),
        ("flask_shop/orders.py", 19, "undocumented-status", 404),
        ("flask_shop/orders.py", 31, "undocumented-operation", None),
    ],
    "aiohttp_shop": [
        ("aiohttp_shop/admin.py", 21, "undocumented-operation", None),
        ("aiohttp_shop/carts.py", 12, "undocumented-status", 404),
        ("aiohttp_shop/openapi.yaml", 11, "unreturned-status", 409),
        ("aiohttp_shop/openapi.yaml", 18, "unimplemented-operation", None),
    ],
}


@pytest.fixture
def in_shops(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(SHOPS)
    return SHOPS


def _check(shops: list[str]) -> CrossCheck:
    routes: dict[str, FileRoutes] = {}
    specs: list[str] = []
    for shop in shops:
        for path in sorted(glob.glob(f"{shop}/**/*.py", recursive=True)):
            routes[path] = summarise_routes(Path(path).read_text())
        specs += sorted(glob.glob(f"{shop}/openapi.*"))
    return cross_check_files(routes, specs)


@pytest.mark.parametrize("shop", sorted(EXPECTED))
def test_every_drift_of_each_shop(in_shops: Path, shop: str) -> None:
    result = _check([shop])
    found = sorted((f.file.replace(os.sep, "/"), f.span.start_line + 1, f.rule, f.code) for f in result.findings)
    assert found == EXPECTED[shop]


def test_the_shops_side_by_side_each_get_their_own_spec(in_shops: Path) -> None:
    result = _check(sorted(EXPECTED))
    found = sorted((f.file.replace(os.sep, "/"), f.span.start_line + 1, f.rule, f.code) for f in result.findings)
    assert found == sorted(row for rows in EXPECTED.values() for row in rows)


def test_the_messages_name_the_operation_and_the_spec(in_shops: Path) -> None:
    messages = {f.message for f in _check(["flask_shop"]).findings}
    assert "GET /orders/{orderId} can return 404, which openapi.json does not declare for this operation" in messages
    assert "no handler path for POST /orders produces 402" in messages
    assert "no handler in the workspace answers POST /refunds" in messages


@pytest.mark.parametrize(("shop", "spec", "code"), [("fastapi_shop", "openapi.yaml", 423), ("flask_shop", "openapi.json", 404)])
def test_the_fix_adds_the_response_to_the_spec(in_shops: Path, shop: str, spec: str, code: int) -> None:
    finding = next(f for f in _check([shop]).findings if f.rule == "undocumented-status" and f.code == code)
    path = f"{shop}/{spec}"
    text = Path(path).read_text()
    lines = text.splitlines(keepends=True)
    action = add_response(analyse(path, None, text, None), lines, finding.operation, code)
    assert action is not None and action.title.startswith(f"Add a {code} response")
    fixed = _apply(lines, action.edits)
    document = operations_of(fixed, "json" if spec.endswith(".json") else "yaml")
    assert document is not None
    operation = next(op for op in document.operations if op.pointer == finding.operation)
    assert covers(operation, code) and operation.response(code) is not None
    # Nothing else moved: the same operations, and the finding is gone.
    before = operations_of(text, "json" if spec.endswith(".json") else "yaml")
    assert before is not None and [op.pointer for op in document.operations] == [op.pointer for op in before.operations]
    # Applied again, there is nothing left to add.
    assert add_response(analyse(path, None, fixed, None), fixed.splitlines(keepends=True), finding.operation, code) is None


def _apply(lines: list[str], edits: list[Edit]) -> str:
    text = "".join(lines)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    for span, new in sorted(edits, key=lambda e: (e[0].start_line, e[0].start_col), reverse=True):
        start = starts[span.start_line] + span.start_col
        end = starts[span.end_line] + span.end_col
        text = text[:start] + new + text[end:]
    return text
