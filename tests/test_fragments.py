"""Text Fragment links (``#id:~:text=start,end``) as the build writes them: pure functions, and the
attributes they end up in on the built pages.  The browser side is in test_deeplinks.py."""

from __future__ import annotations

import re
from urllib.parse import unquote

from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from reading_room.fragments import PageText, encode_term, fold, text_directive, with_fragment

SLUGS = ["baichuan-migrant-workers", "white-paper-2020", "news-600000-uyghurs", "swupl-field-survey",
         "zenz-2024-forced-labor"]


def terms(directive: str) -> list[str]:
    assert directive.startswith("text=")
    return [unquote(t) for t in directive[len("text="):].split(",")]


def test_a_short_passage_is_matched_whole():
    assert text_directive("It fully respects the wishes of workers") == \
        "text=It%20fully%20respects%20the%20wishes%20of%20workers"


def test_a_long_passage_is_matched_by_its_first_and_last_words():
    passage = "one two three four five six seven eight nine ten eleven twelve"
    assert terms(text_directive(passage)) == ["one two three four five", "eight nine ten eleven twelve"]


def test_syntax_characters_are_percent_encoded():
    directive = text_directive("person-times, A&B")
    assert directive == "text=person%2Dtimes%2C%20A%26B"
    assert encode_term("a-b,c&d e") == "a%2Db%2Cc%26d%20e"


def test_whitespace_is_collapsed():
    assert terms(text_directive("a  b\n c")) == ["a b c"]


def test_terms_stop_at_a_marker_inside_the_passage():
    passage = "workers are paid well and the quotas were met in every county"
    at = passage.index(" and")  # a note's marker right after "well"
    got = terms(text_directive(passage, [at]))
    assert got == ["workers are paid well", "and the quotas were met"] or \
        (got[0] == "workers are paid well" and "well" not in got[1])
    # the end term starts after the marker, the start term ends before it
    assert passage.find(got[0]) + len(got[0]) <= at <= passage.rfind(got[-1])


def test_markers_at_the_edges_do_not_split_the_passage():
    passage = "a short quote"
    assert text_directive(passage, [0, len(passage)]) == text_directive(passage)


def test_a_marker_inside_the_first_word_keeps_the_other_side():
    passage = "alpha beta gamma"
    assert terms(text_directive(passage, [2])) == ["beta gamma"]


def test_nothing_for_no_words():
    assert text_directive("   ") == ""
    assert with_fragment("a.html", "p-1") == "a.html#p-1"
    assert with_fragment("a.html", "p-1", "text=x") == "a.html#p-1:~:text=x"


@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=8),
                min_size=1, max_size=30),
       st.lists(st.integers(min_value=0, max_value=300), max_size=4))
def test_terms_are_words_of_the_passage_in_order_and_never_raw_syntax(words, breaks):
    passage = " ".join(words)
    directive = text_directive(passage, breaks)
    if not passage.split():
        assert directive == ""
        return
    if not directive:  # only when markers leave no whole word to match on either side
        assert any(0 < b < len(passage) for b in breaks)
        return
    body = directive[len("text="):]
    assert not re.search(r"[-&\s]", body) and body.count(",") <= 1
    normal = " ".join(passage.split())
    at = 0
    for term in terms(directive):
        found = normal.find(term, at)
        assert found >= 0, (term, normal)
        at = found + len(term)


def block_text(element) -> str:
    """The text a browser searches in the block around ``element``, without the room's additions."""
    block = element.find_parent(lambda t: t.name in ("h1", "h2", "h3", "h4") or
                                {"rr-p", "rr-li"} & set(t.get("class", ()))) or element
    block = BeautifulSoup(str(block), "html.parser")
    for extra in block.select(".rr-ref, .rr-permalink, .headerlink, .rr-sr, .rr-notes, .rr-speaker, .rr-backref"):
        extra.decompose()
    return " ".join(block.get_text("").split())


def test_every_paragraph_and_note_permalink_carries_a_fragment(site):
    for slug in SLUGS:
        soup = BeautifulSoup((site / "sources" / f"{slug}.html").read_text(encoding="utf-8"), "html.parser")
        links = soup.select(".rr-p > .rr-permalink, .rr-li .rr-permalink, .rr-note .rr-permalink")
        assert links, slug
        without = []
        for a in links:
            target = soup.find(id=a["href"][1:])
            if "data-text-fragment" not in a.attrs:  # a table, or a passage repeated earlier on the page
                without.append(a)
                continue
            assert a["data-text-fragment"].startswith("text="), (slug, a)
            assert target is not None, (slug, a["href"])
            if target.get("data-note"):  # a note's link highlights its passage
                target = soup.find(id=target["data-note"])
            text = block_text(target)
            for term in terms(a["data-text-fragment"]):
                assert term in text, (slug, a["href"], term)
        assert len(without) <= len(links) // 10, (slug, [a["href"] for a in without])


def test_rebuttal_links_carry_the_far_passage_and_its_paragraph(site):
    seen = 0
    for slug in SLUGS:
        soup = BeautifulSoup((site / "sources" / f"{slug}.html").read_text(encoding="utf-8"), "html.parser")
        for a in soup.select(".rr-note__link a"):
            page, fragment = a["href"].split("#", 1)
            if ":~:" not in fragment:  # the passage is repeated earlier on its page: the id alone
                continue
            note_id, directive = fragment.split(":~:")
            other = BeautifulSoup((site / "sources" / page).read_text(encoding="utf-8"), "html.parser")
            mark = other.find(id=note_id)
            assert mark is not None and mark.name == "mark", a["href"]
            quote = " ".join("".join(m.get_text() for m in other.select(f'mark[data-annotation="{note_id}"]')
                                     if not m.find_parent("mark", attrs={"data-annotation": note_id})).split())
            for term in terms(directive):
                assert term in quote, (a["href"], term, quote)
            para_page, para_id = a["data-paragraph"].split("#")
            assert para_page == page and other.find(id=para_id) is not None, a["data-paragraph"]
            assert other.find(id=para_id).find(id=note_id) is not None or other.find(id=para_id).name.startswith("h")
            seen += 1
    assert seen >= 2


def test_the_start_term_grows_until_nothing_earlier_on_the_page_matches():
    passage = "Poverty Alleviation Through Labor Transfer represents a non-internment state-imposed forced labor system."
    earlier = fold("In contrast, Xinjiang's Poverty Alleviation Through Labor Transfer programme")
    got = terms(text_directive(passage, seen_before=lambda term: term in earlier))
    assert got[0] == "Poverty Alleviation Through Labor Transfer represents"
    assert got[1].endswith("system.")


def test_a_passage_repeated_whole_earlier_gets_no_directive():
    earlier = fold("people-centered philosophy of development")
    assert text_directive("People-centered philosophy of development", seen_before=lambda t: t in earlier) == ""


def test_page_text_sees_headings_and_earlier_blocks_but_not_later_ones():
    from reading_room.convert import convert
    from reading_room.model import Meta

    text = "Title\n\nTen Years\n\nFirst paragraph says ten years of growth.\n\nSecond paragraph.\n"
    source = convert(text, "seeds/x.txt", "x", Meta(title="Title"), sha256="0" * 64)
    page = PageText(source)
    first, second = [b for b in source.blocks if b.kind == "paragraph"]
    assert page.seen_before(second.id)("ten years of growth")
    assert not page.seen_before(first.id)("ten years of growth")
    assert page.seen_before(first.id, len("First paragraph says "))("first paragraph")
    assert page.seen_before(first.id)("ten years")  # the heading, also in the table of contents


def test_an_excerpt_with_the_source_checksum_does_not_share_its_page_text():
    from dataclasses import replace

    from reading_room.convert import convert
    from reading_room.fragments import page_text
    from reading_room.model import Meta

    text = "Title\n\nFirst paragraph about ten years.\n\nSecond paragraph.\n"
    source = convert(text, "seeds/x.txt", "x", Meta(title="Title"), sha256="1" * 64)
    excerpt = replace(source, blocks=source.blocks[-1:])
    assert page_text(excerpt) is not page_text(source)
    assert page_text(source).seen_before(source.blocks[-1].id)("ten years")
    assert page_text(source) is page_text(source)


def test_a_page_too_long_to_index_gets_element_ids_only(monkeypatch):
    from reading_room import fragments
    from reading_room.convert import convert
    from reading_room.model import Meta

    monkeypatch.setattr(fragments, "INDEXED_UP_TO", 10)
    source = convert("Title\n\nA first paragraph that is long enough.\n", "seeds/x.txt", "x", Meta(title="T"))
    page = fragments.PageText(source)
    assert not page.indexed
    assert text_directive(source.blocks[-1].text, seen_before=page.seen_before(source.blocks[-1].id)) == ""


def test_preload_hands_page_text_to_the_loader_once_per_source():
    """The build preloads every page's index from the disk cache, so a fresh process does not
    index every page again; page_text then returns the preloaded index."""
    from pathlib import Path

    from reading_room import fragments
    from reading_room.room import load_sources

    room = load_sources(Path(__file__).resolve().parents[1])
    fragments._PAGES.clear()  # other tests in this process may have indexed these pages
    asked = []

    def load(source, build):
        asked.append(source.slug)
        return build()

    fragments.preload(room.sources.values(), load)
    fragments.preload(room.sources.values(), load)  # already there: not asked again
    assert sorted(asked) == sorted(room.sources)
    for source in room.sources.values():
        page = fragments.page_text(source)
        assert page is fragments.page_text(source) and page.indexed
