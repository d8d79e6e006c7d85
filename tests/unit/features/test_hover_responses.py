"""The hover on an operation's ``responses`` key (features/hover_responses.py) and its card
(features/render_operation.py): what the operation declares, class by class, and what the active
profile expects that it lacks, within the card budget."""

from __future__ import annotations

import json

import pytest
import yaml

from http_status_ls.core.occurrences import Analysis, Span
from http_status_ls.detect.analysis import analyse
from http_status_ls.features import render
from http_status_ls.features.hover import hover
from http_status_ls.features.render_operation import OperationSummary, operation_card, operation_label, strip_label

SPEC = """\
openapi: 3.0.3
info:
  title: Pets
  version: '1'
paths:
  /pets/{id}:
    get:
      responses:
        '404':
          description: Not Found
        '200':
          description: OK
        4XX:
          description: other client errors
        default:
          description: anything else
    delete:
      responses:
        '204':
          description: No Content
"""
JSON_SPEC = json.dumps(yaml.safe_load(SPEC), indent=2)


def _analysis(text: str, language: str) -> Analysis:
    return analyse(f"file:///api.{language}", language, text, 1)


def _cursor(text: str, needle: str, occurrence: int = 0, offset: int = 2) -> tuple[int, int]:
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index)
    return line, index - (text.rfind("\n", 0, index) + 1) + offset


def _hover_text(text: str, language: str, needle: str, occurrence: int = 0, **options: object) -> str | None:
    line, col = _cursor(text, needle, occurrence)
    answer = hover(_analysis(text, language), line, col, lines=text.splitlines(keepends=True), markdown=False, **options)  # type: ignore[arg-type]
    return None if answer is None else getattr(answer.contents, "value", None)


@pytest.mark.parametrize(("text", "language", "needle"), [(SPEC, "yaml", "responses"), (JSON_SPEC, "json", '"responses"')])
def test_the_card_lists_what_the_operation_declares(text: str, language: str, needle: str) -> None:
    card = _hover_text(text, language, needle)
    assert card is not None
    assert card.splitlines() == [
        "GET /pets/{id} declares 4 responses",
        "2xx: 200 OK",
        "4xx: 404 Not Found, 4XX (any)",
        "default (every other code)",
    ]


def test_the_range_is_the_key_as_written() -> None:
    line, col = _cursor(JSON_SPEC, '"responses"')
    answer = hover(_analysis(JSON_SPEC, "json"), line, col, lines=JSON_SPEC.splitlines(keepends=True))
    assert answer is not None and answer.range is not None
    assert (answer.range.start.character, answer.range.end.character) == (col - 2, col - 2 + len('"responses"'))


def test_no_card_beside_the_key_or_outside_api_descriptions() -> None:
    line, col = _cursor(SPEC, "responses", offset=len("responses") + 3)
    assert hover(_analysis(SPEC, "yaml"), line, col) is None
    plain = "responses:\n  ok: 1\n"
    assert hover(_analysis(plain, "yaml"), 0, 2) is None


def test_missing_expectations_come_from_the_findings_of_this_operation_only() -> None:
    get_key = Span(*_cursor(SPEC, "responses", 0, 0), *_cursor(SPEC, "responses", 0, 9))
    delete_key = Span(*_cursor(SPEC, "responses", 1, 0), *_cursor(SPEC, "responses", 1, 9))
    findings = [
        (get_key, "missing-error-response", "GET /pets/{id} declares no 401 though secured: add '401'"),
        (delete_key, "missing-error-response", "DELETE /pets/{id} declares no error response: add default"),
        (get_key, "method-status-mismatch", "not an expectation"),
    ]
    card = _hover_text(SPEC, "yaml", "responses", findings=lambda: findings, profile="owasp")
    assert card is not None
    assert card.splitlines()[-2:] == ["Missing for the owasp profile:", "• Declares no 401 though secured: add '401'"]
    other = _hover_text(SPEC, "yaml", "responses", 1, findings=lambda: findings, profile="owasp")
    assert other is not None and "• Declares no error response: add default" in other


def test_nothing_missing_is_said_when_the_rules_found_nothing() -> None:
    card = _hover_text(SPEC, "yaml", "responses", 1, findings=lambda: [], profile="recommended")
    assert card is not None
    assert card.splitlines() == [
        "DELETE /pets/{id} declares 1 response",
        "2xx: 204 No Content",
        "Nothing missing for the recommended profile.",
    ]


def test_a_big_operation_stays_within_the_card_budget() -> None:
    keys = [str(code) for code in (200, 201, 202, 204, 301, 302, 304, 400, 401, 403, 404, 405, 409, 410, 412, 415, 422, 429)]
    keys += ["500", "502", "503", "504", "1XX", "2XX", "3XX", "4XX", "5XX", "default"]
    missing = [f"{code} on GET /x lacks a header it needs: declare it (expected with {code})" for code in range(12)]
    for markdown in (True, False):
        card = operation_card(
            OperationSummary(
                label="GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", keys=keys, missing=missing, profile="zalando"
            ),
            markdown=markdown,
        )
        assert len(render.displayed(card)) <= render.CARD_BUDGET.chars
        assert card.count("\n") + 1 <= render.CARD_BUDGET.lines
        assert "more: see the problems list" in card
        assert "429" in card and "default" in card  # the codes stay, their phrases give way


def test_phrases_give_way_before_codes() -> None:
    keys = [str(code) for code in range(400, 432) if code not in (419, 420, 427, 430)]
    card = operation_card(OperationSummary(label="POST /a", keys=keys), markdown=False)
    assert "4xx: 400, 401, 402" in card
    assert "Bad Request" not in card


@pytest.mark.parametrize(
    ("pointer", "label"),
    [
        ("/paths/~1pets~1{id}/get/responses", "GET /pets/{id}"),
        ("/webhooks/newPet/post/responses", "POST newPet"),
        ("/paths/~1a/post/callbacks/done/{$request.body#~1url}/put/responses", "PUT {$request.body#/url}"),
    ],
)
def test_operation_label(pointer: str, label: str) -> None:
    assert operation_label(pointer) == label


def test_strip_label() -> None:
    assert strip_label("GET /a declares no 4xx response: add '400'", "GET /a") == "Declares no 4xx response: add '400'"
    assert strip_label("no 4xx response on GET /a: add '400'", "GET /a") == "no 4xx response: add '400'"
    assert strip_label("201 Created on GET /ab does not fit", "GET /a") == "201 Created on GET /ab does not fit"
