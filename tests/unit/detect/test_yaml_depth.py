"""YAML nested deeper than libyaml reads (detect/yaml_depth.py): the deep region is skipped, with a
note, and what follows it is still found, on the same line, in the same block, or far after."""

from __future__ import annotations

from http_status_ls.detect.yaml import detect_yaml

DEEP = 1100  # libyaml stops past 1,000 nested collections


def _texts(text: str) -> list[str]:
    return [o.text for o in detect_yaml(text).occurrences]


def test_a_status_after_a_too_deep_flow_value_on_the_same_line_is_found():
    text = "a: [" + "[" * DEEP + "]" * DEEP + ", {status: 404}]\nb: 1\n"
    detection = detect_yaml(text)
    assert [(o.text, o.span.start_line, o.span.start_col) for o in detection.occurrences] == [("404", 0, 2 * DEEP + 15)]
    assert detection.notes == ("yaml: skipped a region nested too deep at 1:1003 (exceeded maximum nesting depth)",)


def test_many_too_deep_blocks_do_not_use_up_the_recoveries():
    block = "".join("  " * level + f"x{level}:\n" for level in range(1, 1010))
    text = "".join(f"k{number}:\n{block}" for number in range(22)) + "status: 404\n"
    detection = detect_yaml(text)
    assert _texts(text) == ["404"]
    assert len(detection.notes) == 22  # more than MAX_RECOVERIES
    assert all(note.startswith("yaml: skipped a region nested too deep at ") for note in detection.notes)


def test_a_response_after_a_too_deep_value_in_the_same_operation_is_found():
    text = (
        "openapi: 3.0.0\npaths:\n  /a:\n    get:\n"
        "      x-deep: {a: " + "[" * DEEP + "]" * DEEP + "}\n"
        "      responses:\n        '404':\n          description: x\n"
        "  /b:\n    get:\n      responses:\n        '500': {}\n"
    )
    assert _texts(text) == ["'404'", "'500'"]


def test_a_quoted_bracket_inside_the_deep_region_does_not_end_it_early():
    text = "a: " + "[" * DEEP + "']'" + "]" * DEEP + "\nstatus: 404\n"
    assert _texts(text) == ["404"]
