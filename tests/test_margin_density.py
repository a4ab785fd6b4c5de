"""A crowded margin stays next to its text: notes that would push their neighbours away show
their first line (head and first words), and open in full when the reader asks."""

from __future__ import annotations

import pytest

from conftest import screenshot

pytestmark = pytest.mark.browser

SOURCES = ["baichuan-migrant-workers", "news-600000-uyghurs", "swupl-field-survey",
           "white-paper-2020", "zenz-2024-forced-labor"]

DRIFT = """() => Array.from(document.querySelectorAll('.rr-notes .rr-note')).filter(n => n.offsetParent)
  .map(n => { const m = document.getElementById(n.dataset.note);
              return m ? n.getBoundingClientRect().top - m.getBoundingClientRect().top : 0; })"""


@pytest.mark.parametrize("slug", SOURCES)
def test_notes_stay_near_their_passages(site, open_page, slug):
    page = open_page((site / "sources" / f"{slug}.html").as_uri())
    page.wait_for_timeout(300)
    drift = sorted(page.evaluate(DRIFT))
    assert drift, slug
    median, worst = drift[len(drift) // 2], drift[-1]
    # the densest page (the short news article, ~6 notes per 100 words) still keeps half its
    # notes within a few lines of their passage and none more than a screen away
    assert median <= 200 and worst <= 900, (slug, median, worst)


def test_a_compact_note_opens_from_its_marker(site, open_page):
    page = open_page((site / "sources" / "news-600000-uyghurs.html").as_uri())
    page.wait_for_timeout(300)
    note_id = page.evaluate("""() => { const m = Array.from(document.querySelectorAll('.rr-marker'))
        .find(m => document.getElementById('note-' + m.dataset.ref).classList.contains('is-compact'));
        return m && m.dataset.ref; }""")
    assert note_id, "the news page is dense enough to need compact notes"
    folded = """id => { const n = document.getElementById(id); return n.scrollHeight > n.clientHeight + 2; }"""
    first_words = """id => { const b = document.getElementById(id).querySelector('.rr-note__body');
        return b.getClientRects().length > 0 && b.getBoundingClientRect().top < document.getElementById(id).getBoundingClientRect().bottom; }"""
    assert page.evaluate(folded, f"note-{note_id}"), "a folded note hides the rest of its text"
    assert page.evaluate(first_words, f"note-{note_id}"), "a folded note shows its first words, not only its kind"
    page.locator(f'.rr-marker[data-ref="{note_id}"]').click()
    note = page.locator(f"#note-{note_id}")
    assert "is-open" in note.get_attribute("class") and "is-compact" not in note.get_attribute("class")
    assert not page.evaluate(folded, f"note-{note_id}")
    screenshot(page, "compact-note-opened-1440")
    # the keyboard reaches a folded note's head and opens it too
    other = page.locator(".rr-note.is-compact").first
    other_id = other.get_attribute("id")
    other.locator(".rr-note__num").focus()
    page.wait_for_timeout(100)
    assert not page.evaluate(folded, other_id)
