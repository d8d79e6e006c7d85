"""Settings: every payload shape, every bad value named in a message, layers merged in order."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from lsprotocol.types import DiagnosticSeverity

from http_status_ls.core import settings_files
from http_status_ls.core.settings import DEFAULT_MAX_FILE_SIZE, DEFAULTS, ExtraCode, LanguageSwitches, Settings, parse
from http_status_ls.kb.rules import RULE_IDS as RULES
from http_status_ls.kb.rules import SEVERITY


def test_defaults():
    assert DEFAULTS.rules == {}
    assert DEFAULTS.extra_codes == {}
    assert DEFAULTS.extra_yaml_keys == ()
    assert DEFAULTS.languages == LanguageSwitches(python=True, yaml=True, json=True)
    assert DEFAULTS.inlay_hints == LanguageSwitches(python=True, yaml=True, json=True)
    assert DEFAULTS.max_file_size == DEFAULT_MAX_FILE_SIZE == 20 * 1024 * 1024


def test_full_section_in_camel_case():
    parsed, messages = parse(
        {
            "rules": {"unofficial-code": "error", "body-not-allowed": "off", "418": "hint"},
            "extraCodes": [{"code": 499, "phrase": "Client Closed Request", "description": "nginx"}],
            "extraYamlKeys": ["expectedCode", "okStatus"],
            "inlayHints": {"python": False},
            "languages": {"json": False},
            "maxFileSize": 1_000_000,
        },
        known_rules=RULES,
    )
    assert messages == []
    assert parsed.rules == {"unofficial-code": "error", "body-not-allowed": "off", "418": "hint"}
    assert parsed.extra_codes == {499: ExtraCode(code=499, phrase="Client Closed Request", description="nginx")}
    assert parsed.extra_yaml_keys == ("expectedCode", "okStatus")
    assert parsed.inlay_hints == LanguageSwitches(python=False, yaml=True, json=True)
    assert parsed.languages.enabled("python") and not parsed.languages.enabled("json")
    assert parsed.max_file_size == 1_000_000


def test_snake_and_kebab_case_keys_as_toml_writes_them():
    kebab, messages = parse({"extra-codes": {"499": "Client Closed Request"}, "max-file-size": "2MB"})
    assert messages == []
    assert kebab.extra_codes[499].phrase == "Client Closed Request"
    assert kebab.max_file_size == 2_000_000
    snake, messages = parse({"extra_yaml_keys": "expected", "inlay_hints": False})
    assert messages == []
    assert snake.extra_yaml_keys == ("expected",)
    assert snake.inlay_hints == LanguageSwitches(python=False, yaml=False, json=False)


@pytest.mark.parametrize(
    "payload",
    [
        {"httpStatus": {"rules": {"unofficial-code": "off"}}},  # initializationOptions, VS Code style
        {"settings": {"httpStatus": {"rules": {"unofficial-code": "off"}}}},  # didChangeConfiguration
        [{"rules": {"unofficial-code": "off"}}],  # workspace/configuration's answer
        {"rules": {"unofficial-code": "off"}},  # the section itself
    ],
)
def test_payload_shapes(payload):
    parsed, messages = parse(payload)
    assert messages == []
    assert parsed.rules == {"unofficial-code": "off"}
    assert not parsed.rule_enabled("unofficial-code") and parsed.rule_enabled("deprecated-code")


@pytest.mark.parametrize("payload", [None, [None], [], {"settings": None}, {"settings": {"python": {"x": 1}}}])
def test_empty_payloads_keep_the_base(payload):
    base, _ = parse({"maxFileSize": 10})
    parsed, messages = parse(payload, base=base)
    assert parsed is base
    assert messages == []


def test_bad_severity_is_named_and_the_default_kept():
    parsed, messages = parse({"rules": {"unofficial-code": "loud", "deprecated-code": "error"}}, known_rules=RULES)
    assert messages == [
        "httpStatus.rules.unofficial-code: 'loud' is not one of error, warning, information, hint, off; using the default"
    ]
    assert parsed.rules == {"deprecated-code": "error"}


def test_severity_spellings():
    parsed, messages = parse({"rules": {"unofficial-code": "Info", "deprecated-code": False, "reserved-code": "WARN"}})
    assert messages == []
    assert parsed.rules == {"unofficial-code": "information", "deprecated-code": "off", "reserved-code": "warning"}


def test_unknown_rule_and_unknown_setting_are_named():
    parsed, messages = parse({"rules": {"unoficial-code": "off"}, "colour": "red"}, known_rules=RULES)
    assert parsed == DEFAULTS
    assert len(messages) == 2
    assert messages[0].startswith("httpStatus.rules.unoficial-code: unknown rule (known: ")
    assert "unofficial-code" in messages[0] and messages[0].endswith("; ignored")
    assert messages[1].startswith("httpStatus.colour: unknown setting")


@pytest.mark.parametrize(
    ("section", "key", "problem"),
    [
        ({"rules": ["unofficial-code"]}, "httpStatus.rules", "expected a table of rule = severity"),
        ({"extraCodes": "499"}, "httpStatus.extraCodes", "expected a list of {code, phrase, description?}"),
        ({"extraCodes": [{"code": 42, "phrase": "x"}]}, "httpStatus.extraCodes[0]", "42 is not a three-digit status code"),
        ({"extraCodes": [{"code": 499}]}, "httpStatus.extraCodes[0]", "code 499 needs a phrase"),
        ({"extraCodes": {"abc": "x"}}, "httpStatus.extraCodes.abc", "'abc' is not a three-digit status code"),
        ({"extraCodes": [499]}, "httpStatus.extraCodes[0]", "expected {code, phrase, description?}"),
        ({"extraYamlKeys": 3}, "httpStatus.extraYamlKeys", "expected a list of key names"),
        ({"extraYamlKeys": ["ok", "not a key"]}, "httpStatus.extraYamlKeys[1]", "'not a key' is not a key name"),
        ({"inlayHints": "yes"}, "httpStatus.inlayHints", "expected true/false or a table"),
        ({"languages": {"ruby": True}}, "httpStatus.languages.ruby", "unknown language"),
        ({"languages": {"python": "no"}}, "httpStatus.languages.python", "expected true or false, got 'no'"),
        ({"maxFileSize": -5}, "httpStatus.maxFileSize", "-5 is not a size in bytes"),
        ({"maxFileSize": "lots"}, "httpStatus.maxFileSize", "'lots' is not a size in bytes"),
    ],
)
def test_each_bad_value_gets_a_message_naming_its_key(section, key, problem):
    parsed, messages = parse(section, known_rules=RULES)
    assert len(messages) == 1, messages
    assert messages[0].startswith(f"{key}: {problem}"), messages[0]
    # Whatever was bad, the setting falls back to its default.
    assert parsed.extra_codes == {} and parsed.max_file_size == DEFAULT_MAX_FILE_SIZE
    assert parsed.languages == LanguageSwitches() or key.endswith("ruby")


def test_good_parts_survive_next_to_bad_ones():
    parsed, messages = parse(
        {"extraCodes": [{"code": 499, "phrase": "Client Closed Request"}, {"code": "x"}], "maxFileSize": True}
    )
    assert list(parsed.extra_codes) == [499]
    assert parsed.max_file_size == DEFAULT_MAX_FILE_SIZE
    assert len(messages) == 2


def test_not_a_table_at_all():
    parsed, messages = parse("rules=off")
    assert parsed == DEFAULTS
    assert messages == ["httpStatus: expected a table of settings, got 'rules=off'; using the defaults"]


def test_enabled_then_per_language():
    parsed, messages = parse({"inlayHints": {"enabled": False, "yaml": True}})
    assert messages == []
    assert parsed.inlay_hints == LanguageSwitches(python=False, yaml=True, json=False)


def test_layers_merge_key_by_key():
    project, _ = parse(
        {
            "rules": {"unofficial-code": "off", "deprecated-code": "error"},
            "extraCodes": {"499": "Client Closed Request"},
            "extraYamlKeys": ["a"],
            "languages": {"json": False},
            "maxFileSize": 100,
        }
    )
    client, messages = parse(
        {
            "rules": {"unofficial-code": "warning"},
            "extraCodes": {"598": "Network Read Timeout"},
            "extraYamlKeys": ["b", "a"],
            "languages": {"python": False},
        },
        base=project,
    )
    assert messages == []
    assert client.rules == {"unofficial-code": "warning", "deprecated-code": "error"}
    assert sorted(client.extra_codes) == [499, 598]
    assert client.extra_yaml_keys == ("a", "b")
    assert client.languages == LanguageSwitches(python=False, yaml=True, json=False)
    assert client.max_file_size == 100


def test_severity_table_overrides_the_default_table():
    parsed, _ = parse(
        {"rules": {"unofficial-code": "error", "body-not-allowed": "off", "418": "hint"}, "extraCodes": {"499": "Closed"}}
    )
    table = parsed.severity_table(SEVERITY)
    assert table["unofficial-code"] == DiagnosticSeverity.Error
    assert table["body-not-allowed"] is None
    assert table["418"] == DiagnosticSeverity.Hint
    assert table["499"] is None  # an allowed code: the rules judging the code are off for it
    assert table["deprecated-code"] is SEVERITY["deprecated-code"]
    assert SEVERITY["unofficial-code"] == DiagnosticSeverity.Warning  # the original is untouched


def test_an_explicit_rule_for_an_extra_code_wins():
    parsed, _ = parse({"rules": {"499": "error"}, "extraCodes": {"499": "Closed"}})
    assert parsed.severity_table(SEVERITY)["499"] == DiagnosticSeverity.Error


def test_settings_pickle_for_worker_processes():
    parsed, _ = parse({"rules": {"unofficial-code": "off"}, "extraCodes": {"499": "Closed"}, "extraYamlKeys": ["x"]})
    assert pickle.loads(pickle.dumps(parsed)) == parsed


def test_allows():
    parsed, _ = parse({"extraCodes": {"499": "Closed"}})
    assert parsed.allows(499) and not parsed.allows(420) and not parsed.allows(None)


# --- pyproject.toml ---------------------------------------------------------------------------


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_read_pyproject_table(tmp_path):
    pyproject = write(
        tmp_path / "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.http-status-ls]\nextra-codes = { 499 = "Client Closed Request" }\n'
        '\n[tool.http-status-ls.rules]\nunofficial-code = "off"\n',
    )
    table, messages = settings_files.read_pyproject(pyproject)
    assert messages == []
    assert table == {"extra-codes": {"499": "Client Closed Request"}, "rules": {"unofficial-code": "off"}}


def test_read_pyproject_without_our_table(tmp_path):
    table, messages = settings_files.read_pyproject(write(tmp_path / "pyproject.toml", "[tool.ruff]\nline-length = 100\n"))
    assert table is None and messages == []


def test_broken_toml_is_a_message_not_an_exception(tmp_path):
    pyproject = write(tmp_path / "pyproject.toml", "[tool.http-status-ls\nrules = {\n")
    table, messages = settings_files.read_pyproject(pyproject)
    assert table is None
    assert len(messages) == 1 and "not valid TOML" in messages[0] and "using the defaults" in messages[0]


def test_find_pyproject_walks_up_to_the_one_with_our_table(tmp_path):
    root = write(tmp_path / "pyproject.toml", "[tool.http-status-ls]\nmax-file-size = 10\n")
    write(tmp_path / "pkg" / "pyproject.toml", "[project]\nname = 'pkg'\n")  # no table: passed over
    source = write(tmp_path / "pkg" / "src" / "app.py", "")
    assert settings_files.find_pyproject(source) == root.resolve()
    assert settings_files.find_pyproject(source.parent) == root.resolve()


def test_find_pyproject_none(tmp_path):
    # Temporary directories have no pyproject.toml above them; a path that does not exist is no error.
    (tmp_path / "a").mkdir()
    assert settings_files.find_pyproject(tmp_path / "a") is None
    assert settings_files.find_pyproject(tmp_path / "missing" / "app.py") is None


def test_load_merges_defaults_pyproject_client(tmp_path):
    pyproject = write(
        tmp_path / "pyproject.toml",
        "[tool.http-status-ls]\nmax-file-size = 1000\nlanguages = { json = false }\n"
        '[tool.http-status-ls.rules]\nunofficial-code = "off"\ndeprecated-code = "shout"\n',
    )
    merged, messages = settings_files.load(
        pyproject=pyproject, client={"httpStatus": {"rules": {"unofficial-code": "hint"}}}, known_rules=RULES
    )
    assert merged.rules == {"unofficial-code": "hint"}
    assert merged.max_file_size == 1000
    assert not merged.languages.enabled("json")
    assert messages == [
        f"{pyproject} [tool.http-status-ls].rules.deprecated-code: 'shout' is not one of error, warning, "
        "information, hint, off; using the default"
    ]


def test_load_with_nothing():
    assert settings_files.load() == (Settings(), [])


def test_setting_a_rule_also_governs_codes_with_a_builtin_default():
    # 418 is Information by default, a per-code refinement of reserved-code; turning the rule off or
    # raising it must reach 418 too, while a per-code setting still wins.
    assert SEVERITY["418"] is not None
    off, _ = parse({"rules": {"reserved-code": "off"}})
    assert "418" not in off.severity_table(SEVERITY) and off.severity_table(SEVERITY)["reserved-code"] is None
    raised, _ = parse({"rules": {"reserved-code": "error"}})
    assert raised.severity_table(SEVERITY)["reserved-code"] == 1 and "418" not in raised.severity_table(SEVERITY)
    per_code, _ = parse({"rules": {"reserved-code": "off", "418": "hint"}})
    assert per_code.severity_table(SEVERITY)["418"] == 4
    untouched, _ = parse({"rules": {"unofficial-code": "error"}})
    assert untouched.severity_table(SEVERITY)["418"] == SEVERITY["418"]
