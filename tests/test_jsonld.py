"""annotations.jsonld against the shapes of the W3C Web Annotation Data Model.

The checks follow the annotation-model definitions used by web-platform-tests (annotations
must have @context, id, type "Annotation", a target; bodies and selectors of known types).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from annotator import pages_by_iri
from reading_room.iri import RoomIris
from reading_room.vocabulary import KINDS, STRENGTHS, TECHNIQUES

ROOT = Path(__file__).resolve().parents[1]
CONTEXT = "http://www.w3.org/ns/anno.jsonld"
PURPOSES = {"assessing", "bookmarking", "classifying", "commenting", "describing", "editing", "highlighting",
            "identifying", "linking", "moderating", "questioning", "replying", "tagging"}


ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")  # a scheme, then no white space


def check_quote_selector(sel):
    assert sel["type"] == "TextQuoteSelector" and isinstance(sel["exact"], str) and sel["exact"]
    assert set(sel) <= {"type", "exact", "prefix", "suffix"}


def check_position_selector(sel):
    assert sel["type"] == "TextPositionSelector"
    assert isinstance(sel["start"], int) and isinstance(sel["end"], int) and 0 <= sel["start"] < sel["end"]


def check_annotation(a):
    assert a["@context"] == CONTEXT
    assert a["type"] == "Annotation" and ABSOLUTE.match(a["id"]) and ABSOLUTE.match(a["canonical"])
    assert a["motivation"] in PURPOSES
    assert a["creator"]["type"] in {"Organization", "Person", "Software"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", a["created"])
    quote, position = a["target"]["selector"]
    assert a["target"]["type"] == "SpecificResource"
    # the room has no site_url: a source is named by its seed's SHA-256 (RFC 6920)
    assert re.fullmatch(r"ni:///sha-256;[A-Za-z0-9_-]{43}", a["target"]["source"])
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


def note_ids(site: Path) -> dict[str, set[str]]:
    """Each note of the built pages by its IRI (the room has no site_url): the pages it is on
    (a rebuttal shows on both of its pages)."""
    out: dict[str, set[str]] = {}
    for iri, page in pages_by_iri(site).items():
        for note in re.findall(r'<div class="rr-note[ "][^>]*data-note="([^"]+)"', page.read_text(encoding="utf-8")):
            out.setdefault(RoomIris().canonical(note), set()).add(iri)
    return out


def test_export_has_every_anchored_note(site):
    data = json.loads((site / "annotations.jsonld").read_text(encoding="utf-8"))
    assert data["@context"] == CONTEXT and data["type"] == "AnnotationCollection"
    room = RoomIris()
    assert data["id"] == room.collection and data["id"].startswith("urn:uuid:")
    assert data["last"] == data["first"]["id"] and data["first"]["partOf"]["id"] == data["id"]
    assert data["first"]["partOf"]["total"] == data["total"]
    items = data["first"]["items"]
    assert data["total"] == len(items)
    ids = [a["id"] for a in items]
    assert len(ids) == len(set(ids))
    for a in items:
        check_annotation(a)
        assert a["canonical"] == a["id"]
    notes = note_ids(site)
    assert set(ids) == set(notes)
    assert all(a["target"]["source"] in notes[a["id"]] for a in items)


def test_the_pages_name_their_source_and_room_as_the_export_does(site):
    pages = pages_by_iri(site)
    assert len(pages) == len(list((site / "sources").glob("*.html")))
    for page in [*pages.values(), *(site / "assignments").glob("*.html")]:
        html = page.read_text(encoding="utf-8")
        elements = re.findall(r"<[^>]*data-sha256=[^>]*>", html)
        for el in elements:
            sha = re.search(r'data-sha256="([0-9a-f]{64})"', el).group(1)
            assert f'data-rr-iri="{RoomIris().source("", sha)}"' in el, el
            assert f'data-rr-room="{RoomIris().room}"' in el, el


def test_position_selector_points_at_the_quote(site):
    from reading_room.anchor import SourceText, normalise
    from reading_room.room import load_sources

    room = load_sources(ROOT)
    texts = {slug: SourceText(src).text for slug, src in room.sources.items()}
    data = json.loads((site / "annotations.jsonld").read_text(encoding="utf-8"))
    slug_of = {iri: page.stem for iri, page in pages_by_iri(site).items()}
    for a in data["first"]["items"]:
        slug = slug_of[a["target"]["source"]]
        quote, pos = a["target"]["selector"]
        assert normalise(texts[slug][pos["start"]:pos["end"]]).strip() == normalise(quote["exact"]).strip()


def test_schema_speaks_the_vocabulary():
    schema = json.loads((ROOT / "annotations" / "schema.json").read_text())
    note = schema["$defs"]["note"]["properties"]
    assert note["kind"]["enum"] == list(KINDS)
    assert note["technique"]["enum"] == list(TECHNIQUES)
    assert note["strength"]["enum"] == list(STRENGTHS)
