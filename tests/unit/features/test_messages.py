"""Every diagnostic message is one short line with the fix first.

:func:`walk` produces every finding the judge can make: each number from 0 to 999 (every code of the
knowledge base, every unassigned one, the warn-codes, the out-of-range vendor numbers) as a Python
literal, a plain YAML value and an OpenAPI response key in each specification version and language,
with and without quotes and a body; every library name, a misspelling of each, response range keys,
odd keys and duplicates. The tests hold each message to the budget that Neovim's virtual text and a
narrow problems panel leave (:data:`MESSAGE_LIMIT`), and require the fix to come early enough
(:data:`FIX_WITHIN`) that a cut line still shows it. The story behind a verdict is the hover's job,
and the diagnostic's ``codeDescription`` links to it.

``walk`` takes the judge as an argument so that the same walk measures another version of it (see
the report of issue 10: lengths before and after).
"""

from __future__ import annotations

import datetime
import functools
import statistics
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import pytest

from http_status_ls.core.occurrences import Analysis, Detection, Kind, Occurrence, ResponsesBlock, Span
from http_status_ls.core.project_target import ProjectTarget
from http_status_ls.detect.analysis import analyse
from http_status_ls.features.code_spec import RULES as CROSS_CHECK_RULES
from http_status_ls.features.diagnostics import FIX_WITHIN, MESSAGE_LIMIT, Finding, findings
from http_status_ls.kb import libraries, registry
from http_status_ls.kb.rules import FIXED_BY_REPLACING_THE_CODE, RULE_IDS, SEVERITY

Judge = Callable[..., list[Finding]]

NEWEST = ProjectTarget(python=(3, 13), starlette=(0, 48, 0))
"""A project on versions that have every name, so every renamed one is deprecated."""

NUMBERS = (*range(1000), 1000, 2000, 99999)
"""Every three-digit number and a few longer ones: registered, unofficial, unassigned, warn-codes, invalid."""

# OpenAPI documents the judge tells apart: quoting matters only in OpenAPI 3 YAML; Swagger 2.0 has
# no ranges and calls the body `schema`.
DOCUMENTS = (("3.0.3", "yaml"), ("3.1.0", "yaml"), ("2.0", "yaml"), ("3.1.0", "json"))

# Before, during and after the temporary registration of 104 (it expires on 2026-11-13), and a day
# with no provisional code at all in question.
DAYS = (datetime.date(2025, 1, 1), datetime.date(2026, 11, 13), datetime.date(2030, 1, 1))

ODD_KEYS = (
    "abc",
    "x-rate-limited",
    "2xx",
    "4Xx",
    "1XX",
    "5XX",
    "6XX",
    "0XX",
    "9xx",
    "0200",
    "00404",
    "20",
    "1000",
    "",
    "default",
)
LONG_TOKEN = "THIS_CONSTANT_NAME_IS_FAR_LONGER_THAN_ANY_LIBRARY_WOULD_EVER_DEFINE_FOR_A_STATUS"


@dataclass(frozen=True)
class Case:
    """One finding and where it came from, for a readable failure."""

    where: str
    finding: Finding


def _span(line: int, width: int) -> Span:
    return Span(line, 4, line, 4 + max(width, 1))


def _analysis(
    *occurrences: Occurrence, language: str, openapi: str | None = None, responses: tuple[ResponsesBlock, ...] = ()
) -> Analysis:
    return Analysis(
        uri="file:///walk",
        version=1,
        language=language,
        detection=Detection(occurrences=occurrences, openapi=openapi, responses=responses),
    )


def _literal(code: int, kind: Kind = Kind.LITERAL) -> Occurrence:
    return Occurrence(span=_span(0, len(str(code))), kind=kind, text=str(code), code=code, context="abort()")


def _key(value: str, *, quoted: bool, line: int = 0, body: bool = False) -> Occurrence:
    text = f"'{value}'" if quoted else value
    digits = value.isascii() and value.isdigit()
    return Occurrence(
        span=_span(line, len(text)),
        kind=Kind.RESPONSE_KEY,
        text=text,
        code=int(value) if digits else None,
        context="responses",
        value=value,
        quoted=quoted,
        range_class=int(value[0]) if len(value) == 3 and value[0] in "12345" and value[1:] == "XX" else None,
        body_span=_span(line + 2, 7) if body else None,
    )


def _responses(*keys: Occurrence) -> ResponsesBlock:
    return ResponsesBlock(
        span=Span(0, 0, keys[-1].span.end_line + 3, 0), keys=keys, pointer="/paths/~1p/get/responses", flow=False
    )


def _name(library: str, text: str) -> Occurrence:
    ref = registry.load().resolve(library, text)
    return Occurrence(
        span=_span(0, len(text)), kind=Kind.NAME, text=text, code=ref.code if ref else None, context=library, name=ref
    )


def _misspelt(name: str) -> str:
    """The name with one letter dropped from its middle, the commonest typo."""
    middle = len(name) // 2
    return name[:middle] + name[middle + 1 :]


def _judge_all(judge: Judge, where: str, analysis: Analysis, days: tuple[datetime.date, ...] = DAYS[:1]) -> Iterator[Case]:
    for day in days:
        for finding in judge(analysis, today=day, severity=SEVERITY):
            yield Case(f"{where} [{day}]" if len(days) > 1 else where, finding)


def walk(judge: Judge = findings) -> Iterator[Case]:
    """Every finding the judge makes over the whole knowledge base and every kind of occurrence."""
    for number in NUMBERS:
        days = DAYS if number == 104 else DAYS[:1]
        yield from _judge_all(judge, f"python {number}", _analysis(_literal(number), language="python"), days)
        yield from _judge_all(judge, f"yaml value {number}", _analysis(_literal(number, Kind.YAML_VALUE), language="yaml"), days)
        for openapi, language in DOCUMENTS:
            for quoted in (False, True) if language == "yaml" else (True,):
                key = _key(str(number), quoted=quoted, body=True)
                analysis = _analysis(key, language=language, openapi=openapi, responses=(_responses(key),))
                yield from _judge_all(judge, f"openapi {openapi} {language} key {key.text} with a body", analysis, days)
    for openapi, language in DOCUMENTS:
        for value in ODD_KEYS:
            key = _key(value, quoted=True, body=True)
            analysis = _analysis(key, language=language, openapi=openapi, responses=(_responses(key),))
            yield from _judge_all(judge, f"openapi {openapi} key {key.text}", analysis)
        for first, again in (("404", "404"), ("200", "0200"), ("4XX", "4XX"), ("default", "default"), (LONG_TOKEN, LONG_TOKEN)):
            keys = (_key(first, quoted=True, line=3), _key(again, quoted=True, line=120_000))
            analysis = _analysis(*keys, language=language, openapi=openapi, responses=(_responses(*keys),))
            yield from _judge_all(judge, f"openapi {openapi} keys {first} and {again}", analysis)
    # On the newest versions every name exists and every renamed one is deprecated: all name messages.
    newest = functools.partial(judge, target=NEWEST)
    for library in libraries.NAMES:
        for ref in registry.load().names_of(library):
            yield from _judge_all(newest, f"{library}.{ref.name}", _analysis(_name(library, ref.name), language="python"))
            typo = _misspelt(ref.name)
            yield from _judge_all(judge, f"{library}.{typo} (typo)", _analysis(_name(library, typo), language="python"))
        yield from _judge_all(judge, f"{library}.{LONG_TOKEN}", _analysis(_name(library, LONG_TOKEN), language="python"))
    yield from _response_sets(judge)
    yield from _status_styles(judge)
    yield from _handler_rules(judge)


def _handler_rules(judge: Judge) -> Iterator[Case]:
    """The handler-level rules (detect.python.routes): a body with 204, a redirect without a
    Location, a success from an except block."""
    source = "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get('/a')\ndef a():\n"
    source += "    try:\n        return {'a': 1}, 204\n    except KeyError:\n        return '', 200\n    return '', 302\n"
    for finding in judge(analyse("walk.py", None, source, 1), text=source):
        yield Case("handler rules", finding)


def _status_styles(judge: Judge) -> Iterator[Case]:
    """``status-style`` both ways: every registered code as a number, every int constant as a name."""
    from http_status_ls.core.settings import parse

    codes = [entry.code for entry in registry.load().entries if 100 <= entry.code <= 599]
    numbers = "from flask import abort\n" + "".join(f"abort({code})\n" for code in codes)
    names = "from fastapi import status\nfrom flask import abort\n"
    names += "".join(f"abort(status.{ref.name})\n" for ref in registry.load().names_of("fastapi.status"))
    for style, source in (("named", numbers), ("numeric", names)):
        severity = parse({"rules": {"status-style": "warning"}, "statusStyle": style})[0].severity_table(SEVERITY)
        for finding in judge(analyse("walk.py", None, source, 1), severity=severity, text=source, target=NEWEST):
            yield Case(f"status style {style}", finding)


LONG_PATH = "/organisations/{organisation_id}/repositories/{repository_id}/pull-requests/{number}/reviews"


def _operation(method: str, codes: Iterable[str], *, described: str = "Created", body: bool = True) -> str:
    lines = [f"    {method}:", "      security: [{key: []}]", "      requestBody: {content: {}}", "      responses:"]
    for code in codes:
        lines += [f"        '{code}':", f"          description: {described}"]
        if body:
            lines += ["          content:", "            application/json: {}"]
    return "\n".join(lines)


def _response_sets(judge: Judge) -> Iterator[Case]:
    """The response-set rules under every profile: every registered code on every method of a long
    path (each described by another code's phrase), operations without success or errors,
    conflicting successes, and a run of unregistered codes."""
    from http_status_ls.core.settings import parse
    from http_status_ls.detect.openapi_operations import METHODS
    from http_status_ls.kb.profiles import PROFILES

    codes = [str(entry.code) for entry in registry.load().entries if entry.standing == "standard"]
    operations = [_operation(method, codes) for method in METHODS]
    operations += [
        _operation("get", ["404"]),
        _operation("post", ["200", "202", "101"]),
        _operation("put", map(str, range(480, 490))),
    ]
    text = "\n".join(["openapi: 3.0.3", "info: {title: t, version: '1'}", "paths:", f"  {LONG_PATH}:", *operations[:8]])
    extra = "\n".join(["openapi: 3.0.3", "paths:", f"  {LONG_PATH}/x:", *operations[8:]]) + "\n"
    for profile in PROFILES:
        severity = parse({"profile": profile})[0].severity_table(SEVERITY)
        for source in (text + "\n", extra):
            analysis = analyse("walk.yaml", None, source, 1)
            for finding in judge(analysis, severity=severity, text=source):
                yield Case(f"profile {profile}", finding)


@pytest.fixture(scope="module")
def every_case() -> list[Case]:
    return list(walk())


def _failures(cases: list[Case], broken: Callable[[Finding], bool]) -> list[str]:
    return [f"{case.where}: {case.finding.rule}: {case.finding.message!r}" for case in cases if broken(case.finding)]


def test_the_walk_reaches_every_rule(every_case):
    # The cross-check's rules judge a workspace, not one document: tests/unit/features/test_code_spec.py.
    assert {case.finding.rule for case in every_case} == set(RULE_IDS) - set(CROSS_CHECK_RULES)
    codes = {case.finding.code for case in every_case}
    assert {entry.code for entry in registry.load().entries if entry.standing != "standard"} <= codes


def test_every_message_fits_the_budget(every_case):
    assert _failures(every_case, lambda f: len(f.message) > MESSAGE_LIMIT) == []


def test_every_message_is_one_tidy_line(every_case):
    """One line with single spaces, no trailing full stop (messages are phrases, read at a glance),
    and never cut: an ellipsis ends a message only when nothing shorter fitted."""
    untidy = _failures(
        every_case, lambda f: f.message != " ".join(f.message.split()) or f.message.endswith((".", "\N{HORIZONTAL ELLIPSIS}"))
    )
    assert untidy == []


def test_every_fix_comes_early(every_case):
    """Where a message has a fix (after the colon), it starts within :data:`FIX_WITHIN` characters."""
    assert _failures(every_case, lambda f: ": " in f.message and f.message.index(": ") + 2 > FIX_WITHIN) == []


def _portable_code_shown_early(finding: Finding) -> bool:
    entry = registry.load().entry(finding.code) if finding.code is not None else None
    if entry is None or not entry.instead or finding.rule not in FIXED_BY_REPLACING_THE_CODE:
        return True
    first = registry.load().entry(entry.instead[0])
    return str(entry.instead[0]) in finding.message[:FIX_WITHIN] and (first is None or first.phrase in finding.message)


def test_every_replacement_is_in_the_first_60_characters(every_case):
    """The code the knowledge base names instead, with its phrase, is what a cut line still shows."""
    assert FIX_WITHIN <= 60
    assert _failures(every_case, lambda f: not _portable_code_shown_early(f)) == []


def _names_every_portable_code(finding: Finding) -> bool:
    entry = registry.load().entry(finding.code) if finding.code is not None else None
    if entry is None or finding.rule not in FIXED_BY_REPLACING_THE_CODE:
        return True
    return all(str(code) in finding.message for code in entry.instead)


def test_every_other_replacement_is_named(every_case):
    """A second portable code (420: 429 or 424) may lose its phrase, never its number."""
    assert _failures(every_case, lambda f: not _names_every_portable_code(f)) == []


def _names_its_fix(finding: Finding) -> bool:
    if finding.rule == "deprecated-name":
        return f": use {finding.data['replacement']}" in finding.message
    if finding.rule == "unknown-name" and finding.data["suggestion"]:
        return finding.message.endswith(f": did you mean {finding.data['suggestion']}?")
    return True


def test_every_name_fix_names_the_replacement(every_case):
    """A deprecated name's message names the current one; a misspelt name's names the closest."""
    assert _failures(every_case, lambda f: not _names_its_fix(f)) == []


def test_the_links_stay(every_case):
    """The long story moved behind the link: every finding about a code or a key still has one."""
    assert _failures(every_case, lambda f: f.href is None and f.rule != "unknown-name") == []


def test_the_walk_measures_lengths(every_case):
    lengths = message_lengths(every_case)
    assert lengths["max"] <= MESSAGE_LIMIT and lengths["count"] > 5000


def message_lengths(cases: Iterable[Case]) -> dict[str, float]:
    """The distribution the issue's report quotes: how many messages, the longest, the median."""
    lengths = [len(case.finding.message) for case in cases]
    return {
        "count": len(lengths),
        "max": max(lengths),
        "median": statistics.median(lengths),
        "p95": statistics.quantiles(lengths, n=20)[-1],
    }


# --- the messages of the issue, word for word where it matters ----------------------------------


def _message(code: int, *, today: datetime.date = DAYS[0]) -> str:
    (finding,) = findings(_analysis(_literal(code), language="python"), today=today)
    return finding.message


def test_305_names_307_first():
    assert _message(305) == "305 Use Proxy is deprecated: use 307 Temporary Redirect"


def test_306_and_418_point_to_a_registered_code():
    assert _message(306) == "306 Switch Proxy is reserved: use 307 Temporary Redirect"
    assert _message(418) == "418 I'm a Teapot is reserved: use 403 Forbidden"


def test_420_names_twitter_and_both_portable_codes():
    """Three vendors do not fit before the fix: the first stands for them (the hover lists each)."""
    assert _message(420) == "420 is unofficial (Twitter and others): use 429 Too Many Requests or 424 Failed Dependency"


def test_509_is_unofficial_with_503_first():
    assert _message(509) == "509 is unofficial (Apache / cPanel): use 503 Service Unavailable or 429 Too Many Requests"


def test_every_vendor_when_they_fit():
    assert _message(419) == "419 is unofficial (Laravel, Spring Framework): use 403 Forbidden or 507 Insufficient Storage"
    assert _message(526) == "526 is unofficial (Cloudflare, Cloud Foundry): use 502 Bad Gateway"
    assert _message(599) == "599 is unofficial (HTTP proxies and others): use 504 Gateway Timeout"


def test_the_second_portable_code_may_lose_its_phrase_not_its_number():
    message = _message(463)
    assert message == "463 is unofficial (AWS Elastic Load Balancing): use 431 Request Header Fields Too Large or 400"


def test_log_only_codes_say_clients_never_see_them():
    assert _message(444) == "444 is unofficial (nginx): only logged, never sent to a client"
    assert _message(499) == "499 is unofficial (nginx, Esri ArcGIS): only logged, never sent to a client"


def test_510_obsolete_and_104_provisional():
    assert _message(510) == "510 Not Extended is obsolete: use 400 Bad Request"
    provisional = "104 Upload Resumption Supported is provisional: ensure clients support it ({})"
    assert _message(104, today=datetime.date(2026, 1, 1)) == provisional.format("expires on 2026-11-13")
    assert _message(104, today=datetime.date(2027, 1, 1)) == provisional.format("expired on 2026-11-13")


def test_299_is_a_warn_code():
    assert _message(299) == "299 is a Warning header warn-code, not a status code: use a registered 2xx code"


def test_512_is_unassigned():
    assert _message(512) == "512 is unassigned: use a registered 5xx code (clients read it as 500 Internal Server Error)"


@pytest.mark.parametrize("code", [600, 20, 1000])
def test_out_of_range(code):
    assert _message(code) == f"{code} is not an HTTP status code (100-599)"


def test_out_of_range_vendor_numbers_say_whose_they_are():
    assert _message(999) == '999 is LinkedIn\'s "Request denied", not an HTTP status code (100-599)'
    assert _message(783) == '783 is Shopify\'s "Unexpected Token", not an HTTP status code (100-599)'


def _openapi(*keys: Occurrence, openapi: str = "3.0.3") -> list[Finding]:
    return findings(_analysis(*keys, language="yaml", openapi=openapi, responses=(_responses(*keys),)))


def test_an_unquoted_key():
    (finding,) = _openapi(_key("201", quoted=False))
    assert finding.message == "201 is an unquoted key: write '201' (OpenAPI 3 keys are strings; YAML reads a number)"


def test_a_body_on_204():
    (finding,) = _openapi(_key("204", quoted=True, body=True))
    assert finding.message == "204 No Content has no body: remove `content`"
    (swagger,) = _openapi(_key("204", quoted=True, body=True), openapi="2.0")
    assert swagger.message == "204 No Content has no body: remove `schema`"
    (informational,) = _openapi(_key("1XX", quoted=True, body=True))
    assert informational.message == "1XX responses have no body: remove `content`"


def test_a_body_on_a_code_that_is_never_sent():
    rules_and_messages = [(f.rule, f.message) for f in _openapi(_key("444", quoted=True, body=True))]
    assert ("body-not-allowed", "444 No Response is never sent: remove `content`") in rules_and_messages
    replaced = [f.message for f in _openapi(_key("494", quoted=True, body=True)) if f.rule == "body-not-allowed"]
    assert replaced == ["494 Request Header Too Large is sent as another status: remove `content`"]


def test_a_deprecated_name():
    name = _name("starlette.status", "HTTP_422_UNPROCESSABLE_ENTITY")
    (deprecated, *_) = findings(_analysis(name, language="python"), target=NEWEST)
    assert deprecated.message == "HTTP_422_UNPROCESSABLE_ENTITY is deprecated: use HTTP_422_UNPROCESSABLE_CONTENT"
    assert deprecated.data["library"] == "starlette.status"


def test_keys_and_ranges():
    assert [f.message for f in _openapi(_key("2xx", quoted=True))] == ["'2xx' is not a range OpenAPI reads: write '2XX'"]
    assert [f.message for f in _openapi(_key("2XX", quoted=True), openapi="2.0")] == [
        "'2XX' is not allowed in Swagger 2.0: list the codes, or use default"
    ]
    assert [f.message for f in _openapi(_key("6XX", quoted=True))] == ["'6XX' is not a status code range: use 1XX to 5XX"]
    assert [f.message for f in _openapi(_key("0200", quoted=True))] == ["0200 is not an HTTP status code: write 200"]
    assert [f.message for f in _openapi(_key("abc", quoted=True))] == [
        "'abc' is not a response key: use a status code ('200'), a range ('4XX') or default"
    ]
    assert [f.message for f in _openapi(_key("abc", quoted=True), openapi="2.0")] == [
        "'abc' is not a response key: use a status code ('200') or default"
    ]


def test_a_duplicate_key():
    (finding,) = _openapi(_key("404", quoted=True, line=3), _key("404", quoted=True, line=9))
    assert finding.message == "'404' appears twice: merge it with the one on line 4, which it silently replaces"


def test_an_unknown_name():
    (finding,) = findings(_analysis(_name("http.HTTPStatus", "NOT_FUND"), language="python"))
    assert finding.message == "NOT_FUND is not in http.HTTPStatus: did you mean NOT_FOUND?"
    (far,) = findings(_analysis(_name("http.HTTPStatus", LONG_TOKEN), language="python"))
    assert far.message == f"{LONG_TOKEN[:39]}… is not a status code name in http.HTTPStatus"


# --- the same through the detectors: small generated files ---------------------------------------


def _python_file() -> str:
    lines = ["from flask import abort", ""]
    lines += [f"abort({code})" for code in NUMBERS]
    return "\n".join(lines) + "\n"


def _openapi_file(openapi: str) -> str:
    head = "openapi: 3.0.3" if openapi.startswith("3") else 'swagger: "2.0"'
    lines = [head, "info: {title: t, version: '1'}", "paths:"]
    for code in range(100, 1000):
        body = "          content: {application/json: {}}" if openapi.startswith("3") else "          schema: {type: object}"
        lines += [f"  /p{code}:", "    get:", "      responses:", f"        {code}:", "          description: x", body]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("uri", "text"),
    [
        ("file:///walk.py", _python_file()),
        ("file:///openapi.yaml", _openapi_file("3.0.3")),
        ("file:///swagger.yaml", _openapi_file("2.0")),
    ],
)
def test_generated_files_get_short_messages(uri, text):
    found = findings(analyse(uri, None, text, 1), severity=SEVERITY)
    assert len({f.rule for f in found}) >= 4
    too_long = [f"{f.span.start_line + 1}: {f.message}" for f in found if len(f.message) > MESSAGE_LIMIT or "\n" in f.message]
    assert too_long == []
