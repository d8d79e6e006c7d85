"""The words of a diagnostic: one grammar for every rule, the fix first, within one line.

`diagnostics` decides what is wrong; this module says it. A message is "<what was written>
<verdict>: <what to do>" and fits :data:`MESSAGE_LIMIT` characters, the fix starting within
:data:`FIX_WITHIN` (``tests/unit/features/test_messages.py`` walks every code, name and key through it).
"""

from __future__ import annotations

import datetime
import re

from http_status_ls.core.occurrences import Occurrence
from http_status_ls.features import render
from http_status_ls.kb import registry
from http_status_ls.kb.registry import NotStatusCode, StatusEntry


def title(entry: StatusEntry) -> str:
    """``404 Not Found``; for placeholder phrases the known name first: ``418 I'm a Teapot (Unused)``."""
    if entry.phrase.startswith("(") and entry.aka:
        return f"{entry.code} {entry.aka[0]} {entry.phrase}"
    return f"{entry.code} {entry.phrase}"


# --- messages ------------------------------------------------------------------------------------
#
# One grammar for every rule: "<what was written> <verdict>: <what to do>", e.g. "305 Use Proxy is
# deprecated: use 307 Temporary Redirect" or "420 is unofficial (Twitter and others): use 429 Too
# Many Requests or 424 Failed Dependency". Editors show a diagnostic on one line (Neovim's virtual
# text, Eglot's echo area, VS Code's problems panel) and cut the rest, so the fix comes right after
# the verdict; why it matters is the hover's job and the codeDescription link's. A message is built
# from a few variants, fullest first, and the first that fits is used: the vendors after the first,
# the phrases of the second and later codes to use, then the phrase of the code itself give way
# before the fix does.

MESSAGE_LIMIT = 100
"""The longest message, in characters."""

FIX_WITHIN = 60
"""The fix starts within this many characters, and a code it names (``use 429``) ends within them,
so that a line cut short still shows it."""

NAME_LIMIT = 40
"""A name the user wrote is clipped to this in a message (the libraries' longest has 40)."""

KEY_LIMIT = 24
"""A response key that is not a status code is clipped to this in a message."""

_QUALIFIER = re.compile(r"\s*\([^()]*\)$")


def clip(token: str, limit: int) -> str:
    return token if len(token) <= limit else token[: limit - 1] + "\N{HORIZONTAL ELLIPSIS}"


def _unqualified(text: str) -> str:
    """Without a closing parenthesis: ``Origin Unavailable (1xxx error in body)`` -> ``Origin Unavailable``,
    ``HTTP proxies (informal)`` -> ``HTTP proxies``."""
    return _QUALIFIER.sub("", text)


def short_title(entry: StatusEntry) -> str:
    """``420 Enhance Your Calm``: the code and its phrase without a parenthesised qualifier; a phrase
    that is only a placeholder gives way to the best-known name (``418 I'm a Teapot``) or to nothing
    (``463``)."""
    phrase = _unqualified(entry.phrase) or (entry.aka[0] if entry.aka else "")
    return f"{entry.code} {phrase}" if phrase else str(entry.code)


def suggested_codes(entry: StatusEntry) -> tuple[int, ...]:
    """The codes a message recommends instead of ``entry``: the knowledge base's portable codes, else,
    for a deprecated, reserved or obsolete code, the first standard code it is compared with, which
    its note says covers what people meant (305 -> 307, 418 -> 403). Quick fixes read only the
    portable codes (``data["instead"]``)."""
    if entry.instead:
        return entry.instead
    if entry.standing in ("deprecated", "reserved", "obsolete"):
        reg = registry.load()
        for comparison in entry.compare:
            other = reg.entry(comparison.code)
            if other is not None and other.standing == "standard":
                return (other.code,)
    return ()


def _use(codes: tuple[int, ...], titled: int) -> str:
    """``use 429 Too Many Requests or 424``: the first ``titled`` codes with their phrase."""
    reg = registry.load()
    words = []
    for index, code in enumerate(codes):
        entry = reg.entry(code)
        words.append(short_title(entry) if entry is not None and index < titled else str(code))
    listed = words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"
    return f"use {listed}"


def _use_variants(codes: tuple[int, ...]) -> list[str]:
    """Every code named in full, then only the first, then none."""
    return list(dict.fromkeys(_use(codes, titled) for titled in (len(codes), 1, 0)))


def fit(heads: list[str], fixes: list[str] | None = None, *, lead: int = 0) -> str:
    """The first ``head: fix`` that fits :data:`MESSAGE_LIMIT` with the fix's first ``lead`` characters
    (``use 429``) within :data:`FIX_WITHIN`, trying every fix with the fullest head before a shorter
    head. The last head and fix are short enough for anything the knowledge base holds; a message is
    only ever cut as a last resort."""
    for head in heads:
        for fix in fixes or [""]:
            message = f"{head}: {fix}" if fix else head
            if len(message) <= MESSAGE_LIMIT and (not fix or len(head) + 2 + lead <= FIX_WITHIN):
                return message
    last = f"{heads[-1]}: {fixes[-1]}" if fixes else heads[-1]
    return clip(last, MESSAGE_LIMIT)


def registered_in_class(code: int) -> str:
    return f"use a registered {code // 100}xx code"


def standing_message(entry: StatusEntry, today: datetime.date, *, reading: bool = False) -> str:
    """The message about a code that is not plainly standard: deprecated, reserved, obsolete,
    provisional or unofficial. ``reading``: the program only reads the code someone else sends, so
    the advice is how to treat it, not what to send instead."""
    named, code = short_title(entry), str(entry.code)
    verdict = f"is {entry.standing}"
    codes = suggested_codes(entry)
    fixes = _use_variants(codes) if codes else [registered_in_class(entry.code)]
    lead = len("use 429") if codes else 0
    if reading and codes:
        fixes = [_as_reader(fix, entry.standing) for fix in fixes]
        lead = len(_as_reader("use 429", entry.standing))
    if entry.standing == "unofficial":
        # Who uses the number, not a phrase: an unofficial number has no agreed one (420 is "Enhance
        # Your Calm" to Twitter and "Method Failure" to Spring), and the hover lists each.
        vendors = [_unqualified(vendor) for vendor in entry.vendors]
        heads = [f"{code} {verdict} ({', '.join(vendors)})"] if vendors else []
        if len(vendors) > 1:
            heads += [f"{code} {verdict} ({vendors[0]} and others)", f"{code} {verdict} ({vendors[0]})"]
        if not codes and entry.body == "not-sent":
            fixes = ["only logged, never sent to a client"]
    elif entry.standing == "provisional":
        heads = [f"{named} {verdict}", f"{code} {verdict}"]
        fixes = fixes if codes else ["ensure clients support it"]
        if state := render.expiry_state(entry, today):
            fixes = [f"{fix} ({state})" for fix in fixes] + fixes
    else:
        heads = [f"{named} {verdict}"]
    # The code to use instead must show in full: "use 429" is the lead of the fix.
    return fit([*dict.fromkeys(heads), f"{code} {verdict}"], fixes, lead=lead)


def _as_reader(fix: str, standing: str) -> str:
    """``use 429 ...`` as advice to a program that receives the code: a client cannot choose what
    a server sends, only how to handle it."""
    rest = fix.removeprefix("use ")
    return f"treat it like {rest}" if standing == "unofficial" else f"current senders use {rest}"


def as_written(occurrence: Occurrence, code: int) -> str:
    """The number as the document spells it (``000``, ``0200``), else as a number."""
    if occurrence.value is not None:
        return occurrence.value
    return occurrence.text if occurrence.text.isascii() and occurrence.text.isdigit() else str(code)


def invalid_message(shown: str, code: int, known: NotStatusCode | None) -> str:
    """A number outside 100-599, or a response key with leading zeros."""
    if 100 <= code <= 599:
        return fit([f"{shown} is not an HTTP status code"], [f"write {code}"])  # a key such as '0200'
    verdict = "not an HTTP status code (100-599)"
    if known is None:
        return fit([f"{shown} is {verdict}"])
    heads = [f'{shown} ("{known.name}") is {verdict}', f"{shown} is {verdict}"]
    if known.vendors:
        vendors = " and ".join(_unqualified(vendor) for vendor in known.vendors)
        heads.insert(0, f'{shown} is {vendors}\'s "{known.name}", {verdict}')
    return fit(heads)
