"""Merging suggestions into annotations/<slug>.yml: curated entries untouched, no duplicates,
idempotent, quotes that anchor."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from reading_room.detect import suggest
from reading_room.detect.sentences import paragraph_spans

ROOT = Path(__file__).resolve().parents[2]
SLUG = "zenz-2024-forced-labor"
ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
CURATED = """# yaml-language-server: $schema=./schema.json
# Curated by hand.  Odd spacing and comments must survive byte for byte.
annotations:
  - id: zenz-curated-1   # keep this comment
    kind: framing
    technique: loaded_language
    quote: "Coercive labor transfers and poverty alleviation practices"
    note: >-
      A curated note that spans
      two lines.
  - id: zenz-curated-2
    kind: uncited
    strength: unsourced
    quote: "In 2021 and 2022, this resulted in increased annual labor transfer figures"
    note: Curated.
"""


@pytest.fixture
def room(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for slug in (SLUG, "news-600000-uyghurs", "white-paper-2020"):
        shutil.copy(ROOT / "seeds" / f"{slug}.txt", seeds / f"{slug}.txt")
    annotations = tmp_path / "annotations"
    annotations.mkdir()
    return seeds, annotations


def entries(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["annotations"]


def test_curated_entries_are_untouched_and_never_duplicated(room):
    seeds, annotations = room
    path = annotations / f"{SLUG}.yml"
    path.write_bytes(CURATED.encode("utf-8"))
    _, added, _ = suggest.merge(SLUG, seeds, annotations)
    assert added > 20
    new = path.read_bytes()
    assert new.startswith(CURATED.encode("utf-8")), "every curated byte stays where it was"
    text = (seeds / f"{SLUG}.txt").read_bytes().decode("utf-8-sig")
    curated = entries(path)[:2]
    taken = [span for e in curated for span in suggest.entry_spans(text, e)]
    assert len(taken) == 2
    for e in entries(path)[2:]:
        spans = suggest.find_all(text, e["quote"])
        if e.get("prefix") or e.get("suffix"):
            spans = [s for s in spans if suggest._context_ok(text, *s, e.get("prefix", ""), e.get("suffix", ""))]
        assert len(spans) == 1, f"{e['id']}: quote must land exactly once"
        (a, b), = spans
        assert not any(s < b and a < t for s, t in taken), f"{e['id']} overlaps a curated entry"


def test_second_run_adds_nothing_and_changes_no_byte(room):
    seeds, annotations = room
    suggest.merge(SLUG, seeds, annotations)
    path = annotations / f"{SLUG}.yml"
    first = path.read_bytes()
    _, added, _ = suggest.merge(SLUG, seeds, annotations)
    assert added == 0 and path.read_bytes() == first


def test_suggested_entries_have_the_required_fields(room):
    seeds, annotations = room
    suggest.merge(SLUG, seeds, annotations)
    path = annotations / f"{SLUG}.yml"
    assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=./schema.json\nannotations:\n")
    text = (seeds / f"{SLUG}.txt").read_bytes().decode("utf-8-sig")
    paragraphs = [text[a:b] for a, b in paragraph_spans(text)]
    ids = set()
    for e in entries(path):
        assert ID.match(e["id"]) and e["id"].startswith(f"{SLUG}-auto-") and e["id"] not in ids
        ids.add(e["id"])
        assert e["status"] == "suggested" and e["author"] == "detector" and e["rule"]
        assert e["kind"] in ("framing", "uncited")
        assert ("technique" in e) == (e["kind"] == "framing") and ("strength" in e) == (e["kind"] == "uncited")
        assert "*" not in e["quote"] and "\n" not in e["quote"]
        assert any(e["quote"] in p for p in paragraphs), "a quote lies inside one paragraph"
        assert e["rule"] in e["note"]
        assert 1 <= len(re.findall(r"[.?!](?:\s|$)", e["note"])) <= 3, e["note"]
        if len(suggest.find_all(text, e["quote"])) > 1:
            assert e.get("prefix") or e.get("suffix")


def test_suggestions_anchor_with_the_rooms_own_matcher(room):
    anchor = pytest.importorskip("reading_room.anchor")
    convert = pytest.importorskip("reading_room.convert")
    notes = pytest.importorskip("reading_room.notes")
    seeds, annotations = room
    for slug in (SLUG, "white-paper-2020"):
        suggest.merge(slug, seeds, annotations, with_candidates=False)
        text = (seeds / f"{slug}.txt").read_bytes().decode("utf-8-sig")
        st = anchor.SourceText(convert.convert(text, f"seeds/{slug}.txt", slug))
        for e in entries(annotations / f"{slug}.yml"):
            got = anchor.match_quote(st, notes.Selector(e["quote"], e.get("prefix", ""), e.get("suffix", "")))
            assert isinstance(got, anchor.Anchor), (e["id"], e["quote"], got)


def test_ids_continue_after_the_highest_existing_one(room):
    seeds, annotations = room
    path = annotations / f"{SLUG}.yml"
    path.write_text("annotations:\n  - id: zenz-2024-forced-labor-auto-41\n    kind: slip\n"
                    "    quote: \"Adrian\"\n    note: An invented note.\n", encoding="utf-8")
    suggest.merge(SLUG, seeds, annotations, with_candidates=False)
    ids = [e["id"] for e in entries(path)]
    assert ids[1] == f"{SLUG}-auto-42"


def test_empty_inline_list_and_unindented_lists_are_handled(room):
    seeds, annotations = room
    path = annotations / f"{SLUG}.yml"
    path.write_text("# yaml-language-server: $schema=./schema.json\nannotations: []\n", encoding="utf-8")
    suggest.merge(SLUG, seeds, annotations, with_candidates=False, kinds=("framing",))
    assert len(entries(path)) > 5
    flat = ("annotations:\n- id: zenz-curated-9\n  kind: slip\n  quote: \"Adrian\"\n  note: Zero indent.\n")
    path.write_text(flat, encoding="utf-8")
    suggest.merge(SLUG, seeds, annotations, with_candidates=False, kinds=("uncited",))
    got = entries(path)
    assert got[0]["id"] == "zenz-curated-9" and len(got) > 5
    assert path.read_text(encoding="utf-8").startswith(flat)


def test_uncited_suggestions_list_rebuttal_candidates_as_comments_only(room):
    seeds, annotations = room
    suggest.merge(SLUG, seeds, annotations)
    raw = (annotations / f"{SLUG}.yml").read_text(encoding="utf-8")
    assert "# rebuttal candidate (check before linking):" in raw
    assert all(e["kind"] != "rebuttal" and "target" not in e for e in entries(annotations / f"{SLUG}.yml"))


def test_broken_yaml_is_refused_not_overwritten(room):
    seeds, annotations = room
    path = annotations / f"{SLUG}.yml"
    path.write_text("annotations:\n  - id: [unclosed\n", encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(SystemExit):
        suggest.merge(SLUG, seeds, annotations)
    assert path.read_bytes() == before


def test_command_line(room):
    seeds, annotations = room
    env = {**os.environ, "PYTHONPATH": str(ROOT / "hooks")}
    cmd = [sys.executable, "-m", "reading_room.detect.suggest", SLUG, "--seeds", str(seeds), "--annotations", str(annotations)]
    first = subprocess.run(cmd, capture_output=True, text=True, env=env)
    assert first.returncode == 0, first.stderr
    assert re.search(r"added \d+ suggestions", first.stdout)
    second = subprocess.run(cmd, capture_output=True, text=True, env=env)
    assert "added 0 suggestions" in second.stdout
    unknown = subprocess.run(cmd[:3] + ["no-such-source"] + cmd[4:], capture_output=True, text=True, env=env)
    assert unknown.returncode == 2 and "no such seed" in unknown.stderr


def test_place_keeps_quotes_to_one_paragraph_without_asterisks_and_unique():
    from reading_room.detect.rules import Flag

    text = ("The *Labor Law* was applied and coercive transfers went on, said one county plan that\n\n"
            "year. Later coercive transfers grew.")
    a = text.index("The *Labor")
    b = text.index("year.") + len("year.")
    flag = Flag("uncited", "", "unsourced", a, b, text[a:b], "uncited.test", "test")
    start, end, prefix, suffix = suggest.place(text, flag)
    quote = text[start:end]
    assert "*" not in quote and "\n" not in quote and quote in text.split("\n\n")[0]
    w = text.index("coercive")
    word = Flag("framing", "loaded_language", "", w, w + 8, "coercive", "framing.test", "test")
    start, end, prefix, suffix = suggest.place(text, word)
    assert text[start:end] == "coercive" and (prefix or suffix)
    hits = [s for s in suggest.find_all(text, "coercive") if suggest._context_ok(text, *s, prefix, suffix)]
    assert hits == [(w, w + 8)]
