"""The server's text is always the editor's text: random incremental edits, checked against a fresh
open of the same final text.

tests/test_documents.py already checks the text and tree-sitter's byte offsets against a plain model
(``\\n`` only, JSON) and incremental re-parses (Python and JSON, utf-16). These add what it leaves
out: ``\\r\\n`` and lone ``\\r`` line breaks (which may merge into one CRLF or split apart under an
edit), U+2028 and form feeds (not line breaks for the LSP), YAML, both position encodings, edits
spanning lines, deletions down to an empty document, several changes in one ``didChange``, and the
diagnostics (ranges in client units) besides the analysis. A few scripts also go through the real
server process.
"""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from http_status_ls.core.positions import ClientPositions
from http_status_ls.features.diagnostics import diagnostics
from http_status_ls.lsp.documents import Document, DocumentStore, split_lines
from tests.support.lsp_positions import position_at_offset, text_at
from tests.support.wire import ServerProcess

from .conftest import FIGURES, new_uri

CODECS = {"utf-8": PositionCodec(types.PositionEncodingKind.Utf8), "utf-16": PositionCodec(types.PositionEncodingKind.Utf16)}

# Pieces that make detectors find things, and characters that make units and lines disagree.
PIECES = {
    ".py": [
        "from flask import abort\n",
        "abort(404)",
        "abort(305)",
        "return x, 420",
        "status_code=509",
        "HTTPStatus.NOT_FOUND",
        "(",
        ")",
        "'",
        "#",
        " ",
        "\n",
        "\r\n",
        "\r",
        "é",
        "世",
        "🎉",
        "\u2028",
        "\x0c",
        "4",
        "0",
        "x = ",
    ],
    ".yaml": [
        "openapi: 3.0.0\n",
        "paths:\n  /p:\n    get:\n      responses:\n",
        "        '404':",
        "        '305': {}",
        "status: 420",
        "  ",
        "- ",
        ":",
        "'",
        "\n",
        "\r\n",
        "\r",
        "é",
        "🎉",
        "\u2028",
        "\x0c",
        "#",
        "5",
        "{",
        "}",
    ],
    ".json": [
        '{"openapi": "3.0.0", "paths": {"/p": {"get": {"responses": {',
        '"404": {}',
        '"305": {"description": "é"}',
        "}}}}}",
        '{"status": 420}',
        '"',
        ",",
        "{",
        "}",
        "\n",
        "\r\n",
        "\r",
        "é",
        "🎉",
        "\u2028",
        " ",
        "4",
    ],
}
LANGUAGE = {".py": "python", ".yaml": "yaml", ".json": "json"}


def lsp_position(text: str, offset: int, encoding: str) -> types.Position:
    """The LSP position of a code-point offset (which must not fall inside a CRLF)."""
    return types.Position(**position_at_offset(text, offset, encoding))


def inside_crlf(text: str, offset: int) -> bool:
    return 0 < offset < len(text) and text[offset - 1] == "\r" and text[offset] == "\n"


def fingerprint(analysis) -> tuple:
    detection = analysis.detection
    return (
        [(o.span, o.code, o.kind, o.text, o.value, o.body_span, o.name) for o in detection.occurrences],
        [(b.span, b.pointer, b.flow, b.key_indent, [k.span for k in b.keys]) for b in detection.responses],
        detection.openapi,
        dict(detection.namespaces),
    )


def client_diagnostics(document: Document, encoding: str) -> list:
    positions = ClientPositions(document.lines, CODECS[encoding])
    return [(d.range, d.code, d.message) for d in diagnostics(document.analysis(), to_range=positions.range)]


@st.composite
def edit_scripts(draw, suffix: str):
    pieces = PIECES[suffix]
    text = "".join(draw(st.lists(st.sampled_from(pieces), max_size=12)))
    steps = []
    current = text
    for _ in range(draw(st.integers(1, 8))):
        if current and draw(st.integers(0, 9)) == 0:
            start, end, new = 0, len(current), ""  # delete everything
        else:
            start = draw(st.integers(0, len(current)))
            end = draw(st.integers(start, min(len(current), start + draw(st.sampled_from([0, 1, 3, 12, 60])))))
            new = "".join(draw(st.lists(st.sampled_from(pieces), max_size=3)))
        # A position cannot fall between the CR and the LF of one line break.
        if inside_crlf(current, start):
            start -= 1
        if inside_crlf(current, end):
            end += 1
        analyse_now = draw(st.booleans())
        steps.append((start, end, new, analyse_now))
        current = current[:start] + new + current[end:]
    return text, steps


def run_script(suffix: str, encoding: str, text: str, steps: list) -> None:
    codec = CODECS[encoding]
    store = DocumentStore()
    uri = f"file:///prop/t{suffix}"
    document = store.open(uri, LANGUAGE[suffix], 1, text)
    document.analysis()
    model = text
    for version, (start, end, new, analyse_now) in enumerate(steps, start=2):
        change = types.TextDocumentContentChangePartial(
            range=types.Range(start=lsp_position(model, start, encoding), end=lsp_position(model, end, encoding)), text=new
        )
        store.change(uri, version, [change], codec)
        model = model[:start] + new + model[end:]
        assert document.text == model
        assert document.lines == split_lines(model)
        assert "".join(document.lines) == model
        if analyse_now:
            document.analysis()
    fresh = Document(uri, LANGUAGE[suffix], document.version, model)
    assert fingerprint(document.analysis()) == fingerprint(fresh.analysis())
    assert client_diagnostics(document, encoding) == client_diagnostics(fresh, encoding)


@pytest.mark.parametrize("encoding", list(CODECS))
@pytest.mark.parametrize("suffix", list(PIECES))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_random_edits_equal_a_fresh_open(suffix: str, encoding: str, data):
    text, steps = data.draw(edit_scripts(suffix))
    run_script(suffix, encoding, text, steps)


SOUP = {
    ".py": ["abort(404)", "abort(305)", "from flask import abort", "\r", "\n", "\r\n", "a", "é", "🎉"],
    ".json": ['{"status": 420}', '{"status": 305}', "[", "]", ",", "\r", "\n", "\r\n", "é", "🎉"],
}


@pytest.mark.parametrize("suffix", list(SOUP))
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_line_break_soup(suffix: str, data):
    """Texts made mostly of line breaks, where edits keep joining CRs and LFs into CRLFs and parting
    them, and incremental re-parses must still agree with fresh ones."""
    pieces = SOUP[suffix]
    text = "".join(data.draw(st.lists(st.sampled_from(pieces), max_size=16)))
    steps, current = [], text
    for _ in range(data.draw(st.integers(1, 10))):
        # Half the edits start right after a line break, where CRs and LFs meet.
        breaks = [i + 1 for i, char in enumerate(current) if char in "\r\n"]
        if breaks and data.draw(st.booleans()):
            start = data.draw(st.sampled_from(breaks))
        else:
            start = data.draw(st.integers(0, len(current)))
        end = data.draw(st.integers(start, min(len(current), start + 3)))
        new = "".join(data.draw(st.lists(st.sampled_from(pieces), max_size=2)))
        if inside_crlf(current, start):
            start -= 1
        if inside_crlf(current, end):
            end += 1
        steps.append((start, end, new, data.draw(st.booleans())))
        current = current[:start] + new + current[end:]
    run_script(suffix, data.draw(st.sampled_from(list(CODECS))), text, steps)


@pytest.mark.parametrize("encoding", list(CODECS))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_several_changes_in_one_notification(encoding: str, data):
    """Each change's range refers to the text the previous change left (as the LSP says)."""
    text, steps = data.draw(edit_scripts(".py"))
    codec = CODECS[encoding]
    document = Document("file:///prop/many.py", "python", 1, text)
    document.analysis()
    changes, model = [], text
    for start, end, new, _ in steps:
        changes.append(
            types.TextDocumentContentChangePartial(
                range=types.Range(start=lsp_position(model, start, encoding), end=lsp_position(model, end, encoding)), text=new
            )
        )
        model = model[:start] + new + model[end:]
    document.apply_changes(changes, 2, codec)
    assert document.text == model
    fresh = Document("file:///prop/many.py", "python", 2, model)
    assert fingerprint(document.analysis()) == fingerprint(fresh.analysis())


@pytest.mark.parametrize(
    ("text", "start", "end", "new", "lines"),
    [
        ("a\rX\nb", 2, 3, "", ["a\r\n", "b"]),  # deleting between CR and LF makes one CRLF
        ("a\r", 2, 2, "\nb", ["a\r\n", "b"]),  # an LF typed after a final lone CR joins it
        ("a\rb", 2, 2, "\n", ["a\r\n", "b"]),
        ("a\r\nb", 1, 3, "\r", ["a\r", "b"]),  # replacing a CRLF by a CR
        ("a\r\nb", 1, 1, "\r", ["a\r", "\r\n", "b"]),
        ("x\u2028y\x0cz\n1", 6, 6, "!", ["x\u2028y\x0cz\n", "!1"]),  # not line breaks for the LSP
    ],
)
def test_line_breaks_that_merge_or_split(text, start, end, new, lines):
    for encoding, codec in CODECS.items():
        document = Document("file:///prop/cr.py", "python", 1, text)
        change = types.TextDocumentContentChangePartial(
            range=types.Range(start=lsp_position(text, start, encoding), end=lsp_position(text, end, encoding)), text=new
        )
        document.apply_changes([change], 2, codec)
        assert document.lines == lines
        assert document.text == "".join(lines)


# --- through the real server process -----------------------------------------------------------------


def _script(rng: random.Random, suffix: str, length: int) -> tuple[str, list[tuple[int, int, str]]]:
    pieces = PIECES[suffix]
    text = "".join(rng.choice(pieces) for _ in range(30))
    steps, current = [], text
    for _ in range(length):
        start = rng.randint(0, len(current))
        end = min(len(current), start + rng.choice([0, 0, 1, 2, 5, 40]))
        new = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 2)))
        if inside_crlf(current, start):
            start -= 1
        if inside_crlf(current, end):
            end += 1
        steps.append((start, end, new))
        current = current[:start] + new + current[end:]
    return text, steps


@pytest.mark.parametrize("suffix", list(PIECES))
def test_random_edits_through_the_server(client: ServerProcess, suffix: str):
    """40 random edits sent back to back; then the diagnostics (and the hover on each) must be those
    of the final text opened fresh under another URI."""
    rng = random.Random(f"{client.kind}{suffix}")  # type: ignore[attr-defined]
    encoding = client.encoding
    pulls = client.kind.endswith("pull")  # type: ignore[attr-defined]
    for _ in range(3):
        text, steps = _script(rng, suffix, 40)
        edited, fresh = new_uri("edited", suffix), new_uri("fresh", suffix)
        client.open(edited, LANGUAGE[suffix], text)
        model = text
        for version, (start, end, new) in enumerate(steps, start=2):
            start_position, end_position = lsp_position(model, start, encoding), lsp_position(model, end, encoding)
            client.change(
                edited,
                version,
                [
                    {
                        "range": {
                            "start": {"line": start_position.line, "character": start_position.character},
                            "end": {"line": end_position.line, "character": end_position.character},
                        },
                        "text": new,
                    }
                ],
            )
            model = model[:start] + new + model[end:]
        client.open(fresh, LANGUAGE[suffix], model)
        final = len(steps) + 1
        if pulls:
            got = client.pull_diagnostics(edited).result["items"]
            want = client.pull_diagnostics(fresh).result["items"]
        else:
            got = client.diagnostics(edited, final)[0]
            want = client.diagnostics(fresh, 1)[0]

        def strip(items):
            return sorted(
                (
                    i["range"]["start"]["line"],
                    i["range"]["start"]["character"],
                    i["code"],
                    i["message"],
                    i["range"]["end"]["line"],
                    i["range"]["end"]["character"],
                )
                for i in items
            )

        assert strip(got) == strip(want)
        for item in got:
            assert re.search(r"\d|[Xx]{2}|default", text_at(model, item["range"], encoding)), item
        for item in got[:5]:
            position = item["range"]["start"]
            a, b = (
                client.hover(edited, position["line"], position["character"]),
                client.hover(fresh, position["line"], position["character"]),
            )
            assert (a.result or {}).get("contents") == (b.result or {}).get("contents")
        client.close_document(edited)
        client.close_document(fresh)
    FIGURES.append(f"{client.kind:10} random edits through the server ({suffix}): 3 scripts x 40 edits matched a fresh open")  # type: ignore[attr-defined]
