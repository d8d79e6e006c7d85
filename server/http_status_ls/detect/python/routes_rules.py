"""The handler-level rules, which need no OpenAPI description: a body sent with 204/304, a redirect
without a ``Location``, and a success returned from an ``except`` block.

Each judges the responses :mod:`.routes_body` records for every function of a file that speaks
HTTP, plus the routes whose decorator declares ``status_code=204`` and whose handler returns a
value. Only what the code says for certain is reported: a body or headers held in a variable stay
silent.

A file is read only when some rule can fire on it (:func:`may_fire`): reading every function of a
large file costs about as much as detecting it, and most files answer no 204, 304 or redirect and
catch nothing.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from http_status_ls.core.occurrences import Detection
from http_status_ls.detect.python.reader import detect_python
from http_status_ls.detect.python.routes import (
    BODY_WITH_NO_CONTENT_STATUS,
    REDIRECT_WITHOUT_LOCATION,
    SUCCESS_IN_ERROR_HANDLER,
    HandlerFinding,
)
from http_status_ls.detect.python.routes_body import REDIRECTS, ResponseFact
from http_status_ls.detect.python.routes_read import ReadFile, read_file
from http_status_ls.detect.python.routes_vocabulary import LIBRARY_EXCEPTIONS, RESPONSES
from http_status_ls.detect.python.tree import Node

_NO_CONTENT = frozenset({204, 304})
_DECLARED = "status_code= on the decorator"


_FRAMEWORKS = re.compile(r"^\s*(?:from|import)\s+(?:fastapi|starlette|flask|werkzeug|aiohttp|django|rest_framework)\b", re.M)


# What a fact's code can come from (routes_body.FunctionReader.values and _response): an integer
# literal (int(text, 0), so 0xCC and 2_04 too), a name the detector resolved, a library exception of
# routes_vocabulary, or a response constructor's default. Rules 1 and 2 need a code in _CANDIDATES
# (a default code is never explicit, so only a 204/304 default counts); rule 3 needs an except.
_CANDIDATES = _NO_CONTENT | REDIRECTS
_CANDIDATE_TEXTS = tuple(str(code) for code in sorted(_CANDIDATES))
# Leading ``\b`` or look-behinds would defeat the regex engine's literal prefix search (10x slower on a
# large file): these patterns are a superset instead, and a match only costs the read.
_OTHER_LITERAL = re.compile(r"0[xXoObB]|[0-9]_[0-9]")
"""Any non-decimal or underscored literal, whatever its value."""
_PREFIXED_LITERAL = re.compile(r"0[xXoObB]")
_UNDERSCORED_LITERAL = re.compile(r"[0-9]_[0-9]")
""":data:`_OTHER_LITERAL`'s two halves: searched apart, each keeps the engine's prefix search,
which the alternation loses (twice as fast when neither is there, as in most files)."""
_CANDIDATE_NAMES = tuple(
    sorted(
        {name for name, code in RESPONSES.items() if code in _NO_CONTENT}
        | {path.rpartition(".")[2] for path, code in LIBRARY_EXCEPTIONS.items() if code in _CANDIDATES}
    )
)
_EXCEPT = re.compile(r"except\b")


def find_handler_problems(text: str, detection: Detection | None = None) -> tuple[HandlerFinding, ...]:
    if _FRAMEWORKS.search(text) is None:
        return ()  # no web framework: no handler to judge (and nothing to parse again)
    if detection is None or detection.tree is None:
        detection = detect_python(text)
    if not may_fire(text, detection):
        return ()
    rows = candidate_rows(text, detection)
    return judge(read_file(text, detection, rules_only=True, select=lambda definitions: functions_to_read(definitions, rows)))


def may_fire(text: str, detection: Detection) -> bool:
    """False when no handler-level rule can fire on the text: no ``except`` (rule 3), and no
    204/304/redirect code written as a literal, resolved as a name by the detector, or implied by a
    constructor or library exception (rules 1 and 2). Cheap: text searches and one pass over the
    occurrences the detector already found."""
    # The cheapest questions first: the answer is the same in any order.
    if any(occurrence.code in _CANDIDATES for occurrence in detection.occurrences) or _EXCEPT.search(text) is not None:
        return True
    if any(name in text for name in _CANDIDATE_NAMES):
        return True
    return _PREFIXED_LITERAL.search(text) is not None or _UNDERSCORED_LITERAL.search(text) is not None or _candidate_literal(text)


def _candidate_literal(text: str) -> bool:
    return next(_candidate_literals(text), None) is not None


def _candidate_literals(text: str) -> Iterator[int]:
    """Where a 204/304/redirect code is written where a literal can start: after no letter, digit
    or dot (``items204`` is a name), and followed by no digit. ``HTTP_204_NO_CONTENT`` counts: the
    decorator reads such a name by its text."""
    for code in _CANDIDATE_TEXTS:
        start = text.find(code)
        while start != -1:
            before = text[start - 1] if start else " "
            if not (before.isalnum() or before == ".") and not text[start + 3 : start + 4].isdigit():
                yield start
            start = text.find(code, start + 1)


def candidate_rows(text: str, detection: Detection) -> list[int]:
    """The 0-based lines (tree-sitter's: split on ``\\n`` only) of everything :func:`may_fire` looks
    for, sorted: a function none of whose lines is here cannot make a rule fire."""
    positions = [match.start() for pattern in (_EXCEPT, _OTHER_LITERAL) for match in pattern.finditer(text)]
    positions += _candidate_literals(text)
    for name in _CANDIDATE_NAMES:
        start = text.find(name)
        while start != -1:
            positions.append(start)
            start = text.find(name, start + 1)
    line_starts = [match.end() for match in re.finditer("\n", text)]
    rows = {bisect.bisect_right(line_starts, position) for position in positions}
    rows.update(occurrence.span.start_line for occurrence in detection.occurrences if occurrence.code in _CANDIDATES)
    return sorted(rows)


def functions_to_read(definitions: list[Node], rows: list[int]) -> list[Node]:
    """The function definitions (in document order) whose facts can make a rule fire: every
    definition of each outermost function (decorators included) that spans a candidate row, so a
    nested function's nodes are never credited to its parent; and every outermost function that
    defines a name one of those defines, because the rules look a route's function up by name."""
    trees: list[list[Node]] = []
    end = -1
    for definition in definitions:
        if definition.start_byte < end:
            trees[-1].append(definition)  # nested in the current outermost function
        else:
            trees.append([definition])
            end = definition.end_byte
    chosen = [_spans_a_row(tree[0], rows) for tree in trees]
    names = {_name(definition) for tree, keep in zip(trees, chosen) if keep for definition in tree}
    names.discard(None)
    return [
        definition
        for tree, keep in zip(trees, chosen)
        if keep or any(_name(other) in names for other in tree)
        for definition in tree
    ]


def _spans_a_row(definition: Node, rows: list[int]) -> bool:
    outer = (
        definition.parent if definition.parent is not None and definition.parent.type == "decorated_definition" else definition
    )
    first = bisect.bisect_left(rows, outer.start_point.row)
    return first < len(rows) and rows[first] <= outer.end_point.row


def _name(definition: Node) -> bytes | None:
    name = definition.child_by_field_name("name")
    return name.text if name is not None else None


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
