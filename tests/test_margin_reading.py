"""The margin reads in full (issue 14): on a desktop a student reads the notes beside their
passages without a click.  Measured in Chromium from file:// on the built room, on every source
page and every assignment page, by tests/margin_measure.js (which bench/bench.py uses too):

- 1920 px: every page shows at least 90% of its note text with no click and no hover;
- 1440 px: the median page at least 90%, the worst at least 75%;
- at most 10% of a page's notes start more than 400 px from the top of their passage;
- no two notes overlap, no note covers text (lines, tables, pre, boxed blocks);
- the text grows to at most twice its height with no notes.

The layout's cost in milliseconds is printed by `make bench`, not asserted here (a timed test on a
shared machine proves nothing).  Interaction: the note the pointer finds opens where it is; the note
the keyboard or a marker reaches opens level with its passage; notes added later are laid out too.
"""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from conftest import screenshot

pytestmark = pytest.mark.browser
MEASURE = (Path(__file__).parent / "margin_measure.js").read_text(encoding="utf-8")
SOURCES = ["baichuan-migrant-workers", "news-600000-uyghurs", "swupl-field-survey",
           "white-paper-2020", "zenz-2024-forced-labor"]
ASSIGNMENTS = ["counting-transfers", "framing-job-preferences"]
PAGES = [f"sources/{s}.html" for s in SOURCES] + [f"assignments/{a}.html" for a in ASSIGNMENTS]


def measure(open_page, site, path, width):
    page = open_page((site / path).as_uri(), width=width, height=900)
    page.wait_for_timeout(200)
    return page, page.evaluate(MEASURE)


def test_every_assignment_page_is_measured(site):
    built = sorted(p.stem for p in (site / "assignments").glob("*.html") if p.stem != "index")
    assert built == ASSIGNMENTS, "a new assignment page: add it to PAGES"


@pytest.mark.parametrize("width", [1440, 1920])
@pytest.mark.parametrize("path", PAGES)
def test_the_margin_is_read_without_a_click(site, open_page, path, width):
    page, m = measure(open_page, site, path, width)
    assert not page.errors, page.errors
    assert m["notes"] > 0, path
    floor = 0.90 if width == 1920 else 0.75
    assert m["shown"] >= floor, f"{path} at {width}px: {m['shown']:.0%} of the note text shown, want ≥ {floor:.0%}"
    far = [n["id"] for n in m["perNote"] if n["drift"] is not None and abs(n["drift"]) > 400]
    assert len(far) <= 0.10 * m["notes"], (path, width, far)
    assert m["overlaps"] == 0, (path, width, m["overlaps"])
    covering = [n["id"] for n in m["perNote"] if n["covers"]]
    assert not covering, (path, width, covering)
    assert m["growth"] <= 2.0, (path, width, m["growth"])


def test_the_median_page_reads_in_full_at_1440(site, open_page):
    shown = {path: measure(open_page, site, path, 1440)[1]["shown"] for path in PAGES}
    assert statistics.median(shown.values()) >= 0.90, shown


@pytest.mark.parametrize("slug", ["news-600000-uyghurs", "swupl-field-survey"])
@pytest.mark.parametrize("width", [1440, 1920])
def test_screenshots_of_the_margin(site, open_page, slug, width):
    page = open_page((site / "sources" / f"{slug}.html").as_uri(), width=width, height=900)
    page.evaluate("document.querySelectorAll('.rr-block')[3].scrollIntoView()")
    page.wait_for_timeout(150)
    screenshot(page, f"margin-{slug}-{width}")


def test_wide_screens_use_two_lanes_and_keep_the_text_column(site, open_page):
    page = open_page((site / "sources" / "white-paper-2020.html").as_uri(), width=1920, height=900)
    page.wait_for_timeout(200)
    geo = page.evaluate("""() => {
        const lefts = new Set([...document.querySelectorAll('.rr-notes > .rr-note')].filter(n => n.offsetParent)
            .map(n => Math.round(n.getBoundingClientRect().left)));
        const p = [...document.querySelectorAll('article .rr-p')].sort((a, b) => b.textContent.length - a.textContent.length)[0];
        const lines = Math.round(p.getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight));
        return {lanes: lefts.size, perLine: p.textContent.length / lines,
                width: document.querySelector('.md-content__inner').getBoundingClientRect().width};
    }""")
    assert geo["lanes"] == 2, geo
    assert 60 <= geo["perLine"] <= 85, geo
    assert geo["width"] > 61 * 22 * 0.9, geo  # wider than Material's 61rem grid


NOTE_BOX = """id => { const n = document.getElementById(id), r = n.getBoundingClientRect(),
    m = document.getElementById(n.dataset.note);
    return {top: r.top, bottom: r.bottom, passage: m.getBoundingClientRect().top,
            folded: n.scrollHeight > n.clientHeight + 2, open: n.classList.contains('is-open')}; }"""
OVERLAPS = """() => { const b = [...document.querySelectorAll('.rr-notes > .rr-note')].filter(n => n.offsetParent)
    .map(n => n.getBoundingClientRect()); let k = 0;
    for (let i = 0; i < b.length; i++) for (let j = i + 1; j < b.length; j++)
      if (Math.min(b[i].right, b[j].right) - Math.max(b[i].left, b[j].left) > 1 &&
          Math.min(b[i].bottom, b[j].bottom) - Math.max(b[i].top, b[j].top) > 1) k++;
    return k; }"""
FIRST_FOLDED = "() => { const n = document.querySelector('.rr-notes > .rr-note.is-compact'); return n && n.id; }"


def test_the_note_under_the_pointer_opens_where_it_is(site, open_page):
    page = open_page((site / "sources" / "news-600000-uyghurs.html").as_uri(), width=1440, height=900)
    page.wait_for_timeout(200)
    note_id = page.evaluate(FIRST_FOLDED)
    assert note_id, "the news page at 1440 px still folds a few notes"
    page.evaluate("id => document.getElementById(id).scrollIntoView({block: 'center'})", note_id)
    before = page.evaluate(NOTE_BOX, note_id)
    page.locator(f"#{note_id}").hover()
    page.wait_for_timeout(100)
    after = page.evaluate(NOTE_BOX, note_id)
    assert before["folded"] and not after["folded"] and after["open"], (before, after)
    assert abs(after["top"] - before["top"]) <= 1, "the note stays under the pointer"
    assert page.evaluate(OVERLAPS) == 0
    screenshot(page, "margin-hovered-note-1440")


@pytest.mark.parametrize("how", ["keyboard", "marker"])
def test_the_note_the_keyboard_or_a_marker_reaches_is_level_with_its_passage(site, open_page, how):
    page = open_page((site / "sources" / "news-600000-uyghurs.html").as_uri(), width=1440, height=900)
    page.wait_for_timeout(200)
    # a note far from level: folded, or more than a line away from its passage
    note_id = page.evaluate("""() => [...document.querySelectorAll('.rr-notes > .rr-note')].map(n => n.id).find(id => {
        const n = document.getElementById(id), m = document.getElementById(n.dataset.note);
        return n.classList.contains('is-compact') || Math.abs(n.getBoundingClientRect().top - m.getBoundingClientRect().top) > 40; })""")
    assert note_id
    passage = "id => document.getElementById(document.getElementById(id).dataset.note).getBoundingClientRect().top + scrollY"
    text_before = page.evaluate(passage, note_id)
    if how == "keyboard":
        page.locator(f"#{note_id} .rr-note__num").focus()
    else:
        page.locator(f'.rr-marker[data-ref="{note_id.removeprefix("note-")}"]').click()
    page.wait_for_timeout(100)
    box = page.evaluate(NOTE_BOX, note_id)
    assert box["open"] and not box["folded"], box
    assert abs(box["top"] - box["passage"]) <= 2, box
    assert page.evaluate(OVERLAPS) == 0
    assert page.evaluate(passage, note_id) == pytest.approx(text_before, abs=1), "the other notes move, not the text"
    screenshot(page, f"margin-{how}-note-1440")


def test_notes_added_later_are_laid_out_on_rr_layout(site, open_page):
    page = open_page((site / "sources" / "white-paper-2020.html").as_uri(), width=1440, height=900)
    page.wait_for_timeout(200)
    assert page.evaluate("typeof window.ReadingRoom.layout") == "function"
    page.evaluate("""() => {
        const block = document.querySelectorAll('.rr-block')[2], p = block.querySelector('.rr-p');
        const aside = document.createElement('aside'); aside.className = 'rr-notes';
        const n = document.createElement('div'); n.className = 'rr-note rr-note--mine'; n.id = 'note-mine-1';
        n.dataset.note = p.id; n.dataset.kind = 'mine';
        n.innerHTML = '<p class="rr-note__head">Mine</p><p class="rr-note__body">' + 'A student writes in the margin. '.repeat(6) + '</p>';
        aside.appendChild(n); block.appendChild(aside);
        document.dispatchEvent(new Event('rr:layout'));
    }""")
    page.wait_for_timeout(150)
    box = page.evaluate("""() => { const n = document.getElementById('note-mine-1').getBoundingClientRect(),
        p = document.getElementById(document.getElementById('note-mine-1').dataset.note).getBoundingClientRect();
        return {left: n.left, textRight: p.right, top: n.top, passage: p.top}; }""")
    assert box["left"] >= box["textRight"], box
    assert abs(box["top"] - box["passage"]) <= 400, box
    assert page.evaluate(OVERLAPS) == 0


def test_a_kind_switched_off_gives_its_room_to_the_others(site, open_page):
    page = open_page((site / "sources" / "news-600000-uyghurs.html").as_uri(), width=1440, height=900)
    page.wait_for_timeout(200)
    folded = page.evaluate("() => document.querySelectorAll('.rr-notes > .rr-note.is-compact').length")
    page.locator(".rr-toggle[data-kind=rebuttal]").click()
    page.wait_for_timeout(150)
    after = page.evaluate("() => document.querySelectorAll('.rr-notes > .rr-note.is-compact:not([data-kind=rebuttal])').length")
    assert after < folded, (folded, after)
    assert page.evaluate(OVERLAPS) == 0


def test_resizing_lays_the_margin_out_again_and_the_phone_is_unchanged(site, open_page):
    page = open_page((site / "sources" / "swupl-field-survey.html").as_uri(), width=1440, height=900)
    page.wait_for_timeout(200)
    lefts = "() => new Set([...document.querySelectorAll('.rr-notes > .rr-note')].filter(n => n.offsetParent).map(n => Math.round(n.getBoundingClientRect().left))).size"
    assert page.evaluate(lefts) == 1
    page.set_viewport_size({"width": 1920, "height": 900})
    page.wait_for_timeout(300)
    assert page.evaluate(lefts) == 2
    assert page.evaluate(OVERLAPS) == 0
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(300)
    state = page.evaluate("""() => ({shown: [...document.querySelectorAll('.rr-notes > .rr-note')].filter(n => n.offsetParent).length,
        styled: [...document.querySelectorAll('.rr-notes > .rr-note')].filter(n => n.style.top || n.style.width).length,
        spaced: [...document.querySelectorAll('.rr-block')].filter(b => b.style.paddingTop).length})""")
    assert state == {"shown": 0, "styled": 0, "spaced": 0}, state
    marker = page.locator(".rr-marker").first
    marker.click()
    assert page.locator("#note-" + marker.get_attribute("data-ref")).is_visible()
    screenshot(page, "margin-phone-unchanged-390")


@pytest.mark.parametrize("path", ["sources/baichuan-migrant-workers.html", "sources/news-600000-uyghurs.html"])
def test_a_second_layout_changes_nothing(site, open_page, path):
    """Else every layout would resize the page, and the resize observer lay it out again, for ever."""
    page = open_page((site / path).as_uri(), width=1440, height=900)
    page.wait_for_timeout(200)
    snap = """() => [...document.querySelectorAll('.rr-notes > .rr-note, .rr-block, .md-content__inner')]
        .map(e => e.getAttribute('style') + ' ' + e.className).join('\\n')"""
    first = page.evaluate(snap)
    page.evaluate("window.ReadingRoom.layout()")
    assert page.evaluate(snap) == first
