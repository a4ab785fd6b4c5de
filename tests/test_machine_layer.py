"""The machine layer on the site (issue 9): the detector's suggestions are the margin of a
source no editor has annotated, visibly marked as suggestions and as not clearing the rest of
the text; where an editor has written notes, suggestions are off until asked for; the export
credits them to software.  One small room, built by MkDocs, read as HTML and in Chromium."""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup
from conftest import build, make_project, screenshot
from annotator import pages_by_iri
from reading_room.iri import RoomIris

BARE = ("A Source Nobody Has Annotated\n\n"
        "The workers remain trapped in coercive labor transfers, a brutal system.\n\n"
        "In 2023, the region moved 3.05 million person-times of workers to factories.\n\n"
        "The people's happiness has been effectively protected and fully guaranteed.\n")
CURATED = ("A Curated Source\n\nThe workers chose freely, the report says.\n\n"
           "A second paragraph with a brilliant claim of 151,000 workers.\n")
NOTES = """annotations:
  - id: c-uncited
    kind: uncited
    strength: vague
    quote: "the report says"
    note: "Which report?"
  - id: c-machine
    kind: framing
    technique: loaded_language
    status: suggested
    rule: framing.praise
    quote: "brilliant"
    note: "Suggested: praise."
"""


@pytest.fixture(scope="module")
def room_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("machine")
    project = make_project(tmp, seeds={"bare.txt": BARE, "bare.meta.yml": "title: A Source Nobody Has Annotated\n",
                                       "curated.txt": CURATED, "curated.meta.yml": "title: A Curated Source\n"},
                           annotations={"curated.yml": NOTES})
    result = build(project, tmp / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    return tmp / "site"


def soup(site, path):
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def test_a_source_without_notes_gets_the_detectors_suggestions_shown(room_site):
    page = soup(room_site, "sources/bare.html")
    notes = page.select(".rr-note")
    assert len(notes) >= 3, "the detector should flag the coercion verdict, the figure and the guarantee"
    for note in notes:
        assert note["data-status"] == "suggested" and "rr-note--suggested" in note["class"]
        assert "rr-off" not in note["class"], "on by default where no editor has written notes"
        # the sentence round the rule is the stylesheet's (see the browser test): one copy, not one a note
        machine = note.select_one(".rr-note__machine").get_text(" ", strip=True)
        assert re.fullmatch(r"\(rule (framing|uncited)\.[\w.-]+ \)", machine), machine
        assert note.select_one(".rr-note__machine code").get_text() == machine[6:-2]
        # an unreviewed suggestion's link is its address; its paragraph's link carries the Text Fragment
        assert "data-text-fragment" not in note.select_one(".rr-permalink").attrs
    marks = page.select("mark.rr-hl")
    assert marks and all("rr-hl--suggested" in m["class"] and "rr-off" not in m["class"] for m in marks)


def test_the_legend_says_unmarked_sentences_are_not_cleared_and_links_to_the_figures(room_site):
    legend = soup(room_site, "sources/bare.html").select_one(".rr-legend")
    caveat = legend.select_one(".rr-legend__machine")
    assert caveat is not None
    text = caveat.get_text(" ", strip=True)
    assert "No editor has annotated this source yet" in text and "has not been cleared" in text
    link = caveat.select_one("a")
    assert link["href"] == "../about-annotations.html#suggested"
    about = soup(room_site, "about-annotations.html")
    section = about.select_one("#suggested")
    assert section is not None and section.name == "h2"
    assert about.select_one("#suggested ~ table") is not None, "the measured figures sit under the heading"


def test_where_an_editor_has_written_notes_suggestions_are_off_and_the_caveat_absent(room_site):
    page = soup(room_site, "sources/curated.html")
    curated = page.select_one("#note-c-uncited")
    machine = page.select_one("#note-c-machine")
    assert "rr-off" not in curated["class"] and "data-status" not in curated.attrs
    assert "rr-off" in machine["class"] and machine["data-status"] == "suggested"
    assert "rr-off" in page.select_one('mark[data-annotation="c-machine"]')["class"]
    assert page.select_one(".rr-legend__machine") is None


def test_the_export_credits_suggestions_to_software_and_notes_to_editors(room_site):
    graph = json.loads((room_site / "annotations.jsonld").read_text(encoding="utf-8"))
    items = graph.get("items") or graph.get("first", {}).get("items") or graph.get("@graph")
    by_source: dict[str, list[dict]] = {}
    for a in items:
        by_source.setdefault(a["target"]["source"], []).append(a)
    iris = pages_by_iri(room_site)
    slug_of = {iri: page.stem for iri, page in iris.items()}
    by_slug = {slug_of[iri]: items for iri, items in by_source.items()}
    bare = by_slug["bare"]
    assert bare and all(a["creator"]["type"] == "Software" for a in bare)
    note_of = {RoomIris().canonical(n): n for n in ("c-machine", "c-uncited")}
    curated = {note_of.get(a["id"], a["id"]): a for a in by_slug["curated"]}
    assert curated["c-machine"]["creator"]["type"] == "Software"
    assert curated["c-uncited"]["creator"]["type"] != "Software"


@pytest.mark.browser
@pytest.mark.parametrize("width", [1440, 390])
def test_in_a_browser_suggestions_show_on_a_bare_source_and_wait_for_the_switch_elsewhere(room_site, open_page, width):
    page = open_page((room_site / "sources/bare.html").as_uri(), width=width, height=900)
    assert page.locator(".rr-legend__machine").is_visible()
    first = page.locator(".rr-note[data-status=suggested]").first
    if width < 1000:  # on a phone a note opens from its marker
        page.locator(f'.rr-marker[data-ref="{first.get_attribute("data-note")}"]').click()
    assert first.is_visible()
    # what a screen reader gets: the stylesheet's words round the rule are in Chromium's own
    # accessibility tree, and in the note's text as Playwright reads it
    said = re.sub(r"\s+", " ", first.aria_snapshot())
    assert re.search(r"Suggested by the room's detector \(rule - code: (framing|uncited)\.[\w.-]+ - text: \); "
                     r"not yet reviewed by an editor\.", said), said
    cdp = page.context.new_cdp_session(page)
    spoken = [n.get("name", {}).get("value", "") for n in cdp.send("Accessibility.getFullAXTree")["nodes"]
              if n.get("role", {}).get("value") == "StaticText"]
    notes = page.locator(".rr-note__machine:visible").count()  # a phone shows the open note only
    assert spoken.count("Suggested by the room's detector") == notes, spoken
    assert spoken.count("; not yet reviewed by an editor.") == notes, spoken
    assert page.locator("mark.rr-hl--suggested").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, f"machine-bare-{width}")

    page.goto((room_site / "sources/curated.html").as_uri())
    machine = page.locator("#note-c-machine")
    assert not machine.is_visible()
    switch = page.locator(".rr-toggle[data-kind=suggested]")
    assert switch.get_attribute("aria-pressed") == "false"
    switch.click()
    assert switch.get_attribute("aria-pressed") == "true"
    if width < 1000:
        page.locator('.rr-marker[data-ref="c-machine"]').click()
    assert machine.is_visible()
    assert not page.errors, page.errors
