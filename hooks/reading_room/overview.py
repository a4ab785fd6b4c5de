"""Generated overview pages for teachers and readers, in the ``overview/`` section of the site:

- **All flags**: every note, grouped by source and kind, each linking to its passage, with counts;
- **Disputed figures**: every rebuttal whose claim or disputing passage contains a number, the
  two quotes side by side with the note;
- **Rebuttals side by side**: every rebuttal as claim | disputing passage, both linked;
- **Search notes**: every note in one list that a small script (``assets/search-notes.js``)
  filters by words, kind, source and technique; without the script the whole list is shown;

plus ``notes-index.json``, the same notes as plain records for other tools.  Machine
suggestions are kept apart and labelled as such.  Pure functions of a ``Room``: one pass over
the placed notes, no rescanning of sources.
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache

from . import cache
from .inline import attr, escape
from .margin import kind_label
from .notetext import note_html, note_text
from .site import GeneratedPage, source_url
from .vocabulary import KINDS, STRENGTHS, TECHNIQUES

DIR = "overview"
INDEX_URI = f"{DIR}/index.md"
ALL_FLAGS_URI = f"{DIR}/all-flags.md"
FIGURES_URI = f"{DIR}/disputed-figures.md"
REBUTTALS_URI = f"{DIR}/rebuttals.md"
SEARCH_URI = f"{DIR}/search-notes.md"
NOTES_INDEX_URI = "notes-index.json"
SEARCH_SCRIPT = "assets/search-notes.js"
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


def _front(title: str, exclude_from_search: bool = False) -> str:
    search = "search:\n  exclude: true\n" if exclude_from_search else ""
    return f'---\ntitle: "{title}"\n{search}---\n\n# {title}\n\n'


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


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
def counts_table(items: list[Flag], room) -> str:
    kinds = list(KINDS)
    head = "".join(f'<th scope="col">{KINDS[k][0]}</th>' for k in kinds)
    rows = []
    groups = by_source(items)
    for slug, source in room.sources.items():
        mine = groups.get(slug, [])
        cells = "".join(f'<td data-kind="{k}">{sum(f.kind == k for f in mine)}</td>' for k in kinds)
        title = f'<a href="#{slug}">{escape(source.meta.title)}</a>' if mine else escape(source.meta.title)
        rows.append(f'<tr data-source="{slug}"><th scope="row">{title}</th>{cells}<td data-kind="all">{len(mine)}</td></tr>')
    total = "".join(f'<td data-kind="{k}">{sum(f.kind == k for f in items)}</td>' for k in kinds)
    return (f'<div class="rr-overview rr-scroll rr-counts"><table><thead><tr><th scope="col">Source</th>{head}'
            f'<th scope="col">Total</th></tr></thead><tbody>{"".join(rows)}</tbody><tfoot><tr data-source="all">'
            f'<th scope="row">All sources</th>{total}<td data-kind="all">{len(items)}</td></tr></tfoot></table></div>\n')


def grouped(items: list[Flag], room, id_prefix: str = "", level: int = 2) -> str:
    out = []
    groups = by_source(items)
    for slug, source in room.sources.items():
        mine = groups.get(slug)
        if not mine:
            continue
        by_kind = ", ".join(f"{sum(f.kind == k for f in mine)} {k}" for k in KINDS if any(f.kind == k for f in mine))
        out.append(f"{'#' * level} {escape(source.meta.title)} {{#{id_prefix}{slug}}}\n\n"
                   f'<p class="rr-flag__meta">{_plural(len(mine), "note")} ({by_kind}) · '
                   f'<a href="{attr(source_url(slug, ALL_FLAGS_URI))}">read the source with its margin</a></p>\n')
        for kind in KINDS:
            these = [f for f in mine if f.kind == kind]
            if not these:
                continue
            out.append(f"{'#' * (level + 1)} {KINDS[kind][0]} ({len(these)}) {{#{id_prefix}{slug}-{kind}}}\n\n"
                       f'<ul class="rr-flags" data-source="{slug}" data-kind="{kind}" data-count="{len(these)}">'
                       + "".join(flag_item(f) for f in these) + "</ul>\n")
    return "\n".join(out)


def all_flags_page(room, items: list[Flag]) -> str:
    curated = [f for f in items if not f.suggested]
    machine = [f for f in items if f.suggested]
    unplaced = len(room.resolution.unplaced)
    text = [_front("All flags", exclude_from_search=True),
            f"Every note the editors have written, {_plural(len(curated), 'note')} on "
            f"{_plural(len({f.here.slug for f in curated}), 'source')}, grouped by source and then by kind. "
            "Each quote links to its passage on the source page; a rebuttal also links to the passage that "
            "disputes it. The counts are made from the annotation files every time the site is built.\n",
            counts_table(curated, room)]
    if unplaced:
        text.append(f"{_plural(unplaced, 'note')} could not be placed on a page and "
                    "[are listed with the problems](../attention.md).\n")
    text.append(grouped(curated, room))
    if machine:
        text.append(f"## Machine suggestions, not reviewed {{#suggested}}\n\n"
                    f"The room's detector suggests {_plural(len(machine), 'flag')} on sources that no editor has "
                    "annotated yet. They are shown on those pages with a dotted underline, and are **not** part of "
                    "the counts above.\n\n" + grouped(machine, room, id_prefix="suggested-", level=3))
    return "\n".join(text)


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
    groups = by_source(items)
    for slug, source in room.sources.items():
        mine = groups.get(slug)
        if mine:
            out.append(f"## Claims in {escape(source.meta.title)} ({len(mine)}) {{#{slug}}}\n\n"
                       f'<div data-source="{slug}" data-count="{len(mine)}">\n\n{pairs_table(mine, figures)}\n</div>\n')
    return "\n".join(out)


def rebuttals(items: list[Flag]) -> list[Flag]:
    return [f for f in items if f.kind == "rebuttal" and f.far and not f.suggested]


def disputed(items: list[Flag]) -> list[Flag]:
    return [f for f in rebuttals(items) if has_figure(f.here.quote) or has_figure(f.far.quote)]


def rebuttals_page(room, items: list[Flag]) -> str:
    pairs = rebuttals(items)
    return (_front("Rebuttals side by side")
            + f"Every rebuttal in the room ({len(pairs)}): on the left the claim, on the right the passage in "
            "another document that disputes or qualifies it, and the editors' note on what to check. Both "
            "quotes link to their passages. Rebuttals run both ways: a claim in any document can be disputed "
            "by any other.\n\n" + by_claim_source(pairs, room))


def figures_page(room, items: list[Flag]) -> str:
    pairs = disputed(items)
    return (_front("Disputed figures")
            + f"The {len(pairs)} rebuttals in which the claim or the disputing passage gives a figure, with the "
            "figures in bold. Two numbers that look alike often count different things — people or "
            "person-times, which years, which region, which programme — so read the note before comparing. "
            f"All rebuttals are on [Rebuttals side by side]({posixpath.basename(REBUTTALS_URI)}).\n\n"
            + by_claim_source(pairs, room, figures=True))


# -- Search notes --------------------------------------------------------------------------------
def _options(pairs) -> str:
    return "".join(f'<option value="{attr(v)}">{escape(label)}</option>' for v, label in pairs)


def search_page(room, items: list[Flag]) -> str:
    curated = [f for f in items if not f.suggested]
    machine = [f for f in items if f.suggested]
    present = {f.classification for f in items}
    techniques = [(k, v[0]) for k, v in TECHNIQUES.items() if k in present]
    strengths = [(k, v[0]) for k, v in STRENGTHS.items() if k in present]
    kinds = [(k, KINDS[k][0]) for k in KINDS] + ([("suggested", "Machine suggestions (not reviewed)")] if machine else [])
    groups = by_source(items)
    sources = [(slug, s.meta.title) for slug, s in room.sources.items() if slug in groups]
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
    script = posixpath.relpath(SEARCH_SCRIPT, DIR)
    text = [_front("Search notes", exclude_from_search=True),
            "Every note in the room in one list. Type words that occur in a note or its quote, or the name of a "
            "technique (for example *whataboutism*), and narrow the list by kind of note, by source and by "
            "technique. Each quote links to its passage. The search at the top of every page finds words in the "
            "sources themselves.\n",
            form,
            f'<p class="rr-filter__count" aria-live="polite" data-rr-count>{_plural(len(curated), "note")}.</p>\n',
            f'<ol class="rr-flags rr-results" data-rr-results data-count="{len(curated)}">'
            + "".join(flag_item(f, with_source=True) for f in curated) + "</ol>\n"]
    if machine:
        text.append("## Machine suggestions, not reviewed {#suggested}\n\n"
                    f'<ol class="rr-flags rr-results" data-rr-results data-rr-suggested data-count="{len(machine)}">'
                    + "".join(flag_item(f, with_source=True) for f in machine) + "</ol>\n")
    text.append(f'<script src="{script}"></script>\n')
    return "\n".join(text)


def notes_index(items: list[Flag]) -> str:
    """The notes as plain records (URLs relative to the site's root), for scripts and other tools."""
    def root_url(url: str) -> str:
        return posixpath.normpath(posixpath.join(DIR, url.split("#")[0])) + "#" + url.split("#", 1)[1]

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
    return (_front("Overview")
            + "The room's notes seen across all the sources at once.\n\n"
            f"- [All flags](all-flags.md) — every note, grouped by source and kind ({_plural(len(curated), 'note')}).\n"
            f"- [Disputed figures](disputed-figures.md) — rebuttals about numbers, side by side "
            f"({len(disputed(items))}).\n"
            f"- [Rebuttals side by side](rebuttals.md) — every claim next to the passage that disputes it "
            f"({len(rebuttals(items))}).\n"
            "- [Search notes](search-notes.md) — find notes by words, kind, source and technique.\n"
            f"- [notes-index.json](../{NOTES_INDEX_URI}) — the same notes as data, for other tools.\n")


def pages(room) -> list[GeneratedPage]:
    items = flags(room)
    return [GeneratedPage(INDEX_URI, content=index_page(room, items)),
            GeneratedPage(ALL_FLAGS_URI, content=all_flags_page(room, items)),
            GeneratedPage(FIGURES_URI, content=figures_page(room, items)),
            GeneratedPage(REBUTTALS_URI, content=rebuttals_page(room, items)),
            GeneratedPage(SEARCH_URI, content=search_page(room, items)),
            GeneratedPage(NOTES_INDEX_URI, content=notes_index(items))]
