"""Teachers' and readers' pages in Chromium from file://: assignments with their excerpts and
notes, the overview pages' counts, and the "Search notes" filter.  Expected figures are counted
from the room itself (``load_room``), never written into the test."""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import ROOT, screenshot

from reading_room.room import load_room

pytestmark = pytest.mark.browser
ASSIGNMENT = "assignments/counting-transfers.html"


TEXT_ONLY = """el => { const c = el.cloneNode(true);
    c.querySelectorAll('.rr-ref, .rr-permalink, .rr-sr, .rr-notes').forEach(x => x.remove()); return c.textContent; }"""


def url(site, path):
    return (site / path).as_uri()


def only_file_requests(page):
    outside = [u for u in page.requests if not u.startswith(("file://", "data:", "blob:", "about:"))]
    assert not outside, outside


@pytest.fixture(scope="module")
def room(site):
    return load_room(ROOT)


def test_assignment_shows_its_excerpts_with_their_notes(site, open_page, room):
    page = open_page(url(site, ASSIGNMENT))
    excerpts = page.locator("article .rr-excerpt")
    assert excerpts.count() >= 4
    for i in range(excerpts.count()):
        ex = excerpts.nth(i)
        slug, first = ex.get_attribute("data-source"), ex.get_attribute("data-from")
        block = room.sources[slug].block(first)
        # the excerpt is the seed's text, not a copy
        shown = ex.locator(f"#ex{i + 1}-{first}").evaluate(TEXT_ONLY)
        assert " ".join(block.text.split()) in " ".join(shown.split())
    notes = page.locator("article .rr-excerpt .rr-note")
    assert notes.count() > 0 and notes.first.is_visible()
    ids = page.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)")
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    assert page.locator(".rr-toggle").count() > 0  # one legend with toggles for the whole page
    screenshot(page, "assignment-desktop")
    only_file_requests(page)
    assert not page.errors, page.errors


def test_assignment_rebuttal_link_opens_the_real_source_page(site, open_page):
    page = open_page(url(site, ASSIGNMENT))
    link = page.locator(".rr-excerpt .rr-note[data-kind=rebuttal] .rr-note__link a").first
    href = link.get_attribute("href")
    assert href.startswith("../sources/")
    note_id = href.split("#")[1].split(":~:")[0]
    link.click()
    page.wait_for_url("**/sources/*.html*")
    assert page.locator(f'.rr-note[data-note="{note_id}"]').count() == 1


def test_assignment_on_a_phone_opens_a_note_by_its_number(site, open_page):
    page = open_page(url(site, ASSIGNMENT), width=390, height=844)
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    marker = page.locator(".rr-excerpt .rr-marker").first
    note = page.locator("#note-" + marker.get_attribute("data-ref"))
    assert not note.is_visible()
    marker.click()
    assert note.is_visible()
    screenshot(page, "assignment-phone")


def test_assignments_index_lists_every_assignment(site, open_page):
    page = open_page(url(site, "assignments/index.html"))
    links = page.locator("article table a[href$='.html']:not([href*='sources/'])")
    hrefs = sorted(links.nth(i).get_attribute("href") for i in range(links.count()))
    shipped = sorted(p.stem + ".html" for p in (ROOT / "docs" / "assignments").glob("*.md") if p.stem != "index")
    assert hrefs == shipped
    screenshot(page, "assignments-index")
