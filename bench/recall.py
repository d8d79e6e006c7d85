"""Precision and recall of the Python detector over the labelled corpus in tests/fixtures/recall.

Run from the repository root: ``python -m bench.recall``. Every ``*.py`` file there carries its
labels as trailing comments (the corpus README says how); a status label is found when the detector
reports an occurrence of that code on that line, and every reported occurrence no status label
accounts for is a false positive. Figures are printed overall, per framework (the file's name) and
per syntactic context (the ``ctx:`` label).
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from http_status_ls.detect.python.reader import detect_python

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "recall"
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


@dataclass
class Report:
    overall: Tally = field(default_factory=Tally)
    frameworks: dict[str, Tally] = field(default_factory=dict)
    contexts: dict[str, Tally] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)

    def tallies(self, framework: str, context: str) -> list[Tally]:
        return [self.overall, self.frameworks.setdefault(framework, Tally()), self.contexts.setdefault(context, Tally())]


def labels(line: str) -> tuple[list[int], list[int], str]:
    """(status codes, other numbers, context) labelled on one line."""
    match = _LABEL.search(line)
    if match is None:
        return [], [], "unlabelled"
    parts = {kind: value.strip() for kind, value in _PART.findall(match[1])}

    def numbers(kind: str) -> list[int]:
        return [int(number) for number in re.findall(r"\d+", parts.get(kind, ""))]

    return numbers("status"), numbers("not"), parts.get("ctx", "other")


def measure(corpus: Path = CORPUS) -> Report:
    report = Report()
    for path in sorted(corpus.glob("*.py")):
        framework = path.stem
        text = path.read_text(encoding="utf-8")
        reported: dict[int, Counter[int]] = {}
        for occurrence in detect_python(text).occurrences:
            if occurrence.code is not None:
                reported.setdefault(occurrence.span.start_line, Counter())[occurrence.code] += 1
        for row, line in enumerate(text.splitlines()):
            statuses, others, context = labels(line)
            found_here = reported.get(row, Counter())
            wanted = Counter(statuses)
            for tally in report.tallies(framework, context):
                tally.negatives += len(others)
            for code, count in wanted.items():
                hits = min(count, found_here[code])
                for tally in report.tallies(framework, context):
                    tally.found += hits
                    tally.missed += count - hits
                if count > hits:
                    report.misses.append(f"{path.name}:{row + 1}: {code} [{context}]  {line.strip()}")
            for code, count in (found_here - wanted).items():
                for tally in report.tallies(framework, context):
                    tally.false += count
                report.false_positives.append(f"{path.name}:{row + 1}: {code} [{context}]  {line.strip()}")
    return report


def _rows(title: str, tallies: dict[str, Tally]) -> list[str]:
    lines = [f"\n{title:<22} {'status':>6} {'not':>5} {'found':>6} {'false':>6} {'precision':>10} {'recall':>7}"]
    for name, tally in sorted(tallies.items()):
        labelled = tally.found + tally.missed
        lines.append(
            f"{name:<22} {labelled:>6} {tally.negatives:>5} {tally.found:>6} {tally.false:>6}"
            f" {tally.precision:>10.3f} {tally.recall:>7.3f}"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    verbose = "-v" in (argv if argv is not None else sys.argv[1:])
    report = measure()
    overall = report.overall
    lines = [
        f"corpus: {overall.found + overall.missed} status tokens, {overall.negatives} other numbers",
        f"overall: precision {overall.precision:.3f}, recall {overall.recall:.3f}",
    ]
    lines += _rows("framework", report.frameworks)
    lines += _rows("context", report.contexts)
    if verbose:
        lines += ["\nmissed:", *report.misses, "\nfalse positives:", *report.false_positives]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
