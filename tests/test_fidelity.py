"""Every word of every seed reaches its built page, in order, and nothing is added to the text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from reading_room.decode import decode_seed

ROOT = Path(__file__).resolve().parents[1]
SLUGS = sorted(p.stem for p in (ROOT / "seeds").glob("*.txt"))
WORD = re.compile(r"\w+")
# what the room adds around and inside the text; everything else on the page is the seed's
CHROME = [".rr-notes", ".rr-provenance", ".rr-headnote", ".rr-legend", ".rr-sr", ".rr-absent", ".rr-pre__why",
          ".rr-permalink", ".headerlink", ".rr-ref", ".rr-backref", ".md-source-file", ".rr-invisible",
          ".rr-print-foot"]


def page_words(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    article = soup.select_one("article.md-content__inner")
    for sel in CHROME:
        for el in article.select(sel):
            el.decompose()
    return WORD.findall(article.get_text(" "))


def seed_words(slug: str) -> list[tuple[str, int]]:
    text = decode_seed((ROOT / "seeds" / f"{slug}.txt").read_bytes(), slug)
    return [(m.group(), text.count("\n", 0, m.start()) + 1) for m in WORD.finditer(text)]


@pytest.mark.parametrize("slug", SLUGS)
def test_every_word_in_order(site, slug):
    got = page_words((site / "sources" / f"{slug}.html").read_text(encoding="utf-8"))
    want = seed_words(slug)
    for i, (word, line) in enumerate(want):
        if i >= len(got) or got[i] != word:
            found = got[i] if i < len(got) else "the end of the page"
            pytest.fail(f"{slug}: word {i + 1} {word!r} (seed line {line}) is missing or out of order; "
                        f"the page has {found!r} there")
    assert len(got) == len(want), f"{slug}: the page adds words after the text: {got[len(want):][:10]}"


@pytest.mark.parametrize("slug", SLUGS)
def test_original_is_byte_identical(site, slug):
    assert (site / "originals" / f"{slug}.txt").read_bytes() == (ROOT / "seeds" / f"{slug}.txt").read_bytes()


def block_texts(html: str) -> dict[str, str]:
    """The text of each block of a built page (every element with an id and ``data-lines`` in the
    article), the margin left out: what a reader, or another annotation client, finds there."""
    soup = BeautifulSoup(html, "html.parser")
    article = soup.select_one("article.md-content__inner")
    for el in article.select(".rr-notes"):
        el.decompose()
    return {el["id"]: el.get_text() for el in article.select("[id][data-lines]")}


def expected_text(block) -> str:
    if block.kind == "dialogue":
        return f"{block.speaker}: {block.text}"
    if block.kind == "table":  # a table's text is its cells; the seed's tabs and rules are its layout
        return "".join(c.strip() for row in block.rows for c in row)
    return block.text


@pytest.fixture(scope="module")
def sources():
    from reading_room.room import load_sources

    return load_sources(ROOT).sources


@pytest.mark.parametrize("slug", SLUGS)
def test_the_text_is_the_seeds_block_by_block(site, sources, slug):
    """Nothing the room adds sits in the text: note numbers, ¶ and ↩ links and the like are
    drawn by the stylesheet, so a quote copied from the seed is found on the page as it is."""
    got = block_texts((site / "sources" / f"{slug}.html").read_text(encoding="utf-8"))
    source = sources[slug]
    assert set(got) == {b.id for b in source.blocks}, f"{slug}: blocks missing or added on the page"
    for block in source.blocks:
        assert got[block.id] == expected_text(block), (
            f"{slug}: block {block.id} (seed lines {block.lines}) reads {got[block.id][:200]!r} on the page, "
            f"the seed has {expected_text(block)[:200]!r}")


def test_block_texts_see_what_the_room_adds():
    page = ('<article class="md-content__inner"><p id="p-1" data-lines="1">A claim<sup class="rr-ref">'
            '<a class="rr-marker">3</a></sup> <a class="rr-permalink">¶</a></p>'
            '<aside class="rr-notes"><p id="n" data-lines="1">a note</p></aside></article>')
    assert block_texts(page) == {"p-1": "A claim3 ¶"}
