"""Overview pages without a build (All flags, Disputed figures, Rebuttals side by side, Search
notes, notes-index.json), and one build that puts them in the navigation and keeps the two
long lists out of the search index."""

from __future__ import annotations

import json
import re

import pytest
from conftest import build, make_project

from reading_room import overview
from reading_room.room import load_room

SEED = ("A Test Source\n\nThe workers chose freely, the report says.\n\n"
        "A second paragraph with a claim of 151,000 workers.\n\nA third paragraph on double standards.\n")
OTHER = "Another Source\n\nThe workers were transferred under quotas.\n\nIn 2023, 3.05 million person-times moved.\n"
NOTES = """annotations:
  - id: t-framing
    kind: framing
    technique: whataboutism
    quote: "double standards"
    note: "Answers a charge by pointing at others."
  - id: t-uncited
    kind: uncited
    strength: vague
    quote: "the report says"
    note: "Which report?"
  - id: t-figure
    kind: rebuttal
    quote: "151,000 workers"
    target: {source: other, quote: "3.05 million person-times"}
    note: "People or *person-times*?"
  - id: t-words
    kind: rebuttal
    quote: "chose freely"
    target: {source: other, quote: "transferred under quotas"}
    note: "Choice or quota?"
  - id: t-machine
    kind: framing
    technique: loaded_language
    status: suggested
    quote: "A third paragraph"
    note: "Suggested."
"""


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    root = tmp_path_factory.mktemp("room")
    (root / "seeds").mkdir()
    (root / "annotations").mkdir()
    (root / "seeds" / "test.txt").write_text(SEED)
    (root / "seeds" / "other.txt").write_text(OTHER)
    (root / "annotations" / "test.yml").write_text(NOTES)
    room = load_room(root, machine_flags=False)
    assert not room.resolution.unplaced, room.resolution.unplaced
    return room


@pytest.fixture(scope="module")
def items(room):
    return overview.flags(room)


def test_flags_in_reading_order_with_links_to_both_ends(items):
    assert [f.id for f in items] == ["t-words", "t-uncited", "t-figure", "t-machine", "t-framing"]
    figure = next(f for f in items if f.id == "t-figure")
    assert figure.here.url == "../sources/test.html#t-figure" and figure.here.title == "A Test Source"
    assert figure.far.url == "../sources/other.html#t-figure" and figure.far.quote == "3.05 million person-times"
    assert figure.label == "Rebuttal" and next(f for f in items if f.id == "t-uncited").label == "Uncited · vaguely sourced"


@pytest.mark.parametrize("text, expected", [("151,000 workers", True), ("3.05 million", True), ("two hundred", True),
                                            ("85 percent", True), ("chose freely", False), ("one says", False)])
def test_has_figure(text, expected):
    assert overview.has_figure(text) is expected


def test_figures_are_bold_and_the_rest_escaped():
    assert overview.figures_html("about 3.05 million <b>person-times</b>, 85 percent") == (
        'about <strong class="rr-figure">3.05 million</strong> &lt;b&gt;person-times&lt;/b&gt;, '
        '<strong class="rr-figure">85 percent</strong>')


def test_all_flags_counts_and_groups(room, items):
    page = overview.all_flags_page(room, items)
    assert page.startswith('---\ntitle: "All flags"\nsearch:\n  exclude: true\n---')
    assert "4 notes on 1 source" in page
    assert re.search(r'<tr data-source="test">.*?<td data-kind="framing">1</td><td data-kind="uncited">1</td>'
                     r'<td data-kind="rebuttal">2</td><td data-kind="slip">0</td><td data-kind="all">4</td>', page)
    assert '<ul class="rr-flags" data-source="test" data-kind="rebuttal" data-count="2">' in page
    assert "## A Test Source {#test}" in page and "### Rebuttal (2) {#test-rebuttal}" in page
    curated, machine = page.split("## Machine suggestions, not reviewed {#suggested}")
    assert "t-machine" not in curated and 'data-flag="t-machine"' in machine and 'data-status="suggested"' in machine
    assert "### A Test Source {#suggested-test}" in machine
    assert "<em>person-times</em>" in curated  # the note's own emphasis


def test_rebuttals_and_disputed_figures(room, items):
    assert [f.id for f in overview.rebuttals(items)] == ["t-words", "t-figure"]
    assert [f.id for f in overview.disputed(items)] == ["t-figure"]
    page = overview.figures_page(room, items)
    assert page.count("<tr data-flag=") == 1 and 'data-count="1"' in page
    assert '<strong class="rr-figure">151,000</strong>' in page and '<strong class="rr-figure">3.05 million</strong>' in page
    assert 'href="../sources/test.html#t-figure"' in page and 'href="../sources/other.html#t-figure"' in page
    assert overview.rebuttals_page(room, items).count("<tr data-flag=") == 2


def test_search_page_lists_every_note_and_offers_only_techniques_in_use(room, items):
    page = overview.search_page(room, items)
    assert '<form class="rr-filter" role="search" aria-label="Filter the notes" hidden data-rr-filter>' in page
    assert 'aria-live="polite" data-rr-count>4 notes.</p>' in page
    assert page.count("<li data-flag=") == 5 and '<script src="../assets/search-notes.js"></script>' in page
    assert '<option value="whataboutism">whataboutism</option>' in page and '"appeal_to_authority"' not in page
    assert '<option value="vague">vaguely sourced</option>' in page
    assert '<option value="suggested">' in page and 'data-rr-suggested data-count="1"' in page
    assert 'data-flag="t-framing" data-kind="framing" data-source="test" data-technique="whataboutism"' in page


def test_notes_index_json(items):
    data = json.loads(overview.notes_index(items))
    assert data["total"] == 5
    by_id = {n["id"]: n for n in data["notes"]}
    assert by_id["t-framing"]["technique"] == "whataboutism" and by_id["t-framing"]["url"] == "sources/test.html#t-framing"
    assert by_id["t-uncited"]["strength"] == "vague" and by_id["t-machine"]["status"] == "suggested"
    assert by_id["t-figure"]["note"] == "People or person-times?"
    assert by_id["t-figure"]["target"] == {"source": "other", "source_title": "Another Source",
                                           "quote": "3.05 million person-times", "url": "sources/other.html#t-figure"}


def test_pages(room):
    uris = [p.uri for p in overview.pages(room)]
    assert uris == ["overview/index.md", "overview/all-flags.md", "overview/disputed-figures.md",
                    "overview/rebuttals.md", "overview/search-notes.md", "notes-index.json"]


def test_build_puts_the_overview_in_the_navigation(tmp_path):
    project = make_project(tmp_path, seeds={"test.txt": SEED, "test.meta.yml": "title: A Test Source\n",
                                            "other.txt": OTHER, "other.meta.yml": "title: Another Source\n"},
                           annotations={"test.yml": NOTES})
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    site = tmp_path / "site"
    home = (site / "index.html").read_text()
    for name in ("index", "all-flags", "disputed-figures", "rebuttals", "search-notes"):
        assert f'href="overview/{name}.html"' in home
    assert (site / "notes-index.json").exists() and (site / "assets" / "search-notes.js").exists()
    # the room's own search index (reading_room.search_index) names its pages in meta.js
    meta = (site / "search" / "rr" / "meta.js").read_text(encoding="utf-8")
    meta = json.loads(meta[meta.index("{"):meta.rindex("}") + 1])
    indexed = {entry[0].split("#")[0] for entry in meta["pages"]}
    assert "overview/rebuttals.html" in indexed
    assert "overview/all-flags.html" not in indexed and "overview/search-notes.html" not in indexed
    assert "search-notes.js" not in home  # loaded by its own page only


# -- a big room: the overview in parts -----------------------------------------------------------
def library_room(root, n: int = 125):
    """``n`` sources: the first 110 in "Shelf A" (more than a part holds), ten in "Shelf B", the
    rest in no collection; every fifth annotated, and one rebuttal from each shelf into the other."""
    (root / "seeds").mkdir(parents=True)
    (root / "annotations").mkdir()
    for i in range(n):
        slug = f"s{i:03d}"
        (root / "seeds" / f"{slug}.txt").write_text(f"Title {i}\n\nIn {2000 + i}, {i} workers chose freely, report {i} says.\n")
        shelf = "Shelf A" if i < 110 else "Shelf B" if i < 120 else ""
        (root / "seeds" / f"{slug}.meta.yml").write_text(f'title: "Source {i}"\n' + (f'collection: "{shelf}"\n' if shelf else ""))
    for i in range(0, n, 5):
        notes = [{"id": f"n{i}", "kind": "framing", "technique": "loaded_language", "quote": "chose freely",
                  "note": f"Note {i}."}]
        if i in (0, 110):
            other = "s115" if i == 0 else "s001"
            notes.append({"id": f"r{i}", "kind": "rebuttal", "quote": f"{i} workers",
                          "target": {"source": other, "quote": f"report {int(other[1:])} says"}, "note": "Which?"})
        (root / "annotations" / f"s{i:03d}.yml").write_text(json.dumps({"annotations": notes}))
    room = load_room(root, machine_flags=False)
    assert not room.problems and not room.resolution.unplaced
    return room


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    return library_room(tmp_path_factory.mktemp("library"))


def test_a_small_room_lists_every_note_on_one_page(room):
    assert not overview.splits(room)


def test_a_big_room_is_split_into_parts_of_a_collection_or_a_hundred_sources(big):
    assert overview.splits(big)
    parts = overview.parts(big)
    assert [(p.slug, p.title, len(p.sources)) for p in parts] == [
        ("shelf-a", "Shelf A, sources 1–100 of 110", 100), ("shelf-a--2", "Shelf A, sources 101–110 of 110", 10),
        ("shelf-b", "Shelf B", 10), ("other", "Other sources", 5)]
    assert [s for p in parts for s in p.sources] == list(big.sources)  # every source in one part, in order


def test_each_part_page_lists_only_its_own_sources_notes(big):
    pages = {p.uri: p.text for p in overview.pages(big)}
    assert set(pages) == {
        "overview/index.md", "overview/all-flags.md", "overview/disputed-figures.md", "overview/rebuttals.md",
        "overview/search-notes.md", "notes-index.json",
        *(f"overview/{page}/{part}.md" for page in ("all-flags", "search-notes")
          for part in ("shelf-a", "shelf-a--2", "shelf-b", "other")),
        # only the parts with a rebuttal (both with a figure) have these
        *(f"overview/{page}/{part}.md" for page in ("rebuttals", "disputed-figures") for part in ("shelf-a", "shelf-b"))}
    first = pages["overview/all-flags/shelf-a.md"]
    assert first.startswith('---\ntitle: "All flags: Shelf A, sources 1–100 of 110"\nsearch:\n  exclude: true\n---')
    assert re.findall(r'data-flag="(n\d+)"', first) == [f"n{i}" for i in range(0, 100, 5)]
    assert first.count("<tr data-source=\"s") == 100  # its own sources' counts, not the room's
    assert 'href="../../sources/s000.html#n0"' in first and 'href="../../sources/s115.html#r0"' in first
    assert "[All flags](../all-flags.md)" in first
    search = pages["overview/search-notes/shelf-b.md"]
    assert re.findall(r'<li data-flag="(\w+)"', search) == ["r110", "n110", "n115"]  # in reading order
    assert '<script src="../../assets/search-notes.js"></script>' in search
    assert re.findall(r'<option value="(s\d+)">', search) == ["s110", "s115"]
    assert pages["overview/rebuttals/shelf-b.md"].count("<tr data-flag=") == 1
    assert "[Rebuttals side by side](../rebuttals/shelf-a.md)" in pages["overview/disputed-figures/shelf-a.md"]


def test_a_big_rooms_overview_pages_list_the_parts_not_the_notes(big):
    pages = {p.uri: p.text for p in overview.pages(big)}
    flags_page = pages["overview/all-flags.md"]
    assert "<li data-flag" not in flags_page and "27 notes on 25 sources" in flags_page
    assert re.findall(r'<a href="([^"]+)">', flags_page) == [
        "all-flags/shelf-a.html", "all-flags/shelf-a--2.html", "all-flags/shelf-b.html", "all-flags/other.html"]
    assert re.search(r'<tr data-part="shelf-b">.*?<td data-kind="framing">2</td><td data-kind="uncited">0</td>'
                     r'<td data-kind="rebuttal">1</td>', flags_page)
    assert re.findall(r"\]\(([^)]+)\)", pages["overview/rebuttals.md"]) == ["rebuttals/shelf-a.md", "rebuttals/shelf-b.md"]
    assert "2 parts with none are left out" in pages["overview/rebuttals.md"]
    assert re.findall(r"\]\(([^)]+)\)", pages["overview/search-notes.md"]) == [
        "search-notes/shelf-a.md", "search-notes/shelf-a--2.md", "search-notes/shelf-b.md", "search-notes/other.md"]
    # the data keeps URLs from the site's root, whatever page the flags were made for
    data = json.loads(pages["notes-index.json"])
    assert data["total"] == 27 and {n["url"] for n in data["notes"] if n["id"] == "r0"} == {"sources/s000.html#r0"}


def test_no_page_of_a_big_rooms_overview_grows_with_the_room(tmp_path):
    small, large = (library_room(tmp_path / str(n), n) for n in (125, 500))
    def biggest(room):
        return max(len(p.text) for p in overview.pages(room) if p.uri.endswith(".md"))
    assert biggest(large) < 1.1 * biggest(small)
