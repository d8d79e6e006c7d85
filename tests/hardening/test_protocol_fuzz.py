"""Protocol abuse over raw stdio: messages that are not JSON, not JSON-RPC, not the LSP's, params of
the wrong type for every method, and the lifecycle out of order.

Each case asserts what the JSON-RPC and LSP specifications promise: the request is answered exactly
once, with the right error code (-32700 not JSON, -32600 not a request, -32601 no such method,
-32602 params that do not fit, naming the field, -32002 before ``initialize``), the process stays
alive, stdout carries only frames, and a normal hover still works afterwards. Framing errors (a
wrong or missing ``Content-Length``) are in ``test_framing.py``.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.wire import ServerProcess, frame

from .conftest import new_uri

TEXT = "from flask import abort\nabort(404)\n"
_ids = itertools.count(1)


def fuzz_id() -> str:
    return f"fuzz-{next(_ids)}"


def hover_works(server: ServerProcess, uri: str) -> None:
    answer = server.hover(uri, 1, 7, timeout=10)
    assert answer.error is None and "404" in answer.result["contents"]["value"], answer


def answered_once(server: ServerProcess, request_id: Any, uri: str) -> dict:
    """The one answer to ``request_id``; a hover answered after it proves no second one is coming."""
    (answer,) = server.answers_to(request_id)
    hover_works(server, uri)
    assert len(server.answers_to(request_id, timeout=0)) == 1, f"{request_id} answered twice"
    assert server.alive()
    return answer


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[ServerProcess, str]]:
    process = ServerProcess("--stdio")
    try:
        process.initialize(encoding="utf-8", pull=True)
        uri = new_uri("fuzz", ".py")
        process.open(uri, "python", TEXT)
        hover_works(process, uri)
        yield process, uri
        assert process.alive(), "the server died during the module"
        assert process.garbage == [], f"stdout carried something other than frames: {process.garbage[:3]}"
        assert process.shutdown() == 0
    finally:
        process.close()


# --- params of the wrong type, for every request method --------------------------------------------
# (cattrs converts what it can: a float line, a number label or a dict for a boolean are taken, so
# the cases below are ones no conversion makes fit.)

POSITION = {"textDocument": {"uri": "file:///x.py"}, "position": {"line": 0, "character": 0}}
RANGE = {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}}
METHODS: dict[str, list[Any]] = {
    "textDocument/hover": [
        "x",
        [],
        7,
        {"textDocument": 5, "position": POSITION["position"]},
        {**POSITION, "position": {"line": "a", "character": 0}},
    ],
    "textDocument/completion": ["x", {"textDocument": {"uri": 1}, "position": {}}, {**POSITION, "position": None}],
    "textDocument/documentHighlight": [
        [],
        {"textDocument": {"uri": "file:///x.py"}},
        {**POSITION, "position": {"line": [], "character": 0}},
    ],
    "textDocument/references": [{**POSITION, "context": "all"}, {**POSITION, "context": {}}, "x"],
    "textDocument/codeAction": [
        {"textDocument": {"uri": "file:///x.py"}, "range": "a", "context": {"diagnostics": []}},
        {"range": RANGE},
        5,
    ],
    "textDocument/inlayHint": [{"textDocument": {"uri": "file:///x.py"}, "range": [1, 2]}, None, "x"],
    "textDocument/diagnostic": [{"textDocument": "file:///x.py"}, [], {"textDocument": {}}],
    "completionItem/resolve": ["x", {"detail": "missing label"}, [], None],
    "workspace/executeCommand": [{"command": "x", "arguments": 5}, "x", {"arguments": []}],
}
CASES = [(method, params) for method, bad in METHODS.items() for params in bad]


@pytest.mark.parametrize(
    ("method", "params"), CASES, ids=[f"{m.split('/')[-1]}-{i}" for m, p in METHODS.items() for i in range(len(p))]
)
def test_wrongly_typed_params_are_answered_invalid_params(server: tuple[ServerProcess, str], method: str, params: Any):
    process, uri = server
    request_id = fuzz_id()
    process.send({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
    answer = answered_once(process, request_id, uri)
    assert answer["error"]["code"] == -32602, answer
    assert "params" in answer["error"]["message"] and "@ $" in answer["error"]["message"], answer


# --- messages that are not JSON-RPC requests -------------------------------------------------------


def test_unparsable_json_is_a_parse_error(server: tuple[ServerProcess, str]):
    process, uri = server
    before = len(process.answers_to(None, timeout=0))
    process.send_raw(b"Content-Length: 9\r\n\r\n{not json")
    answers = process.answers_to(None, count=before + 1)
    assert len(answers) == before + 1 and answers[-1]["error"]["code"] == -32700
    hover_works(process, uri)


def test_truncated_request_is_a_parse_error_answered_to_its_id(server: tuple[ServerProcess, str]):
    process, uri = server
    request_id = fuzz_id()
    body = json.dumps({"jsonrpc": "2.0", "id": request_id, "method": "textDocument/hover", "params": POSITION})[:-3].encode()
    process.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    assert answered_once(process, request_id, uri)["error"]["code"] == -32700


@pytest.mark.parametrize("body", [b"[]", b'[{"jsonrpc": "2.0", "id": 1, "method": "shutdown"}]', b"42", b'"x"', b"null"])
def test_a_message_that_is_not_one_object_is_an_invalid_request(server: tuple[ServerProcess, str], body: bytes):
    process, uri = server
    before = len(process.answers_to(None, timeout=0))
    process.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    answers = process.answers_to(None, count=before + 1)
    assert len(answers) == before + 1 and answers[-1]["error"]["code"] == -32600
    hover_works(process, uri)


@pytest.mark.parametrize("bad_id", [{"a": 1}, [1], 1.5, True, None], ids=["object", "array", "float", "bool", "null"])
def test_an_id_that_is_not_an_integer_or_string_is_an_invalid_request(server: tuple[ServerProcess, str], bad_id: Any):
    process, uri = server
    before = len(process.answers_to(None, timeout=0))
    process.send({"jsonrpc": "2.0", "id": bad_id, "method": "textDocument/hover", "params": POSITION})
    answers = process.answers_to(None, count=before + 1)
    assert len(answers) == before + 1 and answers[-1]["error"]["code"] == -32600
    hover_works(process, uri)
    assert not any(answer.get("id") == bad_id for answer in process.unmatched_answers if bad_id is not None)


@pytest.mark.parametrize(
    ("change", "code"),
    [({"jsonrpc": "1.0"}, -32600), ({"method": 5}, -32600), ({"method": None}, -32600), ({"method": "no/suchMethod"}, -32601)],
    ids=["jsonrpc-1.0", "method-number", "method-null", "unknown-method"],
)
def test_a_request_that_is_not_json_rpc_2_is_answered(server: tuple[ServerProcess, str], change: dict, code: int):
    process, uri = server
    request_id = fuzz_id()
    process.send({"jsonrpc": "2.0", "id": request_id, "method": "textDocument/hover", "params": POSITION, **change})
    assert answered_once(process, request_id, uri)["error"]["code"] == code


def test_a_did_open_with_a_latin1_byte_still_opens_the_document(server: tuple[ServerProcess, str]):
    process, _ = server
    uri = new_uri("latin1", ".py")
    body = (
        json.dumps(
            {
                "jsonrpc": "2.0",
                "method": "textDocument/didOpen",
                "params": {
                    "textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": "x = 'caf@'\nabort(404)\n"}
                },
            }
        )
        .encode()
        .replace(b"caf@", b"caf\xe9")
    )
    process.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    hover_works(process, uri)


def test_a_second_initialize_is_an_invalid_request(server: tuple[ServerProcess, str]):
    process, uri = server
    request_id = fuzz_id()
    process.send(
        {
            "jsonrpc": "2.0",
            "id": request_id,
            "method": "initialize",
            "params": {"processId": None, "rootUri": None, "capabilities": {}},
        }
    )
    assert answered_once(process, request_id, uri)["error"]["code"] == -32600


# --- the lifecycle out of order --------------------------------------------------------------------


def test_before_initialize_requests_are_not_initialized_and_initialize_still_works():
    with ServerProcess("--stdio") as process:
        for method, params in [("textDocument/hover", POSITION), ("shutdown", None)]:
            request_id = fuzz_id()
            process.send({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
            (answer,) = process.answers_to(request_id)
            assert answer["error"]["code"] == -32002, answer
        bad = fuzz_id()
        process.send({"jsonrpc": "2.0", "id": bad, "method": "initialize", "params": {"processId": "me", "capabilities": []}})
        (answer,) = process.answers_to(bad)
        assert answer["error"]["code"] == -32602 and "process_id" in answer["error"]["message"], answer
        process.initialize()  # a well-formed initialize after all that is accepted
        uri = new_uri("late", ".py")
        process.open(uri, "python", TEXT)
        hover_works(process, uri)
        assert process.shutdown() == 0


def test_after_shutdown_every_request_is_an_invalid_request():
    with ServerProcess("--stdio") as process:
        process.initialize()
        assert process.request("shutdown").error is None
        for method, params in [
            ("textDocument/hover", POSITION),
            ("initialize", {"processId": None, "capabilities": {}}),
            ("shutdown", None),
        ]:
            request_id = fuzz_id()
            process.send({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
            (answer,) = process.answers_to(request_id)
            assert answer["error"]["code"] == -32600, answer
        process.notify("exit")
        assert process.process.wait(10) == 0
        assert process.garbage == []


def test_frame_helper_round_trips():
    # The raw frames above are built by hand; the helper they mirror must agree with them.
    assert frame({"a": 1}).startswith(b"Content-Length: 8\r\n\r\n")


def test_a_malformed_response_from_the_client_is_never_answered(server: tuple[ServerProcess, str]):
    process, uri = server
    before = len(process.unmatched_answers)
    process.send({"jsonrpc": "2.0", "id": None, "error": {"code": -32603, "message": "client trouble"}})
    process.send({"jsonrpc": "1.0", "id": 99999, "result": None})
    hover_works(process, uri)
    assert len(process.unmatched_answers) == before
