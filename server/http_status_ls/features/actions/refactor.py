"""The rewrites offered at the cursor (``refactor.rewrite``): a Python status literal as a library
constant, and a constant back as its number.

- ``abort(404)`` -> ``abort(HTTPStatus.NOT_FOUND)``, in the file's own style: a constants namespace
  the module already imports (then the action is a ``quickfix`` too), else the framework's
  (``status`` from FastAPI, Starlette or DRF), the client library's (``requests.codes``,
  ``httpx.codes``) in client code, or ``HTTPStatus``. A missing import is added where isort would
  put it.
- ``HTTPStatus.NOT_FOUND`` (``status.HTTP_404_NOT_FOUND``, ``requests.codes.not_found``...) -> ``404``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cached_property

from http_status_ls.core.occurrences import Analysis, Kind, Occurrence, Role, Span
from http_status_ls.core.project_target import UNKNOWN as UNKNOWN_TARGET
from http_status_ls.core.project_target import ProjectTarget
from http_status_ls.features.actions.add_import import PythonModule
from http_status_ls.features.actions.edits import QUICKFIX, REWRITE, Action, DocumentText, wanted
from http_status_ls.kb import libraries, registry
from http_status_ls.kb.libraries import Library

_FALLBACK = "http.HTTPStatus"
"""The library a module that imports no usable one gets: the standard library's."""
_MAX_CONSTANTS = 3


def constant_name(library: str, code: int, *, by_item: bool = False, target: ProjectTarget = UNKNOWN_TARGET) -> str | None:
    """The current name a library prefers for ``code`` on the project's ``target``, usable after a
    dot (``codes.ok``) or, with ``by_item``, between quotes (``codes['ok']``); None when it has none.

    A name the target lacks is never written (``HTTPStatus.UNPROCESSABLE_CONTENT`` before Python
    3.13 is an ``AttributeError``), and a deprecated one only where its replacement is missing too:
    on starlette before 0.48, ``HTTP_422_UNPROCESSABLE_ENTITY`` is the name."""
    entry = registry.load().entry(code)
    if entry is None:
        return None
    for ref in entry.names_in(library):
        usable = ("'" not in ref.name and '"' not in ref.name) if by_item else ref.attribute_access
        if usable and target.has(ref) and not target.deprecates(ref):
            return ref.name
    return None


class Refactorings:
    """The rewrites of the occurrences of one analysed Python document."""

    def __init__(self, analysis: Analysis, text: DocumentText, target: ProjectTarget = UNKNOWN_TARGET):
        self.analysis = analysis
        self.text = text
        self.target = target
        """The project's versions, which decide the names written (see :func:`constant_name`)."""

    @cached_property
    def python(self) -> PythonModule:
        return PythonModule(self.analysis, self.text)

    def to_constant(self, occurrence: Occurrence, only: Sequence[str] | None) -> list[Action]:
        """``404`` -> a library constant; one action per namespace the module imports that names the
        code, else one that adds the import of the file's style."""
        code = occurrence.code
        if (
            self.analysis.language != "python"
            or occurrence.kind is not Kind.LITERAL
            or code is None
            or occurrence.text != str(code)
            or occurrence.context == "HTTPStatus()"
            or occurrence.role is Role.BOUND  # ``>= 400`` names a class; BAD_REQUEST names one code
        ):
            return []
        line = self.text.line(occurrence.span.start_line)
        if occurrence.span.start_col > 0 and line[occurrence.span.start_col - 1] in "'\"":
            return []  # the digits of a status line inside a string
        imported = self._imported_constants(occurrence, code, only)
        if imported:
            return imported[:_MAX_CONSTANTS]
        library = self._style(code)
        new = library.new_import if library is not None else None
        name = constant_name(library.name, code, target=self.target) if library is not None else None
        if new is None or name is None:
            return []
        edits = self.python.add_import(new) + [(occurrence.span, f"{new.namespace}.{name}")]
        return [Action(f"Replace {code} with {new.namespace}.{name} ({new.statement})", REWRITE, edits)]

    def _imported_constants(self, occurrence: Occurrence, code: int, only: Sequence[str] | None) -> list[Action]:
        """One action per constant library the module imports that names ``code`` (a client
        library's names are left out of server code)."""
        module = self.python
        server = bool(module.roots & libraries.SERVER_PACKAGES)
        actions = []
        for library in libraries.CONSTANT_LIBRARIES:
            text = module.namespaces.get(library.name)
            if text is None or (library.used_by == "client" and server):
                continue
            name = constant_name(library.name, code, target=self.target)
            if name is None:
                continue
            kind = QUICKFIX if wanted(QUICKFIX, only) else REWRITE
            actions.append(Action(f"Replace {code} with {text}.{name}", kind, [(occurrence.span, f"{text}.{name}")]))
        return actions

    def _style(self, code: int) -> Library | None:
        """The library a module that imports none (usable) should import: its framework's, its
        client library's, else HTTPStatus; the first that names the code and whose local name is
        free in the module."""
        module = self.python
        roots = module.roots
        server = bool(roots & libraries.SERVER_PACKAGES)
        choices = [
            library for library in libraries.CONSTANT_LIBRARIES if library.used_by == "server" and library.package in roots
        ]
        if not server:
            choices += [
                library for library in libraries.CONSTANT_LIBRARIES if library.used_by == "client" and library.package in roots
            ]
        choices.append(libraries.BY_NAME[_FALLBACK])
        for library in choices:
            new = library.new_import
            if (
                new is not None
                and constant_name(library.name, code, target=self.target) is not None
                and module.is_free(new.local)
            ):
                return library
        return None

    def expression_of(self, occurrence: Occurrence) -> Span | None:
        """The whole expression a library name stands in (``HTTPStatus.NOT_FOUND``,
        ``codes['teapot']``, a bare imported name), when a literal may replace it."""
        span = occurrence.span
        if span.start_line != span.end_line:
            return None
        line = self.text.line(span.start_line)
        start, end = span.start_col, span.end_col
        before = line[:start]
        if before.endswith("."):
            chain = re.search(r"(?:[^\W\d]\w*\.)+$", before)
            if chain is None:
                return None
            start = chain.start()
        elif before[-1:] in ("'", '"'):
            quote = before[-1]
            if not before[:-1].endswith("[") or line[end : end + 2] != quote + "]":
                return None
            chain = re.search(r"(?:[^\W\d]\w*\.)*[^\W\d]\w*$", before[:-2])
            if chain is None:
                return None
            start, end = chain.start(), end + 2
        elif self.python.in_import(span.start_line, start):
            return None
        if start > 0 and (line[start - 1] == "." or line[start - 1].isalnum() or line[start - 1] == "_"):
            return None
        after = line[end:].lstrip(" \t")
        if after[:1] in (".", "(", "["):
            return None  # HTTPStatus.NOT_FOUND.phrase: a number has no .phrase
        return Span(span.start_line, start, span.end_line, end)

    def to_literal(self, occurrence: Occurrence) -> list[Action]:
        """A constant -> its number."""
        ref = occurrence.name
        library = libraries.BY_NAME.get(ref.library) if ref is not None else None
        if (
            self.analysis.language != "python"
            or occurrence.kind is not Kind.NAME
            or ref is None
            or library is None
            or library.rewrite_preference is None
        ):
            return []
        expression = self.expression_of(occurrence)
        if expression is None:
            return []
        shown = self.text.line(expression.start_line)[expression.start_col : expression.end_col]
        return [Action(f"Replace {shown} with {ref.code}", REWRITE, [(expression, str(ref.code))])]
