"""The files of a project worth analysing: Python, YAML and JSON, found by walking directories.

Used by ``http-status-ls check`` and by workspace-wide references. The walk is a generator (one
directory listing in memory at a time, never file contents) that yields files in a stable order
(sorted by name within each directory), and it respects ``.gitignore`` files the way git does:

* the ``.gitignore`` of every directory walked, plus those of its ancestors up to the repository
  root (the first directory upward holding ``.git``), and the repository's ``.git/info/exclude``;
* patterns: ``#`` comments, ``!`` negation, a trailing ``/`` for directories only, a ``/`` at the
  start or in the middle anchoring the pattern to its ``.gitignore``'s directory, ``*``, ``?``,
  ``[...]``, and ``**`` as a whole path segment (``**/x``, ``x/**``, ``a/**/b``);
* the last matching pattern wins, and a deeper ``.gitignore`` beats a shallower one; a directory
  that is ignored is not entered, so nothing under it can be re-included (as in git).

Besides, it never enters ``.git`` and other tool directories, ``node_modules``, and virtual
environments (any directory holding ``pyvenv.cfg``), ignored or not. Symbolic links to directories
are not followed (no cycles); files named explicitly are always yielded, ignored or not. Only
regular files are read (:func:`read_regular_file`): a FIFO or a device named like a source file, or
like ``.gitignore``, would block the reader for ever.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from http_status_ls.core.languages import language_of

SKIPPED_DIRECTORIES = frozenset(
    {".git", ".hg", ".svn", "node_modules", "__pycache__", ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache"}
)
VENV_MARKER = "pyvenv.cfg"

PACE_ENTRIES = 256
""":func:`walk_paced` yields None after at most this many directory entries without a file, so its
caller (the server's references search) can hand the event loop back even in a directory of
100,000 entries of which none is a source file."""


def read_regular_file(path: str) -> bytes:
    """The bytes of ``path``, or OSError, also when it is not a regular file. It is opened without
    blocking, so that a FIFO is refused at once instead of waiting for a writer that never comes."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    with open(descriptor, "rb") as stream:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        return stream.read()


@dataclass(frozen=True, slots=True)
class ProjectFile:
    path: str
    """As reached from the path it was found under (``src/app.py`` for ``check src``), OS separators."""
    language: str
    """``python``, ``yaml`` or ``json``."""
    size: int
    """Bytes, from the directory listing (no extra stat for files found by walking)."""
    explicit: bool = False
    """Named on the command line rather than found by walking."""


@dataclass(frozen=True, slots=True)
class _Pattern:
    regex: re.Pattern[str]
    negated: bool
    directory_only: bool
    basename_only: bool
    """Patterns without a ``/`` (other than a trailing one) match a name at any depth."""


class IgnoreFile:
    """The patterns of one ``.gitignore`` (or ``info/exclude``), relative to the directory they apply to."""

    def __init__(self, text: str):
        self.patterns: tuple[_Pattern, ...] = tuple(p for line in text.splitlines() if (p := _parse_line(line)))

    @classmethod
    def read(cls, path: str) -> IgnoreFile | None:
        try:
            text = read_regular_file(path).decode("utf-8", "replace")
        except OSError:
            return None
        ignore = cls(text)
        return ignore if ignore.patterns else None

    def decision(self, relative: str, is_dir: bool) -> bool | None:
        """True (ignored), False (re-included by ``!``), or None when no pattern matches ``relative``
        (a ``/``-separated path under this file's directory)."""
        name = relative.rsplit("/", 1)[-1]
        for pattern in reversed(self.patterns):
            if pattern.directory_only and not is_dir:
                continue
            if pattern.regex.fullmatch(name if pattern.basename_only else relative):
                return not pattern.negated
        return None


class _IgnoreStack:
    """The ignore files in force in one directory: (directory, IgnoreFile), shallowest first."""

    def __init__(self, layers: tuple[tuple[str, IgnoreFile], ...] = ()):
        self.layers = layers

    def push(self, directory: str, ignore: IgnoreFile | None) -> _IgnoreStack:
        return _IgnoreStack((*self.layers, (directory, ignore))) if ignore else self

    def ignored(self, path: str, is_dir: bool) -> bool:
        for directory, ignore in reversed(self.layers):
            relative = _relative(path, directory)
            if relative is None:
                continue
            decision = ignore.decision(relative, is_dir)
            if decision is not None:
                return decision
        return False


def walk(
    paths: Iterable[str | os.PathLike[str]],
    *,
    on_error: Callable[[str, OSError], None] | None = None,
    respect_gitignore: bool = True,
) -> Iterator[ProjectFile]:
    """Every Python, YAML and JSON file under ``paths``, each once, directories in sorted order.

    A path naming a file is yielded when its extension is known, ignored or not. A path that does not
    exist, is not a regular file (a FIFO), or a directory that cannot be listed goes to
    ``on_error(path, error)`` and the walk goes on.
    """
    return (file for file in walk_paced(paths, on_error=on_error, respect_gitignore=respect_gitignore) if file is not None)


def walk_paced(
    paths: Iterable[str | os.PathLike[str]],
    *,
    on_error: Callable[[str, OSError], None] | None = None,
    respect_gitignore: bool = True,
) -> Iterator[ProjectFile | None]:
    """:func:`walk`, with a None between files whenever :data:`PACE_ENTRIES` directory entries
    have gone by without one."""
    seen: set[tuple[int, int] | str] = set()
    for given in paths:
        path = os.fspath(given)
        try:
            info = os.stat(path)
        except OSError as error:
            if on_error:
                on_error(path, error)
            continue
        if not os.path.isdir(path):
            language = language_of(path, None)
            if language and not stat.S_ISREG(info.st_mode):
                if on_error:
                    on_error(path, OSError(errno.EINVAL, "not a regular file"))
                continue
            if language and _first_visit(seen, path, info):
                yield ProjectFile(path, language, info.st_size, explicit=True)
            continue
        stack = _ancestor_ignores(path) if respect_gitignore else _IgnoreStack()
        yield from _walk_directory(path, stack, seen, on_error, respect_gitignore)


def is_virtual_environment(directory: str) -> bool:
    return os.path.isfile(os.path.join(directory, VENV_MARKER))


def _walk_directory(
    root: str,
    stack: _IgnoreStack,
    seen: set,
    on_error: Callable[[str, OSError], None] | None,
    respect_gitignore: bool,
) -> Iterator[ProjectFile | None]:
    # Depth first with an explicit stack of open listings (no recursion limit on deep trees); each
    # directory's entries are sorted by name and a subdirectory is entered at its place in that order.
    opened = yield from _open_directory(root, stack, on_error, respect_gitignore, is_root=True)
    if opened is None:
        return
    pending: list[tuple[Iterator[os.DirEntry[str]], _IgnoreStack]] = [opened]
    countdown = PACE_ENTRIES
    while pending:
        countdown -= 1
        if not countdown:
            countdown = PACE_ENTRIES
            yield None
        entries, here = pending[-1]
        entry = next(entries, None)
        if entry is None:
            pending.pop()
            continue
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            continue
        if is_dir:
            if entry.name in SKIPPED_DIRECTORIES or (respect_gitignore and here.ignored(entry.path, True)):
                continue
            opened = yield from _open_directory(entry.path, here, on_error, respect_gitignore, is_root=False)
            if opened is not None:
                pending.append(opened)
            continue
        language = language_of(entry.name, None)
        if language is None or (respect_gitignore and here.ignored(entry.path, False)):
            continue
        try:
            if not entry.is_file():  # a dangling symlink, a socket...
                continue
            info = entry.stat()
        except OSError as error:
            if on_error:
                on_error(entry.path, error)
            continue
        if _first_visit(seen, entry.path, info):
            countdown = PACE_ENTRIES
            yield ProjectFile(entry.path, language, info.st_size)


def _open_directory(
    directory: str,
    inherited: _IgnoreStack,
    on_error: Callable[[str, OSError], None] | None,
    respect_gitignore: bool,
    *,
    is_root: bool,
) -> Generator[None, None, tuple[Iterator[os.DirEntry[str]], _IgnoreStack] | None]:
    """The sorted entries of a directory and the ignore rules in force inside it; None for a
    directory not to enter (a virtual environment) or that cannot be listed. A generator that
    yields None while listing a long directory (see :func:`walk_paced`)."""
    by_name: dict[str, os.DirEntry[str]] = {}
    try:
        with os.scandir(directory) as listing:
            for entry in listing:
                by_name[entry.name] = entry
                if not len(by_name) % PACE_ENTRIES:
                    yield None  # a listing of 100,000 entries takes a quarter of a second
    except OSError as error:
        if on_error:
            on_error(directory, error)
        return None
    if VENV_MARKER in by_name and not is_root:
        return None
    here = inherited
    if respect_gitignore and ".gitignore" in by_name:
        here = inherited.push(directory, IgnoreFile.read(os.path.join(directory, ".gitignore")))
    # Names sort faster than entries by a key (a third of the time on 100,000 entries).
    entries = map(by_name.__getitem__, sorted(by_name))
    return entries, here


def _first_visit(seen: set, path: str, info: os.stat_result) -> bool:
    # Inode identity when the platform has one, so `check a.py .` reports a.py once.
    key = (info.st_dev, info.st_ino) if info.st_ino else os.path.abspath(path)
    if key in seen:
        return False
    seen.add(key)
    return True


def _ancestor_ignores(directory: str) -> _IgnoreStack:
    """The ignore files that apply to ``directory`` from above it: the repository's
    ``.git/info/exclude`` and the ``.gitignore`` of each ancestor up to the repository root (its own
    ``.gitignore`` is read by the walk). Outside a repository, nothing from above applies."""
    start = Path(directory).resolve()
    chain: list[Path] = []
    root: Path | None = None
    for candidate in (start, *start.parents):
        chain.append(candidate)
        if (candidate / ".git").exists():
            root = candidate
            break
    if root is None:
        return _IgnoreStack()

    # Relative paths in the walk are computed against these directories, so express them the way
    # the walk spells paths (relative to the given directory when it was given relative).
    def spelled(ancestor: Path) -> str:
        return os.path.normpath(os.path.join(directory, os.path.relpath(ancestor, start)))

    stack = _IgnoreStack()
    exclude = IgnoreFile.read(str(root / ".git" / "info" / "exclude"))
    stack = stack.push(spelled(root), exclude)
    for ancestor in reversed(chain[1:]):
        stack = stack.push(spelled(ancestor), IgnoreFile.read(str(ancestor / ".gitignore")))
    return stack


def _relative(path: str, directory: str) -> str | None:
    """``path`` relative to ``directory`` with ``/`` separators, or None when it is not under it.

    Both are spelled the way the walk builds them (``os.scandir`` joins a directory and a name), so a
    prefix test does it without the ``getcwd`` call that ``os.path.relpath`` makes for every file."""
    if directory in (".", "." + os.sep):
        relative = path[2:] if path.startswith("." + os.sep) else path
        if relative.startswith(".." + os.sep) or relative == ".." or os.path.isabs(relative):
            return None
    else:
        prefix = directory if directory.endswith(os.sep) else directory + os.sep
        if not path.startswith(prefix):
            return None
        relative = path[len(prefix) :]
    return relative.replace(os.sep, "/") if os.sep != "/" else relative


def _parse_line(line: str) -> _Pattern | None:
    if not line or line.startswith("#"):
        return None
    # Trailing spaces are dropped unless escaped with a backslash.
    stripped = line.rstrip(" ")
    if stripped.endswith("\\") and len(stripped) < len(line):
        stripped += " "
    line = stripped
    negated = line.startswith("!")
    if negated:
        line = line[1:]
    elif line.startswith(("\\!", "\\#")):
        line = line[1:]
    directory_only = line.endswith("/")
    line = line.rstrip("/")
    if not line:
        return None
    anchored = "/" in line
    line = line.lstrip("/")
    if not line:
        return None
    try:
        regex = re.compile(_translate(line))
    except re.error:
        return None
    return _Pattern(regex=regex, negated=negated, directory_only=directory_only, basename_only=not anchored)


def _translate(pattern: str) -> str:
    """A gitignore glob (already stripped of ``!`` and the trailing ``/``) as a regular expression
    over a ``/``-separated relative path."""
    segments = pattern.split("/")
    parts: list[str] = []
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == "**":
            # `x/**` is everything inside x (the `/` is already emitted); `**/` is zero or more directories.
            parts.append(".*" if last else "(?:.*/)?")
            continue
        parts.append(_translate_segment(segment) + ("" if last else "/"))
    return "".join(parts)


def _translate_segment(segment: str) -> str:
    out: list[str] = []
    i, n = 0, len(segment)
    while i < n:
        char = segment[i]
        if char == "\\" and i + 1 < n:
            out.append(re.escape(segment[i + 1]))
            i += 2
            continue
        if char == "*":
            while i + 1 < n and segment[i + 1] == "*":
                i += 1  # `a**b` inside a segment is an ordinary star
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = _class_end(segment, i)
            if end is None:
                out.append(re.escape(char))
            else:
                body = segment[i + 1 : end]
                negate = body[:1] in ("!", "^")
                if negate:
                    body = body[1:]
                body = body.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
                out.append(f"[^/{body}]" if negate else f"[{body}]")
                i = end
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


def _class_end(segment: str, start: int) -> int | None:
    """Index of the ``]`` closing the bracket expression opened at ``start``."""
    i = start + 1
    if i < len(segment) and segment[i] in "!^":
        i += 1
    if i < len(segment) and segment[i] == "]":
        i += 1  # a `]` first in the class is literal
    while i < len(segment):
        if segment[i] == "]":
            return i
        i += 1
    return None
