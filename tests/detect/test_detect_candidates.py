"""Rebuttal candidates: ranked by shared figures and units, programmes, places, years."""

from __future__ import annotations

from pathlib import Path

from reading_room.detect import candidates as cand
from reading_room.detect.rules import detect

ROOT = Path(__file__).resolve().parents[2]

OTHERS = {
    "a": ("The county sent 150,000 workers to other provinces in 2019. "
          "Kashgar Prefecture placed 1.05 million laborers in 2023. "
          "The weather in spring was mild and pleasant for everyone involved."),
    "b": ("Under the Pairing Assistance program, Anhui received 5,000 workers in 2023. "
          "Transfers reached 2.8 million person-times in 2021. "
          "Nothing in this sentence is shared with any claim at all."),
}


def test_same_unit_and_close_number_rank_first():
    got = cand.rank("Since 2018, about 151,000 workers from poor families have worked in the mainland.", OTHERS)
    assert got and got[0].slug == "a" and got[0].text.startswith("The county sent 150,000")
    assert any("151,000" in f for f in got[0].shared["figures"])


def test_persons_and_person_times_are_related_but_marked_different():
    got = cand.rank("In 2021, 3.0 million people were transferred.", OTHERS)
    best = [c for c in got if "person-times" in c.text]
    assert best and "different units" in best[0].summary()


def test_programme_names_and_places_count():
    got = cand.rank("The Pairing Assistance program sends workers east.", OTHERS)
    assert got[0].slug == "b" and "pairing assistance" in got[0].summary().lower()
    got = cand.rank("In 2023 Kashgar Prefecture still had a large surplus workforce.", OTHERS)
    assert got[0].text.startswith("Kashgar Prefecture") and "kashgar prefecture" in got[0].summary()


def test_nothing_in_common_gives_no_candidate():
    assert cand.rank("The weather was mild and pleasant.", OTHERS) == []


def test_a_disputed_concept_alone_is_a_weak_lead_on_the_opposite_side():
    others = {"x": "Workers were coerced into the programme and had no choice.",
              "y": "Workers joined the programme because of the canteen."}
    got = cand.rank("They joined voluntarily, on their own initiative.", others)
    assert [c.slug for c in got] == ["x"] and "opposite wording" in got[0].summary()
    assert got[0].score < 2.0


def test_candidates_come_from_several_sources_before_one_source_repeats():
    got = cand.rank("In 2023, 5,000 workers and 1.05 million laborers moved.", OTHERS, limit=2)
    assert {c.slug for c in got} == {"a", "b"}


def test_for_flag_uses_the_whole_sentence_and_offsets_point_into_the_other_text():
    text = (ROOT / "seeds" / "news-600000-uyghurs.txt").read_text(encoding="utf-8-sig")
    others = {s: (ROOT / "seeds" / f"{s}.txt").read_text(encoding="utf-8-sig")
              for s in ("white-paper-2020", "zenz-2024-forced-labor")}
    flag = next(f for f in detect(text) if f.kind == "uncited" and "600,000" in f.exact and "researcher" in f.exact.lower())
    got = cand.for_flag(flag, text, others)
    assert got
    for c in got:
        assert others[c.slug][c.start:c.end] == c.text and c.slug != "news-600000-uyghurs"
