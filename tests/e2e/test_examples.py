"""The README's first command runs `check` on examples/: pin exactly what it finds there.

The example service has seven deliberate problems and otherwise correct code; two of them also make
the code and its OpenAPI description disagree (three cross-check findings). If a detector starts
or stops reporting something in it, or someone edits an example, this fails, so the README, the
table in examples/README.md and the real output cannot drift apart.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from tests.support.paths import REPO

EXAMPLES = REPO / "examples"

# (path, line, column, rule), in the order `check` prints them.
EXPECTED = [
    ("examples/deploy/virtual-service.yaml", 14, 23, "unofficial-code"),
    ("examples/service/app.py", 53, 41, "unofficial-code"),
    ("examples/service/app.py", 59, 98, "invalid-code"),
    ("examples/service/app.py", 64, 5, "undocumented-status"),
    ("examples/service/app.py", 66, 48, "deprecated-name"),
    ("examples/service/app.py", 94, 75, "undocumented-status"),
    ("examples/service/openapi.yaml", 17, 9, "unquoted-response-key"),
    ("examples/service/openapi.yaml", 56, 11, "body-not-allowed"),
    ("examples/service/openapi.yaml", 72, 9, "deprecated-code"),
    ("examples/service/openapi.yaml", 72, 9, "unreturned-status"),
]
SUMMARY = "http-status-ls: 5 files checked, 10 problems (1 error, 8 warnings, 1 information)"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The command as a user runs it: a real process, from the repository root."""
    return subprocess.run([sys.executable, "-m", "http_status_ls", *args], capture_output=True, text=True, cwd=REPO, timeout=120)


def test_check_finds_exactly_the_deliberate_problems():
    result = run_cli("check", "examples/")
    assert result.returncode == 1, result.stderr
    found = []
    for line in result.stdout.splitlines():
        where = re.match(r"(\S+):(\d+):(\d+): (\S+) ", line)
        assert where, line
        found.append((where[1], int(where[2]), int(where[3]), where[4]))
    assert found == EXPECTED
    assert result.stderr.strip() == SUMMARY


def test_check_json_carries_the_same_findings():
    result = run_cli("check", "--format", "json", "examples/")
    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)
    assert [(f["path"], f["line"], f["column"], f["rule"]) for f in findings] == EXPECTED
    # One error (600), the rest warnings: the error alone would already fail a CI job.
    assert [f["severity"] for f in findings].count("error") == 1
    assert all(f["message"] for f in findings)


def test_the_examples_readme_lists_every_finding():
    table = re.findall(r"^\| `([^`]+):(\d+):(\d+)` \| `([a-z-]+)` \|", (EXAMPLES / "README.md").read_text(encoding="utf-8"), re.M)
    listed = [(f"examples/{path}", int(line), int(column), rule) for path, line, column, rule in table]
    assert listed == EXPECTED


def test_the_examples_readme_shows_the_real_output():
    """The output quoted under the command is what `check` prints, message for message."""
    shown = re.search(r"^```text\n(.*?)^```", (EXAMPLES / "README.md").read_text(encoding="utf-8"), re.M | re.S)
    assert shown, "examples/README.md quotes no output"
    assert shown[1] == run_cli("check", "examples/").stdout


def test_the_documentation_quotes_only_real_findings():
    """Any `examples/...:line:col: rule` shown in README.md or docs/ is one `check` really prints."""
    pages = [REPO / "README.md", *sorted((REPO / "docs").glob("**/*.md"))]
    for page in filter(Path.is_file, pages):
        for path, line, column, rule in re.findall(r"(examples/\S+?):(\d+):(\d+): ([a-z-]+)", page.read_text(encoding="utf-8")):
            assert (path, int(line), int(column), rule) in EXPECTED, f"{page.name}: {path}:{line}:{column}: {rule}"


def test_the_correct_files_stay_silent():
    result = run_cli("check", "examples/service/test_app.py", "examples/deploy/smoke-test.yml")
    assert (result.returncode, result.stdout) == (0, ""), result.stdout + result.stderr


def test_explain_420_points_to_429():
    result = run_cli("explain", "420")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("420 Enhance Your Calm")
    assert "429 Too Many Requests" in result.stdout
