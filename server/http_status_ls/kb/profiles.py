"""The profiles of the OpenAPI response-set rules: which rules each guideline turns on, and with what.

Guidelines disagree (IBM wants 400 where OWASP accepts 422; OWASP wants explicit 401, 429 and 500
responses where Microsoft wants errors only through ``default``), so each is a row here, chosen with
the ``profile`` setting, and any rule or option can still be set on its own on top of it. The
default, ``recommended``, holds what RFC 9110 and most guides agree on and stays quiet on the
contested points. ``docs/openapi-profiles.md`` gives each choice with its source.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from http_status_ls.kb.rules import Severity

ERROR_KINDS: tuple[str, ...] = ("any", "4xx", "validation", "auth", "429", "5xx", "default")
"""What ``missing-error-response`` can expect: ``any`` error at all (4xx, 5xx, a range or
``default``); a ``4xx``; a ``validation`` error (400, 422 or ``4XX``) on an operation with a request
body or parameters; ``auth`` (401) on a secured operation; ``429``; a ``5xx``; ``default``."""

METHOD_FITS: tuple[str, ...] = ("rfc", "strict")
"""``rfc``: only what RFC 9110 itself rules out (201 or 206 on a safe method that creates nothing,
304 outside GET and HEAD); ``strict``: also the guidelines' per-method lists (204 not on GET, 409
not on GET, 202 not on GET, 201 only for POST and PUT)."""

CONFLICTS: tuple[str, ...] = ("202", "101")
"""``202``: 202 Accepted beside another 2xx; ``101``: 101 Switching Protocols beside a 2xx."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponseRuleOptions:
    """The options of the response-set rules; a profile sets them all, a user any of them. Plain
    dicts rather than read-only views: the options travel to ``check``'s worker processes."""

    default_counts_as_success: bool = True
    """``missing-success-response``: an operation whose only answer is ``default`` has one."""
    expected_errors: tuple[str, ...] = ("any",)
    """``missing-error-response``: see :data:`ERROR_KINDS`."""
    default_counts_as_error: bool = True
    """``missing-error-response``: ``default`` stands in for any expected error."""
    extra_headers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """``missing-response-header``: response key (``429``, ``2XX``) -> more headers it should
    declare (a warning), besides the knowledge base's."""
    allowed_codes: frozenset[int] | None = None
    """``status-not-allowed``: the only codes a response may have (None: any)."""
    preferred_codes: Mapping[int, tuple[int, ...]] = field(default_factory=dict)
    """``status-not-allowed``: code -> the codes to use instead."""
    method_fit: str = "rfc"
    """``method-status-mismatch``: see :data:`METHOD_FITS`."""
    conflicts: tuple[str, ...] = CONFLICTS
    """``conflicting-success-responses``: see :data:`CONFLICTS`."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Profile:
    name: str
    summary: str
    sources: tuple[str, ...]
    severities: Mapping[str, Severity | None]
    """Rule id -> severity (None: off) for the response-set rules; the others keep the table's."""
    options: ResponseRuleOptions


_ZALLY_WELL_UNDERSTOOD = frozenset(
    {
        200,
        201,
        202,
        204,
        207,
        301,
        303,
        304,
        307,
        400,
        401,
        403,
        404,
        405,
        406,
        409,
        410,
        412,
        415,
        423,
        428,
        429,
        500,
        501,
        503,
        504,
    }
)
"""Zalando's "well-understood" list (guideline 150), plus 308 and 422, which it predates."""

_GUIDELINE_SEVERITIES: Mapping[str, Severity | None] = MappingProxyType(
    {
        "missing-success-response": Severity.Error,
        "missing-error-response": Severity.Warning,
        "missing-response-header": Severity.Error,
        "method-status-mismatch": Severity.Warning,
        "conflicting-success-responses": Severity.Warning,
        "status-not-allowed": Severity.Warning,
        "description-mismatch": Severity.Warning,
    }
)
"""The severities of the organisations' guidelines (zalando, ibm, microsoft): every response-set rule
on, a missing success response or a header a status MUST send as an error."""

PROFILES: Mapping[str, Profile] = MappingProxyType(
    {
        profile.name: profile
        for profile in (
            Profile(
                name="recommended",
                summary="What RFC 9110 and most guides agree on; quiet on contested points.",
                sources=("RFC 9110", "the OpenAPI Specification"),
                severities=MappingProxyType(
                    {
                        "missing-success-response": Severity.Warning,
                        # Whether every operation must list an error is contested (GitHub's `GET /zen`
                        # has nothing to fail with): off, and on in every other profile.
                        "missing-error-response": None,
                        "missing-response-header": Severity.Error,
                        "method-status-mismatch": Severity.Warning,
                        "conflicting-success-responses": None,
                        "status-not-allowed": None,
                        "description-mismatch": Severity.Warning,
                    }
                ),
                options=ResponseRuleOptions(),
            ),
            Profile(
                name="zalando",
                summary="Zalando's RESTful API guidelines (Zally): well-understood codes, success and error responses.",
                sources=(
                    "https://opensource.zalando.com/restful-api-guidelines/#150",
                    "https://opensource.zalando.com/restful-api-guidelines/#151",
                    "https://opensource.zalando.com/restful-api-guidelines/#153",
                ),
                severities=_GUIDELINE_SEVERITIES,
                options=ResponseRuleOptions(
                    default_counts_as_success=False,
                    expected_errors=("4xx", "5xx"),
                    extra_headers={"429": ("Retry-After",)},
                    allowed_codes=_ZALLY_WELL_UNDERSTOOD | {308, 422},
                    method_fit="strict",
                ),
            ),
            Profile(
                name="ibm",
                summary="IBM's API Handbook and validator: 400 rather than 422, 303/307 rather than 302.",
                sources=(
                    "https://cloud.ibm.com/docs/api-handbook?topic=api-handbook-status-codes",
                    "https://github.com/IBM/openapi-validator/blob/main/docs/ibm-cloud-rules.md#ibm-response-status-codes",
                ),
                severities=_GUIDELINE_SEVERITIES,
                options=ResponseRuleOptions(
                    default_counts_as_success=False,
                    expected_errors=("4xx",),
                    preferred_codes={422: (400,), 302: (303, 307)},
                    method_fit="strict",
                ),
            ),
            Profile(
                name="microsoft",
                summary="Microsoft's REST guidelines and Azure's linter: errors only through `default`.",
                sources=(
                    "https://github.com/microsoft/api-guidelines/blob/vNext/azure/Guidelines.md",
                    "https://github.com/Azure/azure-openapi-validator/blob/main/docs/no-error-code-responses.md",
                ),
                severities=_GUIDELINE_SEVERITIES,
                options=ResponseRuleOptions(
                    default_counts_as_success=False,
                    expected_errors=("default",),
                    default_counts_as_error=True,
                    extra_headers={"202": ("Operation-Location",)},
                    allowed_codes=frozenset({200, 201, 202, 204, 206, 304}),
                    method_fit="strict",
                    conflicts=("101",),
                ),
            ),
            Profile(
                name="owasp",
                summary="The OWASP API security ruleset: explicit 401/403, 429, validation and 500 responses.",
                sources=("https://github.com/stoplightio/spectral-owasp-ruleset",),
                severities=MappingProxyType(
                    {
                        "missing-success-response": Severity.Warning,
                        "missing-error-response": Severity.Warning,
                        "missing-response-header": Severity.Error,
                        "method-status-mismatch": Severity.Warning,
                        "conflicting-success-responses": None,
                        "status-not-allowed": None,
                        "description-mismatch": Severity.Warning,
                    }
                ),
                options=ResponseRuleOptions(
                    default_counts_as_success=False,
                    expected_errors=("validation", "auth", "429", "5xx"),
                    default_counts_as_error=False,
                    extra_headers={"429": ("Retry-After",)},
                ),
            ),
        )
    }
)

DEFAULT_PROFILE = "recommended"
