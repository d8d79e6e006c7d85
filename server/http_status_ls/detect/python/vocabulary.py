"""Which Python names and calls mean "status": variable, attribute, keyword and key names that hold a
status code, and the calls whose arguments are one.

Both the tree reader and the completion-time cursor helpers judge by these, so a spot that is read
as a status in finished code is offered status codes while being typed.
"""

from __future__ import annotations

import re
from functools import lru_cache

from http_status_ls.kb.libraries import STATUS_ARGUMENT_POSITIONS

_CAMEL_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
# Glued spellings that count as two words.
_GLUED = {"statuscode": ("status", "code"), "statuscodes": ("status", "codes"), "httpstatus": ("http", "status")}
_STATUS_WORDS = frozenset({"status", "statuses", "stati"})
_LAST_WORDS = frozenset({"status", "statuses", "stati", "code", "codes", "forcelist", "list", "set", "int", "allowlist"})
# A process, job or order has a "status" too; those names are never HTTP.
_OTHER_STATUS_OWNERS = frozenset(
    {"exit", "process", "proc", "job", "task", "order", "build", "wait", "payment", "git", "sys", "return", "thread"}
)


def words(name: str) -> list[str]:
    """The lower-case words of a snake_case or camelCase name (``statusCode`` -> status, code)."""
    return list(_words(name))


@lru_cache(maxsize=8192)
def _words(name: str) -> tuple[str, ...]:
    # Cached: the same parameter, attribute and function names come back in file after file.
    found: list[str] = []
    for part in name.split("_"):
        if part.isascii() and part.isalpha() and part.islower():
            found.extend(_GLUED.get(part, (part,)))  # what the pattern finds in plain lower-case letters
            continue
        for word in _CAMEL_WORD.findall(part):
            word = word.lower()
            found.extend(_GLUED.get(word, (word,)))
    return tuple(found)


@lru_cache(maxsize=4096)
def is_status_name(name: str) -> bool:
    """Whether a variable, attribute, keyword or key name holds a status code (or several):
    ``status``, ``status_code``, ``statusCode``, ``STATUS_CODE``, ``RETRY_STATUSES``,
    ``status_forcelist``, ``allowed_status_codes``; not ``status_message`` nor ``exit_status``."""
    found = words(name)
    if not found or not _STATUS_WORDS.intersection(found):
        return False
    if _OTHER_STATUS_OWNERS.intersection(found):
        return False
    return found[-1] in _LAST_WORDS


@lru_cache(maxsize=4096)
def strong_status_name(name: str) -> bool:
    """Names that can only mean an HTTP status (``status_code``, ``http_status``), as opposed to a
    bare ``status`` that may be a model field holding 0, 1, 2."""
    joined = "".join(words(name))
    return "statuscode" in joined or "httpstatus" in joined or joined == "statusint"


# Words that make a status name a list to test against rather than a status to send: the codes a
# client retries, expects, accepts or ignores. "success" and "ok" are left out: a server's
# ``success_status = 201`` is what it answers with.
_READING_WORDS = frozenset(
    {
        "forcelist",
        "allowlist",
        "whitelist",
        "retry",
        "retries",
        "retriable",
        "retryable",
        "expect",
        "expected",
        "allowed",
        "accepted",
        "acceptable",
        "valid",
        "ignore",
        "ignored",
    }
)


@lru_cache(maxsize=4096)
def reading_name(name: str) -> bool:
    """Whether a status name holds codes that the program tests for rather than sends:
    ``status_forcelist``, ``RETRY_STATUSES``, ``expected_status``, ``allowed_status_codes``."""
    return bool(_READING_WORDS.intersection(words(name)))


CLASS_BOUNDS = frozenset(n for digit in range(1, 7) for n in (digit * 100 - 1, digit * 100))
"""The numbers that bound a class of codes in an ordering comparison: 99/100, 199/200 ... 599/600
(``code > 199`` is "past 1xx", ``status < 600`` "any status")."""

STATUS_ATTRIBUTES = frozenset({"status_code", "status", "code", "status_int", "status_code_int"})
"""Attributes compared against status codes: ``resp.status_code``, ``r.status``, ``err.code``."""

COLLECTION_CALLS = frozenset({"frozenset", "set", "tuple", "list"})
"""Calls that build a collection, which may hold status codes (``frozenset([500, 502])``)."""

UNITTEST_ASSERTS = frozenset({"assertEqual", "assertEquals", "assertNotEqual", "assertNotEquals", "assertIn", "assertNotIn"})

# --- where a positional argument is a status --------------------------------------------------

_FIRST_ARGUMENT_CALLS = frozenset(
    {
        "abort",
        "send_response",
        "send_response_only",
        "send_error",
        "set_status",
        "HTTPStatus",
        "errorhandler",
        "app_errorhandler",
        "register_error_handler",
        "exception_handler",
        "add_exception_handler",
    }
)
_SECOND_ARGUMENT_CALLS = frozenset({"make_response", "redirect"})
# Only as decorators: flask-restx's ``@api.response(404, "Not found")``, bottle's ``@app.error(404)``.
_DECORATOR_FIRST_ARGUMENT_CALLS = frozenset({"response", "error"})


def _is_http_exception(callee: str) -> bool:
    return ("HTTP" in callee or "Http" in callee) and callee.endswith(("Exception", "Error")) and "WebSocket" not in callee


def positional_status(callee: str, index: int, first_is_int: bool | None = None, decorator: bool = False) -> str | None:
    """The context label when the ``index``-th positional argument of a call to ``callee`` is a
    status code, else None. ``first_is_int`` tells HTTPError's two signatures apart (tornado's
    ``HTTPError(404)`` and urllib's ``HTTPError(url, 404, msg, hdrs, fp)``); None means unknown."""
    known = STATUS_ARGUMENT_POSITIONS.get(callee)
    if known is not None:
        return f"{callee}()" if index == known else None
    if index == 0 and callee in _FIRST_ARGUMENT_CALLS:
        return f"{callee}()"
    if index == 1 and callee in _SECOND_ARGUMENT_CALLS:
        return f"{callee}()"
    if index == 0 and decorator and callee in _DECORATOR_FIRST_ARGUMENT_CALLS:
        return f"@{callee}()"
    return f"{callee}()" if _status_by_name_pattern(callee, index, first_is_int) else None


def _status_by_name_pattern(callee: str, index: int, first_is_int: bool | None) -> bool:
    """Whether the ``index``-th argument is the status for a callee known by its name's shape
    (``...HTTPError``, an HTTP exception, ``...Response``) rather than listed."""
    if callee.endswith("HTTPError"):
        return (index == 0 and first_is_int is not False) or (index == 1 and not first_is_int)
    if index == 0 and _is_http_exception(callee):
        return True
    # Flask, Starlette, DRF and werkzeug take the status second; httpx's Response takes it first.
    return callee.endswith("Response") and (index == 1 or (index == 0 and callee == "Response"))


def _exception_like(callee: str) -> bool:
    return callee in ("abort", "redirect") or (
        callee.endswith(("Exception", "Error", "Response")) and "websocket" not in callee.lower()
    )


def keyword_status(name: str, callee: str) -> tuple[str, bool] | None:
    """(context label, strong) when keyword argument ``name=`` of a call to ``callee`` is a status.
    Strong contexts report any number (an out-of-range one is a mistake worth flagging); weak ones
    (``status=`` on an arbitrary call, ``code=`` on an exception) only 100-999."""
    if name == "code":
        if not _exception_like(callee):
            return None
        return "code=", callee in ("abort", "redirect") or "HTTP" in callee or "Http" in callee
    if not is_status_name(name):
        return None
    strong = strong_status_name(name) or (
        name == "status" and (callee.endswith(("Response", "response", "Exception")) or callee in ("abort", "json_response"))
    )
    return f"{name}=", strong


# --- names that hold codes only in HTTP code ---------------------------------------------------

_LOOSE_STATUS_NAMES = frozenset({("code",), ("status", "i"), ("http", "code"), ("response", "code"), ("resp", "code")})


@lru_cache(maxsize=4096)
def loose_status_name(name: str) -> bool:
    """Names that hold a status in HTTP code and anything in other code: ``code``, ``status_i``,
    ``http_code`` (an exit code, an errno or an SMTP reply is a ``code`` too)."""
    return tuple(words(name)) in _LOOSE_STATUS_NAMES


_CODES_OWNERS = _READING_WORDS | {"error", "errors", "success", "successful", "ok", "redirect", "redirects"}


@lru_cache(maxsize=4096)
def codes_name(name: str) -> bool | None:
    """For a name that lists codes without saying "status": True when it says HTTP on its own
    (``RETRY_HTTP_CODES``, ``HTTPERROR_ALLOWED_CODES``), False when it counts only in HTTP code
    (``RETRYABLE_ERROR_CODES``, ``ALLOWED_CODES``); None for others (``COLOR_CODES``)."""
    found = words(name)
    if len(found) < 2 or found[-1] != "codes":
        return None
    if any(word.startswith("http") for word in found):
        return True
    if _CODES_OWNERS.intersection(found[:-1]):
        return False
    return None
