"""Completion in an OpenAPI ``responses`` object: the response keys not there yet, each inserted
with a value to fill in.

The key being typed is usually too incomplete to parse, so the analysis gives the responses
objects (their spans, their keys, the column of their keys) and the raw lines say the rest: in a
block-style YAML mapping, whether the cursor's indent makes it a key of the block above; in JSON or
a YAML flow mapping, whether the cursor is at a key position (after ``{`` or ``,``) of the object.

What is inserted has to come out right in every client, including those that use less of the item
than the server sends:

- The label is the key as it will be written, quoted, with its colon (``'404':``). A client that
  inserts only a word of the item (Neovim's ``vim.lsp.omnifunc`` with ``<C-x><C-o>``, which never
  expands snippets: it inserts the label of a snippet item whose label starts with what was typed,
  else its filter text) then still leaves a valid, quoted key.
- The lines after the first are indented relative to the line the item is accepted on when the
  client will add that line's indentation itself, absolute when it inserts them as they are (see
  `_indent_following_lines`).
- No snippet syntax for a client without snippet support.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from lsprotocol import types

from http_status_ls.core.occurrences import Analysis, ResponsesBlock, Span
from http_status_ls.core.positions import RangeMaker
from http_status_ls.core.text_scan import json_scan
from http_status_ls.features.completion_items import COMMON_CODES, CompletionSupport, code_rank, completion_item
from http_status_ls.kb import registry

# What may be typed of a new key before the cursor: a quote, then letters and digits.
_BLOCK_KEY_TYPED = re.compile(r"([ \t]*)(['\"]?)([0-9A-Za-z]*)")
_FLOW_KEY_TYPED = re.compile(r"(['\"]?)([0-9A-Za-z]*)$")

_RECENT_BLOCKS = 8
"""How many of the block-style responses objects above the cursor a new key may belong to."""


@dataclass(frozen=True, slots=True)
class _KeySlot:
    """Where a new response key is being typed."""

    block: ResponsesBlock
    start: int
    """Column where the typed key (with its opening quote) starts."""
    end: int
    """Column where the replaced text ends (after an auto-closed quote, if any)."""
    quote: str
    typed: str
    indent: str
    step: str
    whole_entry: bool
    """Insert the key with a value scaffold; False when the line already has the ``:`` and value."""
    comma_before: tuple[int, int] | None = None
    comma_after: bool = False


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A key a responses object may get: a code, ``default`` or a range."""

    key: str
    phrase: str
    detail: str
    data: dict[str, Any]
    """Which documentation goes with it (see `completion_items.resolve`)."""
    kind: types.CompletionItemKind


def complete_response_key(
    analysis: Analysis, lines: Sequence[str], line: int, col: int, support: CompletionSupport, to_range: RangeMaker
) -> types.CompletionList | None:
    """The response keys to offer at (line, col), when a new key of a responses object is typed there."""
    slot = _flow_slot(analysis, lines, line, col) or _yaml_slot(analysis, lines, line, col)
    if slot is None:
        return None
    json = analysis.language == "json"
    snippet = support.snippets and slot.whole_entry
    relative, insert_mode = _indent_following_lines(support, snippet=snippet)
    present = _present_keys(slot.block)
    edit_range = to_range(Span(line, slot.start, line, slot.end))
    additional = None
    if slot.comma_before is not None and slot.whole_entry:
        at = Span(slot.comma_before[0], slot.comma_before[1], slot.comma_before[0], slot.comma_before[1])
        additional = [types.TextEdit(range=to_range(at), new_text=",")]
    items = []
    for rank, candidate in enumerate(_candidates(openapi3=not (analysis.openapi or "").startswith("2"))):
        if candidate.key in present:
            continue
        description = candidate.phrase if candidate.data.get("doc") == "code" else _scaffold_description(candidate.data)
        new_text = _entry_text(slot, candidate.key, description, json=json, snippets=snippet, relative=relative)
        items.append(
            completion_item(
                support,
                label=_label(slot, candidate.key),
                detail=candidate.detail,
                short="",
                description=candidate.phrase,
                data=candidate.data,
                sort=rank,
                kind=candidate.kind,
                edit_range=edit_range,
                new_text=new_text,
                filter_text=_filter_text(slot, candidate),
                snippet=snippet,
                additional=additional,
                insert_mode=insert_mode if "\n" in new_text else None,
            )
        )
    return types.CompletionList(is_incomplete=False, items=items)


# --- where the key is typed ------------------------------------------------------------------


def _line_text(lines: Sequence[str], line: int) -> str:
    return lines[line].rstrip("\r\n") if line < len(lines) else ""


def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _blank(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def _past_closing_quote(line_text: str, col: int, quote: str) -> tuple[int, str]:
    """Where the replaced text ends, and what follows it on the line: an auto-closed quote right
    after the cursor is replaced too."""
    rest = line_text[col:]
    if quote and rest.startswith(quote):
        return col + 1, rest[1:]
    return col, rest


def _yaml_slot(analysis: Analysis, lines: Sequence[str], line: int, col: int) -> _KeySlot | None:
    """A key typed in a block-style YAML responses object above the cursor."""
    line_text = _line_text(lines, line)
    match = _BLOCK_KEY_TYPED.fullmatch(line_text[:col])
    if match is None:
        return None
    block = _block_above(analysis, lines, line, len(match[1]))
    if block is None:
        return None
    quote = match[2]
    end, rest = _past_closing_quote(line_text, col, quote)
    owner_indent = block.span.start_col
    key_indent = block.key_indent
    step = key_indent - owner_indent if key_indent is not None and key_indent > owner_indent else 2
    return _KeySlot(
        block=block,
        start=len(match[1]),
        end=end,
        quote=quote or next((k.text[0] for k in block.keys if k.quoted), "'"),
        typed=match[2] + match[3],
        indent=match[1],
        step=" " * step,
        whole_entry=not rest.strip().startswith(":"),
    )


def _block_above(analysis: Analysis, lines: Sequence[str], line: int, indent: int) -> ResponsesBlock | None:
    """The block-style responses object, among the last few above ``line``, that a key indented by
    ``indent`` on that line would belong to."""
    blocks = [b for b in analysis.detection.responses if not b.flow and b.span.start_line < line]
    for block in reversed(blocks[-_RECENT_BLOCKS:]):
        owner_indent = block.span.start_col
        if block.key_indent is not None:
            if indent != block.key_indent:
                continue
        elif indent <= owner_indent:
            continue
        # Everything between the block's last line and the cursor must still belong to the block.
        if any(not _blank(lines[i]) and _indent_of(lines[i]) <= owner_indent for i in range(block.span.end_line + 1, line)):
            continue
        return block
    return None


def _next_significant(lines: Sequence[str], line: int, col: int, limit: int = 2000) -> str:
    """The first character after (line, col) that is not blank or in a ``//`` comment line."""
    for number in range(line, min(len(lines), line + limit)):
        text = lines[number][col if number == line else 0 :]
        stripped = text.lstrip()
        if stripped.startswith("//"):
            continue
        if stripped:
            return stripped[0]
    return ""


def _flow_slot(analysis: Analysis, lines: Sequence[str], line: int, col: int) -> _KeySlot | None:
    """A key typed in a JSON object or YAML flow mapping that holds the cursor."""
    line_text = _line_text(lines, line)
    match = _FLOW_KEY_TYPED.search(line_text[:col])
    if match is None:
        return None
    typed_start = match.start()
    for block in analysis.detection.responses:
        span = block.span
        if not block.flow or not span.contains(line, col) or (line, col) == (span.start_line, span.start_col):
            continue
        depth, last, in_string = json_scan(lines, (span.start_line, span.start_col), (line, typed_start))
        if in_string or depth != 1 or last is None:
            continue
        comma_before = None
        if last[0] not in "{,":
            if last[0] == ":":
                continue  # a value position, not a key
            comma_before = (last[1], last[2] + 1)
        quote = match[1]
        end, rest = _past_closing_quote(line_text, col, quote)
        after = _next_significant(lines, line, end)
        leading = line_text[: _indent_of(line_text)]
        return _KeySlot(
            block=block,
            start=typed_start,
            end=end,
            quote=quote or ('"' if analysis.language == "json" else "'"),
            typed=match[0],
            indent=leading,
            step="\t" if "\t" in leading else "  ",
            whole_entry=not rest.strip().startswith(":"),
            comma_before=comma_before,
            comma_after=after not in ("}", "", ","),
        )
    return None


# --- what is offered -------------------------------------------------------------------------


def _present_keys(block: ResponsesBlock) -> set[str]:
    """The keys the object has already, as they are offered (``'0200'`` is ``200``)."""
    present = set()
    for key in block.keys:
        value = key.value if key.value is not None else key.text.strip("'\"")
        present.add(str(int(value)) if value.isdigit() else value)
    return present


def _candidates(*, openapi3: bool) -> list[_Candidate]:
    """Every key, in the order offered: the common codes, ``default`` and the ranges (OpenAPI 3
    only), then the other standard codes."""
    reg = registry.load()
    candidates = []
    for code in code_rank():
        entry = reg.entry(code)
        phrase = entry.phrase if entry else ""
        candidates.append(
            _Candidate(str(code), phrase, f"{code} {phrase}", {"doc": "code", "code": code}, types.CompletionItemKind.Value)
        )
    extras = [
        _Candidate(
            "default",
            "Any other response",
            "default: every status not listed",
            {"doc": "default"},
            types.CompletionItemKind.Keyword,
        )
    ]
    if openapi3:
        extras += [
            _Candidate(
                f"{klass.digit}XX",
                f"Any {klass.title} code",
                f"{klass.digit}XX: any {klass.digit}xx {klass.title} code",
                {"doc": "class", "digit": klass.digit},
                types.CompletionItemKind.Constant,
            )
            for klass in reg.classes
        ]
    common = sum(1 for c in COMMON_CODES if reg.entry(c))
    candidates[common:common] = extras
    return candidates


def _scaffold_description(data: dict[str, Any]) -> str:
    """The description a ``default`` or range entry is inserted with."""
    if data.get("doc") == "default":
        return "Unexpected error"
    klass = registry.load().status_class(int(data.get("digit", 0)))
    return f"{klass.title} response" if klass else "Response"


# --- what is inserted ------------------------------------------------------------------------


def _indent_following_lines(support: CompletionSupport, *, snippet: bool) -> tuple[bool, types.InsertTextMode | None]:
    """Whether the lines after the first are written relative to the line the item is accepted on,
    and the ``insertTextMode`` to send with a multi-line item.

    With ``adjustIndentation`` the client gives every following line the indentation of that line,
    so the server leaves it out; with ``asIs`` the client inserts the lines as they are, so the
    server puts it in. A snippet is always written relative, because snippet engines re-indent it
    whatever the client declares: VS Code adjusts unless told ``asIs``; Neovim's
    ``vim.snippet.expand`` prepends the current line's leading whitespace to every line after the
    first (Neovim 0.11 declares no ``insertTextMode`` and ignores it); blink.cmp and nvim-cmp declare
    ``asIs`` yet hand snippets to ``vim.snippet.expand`` or the user's snippet engine. Plain text
    goes in as it is (Eglot inserts ``newText`` verbatim; Neovim's omnifunc only its first word)
    unless the client declares that it adjusts."""
    adjust = types.InsertTextMode.AdjustIndentation
    if snippet:
        return True, adjust if support.insert_adjusts else None
    if support.insert_as_is:
        return False, types.InsertTextMode.AsIs
    adjusts = support.default_insert_mode == adjust or (support.insert_adjusts and support.default_insert_mode is None)
    return adjusts, adjust if adjusts and support.insert_adjusts else None


def _label(slot: _KeySlot, key: str) -> str:
    """The key as it will be written: quoted as the object's keys are, with the colon when the
    whole entry is inserted."""
    return f"{slot.quote}{key}{slot.quote}" + (":" if slot.whole_entry else "")


def _filter_text(slot: _KeySlot, candidate: _Candidate) -> str:
    """What the typed text is matched against. Clients match the text of the edit range, which
    starts with the quote the user typed, if any; the phrase lets fuzzy filters find a code by name.

    Where the user typed the start of a key without a quote, Neovim's omnifunc inserts the filter
    text instead of the label (which does not start with what was typed): there it is only the key
    and its colon, so that what lands is still a key (which a quick fix then quotes)."""
    opener = slot.typed[:1] if slot.typed[:1] in ("'", '"') else ""
    if slot.typed and not opener:
        return candidate.key + (":" if slot.whole_entry else "")
    return f"{opener}{candidate.key} {candidate.phrase}"


def _snippet_escape(text: str) -> str:
    return re.sub(r"([$}\\])", r"\\\1", text)


def _yaml_scalar(text: str) -> str:
    return f'"{text}"' if re.search(r"[:#'\"{}\[\],&*!|>%@`]", text) or not text else text


def _entry_text(slot: _KeySlot, key: str, phrase: str, *, json: bool, snippets: bool, relative: bool) -> str:
    """The key, quoted as the object's keys are, and (for a whole entry) a value with a description
    to fill in, laid out for JSON, a YAML flow mapping or a YAML block. With ``relative``, the lines
    after the first leave out the indentation of the key's line (the client adds it)."""
    quoted = f"{slot.quote}{key}{slot.quote}"
    if not slot.whole_entry:
        return quoted
    base = "" if relative else slot.indent
    description = _snippet_escape(phrase) if snippets else phrase
    if json:
        value = f'"${{1:{description}}}"' if snippets else f'"{description}"'
        text = f'{quoted}: {{\n{base}{slot.step}"description": {value}\n{base}}}'
        if slot.comma_after:
            text += ","
        return text + ("$0" if snippets else "")
    scalar = _yaml_scalar(phrase)
    value = f"${{1:{_snippet_escape(scalar)}}}" if snippets else scalar
    if slot.block.flow:
        text = f"{quoted}: {{description: {value}}}" + (", " if slot.comma_after else "")
        return text + ("$0" if snippets else "")
    return f"{quoted}:\n{base}{slot.step}description: {value}" + ("$0" if snippets else "")
