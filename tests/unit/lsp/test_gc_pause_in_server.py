"""The server holds the garbage collector off while it judges one document, pushed or pulled, and
gives it back afterwards (`core.gc_pause`)."""

from __future__ import annotations

import asyncio
import gc
from typing import Any

import pytest

from http_status_ls.lsp import session as session_module
from http_status_ls.lsp.server import build_server
from tests.unit.lsp.in_memory import connect

PULLING = {"textDocument": {"diagnostic": {"dynamicRegistration": False}}, "workspace": {"diagnostics": {"refreshSupport": True}}}


@pytest.mark.parametrize("capabilities", [{}, PULLING], ids=["pushed", "pulled"])
def test_findings_are_judged_with_the_collector_held_off(monkeypatch: pytest.MonkeyPatch, capabilities: dict[str, Any]) -> None:
    seen: list[bool] = []
    real = session_module.findings

    def watched(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(session_module, "findings", watched)
    server = build_server(debounce=0)
    client, handle = connect(server)
    uri = "file:///project/app.py"

    async def session() -> None:
        handle({"id": 1, "method": "initialize", "params": {"processId": None, "rootUri": None, "capabilities": capabilities}})
        handle({"method": "initialized", "params": {}})
        item = {"uri": uri, "languageId": "python", "version": 1, "text": "abort(420)\n"}
        handle({"method": "textDocument/didOpen", "params": {"textDocument": item}})
        await asyncio.sleep(0.05)
        handle({"id": 2, "method": "textDocument/diagnostic", "params": {"textDocument": {"uri": uri}}})
        await asyncio.sleep(0.05)

    assert gc.isenabled()
    asyncio.run(session())
    assert seen and not any(seen)
    assert gc.isenabled()
    assert [item["code"] for item in client.answer_to(2)["result"]["items"]] == ["unofficial-code"]
