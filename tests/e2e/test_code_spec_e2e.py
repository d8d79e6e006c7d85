"""The cross-check through the real server: diagnostics in the handler's file and in the spec's,
pushed or pulled, the cross-file quick fix, the hover on a decorator, and the findings following
an edit of the open spec."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.uris import from_fs_path
from pytest_lsp import LanguageClient, client_capabilities

from .conftest import REAL_SERVER
from .session import open_document

SHOP = Path(__file__).parents[1] / "fixtures" / "code_spec" / "flask_shop"


@pytest_lsp.fixture(config=REAL_SERVER)
async def fresh(lsp_client: LanguageClient):
    yield
    await lsp_client.shutdown_session()


def _pulling(capabilities: types.ClientCapabilities) -> None:
    assert capabilities.text_document is not None and capabilities.workspace is not None
    capabilities.text_document.diagnostic = types.DiagnosticClientCapabilities()
    capabilities.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(refresh_support=True)


async def _start(client: LanguageClient, root: Path, tweak: Callable[[types.ClientCapabilities], None] | None) -> None:
    capabilities = client_capabilities("visual-studio-code")
    if tweak is not None:
        tweak(capabilities)
    uri = from_fs_path(str(root))
    result = await client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities, root_uri=uri, workspace_folders=[types.WorkspaceFolder(uri=uri, name="shop")]
        )
    )
    client.pulls = result.capabilities.diagnostic_provider is not None  # type: ignore[attr-defined]


async def _diagnostics(client: LanguageClient, uri: str) -> list[types.Diagnostic]:
    if client.pulls:  # type: ignore[attr-defined]
        report = await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )
        return list(getattr(report, "items", []) or [])
    return list(client.diagnostics.get(uri, []))


async def _until(
    client: LanguageClient, uri: str, wanted: Callable[[list[types.Diagnostic]], bool], what: str
) -> list[types.Diagnostic]:
    deadline = asyncio.get_running_loop().time() + 30
    while True:
        found = await _diagnostics(client, uri)
        if wanted(found):
            return found
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}: {[(d.code, d.message) for d in found]}")
        await asyncio.sleep(0.05)


def _rule(rule: str) -> Callable[[list[types.Diagnostic]], bool]:
    return lambda found: any(d.code == rule for d in found)


@pytest.mark.parametrize("tweak", [None, _pulling], ids=["pushed", "pulled"])
async def test_the_cross_check_in_the_editor(
    fresh: LanguageClient, tmp_path: Path, tweak: Callable[[types.ClientCapabilities], None] | None
) -> None:
    root = tmp_path / "flask_shop"
    shutil.copytree(SHOP, root)
    await _start(fresh, root, tweak)
    orders_uri, spec_uri = from_fs_path(str(root / "orders.py")), from_fs_path(str(root / "openapi.json"))
    orders_text, spec_text = (root / "orders.py").read_text(), (root / "openapi.json").read_text()
    open_document(fresh, orders_uri, "python", orders_text)
    open_document(fresh, spec_uri, "json", spec_text)

    found = await _until(fresh, orders_uri, _rule("undocumented-status"), "undocumented-status in orders.py")
    undocumented = next(d for d in found if d.code == "undocumented-status")
    assert undocumented.range.start.line == 18
    assert undocumented.message == "GET /orders/{orderId} can return 404, which openapi.json does not declare for this operation"
    assert undocumented.severity == types.DiagnosticSeverity.Warning
    assert any(d.code == "undocumented-operation" and d.range.start.line == 30 for d in found)
    in_spec = await _until(fresh, spec_uri, _rule("unimplemented-operation"), "the spec's own cross-check findings")
    assert {d.code for d in in_spec} >= {"unreturned-status", "unimplemented-operation"}

    # The hover on the decorator: the handler's codes beside the operation's.
    hover = await fresh.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=orders_uri), position=types.Position(line=16, character=3)
        )
    )
    assert hover is not None
    text = hover.contents.value  # type: ignore[union-attr]
    assert "handler: 200, 404" in text and "openapi.json (get): 200" in text and "not declared: 404" in text

    # The quick fix edits the spec, another file than the diagnostic's.
    actions = await fresh.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=orders_uri),
            range=undocumented.range,
            context=types.CodeActionContext(diagnostics=[undocumented]),
        )
    )
    fix = next(a for a in actions or [] if isinstance(a, types.CodeAction) and a.title.startswith("Add a 404 response"))
    assert fix.edit is not None and fix.edit.changes is not None and list(fix.edit.changes) == [spec_uri]
    (edit,) = fix.edit.changes[spec_uri]
    assert '"404"' in edit.new_text and "Not Found" in edit.new_text

    # Applied in the open spec, the finding goes away without a save.
    lines = spec_text.splitlines(keepends=True)
    start = sum(len(line) for line in lines[: edit.range.start.line]) + edit.range.start.character
    end = sum(len(line) for line in lines[: edit.range.end.line]) + edit.range.end.character
    fixed = spec_text[:start] + edit.new_text + spec_text[end:]
    fresh.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=spec_uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=fixed)],
        )
    )
    await _until(fresh, orders_uri, lambda found: not _rule("undocumented-status")(found), "the fixed finding to go")


async def test_the_fix_edits_a_spec_that_is_not_open(fresh: LanguageClient, tmp_path: Path) -> None:
    root = tmp_path / "flask_shop"
    shutil.copytree(SHOP, root)
    (root / "unrelated.yaml").write_text(
        "openapi: 3.0.3\npaths:\n  /orders/{id}:\n    get:\n      responses:\n        '404': {}\n"
    )
    uri = from_fs_path(str(root))
    await fresh.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=uri,
            workspace_folders=[types.WorkspaceFolder(uri=uri, name="shop")],
            initialization_options={"httpStatus": {"openApiSpecs": ["openapi.json"]}},
        )
    )
    fresh.pulls = False  # type: ignore[attr-defined]
    orders_uri = from_fs_path(str(root / "orders.py"))
    open_document(fresh, orders_uri, "python", (root / "orders.py").read_text())
    found = await _until(fresh, orders_uri, _rule("undocumented-status"), "undocumented-status in orders.py")
    undocumented = next(d for d in found if d.code == "undocumented-status")
    # The spec the setting names, not the nearer-looking one beside it (which declares 404).
    assert "openapi.json" in undocumented.message
    actions = await fresh.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=orders_uri),
            range=undocumented.range,
            context=types.CodeActionContext(diagnostics=[undocumented], only=[types.CodeActionKind.QuickFix]),
        )
    )
    fix = next(a for a in actions or [] if isinstance(a, types.CodeAction) and a.title.startswith("Add a 404 response"))
    spec_uri = from_fs_path(str(root / "openapi.json"))
    assert fix.edit is not None and fix.edit.changes is not None and list(fix.edit.changes) == [spec_uri]
    (edit,) = fix.edit.changes[spec_uri]
    lines = (root / "openapi.json").read_text().splitlines()
    # Added after the operation's 200, with the comma it needs, on the file's own indentation.
    assert lines[edit.range.start.line].strip() == '"200": {"description": "The order"}'
    assert edit.new_text == ',\n          "404": {\n            "description": "Not Found"\n          }'


async def test_an_edit_of_an_open_handler_is_judged_again(fresh: LanguageClient, tmp_path: Path) -> None:
    root = tmp_path / "flask_shop"
    shutil.copytree(SHOP, root)
    await _start(fresh, root, None)
    orders_uri = from_fs_path(str(root / "orders.py"))
    text = (root / "orders.py").read_text()
    open_document(fresh, orders_uri, "python", text)
    await _until(fresh, orders_uri, _rule("undocumented-status"), "the first findings")
    # The order is now refused when locked: 423, which the spec does not declare (not saved to disk).
    edited = text.replace(
        "    return jsonify(load_order(order_id))\n", "    abort(423)\n    return jsonify(load_order(order_id))\n"
    )
    edited = edited.replace("from flask import Blueprint,", "from flask import Blueprint, abort,")
    fresh.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=orders_uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=edited)],
        )
    )
    found = await _until(
        fresh, orders_uri, lambda found: any("can return 423" in d.message for d in found), "the edit's new finding"
    )
    locked = next(d for d in found if "can return 423" in d.message)
    assert locked.range.start.line == 18 and locked.code == "undocumented-status"
