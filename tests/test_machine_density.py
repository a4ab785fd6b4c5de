"""How many of the detector's suggestions a page shows (issue 17): the first one of each
paragraph, in reading order; its note says how many more the detector found there and of which
kinds, so nothing is hidden without a word; ``make suggest`` still drafts every one of them for
an editor.  A page of suggestions alone had one every 266 characters, too dense to read and
seven times its text's weight."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reading_room import machine
from reading_room.anchor import SourceText
from reading_room.convert import convert
from reading_room.decode import decode_text
from reading_room.detect import detect
from reading_room.machine import PROSE, machine_notes

ROOT = Path(__file__).resolve().parents[1]
SEEDS = {p.stem: decode_text(p.read_bytes(), p.name).text for p in sorted((ROOT / "seeds").glob("*.txt"))}


def suggestions(name: str, text: str):
    st = SourceText(convert(text, f"seeds/{name}.txt", name))
    notes, dropped = machine_notes(name, f"seeds/{name}.txt", text, st, None)
    return st, notes, dropped


def flags_by_paragraph(st: SourceText, text: str) -> dict[str, list]:
    """Every flag the detector finds in a prose paragraph (by the line it starts on), by
    paragraph, in reading order: placed or not."""
    from bisect import bisect_left

    breaks = [i for i, ch in enumerate(text) if ch == "\n"]
    out: dict[str, list] = {}
    for flag in detect(text):
        line = bisect_left(breaks, flag.start) + 1
        block = next((b for b in st.blocks if b.first_line <= line <= b.last_line), None)
        if block is not None and block.kind in PROSE:
            out.setdefault(block.id, []).append(flag)
    return out


def block_of(st: SourceText, note) -> str:
    return next(b.id for b in st.blocks if b.first_line <= note.line <= b.last_line)


@pytest.mark.parametrize("name", list(SEEDS))
def test_each_paragraph_shows_its_first_placeable_suggestion_and_counts_the_rest(name, monkeypatch):
    text = SEEDS[name]
    st, notes, _ = suggestions(name, text)
    monkeypatch.setattr(machine, "SHOWN_PER_PARAGRAPH", 10**6)
    _, every, _ = suggestions(name, text)  # every suggestion that can be placed
    found = flags_by_paragraph(st, text)
    first_placeable: dict[str, str] = {}
    for note in every:
        first_placeable.setdefault(block_of(st, note), note.id)
    shown: dict[str, list] = {}
    for note in notes:
        shown.setdefault(block_of(st, note), []).append(note)
    assert set(shown) == set(first_placeable), "every paragraph with a placeable flag shows one"
    for block, (note,) in shown.items():
        assert note.id == first_placeable[block], "the first in reading order that can be placed"
        more = [f for f in found[block] if f"auto-{name}-{f.kind[0]}{f.start}" != note.id]
        said = re.search(r" The detector found (\d+) more (?:(\w+) passages? in this paragraph|in this paragraph \(([^)]*)\))\.$",
                         note.body)
        if not more:
            assert said is None, note.body
            continue
        assert said, note.body
        assert int(said[1]) == len(more)
        want = {kind: sum(f.kind == kind for f in more) for kind in {f.kind for f in more}}
        if said[2]:  # one kind
            assert want == {said[2]: len(more)}, note.body
            assert note.body.endswith("passage in this paragraph.") == (len(more) == 1)
        else:
            assert len(want) > 1, note.body
            assert dict((kind, int(n)) for n, kind in (part.split(" ") for part in said[3].split(", "))) == want


def test_only_what_is_shown_is_placed(monkeypatch):
    """Placing and anchoring cost what the page shows, not every flag the detector found."""
    from reading_room.detect import suggest

    placed = []
    real = suggest.place_all
    monkeypatch.setattr(suggest, "place_all", lambda text, flags: placed.extend(flags) or real(text, flags))
    text = SEEDS["white-paper-2020"]
    _, notes, dropped = suggestions("white-paper-2020", text)
    assert len(placed) == len(notes) + dropped
    assert len(placed) < len(detect(text)) / 2


def test_the_cap_is_what_thins_the_margin(monkeypatch):
    """With no cap every placed flag is a note: the test above is not passing by accident."""
    text = SEEDS["white-paper-2020"]
    _, capped, dropped = suggestions("white-paper-2020", text)
    monkeypatch.setattr(machine, "SHOWN_PER_PARAGRAPH", 10_000)
    _, every, dropped_too = suggestions("white-paper-2020", text)
    assert dropped == dropped_too
    assert len(every) > 2 * len(capped)
    assert not any("more in this paragraph" in n.body for n in every)
    assert {n.id for n in capped} <= {n.id for n in every}
    first_at = {}
    for i, n in enumerate(every):
        first_at.setdefault(n.id, i)
    order = [first_at[n.id] for n in capped]
    assert order == sorted(order), "in the detector's order, as before"


def test_an_editors_draft_still_gets_every_suggestion():
    """``make suggest`` is for the editor: it drafts every flag, not only those a page shows."""
    from reading_room.detect.suggest import plan

    text = SEEDS["white-paper-2020"]
    _, shown, _ = suggestions("white-paper-2020", text)
    assert len(plan("white-paper-2020", text, [])) > 2 * len(shown)
