"""The response-set rules on a model carried over edits judge as they would on a fresh read."""

from __future__ import annotations

import json
import random
import re

import pytest
import yaml
from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from http_status_ls.detect.analysis import analyse
from http_status_ls.detect.openapi_operations import model_of
from http_status_ls.features.diagnostics import Finding, findings, with_default_profile
from http_status_ls.kb.rules import SEVERITY
from http_status_ls.lsp.documents import Document
from tests.support.paths import CORPUS, FIXTURES

UTF16 = PositionCodec(types.PositionEncodingKind.Utf16)

SPEC = """\
openapi: 3.1.0
info: {title: Shop, version: '1'}
paths:
  /orders/{id}:
    get:
      responses:
        '201':
          description: OK
        '401':
          description: Sign in first
        '429':
          description: Slow down
    delete:
      responses:
        '204':
          description: Gone
components:
  schemas:
    Order:
      description: An order of the shop
      type: object
"""


def _fresh(lines: list[str], step: int) -> list[Finding]:
    text = "".join(lines)
    return findings(analyse(f"fresh-{step}.yaml", None, text, 1), text=text)


def _carried(lines: list[str], step: int) -> list[Finding]:
    text = "".join(lines)
    return findings(analyse("carried.yaml", None, text, step), text=lambda: text, lines=lines)


def _retyped(lines: list[str], row: int, old: str, new: str) -> list[str]:
    changed = list(lines)  # as an editor's document: only the edited line is a new object
    changed[row] = lines[row].replace(old, new, 1)
    assert changed[row] != lines[row]
    return changed


def test_findings_after_chained_edits_equal_a_fresh_read():
    lines = SPEC.splitlines(keepends=True)
    first = _carried(lines, 1)
    assert any(f.rule == "description-mismatch" for f in first)
    assert first == _fresh(lines, 1)

    def row_of(needle: str) -> int:
        return next(i for i, line in enumerate(lines) if needle in line)

    steps: list[tuple[str, str, str, bool]] = [
        ("An order of the shop", "shop", "shops", True),  # never read by the model
        ("description: OK", "OK", "OKa", True),  # a description: patched
        ("description: OKa", "OKa", "Created", True),  # and now it agrees with its code
        ("description: Slow down", "Slow down", "Too Many Requests", True),
        ("    get:", "get:", "get: ", True),  # spacing after a key
        ("      responses:", "responses:", 'responses: "', False),  # broken: the last model stands
        ('      responses: "', 'responses: "', "responses:", True),  # given its text back
        ("          description: Gone", "Gone", "OK", True),
        ("description: Sign in first", "Sign in first", '"Sign', False),  # a quote left open
        ('description: "Sign', '"Sign', '"Sig', False),
        ('description: "Sig', '"Sig', '"Unauthorized"', True),  # closed otherwise: read again
    ]
    for step, (needle, old, new, valid) in enumerate(steps, start=2):
        lines = _retyped(lines, row_of(needle), old, new)
        carried = _carried(lines, step)
        if valid:
            assert carried == _fresh(lines, step), needle
    assert not any(f.rule == "description-mismatch" and f.span.start_line == row_of("description: Created") for f in carried)
    assert any(f.rule == "description-mismatch" and f.span.start_line == row_of("description: OK") for f in carried)


# --- random keystrokes through the server's document -------------------------------------------------

_LETTERS = "abcxyzOK "
_KEEPS_QUOTES = frozenset("\"'{}[],:#\n")
_REASONS = ("Created", "Not Found", "OK", "Too Many Requests", "whatever")


def _sources() -> list[tuple[str, str]]:
    """(name, text) of small descriptions, in YAML and in JSON."""
    texts = [("spec", SPEC), ("pets_fixable", (FIXTURES / "pets_fixable.yaml").read_text(encoding="utf-8"))]
    if (CORPUS / "petstore-expanded.yaml").is_file():
        texts.append(("petstore", (CORPUS / "petstore-expanded.yaml").read_text(encoding="utf-8")))
    found = []
    for name, text in texts:
        found.append((f"{name}.yaml", text))
        found.append((f"{name}.json", json.dumps(yaml.safe_load(text), indent=2) + "\n"))
    # Responses written on one line with keys after their description, the response going on below.
    found.append(("one_line.yaml", ONE_LINE_YAML))
    found.append(("one_line.json", ONE_LINE_JSON))
    return found


ONE_LINE_YAML = """\
openapi: 3.0.0
paths:
  /a:
    get:
      responses:
        '201': {description: OK, headers: {ETag: {}},
          content: {}}
        '401': {description: Sign in, headers: {WWW-Authenticate: {}}}
"""
ONE_LINE_JSON = """\
{"openapi": "3.0.0", "paths": {"/a": {"get": {"responses": {
  "201": {"description": "OK", "headers": {"ETag": {}},
    "content": {}},
  "401": {"description": "Sign in", "headers": {"WWW-Authenticate": {}}}}},
  "delete": {"responses": {"204": {"description": "Gone", "content": {"a/b": {}}}}}}}}
"""


def _position(text: str, offset: int) -> types.Position:
    line_start = text.rfind("\n", 0, offset) + 1
    return types.Position(line=text.count("\n", 0, offset), character=len(text[line_start:offset].encode("utf-16-le")) // 2)


def _keystroke(chance: random.Random, text: str, json_file: bool) -> tuple[int, int, str, bool]:
    """(start, end, new text, whether the text may stay whole) of one random edit of ``text``."""
    kind = chance.choice(["letter", "letter", "space", "delete", "newline", "join", "digit", "describe", "quote", "open"])
    offset = chance.randrange(len(text))
    if kind == "letter":
        return offset, offset, chance.choice(_LETTERS), True
    if kind == "space":
        return offset, offset, " ", True
    if kind == "delete":
        plain = [i for i in range(offset, min(offset + 200, len(text))) if text[i] not in _KEEPS_QUOTES]
        return (plain[0], plain[0] + 1, "", True) if plain else (offset, offset, "", True)
    if kind == "newline":
        line_start = text.rfind("\n", 0, offset) + 1
        indent = len(text[line_start:]) - len(text[line_start:].lstrip(" "))
        return offset, offset, "\n" + " " * chance.choice([indent, indent + 2, max(indent - 2, 0)]), True
    if kind == "join":
        breaks = [i for i in range(offset, len(text) - 1) if text[i] == "\n"][:1] or [text.find("\n")]
        if breaks[0] < 0:  # joined into one line already
            return offset, offset, chance.choice(_LETTERS), True
        return breaks[0], breaks[0] + 1, "", True
    if kind == "digit":
        digits = [m.start() for m in re.finditer(r"\d", text)]
        at = chance.choice(digits)
        return at, at + 1, chance.choice("0123459"), True
    if kind == "describe":
        pattern = r'"description": "([^"\\]*)"' if json_file else r"description: ([A-Za-z][^'\"#:\n]*)"
        spots = list(re.finditer(pattern, text))
        if spots:
            spot = chance.choice(spots)
            return spot.start(1), spot.end(1), chance.choice(_REASONS), True
        return offset, offset, "", True
    return offset, offset, '"' if kind == "quote" else chance.choice([' "', ": [", '"{']), False


def _whole(text: str, json_file: bool) -> bool:
    try:
        json.loads(text) if json_file else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError):
        return False
    return True


def _cases() -> list[tuple[str, str, int]]:
    """Three runs per source; more for the one-line responses, where fewer keystrokes stay whole."""
    return [(name, text, seed) for name, text in _sources() for seed in range(30 if name.startswith("one_line") else 3)]


@pytest.mark.parametrize(("name", "source", "seed"), _cases(), ids=[f"{name}-{seed}" for name, _, seed in _cases()])
def test_random_keystrokes_judge_as_a_fresh_read(name: str, source: str, seed: int):
    """Keystrokes through the server's document (which tells the model which rows changed): after
    each, while the text is whole, the findings equal those of a fresh read of the same text. A
    keystroke that breaks the text is judged, then taken back, as an editor's user does."""
    json_file = name.endswith(".json")
    chance = random.Random(f"{name}-{seed}")
    document = Document(f"file:///random/{seed}/{name}", None, 1, source)
    severity = with_default_profile(SEVERITY)

    def carried() -> list[Finding]:
        return findings(document.analysis(), severity=severity, text=lambda: document.text, lines=document.lines)

    def edit(start: int, end: int, new: str) -> str:
        before = document.text
        span = types.Range(start=_position(before, start), end=_position(before, end))
        document.apply_changes([types.TextDocumentContentChangePartial(range=span, text=new)], (document.version or 0) + 1, UTF16)
        return before[start:end]

    def fresh(step: int) -> list[Finding]:
        text = document.text
        return findings(analyse(f"fresh-{step}-{name}", None, text, 1), severity=severity, text=text)

    first = carried()
    assert first == fresh(0)
    compared, judged, responses = 0, 0, 0
    for step in range(1, 61):
        start, end, new, may_stay_whole = _keystroke(chance, document.text, json_file)
        removed = edit(start, end, new)
        if not (may_stay_whole and _whole(document.text, json_file)):
            carried()  # judged while broken: the model of the last whole text may stand meanwhile
            edit(start, start + len(new), removed)
        now = carried()
        assert now == fresh(step), (step, start, end, new)
        # The model carried over the edit is the model of the text, positions included.
        text = document.text
        model = model_of(document.analysis(), text)
        assert model == model_of(analyse(f"fresh-model-{step}-{name}", None, text, 1), text)
        compared, judged = compared + 1, judged + len(now)
        responses += sum(len(operation.responses) for operation in model.operations) if model is not None else 0
    # The comparisons were of something. The short one-line sources can lose their version line to
    # the first keystrokes (2 of their 60 runs do), leaving only the first read with findings.
    assert compared == 60
    assert judged > 0 if not name.startswith("one_line") else judged + responses + len(first) > 0


def test_occurrences_judged_again_when_the_severities_change():
    text = SPEC.replace("'429':", "'420':")  # an unofficial code: a finding of the occurrence itself
    analysis = analyse("severities.yaml", None, text, 1)
    on = findings(analysis, text=text)
    assert any(f.rule == "unofficial-code" for f in on)
    off = findings(analysis, severity={**SEVERITY, "unofficial-code": None}, text=text)
    assert off and not any(f.rule == "unofficial-code" for f in off)
    assert findings(analysis, text=text) == on
