"""What the cursor is typing in Python, read from the line before it (no parse: the token being typed
is usually too incomplete for one). Completion asks two questions: is the cursor after a status
library's namespace (``HTTPStatus.NO|``), and is it typing a number where a status code goes
(``abort(4|``)? Both judge with the detector's own vocabulary.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Mapping

from http_status_ls.core.text_scan import python_line_state
from http_status_ls.detect.python.vocabulary import (
    COLLECTION_CALLS,
    STATUS_ATTRIBUTES,
    is_status_name,
    keyword_status,
    positional_status,
)

_DOTTED_BEFORE = re.compile(r"(?<![\w.])([^\W\d]\w*(?:\.[^\W\d]\w*)*)\.(\w*)$")


def namespace_before(line_text: str, col: int, namespaces: Mapping[str, str]) -> tuple[str, str] | None:
    """(library, typed prefix) when the cursor at code-point ``col`` follows ``<namespace>.`` and an
    optional identifier prefix: ``abort(HTTPStatus.NO|`` -> ("http.HTTPStatus", "NO")."""
    before = line_text[: max(0, min(col, len(line_text)))]
    match = _DOTTED_BEFORE.search(before)
    if match is None:
        return None
    library = namespaces.get(match[1])
    if library is None or python_line_state(before[: match.start()]).ends_in != "code":
        return None
    return library, match[2]


_TYPED_NUMBER = re.compile(r"(?<![\w.])\d{0,3}$")
_NAME_EQUALS = re.compile(r"(?:[^\W\d][\w.]*\.)?([^\W\d]\w*)\s*(?::[^=]*)?(?<![=!<>])=$")
_STRING_KEY_COLON = re.compile(r"""['"]([^'"]+)['"]\s*:$""")
_COMPARED = re.compile(
    r"""(?:\.(\w+)|(?<![\w.])([^\W\d]\w*)|\[\s*['"](\w+)['"]\s*\]|\.(getcode)\(\s*\))\s*(==|!=|<=|>=|<|>|\bin|\bnot\s+in)$"""
)
_CALLEE_BEFORE = re.compile(r"(?:^|[^\w.])(?:[^\W\d][\w]*\.)*([^\W\d]\w*)$")
_RETURN = re.compile(r"\s*return\s")
_RESPONSES_EQUALS = re.compile(r"(?<![\w.])responses\s*=$")
_ENDS_WITH_RETURN = re.compile(r"(?:^|\s)return$")


def _segment_is_status(segment: str, callee: str | None) -> bool:
    """Whether ``segment`` (ending right where the number goes) puts the number in a status spot."""
    segment = segment.strip()
    if not segment:
        return False
    if match := _NAME_EQUALS.fullmatch(segment):
        name = match[1]
        if callee is not None:
            return keyword_status(name, callee) is not None
        return is_status_name(name)
    if match := _COMPARED.search(segment):
        attribute, name, key, getcode = match[1], match[2], match[3], match[4]
        if attribute is not None:
            return attribute in STATUS_ATTRIBUTES or is_status_name(attribute)
        if getcode is not None:
            return True
        return is_status_name(name or key or "")
    return False


def _callee_before(prefix: str) -> str | None:
    """The called name when an opening parenthesis follows ``prefix``; None for ``if (``, ``x + (``."""
    match = _CALLEE_BEFORE.search(prefix)
    if match is None or keyword.iskeyword(match[1]):
        return None
    return match[1]


def _holder_is_status(holder: str) -> bool:
    """For a collection opened right after ``holder``: does it hold status codes?
    (``status_forcelist=[``, ``resp.status in (``, ``RETRY_STATUSES = {``)."""
    state = python_line_state(holder)
    brackets, commas = state.brackets, state.commas
    if not brackets:
        return _segment_is_status(holder[commas[-1] + 1 :] if commas else holder, None)
    position, char = brackets[-1]
    segment = holder[(commas[-1] if commas else position) + 1 :]
    callee = _callee_before(holder[:position]) if char == "(" else None
    if callee in COLLECTION_CALLS and not segment.strip():
        return _holder_is_status(holder[:position].rstrip()[: -len(callee)])  # frozenset([4|
    return _segment_is_status(segment, callee)


def _statement_level_status(head: str, commas: tuple[int, ...]) -> bool:
    """A number typed outside any bracket: ``status_code = 4|``, ``return body, 4|`` (only the
    second element of the tuple)."""
    if _RETURN.match(head):
        return len(commas) == 1 and head[: commas[0]].strip() != "return" and head[commas[0] + 1 :].strip() == ""
    return not commas and _segment_is_status(head, None)


def status_literal_context(text_before_cursor_on_line: str) -> bool:
    """Whether the cursor is typing a number where a status code goes: ``abort(4``, ``status_code=4``,
    ``status=``, ``return body, 4``, ``resp.status_code == 2``; not ``timeout=3``."""
    before = text_before_cursor_on_line
    typed = _TYPED_NUMBER.search(before)
    if typed is None:
        return False
    state = python_line_state(before)
    if state.ends_in != "code":
        return False
    # The typed digits are code, so the line before them has the same brackets and commas.
    head = before[: typed.start()]
    brackets, commas = state.brackets, state.commas
    if not brackets:
        return _statement_level_status(head, commas)
    position, char = brackets[-1]
    segment = head[(commas[-1] if commas else position) + 1 :]
    holder = head[:position].rstrip()
    if char == "(" and (callee := _callee_before(head[:position])) is not None:
        if segment.strip():
            return _segment_is_status(segment, callee)
        return positional_status(callee, len(commas), None, head.lstrip().startswith("@")) is not None
    if char == "{" and ":" in segment:
        key = _STRING_KEY_COLON.search(segment.strip())  # {"statusCode": 4|
        return key is not None and is_status_name(key[1])
    if segment.strip():
        return _segment_is_status(segment, None)  # (resp.status_code == 4|
    if char == "{" and _RESPONSES_EQUALS.search(holder):
        return True  # responses={4|  (a key)
    if char == "(" and _ENDS_WITH_RETURN.search(holder):
        return len(commas) == 1  # return (body, 4|
    return _holder_is_status(holder)
