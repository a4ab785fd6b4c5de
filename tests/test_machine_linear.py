"""Placing and anchoring the detector's flags in one pass over a source (issue 17) gives what
placing and anchoring them one at a time gives — each of which scans the whole text, so a 10 MB
seed took minutes.  On the seeds and on sources made of them where most phrases repeat."""

from __future__ import annotations

from pathlib import Path

import pytest

from reading_room.anchor import SourceText, match_quote
from reading_room.convert import convert
from reading_room.decode import decode_text
from reading_room.detect import detect
from reading_room.detect.suggest import MAX_PLACES, QuoteIndex, find_all, place, place_all
from reading_room.machine import anchor_all
from reading_room.notes import Selector

ROOT = Path(__file__).resolve().parents[1]
SEEDS = {p.stem: decode_text(p.read_bytes(), p.name).text for p in sorted((ROOT / "seeds").glob("*.txt"))}


def texts() -> dict[str, str]:
    out = dict(SEEDS)
    news = SEEDS["news-600000-uyghurs"]
    paragraphs = news.split("\n\n")
    out["twice"] = news + "\n\n" + news  # every phrase twice, no telling context
    out["echoed"] = "Echoes\n\n" + "\n\n".join(f"In echo {i}, {p}" if i % 2 else p
                                               for i in range(4) for p in paragraphs) + "\n"
    return out


@pytest.mark.parametrize("name", list(texts()))
def test_placing_all_flags_at_once_is_placing_each(name):
    text = texts()[name]
    flags = detect(text)
    assert place_all(text, flags) == [place(text, flag) for flag in flags]


@pytest.mark.parametrize("name", list(texts()))
def test_anchoring_all_selectors_at_once_is_match_quote_on_each(name):
    text = texts()[name]
    st = SourceText(convert(text, f"seeds/{name}.txt", name))
    selectors = [Selector(text[w[0]:w[1]], w[2], w[3]) if w else None for w in place_all(text, detect(text))]
    # and the ones that fail: absent, ambiguous, a context that agrees nowhere, across two blocks
    first = next((s for s in selectors if s is not None), Selector(text[7:40]))
    selectors += [Selector("words that are in no seed at all"), Selector("the"), Selector("The"),
                  Selector(first.exact, "not the words before it"), Selector(first.exact, "", "nor these after"),
                  Selector(st.text[len(st.blocks[0].text) - 5:len(st.blocks[0].text) + 8]), Selector(""), None]
    expected = [match_quote(st, s) if s is not None else None for s in selectors]
    assert anchor_all(st, selectors) == expected


def test_the_index_finds_every_place_overlapping_ones_too():
    text = "aaaa abab ababab the theme"
    quotes = ["aa", "aaa", "ab", "abab", "the", "theme", "absent", "b"]
    index = QuoteIndex(text, quotes)
    for quote in quotes:
        assert index.spans(quote) == find_all(text, quote), quote
    assert index.spans("not asked") == find_all(text, "not asked")
    many = QuoteIndex("x " * (MAX_PLACES + 50), ["x"])
    assert len(many.spans("x")) == MAX_PLACES + 1  # enough to know there are too many


def test_a_phrase_with_too_many_places_is_not_placed():
    text = "Title\n\n" + "The brutal system. " * (MAX_PLACES + 1) + "\n"
    flags = [f for f in detect(text) if f.exact == "brutal"]
    assert len(flags) == MAX_PLACES + 1
    assert place_all(text, flags) == [None] * len(flags)
