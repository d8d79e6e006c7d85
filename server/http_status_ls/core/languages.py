"""The languages the server reads: one row each, and how a document's language is decided.

Every other place that needs the list (settings switches, the project walk, the detector table, the
VS Code manifest) reads it from :data:`LANGUAGES`, so adding a language starts with one row here.

A document's language comes from its file name's extension when that is one of ours, and from the
client's ``languageId`` otherwise (untitled buffers, ``Jenkinsfile``-like names, editor-specific ids
such as ``openapi-yaml`` on an unusual extension). The extension wins because a ``languageId`` can be
wrong where a name cannot: Eglot (1.9 and later) sends the ``languageId`` of the buffer that started
the server for every buffer that server manages, so with one server for Python and YAML the second
file's id is the first one's. :func:`choose_language` says when that happened, for the log.
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
# Not JSON: unquoted keys and single quotes would mislead the JSON grammar. A client that says
# json5 says so on purpose (it is no editor's default for a .json name), so the id stands even there.
_NOT_OURS = frozenset({"json5"})
_BY_LANGUAGE_ID.update(dict.fromkeys(_NOT_OURS))


@dataclass(frozen=True, slots=True)
class LanguageChoice:
    """The language a document is read as, and what the client's id and the file name each said."""

    language: str | None
    """``python``, ``yaml``, ``json``, or None: nothing for us to read."""
    language_id: str
    """The client's ``languageId``, lower case and trimmed (empty when it sent none)."""
    extension: str
    """The file name's extension, lower case with its dot (empty when there is none)."""
    said_by_id: str | None
    """The language the ``languageId`` alone names, if it names one of ours."""

    @property
    def overruled(self) -> bool:
        """The ``languageId`` named one of our languages and the file name another one, which won."""
        return self.said_by_id is not None and self.language is not None and self.said_by_id != self.language


def choose_language(uri: str, language_id: str | None) -> LanguageChoice:
    """How a document is read: its extension's language if that is one of ours, else its id's."""
    language_id = (language_id or "").strip().lower()
    extension = _extension_of(unquote(urlparse(uri).path) if "://" in uri else uri)
    said_by_id = _language_of_id(language_id)
    by_extension = EXTENSIONS.get(extension)
    if language_id in _NOT_OURS:
        language = None
    elif by_extension is not None:
        language = by_extension
    else:
        language = said_by_id
    return LanguageChoice(language=language, language_id=language_id, extension=extension, said_by_id=said_by_id)


def language_of(uri: str, language_id: str | None) -> str | None:
    """``python``, ``yaml`` or ``json`` for a document, or None when we have nothing to say about it."""
    return choose_language(uri, language_id).language


def language_of_path(path: str) -> str | None:
    """The language a file name's extension says, or None."""
    return EXTENSIONS.get(_extension_of(path))


def _language_of_id(language_id: str) -> str | None:
    if language_id in _BY_LANGUAGE_ID:
        return _BY_LANGUAGE_ID[language_id]
    # Editor-specific ids (``openapi-yaml``, ``openapi+json``, ``python3``) still say what the text is.
    for known in (YAML, JSON, PYTHON):
        if known in language_id:
            return known
    return None


def _extension_of(path: str) -> str:
    return posixpath.splitext(path.lower())[1]
