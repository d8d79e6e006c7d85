"""A project's Python environment, and which version of a package is installed in it.

Only the file system is read (``.dist-info`` folders in ``site-packages``): the environment's
interpreter is never run, so a project's environment can be looked at from any server process, and
nothing in it executes.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from http_status_ls.kb.libraries import Version, parse_version

ENVIRONMENT_FOLDERS: tuple[str, ...] = (".venv", "venv", "env")
"""Where a project's virtual environment usually is, in the order they are looked for."""


def site_packages(environment: Path) -> list[Path]:
    """The ``site-packages`` folders of an environment (POSIX ``lib/python3.X``, Windows ``Lib``)."""
    found = [path for path in environment.glob("lib*/*/site-packages") if path.is_dir()]
    windows = environment / "Lib" / "site-packages"
    if windows.is_dir() and windows not in found:
        found.append(windows)
    return sorted(found)


def _dist_info_version(folder: Path, distribution: str) -> Version | None:
    """``starlette-0.47.3.dist-info`` -> (0, 47, 3); its METADATA when the folder name says less."""
    stem = folder.name[: -len(".dist-info")]
    name, _, written = stem.partition("-")
    if name.lower().replace("-", "_") != distribution:
        return None
    version = parse_version(re.split(r"[^0-9.]", written, maxsplit=1)[0].strip("."))
    if version is not None:
        return version
    try:
        metadata = (folder / "METADATA").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    match = re.search(r"^Version:\s*([0-9]+(?:\.[0-9]+)*)", metadata, re.MULTILINE)
    return parse_version(match[1]) if match else None


def installed_version(folders: Iterable[Path], distribution: str) -> Version | None:
    """The version of ``distribution`` installed in any of the ``site-packages`` folders; the lowest
    when several are (a stale ``.dist-info``, two Pythons in one environment): the name must exist
    whichever one runs."""
    versions = []
    for folder in folders:
        try:
            candidates = list(folder.glob(f"{distribution}-*.dist-info"))
        except OSError:
            continue
        versions += [v for candidate in candidates if (v := _dist_info_version(candidate, distribution)) is not None]
    return min(versions) if versions else None


def environment_of(setting: str, root: Path | None) -> Path:
    """The environment the ``pythonEnvironment`` setting names: the environment's folder, or its
    interpreter (``.venv/bin/python``, ``.venv\\Scripts\\python.exe``); relative to ``root``."""
    path = Path(os.path.expanduser(setting))
    if not path.is_absolute() and root is not None:
        path = root / path
    if path.is_file() and path.parent.name in ("bin", "Scripts"):
        return path.parent.parent
    return path


def project_environment(start: Path, stop: Path | None) -> Path | None:
    """The first ``.venv``, ``venv`` or ``env`` (a folder with a ``pyvenv.cfg``) in ``start`` or a
    folder above it, up to ``stop`` when ``start`` is inside it (else only ``start``): an environment
    above the workspace belongs to something else."""
    folders = [start]
    if stop is not None and stop in start.parents:
        folders += [parent for parent in start.parents if parent == stop or stop in parent.parents]
    for directory in folders:
        for name in ENVIRONMENT_FOLDERS:
            if (directory / name / "pyvenv.cfg").is_file():
                return directory / name
    return None


def running_environments() -> tuple[Path, ...]:
    """The environments the server was started in: the activated one (``VIRTUAL_ENV``), then its
    own interpreter's, which is the project's when the editor runs the server with the project's
    interpreter, or when CI installs both into one environment."""
    found = []
    if active := os.environ.get("VIRTUAL_ENV"):
        found.append(Path(active))
    found.append(Path(sys.prefix))
    return tuple(dict.fromkeys(found))


def packages_of(environment: Path) -> list[Path]:
    """The ``site-packages`` of an environment; for the running interpreter's own, where it says it
    keeps them (a system Python's may be ``dist-packages``)."""
    if environment != Path(sys.prefix):
        return site_packages(environment)
    import sysconfig  # only needed when the project shows no environment of its own

    return [Path(sysconfig.get_paths()["purelib"])]


def stamp(folder: Path) -> int | None:
    """When a folder last changed (a package installed or removed in ``site-packages``)."""
    try:
        return os.stat(folder).st_mtime_ns
    except OSError:
        return None
