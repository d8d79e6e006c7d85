"""The rules table against its readers: the judge, settings, and the files generated from it (the VS
Code settings schema and docs/rules.md), which must never disagree with the server again."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from tools import rule_docs

from http_status_ls.core.occurrences import Analysis, Detection, Kind, Occurrence, Span
from http_status_ls.core.settings import SEVERITIES, parse
from http_status_ls.features.diagnostics import findings
from http_status_ls.kb import rules
from http_status_ls.kb.profiles import DEFAULT_PROFILE, PROFILES
from http_status_ls.kb.rules import BY_ID, FIXED_BY_REPLACING_THE_CODE, JUDGING_THE_CODE, RULE_IDS, RULES, SEVERITY, Severity
from tests.support.paths import REPO

REGENERATE = f"run `{rule_docs.COMMAND}` and commit the result"


def literal(code: int) -> Analysis:
    occurrence = Occurrence(span=Span(0, 6, 0, 9), kind=Kind.LITERAL, text=str(code), code=code, context="abort()")
    return Analysis(uri="file:///t.py", version=1, language="python", detection=Detection(occurrences=(occurrence,)))


def test_one_row_per_rule_with_a_stable_kebab_case_id():
    assert len(BY_ID) == len(RULES)
    assert RULE_IDS == tuple(rule.id for rule in RULES)
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.id) for rule in RULES)
    assert all(rule.summary.endswith(".") and rule.fix and rule.examples for rule in RULES)


def test_the_flat_severity_table_is_the_rows_and_their_per_code_refinements():
    expected = {rule.id: rule.severity if rule.enabled_by_default else None for rule in RULES}
    expected.update({str(code): level for rule in RULES for code, level in rule.code_severity.items()})
    assert dict(SEVERITY) == expected
    assert SEVERITY["418"] == Severity.Information and SEVERITY["reserved-code"] == Severity.Warning
    with pytest.raises(TypeError):
        SEVERITY["418"] = None  # type: ignore[index]  # read-only: settings layer on a copy


def test_severities_are_the_lsp_numbers_and_the_settings_names():
    types = pytest.importorskip("lsprotocol.types")
    assert [(level.name, int(level)) for level in Severity] == [
        (member.name, member.value) for member in types.DiagnosticSeverity
    ]
    assert SEVERITIES == (*(level.name.lower() for level in Severity), "off")


def test_a_per_code_default_belongs_to_the_rule_that_judges_that_code():
    without_refinements = {key: level for key, level in SEVERITY.items() if not key.isdigit()}
    for rule in RULES:
        for code in rule.code_severity:
            assert rule.judges_code, rule.id
            assert [f.rule for f in findings(literal(code), severity=without_refinements)] == [rule.id]
            assert [f.severity for f in findings(literal(code))] == [rule.code_severity[code]]
            assert rules.rule_with_code_default(code) is rule
    assert rules.rule_with_code_default(404) is None


def test_a_per_code_setting_reaches_exactly_the_rules_that_judge_the_code():
    assert JUDGING_THE_CODE == {rule.id for rule in RULES if rule.judges is rules.Subject.CODE}
    # 420 is unofficial (a code rule): "420" = off silences it; 600 is invalid (also a code rule).
    for code in (420, 600, 305):
        assert findings(literal(code))
        assert findings(literal(code), severity={**SEVERITY, str(code): None}) == []


def test_the_quick_fix_that_replaces_the_code_is_for_rules_that_judge_a_known_code():
    assert FIXED_BY_REPLACING_THE_CODE == {
        "deprecated-code",
        "reserved-code",
        "obsolete-code",
        "provisional-code",
        "unofficial-code",
    }
    assert FIXED_BY_REPLACING_THE_CODE <= JUDGING_THE_CODE


def test_settings_validate_rule_ids_against_the_table():
    _, messages = parse({"rules": {"unoficial-code": "off"}})
    assert messages and messages[0].startswith("httpStatus.rules.unoficial-code: unknown rule (known: ")
    parsed, messages = parse({"rules": dict.fromkeys(RULE_IDS, "hint")})
    assert messages == [] and set(parsed.rules) == set(RULE_IDS)


def test_the_rules_table_never_loads_lsprotocol():
    probe = "import sys, http_status_ls.kb.rules, http_status_ls.core.settings; print('lsprotocol' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# --- the generated files ---------------------------------------------------------------------------


def test_the_generated_files_are_current():
    stale = rule_docs.stale()
    assert not stale, f"{', '.join(map(str, stale))} disagree with server/http_status_ls/kb/rules.py: {REGENERATE}"


def test_the_vscode_settings_give_the_servers_default_for_every_rule():
    manifest = json.loads((REPO / rule_docs.MANIFEST).read_text(encoding="utf-8"))
    setting = manifest["contributes"]["configuration"]["properties"]["httpStatus.rules"]
    assert list(setting["properties"]) == list(RULE_IDS)
    for rule in RULES:
        schema = setting["properties"][rule.id]
        # The rules a profile sets default to the default profile's choice (off, for some).
        level = PROFILES[DEFAULT_PROFILE].severities.get(rule.id, rule.severity if rule.enabled_by_default else None)
        default = "off" if level is None else level.name.lower()
        assert (schema["enum"], schema["default"]) == (list(SEVERITIES), default), rule.id
        assert f"Default: {default}" in schema["description"], rule.id
    # A status code as the key is a setting the server takes ("418": "off"); the schema allows it.
    (pattern,) = setting["patternProperties"]
    assert re.fullmatch(pattern, "418") and not re.fullmatch(pattern, "unofficial-code")


def _github_anchor(heading: str) -> str:
    """The id GitHub gives a heading: lower case, punctuation other than - and _ dropped, spaces -."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_every_rule_has_a_section_at_its_anchor_in_the_docs():
    text = (REPO / rules.DOCS_PAGE).read_text(encoding="utf-8")
    anchors = [_github_anchor(line[3:]) for line in text.splitlines() if line.startswith("## ")]
    assert anchors == [rule.anchor for rule in RULES]
    assert all(rule.docs == f"{rules.DOCS_PAGE}#{rule.anchor}" for rule in RULES)


def test_a_hand_edit_is_found_stale_and_regenerating_repairs_it(tmp_path):
    (tmp_path / rule_docs.MANIFEST).parent.mkdir(parents=True)
    manifest = json.loads((REPO / rule_docs.MANIFEST).read_text(encoding="utf-8"))
    manifest["contributes"]["configuration"]["properties"]["httpStatus.rules"]["properties"]["unknown-name"]["default"] = "error"
    (tmp_path / rule_docs.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert rule_docs.stale(tmp_path) == [rule_docs.MANIFEST, rule_docs.DOCS]
    rule_docs.write(tmp_path)
    assert rule_docs.stale(tmp_path) == []
