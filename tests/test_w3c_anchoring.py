"""Another W3C client anchors the room's export on the room's own pages.

Apache Annotator's text-quote matcher (``tests/annotator.py``), run in Chromium on each built
source page with the margin removed, must find every TextQuoteSelector of annotations.jsonld
(each note's target and each rebuttal's linked passage) exactly once.  Before issue 16, 363 of
the 388 targets did (20 not found, 5 found twice): note numbers sat in the text, and selectors
had no prefix or suffix.
"""

from __future__ import annotations

import pytest

from annotator import BUNDLE, count_matches, quote_selectors_by_page

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def annotator_context(browser):
    if not BUNDLE.exists():
        pytest.fail(f"{BUNDLE} is missing: run `make test`, which bundles @apache-annotator/dom")
    ctx = browser.new_context(viewport={"width": 1440, "height": 900}, bypass_csp=True)  # the page forbids injected scripts
    yield ctx
    ctx.close()


def test_every_selector_of_the_export_anchors_exactly_once(site, annotator_context):
    wrong = []
    total = 0
    page = annotator_context.new_page()
    for path, selectors in sorted(quote_selectors_by_page(site).items()):
        page.goto(path.as_uri())
        counts = count_matches(page, [s for _, s in selectors])
        total += len(counts)
        wrong += [f"{path.name}: {aid} matches {n} times: {s['exact'][:60]!r}"
                  for (aid, s), n in zip(selectors, counts) if n != 1]
    assert total >= 388
    assert not wrong, f"{len(wrong)} of {total} selectors do not anchor exactly once:\n" + "\n".join(wrong)


def test_the_matcher_can_fail(site, annotator_context):
    """The check is real: a quote with a note number inside, or one that occurs twice, is caught."""
    page = annotator_context.new_page()
    path, selectors = sorted(quote_selectors_by_page(site).items())[0]
    page.goto(path.as_uri())
    exact = selectors[0][1]["exact"]
    assert count_matches(page, [{"type": "TextQuoteSelector", "exact": exact + "[99]"},
                                {"type": "TextQuoteSelector", "exact": " "}]) == [0, 3]


def test_a_students_notes_anchor_exactly_once(site, annotator_context):
    """The shape of a student's export (tests/fixtures/student-export.jsonld) anchors the same way."""
    import json
    from pathlib import Path

    from annotator import pages_by_iri

    data = json.loads((Path(__file__).parent / "fixtures" / "student-export.jsonld").read_text(encoding="utf-8"))
    pages = pages_by_iri(site)
    notes = [a for a in data["first"]["items"] if a["target"]["source"] in pages]
    assert len(notes) == 2
    page = annotator_context.new_page()
    for a in notes:
        page.goto(pages[a["target"]["source"]].as_uri())
        assert count_matches(page, [a["target"]["selector"]]) == [1], a["id"]
