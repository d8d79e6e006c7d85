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
        if name.split(".")[0] in ("lsprotocol", "pygls", "cattrs", "multiprocessing", "concurrent", "yaml")
        or name in ("http_status_ls.cli.check", "argparse" if sys.argv[1] == "--version" else "")
    )
    print(json.dumps({"status": status, "heavy": heavy}))
    """
)


@pytest.mark.parametrize("arguments", [["--version"], ["explain", "404"], ["list"], ["list", "--json"]])
def test_version_explain_and_list_import_nothing_of_check(arguments):
    """They are started by hand and by the editor extensions: only the knowledge base may load."""
    result = subprocess.run([sys.executable, "-c", _COMMAND_PROBE, *arguments], capture_output=True, text=True, check=True)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report == {"status": 0, "heavy": []}, result.stderr
