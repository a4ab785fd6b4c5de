"""Generated overview pages for teachers and readers, in the ``overview/`` section of the site:

- **All flags**: every note, grouped by source and kind, each linking to its passage, with counts;
- **Disputed figures**: every rebuttal whose claim or disputing passage contains a number, the
  two quotes side by side with the note;
- **Rebuttals side by side**: every rebuttal as claim | disputing passage, both linked;
- **Search notes**: every note in one list that a small script (``assets/search-notes.js``)
  filters by words, kind, source and technique; without the script the whole list is shown;

plus ``notes-index.json``, the same notes as plain records for other tools.  Machine
suggestions are kept apart and labelled as such.

A library too big for its navigation to list its sources (``library.lists_sources``) is too big
for one page of every note too: at 5,000 sources *All flags* would weigh 95 MB.  There, each of
the four pages lists **parts** (``parts``: one a collection, a collection of more than
``PART_SOURCES`` sources in runs of that many), and each part has a page of its own in the
page's folder (``overview/all-flags/<part>.md`` and so on), which the navigation leaves out, as
it leaves out the sources.  No page then grows with the library but the lists of parts.

Pure functions of a ``Room``: one pass over the placed notes, no rescanning of sources.
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache

from . import cache, library
from .inline import attr, escape
from .margin import kind_label
from .notetext import note_html, note_text
from .site import GeneratedPage, front_matter, md_link, page_url, plural, source_url
from .vocabulary import KINDS, STRENGTHS, TECHNIQUES

DIR = "overview"
INDEX_URI = f"{DIR}/index.md"
ALL_FLAGS_URI = f"{DIR}/all-flags.md"
FIGURES_URI = f"{DIR}/disputed-figures.md"
REBUTTALS_URI = f"{DIR}/rebuttals.md"
SEARCH_URI = f"{DIR}/search-notes.md"
NOTES_INDEX_URI = "notes-index.json"
TITLES = {ALL_FLAGS_URI: "All flags", FIGURES_URI: "Disputed figures", REBUTTALS_URI: "Rebuttals side by side",
          SEARCH_URI: "Search notes"}
SEARCH_SCRIPT = "assets/search-notes.js"
# A part page lists the notes of at most this many sources (a collection of the bench's size).
PART_SOURCES = 100
# the folders of the part pages, which only their overview page lists
PART_DIRS = tuple(uri[:-3] + "/" for uri in (ALL_FLAGS_URI, FIGURES_URI, REBUTTALS_URI, SEARCH_URI))
# a figure: digits (with separators), or a number word; "one" and "two" are left out, they are
# mostly not figures ("one says…")
NUMBER = re.compile(r"\d|\b(?:hundred|thousand|million|billion|percent|per cent|dozens?)\b", re.I)
FIGURE = re.compile(r"(?:\d[\d,.]*\d|\d)(?:\s+(?:hundred|thousand|million|billion))?(?:\s*(?:%|percent|per cent))?", re.I)


@dataclass(frozen=True)
class End:
    """One end of a note: a passage in a source page."""

    slug: str
    title: str
    quote: str
    url: str  # from the overview folder, to the passage (its highlight's id)


@dataclass(frozen=True)
class Flag:
    """One placed note, as the overview pages list it."""

    id: str
    kind: str
    classification: str  # technique or strength key, or ""
    label: str  # "Framing · loaded language"
    body: str  # as written (limited Markdown)
    body_html: str  # rendered once, shown on several pages
    suggested: bool
    here: End
    far: End | None  # a rebuttal's disputing passage
    order: tuple[int, int]  # source order, position in the page text


@dataclass(frozen=True)
class Part:
    """Some of a big room's sources, whose notes one page of each overview lists."""

    slug: str
    title: str
    sources: tuple[str, ...]  # source slugs, in the room's order

    def uri(self, page_uri: str) -> str:
        return f"{page_uri[:-3]}/{self.slug}.md"


def _where(page_uri: str, part: Part | None) -> tuple[str, str]:
    """(title, address) of an overview page, or of its part's page, which names the part."""
    return (f"{TITLES[page_uri]}: {part.title}", part.uri(page_uri)) if part else (TITLES[page_uri], page_uri)


def _other_parts(page_uri: str, part: Part | None) -> str:
    """On a part's page, a link back to the overview page, which lists the other parts."""
    return f" [{TITLES[page_uri]}]({md_link(page_uri, part.uri(page_uri))}) lists the room's other parts." if part else ""


def splits(room) -> bool:
    """Whether the overview lists parts (a room too big to list its sources) or every note."""
    return not library.lists_sources(room)


def parts(room, cols: list | None = None) -> list[Part]:
    """A part for each collection, in the library's order; a collection of more than
    ``PART_SOURCES`` sources in runs of that many (``--2`` and on: a collection's slug never
    holds two hyphens running)."""
    out = []
    for c in library.collections(room) if cols is None else cols:
        runs = [c.sources[i:i + PART_SOURCES] for i in range(0, len(c.sources), PART_SOURCES)]
        for k, run in enumerate(runs):
            if len(runs) == 1:
                out.append(Part(c.slug, c.title, run))
            else:
                first = k * PART_SOURCES + 1
                out.append(Part(c.slug if k == 0 else f"{c.slug}--{k + 1}",
                                f"{c.title}, sources {first:,}–{first + len(run) - 1:,} of {len(c.sources):,}", run))
    return out


def flags(room, from_uri: str = INDEX_URI) -> list[Flag]:
    """Every placed note, in source order and then in reading order."""
    position = {slug: i for i, slug in enumerate(room.sources)}

    pages = {slug: source_url(slug, from_uri) for slug in room.sources}

    def end(slug: str, quote: str, note_id: str) -> End:
        return End(slug, room.sources[slug].meta.title, quote, f"{pages[slug]}#{note_id}")

    def flag(p) -> Flag:
        n = p.note
        far = end(n.target.source, n.target.selector.exact, n.id) if n.target and p.target else None
        return Flag(n.id, n.kind, n.classification, kind_label(n), n.body, _note_html(n.body), n.suggested,
                    end(n.source, n.selector.exact, n.id), far, (position.get(n.source, 0), p.anchor.page_start))

    def kept_flag(p) -> Flag:  # under `mkdocs serve`, an unchanged note's is kept (cache.kept)
        n = p.note
        ends = (n, p.anchor, p.target, room.sources.get(n.source), room.sources.get(n.target.source) if n.target else None)
        return cache.kept("flag", ends, (from_uri, position.get(n.source, 0)), lambda: flag(p))

    return sorted(map(kept_flag, room.resolution.placed), key=lambda f: f.order)


@lru_cache(maxsize=1 << 16)  # the detector's notes say the same few sentences again and again
def _note_html(body: str) -> str:
    return note_html(body)


def by_source(items: list[Flag]) -> dict[str, list[Flag]]:
    """The flags of each source, in one pass (a room may have thousands of sources)."""
    out: dict[str, list[Flag]] = {}
    for f in items:
        out.setdefault(f.here.slug, []).append(f)
    return out


def has_figure(text: str) -> bool:
    return bool(NUMBER.search(text))


def figures_html(text: str) -> str:
    """``text`` escaped, with every figure in it set in bold."""
    out, last = [], 0
    for m in FIGURE.finditer(text):
        out += [escape(text[last:m.start()]), f'<strong class="rr-figure">{escape(m.group(0))}</strong>']
        last = m.end()
    return "".join(out) + escape(text[last:])


# -- one note as a list item ---------------------------------------------------------------------
def flag_item(f: Flag, with_source: bool = False) -> str:
    return cache.kept("flag item", (f,), with_source, lambda: _flag_item(f, with_source))


def _flag_item(f: Flag, with_source: bool) -> str:
    data = (f'data-flag="{f.id}" data-kind="{f.kind}" data-source="{f.here.slug}"'
            + (f' data-technique="{f.classification}"' if f.classification else "")
            + (' data-status="suggested"' if f.suggested else ""))
    source = f" · <cite>{escape(f.here.title)}</cite>" if with_source else ""
    far = ""
    if f.far:
        far = (f'<p class="rr-flag__far"><span class="rr-note__dir">Disputed by →</span> '
               f'<a href="{attr(f.far.url)}">{escape(f.far.title)}</a>: <q>{escape(f.far.quote)}</q></p>')
    machine = '<p class="rr-flag__meta">Suggested by the detector; not reviewed by an editor.</p>' if f.suggested else ""
    return (f'<li {data}><p class="rr-flag__meta"><span class="rr-badge rr-badge--{f.kind}">{escape(f.label)}</span>'
            f'{source}</p><p><q><a href="{attr(f.here.url)}">{escape(f.here.quote)}</a></q></p>'
            f'<p class="rr-flag__body">{f.body_html}</p>'.replace("\n", " ") + f"{far}{machine}</li>")


# -- All flags -----------------------------------------------------------------------------------
def _kind_cells(items: list[Flag]) -> str:
    """A table row's cells: how many of ``items`` are of each kind."""
    return "".join(f'<td data-kind="{k}">{sum(f.kind == k for f in items):,}</td>' for k in KINDS)


def counts_table(items: list[Flag], room, slugs=None) -> str:
    head = "".join(f'<th scope="col">{label}</th>' for label, _ in KINDS.values())
    rows = []
    groups = by_source(items)
    for slug in room.sources if slugs is None else slugs:
        source = room.sources[slug]
        mine = groups.get(slug, [])
        cells = _kind_cells(mine)
        title = f'<a href="#{slug}">{escape(source.meta.title)}</a>' if mine else escape(source.meta.title)
        rows.append(f'<tr data-source="{slug}"><th scope="row">{title}</th>{cells}<td data-kind="all">{len(mine)}</td></tr>')
    total = _kind_cells(items)
    return (f'<div class="rr-overview rr-scroll rr-counts"><table><thead><tr><th scope="col">Source</th>{head}'
            f'<th scope="col">Total</th></tr></thead><tbody>{"".join(rows)}</tbody><tfoot><tr data-source="all">'
            f'<th scope="row">{"All sources" if slugs is None else "All these sources"}</th>{total}<td data-kind="all">{len(items)}</td></tr></tfoot></table></div>\n')


def grouped(items: list[Flag], room, id_prefix: str = "", level: int = 2, page_uri: str = ALL_FLAGS_URI) -> str:
    out = []
    groups = by_source(items)
    for slug, mine in groups.items():  # in the room's order, as the flags are
        source = room.sources[slug]
        by_kind = ", ".join(f"{sum(f.kind == k for f in mine)} {k}" for k in KINDS if any(f.kind == k for f in mine))
        out.append(f"{'#' * level} {escape(source.meta.title)} {{#{id_prefix}{slug}}}\n\n"
                   f'<p class="rr-flag__meta">{plural(len(mine), "note")} ({by_kind}) · '
                   f'<a href="{attr(source_url(slug, page_uri))}">read the source with its margin</a></p>\n')
        for kind in KINDS:
            these = [f for f in mine if f.kind == kind]
            if not these:
                continue
            out.append(f"{'#' * (level + 1)} {KINDS[kind][0]} ({len(these)}) {{#{id_prefix}{slug}-{kind}}}\n\n"
                       f'<ul class="rr-flags" data-source="{slug}" data-kind="{kind}" data-count="{len(these)}">'
                       + "".join(flag_item(f) for f in these) + "</ul>\n")
    return "\n".join(out)


def _unplaced(room, page_uri: str) -> str:
    unplaced = len(room.resolution.unplaced)
    return (f"{plural(unplaced, 'note')} could not be placed on a page and "
            f"[are listed with the problems]({md_link('attention.md', page_uri)}).\n") if unplaced else ""


def all_flags_page(room, items: list[Flag], part: Part | None = None) -> str:
    curated = [f for f in items if not f.suggested]
    machine = [f for f in items if f.suggested]
    title, page_uri = _where(ALL_FLAGS_URI, part)
    on = f"{plural(len({f.here.slug for f in curated}), 'source')}"
    text = [front_matter(title, exclude_from_search=True),
            (f"The notes the editors have written on the sources of {escape(part.title)}, "
             f"{plural(len(curated), 'note')} on {on} of its {len(part.sources):,}, " if part else
             f"Every note the editors have written, {plural(len(curated), 'note')} on {on}, ")
            + "grouped by source and then by kind. Each quote links to its passage on the source page; a "
            "rebuttal also links to the passage that disputes it. The counts are made from the annotation "
            "files every time the site is built."
            + _other_parts(ALL_FLAGS_URI, part) + "\n",
            counts_table(curated, room, part.sources if part else None), _unplaced(room, page_uri),
            grouped(curated, room, page_uri=page_uri)]
    if machine:
        text.append(f"## Machine suggestions, not reviewed {{#suggested}}\n\n"
                    f"The room's detector suggests {plural(len(machine), 'flag')} on sources that no editor has "
                    "annotated yet. They are shown on those pages with a dotted underline, and are **not** part of "
                    "the counts above.\n\n" + grouped(machine, room, id_prefix="suggested-", level=3, page_uri=page_uri))
    return "\n".join(t for t in text if t)


# -- rebuttals side by side ----------------------------------------------------------------------
def pairs_table(items: list[Flag], figures: bool = False) -> str:
    quote = figures_html if figures else escape
    rows = []
    for f in items:
        rows.append(
            f'<tr data-flag="{f.id}"><td data-label="Claim"><q>{quote(f.here.quote)}</q>'
            f'<span class="rr-where"><a href="{attr(f.here.url)}">{escape(f.here.title)}</a></span></td>'
            f'<td data-label="Disputed by"><q>{quote(f.far.quote)}</q>'
            f'<span class="rr-where"><a href="{attr(f.far.url)}">{escape(f.far.title)}</a></span></td>'
            f'<td data-label="Note">{f.body_html}</td></tr>'.replace("\n", " "))
    return ('<div class="rr-overview rr-scroll rr-pairs"><table><thead><tr><th scope="col">Claim</th>'
            '<th scope="col">Disputed by</th><th scope="col">Note</th></tr></thead><tbody>'
            + "".join(rows) + "</tbody></table></div>\n")


def by_claim_source(items: list[Flag], room, figures: bool = False) -> str:
    out = []
    for slug, mine in by_source(items).items():  # in the room's order, as the flags are
        out.append(f"## Claims in {escape(room.sources[slug].meta.title)} ({len(mine)}) {{#{slug}}}\n\n"
                   f'<div data-source="{slug}" data-count="{len(mine)}">\n\n{pairs_table(mine, figures)}\n</div>\n')
    return "\n".join(out)


def rebuttals(items: list[Flag]) -> list[Flag]:
    return [f for f in items if f.kind == "rebuttal" and f.far and not f.suggested]


def disputed(items: list[Flag]) -> list[Flag]:
    return [f for f in rebuttals(items) if has_figure(f.here.quote) or has_figure(f.far.quote)]


def rebuttals_page(room, items: list[Flag], part: Part | None = None) -> str:
    pairs = rebuttals(items)
    return (front_matter(_where(REBUTTALS_URI, part)[0])
            + (f"Every rebuttal of a claim in the sources of {escape(part.title)} ({len(pairs)}): " if part else
               f"Every rebuttal in the room ({len(pairs)}): ")
            + "on the left the claim, on the right the passage in "
            "another document that disputes or qualifies it, and the editors' note on what to check. Both "
            "quotes link to their passages. Rebuttals run both ways: a claim in any document can be disputed "
            "by any other."
            + _other_parts(REBUTTALS_URI, part) + "\n\n" + by_claim_source(pairs, room))


def figures_page(room, items: list[Flag], part: Part | None = None) -> str:
    pairs = disputed(items)
    title, page_uri = _where(FIGURES_URI, part)
    everything = part.uri(REBUTTALS_URI) if part and rebuttals(items) else REBUTTALS_URI
    return (front_matter(title)
            + f"The {len(pairs)} rebuttals in which the claim or the disputing passage gives a figure, with the "
            "figures in bold. Two numbers that look alike often count different things — people or "
            "person-times, which years, which region, which programme — so read the note before comparing. "
            f"All rebuttals are on [Rebuttals side by side]({md_link(everything, page_uri)})."
            + _other_parts(FIGURES_URI, part)
            + "\n\n" + by_claim_source(pairs, room, figures=True))


# -- Search notes --------------------------------------------------------------------------------
def _options(pairs) -> str:
    return "".join(f'<option value="{attr(v)}">{escape(label)}</option>' for v, label in pairs)


def search_page(room, items: list[Flag], part: Part | None = None) -> str:
    title, page_uri = _where(SEARCH_URI, part)
    curated = [f for f in items if not f.suggested]
    machine = [f for f in items if f.suggested]
    present = {f.classification for f in items}
    techniques = [(k, v[0]) for k, v in TECHNIQUES.items() if k in present]
    strengths = [(k, v[0]) for k, v in STRENGTHS.items() if k in present]
    kinds = [(k, KINDS[k][0]) for k in KINDS] + ([("suggested", "Machine suggestions (not reviewed)")] if machine else [])
    groups = by_source(items)
    sources = [(slug, room.sources[slug].meta.title) for slug in groups]
    form = (
        '<form class="rr-filter" role="search" aria-label="Filter the notes" hidden data-rr-filter>'
        '<label>Words <input type="search" name="q" autocomplete="off" placeholder="e.g. whataboutism, person-times"></label>'
        f'<label>Kind <select name="kind"><option value="">All reviewed notes</option>{_options(kinds)}</select></label>'
        f'<label>Source <select name="source"><option value="">All sources</option>{_options(sources)}</select></label>'
        '<label>Technique <select name="technique"><option value="">Any technique</option>'
        + (f'<optgroup label="Framing techniques">{_options(techniques)}</optgroup>' if techniques else "")
        + (f'<optgroup label="Uncited: how it is sourced">{_options(strengths)}</optgroup>' if strengths else "")
        + "</select></label></form>\n"
    )
    script = posixpath.relpath(SEARCH_SCRIPT, posixpath.dirname(page_uri))
    text = [front_matter(title, exclude_from_search=True),
            (f"Every note on the sources of {escape(part.title)} in one list; [Search notes]"
             f"({md_link(SEARCH_URI, page_uri)}) lists the room's other parts. " if part else
             "Every note in the room in one list. ") + "Type words that occur in a note or its quote, or the name of a "
            "technique (for example *whataboutism*), and narrow the list by kind of note, by source and by "
            "technique. Each quote links to its passage. The search at the top of every page finds words in the "
            "sources themselves.\n",
            form,
            f'<p class="rr-filter__count" aria-live="polite" data-rr-count>{plural(len(curated), "note")}.</p>\n',
            f'<ol class="rr-flags rr-results" data-rr-results data-count="{len(curated)}">'
            + "".join(flag_item(f, with_source=True) for f in curated) + "</ol>\n"]
    if machine:
        text.append("## Machine suggestions, not reviewed {#suggested}\n\n"
                    f'<ol class="rr-flags rr-results" data-rr-results data-rr-suggested data-count="{len(machine)}">'
                    + "".join(flag_item(f, with_source=True) for f in machine) + "</ol>\n")
    text.append(f'<script src="{script}"></script>\n')
    return "\n".join(text)


def notes_index(items: list[Flag], from_uri: str = INDEX_URI) -> str:
    """The notes as plain records (URLs relative to the site's root), for scripts and other tools;
    ``from_uri`` is the page the flags' URLs were made for."""
    base = posixpath.dirname(from_uri)

    def root_url(url: str) -> str:
        return posixpath.normpath(posixpath.join(base, url.split("#")[0])) + "#" + url.split("#", 1)[1]

    def record_of(f: Flag) -> dict:
        record = {"id": f.id, "kind": f.kind, "technique": f.classification if f.kind == "framing" else "",
                  "strength": f.classification if f.kind == "uncited" else "", "status": "suggested" if f.suggested else "curated",
                  "source": f.here.slug, "source_title": f.here.title, "quote": f.here.quote,
                  "note": note_text(f.body), "url": root_url(f.here.url)}
        if f.far:
            record["target"] = {"source": f.far.slug, "source_title": f.far.title, "quote": f.far.quote,
                                "url": root_url(f.far.url)}
        return record

    records = [cache.kept("record", (f,), None, lambda f=f: record_of(f)) for f in items]
    return json.dumps({"notes": records, "total": len(records)}, ensure_ascii=False, separators=(",", ":"))


# -- the section ---------------------------------------------------------------------------------
def index_page(room, items: list[Flag]) -> str:
    curated = [f for f in items if not f.suggested]
    return (front_matter("Overview")
            + "The room's notes seen across all the sources at once.\n\n"
            f"- [All flags](all-flags.md) — every note, grouped by source and kind ({plural(len(curated), 'note')}).\n"
            f"- [Disputed figures](disputed-figures.md) — rebuttals about numbers, side by side "
            f"({len(disputed(items))}).\n"
            f"- [Rebuttals side by side](rebuttals.md) — every claim next to the passage that disputes it "
            f"({len(rebuttals(items))}).\n"
            "- [Search notes](search-notes.md) — find notes by words, kind, source and technique.\n"
            f"- [notes-index.json](../{NOTES_INDEX_URI}) — the same notes as data, for other tools.\n")


def pages(room) -> list[GeneratedPage]:
    if splits(room):
        return part_pages(room)
    items = flags(room)
    return [GeneratedPage(INDEX_URI, content=index_page(room, items)),
            GeneratedPage(ALL_FLAGS_URI, content=all_flags_page(room, items)),
            GeneratedPage(FIGURES_URI, content=figures_page(room, items)),
            GeneratedPage(REBUTTALS_URI, content=rebuttals_page(room, items)),
            GeneratedPage(SEARCH_URI, content=search_page(room, items)),
            GeneratedPage(NOTES_INDEX_URI, content=notes_index(items))]


# -- a big room: the overview in parts -----------------------------------------------------------
def part_pages(room) -> list[GeneratedPage]:
    cols = library.collections(room)
    every = parts(room, cols)
    # every part page is as deep as the others (overview/<page>/<part>.md): one set of URLs serves all
    from_uri = every[0].uri(ALL_FLAGS_URI)
    items = flags(room, from_uri)
    groups = by_source(items)
    of_part = [(part, [f for slug in part.sources for f in groups.get(slug, ())]) for part in every]
    runs = any(len(c.sources) > PART_SOURCES for c in cols)
    why = (f"The room's {len(room.sources):,} sources are too many for one page, so each collection has a page "
           "of its own" + (f" (a collection of more than {PART_SOURCES} sources, one for each {PART_SOURCES})" if runs else "")
           + f", {plural(len(of_part), 'part')} in all.")
    out = [GeneratedPage(INDEX_URI, content=index_page(room, items)),
           GeneratedPage(ALL_FLAGS_URI, content=all_flags_parts(room, items, of_part, why)),
           GeneratedPage(FIGURES_URI, content=pairs_parts(of_part, FIGURES_URI, why)),
           GeneratedPage(REBUTTALS_URI, content=pairs_parts(of_part, REBUTTALS_URI, why)),
           GeneratedPage(SEARCH_URI, content=search_parts(items, of_part, why))]
    for part, mine in of_part:
        out += [GeneratedPage(part.uri(ALL_FLAGS_URI), content=all_flags_page(room, mine, part)),
                GeneratedPage(part.uri(SEARCH_URI), content=search_page(room, mine, part))]
        if disputed(mine):
            out.append(GeneratedPage(part.uri(FIGURES_URI), content=figures_page(room, mine, part)))
        if rebuttals(mine):
            out.append(GeneratedPage(part.uri(REBUTTALS_URI), content=rebuttals_page(room, mine, part)))
    out.append(GeneratedPage(NOTES_INDEX_URI, content=notes_index(items, from_uri)))
    return out


def parts_table(of_part, page_uri: str) -> str:
    """The parts, their notes counted by kind, each linking to its page."""
    head = "".join(f'<th scope="col">{label}</th>' for label, _ in KINDS.values())
    rows = []
    for part, mine in of_part:
        curated = [f for f in mine if not f.suggested]
        cells = _kind_cells(curated)
        rows.append(f'<tr data-part="{part.slug}"><th scope="row"><a href="{attr(page_url(part.uri(page_uri), page_uri))}">'
                    f'{escape(part.title)}</a> ({len(part.sources):,} sources)</th>{cells}<td data-kind="all">'
                    f'{len(curated):,}</td><td data-kind="suggested">{len(mine) - len(curated):,}</td></tr>')
    return (f'<div class="rr-overview rr-scroll rr-counts"><table><thead><tr><th scope="col">Part</th>{head}'
            f'<th scope="col">Total</th><th scope="col">Machine suggestions</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>\n')


def all_flags_parts(room, items: list[Flag], of_part, why: str) -> str:
    curated = [f for f in items if not f.suggested]
    return "\n".join(t for t in [
        front_matter(TITLES[ALL_FLAGS_URI], exclude_from_search=True),
        f"Every note the editors have written, {plural(len(curated), 'note')} on "
        f"{plural(len({f.here.slug for f in curated}), 'source')}. " + why
        + " On each, the notes are grouped by source and then by kind, and each quote links to its passage. "
        "Machine suggestions are counted apart. The counts are made from the annotation files every time the "
        "site is built.\n", parts_table(of_part, ALL_FLAGS_URI), _unplaced(room, ALL_FLAGS_URI)] if t)


def pairs_parts(of_part, page_uri: str, why: str) -> str:
    """Disputed figures or Rebuttals side by side: the parts that have any."""
    which = disputed if page_uri == FIGURES_URI else rebuttals
    counted = [(part, len(which(mine))) for part, mine in of_part]
    listed = [(part, n) for part, n in counted if n]
    what = ("rebuttals in which the claim or the disputing passage gives a figure" if page_uri == FIGURES_URI
            else "rebuttals")
    lines = [f"- [{escape(part.title)}]({md_link(part.uri(page_uri), page_uri)}): {n}" for part, n in listed]
    return (front_matter(TITLES[page_uri]) + f"The room's {sum(n for _, n in counted)} {what}, each beside the passage that "
            "disputes it, listed by the collection of the claim's source. " + why
            + (f" {plural(len(of_part) - len(listed), 'part')} with none {'is' if len(of_part) - len(listed) == 1 else 'are'} left out."
               if len(listed) < len(of_part) else "") + "\n\n" + "\n".join(lines) + "\n")


def search_parts(items: list[Flag], of_part, why: str) -> str:
    curated = sum(1 for f in items if not f.suggested)
    lines = []
    for part, mine in of_part:
        reviewed = sum(1 for f in mine if not f.suggested)
        machine = len(mine) - reviewed
        lines.append(f"- [{escape(part.title)}]({md_link(part.uri(SEARCH_URI), SEARCH_URI)}): "
                     f"{plural(reviewed, 'note')}" + (f", {plural(machine, 'machine suggestion')}" if machine else ""))
    return (front_matter(TITLES[SEARCH_URI], exclude_from_search=True)
            + f"The room's {plural(curated, 'note')}, part by part. " + why
            + " Each part's page lists its notes and filters them by words, kind, source and technique. The "
            "search at the top of every page finds words in every source and every note of the room at once.\n\n"
            + "\n".join(lines) + "\n")
