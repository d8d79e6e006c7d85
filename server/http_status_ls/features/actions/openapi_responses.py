"""Quick fixes for the response-set rules of an OpenAPI description: add a missing response to an
operation, add a missing header to a response, write the right reason phrase as a description.

What to write comes from the knowledge base and from the file itself:

* a new response gets the code's phrase as its ``description`` and the headers the knowledge base
  says the code must (or should) send; an error points at what the file already uses for errors,
  a reusable response in ``components/responses`` (Swagger 2.0: ``responses``) whose name fits the
  code or is a generic error, else an error schema, so that the new entry matches its neighbours;
* a new header gets a ``description`` (the knowledge base's note) and a string schema.

Where and how it is written (indentation, quotes, commas) is :mod:`.openapi_edits`' job. A fix is
only offered when its edit is certain; a response that is a ``$ref`` gets no header beside it
(OpenAPI ignores a reference's siblings): the header goes into the response it refers to, when that
is in the file.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from functools import cached_property
from typing import Any

from http_status_ls.core.occurrences import Analysis, ResponsesBlock, Span
from http_status_ls.detect.openapi_operations import OpenApiDocument, Operation, ResponseEntry, model_of
from http_status_ls.features.actions.edits import QUICKFIX, Action, DocumentText, Edit
from http_status_ls.features.actions.openapi_edits import TextEdits, Tree, yaml_scalar
from http_status_ls.kb import registry

_RESPONSE_KEY = re.compile(r"\b(?:[1-5]\d\d|[1-5][xX][xX]|default)\b")
RULES = frozenset({"missing-success-response", "missing-error-response", "missing-response-header", "description-mismatch"})
"""The rules whose diagnostics get a fix here."""
_GENERIC_ERRORS = frozenset(
    {
        "error",
        "errors",
        "errorresponse",
        "errormodel",
        "errorobject",
        "default",
        "defaulterror",
        "defaultresponse",
        "generic",
        "genericerror",
        "unexpected",
        "unexpectederror",
        "problem",
        "problemdetails",
        "apierror",
        "standarderror",
    }
)
"""Names (lower case, letters and digits only) of a reusable response or schema for any error."""
_HOP_BY_HOP = frozenset({"connection"})
"""Headers the transport sets; an API description does not declare them."""
_SUCCESS_BY_METHOD = {"post": "201", "delete": "204"}
"""The success code a new response gets when nothing says which (else 200)."""


def _normal(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def sort_rank(key: str) -> float | None:
    """Where a response key goes among the others: codes in order, a range after its class's codes,
    ``default`` last; None for a key that is none of these."""
    if key.isascii() and key.isdigit():
        return float(key)
    if re.fullmatch(r"[1-5]XX", key):
        return int(key[0]) * 100 + 99.5
    if key == "default":
        return 1000.0
    return None


def _succeeds(key: str) -> bool:
    """Whether a response key is a success of some kind (2xx, 3xx, 101, their ranges)."""
    return key[:1] in ("2", "3") or key == "101"


def header_description(note: str) -> str:
    """The knowledge base's note on a header, cut to its first clause, without Markdown."""
    first = re.split(r",? e\.g\.|; |\. | \(", note.replace("`", ""), maxsplit=1)[0].rstrip(".;:,")
    return first if len(first) <= 80 else first[:79].rstrip() + "\N{HORIZONTAL ELLIPSIS}"


def expected_headers(code: int) -> list[tuple[str, str]]:
    """(name, description) of the headers the knowledge base says ``code`` must or should send."""
    entry = registry.load().entry(code)
    if entry is None:
        return []
    return [
        (h.name, header_description(h.note))
        for h in entry.headers
        if h.level in ("required", "recommended") and h.name.lower() not in _HOP_BY_HOP
    ]


def describe_key(key: str) -> str:
    """The description a new response with ``key`` gets: the code's phrase, the class's title."""
    reg = registry.load()
    if key.isdigit() and (entry := reg.entry(int(key))) is not None:
        return entry.phrase
    if re.fullmatch(r"[1-5]XX", key) and (klass := reg.status_class(int(key[0]))) is not None:
        return klass.title
    return "Unexpected error"


def wanted_value(data: Any, names: tuple[str, ...]) -> Any:
    """The first of ``names`` the diagnostic's ``data`` holds."""
    if not isinstance(data, Mapping):
        return None
    return next((data[name] for name in names if data.get(name) not in (None, "", [])), None)


class ResponseFixes:
    """The response-set quick fixes of one analysed API description."""

    def __init__(self, analysis: Analysis, text: DocumentText):
        self.analysis = analysis
        self.text = text
        self.edits = TextEdits(text, analysis.language)

    @cached_property
    def document(self) -> OpenApiDocument | None:
        # The diagnostics built it for this version already; the same lines make that cheap to see.
        return model_of(self.analysis, self.text.joined, self.text.lines)

    @property
    def swagger2(self) -> bool:
        return (self.analysis.openapi or "").startswith("2")

    # --- finding what a diagnostic is about ---------------------------------------------------------

    def operation_at(self, span: Span, pointer: Any = None) -> Operation | None:
        """The operation a diagnostic at ``span`` is about: the one its data points at, else the
        one whose method key, ``responses`` object or response it marks."""
        document = self.document
        if document is None:
            return None
        start = (span.start_line, span.start_col)
        for operation in document.operations:
            if pointer is not None and operation.pointer != pointer:
                continue
            # A diagnostic from another version of the text marks something else: no fix.
            if operation.span == span or (operation.responses_span is not None and operation.responses_span.contains(*start)):
                return operation
        return None

    def block_of(self, operation: Operation) -> ResponsesBlock | None:
        pointer = operation.pointer + "/responses"
        return next((b for b in self.analysis.detection.responses if b.pointer == pointer), None)

    # --- add a response -----------------------------------------------------------------------------

    def for_rule(self, rule: str, span: Span, data: Any, message: str) -> list[Action]:
        """The fixes for a diagnostic of ``rule`` at ``span`` (see :data:`RULES`)."""
        operation = self.operation_at(span, wanted_value(data, ("operation",)))
        if operation is None:
            return []
        actions: list[Action | None] = []
        if rule in ("missing-success-response", "missing-error-response"):
            actions = [self.add_response(operation, key) for key in self.missing_keys(operation, rule, data, message)]
        elif (entry := self._entry_at(operation, span)) is not None:
            if rule == "missing-response-header":
                actions = [self.add_header(operation, entry, header) for header in self._missing_headers(entry, data, message)]
            elif rule == "description-mismatch":
                actions = [self.replace_description(entry)]
        return [action for action in actions if action is not None]

    def _entry_at(self, operation: Operation, span: Span) -> ResponseEntry | None:
        """The response a diagnostic is about: the one whose key, description or headers it marks."""
        for entry in operation.responses:
            if span in (entry.span, entry.description_span, entry.headers_span):
                return entry
        return None

    def _missing_headers(self, entry: ResponseEntry, data: Any, message: str) -> list[str]:
        named = wanted_value(data, ("header", "headers", "missing"))
        headers = [str(h) for h in named] if isinstance(named, (list, tuple)) else [str(named)] if named else []
        if not headers and entry.code is not None:
            headers = [name for name, _ in expected_headers(entry.code) if name.lower() in message.lower()]
        declared = {name.lower() for name in entry.headers}
        return [header for header in dict.fromkeys(headers) if header.lower() not in declared]

    def missing_keys(self, operation: Operation, rule: str, data: Any, message: str) -> list[str]:
        """The response keys a fix for ``rule`` may add to ``operation``, at most three: what the
        diagnostic's data names, else the response keys its message names that the operation lacks,
        else (for a missing success) the usual success code of the method."""
        named = wanted_value(data, ("add", "missing", "expected", "suggested"))
        candidates = [str(item) for item in named] if isinstance(named, (list, tuple)) else [str(named)] if named else []
        if not candidates:
            candidates = [key.upper() if key[1:].lower() == "xx" else key for key in _RESPONSE_KEY.findall(message)]
        if self.swagger2:  # no ranges in Swagger 2.0: the class's first code stands for it
            candidates = [f"{key[0]}00" if key[1:] == "XX" else key for key in candidates]
        declared = {entry.key for entry in operation.responses}
        keys = [key for key in dict.fromkeys(candidates) if sort_rank(key) is not None and key not in declared]
        if not keys and rule == "missing-success-response" and not any(_succeeds(entry.key) for entry in operation.responses):
            keys = [_SUCCESS_BY_METHOD.get(operation.method, "200")]
        return keys[:3]

    def add_response(self, operation: Operation, key: str) -> Action | None:
        block = self.block_of(operation)
        if block is None or any(entry.key == key for entry in operation.responses):
            return None
        edit = self._add_response_edit(block, key, self.scaffold(operation, key))
        if edit is None:
            return None
        return Action(f"Add a {key} response ({describe_key(key)}) to {operation.label}", QUICKFIX, [edit])

    def scaffold(self, operation: Operation, key: str) -> Tree:
        """What a new response with ``key`` declares (see the module's docstring)."""
        code = int(key) if key.isdigit() else None
        error = key == "default" or key[0] in "45"
        headers = expected_headers(code) if code is not None else []
        if error and not headers and (ref := self._error_response_ref(code, key)) is not None:
            return {"$ref": ref}
        tree: Tree = {"description": describe_key(key)}
        if headers:
            tree["headers"] = {name: self._header_tree(text) for name, text in headers}
        schema = self._error_schema_ref() if error else None
        if schema is not None:
            if self.swagger2:
                tree["schema"] = {"$ref": schema}
            else:
                tree["content"] = {self._error_media_type(operation, schema): {"schema": {"$ref": schema}}}
        return tree

    def _header_tree(self, description: str) -> Tree:
        if self.swagger2:
            return {"description": description, "type": "string"}
        return {"description": description, "schema": {"type": "string"}}

    def _error_response_ref(self, code: int | None, key: str) -> str | None:
        """A reusable response for this error: one named after the code or its phrase, else a generic one."""
        document = self.document
        if document is None:
            return None
        reg = registry.load()
        entry = reg.entry(code) if code is not None else None
        phrase = _normal(entry.phrase) if entry is not None else None
        others = {_normal(e.phrase) for e in reg.entries if e.code != code and e.registered and len(_normal(e.phrase)) > 4}
        best: tuple[int, str] | None = None
        for ref in document.response_refs:
            name = _normal(ref.rsplit("/", 1)[-1])
            if phrase and phrase in name or code is not None and str(code) in name:
                score = 2
            elif name in _GENERIC_ERRORS and not any(other in name for other in others):
                score = 1
            else:
                continue
            if best is None or score > best[0]:
                best = (score, ref)
        return best[1] if best is not None else None

    def _error_schema_ref(self) -> str | None:
        document = self.document
        if document is None or not document.schema_refs:
            return None
        generic = [ref for ref in document.schema_refs if _normal(ref.rsplit("/", 1)[-1]) in _GENERIC_ERRORS]
        return (generic or list(document.schema_refs))[0]

    def _error_media_type(self, operation: Operation, schema: str) -> str:
        """The media type the file's error responses use (this operation's first), else JSON."""
        used: Counter[str] = Counter()
        operations = [operation, *(self.document.operations if self.document else ())]
        for other in operations:
            for entry in other.responses:
                if entry.key == "default" or entry.key[:1] in "45":
                    used.update(entry.content_types)
            if used:
                break
        if used:
            return used.most_common(1)[0][0]
        return "application/problem+json" if "problem" in schema.lower() else "application/json"

    def _key_text(self, block: ResponsesBlock, key: str) -> str:
        """``key`` as a YAML block key: OpenAPI 3 status keys are strings, so codes and ranges are
        quoted, with the quote most neighbours use; Swagger 2.0 follows its neighbours."""
        if key == "default":
            return key
        quotes = [k.text[0] for k in block.keys if k.quoted and k.text[:1] in "'\""]
        if self.swagger2 and len(quotes) * 2 < len(block.keys):
            return key
        quote = '"' if quotes.count('"') > quotes.count("'") else "'"
        return f"{quote}{key}{quote}"

    def _add_response_edit(self, block: ResponsesBlock, key: str, tree: Tree) -> Edit | None:
        start = block.span
        if block.flow:
            key_end = self._key_end(start.start_line, start.start_col)
            obj = self.edits.value_object(key_end) if key_end is not None else None
            if obj is None or any(member.key == key for member in obj.members):
                return None
            return self.edits.append_member(obj, key, tree)
        entry = self.edits.block_entry(start.start_line, start.start_col)
        if entry is None:
            return None
        indent = block.key_indent if block.key_indent is not None else entry.child_indent
        if indent is None:
            indent = entry.indent + self.edits.step
        row = entry.last_row + 1
        rank = sort_rank(key)
        for occurrence in block.keys:
            value = occurrence.value or occurrence.text.strip("'\"")
            other = sort_rank(value)
            span = occurrence.span
            at_line_start = not self.text.line(span.start_line)[: span.start_col].strip()
            if rank is not None and other is not None and other > rank and at_line_start and span.start_col == indent:
                row = span.start_line
                break
        return self.edits.insert_block(row, indent, self._key_text(block, key), tree, self._response_step(block, indent))

    def _response_step(self, block: ResponsesBlock, indent: int) -> int:
        """How much deeper a response's own keys sit than its status key, as the block writes it."""
        for occurrence in block.keys:
            entry = self.edits.block_entry(occurrence.span.start_line, occurrence.span.start_col)
            if entry is not None and entry.child_indent is not None and entry.indent == indent:
                return entry.child_indent - indent
        return self.edits.step

    def _key_end(self, row: int, col: int) -> int | None:
        """The offset right after the key that starts at (``row``, ``col``)."""
        line = self.text.line(row)
        start = self.text.offset(row, col)
        if line[col : col + 1] in ("'", '"'):
            quote = line[col]
            close = line.find(quote, col + 1)
            return start + close - col + 1 if close > col else None
        colon = line.find(":", col)
        return start + colon - col if colon > col else None

    # --- add a header ----------------------------------------------------------------------------------

    def add_header(self, operation: Operation, entry: ResponseEntry, header: str) -> Action | None:
        """The header added to the response, or to the reusable response it refers to (every
        operation that refers to it gets the header)."""
        code = entry.code
        notes = dict(expected_headers(code)) if code is not None else {}
        tree = self._header_tree(notes.get(header, f"The {header} header"))
        if entry.ref is None:
            where: tuple[int, int] | None = (entry.span.start_line, entry.span.start_col)
            title = f"Add the {header} header to the {entry.key} response of {operation.label}"
        else:
            where = self._component(entry.ref)
            users = (
                sum(other.ref == entry.ref for op in self.document.operations for other in op.responses) if self.document else 0
            )
            shared = f" (used by {users} responses)" if users > 1 else ""
            title = f"Add the {header} header to the {entry.ref.rsplit('/', 1)[-1]} response{shared}"
        edit = self._add_header_edit(where, header, tree) if where is not None else None
        if edit is None:
            return None
        return Action(title, QUICKFIX, [edit])

    def _component(self, ref: str) -> tuple[int, int] | None:
        """Where the key of the reusable response ``ref`` (``#/components/responses/NotFound``) is."""
        if not ref.startswith("#/"):
            return None  # in another file
        tokens = [token.replace("~1", "/").replace("~0", "~") for token in ref[2:].split("/")]
        return self.edits.locate(tokens)

    def _add_header_edit(self, where: tuple[int, int], header: str, tree: Tree) -> Edit | None:
        """The header added under the response whose key starts at ``where`` (row, column)."""
        block = self.edits.block_entry(*where)
        if block is None:
            key_end = self._key_end(*where)
            response = self.edits.value_object(key_end) if key_end is not None else None
            if response is None or any(m.key == "$ref" for m in response.members):
                return None
            headers = next((m for m in response.members if m.key == "headers"), None)
            if headers is None:
                return self.edits.append_member(response, "headers", {header: tree})
            inner = self.edits.flow_object(headers.value_start)
            return self.edits.append_member(inner, header, tree) if inner is not None else None
        children = dict(self.edits.block_children(block))
        if "$ref" in children:
            return None
        step = self.edits.step
        child_indent = block.child_indent if block.child_indent is not None else block.indent + step
        if "headers" not in children:
            return self.edits.insert_block(block.last_row + 1, child_indent, "headers", {header: tree})
        headers_entry = self.edits.block_entry(children["headers"], child_indent)
        if headers_entry is None:
            return None  # `headers: {...}` on one line: left to the user
        indent = headers_entry.child_indent if headers_entry.child_indent is not None else child_indent + step
        return self.edits.insert_block(headers_entry.last_row + 1, indent, yaml_scalar(header), tree)

    # --- the description ---------------------------------------------------------------------------------

    def replace_description(self, entry: ResponseEntry) -> Action | None:
        """The response's description -> the reason phrase of its own code."""
        span = entry.description_span
        target = registry.load().entry(entry.code) if entry.code is not None else None
        if span is None or target is None or span.start_line != span.end_line:
            return None
        written = self.text.line(span.start_line)[span.start_col : span.end_col]
        phrase = target.phrase
        if self.analysis.language == "json" or written.startswith('"'):
            new = '"' + phrase.replace("\\", "\\\\").replace('"', '\\"') + '"'
        elif written.startswith("'") or not re.fullmatch(r"[A-Za-z][A-Za-z -]*", phrase):
            new = "'" + phrase.replace("'", "''") + "'"
        else:
            new = phrase
        return Action(f"Describe the {entry.key} response as {phrase}", QUICKFIX, [(span, new)])
