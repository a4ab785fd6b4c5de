"""The search index builder (reading_room.search_index) without a build: tokenising, parts,
postings, sharding into term chunks and entry packs, and a golden small index.

    REGENERATE=1 .venv/bin/python -m pytest tests/test_search_index.py   # rewrite the golden file
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from reading_room import search_index as si
from reading_room.room import load_room
from reading_room.site import source_url

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "search-index.json"


def data(content: str):
    """The data a generated script hands to ReadingRoomSearch.load."""
    m = re.fullmatch(r'ReadingRoomSearch\.load\("(\w+)",(null|\d+),(.*)\);\n', content, re.S)
    assert m, content[:80]
    return json.loads(m.group(3))


def small_pages() -> list[si.IndexPage]:
    return [
        si.IndexPage("sources/a.html", "Labour in Xinjiang", (
            si.Entry("text", (("title", "Labour in Xinjiang"), ("p-1", "The 2.6 million person-times of 2019, a record."))),
            si.Entry("framing", (("note-a-1", "Loaded wording: 'record' (loaded language)"),)),
        ), collection="Reports"),
        si.IndexPage("sources/b.html", "Café notes", (
            si.Entry("text", (("title", "Café notes"), ("p-2", "Workers and their CAFÉ; 151,000 workers."))),
            si.Entry("uncited", (("note-b-1", "No source for 151,000."),), suggested=True),
        ), collection="News"),
        si.IndexPage("about.html", "About", (si.Entry("page", (("", "About the room and its record"),)),)),
    ]


def test_terms_fold_case_and_accents_split_on_punctuation_and_drop_stop_words():
    assert si.terms("The Café's PERSON-TIMES, 151,000 in Ürümqi_x") == ["cafe", "person", "times", "151", "000", "urumqi"]
    assert si.terms("a I of") == []  # stop words and one-letter tokens
    assert si.terms("新疆 labour") == ["新疆", "labour"]
    assert si.terms("x" * 41) == []  # longer than MAX_TERM


def test_postings_round_trip_small_and_large_gaps():
    for ids in ([0], [0, 1, 2, 3], [5, 31, 32, 1023, 1024, 1025, 99_999, 10_000_000], list(range(0, 5000, 7))):
        code = si.encode_postings(ids)
        assert si.decode_postings(code) == ids
        assert set(code) <= set(si.MORE + si.FINAL)
    assert si.encode_postings([0, 1, 2]) == "bbb"  # gaps of one: one character each


def test_parts_keep_blocks_together_up_to_the_limit_and_cut_a_long_block_keeping_its_id():
    blocks = [("a", "x" * 6), ("b", "y" * 6), ("c", "z" * 25)]
    got = si.parts(blocks, limit=10)
    assert [[b[0] for b in e.blocks] for e in got] == [["a"], ["b"], ["c"], ["c"], ["c"]]
    assert "".join(t for e in got for i, t in e.blocks if i == "c") == "z" * 25
    assert [[b[0] for b in e.blocks] for e in si.parts(blocks, limit=100)] == [["a", "b", "c"]]


def test_chunks_are_sorted_term_ranges_and_every_term_is_in_the_chunk_meta_points_to(monkeypatch):
    monkeypatch.setattr(si, "CHUNK_CHARS", 40)
    monkeypatch.setattr(si, "PACK_CHARS", 60)
    index = si.build(small_pages())
    meta = data(index.files[f"{si.DIR}/meta.js"])
    chunks = meta["chunks"]
    assert len(chunks) > 3 and chunks == sorted(chunks)
    seen = []
    for k, first in enumerate(chunks):
        terms = list(data(index.files[f"{si.DIR}/t{k}.js"]))
        assert terms[0] == first and terms == sorted(terms)
        seen += terms
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == index.terms
    # packs: consecutive entries, each pack starting where meta says
    entries = []
    for k, first in enumerate(meta["packs"]):
        pack = data(index.files[f"{si.DIR}/d{k}.js"])
        assert first == len(entries)
        entries += pack
    assert len(entries) == index.entries == len(meta["entryKinds"]) == sum(p[3] for p in meta["pages"])


def test_a_term_finds_its_entries_through_meta_chunks_and_packs():
    index = si.build(small_pages())
    meta = data(index.files[f"{si.DIR}/meta.js"])
    chunk = data(index.files[f"{si.DIR}/t0.js"])
    packs = data(index.files[f"{si.DIR}/d0.js"])
    hits = si.decode_postings(chunk["151"])
    assert [packs[e][0][0] for e in hits] == ["title", "note-b-1"]  # the text part (its first block) and the note
    kinds = [meta["kinds"][si.FINAL.index(c) >> 1] for c in meta["entryKinds"]]
    assert kinds == ["text", "framing", "text", "uncited", "page"]
    assert si.FINAL.index(meta["entryKinds"][3]) & 1  # suggested by the detector
    assert meta["collections"] == ["News", "Reports"]
    assert [p[2] for p in meta["pages"]] == [2, 1, 0]
    assert "record" in chunk and len(si.decode_postings(chunk["record"])) == 3  # text, note, page


def test_golden_small_index():
    index = si.build(small_pages())
    got = {path: data(content) for path, content in sorted(index.files.items())}
    if os.environ.get("REGENERATE") == "1" or not GOLDEN.exists():
        GOLDEN.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert got == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_html_page_splits_at_headings_and_drops_markup_and_permalinks():
    page = si.html_page("about.html", "About", '<h1 id="about">About<a class="headerlink" href="#about">¶</a></h1>'
                        "<p>Intro &amp; more</p><script>var x = 1</script><h2 id=\"two\">Two</h2><p>Second <b>part</b></p>")
    assert page.entries[0].blocks == (("about", "About Intro & more"), ("two", "Two Second part"))


def test_the_first_room_is_indexed_with_every_placed_note_and_every_block():
    room = load_room(ROOT)
    pages = si.room_pages(room, source_url)
    assert [p.url for p in pages] == [f"sources/{s}.html" for s in room.sources]
    notes = {b[0] for p in pages for e in p.entries if e.kind != "text" for b in e.blocks}
    assert notes == {f"note-{p.note.id}" for p in room.resolution.placed}
    for page, source in zip(pages, room.sources.values()):
        ids = [b[0] for e in page.entries if e.kind == "text" for b in e.blocks]
        assert ids == ["title"] + [b.id for b in source.blocks]
    index = si.build(pages)
    assert index.entries == sum(len(p.entries) for p in pages)
    assert all(len(c) < 2 * si.CHUNK_CHARS for p, c in index.files.items() if "/t" in p)
