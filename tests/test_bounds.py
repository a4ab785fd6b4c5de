"""Every error path is bounded: in the size of its message and in time, on a 10 MB seed.

A quote of one letter matches hundreds of thousands of places; a 3,000-word quote copied from
another edition matches none; a script gone wrong puts 3,000 notes on one passage.  Each makes
one clear message of a few lines, in seconds, and the "Notes that need attention" page costs
no more than its length.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import markdown
import pytest

from conftest import build, make_project
from reading_room import site
from reading_room.anchor import SourceText, match_quote
from reading_room.convert import convert
from reading_room.decode import decode_text
from reading_room.errors import MAX_LISTED, Problems, listed
from reading_room.margin import MAX_NOTES_ON_ONE_PASSAGE, Resolution, _describe
from reading_room.notes import Selector
from reading_room.room import load_room

ROOT = Path(__file__).resolve().parents[1]
CROWDED = "The passage that carries three thousand notes, all of them on these words."
CROWD = 3000


def seed_body() -> str:
    return "\n\n".join(decode_text(p.read_bytes(), p.name).text for p in sorted((ROOT / "seeds").glob("*.txt")))


def ten_megabytes() -> str:
    body = seed_body()
    return f"A Very Large Source\n\n{CROWDED}\n\n" + "\n\n".join([body] * (10_000_000 // len(body.encode()) + 1))


def absent_quote() -> str:
    """3,000 words of the seed, as another edition has them: one word differs."""
    words = seed_body().split()[5000:8000]
    words[1500] = "otherwise"
    return " ".join(words)


def hostile_notes() -> str:
    notes = [{"id": "one-letter", "kind": "framing", "technique": "loaded_language", "quote": "a",
              "note": "A one-letter quote."},
             {"id": "long-absent", "kind": "uncited", "strength": "unsourced", "quote": absent_quote(),
              "note": "A quote from another edition."}]
    notes += [{"id": f"crowd-{i}", "kind": "framing", "technique": "loaded_language", "quote": "these words",
               "note": f"Crowded note {i}."} for i in range(CROWD)]
    return json.dumps({"annotations": notes}, indent=1)


def messages(problems, note_id: str) -> list[str]:
    return [str(p) for p in problems if p.note_id == note_id]


# -- the core, on its own: fast enough for every run of the suite --------------------------------

def test_a_message_lists_ten_places_then_counts_the_rest():
    st = SourceText(convert("Title\n\n" + "A cat sat. " * 5000 + "\n", "seeds/t.txt", "t"))
    failure = match_quote(st, Selector("cat"))
    assert failure.reason == "ambiguous" and failure.total == 5000 and len(failure.places) == MAX_LISTED
    message, hint = _describe(failure, Selector("cat"), "seeds/t.txt")
    assert message.startswith('quote matches 5,000 passages in seeds/t.txt: "cat"')
    assert hint.endswith("; and 4,990 more") and hint.count("seed line") == MAX_LISTED
    assert len(message) + len(hint) < 2000


def test_listed_counts_what_it_leaves_out():
    assert listed(["a", "b"]) == "a; b"
    assert listed([str(i) for i in range(12)], sep=", ") == "0, 1, 2, 3, 4, 5, 6, 7, 8, 9, and 2 more"
    assert listed(["x"] * 10, total=240_001) == "; ".join(["x"] * 10) + "; and 239,991 more"


def test_ten_megabyte_seed_hostile_notes_make_one_clear_message_each(tmp_path, capsys):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "annotations").mkdir()
    (tmp_path / "seeds" / "large.txt").write_text(ten_megabytes(), encoding="utf-8")
    (tmp_path / "seeds" / "large.meta.yml").write_text("title: A Very Large Source\n", encoding="utf-8")
    (tmp_path / "annotations" / "large.yml").write_text(hostile_notes(), encoding="utf-8")
    # processor time, so that a machine shared with other work does not fail the test
    clock, start = time.perf_counter(), time.process_time()
    room = load_room(tmp_path, machine_flags=False)
    loaded = time.process_time()
    pages = {p.uri: p for p in site.pages(room)}
    attention = markdown.markdown(pages[site.ATTENTION_URI].text, extensions=["toc", "attr_list", "tables", "admonition"])
    done = time.process_time()
    with capsys.disabled():
        print(f"\n10 MB seed, a one-letter quote, a 3,000-word absent quote, {CROWD:,} notes on one passage: "
              f"room read and anchored in {loaded - start:.1f} s, pages and attention page in {done - loaded:.1f} s "
              f"of processor time ({time.perf_counter() - clock:.1f} s on the clock)")
    assert done - start <= 60

    one = messages(room.problems, "one-letter")
    assert len(one) == 1 and len(one[0]) < 3000, one
    assert re.search(r"quote matches [\d,]{7} passages in seeds/large\.txt: \"a\"", one[0])
    assert re.search(r"; and [\d,]{7} more$", one[0])

    absent = messages(room.problems, "long-absent")
    assert len(absent) == 1 and len(absent[0]) < 3000, absent
    # the hint finds where the quote was copied from
    assert "closest passage, seed line" in absent[0] and " ".join(absent_quote().split()[:6]) in absent[0]

    crowded = [str(p) for p in room.problems if "notes are on one passage" in p.message]
    assert len(crowded) == 1 and len(crowded[0]) < 3000, crowded
    assert f"{CROWD:,} notes are on one passage" in crowded[0] and "and 2,990 more" in crowded[0]
    assert not [p for p in room.problems if p.note_id.startswith("crowd-") and "notes are on one passage" not in p.message]
    assert len(room.problems) == 3, [str(p)[:200] for p in room.problems]
    # nothing dropped: the crowd is on the page, the two failures on the attention page
    assert pages["sources/large.md"].text.count('data-note="crowd-') == CROWD
    assert "one-letter" in attention and "long-absent" in attention


def test_attention_page_costs_its_length_in_markdown():
    """A problem of 2 MB of editors' text (quotes, asterisks, brackets) passes through
    Python-Markdown as one block of HTML, in time proportional to its length."""
    def room(n: int, size: int):
        problems = Problems()
        for i in range(n):
            problems.add(f"annotations/x{i}.yml", i + 1, "quote not found: " + "*a* [b] _c_ `d` <x> " * (size // 20), "a hint")
        return type("R", (), {"problems": problems, "resolution": Resolution()})()

    def seconds(page: str) -> float:
        t = time.perf_counter()
        html = markdown.markdown(page, extensions=["toc", "attr_list", "tables", "admonition"])
        assert html.count("<li>") == page.count("<li>")
        return time.perf_counter() - t

    small, large = site.attention_page(room(1, 200_000)), site.attention_page(room(1, 2_000_000))
    assert "*a* [b] _c_ `d` &lt;x&gt;" in large
    # linear: ten times the text costs about ten times the time (at most three times that, for a
    # busy machine); as Markdown list items, a 0.6 MB problem took more than two minutes
    assert seconds(large) < 30 * max(seconds(small), 0.01)
    assert seconds(large) < 30


def test_crowded_passage_threshold_leaves_ordinary_margins_alone():
    text = "Title\n\nThe workers chose freely, the report says.\n"
    notes = [{"id": f"n{i}", "kind": "framing", "technique": "loaded_language", "quote": "chose freely",
              "note": "x"} for i in range(MAX_NOTES_ON_ONE_PASSAGE)]
    from reading_room.notes import parse_annotations
    from reading_room.margin import resolve
    problems = Problems()
    parsed = parse_annotations(json.dumps({"annotations": notes}), "annotations/t.yml", "t", problems)
    sources = {"t": convert(text, "seeds/t.txt", "t")}
    assert not resolve(sources, parsed).problems.items
    parsed += parse_annotations(json.dumps({"annotations": [dict(notes[0], id="one-more")]}), "annotations/t.yml", "t", problems)
    assert len(resolve(sources, parsed).problems.items) == 1


def ten_megabytes_unannotated() -> str:
    """10 MB that nobody has annotated, its paragraphs told apart by their first words (copy
    after copy of the seeds, so most phrases still have 56 places and no telling context)."""
    body = seed_body().split("\n\n")
    copies = 10_000_000 // sum(len(p.encode()) + 2 for p in body) + 1
    return "A Large Unannotated Source\n\n" + "\n\n".join(
        f"In copy {i}, {p}" if k % 3 == 0 else p for i in range(copies) for k, p in enumerate(body)) + "\n"


def test_ten_megabyte_seed_nobody_annotated_gets_the_detectors_suggestions(tmp_path, capsys):
    from reading_room.detect import detect
    from reading_room.detect.suggest import place, place_all

    text = ten_megabytes_unannotated()
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "bare.txt").write_text(text, encoding="utf-8")
    clock, start = time.perf_counter(), time.process_time()
    room = load_room(tmp_path)
    seconds = time.process_time() - start
    notes = [n for n in room.resolution.placed if n.note.source == "bare"]
    with capsys.disabled():
        print(f"\n10 MB seed with no notes: {len(notes):,} suggestions placed, {room.machine_dropped.get('bare', 0):,} "
              f"flags not placed, in {seconds:.1f} s of processor time ({time.perf_counter() - clock:.1f} s on the clock)")
    assert len(text) > 10_000_000 and "bare" not in room.machine_skipped
    assert seconds <= 60
    assert len(notes) > 1000 and all(n.note.status == "suggested" for n in notes)
    assert room.machine_dropped["bare"] > 10_000  # the phrases of 56 identical copies: counted, not guessed
    # one pass places them as one flag at a time does (which scans the 10 MB once a flag)
    flags = detect(text[:400_000])
    sample = flags[::len(flags) // 40][:40]
    assert place_all(text, sample) == [place(text, f) for f in sample]


# -- the same room through MkDocs --------------------------------------------------------------

@pytest.mark.slow
def test_ten_megabyte_hostile_room_builds_through_mkdocs(tmp_path, capsys):
    project = make_project(tmp_path, seeds={"large.txt": ten_megabytes(), "large.meta.yml": "title: A Very Large Source\n"},
                           annotations={"large.yml": hostile_notes()})
    start = time.perf_counter()
    result = build(project, tmp_path / "site", strict=False)
    seconds = time.perf_counter() - start
    out = result.stdout + result.stderr
    with capsys.disabled():
        print(f"\n10 MB hostile room: whole MkDocs build in {seconds:.1f} s, log {len(out):,} characters")
    assert result.returncode == 0, out[-3000:]
    assert "Traceback" not in out
    warnings = [line for line in out.splitlines() if line.startswith("WARNING") and "reading-room" in line]
    assert len(warnings) == 3, warnings
    assert len(out) < 20_000
    attention = (tmp_path / "site" / "attention.html").read_text(encoding="utf-8")
    assert "one-letter" in attention and "long-absent" in attention and "notes are on one passage" in attention
