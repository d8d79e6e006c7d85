"""`warm_up_rules` judges a tiny description once (run when the server is idle after start), and a
failure in it is logged, not raised into the event loop."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

from http_status_ls.features import diagnostics

_CHECK = """
import sys
from http_status_ls.features import diagnostics
rules = "http_status_ls.features.openapi_rules"
before = rules in sys.modules
diagnostics.warm_up_rules()
print(before, rules in sys.modules)
"""


def test_it_loads_the_response_set_rules_in_a_fresh_interpreter() -> None:
    done = subprocess.run([sys.executable, "-c", _CHECK], capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.split() == ["False", "True"]


def test_a_failure_is_logged(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    def broken(*_: object, **__: object) -> list[object]:
        raise RuntimeError("judge broke")

    monkeypatch.setattr(diagnostics, "findings", broken)
    with caplog.at_level(logging.ERROR):
        diagnostics.warm_up_rules()
    assert "warming up the OpenAPI rules failed" in caplog.text
    assert "judge broke" in caplog.text
