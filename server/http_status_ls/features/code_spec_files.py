"""The cross-check over files on disk, for ``http-status-ls check``: the routes already read from
each Python file, the API descriptions among the files read and modelled here.

Paths come as ``check`` prints them, and the findings go back with them; in between they are made
relative to the folder holding them all (``routes.resolve_routes`` reads module names from its
keys). Only the descriptions the ``openApiSpecs`` setting names count, when it names any.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import replace

from http_status_ls.core.languages import language_of
from http_status_ls.core.project_files import read_regular_file
from http_status_ls.detect.openapi_operations import operations_of
from http_status_ls.detect.python.routes import FileRoutes, resolve_routes
from http_status_ls.features.code_spec import CrossCheck, SpecSource, base_paths, cross_check


def read_spec(path: str) -> SpecSource | None:
    """The description at ``path`` as the cross-check reads it; None when it is not one (or unreadable)."""
    language = language_of(path, None)
    if language not in ("yaml", "json"):
        return None
    try:
        text = read_regular_file(path).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    document = operations_of(text, language)
    if document is None:
        return None
    return SpecSource(path, document, base_paths(text, language))


def named_by(path: str, named: Iterable[str]) -> bool:
    """Whether ``path`` is one of the ``openApiSpecs`` the settings name (relative to the current
    folder, or a path ending with the named one)."""
    mine = os.path.normcase(os.path.abspath(path))
    for name in named:
        wanted = os.path.normcase(os.path.normpath(name))
        if mine == os.path.normcase(os.path.abspath(name)) or mine.endswith(os.sep + wanted.lstrip(os.sep)):
            return True
    return False


def cross_check_files(
    routes: Mapping[str, FileRoutes], descriptions: Iterable[str], *, named: tuple[str, ...] = ()
) -> CrossCheck:
    """Handlers of ``routes`` (path -> the file's routes) against the ``descriptions`` (paths)."""
    specs = []
    for path in descriptions:
        if named and not named_by(path, named):
            continue
        source = read_spec(path)
        if source is not None:
            specs.append(source)
    if not specs:
        return CrossCheck()
    # Keys relative to the folder holding every file: module names are read from them.
    top = os.path.commonpath([os.path.dirname(os.path.abspath(path)) for path in (*routes, *(s.path for s in specs))])
    back: dict[str, str] = {}

    def key(path: str) -> str:
        relative = os.path.relpath(os.path.abspath(path), top).replace(os.sep, "/")
        back[relative] = path
        return relative

    handlers = resolve_routes({key(path): file for path, file in routes.items()})
    specs = [SpecSource(key(spec.path), spec.document, spec.base_paths) for spec in specs]
    result = cross_check(handlers, specs)
    result.findings = [replace(finding, file=back.get(finding.file, finding.file)) for finding in result.findings]
    return result
