"""A session's settings layers (session_settings) and the project's own codes in hover."""

from __future__ import annotations

from pathlib import Path

from http_status_ls.core.settings import ExtraCode
from http_status_ls.detect.analysis import analyse
from http_status_ls.features.diagnostics import RULES, SEVERITY, Severity, findings
from http_status_ls.features.hover import describe_code, hover
from http_status_ls.lsp.configuration import NO_SECTION, SessionSettings, live_section, message_for


def test_live_section_unwraps_what_clients_send():
    section = {"rules": {"unofficial-code": "off"}}
    assert live_section({"httpStatus": section}) == section
    assert live_section({"settings": {"httpStatus": section}}) == section
    assert live_section(section) == section  # a bare section, every key ours
    assert live_section({"maxFileSize": "1MB", "extra-yaml-keys": ["x"]}) == {"maxFileSize": "1MB", "extra-yaml-keys": ["x"]}
    # Nothing for us: the client should be asked with workspace/configuration.
    assert live_section(None) is NO_SECTION
    assert live_section({}) is NO_SECTION
    assert live_section({"python": {"analysis": {}}}) is NO_SECTION
    assert live_section({"rules": {}, "pylsp": {}}) is NO_SECTION  # not all ours: someone else's
    assert live_section([1, 2]) is NO_SECTION


def test_layers_merge_in_order(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.http-status-ls]\nextra-yaml-keys = ["expectedCode"]\nmax-file-size = "5MB"\n'
        '[tool.http-status-ls.rules]\nunofficial-code = "error"\ndeprecated-code = "hint"\n'
    )
    layers = SessionSettings(RULES)
    settings, messages = layers.compute()
    assert messages == [] and settings.rules == {}  # no root yet: defaults only

    layers.root = tmp_path
    settings, _ = layers.compute()
    assert layers.pyproject == tmp_path / "pyproject.toml"
    assert settings.rules == {"unofficial-code": "error", "deprecated-code": "hint"}
    assert settings.max_file_size == 5_000_000

    layers.set_initialization_options({"httpStatus": {"rules": {"unofficial-code": "warning"}, "extraYamlKeys": ["want"]}})
    settings, _ = layers.compute()
    assert settings.rules == {"unofficial-code": "warning", "deprecated-code": "hint"}
    assert settings.extra_yaml_keys == ("expectedCode", "want")

    layers.set_live({"rules": {"deprecated-code": "off"}, "maxFileSize": 1000})
    settings, _ = layers.compute()
    assert settings.rules == {"unofficial-code": "warning", "deprecated-code": "off"}
    assert settings.max_file_size == 1000

    # The live layer is replaced, not added to: the client now has nothing set.
    layers.set_live(None)
    settings, _ = layers.compute()
    assert settings.rules == {"unofficial-code": "warning", "deprecated-code": "hint"}


def test_initialization_options_may_be_the_bare_section():
    layers = SessionSettings(RULES)
    layers.set_initialization_options({"rules": {"418": "off"}, "colour": "red"})
    settings, messages = layers.compute()
    assert settings.rules == {"418": "off"}
    assert len(messages) == 1
    assert messages[0].startswith("httpStatus.colour: unknown setting (known: rules, profile, ruleOptions, extraCodes, ")
    # The list of known keys grows with the settings: its ends and one key are enough here.
    assert messages[0].endswith("); ignored") and "openApiSpecs" in messages[0]
    layers.set_initialization_options(None)
    assert layers.initialization is None


def test_messages_name_each_bad_key_and_defaults_stay():
    layers = SessionSettings(RULES)
    layers.set_live({"rules": {"unofficial-code": "loud", "no-such-rule": "error"}, "maxFileSize": "huge"})
    settings, messages = layers.compute()
    assert settings.rules == {} and settings.max_file_size == 20 * 1024 * 1024
    text = message_for(messages)
    assert text.startswith("http-status-ls: invalid settings:\n- ")
    assert "httpStatus.rules.unofficial-code: 'loud' is not one of error, warning, information, hint, off" in text
    assert "httpStatus.rules.no-such-rule: unknown rule" in text
    assert "httpStatus.maxFileSize: 'huge' is not a size" in text
    assert message_for(["httpStatus.x: bad; ignored"]) == "http-status-ls: invalid setting: httpStatus.x: bad; ignored"


def test_a_broken_pyproject_is_a_message(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text("[tool.http-status-ls\nrules = 1\n")
    layers = SessionSettings(RULES)
    layers.root = tmp_path
    settings, messages = layers.compute()
    assert settings.rules == {}
    assert len(messages) == 1 and "not valid TOML" in messages[0]


# --- the project's own codes --------------------------------------------------------------------

CUSTOM = {
    799: ExtraCode(
        code=799, phrase="Upstream Quota Exhausted", description="Our gateway's answer when a partner quota runs out."
    ),
    599: ExtraCode(code=599, phrase="Network Connect Timeout"),
}


def test_hover_describes_an_extra_code_the_registry_does_not_know():
    text = describe_code(799, extra_codes=CUSTOM)
    # The title's markup belongs to the hover card (features/hover); here only what it names.
    assert "799 Upstream Quota Exhausted" in text.splitlines()[0]
    assert "This project's own code (`httpStatus.extraCodes`)" in text
    assert "Outside the range 100-599" in text
    assert "Our gateway's answer when a partner quota runs out." in text
    plain = describe_code(799, markdown=False, extra_codes=CUSTOM)
    assert plain.startswith("799 Upstream Quota Exhausted\n\n") and "`" not in plain
    # Without the setting it is just out of range.
    assert "not a status code" in describe_code(799)


def test_hover_marks_a_known_code_the_project_declares():
    text = describe_code(599, extra_codes=CUSTOM)
    note, _, card = text.partition("\n\n")
    assert note == "This project's own code: `599 Network Connect Timeout`"
    assert card == describe_code(599) and "599 " in card.splitlines()[0]


def test_hover_of_an_occurrence_with_extra_codes():
    source = "abort(799)\nabort(404)\n"
    analysis = analyse("a.py", None, source, 1)
    shown = hover(analysis, 0, 7, extra_codes=CUSTOM)
    assert shown is not None and "Upstream Quota Exhausted" in shown.contents.value
    assert "Upstream" not in hover(analysis, 1, 7, extra_codes=CUSTOM).contents.value


def test_extra_codes_are_exempt_through_the_severity_table():
    from http_status_ls.core.settings import Settings

    analysis = analyse("a.py", None, "abort(599)\nabort(799)\nabort(420)\n", 1)
    default_rules = {f.rule for f in findings(analysis)}
    assert default_rules == {"unofficial-code", "invalid-code"}
    table = Settings(extra_codes=CUSTOM).severity_table(SEVERITY)
    left = findings(analysis, severity=table)
    assert [(f.rule, f.code) for f in left] == [("unofficial-code", 420)]
    assert left[0].severity == Severity.Warning
