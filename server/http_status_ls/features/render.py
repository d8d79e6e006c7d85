"""Text for people: one knowledge-base entry as Markdown (hover, completion docs) or plain text
(terminal, clients without Markdown). Hover and ``explain`` both render through here, so the two
never disagree.

Two lengths:

* the **card** (:func:`card`), what a hover shows by default: a bold title, one facts line, one
  sentence, at most three "do" bullets, the look-alike codes and a footer. It is read at a glance in
  an 80x24 float, so :data:`CARD_BUDGET` bounds it and a test holds every code to that bound;
* the **full text** (:func:`describe_entry`), what ``explain`` prints and what a hover shows with
  ``hover.verbosity = "full"``: the whole story, each part of it told once.

The Markdown is the subset that Neovim, Eglot and VS Code render alike: no headings (some clients
show ``###`` literally, Eglot's echo area drops the line), no tables, no HTML. The card's lines form
one paragraph joined by hard line breaks (two trailing spaces), because a blank line between each
would double its height and a Markdown list would swallow the line after it.
"""

from __future__ import annotations

from http_status_ls.kb import libraries, registry
from http_status_ls.kb.records import Record
from http_status_ls.kb.registry import NameRef, NotStatusCode, StatusClass, StatusEntry

# typing.TYPE_CHECKING without importing typing; datetime waits for the few provisional entries
# that have an expiry date: `explain` of any other code imports neither.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime
    from typing import Literal

    Verbosity = Literal["short", "full"]
else:  # importable at run time (hover re-exports it), where only mypy would read what it allows
    Verbosity = str
"""How much a hover says: the card, or the full text (the ``hover.verbosity`` setting)."""


class Budget(Record):
    chars: int
    lines: int


CARD_BUDGET = Budget(chars=600, lines=10)
"""The most a card may take: what fits an 80x24 float with the code the user is editing still in view."""
CONTESTED_CARD_BUDGET = Budget(chars=800, lines=10)
"""For an unofficial code with competing meanings, each of which gets a line of its own."""

EXPLAIN_COMMAND = "http-status-ls explain"
IANA_REGISTRY = "https://www.iana.org/assignments/http-status-codes"
_DEFAULT_KEY = "The response for every status code this operation does not list explicitly."

# A library that mirrors another is shown on its source's line instead of a line of its own.
_MIRRORED_BY = {row.mirrors: row.name for row in libraries.LIBRARIES if row.mirrors is not None}
_LOUD = {
    "deprecated": "Deprecated",
    "reserved": "Reserved, unused",
    "obsolete": "Obsolete",
    "provisional": "Provisional registration",
    "unofficial": "Unofficial: not in the IANA registry",
}
# The flag the facts line shows for a body kind other than `allowed` (data/README.md).
_BODY_FLAG = {"none": "no body", "not-sent": "never sent: logs only", "replaced": "client gets another response"}
_BODY_FULL = {
    "allowed": "allowed",
    "none": "none: this response must not have content",
    "not-sent": "none: the number only appears in logs, the client receives nothing",
    "replaced": "none of its own: the client receives a different response in its place",
}
_RETRY_FULL = {
    "n/a": "nothing to retry",
    "follow": "follow Location rather than repeat the request",
    "immediately": "the request may be repeated at once, once the stated condition holds",
    "after-fix": "repeating the same request fails the same way: change it first",
    "later": "may succeed after a wait: honour Retry-After when present",
    "with-backoff": "retry idempotent requests with exponential backoff and jitter",
    "never": "no change on the client's side helps",
}


class _Doc:
    """Collects paragraphs and renders them as Markdown or plain text."""

    def __init__(self, markdown: bool):
        self.markdown = markdown
        self.blocks: list[str] = []

    def code(self, text: str) -> str:
        return f"`{text}`" if self.markdown else text

    def bold(self, text: str) -> str:
        return f"**{text}**" if self.markdown else text

    def italic(self, text: str) -> str:
        return f"*{text}*" if self.markdown else text

    def link(self, text: str, url: str | None) -> str:
        if not url:
            return text
        return f"[{text}]({url})" if self.markdown else f"{text} <{url}>"

    def title(self, text: str, tail: str = "") -> str:
        """The first line: bold (a heading is shown literally by some clients); ``tail`` stays plain."""
        line = self.bold(text) + tail
        self.blocks.append(line)
        return line

    def para(self, text: str) -> None:
        if text:
            self.blocks.append(text)

    def alert(self, text: str) -> None:
        self.blocks.append(f"> **{text}**" if self.markdown else f"!! {text}")

    def bullets(self, heading: str, items: list[str]) -> None:
        if not items:
            return
        bullet = "- " if self.markdown else "  - "
        self.blocks.append(self.bold(heading) + "\n" + "\n".join(bullet + item for item in items))

    def _plain(self, text: str) -> str:
        # The data file writes code spans in its prose (`Retry-After`); plain text shows them bare.
        return text if self.markdown else text.replace("`", "")

    def lines(self, lines: list[str]) -> str:
        """Lines kept apart without blank lines between them: Markdown hard breaks."""
        return self._plain(("  \n" if self.markdown else "\n").join(line for line in lines if line))

    def render(self) -> str:
        return self._plain("\n\n".join(self.blocks))


def _name_of(code: int) -> str:
    entry = registry.load().entry(code)
    return f"{code} {entry.phrase}" if entry else str(code)


def expiry_state(entry: StatusEntry, today: datetime.date | None = None) -> str | None:
    """For a provisional entry: 'expires on D' or 'expired on D' relative to today."""
    if not entry.expires:
        return None
    import datetime

    expires = datetime.date.fromisoformat(entry.expires)
    today = today or datetime.date.today()
    return f"{'expired' if expires < today else 'expires'} on {entry.expires}"


def standing_line(entry: StatusEntry) -> str | None:
    """The loud one-liner for anything that is not a plain standard code, or None."""
    if entry.standing == "standard":
        return None
    line = _LOUD[entry.standing]
    if entry.standing == "provisional" and (state := expiry_state(entry)):
        line += f" (temporary IANA registration that {state})"
    if entry.vendors:
        line += f" ({', '.join(entry.vendors)})"
    if entry.instead:
        line += ". Portable instead: " + ", ".join(_name_of(c) for c in entry.instead)
    return line


def standing_label(entry: StatusEntry) -> str | None:
    """The standing in a few words for a title (``unofficial``, ``provisional, expires on D``);
    None for a standard code, which needs no label."""
    if entry.standing == "standard":
        return None
    if entry.standing == "provisional" and (state := expiry_state(entry)):
        return f"provisional, {state}"
    return entry.standing


def _title(doc: _Doc, entry: StatusEntry) -> str:
    tail = f' (also "{entry.aka[0]}")' if entry.aka else ""
    if label := standing_label(entry):
        tail += f" — {label}"
    return doc.title(f"{entry.code} {entry.phrase}", tail)


def _class_name(code: int) -> str:
    klass = registry.load().status_class(code // 100)
    return f"{code // 100}xx {klass.title}" if klass else f"{code // 100}xx"


# Patterns, not compiled ones: `explain` never reads them and is spared importing `re` (re caches them).
_LINK = r"\[([^\]]*)\]\([^)\s]*\)"
_MARKUP = r"(?m)\*\*|(?<!\w)\*|\*(?!\w)|`|  $"


def displayed(text: str) -> str:
    """A card as a reader sees it: without link addresses and Markdown markup, which Neovim, Eglot
    and VS Code all hide. The budget counts these characters."""
    import re

    return re.sub(_MARKUP, "", re.sub(_LINK, r"\1", text))


def budget_of(entry: StatusEntry) -> Budget:
    """An unofficial number that several vendors use, each its own way, gets a line per vendor."""
    contested = not entry.registered and len(entry.vendor_meanings) > 1
    return CONTESTED_CARD_BUDGET if contested else CARD_BUDGET


def look_alikes(entry: StatusEntry, limit: int = 3) -> tuple[int, ...]:
    """The codes people confuse this one with: its comparisons first, then the related codes."""
    seen: dict[int, None] = {}
    for code in (*(c.code for c in entry.compare), *entry.related):
        if code != entry.code:
            seen.setdefault(code, None)
    return tuple(seen)[:limit]


# --- the card ------------------------------------------------------------------------------------


class LibraryName(Record):
    """The name the user's library gives a code, spelled the way their file reaches the library,
    for the card's footer."""

    ref: NameRef
    namespace: str
    """What comes before the name: ``HTTPStatus``, an alias (``S``), ``requests.codes``; empty for
    a name used on its own (werkzeug's ``NotFound``)."""
    alternative: NameRef | None = None
    """Another current spelling in the same library, shown beside a name that only newer versions
    have (``UNPROCESSABLE_ENTITY`` beside ``UNPROCESSABLE_CONTENT``, Python 3.13+)."""


def spell(name: str, namespace: str) -> str:
    """``HTTPStatus.NOT_FOUND``, ``codes['-o-']`` (not an identifier), or ``NotFound`` alone."""
    if not namespace:
        return name
    return f"{namespace}.{name}" if name.isidentifier() else f"{namespace}[{name!r}]"


def _library_name_text(doc: _Doc, shown: LibraryName) -> str:
    ref = shown.ref
    text = doc.code(spell(ref.name, shown.namespace))
    if ref.deprecated:
        # The replacement lives in the same namespace, so it is written without it: the line stays short.
        return text + f" is deprecated: use {doc.code(ref.replacement or '?')}"
    if ref.note and shown.alternative is not None:
        return text + f" ({ref.note}, else {doc.code(shown.alternative.name)})"
    return text + (f" ({ref.note})" if ref.note else "")


def _footer(doc: _Doc, code: object, name: LibraryName | None) -> str:
    more = f"more: {doc.code(f'{EXPLAIN_COMMAND} {code}')}"
    if name is None:
        return more[0].upper() + more[1:]
    return f"{_library_name_text(doc, name)} · {more}"


def _facts(doc: _Doc, entry: StatusEntry) -> str:
    facts = [_class_name(entry.code)]
    if entry.spec is not None:
        facts.append(doc.link(entry.spec.label, entry.spec.url))
    elif not entry.registered and entry.body != "not-sent":
        # RFC 9110 §15: a client treats a code it does not know as the first code of its class.
        facts.append(f"read as {entry.code // 100}00 by clients that do not know it")
    if entry.body in _BODY_FLAG:
        facts.append(_BODY_FLAG[entry.body])
    if entry.cacheable:
        facts.append("cacheable by default")
    return " · ".join(facts)


def _vendor_lines(doc: _Doc, entry: StatusEntry) -> list[str]:
    return [f"{doc.italic(m.vendor)}: {m.meaning or m.phrase}" for m in entry.meanings]


def card(entry: StatusEntry, *, markdown: bool = True, name: LibraryName | None = None) -> str:
    """What a code means at a glance, within :func:`budget_of` (see the module's docstring).

    An unofficial code's vendor lines take the place of its one-sentence meaning: what it means
    depends on who sends it, and each line says so for one sender. ``name`` is the footer's library
    name; None leaves only the way to read more (YAML and JSON have no library)."""
    doc = _Doc(markdown)
    lines = [_title(doc, entry), _facts(doc, entry)]
    if entry.registered or not entry.vendor_meanings:
        lines.append(entry.meaning)
    lines += _vendor_lines(doc, entry)
    lines += [f"• {item}" for item in entry.do[:3]]
    if similar := look_alikes(entry):
        lines.append("Compare: " + ", ".join(_name_of(code) for code in similar))
    lines.append(_footer(doc, entry.code, name))
    return doc.lines(lines)


def not_status_card(item: NotStatusCode, *, markdown: bool = True) -> str:
    """A number that is not an HTTP status code, as a card: what it is instead."""
    doc = _Doc(markdown)
    title = doc.title(f"{item.code} {item.name}", " — not an HTTP status code")
    facts = [f"a {doc.code('Warning')} header warn-code" if item.kind == "warn-code" else "outside 100-599"]
    if item.spec is not None:
        facts.append(doc.link(item.spec.label, item.spec.url))
    if item.vendors:
        facts.append("seen from " + ", ".join(item.vendors))
    return doc.lines([title, " · ".join(facts), item.note, _footer(doc, item.code, None)])


def unassigned_card(code: int, *, markdown: bool = True) -> str:
    """A well-formed number with no registered or known meaning, or one out of range, as a card."""
    doc = _Doc(markdown)
    if 100 <= code <= 599:
        return doc.lines(
            [
                doc.title(str(code), " — unassigned"),
                f"{_class_name(code)} · {doc.link('not in the IANA registry', IANA_REGISTRY)}",
                f"No registered or widely known meaning: clients read it as {_name_of(code // 100 * 100)}.",
                "• Send a registered code that says what you mean",
            ]
        )
    return doc.lines([doc.title(str(code), " — not a status code"), "HTTP status codes are three digits from 100 to 599."])


# --- completion documentation: one to three lines -----------------------------------------------


def brief(entry: StatusEntry, *, markdown: bool = True, name_note: str | None = None) -> str:
    """A completion item's documentation: the title, the meaning and one more line, because a
    completion popup sits over the line being typed and the item's detail already names the code.
    The third line is ``name_note`` (a deprecated or version-bound name says so) or else the first
    thing to do when sending the code."""
    doc = _Doc(markdown)
    lines = [_title(doc, entry), entry.meaning]
    if name_note:
        lines.append(name_note)
    elif entry.do:
        lines.append(f"• {entry.do[0]}")
    return doc.lines(lines)


def name_note(ref: NameRef, *, markdown: bool = True) -> str | None:
    """What a completion item's documentation says about the name itself, if anything."""
    code = _Doc(markdown).code
    if ref.deprecated:
        return f"Deprecated name: use {code(ref.replacement) if ref.replacement else 'the current name'}"
    return f"{code(ref.name)}: {ref.note}" if ref.note else None


def class_brief(status_class: StatusClass, *, markdown: bool = True) -> str:
    """A range key's completion documentation: the class and the first sentence of what it means."""
    doc = _Doc(markdown)
    import re

    first = re.split(r"(?<=[.;])\s+(?=[A-Z])", status_class.description, maxsplit=1)[0]
    return doc.lines([doc.title(f"{status_class.digit}XX {status_class.title}"), first])


def default_brief(*, markdown: bool = True) -> str:
    """The ``default`` key's completion documentation."""
    doc = _Doc(markdown)
    return doc.lines([doc.title("default"), _DEFAULT_KEY])


# --- the full text -------------------------------------------------------------------------------


def _python_names(doc: _Doc, entry: StatusEntry) -> list[str]:
    lines = []
    for library, refs in entry.names.items():
        row = libraries.BY_NAME[library]
        if row.mirrors is not None:
            continue
        mirror = _MIRRORED_BY.get(library)
        label = library + (f" / {mirror}" if mirror is not None and mirror in entry.names else "")
        shown = []
        for ref in refs:
            if row.is_case_twin(ref.name):
                continue  # the case twins of every name (requests' OK beside ok) add nothing to read
            spelled = f"{row.prefix}{ref.name}" if ref.attribute_access else f"codes[{ref.name!r}]"
            text = doc.code(spelled)
            if ref.deprecated:
                text += f" (deprecated, use {doc.code(ref.replacement or '?')})"
            elif ref.note:
                text += f" ({ref.note})"
            shown.append(text)
        if shown:
            lines.append(f"{label}: {', '.join(shown)}")
    return lines


def _full_facts(doc: _Doc, entry: StatusEntry) -> str:
    # The standing is in the title already (a standard code has none to show).
    facts = [_class_name(entry.code)]
    if entry.spec is not None:
        facts.append(doc.link(entry.spec.label, entry.spec.url))
    elif entry.reference:
        facts.append(doc.link(entry.reference, entry.url))
    facts.append("cacheable by default" if entry.cacheable else "not cacheable by default")
    return " · ".join(facts) if doc.markdown else " | ".join(facts)


def _standing_paragraphs(doc: _Doc, entry: StatusEntry) -> None:
    """Why the code is not plainly standard, said once. An unofficial code's story is its vendor
    meanings, listed further down; its standing note tells the same story, so only the
    alternatives are said here."""
    if entry.registered:
        if loud := standing_line(entry):
            doc.alert(loud)
        doc.para(entry.standing_note or "")
        return
    alert = f"{_LOUD['unofficial']}; clients that do not know it read it as {_name_of(entry.code // 100 * 100)}"
    doc.alert(alert)
    if entry.instead:
        doc.para("Portable instead: " + ", ".join(_name_of(c) for c in entry.instead))


def describe_entry(entry: StatusEntry, *, markdown: bool = True, python_names: bool = True) -> str:
    """Everything the knowledge base knows about one code, each part once. ``python_names=False``
    leaves out the libraries' names (a YAML or JSON file uses none of them)."""
    doc = _Doc(markdown)
    _title(doc, entry)
    doc.para(_full_facts(doc, entry))
    if len(entry.aka) > 1:
        doc.para("Also called: " + ", ".join(f'"{a}"' for a in entry.aka))
    _standing_paragraphs(doc, entry)
    # An unofficial code's summary leads with its standing and vendors, both said already; the
    # meaning is the same sentence without them.
    doc.para(entry.summary if entry.registered else entry.meaning)
    doc.para(entry.guidance)
    doc.bullets(
        "Meanings:" if entry.meanings else "Other uses of this number:",
        [
            f"{doc.bold(m.phrase)} ({m.vendor})" + (f": {m.note}" if m.note else f": {m.meaning}" if m.meaning else "")
            for m in entry.vendor_meanings
        ],
    )
    doc.bullets("Do:", list(entry.do))
    doc.bullets("Notes:", list(entry.notes))
    doc.bullets("Not to be confused with:", [f"{doc.bold(_name_of(c.code))}: {c.note}" for c in entry.compare])
    doc.bullets(
        "Headers:",
        [
            f"{doc.code(h.name)}{f' ({h.level})' if h.level != 'optional' else ''}" + (f": {h.note}" if h.note else "")
            for h in entry.headers
        ],
    )
    doc.para(f"{doc.bold('Body:')} {_BODY_FULL[entry.body]}")
    doc.para(f"{doc.bold('A client receiving it:')} {_RETRY_FULL[entry.retry]}")
    compared = {c.code for c in entry.compare}
    doc.bullets("Related:", [_name_of(c) for c in entry.related if c not in compared])
    if python_names:
        doc.bullets("Python names:", _python_names(doc, entry))
    return doc.render()


def describe_class(status_class: StatusClass, *, markdown: bool = True, verbosity: Verbosity = "full") -> str:
    """A class of codes, as an OpenAPI ``4XX`` key means it."""
    doc = _Doc(markdown)
    doc.title(f"{status_class.digit}XX {status_class.title}")
    doc.para(status_class.description)
    codes = [e for e in registry.load().entries if e.code // 100 == status_class.digit and e.standing == "standard"]
    if verbosity == "short":
        doc.para("Registered: " + ", ".join(str(e.code) for e in codes))
    else:
        doc.para("Registered codes in this class: " + ", ".join(f"{e.code} {e.phrase}" for e in codes))
    return doc.render()


def describe_not_status(item: NotStatusCode, *, markdown: bool = True) -> str:
    """A number that is not an HTTP status code, and what it is instead."""
    doc = _Doc(markdown)
    doc.title(f"{item.code} {item.name}", " — not an HTTP status code")
    what = "an HTTP Warning header warn-code" if item.kind == "warn-code" else "outside the valid range 100-599"
    doc.alert(f'{item.code} "{item.name}" is {what}')
    if item.spec is not None:
        doc.para("Defined by " + doc.link(item.spec.label, item.spec.url))
    doc.para(item.note)
    if item.vendors:
        doc.para("Used by: " + ", ".join(item.vendors))
    return doc.render()


def describe_unassigned(code: int, *, markdown: bool = True) -> str:
    """A well-formed number with no registered or known meaning, or one out of range."""
    doc = _Doc(markdown)
    if 100 <= code <= 599:
        doc.title(str(code), " — unassigned")
        doc.alert(f"{code} is not registered with IANA and has no widely known meaning")
        doc.para(
            f"Clients treat an unknown code like the first code of its class, {_name_of(code // 100 * 100)}, "
            "so whatever it was meant to say is lost. Use a registered code."
        )
    else:
        doc.title(str(code), " — not a status code")
        doc.alert("HTTP status codes are three digits from 100 to 599")
    return doc.render()


def describe_default(*, markdown: bool = True) -> str:
    """The OpenAPI ``default`` response key."""
    doc = _Doc(markdown)
    doc.title("default")
    doc.para(
        f"{_DEFAULT_KEY} It usually describes the shared error shape. It does not say which codes occur, "
        "so document the ones clients must handle (404, 409, 422 ...) as their own keys."
    )
    return doc.render()


def describe(text: str, *, markdown: bool = True) -> str | None:
    """What ``explain`` prints for a code, a class or a name; None when nothing matches."""
    found = registry.load().lookup(text)
    if isinstance(found, StatusEntry):
        return describe_entry(found, markdown=markdown)
    if isinstance(found, StatusClass):
        return describe_class(found, markdown=markdown)
    if isinstance(found, NotStatusCode):
        return describe_not_status(found, markdown=markdown)
    if text.strip().isdigit():
        return describe_unassigned(int(text), markdown=markdown)
    if text.strip().lower() == "default":
        return describe_default(markdown=markdown)
    return None
