"""Requests and notifications a client should not send, and documents too big to read: answered
empty or ignored, with a log line; never a crash, and never an answer about text that is not there."""

from __future__ import annotations

import time

import pytest

from tests.support.lsp_positions import lsp_lines, position_of, text_at, units
from tests.support.wire import ServerProcess, frame

from .conftest import FIGURES, new_uri

HANG_GUARD_SECONDS = 5.0


def full_change(text: str) -> dict:
    return {"text": text}


def stderr_mentions(server: ServerProcess, *words: str, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(all(word in line for word in words) for line in server.stderr_lines):
            return True
        time.sleep(0.02)
    return False


def diagnostics_now(client: ServerProcess, uri: str, version: int) -> list[dict]:
    if client.kind.endswith("pull"):  # type: ignore[attr-defined]
        answer = client.pull_diagnostics(uri)
        assert answer.error is None, answer.error
        return answer.result["items"]
    return client.diagnostics(uri, version)[0]


# --- positions past the end ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["abort(404)\n", "x = 'é🎉'; abort(404)", "a = 1\r\nabort(404)\r\n", "a = 1\rabort(404)\r", ""],
    ids=["ascii", "non-ascii-last-line", "crlf", "lone-cr", "empty"],
)
def test_positions_past_the_end_answer_empty(client: ServerProcess, text: str):
    full = "from flask import abort\n" + text
    uri = new_uri("past-end", ".py")
    client.open(uri, "python", full)
    count = len(lsp_lines(full))
    past = [(count, 0), (count + 49, 3), (10**6, 10**6)]
    if "404" in text:
        past.append((position_of(full, "404", client.encoding)["line"], 10_000))  # clamped after ")"
    for line, character in past:
        hover = client.hover(uri, line, character)
        completion = client.completion(uri, line, character)
        assert hover.error is None and completion.error is None
        assert hover.seconds < HANG_GUARD_SECONDS and completion.seconds < HANG_GUARD_SECONDS
        assert hover.result is None, (line, character, hover.result)
    if "404" in text:  # and the code itself is still found where it is
        assert "404" in client.hover(uri, **position_of(full, "404", client.encoding)).result["contents"]["value"]


def test_edit_past_the_end_appends(client: ServerProcess):
    """A range past the last line means the end of the document; past the end of a line, its end."""
    text = "from flask import abort\nx = 'é🎉'"
    uri = new_uri("append", ".py")
    client.open(uri, "python", text)
    client.change(
        uri, 2, [{"range": {"start": {"line": 1, "character": 99}, "end": {"line": 1, "character": 99}}, "text": "; abort(420)"}]
    )
    client.change(
        uri, 3, [{"range": {"start": {"line": 9, "character": 0}, "end": {"line": 9, "character": 5}}, "text": "\nabort(509)\n"}]
    )
    final = "from flask import abort\nx = 'é🎉'; abort(420)\nabort(509)\n"
    items = diagnostics_now(client, uri, 3)
    assert sorted(text_at(final, item["range"], client.encoding) for item in items) == ["420", "509"]
    hover = client.hover(uri, **position_of(final, "509", client.encoding))
    assert "509" in hover.result["contents"]["value"]


# --- documents nobody opened, notifications out of order ------------------------------------------


def test_unknown_documents_are_answered_empty(client: ServerProcess):
    uri = new_uri("never-opened", ".py")
    assert client.hover(uri, 0, 0).result is None
    assert client.completion(uri, 0, 0).result in (None, [], {"isIncomplete": False, "items": []})
    highlight = client.request(
        "textDocument/documentHighlight", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}
    )
    assert highlight.error is None and not highlight.result
    pulled = client.pull_diagnostics(uri)
    assert pulled.error is None and pulled.result["items"] == []
    client.close_document(uri)  # closing what was never opened: nothing to do
    assert client.hover(uri, 0, 0).result is None


def test_change_before_open_is_ignored_with_a_log_line(client: ServerProcess):
    uri = new_uri("early-change", ".py")
    client.change(uri, 2, [full_change("from flask import abort\nabort(509)\n")])
    assert stderr_mentions(client, "ignored a change", uri)
    assert client.hover(uri, 1, 7).result is None
    text = "from flask import abort\nabort(420)\n"
    client.open(uri, "python", text, version=1)
    items = diagnostics_now(client, uri, 1)
    assert [text_at(text, item["range"], client.encoding) for item in items] == ["420"]


def test_version_going_backwards_is_applied_with_a_log_line(client: ServerProcess):
    """The client has applied the change to its text: ours must follow, whatever the version says."""
    uri = new_uri("backwards", ".py")
    text = "from flask import abort\nabort(404)\n"
    client.open(uri, "python", text, version=5)
    diagnostics_now(client, uri, 5)
    start = position_of(text, "404", client.encoding)
    end = {"line": start["line"], "character": start["character"] + 3}
    client.change(uri, 3, [{"range": {"start": start, "end": end}, "text": "509"}])
    assert stderr_mentions(client, uri, "version 3 after version 5")
    edited = text.replace("404", "509")
    items = diagnostics_now(client, uri, 3)
    assert [text_at(edited, item["range"], client.encoding) for item in items] == ["509"]
    assert "509" in client.hover(uri, **position_of(edited, "509", client.encoding)).result["contents"]["value"]


def test_closed_documents_are_forgotten(client: ServerProcess):
    uri = new_uri("closed", ".py")
    client.open(uri, "python", "from flask import abort\nabort(420)\n")
    diagnostics_now(client, uri, 1)
    client.close_document(uri)
    if not client.kind.endswith("pull"):  # type: ignore[attr-defined]
        cleared = client.wait_for(
            lambda n: n.method == "textDocument/publishDiagnostics" and n.params["uri"] == uri and n.params["diagnostics"] == []
        )
        assert cleared.params["diagnostics"] == []
    assert client.hover(uri, 1, 7).result is None
    # A change after the close is one to a document that is not open.
    client.change(uri, 2, [full_change("abort(509)\n")])
    assert client.hover(uri, 0, 7).result is None


def test_malformed_messages_do_not_end_the_session(client: ServerProcess):
    uri = new_uri("malformed", ".py")
    client.send_raw(frame({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": 5}}))
    client.send_raw(frame({"jsonrpc": "2.0", "method": "textDocument/hover", "id": 987654, "params": {}}))
    client.send_raw(b"Content-Length: 9\r\n\r\n{not json")
    client.send_raw(frame({"jsonrpc": "2.0", "method": "no/suchMethod", "id": 987655, "params": {}}))
    text = "from flask import abort\nabort(420)\n"
    client.open(uri, "python", text)
    hover = client.hover(uri, 1, 7)
    assert "420" in hover.result["contents"]["value"]
    assert client.alive()


# --- the size limit ----------------------------------------------------------------------------------


def _oversize_checks(server: ServerProcess, uri: str, text: str, needle: str) -> None:
    position = position_of(text, needle, server.encoding)
    hover = server.hover(uri, **position)
    completion = server.completion(uri, **position)
    items, seconds = server.diagnostics(uri, 1, timeout=60)
    FIGURES.append(
        f"over the size limit: {len(text) / 1e6:.1f} MB  hover {hover.seconds * 1000:.1f} ms  "
        f"completion {completion.seconds * 1000:.1f} ms  diagnostics {seconds * 1000:.1f} ms"
    )
    assert items == []
    assert hover.result is None
    assert completion.result is None or completion.result == [] or completion.result.get("items") == []
    said = [message for message in server.log_messages() if uri in message]
    assert len(said) == 1 and "not analysed" in said[0] and "maxFileSize" in said[0], said


def test_over_the_default_size_limit_says_so_once_and_nothing_else():
    text = "status: 420\n" * (21 * 1024 * 1024 // 12)  # 21 MB, over the default of 20 MB
    with ServerProcess("--stdio") as server:
        server.initialize()
        uri = new_uri("huge", ".yaml")
        server.open(uri, "yaml", text)
        _oversize_checks(server, uri, text, "420")
        # Below the limit again: analysed as usual.
        server.change(uri, 2, [full_change("status: 420\n")])
        items, _ = server.diagnostics(uri, 2)
        assert [text_at("status: 420\n", item["range"], server.encoding) for item in items] == ["420"]
        assert server.shutdown() == 0


def test_configured_size_limit():
    text = "from flask import abort\n" + "abort(420)\n" * 2000  # 22 KB
    with ServerProcess("--stdio") as server:
        server.initialize(options={"httpStatus": {"maxFileSize": "10kb"}})
        uri = new_uri("big", ".py")
        server.open(uri, "python", text)
        _oversize_checks(server, uri, text, "420")
        small = new_uri("small", ".py")
        server.open(small, "python", "from flask import abort\nabort(420)\n")
        items, _ = server.diagnostics(small, 1)
        assert len(items) == 1
        assert server.shutdown() == 0


def test_utf16_units_count_in_the_size_limit_as_bytes():
    # 4 000 emoji are 16 000 utf-8 bytes but 4 000 code points: the limit is in bytes.
    text = "x = '" + "🎉" * 4000 + "'\nabort(420)\n"
    assert units(text, "utf-8") > 10_000 > len(text)
    with ServerProcess("--stdio") as server:
        server.initialize(options={"httpStatus": {"maxFileSize": "10kb"}})
        uri = new_uri("emoji", ".py")
        server.open(uri, "python", text)
        _oversize_checks(server, uri, text, "420")
        server.shutdown()
