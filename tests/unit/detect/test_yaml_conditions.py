"""The pure readers of codes inside one scalar: Ansible conditions (`detect.yaml_conditions`),
comma-separated lists and ranges under a status key (`detect.openapi.list_codes`, `range_codes`)."""

from __future__ import annotations

import pytest

from http_status_ls.core.occurrences import Role
from http_status_ls.detect.openapi import (
    list_codes,
    normalise_key,
    ordering_role,
    range_codes,
    status_key_in_context,
    status_key_role,
)
from http_status_ls.detect.yaml_conditions import condition_codes


def codes(text: str) -> list[str]:
    return [text[start:end] for start, end, _ in condition_codes(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("login.status == 200", ["200"]),
        ("login.status != 204", ["204"]),
        ("probe.status in [200, 201, 204]", ["200", "201", "204"]),
        ("probe.status not in (200, 202,)", ["200", "202"]),
        ("probe.status not  in [200]", ["200"]),
        ("reply['status'] == 409", ["409"]),
        ('reply["status_code"] != 500', ["500"]),
        ("out.json.status_code == 422", ["422"]),
        ("item.status|int == 201", ["201"]),
        ("item.status | string == '201'", ["201"]),
        ("303 == hop.status", ["303"]),
        ("'{{ hop.status }}' != '200'", ["200"]),
        ('"{{ hop.status == 202 }}"', ["202"]),
        ("a.status == 200 and b.rc == 0 or c.status in [404, 410]", ["200", "404", "410"]),
        ("created.status == 201\n  and created.json.id is defined", ["201"]),
        ("results[0].status == 200", ["200"]),
    ],
)
def test_conditions_on_a_registered_status(text, expected):
    assert codes(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "status == 200",  # a bare variable: not a registered result
        "api.rc == 404",
        "api.status < 600",  # an ordering comparison with no status in it
        "api.status >= 1000",
        "api.statuses == 200",
        "api.status.value == 200",
        "api.status == 2000",
        "api.status == 20",
        "api.status == 200.5",
        "api.status in [200, expected]",  # not a list of codes alone
        "api.status in range(200, 300)",
        "ansible_port == 443",
        "smtp_reply.code == 250",
        "404",
        "api.status is defined and api.elapsed > 300",
    ],
)
def test_other_jinja_stays_silent(text):
    assert codes(text) == []


def test_offsets_point_into_the_written_text():
    text = '"r.status not in [200,\n  204]"'
    first, second = text.index("200"), text.index("204")
    assert condition_codes(text) == [(first, first + 3, None), (second, second + 3, None)]


BOUND = Role.BOUND


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ready.status >= 500", [("500", BOUND)]),
        ("ready.status > 399", [("399", BOUND)]),
        ("ready.status|int < 300", [("300", BOUND)]),
        ("200 <= r.status < 300", [("200", BOUND), ("300", BOUND)]),
        ("r.status >= 404", [("404", Role.READS)]),  # not a class edge: a code read, as in Python
        ("r.status <= 599 and r.status == 204", [("599", BOUND), ("204", None)]),
        ("'{{ r.status }}' >= '500'", [("500", BOUND)]),
        ("a.status >= 500 == b.status", [("500", BOUND)]),  # found twice, listed once
    ],
)
def test_ordering_comparisons_name_class_edges(text, expected):
    assert [(text[start:end], role) for start, end, role in condition_codes(text)] == expected


@pytest.mark.parametrize(
    "text",
    ["r.status < 600", "r.status > 99", "r.status >= 5000", "r.elapsed >= 500", "r.rc > 200", "attempts.status_count >= 300"],
)
def test_ordering_comparisons_outside_statuses_stay_silent(text):
    assert condition_codes(text) == []


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("custom-http-errors", "404,503", ["404", "503"]),
        ("nginx.ingress.kubernetes.io/custom-http-errors", "413, 502 ,503,", ["413", "502", "503"]),
        ("status_code", "200,201", ["200", "201"]),
        ("retryOn", "gateway-error,connect-failure,503", ["503"]),
        ("retryOn", "5xx,reset", []),
        ("status_code", "200,ok", []),
        ("status_code", "200", []),  # one code is read whole, not as a list
        ("status_code", "200,,201", []),
        ("status_code", "1,2", []),
    ],
)
def test_comma_separated_codes(key, value, expected):
    assert [value[start:end] for start, end in list_codes(key, value)] == expected


def test_annotation_prefixes_are_dropped_from_keys():
    assert normalise_key("nginx.ingress.kubernetes.io/custom-http-errors") == "customhttperrors"
    assert normalise_key("/api/status") == "/api/status"
    assert normalise_key("Status_Code") == "statuscode"


def test_keys_that_count_only_in_context():
    assert status_key_in_context("codes", "retry") == "codes"
    assert status_key_in_context("codes", "errors") is None
    assert status_key_in_context("codes", None) is None
    assert status_key_in_context("failed_when", None) == "failed_when"
    assert status_key_in_context("end", "expected_statuses") == "end"
    assert status_key_in_context("start", "retriableStatuses") == "start"
    assert status_key_in_context("end", "window") is None
    assert status_key_in_context("expr", "rules") == "expr"
    assert status_key_in_context("expr", "spec") is None
    assert status_key_in_context("expr", None) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("500-599", [("500", BOUND), ("599", BOUND)]),
        ("505-599", [("505", Role.READS), ("599", BOUND)]),
        ("400 - 404", [("400", BOUND), ("404", Role.READS)]),
        ("599-500", []),  # backwards: not a range of codes
        ("500-600", []),
        ("2020-01", []),
        ("500-599-600", []),
    ],
)
def test_ranges_of_codes(value, expected):
    assert [(value[start:end], role) for start, end, role in range_codes(value)] == expected


@pytest.mark.parametrize(("code", "role"), [(500, BOUND), (499, BOUND), (100, BOUND), (404, Role.READS), (600, None), (99, None)])
def test_ordering_role(code, role):
    assert ordering_role(code) is role


@pytest.mark.parametrize(
    ("key", "role"),
    [
        ("https_redirect_status_code", Role.SENDS),
        ("nginx.ingress.kubernetes.io/custom-http-errors", Role.READS),
        ("codes", Role.READS),
        ("until", Role.READS),
        ("changed_when", Role.READS),
        ("retryOn", Role.READS),
        ("expr", Role.READS),
        ("nginx.ingress.kubernetes.io/permanent-redirect-code", Role.SENDS),
        ("temporal-redirect-code", Role.SENDS),
        ("http-redirect-code", Role.SENDS),
        ("limit-req-status-code", Role.SENDS),
        ("limit-conn-status-code", Role.SENDS),
        ("global-rate-limit-status-code", Role.SENDS),
        ("expectedStatuses", Role.READS),
        ("status_code", Role.UNKNOWN),
    ],
)
def test_roles_of_the_new_keys(key, role):
    assert status_key_role(key) is role
