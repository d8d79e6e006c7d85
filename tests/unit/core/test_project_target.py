"""The project's target: requires-python read to its lowest Python, the installed starlette found in
the project's environment, the settings that override both, and the cache that forgets on request."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from http_status_ls.core import settings as settings_module
from http_status_ls.core.environments import installed_version, site_packages
from http_status_ls.core.project_target import UNKNOWN, ProjectTarget, ProjectTargets
from http_status_ls.core.requirements import (
    declared_dependency,
    declared_python,
    find_declared,
    lower_bound,
    lowest_poetry_python,
    lowest_python,
    python_setting,
)
from http_status_ls.kb import registry

# --- requires-python -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "specifier, lowest",
    [
        (">=3.10", (3, 10)),
        (">=3.9,<4", (3, 9)),
        (">= 3.8 , < 4", (3, 8)),
        ("~=3.11", (3, 11)),
        ("~=3.11.2", (3, 11)),
        ("==3.12.*", (3, 12)),
        ("==3.12", (3, 12)),
        ("===3.11.2", (3, 11)),
        (">=3.9,!=3.9.*", (3, 10)),
        (">=3.10.2,!=3.10.*", (3, 11)),
        (">3.10", (3, 10)),  # 3.10.1 is greater than 3.10
        ("<4,>=3.13", (3, 13)),
        ("!=3.0.*,!=3.1.*,>=2.7", (3, 2)),
    ],
)
def test_lowest_python_of_a_specifier(specifier, lowest):
    assert lowest_python(specifier) == lowest


@pytest.mark.parametrize(
    "specifier",
    ["", "3.10", "python>=3.10", ">=3.10.*", ">=3.x", ">=3.10;", ">=3.10,", "<3", ">=4", ">=3.11,<3.11", "~=3"],
)
def test_a_specifier_that_cannot_be_read_or_allows_no_python_3_is_unknown(specifier):
    assert lowest_python(specifier) is None


@pytest.mark.parametrize(
    "constraint, lowest",
    [
        ("^3.10", (3, 10)),
        ("~3.11", (3, 11)),
        (">=3.8,<4.0", (3, 8)),
        (">= 3.9 < 4", (3, 9)),
        ("3.12", (3, 12)),
        ("^3.8 || ^3.10", (3, 8)),
        ("*", None),
        (">=3.8 || junk", None),
    ],
)
def test_lowest_python_of_a_poetry_constraint(constraint, lowest):
    assert lowest_poetry_python(constraint) == lowest


@pytest.mark.parametrize("text, version", [("3.12", (3, 12)), (" 3.10 ", (3, 10)), ("3.12.4", (3, 12))])
def test_python_version_setting(text, version):
    assert python_setting(text) == version


@pytest.mark.parametrize("text", ["3", "2.7", "three", "3.12.1.1", "", "3.x"])
def test_python_version_setting_that_is_not_one(text):
    assert python_setting(text) is None


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_what_a_pyproject_says_about_python(tmp_path: Path):
    pep621 = _write(tmp_path / "a" / "pyproject.toml", '[project]\nname = "a"\nrequires-python = ">=3.11"\n')
    assert declared_python(pep621) == ((3, 11), f"{pep621} requires-python '>=3.11'")
    poetry = _write(tmp_path / "b" / "pyproject.toml", '[tool.poetry.dependencies]\npython = "^3.12"\n')
    assert declared_python(poetry) == ((3, 12), f"{poetry} tool.poetry python '^3.12'")
    unreadable = _write(tmp_path / "c" / "pyproject.toml", '[project]\nrequires-python = "3.10+"\n')
    assert declared_python(unreadable) == (None, f"{unreadable} requires-python '3.10+'")
    tools_only = _write(tmp_path / "d" / "pyproject.toml", "[tool.ruff]\nline-length = 100\n")
    assert declared_python(tools_only) is None
    broken = _write(tmp_path / "e" / "pyproject.toml", "[project\n")
    assert declared_python(broken) is None


def test_the_nearest_pyproject_that_says_decides(tmp_path: Path):
    _write(tmp_path / "pyproject.toml", '[project]\nrequires-python = ">=3.9"\n')
    _write(tmp_path / "packages" / "api" / "pyproject.toml", '[project]\nrequires-python = ">=3.13"\n')
    _write(tmp_path / "tools" / "pyproject.toml", "[tool.ruff]\n")  # says nothing: passed over
    (tmp_path / "packages" / "api" / "src").mkdir()
    assert find_declared(tmp_path / "packages" / "api" / "src", declared_python)[0] == (3, 13)
    assert find_declared(tmp_path / "tools", declared_python)[0] == (3, 9)
    assert find_declared(tmp_path, declared_python)[2] == tmp_path


# --- the starlette a project requires --------------------------------------------------------------


@pytest.mark.parametrize(
    "specifier, floor",
    [
        (">=0.48", (0, 48)),
        (">=0.40,<1", (0, 40)),
        ("~=0.48.0", (0, 48, 0)),
        ("==0.47.3", (0, 47, 3)),
        (">0.47", (0, 47)),
        ("<1", None),
        ("", None),
    ],
)
def test_lower_bound(specifier, floor):
    assert lower_bound(specifier) == floor


@pytest.mark.parametrize(
    "dependencies, floor",
    [
        ('["starlette>=0.48,<1"]', (0, 48)),
        ("[\"Starlette[full] >= 0.48.0 ; python_version >= '3.9'\"]", (0, 48, 0)),
        ('["starlette (>=0.40)"]', (0, 40)),
        ("[\"starlette>=0.40; python_version<'3.10'\", \"starlette>=0.48; python_version>='3.10'\"]", (0, 40)),
        ('["starlette"]', None),
        ('["starlette @ https://example.org/starlette.whl"]', None),
    ],
)
def test_the_starlette_a_project_requires(tmp_path: Path, dependencies: str, floor):
    pyproject = _write(tmp_path / "pyproject.toml", f'[project]\nname = "x"\ndependencies = {dependencies}\n')
    assert declared_dependency(pyproject, "starlette") == (floor, f"{pyproject} dependencies")


def test_the_starlette_a_poetry_project_requires(tmp_path: Path):
    plain = _write(tmp_path / "a" / "pyproject.toml", '[tool.poetry.dependencies]\nstarlette = "^0.48"\n')
    assert declared_dependency(plain, "starlette") == ((0, 48), f"{plain} dependencies")
    table = _write(
        tmp_path / "b" / "pyproject.toml", '[tool.poetry.dependencies]\nstarlette = {version = "~0.47", extras = ["full"]}\n'
    )
    assert declared_dependency(table, "starlette") == ((0, 47), f"{table} dependencies")


def test_a_project_that_does_not_require_starlette_says_nothing(tmp_path: Path):
    pyproject = _write(
        tmp_path / "pyproject.toml", '[project]\nname = "x"\ndependencies = ["fastapi>=0.115", "starlette-admin>=0.1"]\n'
    )
    assert declared_dependency(pyproject, "starlette") is None


# --- the environment ----------------------------------------------------------------------------


def _environment(place: Path, *installed: str, windows: bool = False) -> Path:
    """A virtual environment with fake ``.dist-info`` folders (``"starlette-0.47.3"``)."""
    (place / "pyvenv.cfg").parent.mkdir(parents=True, exist_ok=True)
    (place / "pyvenv.cfg").write_text("home = /usr/bin\nversion = 3.12.4\n", encoding="utf-8")
    packages = place / "Lib" / "site-packages" if windows else place / "lib" / "python3.12" / "site-packages"
    packages.mkdir(parents=True, exist_ok=True)
    for name in installed:
        (packages / f"{name}.dist-info").mkdir()
    return packages


def test_site_packages_on_posix_and_windows(tmp_path: Path):
    posix = _environment(tmp_path / "posix")
    windows = _environment(tmp_path / "windows", windows=True)
    assert site_packages(tmp_path / "posix") == [posix]
    assert site_packages(tmp_path / "windows") == [windows]
    assert site_packages(tmp_path / "nothing") == []


def test_installed_version_from_the_dist_info(tmp_path: Path):
    packages = _environment(tmp_path / "env", "starlette-0.47.3", "starlette_admin-0.15.1", "fastapi-0.115.0")
    assert installed_version([packages], "starlette") == (0, 47, 3)
    assert installed_version([packages], "fastapi") == (0, 115, 0)
    assert installed_version([packages], "httpx") is None
    # A stale second one: the name must exist whichever is imported, so the lowest counts.
    (packages / "starlette-0.48.0.dist-info").mkdir()
    assert installed_version([packages], "starlette") == (0, 47, 3)


def test_installed_version_from_metadata_when_the_folder_says_less(tmp_path: Path):
    packages = _environment(tmp_path / "env")
    _write(packages / "starlette-dev.dist-info" / "METADATA", "Metadata-Version: 2.1\nName: starlette\nVersion: 0.48.0\n")
    assert installed_version([packages], "starlette") == (0, 48, 0)


def targets() -> ProjectTargets:
    """A cache that looks only in the project: the server's own environment stays out of tests."""
    return ProjectTargets(fallback_environments=None)


def test_starlette_in_the_project_environment(tmp_path: Path):
    _environment(tmp_path / ".venv", "starlette-0.47.3")
    app = _write(tmp_path / "app" / "main.py", "")
    target = targets().resolve(app, root=tmp_path)
    assert target.starlette == (0, 47, 3) and target.starlette_from == str(tmp_path / ".venv")


@pytest.mark.parametrize("folder", ["venv", "env"])
def test_other_usual_environment_folders(tmp_path: Path, folder: str):
    _environment(tmp_path / folder, "starlette-0.48.0", windows=folder == "env")
    assert targets().resolve(tmp_path / "main.py", root=tmp_path).starlette == (0, 48, 0)


def test_an_environment_above_the_workspace_folder_is_not_the_project_s(tmp_path: Path):
    _environment(tmp_path / ".venv", "starlette-0.48.0")
    project = tmp_path / "project"
    project.mkdir()
    assert targets().resolve(project / "main.py", root=project).starlette is None


def test_the_environment_setting_wins(tmp_path: Path):
    _environment(tmp_path / ".venv", "starlette-0.47.3")
    _environment(tmp_path / "envs" / "prod", "starlette-0.48.0")
    main = tmp_path / "main.py"
    assert targets().resolve(main, root=tmp_path, environment="envs/prod").starlette == (0, 48, 0)
    # ... also when it names the interpreter, and absolute.
    python = _write(tmp_path / "envs" / "prod" / "bin" / "python", "")
    assert targets().resolve(main, root=tmp_path, environment=str(python)).starlette == (0, 48, 0)
    # An environment without starlette: unknown, not the .venv's.
    _environment(tmp_path / "envs" / "bare")
    assert targets().resolve(main, root=tmp_path, environment="envs/bare").starlette is None


def test_the_server_s_environment_only_when_the_project_shows_none(tmp_path: Path):
    server = tmp_path / "server-env"
    _environment(server, "starlette-0.48.0")
    project = tmp_path / "project"
    project.mkdir()
    fallback = ProjectTargets(fallback_environments=lambda: [server])
    target = fallback.resolve(project / "main.py", root=project)
    assert target.starlette == (0, 48, 0) and str(server) in target.starlette_from
    # The project's own environment has no starlette: it does not use it; the server's says nothing.
    _environment(project / ".venv")
    fallback.invalidate()
    assert fallback.resolve(project / "main.py", root=project).starlette is None


def test_the_declared_floor_when_the_environment_does_not_say(tmp_path: Path):
    _write(tmp_path / "pyproject.toml", '[project]\nname = "x"\ndependencies = ["starlette>=0.48"]\n')
    server = tmp_path / "server-env"
    _environment(server, "starlette-0.47.3")
    cache = ProjectTargets(fallback_environments=lambda: [server])
    target = cache.resolve(tmp_path / "app.py", root=tmp_path)
    assert target.starlette == (0, 48) and target.starlette_from == f"{tmp_path / 'pyproject.toml'} dependencies"
    # What is installed in the project's own environment comes first.
    _environment(tmp_path / ".venv", "starlette-0.49.1")
    cache.invalidate()
    assert cache.resolve(tmp_path / "app.py", root=tmp_path).starlette == (0, 49, 1)


def test_an_upgrade_in_the_environment_is_noticed(tmp_path: Path):
    packages = _environment(tmp_path / ".venv", "starlette-0.47.3")
    cache = targets()
    assert cache.resolve(tmp_path / "main.py", root=tmp_path).starlette == (0, 47, 3)
    (packages / "starlette-0.47.3.dist-info").rename(packages / "starlette-0.48.0.dist-info")
    stamp = os.stat(packages).st_mtime_ns + 1_000_000_000
    os.utime(packages, ns=(stamp, stamp))  # a coarse file system may not have moved the time
    assert cache.resolve(tmp_path / "main.py", root=tmp_path).starlette == (0, 48, 0)


# --- the target of a document ---------------------------------------------------------------------


def test_python_from_requires_python_and_the_setting_that_wins(tmp_path: Path):
    _write(tmp_path / "pyproject.toml", '[project]\nname = "x"\nrequires-python = ">=3.10"\n')
    main = tmp_path / "src" / "main.py"
    target = targets().resolve(main, root=tmp_path)
    assert target.python == (3, 10) and "requires-python '>=3.10'" in target.python_from
    overridden = targets().resolve(main, root=tmp_path, python_version="3.13")
    assert overridden.python == (3, 13) and overridden.python_from == "pythonVersion setting"


def test_nothing_known_without_pyproject_nor_environment(tmp_path: Path):
    assert targets().resolve(tmp_path / "main.py", root=tmp_path) == UNKNOWN
    assert targets().resolve(None, root=None) == UNKNOWN


def test_cached_until_invalidated(tmp_path: Path):
    pyproject = _write(tmp_path / "pyproject.toml", '[project]\nrequires-python = ">=3.10"\n')
    cache = targets()
    assert cache.resolve(tmp_path / "main.py", root=tmp_path).python == (3, 10)
    pyproject.write_text('[project]\nrequires-python = ">=3.13"\n', encoding="utf-8")
    assert cache.resolve(tmp_path / "main.py", root=tmp_path).python == (3, 10)  # not read again
    cache.invalidate()  # what the session calls when a pyproject.toml changes
    assert cache.resolve(tmp_path / "main.py", root=tmp_path).python == (3, 13)


# --- what a target has ----------------------------------------------------------------------------


def _ref(library: str, name: str):
    ref = registry.load().resolve(library, name)
    assert ref is not None
    return ref


@pytest.mark.parametrize(
    "target, has_new",
    [
        (UNKNOWN, False),
        (ProjectTarget(python=(3, 10)), False),
        (ProjectTarget(python=(3, 12)), False),
        (ProjectTarget(python=(3, 13)), True),
        (ProjectTarget(python=(3, 14)), True),
    ],
)
def test_python_names_by_target(target: ProjectTarget, has_new: bool):
    for library in ("http.HTTPStatus", "http.client"):
        for new in ("UNPROCESSABLE_CONTENT", "CONTENT_TOO_LARGE", "URI_TOO_LONG", "RANGE_NOT_SATISFIABLE"):
            assert target.has(_ref(library, new)) is has_new, (library, new)
        assert target.has(_ref(library, "UNPROCESSABLE_ENTITY")) and target.has(_ref(library, "NOT_FOUND"))
        assert not target.deprecates(_ref(library, "UNPROCESSABLE_ENTITY"))  # an alias, never deprecated


def test_names_older_pythons_lack():
    assert not ProjectTarget(python=(3, 8)).has(_ref("http.HTTPStatus", "EARLY_HINTS"))
    assert ProjectTarget(python=(3, 9)).has(_ref("http.HTTPStatus", "EARLY_HINTS"))
    assert not ProjectTarget(python=(3, 7)).has(_ref("http.HTTPStatus", "UNAVAILABLE_FOR_LEGAL_REASONS"))
    assert UNKNOWN.has(_ref("http.HTTPStatus", "TOO_EARLY"))  # 3.9: the oldest maintained Python has it


@pytest.mark.parametrize(
    "starlette, has_new, old_deprecated",
    [(None, False, False), ((0, 47, 3), False, False), ((0, 48, 0), True, True), ((1, 10, 0), True, True)],
)
def test_starlette_names_by_target(starlette, has_new: bool, old_deprecated: bool):
    target = ProjectTarget(starlette=starlette)
    for library in ("starlette.status", "fastapi.status"):
        assert target.has(_ref(library, "HTTP_422_UNPROCESSABLE_CONTENT")) is has_new
        old = _ref(library, "HTTP_422_UNPROCESSABLE_ENTITY")
        assert target.has(old) and target.deprecates(old) is old_deprecated
    # DRF never renamed: its old name is its only one, whatever starlette is installed.
    assert not target.deprecates(_ref("rest_framework.status", "HTTP_422_UNPROCESSABLE_ENTITY"))


def test_describe_for_the_log():
    assert UNKNOWN.describe() == "Python unknown, starlette unknown"
    target = ProjectTarget(python=(3, 10), python_from="pyproject.toml", starlette=(0, 47, 3), starlette_from=".venv")
    assert target.describe() == "Python 3.10 (pyproject.toml), starlette 0.47.3 (.venv)"


# --- the settings ---------------------------------------------------------------------------------


def test_settings_python_version_and_environment():
    settings, messages = settings_module.parse({"pythonVersion": "3.12", "python-environment": ".venv"})
    assert (settings.python_version, settings.python_environment, messages) == ("3.12", ".venv", [])


@pytest.mark.parametrize(
    "value, message",
    [
        (3.10, 'httpStatus.pythonVersion: 3.1 is a number: write the version as a string, such as "3.10"; using the default'),
        ("2.7", "httpStatus.pythonVersion: '2.7' is not a Python 3 version such as \"3.12\"; using the default"),
    ],
)
def test_a_bad_python_version_setting_is_reported(value, message):
    settings, messages = settings_module.parse({"pythonVersion": value})
    assert settings.python_version is None and messages == [message]


def test_a_bad_python_environment_setting_is_reported():
    settings, messages = settings_module.parse({"pythonEnvironment": ["a"]})
    assert settings.python_environment is None
    assert messages == ["httpStatus.pythonEnvironment: ['a'] is not a path; using the default"]
