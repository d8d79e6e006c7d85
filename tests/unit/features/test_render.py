"""The texts of :mod:`render`: the hover card's layout, part by part, and the full text that
``explain`` prints. The card's size bound is test_hover_card_budget.py's."""

from __future__ import annotations

import re

import pytest

from http_status_ls.features import render
from http_status_ls.kb import registry
from http_status_ls.kb.registry import StatusEntry


def entry(code: int) -> StatusEntry:
    found = registry.load().entry(code)
    assert found is not None
    return found


def card_lines(code: int, **options) -> list[str]:
    return render.card(entry(code), **options).split("  \n")


def test_404_card_part_by_part():
    name = render.LibraryName(ref=registry.load().resolve("http.HTTPStatus", "NOT_FOUND"), namespace="HTTPStatus")
    assert card_lines(404, name=name) == [
        "**404 Not Found**",
        "4xx Client Error · [RFC 9110 §15.5.5](https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5) · cacheable by default",
        "Nothing exists at this URI (or the server will not admit that something does).",
        "• Send 200 with an empty list for an empty collection, not 404",
        "• Use 410 when the removal is deliberate and permanent",
        "• Set `Cache-Control` if it may appear soon: 404 is cacheable by default",
        "Compare: 410 Gone, 405 Method Not Allowed, 403 Forbidden",
        "`HTTPStatus.NOT_FOUND` · more: `http-status-ls explain 404`",
    ]


def test_420_card_gives_each_vendor_one_line_instead_of_the_story():
    lines = card_lines(420)
    assert lines[0] == "**420 Enhance Your Calm** — unofficial"
    assert lines[1] == "4xx Client Error · read as 400 by clients that do not know it"
    assert lines[2:5] == [
        "*Twitter*: rate limited (API v1; now 429)",
        "*Spring Framework*: method failed (WebDAV draft; now 424)",
        "*Shopify*: store locked (until 2018; now 423)",
    ]
    assert lines[-1] == "More: `http-status-ls explain 420`"


@pytest.mark.parametrize(
    ("code", "flags"),
    [
        (204, " · no body · cacheable by default"),
        (304, " · no body"),
        (200, " · cacheable by default"),
        (201, ""),
        (499, " · never sent: logs only"),
        (495, " · client gets another response"),
    ],
)
def test_facts_line_shows_only_the_flags_that_change_behaviour(code, flags):
    facts = card_lines(code)[1]
    spec = entry(code).spec
    expected = f"{code // 100}xx {registry.load().status_class(code // 100).title}"
    if spec is not None:
        expected += f" · [{spec.label}]({spec.url})"
    elif entry(code).body != "not-sent":  # a number only logged never reaches a client to be read
        expected += f" · read as {code // 100}00 by clients that do not know it"
    assert facts == expected + flags


@pytest.mark.parametrize(
    ("code", "title"),
    [
        (305, "**305 Use Proxy** — deprecated"),
        (418, '**418 (Unused)** (also "I\'m a Teapot") — reserved'),
        (422, '**422 Unprocessable Content** (also "Unprocessable Entity")'),
        (306, '**306 (Unused)** (also "Switch Proxy") — reserved'),
    ],
)
def test_title_carries_the_standing_and_one_other_name(code, title):
    assert card_lines(code)[0] == title


def test_provisional_title_says_when_it_expires():
    title = card_lines(104)[0]
    assert title.startswith("**104 Upload Resumption Supported** — provisional, ")
    assert title.endswith(f" on {entry(104).expires}")


def test_card_never_uses_a_heading_a_table_or_html():
    for item in registry.load().entries:
        text = render.card(item)
        outside_code = re.sub(r"`[^`]*`", "", text)
        assert not any(line.lstrip().startswith(("#", "|")) for line in text.splitlines()), item.code
        assert "<" not in outside_code, item.code
        # One paragraph: a blank line or a Markdown list would change how clients lay it out.
        assert "\n\n" not in text and not any(line.startswith(("- ", "* ", "+ ")) for line in text.splitlines())


def test_do_bullets_and_look_alikes_are_capped_at_three():
    for item in registry.load().entries:
        lines = card_lines(item.code)
        assert sum(line.startswith("• ") for line in lines) == min(3, len(item.do)), item.code
        (compare,) = [line for line in lines if line.startswith("Compare: ")] or ["Compare: "]
        assert len([part for part in compare.removeprefix("Compare: ").split(", ") if part]) <= 3


def test_look_alikes_come_from_compare_then_related_without_repeats():
    assert render.look_alikes(entry(509)) == (429, 503, 508)
    assert render.look_alikes(entry(404)) == (410, 405, 403)


def test_deprecated_name_footer_names_its_replacement():
    ref = registry.load().resolve("starlette.status", "HTTP_413_REQUEST_ENTITY_TOO_LARGE")
    footer = card_lines(413, name=render.LibraryName(ref=ref, namespace="status"))[-1]
    assert footer == (
        "`status.HTTP_413_REQUEST_ENTITY_TOO_LARGE` is deprecated: use `HTTP_413_CONTENT_TOO_LARGE` · "
        "more: `http-status-ls explain 413`"
    )


def test_names_reached_by_item_are_spelled_that_way():
    assert render.spell("-o-", "requests.codes") == "requests.codes['-o-']"
    assert render.spell("NotFound", "") == "NotFound"
    assert render.spell("NOT_FOUND", "S") == "S.NOT_FOUND"


def test_plain_text_card_has_no_markup():
    text = render.card(entry(429), markdown=False)
    assert text.splitlines()[0] == "429 Too Many Requests"
    assert "RFC 6585 §4 <https://www.rfc-editor.org/rfc/rfc6585#section-4>" in text
    assert "• Send Retry-After with the wait in seconds or an HTTP date" in text
    assert not any(mark in text for mark in ("**", "`", "*Twitter*", "  \n"))


def test_not_status_card_for_000_prints_the_number_as_written():
    (item,) = [n for n in registry.load().not_status_codes if int(n.code) == 0]
    lines = render.not_status_card(item).split("  \n")
    assert lines[0] == "**000 No response received** — not an HTTP status code"
    assert lines[1] == "outside 100-599 · seen from AWS Elastic Load Balancing"
    assert lines[-1] == "More: `http-status-ls explain 000`"


def test_displayed_text_hides_link_addresses_and_markup():
    text = "**404 Not Found** — x  \n4xx · [RFC 9110 §15.5.5](https://example.org/a#b) · *Twitter*: `codes['-o-']` 2*3"
    assert render.displayed(text) == "404 Not Found — x\n4xx · RFC 9110 §15.5.5 · Twitter: codes['-o-'] 2*3"


# --- the full text -------------------------------------------------------------------------------


def test_full_text_title_is_bold_not_a_heading():
    text = render.describe_entry(entry(404))
    assert text.startswith("**404 Not Found**\n\n")
    assert "###" not in text


def test_full_text_has_the_card_fields():
    text = render.describe_entry(entry(308))
    assert (
        "3xx Redirection · [RFC 9110 §15.4.9](https://www.rfc-editor.org/rfc/rfc9110#section-15.4.9) · cacheable by default"
        in text
    )
    assert "**Do:**\n- Send `Location` with the new URL (a SHOULD; relative references work)" in text
    assert "**Notes:**\n- A `Retry-After` on a redirect" in text
    assert "- `Location` (recommended): " in text
    assert "**A client receiving it:** follow Location rather than repeat the request" in text
    assert "**Other uses of this number:**\n- **Resume Incomplete** (Google (resumable uploads)): " in text


@pytest.mark.parametrize(("code", "body"), [(204, "none: this response must not have content"), (444, "none: the number only")])
def test_full_text_body_kinds(code, body):
    assert f"**Body:** {body}" in render.describe_entry(entry(code))


def test_full_text_says_not_registered_once_for_509():
    text = render.describe_entry(entry(509), markdown=False)
    lowered = text.lower()
    # The standing note and the summary both opened with it; the alert says it for them.
    assert lowered.count("not in the iana registry") == 1
    assert "Unregistered:" not in text


def test_full_text_related_leaves_out_codes_already_compared():
    text = render.describe_entry(entry(404), markdown=False)
    related = text.split("Related:\n", 1)[1].split("\n\n", 1)[0]
    assert related.splitlines() == ["  - 301 Moved Permanently", "  - 308 Permanent Redirect"]


def test_full_text_may_leave_out_python_names():
    assert "Python names" in render.describe_entry(entry(404))
    assert "Python names" not in render.describe_entry(entry(404), python_names=False)


def test_class_card_lists_codes_by_number():
    klass = registry.load().status_class(2)
    short = render.describe_class(klass, verbosity="short")
    assert short.startswith("**2XX Successful**") and "Registered: 200, 201, 202" in short
    assert "200 OK, 201 Created" in render.describe_class(klass)
