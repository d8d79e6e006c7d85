"""``source.fixAll``: the safe fixes of a file as one set of edits. Each plan is applied, the result
re-analysed (nothing fixable left, it still parses) and planned again (nothing: idempotent)."""

from __future__ import annotations

import ast
from typing import Any

import yaml
from lsprotocol import types

from http_status_ls.core import settings
from http_status_ls.core.project_target import UNKNOWN, ProjectTarget
from http_status_ls.detect.analysis import analyse
from http_status_ls.features.actions import fix_all
from http_status_ls.features.actions.request import code_actions
from http_status_ls.features.diagnostics import findings
from http_status_ls.features.status_style import lines_of
from http_status_ls.kb.rules import SEVERITY

NEWEST = ProjectTarget(python=(3, 14), starlette=(0, 48, 0))
"""A project on the newest Python and starlette: every renamed name is deprecated there."""

VIEWS = '''\
"""Orders."""

from flask import Flask, abort

app = Flask(__name__)


@app.get("/orders/<int:order_id>")
def order(order_id, upstream):
    if upstream.status_code == 404:
        abort(404)
    abort(305)  # a deprecated code: its style is fixed, its code (a choice) never
    return {"id": order_id}, 201
'''

SPEC = """\
openapi: 3.0.3
info: {title: Orders, version: '1'}
paths:
  /orders:
    get:
      responses:
        200:
          description: ok
        "404":
          description: missing
        420:
          description: calm down
"""


def severity(payload: dict[str, Any] | None = None) -> Any:
    table, messages = settings.parse({"rules": {"status-style": "warning"}, **(payload or {})})
    assert messages == []
    return table.severity_table(SEVERITY)


def fixed(name: str, text: str, table: Any, target: ProjectTarget = UNKNOWN) -> tuple[str, fix_all.FixPlan]:
    analysis = analyse(name, None, text, None)
    plan = fix_all.plan(analysis, lines_of(text), severity=table, target=target)
    return fix_all.apply(lines_of(text), plan.edits), plan


def fixable_left(name: str, text: str, table: Any, target: ProjectTarget = UNKNOWN) -> list[str]:
    analysis = analyse(name, None, text, None)
    found = findings(analysis, severity=table, target=target, text=text)
    return [f.rule for f in found if f.rule in fix_all.SAFE_RULES]


def test_named_style_with_one_import_and_nothing_left():
    table = severity()
    new, plan = fixed("views.py", VIEWS, table)
    assert plan.fixed == {"status-style": 4}
    assert new.count("from http import HTTPStatus") == 1
    assert '"""Orders."""\n\nfrom http import HTTPStatus\n\nfrom flask import Flask, abort\n' in new
    assert "    if upstream.status_code == HTTPStatus.NOT_FOUND:\n        abort(HTTPStatus.NOT_FOUND)\n" in new
    assert "abort(HTTPStatus.USE_PROXY)" in new and 'return {"id": order_id}, HTTPStatus.CREATED\n' in new
    ast.parse(new)
    assert fixable_left("views.py", new, table) == []
    assert "deprecated-code" in {f.rule for f in findings(analyse("views.py", None, new, None), severity=table, text=new)}
    assert fixed("views.py", new, table) == (new, fix_all.FixPlan())


def test_numeric_style_and_a_deprecated_name_in_one_place():
    text = (
        "from fastapi import HTTPException, status\n\n"
        "def check(r):\n"
        "    assert r.status_code == status.HTTP_200_OK\n"
        "    raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY)\n"
    )
    table = severity({"statusStyle": "numeric"})
    new, plan = fixed("api.py", text, table, NEWEST)
    # The number covers the deprecated name: one edit there, not two overlapping ones.
    assert plan.fixed == {"status-style": 2}
    assert "== 200\n" in new and "HTTPException(422)\n" in new
    assert fixable_left("api.py", new, table, NEWEST) == []
    assert fixed("api.py", new, table, NEWEST)[0] == new


def test_deprecated_names_renamed_with_the_style_off():
    text = "from fastapi import HTTPException, status\n\nraise HTTPException(status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)\n"
    new, plan = fixed("api.py", text, SEVERITY, NEWEST)
    assert plan.fixed == {"deprecated-name": 1}
    assert "status.HTTP_413_CONTENT_TOO_LARGE" in new
    assert fixable_left("api.py", new, SEVERITY, NEWEST) == []


def test_unquoted_keys_quoted_and_other_findings_left():
    new, plan = fixed("openapi.yaml", SPEC, SEVERITY)
    assert plan.fixed == {"unquoted-response-key": 2}
    # The quote most keys of the object use: here the one quoted key's.
    assert '        "200":\n' in new and '        "404":\n' in new and '        "420":\n' in new
    yaml.safe_load(new)
    analysis = analyse("openapi.yaml", None, new, None)
    rules = {f.rule for f in findings(analysis, text=new)}
    assert "unofficial-code" in rules and "unquoted-response-key" not in rules


def test_suppressed_and_unselected_findings_are_not_fixed():
    text = "from flask import abort\n\nabort(404)  # http-status: ignore[status-style]\nabort(409)\n"
    new, plan = fixed("views.py", text, severity())
    assert plan.fixed == {"status-style": 1}
    assert "abort(404)  #" in new and "abort(HTTPStatus.CONFLICT)" in new
    analysis = analyse("views.py", None, text, None)
    kept = fix_all.plan(analysis, lines_of(text), severity=severity(), keep=lambda f: f.rule != "status-style")
    assert kept.edits == []


def test_edits_never_overlap():
    text = "from flask import abort\n\nabort(404)\nabort(404)\nabort(410)\n"
    _new, plan = fixed("views.py", text, severity())
    spans = sorted((e[0].start_line, e[0].start_col, e[0].end_line, e[0].end_col) for e in plan.edits)
    assert all(a[2:] <= b[:2] for a, b in zip(spans, spans[1:], strict=False))
    assert len(plan.edits) == 4  # three rewrites and one import


def test_crlf_text_keeps_its_line_breaks():
    text = VIEWS.replace("\n", "\r\n")
    new, _plan = fixed("views.py", text, severity())
    assert "\n" not in new.replace("\r\n", "")
    assert "from http import HTTPStatus\r\n" in new


def test_the_code_action_is_given_only_when_asked_for():
    lines = lines_of(VIEWS)
    analysis = analyse("file:///views.py", None, VIEWS, None)
    span = analysis.occurrences[0].span
    asked = code_actions(analysis, lines, span, only=[fix_all.FIX_ALL], severity=severity())
    assert [a.kind for a in asked] == [fix_all.FIX_ALL]
    assert asked[0].title == "Fix all safe HTTP status problems (4)"
    assert asked[0].edit is not None and asked[0].edit.changes is not None
    assert len(asked[0].edit.changes["file:///views.py"]) == 5
    plain = code_actions(analysis, lines, span, severity=severity())
    assert fix_all.FIX_ALL not in [a.kind for a in plain]


def test_a_status_style_diagnostic_gets_its_quick_fix():
    analysis = analyse("file:///views.py", None, VIEWS, None)
    found = [f for f in findings(analysis, severity=severity(), text=VIEWS) if f.rule == "status-style"]
    from http_status_ls.features.diagnostics import to_diagnostic

    diagnostic = to_diagnostic(found[1], analysis.uri)
    actions = code_actions(
        analysis, lines_of(VIEWS), found[1].span, [diagnostic], only=[types.CodeActionKind.QuickFix], severity=severity()
    )
    assert [a.title for a in actions] == ["Write HTTPStatus.NOT_FOUND instead of 404"]
    assert actions[0].is_preferred and actions[0].edit is not None and actions[0].edit.changes is not None
    assert len(actions[0].edit.changes[analysis.uri]) == 2  # the constant and its import
