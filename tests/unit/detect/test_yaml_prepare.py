"""The YAML detector's quick tests on the whole text (detect/yaml.py): whether libyaml can read every
character, and whether a line starts with the version key. Each must answer as the regex it stands
for would, on texts that put the tricky characters everywhere."""

from __future__ import annotations

import pytest

from http_status_ls.detect import yaml as detector
from http_status_ls.detect.yaml_prune import UNREADABLE

READABLE = ["", "a: 1\n", "é ü € 😀\n", "tab\there\r\n", "\xa0nbsp", "\u2027\u202a\ud7ff\ue000\ufffd", "\U0010ffff"]
UNREADABLE_TEXTS = [
    "bell\x07",
    "\x00",
    "del\x7f",
    "nel\x85",
    "\x9f",
    "line\u2028sep",
    "para\u2029",
    "lone \ud800 surrogate",
    "\udfff",
    "\ufffe",
    "\uffff",
    "é then \x1b",
    "\x0b",
    "\x0c",
]


@pytest.mark.parametrize("text", READABLE + UNREADABLE_TEXTS)
def test_the_quick_test_for_unreadable_characters_answers_as_the_regex(text):
    for variant in (text, "openapi: 3.0.0\n" + text + "\nend: é", text * 3):
        assert detector._may_be_unreadable(variant) == (UNREADABLE.search(variant) is not None)


def test_unreadable_characters_become_spaces_and_readable_texts_are_kept_as_they_are():
    text = "a: é\n"
    assert detector._prepare(text) is text
    assert detector._prepare("a: \x07é\u2028\n") == "a:  é \n"


@pytest.mark.parametrize(
    "text",
    [
        "openapi: 3.0.0\n",
        "swagger: '2.0'\n",
        '"openapi": 3.1.0\n',
        "'swagger' : 2.0\n",
        "info:\n  x: 1\nopenapi:\t3.0.0\n",
        "x: openapi\nopenapi: 3\n",
        "  openapi: 3.0.0\n",
        "x-openapi: 3\n",
        "openapiX: 3\n",
        "# openapi: 3\n",
        "\r\nopenapi: 3\n",
        "a\ropenapi: 3\n",
        "x: 'openapi'\n",
        "\"'openapi: 3\n",
        "'openapi: 3\n",
        "openapi\n: 3\n",
        "",
        "swagger",
    ],
)
def test_the_quick_test_for_an_api_description_answers_as_the_regex(text):
    assert detector._is_api_description(text) == (detector._OPENAPI_ROOT.search(text) is not None)
