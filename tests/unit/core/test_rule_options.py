"""The ``profile`` and ``ruleOptions`` settings: read, validated, layered onto the severity table."""

from __future__ import annotations

import pickle

import pytest

from http_status_ls.core.settings import DEFAULTS, SeverityTable, parse
from http_status_ls.kb.profiles import PROFILES
from http_status_ls.kb.rules import SEVERITY, Severity


def test_the_default_profile_is_recommended():
    table = DEFAULTS.severity_table(SEVERITY)
    assert isinstance(table, SeverityTable) and table.options == PROFILES["recommended"].options
    assert table["missing-error-response"] is None and table["missing-success-response"] is Severity.Warning


@pytest.mark.parametrize("profile", list(PROFILES))
def test_each_profile_sets_its_severities_and_options(profile):
    settings, messages = parse({"profile": profile})
    assert messages == [] and settings.profile == profile
    table = settings.severity_table(SEVERITY)
    assert table.options == PROFILES[profile].options
    for rule, level in PROFILES[profile].severities.items():
        assert table[rule] == level
    assert table["unofficial-code"] is Severity.Warning  # the other rules keep their defaults


def test_rules_win_over_the_profile():
    settings, _ = parse({"profile": "owasp", "rules": {"missing-error-response": "off", "status-not-allowed": "hint"}})
    table = settings.severity_table(SEVERITY)
    assert table["missing-error-response"] is None and table["status-not-allowed"] == Severity.Hint


def test_rule_options_layer_onto_the_profile():
    payload = {
        "profile": "ibm",
        "rule-options": {
            "missing-error-response": {"expect": ["4xx", "auth"], "default_counts": False},
            "missing-response-header": {"headers": {"2XX": "X-RateLimit-Limit"}},
            "status-not-allowed": {"allowed": ["200", 404], "preferred": {"422": 400}},
            "method-status-mismatch": {"fit": "rfc"},
            "conflicting-success-responses": {"pairs": ["101"]},
        },
    }
    settings, messages = parse(payload)
    assert messages == []
    options = settings.severity_table(SEVERITY).options
    assert options.expected_errors == ("4xx", "auth") and options.default_counts_as_error is False
    assert options.extra_headers == {"2XX": ("X-RateLimit-Limit",)}
    assert options.allowed_codes == frozenset({200, 404}) and options.preferred_codes == {422: (400,)}
    assert (options.method_fit, options.conflicts) == ("rfc", ("101",))
    assert options.default_counts_as_success is False  # the profile's, untouched


def test_layers_merge_option_by_option():
    base, _ = parse({"ruleOptions": {"missing-error-response": {"expect": ["5xx"]}}})
    settings, _ = parse({"ruleOptions": {"missing-error-response": {"defaultCounts": False}}}, base=base)
    options = settings.severity_table(SEVERITY).options
    assert options.expected_errors == ("5xx",) and options.default_counts_as_error is False


@pytest.mark.parametrize(
    ("payload", "complaint"),
    [
        (
            {"profile": "google"},
            "httpStatus.profile: 'google' is not a profile (known: recommended, zalando, ibm, microsoft, owasp)",
        ),
        ({"ruleOptions": []}, "httpStatus.ruleOptions: expected a table"),
        ({"ruleOptions": {"unofficial-code": {}}}, "httpStatus.ruleOptions.unofficial-code: no options for this rule"),
        ({"ruleOptions": {"missing-error-response": {"expect": ["teapots"]}}}, "expect: expected a list of any, 4xx"),
        ({"ruleOptions": {"missing-error-response": {"loudly": True}}}, "loudly: unknown option (known: expect, defaultCounts)"),
        ({"ruleOptions": {"missing-success-response": {"defaultCounts": "yes"}}}, "expected true or false, got 'yes'"),
        ({"ruleOptions": {"status-not-allowed": {"allowed": [200, 700]}}}, "700 is not a status code (100-599)"),
        ({"ruleOptions": {"missing-response-header": {"headers": {"2xx": ["A"]}}}}, "headers.2xx: not a response key"),
        ({"ruleOptions": {"method-status-mismatch": {"fit": "loose"}}}, "fit: expected one of rfc, strict, got 'loose'"),
    ],
)
def test_bad_values_are_reported_and_defaults_used(payload, complaint):
    settings, messages = parse(payload)
    assert len(messages) == 1 and complaint in messages[0] and messages[0].endswith("using the default")
    assert settings.severity_table(SEVERITY).options == PROFILES["recommended"].options


def test_the_table_travels_to_check_workers():
    settings, _ = parse({"profile": "owasp", "ruleOptions": {"status-not-allowed": {"preferred": {"422": [400]}}}})
    table = settings.severity_table(SEVERITY)
    copy = pickle.loads(pickle.dumps((settings, table)))
    assert copy[1].options == table.options and copy[0] == settings
