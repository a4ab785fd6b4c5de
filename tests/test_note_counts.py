"""The About page's generated table: how many notes each source carries, so imbalance shows."""

from __future__ import annotations

from pathlib import Path

from reading_room.room import load_room
from reading_room.site import note_counts

ROOT = Path(__file__).resolve().parents[1]


def test_one_row_per_source_with_counts_and_density():
    room = load_room(ROOT)
    table = note_counts(room, "about-annotations.md").splitlines()
    assert "per 1,000 words" in table[0]
    rows = table[2:]
    assert len(rows) == len(room.sources)
    for slug, source in room.sources.items():
        row = next(r for r in rows if f"sources/{slug}.md" in r)
        cells = [c.strip() for c in row.strip("|").split("|")]
        curated = [p for p in room.resolution.for_source(slug) if not p.note.suggested]
        framing = sum(p.note.kind == "framing" for p in curated)
        uncited = sum(p.note.kind == "uncited" for p in curated)
        assert cells[1] == str(framing) and cells[2] == str(uncited), row
        assert cells[6] == f"{1000 * (framing + uncited) / source.word_count:.1f}", row
