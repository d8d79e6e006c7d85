"""Status codes in real kinds of YAML configuration (issue 12): Ansible playbooks, Kong decK files,
Gateway API routes, ingress-nginx, Istio, Tavern, the blackbox exporter; and the numbers in them that
are not statuses (ports, weights, timeouts, SMTP replies, JSON-schema bounds, Envoy settings).

Each text is written for these tests; each expectation lists (line, token, code, role) of every
occurrence, so a code found where none should be fails as surely as one missed."""

from __future__ import annotations

import textwrap

import pytest

from http_status_ls.core.occurrences import Kind, Role, Span
from http_status_ls.detect.json import detect_json
from http_status_ls.detect.yaml import detect_yaml
from tests.support.text_spans import span_of

READS, SENDS, UNKNOWN = Role.READS, Role.SENDS, Role.UNKNOWN


def doc(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def found(text: str) -> list[tuple[int, str, int | None, Role]]:
    """(0-based line, token as written, code, role) of every occurrence."""
    return [(o.span.start_line, o.text, o.code, o.role) for o in detect_yaml(text).occurrences]


ANSIBLE = doc(
    """
    - name: Publish the release
      hosts: api
      gather_facts: false
      tasks:
        - name: Create the release record
          ansible.builtin.uri:
            url: "https://{{ api_host }}:8443/v2/releases"
            method: POST
            body_format: json
            body: {name: "{{ release }}", replicas: 3}
            status_code: [200, 201]
            timeout: 300
          register: created
          changed_when: created.status == 201
          failed_when: created.status not in [200, 201]

        - name: Wait until the release is served
          uri:
            url: "https://{{ api_host }}/v2/releases/{{ release }}"
            status_code: 200,204
          register: probe
          until: probe.status == 204
          retries: 30
          delay: 10

        - name: Report a missing page
          debug:
            msg: "the page is gone"
          when:
            - probe.status is defined
            - probe['status'] != 200
            - 410 == probe.status

        - name: Look at the job
          command: /usr/local/bin/release-job --port 8443
          register: job
          failed_when: >-
            job.rc != 0 or
            job.stdout_lines | length > 500
          until: job.rc == 0

        - name: Ordering comparisons name class edges
          debug: {msg: broken}
          when: probe.status >= 400 or probe.status < 600
    """
)


def test_ansible_playbook():
    assert found(ANSIBLE) == [
        (10, "200", 200, UNKNOWN),
        (10, "201", 201, UNKNOWN),
        (13, "201", 201, READS),
        (14, "200", 200, READS),
        (14, "201", 201, READS),
        (19, "200", 200, UNKNOWN),
        (19, "204", 204, UNKNOWN),
        (21, "204", 204, READS),
        (30, "200", 200, READS),
        (31, "410", 410, READS),
        (43, "400", 400, Role.BOUND),  # `< 600` is no status
    ]


def test_codes_inside_a_scalar_have_their_own_spans():
    text = 'wait:\n  until: "probe.status in [200,\n    204]"\n'
    first, second = detect_yaml(text).occurrences
    assert first.span == span_of(text, "200") and first.text == "200" and first.value == "200"
    assert second.span == Span(2, 4, 2, 7) and second.text == "204" and second.context == "until"
    assert first.kind is Kind.YAML_VALUE and not first.quoted


KONG_DECK = doc(
    """
    _format_version: "3.0"
    services:
      - name: billing
        host: billing.internal
        port: 8080
        retries: 5
        connect_timeout: 60000
        routes:
          - name: billing-https
            paths: [/billing]
            protocols: [https]
            https_redirect_status_code: 301
            regex_priority: 200
        plugins:
          - name: request-termination
            config:
              status_code: 503
              message: down for maintenance
          - name: proxy-cache
            config:
              response_code: [200, 301, 404]
              cache_ttl: 300
          - name: rate-limiting
            config:
              minute: 100
              error_code: 429
    upstreams:
      - name: billing.internal
        healthchecks:
          active:
            healthy:
              http_statuses: [200, 302]
              interval: 5
            unhealthy:
              http_statuses: [429, 500, 503]
              tcp_failures: 3
        targets:
          - target: 10.0.0.7:8080
            weight: 100
    """
)


def test_kong_deck_file():
    assert found(KONG_DECK) == [
        (11, "301", 301, SENDS),
        (16, "503", 503, UNKNOWN),
        (20, "200", 200, UNKNOWN),
        (20, "301", 301, UNKNOWN),
        (20, "404", 404, UNKNOWN),
        (25, "429", 429, SENDS),  # rate-limiting's `error_code`: what Kong answers over the limit
        (31, "200", 200, UNKNOWN),
        (31, "302", 302, UNKNOWN),
        (34, "429", 429, UNKNOWN),
        (34, "500", 500, UNKNOWN),
        (34, "503", 503, UNKNOWN),
    ]


HTTP_ROUTE = doc(
    """
    apiVersion: gateway.networking.k8s.io/v1
    kind: HTTPRoute
    metadata:
      name: checkout
    spec:
      parentRefs:
        - name: public-gateway
          sectionName: https
      rules:
        - matches:
            - path: {type: PathPrefix, value: /checkout}
          backendRefs:
            - name: checkout
              port: 8080
              weight: 100
          retry:
            codes:
              - 503
              - 429
            attempts: 2
            backoff: 100ms
          timeouts:
            request: 500ms
        - filters:
            - type: RequestRedirect
              requestRedirect:
                scheme: https
                statusCode: 301
    ---
    apiVersion: v1
    kind: ConfigMap
    data:
      codes: "404"
      errors:
        codes: [500, 502]
    """
)


def test_gateway_api_route_retry_codes_and_redirect():
    assert found(HTTP_ROUTE) == [
        (17, "503", 503, READS),
        (18, "429", 429, READS),
        (27, "301", 301, UNKNOWN),
    ]


INGRESS = doc(
    """
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata:
      name: storefront
      annotations:
        nginx.ingress.kubernetes.io/custom-http-errors: "404,503"
        nginx.ingress.kubernetes.io/default-backend: error-pages
        nginx.ingress.kubernetes.io/limit-rpm: "600"
        nginx.ingress.kubernetes.io/proxy-body-size: 100m
    spec:
      ingressClassName: nginx
      rules:
        - host: shop.example.test
          http:
            paths:
              - path: /
                pathType: Prefix
                backend:
                  service: {name: storefront, port: {number: 443}}
    ---
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: ingress-nginx-controller
    data:
      custom-http-errors: 413,502,503,504
      proxy-read-timeout: "120"
      worker-processes: "4"
    """
)


def test_ingress_nginx_comma_separated_errors():
    assert found(INGRESS) == [
        (5, "404", 404, READS),
        (5, "503", 503, READS),
        (25, "413", 413, READS),
        (25, "502", 502, READS),
        (25, "503", 503, READS),
        (25, "504", 504, READS),
    ]


def test_comma_separated_spans_are_inside_the_string():
    text = 'annotations:\n  nginx.ingress.kubernetes.io/custom-http-errors: "404, 503"\n'
    first, second = detect_yaml(text).occurrences
    assert first.span == Span(1, 51, 1, 54) == span_of(text, "404")
    assert second.span == Span(1, 56, 1, 59) == span_of(text, "503")


ISTIO = doc(
    """
    apiVersion: networking.istio.io/v1
    kind: VirtualService
    metadata:
      name: ratings
    spec:
      hosts: [ratings]
      http:
        - route:
            - destination: {host: ratings, port: {number: 9080}}
              weight: 100
          retries:
            attempts: 3
            perTryTimeout: 2s
            retryOn: gateway-error,connect-failure,409
          fault:
            abort:
              httpStatus: 500
              percentage: {value: 10}
        - route:
            - destination: {host: ratings-v2}
          retries:
            retryOn: 5xx,reset
    """
)


def test_istio_retry_conditions_and_fault():
    assert found(ISTIO) == [
        (13, "409", 409, READS),
        (16, "500", 500, UNKNOWN),
    ]


TAVERN = doc(
    """
    test_name: Orders can be created and fetched
    stages:
      - name: create an order
        request:
          url: "{host}/orders"
          method: POST
          json: {sku: A-100, quantity: 200}
        response:
          status_code: 201
          json:
            code: 404
          save:
            json: {order_id: id}
      - name: fetch it, allowing a redirect
        max_retries: 3
        delay_after: 500
        request:
          url: "{host}/orders/{order_id}"
        response:
          status_code:
            - 200
            - 308
    """
)


def test_tavern_test():
    assert found(TAVERN) == [
        (8, "201", 201, UNKNOWN),
        (20, "200", 200, UNKNOWN),
        (21, "308", 308, UNKNOWN),
    ]


BLACKBOX = doc(
    """
    modules:
      http_2xx:
        prober: http
        timeout: 5s
        http:
          valid_status_codes: [200, 301, 302]
          method: GET
          preferred_ip_protocol: ip4
      smtp_starttls:
        prober: tcp
        timeout: 5s
        tcp:
          query_response:
            - expect: "^220 ([^ ]+) ESMTP (.+)$"
            - send: "EHLO prober\\r"
            - expect: "^250-STARTTLS"
            - send: "STARTTLS\\r"
            - expect: "^220"
            - starttls: true
    """
)


def test_blackbox_exporter_http_codes_and_a_silent_smtp_module():
    assert found(BLACKBOX) == [
        (5, "200", 200, READS),
        (5, "301", 301, READS),
        (5, "302", 302, READS),
    ]


@pytest.mark.parametrize(
    "text",
    [
        # A JSON schema written in YAML: bounds, not codes.
        doc(
            """
            $schema: "https://json-schema.org/draft/2020-12/schema"
            type: object
            properties:
              status:
                type: integer
                minimum: 100
                maximum: 599
                default: 200
              codes:
                type: array
                items: {type: integer, maximum: 599}
            """
        ),
        # Envoy: ports, timeouts, buffer sizes, and a retry policy without codes.
        doc(
            """
            static_resources:
              listeners:
                - address: {socket_address: {address: 0.0.0.0, port_value: 10000}}
                  per_connection_buffer_limit_bytes: 32768
              clusters:
                - name: backend
                  connect_timeout: 0.25s
                  load_assignment:
                    endpoints:
                      - lb_endpoints:
                          - endpoint: {address: {socket_address: {address: backend, port_value: 8080}}}
                            load_balancing_weight: 100
                  circuit_breakers:
                    thresholds: [{max_connections: 500, max_pending_requests: 200}]
              route_config:
                virtual_hosts:
                  - routes:
                      - route: {retry_policy: {retry_on: "5xx,reset", num_retries: 3}, timeout: 300s}
            """
        ),
        # Conditions on things other than a status, and codes under keys that do not say status.
        doc(
            """
            - hosts: mail
              tasks:
                - name: probe the mail server
                  community.general.mail:
                    host: localhost
                    port: 587
                  register: sent
                  when: ansible_port == 587 and inventory_hostname in groups['mx']
                  until: sent.rc == 0
                  failed_when: sent.elapsed > 300
                - name: bare numbers under conditions
                  debug: {msg: x}
                  when: 404
                  changed_when: [200]
            """
        ),
        # `codes` outside a retry block, comma lists that are not all codes.
        doc(
            """
            errors:
              codes: [500, 502]
            country:
              codes: [250, 380]
            status: "200,unknown"
            http_status: "1,2,3"
            retry:
              retryOn: "5xx"
            """
        ),
    ],
)
def test_numbers_that_are_not_statuses_stay_silent(text):
    assert detect_yaml(text).occurrences == ()


def test_conditions_in_an_api_description_are_not_read():
    text = doc(
        """
        openapi: 3.0.3
        info: {title: t, version: "1"}
        x-ansible:
          until: probe.status == 200
        paths: {}
        """
    )
    assert detect_yaml(text).occurrences == ()


def test_json_shares_the_new_keys_and_comma_separated_lists():
    text = (
        '{"kind": "ConfigMap", "data": {"custom-http-errors": "404, 503", "worker-processes": "4"},\n'
        ' "route": {"https_redirect_status_code": 426, "regex_priority": 200, "status": "200,x"}}\n'
    )
    occurrences = detect_json(text).occurrences
    assert [(o.text, o.code, o.role) for o in occurrences] == [("404", 404, READS), ("503", 503, READS), ("426", 426, SENDS)]
    assert [o.span for o in occurrences[:2]] == [span_of(text, "404"), span_of(text, "503")]


def test_a_folded_condition_and_a_user_key_named_codes():
    text = "- uri: {url: x}\n  register: r\n  failed_when: >-\n    r.status != 200 and\n    r.status != 204\n"
    assert found(text) == [(3, "200", 200, READS), (4, "204", 204, READS)]
    listed = "errors:\n  codes: [500, 502]\n"
    assert [o.text for o in detect_yaml(listed, extra_keys=["codes"]).occurrences] == ["500", "502"]
