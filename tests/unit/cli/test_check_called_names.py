"""``called_names``: the names a file calls (what decides whether the project's table can change its
findings) are every ``identifier(`` an identifier search from each character would find."""

from __future__ import annotations

import json
import re

import pytest

from http_status_ls.cli import check
from http_status_ls.cli.check import called_names

_EVERY_START = re.compile(r"([A-Za-z_]\w*)\s*\(")


@pytest.mark.parametrize(
    "text",
    [
        "error_response(404, 'gone')\n",
        "obj.method (1)\nprint(\n  x)\n",
        "9abc(1)\n",  # a word starting with a digit: its name starts at the first letter
        "éclair(2) and ñame_x(3) and ٣digits_after(4)\n",
        "a b(\n",
        "value\n\t(1)\n",
        "value\x1c(1) and other\x0b\x1f (2)\n",  # Unicode whitespace includes these controls
        "(((\n",
        "__init__(self)\n_private()\n",
        "# comment call(1) and 'string call(2)'\n",
        "",
    ],
)
def test_called_names_match_a_search_from_every_character(text: str) -> None:
    assert called_names(text) == frozenset(_EVERY_START.findall(text))


def test_called_names_content() -> None:
    assert called_names("helper(1)\nx.respond (2)\n9lives(3)\nplain = 4\n") == {"helper", "respond", "lives"}


# --- each folder's project target ------------------------------------------------------------------

_STARLETTE_NAMES = (
    "from starlette import status\n\nA = status.HTTP_413_CONTENT_TOO_LARGE\nB = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE\n"
)


def test_the_target_is_read_per_folder(tmp_path, capsys, monkeypatch) -> None:
    """The target is asked once per folder: two folders declaring different starlette releases
    each keep their own (only the newer one deprecates the old spelling), whichever comes first."""
    monkeypatch.chdir(tmp_path)
    for folder, floor in (("new", "0.48"), ("old", "0.20")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "pyproject.toml").write_text(
            f'[project]\nname = "{folder}"\ndependencies = ["starlette>={floor}"]\n', encoding="utf-8"
        )
        for name in ("a.py", "b.py"):
            (tmp_path / folder / name).write_text(_STARLETTE_NAMES, encoding="utf-8")
    status = check.main(["--jobs", "1", "--format", "json", "old", "new"])
    problems = json.loads(capsys.readouterr().out)
    flagged = sorted((problem["path"].replace("\\", "/"), problem["rule"]) for problem in problems)
    assert status == 1
    assert flagged == [("new/a.py", "deprecated-name"), ("new/b.py", "deprecated-name")]
