"""The bad inputs of issue 6, as documents: each one with the place to hover and what must be found.

Every case names a ``needle``: text in the document whose first character the tests hover and
complete at. ``codes`` are the status codes the diagnostics must name when ``exact`` is set (the
document is readable after all, so precision still applies); otherwise they must at least be a
subset of what the detectors would say about a clean version (recovery may lose some).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BadInput:
    name: str
    suffix: str
    language: str
    text: str
    needle: str | None = None
    """Hover here; None hovers at 0:0."""
    codes: tuple[int, ...] = ()
    """Codes the diagnostics name (see ``exact``)."""
    exact: bool = True
    hover_code: int | None = None
    """When set, the hover at ``needle`` must describe this code."""


def _alias_bomb() -> str:
    lines = ["openapi: 3.0.0", 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 12):
        previous = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([previous] * 9)}]")
    lines += ["paths:", "  /p:", "    get:", "      responses:", "        '420':", "          description: x", ""]
    return "\n".join(lines)


def _deep_yaml(depth: int) -> str:
    # Block nesting that deep is unreadable anyway; flow nesting is what a generator or an attacker writes.
    return "status: 420\nnested: " + "[" * depth + "1" + "]" * depth + "\n"


def _deep_json(depth: int) -> str:
    return '{"status": 420, "nested": ' + '{"a": ' * depth + "1" + "}" * depth + "}\n"


def _deep_python(depth: int) -> str:
    return "from flask import abort\nx = " + "(" * depth + "1" + ")" * depth + "\nabort(420)\n"


def _wrong_openapi_yaml() -> str:
    return """openapi: 3.0.0
info: [not, a, mapping]
paths:
  /list:
    get:
      responses:
        - '200'
        - '420'
  /types:
    get:
      responses:
        200: {description: int key}
        '420': {description: quoted}
        true: {description: bool key}
        null: {description: null key}
        1.5: {description: float key}
        [1, 2]: {description: sequence key}
        ? {a: b}
        : {description: mapping key}
        '2xx': {description: lower-case range}
  /deep:
    get:
      x-extra:
        responses:
          '509': {description: not an operation's responses}
      responses: 12
  /ref:
    $ref: '#/paths/~1ref'
    get:
      $ref: '#/paths/~1ref/get'
      responses:
        $ref: '#/paths/~1ref/get/responses'
        '305': {$ref: '#/paths/~1ref/get/responses/305'}
responses:
  '599': {description: top level}
components:
  responses:
    Loop: {$ref: '#/components/responses/Loop'}
"""


def _wrong_openapi_json() -> str:
    return (
        '{"openapi": "3.0.0", "paths": {'
        '"/list": {"get": {"responses": ["200", "420"]}},'
        '"/types": {"get": {"responses": {"420": {"description": "q"}, "2xx": {}, "": {}, "4XX": 5}}},'
        '"/ref": {"$ref": "#/paths/~1ref", "get": {"responses": {"$ref": "#/paths/~1ref/get/responses", '
        '"305": {"$ref": "#/paths/~1ref/get/responses/305"}}}},'
        '"/odd": {"get": {"x": {"responses": {"509": {}}}, "responses": null}}'
        "}}\n"
    )


FIVE_MB = 5 * 1024 * 1024


_PROSE = "Caf\u00e9 \u4e16\u754c \U0001f389: the quick brown fox jumps over the lazy dog. " * 4


def _long_line_json() -> str:
    # Minified (one line), with non-ASCII text throughout so that every column needs converting,
    # and a status value now and then, as in a minified API description or a data dump.
    item = '{"name": "item", "description": "' + _PROSE + '", "status": 200},'
    body = item * (FIVE_MB // len(item.encode()))
    return '{"items": [' + body + '{"status": 420}]}'


def _long_line_yaml() -> str:
    item = '{name: item, description: "' + _PROSE + '", status: 200}, '
    return "items: [" + item * (FIVE_MB // len(item.encode())) + "{status: 420}]\n"


def _long_line_python() -> str:
    return "from flask import abort\nx = '" + "\u00e9\U0001f389" * (FIVE_MB // 6) + "'; abort(420)\n"


CASES: tuple[BadInput, ...] = (
    BadInput("yaml-alias-bomb", ".yaml", "yaml", _alias_bomb(), "'420'", (420,)),
    BadInput("yaml-deep-flow", ".yaml", "yaml", _deep_yaml(5000), "420", (420,), exact=False),
    BadInput("json-deep", ".json", "json", _deep_json(5000), "420", (420,), hover_code=420),
    BadInput("python-deep", ".py", "python", _deep_python(3000), "420", (420,), exact=False),
    BadInput(
        "yaml-unterminated-string", ".yaml", "yaml", 'status: 420\nmessage: "never closed\nother: 1\n', "420", (420,), exact=False
    ),
    BadInput("yaml-unterminated-flow", ".yaml", "yaml", "status: 420\nlist: [1, 2, {a: 3\n", "420", (420,), exact=False),
    BadInput(
        "json-unterminated-string", ".json", "json", '{"status": 420, "message": "never closed\n', "420", (420,), exact=False
    ),
    BadInput("json-unterminated-object", ".json", "json", '{"status": 420, "nested": {"a": [1, 2', "420", (420,), exact=False),
    BadInput("yaml-tab-indent", ".yaml", "yaml", "status: 420\nmapping:\n\tkey: 1\n\tstatus: 509\n", "420", (420,), exact=False),
    BadInput(
        "yaml-multi-document",
        ".yaml",
        "yaml",
        "status: 420\n---\nstatus: 509\n...\n---\nopenapi: 3.0.0\npaths: {/p: {get: {responses: {'305': {}}}}}\n",
        "509",
        (305, 420, 509),
        hover_code=509,
    ),
    BadInput("yaml-bom", ".yaml", "yaml", "\ufeffstatus: 420\n", "420", (420,), hover_code=420),
    BadInput("json-bom", ".json", "json", '\ufeff{"status": 420}\n', "420", (420,), exact=False),
    BadInput("python-bom", ".py", "python", "\ufefffrom flask import abort\nabort(420)\n", "420", (420,), hover_code=420),
    BadInput("yaml-crlf", ".yaml", "yaml", "a: 1\r\nstatus: 420\r\nb: 2\r\n", "420", (420,), hover_code=420),
    BadInput("yaml-lone-cr", ".yaml", "yaml", "a: 1\rstatus: 420\rb: 2\r", "420", (420,), hover_code=420),
    BadInput("json-lone-cr", ".json", "json", '{"a": 1,\r"status": 420\r}', "420", (420,), hover_code=420),
    BadInput("python-lone-cr", ".py", "python", "from flask import abort\rx = 1\rabort(420)\r", "420", (420,), hover_code=420),
    BadInput("python-crlf", ".py", "python", "from flask import abort\r\nabort(420)\r\n", "420", (420,), hover_code=420),
    BadInput(
        "yaml-control-characters",
        ".yaml",
        "yaml",
        "a: \x01\x02\x7f\x1b[31m\nstatus: 420\n\x00\n",
        "420",
        (420,),
        exact=False,
        hover_code=420,
    ),
    BadInput(
        "python-control-characters",
        ".py",
        "python",
        "from flask import abort\nx = '\x00\x01\x1b'\nabort(420)\n",
        "420",
        (420,),
        hover_code=420,
    ),
    BadInput(
        "python-bidi-override",
        ".py",
        "python",
        'from flask import abort\nx = "\u202e\u2066 evil \u2069\u202c"; abort(420)\n',
        "420",
        (420,),
        hover_code=420,
    ),
    BadInput("yaml-bidi-override", ".yaml", "yaml", "note: \u202eevil\u202c\nstatus: 420\n", "420", (420,), hover_code=420),
    BadInput(
        "python-separators-before-code",
        ".py",
        "python",
        'from flask import abort\nx = "\u2028\x0c\x1c\x85\u2029"; abort(420)\n# \u2028 \x0c\nabort(509)\n',
        "509",
        (420, 509),
        hover_code=509,
    ),
    BadInput(
        "yaml-separators-before-code",
        ".yaml",
        "yaml",
        'note: "\u2028\x0c\x85\u2029"\nstatus: 420\n# \u2028\x0c\nother:\n  status: 509\n',
        "509",
        (420, 509),
        hover_code=509,
    ),
    BadInput(
        "json-separators-before-code",
        ".json",
        "json",
        '{"note": "\u2028\x0c\x85\u2029",\n "status": 420, "x": "\u2028", "error": {"status": 509}}\n',
        "509",
        (420, 509),
        hover_code=509,
    ),
    BadInput("json-long-line", ".json", "json", _long_line_json(), "420", (420,), hover_code=420),
    BadInput("yaml-long-line", ".yaml", "yaml", _long_line_yaml(), "420", (420,), hover_code=420),
    BadInput("python-long-line", ".py", "python", _long_line_python(), "420", (420,), hover_code=420),
    BadInput("yaml-empty", ".yaml", "yaml", ""),
    BadInput("json-empty", ".json", "json", ""),
    BadInput("python-empty", ".py", "python", ""),
    BadInput("yaml-only-comments", ".yaml", "yaml", "# status: 420\n# responses:\n#   '509': {}\n", "420"),
    BadInput("python-only-comments", ".py", "python", "# abort(420)\n# return 509\n", "420"),
    BadInput(
        "python-unclosed-brackets",
        ".py",
        "python",
        "from flask import abort\ndef view(:\n    x = [1, 2\n    abort(420\n\nabort(509)\n",
        "509",
        (420, 509),
        exact=False,
    ),
    BadInput(
        "python-bad-indentation",
        ".py",
        "python",
        "from flask import abort\ndef view():\n  x = 1\n      abort(420)\n   return 1\nabort(509)\n",
        "509",
        (420, 509),
        exact=False,
    ),
    BadInput(
        "python-mixed-tabs",
        ".py",
        "python",
        "from flask import abort\ndef view():\n\tif x:\n        abort(420)\n\treturn 509, {}\n",
        "420",
        (420,),
        exact=False,
    ),
    BadInput(
        "python2-syntax",
        ".py",
        "python",
        "from flask import abort\nprint 'hello'\nexec 'x = 1'\ntry:\n    abort(420)\nexcept Exception, e:\n    raise ValueError, 'x'\n"
        "x = 0777L\nabort(509)\n",
        "509",
        (420, 509),
        exact=False,
    ),
    BadInput(
        "openapi-yaml-wrong-everywhere",
        ".yaml",
        "yaml",
        _wrong_openapi_yaml(),
        "'420': {description: quoted",
        (420, 305),
        exact=False,
        hover_code=420,
    ),
    BadInput(
        "openapi-json-wrong-everywhere",
        ".json",
        "json",
        _wrong_openapi_json(),
        '"420": {',
        (420, 305),
        exact=False,
        hover_code=420,
    ),
)
