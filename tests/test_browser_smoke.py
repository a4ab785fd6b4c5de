"""The room in a real browser (Playwright driving Debian's Chromium), opened from file://.

Covers what a student, a teacher and an offline reader rely on: every page reachable, search
offline, no request leaves the disk, readable at desktop and phone width, and the margin notes
placed, opened and toggled.  Screenshots go to tests/screenshots/ (git-ignored) for a person
to look at.
"""

from __future__ import annotations

import pytest
from conftest import screenshot, tab_to

pytestmark = pytest.mark.browser
SLUGS = ["baichuan-migrant-workers", "white-paper-2020", "news-600000-uyghurs", "swupl-field-survey",
         "zenz-2024-forced-labor"]


def url(site, path):
    return (site / path).as_uri()


def only_file_requests(page):
    outside = [u for u in page.requests if not u.startswith(("file://", "data:", "blob:", "about:"))]
    assert not outside, outside


def test_every_source_from_the_home_page_offline(site, open_page):
    page = open_page(url(site, "index.html"))
    for slug in SLUGS:
        page.goto(url(site, "index.html"))
        page.click(f'article a[href="sources/{slug}.html"]')
        page.wait_for_url(f"**/sources/{slug}.html")
        assert page.locator("article h1").count() == 1
    only_file_requests(page)
    assert not page.errors, page.errors


def test_search_finds_person_times_on_the_zenz_page(site, open_page):
    page = open_page(url(site, "index.html"))
    page.click(".md-search__input")
    page.keyboard.type("person-times")
    result = page.locator('.md-search-result__item a[href*="zenz-2024-forced-labor"]').first
    result.wait_for(timeout=20_000)
    result.click()
    page.wait_for_url("**/zenz-2024-forced-labor.html*")
    only_file_requests(page)


@pytest.mark.parametrize("path", ["index.html", "about.html", *[f"sources/{s}.html" for s in SLUGS]])
def test_no_sideways_scroll_on_a_phone(site, open_page, path):
    page = open_page(url(site, path), width=390, height=844)
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    if path.startswith("sources/"):
        screenshot(page, "phone-" + path.split("/")[1].removesuffix(".html"))


def test_text_column_is_readable_on_a_desktop(site, open_page):
    page = open_page(url(site, "sources/white-paper-2020.html"))
    chars = page.evaluate("""() => {
        const p = [...document.querySelectorAll('article .rr-p')].sort((a, b) => b.textContent.length - a.textContent.length)[0];
        const range = document.createRange(); range.selectNodeContents(p);
        const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        return p.textContent.length / lines.size;
    }""")
    assert chars <= 80, chars
    screenshot(page, "desktop-white-paper")


def test_notes_sit_in_the_margin_without_overlapping(site, open_page):
    page = open_page(url(site, "sources/white-paper-2020.html"))
    boxes = page.evaluate("""() => [...document.querySelectorAll('.rr-note')].filter(n => n.offsetParent)
        .map(n => { const r = n.getBoundingClientRect(); const p = n.closest('.rr-block').querySelector(':scope > :not(.rr-notes)');
                    const t = p ? p.getBoundingClientRect() : r;
                    return {top: r.top + scrollY, bottom: r.bottom + scrollY, left: r.left, textRight: t.right}; })""")
    assert boxes, "no visible notes"
    for b in boxes:
        assert b["left"] >= b["textRight"], b
    boxes.sort(key=lambda b: b["top"])
    for a, b in zip(boxes, boxes[1:]):
        assert a["bottom"] <= b["top"] + 1, (a, b)


def test_phone_marker_opens_its_note_by_tap_and_keyboard(site, open_page):
    page = open_page(url(site, "sources/white-paper-2020.html"), width=390, height=844)
    marker = page.locator(".rr-marker").first
    note = page.locator("#note-" + marker.get_attribute("data-ref"))
    assert not note.is_visible()
    marker.click()
    assert note.is_visible() and marker.get_attribute("aria-expanded") == "true"
    marker.focus()
    page.keyboard.press("Enter")
    assert not note.is_visible()
    marker.focus()
    page.keyboard.press(" ")
    assert note.is_visible()
    screenshot(page, "phone-note-open")


def test_rebuttal_link_lands_on_its_target_and_back(site, open_page):
    page = open_page(url(site, "sources/white-paper-2020.html"))
    link = page.locator(".rr-note[data-kind=rebuttal] .rr-note__link a").first
    note_id = link.get_attribute("href").split("#")[1].split(":~:")[0]  # the link carries a Text Fragment
    link.click()
    page.wait_for_url(f"**#{note_id}*")
    target = page.locator(f'.rr-note[data-note="{note_id}"]')
    assert "Disputes →" in target.inner_text()
    assert page.locator(f'mark[data-annotation="{note_id}"]').first.is_visible()
    page.go_back()
    page.wait_for_url("**/white-paper-2020.html*")


def test_kind_toggle_hides_and_survives_a_page_change(site, open_page):
    page = open_page(url(site, "sources/white-paper-2020.html"))
    page.click(".rr-toggle[data-kind=framing]")
    assert page.locator(".rr-note[data-kind=framing]").first.is_hidden()
    assert page.locator(".rr-toggle[data-kind=framing]").get_attribute("aria-pressed") == "false"
    page.goto(url(site, "sources/zenz-2024-forced-labor.html"))
    assert page.locator(".rr-note[data-kind=framing]").first.is_hidden()
    page.click(".rr-toggle[data-kind=framing]")
    assert page.locator(".rr-note[data-kind=framing]").first.is_visible()


def test_without_javascript_every_note_is_on_the_page(site, open_page):
    page = open_page(url(site, "sources/zenz-2024-forced-labor.html"), width=390, js=False)
    notes = page.locator(".rr-note:not(.rr-off)")
    assert notes.count() > 0
    for i in range(notes.count()):
        assert notes.nth(i).is_visible()


def test_keyboard_reaches_markers_with_visible_focus(site, open_page):
    page = open_page(url(site, "sources/white-paper-2020.html"))
    tab_to(page, ".rr-marker", limit=200)
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
