"""Precision and recall of the detectors over a labelled corpus of Python and YAML files.

Run from the repository root: ``python -m bench.recall [--corpus DIR] [-v]``. The default corpus is
tests/fixtures/recall (written alongside the detector); tests/fixtures/recall_independent is a sample
written without looking at the detector, for issue 12's measure of success. Every ``*.py``,
``*.yaml`` and ``*.yml`` file carries its labels as trailing comments (the corpus READMEs say how); a
status label is found when the detector reports an occurrence of that code on that line, and every
reported occurrence no status label accounts for is a false positive.

Python files are read with the corpus directory's table of status parameters
(:mod:`http_status_ls.detect.python.project_params`), so a helper defined in one file counts in the
others, as in a workspace. Figures are printed per language and together, per framework (the file)
and per syntactic context (the ``ctx:`` label).
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from http_status_ls.detect.analysis import analyse
from http_status_ls.detect.python.project_params import ProjectParameters, summarise_python
from http_status_ls.detect.python.reader import detect_python

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
CORPUS = FIXTURES / "recall"
INDEPENDENT = FIXTURES / "recall_independent"
PYTHON = "python"
YAML = "yaml"
_SUFFIXES = {".py": PYTHON, ".yaml": YAML, ".yml": YAML}
_LABEL = re.compile(r"#\s*((?:status|not):.*)$")
_PART = re.compile(r"(status|not|ctx):\s*([^:]*?)(?=\s+(?:status|not|ctx):|$)")


@dataclass
class Tally:
    found: int = 0
    missed: int = 0
    false: int = 0
    negatives: int = 0

    @property
    def precision(self) -> float:
        reported = self.found + self.false
        return self.found / reported if reported else 1.0

    @property
    def recall(self) -> float:
        labelled = self.found + self.missed
        return self.found / labelled if labelled else 1.0

    @property
    def labelled(self) -> int:
        return self.found + self.missed


@dataclass
class Breakdown:
    """One set of figures: overall, per framework (file) and per context."""

    overall: Tally = field(default_factory=Tally)
    frameworks: dict[str, Tally] = field(default_factory=dict)
    contexts: dict[str, Tally] = field(default_factory=dict)

    def tallies(self, framework: str, context: str) -> list[Tally]:
        return [self.overall, self.frameworks.setdefault(framework, Tally()), self.contexts.setdefault(context, Tally())]


@dataclass
class Report(Breakdown):
    """All files together (the inherited fields), each language apart, and the lines to look at."""

    languages: dict[str, Breakdown] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)

    def every_tally(self, language: str, framework: str, context: str) -> list[Tally]:
        apart = self.languages.setdefault(language, Breakdown())
        return self.tallies(framework, context) + apart.tallies(framework, context)


def labels(line: str) -> tuple[list[int], list[int], str]:
    """(status codes, other numbers, context) labelled on one line."""
    match = _LABEL.search(line)
    if match is None:
        return [], [], "unlabelled"
    parts = {kind: value.strip() for kind, value in _PART.findall(match[1])}

    def numbers(kind: str) -> list[int]:
        return [int(number) for number in re.findall(r"\d+", parts.get(kind, ""))]

    return numbers("status"), numbers("not"), parts.get("ctx", "other")


def corpus_files(corpus: Path) -> list[Path]:
    """The labelled files of a corpus directory, in a stable order."""
    return sorted(path for path in corpus.iterdir() if path.suffix in _SUFFIXES and path.is_file())


def language_of(path: Path) -> str:
    return _SUFFIXES[path.suffix]


def project_of(texts: Iterable[str]) -> ProjectParameters:
    """The table of status parameters the Python files of one corpus define, as a workspace would."""
    return ProjectParameters.from_files(summarise_python(text) for text in texts)


def reported_codes(path: Path, text: str, project: ProjectParameters) -> dict[int, Counter[int]]:
    """Codes the detector reports, per zero-based line."""
    if language_of(path) == PYTHON:
        occurrences = detect_python(text, project=project).occurrences
    else:
        occurrences = analyse(path.resolve().as_uri(), None, text, None).occurrences
    reported: dict[int, Counter[int]] = {}
    for occurrence in occurrences:
        if occurrence.code is not None:
            reported.setdefault(occurrence.span.start_line, Counter())[occurrence.code] += 1
    return reported


def framework_of(path: Path) -> str:
    # Python files keep the in-sample corpus's naming (the stem); YAML files show their extension.
    return path.stem if language_of(path) == PYTHON else path.name


def measure(corpus: Path = CORPUS) -> Report:
    report = Report()
    files = corpus_files(corpus)
    texts = {path: path.read_text(encoding="utf-8") for path in files}
    project = project_of(text for path, text in texts.items() if language_of(path) == PYTHON)
    for path in files:
        text = texts[path]
        language, framework = language_of(path), framework_of(path)
        reported = reported_codes(path, text, project)
        for row, line in enumerate(text.splitlines()):
            statuses, others, context = labels(line)
            found_here = reported.get(row, Counter())
            wanted = Counter(statuses)
            tallies = report.every_tally(language, framework, context)
            for tally in tallies:
                tally.negatives += len(others)
            for code, count in wanted.items():
                hits = min(count, found_here[code])
                for tally in tallies:
                    tally.found += hits
                    tally.missed += count - hits
                if count > hits:
                    report.misses.append(f"{path.name}:{row + 1}: {code} [{context}]  {line.strip()}")
            for code, count in (found_here - wanted).items():
                for tally in tallies:
                    tally.false += count
                report.false_positives.append(f"{path.name}:{row + 1}: {code} [{context}]  {line.strip()}")
    return report


def _summary(name: str, tally: Tally) -> str:
    return (
        f"{name}: {tally.labelled} status tokens, {tally.negatives} other numbers;"
        f" precision {tally.precision:.3f}, recall {tally.recall:.3f}"
        f" ({tally.found} found, {tally.missed} missed, {tally.false} false)"
    )


def _rows(title: str, tallies: dict[str, Tally]) -> list[str]:
    lines = [f"\n{title:<30} {'status':>6} {'not':>5} {'found':>6} {'false':>6} {'precision':>10} {'recall':>7}"]
    for name, tally in sorted(tallies.items()):
        lines.append(
            f"{name:<30} {tally.labelled:>6} {tally.negatives:>5} {tally.found:>6} {tally.false:>6}"
            f" {tally.precision:>10.3f} {tally.recall:>7.3f}"
        )
    return lines


def render(report: Report, corpus: Path, verbose: bool = False) -> str:
    shown = corpus.resolve()
    if shown.is_relative_to(Path.cwd()):
        shown = shown.relative_to(Path.cwd())
    lines = [f"corpus: {shown}"]
    lines += [_summary(language, report.languages[language].overall) for language in sorted(report.languages)]
    lines.append(_summary("together", report.overall))
    for language in sorted(report.languages):
        apart = report.languages[language]
        lines += _rows(f"{language} file", apart.frameworks)
        lines += _rows(f"{language} context", apart.contexts)
    if len(report.languages) > 1:
        lines += _rows("context (together)", report.contexts)
    if verbose:
        lines += ["\nmissed:", *report.misses, "\nfalse positives:", *report.false_positives]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.recall", description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="labelled corpus directory")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the misses and false positives")
    options = parser.parse_args(argv)
    corpus: Path = options.corpus
    print(render(measure(corpus), corpus, options.verbose))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
