"""End-to-end fixtures: the real server process over stdio, driven by pytest-lsp.

Every e2e test runs twice, once with Neovim's and once with VS Code's client capabilities (as
pytest-lsp ships them). They differ where it matters: Neovim offers utf-8 positions and pull
diagnostics, VS Code 1.65 only utf-16 and push. One server process serves a whole module per client;
tests open documents under their own URIs so they never see each other's state.
"""

from __future__ import annotations

import sys

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

CLIENTS = ("neovim", "visual-studio-code")


def _recording_client() -> LanguageClient:
    """pytest-lsp's client, which also keeps every publishDiagnostics (with its version) by URI and
    every dynamic registration the server asks for (accepted, as an editor that offers dynamic
    registration does; pytest-lsp's own client has no handler for them)."""
    client = LanguageClient(converter_factory=default_converter)
    client.published = {}  # type: ignore[attr-defined]
    client.registrations = []  # type: ignore[attr-defined]

    def publish(client: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
        client.diagnostics[params.uri] = params.diagnostics
        client.published.setdefault(params.uri, []).append(params)  # type: ignore[attr-defined]

    def register(client: LanguageClient, params: types.RegistrationParams) -> None:
        client.registrations.extend(params.registrations)  # type: ignore[attr-defined]

    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = publish
    features[types.CLIENT_REGISTER_CAPABILITY] = register
    register_lsp_features(client, features)
    return client


REAL_SERVER = ClientServerConfig(
    server_command=[sys.executable, "-m", "http_status_ls", "--stdio"],
    client_factory=_recording_client,
)
"""The server process every e2e fixture starts, talked to by the recording client."""


@pytest_lsp.fixture(scope="module", params=CLIENTS, config=REAL_SERVER)
async def client(request: pytest.FixtureRequest, lsp_client: LanguageClient):
    capabilities = client_capabilities(request.param)
    result = await lsp_client.initialize_session(types.InitializeParams(capabilities=capabilities))
    lsp_client.initialize_result = result  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()
