"""The hover on a handler's decorator: the codes the handler can produce beside the codes its
OpenAPI operation declares, as a short card (``features.render``'s card budget holds it too).

::

    GET /items/{item_id} · get_item()
    handler: 200, 404, 409 · maybe 422
    openapi.yaml: 200, 404, 4XX
    not declared: 409 · never returned: 410
"""

from __future__ import annotations

from collections.abc import Sequence

from http_status_ls.detect.python.routes import RouteHandler
from http_status_ls.features.code_spec import OUTSIDE_THE_HANDLER, Match, SpecSource, covers

MAX_CODES = 12
"""Codes listed per line; more are counted instead (a card is read at a glance)."""


def _codes(codes: Sequence[str]) -> str:
    shown = ", ".join(codes[:MAX_CODES])
    return shown + (f" (+{len(codes) - MAX_CODES})" if len(codes) > MAX_CODES else "") if codes else "none"


def handler_card(
    handler: RouteHandler, matches: Sequence[Match], candidates: Sequence[SpecSource], *, markdown: bool = True
) -> str:
    """The card for ``handler``: its codes, then per operation it answers the spec's codes and what
    differs; when it answers none, which spec lacks it."""
    code = "`" if markdown else ""
    bold = "**" if markdown else ""
    certain = sorted({p.code for p in handler.produced if p.certain})
    maybe = sorted({p.code for p in handler.produced if not p.certain} - set(certain))
    lines = [f"{bold}{'/'.join(handler.methods)} {handler.written_path or handler.path}{bold} · {code}{handler.function}(){code}"]
    produced = f"handler: {_codes([str(c) for c in certain])}"
    if maybe:
        produced += f" · maybe {_codes([str(c) for c in maybe])}"
    if not handler.complete:
        produced += " · maybe more"
    lines.append(produced)
    for match in matches:
        lines.extend(_operation_lines(handler, match, certain))
    if not matches:
        lines.append(f"not in {candidates[0].name}" if candidates else "no OpenAPI description in the workspace")
    # One paragraph of hard-broken lines, as the status cards are (see features.render).
    return ("  \n" if markdown else "\n").join(lines)


def _operation_lines(handler: RouteHandler, match: Match, certain: Sequence[int]) -> list[str]:
    """The lines of one operation ``handler`` answers: the spec's codes, then what differs."""
    operation = match.operation
    keys = [entry.key for entry in operation.responses]
    lines = [f"{match.spec.name} ({operation.method}): {_codes(keys)}"]
    missing = [str(c) for c in certain if not covers(operation, c)]
    unused = (
        [
            str(e.code)
            for e in operation.responses
            if e.code is not None and e.code not in handler.codes and e.code not in OUTSIDE_THE_HANDLER
        ]
        if handler.complete
        else []
    )
    differs = []
    if missing:
        differs.append(f"not declared: {_codes(missing)}")
    if unused:
        differs.append(f"never returned: {_codes(unused)}")
    if differs:
        lines.append(" · ".join(differs))
    return lines
