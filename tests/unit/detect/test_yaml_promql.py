"""The PromQL reader of Prometheus rules (`detect.yaml_promql`) alone, and through the YAML detector:
only a rule's ``expr`` is read, and only its status labels and ``*status_code`` comparisons."""

from __future__ import annotations

import textwrap

import pytest

from http_status_ls.core.occurrences import Role
from http_status_ls.detect.yaml import detect_yaml
from http_status_ls.detect.yaml_promql import promql_codes
from tests.support.text_spans import span_of

BOUND, READS = Role.BOUND, Role.READS


def codes(text: str) -> list[tuple[str, Role | None]]:
    return [(text[start:end], role) for start, end, role in promql_codes(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('sum(rate(api_requests_total{code="502"}[10m])) > 2', [("502", None)]),
        ('increase(web_hits_total{path="/cart", status!="200"}[1h]) > 40', [("200", None)]),
        ("rate(istio_requests_total{response_code='429'}[5m])", [("429", None)]),
        ('count(x{status_code="404"}) + count(x{http_status="410"})', [("404", None), ("410", None)]),
        ("probe_http_status_code != 200", [("200", None)]),
        ('probe_http_status_code{instance="shop"} >= 500', [("500", BOUND)]),
        ("probe_http_status_code > 399 or probe_http_status_code == bool 301", [("399", BOUND), ("301", None)]),
        ("probe_http_status_code >= 404", [("404", READS)]),
        ('increase(web_hits_total{status="404"}[15m]) > 500', [("404", None)]),  # 500 counts hits
    ],
)
def test_status_labels_and_status_code_comparisons(text, expected):
    assert codes(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        'sum(rate(api_requests_total{code=~"5.."}[5m])) > 0.05',  # a pattern, not a code
        "increase(web_hits_total[15m]) > 500",  # the threshold is a count
        'histogram_quantile(0.99, rate(latency_bucket{le="300"}[5m])) > 0.3',
        'up{job="api", port="443"} == 0',
        "probe_http_status_code < 600",  # no status
        'node_load1{code="5000"} > 1',
        "http_response_size_bytes > 200",
        'sum by (code) (rate(x_total{code="ok"}[5m]))',
        "max(probe_http_status_code) < 300",  # compared through a call: not read
    ],
)
def test_thresholds_and_other_labels_stay_silent(text):
    assert codes(text) == []


RULES = textwrap.dedent(
    """\
    groups:
      - name: shop
        rules:
          - alert: BackendGone
            expr: sum(rate(api_requests_total{code="503"}[5m])) > 3
            for: 5m
            labels: {severity: page, priority: "200"}
          - alert: ProbeFailing
            expr: >-
              probe_http_status_code{job="blackbox"} >= 500
              or probe_http_status_code != 200
            annotations:
              summary: "more than 500 failures"
          - record: job:errors:rate5m
            expr: |
              sum by (job) (rate(api_requests_total{status="404"}[5m])) > 100
    """
)


def test_rule_expressions_in_a_rules_file():
    found = [(o.span.start_line, o.text, o.code, o.role) for o in detect_yaml(RULES).occurrences]
    assert found == [
        (4, "503", 503, READS),
        (9, "500", 500, BOUND),
        (10, "200", 200, READS),
        (15, "404", 404, READS),
    ]
    occurrences = detect_yaml(RULES).occurrences
    assert occurrences[1].span == span_of(RULES, "500") and not occurrences[1].confident  # a class edge
    assert occurrences[3].span == span_of(RULES, "404")


@pytest.mark.parametrize(
    "text",
    [
        # `expr` outside a rule: nothing says it is PromQL.
        'settings:\n  expr: probe_http_status_code != 200\n  filter: x{code="404"}\n',
        # A rule group's other keys are not read.
        'groups:\n  - rules:\n      - alert: A\n        annotations: {query: "x{code=\\"503\\"}"}\n',
    ],
)
def test_promql_elsewhere_stays_silent(text):
    assert detect_yaml(text).occurrences == ()
