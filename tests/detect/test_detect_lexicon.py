"""The lexicons are data an editor can extend: documented, valid, and read at run time."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from reading_room.detect import lexicons
from reading_room.detect.rules import detect

LEXICON = Path(lexicons.__file__).resolve().parent / "lexicon"


@pytest.mark.parametrize("path", sorted(LEXICON.glob("*.yml")), ids=lambda p: p.name)
def test_every_file_explains_its_format_and_parses(path):
    text = path.read_text(encoding="utf-8")
    header = [line for line in text.splitlines()[:12] if line.startswith("#")]
    assert len(header) >= 5, f"{path.name} needs a comment header explaining its format"
    assert "Format" in text or "format" in text
    assert isinstance(yaml.safe_load(text), dict)


def test_every_rule_has_an_id_a_pattern_and_a_note_where_the_editor_sees_it():
    lex = lexicons.load()
    for rule in lex.framing + tuple(r for rules in lex.facts.values() for r in rules) + lex.vague:
        assert rule.id and rule.patterns
        if rule.group != "not_a_claim":
            assert rule.note, f"{rule.name} has no note for the editor"


def test_an_editor_can_add_a_word_without_touching_python(tmp_path):
    custom = tmp_path / "lexicon"
    shutil.copytree(LEXICON, custom)
    text = "The campaign was a dazzling triumph."
    assert not [f for f in detect(text, str(custom)) if f.kind == "framing"]
    framing = custom / "framing.yml"
    doc = framing.read_text(encoding="utf-8").replace("words: [drastically,", "words: [dazzling triumph, drastically,", 1)
    framing.write_text(doc, encoding="utf-8")
    lexicons.load.cache_clear()
    flags = [f for f in detect(text, str(custom)) if f.kind == "framing"]
    assert [f.exact for f in flags] == ["dazzling triumph"]


def test_a_bad_pattern_is_reported_with_its_file_and_rule(tmp_path):
    custom = tmp_path / "lexicon"
    shutil.copytree(LEXICON, custom)
    vague = custom / "vague.yml"
    vague.write_text(vague.read_text(encoding="utf-8").replace("      - '\\breportedly\\b'", "      - '(unclosed'"),
                     encoding="utf-8")
    lexicons.load.cache_clear()
    with pytest.raises(ValueError, match=r"vague\.yml, rule 'unnamed-reports'"):
        lexicons.load(str(custom))


def test_fingerprint_changes_with_the_lexicon(tmp_path, monkeypatch):
    import reading_room.detect as det

    first = det.fingerprint()
    assert first == det.fingerprint() and len(first) == 16
    copy = tmp_path / "detect"
    shutil.copytree(Path(det.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(det, "_HERE", copy)
    assert det.fingerprint() == first
    (copy / "lexicon" / "framing.yml").write_text("# changed\n", encoding="utf-8")
    assert det.fingerprint() != first


def test_the_shipped_lexicon_is_compiled_once_however_it_is_asked_for():
    assert lexicons.load() is lexicons.load(None) is lexicons.load("")


@pytest.mark.parametrize("bad", ["(unclosed", "(?<!a+)b", "(?<=ab|c)d"], ids=["unclosed", "not-behind", "behind"])
def test_a_regex_compiled_only_when_chosen_is_still_checked_when_the_lexicon_is_read(tmp_path, bad):
    """Regexes are compiled when a text first needs them, but one that would not compile (a
    parse error, or a look-behind of varying width, which only compiling finds) is reported
    when the lexicon is read, before any text is."""
    custom = tmp_path / "lexicon"
    shutil.copytree(LEXICON, custom)
    vague = custom / "vague.yml"
    vague.write_text(vague.read_text(encoding="utf-8").replace("      - '\\breportedly\\b'", f"      - '{bad}'"),
                     encoding="utf-8")
    lexicons.load.cache_clear()
    with pytest.raises(ValueError, match=r"vague\.yml, rule 'unnamed-reports': bad regex"):
        lexicons.load(str(custom))


def test_words_and_regexes_are_compiled_when_a_text_first_needs_them():
    lexicons.load.cache_clear()
    lex = lexicons.load()
    rules = list(lex.rules())
    before = sum(c is not None for rule in rules for c in rule.compiled)
    detect("The campaign was a resounding success, officials said.")
    after = sum(c is not None for rule in rules for c in rule.compiled)
    total = sum(len(rule.entries) for rule in rules)
    assert before < total / 20 and before < after < total / 10, (before, after, total)  # 8, 10 of 356
    assert all(c is not None for rule in rules for c in (rule.patterns and rule.compiled))
