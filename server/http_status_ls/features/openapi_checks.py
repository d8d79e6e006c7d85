"""The OpenAPI checks that need the operations model, run by the diagnostics judge.

:func:`before` runs ahead of the per-occurrence judgement: it builds the model (once per analysis,
see ``detect.openapi_operations.model_of``) and notes the response keys whose findings change
because of what is around them: a run of consecutive unregistered codes (old AWS descriptions number
their error types ``'480'``, ``'481'``...) is reported once, and an unofficial code whose own
description contradicts its vendors' meaning is called unregistered without their story.
:func:`after` runs the response-set rules (`openapi_rules`) and the body checks the occurrences
cannot make alone: any body on a HEAD operation, and a body reached through a ``$ref``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from http_status_ls.core.occurrences import Kind, Occurrence, Role, Span
from http_status_ls.detect.openapi_operations import OpenApiDocument, Operation, model_of
from http_status_ls.features import openapi_rules
from http_status_ls.kb import registry
from http_status_ls.kb.profiles import ResponseRuleOptions
from http_status_ls.kb.rules import Severity

if TYPE_CHECKING:
    from http_status_ls.features.diagnostics import Finding

RUN_LENGTH = 3
"""This many consecutive unregistered codes or more in one ``responses`` object are one finding."""

_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_SMALL_WORDS = frozenset({"the", "too", "and", "for", "not", "with", "was", "has", "sent", "request", "error", "response"})


def before(judge: Any) -> None:
    model = model_of(judge.analysis, judge.text_source, judge.lines)
    judge.model = model
    if model is None:
        return
    unregistered, unofficial = _kinds()
    special = unregistered | unofficial
    descriptions: dict[Span, str | None] | None = None
    for block in judge.analysis.detection.responses:
        odd = [key for key in block.keys if key.code in special]
        if not odd:
            continue  # the common case: every code is registered
        if sum(key.code in unregistered for key in odd) >= RUN_LENGTH:
            unregistered_runs(judge, block.keys)
        for key in odd:
            if key.code in unofficial:
                if descriptions is None:  # rare: built for the first unofficial code only
                    descriptions = {entry.span: entry.description for op in model.operations for entry in op.responses}
                if _contradicts(descriptions.get(key.span), registry.load().entry(key.code)):  # type: ignore[arg-type]
                    judge.contradicted.add(key.span)


@functools.cache
def _kinds() -> tuple[frozenset[int | None], frozenset[int | None]]:
    """(the well-formed codes the knowledge base does not know, its unofficial codes)."""
    reg = registry.load()
    known = {entry.code for entry in reg.entries}
    unregistered = frozenset(code for code in range(100, 600) if code not in known and reg.not_status(code) is None)
    return unregistered, frozenset(entry.code for entry in reg.entries if entry.standing == "unofficial")


def _words(text: str) -> set[str]:
    return {word.lower() for word in _WORD.findall(text) if len(word) > 2} - _SMALL_WORDS


def _contradicts(description: str | None, entry: registry.StatusEntry) -> bool:
    """Whether a response's description shares no word with anything the knowledge base says the
    number means (``InvalidErrorCode`` against nginx's ``Request Header Too Large``)."""
    if not description:
        return False
    said = _words(description)
    if not said:
        return False
    meant: set[str] = set()
    for phrase in (entry.phrase, *entry.aka, *(m.phrase for m in entry.meanings), *(m.meaning for m in entry.meanings)):
        meant |= _words(phrase)
    return not (said & meant)


def _unregistered(judge: Any, key: Occurrence) -> bool:
    code = key.code
    if code is None or key.kind is not Kind.RESPONSE_KEY or not 100 <= code <= 599:
        return False
    if key.value is not None and len(key.value) != 3:
        return False
    if str(code) in judge.severity and judge.severity[str(code)] is None:
        return False  # an organisation's own code (extraCodes)
    entry = judge.registry.entry(code)
    return entry is None and judge.registry.not_status(code) is None


def unregistered_runs(judge: Any, keys: tuple[Occurrence, ...]) -> None:
    """Report each run of :data:`RUN_LENGTH` or more consecutive unregistered codes once."""
    run: list[Occurrence] = []
    for key in (*keys, None):
        if key is not None and _unregistered(judge, key) and (not run or key.code == (run[-1].code or 0) + 1):
            run.append(key)
            continue
        if len(run) >= RUN_LENGTH:
            _report_run(judge, run)
        run = [key] if key is not None and _unregistered(judge, key) else []


def _report_run(judge: Any, run: list[Occurrence]) -> None:
    first, last = run[0], run[-1]
    assert first.code is not None and last.code is not None
    judge.quiet.update(key.span for key in run)
    judge.role = first.role
    span = Span(first.span.start_line, first.span.start_col, first.span.end_line, first.span.end_col)
    message = f"{first.code}-{last.code} are unregistered ({len(run)} in a row): use registered {first.code // 100}xx codes"
    judge.add(
        span,
        "unassigned-code",
        message,
        code=first.code,
        href="https://www.iana.org/assignments/http-status-codes/http-status-codes.xhtml",
        related=((last.span, f"the run ends at {last.code}"),),
        data={"run": [key.code for key in run]},
    )


_Cached = tuple[Operation, list["Finding"]]


@dataclass(slots=True)
class _LastRun:
    """One document's last run of the rules: what it judged with, and what it found."""

    severity: Any
    options: ResponseRuleOptions
    model: OpenApiDocument
    by_operation: dict[int, _Cached]
    """Each operation's findings by the operation's ``id``; the operation itself is kept with them."""
    found: list[Finding]
    """Every finding of the run, in the order the operations gave them."""


_BY_DOCUMENT: dict[str, _LastRun] = {}
"""Per document, its last run. A model an edit kept whole (the same object, `model_of`) has the
same findings: nothing in it moved, since it is kept only over an edit that leaves every position it
holds where it was. An operation of a patched model that is the same object has the same findings."""
_DOCUMENTS_KEPT = 8


def forget(uri: str) -> None:
    """Drop the last run kept for ``uri`` (its document closed)."""
    _BY_DOCUMENT.pop(uri, None)


def after(judge: Any) -> None:
    model: OpenApiDocument = judge.model
    judge.role = Role.SENDS  # an API description declares what its operations answer

    def add(span: Span, rule: str, message: str, **extra: Any) -> None:
        if extra.pop("severity_cap", None) == "warning":
            extra["at_most"] = Severity.Warning
        judge.add(span, rule, message, **extra)

    uri = judge.analysis.uri
    previous = _BY_DOCUMENT.pop(uri, None)
    known: dict[int, _Cached] = {}
    if previous is not None and previous.severity is judge.severity and previous.options == judge.options:
        if previous.model is model:
            judge.found.extend(previous.found)
            _BY_DOCUMENT[uri] = previous
            return
        known = previous.by_operation
    first = len(judge.found)
    severity = judge.severity
    rules = openapi_rules.OperationRules(
        judge.options, add, swagger2=model.swagger2, spec=judge.spec, enabled=lambda rule: severity.get(rule) is not None
    )
    found: dict[int, _Cached] = {}
    for operation in model.operations:
        cached = known.get(id(operation))
        if cached is not None and cached[0] is operation:
            judge.found.extend(cached[1])
        else:
            start = len(judge.found)
            rules.run(operation)
            bodies(judge, model.swagger2, operation)
            cached = (operation, judge.found[start:])
        found[id(operation)] = cached
    _BY_DOCUMENT[uri] = _LastRun(judge.severity, judge.options, model, found, judge.found[first:])
    while len(_BY_DOCUMENT) > _DOCUMENTS_KEPT:
        del _BY_DOCUMENT[next(iter(_BY_DOCUMENT))]


def bodies(judge: Any, swagger2: bool, operation: Operation) -> None:
    """A body on a HEAD operation's response, or one reached through a ``$ref``, where the per-key
    check (which sees only the response's own ``content``) cannot tell."""
    field = "schema" if swagger2 else "content"
    head = operation.method == "head"
    for entry in operation.responses:
        if not entry.has_body:
            continue
        kb = judge.registry.entry(entry.code) if entry.code is not None else None
        own_rule_reports = entry.body_span is not None and (entry.range_class == 1 or (kb is not None and not kb.body_allowed))
        if own_rule_reports:
            continue  # the per-key check said it already
        if head:
            message = openapi_rules.say(f"{entry.key} has a body", f"remove `{field}`", operation, "HEAD has none")
        elif entry.body_span is None and (entry.range_class == 1 or (kb is not None and not kb.body_allowed)):
            message = openapi_rules.say(f"{entry.key} has a body through its $ref", f"remove `{field}` there", operation)
        else:
            continue
        span = entry.body_span or entry.span
        judge.add(span, "body-not-allowed", message, code=entry.code, href=judge.spec)
