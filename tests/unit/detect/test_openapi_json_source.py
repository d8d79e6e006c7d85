"""The JSON source of the operations model: its short ways through tree-sitter give the same model,
the same rows read and the same positions as looking every pair up by its fields."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from tree_sitter import Node

from http_status_ls.core.occurrences import Span
from http_status_ls.detect import openapi_json_source
from http_status_ls.detect.json import detect_json
from http_status_ls.detect.openapi_json_source import JsonSource
from http_status_ls.detect.openapi_operations import OpenApiDocument
from http_status_ls.detect.openapi_read import read_document
from tests.support.paths import CORPUS

SHOP: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Shop", "version": "1"},
    "security": [{"key": []}],
    "paths": {
        "/orders/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": True}],
            "get": {
                "summary": "One order",
                "responses": {
                    "200": {
                        "description": "The order",
                        "headers": {"ETag": {"schema": {"type": "string"}}},
                        "content": {"application/json": {"schema": {"description": "nested, not the response's"}}},
                    },
                    "404": {"$ref": "#/components/responses/Missing"},
                    "x-note": "skipped",
                },
            },
            "delete": {"security": [], "responses": {"204": {"description": "Gone"}}},
            "post": {
                "requestBody": {"content": {"application/json": {}}},
                "responses": {"201": {"description": "Made"}, "default": {"description": "Trouble"}},
                "callbacks": {"done": {"{$request.body#/url}": {"post": {"responses": {"200": {"description": "OK"}}}}}},
            },
        },
    },
    "webhooks": {"shipped": {"post": {"responses": {"202": {}}}}},
    "components": {
        "responses": {"Missing": {"description": "No such order", "content": {"application/problem+json": {}}}},
        "schemas": {"Error": {"type": "object"}, "Order": {"type": "object"}},
    },
}


class _FieldSource(JsonSource):
    """Every pair looked up by its fields and every position through the detector's reader: the
    plain reading the short ways must agree with."""

    def items(self, node: Node, only: tuple[str, ...] | None = None, *, sparse: bool = False) -> Iterator[tuple[str, Node, Node]]:
        if node.type == "object":
            if sparse and only is not None:
                self._sparse_keys.update(only)
            yield from self._items_in_error(node, only, sparse and only is not None)

    def _span(self, node: Node) -> Span:
        return self.reader.span(node)

    def _end(self, row: int, column: int, end: int) -> tuple[int, int]:
        return self.reader._position(end, (row, column))

    def _last_pair(self, node: Node) -> Node | None:
        pairs = [child for child in node.named_children if child.type == "pair"]
        return pairs[-1] if pairs else None

    def only_ref(self, node: Node) -> str | None:
        return None  # a lone `$ref` read through its pair too


def _both(text: str, monkeypatch: pytest.MonkeyPatch, *, reuse_tree: bool = True) -> tuple[Any, Any]:
    """(model, rows, ranges) from the JSON source and from the plain reading."""
    tree = detect_json(text).tree if reuse_tree else None
    fast, fast_reads = read_document(text, "json", tree)
    with monkeypatch.context() as patch:
        patch.setattr(openapi_json_source, "JsonSource", _FieldSource)
        plain, plain_reads = read_document(text, "json", tree)
    assert fast_reads is not None and plain_reads is not None
    return (
        (fast, sorted(fast_reads.rows), sorted(fast_reads.ranges)),
        (plain, sorted(plain_reads.rows), sorted(plain_reads.ranges)),
    )


PRETTY = json.dumps(SHOP, indent=2)
VARIANTS = {
    "pretty": PRETTY,
    "minified": json.dumps(SHOP, separators=(",", ":")),
    "crlf": PRETTY.replace("\n", "\r\n"),
    "lone-cr": PRETTY.replace("\n", "\r"),
    "non-ascii": json.dumps(SHOP, indent=1, ensure_ascii=False).replace('"description": "', '"description": "¿Qué? 注文 '),
    "non-ascii before keys": PRETTY.replace('"/orders/{id}"', '"/zamówienia/{id}"').replace(
        '{"description": "Made"}', '{"x-ñ": "é", "description": "Made"}'
    ),
    "comments": PRETTY.replace('"responses": {', '"responses" /* where */ : // the codes\n {')
    .replace('"200": {', '"200": /* ok */ {', 1)
    .replace(",\n", ", // next\n", 6),
    "escaped keys": PRETTY.replace('"get"', '"g\\u0065t"').replace('"description": "Gone"', '"descr\\u0069ption": "Gone"'),
    "duplicate keys": PRETTY.replace('"summary": "One order"', '"responses": {"500": {"description": "First"}}'),
    "a string left open": PRETTY.replace('"description": "Made"', '"description": "Made'),
    "cut short": PRETTY[: PRETTY.index('"webhooks"')],
    "a stray comma": PRETTY.replace('"description": "Gone"', '"description": "Gone",,'),
    "an extension between responses": PRETTY.replace('"404": {', '"x-between": true,\n"404": {', 1),
    "a reference below its key": PRETTY.replace('"$ref": "', '"$ref":\n\n   "'),
    "an escaped reference": PRETTY.replace('"#/components/responses/Missing"', '"#\\/components\\/responses\\/Missing"'),
}


@pytest.mark.parametrize("name", list(VARIANTS))
def test_the_same_model_rows_and_positions_as_the_plain_reading(name, monkeypatch):
    fast, plain = _both(VARIANTS[name], monkeypatch)
    assert fast == plain


def test_the_variants_are_descriptions_with_operations(monkeypatch):
    # So the comparison above compares models, not two Nones.
    for name in ("pretty", "minified", "lone-cr", "non-ascii", "comments", "duplicate keys"):
        (document, rows, _), _ = _both(VARIANTS[name], monkeypatch)
        assert isinstance(document, OpenApiDocument) and len(document.operations) == 5, name
        assert rows


def test_without_the_detectors_tree_the_text_is_parsed(monkeypatch):
    fast, plain = _both(PRETTY, monkeypatch, reuse_tree=False)
    assert fast == plain and fast[0] is not None


def test_what_the_model_reads_from_the_pairs():
    document, _ = read_document(PRETTY, "json", detect_json(PRETTY).tree)
    assert document is not None
    get = document.operations[0]
    assert [entry.key for entry in get.responses] == ["200", "404"]  # x- keys are not responses
    ok, missing = get.responses
    assert (ok.description, ok.headers, ok.content_types) == ("The order", ("ETag",), ())  # media types: errors only
    assert missing.ref_resolved and missing.description == "No such order" and missing.has_body
    assert missing.content_types == ("application/problem+json",)
    assert [operation.label for operation in document.operations] == [
        "GET /orders/{id}",
        "DELETE /orders/{id}",
        "POST /orders/{id}",
        "POST {$request.body#/url}",
        "POST shipped",
    ]
    assert document.schema_refs == ("#/components/schemas/Error",)


def test_a_comment_inside_a_pair_does_not_hide_it():
    text = VARIANTS["comments"]
    document, _ = read_document(text, "json", detect_json(text).tree)
    assert document is not None
    assert [entry.key for entry in document.operations[0].responses] == ["200", "404"]


def test_an_escaped_key_is_not_a_method():
    text = VARIANTS["escaped keys"]
    document, _ = read_document(text, "json", detect_json(text).tree)
    assert document is not None
    assert [operation.label for operation in document.operations] == [
        "DELETE /orders/{id}",
        "POST /orders/{id}",
        "POST {$request.body#/url}",
        "POST shipped",
    ]
    (gone,) = document.operations[0].responses
    assert gone.description is None  # `descr\u0069ption` is not read as the description


def test_columns_count_code_points_after_non_ascii_text():
    text = '{"openapi": "3.0.0", "info": {"title": "Ünïcödé"}, "paths": {"/a": {"get": {"responses": {"200": {"description": "é"}}}}}}'
    document, _ = read_document(text, "json", detect_json(text).tree)
    assert document is not None
    (operation,) = document.operations
    (entry,) = operation.responses
    column = text.index('"200"')
    assert entry.span == Span(0, column, 0, column + 5)
    assert entry.description_span == Span(0, text.index('"é"'), 0, text.index('"é"') + 3)
    assert operation.span.start_col == text.index('"get"')


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the shared corpus is not checked out at {CORPUS}")
@pytest.mark.parametrize("name", ["github.api.json", "stripe.spec3.json"])
def test_the_corpus_descriptions_read_alike(name, monkeypatch):
    text = (CORPUS / name).read_text(encoding="utf-8")
    fast, plain = _both(text, monkeypatch)
    assert fast == plain
    assert fast[0] is not None and len(fast[0].operations) > 400


def _read(text: str, skeleton: bool) -> tuple[Any, list[int], list[tuple[int, int]]]:
    detection = detect_json(text)
    document, reads = read_document(text, "json", detection.tree, detection.source, detection.skeleton if skeleton else None)
    assert reads is not None
    return document, sorted(reads.rows), sorted(reads.ranges)


@pytest.mark.parametrize("name", list(VARIANTS))
def test_the_responses_the_detector_read_give_the_same_model_and_rows(name, monkeypatch):
    handed: list[bool] = []
    reading = JsonSource.responses

    def spy(self: JsonSource, node: Node) -> Any:
        found = reading(self, node)
        handed.append(found is not None)
        return found

    monkeypatch.setattr(JsonSource, "responses", spy)
    handed_over = _read(VARIANTS[name], skeleton=True)
    used = list(handed)
    assert handed_over == _read(VARIANTS[name], skeleton=False)
    if name in ("pretty", "minified", "crlf", "non-ascii", "comments", "duplicate keys", "an extension between responses"):
        assert used and all(used), "the walk's reading was not used"
    if name == "lone-cr":  # tree-sitter's rows are not the lines: the model reads for itself
        assert used and not any(used)


def test_the_detectors_reading_is_let_go_once_the_model_is_built():
    from http_status_ls.detect.analysis import analyse
    from http_status_ls.detect.openapi_operations import forget, model_of

    analysis = analyse("file:///shop.json", "json", PRETTY, 1)
    skeleton = analysis.detection.skeleton
    assert skeleton is not None and skeleton.responses
    try:
        assert model_of(analysis, PRETTY) is not None
        assert skeleton.responses == {}
    finally:
        forget("file:///shop.json")
