"""The library's shape: collections, the sources index, and what the navigation lists.

A room of five sources lists them in the navigation, as it always has.  A library of thousands
cannot: the theme writes the whole navigation into every page, so listing every source there
makes each page carry the whole library, and the site grow with the square of its size.  So:

- a source belongs to the **collection** named by ``collection:`` in its ``seeds/<slug>.meta.yml``
  (sources without one form "Other sources");
- **All sources** (``library/index.md``) lists every source in one table, with its author,
  date, genre, stance, collection and number of notes; ``assets/sources-index.js`` filters and
  sorts it in the browser (from ``file://`` too; without the script the whole table is shown);
- every collection gets a page of its own (``library/<collection>.md``), the same table for its
  sources;
- the navigation's *Sources* section (``nav_plan``) lists All sources and then, in a room of at
  most ``NAV_LIMIT`` sources, each source (under its collection when the room has collections),
  or else each collection, never each source; and a room of more than ``NAV_LIMIT`` collections
  lists one *Collections* page (``library/collections.md``) instead of each collection, so that
  no page's navigation grows with the library.

Pure functions of a ``Room``; the hooks turn the plan into MkDocs' navigation.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from .convert import slugify
from .inline import attr, escape
from .site import GeneratedPage, front_matter, md_link, page_url, plural, source_uri, source_url

DIR = "library"
INDEX_URI = f"{DIR}/index.md"
COLLECTIONS_URI = f"{DIR}/collections.md"  # only in a room of more than NAV_LIMIT collections
SCRIPT = "assets/sources-index.js"
# At most this many sources in the room, and the navigation lists each of them; above it, the
# navigation lists the collections.  Twenty links are about a screen of navigation on a laptop.
NAV_LIMIT = 20
OTHER = "Other sources"  # the collection of sources whose metadata names none
SECTION = "Sources"
NOT_STATED = "not stated"
NUM_TD = '<td class="rr-num">'


@dataclass(frozen=True)
class Collection:
    slug: str
    title: str
    sources: tuple[str, ...]  # source slugs, in the room's order

    @property
    def uri(self) -> str:
        return f"{DIR}/{self.slug}.md"


def collections(room) -> list[Collection]:
    """The room's collections, in order of their names, "Other sources" last."""
    members: dict[str, list[str]] = {}
    for slug, source in room.sources.items():
        members.setdefault(source.meta.collection or "", []).append(slug)
    taken = {"index", "collections"}  # the index's and the collections page's own addresses
    out = []
    for name in sorted((n for n in members if n), key=lambda n: (n.casefold(), n)) + ([""] if "" in members else []):
        base = slugify(name) or ("other" if not name else "collection")
        slug, k = base, 2
        while slug in taken:
            slug, k = f"{base}-{k}", k + 1
        taken.add(slug)
        out.append(Collection(slug, name or OTHER, tuple(members[name])))
    return out


def has_collections(room) -> bool:
    return any(s.meta.collection for s in room.sources.values())


def lists_collections(cols: list[Collection]) -> bool:
    """Whether the navigation of a room too big to list its sources lists each collection, or
    one Collections page."""
    return len(cols) <= NAV_LIMIT


def lists_sources(room) -> bool:
    """Whether the navigation lists each source (a small room) or only the collections."""
    return len(room.sources) <= NAV_LIMIT


def nav_plan(room) -> list:
    """The navigation's Sources section: page URIs, and (title, [URIs]) for a sub-section."""
    plan: list = [INDEX_URI]
    if lists_sources(room):
        if has_collections(room):
            plan += [(c.title, [c.uri] + [source_uri(s) for s in c.sources]) for c in collections(room)]
        else:
            plan += [source_uri(s) for s in room.sources]
    else:
        cols = collections(room)
        plan += [c.uri for c in cols] if lists_collections(cols) else [COLLECTIONS_URI]
    return plan


# -- dates that sort -------------------------------------------------------------------------------
MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
YEAR = re.compile(r"\b(1[5-9]\d\d|2\d\d\d)\b")
ISO = re.compile(r"\b(\d{4})-(\d{2})(?:-(\d{2}))?\b")
MONTH = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\b", re.I)
DAY = re.compile(r"\b([0-3]?\d)\b")


def date_key(text: str) -> str:
    """A key that sorts free-written dates ("September 2020", "2024-03-05", "5 May 2021") in time
    order: ``YYYY-MM-DD`` with ``00`` for what is not stated, "" when there is no year at all."""
    m = ISO.search(text)
    if m:
        return f"{m.group(1)}-{m.group(2)}-{m.group(3) or '00'}"
    year = YEAR.search(text)
    if not year:
        return ""
    month = MONTH.search(text)
    rest = text.replace(year.group(0), " ")
    day = DAY.search(rest) if month else None
    return f"{year.group(1)}-{MONTHS[month.group(1).lower()] if month else 0:02d}-{int(day.group(1)) if day else 0:02d}"


# -- the tables --------------------------------------------------------------------------------------
COLUMNS = (("title", "Title"), ("author", "Author / issuer"), ("date", "Date"), ("genre", "Genre"),
           ("stance", "Stance"), ("collection", "Collection"), ("notes", "Notes"))


def note_count(room, slug: str) -> tuple[int, int]:
    """(curated notes, machine suggestions) placed on a source's page."""
    placed = room.resolution.for_source(slug)
    curated = sum(1 for p in placed if not p.note.suggested)
    return curated, len(placed) - curated


def _values(rows) -> list[str]:
    return sorted({v for v in rows if v and v != NOT_STATED}, key=lambda v: (v.casefold(), v))


def _options(values) -> str:
    return "".join(f'<option value="{attr(v)}">{escape(v)}</option>' for v in values)


def sources_table(room, slugs, from_uri: str, collection_of: dict[str, Collection], with_collection: bool) -> str:
    """The table of sources as HTML (one row per line), and the filter form the script shows."""
    columns = [c for c in COLUMNS if with_collection or c[0] != "collection"]
    metas = [room.sources[s].meta for s in slugs]
    selects = [("genre", "Genre", _values(m.genre for m in metas)),
               ("stance", "Stance", _values(m.stance for m in metas))]
    if with_collection:
        selects.append(("collection", "Collection", [c.title for c in dict.fromkeys(collection_of[s] for s in slugs)]))
    form = ('<form class="rr-filter rr-library__filter" role="search" aria-label="Filter the sources" hidden data-rr-library-filter>'
            '<label>Words <input type="search" name="q" autocomplete="off" placeholder="title or author"></label>'
            + "".join(f'<label>{label} <select name="{name}"><option value="">Any {label.lower()}</option>{_options(values)}</select></label>'
                      for name, label, values in selects if values)
            + "</form>")
    head = "".join(f'<th scope="col" data-rr-sort="{key}"' + (' class="rr-num"' if key == "notes" else "") + f">{label}</th>"
                   for key, label in columns)
    lines = [form, f'<p class="rr-filter__count" aria-live="polite" data-rr-library-count>{plural(len(slugs), "source")}.</p>',
             f'<table data-rr-library data-count="{len(slugs)}"><thead><tr>{head}</tr></thead><tbody>']
    for slug in slugs:
        m = room.sources[slug].meta
        curated, suggested = note_count(room, slug)
        c = collection_of[slug]
        data = {"title": m.title, "author": m.author, "date": date_key(m.date), "genre": m.genre,
                "stance": m.stance, "collection": c.title, "notes": str(curated)}
        cells = {
            "title": f'<a href="{attr(source_url(slug, from_uri))}">{escape(m.title)}</a>',
            "author": escape(m.author), "date": escape(m.date), "genre": escape(m.genre), "stance": escape(m.stance),
            "collection": f'<a href="{attr(page_url(c.uri, from_uri))}">'
                          f"{escape(c.title)}</a>",
            "notes": str(curated) + (f' <span class="rr-library__suggested">+{suggested} suggested</span>' if suggested else ""),
        }
        row = " ".join(f'data-{k}="{attr(v)}"' for k, v in data.items())
        lines.append(f"<tr {row}>" + "".join(
            (NUM_TD if key == "notes" else "<td>") + cells[key] + "</td>" for key, _ in columns) + "</tr>")
    lines.append("</tbody></table>")
    return "\n".join(lines)


def _front(title: str) -> str:
    return front_matter(title, exclude_from_search=True)  # lists of titles only: the search finds the sources themselves


def _script(from_uri: str) -> str:
    return f'<script src="{posixpath.relpath(SCRIPT, posixpath.dirname(from_uri))}"></script>\n'


def index_page(room, cols: list[Collection] | None = None) -> str:
    cols = collections(room) if cols is None else cols
    of = {s: c for c in cols for s in c.sources}
    grouped = has_collections(room)
    text = [_front("All sources"),
            f"Every source in the room: {plural(len(room.sources), 'source')}"
            + (f" in {plural(len(cols), 'collection')}" if grouped else "") + ". "
            "Type words from a title or an author, choose a genre or a stance"
            + (" or a collection" if grouped else "") + ", and click a column's heading to sort by it. "
            "*Notes* counts the notes an editor wrote; machine suggestions are counted apart.\n"]
    if grouped:
        text.append("Collections: " + ", ".join(
            f"[{escape(c.title)}]({md_link(c.uri, INDEX_URI)}) ({len(c.sources):,})" for c in cols) + ".\n")
    text += [sources_table(room, list(room.sources), INDEX_URI, of, grouped) + "\n", _script(INDEX_URI)]
    return "\n".join(text)


def collection_page(room, c: Collection, cols: list[Collection]) -> str:
    of = {s: col for col in cols for s in col.sources}
    intro = (f"{plural(len(c.sources), 'source')} in this collection"
             + (" (their metadata names no collection)" if c.title == OTHER and not any(
                 room.sources[s].meta.collection for s in c.sources) else "")
             + ". See [All sources](index.md) for every source in the room.\n")
    return "\n".join([_front(c.title), intro, sources_table(room, list(c.sources), c.uri, of, False) + "\n",
                      _script(c.uri)])


def pages(room) -> list[GeneratedPage]:
    cols = collections(room)
    out = [GeneratedPage(INDEX_URI, content=index_page(room, cols))]
    if has_collections(room) or not lists_sources(room):
        out += [GeneratedPage(c.uri, content=collection_page(room, c, cols)) for c in cols]
    if not lists_sources(room) and not lists_collections(cols):
        out.append(GeneratedPage(COLLECTIONS_URI, content=collections_page(room, cols)))
    return out


def collections_page(room, cols: list[Collection]) -> str:
    """Every collection, for a library with more of them than its navigation lists."""
    intro = f"The room's {plural(len(room.sources), 'source')} in {plural(len(cols), 'collection')}.\n"
    return "\n".join([_front("Collections"), intro, collections_table(room, COLLECTIONS_URI, cols) + "\n"])


def collections_table(room, page_uri: str, cols: list[Collection] | None = None) -> str:
    """The collections, with a link to All sources: for the home page of a big room (instead of
    every source) and for its Collections page."""
    rows = ["| Collection | Sources |", "|---|---:|"]
    for c in collections(room) if cols is None else cols:
        rows.append(f"| [{escape(c.title).replace('|', '&#124;')}]({md_link(c.uri, page_uri)}) | {len(c.sources):,} |")
    index = md_link(INDEX_URI, page_uri)
    return "\n".join(rows) + f"\n\n[All {len(room.sources):,} sources]({index}), with filters and sorting."
