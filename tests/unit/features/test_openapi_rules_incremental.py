"""The response-set rules on a model carried over edits judge as they would on a fresh read."""

from __future__ import annotations

from http_status_ls.detect.analysis import analyse
from http_status_ls.features.diagnostics import Finding, findings

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
