"""The sentence splitter: offsets into the text, abbreviations, markers, page breaks, Chinese."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reading_room.detect.sentences import clip_to_paragraph, paragraph_spans, segments, split

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def texts(text: str) -> list[str]:
    return [text[a:b] for a, b in split(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Mr. Wang works here. He is happy.", ["Mr. Wang works here.", "He is happy."]),
        ("See No. 5 for details. It is short.", ["See No. 5 for details.", "It is short."]),
        ("The U.S. Holocaust Memorial Museum said so. Then it ended.",
         ["The U.S. Holocaust Memorial Museum said so.", "Then it ended."]),
        ("U.N. Secretary General Guterres once said that. Next.", ["U.N. Secretary General Guterres once said that.", "Next."]),
        ("Growth was 8.6 percent in 2019. Prices rose.", ["Growth was 8.6 percent in 2019.", "Prices rose."]),
        ("It was large (e.g. 40 cases). It grew.", ["It was large (e.g. 40 cases).", "It grew."]),
        ("It will “optimize” (i.e. reduce) it. Done.", ["It will “optimize” (i.e. reduce) it.", "Done."]),
        ("See Zenz, A. (2023). Coercive Labor.", ["See Zenz, A. (2023).", "Coercive Labor."]),
        ("Fuze (Wuhan) Electronic Parts Co. said no. Then yes.", ["Fuze (Wuhan) Electronic Parts Co. said no.", "Then yes."]),
    ],
)
def test_abbreviations_and_decimals_do_not_end_a_sentence(text, expected):
    assert texts(text) == expected


def test_footnote_markers_stay_with_their_sentence():
    assert texts("It rose to 3 million. [2] Next one.") == ["It rose to 3 million. [2]", "Next one."]
    # a marker glued to the next sentence, as in the Baichuan article
    assert texts("They were lifted out of poverty.[2]At the same time, more.") == [
        "They were lifted out of poverty.[2]", "At the same time, more."]
    # a full stop glued to the next sentence
    assert texts("the ethnic areas.In fact, most agree.") == ["the ethnic areas.", "In fact, most agree."]


def test_closing_quotes_belong_to_the_sentence():
    assert texts("He said, “We can go.” Then he left.") == ["He said, “We can go.”", "Then he left."]
    assert texts('He said "no." She agreed.') == ['He said "no."', "She agreed."]
    assert texts("Is it true? Yes. “Why not?” he asked.") == ["Is it true?", "Yes.", "“Why not?” he asked."]


def test_chinese_full_stops_end_sentences():
    assert texts("新疆就业。劳动权利！是吗？好") == ["新疆就业。", "劳动权利！", "是吗？", "好"]
    assert texts("It is called 转移就业 (transfer). Next.") == ["It is called 转移就业 (transfer).", "Next."]


def test_list_markers_at_the_start_of_a_line_are_not_sentences():
    assert texts("ii. The policy works.") == ["ii. The policy works."]
    assert texts("IV. China's labor system") == ["IV. China's labor system"]


def test_page_break_cut_is_joined_into_one_sentence():
    text = ("In accordance with the country's major policies on employment and the overall plan for "
            "eliminating poverty, the\n\nXinjiang region takes employment seriously.")
    (a, b), = split(text)
    assert text[a:b] == text.strip()
    # clipping back to one raw paragraph, around a focus
    assert text[slice(*clip_to_paragraph(text, a, b, focus=text.index("Xinjiang")))] == "Xinjiang region takes employment seriously."
    assert text[slice(*clip_to_paragraph(text, a, b))].startswith("In accordance")


def test_headings_and_short_lines_are_not_joined():
    text = "Seasonal Labor Transfers\n\nSeasonal transfers have continued."
    assert [s.kind for s in segments(text)] == ["heading", "prose"]


def test_bullets_tables_dialogue_captions_are_their_own_units():
    text = ("Figures:\n- urban: from 1 to 2;\n- rural: from 3 to 4.\n\n"
            "Industry\tCount\nAgriculture\t92\n\n"
            "Table 6. Work before\n\n"
            "Worker A: No, we can go. It is our freedom.")
    kinds = [(s.kind, text[s.start:s.end]) for s in segments(text)]
    assert ("item", "urban: from 1 to 2;") in kinds
    assert ("item", "rural: from 3 to 4.") in kinds
    assert ("table", "Agriculture\t92") in kinds
    # a caption is one unit; its number may stand as a sentence of its own, still a caption
    assert [k for k, t in kinds if t in ("Table 6.", "Work before")] == ["caption", "caption"]
    assert ("dialogue", "Worker A: No, we can go.") in kinds
    assert ("dialogue", "It is our freedom.") in kinds


def test_notes_section_marks_footnotes():
    text = "Body text here. [1]\n\nNotes\n\n[1] Smith, J. (2020). A Title."
    kinds = [s.kind for s in segments(text)]
    assert kinds[-1] == "footnote" and "heading" in kinds


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.stem)
def test_spans_are_trimmed_ordered_and_inside_the_text(path):
    text = path.read_bytes().decode("utf-8-sig")
    spans = split(text)
    assert spans, "every seed has sentences"
    last = -1
    for a, b in spans:
        assert 0 <= a < b <= len(text)
        assert a >= last, "sentences are in order and do not overlap"
        assert text[a:b] == text[a:b].strip(), "no leading or trailing white space"
        last = b
    # every non-blank character of the text belongs to some sentence
    covered = set()
    for a, b in spans:
        covered.update(range(a, b))
    bullets = {m.start() for m in re.finditer(r"(?m)^[ \t\u00a0]*[-•]", text)}
    missing = [i for i, ch in enumerate(text) if not ch.isspace() and i not in covered
               and not (ch in "-•" and any(b <= i <= b + 3 for b in bullets))]
    assert not missing, f"{len(missing)} characters outside every sentence, first at {missing[:1]}"


def test_paragraph_spans_ignore_whitespace_only_lines():
    text = "One.\n \u00a0\nTwo.\n\n\nThree."
    assert [text[a:b] for a, b in paragraph_spans(text)] == ["One.", "Two.", "Three."]


# -- reading backwards from a full stop gives what the regexes on everything before it gave --------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from reading_room.detect import sentences as _sentences  # noqa: E402

_PIECES = st.text(alphabet=st.sampled_from(list("abcXYZ.-_ \n\t1é\u00a0ſK")), max_size=30)


@settings(max_examples=400, deadline=None)
@given(_PIECES, st.integers(min_value=0, max_value=30))
def test_token_before_is_the_regex_on_the_text_before(unit, end):
    end = min(end, len(unit))
    m = _sentences.TOKEN_BEFORE.search(unit[:end])
    start, token = _sentences._token_before(unit, end)
    assert token == (m.group(1) if m else "")
    if m:
        assert start == m.start(1)


@settings(max_examples=400, deadline=None)
@given(_PIECES, st.integers(min_value=0, max_value=30))
def test_ends_in_lower_word_is_the_regex_on_the_text_before(unit, end):
    end = min(end, len(unit))
    expected = bool(re.search(r"(?<![A-Za-z])[a-z]{2,}$", unit[:end]))
    assert _sentences._ends_in_lower_word(unit, end) == expected


# -- the splitter's shortcuts answer as the plain regexes and formulas do -------------------------

_PROSE = st.text(alphabet=st.sampled_from(list("aZ1 \n.!?。！？”\"’')]»[23:IVXiv*\t")), max_size=60)


@settings(max_examples=400, deadline=None)
@given(_PROSE)
def test_candidates_are_the_regex_on_the_unit(unit):
    expected = [(m.span(), m.groups()) for m in _sentences.CANDIDATE.finditer(unit)]
    assert [(m.span(), m.groups()) for m in _sentences._candidates(unit)] == expected


def _is_heading_as_written(text: str) -> bool:  # the formula before its shortcuts
    flat = _sentences._flat(text)
    if "\n" in text.strip():
        return False
    if _sentences.ROMAN_MARKER.match(flat + " ") and len(flat) <= 200 and not flat[:3].strip().isdigit():
        return True
    words = flat.split()
    bare = _sentences.FOOTNOTE.sub("", flat).rstrip()
    return (
        1 <= len(words) <= _sentences.MIN_WORDS_FOR_CUT
        and bare[:1].isupper()
        and not re.search(r"[.!?]\s+\S", bare)
        and not bare.endswith((".", ",", ";", "?", "!"))
        and (not bare.endswith(":") or len(words) <= 3)
        and not _sentences.CAPTION.match(bare)
    )


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aZ1 \u00a0\t.:;,!?IVXiv[]3Tbleg")), max_size=40))
def test_is_heading_is_the_formula_as_written(text):
    assert _sentences._is_heading(text) == _is_heading_as_written(text)
    assert _sentences._is_heading(text, _sentences._flat(text)) == _is_heading_as_written(text)


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.stem)
def test_is_heading_is_the_formula_as_written_on_the_seeds(path):
    text = path.read_text(encoding="utf-8")
    for s, e in paragraph_spans(text):
        assert _sentences._is_heading(text[s:e]) == _is_heading_as_written(text[s:e])


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab.-_ 1é\n")), min_size=40, max_size=160), st.integers(min_value=0, max_value=160))
def test_token_before_a_long_run_is_the_regex_on_the_text_before(unit, end):
    end = min(end, len(unit))
    m = _sentences.TOKEN_BEFORE.search(unit[:end])
    start, token = _sentences._token_before(unit, end)
    assert token == (m.group(1) if m else "") and (not m or start == m.start(1))
