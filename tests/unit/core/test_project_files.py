"""The project walk: languages by extension, .gitignore semantics, tool directories and venvs skipped."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from http_status_ls.core.project_files import IgnoreFile, ProjectFile, walk


def tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def walked(*paths: Path | str, **options) -> list[str]:
    return [f.path.replace(os.sep, "/") for f in walk([str(p) for p in paths], **options)]


def relative(root: Path, **options) -> list[str]:
    return sorted(Path(f.path).relative_to(root).as_posix() for f in walk([str(root)], **options))


# --- gitignore patterns -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "path", "is_dir", "decision"),
    [
        ("*.log", "a.log", False, True),
        ("*.log", "deep/down/a.log", False, True),  # no slash: any depth
        ("*.log", "a.logx", False, None),
        ("build/", "build", True, True),
        ("build/", "build", False, None),  # directory-only
        ("build/", "src/build", True, True),
        ("/build", "build", True, True),
        ("/build", "src/build", True, None),  # anchored
        ("doc/frotz", "doc/frotz", True, True),
        ("doc/frotz", "a/doc/frotz", True, None),  # a middle slash anchors too
        ("**/foo", "foo", True, True),
        ("**/foo", "x/y/foo", False, True),
        ("**/foo/bar", "x/foo/bar", False, True),
        ("abc/**", "abc/x/y", False, True),
        ("abc/**", "abc", True, None),
        ("a/**/b", "a/b", False, True),
        ("a/**/b", "a/x/y/b", False, True),
        ("a/**/b", "a/xb", False, None),
        ("gen_?.py", "gen_1.py", False, True),
        ("gen_?.py", "gen_12.py", False, None),
        ("*.py[co]", "x.pyc", False, True),
        ("*.py[!co]", "x.pyd", False, True),
        ("*.py[!co]", "x.pyc", False, None),
        ("\\#notes", "#notes", False, True),
        ("\\!important", "!important", False, True),
        ("trailing   ", "trailing", False, True),
        ("a*b", "axxb", False, True),
        ("a*b", "ax/b", False, None),
    ],
)
def test_pattern(pattern, path, is_dir, decision):
    assert IgnoreFile(pattern + "\n").decision(path, is_dir) is decision


def test_last_match_wins_and_negation():
    ignore = IgnoreFile("*.json\n!keep.json\n# a comment\n\nlogs/\n")
    assert ignore.decision("a.json", False) is True
    assert ignore.decision("keep.json", False) is False
    assert ignore.decision("sub/keep.json", False) is False
    assert ignore.decision("logs", True) is True
    assert ignore.decision("app.py", False) is None
    assert IgnoreFile("!keep.json\n*.json\n").decision("keep.json", False) is True


def test_malformed_patterns_are_harmless():
    ignore = IgnoreFile("[unclosed\n!\n/\n\\\n**\n")
    assert ignore.decision("[unclosed", False) is True  # an unclosed [ is a literal
    assert ignore.decision("anything", False) is True  # `**` alone ignores everything


# --- the walk -----------------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tree(
        tmp_path,
        {
            ".git/HEAD": "ref: refs/heads/main\n",
            ".git/hooks/x.py": "",
            ".git/info/exclude": "secret.yaml\n",
            ".gitignore": "build/\n*_pb2.py\n/logs/*\n!/logs/keep.json\ndocs/**/generated.yaml\n",
            "app.py": "abort(404)\n",
            "stubs.pyi": "",
            "api.yaml": "",
            "alt.yml": "",
            "spec.json": "{}",
            "tsconfig.jsonc": "{}",
            "README.md": "",
            "setup.cfg": "",
            "secret.yaml": "",
            "build/out.py": "",
            "src/pkg/gen_pb2.py": "",
            "src/pkg/models.py": "",
            "src/pkg/.gitignore": "!gen_pb2.py\nlocal.json\n",
            "src/pkg/local.json": "{}",
            "logs/a.json": "{}",
            "logs/keep.json": "{}",
            "docs/api/v1/generated.yaml": "",
            "docs/api/v1/written.yaml": "",
            "node_modules/lib/package.json": "{}",
            "web/node_modules/x/index.json": "{}",
            "__pycache__/app.py": "",
            ".tox/py311/x.py": "",
            ".mypy_cache/x.json": "{}",
            ".venv/pyvenv.cfg": "home = /usr/bin\n",
            ".venv/lib/site.py": "",
            "env2/pyvenv.cfg": "",
            "env2/lib/thing.py": "",
        },
    )


def test_walk_respects_gitignore_and_skips_tool_directories(project):
    assert relative(project) == [
        "alt.yml",
        "api.yaml",
        "app.py",
        "docs/api/v1/written.yaml",
        "logs/keep.json",
        "spec.json",
        "src/pkg/gen_pb2.py",  # re-included by the nested .gitignore
        "src/pkg/models.py",
        "stubs.pyi",
        "tsconfig.jsonc",
    ]


def test_languages_and_sizes(project):
    files = {Path(f.path).name: f for f in walk([str(project)])}
    assert files["app.py"].language == "python" and files["stubs.pyi"].language == "python"
    assert files["api.yaml"].language == "yaml" and files["alt.yml"].language == "yaml"
    assert files["spec.json"].language == "json" and files["tsconfig.jsonc"].language == "json"
    assert files["app.py"].size == len("abort(404)\n")
    assert not files["app.py"].explicit


def test_order_is_sorted_and_depth_first(project):
    paths = [Path(f.path).relative_to(project).as_posix() for f in walk([str(project)])]
    assert paths == sorted(paths, key=lambda p: p.split("/"))


def test_without_gitignore(project):
    found = relative(project, respect_gitignore=False)
    assert "build/out.py" in found and "secret.yaml" in found and "logs/a.json" in found
    # Tool directories and virtual environments stay skipped.
    assert not any(p.startswith((".git/", "node_modules/", ".venv/", "env2/", "__pycache__/", ".tox/")) for p in found)


def test_walking_a_subdirectory_uses_the_ignore_files_above_it(project):
    found = relative(project / "src")
    assert found == ["pkg/gen_pb2.py", "pkg/models.py"]
    assert relative(project / "logs") == ["keep.json"]  # `/logs/*` comes from the root .gitignore


def test_relative_paths_keep_their_spelling(project, monkeypatch):
    monkeypatch.chdir(project)
    assert walked("logs") == ["logs/keep.json"]
    assert walked(".")[:3] == ["./alt.yml", "./api.yaml", "./app.py"]
    monkeypatch.chdir(project / "src")
    assert walked("..")[:2] == ["../alt.yml", "../api.yaml"]
    assert "../build/out.py" not in walked("..")


def test_explicit_files_are_always_yielded(project):
    files = list(walk([str(project / "build" / "out.py"), str(project / "secret.yaml"), str(project / "README.md")]))
    assert [(Path(f.path).name, f.explicit) for f in files] == [("out.py", True), ("secret.yaml", True)]


def test_an_explicitly_named_venv_is_walked(project):
    assert relative(project / "env2") == ["lib/thing.py"]


def test_each_file_once(project):
    paths = walked(project / "app.py", project, project / "app.py")
    assert len(paths) == len(set(paths))
    assert paths[0].endswith("app.py")


def test_missing_paths_reported_and_walk_goes_on(project):
    errors: list[tuple[str, str]] = []
    found = walked(project / "nope", project / "app.py", on_error=lambda p, e: errors.append((Path(p).name, type(e).__name__)))
    assert errors == [("nope", "FileNotFoundError")]
    assert [Path(p).name for p in found] == ["app.py"]


def test_outside_a_repository_only_own_gitignores(tmp_path):
    tree(tmp_path, {".gitignore": "*.json\n", "sub/a.json": "{}", "sub/b.py": ""})
    # No .git anywhere: walking `sub` does not read its parent's .gitignore (git would not either).
    assert relative(tmp_path / "sub") == ["a.json", "b.py"]
    assert relative(tmp_path) == ["sub/b.py"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links on this platform")
def test_symlinked_directories_are_not_followed(tmp_path):
    tree(tmp_path, {"real/a.py": ""})
    os.symlink(tmp_path / "real", tmp_path / "loop", target_is_directory=True)
    os.symlink(tmp_path, tmp_path / "real" / "up", target_is_directory=True)
    assert relative(tmp_path) == ["real/a.py"]


def test_project_file_is_small_and_plain():
    file = ProjectFile("a.py", "python", 3)
    assert (file.path, file.language, file.size, file.explicit) == ("a.py", "python", 3, False)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_agrees_with_git(project):
    """The same files as `git ls-files --others --exclude-standard`, minus what we skip on purpose."""
    # Make the fixture's skeleton .git a real repository; `git init` keeps its info/exclude.
    subprocess.run(["git", "init", "-q", "."], cwd=project, capture_output=True, check=False)
    listed = subprocess.run(
        ["git", "-c", "core.excludesFile=", "ls-files", "--others", "--exclude-standard"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    if listed.returncode != 0:
        pytest.skip(f"git cannot read the fixture repository: {listed.stderr.strip()}")
    ours = set(relative(project))
    by_git = {
        p
        for p in listed.stdout.splitlines()
        if p.endswith((".py", ".pyi", ".yaml", ".yml", ".json", ".jsonc"))
        and not p.startswith(("node_modules/", "web/node_modules/", ".venv/", "env2/", "__pycache__/", ".tox/", ".mypy_cache/"))
    }
    assert ours == by_git


# --- files that are not regular files, and pacing -----------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_at_once_never_waited_on(tmp_path):
    from http_status_ls.core.project_files import read_regular_file

    os.mkfifo(tmp_path / ".gitignore")
    os.mkfifo(tmp_path / "pipe.py")
    (tmp_path / "app.py").write_text("x = 1\n")
    with pytest.raises(OSError, match="not a regular file"):
        read_regular_file(str(tmp_path / "pipe.py"))
    assert IgnoreFile.read(str(tmp_path / ".gitignore")) is None
    errors: list[tuple[str, str]] = []
    found = [
        f.path for f in walk([str(tmp_path), str(tmp_path / "pipe.py")], on_error=lambda p, e: errors.append((p, e.strerror)))
    ]
    assert found == [str(tmp_path / "app.py")]
    assert errors == [(str(tmp_path / "pipe.py"), "not a regular file")]


def test_the_paced_walk_yields_between_many_entries_without_files(tmp_path):
    from http_status_ls.core.project_files import PACE_ENTRIES, walk_paced

    for number in range(PACE_ENTRIES * 4):
        (tmp_path / f"n{number:05d}.txt").touch()
    (tmp_path / "z.py").write_text("x = 1\n")
    items = list(walk_paced([str(tmp_path)]))
    assert [item.path for item in items if item is not None] == [str(tmp_path / "z.py")]
    assert items.count(None) >= 3
