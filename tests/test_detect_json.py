"""The JSON detector: OpenAPI response keys, status-key values in other JSON, incremental parsing."""

from __future__ import annotations

import json

import pytest
from tree_sitter import Point

from http_status_ls.detect_json import detect_json
from http_status_ls.occurrences import Kind, Span


def span_of(text: str, token: str, nth: int = 0) -> Span:
    """The span of the ``nth`` occurrence of ``token`` (on one line) in ``text``, in code points."""
    index = -1
    for _ in range(nth + 1):
        index = text.index(token, index + 1)
    line = text.count("\n", 0, index)
    column = index - (text.rfind("\n", 0, index) + 1)
    return Span(line, column, line, column + len(token))


def keys(detection) -> list[tuple[str, int | None]]:
    return [(o.text, o.code) for o in detection.occurrences]


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


# -- broken input, JSONC, incremental parsing ---------------------------------------------------


def test_comments_and_trailing_commas():
    text = '{\n  // JSONC\n  "openapi": "3.0.0", /* c */\n  "paths": {"/a": {"get": {"responses": {"200": {}, "404": {},},},},},\n}'
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
    ["", "{", "}", "[", '"', "null", '{"status": ', '{"openapi": "3.0.0", "paths": {"/a": {"get": {"responses": ', "\x00\x01", "\ud800", "[" * 5000],
)
def test_never_raises(text):
    detection = detect_json(text)
    assert detection.tree is not None
    assert all(o.code is None or 100 <= o.code <= 999 for o in detection.occurrences)


def test_incremental_reparse_after_an_edit():
    text = '{"openapi": "3.0.0", "paths": {"/a": {"get": {"responses": {"200": {}}}}}}'
    first = detect_json(text)
    # Type "4" then "04" turns nothing into a new key: insert `, "404": {}` after `{}`.
    at = text.index('{}}') + 2
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
