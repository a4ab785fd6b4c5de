"""The editorial minimums per source, so a later edit cannot quietly thin a source's margin."""

from __future__ import annotations

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
        sentences = sum(body.count(c) for c in ".?!")
        assert sentences <= 4 and len(body) <= 600, (p.note.id, body)
