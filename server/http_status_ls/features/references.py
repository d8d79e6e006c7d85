"""A status code as a symbol: every place a file, or the whole workspace, means the same code.

``404`` in ``abort(404)``, ``HTTPStatus.NOT_FOUND``, ``status.HTTP_404_NOT_FOUND``, an OpenAPI
``'404':`` key and ``status: 404`` in a YAML test fixture are one symbol, the code 404.
:func:`highlights` marks them in one document (``textDocument/documentHighlight``);
:func:`workspace_references` finds them in every Python, YAML and JSON file of the workspace
(``textDocument/references``).

Decisions:

* Only detected occurrences count, as for hover: ``timeout=404`` is not a reference to 404, and a
  cursor on it has no symbol at all (the answer is empty, never a guess).
* An OpenAPI range key (``4XX``, any case) is a symbol of its own, the class: it matches the range
  keys of that class, not every 4xx code, which would drown the few range keys among the codes. A
  ``default`` key and a name that is not a status name (``HTTPStatus.NOT_FUOND``) have no symbol.
* A status code has no declaration, so ``includeDeclaration`` changes nothing: every occurrence is a
  reference, and highlights are all of kind ``Text`` (none is a read or a write of the other).

The workspace search streams: one file is read, pre-filtered, analysed, turned into locations and
dropped before the next is read, so no more than one parse tree is alive at a time. The pre-filter
skips any file whose bytes contain neither the code's digits nor one of its library names, so a
workspace of ten thousand files costs a directory walk and a substring search per file, and
analysis only where the code may be.

Once the workspace index (:mod:`~http_status_ls.features.workspace_index`) is built,
:func:`indexed_references` answers from it instead: only the files that hold the symbol are looked
at, and an ASCII one is not even read.

The search never holds its caller for long: it yields a list for every file it reads (empty when
the file has no occurrence) and an empty list whenever the walk has passed many directory entries
without a file (:func:`~http_status_ls.core.project_files.walk_paced`), so the server can hand the
event loop back, and stop on a cancel, at a bounded interval whatever the hits. A file name that is
not UTF-8 gets a URI that percent-encodes its bytes, and only regular files are read (a FIFO would
block for ever).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace.position_codec import PositionCodec

from http_status_ls.core.occurrences import Analysis, Kind, Occurrence, Span
from http_status_ls.core.positions import ClientPositions, RangeMaker, span_range, split_lines
from http_status_ls.core.project_files import read_regular_file, walk_paced
from http_status_ls.detect.analysis import analyse
from http_status_ls.kb import libraries, registry

if TYPE_CHECKING:
    from http_status_ls.features.workspace_index import FileRecord

_RANGE_KEY = re.compile(r"([1-5])[xX]{2}")


@dataclass(frozen=True, slots=True)
class StatusSymbol:
    """What an occurrence refers to: one status code, or one class of codes (an OpenAPI range key)."""

    code: int | None = None
    range_class: int | None = None

    def matches(self, occurrence: Occurrence) -> bool:
        # Cheap rejections first: most occurrences of a file are other codes.
        if self.code is not None:
            if occurrence.code != self.code:
                return False
        elif occurrence.kind is not Kind.RESPONSE_KEY:
            return False
        return symbol_of(occurrence) == self

    def needles(self) -> tuple[bytes, ...]:
        """Byte strings of which a file mentioning the symbol contains at least one."""
        if self.range_class is not None:
            digit = str(self.range_class)
            return tuple(f"{digit}{x}{y}".encode() for x in "Xx" for y in "Xx")
        assert self.code is not None
        return _code_needles(self.code)

    def might_occur_in(self, data: bytes) -> bool:
        """The cheap pre-filter: False only when ``data`` certainly has no occurrence."""
        return any(needle in data for needle in self.needles())

    def __str__(self) -> str:
        return f"{self.range_class}XX" if self.range_class is not None else str(self.code)


@lru_cache(maxsize=64)
def _code_needles(code: int) -> tuple[bytes, ...]:
    # The digits cover literals, keys, YAML values and names such as HTTP_404_NOT_FOUND; the library
    # names cover HTTPStatus.NOT_FOUND, codes.not_found, NotFound... (digits first: the usual hit).
    # Names of a namespace object (requests' and httpx's `codes`, HTTPStatus) are only ever written
    # after a dot or in quotes (`codes.ok`, `codes['ok']`): searching for those spellings keeps `ok`
    # from matching every file that says "token" or "book".
    reg = registry.load()
    digits = str(code)
    needles: set[str] = set()
    for library in libraries.LIBRARIES:
        for ref in reg.names_of(library.name):
            if ref.code != code or digits in ref.name:
                continue
            if library.item_access:
                needles.update((f".{ref.name}", f"'{ref.name}'", f'"{ref.name}"'))
            else:
                needles.add(ref.name)
    return (digits.encode(), *sorted(needle.encode() for needle in needles))


def symbol_of(occurrence: Occurrence) -> StatusSymbol | None:
    """The symbol an occurrence refers to, or None (``default``, an unknown name, ``'0404'``)."""
    if occurrence.kind is Kind.RESPONSE_KEY:
        value = occurrence.value if occurrence.value is not None else occurrence.text.strip("'\"")
        if match := _RANGE_KEY.fullmatch(value):
            return StatusSymbol(range_class=int(match[1]))
        # A key is a code only when written as one: '0404' is not 404 (diagnostics say so too).
        if not (len(value) == 3 and value.isascii() and value.isdigit()):
            return None
    if occurrence.code is None:
        return None
    return StatusSymbol(code=occurrence.code)


def symbol_at(analysis: Analysis, line: int, col: int) -> StatusSymbol | None:
    """The symbol under a cursor at (line, code-point col), or None when no occurrence is there."""
    occurrence = analysis.at(line, col)
    return symbol_of(occurrence) if occurrence is not None else None


def occurrences_of(analysis: Analysis, symbol: StatusSymbol) -> list[Occurrence]:
    """Every occurrence of ``symbol`` in one analysis, in document order."""
    return [occurrence for occurrence in analysis.occurrences if symbol.matches(occurrence)]


def highlights(
    analysis: Analysis,
    line: int,
    col: int,
    *,
    to_range: RangeMaker = span_range,
) -> list[types.DocumentHighlight] | None:
    """The ``documentHighlight`` answer: every occurrence of the symbol under the cursor, or None."""
    symbol = symbol_at(analysis, line, col)
    if symbol is None:
        return None
    return [
        types.DocumentHighlight(range=to_range(occurrence.span), kind=types.DocumentHighlightKind.Text)
        for occurrence in occurrences_of(analysis, symbol)
    ]


def locations_in(analysis: Analysis, symbol: StatusSymbol, uri: str, to_range: RangeMaker) -> list[types.Location]:
    return [types.Location(uri=uri, range=to_range(o.span)) for o in occurrences_of(analysis, symbol)]


# --- the workspace ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OpenText:
    """An open document as the search sees it: its current analysis and lines (the client's text
    wins over the file on disk, which may be stale)."""

    uri: str
    analysis: Analysis
    lines: Sequence[str]


@dataclass(frozen=True, slots=True)
class SearchScope:
    """What the settings allow the search to look at."""

    enabled: Callable[[str], bool] = lambda language: True
    """Whether a language (``python``, ``yaml``, ``json``) is analysed at all."""
    max_file_size: int | None = None
    extra_keys: tuple[str, ...] = ()


@dataclass(slots=True)
class SearchStats:
    """What a search did, for the log: how well the pre-filter worked."""

    files: int = 0
    read: int = 0
    analysed: int = 0
    skipped: int = 0
    """Too large, not UTF-8, or unreadable."""


def path_key(path: str) -> str:
    """A path spelled the same way whether it came from a URI or from the directory walk."""
    return os.path.normcase(os.path.abspath(path))


def file_uri_path(uri: str) -> str | None:
    """The file system path of a ``file:`` URI, None for other schemes (``untitled:``...)."""
    if not uri.startswith("file:"):
        return None
    try:
        return to_fs_path(uri)
    except Exception:
        return None


def file_uri(path: str) -> str:
    """The ``file:`` URI of a path found by the walk, for any name the file system allows: pygls'
    ``from_fs_path`` fails on a name that is not UTF-8 (Python holds its bytes as lone surrogates);
    ``Path.as_uri`` percent-encodes the bytes themselves."""
    if all(not 0xDC80 <= ord(character) <= 0xDCFF for character in path):
        uri = from_fs_path(path)
        if uri:
            return uri
    return Path(os.path.abspath(path)).as_uri()


def workspace_references(
    symbol: StatusSymbol,
    roots: Iterable[str],
    open_texts: Iterable[OpenText],
    codec: PositionCodec,
    *,
    scope: SearchScope = SearchScope(),
    stats: SearchStats | None = None,
) -> Iterator[list[types.Location]]:
    """The locations of ``symbol``, one list per file read, empty when it has none, and an empty
    list now and then during a long walk (a generator: the caller may pause at each, or stop).

    Open documents come first, from their current text, whether or not they lie under a root. Then
    every Python, YAML and JSON file under ``roots`` (directories, walked with ``.gitignore``
    respected and virtual environments, ``node_modules`` and tool directories skipped) that is not
    open is read from disk. Ranges are in the client's units: ``codec`` converts each file's spans
    with that file's own lines.
    """
    stats = stats if stats is not None else SearchStats()
    opened: set[str] = set()
    yield from _open_locations(symbol, open_texts, codec, scope, opened)
    for file in walk_paced(list(roots)):
        if file is None:
            yield []
            continue
        stats.files += 1
        if path_key(file.path) in opened or not scope.enabled(file.language):
            continue
        if scope.max_file_size is not None and file.size > scope.max_file_size:
            stats.skipped += 1
            continue
        yield _file_locations(file.path, file.language, symbol, codec, scope, stats)


def indexed_references(
    symbol: StatusSymbol,
    candidates: Iterable[FileRecord | None],
    open_texts: Iterable[OpenText],
    codec: PositionCodec,
    *,
    scope: SearchScope = SearchScope(),
    stats: SearchStats | None = None,
) -> Iterator[list[types.Location]]:
    """:func:`workspace_references` answered from the workspace index: the open documents from
    their text, then the files whose record holds ``symbol`` (``candidates``, fresh records from
    :meth:`~http_status_ls.features.workspace_index.WorkspaceIndex.candidates`, None now and then),
    from their recorded spans. An ASCII file's spans are in every client's units as they are; any
    other file is read to convert them."""
    stats = stats if stats is not None else SearchStats()
    opened: set[str] = set()
    yield from _open_locations(symbol, open_texts, codec, scope, opened)
    for record in candidates:
        if record is None:
            yield []
            continue
        stats.files += 1
        if path_key(record.path) in opened or not scope.enabled(record.language):
            continue
        if scope.max_file_size is not None and record.stamp[1] > scope.max_file_size:
            stats.skipped += 1
            continue
        spans = record.symbols.get(symbol, ())
        uri = _indexed_file_uri(record.path)
        if record.ascii:
            yield [types.Location(uri=uri, range=_plain_range(span)) for span in spans]
            continue
        try:
            data = read_regular_file(record.path)
            text = data.decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            stats.skipped += 1
            continue
        stats.read += 1
        if len(data) != record.stamp[1]:  # written since it was stamped: read it as it is now
            yield _file_locations(record.path, record.language, symbol, codec, scope, stats)
            continue
        to_range = ClientPositions(split_lines(text), codec).range
        yield [types.Location(uri=uri, range=to_range(span)) for span in spans]


@lru_cache(maxsize=1 << 15)
def _indexed_file_uri(path: str) -> str:
    # The same files answer query after query; building a URI is most of an indexed answer's time.
    return file_uri(path)


def _plain_range(span: Span) -> types.Range:
    return types.Range(
        start=types.Position(line=span.start_line, character=span.start_col),
        end=types.Position(line=span.end_line, character=span.end_col),
    )


def _open_locations(
    symbol: StatusSymbol, open_texts: Iterable[OpenText], codec: PositionCodec, scope: SearchScope, opened: set[str]
) -> Iterator[list[types.Location]]:
    """The locations in open documents (their paths are added to ``opened``: not read from disk)."""
    for item in open_texts:
        path = file_uri_path(item.uri)
        if path is not None:
            opened.add(path_key(path))
        if not scope.enabled(item.analysis.language):
            continue
        found = locations_in(item.analysis, symbol, item.uri, ClientPositions(item.lines, codec).range)
        if found:
            yield found


def _file_locations(
    path: str,
    language: str,
    symbol: StatusSymbol,
    codec: PositionCodec,
    scope: SearchScope,
    stats: SearchStats,
) -> list[types.Location]:
    try:
        data = read_regular_file(path)
    except OSError:
        stats.skipped += 1
        return []
    stats.read += 1
    if not symbol.might_occur_in(data):
        return []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        stats.skipped += 1
        return []
    del data
    stats.analysed += 1
    uri = file_uri(path)
    analysis = analyse(uri, language, text, None, extra_keys=scope.extra_keys)
    lines = split_lines(text)
    return locations_in(analysis, symbol, uri, ClientPositions(lines, codec).range)


def roots_of(folders: Iterable[str], root_uri: str | None, root_path: str | None) -> list[str]:
    """The directories to search: the workspace folders' paths, else the root URI's (or the
    deprecated root path's). Folders that are not ``file:`` URIs are left out."""
    roots = [path for uri in folders if (path := file_uri_path(uri))]
    if not roots and root_uri:
        if path := file_uri_path(root_uri):
            roots.append(path)
    if not roots and root_path:
        roots.append(root_path)
    unique: dict[str, str] = {}
    for root in roots:
        unique.setdefault(path_key(root), os.path.abspath(root))
    return list(unique.values())


def open_texts_of(items: Iterable[tuple[str, Analysis, Sequence[str]]]) -> list[OpenText]:
    """Snapshots of open documents (their lines copied: the store edits them in place)."""
    return [OpenText(uri=uri, analysis=analysis, lines=list(lines)) for uri, analysis, lines in items]
