"""The workspace index: which status symbols each file of the workspace holds, and where, plus what
each Python file defines that takes a status (the project's status parameters).

One record per Python, YAML and JSON file under the workspace roots, keyed by path, stamped with
the file's ``(mtime_ns, size)``: the symbols it holds (codes and OpenAPI range classes, see
:class:`~http_status_ls.features.references.StatusSymbol`) with their spans, and for a Python file
its :class:`~http_status_ls.detect.python.project_params.FileParameters`. The merged
:class:`ProjectParameters` of every Python file (an open document's own summary in place of its
file's) is :attr:`WorkspaceIndex.project`. For the cross-check (``features.code_spec``) a Python
record also keeps the file's :class:`~http_status_ls.detect.python.routes.FileRoutes`, and a YAML or
JSON record whether the file is an API description (:meth:`WorkspaceIndex.routes`,
:meth:`~WorkspaceIndex.descriptions`).

Everything that may take long is a generator that yields now and then (``None``, or a
:class:`BuildProgress`), so the server drives it in bounded slices and the caller may stop between
two steps: :meth:`WorkspaceIndex.build`, :meth:`~WorkspaceIndex.refresh` and
:meth:`~WorkspaceIndex.candidates`.

Staying correct without being told of every change:

* A candidate of a query is ``stat``-ed before it is used; a file whose stamp moved is indexed
  again first, one that is gone is dropped.
* Files that changed without being candidates, and new files: where the client watches files for
  us, its notifications (:meth:`~WorkspaceIndex.note_changed`) cover them. Where it does not, a query
  with ``verify_all`` stamps every record (34 ms on 10,000 files) and every directory that holds
  one; a directory whose mtime moved has gained or lost entries and is walked again. A full re-walk
  costs 0.1 s on 10,000 files, as much as ripgrep's whole search, so it is not done per query.
* A Python file is analysed with the project table known at that time. When the table changes, a
  record made with another table is only analysed again when its bytes mention a callable or an
  exception class whose entry changed; the others are re-stamped (:meth:`~WorkspaceIndex.refresh`,
  run before every query).
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from http_status_ls.core.languages import PYTHON, language_of
from http_status_ls.core.occurrences import Detection, Span
from http_status_ls.core.project_files import (
    PACE_ENTRIES,
    SKIPPED_DIRECTORIES,
    IgnoreFile,
    _ancestor_ignores,
    is_virtual_environment,
    read_regular_file,
    walk_paced,
)
from http_status_ls.detect.analysis import analyse
from http_status_ls.detect.python.project_params import (
    EMPTY_FILE,
    NO_PROJECT,
    FileParameters,
    ProjectParameters,
    summarise_python,
)
from http_status_ls.detect.python.routes import EMPTY_ROUTES, FileRoutes, summarise_routes
from http_status_ls.features.references import StatusSymbol, path_key, symbol_of

log = logging.getLogger(__name__)

Stamp = tuple[int, int]
"""(mtime_ns, size) of a file when it was read."""


@dataclass(frozen=True, slots=True)
class IndexOptions:
    """The settings an index depends on; other settings are applied at query time."""

    extra_keys: tuple[str, ...] = ()
    max_file_size: int | None = None


@dataclass(frozen=True, slots=True)
class FileRecord:
    """What the index knows of one file."""

    path: str
    language: str
    stamp: Stamp
    symbols: dict[StatusSymbol, tuple[Span, ...]] = field(default_factory=dict)
    ascii: bool = True
    """Spans of an ASCII file are already in any client's units: no need to read it to answer."""
    parameters: FileParameters = EMPTY_FILE
    project: ProjectParameters | None = None
    """For Python: the table its analysis used (calls to the project's functions depend on it)."""
    skipped: str | None = None
    """Why it holds nothing although it might (too large, not UTF-8)."""
    routes: FileRoutes = EMPTY_ROUTES
    """For Python: its routes and the codes its functions produce (the cross-check, ``features.code_spec``)."""
    openapi: str | None = None
    """For YAML and JSON: the ``openapi``/``swagger`` version when the file is an API description."""


@dataclass(frozen=True, slots=True)
class BuildProgress:
    done: int
    total: int


class WorkspaceIndex:
    """The records of every file under ``roots``; see the module docstring."""

    def __init__(self, roots: Iterable[str], options: IndexOptions = IndexOptions()):
        self.roots = [os.path.abspath(root) for root in roots]
        self.options = options
        self.records: dict[str, FileRecord] = {}
        self.ready = False
        """Set once a build has finished: queries may then be answered from the records."""
        self.project = NO_PROJECT
        self._parameters: dict[str, FileParameters] = {}
        """Non-empty summaries by path key, from the files."""
        self._open_parameters: dict[str, FileParameters] = {}
        """Summaries of open documents (their text wins over the file's)."""
        self._open_routes: dict[str, FileRoutes] = {}
        """Routes of open Python documents (their text wins over the file's)."""
        self._directories: dict[str, int] = {}
        """mtime_ns of each directory holding a record when it was last listed."""
        self._dirty: dict[str, None] = {}
        self._changed_names: dict[tuple[int, int], tuple[bytes, ...]] = {}

    # --- building -------------------------------------------------------------------------------

    def build(self) -> Iterator[BuildProgress | None]:
        """Walk the roots and index every file (a generator: drive it to the end)."""
        found = []
        for file in walk_paced(self.roots):
            if file is None:
                yield None
            else:
                found.append((file.path, file.language))
        total = len(found)
        for done, (path, language) in enumerate(found, 1):
            self._index(path, language)
            yield BuildProgress(done, total)
        self._remember_directories(path for path, _ in found)
        yield from self.refresh()
        self.ready = True

    def refresh(self, *, tables: bool = True) -> Iterator[None]:
        """Bring every record up to date with the notifications received and (unless ``tables`` is
        false: a build is under way and will do it once at its end) with the project table."""
        while self._dirty:
            path = next(iter(self._dirty))
            del self._dirty[path]
            if os.path.isdir(path):
                yield from self._walk_new_directory(path)
            else:
                self.update(path)
            yield None
        if not tables:
            return
        stale = [key for key, record in self.records.items() if record.project is not None and record.project is not self.project]
        for number, key in enumerate(stale):
            record = self.records.get(key)
            if record is not None and record.project is not None and record.project is not self.project:
                self._restamp_or_index(key, record)
            if not number % 16:
                yield None

    def _restamp_or_index(self, key: str, record: FileRecord) -> None:
        assert record.project is not None
        names = self._names_changed(record.project, self.project)
        try:
            data = read_regular_file(record.path)
        except OSError:
            self.remove(record.path)
            return
        if any(name in data for name in names):
            self._index(record.path, record.language, data=data)
        else:
            self.records[key] = replace(record, project=self.project)

    def _names_changed(self, old: ProjectParameters, new: ProjectParameters) -> tuple[bytes, ...]:
        """Names whose entry differs between two tables, as bytes a file calling them contains."""
        cache_key = (id(old), id(new))
        if cache_key not in self._changed_names:
            before, after = dict(old.by_name), dict(new.by_name)
            names = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
            names |= old.http_errors ^ new.http_errors
            # `module.helper` is called as `helper(...)` or `module.helper(...)`: the last part is in both.
            self._changed_names[cache_key] = tuple(sorted({name.rsplit(".", 1)[-1].encode() for name in names}))
        return self._changed_names[cache_key]

    # --- one file -------------------------------------------------------------------------------

    def note_changed(self, path: str) -> None:
        """A notification said ``path`` (a file or a directory) was made, changed or removed: it is
        looked at before the next query (:meth:`refresh`)."""
        self._dirty[os.path.abspath(path)] = None

    def update(self, path: str) -> bool:
        """Index the file ``path`` again if its stamp moved, or drop it (and everything under it,
        for a directory) if it is gone; True when a record changed. A directory that appeared is
        left to :meth:`refresh`, which walks it."""
        key = path_key(path)
        record = self.records.get(key)
        try:
            info = os.stat(path)
        except OSError:
            return self.remove(path)
        if stat.S_ISDIR(info.st_mode):
            return False
        if record is not None and record.stamp == (info.st_mtime_ns, info.st_size):
            return False
        language = record.language if record is not None else language_of(path, None)
        if language is None or not stat.S_ISREG(info.st_mode) or not self.walked(path):
            return False  # not a source file, or one the walk leaves out (.gitignore, venv...)
        self._index(path, language)
        return True

    def remove(self, path: str) -> bool:
        """Forget ``path``, or every file under it when it was a directory; True when any was known."""
        key = path_key(path)
        inside = key.rstrip(os.sep) + os.sep
        gone = [known for known in self.records if known == key or known.startswith(inside)]
        for known in gone:
            del self.records[known]
        if any([self._parameters.pop(known, None) is not None for known in gone]):
            self._merge()
        return bool(gone)

    def walked(self, path: str) -> bool:
        """Whether walking the roots reaches ``path``: under a root, not inside a skipped directory
        (tools, ``node_modules``, a virtual environment) and not ignored by a ``.gitignore``."""
        absolute = os.path.abspath(path)
        for root in self.roots:
            prefix = root.rstrip(os.sep) + os.sep
            if not absolute.startswith(prefix):
                continue
            directory = root
            rules = _ancestor_ignores(root).push(root, IgnoreFile.read(os.path.join(root, ".gitignore")))
            for name in absolute[len(prefix) :].split(os.sep)[:-1]:
                directory = os.path.join(directory, name)
                if name in SKIPPED_DIRECTORIES or rules.ignored(directory, True) or is_virtual_environment(directory):
                    return False
                rules = rules.push(directory, IgnoreFile.read(os.path.join(directory, ".gitignore")))
            return not rules.ignored(absolute, False)
        return False

    def _walk_new_directory(self, directory: str) -> Iterator[None]:
        """Index the files of a directory that appeared (moved in, or checked out)."""
        if not self.walked(os.path.join(directory, "_")):
            return
        found = []
        for file in walk_paced([directory]):
            if file is None:
                yield None
                continue
            found.append(file.path)
            self._index(file.path, file.language)
            yield None
        self._remember_directories(found)

    def _index(self, path: str, language: str, data: bytes | None = None) -> FileRecord | None:
        key = path_key(path)
        try:
            info = os.stat(path)
            stamp = (info.st_mtime_ns, info.st_size)
            record = self.records.get(key)
            if data is None and record is not None and record.stamp == stamp:
                return record  # indexed already (a notification came before the build reached it)
            limit = self.options.max_file_size
            if limit is not None and info.st_size > limit:
                return self._store(key, FileRecord(path, language, stamp, skipped="too large"))
            if data is None:
                data = read_regular_file(path)
        except OSError:
            self.remove(path)
            return None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return self._store(key, FileRecord(path, language, stamp, skipped="not UTF-8"))
        is_ascii = data.isascii()
        del data
        project = self.project if language == PYTHON else None
        # The path stands for the URI: the language is known, and a URI per file costs 10 % of a build.
        analysis = analyse(path, language, text, None, extra_keys=self.options.extra_keys, project=project)
        if language == PYTHON:
            # After the analysis, which leaves the summary behind: no second parse. The analysis saw
            # the file's own definitions, so a table that moved by them alone is the one it used.
            parameters = _summary(path, text)
            routes = _routes(path, text, analysis.detection)
            if parameters != self._parameters.get(key, EMPTY_FILE):
                if parameters == EMPTY_FILE:
                    del self._parameters[key]
                else:
                    self._parameters[key] = parameters
                self._merge()
                project = self.project
        else:
            parameters, routes = EMPTY_FILE, EMPTY_ROUTES
        symbols: dict[StatusSymbol, list[Span]] = {}
        for occurrence in analysis.occurrences:
            symbol = symbol_of(occurrence)
            if symbol is not None:
                symbols.setdefault(symbol, []).append(occurrence.span)
        record = FileRecord(
            path,
            language,
            stamp,
            {symbol: tuple(spans) for symbol, spans in symbols.items()},
            ascii=is_ascii,
            parameters=parameters,
            project=project,
            routes=routes,
            openapi=analysis.openapi if language != PYTHON else None,
        )
        return self._store(key, record)

    def _store(self, key: str, record: FileRecord) -> FileRecord:
        self.records[key] = record
        return record

    # --- the project's parameters ---------------------------------------------------------------

    def set_open_parameters(self, path: str, parameters: FileParameters) -> bool:
        """An open document's summary, in place of its file's; True when the merged table changed."""
        key = path_key(path)
        if self._open_parameters.get(key) == parameters:
            return False
        self._open_parameters[key] = parameters
        return self._merge()

    def open_parameters(self, path: str) -> FileParameters | None:
        return self._open_parameters.get(path_key(path))

    def clear_open_parameters(self, path: str) -> bool:
        """The document closed: its file's summary counts again; True when the table changed."""
        if self._open_parameters.pop(path_key(path), None) is None:
            return False
        return self._merge()

    def set_open_routes(self, path: str, routes: FileRoutes) -> bool:
        """An open document's routes, in place of its file's; True when they differ from before."""
        key = path_key(path)
        if self._open_routes.get(key) == routes:
            return False
        self._open_routes[key] = routes
        return True

    def clear_open_routes(self, path: str) -> bool:
        return self._open_routes.pop(path_key(path), None) is not None

    def routes(self) -> dict[str, FileRoutes]:
        """Every Python file's routes by path key (an open document's own in place of its file's),
        files with none left out."""
        found = {key: record.routes for key, record in self.records.items() if record.routes != EMPTY_ROUTES}
        for key, routes in self._open_routes.items():
            if routes == EMPTY_ROUTES:
                found.pop(key, None)
            elif key in self.records:
                found[key] = routes
        return found

    def descriptions(self) -> list[FileRecord]:
        """The records of the workspace's API descriptions (YAML or JSON with ``openapi``/``swagger``)."""
        return [record for record in self.records.values() if record.openapi is not None]

    def _merge(self) -> bool:
        summaries = {**self._parameters, **self._open_parameters}
        merged = ProjectParameters.from_files(summaries.values())
        if merged == self.project:
            return False
        self.project = merged
        self._changed_names.clear()
        return True

    # --- queries --------------------------------------------------------------------------------

    def candidates(self, symbol: StatusSymbol, *, verify_all: bool = False) -> Iterator[FileRecord | None]:
        """The fresh records holding ``symbol`` (None now and then: a generator to drive in slices).

        Each candidate is ``stat``-ed and indexed again when its stamp moved. With ``verify_all``
        (no file watching) every record and directory is checked first, see the module docstring."""
        yield from self.refresh()
        if verify_all:
            yield from self._verify_all()
        for count, key in enumerate([key for key, record in self.records.items() if symbol in record.symbols]):
            if not count % PACE_ENTRIES:
                yield None
            record = self.records.get(key)
            if record is None:
                continue
            try:
                info = os.stat(record.path)
            except OSError:
                self.remove(record.path)
                continue
            if record.stamp != (info.st_mtime_ns, info.st_size):
                fresh = self._index(record.path, record.language)
                yield from self.refresh()  # its parameters may have moved the table
                record = self.records.get(key) if fresh is not None else None
                if record is None:
                    continue
            if symbol in record.symbols:
                yield record

    def _verify_all(self) -> Iterator[None]:
        for count, record in enumerate(list(self.records.values())):
            if not count % PACE_ENTRIES:
                yield None
            try:
                info = os.stat(record.path)
            except OSError:
                self.remove(record.path)
                continue
            if record.stamp != (info.st_mtime_ns, info.st_size):
                self.update(record.path)
        moved = []
        for directory, mtime in list(self._directories.items()):
            try:
                now = os.stat(directory).st_mtime_ns
            except OSError:
                now = -1
            if now != mtime:
                moved.append(directory)
        # A directory inside another that moved is walked with it.
        moved.sort()
        tops = [d for i, d in enumerate(moved) if not any(d.startswith(t.rstrip(os.sep) + os.sep) for t in moved[:i])]
        if tops:
            found = []
            for file in walk_paced(tops):
                if file is None:
                    yield None
                    continue
                found.append(file.path)
                key = path_key(file.path)
                if key not in self.records:
                    self._index(file.path, file.language)
            self._remember_directories(found)
            yield from self.refresh()

    def _remember_directories(self, paths: Iterable[str]) -> None:
        for directory in {os.path.dirname(os.path.abspath(path)) for path in paths}:
            try:
                self._directories[directory] = os.stat(directory).st_mtime_ns
            except OSError:
                self._directories.pop(directory, None)


def _routes(path: str, text: str, detection: Detection) -> FileRoutes:
    """A file's routes, read from the analysis' own tree (no second parse); a failure costs that
    file's, never the index."""
    try:
        return summarise_routes(text, detection)
    except Exception:
        log.exception("could not read the routes of %s", path)
        return EMPTY_ROUTES


def _summary(path: str, text: str) -> FileParameters:
    """A file's status parameters; a failure costs that file's, never the index."""
    try:
        return summarise_python(text)
    except Exception:
        log.exception("could not read the status parameters of %s", path)
        return EMPTY_FILE
