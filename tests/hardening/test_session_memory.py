"""Nothing the server keeps per message outlives the message: a session of many edits must not
accumulate state (the long soak with its memory figures is bench/bench_soak.py)."""

from __future__ import annotations

import asyncio
import json

from http_status_ls.lsp.server import build_server


class _NoClient:
    def write(self, data: bytes) -> None:
        pass

    def close(self) -> None:
        pass


def test_notifications_leave_nothing_behind():
    """pygls keeps the future of each notification run by a generator handler; 500 edits must not
    leave 500 of them."""
    server = build_server()
    protocol = server.protocol
    protocol.set_writer(_NoClient())

    def handle(message: dict) -> None:
        protocol.handle_message(json.loads(json.dumps(message), object_hook=protocol.structure_message))

    async def session() -> None:
        handle({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})
        uri = "file:///memory.py"
        handle(
            {
                "jsonrpc": "2.0",
                "method": "textDocument/didOpen",
                "params": {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": "abort(404)\n"}},
            }
        )
        for version in range(2, 502):
            change = {
                "range": {"start": {"line": 0, "character": 6}, "end": {"line": 0, "character": 9}},
                "text": str(300 + version % 100),
            }
            handle(
                {
                    "jsonrpc": "2.0",
                    "method": "textDocument/didChange",
                    "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]},
                }
            )
        await asyncio.sleep(0.05)
        handle({"jsonrpc": "2.0", "method": "textDocument/didClose", "params": {"textDocument": {"uri": uri}}})
        await asyncio.sleep(0.05)

    asyncio.run(session())
    assert len(protocol._request_futures) == 0  # noqa: SLF001 - the state that leaked
    assert len(server.store) == 0
    assert server._timers == {} and server._published == {}  # noqa: SLF001


_SPEC = "openapi: 3.0.0\npaths:\n  /pets:\n    get:\n      responses:\n        '201':\n          description: OK\n"


def test_a_closed_description_leaves_no_model_or_judgement_behind():
    """The operations model, the rules' last run and the findings kept per occurrence hold a
    document's analysis (megabytes for a large description): closing the document drops them."""
    from http_status_ls.detect import openapi_operations
    from http_status_ls.features import diagnostics, openapi_checks

    server = build_server()
    protocol = server.protocol
    protocol.set_writer(_NoClient())

    def handle(message: dict) -> None:
        protocol.handle_message(json.loads(json.dumps(message), object_hook=protocol.structure_message))

    uri = "file:///closed/openapi.yaml"
    kept = (openapi_operations._BUILT, openapi_checks._BY_DOCUMENT, diagnostics._JUDGED_BEFORE)  # noqa: SLF001

    async def session() -> list[bool]:
        handle({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})
        handle({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        document = {"uri": uri, "languageId": "yaml", "version": 1, "text": _SPEC}
        handle({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": document}})
        await asyncio.sleep(0.3)  # the diagnostics are computed (debounced) and published
        while_open = [uri in cache for cache in kept]
        handle({"jsonrpc": "2.0", "method": "textDocument/didClose", "params": {"textDocument": {"uri": uri}}})
        await asyncio.sleep(0.05)
        return while_open

    while_open = asyncio.run(session())
    assert while_open == [True, True, True]  # the caches were in use: the test can fail
    assert [uri in cache for cache in kept] == [False, False, False]
