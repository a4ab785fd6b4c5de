"""annotations.jsonld against the shapes of the W3C Web Annotation Data Model.

The checks follow the annotation-model definitions used by web-platform-tests (annotations
must have @context, id, type "Annotation", a target; bodies and selectors of known types).
"""

from __future__ import annotations

import json
from pathlib import Path

from reading_room.vocabulary import KINDS, STRENGTHS, TECHNIQUES

ROOT = Path(__file__).resolve().parents[1]
CONTEXT = "http://www.w3.org/ns/anno.jsonld"
PURPOSES = {"assessing", "bookmarking", "classifying", "commenting", "describing", "editing", "highlighting",
            "identifying", "linking", "moderating", "questioning", "replying", "tagging"}


def check_quote_selector(sel):
    assert sel["type"] == "TextQuoteSelector" and isinstance(sel["exact"], str) and sel["exact"]
    assert set(sel) <= {"type", "exact", "prefix", "suffix"}


def check_position_selector(sel):
    assert sel["type"] == "TextPositionSelector"
    assert isinstance(sel["start"], int) and isinstance(sel["end"], int) and 0 <= sel["start"] < sel["end"]


def check_annotation(a):
    assert a["@context"] == CONTEXT
    assert a["type"] == "Annotation" and isinstance(a["id"], str) and "#" in a["id"]
    assert a["motivation"] in PURPOSES
    assert a["creator"]["type"] in {"Organization", "Person", "Software"}
    quote, position = a["target"]["selector"]
    assert a["target"]["source"].startswith("sources/") and a["target"]["source"].endswith(".html")
    check_quote_selector(quote)
    check_position_selector(position)
    assert position["end"] - position["start"] >= 1
    purposes = [b["purpose"] for b in a["body"]]
    assert set(purposes) <= PURPOSES
    comment = next(b for b in a["body"] if b["purpose"] == "commenting")
    assert comment["type"] == "TextualBody" and comment["value"]
    tag = next(b for b in a["body"] if b["purpose"] == "tagging")
    assert tag["value"] in KINDS
    classifying = [b for b in a["body"] if b["purpose"] == "classifying"]
    if tag["value"] == "framing":
        assert classifying[0]["value"] in TECHNIQUES
    if tag["value"] == "uncited":
        assert classifying[0]["value"] in STRENGTHS
    links = [b for b in a["body"] if b["purpose"] == "linking"]
    if tag["value"] == "rebuttal":
        (link,) = links
        assert link["type"] == "SpecificResource" and link["source"] != a["target"]["source"]
        check_quote_selector(link["selector"][0])
        check_position_selector(link["selector"][1])
    else:
        assert not links


def test_export_has_every_anchored_note(site):
    data = json.loads((site / "annotations.jsonld").read_text(encoding="utf-8"))
    assert data["@context"] == CONTEXT and data["type"] == "AnnotationCollection"
    items = data["first"]["items"]
    assert data["total"] == len(items)
    ids = [a["id"] for a in items]
    assert len(ids) == len(set(ids))
    for a in items:
        check_annotation(a)
    html_ids = set()
    for page in (site / "sources").glob("*.html"):
        text = page.read_text(encoding="utf-8")
        html_ids |= {a["id"].split("#")[1] for a in items if f'data-note="{a["id"].split("#")[1]}"' in text}
    assert html_ids == {i.split("#")[1] for i in ids}


def test_position_selector_points_at_the_quote(site):
    from reading_room.anchor import SourceText, normalise
    from reading_room.room import load_sources

    room = load_sources(ROOT)
    texts = {slug: SourceText(src).text for slug, src in room.sources.items()}
    data = json.loads((site / "annotations.jsonld").read_text(encoding="utf-8"))
    for a in data["first"]["items"]:
        slug = a["target"]["source"].split("/")[1].removesuffix(".html")
        quote, pos = a["target"]["selector"]
        assert normalise(texts[slug][pos["start"]:pos["end"]]).strip() == normalise(quote["exact"]).strip()


def test_schema_speaks_the_vocabulary():
    schema = json.loads((ROOT / "annotations" / "schema.json").read_text())
    note = schema["$defs"]["note"]["properties"]
    assert note["kind"]["enum"] == list(KINDS)
    assert note["technique"]["enum"] == list(TECHNIQUES)
    assert note["strength"]["enum"] == list(STRENGTHS)
