"""Text for people: one knowledge-base entry as Markdown (hover, completion docs) or plain text
(terminal, clients without Markdown). Hover and ``explain`` both render through here, so the two
never disagree."""

from __future__ import annotations

import datetime

from http_status_ls.kb import libraries, registry
from http_status_ls.kb.registry import NotStatusCode, StatusClass, StatusEntry

# A library that mirrors another is shown on its source's line instead of a line of its own.
_MIRRORED_BY = {row.mirrors: row.name for row in libraries.LIBRARIES if row.mirrors is not None}
_LOUD = {
    "deprecated": "Deprecated",
    "reserved": "Reserved, unused",
    "obsolete": "Obsolete",
    "provisional": "Provisional registration",
    "unofficial": "Unofficial: not in the IANA registry",
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

    def link(self, text: str, url: str | None) -> str:
        if not url:
            return text
        return f"[{text}]({url})" if self.markdown else f"{text} <{url}>"

    def title(self, text: str) -> None:
        self.blocks.append(f"### {text}" if self.markdown else text)

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

    def render(self) -> str:
        return "\n\n".join(self.blocks)


def _name_of(code: int) -> str:
    entry = registry.load().entry(code)
    return f"{code} {entry.phrase}" if entry else str(code)


def expiry_state(entry: StatusEntry, today: datetime.date | None = None) -> str | None:
    """For a provisional entry: 'expires on D' or 'expired on D' relative to today."""
    if not entry.expires:
        return None
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


def describe_entry(entry: StatusEntry, *, markdown: bool = True) -> str:
    """Everything the knowledge base knows about one code."""
    doc = _Doc(markdown)
    doc.title(f"{entry.code} {entry.phrase}")
    klass = registry.load().status_class(entry.code // 100)
    facts = [f"{entry.status_class} {klass.title}" if klass else entry.status_class, entry.standing]
    if entry.reference:
        facts.append(doc.link(entry.reference, entry.url))
    doc.para(" · ".join(facts) if markdown else " | ".join(facts))
    if entry.aka:
        doc.para("Also called: " + ", ".join(f'"{a}"' for a in entry.aka))
    if loud := standing_line(entry):
        doc.alert(loud)
    doc.para(entry.standing_note or "")
    doc.para(entry.summary)
    doc.para(entry.guidance)
    doc.bullets(
        "Meanings:" if entry.meanings else "Other uses of this number:",
        [
            f"{doc.bold(m.phrase)} ({m.vendor})" + (f": {m.note}" if m.note else "")
            for m in entry.meanings or entry.other_meanings
        ],
    )
    doc.bullets("Not to be confused with:", [f"{doc.bold(_name_of(c.code))}: {c.note}" for c in entry.compare])
    doc.bullets(
        "Headers:",
        [f"{doc.code(h.name)}{' (required)' if h.required else ''}" + (f": {h.note}" if h.note else "") for h in entry.headers],
    )
    doc.para(f"{doc.bold('Body:')} " + ("allowed" if entry.body_allowed else "none: this response must not have content"))
    doc.bullets("Related:", [_name_of(c) for c in entry.related])
    doc.bullets("Python names:", _python_names(doc, entry))
    return doc.render()


def describe_class(status_class: StatusClass, *, markdown: bool = True) -> str:
    """A class of codes, as an OpenAPI ``4XX`` key means it."""
    doc = _Doc(markdown)
    doc.title(f"{status_class.digit}XX {status_class.title}")
    doc.para(status_class.description)
    codes = [e for e in registry.load().entries if e.code // 100 == status_class.digit and e.standing == "standard"]
    doc.para("Registered codes in this class: " + ", ".join(f"{e.code} {e.phrase}" for e in codes))
    return doc.render()


def describe_not_status(item: NotStatusCode, *, markdown: bool = True) -> str:
    """A number that is not an HTTP status code, and what it is instead."""
    doc = _Doc(markdown)
    doc.title(f"{item.code}: not an HTTP status code")
    what = "an HTTP Warning header warn-code" if item.kind == "warn-code" else "outside the valid range 100-599"
    doc.alert(f'{item.code} "{item.name}" is {what}')
    doc.para(item.note)
    if item.vendors:
        doc.para("Used by: " + ", ".join(item.vendors))
    return doc.render()


def describe_unassigned(code: int, *, markdown: bool = True) -> str:
    """A well-formed number with no registered or known meaning, or one out of range."""
    doc = _Doc(markdown)
    if 100 <= code <= 599:
        klass = registry.load().status_class(code // 100)
        doc.title(f"{code}: unassigned")
        doc.alert(f"{code} is not registered with IANA and has no widely known meaning")
        doc.para(
            f"Clients treat an unknown code like the first code of its class ({code // 100}00"
            + (f", {klass.title}" if klass else "")
            + "), so whatever it was meant to say is lost. Use a registered code."
        )
    else:
        doc.title(f"{code}: not a status code")
        doc.alert("HTTP status codes are three digits from 100 to 599")
    return doc.render()


def describe_default(*, markdown: bool = True) -> str:
    """The OpenAPI ``default`` response key."""
    doc = _Doc(markdown)
    doc.title("default")
    doc.para(
        "The response for every status code this operation does not list explicitly. It usually "
        "describes the shared error shape. It does not say which codes occur, so document the ones "
        "clients must handle (404, 409, 422 ...) as their own keys."
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
