"""``http-status-ls check``: formats, exit statuses, the walk, rule selection, suppressions, settings.

Most tests call ``check.main`` in this process (fast, with captured output); the ones marked
"real process" run ``python -m http_status_ls check`` the way CI and pre-commit do.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from http_status_ls.cli import check, report
from http_status_ls.features import diagnostics
from tests.support.paths import REPO

APP = """\
from flask import abort
import requests


def view():
    requests.get("https://example.com", timeout=300)
    abort(420)
    abort(305)


def legacy(resp):
    assert resp.status_code == 299
    resp.status_code = 600
"""
# Expected findings in APP: (line, column, rule), 1-based, columns in characters.
APP_FINDINGS = [(7, 11, "unofficial-code"), (8, 11, "deprecated-code"), (12, 32, "not-a-status-code"), (13, 24, "invalid-code")]

OPENAPI = """\
openapi: 3.0.3
info: {title: Pets, version: '1'}
paths:
  /pets:
    get:
      responses:
        200:
          description: ok
        '204':
          description: nothing
          content:
            application/json: {}
components:
  responses:
    '420':
      description: a name here, not a status
"""
OPENAPI_FINDINGS = [(7, 9, "unquoted-response-key"), (11, 11, "body-not-allowed")]

CLEAN = """\
from http import HTTPStatus
from flask import abort

PORT = 8080
abort(404)
abort(HTTPStatus.NOT_FOUND)
"""


def tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def run_check(capsys, *args: str) -> tuple[int, str, str]:
    status = check.main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def parse_text(out: str) -> list[tuple[str, int, int, str]]:
    rows = []
    for line in out.splitlines():
        path, line_no, col, rest = line.split(":", 3)
        rows.append((Path(path).name, int(line_no), int(col), rest.split()[0]))
    return rows


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    tree(tmp_path, {"src/app.py": APP, "api/openapi.yaml": OPENAPI, "src/clean.py": CLEAN})
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- text -------------------------------------------------------------------------------------


def test_text_lines_sorted_by_path_then_line(project, capsys):
    status, out, err = run_check(capsys, ".")
    assert status == 1
    lines = out.splitlines()
    assert lines[0].startswith("api/openapi.yaml:7:9: unquoted-response-key 200 is an unquoted key: write '200' ")
    assert lines[2] == (
        "src/app.py:7:11: unofficial-code 420 is unofficial (Twitter and others): use 429 Too Many Requests or 424 Failed Dependency"
    )
    assert parse_text(out) == [("openapi.yaml", *f) for f in OPENAPI_FINDINGS] + [("app.py", *f) for f in APP_FINDINGS]
    assert "3 files checked, 6 problems (1 error, 5 warnings)" in err


def test_columns_count_characters_not_bytes(tmp_path, capsys):
    tree(tmp_path, {"u.py": 'msg = "é漢😀"; abort(420)\n'})
    status, out, _ = run_check(capsys, str(tmp_path / "u.py"))
    assert status == 1
    assert out.startswith(f"{tmp_path / 'u.py'}:1:20: unofficial-code ")  # 'abort(' ends at character 19


def test_byte_order_mark_is_not_a_column(tmp_path, capsys):
    tree(tmp_path, {"bom.py": b"\xef\xbb\xbfabort(420)\n"})
    status, out, _ = run_check(capsys, str(tmp_path / "bom.py"))
    assert status == 1 and ":1:7: unofficial-code" in out


def test_clean_tree_exits_0(tmp_path, capsys):
    tree(tmp_path, {"clean.py": CLEAN, "ports.yaml": "server:\n  port: 443\n  timeout: 300\n"})
    status, out, err = run_check(capsys, str(tmp_path))
    assert (status, out) == (0, "")
    assert "2 files checked, no problems" in err


def test_information_alone_does_not_fail(tmp_path, capsys):
    tree(tmp_path, {"tea.py": "def brew():\n    return 'short and stout', 418\n"})
    status, out, _ = run_check(capsys, str(tmp_path))
    assert status == 0
    assert parse_text(out) == [("tea.py", 2, 31, "reserved-code")]


# --- json, github, sarif -------------------------------------------------------------------------


def test_json_format(project, capsys):
    status, out, _ = run_check(capsys, "--format", "json", "src")
    assert status == 1
    rows = json.loads(out)
    assert [(r["path"], r["line"], r["column"], r["rule"]) for r in rows] == [
        (os.path.join("src", "app.py"), *f) for f in APP_FINDINGS
    ]
    first = rows[0]
    assert first["end_line"] == 7 and first["end_column"] == 14  # just after `420`
    assert first["severity"] == "warning"
    assert first["message"].startswith("420 is unofficial (Twitter and others): use 429 Too Many Requests")
    assert first["url"].startswith("https://")
    assert rows[3]["severity"] == "error"


def test_json_format_empty(tmp_path, capsys):
    tree(tmp_path, {"clean.py": CLEAN})
    assert run_check(capsys, "--format", "json", str(tmp_path))[:2] == (0, "[]\n")


def test_github_format(project, capsys):
    status, out, _ = run_check(capsys, "--format", "github", "src/app.py")
    assert status == 1
    lines = out.splitlines()
    assert len(lines) == 4
    assert lines[0].startswith(
        "::warning file=src/app.py,line=7,col=11,endLine=7,endColumn=14,title=http-status-ls unofficial-code::420 is unofficial"
    )
    assert lines[3].startswith("::error file=src/app.py,line=13,col=24,")


def test_github_escaping():
    problem = report.Problem(
        path="a,b:c.py",
        line=1,
        column=2,
        end_line=1,
        end_column=5,
        rule="invalid-code",
        severity=3,
        message="50% off\nsecond line",
    )
    from io import StringIO

    out = StringIO()
    report.write_github([problem], out)
    assert out.getvalue() == (
        "::notice file=a%2Cb%3Ac.py,line=1,col=2,endLine=1,endColumn=5,title=http-status-ls invalid-code"
        "::50%25 off%0Asecond line\n"
    )


def sarif_errors(log: dict) -> list[str]:
    """Checks the properties SARIF 2.1.0's schema requires (and the types and ranges it constrains)
    for everything we emit: sarifLog, run, tool, toolComponent, reportingDescriptor, result, message,
    location, physicalLocation, artifactLocation, region."""
    errors: list[str] = []

    def need(ok: bool, what: str) -> None:
        if not ok:
            errors.append(what)

    need(log.get("version") == "2.1.0", "version must be 2.1.0")
    need(isinstance(log.get("$schema"), str) and "sarif" in log["$schema"], "$schema must name the SARIF schema")
    runs = log.get("runs")
    need(isinstance(runs, list) and len(runs) >= 1, "runs must be a non-empty array")
    for r, run in enumerate(runs or []):
        driver = run.get("tool", {}).get("driver")
        need(isinstance(driver, dict), f"runs[{r}].tool.driver is required")
        driver = driver or {}
        need(isinstance(driver.get("name"), str) and driver["name"], f"runs[{r}].tool.driver.name is required")
        rules = driver.get("rules", [])
        need(isinstance(rules, list), "driver.rules must be an array")
        ids = [rule.get("id") for rule in rules]
        need(all(isinstance(i, str) and i for i in ids), "every rule needs an id")
        need(len(ids) == len(set(ids)), "rule ids must be unique")
        for rule in rules:
            if "shortDescription" in rule:
                need(isinstance(rule["shortDescription"].get("text"), str), f"rule {rule.get('id')}: shortDescription.text")
            if "defaultConfiguration" in rule:
                need(rule["defaultConfiguration"].get("level") in ("none", "note", "warning", "error"), "rule level")
        need(run.get("columnKind", "utf16CodeUnits") in ("utf16CodeUnits", "unicodeCodePoints"), "columnKind")
        for i, result in enumerate(run.get("results", [])):
            where = f"runs[{r}].results[{i}]"
            need(isinstance(result.get("message", {}).get("text"), str), f"{where}.message.text is required")
            need(result.get("ruleId") in ids, f"{where}.ruleId must be a rule of the driver")
            if "ruleIndex" in result:
                need(ids[result["ruleIndex"]] == result["ruleId"], f"{where}.ruleIndex must point at ruleId")
            need(result.get("level") in ("none", "note", "warning", "error"), f"{where}.level")
            locations = result.get("locations")
            need(isinstance(locations, list) and len(locations) == 1, f"{where}.locations")
            for location in locations or []:
                physical = location.get("physicalLocation", {})
                artifact = physical.get("artifactLocation", {})
                need(isinstance(artifact.get("uri"), str) and artifact["uri"], f"{where} artifactLocation.uri")
                if "uriBaseId" in artifact:
                    need(artifact["uriBaseId"] in run.get("originalUriBaseIds", {}), f"{where} uriBaseId is declared")
                region = physical.get("region", {})
                for key in ("startLine", "startColumn", "endLine", "endColumn"):
                    need(isinstance(region.get(key), int) and region[key] >= 1, f"{where}.region.{key} >= 1")
                need(region.get("endLine", 0) >= region.get("startLine", 1), f"{where} endLine >= startLine")
    return errors


def test_sarif_format(project, capsys):
    status, out, _ = run_check(capsys, "--format", "sarif", ".")
    assert status == 1
    log = json.loads(out)
    assert sarif_errors(log) == []
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "http-status-ls"
    assert [rule["id"] for rule in driver["rules"]] == list(diagnostics.RULES)
    assert all(rule["shortDescription"]["text"] != rule["id"] for rule in driver["rules"])
    assert run["columnKind"] == "unicodeCodePoints"
    results = run["results"]
    assert [(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["ruleId"]) for r in results] == [
        ("api/openapi.yaml", "unquoted-response-key"),
        ("api/openapi.yaml", "body-not-allowed"),
        ("src/app.py", "unofficial-code"),
        ("src/app.py", "deprecated-code"),
        ("src/app.py", "not-a-status-code"),
        ("src/app.py", "invalid-code"),
    ]
    region = results[2]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 7, "startColumn": 11, "endLine": 7, "endColumn": 14}
    assert [r["level"] for r in results] == ["warning", "warning", "warning", "warning", "warning", "error"]


def test_sarif_with_no_results_is_still_valid(tmp_path, capsys):
    tree(tmp_path, {"clean.py": CLEAN})
    status, out, _ = run_check(capsys, "--format", "sarif", str(tmp_path))
    log = json.loads(out)
    assert status == 0 and sarif_errors(log) == [] and log["runs"][0]["results"] == []


def test_sarif_validator_catches_missing_parts():
    assert sarif_errors({"version": "2.1.0", "$schema": "x-sarif", "runs": [{"tool": {}}]}) == [
        "runs[0].tool.driver is required",
        "runs[0].tool.driver.name is required",
    ]


# --- exit status 2 ------------------------------------------------------------------------------


def test_undecodable_file_is_named_and_the_others_still_checked(project, capsys):
    tree(project, {"src/latin1.py": "name = 'caf\xe9'\nabort(420)\n".encode("latin-1")})
    status, out, err = run_check(capsys, ".")
    assert status == 2
    assert f"{os.path.join('src', 'latin1.py')}: not UTF-8" in err
    assert parse_text(out) == [("openapi.yaml", *f) for f in OPENAPI_FINDINGS] + [("app.py", *f) for f in APP_FINDINGS]


def test_missing_path_is_named_and_the_others_still_checked(project, capsys):
    status, out, err = run_check(capsys, "nowhere.py", "src/app.py")
    assert status == 2
    assert "nowhere.py: No such file or directory" in err
    assert len(out.splitlines()) == len(APP_FINDINGS)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="permissions do not stop root from reading")
def test_unreadable_file(project, capsys):
    secret = project / "src" / "secret.py"
    secret.write_text("abort(420)\n")
    secret.chmod(0)
    try:
        status, out, err = run_check(capsys, "src")
    finally:
        secret.chmod(0o644)
    assert status == 2
    assert "secret.py: cannot read" in err
    assert len(out.splitlines()) == len(APP_FINDINGS)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--select", "nope"], "--select: unknown rule nope (known: "),
        (["--ignore", "unofficial-code,also-nope"], "--ignore: unknown rule also-nope"),
        (["--select", ","], "--select: no rule given"),
        (["--jobs", "-1"], "--jobs must be 0"),
        (["--config", "missing/pyproject.toml"], "--config missing/pyproject.toml: no such file"),
    ],
)
def test_usage_errors(project, capsys, args, message):
    status, out, err = run_check(capsys, *args, "src")
    assert status == 2
    assert out == ""
    assert message in err


def test_argparse_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        check.main(["--format", "xml", "."])
    assert exit_info.value.code == 2
    assert "invalid choice: 'xml'" in capsys.readouterr().err


def test_a_detector_crash_fails_the_run(project, capsys, monkeypatch):
    from http_status_ls.detect import analysis

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(analysis, "_detect", broken)
    status, out, err = run_check(capsys, "-j", "1", "src/app.py")
    assert status == 2
    assert "src/app.py: could not be analysed: python detector failed: RuntimeError: boom" in err


# --- the walk -------------------------------------------------------------------------------------


def test_walk_skips_gitignored_venv_and_node_modules(project, capsys):
    bad = "abort(420)\n"
    tree(
        project,
        {
            ".git/HEAD": "ref: refs/heads/main\n",
            ".gitignore": "generated/\n*.local.yaml\n",
            "generated/client.py": bad,
            "deploy.local.yaml": "status: 509\n",
            ".venv/pyvenv.cfg": "home = /usr\n",
            ".venv/lib/python3.11/site-packages/lib.py": bad,
            "venv-other/pyvenv.cfg": "",
            "venv-other/x.py": bad,
            "node_modules/pkg/data.json": '{"status": 509}',
            "__pycache__/app.py": bad,
            "deploy.yaml": "checks:\n  - status_code: 509\n",
        },
    )
    status, out, _ = run_check(capsys, ".")
    assert status == 1
    files = sorted({row[0] for row in parse_text(out)})
    assert files == ["app.py", "deploy.yaml", "openapi.yaml"]
    # Named explicitly, an ignored file is checked.
    status, out, _ = run_check(capsys, "generated/client.py")
    assert parse_text(out) == [("client.py", 1, 7, "unofficial-code")]
    # --no-gitignore walks it, but never the virtual environments or node_modules.
    status, out, _ = run_check(capsys, "--no-gitignore", ".")
    assert sorted({row[0] for row in parse_text(out)}) == [
        "app.py",
        "client.py",
        "deploy.local.yaml",
        "deploy.yaml",
        "openapi.yaml",
    ]


def test_parallel_and_serial_give_the_same_report(tmp_path, capsys, monkeypatch):
    files = {f"pkg{i // 10}/mod{i}.py": APP if i % 3 == 0 else CLEAN for i in range(40)}
    files.update({f"specs/api{i}.yaml": OPENAPI for i in range(6)})
    tree(tmp_path, files)
    serial = run_check(capsys, "-j", "1", "--format", "json", str(tmp_path))
    # Too little work for a pool by default; lower the bar so this small tree takes the parallel path.
    monkeypatch.setattr(check, "_SERIAL_MAX_FILES", 0)
    pools = []
    real_pool = check._pool
    monkeypatch.setattr(check, "_pool", lambda workers, job: pools.append(workers) or real_pool(workers, job))
    parallel = run_check(capsys, "-j", "2", "--format", "json", str(tmp_path))
    assert pools == [2]
    assert serial[0] == parallel[0] == 1
    assert serial[1] == parallel[1]
    rows = json.loads(parallel[1])
    assert len(rows) == 14 * len(APP_FINDINGS) + 6 * len(OPENAPI_FINDINGS)
    assert [r["path"] for r in rows] == sorted(r["path"] for r in rows)
    assert "46 files checked" in parallel[2]


def test_a_small_run_stays_in_process(project, capsys, monkeypatch):
    monkeypatch.setattr(check, "_pool", lambda workers, job: pytest.fail("a pool for three files"))
    assert run_check(capsys, "-j", "2", ".")[0] == 1


def test_chunks_spread_the_work():
    files = [check.ProjectFile(f"f{i}.py", "python", 1000) for i in range(100)]
    chunks = list(check._chunks(files, 2))
    assert [f for chunk in chunks for f in chunk] == files
    assert len(chunks) >= 8
    big = [check.ProjectFile(f"s{i}.json", "json", 4_000_000) for i in range(3)]
    assert [len(c) for c in check._chunks(big + files[:5], 2)] == [1, 1, 1, 1, 1, 1, 1, 1]


# --- select, ignore, suppression ---------------------------------------------------------------------


def test_select(project, capsys):
    status, out, _ = run_check(capsys, "--select", "unofficial-code,invalid-code", "src")
    assert status == 1
    assert [row[3] for row in parse_text(out)] == ["unofficial-code", "invalid-code"]


def test_ignore(project, capsys):
    status, out, _ = run_check(capsys, "--ignore", "unofficial-code", "--ignore", "deprecated-code,not-a-status-code", "src")
    assert [row[3] for row in parse_text(out)] == ["invalid-code"]
    status, out, _ = run_check(capsys, "--ignore", "unofficial-code,deprecated-code,not-a-status-code,invalid-code", "src")
    assert (status, out) == (0, "")


def test_suppression_comments(tmp_path, capsys):
    tree(
        tmp_path,
        {
            "app.py": (
                "abort(420)  # http-status: ignore\n"
                "abort(305)  # http-status: ignore[unofficial-code]\n"
                "abort(509)  # http-status: ignore[unofficial-code, deprecated-code]\n"
                "abort(299)\n"
            ),
            "deploy.yaml": "a:\n  status: 509  # http-status: ignore[unofficial-code]\n  status_code: 420\n",
        },
    )
    status, out, _ = run_check(capsys, str(tmp_path))
    assert status == 1
    assert parse_text(out) == [
        ("app.py", 2, 7, "deprecated-code"),  # the comment names another rule
        ("app.py", 4, 7, "not-a-status-code"),
        ("deploy.yaml", 3, 16, "unofficial-code"),
    ]


# --- settings from pyproject.toml -----------------------------------------------------------------


def test_pyproject_severity_off_and_error(project, capsys):
    tree(
        project,
        {
            "pyproject.toml": '[tool.http-status-ls.rules]\nunofficial-code = "off"\nunquoted-response-key = "error"\n'
            'deprecated-code = "information"\nnot-a-status-code = "hint"\ninvalid-code = "off"\n'
        },
    )
    status, out, _ = run_check(capsys, "--format", "json", ".")
    rows = json.loads(out)
    assert [(Path(r["path"]).name, r["rule"], r["severity"]) for r in rows] == [
        ("openapi.yaml", "unquoted-response-key", "error"),
        ("openapi.yaml", "body-not-allowed", "warning"),
        ("app.py", "deprecated-code", "information"),
        ("app.py", "not-a-status-code", "hint"),
    ]
    assert status == 1
    # The command line wins: a selected rule that the settings switched off is reported again.
    status, out, _ = run_check(capsys, "--select", "unofficial-code", "src")
    assert parse_text(out) == [("app.py", 7, 11, "unofficial-code")]


def test_pyproject_only_information_left_exits_0(project, capsys):
    tree(
        project,
        {
            "pyproject.toml": '[tool.http-status-ls]\nrules = { unofficial-code = "information", '
            'deprecated-code = "information", not-a-status-code = "off", invalid-code = "hint" }\n'
        },
    )
    status, out, _ = run_check(capsys, "src")
    assert status == 0 and len(out.splitlines()) == 3


def test_pyproject_extra_codes_are_allowed(tmp_path, capsys, monkeypatch):
    tree(
        tmp_path,
        {
            "pyproject.toml": '[tool.http-status-ls.extra-codes]\n420 = "Enhance Your Calm"\n599 = "Network Timeout"\n',
            "svc/app.py": "abort(420)\nabort(599)\nabort(509)\n",
            "svc/api.yaml": "openapi: 3.1.0\npaths:\n  /a:\n    get:\n      responses:\n        '200': {description: y}\n        '599': {description: x}\n",
        },
    )
    monkeypatch.chdir(tmp_path / "svc")  # found from the first path upward
    status, out, _ = run_check(capsys, ".")
    assert status == 1
    assert parse_text(out) == [("app.py", 3, 7, "unofficial-code")]


def test_pyproject_extra_yaml_keys(tmp_path, capsys):
    tree(
        tmp_path,
        {
            "pyproject.toml": '[tool.http-status-ls]\nextra-yaml-keys = ["expectedCode"]\n',
            "probe.yaml": "probe:\n  expectedCode: 509\n",
        },
    )
    status, out, _ = run_check(capsys, str(tmp_path))
    assert parse_text(out) == [("probe.yaml", 2, 17, "unofficial-code")]


def test_pyproject_languages_and_max_file_size(project, capsys):
    tree(project, {"pyproject.toml": "[tool.http-status-ls]\nlanguages = { yaml = false }\nmax-file-size = 200\n"})
    status, out, err = run_check(capsys, ".")
    assert status == 0 and out == ""
    assert "openapi.yaml: skipped: yaml is switched off in the settings" in err
    assert f"{os.path.join('src', 'app.py')}: skipped: {len(APP.encode()):,} bytes is over maxFileSize (200)" in err


def test_invalid_settings_are_named_defaults_used_and_exit_2(project, capsys):
    tree(project, {"pyproject.toml": '[tool.http-status-ls.rules]\nunofficial-code = "loud"\n'})
    status, out, err = run_check(capsys, "src")
    assert status == 2
    assert (
        f"{(project / 'pyproject.toml').resolve()} [tool.http-status-ls].rules.unofficial-code: 'loud' is not one of "
        "error, warning, information, hint, off; using the default"
    ) in err
    assert parse_text(out) == [("app.py", *f) for f in APP_FINDINGS]  # defaults used, findings reported


def test_explicit_config(project, capsys, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("config") / "pyproject.toml"
    elsewhere.write_text('[tool.http-status-ls.rules]\nunofficial-code = "off"\n')
    _, out, _ = run_check(capsys, "--config", str(elsewhere), "src")
    assert "unofficial-code" not in out and len(out.splitlines()) == 3


# --- as a real process ------------------------------------------------------------------------------


def run_process(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "http_status_ls", "check", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        encoding="utf-8",
    )


def test_process_text_and_exit_1(project):
    result = run_process(".", cwd=project)
    assert result.returncode == 1, result.stderr
    assert parse_text(result.stdout) == [("openapi.yaml", *f) for f in OPENAPI_FINDINGS] + [("app.py", *f) for f in APP_FINDINGS]


def test_process_sarif(project):
    result = run_process("--format", "sarif", "src", cwd=project)
    assert result.returncode == 1
    log = json.loads(result.stdout)
    assert sarif_errors(log) == []
    assert len(log["runs"][0]["results"]) == len(APP_FINDINGS)


def test_process_exit_0_and_2(project):
    assert run_process("src/clean.py", cwd=project).returncode == 0
    bad = run_process("--select", "no-such-rule", "src", cwd=project)
    assert bad.returncode == 2 and "unknown rule no-such-rule" in bad.stderr and bad.stdout == ""


def test_process_like_pre_commit(project):
    """pre-commit passes the staged files by name, possibly many at once."""
    result = run_process("src/app.py", "src/clean.py", "api/openapi.yaml", "--format", "github", cwd=project)
    assert result.returncode == 1
    assert len(result.stdout.splitlines()) == len(APP_FINDINGS) + len(OPENAPI_FINDINGS)


def test_pre_commit_hook_definition():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    (hook,) = hooks
    assert hook["id"] == "http-status-ls"
    assert hook["entry"] == "http-status-ls check"
    assert hook["language"] == "python"
    assert set(hook["types_or"]) == {"python", "yaml", "json"}


def test_printable_escapes_names_that_are_not_utf8_and_control_characters():
    assert report.printable("src/app.py") == "src/app.py"
    assert report.printable(os.fsdecode(b"src/caf\xe9.py")) == "src/caf\\xe9.py"
    assert report.printable("a\nb\tc\x1b.py") == "a\\nb\\tc\\x1b.py"
    assert report.printable("café.py") == "café.py"
