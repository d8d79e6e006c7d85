"""Bursts of edits end on the latest version's diagnostics; cancelled and superseded work is dropped."""

from __future__ import annotations

import time

import pytest

from tests.support.fixture_texts import fixture_text
from tests.support.lsp_positions import position_of, text_at
from tests.support.wire import ServerProcess

from .bad_inputs import CASES
from .conftest import FIGURES, new_uri

PYTHON = fixture_text("flask_view.py")  # abort(404) on line 3, its first digit at column 10
BUSY = next(case for case in CASES if case.name == "yaml-long-line").text
"""A 5 MB document whose analysis keeps the server busy for about a second, during which the
messages sent next are waiting unread: what the server does with them is then deterministic."""

REQUEST_CANCELLED, SERVER_CANCELLED = -32800, -32802


def edit_script(count: int) -> tuple[list[list[dict]], str]:
    """``count`` one-character edits typing over the first digit of ``abort(404)``; the final text."""
    position = {"line": 3, "character": 10}
    changes, text = [], PYTHON
    digit_at = PYTHON.index("abort(") + 6
    for i in range(count):
        digit = str(i % 10)
        changes.append([{"range": {"start": position, "end": {"line": 3, "character": 11}}, "text": digit}])
        text = text[:digit_at] + digit + text[digit_at + 1 :]
    return changes, text


@pytest.mark.parametrize("count", [200])
def test_a_burst_ends_on_the_latest_version(client: ServerProcess, count: int):
    uri, fresh = new_uri("burst", ".py"), new_uri("burst-fresh", ".py")
    client.open(uri, "python", PYTHON)
    changes, final = edit_script(count)
    started = time.perf_counter()
    for version, change in enumerate(changes, start=2):
        client.change(uri, version, change)
    last = count + 1
    client.open(fresh, "python", final)
    if client.kind.endswith("pull"):  # type: ignore[attr-defined]
        got = client.pull_diagnostics(uri)
        assert got.error is None
        items, want = got.result["items"], client.pull_diagnostics(fresh).result["items"]
    else:
        items, _ = client.diagnostics(uri, last, timeout=30)
        want, _ = client.diagnostics(fresh, 1)
        published = [n.params["version"] for n in client.published(uri)]
        assert published == sorted(published), "a publish for an older version came after a newer one"
        assert published[-1] == last
        # Debounced: far fewer pushes than edits.
        assert len(published) < count / 4, published
        FIGURES.append(f"{client.kind:10} burst of {count} edits: {len(published)} publishes, last for v{published[-1]}")  # type: ignore[attr-defined]
    converged = time.perf_counter() - started
    FIGURES.append(f"{client.kind:10} burst of {count} edits: converged {converged * 1000:.0f} ms after the first")  # type: ignore[attr-defined]
    assert [(i["range"], i["code"], i["message"]) for i in items] == [(i["range"], i["code"], i["message"]) for i in want]
    code = final[final.index("abort(") + 6 : final.index("abort(") + 9]
    assert [text_at(final, i["range"], client.encoding) for i in items] == [code]  # 904: not a status code


def test_cancelled_requests_are_never_started(client: ServerProcess):
    busy, uri = new_uri("busy", ".yaml"), new_uri("cancel", ".py")
    client.open(uri, "python", PYTHON)
    client.open(busy, "yaml", BUSY)
    hold = client.request_id("textDocument/hover", {"textDocument": {"uri": busy}, "position": {"line": 0, "character": 0}})
    position = position_of(PYTHON, "404", client.encoding)
    cancelled = client.request_id("textDocument/hover", {"textDocument": {"uri": uri}, "position": position})
    client.notify("$/cancelRequest", {"id": cancelled})
    kept = client.request_id("textDocument/hover", {"textDocument": {"uri": uri}, "position": position})
    assert client.answer(hold, 60).error is None
    answer = client.answer(cancelled)
    assert answer.error is not None and answer.error["code"] == REQUEST_CANCELLED, answer
    assert "404" in client.answer(kept).result["contents"]["value"]
    # A cancel for a request already answered, or never sent, changes nothing.
    client.notify("$/cancelRequest", {"id": kept})
    client.notify("$/cancelRequest", {"id": 10**9})
    assert "404" in client.hover(uri, **position).result["contents"]["value"]
    client.close_document(busy)


def test_pulls_for_superseded_text_are_not_computed(client: ServerProcess):
    if not client.kind.endswith("pull"):  # type: ignore[attr-defined]
        pytest.skip("pushing clients never pull")
    busy, uri = new_uri("busy", ".yaml"), new_uri("superseded", ".py")
    client.open(uri, "python", PYTHON)
    client.open(busy, "yaml", BUSY)
    hold = client.request_id("textDocument/hover", {"textDocument": {"uri": busy}, "position": {"line": 0, "character": 0}})
    stale = client.request_id("textDocument/diagnostic", {"textDocument": {"uri": uri}})
    client.change(uri, 2, [{"text": PYTHON.replace("404", "509")}])
    current = client.request_id("textDocument/diagnostic", {"textDocument": {"uri": uri}})
    assert client.answer(hold, 60).error is None
    answer = client.answer(stale)
    assert answer.error is not None and answer.error["code"] == SERVER_CANCELLED, answer
    assert answer.error["data"] == {"retriggerRequest": True}
    items = client.answer(current).result["items"]
    assert [text_at(PYTHON.replace("404", "509"), i["range"], client.encoding) for i in items] == ["509"]
    client.close_document(busy)
