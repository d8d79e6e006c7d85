"""The knowledge base's JSON decoder gives what ``json.loads`` gives, errors included."""

from __future__ import annotations

import json
import math
import sys

import pytest

from http_status_ls.kb import json_text, registry

SAMPLES = [
    '{"a": [1, 2.5, -3e2, true, false, null], "b": {"c": "d\\u00e9\\n"}}',
    "  \n\t[1, 2]\r\n ",
    '"just a string"',
    "0",
    '{"same": 1, "same": 2}',
    '["\\ud83d\\ude00", "caf\u00e9"]',
]


@pytest.mark.parametrize("text", SAMPLES)
def test_decodes_like_json(text):
    assert json_text.decode(text) == json.loads(text)


def test_decodes_the_data_file_like_json():
    with open(registry._data_file(), encoding="utf-8") as data:
        text = data.read()
    assert json_text.decode(text) == json.loads(text)


def test_constants_json_allows_are_decoded_too():
    value = json_text.decode("[NaN, Infinity, -Infinity, 1.0]")
    assert math.isnan(value[0]) and value[1:] == [math.inf, -math.inf, 1.0]


@pytest.mark.parametrize("text", ["", "   ", '{"a": 1} x', '{"a": 1,}', "[1, 2", '{"a": "\x01"}', "\ufeff{}"])
def test_a_malformed_text_fails_with_the_error_json_gives(text):
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    with pytest.raises(json.JSONDecodeError) as raised:
        json_text.decode(text)
    assert str(raised.value) == str(expected.value)


def test_without_the_c_scanner_json_decodes(monkeypatch):
    monkeypatch.setitem(sys.modules, "_json", None)  # `from _json import ...` now raises ImportError
    assert json_text.decode(SAMPLES[0]) == json.loads(SAMPLES[0])


def test_a_well_formed_text_never_reaches_json(monkeypatch):
    """The point of the module: the scanner decodes it, so ``json`` need not even be imported."""

    def refuse(text: str) -> object:
        raise AssertionError("json.loads was called")

    monkeypatch.setattr(json, "loads", refuse)
    assert json_text.decode(SAMPLES[0])["b"] == {"c": "d\u00e9\n"}
