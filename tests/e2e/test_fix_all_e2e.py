"""``source.fixAll`` through the real server: asked for by kind with ``status-style`` switched on in
the initialization options, applied like an editor applies it, and the server's next diagnostics
show nothing fixable left; the Python result parses and a second request offers nothing."""

from __future__ import annotations

import ast

import pytest
import pytest_lsp
import yaml
from lsprotocol import types
from pytest_lsp import LanguageClient, client_capabilities

from tests.support.fixture_texts import fixture_text

from .conftest import CLIENTS, REAL_SERVER
from .session import by_rule, diagnostics_of, new_uri, open_document
from .test_actions_hints import apply

pytestmark = pytest.mark.asyncio(loop_scope="module")

FIX_ALL = types.CodeActionKind.SourceFixAll
SETTINGS = {"httpStatus": {"rules": {"status-style": "warning"}, "statusStyle": {"allow": [200]}}}

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
        '404':
          description: missing
"""


@pytest_lsp.fixture(scope="module", params=CLIENTS, config=REAL_SERVER)
async def client(request: pytest.FixtureRequest, lsp_client: LanguageClient):
    lsp_client.set_configuration(SETTINGS["httpStatus"], section="httpStatus")
    params = types.InitializeParams(capabilities=client_capabilities(request.param), initialization_options=SETTINGS)
    lsp_client.initialize_result = await lsp_client.initialize_session(params)  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


async def fix_all(client: LanguageClient, uri: str) -> list[types.CodeAction]:
    start = types.Position(line=0, character=0)
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=start, end=start),
            context=types.CodeActionContext(diagnostics=[], only=[FIX_ALL]),
        )
    )
    return [action for action in result or [] if isinstance(action, types.CodeAction)]


async def test_the_capability_is_advertised(client: LanguageClient):
    capabilities = client.initialize_result.capabilities  # type: ignore[attr-defined]
    assert FIX_ALL in capabilities.code_action_provider.code_action_kinds


async def test_python_file_fixed_in_one_edit(client: LanguageClient):
    uri = new_uri(".py")
    open_document(client, uri, "python", VIEWS)
    before = by_rule(await diagnostics_of(client, uri, 1))
    assert len(before["status-style"]) == 2
    actions = await fix_all(client, uri)
    assert [(a.kind, a.title) for a in actions] == [(FIX_ALL, "Fix all safe HTTP status problems (2)")]
    fixed = await apply(client, uri, VIEWS, actions[0], 2)
    assert fixed.startswith("from http import HTTPStatus\n\nfrom flask import Flask, abort\n")
    assert "HTTPStatus.CREATED" in fixed and "abort(HTTPStatus.NOT_FOUND)" in fixed and "== 200:" in fixed
    ast.parse(fixed)
    assert "status-style" not in by_rule(await diagnostics_of(client, uri, 2))
    assert await fix_all(client, uri) == []


async def test_openapi_keys_quoted(client: LanguageClient):
    uri = new_uri(".yaml")
    open_document(client, uri, "yaml", SPEC)
    assert "unquoted-response-key" in by_rule(await diagnostics_of(client, uri, 1))
    actions = await fix_all(client, uri)
    assert len(actions) == 1
    fixed = await apply(client, uri, SPEC, actions[0], 2)
    assert "        '200':\n" in fixed
    yaml.safe_load(fixed)
    assert "unquoted-response-key" not in by_rule(await diagnostics_of(client, uri, 2))
