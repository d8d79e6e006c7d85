"""What `python -m build` makes installs and runs outside the repository.

The wheel carries the knowledge base: it is installed without dependencies into a fresh virtual
environment and asked to explain and list (they need only the standard library). The sdist is
installed into another fresh environment the way a user's pip would do it (build backend and
dependencies from the package index), and its command checks a file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import venv
import zipfile
from email.parser import Parser
from importlib.metadata import version
from pathlib import Path

import pytest

from tests.support.paths import REPO

# Without PYTHONPATH and VIRTUAL_ENV the installed command cannot see this checkout or the test venv.
CLEAN_ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}

# pip 22.3 and later can install into another interpreter's environment (`pip --python`), which
# spares each fresh venv the seconds it takes to bootstrap a pip of its own.
PIP_DRIVES_OTHER_PYTHONS = tuple(int(part) for part in version("pip").split(".")[:2]) >= (22, 3)


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist and the wheel; `build` makes the wheel from the sdist, so both are exercised."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(REPO)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return out


def fresh_venv(path: Path) -> Path:
    """A new virtual environment; returns its bin directory. It gets a pip of its own only when this
    environment's pip cannot install into it."""
    venv.EnvBuilder(with_pip=not PIP_DRIVES_OTHER_PYTHONS).create(path)
    return path / ("Scripts" if os.name == "nt" else "bin")


def pip_install(bindir: Path, *args: str) -> None:
    python = str(bindir / "python")
    if PIP_DRIVES_OTHER_PYTHONS:
        pip = [sys.executable, "-m", "pip", "--python", python]
    else:
        pip = [python, "-m", "pip"]
    result = subprocess.run([*pip, "install", "--quiet", *args], capture_output=True, text=True, env=CLEAN_ENV, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, env=CLEAN_ENV, timeout=60)


def test_the_sdist_carries_the_licence_changelog_data_and_examples(dist):
    (sdist,) = dist.glob("http_status_ls-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {
        "LICENSE",
        "CHANGELOG.md",
        "README.md",
        ".pre-commit-hooks.yaml",
        "data/status-codes.json",
        "examples/README.md",
        "examples/service/app.py",
        "server/http_status_ls/__init__.py",
    } <= names
    # Anchored include patterns: the VS Code extension's own README and LICENSE stay out.
    assert not any(name.startswith("editors/") for name in names)


def test_the_wheel_carries_the_data_licence_and_metadata(dist):
    (wheel,) = dist.glob("http_status_ls-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        (metadata_name,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        metadata = Parser().parsestr(archive.read(metadata_name).decode())
    assert "http_status_ls/data/status-codes.json" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert metadata["License-Expression"] == "MIT"
    classifiers = metadata.get_all("Classifier")
    assert "Environment :: Console" in classifiers
    assert "Topic :: Software Development :: Quality Assurance" in classifiers
    assert {f"Programming Language :: Python :: 3.{minor}" for minor in range(10, 14)} <= set(classifiers)
    # PEP 639: with an SPDX expression, "License ::" classifiers are deprecated and PyPI refuses them.
    assert not [c for c in classifiers if c.startswith("License ::")]
    assert metadata["Keywords"]


def test_installed_wheel_explains_and_lists(dist, tmp_path):
    (wheel,) = dist.glob("http_status_ls-*.whl")
    bindir = fresh_venv(tmp_path / "venv")
    # No dependencies: `explain` and `list` must need nothing beyond the standard library.
    pip_install(bindir, "--no-deps", str(wheel))
    command = str(bindir / "http-status-ls")
    explained = run([command, "explain", "404"], tmp_path)
    assert explained.returncode == 0, explained.stderr
    assert explained.stdout.startswith("404 Not Found")
    listed = run([command, "list", "--json"], tmp_path)
    assert {e["code"] for e in json.loads(listed.stdout)} >= {100, 404, 420, 599}
    located = run([str(bindir / "python"), "-c", "from http_status_ls.kb import registry; print(registry.data_path())"], tmp_path)
    data_file = Path(located.stdout.strip())
    assert data_file.is_relative_to(tmp_path / "venv"), data_file  # from the wheel, not from the source tree


def test_installed_sdist_explains_and_checks(dist, tmp_path):
    (sdist,) = dist.glob("http_status_ls-*.tar.gz")
    bindir = fresh_venv(tmp_path / "venv")
    pip_install(bindir, str(sdist))
    command = str(bindir / "http-status-ls")
    explained = run([command, "explain", "404"], tmp_path)
    assert explained.returncode == 0, explained.stderr
    assert explained.stdout.startswith("404 Not Found")

    project = tmp_path / "project"
    project.mkdir()
    (project / "views.py").write_text("from flask import abort\n\n\ndef slow_down():\n    abort(420)\n")
    (project / "health.yaml").write_text("expected_status: 200\n")
    checked = run([command, "check", "."], project)
    assert checked.returncode == 1, checked.stderr
    assert len(checked.stdout.splitlines()) == 1, checked.stdout
    assert checked.stdout.startswith("views.py:5:11: unofficial-code 420 is unofficial (Twitter and others): use 429")
    assert "2 files checked, 1 problem" in checked.stderr
