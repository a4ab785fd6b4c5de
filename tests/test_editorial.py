"""The editorial minimums per source, so a later edit cannot quietly thin a source's margin."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from reading_room.room import load_room

ROOT = Path(__file__).resolve().parents[1]
PRC_ALIGNED = {"baichuan-migrant-workers", "white-paper-2020", "swupl-field-survey"}
CRITICAL = {"news-600000-uyghurs", "zenz-2024-forced-labor"}
SHORT = {"news-600000-uyghurs"}  # the short news article has lower minimums
MIN_FRAMING, MIN_UNCITED = 10, 8
MIN_FRAMING_SHORT, MIN_UNCITED_SHORT = 8, 6
MIN_REBUTTALS, MIN_REBUTTALS_PER_SOURCE = 20, 3
SENTENCE_END = re.compile(r"[.?!][\"'”’)]*(?=\s|$)")


@pytest.fixture(scope="module")
def room():
    r = load_room(ROOT)
    assert not r.problems.items, "\n".join(map(str, r.problems))
    return r


def curated(room, slug, kind):
    return [p for p in room.resolution.for_source(slug) if p.note.kind == kind and not p.note.suggested]


@pytest.mark.parametrize("slug", sorted(PRC_ALIGNED | CRITICAL))
def test_minimum_framing_and_uncited(room, slug):
    short = slug in SHORT
    framing, uncited = curated(room, slug, "framing"), curated(room, slug, "uncited")
    assert len(framing) >= (MIN_FRAMING_SHORT if short else MIN_FRAMING), slug
    assert len(uncited) >= (MIN_UNCITED_SHORT if short else MIN_UNCITED), slug
    assert all(p.note.technique for p in framing) and all(p.note.strength for p in uncited)


@pytest.mark.parametrize("slug", sorted(PRC_ALIGNED | CRITICAL))
def test_notes_spread_across_the_document(room, slug):
    """Framing notes in each third of the text, not bunched at the start."""
    source = room.sources[slug]
    order = {b.id: i for i, b in enumerate(source.blocks)}
    thirds = Counter(3 * order[p.anchor.block_id] // len(source.blocks) for p in curated(room, slug, "framing"))
    assert set(thirds) == {0, 1, 2}, (slug, thirds)


def test_rebuttals_both_ways_and_every_source_involved(room):
    rebuttals = [p for p in room.resolution.placed if p.note.kind == "rebuttal" and not p.note.suggested]
    assert len(rebuttals) >= MIN_REBUTTALS
    involved = Counter()
    for p in rebuttals:
        involved[p.note.source] += 1
        involved[p.note.target.source] += 1
    for slug in PRC_ALIGNED | CRITICAL:
        assert involved[slug] >= MIN_REBUTTALS_PER_SOURCE, (slug, involved[slug])
    prc_disputes_critical = sum(p.note.source in CRITICAL and p.note.target.source in PRC_ALIGNED for p in rebuttals)
    critical_disputes_prc = sum(p.note.source in PRC_ALIGNED and p.note.target.source in CRITICAL for p in rebuttals)
    assert prc_disputes_critical >= 3 and critical_disputes_prc >= 3


def test_headnotes_written(room):
    for slug, source in room.sources.items():
        sentences = [s for s in source.meta.headnote.replace("…", ".").split(". ") if s.strip()]
        assert 3 <= len(sentences) <= 6, (slug, source.meta.headnote)


def test_notes_are_short(room):
    for p in room.resolution.placed:
        body = p.note.body
        sentences = len(SENTENCE_END.findall(body))  # "1.5 million" is not two sentences
        assert sentences <= 4 and len(body) <= 600, (p.note.id, body)


def test_one_rebuttal_per_pair_of_passages(room):
    """A rebuttal shows at both ends, so no pair of paragraphs is joined twice, in either direction."""
    rebuttals = [p for p in room.resolution.placed if p.note.kind == "rebuttal" and not p.note.suggested]
    seen: dict[frozenset, str] = {}
    for p in rebuttals:
        pair = frozenset({(p.note.source, p.anchor.block_id), (p.note.target.source, p.target.block_id)})
        assert pair not in seen, f"{p.note.id} joins the same two paragraphs as {seen[pair]}"
        seen[pair] = p.note.id


# The headnote template of About the annotations (#headnotes); every source follows it once its
# editor has rewritten the headnote (issue 15).
HEADNOTE_TEMPLATED = {"baichuan-migrant-workers", "news-600000-uyghurs", "zenz-2024-forced-labor", "white-paper-2020", "swupl-field-survey"}


@pytest.mark.parametrize("slug", sorted(HEADNOTE_TEMPLATED))
def test_headnote_names_sourcing_and_slips(room, slug):
    headnote = room.sources[slug].meta.headnote
    assert "Sourcing:" in headnote and "Slips noted:" in headnote, slug
    assert headnote.index("Sourcing:") < headnote.index("Slips noted:")


# A note that counts something in the room's own text ("appears five times", "34.4 percent of")
# carries checks that the build recomputes (reading_room.checks); see test_checks.py.
NUMBER = r"(?:\d[\d,]*|once|twice|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
STATES_A_COUNT = re.compile(rf"\b{NUMBER} times\b|\bpercent of\b|\bOnly (?:one|the first)\b", re.I)
COUNTS_CHECKED = {"baichuan-migrant-workers", "news-600000-uyghurs", "zenz-2024-forced-labor", "white-paper-2020", "swupl-field-survey"}


def test_notes_that_state_counts_carry_checks(room):
    unchecked = [n.id for n in room.notes if n.source in COUNTS_CHECKED and STATES_A_COUNT.search(n.body) and not n.checks]
    assert unchecked == []
    assert sum(bool(n.checks) for n in room.notes if n.source in COUNTS_CHECKED) >= 6


def test_consistency_table_names_real_notes_from_every_source(room):
    """The table on About the annotations (#consistency) points at notes that exist, in all five sources."""
    page = (ROOT / "docs" / "about-annotations.md").read_text(encoding="utf-8")
    table = page[page.index("{#consistency}"):page.index("{#headnotes}")]
    named = set(re.findall(r"`([a-z0-9-]+)`", table))
    by_id = {n.id: n for n in room.notes}
    assert named and not named - set(by_id), sorted(named - set(by_id))
    assert {by_id[i].source for i in named} == PRC_ALIGNED | CRITICAL
    for row in (r for r in table.splitlines() if r.startswith("| ") and "label" not in r):
        assert row.count(" | ") >= 4, row  # move, label, both camps, and what was left unflagged
