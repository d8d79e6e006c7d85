"""The wheel carries the knowledge base: build it, install it into a fresh virtual environment
outside the repository, and ask the installed command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

from tests.support.paths import REPO


def test_installed_wheel_explains_and_lists(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(REPO)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = dist.glob("http_status_ls-*.whl")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    # No dependencies: `explain` and `list` must need nothing beyond the standard library.
    subprocess.run(
        [str(bindir / "python"), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    clean_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    command = str(bindir / "http-status-ls")
    explained = subprocess.run(
        [command, "explain", "404"], capture_output=True, text=True, cwd=tmp_path, env=clean_env, timeout=60
    )
    assert explained.returncode == 0, explained.stderr
    assert explained.stdout.startswith("404 Not Found")
    listed = subprocess.run([command, "list", "--json"], capture_output=True, text=True, cwd=tmp_path, env=clean_env, timeout=60)
    assert {e["code"] for e in json.loads(listed.stdout)} >= {100, 404, 420, 599}
    located = subprocess.run(
        [str(bindir / "python"), "-c", "from http_status_ls.kb import registry; print(registry.data_path())"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=clean_env,
        timeout=60,
    )
    data_file = Path(located.stdout.strip())
    assert data_file.is_relative_to(env_dir), data_file  # from the wheel, not from the source tree
