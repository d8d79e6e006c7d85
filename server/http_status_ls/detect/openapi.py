"""Which keys matter in YAML and JSON documents: the shared rules of the YAML and JSON detectors,
and the occurrences both make of what they find.

Both detectors walk a tree of mappings (libyaml events, tree-sitter-json nodes) and ask the same
questions here, so a rule changes in one place:

* In an OpenAPI or Swagger description, a mapping's *role* says what it is (the ``paths`` object,
  a path item, an operation, its ``responses``...). ``child_role(role, key)`` moves one level down;
  only the keys of a mapping whose role is ``RESPONSES`` are status codes. Everything else in the
  description (``components/responses``, schemas, examples) has no role and is never looked at.
* In any other document, the values of a few status-naming keys count (``status_code: 404``), and
  only when they are three-digit numbers, so that ``timeout: 300`` or ``status: active`` stay quiet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import IntEnum
from functools import lru_cache
from typing import NamedTuple

from http_status_ls.core import occurrences
from http_status_ls.core.occurrences import Kind, Occurrence, Span, new_response_key

HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})

VERSION_KEYS = frozenset({"openapi", "swagger"})


class Role(IntEnum):
    """What a mapping is inside an API description. Mappings with no role are not tracked."""

    ROOT = 1
    PATHS = 2  # `paths`, and `components/pathItems`: name -> path item
    WEBHOOKS = 3  # 3.1 `webhooks`: name -> path item
    COMPONENTS = 4
    PATH_ITEM = 5
    OPERATION = 6
    RESPONSES = 7
    RESPONSE = 8  # the value of one key of RESPONSES
    CALLBACKS = 9  # `callbacks` of an operation or of components: name -> callback
    CALLBACK = 10  # expression -> path item


def child_role(role: Role | None, key: str) -> Role | None:
    """The role of the value under ``key`` in a mapping with ``role``; None when it has none."""
    fixed = _FIXED_CHILDREN.get(role)  # type: ignore[arg-type]
    if fixed is not None:
        return fixed.get(key)
    if role is Role.PATHS or role is Role.CALLBACK:
        # `x-` keys are extensions next to the paths (or callback expressions), not paths.
        return None if key.startswith("x-") else Role.PATH_ITEM
    if role is Role.RESPONSES:
        return Role.RESPONSE if is_response_key(key) else None
    if role is Role.WEBHOOKS:
        return Role.PATH_ITEM
    if role is Role.CALLBACKS:
        return Role.CALLBACK
    return None


# Roles whose mappings lead on only through a few fixed keys.
_FIXED_CHILDREN: dict[Role, dict[str, Role]] = {
    Role.ROOT: {"paths": Role.PATHS, "webhooks": Role.WEBHOOKS, "components": Role.COMPONENTS},
    Role.COMPONENTS: {"pathItems": Role.PATHS, "callbacks": Role.CALLBACKS},
    Role.PATH_ITEM: dict.fromkeys(HTTP_METHODS, Role.OPERATION),
    Role.OPERATION: {"responses": Role.RESPONSES, "callbacks": Role.CALLBACKS},
}


# Mappings with these roles lead on only through the keys in SIGNIFICANT_KEYS; a walker may skip
# any other key without reading it (the other roles lead on through keys the author names).
FIXED_ROLES = frozenset(_FIXED_CHILDREN)
SIGNIFICANT_KEYS = frozenset(key for children in _FIXED_CHILDREN.values() for key in children)


def is_response_key(key: str) -> bool:
    """Whether a key of a ``responses`` object stands for a response. Extensions (``x-...``) are
    legal there and mean nothing; ``<<`` is a YAML merge key, not a response."""
    return not key.startswith("x-") and key != "<<"


def body_key(version: str | None) -> str:
    """The key under a response that carries a body: ``schema`` in Swagger 2.0, else ``content``."""
    return "schema" if version is not None and version.startswith("2") else "content"


_RANGE = re.compile(r"[1-5]XX")


def classify_response_key(value: str) -> tuple[int | None, int | None]:
    """(code, range_class) of a response key's unquoted value.

    Any run of ASCII digits is a code (``20`` -> 20, ``600`` -> 600: judging them is the
    diagnostics layer's job). ``4XX`` is a range; lowercase ``4xx`` is neither, so it can be flagged.
    """
    if value.isdigit() and value.isascii():
        return int(value), None
    if _RANGE.fullmatch(value):
        return None, int(value[0])
    return None, None


def response_key_occurrence(span: Span, text: str, value: str, *, quoted: bool, body_span: Span | None) -> Occurrence:
    """The occurrence of one key of a ``responses`` object: ``text`` as written, ``value`` unquoted,
    ``body_span`` the span of its body key (see `body_key`), if it has one. Its role is
    ``SENDS``: an API description declares what the operation answers."""
    code, range_class = classify_response_key(value)
    return new_response_key(span, text, value, code, range_class, quoted, body_span)


def is_version(value: str) -> bool:
    """Whether the value of a root ``openapi:``/``swagger:`` key looks like a version (``3.0.3``)."""
    return bool(value) and value[0].isdigit()


def pointer_token(key: str) -> str:
    """One JSON-pointer reference token (RFC 6901): ``~`` -> ``~0``, ``/`` -> ``~1``."""
    if "~" not in key and "/" not in key:  # nearly every key: no copies made
        return key
    return key.replace("~", "~0").replace("/", "~1")


def json_pointer(keys: Iterable[str]) -> str:
    return "".join("/" + pointer_token(k) for k in keys)


# Keys whose values are status codes outside API descriptions, in normalised form (see
# `normalise_key`). `error_code` and `code` are left out on purpose: they name application errors
# as often as HTTP statuses (`error_code` counts in one place only, see `PLUGIN_KEYS`). Where the tools that read a key are named, they are the ones that use it.
STATUS_KEYS = frozenset(
    {
        "status",
        "statuscode",  # Ansible `uri`, Tavern, Kong `request-termination`, Gateway API `requestRedirect`
        "httpstatus",  # Istio fault injection
        "httpstatuscode",
        "redirectcode",
        "responsecode",  # Kong `proxy-cache`
        "expectedstatus",
        "expectedstatuscode",
        "expectedstatuscodes",
        "validstatuscodes",  # Prometheus blackbox exporter
        "statuscodes",
        "httpstatuses",  # Kong upstream health checks
        "httpstatuscodes",  # Envoy Gateway `retry.retryOn.httpStatusCodes`
        "retriablestatuscodes",  # Envoy
        "retryablestatuscodes",
        "retryonstatuscodes",
        "successcodes",
        "httpsredirectstatuscode",  # Kong routes (decK `https_redirect_status_code: 301`)
        "customhttperrors",  # ingress-nginx ConfigMap key and annotation: `"404,503"`
        "retryon",  # Istio VirtualService `retries.retryOn: "5xx,503"`: codes among condition names
        # ingress-nginx annotations (`permanent-redirect-code`, `temporal-redirect-code`) and ConfigMap
        # keys (`http-redirect-code`, `limit-req-status-code`, `limit-conn-status-code`,
        # `global-rate-limit-status-code`): the code the controller answers with (its
        # docs/user-guide/nginx-configuration annotations.md and configmap.md, internal/ingress/controller/config).
        "permanentredirectcode",
        "temporalredirectcode",
        "httpredirectcode",
        "limitreqstatuscode",
        "limitconnstatuscode",
        "globalratelimitstatuscode",
        # Envoy Gateway's active HTTP health check `expectedStatuses: [200, 204]`, and the container of
        # Envoy's `expected_statuses` / `retriable_statuses` ranges (`HealthCheck.HttpHealthCheck`,
        # `{start, end}` read through `RANGE_EDGE_KEYS`).
        "expectedstatuses",
        "retriablestatuses",
        # ingress-nginx's `proxy-next-upstream: "error timeout http_502 http_503"` (annotation and
        # ConfigMap key): nginx's `proxy_next_upstream` conditions, codes among them (`upstream_codes`).
        "proxynextupstream",
        # Health checks: Cloudflare load-balancer monitors and OpenStack Octavia health monitors
        # (`expected_codes: "200"`, `"200-299"`, `"200,202"`), and monitors' `http_expected_status`.
        "expectedcodes",
        "httpexpectedstatus",
    }
)

_RANGE_PARENTS = frozenset({"expectedstatuses", "retriablestatuses"})

# Keys that name status values only under one parent key (normalised, see `normalise_key`; a
# sequence between them does not count): Gateway API's HTTPRoute `retry: {codes: [503, 429]}`
# (`codes` alone names anything from error codes to country codes), and the edges of Envoy's
# `expected_statuses: [{start: 200, end: 300}]` (`Int64Range`, end exclusive).
STATUS_KEYS_BY_PARENT: dict[str, frozenset[str]] = {
    "codes": frozenset({"retry"}),
    "start": _RANGE_PARENTS,
    "end": _RANGE_PARENTS,
    "error_code": frozenset({"config"}),  # and only a Kong rate-limiting plugin's: `PLUGIN_KEYS`
    # AWS CloudFormation's ALB target group health check: `Matcher: {HttpCode: "200-299"}`.
    "HttpCode": frozenset({"matcher"}),
}

PLUGIN_KEYS = frozenset({"error_code"})
"""Keys that name a status only in the ``config`` of one of Kong's rate-limiting plugins, which the
YAML walk checks with `detect.yaml_kong.configures_rate_limiting`."""

RANGE_EDGE_KEYS = frozenset({"start", "end"})
"""Keys (as written) whose value is an edge of a range of codes: its role says which edge."""

# Ansible's conditions, whose Jinja expressions test a registered result's status
# (`until: result.status == 200`); see `detect.yaml_conditions`.
CONDITION_KEYS = frozenset({"when", "failed_when", "changed_when", "until"})

PROMQL_KEY = "expr"
"""The key of a Prometheus rule's PromQL expression, read under `rules` only (see `detect.yaml_promql`)."""

KEYS_IN_CONTEXT = frozenset(STATUS_KEYS_BY_PARENT) | CONDITION_KEYS | {PROMQL_KEY}
"""Keys (as written) that name status values, or hold conditions on them, only in some places:
the YAML walk asks `status_key_in_context` about them."""


def status_key_in_context(key: str, parent_key: str | None) -> str | None:
    """``key`` when, under a mapping that is the value of ``parent_key`` (through any sequence), it
    names status values (``codes`` under ``retry``), holds Ansible conditions, or is a Prometheus
    rule's ``expr`` (under ``rules``); else None."""
    if key in CONDITION_KEYS:
        return key
    if parent_key is None:
        return None
    if key == PROMQL_KEY:
        return key if parent_key == "rules" else None
    parents = STATUS_KEYS_BY_PARENT.get(key)
    return key if parents is not None and normalise_key(parent_key) in parents else None


class Found(NamedTuple):
    """A code found inside a scalar: its offsets there, and its role when the key does not say it
    (a class edge in an ordering comparison)."""

    start: int
    end: int
    role: occurrences.Role | None = None


def in_order(found: list[Found]) -> list[Found]:
    """``found`` in text order, each span once (``a.status == 200 == b.status`` finds 200 twice)."""
    unique = {(item.start, item.end): item for item in reversed(found)}
    return [unique[span] for span in sorted(unique)]


def ordering_role(code: int) -> occurrences.Role | None:
    """The role of ``code`` compared with ``<``, ``<=``, ``>`` or ``>=``: a class edge (``>= 500``,
    ``< 300``, ``> 399``) is `Role.BOUND`, another code is read; outside 100-599 (``< 600``) it is
    no status at all (None)."""
    if not 100 <= code <= 599:
        return None
    return occurrences.Role.BOUND if code % 100 in (0, 99) else occurrences.Role.READS


_CODE_RANGE = re.compile(r"([1-5]\d\d)[ \t]*-[ \t]*([1-5]\d\d)")


def range_codes(value: str) -> list[Found]:
    """The two edges of a range of codes written as one string (Traefik's errors middleware
    ``status: ["500-599"]``, both edges included): class edges are `Role.BOUND`, others read;
    none unless the value is exactly such a range, in order."""
    match = _CODE_RANGE.fullmatch(value)
    if match is None or int(match.group(1)) > int(match.group(2)):
        return []
    return [Found(*match.span(group), ordering_role(int(match.group(group)))) for group in (1, 2)]


# A Kubernetes annotation's prefix (`nginx.ingress.kubernetes.io/`): a DNS name and a slash.
_ANNOTATION_PREFIX = re.compile(r"[a-z0-9][-a-z0-9.]*\.[a-z]{2,}/")


def normalise_key(key: str) -> str:
    """``status_code``, ``StatusCode`` and ``status-code`` all become ``statuscode``; a Kubernetes
    annotation is its name (``nginx.ingress.kubernetes.io/custom-http-errors``: ``customhttperrors``)."""
    key = key.lower()
    if "/" in key and (prefix := _ANNOTATION_PREFIX.match(key)) is not None:
        key = key[prefix.end() :]
    return key.replace("_", "").replace("-", "")


@lru_cache(maxsize=64)
def status_keys(extra_keys: tuple[str, ...] = ()) -> frozenset[str]:
    """The normalised status-naming keys, with the user's extra ones."""
    return STATUS_KEYS | {normalise_key(k) for k in extra_keys if normalise_key(k)}


def status_value(value: str) -> int | None:
    """The code a status-key value stands for: only three ASCII digits, 100-999, count."""
    if len(value) == 3 and value.isdigit() and value.isascii() and value[0] != "0":
        return int(value)
    return None


_LIST_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_MIXED_LIST_KEYS = frozenset({"retryon"})
"""Status keys whose comma-separated lists mix codes with condition names (Istio's ``retryOn``)."""


def list_codes(key: str, value: str) -> list[tuple[int, int]]:
    """The (start, end) offsets in ``value`` of the codes of a comma-separated list written as one
    string under the status key ``key`` (ingress-nginx's ``custom-http-errors: "404,503"``, Ansible's
    ``status_code: 200,201``); none unless every item is a code (for ``retryOn``, a code or a
    condition name such as ``5xx`` or ``gateway-error``)."""
    if "," not in value:
        return []
    mixed = normalise_key(key) in _MIXED_LIST_KEYS
    codes: list[tuple[int, int]] = []
    start = 0
    parts = value.split(",")
    for number, part in enumerate(parts):
        item = part.strip(" \t")
        begin = start + len(part) - len(part.lstrip(" \t"))
        start += len(part) + 1
        if status_value(item) is not None:
            codes.append((begin, begin + 3))
        elif not (mixed and _LIST_WORD.fullmatch(item)) and not (item == "" and number == len(parts) - 1):
            return []  # a trailing comma is allowed, anything else is not a list of codes
    return codes


# The conditions nginx's `proxy_next_upstream` takes (ngx_http_proxy_module), codes aside.
_UPSTREAM_WORDS = frozenset({"error", "timeout", "invalid_header", "non_idempotent", "off"})
_UPSTREAM_CODE = re.compile(r"http_(\d{3})")
_UPSTREAM_KEYS = frozenset({"proxynextupstream"})


def upstream_codes(value: str) -> list[Found]:
    """The codes of ``http_502``-style conditions in a list of nginx ``proxy_next_upstream``
    conditions separated by blanks (``"error timeout http_502 http_503"``); none unless every word
    is such a condition."""
    found: list[Found] = []
    for word in re.finditer(r"[^ \t]+", value):
        code = _UPSTREAM_CODE.fullmatch(word.group())
        if code is not None and status_value(code.group(1)) is not None:
            found.append(Found(word.start() + 5, word.end()))
        elif word.group() not in _UPSTREAM_WORDS:
            return []
    return found


def codes_in_value(key: str, value: str) -> list[Found]:
    """The codes written inside the string value of the status key ``key``: a comma-separated list,
    a range, or nginx's upstream conditions; none when the value is not one of those (a bare code is
    read whole by the caller)."""
    if value.isdigit():
        return []
    if normalise_key(key) in _UPSTREAM_KEYS:
        return upstream_codes(value)
    if "," in value:
        return [Found(start, end) for start, end in list_codes(key, value)]
    return range_codes(value) if "-" in value else []


_READING_KEY_STARTS = ("expected", "valid", "retriable", "retryable", "retryon", "success")
"""Normalised status keys that start so list codes a probe or client tests for (a health check's
``expectedStatus``, a retry policy's ``retriableStatusCodes``): the program reads those codes."""


_READING_KEYS = frozenset(
    {"customhttperrors", "codes", "proxynextupstream", "httpcode", "httpexpectedstatus", PROMQL_KEY}
    | {normalise_key(key) for key in CONDITION_KEYS}
)
"""Other keys whose codes are read: ingress-nginx hands the upstream's responses with these codes to
its error backend or the next upstream, Gateway API retries on them, Ansible's conditions test a
registered result, Prometheus rules count responses by their code, health checks expect them."""

_SENDING_KEYS = frozenset(
    {
        "httpsredirectstatuscode",
        "permanentredirectcode",
        "temporalredirectcode",
        "httpredirectcode",
        "limitreqstatuscode",
        "limitconnstatuscode",
        "globalratelimitstatuscode",
        "errorcode",  # in the config of a Kong rate-limiting plugin only (`PLUGIN_KEYS`)
    }
)
"""Keys whose code is what the configured server answers with (Kong's redirect to HTTPS and rate
limits, ingress-nginx's redirects and rate limits)."""


@lru_cache(maxsize=256)
def status_key_role(key: str) -> occurrences.Role:
    """Whether the values of a status key are read (``expectedStatus``, ``retryOnStatusCodes``),
    sent (``https_redirect_status_code``) or, as far as anyone can tell, set (``status``,
    ``httpStatus`` in a fault injection)."""
    normal = normalise_key(key)
    if normal.startswith(_READING_KEY_STARTS) or normal in _READING_KEYS:
        return occurrences.Role.READS
    return occurrences.Role.SENDS if normal in _SENDING_KEYS else occurrences.Role.UNKNOWN


def status_value_occurrence(
    span: Span, text: str, value: str, code: int, *, context: str, quoted: bool, role: occurrences.Role | None = None
) -> Occurrence:
    """The occurrence of a status value (``code``, read from ``value``, see `status_value`) under the
    status-naming key written ``context``; ``role``, when given, is the one its place says (a class
    edge) rather than the key's."""
    return Occurrence(
        span=span,
        kind=Kind.YAML_VALUE,
        text=text,
        code=code,
        context=context,
        value=value,
        quoted=quoted,
        # A class edge is not a code: no inlay hint names it as one.
        confident=role is not occurrences.Role.BOUND,
        role=status_key_role(context) if role is None else role,
    )


@lru_cache(maxsize=64)
def status_key_pattern(keys: frozenset[str]) -> re.Pattern[bytes]:
    """A bytes regex that finds ``"<status key>"`` followed by a colon in JSON source lowered with
    ``bytes.lower()`` (much faster than a case-insensitive pattern), allowing the ``_``/``-``
    variants `normalise_key` folds together. Group 1 is the key without quotes.

    Finding candidate keys this way and checking each against the syntax tree is much cheaper than
    visiting every node of a large document."""
    alternatives = sorted(("[-_]*".join(re.escape(ch) for ch in key) for key in keys), key=len, reverse=True)
    body = "|".join(alternatives).encode()
    return re.compile(rb'"([-_]*(?:' + body + rb')[-_]*)"[ \t\r\n]*:')
