"""The response-set rules and the profiles, through the judge, on small descriptions.

Each peer bug the issue lists has its test: range keys counted, a 101-only operation, `default`
counted only when set to, 3xx-only operations, 422 and 308 known, messages that name the method.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from http_status_ls.core.settings import parse
from http_status_ls.detect.analysis import analyse
from http_status_ls.features.diagnostics import Finding, findings
from http_status_ls.kb.rules import SEVERITY, Severity

NEW_RULES = {
    "missing-success-response",
    "missing-error-response",
    "missing-response-header",
    "method-status-mismatch",
    "conflicting-success-responses",
    "status-not-allowed",
    "description-mismatch",
}


def operation(method: str, responses: str, *, extra: str = "", path: str = "/pets") -> str:
    """A one-operation OpenAPI 3 description; ``responses`` is the block under ``responses:``."""
    body = "\n".join("        " + line for line in responses.strip("\n").splitlines())
    head = f"openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\n{extra}paths:\n  {path}:\n    {method}:\n"
    return head + "      responses:\n" + body + "\n"


def judged(text: str, profile: str = "recommended", language: str = "yaml", **settings: Any) -> list[Finding]:
    table = parse({"profile": profile, **settings})[0].severity_table(SEVERITY)
    analysis = analyse(f"api.{language}", None, text, 1)
    return findings(analysis, severity=table, text=text)


def rules(text: str, profile: str = "recommended", **settings: Any) -> list[str]:
    return [finding.rule for finding in judged(text, profile, **settings) if finding.rule in NEW_RULES]


def one(text: str, rule: str, profile: str = "recommended", **settings: Any) -> Finding:
    found = [finding for finding in judged(text, profile, **settings) if finding.rule == rule]
    assert len(found) == 1, found
    return found[0]


# --- missing-success-response ----------------------------------------------------------------------


def test_no_success_is_reported_naming_the_operation():
    finding = one(operation("get", "'404': {description: Not found}"), "missing-success-response")
    assert finding.message.startswith("no success response on GET /pets: add a 2xx")
    assert finding.severity is Severity.Warning and finding.span.start_line == 5  # the `responses` key
    assert finding.data["add"] == ["200"]


@pytest.mark.parametrize(
    "responses",
    [
        "'200': {description: OK}",
        "2XX: {description: Fine}",  # Spectral #1727, vacuum, IBM: a range counts
        "'302': {description: Elsewhere, headers: {Location: {}}}",  # Spectral #1273: 3xx-only
        "'101': {description: Switching, headers: {Upgrade: {}}}",  # Redocly #1529
        "'404': {description: No}\n'201': {description: Made}",
    ],
)
def test_what_counts_as_success(responses):
    assert "missing-success-response" not in rules(operation("get", responses))


def test_default_counts_only_where_the_profile_says():
    text = operation("get", "default: {description: Anything}")
    assert "missing-success-response" not in rules(text)  # recommended: quiet on a contested point
    assert "missing-success-response" in rules(text, "zalando")
    overridden = {"ruleOptions": {"missing-success-response": {"defaultCounts": True}}}
    assert "missing-success-response" not in rules(text, "zalando", **overridden)


# --- missing-error-response ------------------------------------------------------------------------


SECURED = "security:\n  - key: []\n"


def test_owasp_expects_auth_validation_rate_limit_and_server_errors():
    text = operation("post", "'201': {description: Made}", extra=SECURED).replace(
        "    post:\n", "    post:\n      requestBody: {content: {application/json: {}}}\n"
    )
    found = [f for f in judged(text, "owasp") if f.rule == "missing-error-response"]
    assert [f.data["expected"] for f in found] == ["validation", "auth", "429", "5xx"]
    assert found[1].message.startswith("no 401 though secured on POST /pets: add '401'")


def test_security_none_and_ranges_satisfy_owasp():
    text = operation("get", "'200': {description: OK}\n4XX: {description: Client}\n5XX: {description: Server}", extra=SECURED)
    text = text.replace("    get:\n", "    get:\n      security: []\n")
    assert "missing-error-response" not in rules(text, "owasp")


def test_default_stands_in_for_errors_unless_the_profile_says_not():
    text = operation("get", "'200': {description: OK}\ndefault: {description: Error}")
    assert "missing-error-response" not in rules(text, "zalando")
    assert "missing-error-response" in rules(text, "owasp")  # OWASP wants the codes themselves


def test_microsoft_wants_default():
    text = operation("get", "'200': {description: OK}\n'404': {description: No}")
    found = [f for f in judged(text, "microsoft") if f.rule in ("missing-error-response", "status-not-allowed")]
    assert [f.rule for f in found] == ["missing-error-response", "status-not-allowed"]
    assert "default" in found[0].message and "errors under default" in found[1].message


def test_recommended_is_quiet_about_errors():
    assert "missing-error-response" not in rules(operation("get", "'200': {description: OK}"))


# --- missing-response-header -----------------------------------------------------------------------


def test_a_must_header_is_an_error_and_a_should_header_a_warning():
    text = operation("get", "'200': {description: OK}\n'401': {description: Who?}\n'301': {description: Moved}")
    found = {f.code: f for f in judged(text) if f.rule == "missing-response-header"}
    assert found[401].severity is Severity.Error and "WWW-Authenticate" in found[401].message
    assert found[301].severity is Severity.Warning and "Location" in found[301].message
    assert found[401].data["header"] == "WWW-Authenticate" and found[401].data["required"] is True


def test_declared_headers_count_case_insensitively_and_through_refs():
    text = operation(
        "get",
        "'200': {description: OK}\n'401': {$ref: '#/components/responses/Unauthorised'}\n'405': {description: No, headers: {allow: {}}}",
    )
    text += "components:\n  responses:\n    Unauthorised:\n      description: Who?\n      headers:\n        WWW-Authenticate: {schema: {type: string}}\n"
    assert "missing-response-header" not in rules(text)


def test_user_headers_add_to_the_knowledge_base():
    text = operation("get", "'200': {description: OK}\n'429': {description: Slow down}")
    assert "missing-response-header" not in rules(text)  # Retry-After is a MAY in RFC 9110
    options = {"ruleOptions": {"missing-response-header": {"headers": {"2XX": ["X-RateLimit-Limit"], "429": ["Retry-After"]}}}}
    found = [f for f in judged(text, **options) if f.rule == "missing-response-header"]
    assert sorted(f.data["header"] for f in found) == ["Retry-After", "X-RateLimit-Limit"]
    assert all(f.severity is Severity.Warning for f in found)


# --- method-status-mismatch ------------------------------------------------------------------------


def test_201_on_get_names_the_method_and_the_code():
    finding = one(operation("get", "'201': {description: Created}"), "method-status-mismatch")
    assert finding.message == "201 Created on GET /pets: use 200 (GET creates nothing)"
    assert finding.code == 201


@pytest.mark.parametrize(("method", "code"), [("post", 304), ("put", 206), ("head", 201)])
def test_rfc_mismatches(method, code):
    text = operation(method, f"'200': {{description: OK}}\n'{code}': {{description: Odd}}")
    finding = one(text, "method-status-mismatch")
    assert method.upper() in finding.message and str(code) in finding.message


@pytest.mark.parametrize(("method", "code"), [("post", 201), ("put", 201), ("get", 304), ("delete", 204), ("get", 204)])
def test_fitting_pairs_are_quiet(method, code):
    assert "method-status-mismatch" not in rules(operation(method, f"'{code}': {{description: Fine}}"))


def test_strict_profiles_add_the_guidelines_pairs():
    text = operation("get", "'200': {description: OK}\n'202': {description: Later}\n'409': {description: Clash}")
    assert "method-status-mismatch" not in rules(text)
    found = [f for f in judged(text, "zalando") if f.rule == "method-status-mismatch"]
    # Zally #1399: say "202 should not be used for GET", naming both.
    assert [f.code for f in found] == [202, 409]
    assert found[0].message.startswith("202 Accepted on GET /pets: use 200 (GET should not start a job)")


# --- conflicting-success-responses -----------------------------------------------------------------


def test_202_beside_200_conflicts_under_strict_profiles_only():
    text = operation("post", "'200': {description: Done}\n'202': {description: Later}")
    assert "conflicting-success-responses" not in rules(text)
    finding = one(text, "conflicting-success-responses", "ibm")
    assert finding.message.startswith("202 Accepted beside 200 on POST /pets: keep one")


# --- status-not-allowed ----------------------------------------------------------------------------


def test_ibm_prefers_400_and_303():
    text = operation(
        "post", "'201': {description: Made}\n'422': {description: Invalid}\n'302': {description: There, headers: {Location: {}}}"
    )
    found = {f.code: f for f in judged(text, "ibm") if f.rule == "status-not-allowed"}
    assert found[422].data["instead"] == [400] and "use 400 Bad Request" in found[422].message
    assert found[302].data["instead"] == [303, 307]
    assert "status-not-allowed" not in rules(text)  # recommended: contested, off


def test_zalando_list_knows_422_and_308():
    text = operation(
        "post", "'201': {description: Made}\n'422': {description: Invalid}\n'308': {description: Moved, headers: {Location: {}}}"
    )
    assert "status-not-allowed" not in rules(text, "zalando")
    assert "status-not-allowed" in rules(operation("get", "'200': {description: OK}\n'418': {description: Teapot}"), "zalando")


def test_a_users_allowlist_and_mapping():
    options = {"ruleOptions": {"status-not-allowed": {"allowed": [200, 404], "preferred": {"404": [410]}}}}
    text = operation("get", "'200': {description: OK}\n'404': {description: Gone}\n'500': {description: Oops}")
    found = {
        f.code: f.data["instead"]
        for f in judged(text, rules={"status-not-allowed": "warning"}, **options)
        if f.rule == "status-not-allowed"
    }
    assert found == {404: [410], 500: []}


# --- description-mismatch --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "description", "other"),
    [(201, "OK", 200), (403, "Unauthorized", 401), (422, "Bad Request", 400), (401, "Forbidden", 403), (200, "Created.", 201)],
)
def test_another_codes_phrase(code, description, other):
    finding = one(operation("post", f"'{code}':\n  description: {description}"), "description-mismatch")
    assert f"{other}'s" in finding.message and finding.data["replacement"]
    line = finding.span.start_line
    assert operation("post", f"'{code}':\n  description: {description}").splitlines()[line].endswith(description)


@pytest.mark.parametrize(
    ("code", "description"), [(200, "OK"), (422, "Unprocessable Entity"), (413, "Payload Too Large"), (201, "The pet")]
)
def test_own_phrases_and_prose_are_quiet(code, description):
    assert "description-mismatch" not in rules(operation("post", f"'{code}':\n  description: {description}"))


# --- body-not-allowed, extended ----------------------------------------------------------------------


def test_a_head_operation_has_no_body():
    text = operation("head", "'200':\n  description: OK\n  content:\n    application/json: {}")
    finding = one(text, "body-not-allowed")
    assert "HEAD" in finding.message and "remove `content`" in finding.message


def test_205_and_a_body_through_a_ref():
    text = operation("post", "'205': {description: Reset, content: {a/b: {}}}\n'204': {$ref: '#/components/responses/Empty'}")
    text += "components:\n  responses:\n    Empty:\n      description: Nothing\n      content:\n        application/json: {}\n"
    found = [f for f in judged(text) if f.rule == "body-not-allowed"]
    assert sorted(f.code for f in found) == [204, 205]
    assert any("through its $ref" in f.message for f in found)


# --- unregistered runs ------------------------------------------------------------------------------


AWS = "\n".join(
    f"'{code}': {{description: {name}}}"
    for code, name in zip(
        range(480, 486), ["CNAMEAlreadyExists", "NoSuchOrigin", "TooMany", "Bad", "Worse", "Worst"], strict=True
    )
)


def test_a_run_of_unregistered_codes_is_one_finding():
    text = operation("post", "'200': {description: OK}\n" + AWS)
    found = [f for f in judged(text) if f.rule == "unassigned-code"]
    assert len(found) == 1 and found[0].message.startswith("480-485 are unregistered (6 in a row)")
    assert found[0].data["run"] == list(range(480, 486))


def test_a_description_contradicting_the_vendor_story_drops_it():
    text = operation("post", "'200': {description: OK}\n'494': {description: InvalidErrorCode}")
    finding = one(text, "unofficial-code")
    assert finding.message == "494 is unregistered: use a registered 4xx code"
    agreeing = operation("post", "'200': {description: OK}\n'494': {description: Request header too large}")
    assert "nginx" in one(agreeing, "unofficial-code").message


# --- settings and formats ----------------------------------------------------------------------------


def test_rules_override_the_profile():
    text = operation("get", "'404': {description: No}")
    assert "missing-success-response" not in rules(text, "zalando", rules={"missing-success-response": "off"})
    (finding,) = [
        f for f in judged(text, "owasp", rules={"missing-success-response": "error"}) if f.rule == "missing-success-response"
    ]
    assert finding.severity is Severity.Error


def test_json_and_swagger_2():
    text = json.dumps(yaml.safe_load(operation("get", "'201': {description: OK}\n'401': {description: Who}")))
    assert sorted(f.rule for f in judged(text, language="json") if f.rule in NEW_RULES) == [
        "description-mismatch",
        "method-status-mismatch",
        "missing-response-header",
    ]
    swagger = "swagger: '2.0'\npaths:\n  /a:\n    head:\n      responses:\n        200:\n          description: OK\n          schema: {type: string}\n"
    assert [f.rule for f in judged(swagger) if f.rule == "body-not-allowed"] == ["body-not-allowed"]


def test_without_the_text_the_rules_stay_silent():
    text = operation("get", "'404': {description: No}")
    analysis = analyse("api.yaml", None, text, 1)
    assert not [f for f in findings(analysis) if f.rule in NEW_RULES]
    assert [f.rule for f in findings(analysis, text=text)] == ["missing-success-response"]


# --- rules switched off ------------------------------------------------------------------------------


def test_every_profile_sets_every_response_set_rule_of_the_rules_table() -> None:
    from http_status_ls.kb.profiles import PROFILES
    from http_status_ls.kb.rules import RULE_IDS

    assert NEW_RULES <= set(RULE_IDS)
    assert all(set(profile.severities) == NEW_RULES for profile in PROFILES.values())


def test_a_rule_switched_off_reports_nothing_and_the_others_still_do() -> None:
    text = operation("get", "'201':\n  description: OK\n'401':\n  description: Unauthorized\n")
    both = rules(text)
    assert "method-status-mismatch" in both and "missing-response-header" in both
    assert rules(text, rules={"method-status-mismatch": "off"}) == [rule for rule in both if rule != "method-status-mismatch"]
