"""The detectors on real API descriptions (../shared/corpus/openapi), against independent counts.

The expected response keys come from loading each file completely (json.load, yaml.load) and
walking paths, webhooks, callbacks and components/pathItems in plain Python, without any of the
detectors' code. The big YAML loads are slow, so each file is loaded once per module.
"""

from __future__ import annotations

import json
from functools import cache

import pytest
import yaml

from http_status_ls.detect import yaml as yaml_detector
from http_status_ls.detect.json import detect_json
from http_status_ls.detect.openapi import status_keys
from http_status_ls.detect.yaml import detect_yaml
from tests.support.paths import CORPUS

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the shared corpus is not checked out at {CORPUS}"),
]

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

BIG = ["github.api.json", "github.api.yaml", "stripe.spec3.json", "stripe.spec3.yaml"]
ALL = BIG + ["petstore-expanded.yaml"]


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def expected_keys(spec: dict) -> list[tuple[str, str]]:
    """(pointer of the responses object, key) for every operation response key in ``spec``."""
    found: list[tuple[str, str]] = []

    def path_item(item, pointer: str) -> None:
        if not isinstance(item, dict):
            return
        for method in METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            here = f"{pointer}/{method}"
            responses = operation.get("responses")
            if isinstance(responses, dict):
                for key in responses:
                    if not str(key).startswith("x-"):
                        found.append((f"{here}/responses", str(key)))
            for name, callback in (operation.get("callbacks") or {}).items():
                for expression, item_ in (callback or {}).items():
                    path_item(item_, f"{here}/callbacks/{escape(name)}/{escape(expression)}")

    for path, item in (spec.get("paths") or {}).items():
        if not path.startswith("x-"):
            path_item(item, f"/paths/{escape(path)}")
    for name, item in (spec.get("webhooks") or {}).items():
        path_item(item, f"/webhooks/{escape(name)}")
    components = spec.get("components") or {}
    for name, item in (components.get("pathItems") or {}).items():
        path_item(item, f"/components/pathItems/{escape(name)}")
    for name, callback in (components.get("callbacks") or {}).items():
        for expression, item in (callback or {}).items():
            path_item(item, f"/components/callbacks/{escape(name)}/{escape(expression)}")
    return found


@cache
def text_of(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")


@cache
def spec_of(name: str) -> dict:
    if name.endswith(".json"):
        return json.loads(text_of(name))
    return yaml.load(text_of(name), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@cache
def detection_of(name: str):
    text = text_of(name)
    return detect_json(text) if name.endswith(".json") else detect_yaml(text)


@pytest.mark.parametrize("name", ALL)
def test_every_response_key_is_found(name):
    detection = detection_of(name)
    expected = expected_keys(spec_of(name))
    assert len(expected) > 0
    found = [(block.pointer, key.value) for block in detection.responses for key in block.keys]
    assert sorted(found) == sorted(expected)
    assert len(detection.occurrences) == len(expected)
    assert detection.notes == ()


@pytest.mark.parametrize("name", ALL)
def test_version_is_read(name):
    spec = spec_of(name)
    assert detection_of(name).openapi == str(spec.get("openapi") or spec.get("swagger"))


@pytest.mark.parametrize("name", ALL)
def test_spans_cover_the_tokens(name):
    lines = text_of(name).splitlines()
    detection = detection_of(name)
    for occurrence in detection.occurrences:
        span = occurrence.span
        assert span.start_line == span.end_line
        assert lines[span.start_line][span.start_col : span.end_col] == occurrence.text
        if occurrence.body_span is not None:
            body = occurrence.body_span
            assert lines[body.start_line][body.start_col : body.end_col].strip('"') in ("content", "schema")
    for block in detection.responses:
        assert lines[block.span.start_line][block.span.start_col :].lstrip('"').startswith("responses")


@pytest.mark.parametrize("name", ALL)
def test_codes_match_values(name):
    for occurrence in detection_of(name).occurrences:
        if occurrence.value.isdigit():
            assert occurrence.code == int(occurrence.value)
        else:
            assert occurrence.code is None


@pytest.mark.parametrize("name", [n for n in ALL if n.endswith(".yaml")])
def test_yaml_fast_reading_equals_full_reading(name):
    text = text_of(name)
    keys = status_keys(())
    pruned = yaml_detector._read_pruned(text, 0, keys, text, [])
    assert pruned is not None, "big block-style descriptions should take the fast path"
    full = yaml_detector._read(text, 0, keys, text, [])

    def summary(walk):
        occurrences = [(o.span, o.text, o.code, o.body_span) for o in walk.occurrences]
        blocks = [(b.span, b.pointer, b.key_indent, tuple(k.span for k in b.keys)) for b in walk.blocks]
        return occurrences, blocks

    assert summary(pruned) == summary(full)


def test_yaml_and_json_github_agree():
    """The GitHub YAML is a re-dump of the JSON: the same keys under the same pointers."""
    from_json = [(b.pointer, k.value) for b in detection_of("github.api.json").responses for k in b.keys]
    from_yaml = [(b.pointer, k.value) for b in detection_of("github.api.yaml").responses for k in b.keys]
    assert from_json == from_yaml
