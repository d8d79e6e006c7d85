"""A YAML analysis kept across edits (detect/yaml_reuse.py) must always equal a fresh analysis.

Random edit sequences, valid and broken (stray quotes, brackets, colons, dashes, line breaks,
deleted lines, dedented lines), are typed into a `Document` the way the server applies them; after
every edit the document's analysis is compared with a fresh analysis of its text. Most edits are
aimed at the values the pre-scan blanks, where the analysis is kept, and some anywhere, where it is
read again. The real API descriptions of the shared corpus are used when they are there.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from http_status_ls.core.positions import split_lines
from http_status_ls.detect.analysis import analyse
from http_status_ls.detect.openapi_read import read_document
from http_status_ls.detect.yaml_prune import Skeleton, prune
from http_status_ls.detect.yaml_reuse import BlankedValues
from http_status_ls.lsp.documents import Document
from tests.support.paths import CORPUS

UTF16 = PositionCodec(types.PositionEncodingKind.Utf16)

SMALL_SPEC = """\
openapi: 3.0.3
info:
  title: Pets
  description: |
    A store of pets.
    With "quotes" and [brackets].
paths:
  /pets:
    get:
      summary: List pets
      parameters:
        - name: limit
          in: query
          schema:
            type: integer
      responses:
        '200':
          description: A list
          content:
            application/json:
              schema:
                type: array
                items:
                  $ref: '#/components/schemas/Pet'
        default:
          description: Unexpected error
          headers:
            X-Rate:
              description: the rate
              schema:
                type: integer
    post:
      responses:
        '201':
          description: Created
        4XX:
          description: Client error
components:
  schemas:
    Pet:
      type: object
      description: >
        A pet, described
        over lines.
      properties:
        id:
          type: integer
          example: 404
        status:
          type: string
          enum: [sold, "available"]
  responses:
    NotFound:
      description: not found
"""

TYPED = [
    "a",
    "ok ",
    "a:b",
    "a: b",
    "x#y",
    " #c",
    '"',
    "'",
    "[",
    "{",
    "]",
    ":",
    ": ",
    " - ",
    "- ",
    "#",
    "x",
    "404",
    "\n",
    "\n  ",
    "\n      z: 1\n",
    "  ",
    "\t",
    "&a ",
    "*a",
    "---\n",
    "\u2028",
    "é",
]


@dataclass
class Outcome:
    compared: int = 0
    kept: int = 0


def _same(document: Document, outcome: Outcome, every_read: bool = True) -> None:
    """Compare the document's analysis with a fresh one; with ``every_read`` False only when the
    analysis was kept (otherwise it is a fresh read by construction, and a big spec costs 0.2 s)."""
    previous = document._analysis
    kept = document.analysis()
    was_kept = previous is not None and kept.detection.tree is not None and kept.detection.tree is previous.detection.tree
    if not (every_read or was_kept):
        return
    fresh = analyse(document.uri, document.language_id, document.text, document.version)
    assert kept.detection.occurrences == fresh.detection.occurrences
    assert kept.detection.responses == fresh.detection.responses
    assert kept.detection.openapi == fresh.detection.openapi
    assert kept.detection.notes == fresh.detection.notes
    if was_kept and kept is not previous:  # carried over an edit, not the same text asked twice
        assert kept.detection.skeleton is None  # where the lines start is the old text's
    _same_model(document.text, kept.detection.skeleton)
    outcome.compared += 1
    outcome.kept += was_kept


def _model(text: str, skeleton: Skeleton | None) -> tuple[object, list[int], list[tuple[int, int]]]:
    document, reads = read_document(text, "yaml", skeleton=skeleton)
    if reads is None:
        return document, [], []
    reads.settle()
    return document, sorted(reads.rows), sorted(reads.ranges)


def _same_model(text: str, skeleton: Skeleton | None) -> None:
    """The OpenAPI model read with the pre-scan's skeleton equals the one read by searching the
    text, and so do the rows it read (which decide what an edit may keep)."""
    if skeleton is not None:
        assert _model(text, skeleton) == _model(text, None)


def _targets(text: str) -> tuple[list[int], dict[int, int]]:
    """The lines the pre-scan blanks, and the value lines it marks (line -> value column)."""
    pruned = prune(text)
    if pruned is None:
        return [], {}
    lines: list[int] = []
    for region in pruned.regions.values():
        count = pruned.source.count(b"\n", region.start, region.end)
        lines.extend(range(region.first_line, region.first_line + max(count, 1)))
    source_lines = split_lines(text)
    values = {line: len(source_lines[line].encode()[:offset].decode()) for line, offset in pruned.value_lines.items()}
    return lines, values


def _edit(
    document: Document, rng: random.Random, blanked: list[int], values: dict[int, int]
) -> types.TextDocumentContentChangePartial:
    lines = document.lines
    chance = rng.random()
    start = None
    if values and chance < 0.35:  # inside a value on a key line (the text may have moved since)
        line = min(rng.choice(list(values)), len(lines) - 1)
        body = lines[line].rstrip("\r\n")
        start = rng.randint(min(values[line], len(body)), len(body))
    elif blanked and chance < 0.9:
        line = min(rng.choice(blanked), len(lines) - 1)
    else:
        line = rng.randrange(len(lines))
    body = lines[line].rstrip("\r\n")
    if start is None:
        start = rng.randint(0, len(body))
    kind = rng.random()
    end_line, end = line, start
    if kind < 0.15:  # delete a few characters
        end = min(len(body), start + rng.randint(1, 4))
        typed = ""
    elif kind < 0.22:  # delete whole lines
        start, end_line, end = 0, min(len(lines) - 1, line + rng.randint(1, 3)), 0
        typed = ""
    elif kind < 0.28:  # dedent a line (may end a blanked value early)
        start, end = 0, min(len(body) - len(body.lstrip(" ")), rng.randint(1, 8))
        typed = ""
    else:
        typed = rng.choice(TYPED)
    return types.TextDocumentContentChangePartial(
        range=types.Range(start=types.Position(line=line, character=start), end=types.Position(line=end_line, character=end)),
        text=typed,
    )


def _run(text: str, seed: int, steps: int, big: bool = False) -> Outcome:
    """Type ``steps`` random edits into ``text``. For a ``big`` spec only kept analyses are compared,
    and a document left broken (read again on every edit, seconds each) is opened afresh."""
    rng = random.Random(seed)
    document = Document("file:///spec.yaml", "yaml", 1, text)
    outcome = Outcome()
    _same(document, outcome)
    blanked, values = _targets(text)
    for version in range(2, steps + 2):
        document.apply_changes([_edit(document, rng, blanked, values)], version, UTF16)
        if rng.random() < 0.8:  # and sometimes several edits before the next analysis
            _same(document, outcome, every_read=not big)
            if big and document.analysis().detection.tree is None:
                document = Document("file:///spec.yaml", "yaml", version, text)
                document.analysis()
    _same(document, outcome, every_read=not big)
    return outcome


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), steps=st.integers(1, 8))
def test_small_spec_kept_analysis_equals_a_fresh_one(seed, steps):
    _run(SMALL_SPEC, seed, steps)


def _corpus(name: str) -> str:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"{name} is not in the shared corpus")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["stripe.spec3.yaml", "github.api.yaml"])
def test_corpus_spec_kept_analysis_equals_a_fresh_one(name):
    text = _corpus(name)
    total = Outcome()
    for seed in range(3):
        outcome = _run(text, seed * 7919 + len(name), 10, big=True)
        total.compared += outcome.compared
        total.kept += outcome.kept
    assert total.kept > 0, "no edit was kept: the test proves nothing"


@pytest.mark.parametrize("name", ["stripe.spec3.yaml", "github.api.yaml"])
def test_the_model_read_with_the_skeleton_is_the_same(name):
    text = _corpus(name)
    skeleton = analyse("file:///spec.yaml", None, text, 1).detection.skeleton
    assert skeleton is not None and len(skeleton.lines) > 1000
    _same_model(text, skeleton)


def test_an_edit_inside_a_blanked_value_keeps_the_analysis_and_moves_what_follows():
    document = Document("file:///spec.yaml", "yaml", 1, SMALL_SPEC)
    before = document.analysis()
    assert isinstance(before.detection.tree, BlankedValues)
    line = split_lines(SMALL_SPEC).index("      parameters:\n") + 2  # inside the blanked parameters
    document.apply_changes(
        [
            types.TextDocumentContentChangePartial(
                range=types.Range(start=types.Position(line=line, character=0), end=types.Position(line=line, character=0)),
                text='          "unclosed [\n          more: {\n',
            )
        ],
        2,
        UTF16,
    )
    after = document.analysis()
    assert after.detection.tree is before.detection.tree  # kept, not read again
    assert [o.span.start_line for o in after.occurrences] == [
        o.span.start_line + (2 if o.span.start_line > line else 0) for o in before.occurrences
    ]
    fresh = analyse(document.uri, "yaml", document.text, 2)
    assert after.detection.occurrences == fresh.detection.occurrences
    assert after.detection.responses == fresh.detection.responses


def test_an_edit_that_ends_a_blanked_value_reads_again():
    document = Document("file:///spec.yaml", "yaml", 1, SMALL_SPEC)
    before = document.analysis()
    line = split_lines(SMALL_SPEC).index("      parameters:\n") + 1
    document.apply_changes(
        [
            types.TextDocumentContentChangePartial(
                range=types.Range(start=types.Position(line=line, character=0), end=types.Position(line=line, character=8)),
                text="",
            )
        ],
        2,
        UTF16,
    )
    after = document.analysis()
    assert after.detection.tree is not before.detection.tree
    fresh = analyse(document.uri, "yaml", document.text, 2)
    assert after.detection.occurrences == fresh.detection.occurrences


def test_retyping_the_value_that_ends_a_responses_object_keeps_the_analysis_and_moves_its_end():
    document = Document("file:///spec.yaml", "yaml", 1, SMALL_SPEC)
    before = document.analysis()
    line = split_lines(SMALL_SPEC).index("          description: Client error\n")
    assert any(block.span.end_line == line for block in before.detection.responses)
    position = types.Position(line=line, character=len("          description: Client"))
    document.apply_changes(
        [types.TextDocumentContentChangePartial(range=types.Range(start=position, end=position), text=" side")], 2, UTF16
    )
    after = document.analysis()
    assert after.detection.tree is before.detection.tree  # kept, not read again
    fresh = analyse(document.uri, "yaml", document.text, 2)
    assert after.detection.responses == fresh.detection.responses
    assert [b.span.end_col for b in after.detection.responses if b.span.end_line == line] == [
        len("          description: Client side error")
    ]
