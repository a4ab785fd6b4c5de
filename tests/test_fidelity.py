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
