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


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_every_match_meets_every_need_of_its_pattern(seed):
    text = seed.read_text(encoding="utf-8")
    checked = 0
    for rule in rules():
        for (entry, rx), needs in zip(rule.patterns, rule.needs):
            if needs is None:
                continue
            for m in rx.finditer(text):
                low = lexicons.lowered(m.group())
                assert needs.met(frozenset(p for p in rule.pieces if p in low), bool(re.search(r"\d", low))), (
                    rule.name, entry, m.group())
                checked += 1
    assert checked > 50


def test_a_lowered_digit_is_a_digit():
    every = "".join(chr(c) for c in range(0x30000) if not 0xD800 <= c < 0xE000)
    for m in re.finditer(r"\d", every):
        assert re.search(r"\d", lexicons.lowered(m.group())), f"U+{ord(m.group()):04X}"
    assert re.search(r"\d", lexicons.lowered(every[:0x3000])) and not re.search(r"\d", lexicons.lowered("Ⅻ ½ ²"))


@pytest.mark.parametrize("pattern, options, digit", [
    # every option a match needs, not only the most telling one
    (r"\blet(?:s)? the (?:facts|parties)\b", ((" the ",), ("let",), ("facts", "parties")), False),
    (r"(?<![\w.])\d[\d,]*\s*(?:percent|workers)\b", (("percent", "workers"),), True),
    (r"\bof the \d+\b", (("of the ",),), True),
    (r"\d+(?:st|nd)?", (), True),
    (r"(?:forced|\w+) x?", (), False),
    (r"[\d,]+ of them", ((" of them",),), False),  # a class that holds a digit is not a digit
    (r"(?:\d|x)y z", (("y z",),), False),  # nor is a digit in one branch
    (r"a b c\s+(?:so|if)\s+later", (("a b c",), ("later",)), False),  # two-letter branches tell too little
    (r"a b c (?:so|if) later", (("a b c ",),), False),  # nor a piece with other characters than the best
])
def test_requirements_of_a_regex(pattern, options, digit):
    needs = lexicons.requirements(re.compile(pattern))
    assert sorted(needs.options) == sorted(options) and needs.digit == digit


def test_a_listed_word_needs_each_of_its_words():
    assert lexicons.word_needs("puts people first").options == (("people",), ("puts",), ("first",)) or (
        sorted(lexicons.word_needs("puts people first").options) == [("first",), ("people",), ("puts",)])
    assert sorted(lexicons.word_needs("sense of gain").options) == [("gain",), ("sense",)]  # "of" tells nothing
    assert lexicons.word_needs("people-centred").options == (("people",), ("centred",))


def test_patterns_whose_other_needs_are_missing_are_not_run():
    lex = lexicons.load()
    neutrality = next(r for r in lex.framing if r.id == "own-neutrality")
    let_the = next(i for i, (entry, _) in enumerate(neutrality.patterns) if entry.startswith(r"\blet"))
    found = lex.finder(lexicons.lowered("Let us look at the results of the survey."))  # " the " and "let", no "facts"
    assert neutrality.patterns[let_the] not in neutrality.candidates(found)
    found = lex.finder(lexicons.lowered("Let the facts speak."))
    assert neutrality.patterns[let_the] in neutrality.candidates(found)
    figures = next(r for r in lex.facts["figure"] if r.id == "number-with-unit")
    no_digit = figures.candidates(lex.finder(lexicons.lowered("Many of the people and workers came.")))
    with_digit = figures.candidates(lex.finder(lexicons.lowered("Many of the 300 people and workers came.")))
    assert len(no_digit) < len(with_digit) and not any(r"\d" in entry for entry, _ in no_digit)


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


def test_a_finder_of_pieces_with_other_characters():
    finder = lexicons.PieceFinder([lexicons._compile({"id": "x", "regex": [" the ", "%", "per cent", "of th", "ab"]},
                                                     "t", "t", 1)])
    assert finder("one of the per cent%") == {" the ", "%", "per cent", "of th"}
    assert finder("one of the, per cent") == {"per cent", "of th"}
    assert finder("other  thing: percent") == frozenset()  # the guards are there, not the pieces
    assert finder("of thab") == {"of th", "ab"}


def test_the_finder_remembers_a_bounded_number_of_words(monkeypatch):
    monkeypatch.setattr(lexicons, "TOKENS_REMEMBERED", 50)
    finder = lexicons.PieceFinder(rules())
    words = [f"word{i}let" for i in range(500)] + ["the", "facts"]
    for i in range(0, len(words), 7):
        low = " ".join(words[i:i + 7])
        assert finder(low) == {p for p in finder.pieces if p in low}
        assert len(finder._seen) <= 50


def test_a_group_of_rules_is_asked_by_its_active_bits_in_its_order():
    lex = lexicons.load()
    groups = [lex.framing, *lex.facts.values(), lex.citing, lex.continuation, lex.vague]
    assert all(id(g) in lex.finder._groups for g in groups)
    assert lex.citing == lex.cited + lex.own_research
    for seed in SEEDS:
        for line in seed.read_text(encoding="utf-8").splitlines():
            found = lex.finder(lexicons.lowered(line))
            for group in groups:
                slow = [rule for rule in group if found.active & rule.bit]
                assert lex.finder.active(group, found) == slow
                assert lex.finder.active(list(group), found) == slow  # a list not made into a group


def test_found_reads_as_the_set_of_its_pieces():
    lex = lexicons.load()
    found = lex.finder(lexicons.lowered("Let the facts speak: 300 people (or more)."))
    pieces = {p for p in lex.finder.pieces if p in "let the facts speak: 300 people (or more)."}
    assert found == pieces and set(found) == pieces and len(found) == len(pieces) and found.digit
    assert all(p in found for p in pieces) and "no such piece" not in found
    assert not lex.finder("no digits here").digit


@pytest.mark.parametrize("piece, guard", [
    (" (i.e.", ("exact", "i")),  # the text has the word "i"
    (" th", ("start", "th")),  # a word that starts with "th"
    ("per cent", ("start", "cent")),  # the longer run: a word that starts with "cent"
    ("uyghur workers", ("start", "workers")),
    ("so-called", ("start", "called")),
    ("of the ", ("exact", "the")),  # an exact word before a longer open one
    ("go out to work", ("exact", "out")),
    ("forced labo", ("end", "forced")),
    ("%", None),
])
def test_the_guard_of_a_piece_with_other_characters(piece, guard):
    assert lexicons._guard(piece) == guard


def test_guarded_pieces_are_found_wherever_they_are():
    finder = lexicons.PieceFinder([lexicons._compile(
        {"id": "x", "regex": [r" \(i\.e\.", "forced labo", "per cent", " th"]}, "t", "t", 1)])
    for low in ["as (i.e. here", "unforced labour", "super centre", "x thin", "i e forced lab", "per  cent", "(i.e."]:
        assert finder(low) == {p for p in finder.pieces if p in low}, low


def test_the_fact_rules_are_asked_in_their_groups_order():
    lex = lexicons.load()
    detect("Over 300 people came in 2020.")
    claims = lex.derived["claims"]
    assert claims == tuple(r for g in ("figure", "event", "trend", "people", "sweeping") for r in lex.facts[g])
    assert id(claims) in lex.finder._groups


def test_a_rule_is_woken_by_an_option_that_is_not_common_words():
    lex = lexicons.load()
    neutrality = next(r for r in lex.framing if r.id == "own-neutrality")
    let_the = next(n for (entry, _), n in zip(neutrality.patterns, neutrality.needs) if entry.startswith(r"\blet"))
    assert lexicons.wake_option(let_the) != (" the ",)
    assert not neutrality.bit & lex.finder(lexicons.lowered("One of the results of the survey.")).active


@pytest.mark.parametrize("text", ["Plain ASCII, Kept.", "“Curly” quotes and é", "İstanbul ıs KELVIN K ſtreet", "ſ", "", "ΑΣ"])
def test_lowered_is_the_fold_then_lower(text):
    assert lexicons.lowered(text) == text.translate(lexicons.ASCII_FOLD).lower()


def test_the_finder_reads_runs_between_white_space_as_their_words():
    lex = lexicons.load()
    for low in ["forced-labor,(the “facts”)", "of\tthe\nfacts", "let\u00a0the facts", "x" * 3 + " y"]:
        assert lex.finder(low) == {p for p in lex.finder.pieces if p in low}, low


def test_a_quiet_group_is_looked_at_by_its_mask_before_it_is_asked():
    lex = lexicons.load()
    assert lex.finder.mask(lex.vague) == lexicons._union(r.bit for r in lex.vague)
    assert lex.finder.mask(list(lex.vague)) == -1  # not a group it was given: every bit
    for line in ["They said so.", "According to sources, it rained.", "Reportedly, 300 people came."]:
        found = lex.finder(lexicons.lowered(line))
        assert bool(found.active & lex.finder.mask(lex.vague)) == bool(lex.finder.active(lex.vague, found))
