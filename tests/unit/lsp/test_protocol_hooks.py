"""The hooks into pygls' internals (lsp/protocol.py) against the installed pygls.

Each hook reaches past pygls' public API, and most would fail quietly if a pygls release moved what
they touch: positions back in UTF-16, every document stored twice, cancels ignored, one leaked
future per keystroke. These tests fail loudly instead, naming the hook, so that a pygls upgrade is
a decision and not a slow regression.
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import pytest
from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol

from http_status_ls.lsp import protocol
from http_status_ls.lsp.protocol import HOOKS, PyglsMismatch, StatusProtocol, check_instance, check_pygls, hook_problems
from http_status_ls.lsp.server import build_server
from tests.unit.lsp.in_memory import connect

OVERRIDES = [hook for hook in HOOKS if hook.overridden]


@pytest.mark.parametrize("hook", HOOKS, ids=lambda hook: hook.qualified_name)
def test_every_hooked_attribute_is_where_pygls_had_it(hook: protocol.Hook) -> None:
    assert hook_problems(hook) == [], f"pygls {protocol.pygls_version()} moved what lsp/protocol.py hooks"


@pytest.mark.parametrize("hook", OVERRIDES, ids=lambda hook: hook.name)
def test_every_override_has_pygls_signature(hook: protocol.Hook) -> None:
    ours = inspect.signature(getattr(StatusProtocol, hook.name))
    theirs = inspect.signature(getattr(hook.owner, hook.name))
    assert list(ours.parameters) == list(theirs.parameters), f"{hook.qualified_name}{theirs} vs ours {ours}"
    assert [p.kind for p in ours.parameters.values()] == [p.kind for p in theirs.parameters.values()]
    # pygls runs a built-in handler as a generator; ours must be one too, and stay registered for
    # the same LSP method (pygls finds built-ins by this attribute, not by name).
    assert inspect.isgeneratorfunction(getattr(StatusProtocol, hook.name)) == inspect.isgeneratorfunction(
        getattr(hook.owner, hook.name)
    )
    assert getattr(getattr(StatusProtocol, hook.name), "method_name", None) == hook.method


def test_every_method_of_the_protocol_is_a_listed_hook_or_new() -> None:
    """A method added to StatusProtocol either overrides a listed hook or overrides nothing: an
    override nobody listed would go unchecked, and a new pygls method of the same name would be
    replaced without anyone knowing."""
    listed = {hook.name for hook in OVERRIDES}
    for name, value in vars(StatusProtocol).items():
        if not callable(value) or name.startswith("__"):
            continue
        if name in listed:
            continue
        assert not hasattr(LanguageServerProtocol, name), f"StatusProtocol.{name} overrides pygls without a Hook in HOOKS"


def test_the_server_runs_the_protocol_and_its_overrides() -> None:
    server = build_server()
    assert isinstance(server.protocol, StatusProtocol)
    builtins = server.protocol.fm.builtin_features
    for hook in OVERRIDES:
        if hook.method is not None:
            registered = builtins[hook.method]
            assert registered.__func__ is getattr(StatusProtocol, hook.name), f"pygls runs its own {hook.method}"
    check_instance(server)  # does not raise


def test_a_missing_hook_stops_the_import_with_the_pygls_version(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(protocol, "pygls_version", lambda: "9.9.9")
    monkeypatch.delattr(LanguageServerProtocol, "lsp_text_document__did_change")
    with pytest.raises(PyglsMismatch) as raised:
        check_pygls()
    message = str(raised.value)
    assert "pygls 9.9.9" in message
    assert "LanguageServerProtocol.lsp_text_document__did_change is gone" in message


def test_a_changed_signature_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    def moved(self: Any, msg_id: Any, method: str, params: Any, extra: Any) -> None:
        raise AssertionError("never called")

    owner = next(hook.owner for hook in HOOKS if hook.name == "_handle_request")
    monkeypatch.setattr(owner, "_handle_request", moved)
    with pytest.raises(PyglsMismatch, match=r"_handle_request takes \('self', 'msg_id', 'method', 'params', 'extra'\)"):
        check_pygls()


def test_a_server_without_the_internals_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    server = build_server()
    monkeypatch.delattr(server.protocol, "_request_futures")
    with pytest.raises(PyglsMismatch, match="protocol._request_futures"):
        check_instance(server)
    plain = LanguageServer(name="plain", version="0")
    with pytest.raises(PyglsMismatch, match="not StatusProtocol"):
        check_instance(plain)


# --- what the hooks are for, observed through the protocol ---------------------------------------


def test_utf8_is_chosen_when_the_client_lists_it_second() -> None:
    server = build_server()
    client, handle = connect(server)

    async def session() -> None:
        general = {"positionEncodings": ["utf-16", "utf-8"]}
        handle({"id": 1, "method": "initialize", "params": {"capabilities": {"general": general}}})
        await asyncio.sleep(0)

    asyncio.run(session())
    (answer,) = [m for m in client.sent if m.get("id") == 1]
    assert answer["result"]["capabilities"]["positionEncoding"] == "utf-8"


def test_open_documents_live_in_the_store_only() -> None:
    server = build_server(debounce=0)
    _, handle = connect(server)
    uri = "file:///hooks.py"

    async def session() -> None:
        handle({"id": 1, "method": "initialize", "params": {"capabilities": {}}})
        item = {"uri": uri, "languageId": "python", "version": 1, "text": "abort(404)\n"}
        handle({"method": "textDocument/didOpen", "params": {"textDocument": item}})
        change = {"range": {"start": {"line": 0, "character": 6}, "end": {"line": 0, "character": 9}}, "text": "410"}
        handle(
            {
                "method": "textDocument/didChange",
                "params": {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [change]},
            }
        )
        await asyncio.sleep(0.01)

    asyncio.run(session())
    document = server.store.get(uri)
    assert document is not None and document.text == "abort(410)\n"
    assert uri not in server.workspace.text_documents, "pygls' workspace keeps a second copy again"
    assert len(server.protocol._request_futures) == 0  # noqa: SLF001 - the futures handle_message drops


def test_a_request_cancelled_before_it_starts_is_not_run() -> None:
    server = build_server()
    client, handle = connect(server)
    ran: list[Any] = []
    server.protocol.fm.features[types.TEXT_DOCUMENT_HOVER] = ran.append

    class Waiting:
        """A read-ahead whose next frame cancels request 7."""

        def take_cancel(self, request_id: Any) -> bool:
            return request_id == 7

        def change_waiting(self, uri: str) -> bool:
            return False

    assert isinstance(server.protocol, StatusProtocol)
    server.protocol.read_ahead = Waiting()  # type: ignore[assignment]

    async def session() -> None:
        handle({"id": 1, "method": "initialize", "params": {"capabilities": {}}})
        hover = {"textDocument": {"uri": "file:///x.py"}, "position": {"line": 0, "character": 0}}
        handle({"id": 7, "method": "textDocument/hover", "params": hover})
        await asyncio.sleep(0)

    asyncio.run(session())
    assert ran == []
    (answer,) = [m for m in client.sent if m.get("id") == 7]
    assert answer["error"]["code"] == types.LSPErrorCodes.RequestCancelled
