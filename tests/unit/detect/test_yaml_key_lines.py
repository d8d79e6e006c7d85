"""The key-line patterns of the YAML readers against their plain definition.

Both readers (the detector's pre-scan in `yaml_prune`, the model's in `openapi_yaml_source`) match a
plain key as runs of ordinary characters between special ones, for speed. Their definition is the
simpler lazy form below: a plain key ends at the first colon followed by a blank or the line's end,
and may not hold a blank followed by `#`. Any line must be read the same way by both forms.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from http_status_ls.detect import openapi_yaml_source, yaml_prune

_FIRST = r"""(?:[^\s'"#&*!|>%@`{}\[\],?:-]|[-?:](?=\S))"""
_QUOTED = r"""'(?:[^'\r\n]|'')*'|"(?:[^"\\\r\n]|\\.)*"|"""
_MODEL_DEFINITION = re.compile(
    "(" + _QUOTED + _FIRST + r"""(?:(?!\s\#)[^\r\n:]|:(?=\S))*?)[ \t]*:(?:[ \t]+([^\r\n]*?)|)[ \t]*\r?$""",
    re.MULTILINE,
)
_SCAN_DEFINITION = re.compile(
    rb"( *)(?:("
    + _QUOTED.encode()
    + _FIRST.encode()
    + rb"""(?:(?!\s\#)[^\r\n])*?)[ \t]*:(?:[ \t]+(?=([^ \t\r\n]))|[ \t]*\r?$))?"""
)

# The characters that decide where a key ends, with a few ordinary ones and some beyond ASCII.
_PIECES = [*" \t:#'\"\\-?{[|>\f\v\r\n", "a", "b", ": ", " #", "\xa0", "é", "😀"]
_LINES = st.lists(st.sampled_from(_PIECES), max_size=16).map("".join)
_SAMPLES = ["a :b: c", "key  : v  ", "k\xa0#x: 1", "a#b: 2", "'q''x' : 3", '"d\\"q": 4', "k: v # c", "k:\r", "url: http://x: y"]


def _model_reading(match: re.Match[str] | None, *, strip: bool) -> tuple[object, ...] | None:
    if match is None:
        return None
    raw, rest = match.groups()
    if strip and rest is not None:
        rest = rest.rstrip(" \t")  # the reader strips what the faster pattern leaves at the end
    return raw, rest, match.end(), match.start(2)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_LINES)
@example("a \xa0b: c")
@example("a  :b: c")
def test_the_models_key_line_reads_a_line_as_its_definition_does(line: str) -> None:
    found = openapi_yaml_source._KEY_LINE.match(line)
    assert _model_reading(found, strip=True) == _model_reading(_MODEL_DEFINITION.match(line), strip=False)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_LINES)
@example("a \fb: c")
@example("a: \rb: c")
def test_the_pre_scans_key_line_reads_a_line_as_its_definition_does(line: str) -> None:
    source = line.encode()
    end = source.find(b"\n")
    end = len(source) if end < 0 else end  # the scan matches one line at a time
    found, expected = yaml_prune._LINE.match(source, 0, end), _SCAN_DEFINITION.match(source, 0, end)
    assert found is not None and expected is not None
    assert (found.groups(), found.end()) == (expected.groups(), expected.end())


def test_keys_of_sample_lines() -> None:
    keys = [_model_reading(openapi_yaml_source._KEY_LINE.match(line), strip=True) for line in _SAMPLES]
    assert [key[:2] if key else None for key in keys] == [
        ("a :b", "c"),
        ("key", "v"),
        None,  # a blank before `#` starts a comment, so this is no key
        ("a#b", "2"),
        ("'q''x'", "3"),
        ('"d\\"q"', "4"),
        ("k", "v # c"),
        ("k", None),
        ("url", "http://x: y"),
    ]
