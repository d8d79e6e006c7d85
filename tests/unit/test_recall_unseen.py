"""The unseen labelled sample (tests/fixtures/recall_unseen) parses as written: its label counts,
its codes, its contexts, the README's list of files, and that bench/recall.py counts every label.

Nobody tunes the detector to this sample, so its precision and recall are never asserted here;
`python -m bench.recall --corpus tests/fixtures/recall_unseen -v` prints them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import yaml
from bench.recall import FIXTURES, PYTHON, YAML, corpus_files, labels, language_of, measure

UNSEEN = FIXTURES / "recall_unseen"

# What the sample holds. These only change when labelled lines are added, never to follow the
# detector.
FILES = {PYTHON: 20, YAML: 8}
STATUS = {PYTHON: 221, YAML: 78}
NOT = {PYTHON: 153, YAML: 39}
MULTI_FILE = ("proj_errors.py", "proj_routes.py", "proj_checks.py")


class Parsed:
    """The labels of one language: file names, status codes, other numbers, contexts of lines."""

    def __init__(self) -> None:
        self.files: list[str] = []
        self.status: list[int] = []
        self.others: list[int] = []
        self.contexts: list[str] = []


def parsed() -> dict[str, Parsed]:
    found: dict[str, Parsed] = {}
    for path in corpus_files(UNSEEN):
        entry = found.setdefault(language_of(path), Parsed())
        entry.files.append(path.name)
        for line in path.read_text(encoding="utf-8").splitlines():
            statuses, others, context = labels(line)
            entry.status += statuses
            entry.others += others
            if statuses or others:
                entry.contexts.append(context)
    return found


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
    labelled = [labels(line) for line in path.read_text(encoding="utf-8").splitlines()]
    labelled = [label for label in labelled if label != ([], [], "unlabelled")]
    assert labelled, f"{path.name} has no labelled line"
    for statuses, others, context in labelled:
        assert statuses or others, f"{path.name}: a label with no number"
        assert all(100 <= code <= 599 for code in statuses), f"{path.name}: {statuses}"
        assert context != "other", f"{path.name}: a labelled line names no context"


@pytest.mark.parametrize("path", corpus_files(UNSEEN), ids=lambda path: path.name)
def test_every_file_is_valid_source(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    if language_of(path) == PYTHON:
        ast.parse(text)
    else:
        assert [document for document in yaml.safe_load_all(text) if document is not None]
    assert "/work/" not in text and "/tmp/" not in text


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
    readme = (UNSEEN / "README.md").read_text(encoding="utf-8")
    for path in corpus_files(UNSEEN):
        assert f"`{path.name}`" in readme, path.name


def test_measure_counts_every_label() -> None:
    found = parsed()
    report = measure(UNSEEN)
    for language, entry in found.items():
        tally = report.languages[language].overall
        assert tally.labelled == len(entry.status)
        assert tally.negatives == len(entry.others)
    assert report.overall.labelled == sum(STATUS.values())
    assert set(report.languages[PYTHON].frameworks) == {Path(name).stem for name in found[PYTHON].files}
