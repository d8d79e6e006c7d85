"""More configuration keys of issue 12 (second round): ingress-nginx's redirect and rate-limit codes
and upstream conditions, Kong's rate-limiting `error_code`, Envoy's `{start, end}` status ranges,
Envoy Gateway's `expectedStatuses`, Traefik's `"500-599"` ranges, health checks (AWS target groups,
Cloudflare and OpenStack monitors); each beside numbers that must stay silent. Every text is written
for these tests."""

from __future__ import annotations

import pytest

from http_status_ls.core.occurrences import Role
from http_status_ls.detect.json import detect_json
from http_status_ls.detect.openapi import codes_in_value, upstream_codes
from http_status_ls.detect.yaml import detect_yaml
from tests.support.text_spans import span_of
from tests.unit.detect.test_yaml_configs import doc, found

BOUND, READS, SENDS, UNKNOWN = Role.BOUND, Role.READS, Role.SENDS, Role.UNKNOWN


INGRESS = doc(
    """
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata:
      name: catalogue
      annotations:
        nginx.ingress.kubernetes.io/permanent-redirect: https://shop.example.test/catalogue
        nginx.ingress.kubernetes.io/permanent-redirect-code: "308"
        nginx.ingress.kubernetes.io/temporal-redirect-code: "307"
        nginx.ingress.kubernetes.io/proxy-next-upstream: "error timeout http_502 http_503"
        nginx.ingress.kubernetes.io/proxy-next-upstream-tries: "3"
        nginx.ingress.kubernetes.io/limit-rps: "200"
        nginx.ingress.kubernetes.io/proxy-read-timeout: "300"
    ---
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: ingress-nginx-controller
    data:
      http-redirect-code: "301"
      limit-req-status-code: "429"
      limit-conn-status-code: "503"
      global-rate-limit-status-code: "429"
      proxy-next-upstream: error http_404 non_idempotent
      upstream-keepalive-connections: "320"
      client-body-buffer-size: "512"
    """
)


def test_ingress_nginx_redirect_and_limit_codes_are_sent_upstream_codes_read():
    assert found(INGRESS) == [
        (6, '"308"', 308, SENDS),
        (7, '"307"', 307, SENDS),
        (8, "502", 502, READS),
        (8, "503", 503, READS),
        (18, '"301"', 301, SENDS),
        (19, '"429"', 429, SENDS),
        (20, '"503"', 503, SENDS),
        (21, '"429"', 429, SENDS),
        (22, "404", 404, READS),
    ]
    assert detect_yaml(INGRESS).occurrences[2].span == span_of(INGRESS, "502")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("error timeout http_502 http_503", ["502", "503"]),
        ("http_500  invalid_header\thttp_429", ["500", "429"]),
        ("error timeout", []),
        ("error http_502 retry_later", []),  # not nginx's vocabulary: not this key's value
        ("http_5xx", []),
        ("http_2000", []),
    ],
)
def test_upstream_conditions(value, expected):
    assert [value[start:end] for start, end, _ in upstream_codes(value)] == expected


def test_codes_in_a_value_by_shape():
    assert codes_in_value("status", "404") == []  # a bare code is read whole
    assert [r for _, _, r in codes_in_value("status", "500-599")] == [BOUND, BOUND]
    assert codes_in_value("status_code", "200,204") == [(0, 3, None), (4, 7, None)]
    assert codes_in_value("status", "2024-05-01") == []


KONG = doc(
    """
    _format_version: "3.0"
    plugins:
      - config:
          error_code: 429
          error_message: slow down
          minute: 300
        enabled: true
        name: rate-limiting
      - name: rate-limiting-advanced
        config:
          limit: [500]
          window_size: [60]
          error_code: "503"
      - name: key-auth
        config:
          error_code: 401
      - config:
          error_code: 500
        name: billing-errors
    app:
      config:
        error_code: 404
      name: rate-limiting-dashboard
    ---
    apiVersion: configuration.konghq.com/v1
    kind: KongPlugin
    metadata:
      name: per-minute
    config:
      minute: 5
      error_code: 429
    plugin: rate-limiting
    """
)


def test_kong_error_code_only_in_a_rate_limiting_plugin():
    assert found(KONG) == [
        (3, "429", 429, SENDS),
        (12, '"503"', 503, SENDS),
        (30, "429", 429, SENDS),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "plugins:\n  - name: rate-limiting\n  - config:\n      error_code: 418\n",  # the name is the previous item's
        "x: {name: rate-limiting, config: {error_code: 429}}\n",  # flow style: not read
        "config:\n  error_code: 503\n",  # no plugin named at all
        "errors:\n  error_code: 404\n",
    ],
)
def test_error_code_elsewhere_stays_silent(text):
    assert detect_yaml(text).occurrences == ()


ENVOY = doc(
    """
    clusters:
      - name: inventory
        connect_timeout: 0.25s
        health_checks:
          - timeout: 1s
            interval: 5s
            unhealthy_threshold: 3
            http_health_check:
              path: /healthz
              expected_statuses:
                - start: 200
                  end: 300
                - {start: 404, end: 405}
              retriable_statuses: [{start: 500, end: 600}]
    ---
    apiVersion: gateway.envoyproxy.io/v1alpha1
    kind: BackendTrafficPolicy
    spec:
      healthCheck:
        active:
          type: HTTP
          http:
            path: /ready
            expectedStatuses: [200, 204]
    """
)


def test_envoy_status_ranges_and_envoy_gateway_expected_statuses():
    assert found(ENVOY) == [
        (10, "200", 200, BOUND),
        (11, "300", 300, BOUND),  # `end` is exclusive: the 3xx class edge
        (12, "404", 404, READS),
        (12, "405", 405, READS),
        (13, "500", 500, BOUND),  # `end: 600` is no status
        (23, "200", 200, READS),
        (23, "204", 204, READS),
    ]
    assert not detect_yaml(ENVOY).occurrences[0].confident  # no inlay hint names a class edge as a code


@pytest.mark.parametrize(
    "text",
    [
        # `start` and `end` elsewhere: ports, lines, times.
        "port_range:\n  start: 300\n  end: 400\nlines: [{start: 100, end: 200}]\n",
        "retry:\n  start: 200\n",
        "expected_statuses:\n  - start: 99\n    end: 600\n",
    ],
)
def test_range_edges_elsewhere_stay_silent(text):
    assert detect_yaml(text).occurrences == ()


TRAEFIK = doc(
    """
    http:
      middlewares:
        friendly-errors:
          errors:
            status:
              - "404"
              - "500-599"
              - "505-599"
              - "599-500"
            service: error-pages
            query: "/{status}.html"
    """
)


def test_traefik_status_ranges():
    assert found(TRAEFIK) == [
        (5, '"404"', 404, UNKNOWN),
        (6, "500", 500, BOUND),
        (6, "599", 599, BOUND),
        (7, "505", 505, READS),
        (7, "599", 599, BOUND),
    ]
    assert detect_yaml(TRAEFIK).occurrences[1].span == span_of(TRAEFIK, "500")


HEALTH_CHECKS = doc(
    """
    Resources:
      ShopTargetGroup:
        Type: AWS::ElasticLoadBalancingV2::TargetGroup
        Properties:
          Port: 8080
          HealthCheckTimeoutSeconds: 5
          Matcher:
            HttpCode: 200-299
      AdminTargetGroup:
        Properties:
          Matcher: {HttpCode: "200,302"}
          HttpCode: 404
    monitors:
      - type: https
        expected_codes: "200"
        port: 443
      - expected_codes: "200-204"
        http_expected_status: 204
        interval: 300
    """
)


def test_health_check_codes_are_read():
    assert found(HEALTH_CHECKS) == [
        (7, "200", 200, BOUND),
        (7, "299", 299, BOUND),
        (10, "200", 200, READS),
        (10, "302", 302, READS),
        (14, '"200"', 200, READS),
        (16, "200", 200, BOUND),
        (16, "204", 204, READS),
        (17, "204", 204, READS),
    ]


def test_json_reads_ranges_upstream_conditions_and_the_new_keys():
    text = (
        '{"errors": {"status": ["500-599"]}, "limit-req-status-code": "429",\n'
        ' "proxy-next-upstream": "error http_503", "proxy-read-timeout": "300"}\n'
    )
    occurrences = detect_json(text).occurrences
    assert [(o.text, o.code, o.role) for o in occurrences] == [
        ("500", 500, BOUND),
        ("599", 599, BOUND),
        ('"429"', 429, SENDS),
        ("503", 503, READS),
    ]
    assert occurrences[3].span == span_of(text, "503")
