"""The quick fixes, each attached to the diagnostic it fixes.

The diagnostic comes from the request's context; its rule id and range find the occurrence again,
so nothing depends on the client round-tripping ``data``. What a rule's fix does is the rules
table's (:mod:`http_status_ls.kb.rules`):

- a deprecated, obsolete or unofficial code -> each portable code the knowledge base names instead,
  or, in a list that already holds that code (``[503, 509]``), the removal of the element
  (:mod:`.elements`); an OpenAPI 3 YAML key stays a quoted string (``420:`` -> ``'429':``);
- a deprecated library name -> its current name (every bare use of it in the file, with its import);
- an unknown name -> the close match the diagnostic suggests;
- OpenAPI: quote an unquoted status key, write a range key with upper-case ``XX``, remove the body of
  a response that must not have one (the whole ``content``/``schema`` entry);
- OpenAPI response sets (:mod:`.openapi_responses`): add a missing response or header, write the
  code's own phrase as a description; a code the organisation does not allow -> the code it prefers
  (the diagnostic's ``data`` names it).

Every edit leaves a file that still parses (the tests apply them and parse the result).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from functools import cached_property
from typing import Any

from lsprotocol import types

from http_status_ls.core.occurrences import Analysis, Kind, Occurrence, ResponsesBlock, Role, Span
from http_status_ls.core.project_target import UNKNOWN as UNKNOWN_TARGET
from http_status_ls.core.project_target import ProjectTarget
from http_status_ls.core.text_scan import flow_value_end, skip_blanks, skip_blanks_back, yaml_flow_depth
from http_status_ls.features.actions import elements, openapi_responses
from http_status_ls.features.actions.add_import import PythonModule
from http_status_ls.features.actions.edits import QUICKFIX, Action, DocumentText, Edit, indent_of
from http_status_ls.features.actions.refactor import constant_name
from http_status_ls.features.diagnostics import SOURCE, title
from http_status_ls.kb import registry, rules
from http_status_ls.kb.rules import QuickFix

PointMaker = Callable[[types.Position], tuple[int, int]]

PREFERRED_CODE_RULE = "status-not-allowed"
"""The rule whose fix writes the code an organisation prefers (the diagnostic's ``data`` names it)."""


class QuickFixes:
    """The quick fixes for the diagnostics of one analysed document."""

    def __init__(self, analysis: Analysis, text: DocumentText, target: ProjectTarget = UNKNOWN_TARGET):
        self.analysis = analysis
        self.text = text
        self.registry = registry.load()
        self.target = target
        """The project's versions: a fix writes only names they have (see ``constant_name``)."""

    def for_diagnostic(self, diagnostic: types.Diagnostic, to_point: PointMaker) -> list[Action]:
        if diagnostic.source not in (SOURCE, None) or not isinstance(diagnostic.code, str):
            return []
        start = to_point(diagnostic.range.start)
        end = to_point(diagnostic.range.end)
        span = Span(start[0], start[1], end[0], end[1])
        if diagnostic.code in openapi_responses.RULES:
            return self._response_set_fixes(diagnostic, span)
        rule = rules.BY_ID.get(diagnostic.code)
        fix = rule.quick_fix if rule is not None else None
        if fix is None and diagnostic.code != PREFERRED_CODE_RULE:
            return []
        if fix is QuickFix.REMOVE_BODY:
            occurrence = next((o for o in self.analysis.occurrences if o.body_span == span), None)
            actions = self.remove_body(occurrence) if occurrence is not None else []
        else:
            occurrence = self.analysis.at(*start)
            if occurrence is None or occurrence.span != span:
                return []  # the diagnostic is from another version of the text
            if diagnostic.code == PREFERRED_CODE_RULE:
                actions = self.preferred_code(occurrence, diagnostic.data)
            else:
                actions = self._fix(fix, occurrence, diagnostic.data) if fix is not None else []
        # Code that only reads a status may mean the odd one on purpose (a client that treats
        # Twitter's 420 like 429): its fixes are offered, never applied by a client's "fix all".
        reads = occurrence is not None and occurrence.role is Role.READS
        for i, action in enumerate(actions):
            action.diagnostic = diagnostic
            action.preferred = i == 0 and not reads
        return actions

    def _response_set_fixes(self, diagnostic: types.Diagnostic, span: Span) -> list[Action]:
        """An operation's responses as a whole: add a response or a header, fix a description."""
        if self.analysis.openapi is None or not isinstance(diagnostic.code, str):
            return []
        fixes = openapi_responses.ResponseFixes(self.analysis, self.text)
        actions = fixes.for_rule(diagnostic.code, span, diagnostic.data, diagnostic.message)
        for i, action in enumerate(actions):
            action.diagnostic = diagnostic
            action.preferred = i == 0 and len(actions) == 1  # a choice between responses is the user's
        return actions

    def _fix(self, fix: QuickFix, occurrence: Occurrence, data: Any) -> list[Action]:
        if fix is QuickFix.REPLACE_CODE:
            return self.replace_code(occurrence)
        if fix is QuickFix.RENAME:
            return self.rename(occurrence)
        if fix is QuickFix.CORRECT_NAME:
            return self.correct_name(occurrence, data)
        if fix is QuickFix.QUOTE_KEY:
            return self.quote_key(occurrence)
        if fix is QuickFix.UPPER_CASE_RANGE:
            return self.upper_range(occurrence)
        return []

    # --- codes and names -------------------------------------------------------------------------

    def replace_code(self, occurrence: Occurrence) -> list[Action]:
        """A code that should not be used -> each code the knowledge base names in its place."""
        code = occurrence.code if occurrence.name is None else occurrence.name.code
        entry = self.registry.entry(code) if code is not None else None
        if entry is None:
            return []
        around = self._elements(occurrence)
        actions: list[Action] = []
        for new in entry.instead:
            target = self.registry.entry(new)
            if around is not None and elements.holds(around, self.text, self.analysis.occurrences, new):
                # The list already holds the code to use: writing it again would list it twice.
                if around.removal and not any(action.title.startswith("Remove ") for action in actions):
                    actions.append(Action(f"Remove {entry.code} ({new} is already listed)", QUICKFIX, list(around.removal)))
                continue
            edits = self._code_edits(occurrence, new)
            if target is None or not edits:
                continue
            actions.append(Action(f"Replace {entry.code} with {title(target)}", QUICKFIX, edits))
        return actions

    def preferred_code(self, occurrence: Occurrence, data: Any) -> list[Action]:
        """A code the organisation does not allow -> each code its settings prefer in its place
        (``status-not-allowed``: 422 -> 400, 302 -> 303 or 307)."""
        named = openapi_responses.wanted_value(data, ("preferred", "instead", "replacement"))
        codes = named if isinstance(named, (list, tuple)) else [named] if named is not None else []
        shown = occurrence.value or occurrence.text
        actions: list[Action] = []
        for new in codes:
            target = self.registry.entry(int(new)) if str(new).isdigit() else None
            edits = self._code_edits(occurrence, target.code) if target is not None else []
            if target is not None and edits:
                actions.append(Action(f"Replace {shown} with {title(target)}", QUICKFIX, edits))
        return actions

    @cached_property
    def python(self) -> PythonModule:
        return PythonModule(self.analysis, self.text)

    def _elements(self, occurrence: Occurrence) -> elements.Elements | None:
        """The list, tuple, set or sequence the occurrence is an element of, if any."""
        language = self.analysis.language
        if language == "python":
            return elements.python_elements(self.python, self.text, occurrence)
        if occurrence.kind is not Kind.YAML_VALUE:
            return None  # response keys are a mapping's keys: `_key_taken` guards those
        if language == "yaml":
            return elements.block_elements(self.text, occurrence) or elements.flow_elements(self.text, occurrence, comments=True)
        return elements.flow_elements(self.text, occurrence, comments=False)

    def _code_edits(self, occurrence: Occurrence, new: int) -> list[Edit]:
        if occurrence.kind is Kind.NAME:
            return self._name_edits(occurrence, new)
        if occurrence.kind is Kind.RESPONSE_KEY and self._key_taken(occurrence, str(new)):
            return []  # the new key would duplicate one already in this responses object
        if occurrence.kind is Kind.RESPONSE_KEY and not occurrence.quoted and self._keys_are_strings():
            quote = self._key_quote(occurrence)  # OpenAPI 3: `420:` -> `'429':`, not another number key
            return [(occurrence.span, f"{quote}{new}{quote}")]
        if occurrence.quoted and len(occurrence.text) >= 2 and occurrence.text[0] in "'\"":
            return [(occurrence.span, f"{occurrence.text[0]}{new}{occurrence.text[-1]}")]
        if not occurrence.text.isdigit():
            return []
        span = occurrence.span
        line = self.text.line(span.start_line)
        opener = line[span.start_col - 1] if span.start_col > 0 else ""
        if opener in "'\"":
            # A status line ("420 Enhance Your Calm"): the reason phrase goes with the code.
            phrase = re.match(r" [^'\"\\\n]*(?=['\"])", line[span.end_col :])
            target = self.registry.entry(new)
            if phrase is not None and target is not None and line[span.end_col + phrase.end()] == opener:
                whole = Span(span.start_line, span.start_col, span.end_line, span.end_col + phrase.end())
                return [(whole, f"{new} {target.phrase}")]
        return [(span, str(new))]

    def _name_edits(self, occurrence: Occurrence, new: int) -> list[Edit]:
        ref = occurrence.name
        form = self._name_form(occurrence)
        if ref is None or occurrence.text != ref.name or form == "bare":
            return []
        name = constant_name(ref.library, new, by_item=form == "item", target=self.target)
        return [(occurrence.span, name)] if name else []

    def _name_form(self, occurrence: Occurrence) -> str:
        line = self.text.line(occurrence.span.start_line)
        before = line[: occurrence.span.start_col]
        if before.endswith("."):
            return "attribute"
        if before[-1:] in ("'", '"'):
            return "item"
        return "bare"

    def rename(self, occurrence: Occurrence) -> list[Action]:
        """A deprecated library name -> its current name; a bare name is renamed everywhere in the
        module, its import included, so it stays bound."""
        ref = occurrence.name
        if ref is None or not ref.replacement or occurrence.text != ref.name or not self.target.deprecates(ref):
            return []  # before its replacement exists (older starlette), the old name is the name
        if self._name_form(occurrence) != "bare":
            return [Action(f"Rename {ref.name} to {ref.replacement}", QUICKFIX, [(occurrence.span, ref.replacement)])]
        spans = [
            o.span
            for o in self.analysis.occurrences
            if o.kind is Kind.NAME
            and o.text == ref.name
            and o.name is not None
            and o.name.deprecated
            and self._name_form(o) == "bare"
        ]
        where = f" ({len(spans)} places in this file)" if len(spans) > 1 else ""
        return [Action(f"Rename {ref.name} to {ref.replacement}{where}", QUICKFIX, [(s, ref.replacement) for s in spans])]

    def correct_name(self, occurrence: Occurrence, data: Any) -> list[Action]:
        """An unknown member of a status namespace -> the close match the diagnostic suggested."""
        if self._name_form(occurrence) == "bare":
            return []
        suggestion = data.get("suggestion") if isinstance(data, Mapping) else None
        if not isinstance(suggestion, str):
            names = [ref.name for ref in self.registry.names_of(occurrence.context) if self.target.has(ref)]
            close = difflib.get_close_matches(occurrence.text, names, n=1)
            suggestion = close[0] if close else None
        suggested = self.registry.resolve(occurrence.context, suggestion) if suggestion else None
        if suggested is None or not self.target.has(suggested):
            return []  # a name the project's Python or starlette lacks would fail just the same
        return [Action(f"Change {occurrence.text} to {suggested.name}", QUICKFIX, [(occurrence.span, suggested.name)])]

    # --- OpenAPI response keys -------------------------------------------------------------------

    def _block_of(self, occurrence: Occurrence) -> ResponsesBlock | None:
        for block in self.analysis.detection.responses:
            if any(key is occurrence for key in block.keys):
                return block
        return None

    def _key_taken(self, occurrence: Occurrence, value: str) -> bool:
        block = self._block_of(occurrence)
        return block is not None and any(
            key is not occurrence and (key.value if key.value is not None else key.text.strip("'\"")) == value
            for key in block.keys
        )

    def _keys_are_strings(self) -> bool:
        """Whether response keys must be strings: OpenAPI 3 in YAML, the same test as the
        ``unquoted-response-key`` rule (JSON keys are always quoted; Swagger 2.0 takes numbers)."""
        return self.analysis.language == "yaml" and not (self.analysis.openapi or "").startswith("2")

    def _key_quote(self, occurrence: Occurrence) -> str:
        """The quote most keys of the occurrence's responses object use; ``'`` when as many use each."""
        block = self._block_of(occurrence)
        quotes = [key.text[0] for key in block.keys if key.quoted and key.text[:1] in "'\""] if block else []
        return '"' if quotes and quotes.count('"') > quotes.count("'") else "'"

    def quote_key(self, occurrence: Occurrence) -> list[Action]:
        if occurrence.kind is not Kind.RESPONSE_KEY or occurrence.quoted or occurrence.value is None:
            return []
        quote = self._key_quote(occurrence)
        new = f"{quote}{occurrence.value}{quote}"
        return [Action(f"Quote the response key: {new}", QUICKFIX, [(occurrence.span, new)])]

    def upper_range(self, occurrence: Occurrence) -> list[Action]:
        value = occurrence.value
        if occurrence.kind is not Kind.RESPONSE_KEY or value is None or (self.analysis.openapi or "").startswith("2"):
            return []
        if not re.fullmatch(r"[1-5][xX]{2}", value) or value == value.upper():
            return []
        fixed = value[0] + "XX"
        if self._key_taken(occurrence, fixed):
            return []
        text = occurrence.text
        new = f"{text[0]}{fixed}{text[-1]}" if occurrence.quoted and text[:1] in "'\"" else fixed
        return [Action(f"Write the range as {fixed}", QUICKFIX, [(occurrence.span, new)])]

    # --- OpenAPI response bodies -----------------------------------------------------------------

    def remove_body(self, occurrence: Occurrence) -> list[Action]:
        body = occurrence.body_span
        if body is None:
            return []
        field = self.text.line(body.start_line)[body.start_col : body.end_col].strip("'\"")
        edit = self._remove_yaml_block(occurrence, body) if self.analysis.language == "yaml" else None
        if edit is None:
            edit = self._remove_pair(body)
        if edit is None:
            return []
        what = occurrence.value or occurrence.text
        return [Action(f"Remove the body ({field}) from the {what} response", QUICKFIX, [edit])]

    def _remove_yaml_block(self, occurrence: Occurrence, body: Span) -> Edit | None:
        """In a block mapping the entry is the key's line and every line indented deeper after it."""
        line = self.text.line(body.start_line)
        if line[: body.start_col].strip():
            return None
        text = self.text
        key = occurrence.span
        # Only the lines from the response key to the body key matter (not the whole 4 MB text).
        between = "".join(text.lines[key.end_line : body.start_line]) + line[: body.start_col]
        if yaml_flow_depth(between, key.end_col, len(between)):
            return None  # inside a flow mapping written over several lines
        indent = body.start_col
        last = body.end_line
        for row in range(body.end_line + 1, len(text.lines)):
            content = text.line(row)
            stripped = content.strip()
            if not stripped or stripped.startswith("#"):
                continue
            if indent_of(content) > indent:
                last = row
                continue
            break
        return text.delete_rows(body.start_line, last)

    def _remove_pair(self, key: Span) -> Edit | None:
        """In JSON or a YAML flow mapping: the ``key: value`` pair and one comma next to it."""
        text = self.text
        full = text.joined
        start = text.offset(key.start_line, key.start_col)
        i = skip_blanks(full, text.offset(key.end_line, key.end_col))
        if i >= len(full) or full[i] != ":":
            return None
        value_end = flow_value_end(full, i + 1)
        if value_end is None:
            return None
        after = skip_blanks(full, value_end)
        if after < len(full) and full[after] == ",":
            return text.span(start, skip_blanks(full, after + 1)), ""
        before = skip_blanks_back(full, start)
        if before >= 0 and full[before] == ",":
            return text.span(before, value_end), ""
        if before >= 0 and full[before] == "{":
            return text.span(before + 1, value_end), ""
        return None
