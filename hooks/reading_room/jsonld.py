"""The annotation layer as W3C Web Annotations (JSON-LD), for other tools to read.

Each note becomes one ``Annotation``: its target is a ``SpecificResource`` on the source with a
``TextQuoteSelector`` and a ``TextPositionSelector`` (where it landed, in the page text: the
source's blocks joined by a blank line); its bodies are the note (``commenting``), the kind
(``tagging``), the technique or strength (``classifying``) and, for a rebuttal, the passage in
the other source (``linking``).

Every identifier is an absolute IRI (``reading_room.iri``).  The quote selector is made from
where the note landed, not from what the editor typed: ``exact`` is the page's own text (the
editor's quote may differ in spaces or quotation marks), with up to ``CONTEXT_CHARS`` of the
same block before and after as ``prefix`` and ``suffix``, as the hypothesis client keeps them,
so that a client that matches exactly (Apache Annotator) finds it, and finds it once.  The
context stops at the block's edge: between blocks a page has whatever white space its HTML
has, which no export can promise.
"""

from __future__ import annotations

from . import cache
from .iri import RoomIris
from .margin import Resolution
from .model import Source
from .notes import Note
from .notetext import note_text

CONTEXT_CHARS = 32

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
EDITORS = {"type": "Organization", "name": "The Reading Room editors"}
DETECTOR = {"type": "Software", "name": "The Reading Room detector"}


def quote_selector(source: Source | None, anchor, stored) -> dict:
    """exact, prefix and suffix from the anchored place in its block (``stored``, the editor's
    selector, only when the block cannot be found)."""
    block = source.block(anchor.block_id) if source is not None else None
    if block is None:
        return {"type": "TextQuoteSelector", "exact": stored.exact, "prefix": stored.prefix or "",
                "suffix": stored.suffix or ""}
    text = block.text
    return {"type": "TextQuoteSelector", "exact": text[anchor.start:anchor.end],
            "prefix": text[max(0, anchor.start - CONTEXT_CHARS):anchor.start],
            "suffix": text[anchor.end:anchor.end + CONTEXT_CHARS]}


def _target(iris: RoomIris, sources: dict[str, Source], slug: str, anchor, stored) -> dict:
    source = sources.get(slug)
    return {
        "type": "SpecificResource",
        "source": iris.source(slug, source.sha256 if source else ""),
        "selector": [
            quote_selector(source, anchor, stored),
            {"type": "TextPositionSelector", "start": anchor.page_start, "end": anchor.page_end},
        ],
    }


def annotation(note: Note, anchor, target_anchor, iris: RoomIris, sources: dict[str, Source],
               created: str = "") -> dict:
    bodies: list[dict] = [
        {"type": "TextualBody", "purpose": "commenting", "value": note_text(note.body), "format": "text/plain", "language": "en"},
        {"type": "TextualBody", "purpose": "tagging", "value": note.kind},
    ]
    if note.classification:
        bodies.append({"type": "TextualBody", "purpose": "classifying", "value": note.classification})
    if note.target and target_anchor is not None:
        link = _target(iris, sources, note.target.source, target_anchor, note.target.selector)
        bodies.append({"type": "SpecificResource", "purpose": "linking", **{k: link[k] for k in ("source", "selector")}})
    creator = dict(DETECTOR) if note.suggested else dict(EDITORS)
    if note.author and not note.suggested:
        creator = {"type": "Person", "name": note.author}
    out = {
        "@context": CONTEXT,
        "id": iris.annotation(note.id, note.source),
        "type": "Annotation",
        "canonical": iris.canonical(note.id),
        "motivation": "commenting" if note.kind != "rebuttal" else "linking",
        "creator": creator,
        "body": bodies,
        "target": _target(iris, sources, note.source, anchor, note.selector),
    }
    if created:
        out["created"] = created
    return out


def export(resolution: Resolution, iris: RoomIris | None = None, sources: dict[str, Source] | None = None,
           modified: dict[str, str] | None = None) -> dict:
    """An ``AnnotationCollection`` with every anchored note, in one page.  ``modified`` gives
    each note's ``created``: when its file was last saved (``Room.modified``)."""
    iris = iris or RoomIris()
    sources = sources or {}
    modified = modified or {}
    room = repr(iris)

    def item(p) -> dict:  # under `mkdocs serve`, an unchanged note's is kept (cache.kept)
        created = modified.get(p.note.path, "")
        ends = (p.note, p.anchor, p.target, sources.get(p.note.source), sources.get(p.note.target.source) if p.note.target else None)
        return cache.kept("annotation", ends, (room, created),
                          lambda: annotation(p.note, p.anchor, p.target, iris, sources, created))

    items = [item(p) for p in resolution.placed]
    label = "The Reading Room: margin notes"
    # partOf as an object, as the model's example has it: the WG's page assertions read its
    # total, label and dates, and fail on a bare IRI
    part_of = {"id": iris.collection, "label": label, "total": len(items)}
    return {
        "@context": CONTEXT,
        "id": iris.collection,
        "type": "AnnotationCollection",
        "label": label,
        "total": len(items),
        "first": {"type": "AnnotationPage", "id": iris.collection_page, "partOf": part_of,
                  "startIndex": 0, "items": items},
        "last": iris.collection_page,
    }
