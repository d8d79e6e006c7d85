"""Quick fixes for the response-set rules (features/actions/openapi_responses.py): each fix is
applied, the result must parse to the structure expected, and judging it again must show the
finding gone and nothing new from these rules.

The findings come from the judge (features/diagnostics.py) with the response-set options a test
names, turned into the diagnostics a client sends back with its code-action request.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from lsprotocol import types

from http_status_ls.core.occurrences import Span
from http_status_ls.core.positions import span_range
from http_status_ls.core.settings import SeverityTable
from http_status_ls.detect.analysis import analyse
from http_status_ls.features.actions.request import code_actions
from http_status_ls.features.diagnostics import diagnostics, findings
from http_status_ls.kb.profiles import ResponseRuleOptions
from http_status_ls.kb.rules import SEVERITY
from tests.unit.features.test_code_actions import apply_text_edits

SUFFIX = {"yaml": "yaml", "json": "json"}
ALL_ERRORS = ResponseRuleOptions(expected_errors=("4xx", "auth", "429", "5xx", "default"), default_counts_as_error=False)

Found = tuple[Span, str, str, dict[str, Any]]
RULES = frozenset(
    {
        "missing-success-response",
        "missing-error-response",
        "missing-response-header",
        "method-status-mismatch",
        "conflicting-success-responses",
        "status-not-allowed",
        "description-mismatch",
    }
)
"""The response-set rules: a fix must leave none of their findings behind that was not there."""


def rule_findings(text: str, language: str, options: ResponseRuleOptions) -> list[Found]:
    table = SeverityTable(SEVERITY)
    table.options = options
    analysis = analyse(f"file:///doc.{SUFFIX[language]}", language, text, 1)
    return [(f.span, f.rule, f.message, dict(f.data)) for f in findings(analysis, severity=table, text=text) if f.rule in RULES]


def fixes_for(text: str, language: str, finding: Found) -> list[types.CodeAction]:
    span, rule, message, data = finding
    diagnostic = types.Diagnostic(range=span_range(span), message=message, code=rule, source="http-status-ls", data=data)
    analysis = analyse(f"file:///doc.{SUFFIX[language]}", language, text, 1)
    return code_actions(analysis, text.splitlines(keepends=True), span, [diagnostic], only=[types.CodeActionKind.QuickFix])


def parsed(text: str, language: str) -> Any:
    return yaml.safe_load(text) if language == "yaml" else json.loads(text)


def fix_one(text: str, language: str, options: ResponseRuleOptions, rule: str, needle: str = "") -> tuple[str, Found, str]:
    """Apply the first fix of the first ``rule`` finding whose message holds ``needle``; the result
    parses, and the finding is gone when the rules judge it again."""
    before = rule_findings(text, language, options)
    finding = next(f for f in before if f[1] == rule and needle in f[2])
    actions = fixes_for(text, language, finding)
    assert actions, f"no fix for {finding}"
    action = actions[0]
    assert action.edit is not None and action.edit.changes is not None
    result = apply_text_edits(text, action.edit.changes[f"file:///doc.{SUFFIX[language]}"])
    parsed(result, language)
    after = rule_findings(result, language, options)
    assert finding[2] not in [f[2] for f in after], f"still reported: {finding[2]}\n{result}"
    new = {f[2] for f in after} - {f[2] for f in before}
    assert not new, f"new findings: {new}\n{result}"
    return result, finding, action.title


SECURED_YAML = """\
openapi: 3.0.3
info:
  title: Pets
  version: '1'
security:
  - key: []
paths:
  /pets/{id}:
    get:
      responses:
        '404':
          $ref: '#/components/responses/NotFound'
    delete:
      responses:
        '204':
          description: No Content
        '401':
          description: Unauthorized
        '405':
          description: Not here
          headers:
            Allow:
              schema:
                type: string
        '500':
          description: oops
        default:
          description: anything else
components:
  responses:
    NotFound:
      description: Not Found
    BadRequest:
      description: Bad Request
  schemas:
    Problem:
      type: object
"""


def responses_of(document: Any, path: str, method: str) -> dict[Any, Any]:
    responses: dict[Any, Any] = document["paths"][path][method]["responses"]
    return responses


def test_missing_success_adds_200_before_the_error_keys() -> None:
    options = ResponseRuleOptions(expected_errors=())
    result, _, title = fix_one(SECURED_YAML, "yaml", options, "missing-success-response")
    assert title == "Add a 200 response (OK) to GET /pets/{id}"
    assert list(responses_of(parsed(result, "yaml"), "/pets/{id}", "get")) == ["200", "404"]
    assert "        '200':\n          description: OK\n        '404':" in result


def test_missing_401_brings_its_required_header_and_the_error_schema() -> None:
    result, _, _ = fix_one(SECURED_YAML, "yaml", ALL_ERRORS, "missing-error-response", "no 401 though secured on GET")
    added = responses_of(parsed(result, "yaml"), "/pets/{id}", "get")["401"]
    assert added["description"] == "Unauthorized"
    assert list(added["headers"]) == ["WWW-Authenticate"]
    assert added["headers"]["WWW-Authenticate"]["schema"] == {"type": "string"}
    # No error response in the file says which media type: a problem schema is problem+json.
    assert added["content"] == {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


def test_a_missing_4xx_points_at_the_reusable_response_named_for_it() -> None:
    text = SECURED_YAML.replace("'404':\n          $ref: '#/components/responses/NotFound'", "'200':\n          description: OK")
    result, _, _ = fix_one(text, "yaml", ALL_ERRORS, "missing-error-response", "no 4xx response on GET")
    assert responses_of(parsed(result, "yaml"), "/pets/{id}", "get")["400"] == {"$ref": "#/components/responses/BadRequest"}


def test_a_missing_default_is_not_pointed_at_a_response_for_one_code() -> None:
    result, _, _ = fix_one(SECURED_YAML, "yaml", ALL_ERRORS, "missing-error-response", "no default response on GET")
    added = responses_of(parsed(result, "yaml"), "/pets/{id}", "get")["default"]
    assert added["description"] == "Unexpected error"
    assert "$ref" not in added  # NotFound and BadRequest are for one code each
    assert "\n        default:\n" in result  # `default` is a word: no quotes


def test_missing_header_goes_under_the_response_in_the_files_indentation() -> None:
    result, _, title = fix_one(SECURED_YAML, "yaml", ALL_ERRORS, "missing-response-header", "401")
    assert title == "Add the WWW-Authenticate header to the 401 response of DELETE /pets/{id}"
    header = responses_of(parsed(result, "yaml"), "/pets/{id}", "delete")["401"]["headers"]["WWW-Authenticate"]
    assert header["schema"] == {"type": "string"}
    assert "One or more challenges" in header["description"]
    assert "        '401':\n          description: Unauthorized\n          headers:\n            WWW-Authenticate:\n" in result


def test_missing_header_joins_the_headers_the_response_has() -> None:
    text = SECURED_YAML.replace("Allow:\n              schema", "X-Trace:\n              schema")
    result, _, _ = fix_one(text, "yaml", ALL_ERRORS, "missing-response-header", "Allow")
    headers = responses_of(parsed(result, "yaml"), "/pets/{id}", "delete")["405"]["headers"]
    assert list(headers) == ["X-Trace", "Allow"]


def test_four_space_indentation_is_kept() -> None:
    text = yaml.safe_dump(parsed(SECURED_YAML, "yaml"), indent=4, sort_keys=False)
    assert "\n    /pets/{id}:\n        get:\n" in text
    result, _, _ = fix_one(text, "yaml", ALL_ERRORS, "missing-response-header", "401")
    assert (
        "                    headers:\n                        WWW-Authenticate:\n                            description:"
        in result
    )


def test_preferred_code_replaces_the_key_and_keeps_its_quotes() -> None:
    text = SECURED_YAML.replace("'500':\n          description: oops", "'422':\n          description: Invalid")
    options = ResponseRuleOptions(expected_errors=(), preferred_codes={422: (400,)})
    result, _, title = fix_one(text, "yaml", options, "status-not-allowed")
    assert title == "Replace 422 with 400 Bad Request"
    assert "        '400':\n          description: Invalid" in result


def test_description_gets_the_codes_own_phrase() -> None:
    text = SECURED_YAML.replace("description: No Content", "description: OK")
    result, _, _ = fix_one(text, "yaml", ResponseRuleOptions(expected_errors=()), "description-mismatch")
    assert responses_of(parsed(result, "yaml"), "/pets/{id}", "delete")["204"]["description"] == "No Content"


SWAGGER = """\
swagger: '2.0'
info: {title: t, version: '1'}
paths:
  /things:
    post:
      responses:
        400:
          description: bad
definitions:
  Error:
    type: object
"""


def test_swagger_2_keys_follow_their_unquoted_neighbours() -> None:
    result, _, _ = fix_one(SWAGGER, "yaml", ResponseRuleOptions(expected_errors=()), "missing-success-response")
    assert "      responses:\n        201:\n          description: Created\n        400:" in result


def test_swagger_2_error_uses_the_error_definition_and_no_range() -> None:
    text = SWAGGER.replace("400:\n          description: bad", "201:\n          description: made")
    options = ResponseRuleOptions(expected_errors=("4xx",))
    result, _, _ = fix_one(text, "yaml", options, "missing-error-response")
    added = parsed(result, "yaml")["paths"]["/things"]["post"]["responses"][400]
    assert added == {"description": "Bad Request", "schema": {"$ref": "#/definitions/Error"}}


FLOW_YAML = """\
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /a:
    put:
      responses: {'404': {description: gone}}
"""


def test_yaml_flow_mapping_gets_a_comma() -> None:
    result, _, _ = fix_one(FLOW_YAML, "yaml", ResponseRuleOptions(expected_errors=()), "missing-success-response")
    assert list(parsed(result, "yaml")["paths"]["/a"]["put"]["responses"]) == ["404", "200"]


PRETTY_JSON = json.dumps(parsed(SECURED_YAML, "yaml"), indent=2)
MINIFIED_JSON = json.dumps(parsed(SECURED_YAML, "yaml"))


@pytest.mark.parametrize("text", [PRETTY_JSON, MINIFIED_JSON], ids=["pretty", "minified"])
def test_json_response_added_with_commas(text: str) -> None:
    result, _, _ = fix_one(text, "json", ALL_ERRORS, "missing-error-response", "no 401 though secured on GET")
    added = responses_of(json.loads(result), "/pets/{id}", "get")["401"]
    assert list(added["headers"]) == ["WWW-Authenticate"]
    if text is PRETTY_JSON:
        assert '\n          "401": {\n            "description": "Unauthorized",\n' in result


@pytest.mark.parametrize("text", [PRETTY_JSON, MINIFIED_JSON], ids=["pretty", "minified"])
def test_json_header_added_into_an_existing_or_a_new_headers_object(text: str) -> None:
    result, _, _ = fix_one(text, "json", ALL_ERRORS, "missing-response-header", "401")
    assert list(responses_of(json.loads(result), "/pets/{id}", "delete")["401"]["headers"]) == ["WWW-Authenticate"]
    renamed = text.replace('"Allow"', '"X-Trace"')
    result, _, _ = fix_one(renamed, "json", ALL_ERRORS, "missing-response-header", "Allow")
    assert list(responses_of(json.loads(result), "/pets/{id}", "delete")["405"]["headers"]) == ["X-Trace", "Allow"]


REFERRED = SECURED_YAML.replace(
    "'401':\n          description: Unauthorized", "'401':\n          $ref: '#/components/responses/Unauthorized'"
).replace("    NotFound:\n", "    Unauthorized:\n      description: Unauthorized\n    NotFound:\n")


@pytest.mark.parametrize("language", ["yaml", "json"])
def test_a_header_goes_into_the_response_a_reference_points_at(language: str) -> None:
    text = REFERRED if language == "yaml" else json.dumps(parsed(REFERRED, "yaml"), indent=2)
    result, _, title = fix_one(text, language, ALL_ERRORS, "missing-response-header", "401")
    assert title == "Add the WWW-Authenticate header to the Unauthorized response"
    document = parsed(result, language)
    assert list(document["components"]["responses"]["Unauthorized"]["headers"]) == ["WWW-Authenticate"]
    assert responses_of(document, "/pets/{id}", "delete")["401"] == {"$ref": "#/components/responses/Unauthorized"}


def test_no_header_beside_a_reference_to_another_file() -> None:
    text = REFERRED.replace("'#/components/responses/Unauthorized'", "'common.yaml#/responses/Unauthorized'")
    finding = (Span(16, 8, 16, 13), "missing-response-header", "401 lacks WWW-Authenticate", {"header": "WWW-Authenticate"})
    assert text.splitlines()[16].strip() == "'401':"
    assert fixes_for(text, "yaml", finding) == []


def test_a_fix_for_another_version_of_the_text_is_not_offered() -> None:
    finding = next(f for f in rule_findings(SECURED_YAML, "yaml", ALL_ERRORS) if f[1] == "missing-response-header")
    moved = (Span(finding[0].start_line + 40, 0, finding[0].start_line + 40, 5), *finding[1:3], {"rule": finding[1]})
    assert fixes_for(SECURED_YAML, "yaml", moved) == []


def test_through_the_servers_diagnostics_with_the_default_profile() -> None:
    # The diagnostics the session publishes, with the ranges and data a client sends back.
    text = SECURED_YAML.replace("'405':\n          description: Not here", "'405':\n          description: Method Not Allowed")
    analysis = analyse("file:///doc.yaml", "yaml", text, 1)
    found = [d for d in diagnostics(analysis, text=text) if d.code in ("missing-success-response", "missing-response-header")]
    assert sorted(str(d.code) for d in found) == ["missing-response-header", "missing-success-response"]
    for diagnostic in found:
        lines = text.splitlines(keepends=True)
        start = (diagnostic.range.start.line, diagnostic.range.start.character)
        span = Span(*start, diagnostic.range.end.line, diagnostic.range.end.character)
        actions = code_actions(analyse("file:///doc.yaml", "yaml", text, 1), lines, span, [diagnostic])
        fixes = [a for a in actions if a.diagnostics == [diagnostic]]
        assert fixes, diagnostic.message
        assert fixes[0].edit is not None and fixes[0].edit.changes is not None
        result = apply_text_edits(text, fixes[0].edit.changes["file:///doc.yaml"])
        again = diagnostics(analyse("file:///doc.yaml", "yaml", result, 2), text=result)
        assert diagnostic.message not in [d.message for d in again], result
        assert yaml.safe_load(result)["paths"]["/pets/{id}"]
