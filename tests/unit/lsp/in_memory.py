"""A server session driven in memory: messages handed to the protocol as the client would send
them, and everything the server writes collected, without a process or a pipe."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from http_status_ls.lsp.session import StatusServer


class Client:
    """Collects what the server writes, decoded."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    def write(self, data: bytes) -> None:
        self.sent.append(json.loads(data.split(b"\r\n\r\n", 1)[1]))

    def close(self) -> None:
        pass

    def notifications(self, method: str) -> list[dict[str, Any]]:
        return [message["params"] for message in self.sent if message.get("method") == method and "id" not in message]

    def requests(self, method: str) -> list[dict[str, Any]]:
        return [message for message in self.sent if message.get("method") == method and "id" in message]

    def answer_to(self, request_id: Any) -> dict[str, Any]:
        (answer,) = [m for m in self.sent if m.get("id") == request_id and "method" not in m]
        return answer


def connect(server: StatusServer) -> tuple[Client, Callable[[dict[str, Any]], None]]:
    """The client end of ``server`` and a function that hands it one message (a dict without
    ``jsonrpc``), structured the way pygls structures what it reads."""
    client = Client()
    wire = server.protocol
    wire.set_writer(client)

    def handle(message: dict[str, Any]) -> None:
        wire.handle_message(json.loads(json.dumps({"jsonrpc": "2.0", **message}), object_hook=wire.structure_message))

    return client, handle
