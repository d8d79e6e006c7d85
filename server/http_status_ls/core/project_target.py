"""The project's target: the versions its code must run on, which decide the names we may write.

A name only later versions have (``HTTPStatus.UNPROCESSABLE_CONTENT`` since Python 3.13, starlette's
``HTTP_422_UNPROCESSABLE_CONTENT`` since 0.48) breaks with ``AttributeError`` on the versions before.
Completion and code actions offer a name only when the target has it, and a renamed constant's old
spelling counts as deprecated only where its replacement exists (:meth:`ProjectTarget.deprecates`).

How the target is found (docs/settings.md says the same for users):

- Python: the ``pythonVersion`` setting when given; else the lowest Python that ``requires-python``
  allows in the nearest ``pyproject.toml`` that says (``[project]``, or Poetry's
  ``[tool.poetry.dependencies] python``), from the document's folder upward; else unknown, which
  counts as the oldest maintained Python (``kb.libraries.OLDEST_PYTHON``).
- starlette (whose ``status`` module ``fastapi.status`` is): the version installed in the project's
  environment, which is the one the ``pythonEnvironment`` setting names, else the first ``.venv``,
  ``venv`` or ``env`` from the document's folder up to the workspace folder. When that has no
  starlette, or the project shows no environment: the lowest starlette its ``pyproject.toml``
  dependencies allow. When those do not say either, and only when the project shows no environment
  of its own: the one installed where the server runs (``VIRTUAL_ENV``, then its own interpreter's
  packages). Else unknown, which allows only the names every starlette has.

:class:`ProjectTargets` keeps what it found per folder until :meth:`ProjectTargets.invalidate` (a
``pyproject.toml`` changed) or, for an installed starlette, until the environment's packages change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from http_status_ls.core import environments, requirements
from http_status_ls.core.requirements import python_setting
from http_status_ls.kb import libraries, registry
from http_status_ls.kb.libraries import Version, show_version
from http_status_ls.kb.registry import NameRef

__all__ = ["UNKNOWN", "ProjectTarget", "ProjectTargets", "python_setting"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ProjectTarget:
    """The versions a project's code must run on; None where nothing says (then the assumption of
    the library's ``Versioning`` holds: the oldest maintained Python, any starlette)."""

    python: Version | None = None
    """The oldest Python the project supports, as (major, minor)."""
    starlette: Version | None = None
    """The starlette the project runs with: installed in its environment, else its declared floor."""
    python_from: str = ""
    """Where :attr:`python` came from, for the log (``pythonVersion setting``, a ``pyproject.toml``)."""
    starlette_from: str = ""

    def version(self, distribution: str) -> Version | None:
        return {"python": self.python, "starlette": self.starlette}.get(distribution)

    def has(self, ref: NameRef) -> bool:
        """Whether the name exists on every version the project may run on."""
        if ref.since is None:
            return True
        row = libraries.BY_NAME.get(ref.library)
        versioning = row.versioning if row is not None else None
        if versioning is None:
            return True
        known = self.version(versioning.distribution) or versioning.assumed
        return known is not None and known >= ref.since

    def deprecates(self, ref: NameRef) -> bool:
        """Whether the project should move off the name: it is deprecated and its replacement exists
        on the target. starlette deprecated its old spellings in the release that brought the new
        ones, so before that release (or when the version is unknown) the old one is simply the name,
        and a warning whose fix breaks the code would be noise."""
        if not ref.deprecated:
            return False
        replacement = registry.load().resolve(ref.library, ref.replacement) if ref.replacement else None
        return replacement is None or self.has(replacement)

    def describe(self) -> str:
        """For the log: ``Python 3.10 (... requires-python '>=3.10'), starlette unknown``."""
        python = f"Python {show_version(self.python)} ({self.python_from})" if self.python else "Python unknown"
        starlette = f"starlette {show_version(self.starlette)} ({self.starlette_from})" if self.starlette else "starlette unknown"
        return f"{python}, {starlette}"


UNKNOWN = ProjectTarget()
"""Nothing known: only the names the oldest maintained Python and every starlette have."""


@dataclass(frozen=True, slots=True)
class _Starlette:
    """What one search for starlette found, with the ``site-packages`` folders it looked in (and
    when they last changed), so that an install there is noticed."""

    version: Version | None
    source: str
    watched: tuple[tuple[Path, int | None], ...]

    def stale(self) -> bool:
        return any(environments.stamp(path) != when for path, when in self.watched)


def _watch(folders: Sequence[Path]) -> tuple[tuple[Path, int | None], ...]:
    return tuple((path, environments.stamp(path)) for path in folders)


class ProjectTargets:
    """The targets of one session's documents, cached per folder.

    ``fallback_environments`` are looked in when the project shows no environment and its
    requirements do not say: by default where the server runs (see
    :func:`environments.running_environments`); tests pass None.
    """

    def __init__(self, fallback_environments: Callable[[], Sequence[Path]] | None = environments.running_environments):
        self.fallback_environments = fallback_environments
        self._python: dict[Path, tuple[Version | None, str, Path | None]] = {}
        self._declared_starlette: dict[Path, tuple[Version | None, str, Path | None]] = {}
        self._starlette: dict[tuple[Path | None, Path | None, str | None], _Starlette] = {}
        self._folders: dict[Path, Path | None] = {}

    def invalidate(self) -> None:
        """Forget everything found: a ``pyproject.toml`` was written, made or removed. The next
        question reads the files again."""
        self._python.clear()
        self._declared_starlette.clear()
        self._starlette.clear()
        self._folders.clear()

    def resolve(
        self,
        document: Path | None,
        *,
        root: Path | None = None,
        python_version: str | None = None,
        environment: str | None = None,
    ) -> ProjectTarget:
        """The target of a document at ``document`` (a file or folder; None for an unsaved one:
        then ``root`` is where to look) in the workspace folder ``root``, with the settings
        ``pythonVersion`` and ``pythonEnvironment``."""
        folder = self._folder_of(document, root)
        python, python_from, project = self._declared_python(folder) if folder is not None else (None, "", None)
        if python_version is not None and (setting := python_setting(python_version)) is not None:
            python, python_from = setting, "pythonVersion setting"
        found = self._starlette_of(folder, root or project, environment)
        return ProjectTarget(python=python, starlette=found.version, python_from=python_from, starlette_from=found.source)

    def _folder_of(self, document: Path | None, root: Path | None) -> Path | None:
        place = document if document is not None else root
        if place is None:
            return None
        folder = place if place.is_dir() else place.parent
        # Resolving costs a system call per path component; `check` asks once per file, and the
        # files of one folder share the answer.
        if folder not in self._folders:
            try:
                self._folders[folder] = folder.resolve()
            except OSError:
                self._folders[folder] = None
        return self._folders[folder]

    def _declared_python(self, folder: Path) -> tuple[Version | None, str, Path | None]:
        if folder not in self._python:
            self._python[folder] = requirements.find_declared(folder, requirements.declared_python)
        return self._python[folder]

    def _declared(self, folder: Path | None) -> tuple[Version | None, str]:
        if folder is None:
            return None, ""
        if folder not in self._declared_starlette:
            distribution = libraries.STARLETTE.distribution
            self._declared_starlette[folder] = requirements.find_declared(
                folder, lambda pyproject: requirements.declared_dependency(pyproject, distribution)
            )
        floor, source, _ = self._declared_starlette[folder]
        return floor, source

    def _starlette_of(self, folder: Path | None, stop: Path | None, setting: str | None) -> _Starlette:
        key = (folder, stop, setting)
        cached = self._starlette.get(key)
        if cached is None or cached.stale():
            cached = self._starlette[key] = self._search(folder, stop, setting)
        return cached

    def _search(self, folder: Path | None, stop: Path | None, setting: str | None) -> _Starlette:
        distribution = libraries.STARLETTE.distribution
        own: Path | None = None
        if setting:
            own = environments.environment_of(setting, stop)
        elif folder is not None:
            own = environments.project_environment(folder, stop.resolve() if stop is not None else None)
        watched = _watch(environments.site_packages(own)) if own is not None else ()
        installed = environments.installed_version([path for path, _ in watched], distribution)
        if installed is not None:
            return _Starlette(installed, str(own), watched)
        floor, source = self._declared(folder)
        if floor is not None or own is not None:
            # The project's own environment has no starlette (or is not made yet): what it requires
            # decides; where the server runs is another environment.
            return _Starlette(floor, source if floor is not None else "", watched)
        for environment in self.fallback_environments() if self.fallback_environments is not None else ():
            folders = environments.packages_of(environment)
            watched += _watch(folders)
            installed = environments.installed_version(folders, distribution)
            if installed is not None:
                return _Starlette(installed, f"where the server runs: {environment}", watched)
        return _Starlette(None, "", watched)
