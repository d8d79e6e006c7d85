"""Workspace references on 20,000 files, and the index built of them, never freeze the server.

The search once handed the event loop back only between files that contained the code, so for a
code with few hits a hover waited for the whole walk (1.6 s on 20,000 files) and a cancel was not
seen until the end; a directory of 100,000 entries stalled it the same way.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.wire import ServerProcess

from .conftest import FIGURES, new_uri

FILES = 20_000
TEXT = "from flask import abort\nabort(418)\n"
# Generous on purpose: a shared 2-core machine under load measured a worst hover of 0.26 s, where a
# quiet one measures 35-50 ms. The freeze these guard against held hovers for the whole search
# (1.6 s on 20,000 files) and honoured a cancel only when the search ended.
WORST_HOVER_SECONDS = 0.75
CANCEL_SECONDS = 0.5
"""The cancel is honoured within 100 ms in the server; the rest is the round trip on a busy machine."""


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("references-responsive")
    for batch in range(FILES // 1000):
        directory = root / f"pkg{batch:02d}"
        directory.mkdir()
        for number in range(1000):
            # Only three files hold the code; the rest hold a different one, so the pre-filter reads them all.
            (directory / f"m{number:04d}.py").write_text(
                "abort(500)\n" if (batch, number) not in {(0, 1), (9, 9), (19, 999)} else TEXT
            )
    flat = root / "flat"
    flat.mkdir()
    for number in range(20_000):  # a directory of many entries, none a source file
        os.close(os.open(flat / f"n{number}.txt", os.O_CREAT | os.O_WRONLY))
    return root


@pytest.fixture
def server(workspace: Path) -> Iterator[tuple[ServerProcess, str]]:
    process = ServerProcess("--stdio")
    try:
        process.initialize(root_uri=workspace.as_uri())
        uri = new_uri("searching", ".py")
        process.open(uri, "python", TEXT)
        assert "418" in process.hover(uri, 1, 7).result["contents"]["value"]
        yield process, uri
        assert process.alive() and process.garbage == []
        assert process.shutdown() == 0
    finally:
        process.close()


def references(process: ServerProcess, uri: str) -> int:
    params = {"textDocument": {"uri": uri}, "position": {"line": 1, "character": 7}, "context": {"includeDeclaration": True}}
    return process.request_id("textDocument/references", params)


def test_hovers_are_answered_while_references_search_20000_files(server: tuple[ServerProcess, str]):
    process, uri = server
    search = references(process, uri)
    latencies = []
    deadline = time.monotonic() + 60
    while search in process._pending and not process._pending[search][0].is_set() and time.monotonic() < deadline:
        latencies.append(process.hover(uri, 1, 7, timeout=30).seconds)
    found = process.answer(search, timeout=60)
    assert found.error is None and len(found.result) == 4, found  # the open document and three files
    assert len(latencies) >= 3, "the search ended before hovers could be measured"
    worst = max(latencies)
    FIGURES.append(f"hovers during references on {FILES:,} files: {len(latencies)} answered, worst {worst * 1000:.0f} ms")
    assert worst < WORST_HOVER_SECONDS, f"worst hover {worst:.2f} s"


def test_a_cancel_ends_the_search_at_once(server: tuple[ServerProcess, str]):
    process, uri = server
    search = references(process, uri)
    time.sleep(0.3)  # well into the walk
    cancelled = time.perf_counter()
    process.notify("$/cancelRequest", {"id": search})
    answer = process.answer(search, timeout=30)
    seconds = time.perf_counter() - cancelled
    assert answer.error is not None and answer.error["code"] == -32800, answer
    FIGURES.append(f"references cancelled after {seconds * 1000:.0f} ms")
    assert seconds < CANCEL_SECONDS, f"{seconds:.2f} s"


def test_partial_results_stream_when_the_client_asks(server: tuple[ServerProcess, str]):
    process, uri = server
    params = {
        "textDocument": {"uri": uri},
        "position": {"line": 1, "character": 7},
        "context": {"includeDeclaration": True},
        "partialResultToken": "partial-refs",
    }
    answer = process.request("textDocument/references", params, timeout=60)
    assert answer.error is None and answer.result == []
    streamed = [
        location
        for notification in process.notifications
        if notification.method == "$/progress" and notification.params["token"] == "partial-refs"
        for location in notification.params["value"]
    ]
    assert len(streamed) == 4 and len({(item["uri"], str(item["range"])) for item in streamed}) == 4


def index_built(process: ServerProcess) -> bool:
    return any("indexed " in line for line in process.stderr_lines)


def test_hovers_are_answered_while_the_index_is_built_then_references_come_from_it(server: tuple[ServerProcess, str]):
    process, uri = server
    latencies = []
    deadline = time.monotonic() + 120
    while not index_built(process) and time.monotonic() < deadline:
        latencies.append(process.hover(uri, 1, 7, timeout=30).seconds)
    assert index_built(process), "the index was not built within two minutes"
    assert len(latencies) >= 3, "the index was built before hovers could be measured"
    worst = max(latencies)
    FIGURES.append(f"hovers while indexing {FILES:,} files: {len(latencies)} answered, worst {worst * 1000:.0f} ms")
    assert worst < WORST_HOVER_SECONDS, f"worst hover {worst:.2f} s"

    search = references(process, uri)
    found = process.answer(search, timeout=60)
    assert found.error is None and len(found.result) == 4, found
    logged = time.monotonic() + 5  # stderr is read on a thread of its own: the log line may lag the answer
    while not any("references to 418" in line for line in process.stderr_lines) and time.monotonic() < logged:
        time.sleep(0.01)
    assert any("(indexed:" in line for line in process.stderr_lines), "answered by the streaming search"
    FIGURES.append(f"references from the index of {FILES:,} files: {found.seconds * 1000:.0f} ms")
    params = {
        "textDocument": {"uri": uri},
        "position": {"line": 1, "character": 7},
        "context": {"includeDeclaration": True},
        "partialResultToken": "indexed-refs",
    }
    answer = process.request("textDocument/references", params, timeout=60)
    streamed = [
        location
        for notification in process.notifications
        if notification.method == "$/progress" and notification.params["token"] == "indexed-refs"
        for location in notification.params["value"]
    ]
    assert answer.error is None and answer.result == [] and len(streamed) == 4
