"""A YAML API description read by sections (detect/yaml_sections.py, yaml_splice.py) must always give
what a fresh analysis gives.

Random edit sequences, valid and broken (quotes, brackets, colons, indentation, deleted lines,
pasted blocks, new keys), are typed into a `Document` the way the server applies them; after each
edit the document's analysis (kept, spliced from the sections re-read, or fresh) is compared with a
fresh analysis of its text. Small texts and slices of the corpus specs are compared at every step;
full-size corpus specs (marked `corpus`) are compared whenever the analysis was not a fresh one.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from http_status_ls.core.occurrences import Analysis
from http_status_ls.core.positions import split_lines
from http_status_ls.detect import yaml as detector
from http_status_ls.detect.analysis import analyse
from http_status_ls.detect.openapi import status_keys
from http_status_ls.detect.yaml import detect_yaml
from http_status_ls.detect.yaml_reuse import BlankedValues
from http_status_ls.detect.yaml_sections import split
from http_status_ls.lsp import documents
from http_status_ls.lsp.documents import Document
from tests.support.paths import CORPUS
from tests.unit.detect.test_yaml_incremental import SMALL_SPEC

UTF16 = PositionCodec(types.PositionEncodingKind.Utf16)

TYPED = [
    "a",
    " ",
    "x: 1",
    ": ",
    ":",
    '"',
    "'",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "- ",
    "#",
    "&a ",
    "*a",
    "!t ",
    "|",
    "404",
    "'404': {}",
    "\n",
    "\n  ",
    "\n    ",
    "\n        '500':\n          description: x\n",
    "\n  /new:\n    get: {}\n",
    "\nnew: 1\n",
    "\t",
    "\r\n",
    "é",
    "---\n",
]


def _fresh(document: Document) -> None:
    fresh = analyse(document.uri, document.language_id, document.text, document.version)
    mine = document.analysis()
    assert mine.detection.occurrences == fresh.detection.occurrences
    assert mine.detection.responses == fresh.detection.responses
    assert mine.detection.openapi == fresh.detection.openapi
    assert mine.detection.notes == fresh.detection.notes


@contextmanager
def _counting_fresh_reads() -> Iterator[list[int]]:
    """Counts the fresh analyses the document makes (the others are kept or spliced)."""
    calls = [0]
    original = documents.analyse

    def counted(*args: Any, **kwargs: Any) -> Analysis:
        calls[0] += 1
        return original(*args, **kwargs)

    documents.analyse = counted
    try:
        yield calls
    finally:
        documents.analyse = original


def _edit(document: Document, rng: random.Random) -> types.TextDocumentContentChangePartial:
    lines = document.lines
    line = rng.randrange(len(lines))
    body = lines[line].rstrip("\r\n")
    start = rng.randint(0, len(body))
    end_line, end = line, start
    kind = rng.random()
    typed = ""
    if kind < 0.12:  # delete a few characters
        end = min(len(body), start + rng.randint(1, 4))
    elif kind < 0.2:  # delete whole lines
        start, end_line, end = 0, min(len(lines) - 1, line + rng.randint(1, 3)), 0
    elif kind < 0.28:  # dedent or indent a line
        start = 0
        if rng.random() < 0.5:
            end = min(len(body) - len(body.lstrip(" ")), rng.randint(1, 4))
        else:
            typed = " " * rng.randint(1, 4)
    elif kind < 0.36:  # paste a few lines copied from elsewhere, at a line start
        source = rng.randrange(len(lines))
        typed = "".join(lines[source : source + rng.randint(1, 6)])
        start = 0
    else:
        typed = rng.choice(TYPED)
    return types.TextDocumentContentChangePartial(
        range=types.Range(start=types.Position(line=line, character=start), end=types.Position(line=end_line, character=end)),
        text=typed,
    )


def _type_into(text: str, seed: int, steps: int, *, every_step: bool = True, reopen_broken: bool = False) -> tuple[int, int]:
    """Type ``steps`` random edits into ``text``; returns (analyses compared, fresh reads made)."""
    rng = random.Random(seed)
    document = Document("file:///spec.yaml", "yaml", 1, text)
    document.analysis()
    compared = 0
    with _counting_fresh_reads() as fresh_reads:
        for version in range(2, steps + 2):
            document.apply_changes([_edit(document, rng)], version, UTF16)
            if rng.random() < 0.25:
                continue  # several edits before the next analysis
            before = fresh_reads[0]
            document.analysis()
            if every_step or fresh_reads[0] == before:
                _fresh(document)
                compared += 1
            if reopen_broken and not isinstance(document.analysis().detection.tree, BlankedValues):
                document = Document("file:///spec.yaml", "yaml", version, text)  # no longer split: start over
                document.analysis()
        _fresh(document)
        return compared + 1, fresh_reads[0]


def _corpus(name: str) -> str:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"{name} is not in the shared corpus")
    return path.read_text(encoding="utf-8")


@functools.cache
def _path_items(name: str) -> tuple[str, tuple[str, ...]]:
    """The version's text of a corpus spec, and the text of each child of its ``paths``."""
    text = _corpus(name)
    outline = split(text)
    assert outline is not None
    lines = split_lines(text)
    items = tuple("".join(lines[s.start : s.end]) for s in outline.sections if s.head.startswith("paths:"))
    return outline.version_text, items


def _slice(name: str, first: int, count: int) -> str:
    """The version, and ``count`` children of ``paths`` from the ``first``-th."""
    version, items = _path_items(name)
    return version + "paths:\n" + "".join(items[first : first + count])


# -- the property ------------------------------------------------------------------------------------


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), steps=st.integers(1, 12))
def test_small_spec_any_edits_equal_a_fresh_analysis(seed, steps):
    _type_into(SMALL_SPEC, seed, steps)


@pytest.mark.corpus
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(["stripe.spec3.yaml", "github.api.yaml"]),
    first=st.integers(0, 150),
    seed=st.integers(0, 2**32 - 1),
)
def test_corpus_slices_any_edits_equal_a_fresh_analysis(name, first, seed):
    _type_into(_slice(name, first, 6), seed, 15)


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["stripe.spec3.yaml", "github.api.yaml"])
def test_full_size_spec_spliced_analyses_equal_a_fresh_one(name):
    text = _corpus(name)
    compared, fresh_reads = _type_into(text, len(name), 30, every_step=False, reopen_broken=True)
    assert compared > 10, "too few analyses were spliced or kept: the test proves little"
    assert fresh_reads < compared


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["stripe.spec3.yaml", "github.api.yaml"])
def test_reading_whole_equals_reading_each_section_alone(name):
    """What lets a valid text be read whole and then spliced section by section."""
    text = _corpus(name)
    whole = detect_yaml(text)
    outline = split(text)
    assert outline is not None and whole.openapi is not None
    lines = split_lines(text)
    readings = detector._read_by_section(lines, outline, whole.openapi, status_keys(()))
    assert tuple(o for r in readings for o in r.occurrences) == whole.occurrences
    assert tuple(b for r in readings for b in r.blocks) == whole.responses
    assert all(not r.notes for r in readings)


# -- what the sections give ----------------------------------------------------------------------------

TWO_PATHS = """\
openapi: 3.0.3
info:
  title: T
paths:
  /a:
    get:
      responses:
        '200':
          description: ok
        '404':
          description: missing
  /b:
    post:
      responses:
        '201':
          description: made
"""


def _change(document: Document, line: int, column: int, text: str, version: int, remove: int = 0) -> None:
    start, end = types.Position(line=line, character=column), types.Position(line=line, character=column + remove)
    document.apply_changes(
        [types.TextDocumentContentChangePartial(range=types.Range(start=start, end=end), text=text)], version, UTF16
    )


def test_split_gives_each_path_item_and_top_level_key():
    outline = split(TWO_PATHS)
    assert outline is not None
    assert [(s.start, s.end, s.indent, s.version) for s in outline.sections] == [
        (0, 1, 0, True),
        (1, 3, 0, False),
        (4, 11, 2, False),
        (11, 16, 2, False),
    ]
    assert outline.sections[2].head == "paths:\n"


@pytest.mark.parametrize(
    "text",
    [
        "status: 404\n",  # not an API description
        "openapi: 3.0.3\n---\nopenapi: 3.0.3\n",  # two documents
        "openapi: 3.0.3\nswagger: '2.0'\n",  # two versions
        "{openapi: 3.0.3}\n",  # flow style
        "openapi: 3.0.3\n? complex\n: key\n",
        "\ufeffopenapi: 3.0.3\n",
    ],
)
def test_split_refuses_what_it_cannot_follow(text):
    assert split(text) is None


def test_a_broken_path_item_keeps_the_others_found():
    broken = TWO_PATHS.replace("          description: ok\n", '          description: "ok\n')
    keys = [o.text for o in detect_yaml(broken).occurrences]
    assert "'201'" in keys  # /b is read on its own, whatever /a's open quote swallows


def test_a_keystroke_outside_blanked_values_reads_only_its_section():
    document = Document("file:///spec.yaml", "yaml", 1, TWO_PATHS)
    document.analysis()
    with _counting_fresh_reads() as fresh_reads:
        _change(document, 9, 13, "'", 2)  # `'404` unclosed: the /a path item breaks
        broken = document.analysis()
        _change(document, 9, 13, "", 3, remove=1)
        mended = document.analysis()
        _change(document, 12, 4, "x", 4)  # `xpost:` in /b
        renamed = document.analysis()
    assert fresh_reads[0] == 0
    assert [o.text for o in broken.occurrences] == ["'200'", "'201'"]
    assert broken.detection.notes and broken.detection.notes[0].startswith("yaml: recovered from an error at ")
    assert [o.text for o in mended.occurrences] == ["'200'", "'404'", "'201'"] and not mended.detection.notes
    assert [o.text for o in renamed.occurrences] == ["'200'", "'404'"]  # `xpost` is no operation
    _fresh(document)


def test_a_new_path_item_or_top_level_key_is_read_afresh():
    document = Document("file:///spec.yaml", "yaml", 1, TWO_PATHS)
    document.analysis()
    with _counting_fresh_reads() as fresh_reads:
        _change(document, 11, 0, "  /c:\n    get: {}\n", 2)
        document.analysis()
        _change(document, 3, 0, "x-top: 1\n", 3)
        document.analysis()
    assert fresh_reads[0] == 2
    _fresh(document)


def test_notes_move_with_their_section():
    broken = TWO_PATHS.replace("  /b:\n    post:\n", "  /b:\n    post: [\n")
    document = Document("file:///spec.yaml", "yaml", 1, broken)
    before = document.analysis().detection.notes
    _change(document, 2, 10, "\n  more: text", 2)  # one more line in `info`, above /b
    after = document.analysis().detection.notes
    assert before and after and before != after
    _fresh(document)


def test_the_too_many_recoveries_limit_is_per_section(monkeypatch):
    monkeypatch.setattr(detector, "MAX_RECOVERIES", 0)
    broken = TWO_PATHS.replace("        '200':\n", "        '200\n")
    keys = [o.text for o in detect_yaml(broken).occurrences]
    assert keys == ["'201'"]


def test_typing_after_the_last_line_extends_the_last_section():
    document = Document("file:///spec.yaml", "yaml", 1, TWO_PATHS)
    document.analysis()
    end = len(document.lines)
    with _counting_fresh_reads() as fresh_reads:
        _change(document, end, 0, "        '409':\n          description: clash\n", 2)
        appended = document.analysis()
        _change(document, 3, 5, " ", 3)  # on `paths:` itself: between sections, read afresh
        document.analysis()
    assert fresh_reads[0] == 1
    assert [o.text for o in appended.occurrences] == ["'200'", "'404'", "'201'", "'409'"]
    _fresh(document)


QUOTED_EXAMPLE = """\
openapi: 3.0.3
paths:
  /a:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              examples:
                default:
                  $ref: '#/components/examples/usage'
      tags: [a]
  /b:
    get:
      responses:
        '204':
          description: none
"""


def test_a_quoted_value_split_onto_a_shallower_line_reads_as_a_fresh_analysis():
    """Found by the corpus property (GitHub's spec, slice 140, seed 118524170): a line break typed
    inside a quoted `$ref` leaves `    e'`-like text on a line shallower than the blanked value.
    libyaml reads it as the rest of the quoted scalar; the blanked reading of the section saw an
    error there, so the re-read section ended its responses object a line early and noted an error
    that a fresh analysis does not have."""
    document = Document("file:///spec.yaml", "yaml", 1, QUOTED_EXAMPLE)
    document.analysis()
    _change(document, 11, 51, "\n    ", 2)  # inside `usage'`: `usag` / `    e'`
    assert document.lines[12] == "    e'\n"
    mine = document.analysis()
    assert mine.detection.responses[0].span.end_line == 12
    assert not mine.detection.notes
    _fresh(document)
