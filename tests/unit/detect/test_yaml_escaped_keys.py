"""A double-quoted YAML path key with a backslash escape (``"/u/\\\\x"``, ``"/u/\\u0041"``) must not
hide its operations' responses: the pre-scan (`detect.yaml_prune`) once could not read such a key,
gave its value no role and blanked it, so hover and ``check`` saw nothing under that path.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from http_status_ls.cli import check
from http_status_ls.core.occurrences import Analysis
from http_status_ls.detect.analysis import analyse
from http_status_ls.features.hover import hover

# Each path holds one odd code, so a finding on its line proves the path was read. The long
# description under each operation is what the pre-scan blanks: it has to be a real block.
ESCAPED = r"""openapi: 3.0.3
info:
  title: escapes
  version: '1'
paths:
  "/u/\\x":
    get:
      description: |
        A value long enough
        to be worth blanking.
      responses:
        '420':
          description: calm down
  "/u/\u0041":
    get:
      responses:
        '305':
          description: use a proxy
  "/v/\x41\t":
    post:
      responses:
        "4\x30\x34":
          description: escaped response key
  "x-\u0041":
    get:
      responses:
        '420':
          description: an extension is not a path
"""
ESCAPED_KEY_LINES = {"420": 11, "305": 16, "404": 21}


def _analysis(text: str, name: str = "api.yaml") -> Analysis:
    return analyse(f"file:///{name}", None, text, 1)


def _keys(analysis: Analysis) -> dict[str, int]:
    return {o.value or o.text: o.span.start_line for o in analysis.occurrences}


def _key_column(text: str, line: int) -> int:
    row = text.splitlines()[line]
    return len(row) - len(row.lstrip()) + 1


def test_escaped_path_keys_keep_their_responses() -> None:
    analysis = _analysis(ESCAPED)
    assert _keys(analysis) == ESCAPED_KEY_LINES
    pointers = [block.pointer for block in analysis.detection.responses]
    assert pointers == ["/paths/~1u~1\\x/get/responses", "/paths/~1u~1A/get/responses", "/paths/~1v~1A\t/post/responses"]


def test_an_escaped_key_reads_as_libyaml_reads_it_in_single_quotes() -> None:
    # The same keys spelled without escapes: the reading must not depend on the spelling.
    plain = (
        ESCAPED.replace(r'"/u/\\x"', r"'/u/\x'")
        .replace(r'"/u/\u0041"', "'/u/A'")
        .replace(r'"4\x30\x34"', "'404'")
        .replace(r'"x-\u0041"', "'x-A'")
    )
    assert plain != ESCAPED
    assert _keys(_analysis(plain)) == _keys(_analysis(ESCAPED))


@pytest.mark.parametrize(("value", "line"), sorted(ESCAPED_KEY_LINES.items()))
def test_hover_on_a_response_under_an_escaped_path(value: str, line: int) -> None:
    answer = hover(_analysis(ESCAPED), line, _key_column(ESCAPED, line), markdown=False)
    assert answer is not None
    contents = answer.contents
    assert value in getattr(contents, "value", "")


def test_check_reports_the_codes_under_escaped_paths(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(ESCAPED, encoding="utf-8")
    status = check.main([str(spec)])
    out = capsys.readouterr().out
    assert status == 1
    found = {(int(line.split(":")[1]), line.split()[1]) for line in out.splitlines()}
    assert (12, "unofficial-code") in found  # 1-based: '420' under "/u/\\x"
    assert (17, "deprecated-code") in found  # '305' under "/u/\u0041"
    assert not any(number >= 25 for number, _ in found)  # "x-\u0041" is an extension, not a path


def test_json_keys_with_escapes_agree() -> None:
    text = '{"openapi": "3.0.3", "paths": {"/u/\\\\x": {"get": {"responses": {"420": {"description": "x"}}}}}}'
    analysis = _analysis(text, "api.json")
    assert [o.value for o in analysis.occurrences] == ["420"]
    assert analysis.detection.responses[0].pointer == "/paths/~1u~1\\x/get/responses"
