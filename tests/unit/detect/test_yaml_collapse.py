"""The collapsed form of a pre-scanned text (detect/yaml_collapse.py): the same lines, the blanked
ones emptied, every other character found again through `Collapsed.original`; and a walk over it
finds what a walk over the pre-scanned text finds, errors included."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from http_status_ls.detect.openapi import status_keys
from http_status_ls.detect.yaml_collapse import Collapsed, collapse
from http_status_ls.detect.yaml_prune import Pruned, prune
from http_status_ls.detect.yaml_walk import Walk
from tests.support.paths import CORPUS
from tests.unit.detect.test_yaml_incremental import SMALL_SPEC

# The small spec written three ways libyaml counts differently: as is, with CRLF line breaks, and
# with characters of two and three UTF-8 bytes in blanked values and in what stays.
VARIANTS = {
    "lf": SMALL_SPEC,
    "crlf": SMALL_SPEC.replace("\n", "\r\n"),
    "non-ascii": SMALL_SPEC.replace("A store of pets.", "Un magasin é € ü.").replace("List pets", "Liste € é"),
    "byte-order-mark": "\ufeff" + SMALL_SPEC,  # one more than the detector strips
}


def _pruned(text: str) -> Pruned:
    pruned = prune(text)
    assert pruned is not None
    return pruned


def _collapsed(text: str) -> tuple[Pruned, Collapsed]:
    pruned = _pruned(text)
    collapsed = collapse(pruned)
    assert collapsed is not None
    return pruned, collapsed


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_collapsed_text_has_the_same_lines_with_the_blanked_ones_emptied(variant):
    pruned, collapsed = _collapsed(VARIANTS[variant])
    before = pruned.text.splitlines(keepends=True)
    after = collapsed.data.decode("utf-8").splitlines(keepends=True)
    assert len(after) == len(before)
    emptied = 0
    for old, new in zip(before, after, strict=True):
        if old != new:
            assert old.strip(" ") in ("\n", "\r\n") and new == old.lstrip(" ")
            emptied += 1
    assert emptied >= 10  # the parameters, the schemas, the descriptions
    assert len(collapsed.data) < len(pruned.text.encode("utf-8")) // 2


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_character_left_maps_back_to_itself(variant):
    pruned, collapsed = _collapsed(VARIANTS[variant])
    text = collapsed.data.decode("utf-8")
    for index, character in enumerate(text):
        if character not in " \r\n":
            assert pruned.text[collapsed.original(index)] == character
    assert collapsed.original(len(text)) == len(pruned.text)


def test_a_blanked_last_line_without_a_line_break_keeps_its_spaces():
    text = "openapi: 3.0.0\ninfo:\n  title: x\n  description: é\npaths: {}\nx-tail:\n  a: 1\n  b: 2"
    pruned, collapsed = _collapsed(text)
    collapsed_text = collapsed.data.decode("utf-8")
    assert collapsed_text.endswith("\n" + " " * len("  b: 2"))
    assert collapsed.original(len(collapsed_text)) == len(pruned.text) == len(text)


def test_nothing_to_collapse_gives_none():
    assert collapse(_pruned("openapi: 3.0.0\npaths: {}\n")) is None


def _walk(text: str, pruned: Pruned, collapsed: Collapsed | None) -> tuple[Walk, Any]:
    walk = Walk(text, 0, status_keys(()), pruned)
    try:
        walk.run(pruned.text, yaml.CSafeLoader, collapsed)
    except yaml.MarkedYAMLError as error:
        marks = [(m.line, m.column, m.index) if m is not None else None for m in (error.context_mark, error.problem_mark)]
        return walk, (error.problem, marks)
    walk.finish_document()
    return walk, None


def _findings(walk: Walk) -> Any:
    return (
        walk.occurrences,
        walk.blocks,
        walk.outline,
        walk.responses_lines,
        walk.response_key_lines,
        walk.openapi,
        [walk._text(record.event) for record in walk.response_keys],
    )


def _corpus_slice() -> str:
    path = CORPUS / "github.api.yaml"
    if not path.is_file():
        pytest.skip("github.api.yaml is not in the shared corpus")
    return "".join(path.read_text(encoding="utf-8").splitlines(keepends=True)[:3000])


@pytest.mark.parametrize("variant", [*VARIANTS, "corpus"])
def test_a_walk_over_the_collapsed_text_finds_what_one_over_the_pruned_text_finds(variant):
    text = _corpus_slice() if variant == "corpus" else VARIANTS[variant]
    pruned, collapsed = _collapsed(text)
    plain, plain_error = _walk(text, pruned, None)
    fast, fast_error = _walk(text, pruned, collapsed)
    assert plain_error is None and fast_error is None
    assert plain.occurrences  # the test compares something
    assert _findings(fast) == _findings(plain)


@pytest.mark.parametrize(
    "broken",
    [
        # An error after blanked lines: its index must count their spaces again.
        SMALL_SPEC.replace("    post:\n", "    post:\n      : [\n"),
        SMALL_SPEC.replace("summary: List pets", "summary: 'List pets"),  # open to the end
        SMALL_SPEC + "x: {",
    ],
)
def test_an_error_in_a_collapsed_reading_is_reported_where_the_pruned_reading_reports_it(broken):
    pruned, collapsed = _collapsed(broken)
    plain, plain_error = _walk(broken, pruned, None)
    fast, fast_error = _walk(broken, pruned, collapsed)
    assert plain_error is not None
    assert fast_error == plain_error
    assert _findings(fast) == _findings(plain)
