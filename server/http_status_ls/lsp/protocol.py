"""Every hook into pygls' internals, in one place, each with the reason it is there.

pygls 2 gives the server its message loop, its JSON-RPC bookkeeping and built-in handlers for the
lifecycle and document sync. The server changes five things about them:

1. utf-8 positions whenever the client offers them, and the diagnostics pull offered only to clients
   that are pulled from (:meth:`StatusProtocol.lsp_initialize`);
2. open documents kept by :class:`~http_status_ls.lsp.documents.DocumentStore` only, not copied into
   pygls' workspace as well (the ``lsp_text_document__did_*`` overrides);
3. no future left behind per notification (:meth:`StatusProtocol.handle_message`);
4. requests already cancelled, and pulls for a text already superseded, never started
   (:meth:`StatusProtocol._handle_request`);
5. the stdio loop fed by our read-ahead reader (:func:`serve_stdio`), which also checks each message
   before pygls sees it (:meth:`StatusProtocol.receive`), so that every request is answered once
   with the code the JSON-RPC and LSP specifications give: pygls logs and drops a message it cannot
   decode or whose params do not fit their type (the client waits for ever), answers nothing before
   ``initialize`` or after ``shutdown``, and lets a second ``initialize`` through;
6. pygls' answer to an ``initialize`` that :mod:`~http_status_ls.lsp.startup` answered before pygls
   was loaded is not sent again, once checked equal to the one sent (:meth:`StatusProtocol._send_data`).

Each reaches past pygls' public API, so a pygls release may move what it touches without notice,
and most would then degrade quietly (positions in UTF-16 again, every document stored twice,
cancels ignored, a leak per keystroke). So :data:`HOOKS` lists what is touched, :func:`check_pygls`
holds it against the installed pygls when this module is imported and :func:`check_instance` when a
server is built, and both refuse to go on with an error naming the pygls version.
``tests/unit/lsp/test_protocol_hooks.py`` holds the same list.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, BinaryIO

from lsprotocol import types

from http_status_ls.lsp import startup
from http_status_ls.lsp.envelope import envelope_problem, guessed_id, params_problem, valid_id
from http_status_ls.lsp.push import pulls_diagnostics


def pygls_version() -> str:
    # importlib.metadata costs 50 ms to import, paid by every start for a message only a mismatch shows.
    import importlib.metadata

    try:
        return importlib.metadata.version("pygls")
    except importlib.metadata.PackageNotFoundError:
        return "(version unknown)"


try:
    import pygls.io_
    from pygls.exceptions import JsonRpcInternalError
    from pygls.io_ import StdoutWriter
    from pygls.protocol import JsonRPCProtocol, LanguageServerProtocol
    from pygls.protocol.language_server import lsp_method
    from pygls.server import JsonRPCServer
except ImportError as error:  # say which pygls moved them, not only what is missing
    raise ImportError(
        f"http-status-ls cannot run on pygls {pygls_version()}: {error} (see http_status_ls/lsp/protocol.py for what it hooks)"
    ) from error

if TYPE_CHECKING:
    from http_status_ls.lsp.lifecycle import Frame, ReadAhead

log = logging.getLogger("http_status_ls")

TESTED_WITH = "2.1"
"""The pygls release these hooks were written against (pyproject allows >=2.0,<3)."""


@dataclass(frozen=True, slots=True)
class Hook:
    """One thing of pygls' that this module overrides or calls outside its public API."""

    owner: Any
    """The pygls class or module that has it."""
    name: str
    parameters: tuple[str, ...]
    """The parameter names relied on, in order (an override must take exactly these)."""
    overridden: bool
    """True: :class:`StatusProtocol` overrides it; False: it is called."""
    why: str
    method: str | None = None
    """For a built-in handler: the LSP method pygls registers it for (``lsp_method``)."""

    @property
    def qualified_name(self) -> str:
        return f"{getattr(self.owner, '__qualname__', None) or self.owner.__name__}.{self.name}"


HOOKS: tuple[Hook, ...] = (
    Hook(
        LanguageServerProtocol,
        "lsp_initialize",
        ("self", "params"),
        True,
        "pygls takes the first encoding the client offers, and clients list utf-16 first (utf-8 is moved to the "
        "front); and it advertises every feature, where push clients must not be offered the diagnostics pull",
        types.INITIALIZE,
    ),
    Hook(
        LanguageServerProtocol,
        "lsp_text_document__did_open",
        ("self", "params"),
        True,
        "pygls' built-in copies the text into its workspace; DocumentStore keeps the only copy",
        types.TEXT_DOCUMENT_DID_OPEN,
    ),
    Hook(
        LanguageServerProtocol,
        "lsp_text_document__did_change",
        ("self", "params"),
        True,
        "pygls' built-in re-splits the whole text per edit (60 ms on a 4 MB spec); DocumentStore applies it",
        types.TEXT_DOCUMENT_DID_CHANGE,
    ),
    Hook(
        LanguageServerProtocol,
        "lsp_text_document__did_close",
        ("self", "params"),
        True,
        "the document was never put into pygls' workspace, so there is nothing there to remove",
        types.TEXT_DOCUMENT_DID_CLOSE,
    ),
    Hook(
        JsonRPCProtocol,
        "handle_message",
        ("self", "message"),
        True,
        "pygls never takes the futures of generator-run notifications out of _request_futures",
    ),
    Hook(
        JsonRPCProtocol,
        "_handle_request",
        ("self", "msg_id", "method_name", "params"),
        True,
        "the one place a request can be refused before its handler starts",
    ),
    Hook(
        JsonRPCProtocol,
        "_send_response",
        ("self", "msg_id", "result", "error"),
        False,
        "answers a request that is refused before it starts",
    ),
    Hook(
        JsonRPCProtocol,
        "structure_message",
        ("self", "data"),
        False,
        "turns a decoded message into lsprotocol's types; receive() calls it itself to answer what it refuses",
    ),
    Hook(
        JsonRPCProtocol,
        "_send_data",
        ("self", "data"),
        True,
        "every message sent passes here: the answer to an initialize already answered early is dropped; "
        "refuse() also calls it for an error answer with a null id, which _send_response leaves out",
    ),
    Hook(
        JsonRPCProtocol,
        "_serialize_message",
        ("self", "data"),
        False,
        "turns a message into JSON as _send_data does, to compare pygls' initialize answer with the early one",
    ),
    Hook(
        pygls.io_,
        "StdoutWriter",
        ("stdout",),
        False,
        "the writer start_io would make, made by serve_stdio instead",
    ),
)

INSTANCE_ATTRIBUTES: tuple[tuple[str, type | None, str], ...] = (
    ("protocol._request_futures", dict, "handle_message drops the finished ones"),
    ("protocol.fm.features", Mapping, "the built-in overrides yield the user's handler from it"),
    ("_stop_event", None, "serve_stdio sets it so that pygls' shutdown() ends the loop"),
)
"""What a built server must carry: (path from the server, type or None for any, why). pygls sets these
in ``__init__``, so they are checked on an instance (:func:`check_instance`)."""

_MISSING = object()


class PyglsMismatch(RuntimeError):
    """The installed pygls lacks something :data:`HOOKS` relies on."""


def _mismatch(problems: list[str]) -> PyglsMismatch:
    listed = "\n".join(f"  - {problem}" for problem in problems)
    return PyglsMismatch(
        f"http-status-ls cannot run on pygls {pygls_version()}: it hooks into pygls internals that this "
        f"version moved or changed:\n{listed}\n"
        f"Install pygls {TESTED_WITH}.x, or update http_status_ls/lsp/protocol.py for this version."
    )


def _parameters(function: Any) -> tuple[str, ...]:
    return tuple(inspect.signature(function).parameters)


def hook_problems(hook: Hook) -> list[str]:
    """What is wrong with one hook against the installed pygls (empty: nothing)."""
    found = getattr(hook.owner, hook.name, None)
    if found is None:
        return [f"{hook.qualified_name} is gone ({hook.why})"]
    problems = []
    have = _parameters(found)
    if (have != hook.parameters) if hook.overridden else (have[: len(hook.parameters)] != hook.parameters):
        problems.append(f"{hook.qualified_name} takes {have}, not {hook.parameters} ({hook.why})")
    if hook.method is not None:
        if getattr(found, "method_name", None) != hook.method:
            problems.append(f"{hook.qualified_name} is no longer pygls' built-in handler of {hook.method}")
        if not inspect.isgeneratorfunction(found):
            problems.append(f"{hook.qualified_name} is no longer a generator (the override yields the user's handler)")
    return problems


def check_pygls() -> None:
    """Raise :class:`PyglsMismatch` unless every hook is where it was."""
    problems = [problem for hook in HOOKS for problem in hook_problems(hook)]
    if problems:
        raise _mismatch(problems)


def check_instance(server: Any) -> None:
    """Raise :class:`PyglsMismatch` unless a built server runs :class:`StatusProtocol` (one built
    with another protocol has none of the hooks) and carries what the hooks use."""
    problems = []
    if not isinstance(server.protocol, StatusProtocol):
        problems.append(f"the server runs {type(server.protocol).__name__}, not StatusProtocol")
    for path, kind, why in INSTANCE_ATTRIBUTES:
        found = server
        for name in path.split("."):
            found = getattr(found, name, _MISSING)
        if found is _MISSING or (kind is not None and not isinstance(found, kind)):
            problems.append(f"server.{path} is gone or is no longer a {getattr(kind, '__name__', 'thing')} ({why})")
    if problems:
        raise _mismatch(problems)


_NEW, _RUNNING, _SHUT_DOWN = "new", "running", "shut down"


class StatusProtocol(LanguageServerProtocol):
    """pygls' protocol with the changes listed in the module docstring."""

    read_ahead: ReadAhead | None = None
    """Set when serving stdio: the messages already read but not yet handled (see :mod:`lifecycle`)."""

    answered_early: startup.EarlyAnswer | None = None
    """The ``initialize`` that :mod:`~http_status_ls.lsp.startup` answered, until pygls answers it too."""

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(self, params: types.InitializeParams):
        # pygls picks the first encoding of the client's list that it supports, and clients put
        # utf-16 first (it is the LSP's default). utf-8 spares converting every position.
        general = params.capabilities.general
        if general is not None and general.position_encodings:
            offered = list(general.position_encodings)
            if types.PositionEncodingKind.Utf8 in offered:
                offered.remove(types.PositionEncodingKind.Utf8)
                general.position_encodings = [types.PositionEncodingKind.Utf8, *offered]
        result = yield from super().lsp_initialize(params)
        # pygls advertises every registered feature. A client that pulls diagnostics but cannot be
        # told to pull again gets them pushed (see push.py); offered the pull as well, it would show
        # each problem twice.
        if not pulls_diagnostics(params.capabilities):
            result.capabilities.diagnostic_provider = None
        return result

    # pygls' built-in didOpen/didChange/didClose keep a copy of every open text in its workspace and
    # then call ours. DocumentStore keeps the one copy we read: pygls' would re-split a 4 MB text on
    # every keystroke and cannot tell us the byte offsets tree-sitter needs. These only call ours.

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: types.DidOpenTextDocumentParams):
        yield from self._user_handler(types.TEXT_DOCUMENT_DID_OPEN, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams):
        yield from self._user_handler(types.TEXT_DOCUMENT_DID_CHANGE, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: types.DidCloseTextDocumentParams):
        yield from self._user_handler(types.TEXT_DOCUMENT_DID_CLOSE, params)

    def _user_handler(self, method: str, params: Any) -> Iterator[tuple[Callable[..., Any], tuple[Any, ...], None]]:
        # What a built-in handler yields to have pygls run the user's handler for `method`.
        if (handler := self.fm.features.get(method)) is not None:
            yield handler, (params,), None

    def _send_data(self, data: Any) -> None:
        early = self.answered_early
        if early is not None and not isinstance(data, dict) and getattr(data, "id", None) == early.request_id:
            # pygls' own answer to the initialize answered before it was loaded: the client has
            # its answer already. The two are computed apart, so they are compared.
            self.answered_early = None
            sent = json.loads(json.dumps(data, default=self._serialize_message))
            if sent != early.message:
                log.error(
                    "initialize was answered early with %s, where pygls answers %s: lsp/startup.py is out of date",
                    json.dumps(early.message),
                    json.dumps(sent),
                )
            return
        super()._send_data(data)

    def handle_message(self, message: Any) -> None:
        super().handle_message(message)
        # pygls files the future of every notification whose handler is a generator (didOpen,
        # didChange and didClose here) under _request_futures and never takes it out: one object per
        # keystroke for the whole session. Finished ones are dropped; a request's own is taken out
        # when its answer is sent (popping it twice is harmless).
        futures = self._request_futures
        if futures:
            for key in [key for key, future in futures.items() if future.done()]:
                futures.pop(key, None)

    def _handle_request(self, msg_id: Any, method_name: str, params: Any) -> None:
        # Work nobody will read is not started. pygls only sees a $/cancelRequest after the
        # request's handler has run to its end, so the cancel would save nothing.
        refusal = self._refusal(msg_id, method_name, params)
        if refusal is not None:
            self._send_response(msg_id, error=refusal)
            return
        super()._handle_request(msg_id, method_name, params)

    def _refusal(self, msg_id: Any, method_name: str, params: Any) -> types.ResponseError | None:
        """The answer to a request not worth starting: one already cancelled by a message waiting
        behind it, or a pull for diagnostics of a text whose next change is already here (the client
        pulls again after that change; it is told so, and may retrigger). None: start it."""
        read_ahead = self.read_ahead
        if read_ahead is None:
            return None
        if read_ahead.take_cancel(msg_id):
            log.debug("%s %s: cancelled before it started", method_name, msg_id)
            return types.ResponseError(code=types.LSPErrorCodes.RequestCancelled, message=f"{method_name} cancelled")
        if method_name == types.TEXT_DOCUMENT_DIAGNOSTIC:
            uri = getattr(getattr(params, "text_document", None), "uri", None)
            if uri is not None and read_ahead.change_waiting(uri):
                log.debug("%s %s: %s changes next; not computed", method_name, msg_id, uri)
                return types.ResponseError(
                    code=types.LSPErrorCodes.ServerCancelled,
                    message="the document changes next",
                    data={"retriggerRequest": True},
                )
        return None

    # --- what is read from stdin -----------------------------------------------------------------

    phase = _NEW
    """``new`` until ``initialize`` is received, ``running``, then ``shut down`` after ``shutdown``."""

    def receive(self, frame: Frame) -> None:
        """Handle one frame read from stdin: answer it with an error when it is not a message pygls
        can take (pygls would drop it without an answer), else hand it to pygls."""
        if frame.framing_error is not None:
            # What is left of a frame whose length was wrong or missing: answered if it names a request.
            if (request_id := guessed_id(frame.body)) is not None:
                self.refuse(request_id, types.ErrorCodes.InvalidRequest, f"not a well-formed frame ({frame.framing_error})")
            return
        message = self._decode(frame.body)
        if message is None:
            return
        method = message.get("method")
        if method is not None:
            refusal = self._lifecycle_refusal(method)
            if refusal is not None:
                if "id" in message:
                    self.refuse(message["id"], *refusal)
                else:
                    log.info("%s dropped: %s", method, refusal[1])
                return
        try:
            structured = self.structure_message(message)
        except Exception as error:  # JsonRpcInvalidParams, or pygls' InternalError for odder shapes
            if method == types.INITIALIZE and self.answered_early is not None:
                structured = self._answered_initialize(message, error)
                if structured is None:
                    return
            elif "id" in message and method is not None:
                self.refuse(message["id"], types.ErrorCodes.InvalidParams, f"{method}: {params_problem(error)}")
                return
            else:
                log.error("%s dropped: %s", method or "a response", params_problem(error))
                return
        if method == types.INITIALIZE:
            self.phase = _RUNNING
        elif method == types.SHUTDOWN:
            self.phase = _SHUT_DOWN
        self.handle_message(structured)

    def _answered_initialize(self, message: dict[str, Any], error: Exception) -> Any:
        """An ``initialize`` answered early whose params pygls refuses deeper than startup looks
        (say, an enum value lsprotocol does not know): the client was told the session runs, so it
        runs, on the part of the params the early answer was computed from."""
        log.error("initialize: %s; the session goes on without the capabilities that do not fit", params_problem(error))
        params = {key: value for key, value in message["params"].items() if key != "capabilities"}
        params["capabilities"] = startup.capabilities_read(message["params"]["capabilities"])
        try:
            return self.structure_message({**message, "params": params})
        except Exception as again:  # params startup vouched for: only a pygls change gets here
            log.exception("initialize answered early cannot be handled: %s", params_problem(again))
            return None

    def _decode(self, body: bytes) -> dict[str, Any] | None:
        """The message in ``body``, or None when it has been answered (or dropped) as malformed."""
        try:
            message = json.loads(body)
        except UnicodeDecodeError:
            # The LSP says UTF-8; one stray byte should not cost the whole message (a didOpen lost
            # means every later change to that document is refused). It is read as U+FFFD.
            log.warning("a message that is not UTF-8 was read with U+FFFD in place of the bad bytes")
            try:
                message = json.loads(body.decode("utf-8", "replace"))
            except (ValueError, RecursionError) as error:
                self.refuse(guessed_id(body), types.ErrorCodes.ParseError, f"not JSON: {error}")
                return None
        except (ValueError, RecursionError) as error:
            self.refuse(guessed_id(body), types.ErrorCodes.ParseError, f"not JSON: {error}")
            return None
        if not isinstance(message, dict):
            what = "a batch (the LSP has none)" if isinstance(message, list) else "not a JSON object"
            self.refuse(None, types.ErrorCodes.InvalidRequest, f"a message must be one JSON object, not {what}")
            return None
        problem = envelope_problem(message)
        if problem is not None:
            if ("method" in message and "id" not in message) or "result" in message or "error" in message:
                # A notification, or the client's answer to a request of ours: never answered.
                log.error("%s dropped: %s", "notification" if "method" in message else "response", problem)
            else:
                request_id = message.get("id")
                self.refuse(request_id if valid_id(request_id) else None, types.ErrorCodes.InvalidRequest, problem)
            return None
        return message

    def _lifecycle_refusal(self, method: str) -> tuple[types.ErrorCodes, str] | None:
        """Why the LSP's lifecycle forbids ``method`` now (requests get the error, notifications are
        dropped); None: it may be handled. ``exit`` always may."""
        if method == types.EXIT:
            return None
        if self.phase == _SHUT_DOWN:
            return types.ErrorCodes.InvalidRequest, f"{method}: the server has been shut down"
        if self.phase == _NEW and method != types.INITIALIZE:
            return types.ErrorCodes.ServerNotInitialized, f"{method}: initialize has not been received"
        if self.phase == _RUNNING and method == types.INITIALIZE:
            return types.ErrorCodes.InvalidRequest, "initialize may be sent only once"
        return None

    def refuse(self, request_id: Any, code: int, message: str) -> None:
        """Answer ``request_id`` (None: a message whose id is unknown) with an error."""
        log.error("answered %s with %d: %s", request_id, code, message)
        if request_id is None:
            # _send_response leaves a null id out of the answer; JSON-RPC wants it there.
            self._send_data({"jsonrpc": "2.0", "id": None, "error": {"code": int(code), "message": message}})
        else:
            self._send_response(request_id, error=types.ResponseError(code=int(code), message=message))


async def _read_loop(
    stop_event: threading.Event, reader: ReadAhead, protocol: StatusProtocol, error_handler: Callable[[Exception, Any], Any]
) -> None:
    while not stop_event.is_set():
        frame = await reader.next_frame()
        if frame is None:  # stdin ended
            return
        try:
            protocol.receive(frame)
        except BrokenPipeError:
            raise
        except Exception as error:  # one message's failure must not end the session
            log.exception("unable to handle a message")
            error_handler(error, JsonRpcInternalError)


def serve_stdio(
    server: JsonRPCServer,
    reader: ReadAhead,
    stdout: BinaryIO,
    error_handler: Callable[[Exception, Any], Any],
    answered: startup.EarlyAnswer | None = None,
) -> None:
    """The stdio loop (in place of pygls' ``run_async``), reading through ``reader`` so that waiting
    messages (cancels, superseding changes) can be seen before a request is started, and handing
    each frame to :meth:`StatusProtocol.receive`. Returns when the client exits or hangs up.
    ``answered``: the ``initialize`` (the first frame in ``reader``) already answered."""
    protocol = server.protocol
    assert isinstance(protocol, StatusProtocol)
    protocol.read_ahead = reader
    protocol.answered_early = answered
    # start_io would make the same event but also its own stdin reader; pygls' shutdown() (on exit)
    # ends the loop through it.
    server._stop_event = stop_event = threading.Event()
    protocol.set_writer(StdoutWriter(stdout))
    try:
        asyncio.run(_read_loop(stop_event, reader, protocol, error_handler))
    except BrokenPipeError:
        log.error("the client closed its end of the pipe; shutting down")
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.shutdown()


check_pygls()
