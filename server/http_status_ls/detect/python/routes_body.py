"""The codes one function body produces on its own, and the calls through which it may produce more.

A code counts where the syntax makes it the answer: ``abort(404)``, ``raise HTTPException(404)``,
``raise web.HTTPNotFound()``, ``return body, 201``, ``JSONResponse(..., status_code=202)``,
``redirect(url)`` (302). A status held in a parameter becomes a :class:`.routes.ParameterStatus`
(the caller's argument decides); one held in a local variable counts when every assignment to it is
a code; anything else is recorded as uncertain. Calls that may reach the project's own functions
are kept as call sites (:class:`.routes.CallSite`) for :mod:`.routes_resolve`.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypedDict

from http_status_ls.core.occurrences import Span
from http_status_ls.detect.python.routes import ArgumentCode, CallSite, FunctionCodes, ParameterStatus, ProducedStatus
from http_status_ls.detect.python.routes_syntax import (
    argument_node,
    assigned_owner,
    assigned_response,
    call_body,
    has_body,
    has_location,
    inside_except,
    is_raised,
    is_super_init,
    keyword_location,
    local_assignments,
    parameter_defaults,
    raises_on_invalid,
    stands_alone,
    status_like,
)
from http_status_ls.detect.python.routes_vocabulary import (
    ABORTS,
    HTTP_EXCEPTIONS,
    LIBRARY_EXCEPTIONS,
    LIBRARY_RAISING_CALLS,
    NO_STATUS_ARGUMENT,
    RESPONSES,
    SECOND_POSITIONAL,
    STATUS_KEYWORDS,
)
from http_status_ls.detect.python.tree import Node, ParsedText

REDIRECTS = frozenset({301, 302, 303, 307, 308})
_BUILTINS = frozenset(dir(builtins))
_RAISING_CALL_NAMES = frozenset(path.rpartition(".")[2] for path in LIBRARY_RAISING_CALLS)
_TUPLES = frozenset({"tuple", "expression_list"})


class _Arguments(TypedDict):
    arguments: tuple[ArgumentCode, ...]
    positional_count: int
    keywords: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ResponseFact:
    """One response a function builds or returns, for the handler-level rules."""

    code: int
    span: Span
    """The code's token, or the call's when the code is the default."""
    has_body: bool | None
    """None when unknown."""
    has_location: bool | None
    in_except: bool
    explicit: bool
    """The code is written (not a constructor's default)."""
    redirect_call: bool = False
    """``redirect(...)``/``RedirectResponse(...)``: the Location is the URL argument."""


@dataclass(slots=True)
class _Found:
    produced: list[ProducedStatus] = field(default_factory=list)
    returned: list[ProducedStatus] = field(default_factory=list)
    calls: list[CallSite] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)
    parameters: list[ParameterStatus] = field(default_factory=list)
    plain_return: Span | None = None
    facts: list[ResponseFact] = field(default_factory=list)
    restatused: set[str] = field(default_factory=set)
    """Variables whose ``.status_code`` the function sets."""


class FunctionReader:
    """Reads the bodies of one file's functions. ``name_codes`` maps the end point of every library
    name the detector resolved (``status.HTTP_404_NOT_FOUND``, ``web.HTTPNotFound``) to its code;
    ``project_names`` are the local names that may reach the project's own functions."""

    def __init__(
        self,
        parsed: ParsedText,
        name_codes: Mapping[tuple[int, int], int],
        project_names: frozenset[str],
        tuples: bool = True,
        imports: Mapping[str, str] | None = None,
    ):
        self.imports = imports or {}
        """Local name -> dotted path, for the library exceptions and calls the knowledge base does not name."""
        self.tuples = tuples
        """Whether ``return body, 201`` sets the status (Flask); FastAPI and aiohttp send the tuple as a body."""
        self.parsed = parsed
        self.name_codes = name_codes
        self.project_names = project_names

    # --- values ---------------------------------------------------------------------------------
    def name_code(self, node: Node) -> int | None:
        if node.type == "attribute":
            attribute = node.child_by_field_name("attribute")
            owner = node.child_by_field_name("object")
            if attribute is not None and owner is not None and self.parsed.text(attribute) == "value":
                node = owner
        point = node.end_point
        found = self.name_codes.get((point.row, self.parsed.column(node.end_byte, point.column)))
        return found if found is not None else LIBRARY_EXCEPTIONS.get(self.library_path(node))

    def library_path(self, node: Node) -> str:
        """The dotted path a name or attribute chain denotes through the imports ('' when unbound)."""
        text = self.parsed.text(node) if node.type in ("identifier", "attribute") else ""
        first, dot, rest = text.partition(".")
        path = self.imports.get(first)
        return "" if path is None else path + dot + rest

    def values(
        self, node: Node, function: Node, parameters: Mapping[str, int | None], depth: int = 0
    ) -> tuple[list[tuple[int, Span]], list[str], bool]:
        """(codes with their spans, parameters whose value it is, dynamic) for an expression."""
        kind = node.type
        if kind == "integer":
            try:
                return [(int(self.parsed.text(node), 0), self.parsed.span(node))], [], False
            except ValueError:
                return [], [], True
        if kind == "parenthesized_expression" and node.named_child_count == 1:
            inner = node.named_children[0]
            return self.values(inner, function, parameters, depth)
        if kind == "conditional_expression" and node.named_child_count == 3:
            first = self.values(node.named_children[0], function, parameters, depth)
            second = self.values(node.named_children[2], function, parameters, depth)
            return first[0] + second[0], first[1] + second[1], first[2] or second[2]
        if kind in ("identifier", "attribute"):
            code = self.name_code(node)
            if code is not None:
                return [(code, self.parsed.span(node))], [], False
            if kind == "identifier":
                name = self.parsed.text(node)
                if name in parameters:
                    return [], [name], False
                if depth < 3:
                    assigned = local_assignments(self.parsed, function, name)
                    if assigned:
                        codes: list[tuple[int, Span]] = []
                        names: list[str] = []
                        dynamic = False
                        for value in assigned:
                            found = self.values(value, function, parameters, depth + 1)
                            codes += found[0]
                            names += found[1]
                            dynamic = dynamic or found[2]
                        return codes, names, dynamic
        return [], [], True

    # --- one function ---------------------------------------------------------------------------
    def read(
        self, function: Node, name: str, nodes: list[Node], parameters: Mapping[str, int | None]
    ) -> tuple[FunctionCodes, list[ResponseFact]]:
        """The codes of ``function`` from its ``nodes`` (its own calls, raises and returns)."""
        found = _Found()
        constructor = (name_node := function.child_by_field_name("name")) is not None and self.parsed.text(
            name_node
        ) == "__init__"
        # ``resp = jsonify(x); resp.status_code = 201``: the constructor's default is not the answer.
        found.restatused = {assigned_owner(self.parsed, node) for node in nodes if node.type == "assignment"}
        for node in nodes:
            if node.type == "assignment":
                value = node.child_by_field_name("right")
                if value is not None:
                    self._add(value, function, parameters, found, ".status_code =", returned=not constructor)
            elif node.type == "raise_statement":
                self._raise(node, function, parameters, found)
            elif node.type == "return_statement":
                self._return(node, function, parameters, found)
            elif node.type == "call":
                self._call(node, function, parameters, found)
        codes = FunctionCodes(
            name=name,
            produced=tuple(sorted(set(found.produced), key=_order)),
            returned=tuple(sorted(set(found.returned), key=_order)),
            calls=tuple(dict.fromkeys(found.calls)),
            uncertain=tuple(dict.fromkeys(found.uncertain)),
            parameters=tuple(dict.fromkeys(self._with_default(function, found.parameters))),
            plain_return=found.plain_return,
        )
        return codes, found.facts

    def _with_default(self, function: Node, found: list[ParameterStatus]) -> list[ParameterStatus]:
        """The parameters with the code of their default value, when it is one."""
        defaults = parameter_defaults(self.parsed, function)
        result = []
        for parameter in found:
            default = defaults.get(parameter.name)
            codes = self.values(default, function, {})[0] if default is not None else []
            if len(codes) == 1:
                parameter = ParameterStatus(parameter.name, parameter.position, parameter.via, parameter.returned, codes[0][0])
            result.append(parameter)
        return result

    def _add(
        self,
        node: Node,
        function: Node,
        parameters: Mapping[str, int | None],
        found: _Found,
        via: str,
        *,
        returned: bool,
    ) -> None:
        codes, names, dynamic = self.values(node, function, parameters)
        target = found.returned if returned else found.produced
        target.extend(ProducedStatus(code, span, via) for code, span in codes)
        for name in names:
            found.parameters.append(ParameterStatus(name, parameters[name], via, returned))
        if dynamic:
            found.uncertain.append(f"{via}: status from an expression (line {node.start_point.row + 1})")

    def _raise(self, node: Node, function: Node, parameters: Mapping[str, int | None], found: _Found) -> None:
        raised = node.named_children[0] if node.named_child_count else None
        if raised is None:
            return  # a bare ``raise`` re-raises what the except caught
        call = raised if raised.type == "call" else None
        callee_node = call.child_by_field_name("function") if call is not None else raised
        if callee_node is None:
            return
        callee = self.parsed.callee(call) if call is not None else self.parsed.text(callee_node).rpartition(".")[2]
        code = self.name_code(callee_node)
        if code is not None:
            found.produced.append(ProducedStatus(code, self.parsed.span(callee_node), f"raise {callee}"))
            return
        if call is not None and callee in HTTP_EXCEPTIONS:
            status = argument_node(self.parsed, call, 0, ("status_code", "code"))
            if status is not None:
                self._add(status, function, parameters, found, f"raise {callee}", returned=False)
            else:
                found.uncertain.append(f"raise {callee} without a status (line {node.start_point.row + 1})")
            return
        if callee in _BUILTINS:
            return
        site = self._site(call, callee_node, callee)
        if site is not None:
            found.calls.append(CallSite(site[0], site[1], self.parsed.span(callee_node), raised=True, **self._arguments(call)))

    def _return(self, node: Node, function: Node, parameters: Mapping[str, int | None], found: _Found) -> None:
        value = node.named_children[0] if node.named_child_count else None
        if value is None or value.type == "none":
            return
        if value.type == "parenthesized_expression" and value.named_child_count == 1:
            value = value.named_children[0]
        if value.type in _TUPLES and value.named_child_count >= 2 and self.tuples:
            self._return_tuple(node, value, function, parameters, found)
            return
        if value.type == "call" and self._returns_call_response(value):
            return
        if value.type == "identifier" and assigned_response(self.parsed, function, self.parsed.text(value)):
            return
        found.plain_return = found.plain_return or self.parsed.span(value)

    def _return_tuple(self, node: Node, value: Node, function: Node, parameters: Mapping[str, int | None], found: _Found) -> None:
        """``return body, status[, headers]`` (Flask's tuples)."""
        second = value.named_children[1]
        if second.type == "dictionary":  # ``return body, headers``: the default status
            found.plain_return = found.plain_return or self.parsed.span(value)
            return
        self._add(second, function, parameters, found, "return tuple", returned=True)
        headers = value.named_children[2] if value.named_child_count >= 3 else None
        for code, span in self.values(second, function, parameters)[0]:
            found.facts.append(
                ResponseFact(
                    code,
                    span,
                    has_body(self.parsed, value.named_children[0]),
                    False if headers is None else has_location(self.parsed, headers),
                    inside_except(node),
                    True,
                )
            )

    def _returns_call_response(self, value: Node) -> bool:
        """Whether the returned call is a response read elsewhere: the call itself, or the responses
        its callee returns (resolved later)."""
        callee = self.parsed.callee(value)
        if callee in RESPONSES or self.name_code(value.child_by_field_name("function") or value) is not None:
            return True
        site_node = value.child_by_field_name("function")
        return site_node is not None and self._site(value, site_node, callee) is not None

    def _call(self, call: Node, function: Node, parameters: Mapping[str, int | None], found: _Found) -> None:
        callee = self.parsed.callee(call)
        function_node = call.child_by_field_name("function")
        if function_node is None or not callee:
            return
        if callee in ABORTS:
            status = argument_node(self.parsed, call, 0, ("code", "status"))
            if status is not None:
                self._add(status, function, parameters, found, "abort()", returned=False)
            return
        if callee == "__init__" and is_super_init(self.parsed, call):
            status = self._super_init_status(call)
            if status is not None:
                self._add(status, function, parameters, found, "raise", returned=False)
            return
        raising = LIBRARY_RAISING_CALLS.get(self.library_path(function_node)) if callee in _RAISING_CALL_NAMES else None
        if raising is not None:
            found.produced.append(ProducedStatus(raising, self.parsed.span(function_node), f"{callee}()"))
            return
        if callee == "is_valid" and raises_on_invalid(self.parsed, call):
            found.produced.append(ProducedStatus(400, self.parsed.span(call), "is_valid(raise_exception=True)"))
            return
        named = self.name_code(function_node)
        if callee in RESPONSES or named is not None:
            if is_raised(call):
                return  # read by _raise
            self._response(call, callee, named, function, parameters, found)
            return
        if callee in _BUILTINS or is_raised(call):
            return
        site = self._site(call, function_node, callee)
        if site is not None:
            returned = call.parent is not None and call.parent.type == "return_statement"
            found.calls.append(
                CallSite(site[0], site[1], self.parsed.span(function_node), returned=returned, **self._arguments(call))
            )

    def _super_init_status(self, call: Node) -> Node | None:
        """The status passed to ``super().__init__(...)`` in an exception class."""
        status = argument_node(self.parsed, call, None, ("status_code", "code"))
        first = argument_node(self.parsed, call, 0, ())
        # The first positional is a status for starlette's HTTPException, a message for
        # werkzeug's and for Exception: only a code, or a parameter named like one, counts.
        if status is None and first is not None:
            if first.type in ("integer", "attribute") or (first.type == "identifier" and status_like(self.parsed.text(first))):
                status = first
        return status

    def _response(
        self, call: Node, callee: str, named: int | None, function: Node, parameters: Mapping[str, int | None], found: _Found
    ) -> None:
        via = f"{callee}()"
        position = 1 if callee in SECOND_POSITIONAL else None
        status = None if callee in NO_STATUS_ARGUMENT else argument_node(self.parsed, call, position, STATUS_KEYWORDS)
        in_except = inside_except(call)
        redirect_call = callee in ("redirect", "RedirectResponse", "HttpResponseRedirect", "HttpResponsePermanentRedirect")
        location = True if redirect_call else keyword_location(self.parsed, call)
        body = call_body(self.parsed, call, callee)
        if status is not None:
            codes = self.values(status, function, parameters)[0]
            self._add(status, function, parameters, found, via, returned=True)
            found.facts += [ResponseFact(code, span, body, location, in_except, True, redirect_call) for code, span in codes]
            return
        if not stands_alone(call) or assigned_owner(self.parsed, call.parent) in found.restatused:
            return  # ``return jsonify(x), 201`` / ``make_response(jsonify(x), 201)``: the outer status wins
        code = named if named is not None else RESPONSES[callee]
        if code == 302 and callee == "redirect":
            via = "redirect (302)"
        elif named is None:
            via = f"{callee}() ({code})"
        span = self.parsed.span(call.child_by_field_name("function") or call)
        found.returned.append(ProducedStatus(code, span, via))
        found.facts.append(ResponseFact(code, span, body, location, in_except, named is not None, redirect_call))

    def _site(self, call: Node | None, function_node: Node, callee: str) -> tuple[str, str] | None:
        """(name, qualifier) when the call may reach a project function: a bare name this file
        defines or imports from the project, or ``module.name`` on an imported project module."""
        if function_node.type == "identifier":
            return (callee, "") if callee in self.project_names else None
        if function_node.type == "attribute":
            owner = function_node.child_by_field_name("object")
            if owner is not None and owner.type == "identifier" and self.parsed.text(owner) in self.project_names:
                return callee, self.parsed.text(owner)
        return None

    def _arguments(self, call: Node | None) -> _Arguments:
        """What a call site keeps of its arguments: the codes, and which parameters it fills."""
        found: list[ArgumentCode] = []
        keywords: list[str] = []
        position = 0
        arguments = call.child_by_field_name("arguments") if call is not None else None
        for argument in arguments.named_children if arguments is not None else ():
            if argument.type == "keyword_argument":
                name, value = argument.child_by_field_name("name"), argument.child_by_field_name("value")
                if name is not None and value is not None:
                    keywords.append(self.parsed.text(name))
                    found += [
                        ArgumentCode(None, self.parsed.text(name), code, span) for code, span in self._argument_codes(value)
                    ]
            elif argument.type == "dictionary_splat":
                keywords.append("**")
            elif argument.type == "list_splat":
                position = -1
            elif position >= 0:
                found += [ArgumentCode(position, "", code, span) for code, span in self._argument_codes(argument)]
                position += 1
        return {"arguments": tuple(found), "positional_count": position, "keywords": tuple(keywords)}

    def _argument_codes(self, value: Node) -> list[tuple[int, Span]]:
        if value.type == "integer":
            text = self.parsed.text(value)
            if text.isdigit() and 100 <= int(text) <= 599:
                return [(int(text), self.parsed.span(value))]
            return []
        if value.type in ("identifier", "attribute"):
            code = self.name_code(value)
            return [(code, self.parsed.span(value))] if code is not None else []
        return []


def _order(produced: ProducedStatus) -> tuple[int, Span, str]:
    return produced.code, produced.span, produced.via
