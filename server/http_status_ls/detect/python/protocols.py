"""Whether a status-line string is HTTP: ``status = "250 OK"`` is an SMTP reply in a mail server.

A number passed to ``abort()`` or set as ``status_code=`` is HTTP by the call it is in, but a string
that starts with three digits is a status line of whatever protocol the code speaks: SMTP, FTP,
NNTP, RTSP and SIP answer with the same shape. So a status line assigned to a status name counts only
when something says HTTP, the nearest signal first:

1. the name says so (``http_status = "200 OK"``);
2. the function it is in calls or receives ``start_response`` (a WSGI application);
3. the functions and classes around it are named for another protocol (``class SMTPHandler``,
   ``def ftp_reply``): not HTTP;
4. the file imports a library of another protocol (``smtplib``, ``aiosmtpd``, ``ftplib``): not HTTP;
5. the file imports an HTTP library (``flask``, ``wsgiref``, ``http.server``, ``requests``) or
   mentions ``start_response``: HTTP;
6. nothing says: not HTTP (precision first; ``start_response("404 Not Found", ...)`` always counts).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from http_status_ls.core.occurrences import Role
from http_status_ls.detect.python.tree import Node, ParsedText
from http_status_ls.detect.python.vocabulary import words
from http_status_ls.kb.libraries import SERVER_PACKAGES

_OTHER_PROTOCOL_MODULES = frozenset(
    {
        "smtplib",
        "smtpd",
        "aiosmtpd",
        "aiosmtplib",
        "ftplib",
        "aioftp",
        "pyftpdlib",
        "nntplib",
        "poplib",
        "imaplib",
        "twisted.mail",
        "twisted.protocols.ftp",
        "salmon",
    }
)
"""Modules (and packages) that speak a protocol with HTTP-shaped status lines, or sit next to one."""

_HTTP_MODULES = frozenset(
    {package.split(".", 1)[0] for package in SERVER_PACKAGES}
    | {
        "http",
        "wsgiref",
        "webob",
        "cherrypy",
        "urllib",
        "urllib3",
        "requests",
        "httpx",
        "httplib2",
        "twisted.web",
        "scrapy",
        "gunicorn",
        "uvicorn",
        "hypercorn",
        "waitress",
    }
)

_OTHER_PROTOCOL_WORDS = frozenset({"smtp", "esmtp", "lmtp", "ftp", "sftp", "nntp", "imap", "mail", "sip", "rtsp"})

_SCOPES = frozenset({"function_definition", "class_definition"})


def _imports_any(modules: Iterable[str], wanted: frozenset[str]) -> bool:
    """Whether one of the imported dotted ``modules`` is, or lies inside, one of ``wanted``."""
    return any(_module_within(module, wanted) for module in modules)


@lru_cache(maxsize=4096)
def _module_within(module: str, wanted: frozenset[str]) -> bool:
    # Cached: files import the same few modules; a frozenset keeps its hash, so the key is cheap.
    parts = module.split(".")
    return any(".".join(parts[:length]) in wanted for length in range(1, len(parts) + 1))


def _scopes(node: Node) -> list[Node]:
    """The function and class definitions around ``node``, innermost first."""
    found = []
    current = node.parent
    while current is not None:
        if current.type in _SCOPES:
            found.append(current)
        current = current.parent
    return found


def status_line_is_http(parsed: ParsedText, string: Node, name: str, modules: Iterable[str]) -> bool:
    """Whether the status line ``string``, assigned to the status name ``name``, is HTTP, given the
    dotted ``modules`` the file imports (see the module docstring for the order of the signals)."""
    if "http" in words(name):
        return True
    scopes = _scopes(string)
    functions = [scope for scope in scopes if scope.type == "function_definition"]
    if functions and b"start_response" in parsed.source[functions[0].start_byte : functions[0].end_byte]:
        return True
    for scope in scopes:
        scope_name = scope.child_by_field_name("name")
        if scope_name is not None and _OTHER_PROTOCOL_WORDS.intersection(words(parsed.text(scope_name))):
            return False
    modules = tuple(modules)
    if _imports_any(modules, _OTHER_PROTOCOL_MODULES):
        return False
    return _imports_any(modules, _HTTP_MODULES) or b"start_response" in parsed.source


def speaks_other_protocol(modules: Iterable[str]) -> bool:
    """Whether a file importing the dotted ``modules`` speaks SMTP, FTP, NNTP or the like."""
    return _imports_any(modules, _OTHER_PROTOCOL_MODULES)


def speaks_http(modules: Iterable[str]) -> bool:
    """Whether a file importing the dotted ``modules`` is HTTP code: it imports an HTTP library and
    nothing that speaks a protocol with three-digit reply codes of its own (SMTP, FTP, NNTP)."""
    modules = tuple(modules)
    return _imports_any(modules, _HTTP_MODULES) and not _imports_any(modules, _OTHER_PROTOCOL_MODULES)


_OTHER_CODE_SIGNS = (
    b"subprocess",
    b"returncode",
    b"errno",
    b"strerror",
    b"connect_ex",
    b"exit",
    b"os.system",
    b"smtp",
    b"ftp",
    b"signal",
)


def other_codes_in_scope(parsed: ParsedText, node: Node) -> bool:
    """Whether the function around ``node`` (the module when there is none) handles codes that are
    not statuses: exit codes, errno values, signals, mail or FTP replies. Asked only for loose
    names such as ``code``, so reading the function's text costs little."""
    functions = [scope for scope in _scopes(node) if scope.type == "function_definition"]
    scope = functions[0] if functions else parsed.root
    text = parsed.source[scope.start_byte : scope.end_byte].lower()
    return any(sign in text for sign in _OTHER_CODE_SIGNS)


_VERSIONS = (b"HTTP/1.1 ", b"HTTP/1.0 ", b"HTTP/2 ", b"HTTP/3 ")
_WRITES = frozenset({"send", "sendall", "write", "writelines", "transport.write"})


def raw_status_line_role(parsed: ParsedText, content: Node, start: int, end: int) -> Role | None:
    """The role of the three digits at ``start:end`` when the string ``content`` begins with an
    HTTP status line (``b"HTTP/1.1 200 OK\\r\\n"``, ``"HTTP/1.0 404"``): sent when the string is
    written to a socket or stream, read otherwise (a parser's test, ``startswith``). The version
    says HTTP whatever the file imports; ``"250 OK"`` has none."""
    if end - start != 3 or not any(content.start_byte + len(version) == start for version in _VERSIONS):
        return None
    if parsed.source[content.start_byte : start] not in _VERSIONS:
        return None
    if end < len(parsed.source) and parsed.source[end] not in b" \\\r\n\"'":
        return None
    string = content.parent
    holder = string.parent if string is not None else None
    call = holder.parent if holder is not None and holder.type == "argument_list" else None
    if call is not None and call.type == "call" and parsed.callee(call) in _WRITES:
        return Role.SENDS
    return Role.READS
