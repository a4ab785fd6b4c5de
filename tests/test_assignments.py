"""Assignments without a build: the excerpt syntax, how references resolve (and how they fail,
with file:line and the closest match), the rendered excerpt with its notes and scoped ids, the
header and the index.  One build test at the end."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import build, make_project

from reading_room import assignments
from reading_room.assignments import Endpoint, ExcerptRef, Fence, expand, fences, parse_excerpt, resolve_excerpt, scope_ids
from reading_room.errors import Problem, Problems
from reading_room.room import load_room

ROOT = Path(__file__).resolve().parents[1]
SEED = ("A Test Source\n\nI. First part\n\nThe workers chose freely, the report says.\n\n"
        "A second paragraph with a claim of 151,000 workers.\n\nA third paragraph that repeats: a claim.\n\n"
        "A fourth paragraph that repeats: a claim.\n\n"
        "A second paragraph with a different ending, which goes on for many more words than ten.\n")
OTHER = "Another Source\n\nThe workers were transferred under quotas.\n"
NOTES = """annotations:
  - id: t-framing
    kind: framing
    technique: loaded_language
    quote: "chose freely"
    note: "The phrase asserts free choice."
  - id: t-rebut
    kind: rebuttal
    quote: "151,000 workers"
    target: {source: other, quote: "transferred under quotas"}
    note: "The two texts disagree."
"""
PAGE = "assignments/test.md"


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    root = tmp_path_factory.mktemp("room")
    (root / "seeds").mkdir()
    (root / "annotations").mkdir()
    (root / "seeds" / "test.txt").write_text(SEED)
    (root / "seeds" / "test.meta.yml").write_text("title: A Test Source\n")
    (root / "seeds" / "other.txt").write_text(OTHER)
    (root / "seeds" / "other.meta.yml").write_text("title: Another Source\n")
    (root / "annotations" / "test.yml").write_text(NOTES)
    # a marker inside the rebuttal's far quote, which that link's Text Fragment must avoid
    (root / "annotations" / "other.yml").write_text(
        'annotations:\n  - {id: o-slip, kind: slip, quote: "workers were transferred", note: "A marker."}\n')
    room = load_room(root, machine_flags=False)
    assert not len(room.problems), [str(p) for p in room.problems]
    return room


def ids(room, slug="test"):
    return [b.id for b in room.sources[slug].blocks]


def fence(body: str) -> Fence:
    return Fence("excerpt", body, 0, body.count("\n") + 2)


def parse(body: str, line: int = 10):
    problems = Problems()
    return parse_excerpt(fence(body), "docs/assignments/test.md", line, problems), problems


def expanded(room, markdown: str, original: str | None = None):
    problems = Problems()
    return expand(markdown, PAGE, room, problems, original=original), problems


# -- the syntax ------------------------------------------------------------------------------
def test_fences_skip_an_excerpt_shown_inside_a_longer_fence():
    md = "````markdown\n```excerpt\nsource: x\n```\n````\n\n~~~excerpt\nsource: y\n~~~\n"
    found = [f for f in fences(md) if f.info == "excerpt"]
    assert [f.body for f in found] == ["source: y"]
    assert found[0].open_index == 6 and found[0].close_index == 8


def test_an_unclosed_fence_runs_to_the_end():
    found = fences("text\n```excerpt\nsource: x\nfrom: y")
    assert found[0].body == "source: x\nfrom: y"


def test_parse_by_ids_and_by_quotes():
    ref, problems = parse("source: test\nfrom: p-1\nto: p-2\ntitle: Two")
    assert not len(problems)
    assert ref.source == "test" and ref.first == Endpoint("id", "p-1", 12) and ref.last == Endpoint("id", "p-2", 13)
    assert ref.title == "Two" and ref.notes
    ref, _ = parse('source: test\nstart: "chose freely"\nend: "a claim of"\nnotes: no')
    assert ref.first.kind == ref.last.kind == "quote" and not ref.notes


def test_a_copied_permalink_names_its_source():
    ref, problems = parse('from: "../sources/test.html#p-1"')
    assert not len(problems) and ref.source == "test"
    assert assignments.fragment_id(ref.first.value) == "p-1"
    assert assignments.fragment_id("../sources/test.html#p-1:~:text=abc") == "p-1"


@pytest.mark.parametrize("body, line, words", [
    ("source: test\nform: p-1", 12, ["unknown excerpt key 'form'", "did you mean 'from'"]),
    ("source: test\nfrom: p-1\nstart: x", 13, ["either 'from' or 'start'"]),
    ("source: test\nfrom: #p-1", 12, ["'from' is empty", "YAML comment"]),
    ("from: p-1", 10, ["does not say which source"]),
    ("source: test\nto: p-2", 12, ["end but no beginning"]),
    ("source: test", 10, ["does not say where it starts"]),
    ("source: test\nfrom: p-1\nnotes: maybe", 13, ["'notes' must be yes or no"]),
    ("source: [test\nfrom: p-1", 12, ["not valid YAML"]),
    ("just words", 10, ["needs 'source:'"]),
])
def test_bad_excerpts_name_their_line(body, line, words):
    ref, problems = parse(body)
    assert ref is None and len(problems)
    first = problems.items[0]
    assert first.path == "docs/assignments/test.md" and first.line == line, str(first)
    for w in words:
        assert w in str(first), str(first)


# -- resolving -------------------------------------------------------------------------------
def ref(first, last=None, source="test", first_kind="id", last_kind="id"):
    return ExcerptRef(source, Endpoint(first_kind, first, 11), Endpoint(last_kind, last, 12) if last else None,
                      "docs/assignments/test.md", 10)


def test_resolve_a_range_of_ids(room):
    i = ids(room)
    found = resolve_excerpt(ref(i[2], i[3]), room.sources)
    assert [b.id for b in found.blocks] == i[2:4]
    assert [b.id for b in resolve_excerpt(ref(i[2]), room.sources).blocks] == [i[2]]


def test_resolve_by_quotes(room):
    found = resolve_excerpt(ref("chose freely", "151,000", first_kind="quote", last_kind="quote"), room.sources)
    assert [b.text[:10] for b in found.blocks] == ["The worker", "A second p"]


@pytest.mark.parametrize("make, line, words", [
    (lambda i: ref(i[2], source="tset"), 10, ["source that does not exist: 'tset'", "did you mean 'test'"]),
    (lambda i: ref(i[2][:-1] + "x"), 11, ["no paragraph with the id", "closest id"]),
    (lambda i: ref(i[3], i[2]), 12, ["ends before it starts", "seed line 7", "seed line 5"]),
    (lambda i: ref("workers chose fairly", first_kind="quote"), 11, ["quote not found", "closest passage", "chose freely"]),
    (lambda i: ref("a claim", first_kind="quote"), 11, ["occurs in 3 places", "p-"]),
    (lambda i: ref("../sources/other.html#" + i[2], source="test"), 11, ["is to other"]),
])
def test_unresolvable_references_are_problems_with_the_closest_match(room, make, line, words):
    problem = resolve_excerpt(make(ids(room)), room.sources)
    assert isinstance(problem, Problem) and problem.line == line, problem
    for w in words:
        assert w in str(problem), str(problem)


# -- rendering -------------------------------------------------------------------------------
def test_scope_ids_keeps_references_consistent_and_sends_the_rest_to_the_source():
    html = ('<p id="p-1"><mark id="n1" data-annotation="n1">x</mark><a class="rr-marker" href="#note-n1" data-ref="n1">1</a>'
            '<a class="rr-permalink" href="#p-1">¶</a><a href="#fn-1">[1]</a></p>'
            '<div id="note-n1" data-note="n1"><a href="#n1">1</a><a href="other.html#n1">far</a></div>')
    out = scope_ids(html, "ex2-", "../sources/test.html")
    assert 'id="ex2-p-1"' in out and 'id="ex2-n1" data-annotation="ex2-n1"' in out
    assert 'href="#note-ex2-n1" data-ref="ex2-n1"' in out and 'id="note-ex2-n1" data-note="ex2-n1"' in out
    assert 'href="../sources/test.html#p-1"' in out  # a permalink goes to the source page
    assert 'href="../sources/test.html#fn-1"' in out  # not in the excerpt: to the source page
    assert '<a href="#ex2-n1">' in out and 'href="other.html#n1"' in out


MD = """# Reading

Intro.

```excerpt
source: test
start: "chose freely"
end: "151,000"
```

Between.

```excerpt
source: test
start: "chose freely"
end: "151,000"
```
"""


def test_an_excerpt_renders_its_blocks_with_notes_and_unique_ids(room):
    out, problems = expanded(room, MD)
    assert not len(problems)
    assert out.count('<div class="rr-excerpt"') == 2 and "Between." in out and "```" not in out
    assert out.count('class="rr-legend"') == 1 and out.index("rr-legend") < out.index("rr-excerpt")
    first = out.split('<div class="rr-excerpt"')[1]
    assert 'data-annotation="ex1-t-framing"' in first and 'id="note-ex1-t-framing"' in first
    assert 'data-note="ex1-t-rebut"' in first and "The two texts disagree." in first
    # the rebuttal's far end, relative to the assignment page, with the note's real id
    assert re.search(r'href="\.\./sources/other\.html#t-rebut(:~:[^"]*)?"', first) and "Disputed by →" in first
    all_ids = re.findall(r'\bid="([^"]+)"', out)
    assert [i for i, n in Counter(all_ids).items() if n > 1] == []
    assert "Excerpt 1" in out and "Excerpt 2" in out and "seed lines 5–7" in out


def test_a_rebuttal_link_in_an_excerpt_is_the_one_on_the_source_page(room):
    from reading_room.margin import MarginLayer

    whole = MarginLayer(room.sources["test"], room.resolution, room.sources, lambda other: f"{other}.html")
    href, _ = whole.far_links[("t-rebut", False)]
    assert href.startswith("other.html#t-rebut:~:text=")
    out, _ = expanded(room, MD)
    assert f'href="../sources/{href}"' in out


def test_a_permalink_in_an_excerpt_copies_the_source_page_address(room):
    from reading_room.margin import MarginLayer
    from reading_room.render import render_source

    whole = MarginLayer(room.sources["test"], room.resolution, room.sources, lambda other: f"{other}.html")
    on_page = dict(re.findall(r'<a class="rr-permalink" href="#([^"]+)"[^>]*data-text-fragment="([^"]*)"',
                              render_source(room.sources["test"], whole)))
    last = ids(room)[-1]
    out, _ = expanded(room, f"```excerpt\nsource: test\nstart: chose freely\nto: {last}\n```\n")
    in_excerpt = dict(re.findall(r'<a class="rr-permalink" href="\.\./sources/test\.html#([^"]+)"[^>]*'
                                 r'data-text-fragment="([^"]*)"', out))
    assert len(in_excerpt) == 7  # five paragraphs, two notes
    assert in_excerpt == {k: v for k, v in on_page.items() if k in in_excerpt}


def test_note_numbers_run_on_across_the_excerpts_of_a_page(room):
    out, _ = expanded(room, MD)
    first, second = out.split('<div class="rr-excerpt"')[1:]
    # the number is an attribute, drawn by the stylesheet (the text stays the seed's)
    assert re.findall(r'class="rr-marker[^"]*"[^>]*data-n="(\d+)"', first) == ["1", "2"]
    assert re.findall(r'class="rr-marker[^"]*"[^>]*data-n="(\d+)"', second) == ["3", "4"]


def test_headings_in_an_excerpt_stay_out_of_the_table_of_contents(room):
    out, _ = expanded(room, "```excerpt\nsource: test\nfrom: i-first-part\n```\n")
    assert '<h3 id="ex1-i-first-part" class="rr-h"' in out and "\n## " not in out


def test_notes_no_shows_bare_text(room):
    out, _ = expanded(room, '```excerpt\nsource: test\nstart: "chose freely"\nnotes: no\n```\n')
    assert "The workers chose freely" in out and "rr-note" not in out and "<mark" not in out
    assert "shown without its notes" in out and "rr-legend" not in out


def test_a_problem_names_the_file_line_and_shows_a_warning_box(room):
    original = "---\ntitle: T\ncourse: C\n---\n\n" + MD.replace('end: "151,000"', 'end: "not in the text"', 1)
    body = assignments.strip_front_matter(original)
    out, problems = expanded(room, body, original)
    assert [p.where for p in problems] == ["docs/assignments/test.md:13"]  # the line of 'end:' in the file
    assert 'class="admonition warning rr-excerpt-problem"' in out and "Excerpt 1 could not be shown" in out
    assert "quote not found" in out and out.count('<div class="rr-excerpt"') == 1


def test_front_matter_header_under_the_title(room):
    original = "---\ntitle: T\ncourse: History 1\ndue: 2027-02-22\nsources: [test, nope]\n---\n\n# T\n\nText.\n"
    out, problems = expanded(room, assignments.strip_front_matter(original), original)
    assert out.startswith("# T\n") and out.index("rr-assignment") < out.index("Text.")
    assert "History 1" in out and "Monday 22 February 2027" in out
    assert 'href="../sources/test.html">A Test Source</a>' in out
    assert [(p.where, "'nope'" in p.message) for p in problems] == [("docs/assignments/test.md:5", True)]


def test_a_page_without_excerpts_or_front_matter_is_untouched(room):
    md = "# Plain\n\n```python\nprint(1)\n```\n"
    assert expanded(room, md) == (md, Problems())


def test_catalogue_and_index_table(room):
    pages = [("assignments/b.md", "---\ntitle: Bee\ndue: Week 2\nsources: test\n---\n"),
             ("assignments/a.md", "# Ay from heading\n"), ("assignments/index.md", "# Index\n"), ("about.md", "# About\n")]
    items = assignments.catalogue(pages)
    assert [(a.uri, a.title) for a in items] == [("assignments/a.md", "Ay from heading"), ("assignments/b.md", "Bee")]
    table = assignments.index_table(items, room, "assignments/index.md")
    assert "| [Bee](b.md) |  | Week 2 | [A Test Source](../sources/test.md) |" in table
    out, _ = expanded(room, "# Index\n\n<!-- room:assignments -->\n")
    assert "No assignments yet" in out


def test_check_finds_problems_of_every_page(room):
    pages = [("assignments/x.md", "---\ntitle: X\n---\n\n```excerpt\nsource: test\nfrom: p-nope\n```\n"),
             ("about.md", "# About\n")]
    problems = assignments.check(pages, room)
    assert [p.where for p in problems] == ["docs/assignments/x.md:7"]



def test_check_hands_each_expanded_page_on_for_the_build_to_reuse(room):
    text = "---\ntitle: X\n---\n\n```excerpt\nsource: test\nfrom: p-nope\n```\n"
    pages = [("assignments/x.md", text), ("about.md", "# About\n")]
    done: dict = {}
    assignments.check(pages, room, expanded=done)
    assert list(done) == ["assignments/x.md"]  # a page without excerpts or front matter is left alone
    markdown, result = done["assignments/x.md"]
    assert markdown == assignments.strip_front_matter(text)
    assert result == expand(markdown, "assignments/x.md", room, Problems(), original=text)

# -- the real room -------------------------------------------------------------------------------
def test_the_shipped_assignments_resolve_and_draw_on_two_sources_each():
    room = load_room(ROOT)
    pages = [(f"assignments/{p.name}", p.read_text(encoding="utf-8")) for p in (ROOT / "docs" / "assignments").glob("*.md")]
    assert not len(assignments.check(pages, room)), [str(p) for p in assignments.check(pages, room)]
    shipped = assignments.catalogue(pages)
    assert len(shipped) >= 2
    for a in shipped:
        text = dict(pages)[a.uri]
        used = set(re.findall(r"^source: (\S+)", text, re.M))
        assert len(used) >= 2 and used <= set(a.sources), (a.uri, used)


# -- a build -------------------------------------------------------------------------------------
GOOD_PAGE = "---\ntitle: Good\nsources: [test]\n---\n\n```excerpt\nsource: test\nstart: \"chose freely\"\n```\n"


def test_build_strict_fails_on_a_stale_excerpt_and_shows_it_without_strict(tmp_path):
    from test_build import GOOD, SEEDS

    project = make_project(tmp_path, seeds=SEEDS, annotations={"test.yml": GOOD})
    folder = project / "docs" / "assignments"
    (folder / "good.md").write_text(GOOD_PAGE)
    (folder / "stale.md").write_text(GOOD_PAGE.replace("chose freely", "chose wisely"))
    result = build(project, tmp_path / "site")
    out = result.stdout + result.stderr
    assert result.returncode != 0 and "docs/assignments/stale.md:8" in out and "chose freely" in out, out
    assert "Traceback" not in out
    result = build(project, tmp_path / "site2", strict=False)
    assert result.returncode == 0, result.stderr
    good = (tmp_path / "site2" / "assignments" / "good.html").read_text()
    assert 'data-annotation="ex1-t-framing"' in good and "The phrase asserts free choice." in good
    stale = (tmp_path / "site2" / "assignments" / "stale.html").read_text()
    assert "Excerpt 1 could not be shown" in stale
    assert "stale.md:8" in (tmp_path / "site2" / "attention.html").read_text()
    index = (tmp_path / "site2" / "assignments" / "index.html").read_text()
    assert 'href="good.html"' in index and 'href="stale.html"' in index


def test_questions_after_an_excerpt_keep_their_numbers(site):
    """Questions 5 and 8 follow an excerpt: the list that resumes there starts at its own number
    (sane_lists), so the page shows the numbers the teacher wrote and students' answers name."""
    html = (site / "assignments" / "counting-transfers.html").read_text(encoding="utf-8")
    main = html[html.index('<article'):]
    assert re.findall(r"<ol(?: start=\"(\d+)\")?>", main) == ["", "5", "8"]
