"""Status codes in Ansible's conditions: the Jinja expressions of ``when``, ``failed_when``,
``changed_when`` and ``until``.

Ansible users check an HTTP call by registering the ``uri`` module's result and testing its
``status`` (``until: result.status == 200``, ``failed_when: result.status not in [200, 201]``).
This reader finds only that shape: a dotted or subscripted name ending in ``status`` or
``status_code`` (``r.status``, ``item['status']``, ``out.json.status_code``), optionally through
``| int``, compared with ``==`` or ``!=`` to a three-digit number, or tested with ``in`` / ``not
in`` against a list or tuple of them. The number may come first (``200 == r.status``). An ordering
comparison (``r.status >= 500``, ``200 <= r.status < 300``) names a class edge (`Role.BOUND`) or a
code read, as in Python, and only with a number in 100-599. Nothing else in Jinja is guessed at:
``r.rc == 404`` and a bare ``404`` stay silent.

It reads the scalar as written in the source (quotes, ``{{ }}`` and line breaks included), so the
offsets it returns are offsets into that text.
"""

from __future__ import annotations

import re

from http_status_ls.detect.openapi import Found, in_order, ordering_role, status_value

_STATUS_STEP = r"""(?:\.status(?:_code)?|\[\s*(?:'status(?:_code)?'|"status(?:_code)?")\s*\])"""
_OTHER_STEP = r"""(?:\.\w+|\[\s*(?:'[^'\r\n]*'|"[^"\r\n]*"|\d+)\s*\])"""
# A registered result's status: at least one step after the variable's name, the last one `status`
# or `status_code`, and nothing more after it (`r.status.value` is something else).
_SUBJECT = rf"""(?<![\w.\]])[A-Za-z_]\w*{_OTHER_STEP}*?{_STATUS_STEP}(?![\w.\[])"""
# What may sit between the status and its operator: a filter to a number or a string, and the end
# of a `{{ }}` written around the status alone (`'{{ r.status }}' == '200'`).
_AFTER_SUBJECT = r"""(?:\s*\|\s*(?:int|string)\b(?:\(\s*\))?)?(?:\s*\}\}\s*['"]?)?"""
_CODE = r"""(?:(?P<q>['"])(?P<quoted>\d+)(?P=q)|(?P<bare>\d+))(?![\w.])"""

# `==` and `!=` first: `<` alone must not take the start of `<=`.
_OPERATOR = r"""(?P<op>==|!=|<=|>=|<|>)"""
_FORWARD = re.compile(rf"""{_SUBJECT}{_AFTER_SUBJECT}\s*(?:{_OPERATOR}\s*{_CODE}|(?P<member>not\s+in|in)\s*(?P<open>[\[(]))""")
# `200 == r.status`: the number, its operator, and (checked separately) a status right after.
_BACKWARD = re.compile(rf"""(?<![\w.]){_CODE}\s*{_OPERATOR}\s*(?:\{{\{{\s*)?(?={_SUBJECT})""")
_ITEM = re.compile(r"""\s*(?:(['"])(\d+)\1|(\d+))\s*(?:,|(?=[\])]))""")


def condition_codes(text: str) -> list[Found]:
    """The offsets in ``text`` of the status codes an Ansible condition compares a registered
    result's status with, in order; an ordering comparison's code carries its role."""
    if "status" not in text:
        return []
    found: list[Found] = []
    for match in _FORWARD.finditer(text):
        if match.group("member") is None:
            _add_code(match, found)
        else:
            found.extend(_list_codes(text, match.end("open"), match.group("open")))
    for match in _BACKWARD.finditer(text):
        _add_code(match, found)
    return in_order(found)


def _add_code(match: re.Match[str], found: list[Found]) -> None:
    group = "quoted" if match.group("quoted") is not None else "bare"
    code = status_value(match.group(group))
    if code is None:
        return
    operator = match.group("op")
    if operator in ("==", "!="):
        found.append(Found(*match.span(group)))
    elif (role := ordering_role(code)) is not None:  # `r.status >= 500`: 600 is no status
        found.append(Found(*match.span(group), role))


def _list_codes(text: str, start: int, opener: str) -> list[Found]:
    """The codes of the list or tuple whose items start at ``start``; none unless every item is a
    number (``[200, expected]`` is not a list of codes one can read)."""
    closer = "]" if opener == "[" else ")"
    codes: list[Found] = []
    position = start
    while True:
        rest = text[position:].lstrip()
        if rest.startswith(closer):
            return codes
        item = _ITEM.match(text, position)
        if item is None:
            return []
        group = 2 if item.group(2) is not None else 3
        if status_value(item.group(group)) is None:
            return []
        codes.append(Found(*item.span(group)))
        position = item.end()
