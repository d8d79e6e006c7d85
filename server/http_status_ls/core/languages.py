"""The languages the server reads: one row each, and how a document's language is decided.

Every other place that needs the list (settings switches, the project walk, the detector table, the
VS Code manifest) reads it from :data:`LANGUAGES`, so adding a language starts with one row here.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from urllib.parse import unquote, urlparse

PYTHON, YAML, JSON = "python", "yaml", "json"


@dataclass(frozen=True, slots=True, kw_only=True)
class Language:
    """One language we detect status codes in."""

    name: str
    #: The client ``languageId`` values that mean this language.
    language_ids: tuple[str, ...]
    #: File name endings (lower case, with the dot) that mean this language.
    extensions: tuple[str, ...]
    #: Whether the detector keeps a tree-sitter tree that can be re-parsed incrementally.
    incremental: bool


LANGUAGES: tuple[Language, ...] = (
    Language(name=PYTHON, language_ids=("python",), extensions=(".py", ".pyi"), incremental=True),
    Language(name=YAML, language_ids=("yaml", "yml"), extensions=(".yaml", ".yml"), incremental=False),
    Language(name=JSON, language_ids=("json", "jsonc"), extensions=(".json", ".jsonc"), incremental=True),
)

NAMES: tuple[str, ...] = tuple(language.name for language in LANGUAGES)
INCREMENTAL = frozenset(language.name for language in LANGUAGES if language.incremental)
EXTENSIONS: dict[str, str] = {extension: language.name for language in LANGUAGES for extension in language.extensions}

_BY_LANGUAGE_ID: dict[str, str | None] = {
    language_id: language.name for language in LANGUAGES for language_id in language.language_ids
}
# Not JSON: unquoted keys and single quotes would mislead the JSON grammar.
_BY_LANGUAGE_ID["json5"] = None


def language_of(uri: str, language_id: str | None) -> str | None:
    """``python``, ``yaml`` or ``json`` for a document, or None when we have nothing to say about it."""
    language_id = (language_id or "").strip().lower()
    if language_id in _BY_LANGUAGE_ID:
        return _BY_LANGUAGE_ID[language_id]
    # Editor-specific ids (``openapi-yaml``, ``openapi+json``, ``python3``) still say what the text is.
    for known in (YAML, JSON, PYTHON):
        if known in language_id:
            return known
    return language_of_path(unquote(urlparse(uri).path) if "://" in uri else uri)


def language_of_path(path: str) -> str | None:
    """The language a file name's extension says, or None."""
    _, extension = posixpath.splitext(path.lower())
    return EXTENSIONS.get(extension)
