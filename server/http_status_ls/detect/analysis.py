"""One document version in, one :class:`Analysis` out: picks the detector for the document's language.

The language comes from the client's ``languageId``; when that is missing or unfamiliar (``plaintext``,
an editor-specific id such as ``openapi-yaml``) the file extension decides. A detector that fails
never takes the server down: the analysis is then empty and carries a note saying why.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from http_status_ls.core.languages import INCREMENTAL, JSON, PYTHON, YAML, language_of
from http_status_ls.core.occurrences import Analysis, Detection

if TYPE_CHECKING:
    from http_status_ls.detect.python.project_params import ProjectParameters

log = logging.getLogger(__name__)

__all__ = ["INCREMENTAL", "JSON", "PYTHON", "YAML", "analyse", "language_of", "warm_up"]


def analyse(
    uri: str,
    language_id: str | None,
    text: str,
    version: int | None,
    old_tree: Any = None,
    *,
    extra_keys: Iterable[str] = (),
    project: ProjectParameters | None = None,
) -> Analysis:
    """Run the detector for the document's language over ``text``.

    ``old_tree`` is the previous version's tree-sitter tree, already adjusted with ``Tree.edit`` for
    the changes since; it is only used for the languages in :data:`INCREMENTAL`. ``project`` is the
    workspace's table of status parameters (Python only): calls to the project's own functions.
    """
    language = language_of(uri, language_id)
    if language is None:
        return Analysis(
            uri=uri,
            version=version,
            language=(language_id or "unknown"),
            detection=Detection(notes=(f"no detector for languageId {language_id!r} ({uri})",)),
        )
    try:
        detection = _detect(language, text, old_tree, tuple(extra_keys), project)
    except Exception as error:  # a detector bug must cost one analysis, not the session
        log.exception("detector for %s failed on %s", language, uri)
        detection = Detection(notes=(f"{language} detector failed: {type(error).__name__}: {error}",))
    return Analysis(uri=uri, version=version, language=language, detection=detection)


def _detect(language: str, text: str, old_tree: Any, extra_keys: tuple[str, ...], project: ProjectParameters | None) -> Detection:
    # Imported on first use so that a server handling only YAML never loads tree-sitter grammars.
    if language == PYTHON:
        from http_status_ls.detect.python.reader import detect_python

        return detect_python(text, old_tree, project=project)
    if language == JSON:
        from http_status_ls.detect.json import detect_json

        return detect_json(text, old_tree, extra_keys=extra_keys)
    from http_status_ls.detect.yaml import detect_yaml

    return detect_yaml(text, extra_keys=extra_keys)


def warm_up() -> None:
    """Load the knowledge base and every parser once, so the first document opened does not pay
    for imports and grammar loading (about 0.1 s) on top of its own analysis."""
    from http_status_ls.kb import registry

    registry.load()
    for uri, sample in (("warm.py", "abort(404)\n"), ("warm.json", '{"status": 404}'), ("warm.yaml", "status: 404\n")):
        analyse(uri, None, sample, None)
