"""Noticing that a ``pyproject.toml`` changed, so that its ``[tool.http-status-ls]`` table counts at
once instead of at the next server start (and asking the client to watch the source files the
workspace index is made of).

Where the client watches files for servers (it declares
``workspace.didChangeWatchedFiles.dynamicRegistration``: VS Code, Eglot, Neovim on macOS and
Windows), the session registers a watcher for :data:`WATCH_GLOB` and the client sends
``workspace/didChangeWatchedFiles``. Where it does not, or refuses the registration, the server looks
for itself (:class:`PyprojectPoll`): Neovim 0.11 declares no file watching on Linux and BSD (its
backends there are too limited to offer by default), and a user saving ``pyproject.toml`` from
Neovim must see the new verdict all the same. The look is a few ``stat`` calls a second: the
``pyproject.toml`` of the workspace folder and of each folder above it, the only files the settings
are read from (see ``settings_files.find_pyproject``).
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from lsprotocol import types

log = logging.getLogger("http_status_ls")

PYPROJECT = "pyproject.toml"
WATCH_GLOB = f"**/{PYPROJECT}"
"""What the client is asked to watch: every ``pyproject.toml`` of the workspace..."""
SOURCE_GLOB = "**/*.{py,yaml,yml,json}"
"""... and every source file, for the workspace index (see :mod:`workspace_index`)."""
REGISTRATION_ID = "http-status-ls/watch-pyproject"
POLL_SECONDS = 1.0
"""How often the server looks at the files itself when the client does not watch them."""

Stamp = tuple[tuple[int, int, int, int] | None, ...]
"""Per file: (modified, changed, size, inode), or None while there is no such file."""


def registration() -> types.RegistrationParams:
    """The ``client/registerCapability`` that has the client watch every ``pyproject.toml`` and
    every source file (one registration: a client that refuses it refuses both)."""
    watchers = [types.FileSystemWatcher(glob_pattern=WATCH_GLOB), types.FileSystemWatcher(glob_pattern=SOURCE_GLOB)]
    return types.RegistrationParams(
        registrations=[
            types.Registration(
                id=REGISTRATION_ID,
                method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
            )
        ]
    )


def names_pyproject(params: types.DidChangeWatchedFilesParams) -> bool:
    """Whether a ``didChangeWatchedFiles`` is about a ``pyproject.toml`` (a client may send changes
    it watches for other servers, or for everything, as well)."""
    return any(change.uri.rstrip("/").rsplit("/", 1)[-1] == PYPROJECT for change in params.changes)


def candidates(root: Path) -> tuple[Path, ...]:
    """The files the settings can come from: ``pyproject.toml`` in ``root`` and in each folder above."""
    try:
        here = root.resolve()
    except OSError:
        here = root
    return tuple(directory / PYPROJECT for directory in (here, *here.parents))


def stamp(paths: Sequence[Path]) -> Stamp:
    """What the files look like now; a different stamp means one was written, made or removed."""
    looks: list[tuple[int, int, int, int] | None] = []
    for path in paths:
        try:
            found = os.stat(path)
        except OSError:
            looks.append(None)
        else:
            looks.append((found.st_mtime_ns, found.st_ctime_ns, found.st_size, found.st_ino))
    return tuple(looks)


class PyprojectPoll:
    """Calls ``changed`` when one of ``paths`` is written, made or removed, looking every
    ``interval`` seconds on the running event loop until :meth:`stop`."""

    def __init__(self, paths: Sequence[Path], changed: Callable[[], None], interval: float = POLL_SECONDS):
        self.paths = tuple(paths)
        self.changed = changed
        self.interval = interval
        self._last: Stamp = ()
        self._timer: asyncio.TimerHandle | None = None

    @property
    def running(self) -> bool:
        return self._timer is not None

    def start(self) -> None:
        self._last = stamp(self.paths)
        self._timer = asyncio.get_running_loop().call_later(self.interval, self._look)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _look(self) -> None:
        try:
            now = stamp(self.paths)
            if now != self._last:
                moved = [str(path) for path, old, new in zip(self.paths, self._last, now, strict=False) if old != new]
                self._last = now
                log.info("%s changed; reading the settings again", ", ".join(moved) or "a pyproject.toml")
                self.changed()
        finally:
            if self._timer is not None:  # not stopped meanwhile
                self._timer = asyncio.get_running_loop().call_later(self.interval, self._look)
