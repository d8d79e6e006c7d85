"""How a document's language is decided: the file name's extension over a contradicting
``languageId`` (Eglot sends one server's first id for all its buffers), the id where the name says
nothing."""

from __future__ import annotations

import pytest

from http_status_ls.core.languages import EXTENSIONS, JSON, LANGUAGES, PYTHON, YAML, choose_language, language_of


@pytest.mark.parametrize(
    ("uri", "language_id", "expected"),
    [
        ("file:///project/openapi.yaml", "python", YAML),  # Eglot, app.py opened first
        ("file:///project/app.py", "yaml", PYTHON),  # Eglot, openapi.yaml opened first
        ("file:///project/compose.yml", "python", YAML),
        ("file:///project/openapi.json", "yaml", JSON),
        ("file:///project/settings.jsonc", "python", JSON),
        ("file:///project/stubs.pyi", "json", PYTHON),
        ("file:///project/openapi.yaml", "openapi-json", YAML),  # an editor-specific id, still overruled
    ],
)
def test_the_extension_overrules_a_contradicting_language_id(uri: str, language_id: str, expected: str) -> None:
    choice = choose_language(uri, language_id)
    assert choice.language == expected == language_of(uri, language_id)
    assert choice.overruled
    assert choice.said_by_id != expected


@pytest.mark.parametrize(
    ("uri", "language_id", "expected"),
    [
        ("file:///project/openapi.yaml", "yaml", YAML),
        ("file:///project/tsconfig.json", "jsonc", JSON),  # VS Code's id for commented JSON
        ("file:///project/settings.jsonc", "json", JSON),
        ("file:///project/app.py", "Python", PYTHON),
        ("file:///project/openapi.yml", "openapi-yaml", YAML),
        ("file:///project/app.py", "plaintext", PYTHON),  # an id naming nothing of ours is not a contradiction
        ("file:///project/app.py", None, PYTHON),
        ("file:///project/app.py", "", PYTHON),
    ],
)
def test_agreeing_or_silent_ids_are_not_overruled(uri: str, language_id: str | None, expected: str) -> None:
    choice = choose_language(uri, language_id)
    assert choice.language == expected
    assert not choice.overruled


@pytest.mark.parametrize(
    ("uri", "language_id", "expected"),
    [
        ("file:///project/Jenkinsfile", "python", PYTHON),
        ("untitled:Untitled-1", "yaml", YAML),
        ("file:///project/api.spec", "openapi-yaml", YAML),  # editor-specific ids still work
        ("file:///project/api.spec", "openapi+json", JSON),
        ("file:///project/manage", "python3", PYTHON),
        ("file:///project/notes.txt", "plaintext", None),
        ("file:///project/notes.txt", None, None),
    ],
)
def test_without_a_known_extension_the_language_id_decides(uri: str, language_id: str | None, expected: str | None) -> None:
    choice = choose_language(uri, language_id)
    assert choice.language == expected
    assert not choice.overruled


def test_json5_is_not_read_as_json_even_in_a_json_file() -> None:
    # A json5 id is chosen on purpose (no editor gives it to .json names by default).
    assert language_of("file:///project/config.json", "json5") is None
    assert language_of("file:///project/config.json5", None) is None
    assert not choose_language("file:///project/config.json", "json5").overruled


def test_the_choice_names_what_each_side_said() -> None:
    choice = choose_language("file:///project/Open%20API.YAML", " Python ")
    assert (choice.language, choice.language_id, choice.extension, choice.said_by_id) == (YAML, "python", ".yaml", PYTHON)


def test_paths_and_percent_encoded_uris() -> None:
    assert language_of("/srv/project/app.py", "yaml") == PYTHON
    assert language_of("file:///srv/my%20project/app.py", "yaml") == PYTHON
    assert language_of("file:///srv/api.v2/readme", "yaml") == YAML  # a dot in a folder name is no extension


def test_every_extension_belongs_to_one_language() -> None:
    listed = [extension for language in LANGUAGES for extension in language.extensions]
    assert len(listed) == len(set(listed)) == len(EXTENSIONS)
    assert all(extension == extension.lower() and extension.startswith(".") for extension in listed)
