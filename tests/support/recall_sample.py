"""The checks every labelled recall sample (tests/fixtures/recall_*) shares: its labels parsed per
language, every file valid source with real codes, the README listing every file, and
bench/recall.py counting every label. Each sample's own test module holds its counts."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from bench.recall import PYTHON, corpus_files, labels, language_of, measure


@dataclass
class Parsed:
    """The labels of one language: file names, status codes, other numbers, contexts of lines."""

    files: list[str] = field(default_factory=list)
    status: list[int] = field(default_factory=list)
    others: list[int] = field(default_factory=list)
    contexts: list[str] = field(default_factory=list)


def parsed(sample: Path) -> dict[str, Parsed]:
    """Per language, the labels of every file of ``sample``."""
    found: dict[str, Parsed] = {}
    for path in corpus_files(sample):
        entry = found.setdefault(language_of(path), Parsed())
        entry.files.append(path.name)
        for line in path.read_text(encoding="utf-8").splitlines():
            statuses, others, context = labels(line)
            entry.status += statuses
            entry.others += others
            if statuses or others:
                entry.contexts.append(context)
    return found


def check_labelled_with_real_codes(path: Path, *, every_label_has_a_number: bool) -> None:
    labelled = [labels(line) for line in path.read_text(encoding="utf-8").splitlines()]
    labelled = [label for label in labelled if label != ([], [], "unlabelled")]
    assert labelled, f"{path.name} has no labelled line"
    for statuses, others, context in labelled:
        if every_label_has_a_number:
            assert statuses or others, f"{path.name}: a label with no number"
        assert all(100 <= code <= 599 for code in statuses), f"{path.name}: {statuses}"
        assert context != "other", f"{path.name}: a labelled line names no context"


def check_valid_source(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    if language_of(path) == PYTHON:
        ast.parse(text)
    else:
        assert [document for document in yaml.safe_load_all(text) if document is not None]
    assert "/work/" not in text and "/tmp/" not in text


def check_readme_lists_every_file(sample: Path) -> None:
    readme = (sample / "README.md").read_text(encoding="utf-8")
    for path in corpus_files(sample):
        assert f"`{path.name}`" in readme, path.name


def check_measure_counts_every_label(sample: Path, status_total: int) -> None:
    found = parsed(sample)
    report = measure(sample)
    for language, entry in found.items():
        tally = report.languages[language].overall
        assert tally.labelled == len(entry.status)
        assert tally.negatives == len(entry.others)
    assert report.overall.labelled == status_total
    assert set(report.languages[PYTHON].frameworks) == {Path(name).stem for name in found[PYTHON].files}
