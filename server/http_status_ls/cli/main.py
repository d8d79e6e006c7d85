"""The ``http-status-ls`` command: ``explain``, ``list``, and with no command the language server.

Start-up is paid on every run, so each command imports only what it uses: ``--version``,
``explain QUERY``, ``list`` and ``list --json`` are read without an argument parser (argparse is
loaded for help, errors and every other form), ``explain`` and ``list`` never import ``check``
(which brings multiprocessing and the file walker), and the server's own imports wait until it is
chosen. ``tests/unit/cli/test_cold_start.py`` holds what each command may load.
"""

from __future__ import annotations

import os
import sys

from http_status_ls import __version__

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads this name too)
if TYPE_CHECKING:
    import argparse

_COMMANDS = ("explain", "list", "check")


def _parser(with_check: bool = True) -> argparse.ArgumentParser:
    """The command-line parser; ``check``'s options are added only when they may be needed, since
    describing them imports the checker."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="http-status-ls",
        description="HTTP status codes as first-class symbols: a language server and a CLI. "
        "With no command it speaks LSP on stdio.",
        epilog="Language server: http-status-ls [--stdio | --tcp HOST:PORT] [--log-file PATH]",
    )
    parser.add_argument("--version", action="version", version=f"http-status-ls {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    explain = commands.add_parser("explain", help="print everything known about a code, class or name")
    explain.add_argument("query", help="404, 4XX, NOT_FOUND, HTTPStatus.NOT_FOUND, HTTP_404_NOT_FOUND, requests.codes.teapot ...")

    listing = commands.add_parser("list", help="list every entry of the knowledge base")
    listing.add_argument("--json", action="store_true", help="a JSON array for other tools")

    if not with_check:
        return parser
    from http_status_ls.cli import check

    check.add_arguments(commands.add_parser("check", help="report problems in files, for CI and pre-commit"))
    return parser


class _StdioServer:
    """The parsed arguments of ``http-status-ls`` and ``http-status-ls --stdio``."""

    stdio = True
    tcp: str | None = None
    log_file: str | None = None


def _server_parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(prog="http-status-ls", description="Start the language server.")
    transport = parser.add_mutually_exclusive_group()
    transport.add_argument("--stdio", action="store_true", help="speak LSP on stdin/stdout (the default)")
    transport.add_argument("--tcp", metavar="HOST:PORT", help="listen on a TCP socket instead")
    parser.add_argument("--log-file", metavar="PATH", help="write the server log here (default: stderr)")
    return parser


def explain(query: str) -> int:
    from http_status_ls.features import render

    text = render.describe(query, markdown=False)
    if text is None:
        print(
            f"http-status-ls: {query!r} is not a status code, class or known library name (try `http-status-ls list`)",
            file=sys.stderr,
        )
        return 2
    print(text)
    return 0


def list_entries(as_json: bool) -> int:
    from http_status_ls.kb import registry

    entries = registry.load().entries
    if as_json:
        import json  # only here: the knowledge base is read without it, and `list` prints no JSON

        json.dump([e.to_json() for e in entries], sys.stdout, indent=2, ensure_ascii=False)
        print()
        return 0
    for e in entries:
        note = "" if e.standing == "standard" else f"  [{e.standing}{': ' + ', '.join(e.vendors) if e.vendors else ''}]"
        print(f"{e.code}  {e.phrase}{note}")
    return 0


def main(argv: list[str] | None = None) -> int:
    try:
        return _dispatch(sys.argv[1:] if argv is None else argv)
    except BrokenPipeError:
        # `http-status-ls list | head` closed the pipe early: not an error worth a traceback.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps interpreter shutdown from flushing again
        return 0


def _dispatch(argv: list[str]) -> int:
    if argv == ["--version"]:  # the editor extensions ask this on every start: no parser needed
        print(f"http-status-ls {__version__}")
        return 0
    # The plain forms of explain and list, read by hand: building the parser costs more than the
    # answer. Anything else (an option, a missing or extra word) goes to argparse, which says what
    # is wrong exactly as it always has.
    if len(argv) == 2 and argv[0] == "explain" and not argv[1].startswith("-"):
        return explain(argv[1])
    if argv in (["list"], ["list", "--json"]):
        return list_entries(as_json=len(argv) == 2)
    if not argv or argv[0] not in _COMMANDS and argv[0] not in ("-h", "--help", "--version"):
        # How editors start the server, read by hand: the parser would delay the initialize answer.
        args = _StdioServer() if argv in ([], ["--stdio"]) else _server_parser().parse_args(argv)
        # imported here so that `explain` and `list` never pay for it; startup loads pygls itself,
        # once it has answered initialize
        from http_status_ls.lsp.startup import serve

        return serve(args) or 0
    args = _parser(with_check=argv[0] not in ("explain", "list")).parse_args(argv)
    if args.command == "explain":
        return explain(args.query)
    if args.command == "check":
        from http_status_ls.cli import check

        return check.run(args)
    return list_entries(args.json)
