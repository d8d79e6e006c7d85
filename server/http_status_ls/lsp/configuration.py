"""The settings of one server session: which layers it has heard, and what they add up to.

A session hears settings from up to four places, merged in this order (later wins, see
:mod:`settings` for how each key merges):

1. the defaults;
2. ``[tool.http-status-ls]`` in the workspace's ``pyproject.toml`` (the nearest one with the table,
   from the first workspace folder upward), read again at every recomputation so edits to the file
   count the next time settings change;
3. the client's ``initializationOptions``;
4. the latest live layer: the answer to ``workspace/configuration`` or the payload of a
   ``workspace/didChangeConfiguration``, whichever came last.

:class:`SessionSettings` holds the layers and merges them; the session asks for
:meth:`SessionSettings.compute` and decides what to tell whom. :class:`ConfigurationRequests` asks
the client for the live layer (``workspace/configuration``) and keeps count of the questions not yet
answered, which pushed diagnostics and the first pulls wait for.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from lsprotocol import types

from http_status_ls.core import settings as settings_module
from http_status_ls.core import settings_files
from http_status_ls.core.settings import SECTION, Settings

log = logging.getLogger("http_status_ls")

CONFIGURATION_TIMEOUT = 2.0
"""How long diagnostics wait for the client's answer to ``workspace/configuration``."""

_SETTING_KEYS = frozenset(
    {
        "rules",
        "extracodes",
        "extrayamlkeys",
        "inlayhints",
        "languages",
        "maxfilesize",
        "hover",
        "pythonversion",
        "pythonenvironment",
    }
)

NO_SECTION = object()
"""What :func:`live_section` returns for a payload that carries nothing for us."""


def live_section(payload: Any) -> Any:
    """Our section out of a ``didChangeConfiguration`` payload (``params.settings``), or
    :data:`NO_SECTION` when it has none (``null``, or only other servers' sections): then the client
    expects us to ask with ``workspace/configuration``.

    Clients wrap the section differently: ``{"httpStatus": {...}}`` (VS Code, Neovim, Eglot),
    ``{"settings": {"httpStatus": {...}}}``, or the bare section (some clients send their ``config``
    for the server as is). A bare mapping counts only when every key is one of ours, so another
    tool's settings never become a list of "unknown setting" warnings."""
    if isinstance(payload, Mapping):
        inner = payload.get("settings")
        if isinstance(inner, Mapping) and SECTION in inner:
            return inner[SECTION]
        if SECTION in payload:
            return payload[SECTION]
        if payload and all(_norm(key) in _SETTING_KEYS for key in payload):
            return payload
    return NO_SECTION


def _norm(key: Any) -> str:
    return str(key).replace("-", "").replace("_", "").lower()


class SessionSettings:
    """The layers heard so far; :meth:`compute` merges them into one :class:`Settings`."""

    def __init__(self, known_rules: Iterable[str]):
        self.known_rules = tuple(known_rules)
        self.initialization: Any = None
        self.live: Any = None
        self.root: Path | None = None
        """Where to look for ``pyproject.toml`` (the first workspace folder)."""
        self.pyproject: Path | None = None
        """The file the last :meth:`compute` read, if any."""

    def set_initialization_options(self, options: Any) -> None:
        """``initializationOptions``: the section, or a payload wrapping it. They are ours alone, so
        a bare mapping is the section even with misspelt keys (which then get their messages)."""
        section = settings_module.section_of(options)
        self.initialization = section if section not in (None, {}) else None

    def set_live(self, section: Any) -> None:
        """The section as the client now says it is (None: the client has nothing set)."""
        self.live = section

    def compute(self) -> tuple[Settings, list[str]]:
        """Defaults < pyproject < initializationOptions < live, plus a message per bad key."""
        self.pyproject = settings_files.find_pyproject(self.root) if self.root is not None else None
        settings, messages = settings_files.load(pyproject=self.pyproject, known_rules=self.known_rules)
        for layer in (self.initialization, self.live):
            if layer is None:
                continue
            settings, more = settings_module.parse(layer, base=settings, known_rules=self.known_rules)
            messages += more
        return settings, messages


def message_for(messages: list[str]) -> str:
    """One ``window/showMessage`` text naming every bad key."""
    if len(messages) == 1:
        return f"http-status-ls: invalid setting: {messages[0]}"
    return "http-status-ls: invalid settings:\n" + "\n".join(f"- {message}" for message in messages)


class ConfigurationRequests:
    """The session's ``workspace/configuration`` requests: sending one, and the ones in flight."""

    def __init__(self) -> None:
        self.pending = 0
        """Requests sent and not answered yet (nor timed out)."""
        self._tasks: set[asyncio.Future[None]] = set()

    def ask(self, send: Callable[[types.ConfigurationParams], Any], scope_uri: str | None, apply: Callable[[Any], None]) -> None:
        """Ask for our section through ``send`` (the server's ``workspace_configuration``), then call
        ``apply`` with the answer: the section, None when the client has none, or
        :data:`NO_SECTION` when no answer came within :data:`CONFIGURATION_TIMEOUT`. Raises when the
        request cannot be sent."""
        item = types.ConfigurationItem(section=SECTION, scope_uri=scope_uri)
        sent = send(types.ConfigurationParams(items=[item]))
        self.pending += 1
        task = asyncio.ensure_future(self._answer(sent, apply))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _answer(self, sent: Any, apply: Callable[[Any], None]) -> None:
        section: Any = NO_SECTION
        try:
            result = await asyncio.wait_for(asyncio.wrap_future(sent), CONFIGURATION_TIMEOUT)
            section = result[0] if result else None
        except Exception as error:
            log.warning("workspace/configuration: no answer (%r); keeping the settings we have", error)
        finally:
            self.pending -= 1
        apply(section)

    async def settled(self) -> None:
        """Wait (at most :data:`CONFIGURATION_TIMEOUT`) for the requests in flight."""
        deadline = time.monotonic() + CONFIGURATION_TIMEOUT
        while self.pending and time.monotonic() < deadline:
            await asyncio.sleep(0.005)
