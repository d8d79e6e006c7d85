"""The held-out labelled sample (tests/fixtures/recall_holdout) parses as written: its label counts,
its codes, its contexts, the README's list of files, and that bench/recall.py counts every label.

Nobody tunes the detector to this sample, so its precision and recall are never asserted here;
`python -m bench.recall --corpus tests/fixtures/recall_holdout -v` prints them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bench.recall import FIXTURES, PYTHON, YAML, corpus_files, labels

from tests.support.recall_sample import (
    Parsed,
    check_labelled_with_real_codes,
    check_measure_counts_every_label,
    check_readme_lists_every_file,
    check_valid_source,
)
from tests.support.recall_sample import parsed as parsed_sample

HOLDOUT = FIXTURES / "recall_holdout"

# What the sample holds. These only change when labelled lines are added, and never to follow
# the detector.
FILES = {PYTHON: 20, YAML: 9}
STATUS = {PYTHON: 240, YAML: 83}
NOT = {PYTHON: 188, YAML: 49}
MULTI_FILE = ("shared_errors.py", "shared_views.py", "shared_tests.py")


def parsed() -> dict[str, Parsed]:
    return parsed_sample(HOLDOUT)


def test_label_counts_are_exact() -> None:
    found = parsed()
    assert {language: len(entry.files) for language, entry in found.items()} == FILES
    assert {language: len(entry.status) for language, entry in found.items()} == STATUS
    assert {language: len(entry.others) for language, entry in found.items()} == NOT


def test_status_codes_are_about_half_of_the_labels() -> None:
    status = sum(STATUS.values())
    assert 0.4 <= status / (status + sum(NOT.values())) <= 0.65


@pytest.mark.parametrize("path", corpus_files(HOLDOUT), ids=lambda path: path.name)
def test_every_file_is_labelled_with_real_codes(path: Path) -> None:
    check_labelled_with_real_codes(path, every_label_has_a_number=False)


@pytest.mark.parametrize("path", corpus_files(HOLDOUT), ids=lambda path: path.name)
def test_every_file_is_valid_source(path: Path) -> None:
    check_valid_source(path)


def test_contexts_cover_the_kinds_issue_12_names() -> None:
    found = parsed()
    python_contexts = set(found[PYTHON].contexts)
    yaml_contexts = set(found[YAML].contexts)
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
    check_readme_lists_every_file(HOLDOUT)


def test_measure_counts_every_label() -> None:
    check_measure_counts_every_label(HOLDOUT, sum(STATUS.values()))
