"""Sending versus reading (docs/contexts.md): the rules judge what a program sends or declares; where
it only reads a status another party sends, a code's standing is information at most, a class edge
in an ordering comparison is never judged, and a status-line string counts only in HTTP code."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from http_status_ls.cli import check
from http_status_ls.core.occurrences import Role
from http_status_ls.detect.analysis import analyse
from http_status_ls.features.diagnostics import findings, severity_for_role
from http_status_ls.features.hover import hover
from http_status_ls.kb.rules import JUDGING_THE_CODE, RULE_IDS, Severity

SUFFIX = {"python": "py", "yaml": "yaml", "json": "json"}


def card_text(text: str, line: int, col: int) -> str:
    """The hover text at (line, col) of a Python text."""
    card = hover(analyse("file:///doc.py", "python", text, 1), line, col)
    assert card is not None and isinstance(card.contents, types.MarkupContent)
    return card.contents.value


def found(text: str, language: str = "python") -> list[tuple[int, str, str]]:
    """(line, rule, severity name) of every finding."""
    analysis = analyse(f"file:///doc.{SUFFIX[language]}", language, text, 1)
    return [(f.span.start_line, f.rule, f.severity.name) for f in findings(analysis)]


CLIENT = """\
import requests


def fetch(url):
    r = requests.get(url, timeout=10)
    if r.status_code in (420, 429):
        return None
    return r.json()
"""


# --- what was seen (issue 10) -----------------------------------------------------------------------


def test_a_client_reading_420_gets_information_not_a_warning():
    assert found(CLIENT) == [
        (5, "unofficial-code", "Information"),
    ]


def test_check_passes_on_a_client_that_reads_420(tmp_path: Path, monkeypatch, capsys):
    (tmp_path / "client.py").write_text(CLIENT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert check.main(["client.py"]) == 0
    out, err = capsys.readouterr()
    assert "client.py:6:26: unofficial-code" in out and "1 information" in err


def test_the_upper_bound_of_1xx_is_not_a_warn_code():
    text = "def on_message(message):\n    if message.code > 199:\n        return message\n"
    assert found(text) == []
    value = card_text(text, 1, 22)
    assert "last code of 1xx" in value and "warn-code" not in value and "Warning" not in value


def test_an_smtp_reply_is_not_an_http_status_line():
    text = "import smtplib\n\n\nclass Session:\n    def greet(self):\n        status = '250 OK'\n        return status\n"
    assert found(text) == []
    assert analyse("file:///doc.py", "python", text, 1).occurrences == ()


# --- severities ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("abort(420)\n", [(0, "unofficial-code", "Warning")]),
        ("if resp.status_code == 420:\n    pass\n", [(0, "unofficial-code", "Information")]),
        ("assert resp.status_code == 305\n", [(0, "deprecated-code", "Information")]),
        ("self.assertEqual(resp.status_code, 512)\n", [(0, "unassigned-code", "Information")]),
        ("Retry(status_forcelist=[429, 509])\n", [(0, "unofficial-code", "Information")]),
        ("RETRY_STATUSES = {503, 509}\n", [(0, "unofficial-code", "Information")]),
        ("match resp.status_code:\n    case 420:\n        pass\n", [(1, "unofficial-code", "Information")]),
        # A number that is not a status stays what it is, read or not.
        ("if resp.status_code == 600:\n    pass\n", [(0, "invalid-code", "Error")]),
        ("assert resp.status_code == 299\n", [(0, "not-a-status-code", "Warning")]),
        # Class edges name a class.
        ("ok = 199 < resp.status_code < 300\n", []),
        ("if resp.status_code >= 600 or resp.status_code < 100:\n    pass\n", []),
        ("if not 99 < resp.status <= 599:\n    pass\n", []),
        # Sending stays as it was.
        ("raise HTTPException(status_code=509)\n", [(0, "unofficial-code", "Warning")]),
        ("status = 512\n", [(0, "unassigned-code", "Warning")]),
        ("resp.status_code = 299\n", [(0, "not-a-status-code", "Warning")]),
    ],
)
def test_severity_follows_what_the_program_does(text: str, expected: list[tuple[int, str, str]]):
    assert found(text) == expected


def test_a_library_name_read_in_a_comparison_is_information():
    text = "import requests\n\nif r.status_code == requests.codes.bandwidth_limit_exceeded:\n    pass\n"
    assert found(text) == [(2, "unofficial-code", "Information")]


def test_the_policy_as_a_table():
    for rule in RULE_IDS:
        for level in (Severity.Error, Severity.Warning, Severity.Information, Severity.Hint, None):
            assert severity_for_role(rule, level, Role.SENDS) == level
            assert severity_for_role(rule, level, Role.UNKNOWN) == level
            read = severity_for_role(rule, level, Role.READS)
            bound = severity_for_role(rule, level, Role.BOUND)
            if rule not in JUDGING_THE_CODE:
                assert read == bound == level
            elif rule in ("invalid-code", "not-a-status-code"):
                assert read == level and bound is None
            else:
                assert bound is None
                assert read is None if level is None else read == max(level, Severity.Information)


def test_a_user_who_switches_a_rule_off_keeps_it_off_where_read():
    analysis = analyse("file:///doc.py", "python", "if r.status_code == 420:\n    pass\n", 1)
    assert findings(analysis, severity={"unofficial-code": None}) == []


# --- YAML and JSON -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, language, expected",
    [
        ("healthcheck:\n  expectedStatus: 420\n", "yaml", [(1, "unofficial-code", "Information")]),
        ("retry:\n  retriableStatusCodes: [503, 509]\n", "yaml", [(1, "unofficial-code", "Information")]),
        ('{"retryOnStatusCodes": [509]}', "json", [(0, "unofficial-code", "Information")]),
        # Fault injection sends what it names: judged as before.
        ("fault:\n  abort:\n    httpStatus: 509\n", "yaml", [(2, "unofficial-code", "Warning")]),
        ('{"statusCode": 420}', "json", [(0, "unofficial-code", "Warning")]),
        # An API description declares its responses.
        (
            "openapi: 3.0.3\npaths:\n  /a:\n    get:\n      responses:\n        '420':\n          description: calm\n",
            "yaml",
            [(5, "unofficial-code", "Warning")],
        ),
    ],
)
def test_config_keys_that_list_expected_codes_read_them(text: str, language: str, expected):
    assert found(text, language) == expected


# --- hover on a class edge --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, col, says",
    [
        ("ok = r.status_code >= 200\n", 22, "first code of 2xx"),
        ("ok = r.status_code <= 299\n", 22, "last code of 2xx"),
        ("ok = r.status_code < 600\n", 21, "just past 599"),
        ("ok = r.status_code > 99\n", 21, "just below 100"),
    ],
)
def test_hover_on_a_class_edge_describes_the_class(text: str, col: int, says: str):
    assert says in card_text(text, 0, col)


def test_hover_on_an_equality_still_describes_the_code():
    value = card_text("ok = r.status_code == 200\n", 0, 23)
    assert "OK" in value and "bounds" not in value


def test_a_reading_message_says_how_to_treat_the_code_not_what_to_send() -> None:
    text = "import requests\nr = requests.get('u')\nif r.status_code in (420, 429):\n    pass\nok = r.status_code != 305\n"
    messages = {f.code: f.message for f in findings(analyse("file:///doc.py", "python", text, 1))}
    assert messages[420].startswith("420 is unofficial (Twitter")
    assert ": treat it like 429 Too Many Requests" in messages[420]
    assert messages[305] == "305 Use Proxy is deprecated: current senders use 307 Temporary Redirect"
    sent = findings(analyse("file:///doc.py", "python", "from flask import abort\nabort(420)\n", 1))
    assert ": use 429 Too Many Requests" in sent[0].message
