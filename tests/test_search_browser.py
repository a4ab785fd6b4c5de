"""Search in Chromium from file://: a generated library of 1,000 sources (its index made by the
core directly, reading_room.search_index, over synthetic sources: a full build would take too
long for the suite) and the first room as built.  It finds a word only the last source has and
a word only a note has, filters by kind and by collection, marks the words on the page it opens,
keeps Material's keys, and tokenises as the index builder does."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from conftest import screenshot
from reading_room import search_index as si
from reading_room.room import load_room

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[1]
N = 1000
LAST_WORD = "zygomorphic"  # only in the last source
NOTE_WORD = "quillwort"  # only in one note, of a source in the middle


@pytest.fixture(scope="module")
def library(site, tmp_path_factory) -> Path:
    """The built first room with the index of a 1,000-source library in place of its own."""
    out = tmp_path_factory.mktemp("library") / "site"
    shutil.copytree(site, out)
    room = load_room(ROOT)
    paragraphs = [b.text for s in room.sources.values() for b in s.blocks if b.kind == "paragraph"]
    rng = random.Random(17)
    pages = []
    for i in range(N):
        blocks = [("title", f"Synthetic source {i:04d}")]
        blocks += [(f"p-{i}-{k}", rng.choice(paragraphs)) for k in range(12)]
        if i == N - 1:
            blocks.append((f"p-{i}-last", f"The last paragraph says {LAST_WORD} once."))
        entries = si.parts(blocks)
        entries.append(si.Entry("framing", ((f"note-s{i}-1", "A synthetic framing note about workers."),)))
        if i == N // 2:
            entries.append(si.Entry("slip", ((f"note-s{i}-2", f"A slip note with the word {NOTE_WORD}."),)))
        pages.append(si.IndexPage(f"sources/s{i:04d}.html", f"Synthetic source {i:04d}", tuple(entries),
                                  collection=f"Collection {i // 100 + 1:02d}"))
    index = si.build(pages)
    shutil.rmtree(out / si.DIR)
    for path, content in index.files.items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_text(content, encoding="utf-8")
    return out


def hrefs(page) -> list[str]:
    return page.evaluate("() => Array.from(document.querySelectorAll('.md-search-result__item a'), a => a.getAttribute('href'))")


def search(page, query: str) -> list[str]:
    page.click(".md-search__input")
    page.fill(".md-search__input", "")
    page.keyboard.type(query)
    # the results of the last keystroke, drawn once their snippets are loaded
    page.wait_for_function("q => document.querySelector('[data-rr-search-done]')"
                           " && document.querySelector('[data-rr-search-done]').getAttribute('data-rr-search-done') === q",
                           arg=query, timeout=20_000)
    return hrefs(page)


def test_a_thousand_sources_find_a_word_of_the_last_source_and_of_a_note(library, open_page):
    page = open_page((library / "index.html").as_uri())
    got = search(page, LAST_WORD)
    assert got and all(f"sources/s{N - 1:04d}.html" in h for h in got), got
    assert got[0].endswith(f"?h={LAST_WORD}*#p-{N - 1}-last")
    assert page.locator(".md-search-result__item mark").first.inner_text().lower() == LAST_WORD
    got = search(page, NOTE_WORD)
    assert got == [got[0]] and got[0].endswith(f"sources/s{N // 2:04d}.html?h={NOTE_WORD}*#note-s{N // 2}-2"), got
    screenshot(page, "search-1000-note")
    # only the chunks of the words typed, and the packs of the results shown, were loaded
    loaded = [u for u in page.requests if "/search/rr/" in u]
    assert len(loaded) < 40, loaded
    assert all(u.startswith("file://") for u in page.requests)
    assert not page.errors, page.errors


def test_filters_by_kind_and_by_collection(library, open_page):
    page = open_page((library / "index.html").as_uri())
    page.click(".md-search__input")
    assert page.locator("[data-rr-search-collection] option").count() == 11  # every collection, and all
    page.select_option("[data-rr-search-kind]", "notes")
    got = search(page, "synthetic framing")
    assert got and all("#note-" in h for h in got), got
    page.select_option("[data-rr-search-kind]", "slip")
    got = search(page, "note word")  # framing notes say "note" too; only the slip note is left
    assert len(got) == 1 and got[0].endswith(f"#note-s{N // 2}-2"), got
    page.select_option("[data-rr-search-kind]", "")
    page.select_option("[data-rr-search-collection]", label="Collection 10")
    got = search(page, LAST_WORD + " synthetic")
    assert got and all("s0999.html" in h for h in got)
    got = search(page, "synthetic framing")
    assert got and all(900 <= int(h.split("sources/s")[1][:4]) <= 999 for h in got), got
    page.select_option("[data-rr-search-collection]", label="Collection 01")
    assert search(page, LAST_WORD) == []
    assert "No matching documents" in page.locator(".md-search-result__meta").inner_text()


def test_the_tokeniser_in_the_browser_is_the_index_builders(library, open_page):
    page = open_page((library / "index.html").as_uri())
    page.wait_for_function("() => window.ReadingRoomSearch && window.ReadingRoomSearch.terms('x') !== null")
    samples = ["The Café's PERSON-TIMES, 151,000 in Ürümqi_x", "新疆 labour “forced” — 2.6‰ ½", "İstanbul ﬁne Straße",
               "a I of to", "x" * 41, "Xinjiang's 14th Five-Year Plan (2021–2025)"]
    for text in samples:
        assert page.evaluate("s => ReadingRoomSearch.terms(s)", text) == si.terms(text), text


def test_a_result_opens_its_passage_with_the_words_marked(site, open_page):
    page = open_page((site / "index.html").as_uri())
    got = search(page, "person-times")
    assert any("zenz-2024-forced-labor.html" in h for h in got)
    page.locator('.md-search-result__item a[href*="zenz-2024-forced-labor"]').first.click()
    page.wait_for_url("**/zenz-2024-forced-labor.html*")
    target = page.evaluate("() => decodeURIComponent(location.hash.slice(1))")
    marks = page.locator(f'[id="{target}"] mark[data-md-highlight]')
    assert marks.count() >= 2 and {m.lower() for m in marks.all_inner_texts()} <= {"person", "times"}
    assert page.locator("mark[data-md-highlight]").count() == marks.count()  # only in the passage opened
    screenshot(page, "search-highlight")


@pytest.mark.parametrize("width", [1440, 390])
def test_materials_keys_open_move_through_and_close_the_search(site, open_page, width):
    page = open_page((site / "about.html").as_uri(), width=width, height=844)
    page.wait_for_function("() => window.ReadingRoomSearch && window.ReadingRoomSearch.terms('x') !== null")
    page.keyboard.press("/")
    assert page.evaluate("() => document.activeElement.matches('.md-search__input')")
    assert page.evaluate("() => document.getElementById('__search').checked")
    page.keyboard.type("whataboutism")
    page.locator(".md-search-result__item a").first.wait_for()
    screenshot(page, f"search-results-{width}")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.matches('.md-search-result__link')")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("() => document.activeElement.matches('.md-search__input')")
    page.keyboard.press("Escape")
    assert not page.evaluate("() => document.getElementById('__search').checked")
    page.keyboard.press("s")
    assert page.evaluate("() => document.activeElement.matches('.md-search__input')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/sources/*.html*")
    assert not page.errors, page.errors
