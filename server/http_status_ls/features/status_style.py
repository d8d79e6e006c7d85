"""The ``status-style`` rule: one spelling of status codes in a Python file, and its rewrites.

- ``named``: a number where a status is sent or tested becomes a library constant
  (``abort(404)`` -> ``abort(HTTPStatus.NOT_FOUND)``). The library is the one whose constants the file
  already uses, else the project's (``statusStyle.library``), else the file's framework's, else
  ``HTTPStatus``: one library per file, so a file gets one new import at most. The codes of
  ``statusStyle.allow`` may stay numbers.
- ``numeric``: a library's int constant becomes its number (``status.HTTP_201_CREATED`` -> ``201``).

Only where the rewrite is plain: call arguments, keyword arguments and parameter defaults, returned
values, ``==``/``!=`` comparisons and ``assert`` statements; never inside collections, patterns,
assignments or strings, never with a name the project's Python or library version lacks (the
refactoring's own checks, :mod:`.actions.refactor`), and never when the import a constant needs has
no free name to bind. The judgement and the fixes (quick fix, ``source.fixAll``, ``check --fix``)
share :class:`StyleRewrites`, so a finding always has its fix.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from http_status_ls.core.occurrences import Analysis, Kind, Occurrence, Role, Span
from http_status_ls.core.project_target import UNKNOWN as UNKNOWN_TARGET
from http_status_ls.core.project_target import ProjectTarget
from http_status_ls.core.style_settings import DEFAULT_STYLE, StatusStyle
from http_status_ls.detect.python.tree import Node, same
from http_status_ls.features.actions.edits import DocumentText, Edit
from http_status_ls.features.actions.refactor import Refactorings, constant_name
from http_status_ls.kb import libraries
from http_status_ls.kb.libraries import Library

if TYPE_CHECKING:
    from http_status_ls.features.diagnostics import _Judge

RULE = "status-style"
_FALLBACK = "http.HTTPStatus"
_CLIMBED = frozenset({"parenthesized_expression", "conditional_expression"})
_EQUALITY = frozenset({"==", "!="})


@dataclass(frozen=True, slots=True)
class StyleRewrite:
    """One occurrence written in the other style: the edit and what it writes."""

    occurrence: Occurrence
    edit: Edit
    written: str
    """The old spelling, as the message shows it."""
    needs_import: bool


@dataclass(frozen=True, slots=True)
class _Namespace:
    """The constants a named-style file gets: how it spells them, and the import they need, if any."""

    library: Library
    text: str
    import_edits: tuple[Edit, ...]


class StyleRewrites:
    """The style rewrites of one analysed Python document."""

    def __init__(
        self,
        analysis: Analysis,
        text: DocumentText,
        target: ProjectTarget = UNKNOWN_TARGET,
        style: StatusStyle = DEFAULT_STYLE,
    ):
        self.analysis = analysis
        self.text = text
        self.target = target
        self.style = style
        self.refactorings = Refactorings(analysis, text, target)

    @cached_property
    def import_edits(self) -> list[Edit]:
        """The import the named style adds to this file (empty when it needs none)."""
        namespace = self._namespace
        return list(namespace.import_edits) if namespace is not None else []

    def all(self) -> list[StyleRewrite]:
        if self.analysis.language != "python":
            return []
        found = (self.for_occurrence(occurrence) for occurrence in self.analysis.occurrences)
        return [rewrite for rewrite in found if rewrite is not None]

    def for_occurrence(self, occurrence: Occurrence) -> StyleRewrite | None:
        if self.analysis.language != "python":
            return None
        if self.style.style == "numeric":
            return self._to_number(occurrence)
        return self._to_name(occurrence)

    # --- named -----------------------------------------------------------------------------------

    def _to_name(self, occurrence: Occurrence) -> StyleRewrite | None:
        code = occurrence.code
        if (
            occurrence.kind is not Kind.LITERAL
            or code is None
            or code in self.style.allow
            or occurrence.text != str(code)
            or occurrence.role is Role.BOUND  # ``>= 400`` names a class, not one code
            or occurrence.context.endswith("HTTPStatus()")  # HTTPStatus(404) stays a number
        ):
            return None
        span = occurrence.span
        line = self.text.line(span.start_line)
        if span.start_col > 0 and line[span.start_col - 1] in "'\"":
            return None  # the digits of a status line inside a string
        namespace = self._namespace
        if namespace is None or not self._in_scope(span):
            return None
        name = constant_name(namespace.library.name, code, target=self.target)
        if name is None:
            return None  # the project's Python or library version lacks a name for it
        new = f"{namespace.text}.{name}"
        return StyleRewrite(occurrence, (span, new), occurrence.text, bool(namespace.import_edits))

    @cached_property
    def _namespace(self) -> _Namespace | None:
        """The one library this file's literals become, or None when none can be written safely."""
        module = self.refactorings.python
        server = bool(module.roots & libraries.SERVER_PACKAGES)
        usable = [
            library
            for library in libraries.CONSTANT_LIBRARIES
            if library.new_import is not None and not (library.used_by == "client" and server)
        ]
        used = {o.name.library for o in self.analysis.occurrences if o.kind is Kind.NAME and o.name is not None}
        spelled = module.namespaces
        # The constants the file already uses (or imports by name), the setting's first among them.
        in_file = [
            library
            for library in usable
            if library.name in spelled and (library.name in used or "." not in spelled[library.name])
        ]
        in_file.sort(key=lambda library: library.name != self.style.library)
        if in_file:
            return _Namespace(in_file[0], spelled[in_file[0].name], ())
        if module.root.has_error:
            return None  # where an import goes is not certain in a file that does not parse
        for library in self._choices(usable, server):
            if library.name in spelled:
                return _Namespace(library, spelled[library.name], ())
            new = library.new_import
            if new is not None and module.is_free(new.local):
                return _Namespace(library, new.namespace, tuple(module.add_import(new)))
        return None

    def _choices(self, usable: list[Library], server: bool) -> list[Library]:
        """The libraries to write the constants with, best first: the setting's, else those the
        project depends on (server ones first; client ones only outside a server), then the fallback."""
        roots = self.refactorings.python.roots
        choices = [library for library in usable if library.name == self.style.library]
        if not choices:
            choices = [library for library in usable if library.used_by == "server" and library.package in roots]
            if not server:
                choices += [library for library in usable if library.used_by == "client" and library.package in roots]
            choices.append(libraries.BY_NAME[_FALLBACK])
        return choices

    # --- numeric ---------------------------------------------------------------------------------

    def _to_number(self, occurrence: Occurrence) -> StyleRewrite | None:
        ref = occurrence.name
        if occurrence.kind is not Kind.NAME or ref is None:
            return None
        library = libraries.BY_NAME.get(ref.library)
        if library is None or library.rewrite_preference is None:
            return None  # classes and strings (falcon's '404 Not Found') have no number to become
        expression = self.refactorings.expression_of(occurrence)
        if expression is None or not self._in_scope(expression):
            return None
        line = self.text.line(expression.start_line)
        written = line[expression.start_col : expression.end_col]
        return StyleRewrite(occurrence, (expression, str(ref.code)), written, False)

    # --- where -----------------------------------------------------------------------------------

    def _in_scope(self, span: Span) -> bool:
        """Whether the expression at ``span`` is a call or keyword argument, a parameter default, a
        returned value, a side of ``==``/``!=`` or an asserted value."""
        node = self._node(span)
        if node is None:
            return False
        parent = node.parent
        while parent is not None and parent.type in _CLIMBED:
            node, parent = parent, parent.parent
        if parent is None:
            return False
        kind = parent.type
        if kind == "argument_list" or kind in ("return_statement", "assert_statement"):
            return True
        if kind in ("keyword_argument", "default_parameter", "typed_default_parameter"):
            return same(parent.child_by_field_name("value"), node)
        if kind in ("expression_list", "tuple"):
            owner = parent.parent
            return owner is not None and owner.type == "return_statement"
        if kind == "comparison_operator":
            operators = {child.type for child in parent.children if not child.is_named}
            return bool(operators) and operators <= _EQUALITY
        return False

    def _node(self, span: Span) -> Node | None:
        """The smallest named node that is exactly the expression at ``span``."""
        if span.start_line != span.end_line:
            return None
        line = self.text.line(span.start_line)
        start = (span.start_line, len(line[: span.start_col].encode("utf-8", "surrogatepass")))
        end = (span.end_line, len(line[: span.end_col].encode("utf-8", "surrogatepass")))
        module = self.refactorings.python
        node: Node | None = module.root.named_descendant_for_point_range(start, end)
        if node is None or (node.start_point.row, node.start_point.column) != start:
            return None
        if (node.end_point.row, node.end_point.column) != end:
            return None
        return node


def message(rewrite: StyleRewrite) -> str:
    """One line, the fix first (the old spelling is under the squiggle)."""
    return f"Write {rewrite.edit[1]}, as the project spells status codes"


def lines_of(text: str) -> list[str]:
    """A text's lines with their breaks, split where the detectors split them (``\n``)."""
    lines = text.split("\n")
    return [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])


def judge(run: _Judge) -> None:
    """The rule's findings, added to a diagnostics run (``features.diagnostics``). It reads the
    text, so a run without it reports nothing here."""
    lines: Sequence[str] | None = run.lines
    if lines is None and run.text is not None:
        lines = lines_of(run.text)
    if lines is None or run.analysis.language != "python":
        return
    style = getattr(run.severity, "status_style", None) or DEFAULT_STYLE
    rewrites = StyleRewrites(run.analysis, DocumentText(lines), run.target, style)
    for rewrite in rewrites.all():
        occurrence = rewrite.occurrence
        code = occurrence.code if occurrence.name is None else occurrence.name.code
        entry = run.registry.entry(code) if code is not None else None
        run.add(
            occurrence.span,
            RULE,
            message(rewrite),
            code=code,
            href=entry.url if entry is not None else None,
            data={"replacement": rewrite.edit[1]},
        )
