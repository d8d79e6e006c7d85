"""The held-out labelled sample (tests/fixtures/recall_holdout) parses as written: its label counts,
its codes, its contexts, the README's list of files, and that bench/recall.py counts every label.

Nobody tunes the detector to this sample, so its precision and recall are never asserted here;
`python -m bench.recall --corpus tests/fixtures/recall_holdout -v` prints them.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
import yaml
from bench.recall import FIXTURES, PYTHON, YAML, corpus_files, labels, language_of, measure

HOLDOUT = FIXTURES / "recall_holdout"

# What the sample holds. These only change when labelled lines are added, and never to follow
# the detector.
FILES = {PYTHON: 20, YAML: 9}
STATUS = {PYTHON: 240, YAML: 83}
NOT = {PYTHON: 188, YAML: 49}
MULTI_FILE = ("shared_errors.py", "shared_views.py", "shared_tests.py")


def parsed() -> dict[str, dict[str, list[Any]]]:
    """Per language: file names, status codes, other numbers and the contexts of labelled lines."""
    found: dict[str, dict[str, list[Any]]] = {}
    for path in corpus_files(HOLDOUT):
        entry = found.setdefault(language_of(path), {"files": [], "status": [], "not": [], "contexts": []})
        entry["files"].append(path.name)
        for line in path.read_text(encoding="utf-8").splitlines():
            statuses, others, context = labels(line)
            entry["status"] += statuses
            entry["not"] += others
            if statuses or others:
                entry["contexts"].append(context)
    return found


def test_label_counts_are_exact() -> None:
    found = parsed()
    assert {language: len(entry["files"]) for language, entry in found.items()} == FILES
    assert {language: len(entry["status"]) for language, entry in found.items()} == STATUS
    assert {language: len(entry["not"]) for language, entry in found.items()} == NOT


def test_status_codes_are_about_half_of_the_labels() -> None:
    status = sum(STATUS.values())
    assert 0.4 <= status / (status + sum(NOT.values())) <= 0.65


@pytest.mark.parametrize("path", corpus_files(HOLDOUT), ids=lambda path: path.name)
def test_every_file_is_labelled_with_real_codes(path: Path) -> None:
    labelled = [labels(line) for line in path.read_text(encoding="utf-8").splitlines()]
    labelled = [label for label in labelled if label != ([], [], "unlabelled")]
    assert labelled, f"{path.name} has no labelled line"
    for statuses, _, context in labelled:
        assert all(100 <= code <= 599 for code in statuses), f"{path.name}: {statuses}"
        assert context != "other", f"{path.name}: a labelled line names no context"


@pytest.mark.parametrize("path", corpus_files(HOLDOUT), ids=lambda path: path.name)
def test_every_file_is_valid_source(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    if language_of(path) == PYTHON:
        ast.parse(text)
    else:
        assert [document for document in yaml.safe_load_all(text) if document is not None]
    assert "/work/" not in text and "/tmp/" not in text


def test_contexts_cover_the_kinds_issue_12_names() -> None:
    found = parsed()
    python_contexts = set(found[PYTHON]["contexts"])
    yaml_contexts = set(found[YAML]["contexts"])
    assert {"project", "pos", "kw", "order", "const", "default", "rows", "name", "import", "status-line"} <= python_contexts
    assert {"jinja", "csv", "list", "key", "promql"} <= yaml_contexts
    assert {"port", "timeout", "expect"} <= yaml_contexts


def test_multi_file_helpers_are_called_positionally_elsewhere() -> None:
    definitions = (HOLDOUT / MULTI_FILE[0]).read_text(encoding="utf-8")
    assert "def problem_response(title, status=500" in definitions
    for caller in MULTI_FILE[1:]:
        contexts = [labels(line)[2] for line in (HOLDOUT / caller).read_text(encoding="utf-8").splitlines()]
        assert contexts.count("project") >= 5, caller


def test_readme_lists_every_file() -> None:
    readme = (HOLDOUT / "README.md").read_text(encoding="utf-8")
    for path in corpus_files(HOLDOUT):
        assert f"`{path.name}`" in readme, path.name


def test_measure_counts_every_label() -> None:
    found = parsed()
    report = measure(HOLDOUT)
    for language, entry in found.items():
        tally = report.languages[language].overall
        assert tally.labelled == len(entry["status"])
        assert tally.negatives == len(entry["not"])
    assert report.overall.labelled == sum(STATUS.values())
    assert set(report.languages[PYTHON].frameworks) == {Path(name).stem for name in found[PYTHON]["files"]}
