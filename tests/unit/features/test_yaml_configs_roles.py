"""The YAML configuration keys of issue 12 through the features: hover on a code inside a string, the
severity each role gets (a code Ansible or ingress-nginx only reads is worth a note, Kong's redirect
code is sent), a class edge in a condition, a quick fix that edits inside a condition or drops an
item of a comma-separated string, and `check` on a playbook."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from http_status_ls.cli import check
from http_status_ls.detect.analysis import analyse
from http_status_ls.features.diagnostics import findings
from http_status_ls.features.hover import hover
from tests.unit.features.test_code_actions import actions_at, applied, apply_text_edits, titled

PLAYBOOK = """\
- name: Poll the health endpoint
  ansible.builtin.uri:
    url: https://status.example.test/health
  register: health
  until: health.status in [200, 420]
  failed_when: "health.status == 306"
"""

EDGE = """\
routes:
  - name: legacy
    https_redirect_status_code: 306
annotations:
  nginx.ingress.kubernetes.io/custom-http-errors: "404,509"
"""


def found(text: str) -> list[tuple[int, int, str, str]]:
    analysis = analyse("file:///config.yaml", "yaml", text, 1)
    return [(f.span.start_line, f.span.start_col, f.rule, f.severity.name) for f in findings(analysis)]


def test_read_codes_inform_and_a_sent_redirect_warns():
    assert found(PLAYBOOK) == [
        (4, 32, "unofficial-code", "Information"),
        (5, 33, "reserved-code", "Information"),
    ]
    assert found(EDGE) == [
        (2, 32, "reserved-code", "Warning"),
        (4, 55, "unofficial-code", "Information"),
    ]
    assert PLAYBOOK.splitlines()[4][32:35] == "420" and EDGE.splitlines()[4][55:58] == "509"


def test_hover_on_a_code_inside_a_comma_separated_string():
    analysis = analyse("file:///config.yaml", "yaml", EDGE, 1)
    card = hover(analysis, 4, 51)
    assert card is not None and isinstance(card.contents, types.MarkupContent)
    assert card.contents.value.startswith("**404 Not Found**")
    assert hover(analysis, 4, 53) is not None and hover(analysis, 4, 49) is None


def test_quick_fix_inside_a_condition_keeps_the_expression():
    actions = actions_at(PLAYBOOK, "yaml", "420")
    assert [a.title for a in actions] == ["Replace 420 with 429 Too Many Requests", "Replace 420 with 424 Failed Dependency"]
    edit = actions[0].edit
    assert edit is not None and edit.changes is not None
    fixed = apply_text_edits(PLAYBOOK, next(iter(edit.changes.values())))
    assert fixed.splitlines()[4] == "  until: health.status in [200, 429]"


def test_check_passes_a_playbook_that_only_reads_and_fails_a_sent_redirect(tmp_path: Path, monkeypatch, capsys):
    (tmp_path / "site.yml").write_text(PLAYBOOK, encoding="utf-8")
    (tmp_path / "kong.yaml").write_text(EDGE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert check.main(["site.yml"]) == 0
    assert check.main(["kong.yaml"]) == 1
    out, _ = capsys.readouterr()
    assert "kong.yaml:3:" in out and "306" in out


def test_a_class_edge_in_a_condition_hovers_as_a_class():
    text = "- uri: {url: x}\n  register: ready\n  failed_when: ready.status >= 500\n"
    analysis = analyse("file:///site.yml", "yaml", text, 1)
    card = hover(analysis, 2, 31)
    assert card is not None and isinstance(card.contents, types.MarkupContent)
    assert card.contents.value.startswith("`500` bounds a class here, not a code")
    assert text.splitlines()[2][31:34] == "500"


@pytest.mark.parametrize(
    ("source", "language", "expected"),
    [
        (
            'annotations:\n  nginx.ingress.kubernetes.io/custom-http-errors: "503,509"\n',
            "yaml",
            'annotations:\n  nginx.ingress.kubernetes.io/custom-http-errors: "503"\n',
        ),
        ("data:\n  custom-http-errors: 509, 503\n", "yaml", "data:\n  custom-http-errors: 503\n"),
        ('data:\n  custom-http-errors: "404,509,503"\n', "yaml", 'data:\n  custom-http-errors: "404,503"\n'),
        ("retry:\n  retryOn: gateway-error,509,503\n", "yaml", "retry:\n  retryOn: gateway-error,503\n"),
        ('{"custom-http-errors": "509,503"}', "json", '{"custom-http-errors": "503"}'),
    ],
)
def test_a_comma_separated_string_never_lists_a_code_twice(source, language, expected):
    actions = actions_at(source, language, "509")
    assert [a.title for a in actions] == ["Remove 509 (503 is already listed)", "Replace 509 with 429 Too Many Requests"]
    assert applied(source, actions[0], language) == expected


def test_a_comma_separated_string_without_the_code_keeps_the_replacement():
    fixed = applied(EDGE, titled(actions_at(EDGE, "yaml", "509"), "Replace 509 with 503"), "yaml")
    assert fixed.splitlines()[4] == '  nginx.ingress.kubernetes.io/custom-http-errors: "404,503"'
