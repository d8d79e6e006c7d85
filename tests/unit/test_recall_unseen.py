"""The unseen labelled sample (tests/fixtures/recall_unseen) parses as written: its label counts,
its codes, its contexts, the README's list of files, and that bench/recall.py counts every label.

Nobody tunes the detector to this sample, so its precision and recall are never asserted here;
`python -m bench.recall --corpus tests/fixtures/recall_unseen -v` prints them.
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

UNSEEN = FIXTURES / "recall_unseen"

# What the sample holds. These only change when labelled lines are added, never to follow the
# detector.
FILES = {PYTHON: 20, YAML: 8}
STATUS = {PYTHON: 221, YAML: 78}
NOT = {PYTHON: 153, YAML: 39}
MULTI_FILE = ("proj_errors.py", "proj_routes.py", "proj_checks.py")


def parsed() -> dict[str, Parsed]:
    return parsed_sample(UNSEEN)


def test_label_counts_are_exact() -> None:
    found = parsed()
    assert {language: len(entry.files) for language, entry in found.items()} == FILES
    assert {language: len(entry.status) for language, entry in found.items()} == STATUS
    assert {language: len(entry.others) for language, entry in found.items()} == NOT


def test_sample_size_and_balance() -> None:
    status, others = sum(STATUS.values()), sum(NOT.values())
    assert 350 <= status + others <= 500
    assert 0.4 <= status / (status + others) <= 0.65


@pytest.mark.parametrize("path", corpus_files(UNSEEN), ids=lambda path: path.name)
def test_every_file_is_labelled_with_real_codes(path: Path) -> None:
    check_labelled_with_real_codes(path, every_label_has_a_number=True)


@pytest.mark.parametrize("path", corpus_files(UNSEEN), ids=lambda path: path.name)
def test_every_file_is_valid_source(path: Path) -> None:
    check_valid_source(path)


def test_trap_files_hold_no_status() -> None:
    for name in ("traps_mail_pop.py", "traps_media_games.py"):
        lines = (UNSEEN / name).read_text(encoding="utf-8").splitlines()
        assert not [line for line in lines if labels(line)[0]], name
        assert sum(len(labels(line)[1]) for line in lines) >= 30, name


def test_contexts_cover_the_kinds_issue_12_names() -> None:
    found = parsed()
    python_contexts = set(found[PYTHON].contexts)
    yaml_contexts = set(found[YAML].contexts)
    assert {"project", "pos", "kw", "order", "const", "default", "rows", "name", "import", "status-line"} <= python_contexts
    assert {"jinja", "csv", "list", "key", "promql", "range", "words"} <= yaml_contexts
    assert {"port", "timeout", "expect"} <= yaml_contexts


def test_multi_file_helpers_are_called_positionally_elsewhere() -> None:
    definitions = (UNSEEN / MULTI_FILE[0]).read_text(encoding="utf-8")
    assert "def api_reply(data, status=200" in definitions
    assert "def expect_status(response, expected_code" in definitions
    for caller in MULTI_FILE[1:]:
        contexts = [labels(line)[2] for line in (UNSEEN / caller).read_text(encoding="utf-8").splitlines()]
        assert contexts.count("project") >= 5, caller


def test_readme_lists_every_file() -> None:
    check_readme_lists_every_file(UNSEEN)


def test_measure_counts_every_label() -> None:
    check_measure_counts_every_label(UNSEEN, sum(STATUS.values()))
