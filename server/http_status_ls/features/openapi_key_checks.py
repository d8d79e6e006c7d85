"""How each key of an OpenAPI ``responses`` object is judged, and each object's keys together.

A code key goes through the code rules of the judge (`diagnostics`), then how it is written is
checked: quoted in OpenAPI 3 YAML, a range OpenAPI reads (``4XX``, none in Swagger 2.0), a key that
is a response key at all; a body under a status that has none, and the same code twice in one
object. The response-set rules, which need the whole operation, are `openapi_checks`'.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from http_status_ls.core.occurrences import Occurrence, ResponsesBlock
from http_status_ls.features.diagnostic_messages import KEY_LIMIT, clip, fit, short_title

if TYPE_CHECKING:
    from http_status_ls.features.diagnostics import _Judge as Judge

_RANGE = re.compile(r"[1-5]XX")
_ANY_CASE_RANGE = re.compile(r"[1-5][xX]{2}")
_DIGIT_RANGE = re.compile(r"\d[xX]{2}")


def response_key(judge: Judge, occurrence: Occurrence) -> None:
    """Judge one key of a responses object: a code by the code rules, then how it is written."""
    value = occurrence.value if occurrence.value is not None else occurrence.text.strip("'\"")
    if value == "default":
        return
    swagger2, spec = judge.swagger2, judge.spec
    if value.isascii() and value.isdigit():
        code = int(value)
        judge.code(occurrence, code)
        if not occurrence.quoted and judge.unquoted_matters:
            shown = clip(value, KEY_LIMIT)
            judge.add(
                occurrence.span,
                "unquoted-response-key",
                fit(
                    [f"{shown} is an unquoted key"],
                    [f"write '{shown}' (OpenAPI 3 keys are strings; YAML reads a number)", f"write '{shown}'"],
                ),
                code=code,
                href=spec,
                data={"replacement": f"'{value}'"},
            )
        if occurrence.body_span is not None:
            body(judge, occurrence, code)
        return
    quoted = f"'{clip(value, KEY_LIMIT)}'"
    if _RANGE.fullmatch(value) and not swagger2:
        body(judge, occurrence, None, range_class=int(value[0]))
    elif _RANGE.fullmatch(value) or (swagger2 and _ANY_CASE_RANGE.fullmatch(value)):
        # Swagger 2.0 has no ranges at all: an upper-case X would not help (no replacement).
        message = fit([f"{quoted} is not allowed in Swagger 2.0"], ["list the codes, or use default"])
        data = {} if _RANGE.fullmatch(value) else {"replacement": None}
        judge.add(occurrence.span, "invalid-range-key", message, href=spec, data=data)
    elif _ANY_CASE_RANGE.fullmatch(value):
        fixed = value[0] + "XX"
        message = fit([f"{quoted} is not a range OpenAPI reads"], [f"write '{fixed}'"])
        judge.add(occurrence.span, "invalid-range-key", message, href=spec, data={"replacement": fixed})
    elif _DIGIT_RANGE.fullmatch(value):
        message = fit([f"{quoted} is not a status code range"], ["use 1XX to 5XX"])
        judge.add(occurrence.span, "invalid-range-key", message, href=spec)
    else:
        if swagger2:
            fixes = ["use a status code ('200') or default", "use '200' or default"]
        else:
            fixes = ["use a status code ('200'), a range ('4XX') or default", "use '200', '4XX' or default"]
        judge.add(occurrence.span, "invalid-code", fit([f"{quoted} is not a response key"], fixes), href=spec)


def body(judge: Judge, occurrence: Occurrence, code: int | None, *, range_class: int | None = None) -> None:
    """A body declared under a status (or a range) that has none."""
    if occurrence.body_span is None:
        return
    if range_class == 1:
        heads = ["1XX responses have no body"]
    else:
        entry = judge.registry.entry(code) if code is not None else None
        if entry is None or entry.body_allowed:
            return
        why = {"not-sent": "is never sent", "replaced": "is sent as another status"}.get(entry.body, "has no body")
        heads = [f"{short_title(entry)} {why}", f"{entry.code} {why}"]
    judge.add(
        occurrence.body_span,
        "body-not-allowed",
        fit(heads, [f"remove `{judge.body_field}`"]),
        code=code,
        href=judge.spec,
    )


def duplicates(judge: Judge, block: ResponsesBlock) -> None:
    """Two keys of one responses object naming the same code (``'404'`` and ``'0404'``)."""
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
        line = earlier.span.start_line + 1
        quoted = f"'{clip(value, KEY_LIMIT)}'"
        judge.add(
            key.span,
            "duplicate-response-key",
            fit(
                [f"{quoted} appears twice"],
                [f"merge it with the one on line {line}, which it silently replaces", f"merge it with line {line}"],
            ),
            code=key.code,
            href=judge.spec,
            related=((earlier.span, f"first {quoted} here"),),
        )
