"""The document store: incremental edits in client units, line bookkeeping, tree reuse, one analysis
per version."""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from http_status_ls.detect.openapi_operations import model_of, operations_of
from http_status_ls.lsp.documents import LINE_LOG_KEPT, Document, DocumentStore, split_lines

UTF8 = PositionCodec(types.PositionEncodingKind.Utf8)
UTF16 = PositionCodec(types.PositionEncodingKind.Utf16)


def client_units(text: str, codec: PositionCodec) -> int:
    if codec.encoding == types.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8"))
    return len(text.encode("utf-16-le")) // 2


def client_position(text: str, offset: int, codec: PositionCodec) -> types.Position:
    line = text.count("\n", 0, offset)
    line_start = text.rfind("\n", 0, offset) + 1
    return types.Position(line=line, character=client_units(text[line_start:offset], codec))


def change(text: str, start: int, end: int, new: str, codec: PositionCodec) -> types.TextDocumentContentChangePartial:
    return types.TextDocumentContentChangePartial(
        range=types.Range(start=client_position(text, start, codec), end=client_position(text, end, codec)), text=new
    )


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("", []),
        ("a", ["a"]),
        ("a\n", ["a\n"]),
        ("a\r\nb", ["a\r\n", "b"]),
        ("a\x0cb\u2028c\n", ["a\x0cb\u2028c\n"]),  # form feeds and U+2028 are not line breaks for LSP
    ],
)
def test_split_lines(text, lines):
    assert split_lines(text) == lines


@pytest.mark.parametrize("codec", [UTF8, UTF16], ids=["utf-8", "utf-16"])
def test_edit_after_emoji(codec):
    text = 'x = "é世🎉"; abort(404)\n'
    document = Document("file:///a.py", "python", 1, text)
    start = text.index("404")
    document.apply_changes([change(text, start, start + 3, "305", codec)], 2, codec)
    assert document.text == text.replace("404", "305")
    assert document.version == 2 and document.revision == 1


def test_append_past_the_last_line():
    document = Document("file:///a.py", "python", 1, "a = 1\n\n")
    edit = types.TextDocumentContentChangePartial(
        range=types.Range(start=types.Position(2, 0), end=types.Position(2, 0)), text="b = 2"
    )
    document.apply_changes([edit], 2, UTF16)
    assert document.text == "a = 1\n\nb = 2"
    assert document.lines == ["a = 1\n", "\n", "b = 2"]


def test_columns_past_the_line_end_mean_the_line_end():
    document = Document("file:///a.py", "python", 1, "ab\r\ncd\n")
    edit = types.TextDocumentContentChangePartial(
        range=types.Range(start=types.Position(0, 99), end=types.Position(0, 99)), text="!"
    )
    document.apply_changes([edit], 2, UTF16)
    assert document.text == "ab!\r\ncd\n"


def test_full_change_replaces_everything():
    document = Document("file:///a.py", "python", 1, "abort(404)\n")
    document.analysis()
    document.apply_changes([types.TextDocumentContentChangeWholeDocument(text="abort(305)\n")], 2, UTF16)
    assert document.text == "abort(305)\n"
    assert [o.code for o in document.analysis().occurrences] == [305]


def test_one_analysis_per_revision():
    document = Document("file:///a.py", "python", 1, "abort(404)\n")
    first = document.analysis()
    assert document.analysis() is first
    assert document.memo("x", lambda: [1]) is document.memo("x", lambda: [2])
    document.apply_changes([change(document.text, 6, 9, "418", UTF16)], 2, UTF16)
    assert not document.analysed
    second = document.analysis()
    assert second is not first and second.version == 2
    assert document.memo("x", lambda: [2]) == [2]


def test_store_open_change_close():
    store = DocumentStore()
    store.open("file:///s.yaml", "yaml", 1, "status: 404\n")
    assert [o.code for o in store.analysis("file:///s.yaml").occurrences] == [404]
    store.change("file:///s.yaml", 2, [change("status: 404\n", 8, 11, "420", UTF16)], UTF16)
    assert [o.code for o in store.analysis("file:///s.yaml").occurrences] == [420]
    assert store.close("file:///s.yaml") is not None
    assert store.analysis("file:///s.yaml") is None
    assert store.change("file:///s.yaml", 3, [], UTF16) is None


def test_unknown_language_analyses_to_nothing():
    document = Document("file:///notes.txt", "plaintext", 1, "abort(404)")
    analysis = document.analysis()
    assert analysis.occurrences == () and "no detector" in analysis.detection.notes[0]


# Text with the characters that make code points, utf-16 units and utf-8 bytes disagree.
_ALPHABET = string.ascii_letters[:6] + "0459 \n:,{}[]\"'()=" + "é世🎉"


@st.composite
def edit_scripts(draw):
    text = draw(st.text(alphabet=_ALPHABET, max_size=60))
    edits = []
    current = text
    for _ in range(draw(st.integers(1, 6))):
        start = draw(st.integers(0, len(current)))
        end = draw(st.integers(start, len(current)))
        new = draw(st.text(alphabet=_ALPHABET, max_size=8))
        edits.append((start, end, new))
        current = current[:start] + new + current[end:]
    return text, edits


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(script=edit_scripts(), codec=st.sampled_from([UTF8, UTF16]))
def test_incremental_edits_match_a_plain_model(script, codec):
    text, edits = script
    document = Document("file:///h.json", "json", 1, text)
    model = text
    for version, (start, end, new) in enumerate(edits, start=2):
        document.apply_changes([change(model, start, end, new, codec)], version, codec)
        # What tree-sitter is told, in bytes of the text before the edit.
        edit = document._pending_edits[-1][0]
        assert edit.start_byte == len(model[:start].encode())
        assert edit.old_end_byte == len(model[:end].encode())
        assert edit.new_end_byte == len((model[:start] + new).encode())
        model = model[:start] + new + model[end:]
        assert document.text == model
        assert document.lines == split_lines(model)


PYTHON_SOURCE = 'from flask import abort\n# é世🎉\ndef v():\n    abort(404)\n    return "x", 201\n'
JSON_SOURCE = '{"openapi": "3.0.0", "paths": {"/é🎉": {"get": {"responses": {"200": {}, "404": {}}}}}}\n'


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    source=st.sampled_from([("file:///t.py", "python", PYTHON_SOURCE), ("file:///t.json", "json", JSON_SOURCE)]),
)
def test_incremental_reparse_equals_fresh_parse(data, source):
    """Re-parsing with the edited old tree must find exactly what a parse from scratch finds."""
    uri, language, text = source
    document = Document(uri, language, 1, text)
    document.analysis()
    current = text
    for version in range(2, data.draw(st.integers(2, 5))):
        start = data.draw(st.integers(0, len(current)))
        end = data.draw(st.integers(start, min(len(current), start + 6)))
        new = data.draw(st.text(alphabet="0134 é🎉\n\"',", max_size=5))
        document.apply_changes([change(current, start, end, new, UTF16)], version, UTF16)
        current = current[:start] + new + current[end:]
        incremental = document.analysis()
        fresh = Document(uri, language, version, current).analysis()
        assert [(o.span, o.code, o.kind) for o in incremental.occurrences] == [
            (o.span, o.code, o.kind) for o in fresh.occurrences
        ]


OPENAPI_JSON = (
    '{"openapi": "3.0.0", "paths": {"/é": {"get": {"description": "héllo 🎉 wörld", '
    '"responses": {"200": {"description": "ok"}, "404": {"description": "nö"}}}}}}\n'
    '{"tags": ["a", "b"]}\n'
)


def _fingerprint(analysis):
    detection = analysis.detection
    return (
        [(o.span, o.code, o.kind, o.text, o.body_span) for o in detection.occurrences],
        [(b.span, b.pointer, [k.span for k in b.keys]) for b in detection.responses],
        detection.openapi,
    )


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_string_value_edits_keep_the_analysis(data):
    """Typing inside descriptions of an OpenAPI JSON reuses the analysis; the result must equal a
    fresh analysis whatever was typed (quotes and backslashes fall back to the detector)."""
    document = Document("file:///o.json", "json", 1, OPENAPI_JSON)
    document.analysis()
    current = OPENAPI_JSON
    values = [m.start() + 1 for m in re.finditer(r'(?<=: )"', current)]
    for version in range(2, data.draw(st.integers(3, 7))):
        anchor = data.draw(st.sampled_from(values))
        start = data.draw(st.integers(anchor, anchor + 2))
        end = data.draw(st.integers(start, start + 1))
        new = data.draw(st.text(alphabet='ab é🎉"\\', max_size=3))
        document.apply_changes([change(current, start, end, new, UTF16)], version, UTF16)
        current = current[:start] + new + current[end:]
        values = [m.start() + 1 for m in re.finditer(r'(?<=: )"', current)]
        assert _fingerprint(document.analysis()) == _fingerprint(Document("file:///o.json", "json", version, current).analysis())


def test_description_edit_takes_the_shortcut():
    document = Document("file:///o.json", "json", 1, OPENAPI_JSON)
    first = document.analysis()
    at = OPENAPI_JSON.index("wörld")
    document.apply_changes([change(OPENAPI_JSON, at, at, "big ", UTF8)], 2, UTF8)
    second = document.analysis()
    assert second.detection.tree is first.detection.tree  # carried over, not re-parsed
    assert second.version == 2
    key_404 = [o for o in second.occurrences if o.code == 404][0]
    assert key_404.span.start_col == OPENAPI_JSON.index('"404"') + len("big ")
    # The tree stands for the new text now; the bytes it was parsed from are the old text's.
    assert first.detection.source == OPENAPI_JSON.encode() and second.detection.source is None
    assert model_of(second, document.text) == operations_of(document.text, "json")
    # A quote ends the shortcut: the string boundaries move.
    at = document.text.index("big")
    document.apply_changes([change(document.text, at, at, '"', UTF8)], 3, UTF8)
    assert document.analysis().detection.tree is not first.detection.tree


@pytest.mark.parametrize(("uri", "language"), [("file:///many.py", "python"), ("file:///many.json", "json")])
def test_a_change_of_many_ranges_gives_what_the_ranges_one_by_one_give(uri: str, language: str):
    """Above MANY_RANGES the edits skip the parse tree; the text and the analysis must not notice."""
    from http_status_ls.lsp.documents import MANY_RANGES

    count = MANY_RANGES * 3
    if language == "python":
        text = "from flask import abort\n" + "abort(404)  # café 🎉\n" * count
    else:
        text = "[\n" + "".join(f'  {{"status": 404, "n": "é{i}"}},\n' for i in range(count)) + "  {}\n]\n"
    codec = PositionCodec(types.PositionEncodingKind.Utf16)
    batch, single = Document(uri, language, 1, text), Document(uri, language, 1, text)
    batch.analysis(), single.analysis()
    changes = []
    for number, line in enumerate(batch.lines):
        if (column := line.find("404")) >= 0:
            start = types.Position(line=number, character=len(line[:column].encode("utf-16-le")) // 2)
            end = types.Position(line=number, character=start.character + 3)
            # Every third edit adds a line, shifting the ones after it (their ranges allow for it).
            new = "410" if number % 3 else "418\n"
            shift = sum(1 for change in changes if change.text.endswith("\n"))
            moved = types.Range(
                start=types.Position(line=start.line + shift, character=start.character),
                end=types.Position(line=end.line + shift, character=end.character),
            )
            changes.append(types.TextDocumentContentChangePartial(range=moved, text=new))
    assert len(changes) > MANY_RANGES
    batch.apply_changes(changes, 2, codec)
    for change in changes:
        single.apply_changes([change], 2, codec)
    assert batch.text == single.text == "".join(batch.lines)
    fresh = Document(uri, language, 2, batch.text).analysis()
    assert [(o.span, o.code) for o in batch.analysis().occurrences] == [(o.span, o.code) for o in fresh.occurrences]


# --- the rows each edit replaced (`Lines`) ----------------------------------------------------------


def _off_crlf(text: str, offset: int) -> int:
    """An offset moved off the middle of a CRLF, where no client position points."""
    return offset - 1 if 0 < offset < len(text) and text[offset - 1 : offset + 1] == "\r\n" else offset


def _lsp_position(text: str, offset: int, codec: PositionCodec) -> types.Position:
    """As `client_position`, with lines broken where the LSP breaks them (CR, LF and CRLF)."""
    before = split_lines(text[:offset])
    line = len(before) if before and before[-1].endswith(("\n", "\r")) else max(len(before) - 1, 0)
    last = before[-1] if before and line == len(before) - 1 else ""
    return types.Position(line=line, character=client_units(last, codec))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(script=edit_scripts(), codec=st.sampled_from([UTF8, UTF16]), crlf=st.booleans())
def test_lines_say_which_rows_changed_since_any_earlier_state(script, codec, crlf):
    text, edits = script
    if crlf:  # lone CRs and CRLFs: a splice may merge a line with the one above it
        text = text.replace("a", "\r").replace("b", "\r\n")
        edits = [(start, end, new.replace("c", "\r")) for start, end, new in edits]
    document = Document("file:///h.yaml", "yaml", 1, text)
    states = [(document.lines.mark, list(document.lines))]
    model = text
    for version, (start, end, new) in enumerate(edits, start=2):
        start, end = sorted(_off_crlf(model, min(offset, len(model))) for offset in (start, end))
        edit = types.Range(start=_lsp_position(model, start, codec), end=_lsp_position(model, end, codec))
        document.apply_changes([types.TextDocumentContentChangePartial(range=edit, text=new)], version, codec)
        model = model[:start] + new + model[end:]
        states.append((document.lines.mark, list(document.lines)))
    now = document.lines
    assert now == split_lines(model)
    assert now.chars == len(model)
    for mark, before in states:
        rows = now.rows_changed_since(mark)
        assert rows is not None
        first, old_end, new_end = rows
        assert 0 <= first <= old_end <= len(before) and first <= new_end <= len(now)
        assert len(before) - old_end == len(now) - new_end
        # Outside the rows named, the lines are the very same objects.
        assert all(a is b for a, b in zip(before[:first], now[:first], strict=True))
        assert all(a is b for a, b in zip(before[old_end:], now[new_end:], strict=True))
    assert now.rows_changed_since(now.mark) == (0, 0, 0)


def test_lines_of_a_full_change_or_another_document_do_not_answer():
    document = Document("file:///h.yaml", "yaml", 1, "a: 1\nb: 2\n")
    other = Document("file:///o.yaml", "yaml", 1, "a: 1\nb: 2\n")
    mark = document.lines.mark
    document.apply_changes([change(document.text, 3, 4, "7", UTF16)], 2, UTF16)
    assert document.lines.rows_changed_since(mark) == (0, 1, 1)
    assert other.lines.rows_changed_since(mark) is None  # marks are unique in the process
    document.apply_changes([types.TextDocumentContentChangeWholeDocument(text="a: 1\n")], 3, UTF16)
    assert document.lines.rows_changed_since(mark) is None


def test_lines_forget_splices_past_the_log():
    document = Document("file:///h.yaml", "yaml", 1, "a: 1\n")
    mark = document.lines.mark
    for version in range(2, LINE_LOG_KEPT + 3):
        document.apply_changes([change(document.text, 3, 4, str(version % 10), UTF16)], version, UTF16)
    assert document.lines.rows_changed_since(mark) is None


def test_the_operations_model_finds_a_keystroke_from_the_rows_the_lines_name(monkeypatch):
    from http_status_ls.detect import openapi_reads
    from http_status_ls.detect.openapi_operations import model_of

    spec = "openapi: 3.1.0\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: OK\n"
    text = spec + "components:\n  schemas:\n" + "".join(f"    S{row}:\n      description: a note\n" for row in range(1000))
    document = Document("file:///rows.yaml", "yaml", 1, text)
    first = model_of(document.analysis(), lambda: document.text, document.lines)
    assert first is not None
    compared: list[int] = []
    real = openapi_reads._changed_line
    monkeypatch.setattr(openapi_reads, "_changed_line", lambda old, new: compared.append(len(old)) or real(old, new))
    document.apply_changes([change(document.text, len(text) - 2, len(text) - 2, "z", UTF16)], 2, UTF16)
    assert document.lines[-1] == "      description: a notze\n"
    assert model_of(document.analysis(), lambda: document.text, document.lines) is first
    assert compared == [1]  # only the row the keystroke changed, not the 2,000 lines
