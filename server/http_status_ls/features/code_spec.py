"""The cross-check: the codes each Python handler can produce against the codes its OpenAPI
operation declares, both ways.

Input: the workspace's handlers (``detect.python.routes.resolve_routes``) and its API descriptions
(:class:`SpecSource`: a path and the ``detect.openapi_operations`` model). Output: a
:class:`CrossCheck` with the findings (:class:`CodeSpecFinding`, one file each: the handler's or the
spec's) and, for the hover on a decorator, which operations each handler answers.

Decisions (docs/rules.md says them to users):

* **Which spec.** With the ``openApiSpecs`` setting, the specs it names; else every description in
  the workspace. A handler is matched against the candidate specs nearest to it: those whose folder
  shares the longest folder prefix with the handler's file (two services side by side each get
  their own spec; one spec under ``docs/`` serves code under ``src/``).
* **Matching.** By method and normalised path (``routes.normalise_path``: every parameter is
  ``{}``), the spec's path tried as written and behind each base path of its ``servers`` (3.x) or
  ``basePath`` (2.0): ``https://api.example.com/v1`` serves ``/items`` at ``/v1/items``.
* **undocumented-status** (on the line producing the code): a code the handler produces that the
  operation's responses do not cover; a range key (``4XX``) covers its class and ``default``
  covers every code. A handler serving several methods is judged as a whole (which method
  produces which code is not known): a code any of its operations declares is documented. Only codes the handler certainly produces count: a possible code
  (``certain=False``: a decorator's ``responses=`` entry) is shown in the hover,
  never reported.
* **unreturned-status** (on the spec's key): a code key no matching handler produces, only when
  every matching handler's codes are all known (``complete``); never for ranges or ``default``,
  and never for :data:`OUTSIDE_THE_HANDLER` codes, which routing, middleware or the server answer
  without the handler.
* **undocumented-operation** (on the decorator): a handler whose candidate specs have no operation
  for its method and path. **unimplemented-operation** (on the method key): an operation no
  handler answers, only in a spec that at least one handler of the workspace matches (a spec of an
  API served elsewhere stays quiet).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from http_status_ls.core.occurrences import Span
from http_status_ls.detect.openapi_operations import OpenApiDocument, Operation
from http_status_ls.detect.python.routes import RouteHandler, normalise_path

UNDOCUMENTED_STATUS = "undocumented-status"
UNRETURNED_STATUS = "unreturned-status"
UNDOCUMENTED_OPERATION = "undocumented-operation"
UNIMPLEMENTED_OPERATION = "unimplemented-operation"
RULES = (UNDOCUMENTED_STATUS, UNRETURNED_STATUS, UNDOCUMENTED_OPERATION, UNIMPLEMENTED_OPERATION)

OUTSIDE_THE_HANDLER: frozenset[int] = frozenset({401, 403, 404, 405, 406, 413, 415, 429, 500, 502, 503, 504})
"""Declared codes never reported as unreturned: routing answers 404/405 (and content negotiation
406/415), authentication and rate-limit middleware 401/403/429, the server 413 and 5xx (a crash, a
proxy). A handler's own code cannot show they are never sent."""

MESSAGE_LIMIT = 100
"""The most a message takes (as every rule's, see ``features.diagnostics``)."""
MESSAGE_PATH_CHARS = 32
"""A longer path is shortened in messages (its head dropped), so that a message fits 100 characters."""


@dataclass(frozen=True, slots=True)
class SpecSource:
    """One API description of the workspace: its path and model, and where its paths are served."""

    path: str
    document: OpenApiDocument
    base_paths: tuple[str, ...] = ()
    """The path parts of its ``servers`` URLs (``/v1``) or its ``basePath``; see :func:`base_paths`."""

    @property
    def name(self) -> str:
        return os.path.basename(self.path)


@dataclass(frozen=True, slots=True)
class CodeSpecFinding:
    """One finding of the cross-check, in ``file`` (a handler's file or a spec's path)."""

    file: str
    span: Span
    rule: str
    message: str
    spec: str
    """The spec's path: the quick fix of ``undocumented-status`` edits it."""
    operation: str
    """The operation's JSON pointer (``/paths/~1items~1{id}/get``)."""
    code: int | None = None


@dataclass(frozen=True, slots=True)
class Match:
    """A handler answering one operation of one spec for one of its methods."""

    spec: SpecSource
    operation: Operation


@dataclass(slots=True)
class CrossCheck:
    """What the cross-check found, and which operations each handler answers."""

    findings: list[CodeSpecFinding] = field(default_factory=list)
    matches: dict[RouteHandler, list[Match]] = field(default_factory=dict)
    candidates: dict[RouteHandler, tuple[SpecSource, ...]] = field(default_factory=dict)
    """The specs a handler was matched against (for the hover of an undocumented one)."""

    def by_file(self) -> dict[str, list[CodeSpecFinding]]:
        grouped: dict[str, list[CodeSpecFinding]] = {}
        for finding in self.findings:
            grouped.setdefault(finding.file, []).append(finding)
        return grouped


# --- where a spec's paths are served -----------------------------------------------------------------

_YAML_TOP_KEY = re.compile(r"^(?:'([^']*)'|\"([^\"]*)\"|([A-Za-z_$][\w$-]*))\s*:(.*)$")
_YAML_URL = re.compile(r"^\s+(?:-\s+)?(?:url|'url'|\"url\")\s*:\s*(.+?)\s*$")
_JSON_BASE_PATH = re.compile(r'"basePath"\s*:\s*("(?:[^"\\]|\\.)*")')
_JSON_SERVERS = re.compile(r'"servers"\s*:\s*\[')
_JSON_URL = re.compile(r'"url"\s*:\s*("(?:[^"\\]|\\.)*")')


def base_paths(text: str, language: str) -> tuple[str, ...]:
    """The path parts of a description's root ``servers`` URLs (3.x) or its ``basePath`` (2.0),
    normalised, without the root ``/``; a base with a server variable (``/{version}``) is left out
    (it matches nothing certain). Read with a line scan rather than a parse: a 4 MB description's
    root keys are found in milliseconds."""
    urls = _json_base_urls(text) if language == "json" else _yaml_base_urls(text)
    bases: list[str] = []
    for url in urls:
        path = urlsplit(url).path if "://" in url else url
        if "{" in path:
            continue
        base = normalise_path(path)
        if base != "/" and base not in bases:
            bases.append(base)
    return tuple(bases)


def _json_base_urls(text: str) -> list[str]:
    """``basePath`` and the root ``servers`` URLs of a JSON description, as written."""
    urls: list[str] = []
    if (found := _JSON_BASE_PATH.search(text)) is not None:
        urls.append(_json_string(found.group(1)))
    if (servers := _JSON_SERVERS.search(text)) is not None:
        close = text.find("]", servers.end())
        urls += [_json_string(m.group(1)) for m in _JSON_URL.finditer(text, servers.end(), close if close > 0 else len(text))]
    return urls


def _yaml_base_urls(text: str) -> list[str]:
    """``basePath`` and the root ``servers`` URLs of a YAML description, as written."""
    urls: list[str] = []
    in_servers = False
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            key = _YAML_TOP_KEY.match(line)
            name = next((g for g in key.groups()[:3] if g is not None), "") if key else ""
            in_servers = name == "servers"
            if name == "basePath" and key is not None:
                urls.append(_yaml_plain(key.group(4)))
            continue
        if in_servers and (written := _YAML_URL.match(line)) is not None:
            urls.append(_yaml_plain(written.group(1)))
    return urls


def _json_string(written: str) -> str:
    try:
        value = json.loads(written)
    except ValueError:
        return ""
    return value if isinstance(value, str) else ""


def _yaml_plain(written: str) -> str:
    value = written.split(" #", 1)[0].strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    return value


# --- the check -----------------------------------------------------------------------------------------


def cross_check(handlers: Iterable[RouteHandler], specs: Sequence[SpecSource]) -> CrossCheck:
    """Match ``handlers`` to the operations of ``specs`` and judge both ways (module docstring).
    A handler's :attr:`~RouteHandler.file` and a spec's :attr:`~SpecSource.path` must be paths of
    the same kind (both absolute, or both relative to one folder): the nearest spec is chosen by them."""
    result = CrossCheck()
    if not specs:
        return result
    tables = {spec.path: _operation_table(spec) for spec in specs}
    answered: dict[tuple[str, str], list[RouteHandler]] = {}
    served: set[str] = set()
    for handler in handlers:
        candidates = _nearest(handler.file, specs)
        result.candidates[handler] = candidates
        matches: list[Match] = []
        missing: list[str] = []
        for method in handler.methods:
            match = _find(method.lower(), handler.path, candidates, tables)
            if match is None:
                missing.append(method)
                continue
            matches.append(match)
            served.add(match.spec.path)
            answered.setdefault((match.spec.path, match.operation.pointer), []).append(handler)
        result.matches[handler] = matches
        result.findings += _undocumented_codes(handler, matches)
        if missing and candidates:
            spec = candidates[0]
            label = _short(f"{'/'.join(missing)} {handler.written_path or handler.path}")
            result.findings.append(
                CodeSpecFinding(
                    file=handler.file,
                    span=handler.decorator_span,
                    rule=UNDOCUMENTED_OPERATION,
                    message=_fitted(f"{label} is not in {{spec}}: describe the operation there", spec.name),
                    spec=spec.path,
                    operation="",
                )
            )
    for spec in specs:
        if spec.path not in served:
            continue
        for operation in spec.document.operations:
            if operation.where != "paths":
                continue
            matched = answered.get((spec.path, operation.pointer))
            if matched is None:
                result.findings.append(
                    CodeSpecFinding(
                        file=spec.path,
                        span=operation.span,
                        rule=UNIMPLEMENTED_OPERATION,
                        message=f"no handler in the workspace answers {_short(operation.label)}",
                        spec=spec.path,
                        operation=operation.pointer,
                    )
                )
            elif all(handler.complete for handler in matched):
                result.findings += _unreturned_codes(spec, operation, matched)
    return result


def _operation_table(spec: SpecSource) -> dict[tuple[str, str], Operation]:
    """(method, normalised path) -> operation, each path also behind each base path."""
    table: dict[tuple[str, str], Operation] = {}
    for operation in spec.document.operations:
        if operation.where != "paths":
            continue
        path = normalise_path(operation.path)
        table.setdefault((operation.method, path), operation)
        for base in spec.base_paths:
            table.setdefault((operation.method, normalise_path(base + path)), operation)
    return table


def _nearest(file: str, specs: Sequence[SpecSource]) -> tuple[SpecSource, ...]:
    """The specs whose folder shares the longest folder prefix with ``file``'s."""
    folder = _parts(os.path.dirname(file))
    best: list[SpecSource] = []
    best_length = -1
    for spec in specs:
        spec_folder = _parts(os.path.dirname(spec.path))
        shared = 0
        for mine, theirs in zip(folder, spec_folder, strict=False):
            if mine != theirs:
                break
            shared += 1
        if shared > best_length:
            best, best_length = [spec], shared
        elif shared == best_length:
            best.append(spec)
    return tuple(best)


def _parts(folder: str) -> list[str]:
    return [part for part in folder.replace("\\", "/").split("/") if part]


def _find(
    method: str, path: str, candidates: Sequence[SpecSource], tables: dict[str, dict[tuple[str, str], Operation]]
) -> Match | None:
    for spec in candidates:
        operation = tables[spec.path].get((method, path))
        if operation is not None:
            return Match(spec, operation)
    return None


def covers(operation: Operation, code: int) -> bool:
    """Whether the operation's responses declare ``code``: its own key, its class's range, ``default``."""
    for entry in operation.responses:
        if entry.code == code or entry.range_class == code // 100 or entry.key == "default":
            return True
    return False


def _undocumented_codes(handler: RouteHandler, matches: Sequence[Match]) -> list[CodeSpecFinding]:
    """The certain codes none of the handler's operations declares. A handler serving several
    methods is judged as a whole: which method produces which code is not known, so a code one
    of its operations declares counts as documented."""
    found: list[CodeSpecFinding] = []
    if not matches:
        return found
    seen: set[tuple[int, Span]] = set()
    match = matches[0]
    operation = match.operation
    for produced in handler.produced:
        if not produced.certain or (produced.code, produced.span) in seen:
            continue
        if any(covers(other.operation, produced.code) for other in matches):
            continue
        seen.add((produced.code, produced.span))
        found.append(
            CodeSpecFinding(
                file=handler.file,
                span=produced.span,
                rule=UNDOCUMENTED_STATUS,
                message=_fitted(
                    f"{_short(operation.label)} can return {produced.code}, which {{spec}} does not declare for this operation",
                    match.spec.name,
                ),
                spec=match.spec.path,
                operation=operation.pointer,
                code=produced.code,
            )
        )
    return found


def _unreturned_codes(spec: SpecSource, operation: Operation, handlers: Sequence[RouteHandler]) -> list[CodeSpecFinding]:
    produced = {code for handler in handlers for code in handler.codes}
    found = []
    for entry in operation.responses:
        code = entry.code
        if code is None or code in produced or code in OUTSIDE_THE_HANDLER:
            continue
        found.append(
            CodeSpecFinding(
                file=spec.path,
                span=entry.span,
                rule=UNRETURNED_STATUS,
                message=f"no handler path for {_short(operation.label)} produces {code}",
                spec=spec.path,
                operation=operation.pointer,
                code=code,
            )
        )
    return found


def _fitted(template: str, spec_name: str) -> str:
    """``template`` with its ``{spec}`` filled: the spec's file name, or "the spec" (and fewer
    words) when that is too long."""
    for name in (spec_name, "the spec"):
        message = template.replace("{spec}", name)
        if len(message) <= MESSAGE_LIMIT:
            return message
    return message.replace(" for this operation", "")


def _short(label: str) -> str:
    """``GET /a/very/long/path/{id}`` -> ``GET …/path/{id}``, so a message stays one short line."""
    method, _, path = label.partition(" ")
    if len(path) <= MESSAGE_PATH_CHARS:
        return label
    tail = path[-(MESSAGE_PATH_CHARS - 1) :]
    cut = tail.find("/")
    return f"{method} \N{HORIZONTAL ELLIPSIS}{tail[cut:] if cut >= 0 else tail}"
