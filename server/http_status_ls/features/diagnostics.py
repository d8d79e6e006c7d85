"""Judges the occurrences of one analysis: what is wrong with a code, a name or an OpenAPI key.

:func:`findings` is the judgement itself, in code points and free of LSP (the ``check`` CLI can print
it); :func:`diagnostics` turns it into LSP diagnostics. Rule ids are stable: configuration, code
actions and users' suppressions refer to them.

Messages are one line of at most :data:`MESSAGE_LIMIT` characters with the fix first (see the
grammar in `diagnostic_messages`); the longer story is in the hover and behind each diagnostic's link.
``tests/unit/features/test_messages.py`` walks every code, name and key through them.

Nothing here imports lsprotocol until an LSP diagnostic is built: importing ``lsprotocol.types``
takes over half a second, which ``http-status-ls check`` would pay on every run. Severities are
therefore ``kb.rules``' :class:`Severity` with the LSP numbers, converted in :func:`to_diagnostic`.

The keys of an OpenAPI ``responses`` object are judged in `openapi_key_checks`, the operations'
response sets in `openapi_checks`.

What each rule is, its default severity and the per-code refinements (``"418"`` is Information
although other reserved codes warn) live in ``kb.rules``; the judge reads a flat table of the same
shape as :data:`SEVERITY`, with the user's choices layered on (None switches a rule or code off).
"""

from __future__ import annotations

import datetime
import difflib
import logging
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from http_status_ls.core.occurrences import Analysis, Kind, Occurrence, Role, Span
from http_status_ls.core.project_target import UNKNOWN as UNKNOWN_TARGET
from http_status_ls.core.project_target import ProjectTarget
from http_status_ls.features import openapi_key_checks

# The message grammar lives in `diagnostic_messages`; its public names stay importable from here.
from http_status_ls.features.diagnostic_messages import FIX_WITHIN as FIX_WITHIN
from http_status_ls.features.diagnostic_messages import (
    KEY_LIMIT,
    NAME_LIMIT,
    as_written,
    clip,
    fit,
    invalid_message,
    registered_in_class,
    short_title,
    standing_message,
)
from http_status_ls.features.diagnostic_messages import MESSAGE_LIMIT as MESSAGE_LIMIT
from http_status_ls.features.diagnostic_messages import suggested_codes as suggested_codes
from http_status_ls.features.diagnostic_messages import title as title
from http_status_ls.kb import libraries, registry
from http_status_ls.kb.profiles import DEFAULT_PROFILE, PROFILES, ResponseRuleOptions
from http_status_ls.kb.registry import StatusEntry
from http_status_ls.kb.rules import JUDGING_THE_CODE, RULE_IDS, SEVERITY, Severity

if TYPE_CHECKING:
    from lsprotocol import types

    from http_status_ls.core.positions import RangeMaker

SOURCE = "http-status-ls"

RULES: tuple[str, ...] = RULE_IDS
"""The rule ids, under the name the session and ``check`` tests still import (``kb.rules.RULE_IDS``)."""

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


SOFTENED_WHERE_READ: frozenset[str] = JUDGING_THE_CODE - {"invalid-code", "not-a-status-code"}
"""The rules about a code's standing, which judge what a program sends: where the program only
reads a code that another party may send (an unofficial, deprecated, unassigned... code), they are
information at most. A number that is not a status at all stays as it is wherever it is written:
``invalid-code`` (600) and ``not-a-status-code`` (``== 299`` mixes up the Warning header's codes)."""


def severity_for_role(rule: str, level: Severity | None, role: Role) -> Severity | None:
    """The severity of a finding of ``rule`` (configured at ``level``) on a code the program
    ``role``: unchanged where it sends or declares it; at most Information where it only reads it
    (``resp.status_code in (420, 429)``); none at all on a class edge (``code > 199``,
    ``status < 600``), which names a class, not a code (docs/contexts.md)."""
    if level is None or role in (Role.SENDS, Role.UNKNOWN) or rule not in JUDGING_THE_CODE:
        return level
    if role is Role.BOUND:
        return None
    if rule in SOFTENED_WHERE_READ:
        return max(level, Severity.Information)  # a larger number is a milder severity
    return level


class _Judge:
    """Collects the findings of one analysis."""

    def __init__(
        self,
        analysis: Analysis,
        today: datetime.date,
        severity: Mapping[str, Severity | None],
        target: ProjectTarget = UNKNOWN_TARGET,
        text: str | Callable[[], str] | None = None,
        lines: Sequence[str] | None = None,
    ):
        self.analysis = analysis
        self.text_source = text
        """The text, or a function giving it (a server's document joins its lines only when asked):
        the model carried over an edit (``detect.openapi_operations.model_of``) never asks."""
        self.lines = lines
        """The text's lines as the server's document keeps them, if at hand: they make the model cheap
        to carry over an edit (``detect.openapi_operations.model_of``)."""
        """The document's text: the response-set rules read it (see `openapi_checks`); None skips them."""
        self.options: ResponseRuleOptions = getattr(severity, "options", None) or PROFILES[DEFAULT_PROFILE].options
        self.quiet: set[Span] = set()
        """Response keys already reported as part of a run (see `openapi_checks.unregistered_runs`)."""
        self.model: Any = None
        """The operations model (``detect.openapi_operations``), when the response-set rules run."""
        self.contradicted: set[Span] = set()
        """Response keys whose description contradicts the knowledge base's vendor meaning."""
        self.today = today
        self.severity = severity
        self.registry = registry.load()
        self.target = target
        """The project's versions: a name is deprecated only where its replacement exists."""
        self.found: list[Finding] = []
        openapi = analysis.openapi
        self.swagger2 = bool(openapi and openapi.startswith("2"))
        self.spec = responses_object_url(openapi)
        self.body_field = "schema" if self.swagger2 else "content"
        # OpenAPI 3 requires quoted codes; JSON keys are always quoted and Swagger 2.0 does not care.
        self.unquoted_matters = analysis.language == "yaml" and not self.swagger2
        self.role = Role.UNKNOWN
        """What the program does with the occurrence being judged (see `severity_for_role`)."""

    def add(self, span: Span, rule: str, message: str, *, code: int | None = None, **extra: Any) -> None:
        level = self.severity.get(rule)
        if code is not None and rule in JUDGING_THE_CODE and str(code) in self.severity:
            level = self.severity[str(code)]
        level = severity_for_role(rule, level, self.role)
        if level is None:
            return
        at_most = extra.pop("at_most", None)
        if at_most is not None:
            level = max(level, at_most)  # a larger number is a milder severity
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
        if not occurrence.confident or span in self.quiet:
            return  # a number that may not be a status at all is not worth calling a bad one
        shown = clip(as_written(occurrence, code), KEY_LIMIT)
        known = self.registry.not_status(code)
        if not well_formed:
            self.add(span, "invalid-code", invalid_message(shown, code, known), code=code, href=RFC9110_STATUS)
        elif known is not None:
            what = "a Warning header warn-code" if known.kind == "warn-code" else known.kind
            message = fit([f"{code} is {what}, not a status code"], [registered_in_class(code)])
            self.add(span, "not-a-status-code", message, code=code, href=IANA_REGISTRY)
        else:
            fallback = self.registry.entry(code // 100 * 100)
            fixes = [registered_in_class(code)]
            if fallback is not None:
                fixes.insert(0, f"{fixes[0]} (clients read it as {short_title(fallback)})")
            self.add(span, "unassigned-code", fit([f"{shown} is unassigned"], fixes), code=code, href=IANA_REGISTRY)

    def standing(self, span: Span, entry: StatusEntry) -> None:
        rule = {
            "deprecated": "deprecated-code",
            "reserved": "reserved-code",
            "obsolete": "obsolete-code",
            "provisional": "provisional-code",
            "unofficial": "unofficial-code",
        }[entry.standing]
        # Deprecated and reserved codes have their RFC section as their link; the others may have none.
        href = entry.url if entry.standing in ("deprecated", "reserved") else entry.url or IANA_REGISTRY
        message = standing_message(entry, self.today, reading=self.role is Role.READS)
        if entry.standing == "unofficial" and span in self.contradicted:
            # The response's own description means something else than the vendors' meaning
            # ('494': InvalidErrorCode is not nginx's Request Header Too Large): only the fact holds.
            message = fit([f"{entry.code} is unregistered"], [registered_in_class(entry.code)])
        self.add(
            span,
            rule,
            message,
            code=entry.code,
            href=href,
            deprecated=entry.standing in ("deprecated", "obsolete"),
            data={"instead": list(entry.instead)},
        )

    # --- names -------------------------------------------------------------------------------

    def name(self, occurrence: Occurrence) -> None:
        ref = occurrence.name
        if ref is None:
            self.unknown_name(occurrence)
            return
        # starlette deprecated its old spellings in the release that brought the new ones: on an
        # older (or unknown) starlette the old one is the name, and its fix would break the code.
        if self.target.deprecates(ref):
            entry = self.registry.entry(ref.code)
            self.add(
                occurrence.span,
                "deprecated-name",
                fit([f"{clip(ref.name, NAME_LIMIT)} is deprecated"], [f"use {ref.replacement or 'the current name'}"]),
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
        names = [ref.name for ref in self.registry.names_of(library) if self.target.has(ref)]
        close = difflib.get_close_matches(token, names, n=1)
        shown = clip(token, NAME_LIMIT)
        if close:
            heads = [f"{shown} is not in {library}", f"{shown} is unknown", f"{clip(token, KEY_LIMIT)} is unknown"]
            message = fit(heads, [f"did you mean {close[0]}?"])
        else:
            message = fit([f"{shown} is not a status code name in {library}"])
        self.add(
            occurrence.span,
            "unknown-name",
            message,
            href=libraries.docs_url(library),
            data={"library": library, "suggestion": close[0] if close else None},
        )

    def occurrences(self) -> None:
        """Judge each occurrence, and each responses object's keys together. In an API description,
        an occurrence or a responses object the last judgement saw (the same object: a keystroke
        keeps those of the sections it did not touch) has the same findings while what the
        judgement depends on stays the same (`_JudgedBefore`): judging 20,000 keys again costs
        milliseconds a keystroke."""
        before = self._judged_before()
        occurrences = self._each(self.analysis.occurrences, before.occurrences if before is not None else None, self._occurrence)
        self.role = Role.UNKNOWN
        blocks = self._each(
            self.analysis.detection.responses,
            before.blocks if before is not None else None,
            partial(openapi_key_checks.duplicates, self),
        )
        if before is not None:
            before.occurrences, before.blocks = occurrences, blocks

    def _occurrence(self, occurrence: Occurrence) -> None:
        self.role = occurrence.role
        if occurrence.kind is Kind.NAME:
            self.name(occurrence)
        elif occurrence.kind is Kind.RESPONSE_KEY:
            openapi_key_checks.response_key(self, occurrence)
        elif occurrence.code is not None:
            self.code(occurrence, occurrence.code)

    def _each(self, items: Iterable[Any], last: Mapping[int, _Judged] | None, judge: Callable[[Any], None]) -> dict[int, _Judged]:
        """Judge each item, or take the findings the last judgement made of the same object;
        the findings of each, by the item's ``id``, to keep when there is a last judgement."""
        found = self.found  # appended to in place by the checks
        judged: dict[int, _Judged] = {}
        for item in items:
            key = id(item)
            known = last.get(key) if last is not None else None
            if known is not None and known[0] is item:
                found.extend(known[1])
                judged[key] = known
                continue
            start = len(found)
            judge(item)
            if last is not None:
                # Most keys have no finding: a keystroke that reads the text again (broken JSON)
                # judges every key afresh, and a new empty list for each of GitHub's 18,580 showed.
                judged[key] = (item, found[start:] if len(found) > start else ())
        return judged

    def _judged_before(self) -> _JudgedBefore | None:
        """What the last judgement of this API description found per occurrence, emptied when what
        it depended on changed; None for other documents (Python's read the project and the text)."""
        if self.model is None:
            return None
        uri = self.analysis.uri
        context = (
            self.options,
            self.target,
            self.today,
            self.analysis.openapi,
            self.analysis.language,
            frozenset(self.quiet),
            frozenset(self.contradicted),
        )
        last = _JUDGED_BEFORE.pop(uri, None)
        if last is None or last.severity is not self.severity or last.context != context:
            last = _JudgedBefore(self.severity, context)
        _JUDGED_BEFORE[uri] = last
        while len(_JUDGED_BEFORE) > _JUDGED_KEPT:
            del _JUDGED_BEFORE[next(iter(_JUDGED_BEFORE))]
        return last

    @property
    def text(self) -> str | None:
        source = self.text_source
        if callable(source):
            source = self.text_source = source()
        return source

    # --- all ---------------------------------------------------------------------------------

    def run(self) -> list[Finding]:
        if self.text_source is not None and self.analysis.openapi is not None:
            from http_status_ls.features import openapi_checks

            openapi_checks.before(self)
        self.occurrences()
        if self.model is not None:
            from http_status_ls.features import openapi_checks

            openapi_checks.after(self)
        if self.severity.get("status-style") is not None and self.analysis.language == "python":
            from http_status_ls.features import status_style  # off by default: loaded when switched on

            status_style.judge(self)
        if self.text_source is not None and self.analysis.language == "python":
            from http_status_ls.detect.python.routes import HANDLER_RULES, handler_findings

            if any(self.severity.get(rule) is not None for rule in HANDLER_RULES):
                for problem in handler_findings(self.text or "", self.analysis.detection):
                    entry = self.registry.entry(problem.code)
                    href = entry.url if entry is not None else RFC9110_STATUS
                    self.add(problem.span, problem.rule, problem.message, code=problem.code, href=href)
        self.found.sort(key=lambda f: (f.span.start_line, f.span.start_col, f.rule))
        return self.found


_Judged = tuple[Any, Sequence[Finding]]
"""An occurrence or a responses object, and the findings a judgement made of it."""


@dataclass(slots=True)
class _JudgedBefore:
    """One API description's last judgement of its occurrences: what it depended on, and the
    findings of each occurrence and responses object (with the object), by the object's ``id``."""

    severity: Mapping[str, Severity | None]
    """Compared by identity: the session keeps one table until the settings change."""
    context: tuple[Any, ...]
    """The rest, compared by value: the profile's options, the project, the day, the version and
    language, and the keys the response-set checks set apart (`openapi_checks.before`)."""
    occurrences: dict[int, _Judged] = field(default_factory=dict)
    blocks: dict[int, _Judged] = field(default_factory=dict)


_JUDGED_BEFORE: dict[str, _JudgedBefore] = {}
_JUDGED_KEPT = 8


def forget_document(uri: str) -> None:
    """Drop what the judgement keeps of a document between its versions (the operations model, the
    rules' last run, the findings per occurrence): it closed, and those hold its analysis alive."""
    from http_status_ls.detect import openapi_operations
    from http_status_ls.features import openapi_checks

    _JUDGED_BEFORE.pop(uri, None)
    openapi_checks.forget(uri)
    openapi_operations.forget(uri)


def findings(
    analysis: Analysis,
    *,
    today: datetime.date | None = None,
    severity: Mapping[str, Severity | None] | None = None,
    target: ProjectTarget = UNKNOWN_TARGET,
    text: str | Callable[[], str] | None = None,
    lines: Sequence[str] | None = None,
) -> list[Finding]:
    """Every problem in one analysis, sorted by position; ``target`` is the project's versions
    (nothing known by default), which decide whether a library name counts as deprecated. ``text``
    is the analysed text: without it the OpenAPI response-set rules (which read more than the
    occurrences) are skipped. ``severity`` may carry the profile's options as ``.options``
    (``core.settings.SeverityTable``)."""
    table = SEVERITY if severity is None else severity
    if getattr(table, "options", None) is None:
        table = with_default_profile(table)
    return _Judge(analysis, today or datetime.date.today(), table, target, text, lines).run()


def with_default_profile(table: Mapping[str, Severity | None]) -> Mapping[str, Severity | None]:
    """A plain severity table (not one the settings made, which carries its profile) with the
    default profile's severities for the rules it leaves at the rules table's defaults."""
    global _LAST_PLAIN
    if _LAST_PLAIN is not None and _LAST_PLAIN[0] is table:
        return _LAST_PLAIN[1]  # the same table: the same result, so caches keyed on it still hit
    profile = PROFILES[DEFAULT_PROFILE].severities
    changed = {rule: level for rule, level in profile.items() if rule in table and table[rule] == SEVERITY.get(rule) != level}
    result = {**table, **changed} if changed else table
    _LAST_PLAIN = (table, result)
    return result


_LAST_PLAIN: tuple[Mapping[str, Severity | None], Mapping[str, Severity | None]] | None = None


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
    target: ProjectTarget = UNKNOWN_TARGET,
    text: str | Callable[[], str] | None = None,
    lines: Sequence[str] | None = None,
) -> list[types.Diagnostic]:
    """The LSP diagnostics of one analysis, ranges made by ``to_range`` (code points by default)."""
    to_range = _range_maker(to_range)
    found = findings(analysis, today=today, severity=severity, target=target, text=text, lines=lines)
    return [to_diagnostic(f, analysis.uri, to_range) for f in found]


_WARM_UP_SPEC = "openapi: 3.0.0\npaths:\n  /a:\n    get:\n      responses:\n        '201':\n          description: OK\n"


def warm_up_rules() -> None:
    """Judge a tiny API description once, so the first one opened does not also pay for loading the
    response-set rules and their tables (about 30 ms). A failure here is logged, never raised: the
    first real description would then report it."""
    from http_status_ls.detect.analysis import analyse

    try:
        findings(analyse("warm-up.yaml", None, _WARM_UP_SPEC, None), text=_WARM_UP_SPEC)
    except Exception:
        logging.getLogger(__name__).exception("warming up the OpenAPI rules failed")
