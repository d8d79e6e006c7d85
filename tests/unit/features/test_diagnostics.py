"""Diagnostics as plain functions: hand-built analyses in, rules, severities and messages out."""

from __future__ import annotations

import datetime

import pytest
from lsprotocol import types

from http_status_ls.core.occurrences import Analysis, Detection, Kind, Occurrence, ResponsesBlock, Span
from http_status_ls.core.project_target import ProjectTarget
from http_status_ls.features.diagnostics import diagnostics, findings, responses_object_url
from http_status_ls.kb import registry
from http_status_ls.kb.rules import RULE_IDS as RULES
from http_status_ls.kb.rules import SEVERITY
from http_status_ls.kb.rules import Severity as RuleSeverity

Severity = types.DiagnosticSeverity


def literal(code: int, line: int = 0, col: int = 6, **extra) -> Occurrence:
    return Occurrence(
        span=Span(line, col, line, col + len(str(code))), kind=Kind.LITERAL, text=str(code), code=code, context="abort()", **extra
    )


def analysis_of(
    *occurrences: Occurrence, language: str = "python", openapi: str | None = None, responses: tuple[ResponsesBlock, ...] = ()
) -> Analysis:
    ordered = tuple(sorted(occurrences, key=lambda o: (o.span.start_line, o.span.start_col)))
    return Analysis(
        uri="file:///t",
        version=1,
        language=language,
        detection=Detection(occurrences=ordered, openapi=openapi, responses=responses),
    )


def key(text: str, line: int, *, col: int = 8, body: bool = False) -> Occurrence:
    value = text.strip("'\"")
    quoted = text != value
    code = int(value) if value.isdigit() else None
    range_class = int(value[0]) if len(value) == 3 and value[0] in "12345" and value[1:] == "XX" else None
    return Occurrence(
        span=Span(line, col, line, col + len(text)),
        kind=Kind.RESPONSE_KEY,
        text=text,
        code=code,
        context="responses",
        value=value,
        quoted=quoted,
        range_class=range_class,
        body_span=Span(line + 2, col + 2, line + 2, col + 9) if body else None,
    )


def block(*keys: Occurrence, flow: bool = False) -> ResponsesBlock:
    return ResponsesBlock(
        span=Span(keys[0].span.start_line - 1, 6, keys[-1].span.end_line + 1, 0),
        keys=keys,
        pointer="/paths/~1p/get/responses",
        flow=flow,
        key_indent=None if flow else 8,
    )


def openapi_analysis(*keys: Occurrence, openapi: str = "3.0.3", language: str = "yaml") -> Analysis:
    return analysis_of(*keys, language=language, openapi=openapi, responses=(block(*keys),))


def only(analysis: Analysis, **kwargs):
    found = findings(analysis, **kwargs)
    assert len(found) == 1, found
    return found[0]


def test_rule_ids_are_stable():
    assert set(RULES) == {
        "missing-success-response",
        "missing-error-response",
        "missing-response-header",
        "method-status-mismatch",
        "conflicting-success-responses",
        "status-not-allowed",
        "description-mismatch",
        "deprecated-code",
        "reserved-code",
        "obsolete-code",
        "provisional-code",
        "unofficial-code",
        "unassigned-code",
        "not-a-status-code",
        "invalid-code",
        "invalid-range-key",
        "unquoted-response-key",
        "duplicate-response-key",
        "body-not-allowed",
        "deprecated-name",
        "unknown-name",
        "undocumented-status",
        "unreturned-status",
        "undocumented-operation",
        "unimplemented-operation",
        "status-style",
        "body-with-no-content-status",
        "redirect-without-location",
        "success-in-error-handler",
    }


def test_standard_code_is_fine():
    assert findings(analysis_of(literal(404), literal(201, line=1))) == []


def test_deprecated_305():
    found = only(analysis_of(literal(305)))
    assert (found.rule, found.severity, found.deprecated) == ("deprecated-code", Severity.Warning, True)
    # The RFC section is the link; the message is the verdict and the nearest registered code.
    assert found.message == "305 Use Proxy is deprecated: use 307 Temporary Redirect"
    assert found.href == "https://www.rfc-editor.org/rfc/rfc9110#section-15.4.6"
    assert found.span == Span(0, 6, 0, 9)


def test_reserved_306_warns_but_418_informs():
    reserved = only(analysis_of(literal(306)))
    assert (reserved.rule, reserved.severity) == ("reserved-code", Severity.Warning)
    assert reserved.message == "306 Switch Proxy is reserved: use 307 Temporary Redirect"
    teapot = only(analysis_of(literal(418)))
    assert (teapot.rule, teapot.severity) == ("reserved-code", Severity.Information)
    assert teapot.message == "418 I'm a Teapot is reserved: use 403 Forbidden"


def test_unofficial_names_vendor_and_portable_code():
    found = only(analysis_of(literal(420)))
    assert (found.rule, found.severity) == ("unofficial-code", Severity.Warning)
    assert found.message == "420 is unofficial (Twitter and others): use 429 Too Many Requests or 424 Failed Dependency"
    assert found.data["instead"] == [429, 424]
    cloudflare = only(analysis_of(literal(522)))
    assert cloudflare.message == "522 is unofficial (Cloudflare): use 504 Gateway Timeout"


def test_obsolete_510():
    found = only(analysis_of(literal(510)))
    assert (found.rule, found.severity, found.deprecated) == ("obsolete-code", Severity.Warning, True)
    assert found.message == "510 Not Extended is obsolete: use 400 Bad Request"


@pytest.mark.parametrize(
    ("today", "state"),
    [(datetime.date(2026, 11, 1), "expires on 2026-11-13"), (datetime.date(2026, 11, 22), "expired on 2026-11-13")],
)
def test_provisional_104_says_when_registration_ends(today, state):
    found = only(analysis_of(literal(104)), today=today)
    assert (found.rule, found.severity) == ("provisional-code", Severity.Information)
    assert found.message == f"104 Upload Resumption Supported is provisional: ensure clients support it ({state})"


def test_warn_code_299_says_what_it_is():
    found = only(analysis_of(literal(299)))
    assert (found.rule, found.severity) == ("not-a-status-code", Severity.Warning)
    assert found.message == "299 is a Warning header warn-code, not a status code: use a registered 2xx code"


def test_unassigned_512():
    found = only(analysis_of(literal(512)))
    assert (found.rule, found.severity) == ("unassigned-code", Severity.Warning)
    assert found.message == "512 is unassigned: use a registered 5xx code (clients read it as 500 Internal Server Error)"


@pytest.mark.parametrize("code", [600, 20, 1000, 99])
def test_out_of_range_is_an_error(code):
    found = only(analysis_of(literal(code)))
    assert (found.rule, found.severity) == ("invalid-code", Severity.Error)
    assert found.message == f"{code} is not an HTTP status code (100-599)"


def test_out_of_range_vendor_code_names_vendor():
    found = only(analysis_of(literal(999)))
    assert found.rule == "invalid-code"
    assert found.message == '999 is LinkedIn\'s "Request denied", not an HTTP status code (100-599)'


def test_doubtful_occurrence_is_not_called_invalid():
    assert findings(analysis_of(literal(600, confident=False), literal(512, line=1, confident=False))) == []
    # ... but a known problem code is still one.
    assert [f.rule for f in findings(analysis_of(literal(305, confident=False)))] == ["deprecated-code"]


def test_deprecated_starlette_name():
    ref = registry.load().resolve("starlette.status", "HTTP_422_UNPROCESSABLE_ENTITY")
    assert ref is not None
    name = Occurrence(span=Span(3, 11, 3, 40), kind=Kind.NAME, text=ref.name, code=422, context="starlette.status", name=ref)
    found = only(analysis_of(name), target=ProjectTarget(starlette=(0, 48, 0)))
    assert (found.rule, found.severity, found.deprecated) == ("deprecated-name", Severity.Warning, True)
    assert found.message == "HTTP_422_UNPROCESSABLE_ENTITY is deprecated: use HTTP_422_UNPROCESSABLE_CONTENT"
    assert found.data == {
        "rule": "deprecated-name",
        "code": 422,
        "replacement": "HTTP_422_UNPROCESSABLE_CONTENT",
        "library": "starlette.status",
    }


def test_name_of_a_problem_code_gets_the_code_rule():
    ref = registry.load().resolve("http.HTTPStatus", "USE_PROXY")
    name = Occurrence(span=Span(0, 11, 0, 20), kind=Kind.NAME, text="USE_PROXY", code=305, context="http.HTTPStatus", name=ref)
    assert [f.rule for f in findings(analysis_of(name))] == ["deprecated-code"]


def test_unknown_name_suggests_the_closest():
    typo = Occurrence(span=Span(0, 11, 0, 19), kind=Kind.NAME, text="NOT_FUND", code=None, context="http.HTTPStatus")
    found = only(analysis_of(typo))
    assert (found.rule, found.severity) == ("unknown-name", Severity.Warning)
    assert found.message == "NOT_FUND is not in http.HTTPStatus: did you mean NOT_FOUND?"
    assert found.data["suggestion"] == "NOT_FOUND"


@pytest.mark.parametrize(
    ("text", "library"),
    [("is_success", "http.HTTPStatus"), ("get", "requests.codes"), ("WS_1000_NORMAL_CLOSURE", "starlette.status")],
)
def test_helpers_and_websocket_codes_are_not_unknown_names(text, library):
    occurrence = Occurrence(span=Span(0, 0, 0, len(text)), kind=Kind.NAME, text=text, code=None, context=library)
    assert findings(analysis_of(occurrence)) == []


def test_unquoted_key_in_openapi3_yaml_only():
    unquoted = key("200", 6)
    found = only(openapi_analysis(unquoted))
    assert (found.rule, found.severity) == ("unquoted-response-key", Severity.Warning)
    assert found.message == "200 is an unquoted key: write '200' (OpenAPI 3 keys are strings; YAML reads a number)"
    assert found.data["replacement"] == "'200'"
    assert found.href == "https://spec.openapis.org/oas/v3.0.3.html#responses-object"
    assert findings(openapi_analysis(unquoted, openapi="2.0")) == []
    assert findings(openapi_analysis(key('"200"', 6))) == []


def test_duplicate_keys_point_at_the_first():
    first, again = key("'404'", 6), key('"404"', 8)
    found = only(openapi_analysis(key("'200'", 4), first, again))
    assert (found.rule, found.severity) == ("duplicate-response-key", Severity.Error)
    assert found.span == again.span
    assert found.related == ((first.span, "first '404' here"),)
    assert found.message == "'404' appears twice: merge it with the one on line 7, which it silently replaces"


def test_range_keys():
    assert findings(openapi_analysis(key("4XX", 6))) == []
    lower = only(openapi_analysis(key("'2xx'", 6)))
    assert (lower.rule, lower.severity) == ("invalid-range-key", Severity.Error)
    assert lower.message == "'2xx' is not a range OpenAPI reads: write '2XX'"
    assert lower.data["replacement"] == "2XX"
    swagger = only(openapi_analysis(key("'2XX'", 6), openapi="2.0"))
    assert swagger.rule == "invalid-range-key"
    assert swagger.message == "'2XX' is not allowed in Swagger 2.0: list the codes, or use default"
    assert only(openapi_analysis(key("6XX", 6))).rule == "invalid-range-key"


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("abc", "invalid-code"),
        ("'600'", "invalid-code"),
        ("'20'", "invalid-code"),
        ("'0200'", "invalid-code"),
        ("'299'", "not-a-status-code"),
        ("'512'", "unassigned-code"),
    ],
)
def test_bad_response_keys(text, rule):
    assert only(openapi_analysis(key(text, 6))).rule == rule


def test_default_is_fine():
    assert findings(openapi_analysis(key("default", 6))) == []


@pytest.mark.parametrize("text", ["'204'", "'304'", "'101'", "1XX"])
def test_body_not_allowed(text):
    occurrence = key(text, 6, body=True)
    found = only(openapi_analysis(occurrence))
    assert (found.rule, found.severity) == ("body-not-allowed", Severity.Warning)
    assert found.span == occurrence.body_span
    assert found.message.endswith(": remove `content`")


def test_body_allowed_and_swagger_schema():
    assert findings(openapi_analysis(key("'200'", 6, body=True))) == []
    found = only(openapi_analysis(key("'204'", 6, body=True), openapi="2.0"))
    assert found.message == "204 No Content has no body: remove `schema`"


def test_severity_table_is_overridable():
    custom: dict[str, RuleSeverity | None] = dict(SEVERITY, **{"unofficial-code": RuleSeverity.Error, "418": None})
    assert [f.severity for f in findings(analysis_of(literal(420)), severity=custom)] == [Severity.Error]
    assert findings(analysis_of(literal(418)), severity=custom) == []
    # A code key overrides only the rules about the code, not OpenAPI structure rules.
    off: dict[str, RuleSeverity | None] = dict(SEVERITY, **{"404": None})
    dup = openapi_analysis(key("'404'", 6), key("'404'", 8))
    assert [f.rule for f in findings(dup, severity=off)] == ["duplicate-response-key"]


def test_lsp_diagnostic_shape():
    (diagnostic,) = diagnostics(analysis_of(literal(305, line=2, col=10)))
    assert diagnostic.code == "deprecated-code"
    assert diagnostic.source == "http-status-ls"
    assert diagnostic.range == types.Range(start=types.Position(2, 10), end=types.Position(2, 13))
    assert diagnostic.tags == [types.DiagnosticTag.Deprecated]
    assert diagnostic.code_description is not None
    assert diagnostic.code_description.href.startswith("https://www.rfc-editor.org/")
    assert diagnostic.data == {"rule": "deprecated-code", "code": 305, "instead": []}


def test_lsp_ranges_go_through_the_converter():
    shifted = diagnostics(
        analysis_of(literal(420)),
        to_range=lambda s: types.Range(
            start=types.Position(s.start_line, s.start_col * 2), end=types.Position(s.end_line, s.end_col * 2)
        ),
    )
    assert shifted[0].range.start.character == 12


def test_related_information_uses_the_document_uri():
    (diagnostic,) = diagnostics(openapi_analysis(key("'404'", 6), key("'404'", 8)))
    assert diagnostic.related_information is not None
    (related,) = diagnostic.related_information
    assert related.location.uri == "file:///t"
    assert related.location.range.start == types.Position(6, 8)


def test_spec_links_follow_the_version():
    assert responses_object_url("2.0").endswith("v2.0.html#responses-object")
    assert responses_object_url("3.0.1").endswith("v3.0.3.html#responses-object")
    assert responses_object_url("3.1.0").endswith("v3.1.1.html#responses-object")


def test_findings_are_sorted_by_position():
    found = findings(analysis_of(literal(420, line=5), literal(305, line=1), literal(600, line=3)))
    assert [f.span.start_line for f in found] == [1, 3, 5]
