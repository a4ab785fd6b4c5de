"""The annotation layer as W3C Web Annotations (JSON-LD), for other tools to read.

Each note becomes one ``Annotation``: its target is the source page with a
``TextQuoteSelector`` (what the editor stored) and a ``TextPositionSelector`` (where it landed,
in the page text: the source's blocks joined by a blank line); its bodies are the note
(``commenting``), the kind (``tagging``), the technique or strength (``classifying``) and, for a
rebuttal, the passage in the other source (``linking``).
"""

from __future__ import annotations

from .margin import Resolution
from .notes import Note
from .notetext import note_text

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
EDITORS = {"type": "Organization", "name": "The Reading Room editors"}
DETECTOR = {"type": "Software", "name": "The Reading Room detector"}


def _quote_selector(selector) -> dict:
    out = {"type": "TextQuoteSelector", "exact": selector.exact}
    if selector.prefix:
        out["prefix"] = selector.prefix
    if selector.suffix:
        out["suffix"] = selector.suffix
    return out


def annotation(note: Note, anchor, target_anchor, page_url) -> dict:
    page = page_url(note.source)
    bodies: list[dict] = [
        {"type": "TextualBody", "purpose": "commenting", "value": note_text(note.body), "format": "text/plain", "language": "en"},
        {"type": "TextualBody", "purpose": "tagging", "value": note.kind},
    ]
    if note.classification:
        bodies.append({"type": "TextualBody", "purpose": "classifying", "value": note.classification})
    if note.target and target_anchor is not None:
        bodies.append({
            "type": "SpecificResource",
            "purpose": "linking",
            "source": page_url(note.target.source),
            "selector": [
                _quote_selector(note.target.selector),
                {"type": "TextPositionSelector", "start": target_anchor.page_start, "end": target_anchor.page_end},
            ],
        })
    creator = dict(DETECTOR) if note.suggested else dict(EDITORS)
    if note.author and not note.suggested:
        creator = {"type": "Person", "name": note.author}
    return {
        "@context": CONTEXT,
        "id": f"{page}#{note.id}",
        "type": "Annotation",
        "motivation": "commenting" if note.kind != "rebuttal" else "linking",
        "creator": creator,
        "body": bodies,
        "target": {
            "source": page,
            "selector": [
                _quote_selector(note.selector),
                {"type": "TextPositionSelector", "start": anchor.page_start, "end": anchor.page_end},
            ],
        },
    }


def export(resolution: Resolution, page_url) -> dict:
    """An ``AnnotationCollection`` with every anchored note, in one page."""
    items = [annotation(p.note, p.anchor, p.target, page_url) for p in resolution.placed]
    return {
        "@context": CONTEXT,
        "id": "annotations.jsonld",
        "type": "AnnotationCollection",
        "label": "The Reading Room: margin notes",
        "total": len(items),
        "first": {"type": "AnnotationPage", "id": "annotations.jsonld#page1", "startIndex": 0, "items": items},
    }
