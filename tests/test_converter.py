"""The converter on the real seeds: structure recovered, every page-break join listed."""

from __future__ import annotations

from pathlib import Path

import pytest

from reading_room.convert import convert, split_raw_blocks, strip_emphasis
from reading_room.room import load_sources

ROOT = Path(__file__).resolve().parents[1]

# (last line of the upper part, first line of the lower part), reviewed against the seeds by hand.
EXPECTED_JOINS = {
    'baichuan-migrant-workers': [],
    'news-600000-uyghurs': [],
    'swupl-field-survey': [(11, 13), (15, 17), (19, 21), (23, 25), (27, 29), (35, 37), (39, 41), (43, 45), (47, 49), (51, 53), (53, 55), (69, 71), (95, 97), (144, 146), (148, 150), (158, 160), (191, 193), (240, 242), (246, 248), (274, 276), (278, 280), (286, 288), (290, 292), (324, 326), (333, 335), (339, 341), (366, 368), (368, 370), (374, 376), (382, 384), (388, 390), (390, 392), (396, 398), (406, 408), (412, 414), (420, 422), (424, 426), (430, 432), (438, 440), (442, 444), (450, 452), (462, 464), (466, 468), (472, 474)],
    'white-paper-2020': [(23, 25), (35, 37), (47, 49), (53, 55), (59, 61), (67, 69), (77, 79), (87, 89), (95, 97), (103, 105), (107, 109), (119, 121), (125, 127), (132, 134), (145, 147), (151, 153), (157, 159), (163, 165), (171, 173), (175, 177), (179, 181), (183, 185), (189, 191), (193, 195), (201, 203), (211, 213), (219, 221), (227, 229), (235, 237), (255, 257), (261, 263), (265, 267), (273, 275), (279, 281)],
    'zenz-2024-forced-labor': [],
}


@pytest.fixture(scope="module")
def room():
    return load_sources(ROOT)


@pytest.mark.parametrize("slug", sorted(EXPECTED_JOINS))
def test_page_break_joins(room, slug):
    assert [(j.upper_line, j.lower_line) for j in room.sources[slug].joins] == EXPECTED_JOINS[slug]


def test_every_seed_has_a_source(room):
    assert sorted(room.sources) == sorted(p.stem for p in (ROOT / "seeds").glob("*.txt"))
    assert not room.problems.items, [str(p) for p in room.problems]


def test_white_paper_contents_heading_split_by_page_break_is_joined(room):
    entries = [b.text for b in room.sources["white-paper-2020"].blocks if b.kind == "contents"]
    assert "VI. Application of International Labor and Human Rights Standards" in entries
    assert "Standards" not in entries


def test_survey_tables_rebuilt_only_when_sound(room):
    blocks = room.sources["swupl-field-survey"].blocks
    tables = [b for b in blocks if b.kind == "table"]
    pres = [b for b in blocks if b.kind == "pre"]
    assert [b.first_line for b in tables] == [73, 124, 131, 162]
    assert [b.first_line for b in pres] == [99, 111, 176, 205, 347]


def test_survey_dialogue_and_chart_captions(room):
    blocks = room.sources["swupl-field-survey"].blocks
    speakers = {b.speaker for b in blocks if b.kind == "dialogue"}
    assert {"I&R Team", "I & R Team", "Worker A", "Worker B", "Worker C", "Worker D", "Worker E"} <= speakers
    charts = [b for b in blocks if b.kind == "caption" and b.caption_of == "chart"]
    assert len(charts) == 7


def test_bullets_and_footnotes(room):
    zenz = room.sources["zenz-2024-forced-labor"]
    assert sum(b.kind == "item" for b in zenz.blocks) == 7
    assert [b.number for b in zenz.blocks if b.kind == "footnote"] == ["1", "2", "3", "4"]
    assert zenz.footnotes_present
    assert not room.sources["baichuan-migrant-workers"].footnotes_present
    wp_items = [b for b in room.sources["white-paper-2020"].blocks if b.kind == "item"]
    assert len(wp_items) == 12


def test_ids_survive_an_edit_elsewhere():
    text = "Title\n\nFirst paragraph here.\n\nSecond paragraph here.\n"
    before = {b.text: b.id for b in convert(text, "x.txt", "x").blocks}
    edited = text.replace("First paragraph here.", "First paragraph, rewritten.")
    after = {b.text: b.id for b in convert(edited, "x.txt", "x").blocks}
    assert after["Second paragraph here."] == before["Second paragraph here."]


def test_whitespace_only_lines_separate_blocks():
    assert [b.first_line for b in split_raw_blocks("a\n \t\nb\n")] == [1, 3]


@pytest.mark.parametrize(
    "text, clean, spans",
    [
        ("the *Constitution* says", "the Constitution says", [(4, 16, False)]),
        ("a **Labor Law** b", "a Labor Law b", [(2, 11, True)]),
        ("2 * 3 * 4", "2 * 3 * 4", []),
        ("snake_case and *half", "snake_case and *half", []),
        ("***Abstract:** text.*", "Abstract: text.", [(0, 15, False), (0, 9, True)]),
    ],
)
def test_emphasis_only_where_asterisks_pair(text, clean, spans):
    got_clean, got = strip_emphasis(text)
    assert got_clean == clean
    assert sorted((e.start, e.end, e.strong) for e in got) == sorted(spans)
