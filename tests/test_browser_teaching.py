"""Teachers' and readers' pages in Chromium from file://: assignments with their excerpts and
notes, the overview pages' counts, and the "Search notes" filter.  Expected figures are counted
from the room itself (``load_room``), never written into the test."""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import ROOT, screenshot
from playwright.sync_api import expect

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
    note = page.locator(".rr-excerpt .rr-note[data-kind=rebuttal]").first
    page.locator(f'.rr-marker[data-ref="{note.get_attribute("data-note")}"]').click()  # a crowded note opens
    link = note.locator(".rr-note__link a")
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


# -- overview pages --------------------------------------------------------------------------------
def curated(room):
    return [p for p in room.resolution.placed if not p.note.suggested]


def test_all_flags_counts_every_note_by_source_and_kind(site, open_page, room):
    page = open_page(url(site, "overview/all-flags.html"))
    expected = Counter((p.note.source, p.note.kind) for p in curated(room))
    shown = page.evaluate("""() => [...document.querySelectorAll('article ul.rr-flags[data-kind]')]
        .filter(ul => !ul.closest('section, [id^=suggested]') && !ul.querySelector('[data-status=suggested]'))
        .map(ul => [ul.dataset.source, ul.dataset.kind, +ul.dataset.count, ul.children.length])""")
    assert {(s, k): n for s, k, n, _ in shown} == dict(expected)
    assert all(n == items for _, _, n, items in shown)
    for (slug, kind), n in expected.items():
        assert page.locator(f'.rr-counts tr[data-source="{slug}"] td[data-kind="{kind}"]').inner_text() == str(n)
    assert page.locator('.rr-counts tr[data-source="all"] td[data-kind="all"]').inner_text() == str(len(curated(room)))
    # a quote's link lands on its highlighted passage
    link = page.locator("ul.rr-flags li a[href*='../sources/']").first
    note_id = link.get_attribute("href").split("#")[1]
    link.click()
    page.wait_for_url(f"**#{note_id}")
    assert page.locator(f"mark#{note_id}").is_visible()


def test_rebuttal_pages_list_every_pair(site, open_page, room):
    pairs = [p for p in curated(room) if p.note.kind == "rebuttal" and p.target]
    number = __import__("re").compile(r"\d|\b(hundred|thousand|million|billion|percent|per cent|dozens?)\b", 2)
    figures = [p for p in pairs if number.search(p.note.selector.exact) or number.search(p.note.target.selector.exact)]
    for path, expected in (("overview/rebuttals.html", pairs), ("overview/disputed-figures.html", figures)):
        page = open_page(url(site, path))
        rows = page.locator("article .rr-pairs tbody tr")
        assert sorted(rows.nth(i).get_attribute("data-flag") for i in range(rows.count())) == sorted(p.note.id for p in expected)
        first = rows.first.locator("a")
        assert first.count() == 2 or first.count() > 2  # both ends linked (a note may add its own links)
        screenshot(page, path.split("/")[1].removesuffix(".html") + "-desktop")
    page = open_page(url(site, "overview/disputed-figures.html"), width=390, height=844)
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    screenshot(page, "disputed-figures-phone")


# -- search ---------------------------------------------------------------------------------------
def visible_flags(page):
    return page.evaluate("""() => [...document.querySelectorAll('[data-rr-results] > li')]
        .filter(li => li.offsetParent).map(li => li.dataset.flag)""")


def test_search_notes_filters_by_kind_source_and_words(site, open_page, room):
    notes = [p.note for p in curated(room)]
    page = open_page(url(site, "overview/search-notes.html"))
    count = page.locator("[data-rr-count]")
    assert count.get_attribute("aria-live") == "polite"
    assert len(visible_flags(page)) == len(notes)
    page.select_option("select[name=kind]", "framing")
    framing = sorted(n.id for n in notes if n.kind == "framing")
    assert sorted(visible_flags(page)) == framing
    assert count.inner_text() == f"{len(framing)} notes match."
    page.select_option("select[name=source]", "white-paper-2020")
    assert sorted(visible_flags(page)) == sorted(n.id for n in notes if n.kind == "framing" and n.source == "white-paper-2020")
    page.select_option("select[name=kind]", "")
    page.select_option("select[name=source]", "")
    # by keyboard: type a technique's name into the words box
    page.locator("input[name=q]").focus()
    page.keyboard.type("whataboutism")
    expect(count).not_to_have_text(f"{len(notes)} notes match.")  # the filter has run
    shown = set(visible_flags(page))
    techniques = {n.id for n in notes if n.technique == "whataboutism"}
    assert techniques and techniques <= shown
    assert all("whataboutism" in page.locator(f'li[data-flag="{i}"]').inner_text().lower() for i in shown)
    screenshot(page, "search-notes-desktop")
    only_file_requests(page)
    assert not page.errors, page.errors


def test_search_notes_opens_with_a_filter_from_its_address_and_works_on_a_phone(site, open_page, room):
    notes = [p.note for p in curated(room)]
    page = open_page(url(site, "overview/search-notes.html") + "#technique=whataboutism", width=390, height=844)
    assert sorted(visible_flags(page)) == sorted(n.id for n in notes if n.technique == "whataboutism")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    screenshot(page, "search-notes-phone")


def test_search_notes_without_javascript_lists_every_note(site, open_page, room):
    page = open_page(url(site, "overview/search-notes.html"), js=False)
    assert page.locator("article ol[data-rr-results]:not([data-rr-suggested]) > li").count() == len(curated(room))
    assert page.locator("[data-rr-filter]").is_hidden()


def test_material_search_finds_words_only_in_notes(site, open_page, room):
    seeds = " ".join(room.texts.values()).lower()
    note = next(n for n in room.notes if any(w.isalpha() and len(w) > 7 and w not in seeds for w in n.body.lower().split()))
    word = next(w for w in note.body.lower().split() if w.isalpha() and len(w) > 7 and w not in seeds)
    for query, slugs in ((word, {n.source for n in room.notes if word in n.body.lower()}),
                         ("whataboutism", {n.source for n in room.notes if n.technique == "whataboutism"})):
        page = open_page(url(site, "index.html"))
        page.click(".md-search__input")
        page.keyboard.type(query)
        page.locator(".md-search-result__item a").first.wait_for(timeout=20_000)
        # results are redrawn after every keystroke: read them in one go, until they settle
        for _ in range(100):
            hrefs = page.evaluate("""() => Array.from(document.querySelectorAll('.md-search-result__item a'),
                                                    a => a.getAttribute('href'))""")
            if any(any(f"sources/{s}.html" in h for s in slugs) for h in hrefs):
                break
            page.wait_for_timeout(200)
        assert any(any(f"sources/{s}.html" in h for s in slugs) for h in hrefs), (query, hrefs)
    only_file_requests(page)


@pytest.mark.parametrize("path", ["assignments/index.html", "assignments/counting-transfers.html",
                                  "assignments/framing-job-preferences.html", "overview/index.html",
                                  "overview/all-flags.html", "overview/rebuttals.html", "overview/search-notes.html"])
def test_teaching_pages_have_no_sideways_scroll_on_a_phone(site, open_page, path):
    page = open_page(url(site, path), width=390, height=844)
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert not page.errors, page.errors
