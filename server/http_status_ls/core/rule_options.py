"""The ``profile`` and ``ruleOptions`` settings of the OpenAPI response-set rules.

``profile`` picks a row of ``kb.profiles`` (``recommended`` by default); ``ruleOptions`` sets any
option of those rules on top of it, rule by rule::

    [tool.http-status-ls]
    profile = "owasp"
    ruleOptions.missing-error-response = { expect = ["4xx", "auth"] }
    ruleOptions.missing-response-header = { headers = { "429" = ["Retry-After"], "2XX" = ["X-RateLimit-Limit"] } }
    ruleOptions.status-not-allowed = { allowed = [200, 201, 204, 400, 404], preferred = { "422" = [400] } }

Each bad part is a message naming its key, and that option keeps the profile's value (see
``core.settings``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from http_status_ls.kb.profiles import CONFLICTS, ERROR_KINDS, METHOD_FITS, PROFILES, ResponseRuleOptions

Bad = Callable[[str, str], None]
"""Reports a bad key: (key, problem)."""

_RESPONSE_KEY_SHAPES = ("a status code such as 429", "a range such as 2XX", "default")


def _norm(key: Any) -> str:
    return str(key).replace("-", "").replace("_", "").lower()


def read_profile(key: str, value: Any, bad: Bad) -> str | None:
    if isinstance(value, str) and value.strip().lower() in PROFILES:
        return value.strip().lower()
    bad(key, f"{value!r} is not a profile (known: {', '.join(PROFILES)})")
    return None


def _codes(key: str, value: Any, bad: Bad) -> tuple[int, ...] | None:
    if not isinstance(value, (list, tuple)):
        bad(key, f"expected a list of status codes, got {value!r}")
        return None
    codes = []
    for item in value:
        code = int(item) if isinstance(item, str) and item.strip().isdigit() else item
        if isinstance(code, bool) or not isinstance(code, int) or not 100 <= code <= 599:
            bad(key, f"{item!r} is not a status code (100-599)")
            return None
        codes.append(code)
    return tuple(codes)


def _flag(key: str, value: Any, bad: Bad) -> bool | None:
    if isinstance(value, bool):
        return value
    bad(key, f"expected true or false, got {value!r}")
    return None


def _choices(key: str, value: Any, known: tuple[str, ...], bad: Bad) -> tuple[str, ...] | None:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)) or not all(isinstance(item, str) and item in known for item in items):
        bad(key, f"expected a list of {', '.join(known)}, got {value!r}")
        return None
    return tuple(items)


def _one_of(key: str, value: Any, known: tuple[str, ...], bad: Bad) -> str | None:
    if isinstance(value, str) and value in known:
        return value
    bad(key, f"expected one of {', '.join(known)}, got {value!r}")
    return None


def _headers(key: str, value: Any, bad: Bad) -> Mapping[str, tuple[str, ...]] | None:
    if not isinstance(value, Mapping):
        bad(key, f'expected a table of response key = [header names], such as {{"429" = ["Retry-After"]}}, got {value!r}')
        return None
    table: dict[str, tuple[str, ...]] = {}
    for response, names in value.items():
        response = str(response)
        shape_ok = response == "default" or (len(response) == 3 and (response.isdigit() or response[1:] == "XX"))
        if not shape_ok:
            bad(f"{key}.{response}", f"not a response key ({', '.join(_RESPONSE_KEY_SHAPES)})")
            return None
        if isinstance(names, str):
            names = [names]
        if not isinstance(names, (list, tuple)) or not all(isinstance(name, str) and name.strip() for name in names):
            bad(f"{key}.{response}", f"expected a list of header names, got {names!r}")
            return None
        table[response] = tuple(name.strip() for name in names)
    return table


def _preferred(key: str, value: Any, bad: Bad) -> Mapping[int, tuple[int, ...]] | None:
    if not isinstance(value, Mapping):
        bad(key, f'expected a table of code = [codes to use instead], such as {{"422" = [400]}}, got {value!r}')
        return None
    table: dict[int, tuple[int, ...]] = {}
    for code, instead in value.items():
        codes = _codes(f"{key}.{code}", [code], bad)
        replacements = _codes(f"{key}.{code}", [instead] if isinstance(instead, (int, str)) else instead, bad)
        if codes is None or replacements is None:
            return None
        table[codes[0]] = replacements
    return table


# Rule -> option as written (normalised) -> (field of ResponseRuleOptions, reader).
_OPTIONS: Mapping[str, Mapping[str, tuple[str, Callable[[str, Any, Bad], Any]]]] = MappingProxyType(
    {
        "missing-success-response": {"defaultcounts": ("default_counts_as_success", _flag)},
        "missing-error-response": {
            "expect": ("expected_errors", lambda k, v, b: _choices(k, v, ERROR_KINDS, b)),
            "defaultcounts": ("default_counts_as_error", _flag),
        },
        "missing-response-header": {"headers": ("extra_headers", _headers)},
        "status-not-allowed": {
            "allowed": ("allowed_codes", lambda k, v, b: None if (codes := _codes(k, v, b)) is None else frozenset(codes)),
            "preferred": ("preferred_codes", _preferred),
        },
        "method-status-mismatch": {"fit": ("method_fit", lambda k, v, b: _one_of(k, v, METHOD_FITS, b))},
        "conflicting-success-responses": {"pairs": ("conflicts", lambda k, v, b: _choices(k, v, CONFLICTS, b))},
    }
)

OPTION_NAMES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {rule: tuple({"defaultcounts": "defaultCounts"}.get(name, name) for name in names) for rule, names in _OPTIONS.items()}
)
"""The options each rule takes, as the docs spell them."""


def read_rule_options(key: str, value: Any, bad: Bad) -> dict[str, dict[str, Any]] | None:
    """``ruleOptions``: rule id -> {option field -> value}, the valid parts only."""
    if not isinstance(value, Mapping):
        bad(key, f"expected a table of rule = {{option = value}}, got {value!r}")
        return None
    read: dict[str, dict[str, Any]] = {}
    for rule, options in value.items():
        where = f"{key}.{rule}"
        known = _OPTIONS.get(str(rule))
        if known is None:
            bad(where, f"no options for this rule (rules with options: {', '.join(_OPTIONS)})")
            continue
        if not isinstance(options, Mapping):
            bad(where, f"expected a table of option = value, got {options!r}")
            continue
        for option, item in options.items():
            spec = known.get(_norm(option))
            if spec is None:
                bad(f"{where}.{option}", f"unknown option (known: {', '.join(OPTION_NAMES[str(rule)])})")
                continue
            field_name, reader = spec
            parsed = reader(f"{where}.{option}", item, bad)
            if parsed is not None:
                read.setdefault(str(rule), {})[field_name] = parsed
    return read


def options_for(profile: str, overrides: Mapping[str, Mapping[str, Any]]) -> ResponseRuleOptions:
    """The profile's options with the user's ``ruleOptions`` on top."""
    options = PROFILES[profile].options
    changes = {field_name: value for fields in overrides.values() for field_name, value in fields.items()}
    return replace(options, **changes) if changes else options
