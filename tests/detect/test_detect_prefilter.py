"""The detector runs a pattern on a sentence only if the sentence contains the pattern's needle
(pieces of literal text of which every match contains one): the flags must be exactly those of running
every pattern on every sentence."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reading_room.detect import lexicons
from reading_room.detect.rules import detect

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def rules():
    lex = lexicons.load()
    return [*lex.framing, *lex.cited, *lex.own_research, *lex.continuation, *lex.vague,
            *(r for group in lex.facts.values() for r in group)]


def test_ascii_fold_holds_every_character_a_case_blind_pattern_takes_for_an_ascii_letter():
    every = "".join(chr(c) for c in range(0x30000) if not 0xD800 <= c < 0xE000)
    found = {m.group() for a in "abcdefghijklmnopqrstuvwxyz" for m in re.finditer(a, every, re.IGNORECASE)}
    for ch in found:
        assert lexicons.lowered(ch).isascii() and len(lexicons.lowered(ch)) == 1, f"U+{ord(ch):04X}"


def test_most_patterns_have_a_needle():
    needles = [n for r in rules() for n in r.needles]
    assert sum(n is not None for n in needles) >= 0.8 * len(needles)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_every_match_contains_its_needle(seed):
    text = seed.read_text(encoding="utf-8")
    for rule in rules():
        for (entry, rx), needle in zip(rule.patterns, rule.needles):
            if needle is None:
                continue
            for m in rx.finditer(text):
                assert any(piece in lexicons.lowered(m.group()) for piece in needle), (rule.name, entry, m.group())


@pytest.mark.parametrize("needle, pattern, flags", [
    (("coerci",), r"\bcoerci(?:ve|on)\b", re.I),
    (("r team",), r"\bI\s?&\s?R Team\b", 0),
    (("aaa",), r"a{3}b?", 0),
    ((" labor",), r"(?:forced|free) labor", re.I),
    (("ing",), r"\w+ing", 0),
    (None, r"\d+(?:st|nd)?", 0),
    (("ccording to ",), r"[Aa]ccording to (?!x)", 0),
    (("earnestly", "strictly"), r"\b(?:strictly|earnestly) abide\b", 0),  # one of them, whichever branch
    ((" abide",), r"\b(?:so|very) abide\b", 0),
    (None, r"(?:forced|\w+) x?", 0),
])
def test_needle_of_a_regex(needle, pattern, flags):
    assert lexicons.required(re.compile(pattern, flags)) == needle


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_flags_are_those_of_running_every_pattern(seed, monkeypatch):
    text = seed.read_text(encoding="utf-8")
    fast = detect(text)
    monkeypatch.setattr(lexicons.Rule, "candidates", lambda self, low: self.patterns)
    monkeypatch.setattr(lexicons.PieceFinder, "__call__", lambda self, low: None)  # every rule asked
    assert detect(text) == fast


def test_one_scan_finds_the_pieces_that_testing_each_one_finds():
    lex = lexicons.load()
    pieces = sorted({p for r in rules() for p in r.pieces})
    assert set(lex.finder.pieces) == set(pieces)
    texts = [lexicons.lowered(line) for seed in SEEDS for line in seed.read_text(encoding="utf-8").splitlines()]
    texts += ["", "s", "according to the", "ccording to ", "forced labo forced labor ", " the  the "]
    for low in texts:
        found = lex.finder(low)
        assert found == {p for p in pieces if p in low}, low
        for rule in rules():
            assert (rule.candidates(found) == rule.candidates(low)), (rule.name, low)
            if rule.candidates(low):
                assert rule in lex.finder.active([rule], found), (rule.name, low)


def test_a_finder_of_overlapping_pieces():
    finder = lexicons.PieceFinder([lexicons._compile({"id": "x", "regex": ["a", "ab", "abc", "bc", "c d"]}, "t", "t", 1)])
    assert finder("xabcx") == {"a", "ab", "abc", "bc"}
    assert finder("ab c d") == {"a", "ab", "c d"}
    assert finder("") == frozenset() and finder("zzz").active == 0
