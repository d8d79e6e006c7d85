"""The README's pre-commit example, run by the real pre-commit on a throw-away repository.

The hook source is this working tree's sdist (which carries .pre-commit-hooks.yaml and everything
the build needs) unpacked into a git repository of its own and tagged with the `rev:` the
documentation gives. So the test covers the hook definition and the packaging as they are now,
committed or not, without copying caches or editor downloads, and never touches the real
repository. pre-commit then does what it does for a user: clones the source at that tag, builds a
virtual environment and installs the package into it (build backend and dependencies come from
the package index); that takes about half a minute.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from tests.support.paths import REPO

pytest.importorskip("pre_commit", reason="pre-commit is part of the test extra: pip install -e '.[test]'")

YAML_BLOCK = re.compile(r"^```ya?ml\n(.*?)^```", re.S | re.M)


def documented_config() -> str:
    """The first pre-commit configuration the user documentation gives for this hook from its
    repository (a block with a `rev:`; a `repo: local` variant has none)."""
    for page in [REPO / "README.md", *sorted((REPO / "docs").glob("**/*.md"))]:
        for block in YAML_BLOCK.findall(page.read_text(encoding="utf-8")) if page.is_file() else ():
            if re.search(r"^\s*- id: http-status-ls\s*$", block, re.M) and re.search(r"^\s*rev:", block, re.M):
                return block
    raise AssertionError("no ```yaml block with `rev:` and `- id: http-status-ls` in README.md or docs/")


def hermetic_env(tmp_path: Path) -> dict[str, str]:
    """No user or system git configuration, pre-commit's cache in the test's own folder."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV") and not k.startswith("GIT_")}
    env.update(
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="test",
        GIT_AUTHOR_EMAIL="test@example.invalid",
        GIT_COMMITTER_NAME="test",
        GIT_COMMITTER_EMAIL="test@example.invalid",
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
    )
    return env


def git(cwd: Path, env: dict[str, str], *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def hook_source(path: Path, rev: str, env: dict[str, str]) -> Path:
    """This working tree's sdist, unpacked as a new repository tagged `rev`."""
    dist = path.with_name("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--no-isolation", "--outdir", str(dist), str(REPO)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (sdist,) = dist.glob("http_status_ls-*.tar.gz")
    with tarfile.open(sdist) as archive:
        # Our own archive, but the "data" filter (Python 3.12, back-ported to 3.10.12 and 3.11.4)
        # keeps newer Pythons from warning about unfiltered extraction.
        archive.extractall(dist, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    (dist / sdist.name.removesuffix(".tar.gz")).rename(path)
    assert (path / ".pre-commit-hooks.yaml").is_file()
    git(path, env, "init", "--quiet")
    git(path, env, "add", "--all")
    git(path, env, "commit", "--quiet", "--message", "hook source")
    git(path, env, "tag", rev)
    return path


def pre_commit(project: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_the_documented_hook_fails_on_a_problem_and_passes_once_fixed(tmp_path):
    env = hermetic_env(tmp_path)
    config = documented_config()
    rev = re.search(r"^\s*rev:\s*(\S+)", config, re.M)
    assert rev, config
    source = hook_source(tmp_path / "http-status-ls", rev[1], env)
    # The documented `repo:` is the public address; here it is the local copy.
    local_config, replaced = re.subn(r"^(\s*-\s*repo:\s*)\S.*$", lambda m: m[1] + str(source), config, count=1, flags=re.M)
    assert replaced == 1, config

    project = tmp_path / "project"
    project.mkdir()
    git(project, env, "init", "--quiet")
    (project / ".pre-commit-config.yaml").write_text(local_config)
    (project / "views.py").write_text("from flask import abort\n\n\ndef slow_down():\n    abort(420)\n")
    (project / "health.yaml").write_text("expected_status: 200\n")
    git(project, env, "add", "--all")

    failed = pre_commit(project, env)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "views.py:5:11: unofficial-code 420 is unofficial (Twitter and others): use 429" in failed.stdout, failed.stdout

    (project / "views.py").write_text("from flask import abort\n\n\ndef slow_down():\n    abort(429)\n")
    git(project, env, "add", "--all")
    passed = pre_commit(project, env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert re.search(r"^http-status-ls\.+Passed$", passed.stdout, re.M), passed.stdout
