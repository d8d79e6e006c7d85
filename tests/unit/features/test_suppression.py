"""Inline suppression comments in Python and YAML: which lines, which rules, and what does not count."""

from __future__ import annotations

from lsprotocol import types

from http_status_ls.features.suppression import drop_suppressed, is_suppressed, suppressions


def test_python_comments():
    text = (
        "abort(420)  # http-status: ignore\n"
        "abort(305)  # http-status: ignore[deprecated-code]\n"
        "abort(509)  # http-status: ignore[ unofficial-code , deprecated-code ]  -- legacy clients\n"
        "abort(418)\n"
    )
    assert suppressions(text) == {
        0: None,
        1: frozenset({"deprecated-code"}),
        2: frozenset({"unofficial-code", "deprecated-code"}),
    }


def test_yaml_comments():
    text = (
        "responses:\n"
        "  '420':  # http-status: ignore[unofficial-code]\n"
        "    description: It's calm  # http-status: ignore\n"
        "status: 509 #http-status: ignore\n"
    )
    assert suppressions(text) == {1: frozenset({"unofficial-code"}), 2: None, 3: None}


def test_not_comments():
    text = (
        'x = "# http-status: ignore"\n'  # inside a string
        "y = '# http-status: ignore'\n"
        "value: a#http-status: ignore\n"  # YAML: a # glued to text is not a comment
        "abort(420)  # http-status: ignored\n"  # another word
        "abort(420)  # http-status: ignore-all\n"
        "abort(420)  # http-status: ignore[unofficial-code\n"  # malformed: suppresses nothing
        "abort(420)  # http-status: ignore[]\n"
        "abort(420)  # http-status: ignore[not a rule]\n"
        "abort(420)  # http-status - ignore\n"
    )
    assert suppressions(text) == {}


def test_string_then_comment_on_the_same_line():
    text = "abort(420, 'it\\'s # not a comment')  # http-status: ignore\nmsg = \"a#b\"  # x # http-status: ignore[invalid-code]\n"
    assert suppressions(text) == {0: None, 1: frozenset({"invalid-code"})}


def test_crlf_and_last_line_without_newline():
    text = "a = 1\r\nabort(420)  # http-status: ignore\r\nabort(509)  # http-status: ignore[unofficial-code]"
    assert suppressions(text) == {1: None, 2: frozenset({"unofficial-code"})}


def test_is_suppressed():
    table = {3: None, 5: frozenset({"unofficial-code"})}
    assert is_suppressed(table, 3, "anything")
    assert is_suppressed(table, 5, "unofficial-code")
    assert not is_suppressed(table, 5, "deprecated-code")
    assert not is_suppressed(table, 4, "unofficial-code")
    assert not is_suppressed(table, 5, None)


def test_drop_pairs():
    text = "abort(420)  # http-status: ignore[unofficial-code]\nabort(305)\nabort(306)  # http-status: ignore\n"
    kept = drop_suppressed(text, [(0, "unofficial-code"), (0, "deprecated-name"), (1, "deprecated-code"), (2, "reserved-code")])
    assert kept == [(0, "deprecated-name"), (1, "deprecated-code")]


def test_drop_lsp_diagnostics():
    def diagnostic(line: int, rule: str) -> types.Diagnostic:
        where = types.Range(start=types.Position(line=line, character=6), end=types.Position(line=line, character=9))
        return types.Diagnostic(range=where, message=rule, code=rule)

    text = "x = 1\nabort(420)  # http-status: ignore[unofficial-code]\n"
    first, second = diagnostic(1, "unofficial-code"), diagnostic(0, "unofficial-code")
    assert drop_suppressed(text, [first, second]) == [second]


def test_drop_with_a_locator():
    text = "a\nb  # http-status: ignore\n"
    items = [{"line": 1, "rule": "x"}, {"line": 0, "rule": "x"}]
    assert drop_suppressed(text, items, where=lambda d: (d["line"], d["rule"])) == [{"line": 0, "rule": "x"}]


def test_text_without_marker_returns_everything_unchanged():
    items = [(0, "a"), (1, "b")]
    assert drop_suppressed("abort(420)\n", iter(items)) == items


def test_cheap_on_a_large_file():
    # The scan only visits lines holding the marker; this is a correctness check that the one
    # suppressed line deep in a big text is found with the right number.
    text = "abort(404)\n" * 50_000 + "abort(420)  # http-status: ignore\n" + "abort(404)\n" * 10
    assert suppressions(text) == {50_000: None}


def test_lone_cr_and_crlf_line_endings_count_as_lines():
    from http_status_ls.features.suppression import suppressions

    text = "a = 1\rabort(420)  # http-status: ignore\r\nabort(509)\nabort(305)  # http-status: ignore[deprecated-code]\n"
    assert suppressions(text) == {1: None, 3: frozenset({"deprecated-code"})}
