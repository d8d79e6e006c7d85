"""The knowledge base: loads ``data/status-codes.json`` once and answers lookups by code and by name.

Everything the server and the CLI say about a status code comes from here. The data file is the one
reviewable source, read once per process; the entries and the indexes over them (by code, by library
name, derived library spellings) are derived from it the first time each is asked for, and never
stored twice.
"""

from __future__ import annotations

import keyword
import os
from collections.abc import Mapping
from functools import cache, cached_property, partial
from types import MappingProxyType

from http_status_ls.kb import json_text, libraries
from http_status_ls.kb.records import LazyMapping, Record, as_dict

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which `explain` never needs
if TYPE_CHECKING:
    from pathlib import Path  # only data_path() makes one: `explain` is spared importing pathlib
    from typing import Literal
else:  # the aliases stay importable at run time, where only mypy would read what they allow
    Standing = Body = Retry = HeaderLevel = str

if TYPE_CHECKING:
    Standing = Literal["standard", "deprecated", "reserved", "obsolete", "provisional", "unofficial"]
STANDINGS: tuple[str, ...] = ("standard", "deprecated", "reserved", "obsolete", "provisional", "unofficial")

# What a response with the code carries: `allowed` content; `none` (the spec forbids content); `not-sent`
# (the number only ever appears in logs: nothing reaches the client); `replaced` (the server sends
# another response in its place, e.g. nginx's 400 page for 494-497). data/README.md defines them.
if TYPE_CHECKING:
    Body = Literal["allowed", "none", "not-sent", "replaced"]
BODIES: tuple[str, ...] = ("allowed", "none", "not-sent", "replaced")

# What a client does on receiving the code; data/README.md defines each value.
if TYPE_CHECKING:
    Retry = Literal["n/a", "follow", "immediately", "after-fix", "later", "with-backoff", "never"]
RETRIES: tuple[str, ...] = ("n/a", "follow", "immediately", "after-fix", "later", "with-backoff", "never")
_RETRY_BY_CLASS = {1: "n/a", 2: "n/a", 3: "follow", 4: "after-fix", 5: "with-backoff"}

# How strongly the spec asks for a header on a response: MUST, SHOULD (or needed in practice), or neither.
if TYPE_CHECKING:
    HeaderLevel = Literal["required", "recommended", "optional"]
HEADER_LEVELS: tuple[str, ...] = ("required", "recommended", "optional")

# Cacheable by default (heuristically), RFC 9110 Section 15.1, plus 451 (RFC 7725 Section 3).
HEURISTICALLY_CACHEABLE: frozenset[int] = frozenset({200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 451, 501})


class Header(Record):
    """A header that belongs on a response with the code. ``required`` is ``level == "required"``."""

    name: str
    required: bool
    note: str
    level: HeaderLevel | None = None

    def __post_init__(self) -> None:
        if self.level is None:
            object.__setattr__(self, "level", "required" if self.required else "optional")


class Comparison(Record):
    code: int
    note: str


class Meaning(Record):
    """One vendor's (often unofficial) use of a number: its phrase, the gist in a few words
    (``meaning``) and the longer story (``note``)."""

    phrase: str
    vendor: str
    note: str = ""
    meaning: str = ""


class Link(Record):
    """A link to the part of a specification that defines something, e.g. ``RFC 4918 §11.3``."""

    label: str
    url: str


class Code(int):
    """A number that prints the way it is written on a status line: three digits (``000``, not ``0``)."""

    def __str__(self) -> str:
        return f"{int(self):03d}"

    __repr__ = int.__repr__


class NameRef(Record):
    """A library's name for a code, e.g. ``http.HTTPStatus`` / ``NOT_FOUND`` -> 404."""

    library: str
    name: str
    code: int
    deprecated: bool = False
    replacement: str | None = None
    preferred: bool = False
    note: str | None = None
    since: libraries.Version | None = None
    """The version that brought the name, for names only later versions have (``(3, 13)`` for
    ``HTTPStatus.UNPROCESSABLE_CONTENT``); whose version it is, is the library's ``versioning``."""

    @property
    def attribute_access(self) -> bool:
        """Whether ``namespace.<name>`` works (``requests.codes['\\o/']`` only works by item)."""
        return self.name.isidentifier() and not keyword.iskeyword(self.name)


class StatusEntry(Record):
    code: int
    phrase: str
    standing: Standing
    reference: str | None
    url: str | None
    summary: str
    guidance: str
    body: Body
    aka: tuple[str, ...] = ()
    expires: str | None = None
    standing_note: str | None = None
    compare: tuple[Comparison, ...] = ()
    headers: tuple[Header, ...] = ()
    related: tuple[int, ...] = ()
    instead: tuple[int, ...] = ()
    vendor_meanings: tuple[Meaning, ...] = ()
    names: Mapping[str, tuple[NameRef, ...]] = MappingProxyType({})
    # What a short card reads (data/README.md): one sentence, at most three "do" bullets for the
    # sender, extra facts, the caching and retry flags, and the defining section of the spec.
    meaning: str = ""
    do: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    cacheable: bool = False
    retry: Retry = "n/a"
    spec: Link | None = None

    @property
    def status_class(self) -> str:
        return f"{self.code // 100}xx"

    @property
    def registered(self) -> bool:
        return self.standing != "unofficial"

    @property
    def body_allowed(self) -> bool:
        """Whether the response may carry content: only ``allowed``; a code that is never sent, or is
        replaced by another response, has no body of its own."""
        return self.body == "allowed"

    @property
    def meanings(self) -> tuple[Meaning, ...]:
        """An unofficial number's vendor meanings (they are all it has)."""
        return () if self.registered else self.vendor_meanings

    @property
    def other_meanings(self) -> tuple[Meaning, ...]:
        """A registered code's competing vendor uses of the same number."""
        return self.vendor_meanings if self.registered else ()

    @property
    def vendors(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for meaning in self.meanings:
            seen.setdefault(meaning.vendor, None)
        return tuple(seen)

    def names_in(self, library: str) -> tuple[NameRef, ...]:
        return self.names.get(library, ())

    def to_json(self) -> dict:
        """The stable shape that ``http-status-ls list --json`` prints for other tools."""
        return {
            "code": self.code,
            "phrase": self.phrase,
            "aka": list(self.aka),
            "class": self.status_class,
            "standing": self.standing,
            "expires": self.expires,
            "reference": self.reference,
            "url": self.url,
            "summary": self.summary,
            "guidance": self.guidance,
            "standing_note": self.standing_note,
            "vendors": list(self.vendors),
            "meanings": [as_dict(m) for m in self.meanings],
            "other_meanings": [as_dict(m) for m in self.other_meanings],
            "instead": list(self.instead),
            "related": list(self.related),
            "compare": [as_dict(c) for c in self.compare],
            "headers": [as_dict(h) for h in self.headers],
            "body_allowed": self.body_allowed,
            "body": self.body,
            "meaning": self.meaning,
            "do": list(self.do),
            "notes": list(self.notes),
            "cacheable": self.cacheable,
            "retry": self.retry,
            "spec": as_dict(self.spec) if self.spec else None,
            "names": {lib: [ref.name for ref in refs] for lib, refs in self.names.items()},
            "deprecated_names": {
                lib: {ref.name: ref.replacement for ref in refs if ref.deprecated}
                for lib, refs in self.names.items()
                if any(ref.deprecated for ref in refs)
            },
        }


class StatusClass(Record):
    """A class of codes (``4xx``), which is what an OpenAPI ``4XX`` range key means."""

    digit: int
    title: str
    description: str

    @property
    def name(self) -> str:
        return f"{self.digit}xx"


class NotStatusCode(Record):
    """A number people mistake for a status code: Warning warn-codes, out-of-range vendor codes.
    ``code`` is a :class:`Code`, so it prints as written (``000``)."""

    code: int
    kind: str
    name: str
    note: str = ""
    vendors: tuple[str, ...] = ()
    spec: Link | None = None


class Registry:
    """Indexes over the knowledge base. Build it with :func:`load`; it is immutable afterwards.

    Each index is derived from the one loaded data file the first time it is asked for, and kept:
    ``explain 404`` builds the entries it prints and no library index, while the server, which
    asks for everything, pays the same total once."""

    def __init__(self, statuses: list[dict], classes: list[StatusClass], not_status: list[NotStatusCode]):
        self._raw_by_code: dict[int, dict] = {raw["code"]: raw for raw in statuses}
        self._by_code: dict[int, StatusEntry] = {}
        self._classes = {c.digit: c for c in classes}
        self._not_status = {n.code: n for n in not_status}

    def entry(self, code: int) -> StatusEntry | None:
        built = self._by_code.get(code)
        if built is None and (raw := self._raw_by_code.get(code)) is not None:
            # Two threads may build the same entry at once: both results are equal, one is kept.
            built = self._by_code.setdefault(code, _entry(raw))
        return built

    @cached_property
    def entries(self) -> tuple[StatusEntry, ...]:
        """Every entry, by code."""
        return tuple(entry for code in sorted(self._raw_by_code) if (entry := self.entry(code)) is not None)

    @cached_property
    def _by_library(self) -> dict[str, dict[str, NameRef]]:
        by_library: dict[str, dict[str, NameRef]] = {lib: {} for lib in libraries.NAMES}
        for entry in self.entries:
            for library, refs in entry.names.items():
                for ref in refs:
                    by_library.setdefault(library, {})[ref.name] = ref
        return by_library

    @cached_property
    def _by_bare_name(self) -> dict[str, list[NameRef]]:
        by_bare_name: dict[str, list[NameRef]] = {}
        for library in libraries.NAMES:
            for ref in self._by_library[library].values():
                by_bare_name.setdefault(ref.name, []).append(ref)
        return by_bare_name

    def status_class(self, digit: int) -> StatusClass | None:
        return self._classes.get(digit)

    @property
    def classes(self) -> tuple[StatusClass, ...]:
        return tuple(self._classes[d] for d in sorted(self._classes))

    def not_status(self, code: int) -> NotStatusCode | None:
        return self._not_status.get(code)

    @property
    def not_status_codes(self) -> tuple[NotStatusCode, ...]:
        return tuple(self._not_status[c] for c in sorted(self._not_status))

    def resolve(self, library: str, name: str) -> NameRef | None:
        """The code a library name means, e.g. ``resolve("http.HTTPStatus", "NOT_FOUND")``."""
        return self._by_library.get(library, {}).get(name)

    def names_of(self, library: str) -> tuple[NameRef, ...]:
        """Every name of a library, by code, preferred names first and deprecated ones last."""
        refs = self._by_library.get(library, {}).values()
        return tuple(sorted(refs, key=lambda r: (r.deprecated, r.code, not r.preferred, r.name)))

    def names_for(self, name: str) -> tuple[NameRef, ...]:
        """All libraries' names spelled exactly ``name`` (``NOT_FOUND`` is HTTPStatus's and httpx's)."""
        return tuple(self._by_bare_name.get(name, ()))

    def lookup(self, text: str) -> StatusEntry | StatusClass | NotStatusCode | None:
        """What a person may type: ``404``, ``4XX``, ``NOT_FOUND``, ``HTTPStatus.NOT_FOUND``,
        ``status.HTTP_404_NOT_FOUND``, ``requests.codes.not_found``, ``codes['teapot']``."""
        text = text.strip()
        # Read with str methods, not `re`, which `explain` would otherwise import for this alone.
        if 1 <= len(text) <= 3 and text.isdecimal():
            code = int(text)
            return self.entry(code) or self.not_status(code)
        if len(text) == 3 and text[0] in "12345" and text[1] in "xX" and text[2] in "xX":
            return self.status_class(int(text[0]))
        if "[" in text:
            import re

            if m := re.fullmatch(r"""(?:[\w.]*codes)?\[\s*['"](.+)['"]\s*\]""", text):
                ref = self.resolve("requests.codes", m[1])
                return self.entry(ref.code) if ref else None
        name = text.rsplit(".", 1)[-1]
        refs = self.names_for(name) or self.names_for(name.upper()) or self.names_for(name.lower())
        codes = {ref.code for ref in refs}
        if len(codes) == 1:
            return self.entry(codes.pop())
        if len(codes) > 1:
            # The same spelling means different codes in different libraries only in requests.codes
            # (e.g. ``precondition`` is 428 there); prefer the standard library's meaning.
            for library in libraries.NAMES:
                for ref in refs:
                    if ref.library == library:
                        return self.entry(ref.code)
        return None


def _meanings(raw: list[dict] | None) -> tuple[Meaning, ...]:
    return tuple(
        Meaning(phrase=m["phrase"], vendor=m["vendor"], note=m.get("note", ""), meaning=m.get("meaning", "")) for m in raw or ()
    )


def _spec_link(spec: dict | None, reference: str | None, url: str | None) -> Link | None:
    """``{"rfc": 4918, "section": "11.3"}`` -> RFC 4918 §11.3 with its rfc-editor.org anchor; without
    one, the registry's own reference and link (a draft, or an unregistered code's ``None``)."""
    if spec:
        label, link = f"RFC {spec['rfc']}", f"https://www.rfc-editor.org/rfc/rfc{spec['rfc']}"
        if section := spec.get("section"):
            label, link = f"{label} §{section}", f"{link}#section-{section}"
        return Link(label=label, url=link)
    return Link(label=reference, url=url) if reference and url else None


def _header(raw: dict) -> Header:
    # `level` replaced the boolean `required` in the data file; both spellings load.
    level: HeaderLevel = raw.get("level") or ("required" if raw.get("required") else "optional")
    return Header(name=raw["name"], required=level == "required", note=raw.get("note", ""), level=level)


def _listed_name(library: str, name: str, code: int, *, preferred: bool, raw: dict) -> NameRef:
    """A name as the data file lists it, with its note and, for a name only later versions have, the
    version that brought it; the note says so (``Python 3.13+``) unless the data file says more."""
    key = f"{library}.{name}"
    written = raw.get("name_since", {}).get(key)
    since = libraries.parse_version(written) if written is not None else None
    if written is not None and since is None:
        raise ValueError(f"data/status-codes.json: {code} name_since.{key}: {written!r} is not a version")
    row = libraries.BY_NAME.get(library)
    derived = row.versioning.note(since) if since is not None and row is not None and row.versioning is not None else None
    note = raw.get("name_notes", {}).get(key) or derived
    return NameRef(library=library, name=name, code=code, preferred=preferred, note=note, since=since)


def _name_refs(code: int, raw: dict) -> dict[str, tuple[NameRef, ...]]:
    names: dict[str, list[NameRef]] = {}
    for library, listed in raw.get("names", {}).items():
        names[library] = [_listed_name(library, n, code, preferred=i == 0, raw=raw) for i, n in enumerate(listed)]
    for library, renamed in raw.get("deprecated_names", {}).items():
        for old, new in renamed.items():
            names.setdefault(library, []).append(NameRef(library=library, name=old, code=code, deprecated=True, replacement=new))
    # Spellings the libraries generate themselves, derived here so the data file lists each once:
    # case twins (requests' OK beside ok), and the libraries that mirror another one.
    for row in libraries.LIBRARIES:
        if row.case_twins is not None and row.name in names:
            twins = [row.twin_of(r.name) for r in names[row.name]]
            names[row.name] += [NameRef(library=row.name, name=twin, code=code) for twin in twins if twin is not None]
    for row in libraries.LIBRARIES:
        source = row.mirrors
        if source is not None and source in names:
            names[row.name] = [
                NameRef(
                    library=row.name,
                    name=r.name,
                    code=code,
                    deprecated=r.deprecated,
                    replacement=r.replacement,
                    preferred=r.preferred,
                    note=r.note,
                    since=r.since,
                )
                for r in names[source]
            ]
    return {lib: tuple(names[lib]) for lib in libraries.NAMES if lib in names}


def _entry(raw: dict) -> StatusEntry:
    code = raw["code"]
    return StatusEntry(
        code=code,
        phrase=raw["phrase"],
        aka=tuple(raw.get("aka", ())),
        standing=raw["standing"],
        expires=raw.get("expires"),
        reference=raw.get("reference"),
        url=raw.get("url"),
        summary=raw.get("summary", ""),
        guidance=raw.get("guidance", ""),
        standing_note=raw.get("standing_note"),
        compare=tuple(Comparison(code=c["code"], note=c["note"]) for c in raw.get("compare", ())),
        headers=tuple(_header(h) for h in raw.get("headers", ())),
        body=raw.get("body", "allowed"),
        related=tuple(raw.get("related", ())),
        instead=tuple(raw.get("instead", ())),
        # `vendor_meanings` replaced the two lists `meanings` (unofficial codes) and `other_meanings`
        # (registered ones); older files still load.
        vendor_meanings=_meanings(raw.get("vendor_meanings", [*raw.get("meanings", ()), *raw.get("other_meanings", ())])),
        # Derived when first read: `list` never reads them, `explain` only the code it describes.
        names=LazyMapping(partial(_name_refs, code, raw)),
        meaning=raw.get("meaning") or raw.get("summary", ""),
        do=tuple(raw.get("do", ())),
        notes=tuple(raw.get("notes", ())),
        cacheable=raw.get("cacheable", code in HEURISTICALLY_CACHEABLE),
        retry=raw.get("retry", _RETRY_BY_CLASS.get(code // 100, "n/a")),
        spec=_spec_link(raw.get("spec"), raw.get("reference"), raw.get("url")),
    )


def _data_file() -> str:
    package = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    source_tree = os.path.dirname(os.path.dirname(package))
    for candidate in (os.path.join(package, "data", "status-codes.json"), os.path.join(source_tree, "data", "status-codes.json")):
        if os.path.isfile(candidate):
            return candidate
    raise FileNotFoundError("http-status-ls: the knowledge base data/status-codes.json is missing from the installation")


def data_path() -> Path:
    """Where the data file is: inside the installed wheel, else in the source tree (editable install)."""
    from pathlib import Path

    return Path(_data_file())


def load_from(path: str | os.PathLike[str]) -> Registry:
    with open(path, encoding="utf-8") as data:
        raw = json_text.decode(data.read())
    return Registry(
        raw["statuses"],
        [StatusClass(digit=int(c["class"][0]), title=c["title"], description=c["description"]) for c in raw["classes"]],
        [
            NotStatusCode(
                code=Code(n["code"]),
                kind=n["kind"],
                name=n["name"],
                note=n.get("note", ""),
                vendors=tuple(n.get("vendors", ())),
                spec=_spec_link(n.get("spec"), None, None),
            )
            for n in raw["not_status_codes"]
        ],
    )


@cache
def load() -> Registry:
    """The registry, loaded once per process."""
    return load_from(_data_file())
