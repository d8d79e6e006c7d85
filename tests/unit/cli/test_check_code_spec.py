"""``check`` runs the cross-check when the paths hold Python handlers and an API description:
serially and in worker processes alike, with --select/--ignore, suppressions and openApiSpecs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from http_status_ls.cli import check
from tests.unit.cli.test_check import run_check

SHOPS = Path(__file__).parents[2] / "fixtures" / "code_spec"
CROSS_CHECK = {"undocumented-status", "unreturned-status", "undocumented-operation", "unimplemented-operation"}


def _rows(out: str) -> list[tuple[str, int, str]]:
    return sorted(
        (Path(row["path"]).as_posix().split("code_spec_tree/", 1)[-1], row["line"], row["rule"])
        for row in json.loads(out)
        if row["rule"] in CROSS_CHECK
    )


@pytest.fixture
def shops(tmp_path: Path) -> Path:
    root = tmp_path / "code_spec_tree"
    for shop in ("aiohttp_shop", "fastapi_shop", "flask_shop"):
        shutil.copytree(SHOPS / shop, root / shop)
    return root


def test_the_flask_shop_drifts_are_reported(shops: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_check(capsys, "-j", "1", "--format", "json", str(shops / "flask_shop"))
    assert status == 1  # undocumented-status is a warning
    assert _rows(out) == [
        ("flask_shop/openapi.json", 16, "unreturned-status"),
        ("flask_shop/openapi.json", 72, "unimplemented-operation"),
        ("flask_shop/orders.py", 19, "undocumented-status"),
        ("flask_shop/orders.py", 31, "undocumented-operation"),
    ]


def test_text_output_names_the_operation(shops: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_check(capsys, "-j", "1", str(shops / "aiohttp_shop"))
    assert "carts.py:12:12: undocumented-status GET /carts/{cartId} can return 404, which openapi.yaml" in out


def test_python_alone_or_a_spec_alone_has_no_cross_check(shops: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_check(capsys, "-j", "1", "--format", "json", str(shops / "flask_shop" / "orders.py"))
    assert _rows(out) == []
    _, out, _ = run_check(capsys, "-j", "1", "--format", "json", str(shops / "flask_shop" / "openapi.json"))
    assert _rows(out) == []


def test_ignore_and_select(shops: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_check(capsys, "-j", "1", "--format", "json", "--ignore", "undocumented-status", str(shops / "flask_shop"))
    assert "undocumented-status" not in {rule for _, _, rule in _rows(out)}
    status, out, _ = run_check(capsys, "-j", "1", "--format", "json", "--select", "unreturned-status", str(shops / "flask_shop"))
    assert status == 0 and [row["rule"] for row in json.loads(out)] == ["unreturned-status"]


def test_a_suppression_comment_silences_the_line(shops: Path, capsys: pytest.CaptureFixture[str]) -> None:
    orders = shops / "flask_shop" / "orders.py"
    lines = orders.read_text().splitlines(keepends=True)
    lines[18] = lines[18].rstrip("\n") + "  # http-status: ignore[undocumented-status]\n"
    orders.write_text("".join(lines))
    _, out, _ = run_check(capsys, "-j", "1", "--format", "json", str(shops / "flask_shop"))
    assert ("flask_shop/orders.py", 19, "undocumented-status") not in _rows(out)


def test_workers_find_the_same(shops: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    serial = run_check(capsys, "-j", "1", "--format", "json", str(shops))
    monkeypatch.setattr(check, "_SERIAL_MAX_FILES", 0)
    parallel = run_check(capsys, "-j", "2", "--format", "json", str(shops))
    assert serial[:2] == parallel[:2]
    assert len(_rows(parallel[1])) == 13  # the drifts tests/unit/features/test_code_spec_shops.py pins


def test_open_api_specs_names_the_spec(shops: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = shops / "pyproject.toml"
    config.write_text('[tool.http-status-ls]\nopenApiSpecs = ["aiohttp_shop/openapi.yaml"]\n')
    _, out, _ = run_check(capsys, "-j", "1", "--format", "json", "--config", str(config), str(shops))
    files = {path.split("/")[0] for path, _, _ in _rows(out)}
    # Every handler is judged against the one spec named: the other shops' operations are not in it.
    assert files == {"aiohttp_shop", "fastapi_shop", "flask_shop"}
    assert not any(path.endswith(("openapi.json", "fastapi_shop/openapi.yaml")) for path, _, _ in _rows(out))
