"""docs/code-spec.md shows files and the lines `check` prints for them: write those files out, run
`check` as a user would, and hold the page to the real output, so the examples cannot go stale."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.support.paths import REPO

PAGE = REPO / "docs" / "code-spec.md"


def _blocks(text: str, language: str) -> list[str]:
    """The bodies of the page's fenced blocks in ``language``, in order."""
    return re.findall(rf"^```{language}\n(.*?)^```$", text, re.M | re.S)


def _check(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "http_status_ls", "check", "."], capture_output=True, text=True, cwd=folder, timeout=120
    )


def _page() -> str:
    return PAGE.read_text(encoding="utf-8")


def test_the_cross_check_example_prints_what_the_page_shows(tmp_path: Path) -> None:
    page = _page()
    app = _blocks(page, "python")[0]
    (tmp_path / "app.py").write_text(app, encoding="utf-8")
    (tmp_path / "openapi.yaml").write_text(_blocks(page, "yaml")[0], encoding="utf-8")
    shown = _blocks(page, "text")[0]
    result = _check(tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stdout == shown
    for rule in ("undocumented-status", "unreturned-status", "undocumented-operation", "unimplemented-operation"):
        assert f": {rule} " in shown


def test_the_handler_rules_example_prints_what_the_page_shows(tmp_path: Path) -> None:
    page = _page()
    views = _blocks(page, "python")[1]
    (tmp_path / "views.py").write_text(views, encoding="utf-8")
    shown = [block for block in _blocks(page, "text") if block.startswith("views.py:")]
    assert len(shown) == 1, "docs/code-spec.md quotes no check output for views.py"
    result = _check(tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stdout == shown[0]
    for line in result.stdout.splitlines():
        rule = line.split(" ")[1]
        assert f"# {rule}" in views, f"{rule} is reported but the snippet does not mark its line"


def test_the_page_lists_every_code_exempt_from_unreturned_status() -> None:
    from http_status_ls.features.code_spec import OUTSIDE_THE_HANDLER

    section = _page().split("## Codes never called unreturned", 1)[1].split("\n## ", 1)[0]
    listed = {int(code) for code in re.findall(r"\b([1-5]\d\d)\b", section.split("They are still reported", 1)[0])}
    assert listed == set(OUTSIDE_THE_HANDLER)
