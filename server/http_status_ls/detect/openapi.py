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

from http_status_ls.core import occurrences
from http_status_ls.core.occurrences import Kind, Occurrence, Span

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
    ``body_span`` the span of its body key (see `body_key`), if it has one."""
    code, range_class = classify_response_key(value)
    return Occurrence(
        span=span,
        kind=Kind.RESPONSE_KEY,
        text=text,
        code=code,
        context="responses",
        value=value,
        range_class=range_class,
        quoted=quoted,
        confident=True,
        body_span=body_span,
        role=occurrences.Role.SENDS,  # an API description declares what the operation answers
    )


def is_version(value: str) -> bool:
    """Whether the value of a root ``openapi:``/``swagger:`` key looks like a version (``3.0.3``)."""
    return bool(value) and value[0].isdigit()


def pointer_token(key: str) -> str:
    """One JSON-pointer reference token (RFC 6901): ``~`` -> ``~0``, ``/`` -> ``~1``."""
    return key.replace("~", "~0").replace("/", "~1")


def json_pointer(keys: Iterable[str]) -> str:
    return "".join("/" + pointer_token(k) for k in keys)


# Keys whose values are status codes outside API descriptions, in normalised form (see
# `normalise_key`). `error_code` and `code` are left out on purpose: they name application errors
# as often as HTTP statuses.
STATUS_KEYS = frozenset(
    {
        "status",
        "statuscode",
        "httpstatus",
        "httpstatuscode",
        "redirectcode",
        "responsecode",
        "expectedstatus",
        "expectedstatuscode",
        "expectedstatuscodes",
        "validstatuscodes",
        "statuscodes",
        "httpstatuses",
        "retriablestatuscodes",
        "retryablestatuscodes",
        "retryonstatuscodes",
        "successcodes",
    }
)


def normalise_key(key: str) -> str:
    """``status_code``, ``StatusCode`` and ``status-code`` all become ``statuscode``."""
    return key.lower().replace("_", "").replace("-", "")


@lru_cache(maxsize=64)
def status_keys(extra_keys: tuple[str, ...] = ()) -> frozenset[str]:
    """The normalised status-naming keys, with the user's extra ones."""
    return STATUS_KEYS | {normalise_key(k) for k in extra_keys if normalise_key(k)}


def status_value(value: str) -> int | None:
    """The code a status-key value stands for: only three ASCII digits, 100-999, count."""
    if len(value) == 3 and value.isdigit() and value.isascii() and value[0] != "0":
        return int(value)
    return None


_READING_KEY_STARTS = ("expected", "valid", "retriable", "retryable", "retryon", "success")
"""Normalised status keys that start so list codes a probe or client tests for (a health check's
``expectedStatus``, a retry policy's ``retriableStatusCodes``): the program reads those codes."""


def status_key_role(key: str) -> occurrences.Role:
    """Whether the values of a status key are read (``expectedStatus``, ``retryOnStatusCodes``) or,
    as far as anyone can tell, set (``status``, ``httpStatus`` in a fault injection)."""
    reads = normalise_key(key).startswith(_READING_KEY_STARTS)
    return occurrences.Role.READS if reads else occurrences.Role.UNKNOWN


def status_value_occurrence(span: Span, text: str, value: str, code: int, *, context: str, quoted: bool) -> Occurrence:
    """The occurrence of a status value (``code``, read from ``value``, see `status_value`) under the
    status-naming key written ``context``."""
    return Occurrence(
        span=span,
        kind=Kind.YAML_VALUE,
        text=text,
        code=code,
        context=context,
        value=value,
        quoted=quoted,
        role=status_key_role(context),
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
