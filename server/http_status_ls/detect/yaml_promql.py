"""Status codes in the PromQL expression of a Prometheus rule (``expr:`` under ``rules:``).

Rules over HTTP metrics pick responses by their code with a label matcher
(``http_requests_total{code="503"}``, Istio's ``response_code="404"``) and the blackbox exporter's
probes compare the code they got (``probe_http_status_code != 200``, ``>= 500``). This reader finds
those two shapes only:

* an exact matcher (``=`` or ``!=``) on a label named for a status (`STATUS_LABELS`) whose value is
  a three-digit code; a regex matcher (``code=~"5.."``) is a pattern, not a code, and is skipped;
* a metric whose name ends in ``status_code``, with or without a selector, compared with a number:
  ``==`` and ``!=`` read a code, an ordering comparison names a class edge (`Role.BOUND`) or reads
  a code, and only in 100-599.

A threshold on anything else (``rate(...) > 500``, ``> 0.05``) is a count and stays silent. Offsets
are offsets into the text as written, so a block scalar (``expr: |``) is read as it stands.
"""

from __future__ import annotations

import re

from http_status_ls.detect.openapi import Found, in_order, ordering_role, status_value

STATUS_LABELS = ("code", "status", "status_code", "http_status", "http_code", "response_code", "http_status_code")
"""Label names that hold a response's status: client_golang's promhttp (``code``), Istio
(``response_code``), and the names Python and Node exporters use (``status``, ``status_code``)."""

_LABEL = re.compile(rf"""(?<![\w.])(?:{"|".join(STATUS_LABELS)})\s*!?=\s*(?P<q>["'`])(?P<code>\d+)(?P=q)""")
# A `status_code` metric, its selector if any (no nested braces in a selector), and the comparison.
_COMPARISON = re.compile(
    r"""(?<![\w:])[A-Za-z_:][\w:]*status_code(?![\w:])(?:\s*\{[^{}]*\})?\s*"""
    r"""(?P<op>==|!=|<=|>=|<|>)\s*(?:bool\s+)?(?P<code>\d+)(?![\w.])"""
)


def promql_codes(text: str) -> list[Found]:
    """The offsets in ``text`` of the status codes a PromQL expression selects or compares, in order;
    an ordering comparison's code carries its role."""
    if "code" not in text and "status" not in text:
        return []
    found: list[Found] = []
    for match in _LABEL.finditer(text):
        if status_value(match.group("code")) is not None:
            found.append(Found(*match.span("code")))
    for match in _COMPARISON.finditer(text):
        code = status_value(match.group("code"))
        if code is None:
            continue
        if match.group("op") in ("==", "!="):
            found.append(Found(*match.span("code")))
        elif (role := ordering_role(code)) is not None:
            found.append(Found(*match.span("code"), role))
    return in_order(found)
