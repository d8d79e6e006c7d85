"""Fixtures for the hardening tests: real server processes driven over their pipes (see tests/support/wire.py).

Two clients, as in tests/e2e: one like VS Code (utf-16 positions, pushed diagnostics) and one like
Neovim (utf-8 positions, pulled diagnostics). Timings the tests measure are collected in
:data:`FIGURES` and printed at the end of the run.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from tests.support.wire import ServerProcess

CLIENTS = {
    "utf16-push": {"encoding": "utf-16", "pull": False},
    "utf8-pull": {"encoding": "utf-8", "pull": True},
}

FIGURES: list[str] = []
"""Lines printed under "hardening figures" at the end of the session."""

_serial = itertools.count()


def new_uri(name: str, suffix: str) -> str:
    return f"file:///hardening/{name}-{next(_serial)}{suffix}"


@pytest.fixture(scope="module", params=list(CLIENTS))
def client(request: pytest.FixtureRequest) -> Iterator[ServerProcess]:
    server = ServerProcess("--stdio")
    try:
        server.initialize(**CLIENTS[request.param])
        server.kind = request.param  # type: ignore[attr-defined]
        yield server
        assert server.alive(), "the server process died during the module"
        assert server.garbage == [], f"stdout carried something other than LSP frames: {server.garbage[:3]}"
        assert server.shutdown() == 0
    finally:
        server.close()


def pytest_terminal_summary(terminalreporter) -> None:  # noqa: ANN001 - pytest's hook signature
    if FIGURES:
        terminalreporter.section("hardening figures")
        for line in FIGURES:
            terminalreporter.write_line(line)
