"""`http-status-ls check` must not load the LSP stack: importing lsprotocol.types alone takes over
half a second, paid on every run in CI and in pre-commit hooks."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from http_status_ls.features import diagnostics

_PROBE = textwrap.dedent(
    """
    import json, sys
    from http_status_ls.cli import check
    status = check.main(sys.argv[1:])
    heavy = sorted(name for name in sys.modules if name.split(".")[0] in ("lsprotocol", "pygls", "cattrs"))
    print(json.dumps({"status": status, "heavy": heavy}))
    """
)


def test_check_never_imports_the_lsp_stack(tmp_path):
    (tmp_path / "views.py").write_text("from flask import abort\nabort(420)\n")
    (tmp_path / "api.yaml").write_text("openapi: 3.0.0\npaths:\n  /a:\n    get:\n      responses:\n        '306': {}\n")
    (tmp_path / "api.json").write_text('{"openapi": "3.0.0", "paths": {"/a": {"get": {"responses": {"509": {}}}}}}')
    for output in ("text", "json", "sarif", "github"):
        result = subprocess.run(
            [sys.executable, "-c", _PROBE, "--jobs", "1", "--format", output, str(tmp_path)],
            capture_output=True,
            text=True,
            check=True,
        )
        report = json.loads(result.stdout.strip().splitlines()[-1])
        assert report == {"status": 1, "heavy": []}, (output, result.stderr)


def test_severities_are_the_lsp_numbers():
    types = pytest.importorskip("lsprotocol.types")
    for member in diagnostics.Severity:
        assert member == types.DiagnosticSeverity[member.name]


def test_lsp_diagnostics_carry_lsprotocol_severities():
    from lsprotocol import types

    from http_status_ls.detect.analysis import analyse

    analysis = analyse("file:///v.py", "python", "from flask import abort\nabort(420)\nabort(600)\n", 1)
    found = diagnostics.diagnostics(analysis)
    assert [(d.code, d.severity) for d in found] == [
        ("unofficial-code", types.DiagnosticSeverity.Warning),
        ("invalid-code", types.DiagnosticSeverity.Error),
    ]
    assert all(type(d.severity) is types.DiagnosticSeverity for d in found)
    assert found[0].range == types.Range(start=types.Position(line=1, character=6), end=types.Position(line=1, character=9))


_COMMAND_PROBE = textwrap.dedent(
    """
    import json, sys, contextlib, io
    from http_status_ls.cli import main
    with contextlib.redirect_stdout(io.StringIO()):
        status = main.main(sys.argv[1:])
    heavy = sorted(
        name for name in sys.modules
        if name.split(".")[0]
        in ("lsprotocol", "pygls", "cattrs", "multiprocessing", "concurrent", "yaml", "argparse", "dataclasses", "inspect")
        or name.startswith(("http_status_ls.cli.check", "http_status_ls.lsp", "http_status_ls.detect"))
    )
    print(json.dumps({"status": status, "heavy": heavy}))
    """
)


def _probe(script: str, *arguments: str) -> dict:
    result = subprocess.run([sys.executable, "-c", script, *arguments], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "arguments", [["--version"], ["explain", "404"], ["explain", "NOT_FOUND"], ["explain", "4XX"], ["list"], ["list", "--json"]]
)
def test_version_explain_and_list_import_nothing_of_check(arguments):
    """They are started by hand and by the editor extensions: only the knowledge base and its
    rendering may load, not even the argument parser for these plain forms, nor ``dataclasses``
    (with ``inspect``, which it loads, it was the largest import left: the records are
    ``kb/records.py``'s)."""
    assert _probe(_COMMAND_PROBE, *arguments) == {"status": 0, "heavy": []}


@pytest.mark.parametrize(
    ("arguments", "status"),
    [(["explain", "--help"], 0), (["explain"], 2), (["explain", "404", "500"], 2), (["list", "--csv"], 2)],
)
def test_other_forms_of_explain_and_list_are_read_by_argparse(arguments, status):
    """Help and mistakes are argparse's to answer, with its usage text and status 2 for an error."""
    result = subprocess.run([sys.executable, "-m", "http_status_ls", *arguments], capture_output=True, text=True, check=False)
    assert result.returncode == status, result.stderr
    assert "usage: http-status-ls" in result.stdout + result.stderr


_KNOWLEDGE_PROBE = textwrap.dedent(
    """
    import json, sys, contextlib, io
    from http_status_ls.cli import main
    from http_status_ls.kb import registry
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        status = main.main(["explain", "404"])
    known = registry.load()
    print(json.dumps({
        "status": status,
        "printed": printed.getvalue().splitlines()[0],
        "built": sorted(known._by_code),
        "indexes": sorted(name for name in ("entries", "_by_library", "_by_bare_name") if name in vars(known)),
        "pathlib": "pathlib" in sys.modules,
    }))
    """
)


def test_explain_of_one_code_builds_only_the_entries_it_prints():
    """The data file is read whole, but ``explain 404`` derives no library index and builds the
    entries it prints only (404 and the codes its text names), not all of them."""
    report = _probe(_KNOWLEDGE_PROBE)
    assert report["status"] == 0 and report["printed"] == "404 Not Found"
    assert 404 in report["built"] and len(report["built"]) < 10, report["built"]
    assert report["indexes"] == []
    assert report["pathlib"] is False


_STANDARD_LIBRARY_PROBE = textwrap.dedent(
    """
    import sys, contextlib, io
    from http_status_ls.cli import main
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        status = main.main(sys.argv[1:])
    loaded = sorted(
        name for name in ("typing", "datetime", "pathlib", "argparse", "re", "enum", "json") if name in sys.modules
    )
    import json  # after the count: the probe's own report must not be counted
    print(json.dumps({"status": status, "printed": printed.getvalue().splitlines()[0], "loaded": loaded}))
    """
)


@pytest.mark.parametrize(
    ("query", "first_line"), [("404", "404 Not Found"), ("NOT_FOUND", "404 Not Found"), ("4XX", "4XX Client Error")]
)
def test_explain_imports_neither_typing_nor_datetime_nor_re(query, first_line):
    """Type aliases are for mypy only and datetime is read only for a provisional code's expiry date:
    ``explain`` of a plain code pays for neither module (together a few milliseconds of its start).
    Nor for ``re`` (which imports ``enum``) or ``json`` (which imports ``re``): the knowledge base is
    decoded by ``_json``'s scanner and the query read with str methods (``kb/json_text.py``)."""
    report = _probe(_STANDARD_LIBRARY_PROBE, "explain", query)
    assert report == {"status": 0, "printed": first_line, "loaded": []}


def test_explain_of_a_provisional_code_still_says_when_it_expires():
    """datetime, imported late, still dates the entries that have an expiry."""
    from http_status_ls.features import render
    from http_status_ls.kb import registry

    dated = [entry for entry in registry.load().entries if entry.expires]
    if not dated:
        pytest.skip("no entry of the data file has an expiry date")
    state = render.expiry_state(dated[0])
    assert state is not None and state.endswith(f"on {dated[0].expires}")
    assert state.startswith(("expires", "expired"))


def test_list_reads_the_knowledge_base_without_json_or_re():
    """The plain listing decodes the data file as ``explain`` does; only ``list --json`` needs ``json``."""
    report = _probe(_STANDARD_LIBRARY_PROBE, "list")
    assert report["status"] == 0 and report["printed"].startswith("100  Continue"), report
    assert report["loaded"] == []
