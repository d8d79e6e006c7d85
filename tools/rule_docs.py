"""Writes what the rules table (``http_status_ls.kb.rules``) decides outside the server: the VS Code
``httpStatus.rules`` setting in ``editors/vscode/package.json`` and the reference ``docs/rules.md``.

    python tools/rule_docs.py            rewrite both from the table
    python tools/rule_docs.py --check    exit 1 and name the stale files (what the unit test does)

A script beside the repository rather than a module of the package: both outputs are files of this
repository, which an installed server has no use for, so the package keeps no knowledge of where the
extension or the docs live.

In ``package.json`` only ``contributes.configuration.properties["httpStatus.rules"]`` is written; the
rest of the manifest belongs to the extension and is kept as it is.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from http_status_ls.core.rule_options import OPTION_NAMES
from http_status_ls.core.settings import OFF, SECTION, SEVERITIES
from http_status_ls.kb.profiles import DEFAULT_PROFILE, PROFILES
from http_status_ls.kb.rules import DOCS_PAGE, RULES, Rule, Severity

REPO = Path(__file__).resolve().parents[1]
MANIFEST = Path("editors/vscode/package.json")
DOCS = Path(DOCS_PAGE)
COMMAND = "python tools/rule_docs.py"
RULES_SETTING = f"{SECTION}.rules"
PROFILE_SETTING = f"{SECTION}.profile"
OPTIONS_SETTING = f"{SECTION}.ruleOptions"
PROFILES_PAGE = "openapi-profiles.md"

# What the server accepts as a per-code key (core.settings reads 100-999).
_CODE_KEY = "^[1-9][0-9]{2}$"


def _level(severity: Severity) -> str:
    return severity.name.lower()


def _in_profile(rule: Rule, profile: str) -> str:
    """The rule's severity under ``profile`` (the profiles set only the OpenAPI response-set rules)."""
    levels = PROFILES[profile].severities
    if rule.id not in levels:
        return _level(rule.severity) if rule.enabled_by_default else OFF
    level = levels[rule.id]
    return OFF if level is None else _level(level)


def _default(rule: Rule) -> str:
    """``warning``, or ``warning (418: information)`` when some codes have their own default; the
    default profile's choice for the rules a profile sets."""
    refinements = ", ".join(f"{code}: {_level(level)}" for code, level in sorted(rule.code_severity.items()))
    return _in_profile(rule, DEFAULT_PROFILE) + (f" ({refinements})" if refinements else "")


def _by_profile(rule: Rule) -> str | None:
    """``recommended: warning, zalando: error, ...`` for a rule the profiles set, else None."""
    if not any(rule.id in profile.severities for profile in PROFILES.values()):
        return None
    return ", ".join(f"{name}: {_in_profile(rule, name)}" for name in PROFILES)


# --- VS Code --------------------------------------------------------------------------------------


def rules_setting() -> dict[str, Any]:
    """The JSON schema of the ``httpStatus.rules`` setting: one property per rule, and status codes."""
    judging_code = ", ".join(f"`{rule.id}`" for rule in RULES if rule.judges_code)
    return {
        "type": "object",
        "default": {},
        "scope": "resource",
        "markdownDescription": (
            f"Severity per diagnostic rule, or `{OFF}`. Rules not named here keep their default severity. "
            f'A status code as the key (`"418": "{OFF}"`) sets the rules that judge the code itself '
            f"({judging_code}) for that code only."
        ),
        "additionalProperties": False,
        "properties": {
            rule.id: {
                "type": "string",
                "enum": list(SEVERITIES),
                "default": _in_profile(rule, DEFAULT_PROFILE),
                "description": f"{rule.summary} Default: {_default(rule)}.",
            }
            for rule in RULES
        },
        "patternProperties": {
            _CODE_KEY: {
                "type": "string",
                "enum": list(SEVERITIES),
                "description": "A status code: the severity of the rules that judge the code itself, for this code only.",
            }
        },
    }


def profile_setting() -> dict[str, Any]:
    """The JSON schema of the ``httpStatus.profile`` setting: one value per row of ``kb.profiles``."""
    return {
        "type": "string",
        "enum": list(PROFILES),
        "enumDescriptions": [profile.summary for profile in PROFILES.values()],
        "default": DEFAULT_PROFILE,
        "scope": "resource",
        "markdownDescription": (
            "The guideline the OpenAPI response-set rules follow; `rules` and `ruleOptions` still override it "
            f"rule by rule. See docs/{PROFILES_PAGE}."
        ),
    }


def options_setting() -> dict[str, Any]:
    """The JSON schema of ``httpStatus.ruleOptions``: the rules that take options, and their names."""
    return {
        "type": "object",
        "default": {},
        "scope": "resource",
        "markdownDescription": f"Options of the OpenAPI response-set rules, over the profile's. See docs/{PROFILES_PAGE}.",
        "additionalProperties": False,
        "properties": {
            rule: {"type": "object", "properties": {name: {} for name in names}, "additionalProperties": False}
            for rule, names in OPTION_NAMES.items()
        },
    }


def _generated() -> dict[str, dict[str, Any]]:
    return {RULES_SETTING: rules_setting(), PROFILE_SETTING: profile_setting(), OPTIONS_SETTING: options_setting()}


def manifest_text(manifest: dict[str, Any]) -> str:
    """``package.json`` with the generated settings as the tables say, formatted as npm writes it."""
    properties = manifest["contributes"]["configuration"]["properties"]
    properties.update(_generated())
    return json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"


def manifest_is_current(text: str) -> bool:
    """Whether the generated settings in a ``package.json`` text are what this script writes.
    Compared as JSON, so other hands may format the rest of the manifest as they like."""
    properties = json.loads(text)["contributes"]["configuration"]["properties"]
    return all(properties.get(name) == schema for name, schema in _generated().items())


# --- docs/rules.md --------------------------------------------------------------------------------


def rules_markdown() -> str:
    """The rules reference: a summary table, then one section per rule, its heading the rule id (so
    GitHub's anchor for it is :attr:`Rule.anchor`)."""
    lines = [
        "# Diagnostic rules",
        "",
        f"<!-- Generated by `{COMMAND}` from server/http_status_ls/kb/rules.py: edit the table, not this file. -->",
        "",
        "Every diagnostic carries its rule id as its code and `http-status-ls` as its source. Each rule's",
        f"severity (`{'`, `'.join(SEVERITIES)}`) is set under `rules` in the settings:",
        "`httpStatus.rules` in an editor, `[tool.http-status-ls.rules]` in `pyproject.toml`.",
        "`http-status-ls check --select` / `--ignore` choose rules for one run, and a",
        "`# http-status: ignore[rule]` comment silences a rule on one line.",
        "",
        "Status codes are judged wherever they are read: Python literals and library names, the values of",
        "status keys in YAML and JSON, and OpenAPI response keys.",
        "",
        'A status code as a key (`"418" = "off"`) sets the rules that judge the code itself, marked *per code*',
        "below, for that code only; they also never report an organisation's own codes (`extraCodes`).",
        "",
        "The OpenAPI response-set rules (what an operation declares, against its method and security)",
        f"follow a profile, `profile` in the settings ({', '.join(f'`{name}`' for name in PROFILES)});",
        f"the default is `{DEFAULT_PROFILE}`. [{PROFILES_PAGE}]({PROFILES_PAGE}) gives each profile's choices and sources.",
        "",
        "| rule | default | judges | quick fix |",
        "|---|---|---|---|",
    ]
    for rule in RULES:
        judges = rule.judges.value + (" (per code)" if rule.judges_code else "")
        quick_fix = rule.quick_fix.value if rule.quick_fix else "-"
        lines.append(f"| [`{rule.id}`](#{rule.anchor}) | {_default(rule)} | {judges} | {quick_fix} |")
    for rule in RULES:
        lines += ["", *_section(rule)]
    return "\n".join(lines) + "\n"


def _section(rule: Rule) -> list[str]:
    judges = rule.judges.value + ("; a per-code setting applies to it" if rule.judges_code else "")
    quick_fix = rule.quick_fix.value if rule.quick_fix else "none"
    lines = [
        f"## {rule.id}",
        "",
        rule.summary,
        "",
        f"- **Default severity:** {_default(rule)}",
        f"- **Judges:** {judges}",
        f"- **Examples:** {rule.examples}",
        f"- **Fix:** {rule.fix}",
        f"- **Quick fix:** {quick_fix}",
    ]
    if (by_profile := _by_profile(rule)) is not None:
        lines.append(f"- **By profile** ([{PROFILES_PAGE}]({PROFILES_PAGE})): {by_profile}")
    if rule.id in OPTION_NAMES:
        lines.append(f"- **Options** (`ruleOptions`): {', '.join(f'`{name}`' for name in OPTION_NAMES[rule.id])}")
    return lines


# --- the command ----------------------------------------------------------------------------------


def stale(repo: Path = REPO) -> list[Path]:
    """The generated files that differ from what the table says now, relative to ``repo``."""
    found = []
    if not manifest_is_current((repo / MANIFEST).read_text(encoding="utf-8")):
        found.append(MANIFEST)
    docs = repo / DOCS
    if not docs.is_file() or docs.read_text(encoding="utf-8") != rules_markdown():
        found.append(DOCS)
    return found


def write(repo: Path = REPO) -> None:
    """Rewrite both generated files from the table."""
    manifest = repo / MANIFEST
    manifest.write_text(manifest_text(json.loads(manifest.read_text(encoding="utf-8"))), encoding="utf-8")
    (repo / DOCS).parent.mkdir(parents=True, exist_ok=True)
    (repo / DOCS).write_text(rules_markdown(), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the VS Code rules setting and docs/rules.md from the rules table.")
    parser.add_argument("--check", action="store_true", help="only report stale files (exit 1 when there are any)")
    args = parser.parse_args(argv)
    if args.check:
        found = stale()
        for path in found:
            print(f"{path} is stale: run `{COMMAND}`", file=sys.stderr)
        return 1 if found else 0
    write()
    return 0


if __name__ == "__main__":
    sys.exit(main())
