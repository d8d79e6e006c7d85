"""The response-set rules: what an OpenAPI operation declares, judged against what each status means.

Each function takes one :class:`~http_status_ls.detect.openapi_operations.Operation` and reports
through ``add`` (the judge's, which applies severities and the user's choices). What a code means
comes from the knowledge base (its class, the headers it requires or expects, its phrase); what a
guideline adds or contests comes from the profile's :class:`~http_status_ls.kb.profiles.ResponseRuleOptions`.

Messages follow the house grammar ("<what> <verdict>: <fix>", one line, at most 100 characters) and
name the operation and the code.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from http_status_ls.core.occurrences import Span
from http_status_ls.detect.openapi_operations import Operation, ResponseEntry
from http_status_ls.kb import registry
from http_status_ls.kb.profiles import ResponseRuleOptions

Add = Callable[..., None]

MESSAGE_LIMIT = 100
FIX_WITHIN = 60
"""As ``features.diagnostics``: the fix starts within this many characters."""
SAFE_METHODS = frozenset({"get", "head", "options", "trace"})
_HOP_BY_HOP = frozenset({"connection"})
"""Headers the transport handles; an API description does not declare them (OpenAPI ignores some)."""

# (code, the methods it fits, what to use on the others, why); `rfc` rows hold under every profile.
_RFC_FIT: tuple[tuple[int, frozenset[str], str, str], ...] = (
    (201, frozenset({"post", "put", "patch", "delete"}), "use 200", "{method} creates nothing"),
    (304, frozenset({"get", "head"}), "use 204 or 412", "304 is for conditional GET and HEAD"),
    (206, frozenset({"get", "head"}), "use 200", "range requests are GET only"),
)
_STRICT_FIT: tuple[tuple[int, frozenset[str], str, str], ...] = (
    (201, frozenset({"post", "put"}), "use 200", "201 is for POST and PUT"),
    (202, frozenset({"post", "put", "patch", "delete"}), "use 200", "{method} should not start a job"),
    (204, frozenset({"post", "put", "patch", "delete", "options"}), "use 200", "{method} should return content"),
    (409, frozenset({"post", "put", "patch", "delete"}), "use 400 or 404", "{method} changes nothing"),
)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "\N{HORIZONTAL ELLIPSIS}"


def label(operation: Operation) -> str:
    """``GET /pets/{id}``."""
    return f"{operation.method.upper()} {operation.path}"


def say(head: str, fix: str, operation: Operation, why: str = "") -> str:
    """``<head> on <operation>: <fix> (<why>)``; when that is too long, or puts the fix past
    :data:`FIX_WITHIN`, the operation moves after the fix, its path clipped to fit."""
    name = label(operation)
    full = f"{head} on {name}: {fix}" + (f" ({why})" if why else "")
    if len(full) <= MESSAGE_LIMIT and len(head) + len(name) + 6 <= FIX_WITHIN:
        return full
    for reason in [why, ""] if why else [""]:
        start = f"{head}: {fix} ("
        end = f"; {reason})" if reason else ")"
        room = MESSAGE_LIMIT - len(start) - len(end)
        if room >= min(len(name), 24):
            return f"{start}{_clip(name, room)}{end}"
    return _clip(f"{head}: {fix}", MESSAGE_LIMIT)


def _named(code: int) -> str:
    entry = registry.load().entry(code)
    return f"{code} {entry.phrase}" if entry is not None and not entry.phrase.startswith("(") else str(code)


def responses_key(operation: Operation) -> Span:
    """Where an operation-level finding goes: the ``responses`` key, else the method key."""
    span = operation.responses_span
    if span is None:
        return operation.span
    width = len("responses") + (2 if operation.responses_flow else 0)
    return Span(span.start_line, span.start_col, span.start_line, span.start_col + width)


@dataclass(frozen=True, slots=True)
class _Declared:
    """What an operation's responses cover, for the expected-error checks."""

    codes: frozenset[int]
    ranges: frozenset[int]
    """The classes of the range keys: 4 for ``4XX``."""
    has_default: bool
    stands_in: bool
    """A ``default`` response is declared and the profile counts it as every error."""

    @classmethod
    def of(cls, operation: Operation, *, default_is_error: bool) -> _Declared:
        entries = operation.responses
        has_default = any(entry.key == "default" for entry in entries)
        return cls(
            codes=frozenset(entry.code for entry in entries if entry.code is not None),
            ranges=frozenset(entry.range_class for entry in entries if entry.range_class is not None),
            has_default=has_default,
            stands_in=has_default and default_is_error,
        )

    def any_between(self, low: int, high: int) -> bool:
        """Whether a numeric key falls in ``low <= code < high``."""
        return any(low <= code < high for code in self.codes)


_Missing = tuple[str, str] | None
"""(what is missing, the code to add), or None when nothing is."""


def _missing_any(declared: _Declared, operation: Operation) -> _Missing:
    if declared.stands_in or declared.has_default or declared.ranges & {4, 5} or declared.any_between(400, 600):
        return None
    return ("no error response", "default")


def _missing_4xx(declared: _Declared, operation: Operation) -> _Missing:
    if declared.stands_in or 4 in declared.ranges or declared.any_between(400, 500):
        return None
    return ("no 4xx response", "400")


def _missing_5xx(declared: _Declared, operation: Operation) -> _Missing:
    if declared.stands_in or 5 in declared.ranges or declared.any_between(500, 600):
        return None
    return ("no 5xx response", "500")


def _missing_default(declared: _Declared, operation: Operation) -> _Missing:
    return None if declared.has_default else ("no default response", "default")


def _missing_validation(declared: _Declared, operation: Operation) -> _Missing:
    takes_input = operation.has_request_body or operation.has_parameters
    if not takes_input or declared.stands_in or 4 in declared.ranges or declared.codes & {400, 422}:
        return None
    return ("no 400 or 422 for invalid input", "400")


def _missing_auth(declared: _Declared, operation: Operation) -> _Missing:
    if not operation.secured or declared.stands_in or 4 in declared.ranges or 401 in declared.codes:
        return None
    return ("no 401 though secured", "401")


def _missing_429(declared: _Declared, operation: Operation) -> _Missing:
    if declared.stands_in or 4 in declared.ranges or 429 in declared.codes:
        return None
    return ("no 429 Too Many Requests", "429")


_ERROR_CHECKS: dict[str, Callable[[_Declared, Operation], _Missing]] = {
    "any": _missing_any,
    "4xx": _missing_4xx,
    "5xx": _missing_5xx,
    "default": _missing_default,
    "validation": _missing_validation,
    "auth": _missing_auth,
    "429": _missing_429,
}
"""Each kind of expected error response (``ResponseRuleOptions.expected_errors``) and its check;
a kind not listed here is not checked."""


class OperationRules:
    """The response-set rules over one document's operations."""

    def __init__(
        self, options: ResponseRuleOptions, add: Add, *, swagger2: bool, spec: str, enabled: Callable[[str], bool] | None = None
    ) -> None:
        """``enabled``: whether a rule reports at all (its severity is not off); a rule that does not
        is not worked out. All do by default."""
        self.options = options
        self.add = add
        self.swagger2 = swagger2
        self.spec = spec
        """The Responses Object section of the document's specification version (the link of
        findings about the set of responses)."""
        self.registry = registry.load()
        on = enabled or (lambda rule: True)
        self._per_operation = (on("missing-success-response"), on("missing-error-response"), on("conflicting-success-responses"))
        self._per_response = (
            on("method-status-mismatch"),
            on("missing-response-header"),
            on("status-not-allowed"),
            on("description-mismatch"),
        )
        strict = options.method_fit == "strict"
        # Under `strict` the guidelines' 201 row (POST and PUT only) replaces RFC 9110's.
        self._fit_rows: dict[int, list[tuple[int, frozenset[str], str, str]]] = {}
        for row in [row for row in _RFC_FIT if not (strict and row[0] == 201)] + (list(_STRICT_FIT) if strict else []):
            self._fit_rows.setdefault(row[0], []).append(row)
        self._wanted: dict[tuple[str, int], tuple[tuple[str, str], ...]] = {}
        """(key, code) -> the headers a response must or should declare, worked out once per code
        (a large description has thousands of responses and a few dozen codes)."""

    def link(self, code: int) -> str:
        """The section of the specification defining ``code``, else the Responses Object's."""
        entry = self.registry.entry(code)
        return entry.url if entry is not None and entry.url else self.spec

    def run(self, operation: Operation) -> None:
        if operation.responses_span is None or not operation.responses:
            return  # no responses object: the specification's validators say so, not us
        success, errors, conflicts = self._per_operation
        if success:
            self.success(operation)
        if errors:
            self.errors(operation)
        if conflicts:
            self.conflicts(operation)
        fit, headers, allowed, description = self._per_response
        for entry in operation.responses:
            code = entry.code
            if code is not None:
                if fit:
                    self.method_fit(operation, entry, code)
                if headers:
                    self.headers(operation, entry, code)
                if allowed:
                    self.allowed(operation, entry, code)
                if description:
                    self.description(operation, entry, code)

    # --- presence ----------------------------------------------------------------------------

    def success(self, operation: Operation) -> None:
        for entry in operation.responses:
            code, range_class = entry.code, entry.range_class
            if range_class in (2, 3) or (code is not None and (200 <= code < 400 or code == 101)):
                return
            if entry.key == "default" and self.options.default_counts_as_success:
                return
        codes = "200" if operation.method != "post" else "201"
        self.add(
            responses_key(operation),
            "missing-success-response",
            say("no success response", f"add a 2xx such as '{codes}'", operation),
            href=self.spec,
            data={"operation": operation.pointer, "add": [codes]},
        )

    def errors(self, operation: Operation) -> None:
        declared = _Declared.of(operation, default_is_error=self.options.default_counts_as_error)
        for kind in self.options.expected_errors:
            check = _ERROR_CHECKS.get(kind)
            missing = check(declared, operation) if check is not None else None
            if missing is None:
                continue
            what, add = missing
            shown = f"'{add}'" if add != "default" else "a default response"
            self.add(
                responses_key(operation),
                "missing-error-response",
                say(what, f"add {shown}", operation),
                href=self.spec,
                data={"operation": operation.pointer, "add": [add], "expected": kind},
            )

    # --- method fit and conflicts ------------------------------------------------------------

    def method_fit(self, operation: Operation, entry: ResponseEntry, code: int) -> None:
        rows = self._fit_rows.get(code)
        if rows is None:
            return
        method = operation.method
        for _, methods, fix, why in rows:
            if method in methods:
                continue
            reason = why.format(method=method.upper())
            self.add(
                entry.span,
                "method-status-mismatch",
                say(_named(code), fix, operation, reason),
                code=code,
                href=self.link(code),
                data={"operation": operation.pointer},
            )
            return

    def conflicts(self, operation: Operation) -> None:
        by_code = {entry.code: entry for entry in operation.responses if entry.code is not None}
        others = sorted(code for code in by_code if 200 <= code < 300 and code != 202)
        if "202" in self.options.conflicts and 202 in by_code and others:
            self.add(
                by_code[202].span,
                "conflicting-success-responses",
                say(f"202 Accepted beside {others[0]}", "keep one", operation, "202 means not done yet"),
                code=202,
                href=self.link(202),
                data={"operation": operation.pointer},
            )
        two = sorted(code for code in by_code if 200 <= code < 300)
        if "101" in self.options.conflicts and 101 in by_code and two:
            self.add(
                by_code[101].span,
                "conflicting-success-responses",
                say(f"101 Switching Protocols beside {two[0]}", "split the operation", operation),
                code=101,
                href=self.link(101),
                data={"operation": operation.pointer},
            )

    # --- one response ------------------------------------------------------------------------

    def headers(self, operation: Operation, entry: ResponseEntry, code: int) -> None:
        if entry.ref is not None and not entry.ref_resolved:
            return  # the response lives in another file: its headers are unknown here
        wanted = self._wanted.get((entry.key, code))
        if wanted is None:
            wanted = self._wanted[(entry.key, code)] = self._headers_wanted(entry.key, code)
        if not wanted:
            return
        declared = {header.lower() for header in entry.headers}
        seen: set[str] = set()
        for header, level in wanted:
            lower = header.lower()
            if lower in declared or lower in seen:
                continue
            seen.add(lower)
            must = level == "required"
            why = f"{code} requires it" if must else f"expected with {code}"
            self.add(
                entry.span,
                "missing-response-header",
                say(f"{code} lacks {header}", "declare it", operation, why),
                code=code,
                href=self.link(code),
                severity_cap=None if must else "warning",
                data={"operation": operation.pointer, "header": header, "required": must},
            )

    def _headers_wanted(self, key: str, code: int) -> tuple[tuple[str, str], ...]:
        """(header, level) of each header a response with this key and code must or should declare."""
        kb_entry = self.registry.entry(code)
        wanted: list[tuple[str, str]] = []
        if kb_entry is not None:
            for known in kb_entry.headers:
                if known.level in ("required", "recommended") and known.name.lower() not in _HOP_BY_HOP:
                    wanted.append((known.name, known.level or "optional"))
        for where in (key, f"{code // 100}XX"):
            for name in self.options.extra_headers.get(where, ()):
                wanted.append((name, "recommended"))
        return tuple(wanted)

    def allowed(self, operation: Operation, entry: ResponseEntry, code: int) -> None:
        preferred = self.options.preferred_codes.get(code)
        allowed = self.options.allowed_codes
        if preferred:
            head, fix, why = str(code), f"use {' or '.join(_named(other) for other in preferred)}", "the profile prefers it"
            if len(fix) > 40:
                fix = f"use {' or '.join(map(str, preferred))}"
        elif allowed is not None and code not in allowed:
            head, why = str(code), "not in the profile's list"
            only_default = 400 <= code < 600 and not any(400 <= other < 600 for other in allowed)
            fix = "declare errors under default" if only_default else "use a listed code"
        else:
            return
        self.add(
            entry.span,
            "status-not-allowed",
            say(head, fix, operation, why),
            code=code,
            href=self.link(code),
            data={"instead": list(preferred or ())},
        )

    def description(self, operation: Operation, entry: ResponseEntry, code: int) -> None:
        text = entry.description
        if not text or entry.description_span is None:
            return
        other = phrase_owner(text)
        if other is None or other == code:
            return
        own = self.registry.entry(code)
        if own is None or _norm(text) in _phrases_of(code):
            return
        self.add(
            entry.description_span,
            "description-mismatch",
            say(f"{code} described as {other}'s '{_clip(text, 24)}'", f"write '{own.phrase}'", operation),
            code=code,
            href=self.link(code),
            data={"replacement": own.phrase, "operation": operation.pointer},
        )


_NOT_WORD = re.compile(r"[^a-z0-9' ]+")


def _norm(text: str) -> str:
    return " ".join(_NOT_WORD.sub(" ", text.lower().replace("\N{RIGHT SINGLE QUOTATION MARK}", "'")).split())


def _phrases_of(code: int) -> frozenset[str]:
    entry = registry.load().entry(code)
    if entry is None:
        return frozenset()
    return frozenset(_norm(phrase) for phrase in (entry.phrase, *entry.aka))


_OWNERS: dict[str, int] | None = None
_OWNER_OF_TEXT: dict[str, int | None] = {}
"""What `phrase_owner` said of each description text: a large description repeats a few hundred
texts over thousands of responses ("Response" 166 times in GitHub's), and normalising each cost
more than the rule's other work."""
_OWNER_OF_TEXT_KEPT = 4096


def phrase_owner(text: str) -> int | None:
    """The standard code whose reason phrase ``text`` is (``Created`` -> 201), if any."""
    if text in _OWNER_OF_TEXT:
        return _OWNER_OF_TEXT[text]
    global _OWNERS
    if _OWNERS is None:
        owners: dict[str, int] = {}
        for entry in registry.load().entries:
            if entry.standing == "standard":
                for phrase in (entry.phrase, *entry.aka):
                    owners.setdefault(_norm(phrase), entry.code)
        _OWNERS = owners
    if len(_OWNER_OF_TEXT) >= _OWNER_OF_TEXT_KEPT:
        _OWNER_OF_TEXT.clear()
    owner = _OWNER_OF_TEXT[text] = _OWNERS.get(_norm(text))
    return owner
