"""The JSON detector: OpenAPI response keys, status-key values in other JSON, incremental parsing."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tree_sitter import Point

from http_status_ls.core.occurrences import Kind, Span
from http_status_ls.detect import json as json_detector
from http_status_ls.detect.json import detect_json
from tests.support.text_spans import keys, span_of

PETS_3 = json.dumps(
    {
        "openapi": "3.0.3",
        "info": {"title": "pets", "version": "1"},
        "paths": {
            "/pets/{id}": {
                "parameters": [{"name": "status", "in": "query"}],
                "get": {
                    "description": '"404": {} in prose',
                    "responses": {
                        "200": {"description": "ok", "content": {"application/json": {}}},
                        "4XX": {"description": "client"},
                        "2xx": {"description": "lowercase"},
                        "default": {"description": "other"},
                        "x-note": {"description": "extension"},
                    },
                },
                "delete": {"responses": {}},
            }
        },
        "components": {
            "responses": {"500": {"description": "not an operation's"}},
            "schemas": {"Problem": {"properties": {"status": {"example": 404}}, "example": {"status": 503}}},
        },
    },
    indent=2,
)


class TestOpenAPI3:
    def test_response_keys_with_exact_spans(self):
        detection = detect_json(PETS_3)
        assert detection.openapi == "3.0.3"
        assert keys(detection) == [('"200"', 200), ('"4XX"', None), ('"2xx"', None), ('"default"', None)]
        ok, ranged, lower, default = detection.occurrences
        assert ok.span == span_of(PETS_3, '"200"')
        assert ok.span == Span(17, 10, 17, 15)
        assert ok.value == "200" and ok.quoted and ok.kind is Kind.RESPONSE_KEY and ok.context == "responses"
        assert (ranged.value, ranged.code, ranged.range_class) == ("4XX", None, 4)
        assert (lower.code, lower.range_class) == (None, None)
        assert default.value == "default" and default.code is None

    def test_body_span(self):
        ok, ranged, *_ = detect_json(PETS_3).occurrences
        assert ok.body_span == span_of(PETS_3, '"content"')
        assert ranged.body_span is None

    def test_blocks(self):
        get, delete = detect_json(PETS_3).responses
        assert get.pointer == "/paths/~1pets~1{id}/get/responses"
        assert get.flow is True and get.key_indent is None
        assert [k.text for k in get.keys] == ['"200"', '"4XX"', '"2xx"', '"default"']
        start = span_of(PETS_3, '"responses"')
        assert (get.span.start_line, get.span.start_col) == (start.start_line, start.start_col)
        assert (get.span.end_line, get.span.end_col) == (35, 9)  # the closing brace of the object
        assert PETS_3.splitlines()[35][:9] == "        }"
        assert delete.keys == () and delete.span == span_of(PETS_3, '"responses": {}')


def test_swagger_2_number_version_and_schema_body():
    text = '{"swagger": 2.0, "paths": {"/a": {"post": {"responses": {"201": {"schema": {}}, "204": {"content": {}}}}}},\n "responses": {"400": {}}, "definitions": {"A": {"example": {"status": 404}}}}'
    detection = detect_json(text)
    assert detection.openapi == "2.0"
    assert keys(detection) == [('"201"', 201), ('"204"', 204)]
    created, empty = detection.occurrences
    assert created.body_span == span_of(text, '"schema"')
    assert empty.body_span is None


def test_callbacks_webhooks_component_path_items_and_duplicates():
    spec = {
        "openapi": "3.1.0",
        "paths": {
            "/subscribe": {
                "post": {
                    "callbacks": {"onEvent": {"{$request.body#/url}": {"post": {"responses": {"202": {}}}}}},
                    "responses": {"201": {}},
                }
            }
        },
        "webhooks": {"newPet": {"post": {"responses": {"200": {}}}}},
        "components": {
            "pathItems": {"shared": {"put": {"responses": {"409": {}}}}},
            "callbacks": {"reusable": {"{$url}": {"get": {"responses": {"5XX": {}}}}}},
        },
    }
    text = json.dumps(spec)
    # JSON objects may repeat a key; both copies must be reported.
    text = text.replace('{"201": {}}', '{"201": {}, "201": {"description": "again"}}')
    detection = detect_json(text)
    assert keys(detection) == [('"202"', 202), ('"201"', 201), ('"201"', 201), ('"200"', 200), ('"409"', 409), ('"5XX"', None)]
    assert [b.pointer for b in detection.responses] == [
        "/paths/~1subscribe/post/callbacks/onEvent/{$request.body#~1url}/post/responses",
        "/paths/~1subscribe/post/responses",
        "/webhooks/newPet/post/responses",
        "/components/pathItems/shared/put/responses",
        "/components/callbacks/reusable/{$url}/get/responses",
    ]


def test_escaped_keys_are_decoded_but_written_as_is():
    text = '{"openapi": "3.0.0", "paths": {"/a\\/b": {"get": {"responses": {"\\u0032\\u0030\\u0030": {}}}}}}'
    (key,) = detect_json(text).occurrences
    assert key.text == '"\\u0032\\u0030\\u0030"' and key.value == "200" and key.code == 200
    assert detect_json(text).responses[0].pointer == "/paths/~1a~1b/get/responses"


# -- plain JSON --------------------------------------------------------------------------------


def values(text: str, **kwargs) -> list[tuple[str, int, str]]:
    return [(o.text, o.code, o.context) for o in detect_json(text, **kwargs).occurrences]


def test_plain_status_values():
    text = '{"a": {"statusCode": "200", "Status_Codes": [200, "301", 1000, 20], "status": 1, "port": 443},\n "b": "\\"status\\": 500", "c": {"httpStatus": 503}}'
    assert values(text) == [
        ('"200"', 200, "statusCode"),
        ("200", 200, "Status_Codes"),
        ('"301"', 301, "Status_Codes"),
        ("503", 503, "httpStatus"),
    ]
    first = detect_json(text).occurrences[0]
    assert first.kind is Kind.YAML_VALUE and first.value == "200" and first.quoted
    assert first.span == span_of(text, '"200"')


@pytest.mark.parametrize(
    "text",
    [
        '{"status": "active"}',
        '{"status": {"code": 404}}',
        '{"status": 404.0}',
        '{"status": -404}',
        '{"status": 40}',
        '{"status": true}',
        '{"timeout": 300, "port": 443, "replicas": 100, "error_code": 500}',
        '{"note": "status: 404", "list": ["status", 404]}',
        '// "status": 404\n{"a": 1}',
        '{"a": /* "status": 404 */ 1}',
    ],
)
def test_not_status_values(text):
    assert detect_json(text).occurrences == ()


def test_status_keys_anywhere_and_in_arrays_of_objects():
    text = '[{"request": {"url": "/x"}, "response": {"status_code": 201}}, {"response": {"status_code": 404}}]'
    assert values(text) == [("201", 201, "status_code"), ("404", 404, "status_code")]


def test_extra_keys():
    text = '{"expect": 404, "myCode": "201"}'
    assert values(text) == []
    assert values(text, extra_keys=["expect", "my_code"]) == [("404", 404, "expect"), ('"201"', 201, "myCode")]


def test_openapi_documents_ignore_status_properties():
    text = '{"openapi": "3.0.0", "components": {"schemas": {"P": {"example": {"status": 404}}}}}'
    assert detect_json(text).occurrences == ()


# -- positions ---------------------------------------------------------------------------------


def test_columns_are_code_points():
    text = '{"é日本😀": {"status": 404},\n "😀": [{"statusCode": "503"}]}'
    first, second = detect_json(text).occurrences
    assert first.span == Span(0, 20, 0, 23)
    assert text.splitlines()[0][20:23] == "404"
    assert second.span == span_of(text, '"503"')


def test_columns_on_a_long_minified_non_ascii_line():
    text = '{"d": "' + "é😀" * 3000 + '", "status": 301, "more": "' + "日" * 5000 + '", "statusCode": 418}'
    first, second = detect_json(text).occurrences
    assert text[first.span.start_col : first.span.end_col] == "301"
    assert text[second.span.start_col : second.span.end_col] == "418"


def test_bom_and_crlf():
    text = '\ufeff{\r\n  "status": 404\r\n}'
    (value,) = detect_json(text).occurrences
    assert value.span == Span(1, 12, 1, 15)


def test_lone_carriage_returns_are_line_breaks():
    text = '{\r"a": 1,\r"status": 404}'
    (value,) = detect_json(text).occurrences
    assert value.span == Span(2, 10, 2, 13)


def test_a_lone_carriage_return_inside_a_key_breaks_its_span():
    text = '{"openapi": "3.0.0",\r "paths": {"/a": {"get": {"responses": {"2\r00": {}, "404": {}}}}}}'
    odd, not_found = detect_json(text).occurrences
    assert odd.span == Span(1, 40, 2, 3) and odd.text == '"2\r00"'
    assert not_found.span == Span(2, 9, 2, 14)


# -- broken input, JSONC, incremental parsing ---------------------------------------------------


def test_comments_and_trailing_commas():
    text = (
        '{\n  // JSONC\n  "openapi": "3.0.0", /* c */\n  "paths": {"/a": {"get": {"responses": {"200": {}, "404": {},},},},},\n}'
    )
    detection = detect_json(text)
    assert detection.openapi == "3.0.0"
    assert keys(detection) == [('"200"', 200), ('"404"', 404)]


def test_a_key_being_typed_does_not_hide_the_others():
    text = '{"openapi": "3.0.0", "paths": {"/a": {"get": {"responses": {"200": {}, "40\n, "500": {"content": {}}}}}}}'
    detection = detect_json(text)
    assert keys(detection) == [('"200"', 200), ('"500"', 500)]
    assert detection.notes


def test_responses_being_typed_get_an_empty_block():
    text = '{"openapi": "3.0.0", "paths": {"/a": {"get": {"responses": \n}}}}'
    detection = detect_json(text)
    (block,) = detection.responses
    assert block.keys == () and block.flow is True
    assert block.pointer == "/paths/~1a/get/responses"
    assert block.span == Span(0, 46, 0, 58)
    assert text[46:58] == '"responses":'


def test_a_description_without_a_readable_root_reports_no_plain_values():
    text = '{"openapi": "3.0.0", "paths": {"/a": {"get": {"responses": {"200": {}, "404": {"example": {"status": 500}}'
    detection = detect_json(text)
    assert detection.occurrences == () and detection.openapi == "3.0.0"
    assert any("no readable root object" in note for note in detection.notes)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{",
        "}",
        "[",
        '"',
        "null",
        '{"status": ',
        '{"openapi": "3.0.0", "paths": {"/a": {"get": {"responses": ',
        "\x00\x01",
        "\ud800",
        "[" * 5000,
    ],
)
def test_never_raises(text):
    detection = detect_json(text)
    assert detection.tree is not None
    assert all(o.code is None or 100 <= o.code <= 999 for o in detection.occurrences)


def test_incremental_reparse_after_an_edit():
    text = '{"openapi": "3.0.0", "paths": {"/a": {"get": {"responses": {"200": {}}}}}}'
    first = detect_json(text)
    # Type "4" then "04" turns nothing into a new key: insert `, "404": {}` after `{}`.
    at = text.index("{}}") + 2
    insert = ', "404": {}'
    edited = text[:at] + insert + text[at:]
    tree = first.tree
    tree.edit(
        start_byte=at,
        old_end_byte=at,
        new_end_byte=at + len(insert),
        start_point=Point(0, at),
        old_end_point=Point(0, at),
        new_end_point=Point(0, at + len(insert)),
    )
    second = detect_json(edited, tree)
    assert keys(second) == [('"200"', 200), ('"404"', 404)]
    assert second.occurrences[1].span == span_of(edited, '"404"')
    assert second.tree is not tree


# -- edits: what the previous tree's run found is reused, and the result is the same --------------


def _spec() -> dict:
    """A description with callbacks, webhooks, shared path items, non-ASCII prose and a range key."""

    def operation(code: str, extra: dict | None = None) -> dict:
        return {
            "summary": "Résumé – 日本 😀",
            "responses": {code: {"description": "ok", "content": {"application/json": {}}}, "4XX": {}, **(extra or {})},
        }

    return {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {
            "/pets": {"get": operation("200"), "post": operation("201", {"default": {}})},
            "/pets/{id}": {
                "parameters": [{"name": "status", "in": "query"}],
                "delete": operation("204", {"x-note": {}}),
                "put": {
                    "callbacks": {"cb": {"{$url}": {"post": operation("202")}}},
                    "responses": {"200": {}, "404": {}},
                },
            },
            "/é": {"patch": operation("418")},
        },
        "webhooks": {"new": {"post": operation("200")}},
        "components": {
            "pathItems": {"shared": {"get": operation("500")}},
            "schemas": {"S": {"example": {"status": 404, "responses": {"200": {}}}}},
        },
    }


_LAYOUTS = {
    "pretty": lambda spec: json.dumps(spec, indent=2, ensure_ascii=False),
    "one line": lambda spec: json.dumps(spec, ensure_ascii=False),
    "crlf": lambda spec: json.dumps(spec, indent=1, ensure_ascii=False).replace("\n", "\r\n"),
    # Several pairs to a line, objects across lines: a pair can move sideways yet span lines.
    "ragged": lambda spec: "".join(
        line.strip() + ("\n" if i % 3 == 2 else " ")
        for i, line in enumerate(json.dumps(spec, indent=1, ensure_ascii=False).split("\n"))
    ),
}

_SNIPPETS = [
    " ",
    "\n",
    "\r",
    "x",
    "é",
    "😀",
    '"',
    "{",
    "}",
    ",",
    ":",
    "//",
    '"404": {},',
    ', "500": {}',
    '"responses": {"201": {}}',
    '"get": {"responses": {"302": {}}},',
    '"/new": {"put": {"responses": {"409": {}}}},',
    '"content": {}',
    '"schema"',
    "4",
    "XX",
    "\\",
]


def _point(source: bytes, offset: int) -> tuple[int, int]:
    row = source.count(b"\n", 0, offset)
    return row, offset - (source.rfind(b"\n", 0, offset) + 1)


def _edit(tree, source: bytes, start: int, end: int, inserted: bytes) -> None:
    tree.edit(
        start_byte=start,
        old_end_byte=end,
        new_end_byte=start + len(inserted),
        start_point=_point(source, start),
        old_end_point=_point(source, end),
        new_end_point=_point(source[:start] + inserted, start + len(inserted)),
    )


def _same(left, right) -> None:
    assert left.occurrences == right.occurrences
    assert left.responses == right.responses
    assert (left.openapi, left.notes) == (right.openapi, right.notes)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    layout=st.sampled_from(sorted(_LAYOUTS)),
    edits=st.lists(
        st.tuples(
            st.floats(0, 1),
            st.integers(0, 40),
            st.one_of(st.sampled_from(_SNIPPETS), st.text(alphabet='ab{}[]":,\n 4é', max_size=6)),
        ),
        min_size=1,
        max_size=6,
    ),
)
def test_a_run_after_edits_equals_a_fresh_run(layout, edits):
    """Each edit is followed by a run on the edited tree (reusing the previous run) and by a run on
    a copy of the same tree (which has nothing to reuse), and, when the text parses cleanly, by a
    run on a fresh parse: all three agree."""
    text = _LAYOUTS[layout](_spec())
    detection = detect_json(text)
    for where, length, inserted in edits:
        start = int(where * len(text))
        end = min(len(text), start + length)
        source = text.encode("utf-8")
        start_byte, end_byte = len(text[:start].encode()), len(text[:end].encode())
        new_text = text[:start] + inserted + text[end:]
        tree, twin = detection.tree, detection.tree.copy()
        for each in (tree, twin):
            _edit(each, source, start_byte, end_byte, inserted.encode())
        reused = detect_json(new_text, tree)
        _same(reused, detect_json(new_text, twin))
        if not reused.tree.root_node.has_error:
            _same(reused, detect_json(new_text))
        starts = [(o.span.start_line, o.span.start_col) for o in reused.occurrences]
        assert starts == sorted(starts)
        text, detection = new_text, reused


def test_unchanged_blocks_are_reused_and_moved():
    text = PETS_3
    first = detect_json(text)
    source = text.encode()
    # A line inserted before the paths: every block moves down one line, nothing is read again.
    at = source.index(b'  "paths"')
    first.tree.edit(at, at, at + 3, _point(source, at), _point(source, at), (_point(source, at)[0] + 1, 2))
    edited = text[:at] + "\n  " + text[at:]
    second = detect_json(edited, first.tree)
    assert [b.span.start_line for b in second.responses] == [b.span.start_line + 1 for b in first.responses]
    assert second.occurrences[0].span == span_of(edited, '"200"')
    _same(second, detect_json(edited))
    # An edit elsewhere on no line of theirs leaves the very same objects.
    source = edited.encode()
    at = source.index(b'"title"')
    second.tree.edit(at + 1, at + 2, at + 1, _point(source, at + 1), _point(source, at + 2), _point(source, at + 1))
    third_text = edited[: at + 1] + edited[at + 2 :]
    third = detect_json(third_text, second.tree)
    assert all(a is b for a, b in zip(third.responses, second.responses))
    _same(third, detect_json(third_text))
    # A space before a path item's key moves the pair sideways: only what is on its first line
    # would move with it, the blocks on the lines below stay where they are.
    source = third_text.encode()
    at = source.index(b'"/pets/{id}"')
    third.tree.edit(at, at, at + 1, _point(source, at), _point(source, at), (_point(source, at)[0], _point(source, at)[1] + 1))
    fourth_text = third_text[:at] + " " + third_text[at:]
    fourth = detect_json(fourth_text, third.tree)
    assert [b.span for b in fourth.responses] == [b.span for b in third.responses]
    _same(fourth, detect_json(fourth_text))
    # A pair that starts after an edit on its first line and goes on below: only its first line moves.
    text = '{"openapi": "3.0.0", "x": "ab", "paths": {\n "/a": {"get": {"responses": {"200": {}}}},\n "/b": {\n "put": {"responses": {"204": {}}}}}}'
    before = detect_json(text)
    at = text.index("ab") + 1
    before.tree.edit(at, at, at + 2, (0, at), (0, at), (0, at + 2))  # é is two bytes
    after_text = text[:at] + "é" + text[at:]
    after = detect_json(after_text, before.tree)
    assert [b.span for b in after.responses] == [b.span for b in before.responses]
    _same(after, detect_json(after_text))
    # The same on one line: everything after the edit moves sideways.
    flat = json.dumps(json.loads(PETS_3))
    before = detect_json(flat)
    source = flat.encode()
    at = source.index(b'"/pets/{id}"')
    before.tree.edit(at, at, at + 2, (0, at), (0, at), (0, at + 2))
    after_text = flat[:at] + "  " + flat[at:]
    after = detect_json(after_text, before.tree)
    assert [b.span.start_col for b in after.responses] == [b.span.start_col + 2 for b in before.responses]
    _same(after, detect_json(after_text))


def test_memories_do_not_keep_closed_documents_alive():
    json_detector._MEMORIES.forget_unused()
    detections = [detect_json(PETS_3) for _ in range(3)]
    assert len(json_detector._MEMORIES) >= 3
    del detections
    detect_json('{"status": 404}')  # any run forgets the trees nobody holds
    assert len(json_detector._MEMORIES) == 0
    many = [detect_json(PETS_3) for _ in range(json_detector._MEMORIES.SLOTS + 3)]
    assert len(json_detector._MEMORIES) == json_detector._MEMORIES.SLOTS
    assert len(many) == json_detector._MEMORIES.SLOTS + 3


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), layout=st.sampled_from(["pretty", "ragged"]))
def test_documents_mixing_prose_and_structure_edits_match_fresh_analyses(data, layout):
    """Through the document store: edits inside descriptions (which keep the analysis without running
    the detector) and edits elsewhere (which run it on the edited tree) in any order."""
    from lsprotocol import types
    from pygls.workspace.position_codec import PositionCodec

    from http_status_ls.lsp.documents import Document

    codec = PositionCodec(types.PositionEncodingKind.Utf16)

    def position(text: str, offset: int) -> types.Position:
        line_start = text.rfind("\n", 0, offset) + 1
        return types.Position(line=text.count("\n", 0, offset), character=len(text[line_start:offset].encode("utf-16-le")) // 2)

    current = _LAYOUTS[layout](_spec())
    document = Document("file:///spec.json", "json", 1, current)
    document.analysis()
    for version in range(2, data.draw(st.integers(3, 9))):
        prose = [m.end() for m in re.finditer(r'"summary": "', current)]
        if prose and data.draw(st.booleans()):
            start = end = data.draw(st.sampled_from(prose))
            new = data.draw(st.text(alphabet="ab é😀", min_size=1, max_size=3))
        else:
            start = data.draw(st.integers(0, len(current)))
            end = data.draw(st.integers(start, min(len(current), start + 12)))
            # No lone "\r": position() here counts lines at "\n" only.
            new = data.draw(st.sampled_from([snippet for snippet in _SNIPPETS if snippet != "\r"]))
        change = types.TextDocumentContentChangePartial(
            range=types.Range(start=position(current, start), end=position(current, end)), text=new
        )
        document.apply_changes([change], version, codec)
        current = current[:start] + new + current[end:]
        incremental = document.analysis().detection
        fresh = detect_json(current)
        if not fresh.tree.root_node.has_error and not incremental.tree.root_node.has_error:
            _same(incremental, fresh)
