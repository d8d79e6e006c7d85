"""The fields a short hover card reads (meaning, do, notes, cacheable, retry, spec, vendor_meanings,
header levels, body kinds) and the facts a fact check corrected. Each fact has a test that fails on
the old text."""

from __future__ import annotations

import json
import re

import pytest

from http_status_ls.features import render
from http_status_ls.kb import registry
from http_status_ls.kb.registry import BODIES, HEADER_LEVELS, RETRIES

REG = registry.load()

# RFC 9110 Section 15.1 names these as cacheable by default (heuristically); RFC 7725 adds 451.
CACHEABLE_BY_DEFAULT = {200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 451, 501}


def _entry(code: int) -> registry.StatusEntry:
    entry = REG.entry(code)
    assert entry is not None, code
    return entry


def _text(entry: registry.StatusEntry) -> str:
    """Everything the entry says in prose."""
    parts = [entry.summary, entry.meaning, entry.guidance, entry.standing_note or "", *entry.do, *entry.notes]
    parts += [c.note for c in entry.compare] + [h.note for h in entry.headers]
    parts += [f"{m.phrase} {m.meaning} {m.note}" for m in entry.vendor_meanings]
    return "\n".join(parts)


# --- shape of the new fields ----------------------------------------------------------------------


def test_every_entry_has_one_to_three_short_do_bullets():
    for entry in REG.entries:
        assert 1 <= len(entry.do) <= 3, entry.code
        for bullet in entry.do:
            assert len(bullet) <= 90, (entry.code, bullet)
            assert "\n" not in bullet and not bullet.endswith("."), (entry.code, bullet)
            assert bullet[0].isupper(), (entry.code, bullet)


def test_notes_are_short_single_lines():
    for entry in REG.entries:
        for note in entry.notes:
            assert note and "\n" not in note and len(note) <= 200, (entry.code, note)


def test_meaning_is_one_short_sentence():
    for entry in REG.entries:
        assert entry.meaning and len(entry.meaning) <= 160, entry.code
        assert "\n" not in entry.meaning
        assert not re.search(r"[.!?]\s+[A-Z]", entry.meaning), (entry.code, entry.meaning)


def test_meaning_defaults_to_the_summary():
    assert _entry(404).meaning == _entry(404).summary
    assert _entry(420).meaning != _entry(420).summary


def test_vocabularies():
    for entry in REG.entries:
        assert entry.retry in RETRIES, entry.code
        assert entry.body in BODIES, entry.code
        assert isinstance(entry.cacheable, bool)
        for header in entry.headers:
            assert header.level in HEADER_LEVELS, (entry.code, header.name)
            assert header.required == (header.level == "required"), (entry.code, header.name)


def test_cacheable_by_default_is_exactly_rfc_9110_section_15_1():
    assert {e.code for e in REG.entries if e.cacheable} == CACHEABLE_BY_DEFAULT


@pytest.mark.parametrize("code", [204, 206, 414])
def test_204_206_414_are_cacheable_by_default(code):
    entry = _entry(code)
    assert entry.cacheable
    assert "cacheable by default" in entry.guidance


@pytest.mark.parametrize(
    "code, retry",
    [
        (200, "n/a"),
        (103, "n/a"),
        (301, "follow"),
        (304, "n/a"),
        (400, "after-fix"),
        (404, "after-fix"),
        (422, "after-fix"),
        (408, "immediately"),
        (421, "immediately"),
        (425, "immediately"),
        (410, "never"),
        (429, "later"),
        (503, "later"),
        (500, "with-backoff"),
        (502, "with-backoff"),
        (504, "with-backoff"),
        (501, "never"),
        (499, "n/a"),
    ],
)
def test_retry(code, retry):
    assert _entry(code).retry == retry


def test_429_and_503_do_send_retry_after_first():
    for code in (429, 503):
        assert "Retry-After" in _entry(code).do[0]


# --- section-level links --------------------------------------------------------------------------


def test_every_rfc_reference_has_a_section_link():
    for entry in REG.entries:
        if not entry.reference or not entry.reference.startswith("RFC"):
            continue
        rfc = re.match(r"RFC (\d+)", entry.reference)[1]
        assert entry.spec is not None, entry.code
        m = re.fullmatch(rf"RFC {rfc} §(\d+(?:\.\d+)*)", entry.spec.label)
        assert m, (entry.code, entry.spec)
        assert entry.spec.url == f"https://www.rfc-editor.org/rfc/rfc{rfc}#section-{m[1]}", entry.code
        if entry.reference.startswith("RFC 9110, Section "):
            assert entry.spec.url == entry.url  # the registry's own anchor


@pytest.mark.parametrize(
    "code, label",
    [
        (102, "RFC 2518 §10.1"),
        (103, "RFC 8297 §2"),
        (207, "RFC 4918 §11.1"),
        (208, "RFC 5842 §7.1"),
        (226, "RFC 3229 §10.4.1"),
        (308, "RFC 9110 §15.4.9"),
        (416, "RFC 9110 §15.5.17"),
        (422, "RFC 9110 §15.5.21"),
        (423, "RFC 4918 §11.3"),
        (424, "RFC 4918 §11.4"),
        (425, "RFC 8470 §5.2"),
        (428, "RFC 6585 §3"),
        (429, "RFC 6585 §4"),
        (431, "RFC 6585 §5"),
        (451, "RFC 7725 §3"),
        (506, "RFC 2295 §8.1"),
        (507, "RFC 4918 §11.5"),
        (508, "RFC 5842 §7.2"),
        (510, "RFC 2774 §7"),
        (511, "RFC 6585 §6"),
    ],
)
def test_section_links(code, label):
    assert _entry(code).spec.label == label


def test_423_links_to_rfc_4918_section_11_3():
    assert _entry(423).spec.url == "https://www.rfc-editor.org/rfc/rfc4918#section-11.3"


def test_entries_without_a_reference_have_no_spec_and_the_draft_keeps_its_link():
    for entry in REG.entries:
        if entry.reference is None:
            assert entry.spec is None, entry.code
    assert _entry(104).spec.url == _entry(104).url


@pytest.mark.parametrize("code, section", [(110, "5.5.1"), (199, "5.5.5"), (299, "5.5.7")])
def test_warn_codes_link_their_section_of_rfc_7234(code, section):
    assert REG.not_status(code).spec.url == f"https://www.rfc-editor.org/rfc/rfc7234#section-{section}"


# --- vendor meanings --------------------------------------------------------------------------------


def test_vendor_meanings_are_short_and_keep_the_old_readers_working():
    for entry in REG.entries:
        for m in entry.vendor_meanings:
            assert m.vendor and m.phrase and m.meaning and len(m.meaning) <= 60, (entry.code, m)
        if entry.registered:
            assert entry.other_meanings == entry.vendor_meanings and entry.meanings == ()
        else:
            assert entry.meanings == entry.vendor_meanings and entry.other_meanings == ()
            assert entry.vendor_meanings, entry.code


@pytest.mark.parametrize("code", [419, 420, 430, 499])
def test_another_vendors_meaning_is_not_an_also_called(code):
    entry = _entry(code)
    assert not set(entry.aka) & {m.phrase for m in entry.vendor_meanings}
    assert len(entry.vendor_meanings) >= 2
    also_called = [line for line in render.describe_entry(entry, markdown=False).splitlines() if line.startswith("Also called:")]
    for m in entry.vendor_meanings:
        assert not any(f'"{m.phrase}"' in line for line in also_called), (code, m.phrase)


def test_no_unofficial_alias_is_a_vendor_meaning():
    for entry in REG.entries:
        if entry.registered:
            continue
        others = {m.phrase for m in entry.vendor_meanings if m.phrase != entry.phrase}
        assert not set(entry.aka) & others, entry.code


def test_420_vendors():
    entry = _entry(420)
    assert "Method Failure" not in entry.aka
    assert [m.vendor for m in entry.vendor_meanings] == ["Twitter", "Spring Framework", "Shopify"]


def test_nginx_never_sends_498():
    entry = _entry(498)
    assert entry.vendors == ("Esri ArcGIS",)
    assert any("nginx" in note for note in entry.notes)


def test_libraries_only_name_509():
    entry = _entry(509)
    assert not {"Django REST framework", "requests", "Spring Framework"} & set(entry.vendors)
    assert entry.vendors == ("Apache / cPanel",)
    assert any("requests" in n and "Django REST framework" in n for n in entry.notes)


# --- facts a fact check corrected ---------------------------------------------------------------


def test_415_points_to_accept_post_and_accept_patch():
    entry = _entry(415)
    names = [h.name for h in entry.headers]
    assert "Accept" not in names
    assert {"Accept-Post", "Accept-Patch"} <= set(names)
    assert "Accept-Post" in entry.guidance and "Accept-Post" in entry.do[0]
    assert "list acceptable types in `Accept`" not in entry.guidance


def test_416_allows_too_many_or_overlapping_ranges():
    entry = _entry(416)
    assert "overlapping" in entry.summary and "overlapping" in entry.guidance
    assert any("overlap" in bullet for bullet in entry.do)
    assert "only when every requested range is unsatisfiable" not in entry.guidance.lower()
    assert "too many or overlapping" in next(c.note for c in entry.compare if c.code == 206)


def test_204_never_carries_content_length():
    entry = _entry(204)
    assert "Content-Length" not in {h.name for h in entry.headers}
    assert any("no `Content-Length`" in bullet for bullet in entry.do)
    assert "neither `Content-Length`" in entry.guidance
    assert entry.body == "none"


def test_308_was_introduced_by_rfc_7238():
    entry = _entry(308)
    assert "RFC 7238" in entry.guidance
    assert "introduced by RFC 7538" not in _text(entry)


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_location_on_redirects_is_not_required(code):
    entry = _entry(code)
    location = next(h for h in entry.headers if h.name == "Location")
    assert not location.required and location.level == "recommended"
    assert "`Location` (required)" not in render.describe_entry(entry)
    assert "Location (required)" not in render.describe_entry(entry, markdown=False)


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_retry_after_on_redirects_is_mentioned(code):
    assert any("Retry-After" in note for note in _entry(code).notes)


def test_head_responses_carry_no_body():
    entry = _entry(200)
    assert any("HEAD" in note and "body" in note for note in entry.notes)


@pytest.mark.parametrize(
    "code, body", [(444, "not-sent"), (460, "not-sent"), (499, "not-sent")] + [(c, "replaced") for c in range(494, 498)]
)
def test_codes_that_never_reach_a_client_do_not_allow_a_body(code, body):
    entry = _entry(code)
    assert entry.body == body and not entry.body_allowed
    for markdown in (True, False):
        out = render.describe_entry(entry, markdown=markdown)
        assert "Body: allowed" not in out and "Body:** allowed" not in out


def test_409_does_not_put_if_none_match_on_get_under_412():
    note = next(c.note for c in _entry(409).compare if c.code == 412)
    assert "on a write" in note and "304" in note
    assert "(`If-Match`, `If-Unmodified-Since`, `If-None-Match`)" not in note


def test_426_example_is_a_real_upgrade_token():
    entry = _entry(426)
    assert "HTTP/2.0" not in _text(entry)
    upgrade = next(h for h in entry.headers if h.name == "Upgrade")
    assert upgrade.required and "`websocket`" in upgrade.note and "`TLS/1.2`" in upgrade.note


def test_explain_000_has_a_sensible_name():
    item = REG.not_status(0)
    assert str(item.code) == "000" and item.code == 0
    assert len(item.name) <= 40 and not item.name[0].isdigit() and "(" not in item.name
    out = render.describe("000", markdown=False)
    assert out.startswith(f"000 {item.name} — not an HTTP status code\n")
    assert f'000 "{item.name}"' in out
    assert "\n0 " not in out and not out.startswith("0:")


# --- the loader ---------------------------------------------------------------------------------


def test_json_shape_carries_the_new_fields():
    shape = _entry(423).to_json()
    assert shape["spec"] == {"label": "RFC 4918 §11.3", "url": "https://www.rfc-editor.org/rfc/rfc4918#section-11.3"}
    assert shape["retry"] == "later" and shape["cacheable"] is False and shape["do"] and shape["meaning"]
    assert shape["headers"] == [] and shape["body"] == "allowed"
    json.dumps([e.to_json() for e in REG.entries])  # serialisable


def test_loader_reads_the_old_shape_with_sane_defaults(tmp_path):
    legacy = {
        "classes": [{"class": "2xx", "title": "Successful", "description": "d"}],
        "not_status_codes": [{"code": 0, "kind": "out-of-range", "name": "No response received"}],
        "statuses": [
            {
                "code": 206,
                "phrase": "Partial Content",
                "standing": "standard",
                "reference": "RFC 9110, Section 15.3.7",
                "url": "https://www.rfc-editor.org/rfc/rfc9110#section-15.3.7",
                "summary": "Part of it.",
                "guidance": "g",
                "headers": [{"name": "Content-Range", "required": True, "note": "n"}],
                "body": "allowed",
                "other_meanings": [{"phrase": "X", "vendor": "V", "note": "n"}],
            }
        ],
    }
    path = tmp_path / "old.json"
    path.write_text(json.dumps(legacy), encoding="utf-8")
    entry = registry.load_from(path).entry(206)
    assert entry.meaning == "Part of it." and entry.cacheable and entry.retry == "n/a" and entry.do == ()
    assert entry.spec.label == "RFC 9110, Section 15.3.7" and entry.spec.url.endswith("#section-15.3.7")
    assert entry.headers[0].required and entry.headers[0].level == "required"
    assert [m.vendor for m in entry.other_meanings] == ["V"] and entry.meanings == ()


# --- the data file ------------------------------------------------------------------------------

KEY_ORDER = [
    "code", "phrase", "aka", "standing", "expires", "standing_note", "reference", "url", "spec", "summary", "meaning",
    "guidance", "do", "notes", "compare", "headers", "body", "cacheable", "retry", "related", "instead",
    "vendor_meanings", "names", "name_since", "name_notes", "deprecated_names",
]  # fmt: skip


def test_data_file_is_consistently_formatted():
    text = registry.data_path().read_text(encoding="utf-8")
    raw = json.loads(text)
    assert text == json.dumps(raw, indent=2, ensure_ascii=False) + "\n"
    for entry in raw["statuses"]:
        keys = list(entry)
        assert keys == [k for k in KEY_ORDER if k in entry], entry["code"]
        assert "meanings" not in entry and "other_meanings" not in entry, entry["code"]
        for header in entry["headers"]:
            assert list(header) == ["name", "level", "note"], entry["code"]
        for meaning in entry.get("vendor_meanings", ()):
            assert list(meaning) == ["vendor", "phrase", "meaning", "note"], entry["code"]
        for required in ("do", "cacheable", "retry", "body"):
            assert required in entry, (entry["code"], required)


def test_data_file_names_no_machine_paths():
    text = registry.data_path().read_text(encoding="utf-8")
    assert not re.search(r"/(tmp|work|home|Users)/", text)
