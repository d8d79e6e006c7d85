"""The handler-level rules, which need no OpenAPI description: a body sent with 204/304, a redirect
without a ``Location``, and a success returned from an ``except`` block.

Each judges the responses :mod:`.routes_body` records for every function of a file that speaks
HTTP, plus the routes whose decorator declares ``status_code=204`` and whose handler returns a
value. Only what the code says for certain is reported: a body or headers held in a variable stay
silent.
"""

from __future__ import annotations

import re

from http_status_ls.core.occurrences import Detection
from http_status_ls.detect.python.routes import (
    BODY_WITH_NO_CONTENT_STATUS,
    REDIRECT_WITHOUT_LOCATION,
    SUCCESS_IN_ERROR_HANDLER,
    HandlerFinding,
)
from http_status_ls.detect.python.routes_body import REDIRECTS, ResponseFact
from http_status_ls.detect.python.routes_read import ReadFile, read_file

_NO_CONTENT = frozenset({204, 304})
_DECLARED = "status_code= on the decorator"


_FRAMEWORKS = re.compile(r"^\s*(?:from|import)\s+(?:fastapi|starlette|flask|werkzeug|aiohttp|django|rest_framework)\b", re.M)


def find_handler_problems(text: str, detection: Detection | None = None) -> tuple[HandlerFinding, ...]:
    if _FRAMEWORKS.search(text) is None:
        return ()  # no web framework: no handler to judge (and nothing to parse again)
    return judge(read_file(text, detection, rules_only=True))


def judge(read: ReadFile) -> tuple[HandlerFinding, ...]:
    found: list[HandlerFinding] = []
    for fact in read.facts:
        found += _judge_fact(fact)
    functions = {function.name: function for function in read.routes.functions}
    for route in read.routes.routes:
        declared = [produced for produced in route.implied if produced.via == _DECLARED and produced.code in _NO_CONTENT]
        function = functions.get(route.function)
        if not declared or function is None or function.plain_return is None:
            continue
        code = declared[0].code
        found.append(
            HandlerFinding(
                BODY_WITH_NO_CONTENT_STATUS,
                function.plain_return,
                code,
                f"Return nothing, or declare another status: a {code} response has no body",
            )
        )
    return tuple(sorted(set(found), key=lambda finding: (finding.span, finding.rule)))


def _judge_fact(fact: ResponseFact) -> list[HandlerFinding]:
    found: list[HandlerFinding] = []
    if fact.code in _NO_CONTENT and fact.has_body:
        found.append(
            HandlerFinding(
                BODY_WITH_NO_CONTENT_STATUS,
                fact.span,
                fact.code,
                f"Drop the body or answer another status: a {fact.code} response has no body",
            )
        )
    if fact.code in REDIRECTS and fact.explicit and not fact.redirect_call and fact.has_location is False:
        found.append(
            HandlerFinding(
                REDIRECT_WITHOUT_LOCATION,
                fact.span,
                fact.code,
                f"Add a Location header: a {fact.code} redirect without one leads nowhere",
            )
        )
    if fact.in_except and 200 <= fact.code <= 299:
        found.append(
            HandlerFinding(
                SUCCESS_IN_ERROR_HANDLER,
                fact.span,
                fact.code,
                f"Answer an error status: this except block reports failure as {fact.code}",
            )
        )
    return found
