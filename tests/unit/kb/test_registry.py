"""The knowledge base against its sources: the IANA registry, the unofficial-code list, the Python
libraries' names, and the running interpreter's own ``http.HTTPStatus``."""

from __future__ import annotations

import csv
import http
import json
import re

import pytest

from http_status_ls.kb import registry
from http_status_ls.kb.libraries import NAMES as LIBRARIES
from http_status_ls.kb.registry import BODIES, STANDINGS
from tests.support.paths import REPO

REFERENCE = REPO.parent / "shared" / "reference"
needs_reference = pytest.mark.skipif(not REFERENCE.is_dir(), reason="shared/reference is not beside the repository")

REG = registry.load()


def _rows(name: str) -> list[dict[str, str]]:
    with open(REFERENCE / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _registered_rows() -> list[dict[str, str]]:
    return [r for r in _rows("iana-status-codes.csv") if "-" not in r["code"] and r["description"] != "Unassigned"]


@needs_reference
def test_every_registered_code_has_its_phrase_and_reference():
    rows = _registered_rows()
    assert len(rows) >= 63
    for row in rows:
        entry = REG.entry(int(row["code"]))
        assert entry is not None, row["code"]
        # The registry's parenthesised annotations ("(OBSOLETED)", "(TEMPORARY - ...)") are standings,
        # not part of the phrase; "(Unused)" is the whole phrase.
        registered = re.sub(r"\s+\((OBSOLETED|TEMPORARY[^)]*)\)$", "", row["description"])
        assert entry.phrase == registered, row
        ref = row["reference"]
        if m := re.match(r"\[RFC(\d+), Section ([\d.]+)\]", ref):
            assert entry.reference == f"RFC {m[1]}, Section {m[2]}"
            assert entry.url == f"https://www.rfc-editor.org/rfc/rfc{m[1]}#section-{m[2]}"
        elif m := re.match(r"\[RFC(\d+)\]", ref):
            assert entry.reference == f"RFC {m[1]}"
            assert entry.url == f"https://www.rfc-editor.org/rfc/rfc{m[1]}"
        else:
            assert entry.reference and entry.reference in ref.strip("[]")
            assert entry.url and entry.url.startswith("https://datatracker.ietf.org/doc/")


@needs_reference
def test_unassigned_ranges_have_only_unofficial_entries():
    registered = {int(r["code"]) for r in _registered_rows()}
    for entry in REG.entries:
        assert (entry.code in registered) == (entry.standing != "unofficial"), entry.code


@pytest.mark.parametrize(
    "code, standing",
    [(104, "provisional"), (305, "deprecated"), (306, "reserved"), (418, "reserved"), (510, "obsolete"), (404, "standard")],
)
def test_standings(code, standing):
    assert REG.entry(code).standing == standing


def test_provisional_104_says_when_it_expires():
    entry = REG.entry(104)
    assert entry.expires == "2026-11-13"
    assert "2026-11-13" in entry.standing_note


@pytest.mark.parametrize(
    "code",
    [218, 419, 420, 430, 440, 444, 449, 450, 460, 463, 464, *range(494, 500), 509, *range(520, 528), 529, 530, 561, 598, 599],
)
def test_unofficial_codes_present_with_vendor(code):
    entry = REG.entry(code)
    assert entry is not None and entry.standing == "unofficial"
    assert entry.vendors and all(entry.vendors)
    assert entry.reference is None and entry.url is None


@needs_reference
def test_every_unofficial_reference_code_is_known():
    for row in _rows("unofficial-status-codes.csv"):
        code = int(row["code"])
        known = REG.entry(code) or REG.not_status(code)
        assert known is not None, row


def test_420_keeps_both_meanings_and_points_to_429():
    entry = REG.entry(420)
    phrases = {m.phrase for m in entry.meanings}
    assert {"Enhance Your Calm", "Method Failure"} <= phrases
    assert any("Twitter" in v for v in entry.vendors) and any("Spring" in v for v in entry.vendors)
    assert 429 in entry.instead


def test_509_points_to_portable_codes():
    assert set(REG.entry(509).instead) & {503, 429}


@pytest.mark.parametrize("code", [110, 111, 112, 113, 199, 214, 299])
def test_warn_codes_are_recorded_as_not_status_codes(code):
    item = REG.not_status(code)
    assert item is not None and item.kind == "warn-code"
    assert "warn" in item.note.lower()
    assert REG.entry(code) is None


def test_every_interpreter_httpstatus_member_resolves_to_its_code():
    for name, member in http.HTTPStatus.__members__.items():
        ref = REG.resolve("http.HTTPStatus", name)
        assert ref is not None and ref.code == member.value, name
        assert REG.resolve("http.client", name).code == member.value


# CPython's phrases differ from the registry's on purpose in these places only: RFC 9110's renames
# (413/414/416/422, CPython < 3.13) and the two "(Unused)" codes CPython still names. Each such
# phrase must be recorded as the entry's `aka`, so a phrase difference is a fact, not an accident.
EXPECTED_PHRASE_DIFFERENCES = {413, 414, 416, 418, 422}


def test_interpreter_phrases_match_or_are_recorded_aliases():
    differing = set()
    for member in http.HTTPStatus:
        entry = REG.entry(member.value)
        if member.phrase != entry.phrase:
            differing.add(member.value)
            assert member.phrase in entry.aka, (member.value, member.phrase)
    assert differing <= EXPECTED_PHRASE_DIFFERENCES


@pytest.mark.parametrize(
    "library, name, code",
    [
        ("requests.codes", "precondition", 428),
        ("requests.codes", "none", 444),
        ("requests.codes", "checkpoint", 103),
        ("requests.codes", "NOT_FOUND", 404),
        ("requests.codes", "\\o/", 200),
        ("httpx.codes", "NOT_FOUND", 404),
        ("httpx.codes", "not_found", 404),
        ("starlette.status", "HTTP_404_NOT_FOUND", 404),
        ("fastapi.status", "HTTP_413_CONTENT_TOO_LARGE", 413),
        ("rest_framework.status", "HTTP_509_BANDWIDTH_LIMIT_EXCEEDED", 509),
        ("aiohttp.web", "HTTPNotFound", 404),
        ("werkzeug.exceptions", "NotFound", 404),
        ("django.http", "HttpResponseNotFound", 404),
        ("http.HTTPStatus", "CONTENT_TOO_LARGE", 413),
        ("http.HTTPStatus", "REQUEST_ENTITY_TOO_LARGE", 413),
    ],
)
def test_library_names(library, name, code):
    ref = REG.resolve(library, name)
    assert ref is not None and ref.code == code


def test_requests_has_no_name_for_508():
    assert not REG.entry(508).names_in("requests.codes")


@pytest.mark.parametrize(
    "old, new",
    [
        ("HTTP_413_REQUEST_ENTITY_TOO_LARGE", "HTTP_413_CONTENT_TOO_LARGE"),
        ("HTTP_414_REQUEST_URI_TOO_LONG", "HTTP_414_URI_TOO_LONG"),
        ("HTTP_416_REQUESTED_RANGE_NOT_SATISFIABLE", "HTTP_416_RANGE_NOT_SATISFIABLE"),
        ("HTTP_422_UNPROCESSABLE_ENTITY", "HTTP_422_UNPROCESSABLE_CONTENT"),
    ],
)
def test_starlette_deprecated_names(old, new):
    for library in ("starlette.status", "fastapi.status"):
        ref = REG.resolve(library, old)
        assert ref.deprecated and ref.replacement == new
        assert REG.resolve(library, new).code == ref.code and not REG.resolve(library, new).deprecated
    # DRF never renamed: its old name is its only name, and not deprecated.
    assert not REG.resolve("rest_framework.status", old).deprecated


@needs_reference
def test_every_reference_library_name_resolves():
    libraries = {
        "http.HTTPStatus (CPython 3.11.7)": "http.HTTPStatus",
        "http.HTTPStatus (CPython >=3.13 / main)": "http.HTTPStatus",
        "starlette.status": "starlette.status",
        "fastapi.status": "fastapi.status",
        "rest_framework.status": "rest_framework.status",
        "requests.codes": "requests.codes",
        "httpx.codes": "httpx.codes",
        "aiohttp.web": "aiohttp.web",
        "werkzeug.exceptions": "werkzeug.exceptions",
        "django.http": "django.http",
    }
    generic = {"HttpResponse", "HttpResponseBase", "FileResponse", "JsonResponse", "StreamingHttpResponse"}
    checked = 0
    for row in _rows("python-status-names.csv"):
        library = libraries.get(row["library"])
        if library is None or not row["code"]:
            continue  # base classes with no fixed status, werkzeug's abort() table
        expression = row["expression"]
        if m := re.fullmatch(r"requests\.codes\['(.*)'\]", expression):
            name = m[1].replace("\\\\", "\\")
        elif m := re.fullmatch(r"getattr\([\w.]+, '(\w+)'\)", expression):
            name = m[1]
        else:
            name = expression.rsplit(".", 1)[-1]
        if name in generic:
            continue  # Django's generic classes default to 200 but take any status: not a name for 200
        ref = REG.resolve(library, name)
        assert ref is not None and ref.code == int(row["code"]), row
        checked += 1
    assert checked > 700


def test_entries_have_the_required_fields():
    for entry in REG.entries:
        assert entry.standing in STANDINGS
        assert entry.phrase and entry.summary and entry.guidance, entry.code
        assert "\n" not in entry.summary and len(entry.summary) <= 160, entry.code
        assert entry.body in BODIES
        if entry.standing != "standard":
            assert entry.standing_note, entry.code
        for code in (*entry.related, *entry.instead, *(c.code for c in entry.compare)):
            assert REG.entry(code) is not None, (entry.code, code)
        assert entry.code not in entry.instead
    for klass in REG.classes:
        assert klass.description and klass.title


@pytest.mark.parametrize(
    "code, header",
    [
        (201, "Location"),
        (301, "Location"),
        (302, "Location"),
        (303, "Location"),
        (307, "Location"),
        (308, "Location"),
        (405, "Allow"),
        (401, "WWW-Authenticate"),
        (407, "Proxy-Authenticate"),
        (429, "Retry-After"),
        (503, "Retry-After"),
        (413, "Retry-After"),
        (206, "Content-Range"),
        (416, "Content-Range"),
    ],
)
def test_headers(code, header):
    assert header in {h.name for h in REG.entry(code).headers}


@pytest.mark.parametrize("code", [100, 101, 103, 204, 304])
def test_no_body(code):
    assert not REG.entry(code).body_allowed


@pytest.mark.parametrize(
    "code, other", [(301, 308), (302, 303), (302, 307), (401, 403), (404, 410), (400, 422), (500, 502), (500, 503), (500, 504)]
)
def test_common_confusions_are_explained_both_ways(code, other):
    assert other in {c.code for c in REG.entry(code).compare}
    assert code in {c.code for c in REG.entry(other).compare}


def test_links_are_well_formed():
    pattern = re.compile(r"https://(www\.rfc-editor\.org/rfc/rfc\d+(#section-[\d.]+)?|datatracker\.ietf\.org/doc/[\w-]+/\d+/)")
    for entry in REG.entries:
        if entry.url is not None:
            assert pattern.fullmatch(entry.url), entry.url


def test_data_file_is_sorted_with_one_entry_per_code():
    raw = json.loads(registry.data_path().read_text(encoding="utf-8"))
    codes = [e["code"] for e in raw["statuses"]]
    assert codes == sorted(set(codes))
    assert [c["class"] for c in raw["classes"]] == ["1xx", "2xx", "3xx", "4xx", "5xx"]


def test_a_name_means_one_code_per_library():
    for library in LIBRARIES:
        seen: dict[str, int] = {}
        for entry in REG.entries:
            for ref in entry.names_in(library):
                assert seen.setdefault(ref.name, entry.code) == entry.code, (library, ref.name)


@pytest.mark.parametrize(
    "text, code",
    [
        ("404", 404),
        ("NOT_FOUND", 404),
        ("HTTP_404_NOT_FOUND", 404),
        ("HTTPStatus.NOT_FOUND", 404),
        ("status.HTTP_422_UNPROCESSABLE_ENTITY", 422),
        ("requests.codes.teapot", 418),
        ("codes['teapot']", 418),
        ("NotFound", 404),
        ("HttpResponseGone", 410),
        ("web.HTTPTooManyRequests", 429),
    ],
)
def test_lookup(text, code):
    assert REG.lookup(text).code == code


def test_lookup_classes_and_unknowns():
    assert REG.lookup("4XX").digit == 4
    assert REG.lookup("5xx").digit == 5
    assert REG.lookup("NOT_A_STATUS") is None
    assert REG.lookup("299").kind == "warn-code"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (" 404 ", 404),
        ("4", None),  # a well-formed number that means nothing: explain says it is unassigned
        ("0404", None),
        ("4Xx", "4xx"),
        ("6XX", None),
        ("4XXX", None),
        ('requests.codes["teapot"]', 418),
        ("codes[ 'im_a_teapot' ]", 418),
        ("codes['no_such_name']", None),
        ("[404]", None),
    ],
)
def test_lookup_reads_numbers_classes_and_items_without_regular_expressions(text, found):
    """The number and class forms are read with str methods, and only a subscript with ``re``:
    each form still means what it did when all three were regular expressions."""
    result = REG.lookup(text)
    shown = result.name if isinstance(result, registry.StatusClass) else getattr(result, "code", None)
    assert shown == found


def test_entries_built_on_demand_are_the_ones_every_index_hands_out():
    """Entries are derived from the data file as they are asked for; whichever way an entry is
    reached first (by code, by name, in the list), the same object is handed out afterwards."""
    fresh = registry.load_from(registry.data_path())
    by_code = fresh.entry(404)
    assert by_code is fresh.entry(404) and by_code is not None and by_code.phrase == "Not Found"
    assert fresh.lookup("NOT_FOUND") is by_code
    listed = {entry.code: entry for entry in fresh.entries}
    assert listed[404] is by_code
    assert [entry.code for entry in fresh.entries] == sorted(
        e["code"] for e in json.loads(registry.data_path().read_text())["statuses"]
    )
    assert all(fresh.entry(code) is entry for code, entry in listed.items())
    assert fresh.entry(999) is None and fresh.entry(299) is None
