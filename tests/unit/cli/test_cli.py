"""The ``explain`` and ``list`` commands, run as a person or a script would: a real process."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from http_status_ls import __version__


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "http_status_ls", *args], capture_output=True, text=True, timeout=60, encoding="utf-8"
    )


@pytest.mark.parametrize(
    "query", ["404", "NOT_FOUND", "HTTP_404_NOT_FOUND", "HTTPStatus.NOT_FOUND", "werkzeug.exceptions.NotFound"]
)
def test_explain_404_by_code_and_name(query):
    result = run("explain", query)
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert first == "404 Not Found"
    assert "4xx Client Error | RFC 9110 §15.5.5 <https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5>" in result.stdout
    assert "cacheable by default" in result.stdout
    assert "  - 410 Gone: Use 410 when" in result.stdout  # the comparison a developer needs, with its reason
    assert "  - Use 410 when the removal is deliberate and permanent" in result.stdout  # a "do" bullet
    assert "A client receiving it: repeating the same request fails the same way" in result.stdout
    assert "HTTPStatus.NOT_FOUND" in result.stdout and "status.HTTP_404_NOT_FOUND" in result.stdout
    # Plain text: no Markdown, not even the data file's code spans.
    assert "`" not in result.stdout and "**" not in result.stdout


def test_explain_class():
    result = run("explain", "4XX")
    assert result.returncode == 0
    assert result.stdout.startswith("4XX Client Error")
    assert "404 Not Found" in result.stdout


def test_explain_unofficial_code_names_vendors_and_alternative():
    out = run("explain", "420").stdout
    assert out.startswith("420 Enhance Your Calm — unofficial\n")
    assert "Unofficial: not in the IANA registry; clients that do not know it read it as 400 Bad Request" in out
    assert "  - Enhance Your Calm (Twitter): " in out and "  - Method Failure (Spring Framework): " in out
    assert "Portable instead: 429 Too Many Requests, 424 Failed Dependency" in out
    # The standing note and the summary retold the vendors' stories; the guidance and the meanings
    # tell them now, so Twitter is named twice (five times before).
    assert out.count("Twitter") == 2


def test_explain_warn_code_says_what_it_is_not():
    out = run("explain", "299").stdout
    assert out.startswith("299 Miscellaneous Persistent Warning — not an HTTP status code\n")
    assert "Defined by RFC 7234 §5.5.7 <https://www.rfc-editor.org/rfc/rfc7234#section-5.5.7>" in out


def test_explain_000_prints_the_number_as_written():
    out = run("explain", "000").stdout
    assert out.startswith("000 No response received — not an HTTP status code\n")


def test_explain_unassigned_code():
    result = run("explain", "512")
    assert result.returncode == 0
    assert result.stdout.startswith("512 — unassigned\n")
    assert "like the first code of its class, 500 Internal Server Error, so" in result.stdout


@pytest.mark.parametrize("query", ["NOT_A_STATUS", "HTTPStatus.NOT_FUND", "four-oh-four"])
def test_explain_unknown_is_a_one_line_error_with_status_2(query):
    result = run("explain", query)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert query in result.stderr


def test_list_json_is_a_stable_array_for_tools():
    result = run("list", "--json")
    assert result.returncode == 0
    entries = json.loads(result.stdout)
    by_code = {e["code"]: e for e in entries}
    assert len(entries) == len(by_code) >= 99
    required = {"code": int, "phrase": str, "class": str, "standing": str, "vendors": list, "names": dict}
    for e in entries:
        for key, kind in required.items():
            assert isinstance(e[key], kind), (e["code"], key)
        assert e["reference"] is None or isinstance(e["reference"], str)
        assert e["url"] is None or isinstance(e["url"], str)
        assert e["standing"] in {"standard", "deprecated", "reserved", "obsolete", "provisional", "unofficial"}
        assert e["class"] == f"{e['code'] // 100}xx"
    assert by_code[404]["names"]["http.HTTPStatus"] == ["NOT_FOUND"]
    assert by_code[305]["standing"] == "deprecated"
    assert "Cloudflare" in by_code[522]["vendors"]


def test_list_plain_marks_non_standard_codes():
    lines = run("list").stdout.splitlines()
    assert "404  Not Found" in lines
    assert any(line.startswith("305  Use Proxy  [deprecated") for line in lines)


def test_version():
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"http-status-ls {__version__}"
