"""The operations of an OpenAPI or Swagger description and what each declares it answers.

The occurrences of a detection say where each response key is; the response-set rules (and the
hover on a ``responses`` key, and the quick fixes adding a response or a header) need more: which
method and path a ``responses`` object belongs to, each response's description, headers and body
(through a ``$ref`` to ``components/responses`` or Swagger's ``responses`` when there is one in the
file), whether the operation is secured (``security`` of the operation, else of the root;
``security: []`` means none) and whether it takes a request body or parameters.

:func:`operations_of` builds that model from the text, in its own pass, only when a feature asks:
diagnostics are computed once per document version, so the detectors pay nothing for it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import MISSING, dataclass, fields
from typing import TYPE_CHECKING, Any

from http_status_ls.core.occurrences import Analysis, Span

if TYPE_CHECKING:
    from http_status_ls.detect.openapi_reads import Edit

METHODS: tuple[str, ...] = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
"""The operation keys of a path item, in the specification's order."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponseEntry:
    """One key of an operation's ``responses`` object and what its response declares."""

    key: str
    """The key without quotes: ``200``, ``4XX``, ``default`` (also keys that are not status codes)."""
    code: int | None
    """The status code of a numeric key; None for ranges, ``default`` and other keys."""
    range_class: int | None
    """4 for ``4XX``; None otherwise."""
    span: Span
    """The key as written, quotes included."""
    description: str | None = None
    description_span: Span | None = None
    """The description's value as written (quotes included), for a fix that replaces it."""
    headers: tuple[str, ...] = ()
    """The names of the response's ``headers``, as written (compare case-insensitively)."""
    headers_span: Span | None = None
    """The ``headers`` key, when the response (not a ``$ref`` it points to) has one."""
    has_body: bool = False
    """A ``content`` (3.x) or ``schema`` (2.0) is declared, here or in the response it refers to."""
    body_span: Span | None = None
    """The body key, when the body is declared here rather than through the ``$ref``."""
    content_types: tuple[str, ...] = ()
    """The media types of the body (3.x), here or through the ``$ref``. A body written here has them
    read only for error responses (``4..``, ``5..``, ``default``), the one place a fix looks for
    them; a response reached through a ``$ref`` has them whatever its code."""
    ref: str | None = None
    """The response's ``$ref``, when it is a reference (``#/components/responses/NotFound``)."""
    ref_resolved: bool = False
    """The ``$ref`` points into this file and was followed: description, headers and body come from there."""


_ENTRY_DEFAULTS = {field.name: field.default for field in fields(ResponseEntry) if field.default is not MISSING}
# The slot descriptors of the fields: setting through them is what the frozen dataclass's `__init__`
# does by way of `object.__setattr__`, minus the keyword handling and the lookups.
_ENTRY_SLOTS = tuple((field.name, vars(ResponseEntry)[field.name].__set__) for field in fields(ResponseEntry))


def new_response_entry(
    key: str, code: int | None, range_class: int | None, span: Span, declared: dict[str, Any]
) -> ResponseEntry:
    """``ResponseEntry(key=key, code=code, range_class=range_class, span=span, **declared)`` in two
    thirds of the time, for the model, which makes one per response (1,858 in GitHub's description)."""
    values = {**_ENTRY_DEFAULTS, **declared, "key": key, "code": code, "range_class": range_class, "span": span}
    if len(values) != len(_ENTRY_SLOTS):
        unknown = sorted(set(values) - {name for name, _ in _ENTRY_SLOTS})
        raise TypeError(f"ResponseEntry has no field {', '.join(unknown)}")
    entry = object.__new__(ResponseEntry)
    for name, set_slot in _ENTRY_SLOTS:
        set_slot(entry, values[name])
    return entry


@dataclass(frozen=True, slots=True, kw_only=True)
class Operation:
    """One operation: a method of a path item under ``paths``, ``webhooks`` or a callback."""

    method: str
    """Lower case, as the specification writes it: ``get``."""
    path: str
    """The path template (``/pets/{id}``), the webhook's name, or the callback's expression."""
    pointer: str
    """The JSON pointer of the operation (``/paths/~1pets~1{id}/get``); its ``responses`` object
    is the detection's :class:`~http_status_ls.core.occurrences.ResponsesBlock` with
    ``pointer + "/responses"``."""
    where: str = "paths"
    """``paths``, ``webhooks`` or ``callbacks``."""
    span: Span
    """The method key."""
    responses: tuple[ResponseEntry, ...] = ()
    responses_span: Span | None = None
    """The ``responses`` key to the end of its value; None when the operation has no ``responses``."""
    responses_flow: bool = False
    """JSON or a YAML flow mapping: a new response needs a comma and quotes."""
    responses_key_indent: int | None = None
    """Block YAML: the column the response keys start at."""
    secured: bool | None = None
    """Whether a request must authenticate: the operation's ``security``, else the root's;
    ``security: []`` (or only ``{}`` alternatives) is False; None when neither says."""
    has_request_body: bool = False
    """``requestBody`` (3.x), or a parameter ``in: body``/``formData`` (2.0)."""
    has_parameters: bool = False
    """Any ``parameters`` on the operation or its path item."""

    @property
    def label(self) -> str:
        """``GET /pets/{id}`` for messages."""
        return f"{self.method.upper()} {self.path}"

    def response(self, code: int) -> ResponseEntry | None:
        """The entry whose key is exactly ``code``."""
        return next((entry for entry in self.responses if entry.code == code), None)


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenApiDocument:
    """The operations of one description."""

    version: str
    """The ``openapi`` or ``swagger`` value."""
    language: str
    """``yaml`` or ``json``."""
    operations: tuple[Operation, ...] = ()
    response_refs: tuple[str, ...] = ()
    """The ``$ref`` of every reusable response in the file (``#/components/responses/Error``), for
    a fix that adds an error response pointing at one."""
    schema_refs: tuple[str, ...] = ()
    """The ``$ref`` of the reusable schemas whose name says error/problem, for the same fix."""

    @property
    def swagger2(self) -> bool:
        return self.version.startswith("2")


def operations_of(text: str, language: str, *, tree: Any = None) -> OpenApiDocument | None:
    """The operations of ``text`` (``language`` ``yaml`` or ``json``); None when it is not an API
    description or cannot be read. ``tree``: the JSON detector's tree of this very text, if at hand
    (``Analysis.detection.tree``), which spares a parse."""
    from http_status_ls.detect.openapi_read import read_document

    return read_document(text, language, tree)[0]


@dataclass(slots=True)
class _Built:
    """One document's model, the text and analysis it is for, and what its build read."""

    analysis: Any
    text: str | None
    """None while only the lines are known (the model was carried over an edit found from them)."""
    language: str
    document: OpenApiDocument | None
    reads: Any
    lines: list[str] | None = None
    descriptions: dict[int, list[tuple[int, int]]] | None = None
    """Line -> (operation, response) indexes of the descriptions written on it, once asked for."""
    rightmost: dict[int, int] | None = None
    """Line -> the rightmost column the model keeps a position at, once asked for."""
    broken: tuple[int, str] | None = None
    """The row an edit broke while the model was kept, and its text before (`openapi_reads.Edit.breaks`)."""
    mark: int | None = None
    """The state of the document's lines that ``lines`` copies, when the lines remember their edits
    (`lsp.documents.Lines`): asking them what changed since costs nothing like comparing them."""


_BUILT: dict[str, _Built] = {}
"""The last model of each recently analysed document, by URI."""
_KEPT = 8


def forget(uri: str) -> None:
    """Drop the model kept for ``uri`` (its document closed): a 4 MB description's model keeps its
    analysis, lines and text alive."""
    _BUILT.pop(uri, None)


def model_of(analysis: Analysis, text: str | Callable[[], str], lines: Sequence[str] | None = None) -> OpenApiDocument | None:
    """The model of an analysed description, built once for the last analysis asked about (the
    diagnostics, a hover and the code actions of one version share it), and carried over an edit
    that cannot change it (`openapi_reads`); None for other documents. ``lines``: the text's lines
    as an editor's document keeps them (unchanged lines being the same objects; lines that remember
    their edits, `lsp.documents.Lines`, even tell which rows changed), which makes finding the
    edit since the last version cheap; then ``text`` may be a function giving the text,
    called only when the model is built again (joining 4 MB of lines costs milliseconds)."""
    if analysis.openapi is None or analysis.language not in ("yaml", "json"):
        return None
    last = _BUILT.get(analysis.uri)
    if last is not None and last.analysis is analysis and (callable(text) or last.text is text):
        return last.document
    if last is not None and last.language == analysis.language and last.document is not None and last.reads is not None:
        kept, text = _carry_over(last, analysis, text, lines)
        if kept is not None:
            return kept
    return _build(analysis, text() if callable(text) else text, lines)


def _carry_over(
    last: _Built, analysis: Analysis, text: str | Callable[[], str], lines: Sequence[str] | None
) -> tuple[OpenApiDocument | None, str | Callable[[], str]]:
    """The model of ``last`` kept over the edit since it was built, recorded as the model of
    ``analysis``; None when it must be built again. The text comes back too: when the edit had to
    be found from it, it was read, and building again must not read it a second time."""
    by_lines = last.lines is not None and lines is not None
    if not by_lines:
        text = text() if callable(text) else text
    if not by_lines and last.text is None:
        return None, text  # neither lines nor text to compare with: the edit cannot be found
    rows = _rows_changed(last, lines) if by_lines else None
    edit = last.reads.edit_between(last.text or "", text if isinstance(text, str) else "", last.lines, lines, last.broken, rows)
    if edit is None:
        return None, text
    kept, breaks = _patched(last, edit, analysis)
    if kept is None:
        return None, text
    _record(last, analysis, text, lines, edit, kept, breaks, rows)
    return kept, text


def _rows_changed(last: _Built, lines: Sequence[str] | None) -> tuple[int, int, int] | None:
    """What the lines say changed since ``last`` copied them (`lsp.documents.Lines`); None when
    they cannot say, and the two lists must be compared."""
    asked = getattr(lines, "rows_changed_since", None)
    if asked is None or last.mark is None:
        return None
    rows: tuple[int, int, int] | None = asked(last.mark)
    return rows


def _mark_of(lines: Sequence[str] | None) -> int | None:
    mark = getattr(lines, "mark", None)
    return mark if isinstance(mark, int) else None


def _patched(last: _Built, edit: Edit, analysis: Analysis) -> tuple[OpenApiDocument | None, bool]:
    """The model of ``last`` after ``edit`` (None when it must be built again), and whether the
    edit breaks its line. Only an edit on a line the model read can change the model."""
    kept, breaks = last.document, edit.breaks
    if not edit.on_read_line:
        return kept, breaks
    from http_status_ls.detect.openapi_patch import breaks_the_line, keeps_through_spacing, patch_description

    again = last.broken is not None and last.broken[0] == edit.row
    # A key line that is no key any more is a broken document only if the detector met an error:
    # `description:x OK` is a valid plain scalar, and the response no longer has a description.
    if breaks_the_line(last, edit, still=again):  # YAML only
        from http_status_ls.detect.yaml import read_with_errors

        if read_with_errors(analysis.detection):
            return kept, True
    if again:
        return None, breaks  # mended otherwise: the model is of the line before it broke
    if not keeps_through_spacing(last, edit):
        kept = patch_description(last, edit)
    return kept, breaks


def _record(
    last: _Built,
    analysis: Analysis,
    text: str | Callable[[], str],
    lines: Sequence[str] | None,
    edit: Edit,
    kept: OpenApiDocument,
    breaks: bool,
    rows: tuple[int, int, int] | None = None,
) -> None:
    """Make ``kept`` the model of ``analysis``, remembering the row ``edit`` broke (or mended).
    ``rows``: the rows that changed since the lines were copied, which are all the copy needs."""
    if breaks:
        last.broken = last.broken or (edit.row, edit.old_line)
    elif last.broken is not None and edit.row == last.broken[0]:
        last.broken = None  # the line has its text back
    last.analysis, last.text, last.document = analysis, text if isinstance(text, str) else None, kept
    if rows is not None and last.lines is not None and lines is not None:
        first, old_end, new_end = rows
        last.lines[first:old_end] = lines[first:new_end]  # copying 160,000 lines takes a millisecond
    else:
        last.lines = None if lines is None else list(lines)
    last.mark = _mark_of(lines)


def _build(analysis: Analysis, text: str, lines: Sequence[str] | None) -> OpenApiDocument | None:
    """Build the model of ``text`` and keep it as the latest of its document."""
    from http_status_ls.detect.openapi_read import read_document

    detection = analysis.detection
    tree = detection.tree if analysis.language == "json" else None
    document, reads = read_document(text, analysis.language, tree, detection.source, detection.skeleton)
    if detection.skeleton is not None:
        detection.skeleton.release()  # its one use
    _BUILT.pop(analysis.uri, None)
    _BUILT[analysis.uri] = _Built(
        analysis, text, analysis.language, document, reads, None if lines is None else list(lines), mark=_mark_of(lines)
    )
    while len(_BUILT) > _KEPT:
        del _BUILT[next(iter(_BUILT))]
    return document
