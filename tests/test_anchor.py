"""The matcher: exact, tolerant of whitespace/quotes/dashes/Unicode form, strict about the rest."""

from __future__ import annotations

import pytest

from reading_room.anchor import EXACT, NORMALISED, Anchor, Failure, SourceText, match_quote, normalise_with_map
from reading_room.convert import convert
from reading_room.notes import Selector

TEXT = (
    "Title Line\n\n"
    "The workers said they “chose freely” to go — and they went.\n\n"
    "The report counts 2.6 million person-times, and the workers said so too.\n\n"
    "A paragraph that a page break cut in the middle of a sentence, and the\n\n"
    "second part continues here. The workers said so.\n"
)


@pytest.fixture
def st():
    return SourceText(convert(TEXT, "seeds/t.txt", "t"))


def block_text(st, anchor):
    return next(b.text for b in st.blocks if b.id == anchor.block_id)[anchor.start:anchor.end]


def test_exact(st):
    a = match_quote(st, Selector("2.6 million person-times"))
    assert isinstance(a, Anchor) and a.quality == EXACT
    assert block_text(st, a) == "2.6 million person-times"
    assert st.text[a.page_start:a.page_end] == "2.6 million person-times"


@pytest.mark.parametrize("quote", [
    'they "chose freely" to go - and',  # straight quotes, hyphen for an em dash
    "they “chose  freely”\nto go — and",  # extra whitespace and a line break
])
def test_normalised_variants(st, quote):
    a = match_quote(st, Selector(quote))
    assert isinstance(a, Anchor) and a.quality == NORMALISED
    assert block_text(st, a) == "they “chose freely” to go — and"


def test_nfd_quote_matches_nfc_text():
    st = SourceText(convert("T\n\nThe café opened.\n", "s.txt", "s"))
    a = match_quote(st, Selector("cafe\u0301 opened"))
    assert isinstance(a, Anchor) and block_text(st, a) == "café opened"


def test_nothing_fuzzier(st):
    assert isinstance(match_quote(st, Selector("The report counts 2.6 milion person-times")), Failure)
    assert isinstance(match_quote(st, Selector("the REPORT counts")), Failure)


def test_absent_names_the_closest_passage(st):
    f = match_quote(st, Selector("The report counted 2.6 million persons"))
    assert isinstance(f, Failure) and f.reason == "absent"
    assert "2.6 million person" in f.places[0].excerpt
    assert f.places[0].first_line == 5


def test_ambiguous_lists_each_place_and_suggests_context(st):
    f = match_quote(st, Selector("The workers said"))
    assert isinstance(f, Failure) and f.reason == "ambiguous"
    assert [p.first_line for p in f.places] == [3, 7]  # the joined paragraph starts on line 7
    assert f.suggestion.startswith(("prefix:", "suffix:"))


def test_prefix_and_suffix_disambiguate(st):
    a = match_quote(st, Selector("workers said", prefix="and the ", suffix=" so too"))
    assert isinstance(a, Anchor) and "person-times" in st.text[a.page_start - 60:a.page_start]


def test_contradicting_context_is_its_own_failure(st):
    f = match_quote(st, Selector("2.6 million", prefix="nobody counts "))
    assert isinstance(f, Failure) and f.reason == "context"


def test_across_a_joined_page_break(st):
    a = match_quote(st, Selector("and the second part continues"))
    assert isinstance(a, Anchor)


def test_never_across_two_blocks(st):
    assert isinstance(match_quote(st, Selector("went. The report counts")), Failure)


def test_overlapping_quotes_both_anchor(st):
    a = match_quote(st, Selector("The report counts 2.6 million"))
    b = match_quote(st, Selector("2.6 million person-times"))
    assert isinstance(a, Anchor) and isinstance(b, Anchor) and a.page_end > b.page_start


def test_normalise_map_points_back_into_the_original():
    text = "a  “b”\u200b—c"
    norm, starts, ends = normalise_with_map(text)
    assert norm == 'a "b"-c'
    assert text[starts[2]:ends[4]] == "“b”"


def test_contradicting_suffix_alone_is_named_without_an_empty_prefix():
    from reading_room.margin import _describe
    from reading_room.anchor import Failure, Place
    from reading_room.notes import Selector

    failure = Failure("context", (Place("p-1", 3, "workers chose freely"),))
    message, _hint = _describe(failure, Selector("workers chose freely", "", "and left"), "x.txt")
    assert 'never before "and left"' in message and 'after ""' not in message


def test_plain_runs_are_read_by_chunk_as_they_would_be_one_character_at_a_time():
    """``_plain_run`` reads its 35,000 characters a chunk at a time (a first build that places
    suggestions pays for it); the characters it lets into a run, and what the run turns them
    into, are those of the per-character rule."""
    from reading_room import anchor

    rx = anchor._plain_run()
    for lo, hi in anchor._PLAIN_RANGES:
        for code in range(lo, hi + 1):
            ch = chr(code)
            becomes = anchor._plain_char(ch)
            assert (rx.fullmatch(ch) is not None) == (becomes is not None), hex(code)
            assert anchor._RUN_TABLE.get(ch, ch) == (becomes or ch), hex(code)
    assert rx.fullmatch(" ") and not rx.fullmatch("\u00ad") and not rx.fullmatch("e\u0301")
