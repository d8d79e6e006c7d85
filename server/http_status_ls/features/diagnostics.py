"""Judges the occurrences of one analysis: what is wrong with a code, a name or an OpenAPI key.

:func:`findings` is the judgement itself, in code points and free of LSP (the ``check`` CLI can print
it); :func:`diagnostics` turns it into LSP diagnostics. Rule ids are stable: configuration, code
actions and users' suppressions refer to them.

Nothing here imports lsprotocol until an LSP diagnostic is built: importing ``lsprotocol.types``
takes over half a second, which ``http-status-ls check`` would pay on every run. Severities are
therefore ``kb.rules``' :class:`Severity` with the LSP numbers, converted in :func:`to_diagnostic`.

What each rule is, its default severity and the per-code refinements (``"418"`` is Information
although other reserved codes warn) live in ``kb.rules``; the judge reads a flat table of the same
shape as :data:`SEVERITY`, with the user's choices layered on (None switches a rule or code off).
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from http_status_ls.core.occurrences import Analysis, Kind, Occurrence, ResponsesBlock, Span
from http_status_ls.features import render
from http_status_ls.kb import libraries, registry
from http_status_ls.kb.registry import StatusEntry
from http_status_ls.kb.rules import JUDGING_THE_CODE, RULE_IDS, SEVERITY, Severity

if TYPE_CHECKING:
    from lsprotocol import types

    from http_status_ls.core.positions import RangeMaker

SOURCE = "http-status-ls"

RULES: tuple[str, ...] = RULE_IDS
"""The rule ids, under the name the session and ``check`` tests still import (``kb.rules.RULE_IDS``)."""

_RANGE = re.compile(r"[1-5]XX")
_ANY_CASE_RANGE = re.compile(r"[1-5][xX]{2}")
_DIGIT_RANGE = re.compile(r"\d[xX]{2}")
_CONSTANT_NAME = re.compile(r"(HTTP_?)?[A-Z][A-Z0-9_]*|HTTP[A-Z][A-Za-z]+")

IANA_REGISTRY = "https://www.iana.org/assignments/http-status-codes/http-status-codes.xhtml"
RFC9110_STATUS = "https://www.rfc-editor.org/rfc/rfc9110#section-15"


def responses_object_url(openapi: str | None) -> str:
    """The Responses Object section of the specification version a document declares."""
    if openapi and openapi.startswith("2"):
        return "https://spec.openapis.org/oas/v2.0.html#responses-object"
    if openapi and openapi.startswith("3.0"):
        return "https://spec.openapis.org/oas/v3.0.3.html#responses-object"
    return "https://spec.openapis.org/oas/v3.1.1.html#responses-object"


@dataclass(frozen=True, kw_only=True)
class Finding:
    """One problem, in code points."""

    span: Span
    rule: str
    severity: Severity
    message: str
    href: str | None = None
    deprecated: bool = False
    code: int | None = None
    related: tuple[tuple[Span, str], ...] = ()
    data: Mapping[str, Any] = field(default_factory=dict)
    """What a code action needs: the rule, the code, replacements."""


def _sentence(text: str | None) -> str:
    """The first sentence of a knowledge-base paragraph, for a one-line message."""
    if not text:
        return ""
    match = re.match(r"(.+?[.!?])(?=\s+[A-Z(`\"'])", text, re.S)
    sentence = (match[1] if match else text).strip()
    return sentence.rstrip(".") + "."


def title(entry: StatusEntry) -> str:
    """``404 Not Found``; for placeholder phrases the known name first: ``418 I'm a Teapot (Unused)``."""
    if entry.phrase.startswith("(") and entry.aka:
        return f"{entry.code} {entry.aka[0]} {entry.phrase}"
    return f"{entry.code} {entry.phrase}"


def _instead(entry: StatusEntry) -> str:
    """What to use instead: the entry's portable codes, else the knowledge base's note on the first
    registered code it is compared with (305 -> what 307 does)."""
    reg = registry.load()
    names = []
    for code in entry.instead:
        other = reg.entry(code)
        names.append(title(other) if other else str(code))
    if not names:
        for comparison in entry.compare:
            other = reg.entry(comparison.code)
            if other is not None and other.standing == "standard" and comparison.note:
                return " " + _sentence(comparison.note)
        return ""
    if len(names) == 1:
        return f" Use {names[0]} instead."
    return f" Use {names[0]} instead (or {', '.join(names[1:])})."


class _Judge:
    """Collects the findings of one analysis."""

    def __init__(self, analysis: Analysis, today: datetime.date, severity: Mapping[str, Severity | None]):
        self.analysis = analysis
        self.today = today
        self.severity = severity
        self.registry = registry.load()
        self.found: list[Finding] = []
        openapi = analysis.openapi
        self.swagger2 = bool(openapi and openapi.startswith("2"))
        self.spec = responses_object_url(openapi)
        self.body_field = "schema" if self.swagger2 else "content"
        # OpenAPI 3 requires quoted codes; JSON keys are always quoted and Swagger 2.0 does not care.
        self.unquoted_matters = analysis.language == "yaml" and not self.swagger2

    def add(self, span: Span, rule: str, message: str, *, code: int | None = None, **extra: Any) -> None:
        level = self.severity.get(rule)
        if code is not None and rule in JUDGING_THE_CODE and str(code) in self.severity:
            level = self.severity[str(code)]
        if level is None:
            return
        data = {"rule": rule, **({"code": code} if code is not None else {}), **extra.pop("data", {})}
        self.found.append(Finding(span=span, rule=rule, severity=level, message=message, code=code, data=data, **extra))

    # --- codes -------------------------------------------------------------------------------

    def code(self, occurrence: Occurrence, code: int) -> None:
        span = occurrence.span
        well_formed = 100 <= code <= 599
        if occurrence.kind is Kind.RESPONSE_KEY and occurrence.value is not None:
            well_formed = well_formed and len(occurrence.value) == 3  # '0200' is not '200'
        entry = self.registry.entry(code) if well_formed else None
        if entry is not None:
            if entry.standing != "standard":  # the common case costs one lookup
                self.standing(span, entry)
            return
        if not occurrence.confident:
            return  # a number that may not be a status at all is not worth calling a bad one
        shown = occurrence.value if occurrence.kind is Kind.RESPONSE_KEY and occurrence.value else str(code)
        known = self.registry.not_status(code)
        if not well_formed:
            message = f"{shown} is not an HTTP status code: status codes are three digits from 100 to 599."
            if known is not None:
                vendors = f" ({', '.join(known.vendors)})" if known.vendors else ""
                message += f' It is "{known.name}"{vendors}. {_sentence(known.note)}'
            self.add(span, "invalid-code", message, code=code, href=RFC9110_STATUS)
        elif known is not None:
            what = "a warn-code of the Warning header" if known.kind == "warn-code" else known.kind
            message = (
                f'{code} "{known.name}" is not an HTTP status code: it is {what}. '
                f"On a status line clients would read it as an unknown {code // 100}xx, i.e. as {code // 100}00. "
                f"Use a registered {code // 100}xx code."
            )
            self.add(span, "not-a-status-code", message, code=code, href=IANA_REGISTRY)
        else:
            klass = self.registry.status_class(code // 100)
            fallback = self.registry.entry(code // 100 * 100)
            message = (
                f"{code} is not a registered status code ({klass.title if klass else f'{code // 100}xx'} class, "
                f"unassigned by IANA): clients treat it as {title(fallback) if fallback else f'{code // 100}00'}, "
                f"so its meaning is lost. Use a registered {code // 100}xx code."
            )
            self.add(span, "unassigned-code", message, code=code, href=IANA_REGISTRY)

    def standing(self, span: Span, entry: StatusEntry) -> None:
        name = title(entry)
        reference = f" ({entry.reference})" if entry.reference else ""
        why = _sentence(entry.standing_note or entry.summary)
        instead = _instead(entry)
        if entry.standing in ("deprecated", "reserved"):
            instead = " Do not use it." + instead
        data = {"instead": list(entry.instead)}
        if entry.standing == "deprecated":
            self.add(
                span,
                "deprecated-code",
                f"{name} is deprecated{reference}. {why}{instead}",
                code=entry.code,
                href=entry.url,
                deprecated=True,
                data=data,
            )
        elif entry.standing == "reserved":
            self.add(
                span,
                "reserved-code",
                f"{name} is reserved and unused{reference}. {why}{instead}",
                code=entry.code,
                href=entry.url,
                data=data,
            )
        elif entry.standing == "obsolete":
            self.add(
                span,
                "obsolete-code",
                f"{name} is obsolete{reference}. {why}{instead}",
                code=entry.code,
                href=entry.url or IANA_REGISTRY,
                deprecated=True,
                data=data,
            )
        elif entry.standing == "provisional":
            state = render.expiry_state(entry, self.today) or "has no fixed expiry"
            self.add(
                span,
                "provisional-code",
                f"{name} is only provisionally registered: its temporary IANA registration {state}"
                f"{reference}. Clients that do not implement it ignore it.{instead}",
                code=entry.code,
                href=entry.url or IANA_REGISTRY,
                data=data,
            )
        elif entry.standing == "unofficial":
            vendors = ", ".join(entry.vendors) or "no standard"
            fallback = self.registry.entry(entry.code // 100 * 100)
            generic = f"an unknown {entry.code // 100}xx" + (f", i.e. as {title(fallback)}" if fallback else "")
            self.add(
                span,
                "unofficial-code",
                f"{name} is unofficial ({vendors}) and not in the IANA registry: other clients read it as "
                f"{generic}.{instead or ' Use a registered code.'}",
                code=entry.code,
                href=entry.url or IANA_REGISTRY,
                data=data,
            )

    # --- names -------------------------------------------------------------------------------

    def name(self, occurrence: Occurrence) -> None:
        ref = occurrence.name
        if ref is None:
            self.unknown_name(occurrence)
            return
        if ref.deprecated:
            entry = self.registry.entry(ref.code)
            meaning = f" ({title(entry)})" if entry else ""
            new = ref.replacement or "the current name"
            self.add(
                occurrence.span,
                "deprecated-name",
                f"{ref.name} is deprecated in {ref.library}: use {new}{meaning}, named after the current RFC 9110 phrase.",
                code=ref.code,
                href=entry.url if entry else None,
                deprecated=True,
                data={"replacement": ref.replacement, "library": ref.library},
            )
        self.code(occurrence, ref.code)

    def unknown_name(self, occurrence: Occurrence) -> None:
        library = occurrence.context
        token = occurrence.text
        # Only constant-looking names: namespaces also have methods and helpers (codes.get,
        # HTTPStatus.is_success) and starlette.status has WebSocket close codes (WS_1000_...).
        if not _CONSTANT_NAME.fullmatch(token) or token.startswith("WS_"):
            return
        names = [ref.name for ref in self.registry.names_of(library)]
        close = difflib.get_close_matches(token, names, n=1)
        hint = f" Did you mean {close[0]}?" if close else ""
        self.add(
            occurrence.span,
            "unknown-name",
            f"{token} is not a status code name in {library}.{hint}",
            href=libraries.docs_url(library),
            data={"library": library, "suggestion": close[0] if close else None},
        )

    # --- OpenAPI keys ------------------------------------------------------------------------

    def response_key(self, occurrence: Occurrence) -> None:
        value = occurrence.value if occurrence.value is not None else occurrence.text.strip("'\"")
        if value == "default":
            return
        swagger2, spec = self.swagger2, self.spec
        if value.isascii() and value.isdigit():
            code = int(value)
            self.code(occurrence, code)
            if not occurrence.quoted and self.unquoted_matters:
                self.add(
                    occurrence.span,
                    "unquoted-response-key",
                    f"{self._key_name(code)}: OpenAPI 3 requires status code keys in quotes ('{value}'); "
                    f"unquoted, YAML reads {value} as an integer.",
                    code=code,
                    href=spec,
                    data={"replacement": f"'{value}'"},
                )
            if occurrence.body_span is not None:
                self.body(occurrence, code)
            return
        if _RANGE.fullmatch(value):
            if swagger2:
                self.add(
                    occurrence.span,
                    "invalid-range-key",
                    f"'{value}': Swagger 2.0 has no status code ranges; list the codes or use default "
                    f"(ranges arrived in OpenAPI 3.0).",
                    href=spec,
                )
            else:
                self.body(occurrence, None, range_class=int(value[0]))
            return
        if _ANY_CASE_RANGE.fullmatch(value):
            fixed = value[0] + "XX"
            self.add(
                occurrence.span,
                "invalid-range-key",
                f"'{value}' is not a response key OpenAPI understands: ranges are written with an "
                f"upper-case X, '{fixed}'." + (" Swagger 2.0 has no ranges at all." if swagger2 else ""),
                href=spec,
                data={"replacement": None if swagger2 else fixed},
            )
            return
        if _DIGIT_RANGE.fullmatch(value):
            self.add(
                occurrence.span,
                "invalid-range-key",
                f"'{value}' is not a status code range: ranges go from 1XX to 5XX.",
                href=spec,
            )
            return
        self.add(
            occurrence.span,
            "invalid-code",
            f"'{value}' is not a status code: response keys are status codes ('200'), ranges ('4XX', OpenAPI 3) or default.",
            href=spec,
        )

    def _key_name(self, code: int) -> str:
        entry = self.registry.entry(code)
        return title(entry) if entry else str(code)

    def body(self, occurrence: Occurrence, code: int | None, *, range_class: int | None = None) -> None:
        if occurrence.body_span is None:
            return
        field_name = self.body_field
        if range_class == 1:
            name = "1XX Informational responses"
        else:
            entry = self.registry.entry(code) if code is not None else None
            if entry is None or entry.body_allowed:
                return
            name = title(entry)
        self.add(
            occurrence.body_span,
            "body-not-allowed",
            f"{name} must not have a body, but this response declares `{field_name}`; remove it (headers are fine).",
            code=code,
            href=self.spec,
        )

    def duplicates(self, block: ResponsesBlock) -> None:
        if (
            len(block.keys) < 2
            or len({key.value for key in block.keys}) == len(block.keys)
            and not any(key.value is None or key.value.startswith("0") for key in block.keys)
        ):
            return  # distinct values without leading zeros cannot name the same code twice
        first: dict[str, Occurrence] = {}
        for key in block.keys:
            value = key.value if key.value is not None else key.text.strip("'\"")
            normal = str(int(value)) if value.isascii() and value.isdigit() else value
            if normal not in first:
                first[normal] = key
                continue
            earlier = first[normal]
            self.add(
                key.span,
                "duplicate-response-key",
                f"'{value}' appears twice in this responses object (first on line {earlier.span.start_line + 1}): "
                f"the later entry silently replaces the earlier one.",
                code=key.code,
                href=self.spec,
                related=((earlier.span, f"first '{value}' here"),),
            )

    # --- all ---------------------------------------------------------------------------------

    def run(self) -> list[Finding]:
        for occurrence in self.analysis.occurrences:
            if occurrence.kind is Kind.NAME:
                self.name(occurrence)
            elif occurrence.kind is Kind.RESPONSE_KEY:
                self.response_key(occurrence)
            elif occurrence.code is not None:
                self.code(occurrence, occurrence.code)
        for block in self.analysis.detection.responses:
            self.duplicates(block)
        self.found.sort(key=lambda f: (f.span.start_line, f.span.start_col, f.rule))
        return self.found


def findings(
    analysis: Analysis,
    *,
    today: datetime.date | None = None,
    severity: Mapping[str, Severity | None] | None = None,
) -> list[Finding]:
    """Every problem in one analysis, sorted by position."""
    return _Judge(analysis, today or datetime.date.today(), SEVERITY if severity is None else severity).run()


def _range_maker(to_range: RangeMaker | None) -> RangeMaker:
    """``to_range``, else code points; imported here as ``core.positions`` loads lsprotocol."""
    if to_range is not None:
        return to_range
    from http_status_ls.core.positions import span_range

    return span_range


def to_diagnostic(finding: Finding, uri: str, to_range: RangeMaker | None = None) -> types.Diagnostic:
    """One finding as an LSP diagnostic, its ranges made by ``to_range`` (code points by default)."""
    from lsprotocol import types

    to_range = _range_maker(to_range)
    return types.Diagnostic(
        range=to_range(finding.span),
        message=finding.message,
        severity=types.DiagnosticSeverity(int(finding.severity)),
        code=finding.rule,
        code_description=types.CodeDescription(href=finding.href) if finding.href else None,
        source=SOURCE,
        tags=[types.DiagnosticTag.Deprecated] if finding.deprecated else None,
        related_information=[
            types.DiagnosticRelatedInformation(location=types.Location(uri=uri, range=to_range(span)), message=text)
            for span, text in finding.related
        ]
        or None,
        data=dict(finding.data) or None,
    )


def diagnostics(
    analysis: Analysis,
    *,
    to_range: RangeMaker | None = None,
    today: datetime.date | None = None,
    severity: Mapping[str, Severity | None] | None = None,
) -> list[types.Diagnostic]:
    """The LSP diagnostics of one analysis, ranges made by ``to_range`` (code points by default)."""
    to_range = _range_maker(to_range)
    return [to_diagnostic(f, analysis.uri, to_range) for f in findings(analysis, today=today, severity=severity)]
