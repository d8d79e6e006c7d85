"""No function in the server above radon's grade C (cyclomatic complexity over 20).

A grade-D function is where bugs hide and where the next change lands badly; this holds the line
the package was cut to, with the same measure (radon) the layout work used.
"""

from __future__ import annotations

import pytest

from tests.support.paths import PACKAGE

radon_complexity = pytest.importorskip("radon.complexity", reason="radon is a test extra: pip install -e '.[test]'")

LIMIT = 20  # the top of grade C


def test_no_function_above_grade_c() -> None:
    too_complex = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for block in radon_complexity.cc_visit(path.read_text(encoding="utf-8")):
            if block.complexity > LIMIT:
                name = f"{block.classname}.{block.name}" if getattr(block, "classname", None) else block.name
                too_complex.append(f"{path.relative_to(PACKAGE)}:{block.lineno} {name} ({block.complexity})")
    assert not too_complex, "split these along their seams:\n" + "\n".join(too_complex)
