"""User settings (section ``httpStatus``): parsed from plain dicts and from ``pyproject.toml``.

The same settings reach us in several shapes: the client's ``initializationOptions``, the answer to
``workspace/configuration``, a ``workspace/didChangeConfiguration`` payload, and the
``[tool.http-status-ls]`` table of a project's ``pyproject.toml`` (for the CLI and the server alike).
Every entry point here returns a complete :class:`Settings` plus a list of messages, one per bad key,
and never raises: a typo in a config file must cost that one setting, not the session. Finding and
reading ``pyproject.toml``, and layering it under the client's payload, is `settings_files`'.

Layers merge as defaults < pyproject < client. Per-rule severities and extra codes merge key by key,
extra YAML keys add up, the language switches merge switch by switch, the ``hover`` table key by
key, and ``maxFileSize``, ``pythonVersion`` and ``pythonEnvironment`` are replaced.

Rule ids, what a rule can be set to and the default severities come from ``kb.rules``.

Keys may be written camelCase (``extraCodes``, as in editor settings), snake_case or kebab-case
(``extra-codes``, as TOML usually is): they are compared without case, ``-`` and ``_``.

The parsing is written out by hand with stdlib dataclasses rather than through cattrs (which pygls
brings along): what matters here is a default for each bad part and a message naming its key, which a
structuring library would turn into one exception for the whole payload.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, Literal

from http_status_ls.core.languages import NAMES
from http_status_ls.core.requirements import python_setting
from http_status_ls.core.rule_options import options_for, read_profile, read_rule_options
from http_status_ls.core.style_settings import DEFAULT_STYLE, StatusStyle, read_status_style
from http_status_ls.kb.profiles import DEFAULT_PROFILE, PROFILES, ResponseRuleOptions
from http_status_ls.kb.rules import RULE_IDS, Severity, rule_with_code_default

SECTION = "httpStatus"
PYPROJECT_TABLE = "http-status-ls"
"""The table under ``[tool]`` in ``pyproject.toml``."""

OFF = "off"
LSP_SEVERITY: Mapping[str, int] = MappingProxyType({level.name.lower(): int(level) for level in Severity})
"""Severity names as settings spell them (``error``...) -> LSP ``DiagnosticSeverity`` numbers."""
SEVERITIES: tuple[str, ...] = (*LSP_SEVERITY, OFF)
"""What a rule can be set to, in order: the severities from the loudest, then ``off``."""
_SEVERITY_ALIASES = {"info": "information", "warn": "warning", "none": OFF, "ignore": OFF}

LANGUAGES: tuple[str, ...] = NAMES
HoverVerbosity = Literal["short", "full"]
HOVER_VERBOSITIES: tuple[HoverVerbosity, ...] = ("short", "full")
DEFAULT_MAX_FILE_SIZE = 20 * 1024 * 1024

_SIZE_UNITS = {
    "": 1,
    "b": 1,
    "k": 1000,
    "kb": 1000,
    "kib": 1024,
    "m": 1000**2,
    "mb": 1000**2,
    "mib": 1024**2,
    "g": 1000**3,
    "gb": 1000**3,
    "gib": 1024**3,
}
_YAML_KEY = re.compile(r"[A-Za-z_][\w.-]*")


@dataclass(frozen=True, slots=True, kw_only=True)
class ExtraCode:
    """An organisation's own status code: allowed (no unofficial/unassigned diagnostic), shown in hover."""

    code: int
    phrase: str
    description: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class LanguageSwitches:
    """One on/off switch per language; OpenAPI documents follow the switch of their syntax."""

    python: bool = True
    yaml: bool = True
    json: bool = True

    def enabled(self, language: str) -> bool:
        """Whether ``language`` (``python``, ``yaml``, ``json``) is on; unknown languages are off."""
        return bool(getattr(self, language, False)) if language in LANGUAGES else False


@dataclass(frozen=True, slots=True, kw_only=True)
class HoverSettings:
    """How much a hover says (``hover = { verbosity = "full" }``)."""

    verbosity: HoverVerbosity = "short"
    """``short``: the card, read at a glance; ``full``: everything ``http-status-ls explain`` prints."""


class SeverityTable(dict[str, Any]):
    """A severity table (rule id or status code -> severity, None for off) that also carries the
    options of the OpenAPI response-set rules, so one value reaches the judge from the server and
    from ``check`` alike."""

    options: ResponseRuleOptions = PROFILES[DEFAULT_PROFILE].options
    status_style: StatusStyle = DEFAULT_STYLE
    """What the ``status-style`` rule enforces (``core.style_settings``)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """Everything configurable. Treat it as read-only; the mappings are plain dicts so that the
    settings pickle into `check`'s worker processes."""

    rules: Mapping[str, str] = field(default_factory=dict)
    """Rule id (or a status code, ``"418"``, for the rules judging that code) -> ``error``,
    ``warning``, ``information``, ``hint`` or ``off``; absent rules keep their default severity."""
    extra_codes: Mapping[int, ExtraCode] = field(default_factory=dict)
    extra_yaml_keys: tuple[str, ...] = ()
    """More YAML/JSON keys whose values are status codes, besides the built-in ``status``,
    ``statusCode``... (passed to the YAML and JSON detectors as ``extra_keys``)."""
    inlay_hints: LanguageSwitches = field(default_factory=LanguageSwitches)
    languages: LanguageSwitches = field(default_factory=LanguageSwitches)
    hover: HoverSettings = field(default_factory=HoverSettings)
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    """Larger documents are not analysed (bytes)."""
    python_version: str | None = None
    """The oldest Python the project runs on (``"3.12"``); it wins over ``requires-python`` and
    decides which library names are offered (see ``core.project_target``)."""
    python_environment: str | None = None
    """The project's environment (its folder or its interpreter; relative to the workspace folder),
    where the installed starlette is looked up; else ``.venv``, ``venv`` or ``env`` is."""
    profile: str = DEFAULT_PROFILE
    """The guideline the OpenAPI response-set rules follow (``kb.profiles``)."""
    rule_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """Rule id -> option -> value, over the profile's (``core.rule_options``)."""
    status_style: StatusStyle = DEFAULT_STYLE
    """``statusStyle``: how the ``status-style`` rule wants Python to spell codes."""
    openapi_specs: tuple[str, ...] = ()
    """The API descriptions handlers are checked against (paths relative to the workspace folder);
    empty: every description found in the workspace."""

    def severity(self, rule: str, default: str) -> str:
        """The severity name for ``rule``: the user's override, else ``default``."""
        return self.rules.get(rule, default)

    def rule_enabled(self, rule: str) -> bool:
        return self.rules.get(rule) != OFF

    def allows(self, code: int | None) -> bool:
        """True for an organisation's own code, which no unofficial/unassigned/invalid rule reports."""
        return code is not None and code in self.extra_codes

    def severity_table(self, defaults: Mapping[str, Any]) -> SeverityTable:
        """A copy of a default severity table (``kb.rules.SEVERITY``: rule id or status code ->
        severity, None for off) with the user's overrides applied.

        An organisation's extra codes become per-code entries set to None, which switches off the
        rules judging the code itself (unofficial, unassigned, invalid...) for that code only,
        unless the user gave that code a severity of their own under ``rules``."""
        # New values take the type of the table's own (lsprotocol's DiagnosticSeverity, or any
        # IntEnum with the LSP numbers), so this module never has to import lsprotocol.
        kind = next((type(value) for value in defaults.values() if value is not None), int)
        merged = SeverityTable(defaults)
        merged.options = options_for(self.profile, self.rule_options)
        merged.status_style = self.status_style
        # The profile decides the response-set rules' severities; the user's `rules` still win.
        for rule, level in PROFILES[self.profile].severities.items():
            if rule in merged:
                merged[rule] = None if level is None else kind(int(level))
        # A built-in per-code default (418 is only Information) refines its rule's default; once the
        # user sets that rule, their choice holds for the code too.
        for key in [k for k in defaults if k.isdigit()]:
            refined = rule_with_code_default(int(key))
            if refined is not None and refined.id in self.rules:
                del merged[key]
        for code in self.extra_codes:
            merged[str(code)] = None
        for rule, name in self.rules.items():
            merged[rule] = None if name == OFF else kind(LSP_SEVERITY[name])
        return merged


DEFAULTS = Settings()


def _norm(key: Any) -> str:
    return str(key).replace("-", "").replace("_", "").lower()


class _Reader:
    """Collects one layer's values and the messages about its bad keys."""

    def __init__(self, prefix: str, known_rules: frozenset[str] | None):
        self.prefix = prefix
        self.known_rules = known_rules
        self.messages: list[str] = []

    def bad(self, key: str, problem: str, fallback: str = "using the default") -> None:
        self.messages.append(f"{self.prefix}.{key}: {problem}; {fallback}")

    def rules(self, key: str, value: Any) -> dict[str, str] | None:
        if not isinstance(value, Mapping):
            self.bad(key, f"expected a table of rule = severity, got {_show(value)}")
            return None
        rules: dict[str, str] = {}
        for rule, severity in value.items():
            rule_key = f"{key}.{rule}"
            if isinstance(rule, int) and _as_code(rule) is not None:
                rule = str(rule)
            if not isinstance(rule, str) or not rule:
                self.bad(rule_key, "a rule id must be a non-empty string", "ignored")
                continue
            if self.known_rules is not None and rule not in self.known_rules and _as_code(rule) is None:
                self.bad(
                    rule_key,
                    f"unknown rule (known: {', '.join(sorted(self.known_rules))}, or a status code such as '418')",
                    "ignored",
                )
                continue
            if isinstance(severity, bool):
                # `rule = false` reads naturally as "off"; `true` as "keep it on" (its default).
                if not severity:
                    rules[rule] = OFF
                continue
            name = str(severity).strip().lower() if isinstance(severity, str) else None
            name = _SEVERITY_ALIASES.get(name, name) if name is not None else None
            if name not in SEVERITIES:
                self.bad(rule_key, f"{_show(severity)} is not one of {', '.join(SEVERITIES)}")
                continue
            rules[rule] = name
        return rules

    def extra_codes(self, key: str, value: Any) -> dict[int, ExtraCode] | None:
        items: list[tuple[str, Any, Any]] = []  # (key for messages, code, phrase-or-table)
        if isinstance(value, Mapping):
            items = [(f"{key}.{code}", code, spec) for code, spec in value.items()]
        elif isinstance(value, (list, tuple)):
            for i, spec in enumerate(value):
                if not isinstance(spec, Mapping):
                    self.bad(f"{key}[{i}]", f"expected {{code, phrase, description?}}, got {_show(spec)}", "ignored")
                    continue
                items.append((f"{key}[{i}]", spec.get("code"), spec))
        else:
            self.bad(key, f"expected a list of {{code, phrase, description?}} or a table code = phrase, got {_show(value)}")
            return None
        codes: dict[int, ExtraCode] = {}
        for where, raw_code, spec in items:
            code = _as_code(raw_code)
            if code is None:
                self.bad(where, f"{_show(raw_code)} is not a three-digit status code (100-999)", "ignored")
                continue
            description: Any = ""
            if isinstance(spec, Mapping):
                phrase = spec.get("phrase")
                description = spec.get("description", "")
            else:
                phrase = spec
            if not isinstance(phrase, str) or not phrase.strip():
                self.bad(where, f"code {code} needs a phrase (a non-empty string)", "ignored")
                continue
            if not isinstance(description, str):
                self.bad(where, f"the description of {code} must be a string", "description dropped")
                description = ""
            codes[code] = ExtraCode(code=code, phrase=phrase.strip(), description=description.strip())
        return codes

    def yaml_keys(self, key: str, value: Any) -> tuple[str, ...] | None:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)):
            self.bad(key, f"expected a list of key names, got {_show(value)}")
            return None
        keys: dict[str, None] = {}
        for i, name in enumerate(value):
            if not isinstance(name, str) or not _YAML_KEY.fullmatch(name.strip()):
                self.bad(f"{key}[{i}]", f"{_show(name)} is not a key name", "ignored")
                continue
            keys.setdefault(name.strip(), None)
        return tuple(keys)

    def switches(self, key: str, value: Any, base: LanguageSwitches) -> LanguageSwitches | None:
        if isinstance(value, bool):
            return LanguageSwitches(python=value, yaml=value, json=value)
        if not isinstance(value, Mapping):
            self.bad(key, f"expected true/false or a table of python/yaml/json = true/false, got {_show(value)}")
            return None
        current = {language: base.enabled(language) for language in LANGUAGES}
        entries = {_norm(k): (k, v) for k, v in value.items()}
        # `enabled` sets every language first, so `{enabled = false, python = true}` means "Python only".
        if "enabled" in entries:
            written, flag = entries.pop("enabled")
            if isinstance(flag, bool):
                current = dict.fromkeys(LANGUAGES, flag)
            else:
                self.bad(f"{key}.{written}", f"expected true or false, got {_show(flag)}")
        for norm, (written, flag) in entries.items():
            if norm not in LANGUAGES:
                self.bad(f"{key}.{written}", f"unknown language (known: enabled, {', '.join(LANGUAGES)})", "ignored")
            elif not isinstance(flag, bool):
                self.bad(f"{key}.{written}", f"expected true or false, got {_show(flag)}")
            else:
                current[norm] = flag
        return LanguageSwitches(**current)

    def hover(self, key: str, value: Any, base: HoverSettings) -> HoverSettings | None:
        # A bare verbosity (`hover = "full"`) is the one thing the table holds today.
        entries = {"verbosity": ("verbosity", value)} if isinstance(value, str) else None
        if entries is None:
            if not isinstance(value, Mapping):
                self.bad(key, f'expected a table such as {{verbosity = "full"}}, got {_show(value)}')
                return None
            entries = {_norm(k): (str(k), v) for k, v in value.items()}
        verbosity = base.verbosity
        for norm, (written, item) in entries.items():
            where = key if isinstance(value, str) else f"{key}.{written}"
            if norm != "verbosity":
                self.bad(where, "unknown setting (known: verbosity)", "ignored")
            elif isinstance(item, str) and item.strip().lower() in HOVER_VERBOSITIES:
                verbosity = "full" if item.strip().lower() == "full" else "short"
            else:
                self.bad(where, f"{_show(item)} is not one of {', '.join(HOVER_VERBOSITIES)}")
        return HoverSettings(verbosity=verbosity)

    def python_version(self, key: str, value: Any) -> str | None:
        # A TOML or JSON number cannot say 3.10 (it is 3.1), so only a string is read.
        if isinstance(value, str) and python_setting(value) is not None:
            return value.strip()
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            self.bad(key, f'{_show(value)} is a number: write the version as a string, such as "3.10"')
        else:
            self.bad(key, f'{_show(value)} is not a Python 3 version such as "3.12"')
        return None

    def path(self, key: str, value: Any) -> str | None:
        if isinstance(value, str) and value.strip():
            return value.strip()
        self.bad(key, f"{_show(value)} is not a path")
        return None

    def paths(self, key: str, value: Any) -> tuple[str, ...] | None:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)) or not all(isinstance(item, str) and item.strip() for item in value):
            self.bad(key, f"expected a list of paths, got {_show(value)}")
            return None
        return tuple(dict.fromkeys(item.strip() for item in value))

    def size(self, key: str, value: Any) -> int | None:
        size = _as_size(value)
        if size is None:
            self.bad(key, f'{_show(value)} is not a size in bytes (e.g. 20000000 or "20MB")')
        return size


_REPLACED_VALUES: Mapping[str, tuple[str, Callable[[_Reader, str, Any], Any]]] = MappingProxyType(
    {
        "maxfilesize": ("max_file_size", _Reader.size),
        "pythonversion": ("python_version", _Reader.python_version),
        "pythonenvironment": ("python_environment", _Reader.path),
        "openapispecs": ("openapi_specs", _Reader.paths),
    }
)
"""Settings that are one value, replaced as a whole: normalised key -> (field, how to read it)."""


def parse(
    payload: Any,
    *,
    base: Settings = DEFAULTS,
    prefix: str = SECTION,
    known_rules: Iterable[str] | None = RULE_IDS,
) -> tuple[Settings, list[str]]:
    """Settings from one layer's plain dict, on top of ``base``; plus a message per bad key.

    ``payload`` is the ``httpStatus`` section itself or any payload that wraps it (see
    :func:`section_of`). Rule ids outside ``known_rules`` (by default the rules of ``kb.rules``)
    become messages; None accepts any id.
    ``prefix`` is how messages name the section (``httpStatus``, ``[tool.http-status-ls]``).
    """
    section = section_of(payload)
    reader = _Reader(prefix, frozenset(known_rules) if known_rules is not None else None)
    if section is None:
        return base, reader.messages
    if not isinstance(section, Mapping):
        reader.messages.append(f"{prefix}: expected a table of settings, got {_show(section)}; using the defaults")
        return base, reader.messages

    changes: dict[str, Any] = {}
    for key, value in section.items():
        key = str(key)
        norm = _norm(key)
        if not (_read_merged(reader, base, key, norm, value, changes) or _read_replaced(reader, base, key, norm, value, changes)):
            reader.bad(
                key,
                "unknown setting (known: rules, profile, ruleOptions, extraCodes, extraYamlKeys, inlayHints, languages, "
                "maxFileSize, hover, pythonVersion, pythonEnvironment, openApiSpecs, statusStyle)",
                "ignored",
            )
    return (replace(base, **changes) if changes else base), reader.messages


def _read_merged(reader: _Reader, base: Settings, key: str, norm: str, value: Any, changes: dict[str, Any]) -> bool:
    """Settings merged into the layer below (rules, extra codes and keys, rule options): their change
    into ``changes``; False when ``norm`` names none of them."""
    if norm == "rules":
        rules = reader.rules(key, value)
        if rules is not None:
            changes["rules"] = {**base.rules, **rules}
    elif norm == "extracodes":
        codes = reader.extra_codes(key, value)
        if codes is not None:
            changes["extra_codes"] = {**base.extra_codes, **codes}
    elif norm == "extrayamlkeys":
        keys = reader.yaml_keys(key, value)
        if keys is not None:
            changes["extra_yaml_keys"] = tuple(dict.fromkeys((*base.extra_yaml_keys, *keys)))
    elif norm == "ruleoptions":
        options = read_rule_options(key, value, reader.bad)
        if options is not None:
            merged = {rule: dict(fields) for rule, fields in base.rule_options.items()}
            for rule, fields in options.items():
                merged.setdefault(rule, {}).update(fields)
            changes["rule_options"] = merged
    else:
        return False
    return True


def _read_replaced(reader: _Reader, base: Settings, key: str, norm: str, value: Any, changes: dict[str, Any]) -> bool:
    """Settings read on top of the layer below and replacing it (switches, hover, profile, status
    style, single values): their change into ``changes``; False when ``norm`` names none of them."""
    field_name: str
    replaced: Any
    if norm in ("inlayhints", "languages"):
        field_name = "inlay_hints" if norm == "inlayhints" else "languages"
        replaced = reader.switches(key, value, getattr(base, field_name))
    elif norm == "hover":
        field_name, replaced = "hover", reader.hover(key, value, base.hover)
    elif norm == "profile":
        field_name, replaced = "profile", read_profile(key, value, reader.bad)
    elif norm == "statusstyle":
        field_name, replaced = "status_style", read_status_style(key, value, reader.bad, base.status_style)
    elif norm in _REPLACED_VALUES:
        field_name, read = _REPLACED_VALUES[norm]
        replaced = read(reader, key, value)
    else:
        return False
    if replaced is not None:
        changes[field_name] = replaced
    return True


def section_of(payload: Any) -> Any:
    """The ``httpStatus`` section out of whatever wraps it: ``{"httpStatus": {...}}`` (initialization
    options, VS Code style), ``{"settings": {"httpStatus": {...}}}`` (didChangeConfiguration), a
    one-item list (workspace/configuration's answer), or the section itself. None when absent."""
    if isinstance(payload, (list, tuple)):
        payload = payload[0] if len(payload) == 1 else None
    if isinstance(payload, Mapping):
        settings = payload.get("settings")
        if isinstance(settings, Mapping) and SECTION in settings:
            return settings[SECTION]
        if SECTION in payload:
            return payload[SECTION]
        if set(payload) == {"settings"}:
            # A didChangeConfiguration that carries settings for other sections (or null) only.
            return None
    return payload


def _as_code(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    return value if isinstance(value, int) and 100 <= value <= 999 else None


def _as_size(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, float) and value.is_integer() and value > 0:
        return int(value)
    if isinstance(value, str):
        m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", value)
        if m and m[2].lower() in _SIZE_UNITS:
            size = int(float(m[1]) * _SIZE_UNITS[m[2].lower()])
            return size if size > 0 else None
    return None


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
