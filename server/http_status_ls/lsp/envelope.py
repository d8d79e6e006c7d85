"""What makes a message read from stdin no JSON-RPC 2.0 message the LSP accepts, in words a client
can act on: the checks :meth:`~http_status_ls.lsp.protocol.StatusProtocol.receive` makes before
pygls sees a message (pygls drops what fails them without an answer)."""

from __future__ import annotations

import json
import re
from typing import Any

_GUESSED_ID = re.compile(rb'"id"\s*:\s*(-?\d{1,18}(?![\d.eE])|"(?:[^"\\]|\\.){0,200}")')


def guessed_id(body: bytes) -> int | str | None:
    """The id of a request that could not be decoded, when it can still be read off its bytes (so
    the client waiting on it is answered), else None (the JSON-RPC answer to an unknown id)."""
    found = _GUESSED_ID.search(body[:4096])
    if found is None:
        return None
    try:
        value = json.loads(found.group(1))
    except ValueError:
        return None
    return value if valid_id(value) else None


def valid_id(value: Any) -> bool:
    """The LSP's ids are integers or strings (JSON-RPC's null, fractions, objects are not)."""
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def envelope_problem(message: dict[str, Any]) -> str | None:
    """What makes a decoded message no JSON-RPC 2.0 request, notification or response; None: nothing."""
    if message.get("jsonrpc") != "2.0":
        return 'jsonrpc must be "2.0"'
    if "id" in message and not valid_id(message["id"]):
        return "id must be an integer or a string"
    if "method" in message:
        if not isinstance(message["method"], str):
            return "method must be a string"
    elif "id" not in message:
        return "neither a request, a notification nor a response"
    return None


def params_problem(error: Exception) -> str:
    """The message of an InvalidParams answer, naming the fields that did not fit."""
    cause = error.__cause__
    if cause is not None and hasattr(cause, "exceptions"):
        try:
            from cattrs import transform_error  # cattrs comes with lsprotocol

            return "invalid params: " + "; ".join(transform_error(cause, path="$")[:5])
        except Exception:  # noqa: BLE001 - the plain message will do
            pass
    return f"invalid params: {cause or error}"
