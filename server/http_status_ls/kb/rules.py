"""The diagnostic rules: one row per rule, the single home of every fact about a rule.

The judge (``features.diagnostics``), settings validation, ``check --select/--ignore`` and SARIF's
rule table read this table, and code actions find which fix a rule's diagnostics get in
:attr:`Rule.quick_fix`. ``tools/rule_docs.py`` writes the VS Code settings schema and
``docs/rules.md`` from it, and a test fails when either is stale. Adding a rule is one row here plus
the judgement that reports it (and its fix, if it has one).

Rule ids are stable: settings, suppression comments and code actions refer to them.

Severities are a local :class:`Severity` with the LSP numbers rather than lsprotocol's enum, because
``http-status-ls check`` must never import lsprotocol (it takes over half a second to load).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum, IntEnum
from types import MappingProxyType

DOCS_PAGE = "docs/rules.md"
"""The rules reference, relative to the repository root; each rule has a section there."""


class Severity(IntEnum):
    """The LSP's ``DiagnosticSeverity``, same names and numbers (it compares equal to it)."""

    Error = 1
    Warning = 2
    Information = 3
    Hint = 4


class Subject(Enum):
    """What a rule judges; the value says it in a few words for people."""

    CODE = "status codes"
    """Wherever they are read: Python literals and library names, YAML/JSON values, OpenAPI keys."""
    NAME = "Python library names"
    RESPONSE_KEY = "OpenAPI response keys"
    RESPONSE_BODY = "OpenAPI response bodies"
    SPELLING = "how Python code spells status codes"
    RESPONSE = "OpenAPI responses"
    """A response's headers or description."""
    OPERATION = "OpenAPI operations"
    CODE_AGAINST_SPEC = "Python handlers against their OpenAPI operations"
    HANDLER = "Python route handlers"
    """What one handler answers, without a spec: its body, headers and the branch it answers from."""
    """The codes a handler produces and the codes its operation declares (the cross-check)."""
    """The set of responses an operation declares, against its method and security."""


class QuickFix(Enum):
    """The code action offered for a rule's diagnostics; the value says it in a few words for people."""

    REPLACE_CODE = "replace the code with one the knowledge base names instead, when it names one"
    RENAME = "rename to the library's current name"
    CORRECT_NAME = "correct to the closest name the library defines"
    QUOTE_KEY = "quote the key"
    UPPER_CASE_RANGE = "upper-case the X of the range (OpenAPI 3)"
    REMOVE_BODY = "remove the body"
    ADD_RESPONSE = "add the missing response, with a description and the headers it needs"
    ADD_HEADER = "add the missing header to the response"
    PREFERRED_CODE = "replace the code with the one the profile prefers"
    REPLACE_DESCRIPTION = "replace the description with the code's reason phrase"
    STATUS_STYLE = "rewrite the code in the project's style, adding the import a constant needs"


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    """One diagnostic rule."""

    id: str
    severity: Severity
    """The default severity."""
    judges: Subject
    summary: str
    """What the rule reports, in one line."""
    examples: str
    """What it looks like, for the reference."""
    fix: str
    """What to do about it, in one phrase."""
    quick_fix: QuickFix | None = None
    enabled_by_default: bool = True
    """False for a rule a project opts into (its default severity is then off)."""
    code_severity: Mapping[int, Severity] = field(default_factory=lambda: MappingProxyType({}))
    """Per-code refinements of :attr:`severity`: for these codes the rule reports at this level."""

    @property
    def judges_code(self) -> bool:
        """Whether the verdict is about the code itself (its standing, or whether it is a status code
        at all). Only these rules answer to a per-code setting (``"418" = "off"``) and stay quiet for an
        organisation's own codes (``extraCodes``)."""
        return self.judges is Subject.CODE

    @property
    def anchor(self) -> str:
        """The anchor of the rule's section in :data:`DOCS_PAGE`: its heading is the bare id."""
        return self.id

    @property
    def docs(self) -> str:
        """The rule's section, relative to the repository root."""
        return f"{DOCS_PAGE}#{self.anchor}"


RULES: tuple[Rule, ...] = (
    Rule(
        id="deprecated-code",
        severity=Severity.Warning,
        judges=Subject.CODE,
        summary="A status code that its specification deprecates (e.g. 305 Use Proxy).",
        examples="305 Use Proxy",
        fix="stop using it; use the code the message names instead, if it names one",
        quick_fix=QuickFix.REPLACE_CODE,
    ),
    Rule(
        id="reserved-code",
        severity=Severity.Warning,
        # 418 is a well-known joke, reserved so that it is never assigned for real; pointing it out is
        # worth a note, not a warning.
        code_severity=MappingProxyType({418: Severity.Information}),
        judges=Subject.CODE,
        summary="A status code reserved and never to be used (e.g. 306).",
        examples="306, 418",
        fix="use a registered code",
        quick_fix=QuickFix.REPLACE_CODE,
    ),
    Rule(
        id="obsolete-code",
        severity=Severity.Warning,
        judges=Subject.CODE,
        summary="A status code whose specification is obsolete (e.g. 510 Not Extended).",
        examples="510 Not Extended",
        fix="use the code the message names instead",
        quick_fix=QuickFix.REPLACE_CODE,
    ),
    Rule(
        id="provisional-code",
        severity=Severity.Information,
        judges=Subject.CODE,
        summary="A status code only provisionally registered with IANA (e.g. 104).",
        examples="104 Upload Resumption Supported (a temporary IANA registration with an expiry date)",
        fix="make sure the clients implement it, or use a registered code",
        quick_fix=QuickFix.REPLACE_CODE,
    ),
    Rule(
        id="unofficial-code",
        severity=Severity.Warning,
        judges=Subject.CODE,
        summary="A vendor's status code that is not in the IANA registry (e.g. 420, 509).",
        examples="420, 444, 499, 509, Cloudflare's 520-530; the message names the vendor and the portable code",
        fix="use the portable code the knowledge base names, or declare the code in `extraCodes`",
        quick_fix=QuickFix.REPLACE_CODE,
    ),
    Rule(
        id="unassigned-code",
        severity=Severity.Warning,
        judges=Subject.CODE,
        summary="A well-formed status code that IANA has not assigned (e.g. 512).",
        examples="512, 227",
        fix="use a registered code of the same class, or declare the code in `extraCodes`",
    ),
    Rule(
        id="not-a-status-code",
        severity=Severity.Warning,
        judges=Subject.CODE,
        summary="A number that is something else, e.g. a Warning header warn-code (299).",
        examples="299, 110-113, 199, 214",
        fix="use a registered code of the same class",
    ),
    Rule(
        id="invalid-code",
        severity=Severity.Error,
        judges=Subject.CODE,
        summary="Not a status code at all: status codes are three digits from 100 to 599.",
        examples="600, 20, an OpenAPI response key `abc`",
        fix="use a status code, a range (`4XX`, OpenAPI 3) or `default`",
    ),
    Rule(
        id="invalid-range-key",
        severity=Severity.Error,
        judges=Subject.RESPONSE_KEY,
        summary="An OpenAPI response range key written wrongly (2xx) or not allowed (Swagger 2.0).",
        examples="`2xx` in OpenAPI 3; `6XX`; any range key in Swagger 2.0",
        fix="write ranges with an upper-case X from `1XX` to `5XX`; in Swagger 2.0 list the codes",
        quick_fix=QuickFix.UPPER_CASE_RANGE,
    ),
    Rule(
        id="unquoted-response-key",
        severity=Severity.Warning,
        judges=Subject.RESPONSE_KEY,
        summary="An OpenAPI 3 response key that YAML reads as an integer; the spec requires a string.",
        examples="`200:` in an OpenAPI 3 YAML file (Swagger 2.0 allows it)",
        fix="quote the key, in the quote style of the other keys",
        quick_fix=QuickFix.QUOTE_KEY,
    ),
    Rule(
        id="duplicate-response-key",
        severity=Severity.Error,
        judges=Subject.RESPONSE_KEY,
        summary="The same status code twice in one OpenAPI responses object.",
        examples="`'200'` twice, or `'200'` and `'0200'`",
        fix="merge the two entries into one",
    ),
    Rule(
        id="body-not-allowed",
        severity=Severity.Warning,
        judges=Subject.RESPONSE_BODY,
        summary="A body declared on a response that must not have one (204, 205, 304, 1xx, any answer to HEAD).",
        examples="`content` (`schema` in Swagger 2.0) on 204, 205, 304 or 1xx, on a HEAD operation, or through a `$ref`",
        fix="remove the body; headers are fine",
        quick_fix=QuickFix.REMOVE_BODY,
    ),
    Rule(
        id="missing-success-response",
        severity=Severity.Warning,
        judges=Subject.OPERATION,
        summary="An operation that declares no success: no 2xx, `2XX`, 3xx or 101 response.",
        examples="only `'400'` and `'404'`; `default` alone counts where the profile says so",
        fix="add the response the operation answers when it succeeds",
        quick_fix=QuickFix.ADD_RESPONSE,
    ),
    Rule(
        id="missing-error-response",
        severity=Severity.Information,
        judges=Subject.OPERATION,
        summary="An operation that declares none of the error responses the profile expects.",
        examples="no 4xx, 5xx or `default` at all; with `owasp`, no 401 on a secured operation, no 429",
        fix="add the error response (a `default` is enough where the profile says so)",
        quick_fix=QuickFix.ADD_RESPONSE,
    ),
    Rule(
        id="missing-response-header",
        severity=Severity.Error,
        judges=Subject.RESPONSE,
        summary="A response without a header its status requires (MUST: error) or expects (SHOULD: warning).",
        examples="401 without `WWW-Authenticate`, 405 without `Allow`, 206 without `Content-Range`, 3xx without `Location`",
        fix="declare the header under the response's `headers`",
        quick_fix=QuickFix.ADD_HEADER,
    ),
    Rule(
        id="method-status-mismatch",
        severity=Severity.Warning,
        judges=Subject.OPERATION,
        summary="A status that does not fit the operation's method (201 on GET, 304 on POST).",
        examples="201 Created on GET; 304 Not Modified on POST; 206 on DELETE",
        fix="use the status the message names, or move the response to the right operation",
    ),
    Rule(
        id="conflicting-success-responses",
        severity=Severity.Warning,
        judges=Subject.OPERATION,
        summary="Success responses that contradict each other (202 beside other 2xx; 101 beside 2xx).",
        examples="`'200'` and `'202'` on one operation (off in `recommended`: many APIs answer either)",
        fix="keep the one the operation answers, or split the operation",
    ),
    Rule(
        id="status-not-allowed",
        severity=Severity.Warning,
        judges=Subject.RESPONSE_KEY,
        summary="A status outside the profile's allowlist, or one the profile replaces (422 -> 400 for IBM).",
        examples="`'302'` under `ibm` (use 303 or 307); `'418'` under `zalando`",
        fix="use the code the message names",
        quick_fix=QuickFix.PREFERRED_CODE,
    ),
    Rule(
        id="description-mismatch",
        severity=Severity.Warning,
        judges=Subject.RESPONSE,
        summary="A response whose description is another code's reason phrase (`'201': OK`).",
        examples="`'201'` described `OK`; `'403'` described `Unauthorized`; `'422'` described `Bad Request`",
        fix="describe what the response means; the quick fix writes the code's reason phrase",
        quick_fix=QuickFix.REPLACE_DESCRIPTION,
    ),
    Rule(
        id="deprecated-name",
        severity=Severity.Warning,
        judges=Subject.NAME,
        summary="A deprecated library constant for a status code (e.g. starlette's HTTP_422_...).",
        examples="starlette's `HTTP_422_UNPROCESSABLE_ENTITY`",
        fix="use the current name, after the RFC 9110 phrase",
        quick_fix=QuickFix.RENAME,
    ),
    Rule(
        id="unknown-name",
        severity=Severity.Warning,
        judges=Subject.NAME,
        summary="A constant that does not exist in the status-code namespace it is read from.",
        examples="`HTTPStatus.NOT_FUND`",
        fix="use a name the library defines",
        quick_fix=QuickFix.CORRECT_NAME,
    ),
    Rule(
        id="undocumented-status",
        severity=Severity.Warning,
        judges=Subject.CODE_AGAINST_SPEC,
        summary="A code a handler returns that its OpenAPI operation does not declare.",
        examples="`raise HTTPException(409)` in `GET /items/{id}`, whose spec declares 200 and 404",
        fix="declare the response in the spec; a range (`4XX`) or `default` also covers it",
        quick_fix=QuickFix.ADD_RESPONSE,
    ),
    Rule(
        id="unreturned-status",
        severity=Severity.Information,
        judges=Subject.CODE_AGAINST_SPEC,
        summary="A code an operation declares that no handler for it returns (when all its codes are known).",
        examples="`'409'` under `post /items`, whose handler only returns 201 and 400",
        fix="remove the response, or return it where the handler should",
    ),
    Rule(
        id="undocumented-operation",
        severity=Severity.Hint,
        judges=Subject.CODE_AGAINST_SPEC,
        summary="A handler whose method and path the workspace's OpenAPI description does not have.",
        examples='`@app.delete("/items/{id}")` with no `delete` under `/items/{itemId}`',
        fix="describe the operation in the spec",
    ),
    Rule(
        id="unimplemented-operation",
        severity=Severity.Hint,
        judges=Subject.CODE_AGAINST_SPEC,
        summary="An operation of a spec the workspace serves that no handler answers.",
        examples='`get` under `/orders/{id}` with no `@app.get("/orders/{order_id}")`',
        fix="write the handler, or remove the operation",
    ),
    Rule(
        id="status-style",
        severity=Severity.Warning,
        enabled_by_default=False,
        judges=Subject.SPELLING,
        summary="A Python status code not spelled in the project's style: a library constant, or a number.",
        examples=(
            'with `statusStyle = "named"`: `abort(404)` -> `abort(HTTPStatus.NOT_FOUND)`; '
            'with `"numeric"`: `status_code=status.HTTP_201_CREATED` -> `status_code=201`'
        ),
        fix="write the constant (or the number); `source.fixAll` and `check --fix` rewrite the file",
        quick_fix=QuickFix.STATUS_STYLE,
    ),
    Rule(
        id="body-with-no-content-status",
        severity=Severity.Warning,
        judges=Subject.HANDLER,
        summary="A handler that sends a body with 204 No Content or 304 Not Modified, which have none.",
        examples='`return jsonify(done=True), 204`; `@app.delete("/x", status_code=204)` on a handler returning a dict',
        fix="drop the body, or answer a status that has one (200)",
    ),
    Rule(
        id="redirect-without-location",
        severity=Severity.Warning,
        judges=Subject.HANDLER,
        summary="A redirect status (301, 302, 303, 307, 308) sent without a `Location` header.",
        examples='`return "", 302`; `Response(status_code=302)` with no `headers={"Location": ...}`',
        fix="add the `Location` header, or use the framework's redirect (`redirect(url)`, `RedirectResponse(url)`)",
    ),
    Rule(
        id="success-in-error-handler",
        severity=Severity.Warning,
        judges=Subject.HANDLER,
        summary="A 2xx response sent from an `except` block, reporting a failure as a success.",
        examples='`except KeyError: return JSONResponse({"error": "missing"}, status_code=200)`',
        fix="answer the error status the failure means (400, 404, 409, 500...)",
    ),
)

BY_ID: Mapping[str, Rule] = MappingProxyType({rule.id: rule for rule in RULES})
RULE_IDS: tuple[str, ...] = tuple(BY_ID)

JUDGING_THE_CODE: frozenset[str] = frozenset(rule.id for rule in RULES if rule.judges_code)
"""The rules a per-code setting (``"418"``) and ``extraCodes`` apply to."""

FIXED_BY_REPLACING_THE_CODE: frozenset[str] = frozenset(rule.id for rule in RULES if rule.quick_fix is QuickFix.REPLACE_CODE)
"""The rules whose quick fix swaps the code for one the knowledge base names instead."""


def _flat_severities() -> dict[str, Severity | None]:
    table: dict[str, Severity | None] = {}
    for rule in RULES:
        table[rule.id] = rule.severity if rule.enabled_by_default else None
        table.update((str(code), level) for code, level in rule.code_severity.items())
    return table


SEVERITY: Mapping[str, Severity | None] = MappingProxyType(_flat_severities())
"""The flat default severity table the judge reads: rule id -> severity, and a status code written
as a string (``"418"``) -> the severity of the rules judging that code, which overrides the rule's.
Settings layer the user's choices (None: off) on a copy."""


def rule_with_code_default(code: int) -> Rule | None:
    """The rule that refines its severity for ``code`` (``reserved-code`` for 418), if any."""
    return next((rule for rule in RULES if code in rule.code_severity), None)
