"""Property-based tests (Hypothesis): random text, bytes and YAML at the decoder, the converter
and the annotation loader.

Whatever the input: no exception but the room's own ``RoomError``; every word of decodable text
reaches the page, in order; no HTML element, event handler or script URL appears that the
converter did not make.  Example counts are kept modest so the suite stays fast.
"""

from __future__ import annotations

import string

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reading_room.convert import convert
from reading_room.decode import decode_text
from reading_room.errors import Problems, RoomError
from reading_room.margin import resolve
from reading_room.notes import FIELDS, parse_annotations
from reading_room.notetext import note_html
from reading_room.render import render_source
from test_hostile import WORD, foreign_markup, page_html, text_of

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces that mean something to the converter, to Markdown, to Material or to a browser, so that
# random text hits the interesting paths far more often than uniform characters would.
TOKENS = [
    "\n", "\n\n", "\t", " ", "*", "**", "_", "[1]", "[12]", "# ", "## ", "> ", "- ", "* ", "• ", "1. ", "---",
    "|", "| a | b |", "!!! note", "{: .x}", "{#id}", "--8<--", ":smile:", "$x$", "<<<", "==mark==", "~~", "^^",
    "`", "```", "~~~", "    ", "<", ">", "&", "&amp;", "&#60;", "<script>alert(1)</script>", "<img src=x onerror=a()>",
    "<!--", "-->", "javascript:alert(1)", "<a href=x>", "</p>", "<div>", "\\", '"', "'", "Contents", "Notes",
    "I. ", "IV: ", "(1) ", "ii. ", "Table 1", "Figure 2", "Worker A: ", "Interviewer: ", "\x00", "\x02", "\x03",
    "\x02wzxhzdk:0\x03", "\x02klzzwxh:0\x03", "\x1b[31m", "\u200b", "\u200d", "\u202e", "\u2066", "\ufeff",
    "\u00ad", "\u2028", "\x85", "\x0c", "\x0b", "e\u0301", "é", "“", "”", "—", "…", "新疆", "مرحبا", "👩\u200d💻",
    "\ufffe", "\r", "\r\n",
]
WORDS = st.text(alphabet=string.ascii_letters + string.digits + "éßü", min_size=1, max_size=12)
TEXT = st.lists(st.one_of(st.sampled_from(TOKENS), WORDS, st.text(max_size=8)), max_size=60).map("".join)


def check_page(text: str) -> None:
    """Convert, render and parse ``text`` as MkDocs would; every word there, nothing foreign."""
    source = convert(text, "seeds/random.txt", "random")
    markdown_text = render_source(source)
    soup = page_html(markdown_text)
    assert foreign_markup(soup) == [], markdown_text
    page_words = WORD.findall(text_of(soup, source))
    assert page_words == WORD.findall(text), markdown_text


@SETTINGS
@given(TEXT)
@example("\x02wzxhzdk:0\x03 and \x02klzzwxh:0\x03")  # Python-Markdown's own placeholders
@example("Title\n\n<script>alert(1)</script>\n\n    indented <b>code</b>")
@example("T\n\n- item\n\n* star item\n\n1. x")
def test_random_text_renders_every_word_and_nothing_else(text):
    check_page(text.replace("\r\n", "\n").replace("\r", "\n"))


@SETTINGS
@given(st.binary(max_size=300) | TEXT.map(lambda t: t.encode("utf-8", "surrogatepass"))
       | TEXT.map(lambda t: t.encode("cp1252", "ignore")) | TEXT.map(lambda t: t.encode("utf-16")))
def test_random_bytes_decode_or_refuse_with_a_problem(data):
    try:
        decoded = decode_text(data, "seeds/random.txt")
    except RoomError as exc:
        problem = exc.problem
        assert problem.path == "seeds/random.txt" and problem.line and problem.line >= 1
        assert "byte offset" in problem.message
        return
    for problem in decoded.problems:
        assert problem.path == "seeds/random.txt" and "byte offset" in problem.message
    if decoded.encoding == "UTF-8":
        assert decoded.text == data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    check_page(decoded.text)


# Random YAML: random structures under the real field names, dumped, and random text besides.
SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20),
                   st.sampled_from(["framing", "uncited", "rebuttal", "slip", "loaded_language", "unsourced",
                                    "suggested", "claim", "other", "The workers chose freely"]))
KEYS = st.sampled_from(sorted(FIELDS | {"annotations", "source", "bogus"})) | st.text(max_size=6)
VALUE = st.recursive(SCALAR, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=6),
                     max_leaves=25)
NOTE = st.dictionaries(KEYS, VALUE, max_size=10)
DOCUMENT = st.one_of(VALUE, st.fixed_dictionaries({"annotations": st.lists(NOTE, max_size=5) | VALUE}))
YAML_TEXT = st.one_of(
    DOCUMENT.map(lambda d: yaml.safe_dump(d, allow_unicode=True, sort_keys=False)),
    st.tuples(DOCUMENT.map(lambda d: yaml.safe_dump(d, allow_unicode=True)), st.integers(0, 400), TEXT)
    .map(lambda t: t[0][:t[1]] + t[2] + t[0][t[1]:]),  # a valid file with a random splice
    TEXT,
)
SOURCES = {slug: convert(text, f"seeds/{slug}.txt", slug) for slug, text in {
    "claim": "A Claim Source\n\nThe workers chose freely, the report says.\n",
    "other": "Another Source\n\nThe workers were transferred under quotas.\n"}.items()}


@SETTINGS
@given(YAML_TEXT)
@example("a: &a [*a, *a]\nannotations:\n  - id: *a\n    quote: *a\n")
@example("annotations:\n  - id: x\n    kind: slip\n    quote: !!binary aGVsbG8=\n    note: n\n")
@example("annotations:\n  - {id: x, kind: slip, quote: The workers, note: n, note: m}\n")
def test_random_yaml_gives_notes_or_problems_never_an_exception(text):
    problems = Problems()
    notes = parse_annotations(text, "annotations/claim.yml", "claim", problems)
    for problem in problems:
        assert problem.path == "annotations/claim.yml"
        assert problem.message and (problem.line is None or problem.line >= 1)
        str(problem)
    for note in notes:
        assert note.id and note.kind and note.selector.exact.strip() and note.body
    resolution = resolve(SOURCES, notes)
    assert len(resolution.placed) + len(resolution.unplaced) == len(notes), "every note placed or listed"


@SETTINGS
@given(TEXT)
@example("[x](javascript:alert(1)) [y](&#106;avascript:alert(1)) [z](java\tscript:alert(1)) <img src=x onerror=a()>")
@example("[x](&amp;#106;avascript:alert(1)) [d](data:text/html;base64,PHNjcmlwdD4=) [v](vbscript:msgbox)")
def test_random_note_text_makes_no_markup_but_emphasis_and_safe_links(text):
    soup = page_html("---\n---\n<div>" + note_html(text) + "</div>")
    assert {el.name for el in soup.find_all(True)} <= {"div", "a", "em", "strong", "span"}
    assert foreign_markup(soup) == []
    for a in soup.find_all("a"):
        assert a["href"].lower().startswith(("http:", "https:", "mailto:")) or ":" not in a["href"].split("/")[0]
