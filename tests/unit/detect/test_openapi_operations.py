"""The operations model: methods, responses, headers, bodies, security and inputs, in YAML and JSON."""

from __future__ import annotations

import json

import pytest
import yaml

from http_status_ls.detect.analysis import analyse
from http_status_ls.detect.openapi_operations import OpenApiDocument, Operation, model_of, operations_of

PETS = """\
openapi: 3.1.0
info: {title: Pets, version: '1'}
security:
  - apiKey: []
paths:
  /pets/{id}:
    parameters:
      - {name: id, in: path, required: true}
    get:
      responses:
        '200':
          description: The pet
          headers:
            ETag: {schema: {type: string}}
            X-Rate-Limit: {$ref: '#/components/headers/RateLimit'}
          content:
            application/json: {schema: {type: object}}
        4XX:
          $ref: '#/components/responses/Problem'
        default:
          description: Unexpected
    put:
      security: []
      requestBody:
        content:
          application/json: {}
      responses:
        '204':
          description: Replaced
      callbacks:
        changed:
          '{$request.body#/url}':
            post:
              responses:
                '202':
                  description: Noted
  x-internal: true
webhooks:
  adopted:
    post:
      security:
        - {}
      responses:
        '200':
          description: OK
components:
  headers:
    RateLimit: {schema: {type: integer}}
  responses:
    Problem:
      description: A problem
      headers:
        Retry-After: {schema: {type: integer}}
      content:
        application/problem+json: {}
"""


def model(text: str, language: str = "yaml") -> OpenApiDocument:
    document = operations_of(text, language)
    assert document is not None
    return document


def by_label(document: OpenApiDocument) -> dict[str, Operation]:
    return {f"{operation.where} {operation.label}": operation for operation in document.operations}


def test_operations_of_paths_callbacks_and_webhooks():
    operations = by_label(model(PETS))
    assert list(operations) == [
        "paths GET /pets/{id}",
        "paths PUT /pets/{id}",
        "callbacks POST {$request.body#/url}",
        "webhooks POST adopted",
    ]
    assert operations["paths GET /pets/{id}"].pointer == "/paths/~1pets~1{id}/get"
    assert operations["callbacks POST {$request.body#/url}"].pointer == (
        "/paths/~1pets~1{id}/put/callbacks/changed/{$request.body#~1url}/post"
    )


def test_responses_keys_headers_bodies_and_refs():
    get = by_label(model(PETS))["paths GET /pets/{id}"]
    ok, problem, default = get.responses
    assert (ok.key, ok.code, ok.range_class, ok.description) == ("200", 200, None, "The pet")
    assert ok.headers == ("ETag", "X-Rate-Limit") and ok.has_body
    # Media types are read only where the fix adding an error response looks: error responses.
    assert ok.content_types == ()
    # A $ref to components/responses brings its description, headers and body along.
    assert (problem.key, problem.code, problem.range_class) == ("4XX", None, 4)
    assert problem.ref == "#/components/responses/Problem" and problem.ref_resolved
    assert (problem.description, problem.headers, problem.has_body) == ("A problem", ("Retry-After",), True)
    assert problem.content_types == ("application/problem+json",)
    assert problem.body_span is None  # the body is not written here: a fix cannot remove it here
    assert (default.key, default.code, default.has_body) == ("default", None, False)


def test_security_and_inputs():
    operations = by_label(model(PETS))
    get, put = operations["paths GET /pets/{id}"], operations["paths PUT /pets/{id}"]
    assert get.secured is True  # the root's security
    assert put.secured is False  # `security: []` means none
    assert operations["webhooks POST adopted"].secured is False  # `[{}]`: anonymous allowed
    assert (get.has_parameters, get.has_request_body) == (True, False)  # the path item's parameters
    assert put.has_request_body


def test_no_security_anywhere_is_unknown():
    text = "openapi: 3.0.0\npaths:\n  /a:\n    get:\n      responses:\n        '200': {description: OK}\n"
    (operation,) = model(text).operations
    assert operation.secured is None


def test_json_gives_the_same_model():
    text = json.dumps(yaml.safe_load(PETS), indent=2)
    from_yaml, from_json = model(PETS), model(text, "json")
    assert [o.label for o in from_json.operations] == [o.label for o in from_yaml.operations]
    for ours, theirs in zip(from_yaml.operations, from_json.operations, strict=True):
        assert (ours.secured, ours.has_request_body, ours.has_parameters) == (
            theirs.secured,
            theirs.has_request_body,
            theirs.has_parameters,
        )
        assert [(r.key, r.description, r.headers, r.has_body, r.ref_resolved) for r in ours.responses] == [
            (r.key, r.description, r.headers, r.has_body, r.ref_resolved) for r in theirs.responses
        ]
    assert all(operation.responses_flow for operation in from_json.operations)


@pytest.mark.parametrize("language", ["yaml", "json"])
def test_spans_agree_with_the_detector(language):
    text = PETS if language == "yaml" else json.dumps(yaml.safe_load(PETS), indent=2)
    analysis = analyse(f"pets.{language}", None, text, 1)
    keys = {(o.span, o.text) for o in analysis.occurrences}
    document = model_of(analysis, text)
    assert document is not None
    mine = {(entry.span, entry.key) for operation in document.operations for entry in operation.responses}
    assert {span for span, _ in mine} == {span for span, _ in keys}
    assert model_of(analysis, text) is document  # built once per analysis


def test_yaml_layout_for_fixes():
    get = by_label(model(PETS))["paths GET /pets/{id}"]
    assert get.responses_key_indent == 8 and not get.responses_flow
    assert get.responses_span is not None and get.responses_span.start_line == 9
    ok = get.responses[0]
    assert ok.description_span is not None
    line = PETS.splitlines()[ok.description_span.start_line]
    assert line[ok.description_span.start_col : ok.description_span.end_col] == "The pet"
    assert ok.headers_span is not None and PETS.splitlines()[ok.headers_span.start_line].strip() == "headers:"


def test_swagger_2_body_parameters_and_responses():
    text = """\
swagger: '2.0'
paths:
  /pets:
    post:
      parameters:
        - $ref: '#/parameters/Pet'
      responses:
        201:
          description: Created
          schema: {type: object}
        404:
          $ref: '#/responses/NotFound'
parameters:
  Pet: {name: pet, in: body, schema: {type: object}}
responses:
  NotFound:
    description: Not found
    schema: {type: object}
"""
    document = model(text)
    assert document.swagger2 and document.response_refs == ("#/responses/NotFound",)
    (post,) = document.operations
    assert post.has_request_body and post.has_parameters
    created, missing = post.responses
    assert created.has_body and created.code == 201
    assert missing.ref_resolved and missing.has_body and missing.description == "Not found"


def test_escaped_and_quoted_path_keys_are_decoded():
    text = 'openapi: 3.0.0\npaths:\n  "/u/\\u0041":\n    get:\n      responses:\n        "200": {description: OK}\n'
    (operation,) = model(text).operations
    assert operation.path == "/u/A"


def test_flow_responses_are_read():
    text = "openapi: 3.0.0\npaths:\n  /a:\n    get:\n      responses: {'200': {description: OK, headers: {ETag: {}}}}\n"
    (operation,) = model(text).operations
    assert [(r.key, r.description, r.headers) for r in operation.responses] == [("200", "OK", ("ETag",))]
    assert operation.responses_flow


def test_error_refs_for_fixes():
    document = model(PETS)
    assert document.response_refs == ("#/components/responses/Problem",)


@pytest.mark.parametrize(
    "text, language",
    [("status: 404\n", "yaml"), ('{"status": 404}', "json"), ("- a\n- b\n", "yaml"), ("", "yaml"), ("[1]", "json")],
)
def test_other_documents_have_no_model(text, language):
    assert operations_of(text, language) is None


# --- carried over edits ----------------------------------------------------------------------------

SCHEMAS = PETS + "  schemas:\n    Pet:\n      description: A pet of the store\n      type: object\n"


def _edited(text: str, old: str, new: str, uri: str) -> OpenApiDocument | None:
    edited = text.replace(old, new, 1)
    assert edited != text
    return model_of(analyse(uri, None, edited, 2), edited)


@pytest.mark.parametrize("language", ["yaml", "json"])
def test_an_edit_the_model_never_read_keeps_it(language):
    text = SCHEMAS if language == "yaml" else json.dumps(yaml.safe_load(SCHEMAS), indent=2)
    uri = f"carry-{language}.{language}"
    first = model_of(analyse(uri, None, text, 1), text)
    assert first is not None
    assert _edited(text, "A pet of the store", "A pet of the stores", uri) is first


@pytest.mark.parametrize(
    ("old", "new", "check"),
    [
        ("description: The pet", "description: Created", lambda d: d.operations[0].responses[0].description == "Created"),
        (
            "            ETag:",
            "            Location: {}\n            ETag:",
            lambda d: "Location" in d.operations[0].responses[0].headers,
        ),
        ("    put:\n      security: []", "    put:\n      security: [{k: []}]", lambda d: d.operations[1].secured),
        ("  /pets/{id}:", "  /pet/{id}:", lambda d: d.operations[0].path == "/pet/{id}"),
    ],
)
def test_an_edit_of_what_the_model_read_rebuilds_it(old, new, check):
    uri = "rebuild.yaml"
    first = model_of(analyse(uri, None, SCHEMAS, 1), SCHEMAS)
    second = _edited(SCHEMAS, old, new, uri)
    assert second is not first and second is not None and check(second)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('"webhooks"', '"webhookz"'),  # the model asks for `webhooks`: it no longer has one
        ('"info"', '"paths"'),  # a second `paths`: JSON's last one wins, as json.loads has it
        ('"schemas"', '"responses"'),  # `components/responses` is where fixes find an error response
        ('"summary"', '"security"'),
    ],
)
def test_renaming_a_json_key_builds_again(old, new):
    # A build records the rows of the keys it asks for, not of every key beside them; a key
    # renamed into one it asks for (or out of it) must not leave the model of the old text.
    text = json.dumps({**yaml.safe_load(SCHEMAS), "info": {"title": "t"}}, indent=2).replace(
        '"get": {', '"get": {\n        "summary": [{"k": []}],', 1
    )
    assert old in text
    uri = "rename.json"
    model_of(analyse(uri, None, text, 1), text)
    edited = text.replace(old, new, 1)
    assert model_of(analyse(uri, None, edited, 2), edited) == operations_of(edited, "json")


def _with_prose(language: str) -> str:
    """SCHEMAS with a summary and a description on the GET operation and a summary on its path,
    in ``language``."""
    text = SCHEMAS.replace("    get:\n", "    get:\n      summary: Get one pet\n      description: Reads a pet by its id\n", 1)
    text = text.replace("  /pets/{id}:\n", "  /pets/{id}:\n    summary: One pet\n", 1)
    return text if language == "yaml" else json.dumps(yaml.safe_load(text), indent=2)


@pytest.mark.parametrize("language", ["yaml", "json"])
@pytest.mark.parametrize(
    ("old", "new"), [("Get one pet", "Get one pets"), ("by its id", "by its ids"), ("Get one", "Gt one"), ("One pet", "One pets")]
)
def test_typing_in_an_operations_summary_or_description_keeps_the_model(language, old, new):
    # The model reads an operation's keys by name and not the rows of the others: typing in its
    # prose (where people type most, after the schemas) must not build it again on each keystroke.
    text = _with_prose(language)
    uri = f"prose-{language}.{language}"
    first = model_of(analyse(uri, None, text, 1), text)
    assert first is not None
    assert _edited(text, old, new, uri) is first


@pytest.mark.parametrize("language", ["yaml", "json"])
@pytest.mark.parametrize(
    ("old", "new", "level"),
    [
        ("summary", "security", "operation"),
        ("description", "requestBody", "operation"),
        ("description", "security", "operation"),
        ("summary", "patch", "path"),
    ],
)
def test_renaming_an_operation_key_into_one_the_model_reads_builds_again(language, old, new, level):
    text = _with_prose(language)
    uri = f"rename-op-{language}.{language}"
    model_of(analyse(uri, None, text, 1), text)
    indent = {"operation": 6, "path": 4}[level] + (2 if language == "json" else 0)
    written = f'{" " * indent}"{old}"' if language == "json" else f"{' ' * indent}{old}:"
    edited = text.replace(written, written.replace(old, new), 1)
    assert edited != text
    rebuilt = model_of(analyse(uri, None, edited, 2), edited)
    assert rebuilt == operations_of(edited, language)
    assert rebuilt is not None and rebuilt != operations_of(text, language)  # the rename changed the model
    # ... and renaming it back builds again too (the line now holds a key the model reads).
    back = model_of(analyse(uri, None, text, 3), text)
    assert back == operations_of(text, language)


@pytest.mark.parametrize(
    ("line", "json_text", "watched"),
    [
        ('      "security": [],', True, True),
        ('      "security"', True, True),  # its colon on the next line
        ('      "summary": "the security of it",', True, False),
        ('      "securityx": 1,', True, False),
        ("      security: []", False, True),
        ("      'security': []", False, True),
        ("      - security:", False, True),
        ("  {security: [], x: 1}", False, True),
        ("      securityx: 1", False, False),
        ("      description: see the security parameters", False, False),
    ],
)
def test_an_edit_on_a_line_writing_a_watched_key_counts_as_on_a_read_line(line, json_text, watched):
    from http_status_ls.detect.openapi_reads import watched_keys

    assert (watched_keys(("security", "parameters"), json=json_text).search(line) is not None) is watched


def test_renaming_a_key_the_model_never_reads_keeps_it():
    # A schema's property names are keys too, and typing in them is common: no rebuild for those.
    text = json.dumps(yaml.safe_load(SCHEMAS), indent=2)
    uri = "schema-key.json"
    first = model_of(analyse(uri, None, text, 1), text)
    assert first is not None
    at = text.rindex('"type": "object"') + len('"type')  # in the Pet schema, at the end
    edited = text[:at] + "s" + text[at:]
    assert model_of(analyse(uri, None, edited, 2), edited) is first


def test_carried_edits_add_up():
    uri = "typing.yaml"
    text = SCHEMAS
    first = model_of(analyse(uri, None, text, 1), text)
    for letter in "abc":  # typing inside the schema's description, then a real change below it
        text = text.replace("of the store", f"of the store{letter}", 1)
        assert model_of(analyse(uri, None, text, 2), text) is first
    changed = text.replace("description: Replaced", "description: OK", 1)
    rebuilt = model_of(analyse(uri, None, changed, 3), changed)
    assert rebuilt is not first and rebuilt is not None
    assert rebuilt.operations[1].responses[0].description == "OK"


@pytest.mark.parametrize("language", ["yaml", "json"])
def test_typing_in_a_response_description_patches_the_model(language):
    text = SCHEMAS if language == "yaml" else json.dumps(yaml.safe_load(SCHEMAS), indent=2)
    uri = f"patch-{language}.{language}"
    first = model_of(analyse(uri, None, text, 1), text)
    assert first is not None
    edited = text.replace("The pet", "The pets", 1)
    patched = model_of(analyse(uri, None, edited, 2), edited)
    assert patched is not None and patched is not first
    entry = patched.operations[0].responses[0]
    assert entry.description == "The pets"
    built_afresh = operations_of(edited, language)
    assert built_afresh is not None and built_afresh.operations[0].responses[0] == entry
    assert patched.operations[1:] == first.operations[1:]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "yaml",
            "openapi: 3.0.0\npaths:\n  /a:\n    get:\n      responses:\n"
            "        '200': {description: The pet, headers: {ETag: {}},\n          content: {}}\n",
        ),
        (
            "json",
            '{"openapi": "3.0.0", "paths": {"/a": {"get": {"responses": {\n'
            '  "200": {"description": "The pet", "headers": {"ETag": {}},\n  "content": {}},\n'
            '  "404": {"description": "Gone"}}}}}}\n',
        ),
    ],
)
def test_typing_in_a_description_with_keys_after_it_on_its_line(language, text):
    # The `headers` key right of the description moves with each letter typed: the model is not
    # patched with it left behind.
    uri = f"flow-{language}.{language}"
    model_of(analyse(uri, None, text, 1), text)
    edited = text.replace("The pet", "The pets", 1)
    carried = model_of(analyse(uri, None, edited, 2), edited)
    assert carried is not None and carried == operations_of(edited, language)
    assert carried.operations[0].responses[0].description == "The pets"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("description: OK # a note", "description: OK  # a note"),  # a space typed at the end of the value
        ("description: OKx   # a note", "description: OK   # a note"),  # its last letter deleted
    ],
)
def test_a_plain_description_ends_at_its_last_letter_after_typing(old, new):
    text = "openapi: 3.0.0\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          " + old + "\n"
    uri = "plain-end.yaml"
    model_of(analyse(uri, None, text, 1), text)
    edited = text.replace(old, new)
    carried = model_of(analyse(uri, None, edited, 2), edited)
    assert carried is not None and carried == operations_of(edited, "yaml")
    span = carried.operations[0].responses[0].description_span
    assert span is not None and edited.splitlines()[span.start_line][span.start_col : span.end_col] == "OK"


def test_a_key_line_turned_into_a_valid_plain_scalar_builds_again():
    # `description:z OK` is no key line, yet the document still parses: the response's value is
    # now that string, and the model must say the response has no description. (A line that no
    # longer parses keeps the last whole model until it is mended: see the chained edits test.)
    uri = "plain-scalar.yaml"
    first = model_of(analyse(uri, None, SCHEMAS, 1), SCHEMAS)
    assert first is not None and first.operations[1].responses[0].description == "Replaced"
    edited = SCHEMAS.replace("description: Replaced", "description:z Replaced", 1)
    rebuilt = model_of(analyse(uri, None, edited, 2), edited)
    assert rebuilt is not None and rebuilt == operations_of(edited, "yaml")
    assert rebuilt.operations[1].responses[0].description is None


def test_typing_a_colon_in_a_plain_description_builds_again():
    uri = "colon.yaml"
    first = model_of(analyse(uri, None, SCHEMAS, 1), SCHEMAS)
    edited = SCHEMAS.replace("description: The pet", "description: The: pet", 1)
    rebuilt = model_of(analyse(uri, None, edited, 2), edited)
    assert rebuilt is not first and rebuilt is not None
    assert rebuilt == operations_of(edited, "yaml")


def test_the_editors_lines_find_the_edit():
    uri = "lines.yaml"
    lines = SCHEMAS.splitlines(keepends=True)
    first = model_of(analyse(uri, None, SCHEMAS, 1), SCHEMAS, lines)
    typed = list(lines)  # as the server's document: only the edited line is a new object
    row = next(i for i, line in enumerate(lines) if "A pet of the store" in line)
    typed[row] = typed[row].replace("store", "stores")
    text = "".join(typed)
    assert model_of(analyse(uri, None, text, 2), text, typed) is first
    added = [*typed[:row], "      title: Pet\n", *typed[row:]]  # a new line: built again
    text = "".join(added)
    rebuilt = model_of(analyse(uri, None, text, 3), text, added)
    assert rebuilt is not first and rebuilt == operations_of(text, "yaml")


@pytest.mark.parametrize("language", ["yaml", "json"])
def test_spacing_after_a_key_keeps_the_model(language):
    text = SCHEMAS if language == "yaml" else json.dumps(yaml.safe_load(SCHEMAS), indent=2)
    uri = f"spacing-{language}.{language}"
    lines = text.splitlines(keepends=True)
    first = model_of(analyse(uri, None, text, 1), text, lines)
    row = next(i for i, line in enumerate(lines) if "responses" in line)
    spaced = list(lines)
    colon = spaced[row].index(":") + 1
    spaced[row] = spaced[row][:colon] + " " + spaced[row][colon:]
    edited = "".join(spaced)
    assert model_of(analyse(uri, None, edited, 2), edited, spaced) is first
    # Spacing inside a YAML value is part of it: the description changes.
    row = next(i for i, line in enumerate(lines) if "The pet" in line)
    inside = list(spaced)
    inside[row] = inside[row].replace("The pet", "The  pet")
    edited = "".join(inside)
    changed = model_of(analyse(uri, None, edited, 3), edited, inside)
    assert changed is not None and changed.operations[0].responses[0].description == "The  pet"


@pytest.mark.parametrize(
    ("old", "new", "described"),
    [
        ("description: The pet", 'description: The pet"', 'The pet"'),  # a quote inside a plain scalar is text
        ("description: The pet", "description: 'The pet'", "The pet"),  # quoting it: built again
        ("description: The pet", "description: The: pet", "The: pet"),
    ],
)
def test_quotes_and_colons_in_yaml_descriptions(old, new, described):
    uri = "quotes.yaml"
    model_of(analyse(uri, None, SCHEMAS, 1), SCHEMAS)
    edited = SCHEMAS.replace(old, new, 1)
    document = model_of(analyse(uri, None, edited, 2), edited)
    assert document is not None and document.operations[0].responses[0].description == described
    assert document == operations_of(edited, "yaml")


@pytest.mark.parametrize("language", ["yaml", "json"])
def test_a_broken_line_keeps_the_model_until_repaired(language):
    text = SCHEMAS if language == "yaml" else json.dumps(yaml.safe_load(SCHEMAS), indent=2)
    uri = f"broken-{language}.{language}"
    lines = text.splitlines(keepends=True)
    first = model_of(analyse(uri, None, text, 1), text, lines)
    row = next(i for i, line in enumerate(lines) if "responses" in line)
    broken = list(lines)
    colon = broken[row].index(":") + 1
    broken[row] = broken[row][:colon] + '"' + broken[row][colon:]  # `responses:"`, `"responses":" {`
    edited = "".join(broken)
    assert model_of(analyse(uri, None, edited, 2), edited, broken) is first
    repaired = list(broken)
    repaired[row] = "".join(lines[row])  # the old text back, in a new object
    edited = "".join(repaired)
    assert model_of(analyse(uri, None, edited, 3), edited, repaired) is first
    assert first == operations_of(edited, language)
    # Repaired differently: built again.
    other = list(broken)
    other[row] = lines[row].replace("responses", "responses ", 1) if language == "json" else lines[row]
    other[row] = other[row][:colon] + other[row][colon:].replace(":", ": ", 1) if language == "yaml" else other[row]
    edited = "".join(other)
    again = model_of(analyse(uri, None, edited, 4), edited, other)
    assert again == operations_of(edited, language)


@pytest.mark.parametrize("opened", [' "', " '", " [", " {a: "])
def test_a_value_left_open_on_a_key_line_keeps_the_model_until_repaired(opened):
    # `responses: "` swallows the lines below until the quote is closed: a broken document, like a
    # key line that is no key any more, so the model of the last whole text stands meanwhile.
    uri = "opened.yaml"
    lines = SCHEMAS.splitlines(keepends=True)
    first = model_of(analyse(uri, None, SCHEMAS, 1), SCHEMAS, lines)
    row = next(i for i, line in enumerate(lines) if line.strip() == "responses:")
    colon = lines[row].index(":") + 1
    broken = list(lines)
    broken[row] = lines[row][:colon] + opened + lines[row][colon:]
    edited = "".join(broken)
    assert model_of(analyse(uri, None, edited, 2), edited, broken) is first
    repaired = list(broken)
    repaired[row] = "".join(lines[row])
    edited = "".join(repaired)
    assert model_of(analyse(uri, None, edited, 3), edited, repaired) is first
    assert first == operations_of(edited, "yaml")


def test_a_value_closed_on_its_line_builds_again():
    uri = "closed.yaml"
    lines = SCHEMAS.splitlines(keepends=True)
    first = model_of(analyse(uri, None, SCHEMAS, 1), SCHEMAS, lines)
    row = next(i for i, line in enumerate(lines) if "description: The pet" in line)
    quoted = list(lines)
    quoted[row] = lines[row].replace("The pet", '"The pet"')
    edited = "".join(quoted)
    document = model_of(analyse(uri, None, edited, 2), edited, quoted)
    assert document is not first and document == operations_of(edited, "yaml")


def test_the_text_is_asked_for_only_when_the_model_is_built():
    uri = "lazy.yaml"
    lines = SCHEMAS.splitlines(keepends=True)
    asked: list[int] = []

    def text_of(current: list[str]):
        def give() -> str:
            asked.append(1)
            return "".join(current)

        return give

    first = model_of(analyse(uri, None, SCHEMAS, 1), text_of(lines), lines)
    assert first == operations_of(SCHEMAS, "yaml") and len(asked) == 1
    typed = list(lines)
    row = next(i for i, line in enumerate(lines) if "A pet of the store" in line)
    typed[row] = typed[row].replace("store", "stores")
    text = "".join(typed)
    assert model_of(analyse(uri, None, text, 2), text_of(typed), typed) is first
    assert len(asked) == 1  # carried over from the lines alone
    added = [*typed[:row], "      title: Pet\n", *typed[row:]]
    text = "".join(added)
    rebuilt = model_of(analyse(uri, None, text, 3), text_of(added), added)
    assert len(asked) == 2 and rebuilt == operations_of(text, "yaml")


def test_a_comment_after_a_quoted_value_is_no_part_of_it():
    text = """\
openapi: 3.0.3
paths:
  /pets:
    get:
      responses:
        '200':
          description: 'Listed' # shown in the portal
        '404':
          $ref: '#/components/responses/NotFound'  # shared
components:
  responses:
    NotFound:
      description: "Not found" # the same everywhere
      headers:
        Cache-Control: {schema: {type: string}}
"""
    (get,) = model(text).operations
    ok, missing = get.responses
    assert ok.description == "Listed"
    assert ok.description_span is not None
    assert (ok.description_span.start_col, ok.description_span.end_col) == (23, 31)  # 'Listed', quotes included
    assert (missing.ref, missing.ref_resolved) == ("#/components/responses/NotFound", True)
    assert (missing.description, missing.headers) == ("Not found", ("Cache-Control",))


def test_the_models_entry_maker_makes_what_the_constructor_makes():
    from http_status_ls.core.occurrences import Span
    from http_status_ls.detect.openapi_operations import ResponseEntry, new_response_entry

    span = Span(3, 8, 3, 13)
    declared = {"description": "Gone", "headers": ("Retry-After",), "ref": "#/components/responses/Gone", "ref_resolved": True}
    made = new_response_entry("410", 410, None, span, dict(declared))
    assert made == ResponseEntry(key="410", code=410, range_class=None, span=span, **declared)
    assert (made.has_body, made.body_span, made.content_types) == (False, None, ())  # the defaults
    assert new_response_entry("4XX", None, 4, span, {}) == ResponseEntry(key="4XX", code=None, range_class=4, span=span)
    with pytest.raises(TypeError, match="no field summary"):
        new_response_entry("200", 200, None, span, {"summary": "x"})
