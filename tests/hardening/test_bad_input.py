"""Bad input gets a clear result, never a crash or a hang (issue 6).

For each document of :mod:`bad_inputs`, through the real server process and for both clients: hover,
completion and diagnostics are answered (each timed; the figures are printed at the end of the run,
the bound asserted is only a guard against hangs), the diagnostics point at the right text, the
hover names the right code, and the server still serves a clean document afterwards.
"""

from __future__ import annotations

import re

import pytest

from tests.support.fixture_texts import fixture_text
from tests.support.lsp_positions import position_of, text_at
from tests.support.wire import ServerProcess

from .bad_inputs import CASES, BadInput
from .conftest import FIGURES, new_uri

HANG_GUARD_SECONDS = 5.0
"""Generous on purpose: the goal is well under a second (see the printed figures); this only
catches a hang or a quadratic blow-up."""

CLEAN = fixture_text("flask_view.py")
"""Opened after each bad input: the hover at line 3, character 11 (on ``404``) must still answer."""


def diagnostics_now(client: ServerProcess, uri: str, version: int) -> tuple[list[dict], float]:
    """The document's diagnostics the way this client gets them, and the seconds they took."""
    if getattr(client, "kind", "").endswith("pull"):
        answer = client.pull_diagnostics(uri)
        assert answer.error is None, answer.error
        return answer.result["items"], answer.seconds
    return client.diagnostics(uri, version)


def codes_in(text: str, items: list[dict], encoding: str) -> set[int]:
    """The status codes the diagnostics' ranges cover (ranges that cover no number are skipped)."""
    found = set()
    for item in items:
        covered = text_at(text, item["range"], encoding)
        if (number := re.search(r"\d{3}", covered)) is not None:
            found.add(int(number.group()))
    return found


def assert_still_serving(client: ServerProcess) -> None:
    uri = new_uri("clean", ".py")
    client.open(uri, "python", CLEAN)
    hover = client.hover(uri, 3, 11)
    assert hover.error is None and "404 Not Found" in hover.result["contents"]["value"]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input_is_answered(client: ServerProcess, case: BadInput):
    encoding = client.encoding
    uri = new_uri(case.name, case.suffix)
    client.open(uri, case.language, case.text)
    if case.needle is not None:
        position = position_of(case.text, case.needle, encoding)
    else:
        position = {"line": 0, "character": 0}

    hover = client.hover(uri, position["line"], position["character"])
    completion = client.completion(uri, position["line"], position["character"])
    items, diagnostics_seconds = diagnostics_now(client, uri, 1)
    FIGURES.append(
        f"{client.kind:10} {case.name:32} {len(case.text.encode('utf-8', 'surrogatepass')) / 1e6:5.2f} MB  "  # type: ignore[attr-defined]
        f"hover {hover.seconds * 1000:7.1f} ms  completion {completion.seconds * 1000:7.1f} ms  "
        f"diagnostics {diagnostics_seconds * 1000:7.1f} ms"
    )
    assert hover.error is None and completion.error is None, (hover.error, completion.error)
    for what, seconds in (("hover", hover.seconds), ("completion", completion.seconds), ("diagnostics", diagnostics_seconds)):
        assert seconds < HANG_GUARD_SECONDS, f"{what} took {seconds:.2f} s"

    found = codes_in(case.text, items, encoding)
    if case.exact:
        assert found == set(case.codes), [(i["code"], i["range"]) for i in items]
    else:
        assert set(case.codes) <= found, [(i["code"], i["range"]) for i in items]
    if not case.codes:
        assert items == [] and hover.result is None

    if case.hover_code is not None:
        assert hover.result is not None, "no hover on the code"
        assert f"{case.hover_code} " in hover.result["contents"]["value"]
        assert text_at(case.text, hover.result["range"], encoding).strip("'\"") == str(case.hover_code)

    client.close_document(uri)
    assert_still_serving(client)
