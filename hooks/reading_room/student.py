"""The students' own margin: what the build gives ``docs/assets/mine.js`` to work with.

Students write notes in the browser and keep them there; the build only says what the room is:

- ``catalogue_js``: ``assets/rr-catalogue.js``, the room's IRI and, for every source and
  assignment page, its IRI, site path and title.  Every page loads it (a ``'self'`` script, so
  the Content-Security-Policy holds), because a page must know the whole room to check an
  imported file ("this file holds no annotations for this room"), to list notes by source on
  *My notes*, and to link to passages.  The IRIs are those of ``reading_room.iri``, the same as
  ``annotations.jsonld`` and the pages' ``data-rr-iri``, never a ``file:///`` path.
- ``my_notes_page``: the Markdown of *My notes*, whose list the script fills in.
- ``presets``: an assignment's front matter ``show:`` / ``first:``, checked and put into the
  page as data attributes for the script.

Pure: no MkDocs; the hooks add the two files with ``File.generated``.
"""

from __future__ import annotations

import json

from .errors import Problems
from .inline import attr
from .vocabulary import KINDS

CATALOGUE_URI = "assets/rr-catalogue.js"
MY_NOTES_URI = "my-notes.md"
PRESET_KINDS = tuple(KINDS) + ("suggested", "mine", "reader")


def html_path(uri: str) -> str:
    return uri[:-3] + ".html" if uri.endswith(".md") else uri


def catalogue(room, assignments, site_name: str = "") -> dict:
    iris = room.iris
    sources = [{"slug": slug, "iri": iris.source(slug, s.sha256), "url": f"sources/{slug}.html",
                "title": s.meta.title, "sha256": s.sha256} for slug, s in room.sources.items()]
    pages = [{"iri": iris.page(html_path(a.uri)), "url": html_path(a.uri), "title": a.title} for a in assignments]
    pages.append({"iri": iris.page(html_path(MY_NOTES_URI)), "url": html_path(MY_NOTES_URI), "title": "My notes",
                  "mynotes": True})
    return {"room": iris.room, "title": site_name or iris.name, "sources": sources, "pages": pages}


def catalogue_js(room, assignments, site_name: str = "") -> str:
    data = json.dumps(catalogue(room, assignments, site_name), ensure_ascii=True, separators=(",", ":"))
    # ensure_ascii leaves no U+2028/2029; "<" never closes anything in a file, but stays harmless
    return "window.ReadingRoomCatalogue=" + data.replace("<", "\\u003c") + ";\n"


def my_notes_page() -> str:
    return (
        "---\ntitle: My notes\n---\n\n# My notes\n\n"
        "Every note and answer you have written in this room, by source, each linked to its passage. "
        "They are kept in this browser only; **Export my notes** (below) saves them as one file to "
        "hand in. A teacher who imports students' files sees each student's notes here too.\n\n"
        '<div class="rr-mynotes" data-rr-mynotes>'
        "<p>This list needs JavaScript, which is switched off in this browser.</p></div>\n"
    )


def presets(data: dict, lines: dict, path: str, problems: Problems) -> str:
    """``show: [framing, rebuttal]`` and ``first: mine`` of an assignment page, as attributes."""
    out = []
    show = data.get("show")
    if show is not None:
        kinds = [str(k).strip().lower() for k in (show.split(",") if isinstance(show, str) else show if isinstance(show, list) else [show])]
        bad = [k for k in kinds if k not in PRESET_KINDS]
        if bad:
            problems.add(path, lines.get("show"), f"'show:' names an unknown kind: {', '.join(bad)}",
                         f"kinds are: {', '.join(PRESET_KINDS)}")
        kinds = [k for k in kinds if k in PRESET_KINDS]
        if kinds:
            out.append(f'data-rr-show="{attr(",".join(kinds))}"')
    first = data.get("first")
    if first is not None:
        if str(first).strip().lower() == "mine":
            out.append('data-rr-first="mine"')
        else:
            problems.add(path, lines.get("first"), f"'first:' can only be 'mine', not '{first}'",
                         "first: mine keeps the room's notes back until the student has written one")
    return f'<div class="rr-presets" hidden {" ".join(out)}></div>\n\n' if out else ""
