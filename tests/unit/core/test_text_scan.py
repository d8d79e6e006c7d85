"""The small lexers: where strings end, which brackets stay open, where a comment starts."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from http_status_ls.core.text_scan import (
    FLOW,
    HASH_COMMENT_LINE,
    JSON,
    flow_value_end,
    json_scan,
    python_lexemes,
    python_line_state,
    skip_blanks,
    skip_blanks_back,
    split_lines,
    starts_comment,
    string_end,
    yaml_flow_depth,
)

# --- strings ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, quoting, end",
    [
        ('"abc" x', FLOW, 5),
        (r'"a\"b" x', FLOW, 6),
        ("'it''s' x", FLOW, 7),  # YAML: a doubled quote is an escaped one
        ("'a'''", FLOW, 5),
        ("'a''", FLOW, None),  # the doubled quote is not a close
        ("'a\\' x", FLOW, 4),  # no backslash escapes in YAML single quotes
        ("'a\\' x'", HASH_COMMENT_LINE, 7),  # but there are in Python's
        ('"never closed', FLOW, None),
        ('"two\nlines"', FLOW, 11),
        ("'not a JSON string'", JSON, None),
    ],
)
def test_string_end(text: str, quoting, end: int | None) -> None:
    assert string_end(text, 0, quoting) == end


def test_string_end_stops_at_the_bound() -> None:
    assert string_end('"abc" x', 0, FLOW, stop=4) is None
    assert string_end('"abc" x', 0, FLOW, stop=5) == 5
    assert string_end("x", 0, FLOW) is None  # not a quote


# --- Python -------------------------------------------------------------------------------------


def test_python_lexemes_skip_strings_and_keep_positions() -> None:
    text = "f(a, '(,)', [1]) # c(\n"
    kinds = [(lexeme.kind, lexeme.start, lexeme.end) for lexeme in python_lexemes(text)]
    assert kinds == [
        ("open", 1, 2),
        ("comma", 3, 4),
        ("string", 5, 10),
        ("comma", 10, 11),
        ("open", 12, 13),
        ("close", 14, 15),
        ("close", 15, 16),
        ("comment", 17, 21),
        ("newline", 21, 22),
    ]


def test_python_lexemes_one_line_strings_end_with_their_line() -> None:
    (string, newline) = python_lexemes("'abc\n")
    assert (string.kind, string.end, string.closed) == ("string", 4, False)
    assert newline.kind == "newline"


def test_python_lexemes_triple_quotes_span_lines_and_may_never_close() -> None:
    (string,) = python_lexemes('"""a\n(b"""')
    assert (string.kind, string.end, string.closed) == ("string", 10, True)
    (unclosed,) = python_lexemes("x = '''a\n(b")
    assert (unclosed.kind, unclosed.start, unclosed.end) == ("unclosed", 4, 11)


def test_python_lexemes_read_bytes_too() -> None:
    assert [lexeme.kind for lexeme in python_lexemes(b"a[('x', 2)]")] == ["open", "open", "string", "comma", "close", "close"]


def test_python_lexemes_within_bounds() -> None:
    text = "(a) [b] {c}"
    assert [lexeme.kind for lexeme in python_lexemes(text, 4, 7)] == ["open", "close"]


@pytest.mark.parametrize(
    "line, ends_in",
    [
        ("abort(404", "code"),
        ("x = 'abc", "string"),
        ('x = """abc', "string"),
        ("x = 'a\\'", "string"),  # the quote is escaped
        ("x = 'a' # (", "comment"),
        ("x = '#' + (", "code"),
        ("", "code"),
    ],
)
def test_python_line_state_ends_in(line: str, ends_in: str) -> None:
    assert python_line_state(line).ends_in == ends_in


def test_python_line_state_brackets_and_commas() -> None:
    state = python_line_state("f(a, g(b), [c, d, ")
    assert state.brackets == ((1, "("), (11, "["))
    assert state.commas == (13, 16)  # inside the innermost open bracket only
    assert python_line_state("return body, ").commas == (11,)
    assert python_line_state("a) b, c").brackets == ()  # a stray closer is ignored
    assert python_line_state("x = ('(', ").brackets == ((4, "("),)


# --- comments -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, expected",
    [
        ("abort(404)  # note", True),
        ("# note", True),
        ("x = 'a # b'  # note", True),
        ("url: http://x#frag", False),  # YAML: `#` after a non-space is not a comment
        ("description: It's gone # note", True),  # an apostrophe in a plain scalar opens nothing
        ("x = 'it''s # not' # note", True),
        ("x = 'open # not", False),
        ("x = 'a\\' # not' # note", True),
        ("a # first # note", True),
    ],
)
def test_starts_comment(line: str, expected: bool) -> None:
    assert starts_comment(line, line.rindex("#")) is expected


def test_a_hash_inside_a_string_is_not_a_comment() -> None:
    line = "x = 'a # b'"
    assert starts_comment(line, line.index("#")) is False


# --- JSON and YAML flow ------------------------------------------------------------------------


def test_skip_blanks() -> None:
    assert skip_blanks("a \t\r\n b", 1) == 6
    assert skip_blanks("a  ", 1) == 3
    assert skip_blanks_back("a  \n b", 4) == 0
    assert skip_blanks_back("   ", 3) == -1


@pytest.mark.parametrize(
    "text, start, end",
    [
        ('{"a": "x, y"}', 5, 12),
        ('{"a": {"b": [1, "]"]}, "c": 1}', 5, 21),
        ('{"a": 12 , "b": 1}', 5, 8),
        ("{a: 'it''s'}", 3, 11),
        ("{a: }", 3, None),
        ('{"a": {"b": 1', 5, None),
    ],
)
def test_flow_value_end(text: str, start: int, end: int | None) -> None:
    assert flow_value_end(text, start) == end


@pytest.mark.parametrize(
    "text, depth",
    [
        ("a: {b: [1, 2", 2),
        ("a: {b: 1}", 0),
        ("description: use {id} here", 0),  # a plain scalar opens nothing
        ("a: '{'", 0),
        ("a: [1, # ]\n", 1),  # the bracket in the comment does not close
        ("- {a: 1\n", 1),
    ],
)
def test_yaml_flow_depth(text: str, depth: int) -> None:
    assert yaml_flow_depth(text, 0, len(text)) == depth


def test_json_scan() -> None:
    lines = ['{"responses": {\n', '  "200": {}, // a comment {\n', '  "\n']
    depth, last, in_string = json_scan(lines, (0, 14), (2, 2))
    assert (depth, last, in_string) == (1, (",", 1, 11), False)
    assert json_scan(lines, (0, 14), (2, 3)).in_string is True
    assert json_scan(['{"a\\"b": [\n'], (0, 0), (0, 10)) == (2, ("[", 0, 9), False)


def test_json_scan_strings_run_over_lines() -> None:
    lines = ['{"a\n', 'b": 1}\n']
    assert json_scan(lines, (0, 0), (1, 7)) == (0, ("}", 1, 5), False)


@given(st.text(alphabet="'\"\\#()[]{},: \nabx", max_size=40))
def test_the_lexers_never_fail_and_stay_in_bounds(text: str) -> None:
    for lexeme in python_lexemes(text):
        assert 0 <= lexeme.start < lexeme.end <= len(text)
    state = python_line_state(text.replace("\n", " "))
    assert all(0 <= at < len(text) for at, _ in state.brackets)
    for i, char in enumerate(text):
        end = string_end(text, i, FLOW)
        assert end is None or (FLOW.opens(char) and i < end <= len(text))
        if char == "#":
            starts_comment(text.replace("\n", " "), i)
    assert yaml_flow_depth(text, 0, len(text)) >= 0
    value_end = flow_value_end(text, 0)
    assert value_end is None or 0 < value_end <= len(text)


_BREAK_ALPHABET = "ab \t\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029é🙂"


@given(st.text(alphabet=_BREAK_ALPHABET, max_size=40))
def test_split_lines_breaks_where_the_lsp_does_and_nowhere_else(text: str) -> None:
    lines = split_lines(text)
    assert "".join(lines) == text
    assert lines == re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+", text)
