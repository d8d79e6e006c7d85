"""Column conversion between code points and the client's units, on short lines and on long ones
(where a per-line table is used), and the LSP's idea of a line."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lsprotocol import types

from http_status_ls.core.occurrences import Span
from http_status_ls.core.positions import CHUNK, ClientPositions, content_length, split_lines
from tests.support.lsp_positions import units

ENCODINGS = ("utf-8", "utf-16", "utf-32")


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("a\rb\r\nc\nd", ["a\r", "b\r\n", "c\n", "d"]),
        ("\r\r\n\n", ["\r", "\r\n", "\n"]),
        ("x\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029y\n", ["x\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029y\n"]),
        ("end\r", ["end\r"]),
    ],
)
def test_lines_end_where_the_lsp_says(text, lines):
    assert split_lines(text) == lines
    assert [content_length(line) for line in lines] == [len(line.rstrip("\r\n")) for line in lines]


@settings(max_examples=200, deadline=None)
@given(
    line=st.lists(st.sampled_from(["a", "é", "世", "🎉", "\u2028", " "]), min_size=0, max_size=3 * CHUNK).map("".join),
    encoding=st.sampled_from(ENCODINGS),
    data=st.data(),
)
def test_columns_convert_both_ways(line, encoding, data):
    positions = ClientPositions([line + "\n"], encoding)
    col = data.draw(st.integers(0, len(line)))
    character = positions.to_units(0, col)
    assert character == units(line[:col], encoding)
    assert positions.to_code_points(0, character) == col
    # A column past the end of the line means its end (before the line break).
    assert positions.to_code_points(0, units(line, encoding) + data.draw(st.integers(1, 50))) == len(line)


def test_a_column_inside_a_character_moves_past_it():
    positions = ClientPositions(["🎉x\n"], "utf-16")
    assert positions.to_code_points(0, 1) == 1  # between the two halves of the surrogate pair
    positions = ClientPositions(["éx\n"], "utf-8")
    assert positions.to_code_points(0, 1) == 1


def test_lines_past_the_end_keep_their_column():
    positions = ClientPositions(["é\n"], "utf-16")
    assert positions.point(types.Position(line=5, character=3)) == (5, 0)
    assert positions.range(Span(5, 2, 5, 4)) == types.Range(start=types.Position(5, 2), end=types.Position(5, 4))


def test_the_end_of_a_long_line_costs_no_more_than_its_start():
    line = "é🎉 café " * 700_000  # 5.6 MB of non-ASCII text on one line
    positions = ClientPositions([line], "utf-16")
    started = time.perf_counter()
    far = positions.to_units(0, len(line) - 3)
    for col in range(len(line) - 2000, len(line), 7):  # many conversions on the same line
        assert positions.to_code_points(0, positions.to_units(0, col)) == col
    seconds = time.perf_counter() - started
    assert far == units(line[:-3], "utf-16")
    assert seconds < 2.0, f"{seconds:.2f} s for 300 conversions at the end of a 5 MB line"
