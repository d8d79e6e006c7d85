"""The pre-scan's skeleton (detect/yaml_prune.py): where the lines of the mappings it followed
start, in code points, for the OpenAPI model to read instead of searching the text again."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from http_status_ls.detect import yaml_prune
from http_status_ls.detect.analysis import analyse
from http_status_ls.detect.openapi import SIGNIFICANT_KEYS, child_role
from http_status_ls.detect.openapi_operations import forget, model_of
from http_status_ls.detect.openapi_read import read_document
from http_status_ls.detect.yaml_prune import Skeleton, prune

SPEC = """\
openapi: 3.0.3
info: {title: Café 🎉, version: '1'}
paths:
  /café/{id}:
    get:
      summary: Fetch the café — "quoted"
      responses:
        '200':
          description: Voilà 🎉
          headers:
            ETag: {schema: {type: string}}
        '404':
          description: Not found
  /b:
    post:
      responses:
        '201':
          description: Créé
"""


def _skeleton(text: str) -> Skeleton:
    pruned = prune(text)
    assert pruned is not None and pruned.skeleton is not None
    return pruned.skeleton


def test_lines_are_placed_in_code_points_past_wide_characters():
    skeleton = _skeleton(SPEC)
    assert skeleton.length == len(SPEC)
    lines = SPEC.splitlines(keepends=True)
    starts = [sum(map(len, lines[:row])) for row in range(len(lines))]
    for value_start, met in skeleton.lines.items():
        assert value_start == 0 or SPEC[value_start - 1] == "\n"
        for start, indent, row, _ in met:
            assert start == starts[row]
            assert SPEC[start : start + indent] == " " * indent and SPEC[start + indent] != " "
    # The mapping under the path with a wide character in its key starts right after that line.
    path_item = starts[4]
    assert [row for _, _, row, _ in skeleton.lines[path_item]] == [4]
    responses = starts[7]
    assert [row for _, _, row, _ in skeleton.lines[responses]] == [7, 11]
    response = starts[8]
    assert [(indent, row) for _, indent, row, _ in skeleton.lines[response]] == [(10, 8), (10, 9)]


def test_the_model_read_with_it_is_the_model_read_without():
    skeleton = _skeleton(SPEC)
    with_it, reads_with = read_document(SPEC, "yaml", skeleton=skeleton)
    without, reads_without = read_document(SPEC, "yaml")
    assert with_it == without and with_it is not None
    assert with_it.operations[0].responses[0].headers == ("ETag",)
    assert reads_with is not None and reads_without is not None
    assert reads_with.settle().rows == reads_without.settle().rows


def test_a_skeleton_of_another_length_is_not_used():
    # A text that is not the one scanned: its offsets would point anywhere.
    skeleton = _skeleton(SPEC)
    other = SPEC.replace("Fetch", "Fetch and read")
    assert read_document(other, "yaml", skeleton=skeleton)[0] == read_document(other, "yaml")[0]


def test_the_first_build_of_the_model_releases_it():
    # Its one use in the server: kept after it, it would hold GitHub's 2.5 MB until the first edit.
    uri = "file:///skeleton-released.yaml"
    analysis = analyse(uri, None, SPEC, 1)
    skeleton = analysis.detection.skeleton
    assert skeleton is not None and skeleton.lines
    try:
        built = model_of(analysis, SPEC)
    finally:
        forget(uri)
    assert skeleton.lines == {} and skeleton.length == -1
    assert built == read_document(SPEC, "yaml")[0] and built is not None
    # Released, it fits no text: a later build reads the text itself, to the same model.
    assert read_document(SPEC, "yaml", skeleton=skeleton)[0] == built


def test_several_documents_give_no_skeleton():
    pruned = prune(SPEC + "---\n" + SPEC)
    assert pruned is not None and pruned.skeleton is None


def test_too_many_wide_characters_give_no_skeleton(monkeypatch):
    monkeypatch.setattr(yaml_prune, "_WIDE_CHARACTERS_MOST", 3)
    pruned = prune(SPEC)
    assert pruned is not None and pruned.skeleton is None


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("\ufeff" + SPEC, "a byte order mark shifts every offset"),
        (SPEC.replace("Not found", "Not\x07found"), "a character libyaml refuses is replaced"),
        (SPEC.replace("'404':", "'404': [", 1), "a line blanked to recover from an error"),
    ],
)
def test_readings_not_of_the_text_as_written_give_no_skeleton(text, why):
    detection = analyse("file:///s.yaml", None, text, 1).detection
    assert detection.openapi is not None, why
    assert detection.skeleton is None, why


def test_a_clean_reading_gives_the_skeleton():
    detection = analyse("file:///s.yaml", None, SPEC, 1).detection
    assert isinstance(detection.skeleton, Skeleton) and detection.skeleton == _skeleton(SPEC)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=3000))
def test_wide_characters_are_every_lead_byte(text):
    source = text.encode("utf-8")
    found = yaml_prune._wide_characters(source)
    assert found is not None
    expected = [
        (offset, len(character.encode("utf-8")) - 1) for offset, character in _byte_offsets(text) if ord(character) > 0x7F
    ]
    assert found == expected


def _byte_offsets(text: str) -> list[tuple[int, str]]:
    offsets, at = [], 0
    for character in text:
        offsets.append((at, character))
        at += len(character.encode("utf-8"))
    return offsets


def test_keys_looked_up_as_written_lead_where_their_roles_say():
    # The scan looks a key line of a fixed-role mapping up as its bytes (`_FIXED_RAW`); what it finds
    # must be what decoding the key and asking `child_role` gives, for keys that lead on and others.
    keys = sorted(SIGNIFICANT_KEYS) + ["description", "headers", "content", "$ref", "200", "x-a", "summary", "<<"]
    for role, by_bytes in yaml_prune._FIXED_RAW.items():
        assert role is not None
        for key in keys:
            for written in (key, f"'{key}'", f'"{key}"'):
                assert by_bytes.get(written.encode()) is child_role(role, key), (role, written)


def test_which_lines_may_start_a_key_and_the_model_agrees():
    # In a mapping the scan follows, it notes for each line whether it may start a key: not a `- `
    # item, `[` or `{`; a `-` before anything else is left to the model's reader (None).
    text = (
        "openapi: 3.0.0\npaths:\n  /a:\n    get:\n"
        "      summary: s\n      - stray item\n      [flow]\n      -dash: 1\n"
        "      responses:\n        '200':\n          description: OK\n"
    )
    skeleton = _skeleton(text)
    operation = text.index("      summary")
    assert [may for _, _, _, may in skeleton.lines[operation]] == [True, False, False, None, True]
    with_it, _ = read_document(text, "yaml", skeleton=skeleton)
    without, _ = read_document(text, "yaml")
    assert with_it == without and with_it is not None
    assert [entry.key for entry in with_it.operations[0].responses] == ["200"]
