"""The YAML detector: OpenAPI response keys, status-key values in other YAML, and hostile input."""

from __future__ import annotations

import textwrap
import time

import pytest
import yaml

from http_status_ls.core.occurrences import Kind, Span
from http_status_ls.detect import yaml as detector
from http_status_ls.detect.openapi import status_keys
from http_status_ls.detect.yaml import detect_yaml
from http_status_ls.detect.yaml_prune import prune
from tests.support.text_spans import keys, span_of


def doc(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


PETS_3 = doc(
    """
    openapi: 3.0.3
    info: {title: pets, version: "1"}
    paths:
      /pets/{id}:
        get:
          description: "status: 500 in prose is not a key"
          responses:
            '200':
              description: ok
              content:
                application/json:
                  schema: {type: object}
            404:
              description: missing
            "4XX":
              description: client error
            2xx:
              description: lowercase range
            default:
              description: anything else
            x-internal: {note: not a response}
            '200':
              description: duplicate
        delete:
          responses: {}
    components:
      responses:
        '500':
          description: not an operation's response
      schemas:
        Error:
          properties:
            status: {type: integer, example: 404}
          example:
            status: 503
    """
)


class TestOpenAPI3:
    def test_finds_every_response_key_with_exact_spans(self):
        detection = detect_yaml(PETS_3)
        assert detection.openapi == "3.0.3"
        assert keys(detection) == [
            ("'200'", 200),
            ("404", 404),
            ('"4XX"', None),
            ("2xx", None),
            ("default", None),
            ("'200'", 200),
        ]
        first, unquoted, ranged, lower, default, duplicate = detection.occurrences
        assert first.span == Span(7, 8, 7, 13)
        assert unquoted.span == Span(12, 8, 12, 11)
        assert ranged.span == span_of(PETS_3, '"4XX"')
        assert duplicate.span == span_of(PETS_3, "'200'", nth=1)
        assert all(o.kind is Kind.RESPONSE_KEY and o.context == "responses" and o.confident for o in detection.occurrences)

    def test_values_quotes_and_ranges(self):
        first, unquoted, ranged, lower, default, _ = detect_yaml(PETS_3).occurrences
        assert (first.value, first.quoted, first.range_class) == ("200", True, None)
        assert (unquoted.value, unquoted.quoted) == ("404", False)
        assert (ranged.value, ranged.code, ranged.range_class, ranged.quoted) == ("4XX", None, 4, True)
        assert (lower.value, lower.code, lower.range_class) == ("2xx", None, None)
        assert (default.value, default.code, default.range_class) == ("default", None, None)

    def test_body_span_points_at_content(self):
        first, unquoted, *_ = detect_yaml(PETS_3).occurrences
        assert first.body_span == span_of(PETS_3, "content")
        assert unquoted.body_span is None

    def test_responses_blocks(self):
        get, delete = detect_yaml(PETS_3).responses
        assert get.pointer == "/paths/~1pets~1{id}/get/responses"
        assert get.flow is False and get.key_indent == 8
        assert [k.text for k in get.keys] == ["'200'", "404", '"4XX"', "2xx", "default", "'200'"]
        # From the `responses` key to the end of its last value.
        assert get.span == Span(6, 6, 22, 32)
        assert delete.pointer == "/paths/~1pets~1{id}/delete/responses"
        assert delete.keys == () and delete.flow is True and delete.key_indent is None
        assert delete.span == span_of(PETS_3, "responses: {}")

    def test_nothing_from_components_schemas_or_examples(self):
        lines = {o.span.start_line for o in detect_yaml(PETS_3).occurrences}
        assert all(line < 24 for line in lines)


def test_swagger_2_uses_schema_for_the_body_and_skips_top_level_responses():
    text = doc(
        """
        swagger: "2.0"
        paths:
          /pets:
            post:
              responses:
                201:
                  description: created
                  schema: {$ref: '#/definitions/Pet'}
                204:
                  description: no body
                  content: not a swagger key
        responses:
          NotFound: {description: nope}
        definitions:
          Pet: {properties: {status: {example: 404}}}
        """
    )
    detection = detect_yaml(text)
    assert detection.openapi == "2.0"
    assert keys(detection) == [("201", 201), ("204", 204)]
    created, no_content = detection.occurrences
    assert created.body_span == span_of(text, "schema")
    assert no_content.body_span is None


def test_openapi_3_ignores_schema_as_body_key():
    text = doc(
        """
        openapi: 3.1.0
        paths:
          /a:
            get:
              responses:
                '204':
                  schema: {}
        """
    )
    (key,) = detect_yaml(text).occurrences
    assert key.body_span is None


def test_callbacks_webhooks_and_component_path_items():
    text = doc(
        """
        openapi: 3.1.0
        paths:
          /subscribe:
            post:
              callbacks:
                onEvent:
                  '{$request.body#/url}':
                    post:
                      responses:
                        '202': {description: accepted}
              responses:
                '201': {description: subscribed}
        webhooks:
          newPet:
            post:
              responses:
                '200': {description: thanks}
        components:
          pathItems:
            shared:
              put:
                responses:
                  '409': {description: conflict}
          callbacks:
            reusable:
              '{$url}':
                get:
                  responses:
                    5XX: {description: retry}
          responses:
            Gone:
              description: not counted
        """
    )
    detection = detect_yaml(text)
    assert keys(detection) == [("'202'", 202), ("'201'", 201), ("'200'", 200), ("'409'", 409), ("5XX", None)]
    assert [b.pointer for b in detection.responses] == [
        "/paths/~1subscribe/post/callbacks/onEvent/{$request.body#~1url}/post/responses",
        "/paths/~1subscribe/post/responses",
        "/webhooks/newPet/post/responses",
        "/components/pathItems/shared/put/responses",
        "/components/callbacks/reusable/{$url}/get/responses",
    ]
    assert detection.occurrences[-1].range_class == 5


def test_any_run_of_digits_is_a_code_and_path_level_keys_are_not_operations():
    text = doc(
        """
        openapi: 3.0.0
        paths:
          /a:
            parameters:
              - name: status
            x-responses:
              '404': {}
            get:
              responses:
                '20': {description: too short}
                '600': {description: too big}
                '2000': {description: too long}
        """
    )
    assert keys(detect_yaml(text)) == [("'20'", 20), ("'600'", 600), ("'2000'", 2000)]


def test_flow_style_responses():
    text = 'openapi: 3.0.0\npaths: {/a: {get: {responses: {"200": {description: ok, content: {}}, 404: {}}}}}\n'
    detection = detect_yaml(text)
    assert keys(detection) == [('"200"', 200), ("404", 404)]
    assert detection.occurrences[0].span == span_of(text, '"200"')
    assert detection.occurrences[0].body_span == span_of(text, "content")
    (block,) = detection.responses
    assert block.flow is True and block.key_indent is None
    line = text.splitlines()[1]
    assert block.span == Span(1, 19, 1, 78)
    assert line[19:78] == 'responses: {"200": {description: ok, content: {}}, 404: {}}'


def test_empty_responses_being_typed():
    text = doc(
        """
        openapi: 3.0.0
        paths:
          /a:
            get:
              responses:
            post:
              responses: {}
        """
    )
    detection = detect_yaml(text)
    assert detection.occurrences == ()
    typed, empty = detection.responses
    assert typed.keys == () and typed.flow is False
    assert typed.span == Span(4, 6, 4, 16)
    assert typed.key_indent is None  # no key yet to say where keys go
    assert empty.flow is True and empty.span == span_of(text, "responses: {}")


def test_merge_keys_and_aliases_in_responses():
    text = doc(
        """
        openapi: 3.0.0
        x-common: &common
          '500': {description: boom}
        paths:
          /a:
            get:
              responses:
                <<: *common
                '200': *ok
        """
    ).replace("*ok", "{description: ok}")
    assert keys(detect_yaml(text)) == [("'200'", 200)]


def test_not_openapi_without_a_version():
    text = doc(
        """
        openapi:
          generator: settings
        paths:
          /a:
            get:
              responses:
                '200': {}
        """
    )
    detection = detect_yaml(text)
    assert detection.openapi is None and detection.occurrences == () and detection.responses == ()


# -- plain YAML --------------------------------------------------------------------------------


def values(text: str, **kwargs) -> list[tuple[str, int, str]]:
    return [(o.text, o.code, o.context) for o in detect_yaml(text, **kwargs).occurrences]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Ansible uri module
        (
            "- name: call\n  uri:\n    url: https://x\n    status_code: [200, 201]\n",
            [("200", 200, "status_code"), ("201", 201, "status_code")],
        ),
        # Istio fault injection
        (
            "fault:\n  abort:\n    httpStatus: 503\n    percentage: {value: 100}\n",
            [("503", 503, "httpStatus")],
        ),
        # Kong response-transformer / request-termination
        ("config:\n  status_code: 429\n  message: slow down\n", [("429", 429, "status_code")]),
        # Tavern
        ("stages:\n  - response: {status_code: 201, json: {id: 1}}\n", [("201", 201, "status_code")]),
        # Prometheus blackbox exporter, block sequence
        (
            "modules:\n  http_2xx:\n    http:\n      valid_status_codes:\n        - 200\n        - 301\n",
            [("200", 200, "valid_status_codes"), ("301", 301, "valid_status_codes")],
        ),
        # AWS SAM / API Gateway
        ('responses:\n  default:\n    statusCode: "200"\n', [('"200"', 200, "statusCode")]),
        (
            "retry:\n  retryOn-Status-Codes: ['502', 503]\n",
            [("'502'", 502, "retryOn-Status-Codes"), ("503", 503, "retryOn-Status-Codes")],
        ),
        (
            "expected_status_codes: [204]\nredirect_code: 308\n",
            [("204", 204, "expected_status_codes"), ("308", 308, "redirect_code")],
        ),
    ],
)
def test_real_world_status_values(text, expected):
    assert values(text) == expected


def test_value_details_and_spans():
    text = 'x:\n  status: "404"\n  http_status: 418\n'
    quoted, bare = detect_yaml(text).occurrences
    assert quoted.span == Span(1, 10, 1, 15) and quoted.value == "404" and quoted.quoted
    assert quoted.kind is Kind.YAML_VALUE
    assert bare.span == Span(2, 15, 2, 18) and bare.value == "418" and not bare.quoted


@pytest.mark.parametrize(
    "text",
    [
        "status: 1\n",
        "status: active\n",
        "status: {phase: Running, code: 404}\n",
        "status: 20\n",
        "status: 2000\n",
        "status: 099\n",
        "status: 404.0\n",
        "status: |\n  404\n",
        "status: [[404]]\n",
        "status: *ref\n",
        "port: 443\nreplicas: 100\ntimeout: 300\nerror_code: 500\ncode: 404\n",
        # Kubernetes: nothing here is an HTTP status
        "apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 3\n  template:\n    spec:\n"
        "      containers:\n        - ports:\n            - containerPort: 8080\nstatus:\n  replicas: 3\n"
        "  conditions:\n    - status: 'True'\n",
    ],
)
def test_values_that_are_not_status_codes(text):
    assert detect_yaml(text).occurrences == ()


def test_extra_keys_are_normalised():
    text = "expect: 404\nmy_code: 201\n"
    assert values(text) == []
    assert values(text, extra_keys=["EXPECT", "my-code"]) == [("404", 404, "expect"), ("201", 201, "my_code")]


def test_status_properties_in_openapi_schemas_do_not_count():
    text = doc(
        """
        openapi: 3.0.0
        components:
          schemas:
            Problem:
              properties:
                status: {type: integer, example: 404}
              example: {status: 500}
        """
    )
    assert detect_yaml(text).occurrences == ()


# -- positions ---------------------------------------------------------------------------------


def test_columns_are_code_points_after_accents_cjk_and_emoji():
    text = "é日本😀: {status: 404}\n'😀😀': {statusCode: '503'}\n"
    first, second = detect_yaml(text).occurrences
    assert first.span == Span(0, 15, 0, 18)
    assert text.splitlines()[0][15:18] == "404"
    assert second.span == Span(1, 19, 1, 24)
    assert text.splitlines()[1][19:24] == "'503'"


def test_non_ascii_columns_in_openapi():
    text = doc(
        """
        openapi: 3.0.0
        paths:
          /café/😀:
            get:
              summary: "Café 😀 日本"
              responses:
                '200': {description: "déjà 😀"}
                "😀": {description: junk}
                '404': {description: x}
        """
    )
    detection = detect_yaml(text)
    assert keys(detection) == [("'200'", 200), ('"😀"', None), ("'404'", 404)]
    for occurrence in detection.occurrences:
        line = text.splitlines()[occurrence.span.start_line]
        assert line[occurrence.span.start_col : occurrence.span.end_col] == occurrence.text
    assert detection.responses[0].pointer == "/paths/~1café~1😀/get/responses"


def test_bom_crlf_and_tabs_in_values():
    text = "\ufeffstatus: 404\r\nnested:\r\n  status_code:\t'201'\r\n"
    first, second = detect_yaml(text).occurrences
    assert first.span == Span(0, 9, 0, 12)  # the BOM is character 0 of line 0
    assert text[9:12] == "404"
    assert second.span == Span(2, 15, 2, 20)


def test_bom_before_openapi():
    text = "\ufeffopenapi: 3.0.0\npaths:\n  /a:\n    get:\n      responses:\n        '200': {}\n"
    detection = detect_yaml(text)
    assert detection.openapi == "3.0.0"
    assert detection.occurrences[0].span == Span(5, 8, 5, 13)


def test_control_characters_and_unicode_line_separators_do_not_move_positions():
    text = "a: \x01\x02x\nstatus: 404\nb: 'one\u2028two'\nstatus_code: 500\n"
    detection = detect_yaml(text)
    assert [(o.text, o.span) for o in detection.occurrences] == [
        ("404", Span(1, 8, 1, 11)),
        ("500", Span(3, 13, 3, 16)),
    ]
    assert any("replaced" in note for note in detection.notes)


def test_multi_document_stream():
    text = doc(
        """
        status: 404
        ---
        openapi: 3.1.0
        webhooks:
          ping:
            post:
              responses:
                '204': {}
              description: "status: 500"
        ---
        status_code: [301, 302]
        """
    )
    detection = detect_yaml(text)
    assert detection.openapi == "3.1.0"
    assert [(o.text, o.kind) for o in detection.occurrences] == [
        ("404", Kind.YAML_VALUE),
        ("'204'", Kind.RESPONSE_KEY),
        ("301", Kind.YAML_VALUE),
        ("302", Kind.YAML_VALUE),
    ]


# -- a file being typed, and hostile input -----------------------------------------------------

TYPED = doc(
    """
    openapi: 3.0.3
    paths:
      /a:
        get:
          responses:
            '200':
              description: ok
            '40
            '500':
              description: err
      /b:
        post:
          responses:
            '201': {}
    """
)


@pytest.mark.parametrize(
    "broken",
    [
        "        '40\n",  # a key being typed
        "        40\n",  # no colon yet
        "        '404': \"unterminated\n",  # an open quote
        "\t'404': {}\n",  # tab indentation
        "        '404': {description: [}\n",  # mismatched brackets
        "          - : :\n",
    ],
)
def test_occurrences_after_a_syntax_error_are_still_found(broken):
    text = TYPED.replace("        '40\n", broken)
    detection = detect_yaml(text)
    found = [(o.text, o.span.start_line) for o in detection.occurrences]
    assert ("'200'", 5) in found
    assert ("'500'", 8) in found
    assert ("'201'", 13) in found
    assert detection.openapi == "3.0.3"
    assert len(detection.notes) == 1 and detection.notes[0].startswith("yaml: recovered")


def test_an_open_quote_that_swallows_lines_is_blamed_on_its_own_line():
    text = doc(
        """
        openapi: 3.0.0
        paths:
          /a:
            get:
              responses:
                '200':
                  '40
                  description: 'ok'
                  content: {}
                '404':
                  description: 'missing'
                '500':
                  description: 'boom'
        """
    )
    detection = detect_yaml(text)
    assert keys(detection) == [("'200'", 200), ("'404'", 404), ("'500'", 500)]
    assert len(detection.notes) == 1


def test_errors_in_a_description_are_recovered_from_on_the_fast_path():
    text = TYPED.replace("        '40\n", "        '404': {description: [}\n")
    notes: list[str] = []
    walk = detector._read_pruned(text, 0, status_keys(()), text, notes)
    assert walk is not None
    assert [o.text for o in walk.occurrences] == ["'200'", "'500'", "'201'"]
    assert notes and notes[0].startswith("yaml: recovered")


def test_a_description_that_lost_its_version_line_reports_nothing():
    text = "openapi: 3.0.0: x\ncomponents:\n  examples:\n    e:\n      value: {status: 404}\n"
    detection = detect_yaml(text)
    assert detection.occurrences == () and detection.openapi == "3.0.0"
    assert "nothing reported" in detection.notes[-1]


def test_plain_values_after_an_error():
    text = "a: [1, 2\nstatus: 404\nb: {c\nstatus_code: 201\n"
    detection = detect_yaml(text)
    assert [(o.text, o.span.start_line) for o in detection.occurrences][-1] == ("201", 3)
    assert detection.notes


def test_gives_up_gracefully_on_hopeless_text():
    text = "".join(f"k{i}: [\n" for i in range(60)) + "status: 404\n"
    detection = detect_yaml(text)
    # What was read before giving up still counts.
    assert [(o.text, o.span.start_line) for o in detection.occurrences] == [("404", 60)]
    assert len(detection.notes) == detector.MAX_RECOVERIES + 1
    assert detection.notes[-1].startswith("yaml: gave up at")


def test_giving_up_keeps_what_came_before_the_error_and_the_other_path_items(monkeypatch):
    monkeypatch.setattr(detector, "MAX_RECOVERIES", 0)
    detection = detect_yaml(TYPED)
    # The error is confined to the path item it is in: /b, after it, is read on its own.
    assert keys(detection) == [("'200'", 200), ("'201'", 201)]
    cut, after = detection.responses
    assert cut.pointer == "/paths/~1a/get/responses" and [k.text for k in cut.keys] == ["'200'"]  # cut short
    assert after.pointer == "/paths/~1b/post/responses"
    assert detection.notes == ("yaml: gave up at 9:10 (could not find expected ':'); kept what came before",)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n",
        "---\n...\n",
        "\ufeff",
        "\x00\x00",
        "\ud800: 404\nstatus: 404\n",  # a lone surrogate
        "[" * 2000 + "]" * 2000,
        "? [a, b]\n: status\n{x: 1}: 2\n",
        "%YAML 1.1\n---\nstatus: !!str 404\n",
        "\t\t\tstatus: 404",
        "key: 'a\r\r\rstatus: 404",
        ":\n:\n- -\n",
    ],
)
def test_never_raises(text):
    detection = detect_yaml(text)
    for occurrence in detection.occurrences:
        assert occurrence.code is None or 100 <= occurrence.code <= 999


def test_alias_bomb_finishes_fast_and_expands_nothing():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 12):
        name, previous = chr(97 + i), chr(96 + i)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    lines.append("status: 404")
    text = "\n".join(lines) + "\n"
    started = time.perf_counter()
    detection = detect_yaml(text)
    assert time.perf_counter() - started < 1.0
    assert [(o.text, o.span.start_line) for o in detection.occurrences] == [("404", 12)]


# -- the pruned reading of API descriptions agrees with the full reading -------------------------

AGREEMENT = [
    PETS_3,
    TYPED.replace("        '40\n", ""),
    doc(
        """
        openapi: 3.0.0
        paths:
          /a:
            get:
              parameters:
              - name: x
                in: query
              responses:
                '200':
                  description: |
                    responses:
                      '500': not a key
                  content:
                    text/plain:
                      example: "multi
                        line: string"
                  # trailing comment
                default: &d
                  description: x
            put:
              responses:
                '201':
                  content:
                    application/json: {}
        # a root comment
        components:
          schemas:
            A: {type: object}
        """
    ),
    doc(
        """
        swagger: '2.0'
        paths:
          /x:
            get:
              responses:
                200:
                  schema:
                    type: array
                    items:
                      - a
                      - b
                404: {description: flow}
        """
    ),
]


AGREEMENT.append(
    doc(
        """
        openapi: 3.0.0
        paths:
          /a:
            get:
              responses:
                '200':
                  content:
                    text/plain:
                      schema:
                        description: |
                          ends with a block scalar

            post:
              responses:
                '201':
                  description: >-
                    folded, last in its block


        """
    )
)


AGREEMENT.extend(
    [
        # Line breaks and non-ASCII text inside and around what gets blanked.
        PETS_3.replace("\n", "\r\n").replace("description: ok", "description: déjà vu 😀 日本"),
        doc(
            """
            openapi: 3.0.0
            paths:
              /é:
                get:
                  description: "日本語 😀"
                  responses:
                post:
                  requestBody:
                    content:
                      text/plain: {example: "😀😀 status: 404"}
                  responses:
                    '200':
                      content:
                        text/plain:
                          example: "😀 日本"
                    '404': {description: "é"}
            """
        ),
    ]
)


def test_a_block_ending_with_a_block_scalar_ends_at_its_last_character():
    text = AGREEMENT[4]
    get, post = detect_yaml(text).responses
    assert get.span == Span(4, 6, 10, 42)
    assert text.splitlines()[10].endswith("ends with a block scalar")
    assert post.span == Span(13, 6, 16, 37)
    assert text.splitlines()[16].endswith("folded, last in its block")


@pytest.mark.parametrize("text", AGREEMENT)
def test_pruned_reading_matches_full_reading(text):
    keys_ = status_keys(())
    pruned = detector._read_pruned(text, 0, keys_, text, [])
    assert pruned is not None, "this text should be read the fast way"
    full = detector._read(text, 0, keys_, text, [])

    def summary(walk):
        occurrences = [(o.span, o.text, o.code, o.value, o.body_span) for o in walk.occurrences]
        blocks = [(b.span, b.pointer, b.flow, b.key_indent, len(b.keys)) for b in walk.blocks]
        return walk.openapi, occurrences, blocks

    assert summary(pruned) == summary(full)


def test_pruning_blanks_the_right_values():
    text = AGREEMENT[2]
    pruned = prune(text)
    assert pruned is not None
    blanked = pruned.text
    assert len(blanked) == len(text) and blanked.count("\n") == text.count("\n")
    assert "name: x" not in blanked and "A: {type: object}" not in blanked
    assert "application/json" not in blanked
    assert "'200':" in blanked and "content:" in blanked and "default: &d" in blanked


def test_pruning_falls_back_when_the_readings_disagree():
    # Flow-style responses: the line scan cannot see their keys, so the full reading is used.
    text = "openapi: 3.0.0\npaths:\n  /a:\n    get: {responses: {'200': {}}}\n"
    assert detector._read_pruned(text, 0, status_keys(()), text, []) is None
    assert keys(detect_yaml(text)) == [("'200'", 200)]


# -- without libyaml ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", [PETS_3, AGREEMENT[2], AGREEMENT[5], TYPED, "\ufeffx: {status: '404'}\nlist: [200, 301]\n"])
def test_the_pure_python_parser_gives_the_same_result(monkeypatch, text):
    with_libyaml = detect_yaml(text)
    monkeypatch.setattr(detector, "_Loader", yaml.SafeLoader)
    without = detect_yaml(text)
    assert without.occurrences == with_libyaml.occurrences
    assert without.responses == with_libyaml.responses
    assert without.openapi == with_libyaml.openapi


def test_a_run_of_errors_in_one_block_costs_a_few_readings_not_one_per_line():
    # Each line is an error of its own; after two single-line attempts the rest of the block goes at
    # once, so what follows it is still read (one reading per line would give up after 20).
    body = "".join(f"    k{i}: a: b\n" for i in range(30))
    detection = detect_yaml("root:\n  notes:\n" + body + "  status: 404\n")
    assert [(o.text, o.span.start_line) for o in detection.occurrences] == [("404", 32)]
    assert len(detection.notes) == detector.SINGLE_LINE_RECOVERIES + 1
    assert all(note.startswith("yaml: recovered") for note in detection.notes)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_what_follows_a_key_on_its_line_decides_whether_its_value_below_is_blanked(newline):
    lines = [
        "openapi: 3.0.0",
        "paths:",
        "  /a:",
        "    get:",
        "      summary: one line",  # 4: the value is on the line
        "      tags: &t",  # 5: an anchor only: the value is below
        "        - x",
        "      x-a: !!seq   ",  # 7: a tag only, then spaces
        "        - y",
        "      x-b: # a comment",  # 9
        "        - z",
        "      x-c: &c value",  # 11: an anchored value on the line
        "      x-d:   ",  # 12: only spaces after the colon
        "        - w",
        "      responses:",
        "        '200':",
        "          description: OK",
    ]
    text = newline.join(lines) + newline
    pruned = prune(text)
    assert pruned is not None
    assert sorted(pruned.regions) == [5, 7, 9, 12]
    assert pruned.value_lines[4] == len("      summary: ")
    assert pruned.value_lines[11] == len("      x-c: ")
    kept = pruned.text.split(newline)
    assert kept[6].strip() == kept[8].strip() == kept[10].strip() == kept[13].strip() == ""
