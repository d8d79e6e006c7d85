"""The YAML source of the operations model: a response that is a lone ``$ref`` is told apart without
reading its keys, and gives the same model and the same lines read as reading them."""

from __future__ import annotations

import pytest

from http_status_ls.detect import openapi_yaml_source
from http_status_ls.detect.openapi_read import read_document
from http_status_ls.detect.openapi_yaml_source import YamlNode, YamlSource
from http_status_ls.detect.yaml_prune import prune

ORDERS = """\
openapi: 3.0.3
info: {title: Orders, version: '1'}
paths:
  /orders/{id}:
    get:
      responses:
        '200':
          description: The order
        '404':
          $ref: '#/components/responses/Missing'
        '410':
          $ref: '#/components/responses/Gone'
components:
  responses:
    Missing:
      description: No such order
      headers:
        Cache-Control: {schema: {type: string}}
    Gone:
      description: Deleted for good
"""

MISSING = "$ref: '#/components/responses/Missing'"
VARIANTS = {
    "single-quoted": ORDERS,
    "double-quoted": ORDERS.replace(MISSING, '$ref: "#/components/responses/Missing"'),
    "escaped": ORDERS.replace(MISSING, '$ref: "#\\x2Fcomponents/responses/Missing"'),
    "quoted key": ORDERS.replace(MISSING, "'$ref' : '#/components/responses/Missing'"),
    "a comment after it": ORDERS.replace(MISSING, MISSING + "  # shared"),
    "a blank line after it": ORDERS.replace(MISSING + "\n", MISSING + "\n\n"),
    "a sibling key": ORDERS.replace(MISSING + "\n", MISSING + "\n          description: Here\n"),
    "flow": ORDERS.replace("'404':\n          " + MISSING, "'404': {" + MISSING + "}"),
    "plain": ORDERS.replace(MISSING, "$ref: Missing.yaml"),
    "crlf": ORDERS.replace("\n", "\r\n"),
    "the last line without a break": ORDERS[: ORDERS.index("components:")].replace(MISSING, MISSING.replace("Missing", "X"))
    + "        '500':\n          "
    + MISSING,
}


class _PlainSource(YamlSource):
    """Every response read through its keys: the reading the short way must agree with."""

    def only_ref(self, node: YamlNode) -> str | None:
        return None


def _both(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    pruned = prune(text)
    skeleton = pruned.skeleton if pruned is not None else None
    document, reads = read_document(text, "yaml", skeleton=skeleton)
    with monkeypatch.context() as patch:
        patch.setattr(openapi_yaml_source, "YamlSource", _PlainSource)
        plain, plain_reads = read_document(text, "yaml", skeleton=skeleton)
    assert reads is not None and plain_reads is not None
    reads, plain_reads = reads.settle(), plain_reads.settle()
    return (document, sorted(reads.rows), sorted(reads.ranges)), (plain, sorted(plain_reads.rows), sorted(plain_reads.ranges))


@pytest.mark.parametrize("name", list(VARIANTS))
def test_a_lone_reference_reads_as_its_keys_do(name, monkeypatch):
    fast, plain = _both(VARIANTS[name], monkeypatch)
    assert fast == plain


def test_the_short_way_is_taken_and_follows_the_reference(monkeypatch):
    taken: list[str | None] = []
    only_ref = YamlSource.only_ref

    def counted(self: YamlSource, node: YamlNode) -> str | None:
        taken.append(only_ref(self, node))
        return taken[-1]

    monkeypatch.setattr(YamlSource, "only_ref", counted)
    document, _ = read_document(ORDERS, "yaml")
    assert document is not None
    (operation,) = document.operations
    ok, missing, gone = operation.responses
    assert taken == [None, "#/components/responses/Missing", "#/components/responses/Gone"]
    assert (missing.ref_resolved, missing.description, missing.headers) == (True, "No such order", ("Cache-Control",))
    assert (gone.description, ok.description) == ("Deleted for good", "The order")
