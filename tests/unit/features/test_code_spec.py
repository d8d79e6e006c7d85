"""The cross-check on hand-made handlers and small descriptions: each rule, its limits, base paths."""

from __future__ import annotations

from http_status_ls.core.occurrences import Span
from http_status_ls.detect.openapi_operations import operations_of
from http_status_ls.detect.python.routes import ProducedStatus, RouteHandler
from http_status_ls.features.code_spec import (
    UNDOCUMENTED_OPERATION,
    UNDOCUMENTED_STATUS,
    UNIMPLEMENTED_OPERATION,
    UNRETURNED_STATUS,
    CodeSpecFinding,
    SpecSource,
    base_paths,
    cross_check,
)
from http_status_ls.features.diagnostics import MESSAGE_LIMIT

SPEC = """\
openapi: 3.0.3
info: {title: Shop, version: '1'}
servers:
  - url: https://shop.example.com/api
paths:
  /items/{itemId}:
    get:
      responses:
        '200':
          description: OK
        '404':
          description: Not Found
        '410':
          description: Gone
    delete:
      responses:
        '204':
          description: No Content
        4XX:
          description: Client error
  /orders:
    get:
      responses:
        default:
          description: Anything
  /reports:
    get:
      responses:
        '200':
          description: OK
"""


def _spec(text: str = SPEC, path: str = "shop/openapi.yaml", language: str = "yaml") -> SpecSource:
    document = operations_of(text, language)
    assert document is not None
    return SpecSource(path, document, base_paths(text, language))


def _handler(
    method: str,
    path: str,
    *codes: int,
    line: int = 10,
    complete: bool = True,
    maybe: tuple[int, ...] = (),
    file: str = "shop/app.py",
) -> RouteHandler:
    produced = tuple(ProducedStatus(code, Span(line + i, 4, line + i, 7), "abort()") for i, code in enumerate(codes))
    produced += tuple(
        ProducedStatus(code, Span(line, 0, line, 3), "responses= on the decorator", certain=False) for code in maybe
    )
    return RouteHandler(
        framework="flask",
        methods=(method,),
        path=path,
        written_path=path,
        decorator_span=Span(line - 1, 0, line - 1, 20),
        function="view",
        produced=produced,
        complete=complete,
        file=file,
    )


def _rules(found: list[CodeSpecFinding]) -> list[tuple[str, int | None]]:
    return sorted((finding.rule, finding.code) for finding in found)


def test_a_code_the_spec_lacks_is_reported_on_its_line():
    result = cross_check([_handler("GET", "/items/{}", 200, 404, 409, line=20)], [_spec()])
    undocumented = [f for f in result.findings if f.rule == UNDOCUMENTED_STATUS]
    assert len(undocumented) == 1
    finding = undocumented[0]
    assert finding.code == 409 and finding.file == "shop/app.py" and finding.span.start_line == 22
    assert finding.message == "GET /items/{itemId} can return 409, which openapi.yaml does not declare for this operation"
    assert finding.operation == "/paths/~1items~1{itemId}/get"


def test_a_range_and_default_cover_their_codes():
    result = cross_check([_handler("DELETE", "/items/{}", 204, 403, 409), _handler("GET", "/orders", 200, 418, 503)], [_spec()])
    assert [f for f in result.findings if f.rule == UNDOCUMENTED_STATUS] == []


def test_a_possible_code_is_never_reported():
    result = cross_check([_handler("GET", "/items/{}", 200, 404, 410, maybe=(422,))], [_spec()])
    assert [f for f in result.findings if f.rule == UNDOCUMENTED_STATUS] == []


def test_a_declared_code_no_complete_handler_produces_is_reported_on_the_key():
    spec = _spec()
    result = cross_check([_handler("GET", "/items/{}", 200)], [spec])
    unreturned = [f for f in result.findings if f.rule == UNRETURNED_STATUS]
    # 404 is routing's; 410 is the handler's to produce.
    assert [(f.code, f.file, f.message) for f in unreturned] == [
        (410, "shop/openapi.yaml", "no handler path for GET /items/{itemId} produces 410")
    ]
    key = spec.document.operations[0].response(410)
    assert key is not None and unreturned[0].span == key.span


def test_no_unreturned_status_when_the_handler_is_incomplete():
    result = cross_check([_handler("GET", "/items/{}", 200, complete=False)], [_spec()])
    assert [f for f in result.findings if f.rule == UNRETURNED_STATUS] == []


def test_operations_without_handlers_and_handlers_without_operations():
    result = cross_check([_handler("GET", "/items/{}", 200, 404, 410), _handler("POST", "/items", 201)], [_spec()])
    assert _rules([f for f in result.findings if f.rule in (UNDOCUMENTED_OPERATION, UNIMPLEMENTED_OPERATION)]) == [
        (UNDOCUMENTED_OPERATION, None),
        (UNIMPLEMENTED_OPERATION, None),
        (UNIMPLEMENTED_OPERATION, None),
        (UNIMPLEMENTED_OPERATION, None),
    ]
    unimplemented = sorted(f.message for f in result.findings if f.rule == UNIMPLEMENTED_OPERATION)
    assert unimplemented == [
        "no handler in the workspace answers DELETE /items/{itemId}",
        "no handler in the workspace answers GET /orders",
        "no handler in the workspace answers GET /reports",
    ]
    undocumented = next(f for f in result.findings if f.rule == UNDOCUMENTED_OPERATION)
    assert undocumented.message == "POST /items is not in openapi.yaml: describe the operation there"
    assert undocumented.span == Span(9, 0, 9, 20)


def test_a_spec_no_handler_matches_stays_quiet():
    result = cross_check([_handler("GET", "/elsewhere", 200)], [_spec()])
    assert _rules(result.findings) == [(UNDOCUMENTED_OPERATION, None)]


def test_the_servers_base_path_is_stripped():
    result = cross_check([_handler("GET", "/api/items/{}", 200, 404, 410, 409)], [_spec()])
    assert [f.code for f in result.findings if f.rule == UNDOCUMENTED_STATUS] == [409]


def test_swagger_base_path_and_json_servers():
    assert base_paths("swagger: '2.0'\nbasePath: /v2\npaths: {}\n", "yaml") == ("/v2",)
    assert base_paths('{"openapi": "3.1.0", "servers": [{"url": "https://x.io/v3/"}, {"url": "/{v}"}], "paths": {}}', "json") == (
        "/v3",
    )
    assert base_paths("openapi: 3.0.0\nservers:\n  - url: /\npaths: {}\n", "yaml") == ()


def test_each_handler_gets_the_nearest_spec():
    other = _spec(path="billing/openapi.yaml")
    result = cross_check([_handler("GET", "/items/{}", 200, 404, 410, 409)], [other, _spec()])
    assert [(f.spec, f.code) for f in result.findings if f.rule == UNDOCUMENTED_STATUS] == [("shop/openapi.yaml", 409)]
    # billing's spec is nobody's: its operations are not reported as unimplemented.
    assert all(f.file != "billing/openapi.yaml" for f in result.findings)


def test_long_paths_are_shortened_in_messages():
    long_path = "/organisations/{org}/repositories/{repo}/pull-requests/{number}/reviews"
    text = f"openapi: 3.0.0\npaths:\n  {long_path}:\n    get:\n      responses:\n        '200': {{description: OK}}\n"
    handler = _handler("GET", "/organisations/{}/repositories/{}/pull-requests/{}/reviews", 200, 409)
    result = cross_check([handler], [_spec(text, path="a-rather-long-name-for-a-description.yaml")])
    assert result.findings and all(len(f.message) <= MESSAGE_LIMIT for f in result.findings)
    assert "\N{HORIZONTAL ELLIPSIS}/pull-requests/{number}/reviews" in result.findings[0].message


def test_the_hover_card_sets_the_codes_side_by_side():
    from http_status_ls.features.render import CARD_BUDGET
    from http_status_ls.features.render_code_spec import handler_card

    handler = _handler("GET", "/items/{}", 200, 409, maybe=(422,))
    result = cross_check([handler], [_spec()])
    card = handler_card(handler, result.matches[handler], result.candidates[handler])
    lines = card.split("  \n")
    assert lines[0] == "**GET /items/{}** · `view()`"
    assert lines[1] == "handler: 200, 409 · maybe 422"
    assert lines[2] == "openapi.yaml (get): 200, 404, 410"
    assert lines[3] == "not declared: 409 · never returned: 410"
    assert len(card) <= CARD_BUDGET.chars and len(lines) <= CARD_BUDGET.lines


def test_the_card_of_a_handler_the_spec_lacks():
    from http_status_ls.features.render_code_spec import handler_card

    handler = _handler("POST", "/items", 201, complete=False)
    result = cross_check([handler], [_spec()])
    card = handler_card(handler, result.matches[handler], result.candidates[handler], markdown=False)
    assert card.splitlines() == ["POST /items · view()", "handler: 201 · maybe more", "not in openapi.yaml"]


def test_the_open_api_specs_setting():
    from http_status_ls.core.settings import parse

    assert parse({"openApiSpecs": ["api/openapi.yaml", "api/openapi.yaml"]})[0].openapi_specs == ("api/openapi.yaml",)
    assert parse({"open-api-specs": "api/openapi.json"})[0].openapi_specs == ("api/openapi.json",)
    settings, messages = parse({"openApiSpecs": [3]})
    assert settings.openapi_specs == () and messages == [
        "httpStatus.openApiSpecs: expected a list of paths, got [3]; using the default"
    ]
