"""Assignments: excerpts of sources, with their margin notes, pulled into a teacher's page.

A teacher writes an ordinary Markdown page (in ``docs/assignments/``) and, wherever a passage
should appear, a fenced block that names it::

    ```excerpt
    source: white-paper-2020
    from: p-c176ef66          # a paragraph id (or a copied ¶ link)
    to: p-d59365b9            # optional: the last paragraph; without it, one paragraph
    ```

or, by quotes, ``start: "From 2018 to 2019"`` and ``end: "higher income"`` (the excerpt runs
from the paragraph holding the first quote to the one holding the second).  At build time the
block becomes that run of paragraphs, rendered from the seed by ``render.render_fragment`` with
its notes drawn by ``margin.MarginLayer``, so it can never drift from the source.  Ids inside an
excerpt get a per-excerpt prefix, so two excerpts (even of the same passage) never collide; a
reference that does not resolve is a ``Problem`` naming ``docs/<page>.md:line``, and the page
shows a warning box in its place.  The front matter (title, course, due, sources) becomes a
small header, and the assignments index lists every assignment's front matter.

Pure: pages come in as text, HTML goes out; the hooks pass the files.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import posixpath
import re
from dataclasses import dataclass

import yaml

from .anchor import Failure, SourceText, match_quote
from .errors import Problem, Problems, listed, shorten
from .inline import attr, escape
from .margin import MarginLayer, Resolution, marker_offsets
from .model import Block, Source
from .notes import Selector, closest
from .iri import RoomIris
from .render import render_fragment, seed_attrs
from .site import source_md_link, source_url
from .student import presets
from .vocabulary import KINDS

FOLDER = "assignments"
INDEX_PLACEHOLDER = re.compile(r"^<!--\s*room:assignments\s*-->$", re.M)
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)  # as MkDocs reads it
FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})[ \t]*([^`\s]*)[^`]*$")
DIRECTIVE = "excerpt"
KEYS = {"source": "the source's slug (its file name in seeds/ without .txt)",
        "from": "the id of the first paragraph (or its copied ¶ link)",
        "to": "the id of the last paragraph",
        "start": "a quote from the first paragraph",
        "end": "a quote from the last paragraph",
        "title": "a caption for the excerpt",
        "notes": "'no' to show the text without its margin notes"}
FRONT_KEYS = ("title", "course", "due", "sources")


# -- the model -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Endpoint:
    """One end of an excerpt: a block id or a quote, and the line of the page it was written on."""

    kind: str  # "id" | "quote"
    value: str
    line: int


@dataclass(frozen=True)
class ExcerptRef:
    """What the teacher wrote in one ``excerpt`` block."""

    source: str
    first: Endpoint
    last: Endpoint | None
    path: str
    line: int  # the line of the opening fence
    title: str = ""
    notes: bool = True


@dataclass(frozen=True)
class Fence:
    """A fenced block of the page: its body and the 0-based lines of its two fences."""

    info: str
    body: str
    open_index: int
    close_index: int  # index of the closing fence, or the last line when it is never closed


@dataclass(frozen=True)
class Assignment:
    """One assignment page as the index lists it."""

    uri: str
    title: str
    course: str = ""
    due: str = ""
    sources: tuple[str, ...] = ()


# -- reading the page ------------------------------------------------------------------------
def fences(markdown: str) -> list[Fence]:
    """Every top-level fenced block, CommonMark style: an ``excerpt`` shown inside a longer fence
    (as the docs do, to teach the syntax) is part of that fence and is not expanded."""
    lines = markdown.split("\n")
    out, i = [], 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        marker = m.group(2)
        close = re.compile(rf"^ {{0,3}}{re.escape(marker[0])}{{{len(marker)},}}[ \t]*$")
        j = i + 1
        while j < len(lines) and not close.match(lines[j]):
            j += 1
        out.append(Fence(m.group(3).lower(), "\n".join(lines[i + 1:j]), i, min(j, len(lines) - 1)))
        i = j + 1
    return out


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: every page is asked


def body_offset(original: str | None, markdown: str) -> int:
    """Lines that MkDocs cut from the top of the file (the front matter) before handing over
    ``markdown``, so that a problem names the line as the teacher's editor shows it."""
    if not original or not original.endswith(markdown):
        return 0
    return original.count("\n", 0, len(original) - len(markdown))


def front_matter(original: str | None) -> tuple[dict, dict]:
    """The front matter's values and the file line of each key ({} and {} when there is none)."""
    m = FRONT_MATTER.match(original or "")
    if not m:
        return {}, {}
    try:
        node = yaml.compose(m.group(1), Loader=_LOADER)
        data = yaml.load(m.group(1), Loader=_LOADER)
    except yaml.YAMLError:
        return {}, {}  # MkDocs reports broken front matter itself
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        return {}, {}
    lines = {str(k.value): k.start_mark.line + 2 for k, _ in node.value}  # +1 for the '---' line
    return data, lines


def parse_excerpt(fence: Fence, path: str, line: int, problems: Problems) -> ExcerptRef | None:
    """The body of an ``excerpt`` block → ``ExcerptRef``, or None after adding its problems."""
    def problem(message: str, hint: str, at: int = line) -> None:
        problems.add(path, at, message, hint)

    try:
        node = yaml.compose(fence.body or "{}", Loader=yaml.SafeLoader)
        data = yaml.safe_load(fence.body or "{}")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = line + 1 + mark.line if mark else line
        problem(f"the excerpt is not valid YAML: {getattr(exc, 'problem', None) or exc}",
                "write one 'key: value' per line; put a quote containing ': ' or '#' in double quotes", at)
        return None
    if not isinstance(data, dict):
        problem("an excerpt needs 'source:' and 'from:' (or 'start:'), one per line",
                "for example:  source: white-paper-2020  /  from: p-c176ef66  /  to: p-d59365b9")
        return None
    at = {str(k.value): line + 1 + k.start_mark.line for k, _ in node.value}
    ok = True
    for key in sorted(set(map(str, data)) - set(KEYS)):
        problem(f"unknown excerpt key '{key}'",
                closest(key, KEYS) + "keys are: " + "; ".join(f"{k} ({v})" for k, v in KEYS.items()), at[key])
        ok = False

    def value(key: str) -> str:
        v = data.get(key)
        return "" if v is None else str(v).strip()

    def key_given(key: str) -> bool:
        return key in data

    def endpoint(id_key: str, quote_key: str) -> Endpoint | None:
        nonlocal ok
        if key_given(id_key) and key_given(quote_key):
            problem(f"give either '{id_key}' or '{quote_key}', not both", f"'{id_key}' takes a paragraph id, "
                    f"'{quote_key}' a quote from the paragraph", at[quote_key])
            ok = False
            return None
        if key_given(id_key):
            if not value(id_key):
                problem(f"'{id_key}' is empty", "a value starting with # is a YAML comment: write the id without "
                        "the #, or put the whole link in quotes", at[id_key])
                ok = False
                return None
            return Endpoint("id", value(id_key), at[id_key])
        if key_given(quote_key):
            if not value(quote_key):
                problem(f"'{quote_key}' is empty", "write a few words exactly as they read on the source page",
                        at[quote_key])
                ok = False
                return None
            return Endpoint("quote", value(quote_key), at[quote_key])
        return None

    first = endpoint("from", "start")
    last = endpoint("to", "end")
    source = value("source")
    # a copied ¶ link names its source page: ``../sources/<slug>.html#p-…``
    linked = {page_slug(e.value) for e in (first, last) if e and e.kind == "id"} - {""}
    if not source and len(linked) == 1:
        source = linked.pop()
    if not source:
        problem("the excerpt does not say which source it is from",
                "add 'source:' with the source's slug, e.g. 'source: white-paper-2020'", line)
        ok = False
    if first is None and ok:
        if last is not None:
            problem("the excerpt has an end but no beginning", "add 'from:' (a paragraph id) or 'start:' (a quote)",
                    last.line)
        else:
            problem("the excerpt does not say where it starts",
                    "add 'from:' with a paragraph id (hover a paragraph on the source page and copy its ¶ link) "
                    "or 'start:' with a quote", line)
        ok = False
    notes = data.get("notes", True)
    if "notes" in data and not isinstance(notes, bool):
        problem(f"'notes' must be yes or no, got '{notes}'", "write 'notes: no' to show the text without notes",
                at["notes"])
        ok = False
    if not ok or first is None:
        return None
    return ExcerptRef(source, first, last, path, line, value("title"), bool(notes))


def page_slug(link: str) -> str:
    """The slug of the source page a copied link points at ('' for a bare id)."""
    page = link.split("#", 1)[0] if "#" in link else ""
    name = posixpath.basename(page)
    return name[:-5] if name.endswith(".html") else ""


def fragment_id(link: str) -> str:
    """A block id from an id, ``#id``, a copied ¶ link or one carrying a Text Fragment."""
    fragment = link.split("#", 1)[1] if "#" in link else link
    return fragment.split(":~:", 1)[0].strip()


# -- resolving -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Excerpt:
    source: Source
    blocks: tuple[Block, ...]


def resolve_excerpt(ref: ExcerptRef, sources: dict[str, Source], texts: dict[str, SourceText] | None = None
                    ) -> Excerpt | Problem:
    """The run of blocks ``ref`` names, or the one problem that stops it (with the closest match)."""
    if ref.source not in sources:
        return Problem(ref.path, ref.line, f"the excerpt names a source that does not exist: '{ref.source}'",
                       closest(ref.source, sources) + f"sources are: {listed(list(sources), sep=', ')}")
    source = sources[ref.source]
    for e in (ref.first, ref.last):
        if e and e.kind == "id" and page_slug(e.value) and page_slug(e.value) != ref.source:
            return Problem(ref.path, e.line, f"the link '{e.value}' is to {page_slug(e.value)}, but the excerpt's "
                           f"source is {ref.source}", "take both ends of an excerpt from the same source page")
    text = (texts or {}).get(ref.source) or SourceText(source)
    index = {b.id: i for i, b in enumerate(source.blocks)}
    found = []
    for e in (ref.first, ref.last or ref.first):
        at = _locate(e, source, index, text, ref.path)
        if isinstance(at, Problem):
            return at
        found.append(at)
    a, z = found
    if z < a:
        first, last = source.blocks[a], source.blocks[z]
        return Problem(ref.path, (ref.last or ref.first).line,
                       f"the excerpt ends before it starts: its end (seed line {last.first_line}) comes before its "
                       f"beginning (seed line {first.first_line}) in {source.path}",
                       "swap the two ends, or pick a later paragraph for the end")
    return Excerpt(source, tuple(source.blocks[a:z + 1]))


def _locate(e: Endpoint, source: Source, index: dict[str, int], text: SourceText, path: str) -> int | Problem:
    if e.kind == "id":
        ident = fragment_id(e.value)
        if ident in index:
            return index[ident]
        near = difflib.get_close_matches(ident, list(index), n=1, cutoff=0.6)
        hint = ""
        if near:
            block = source.blocks[index[near[0]]]
            hint = f"closest id: '{near[0]}' (seed line {block.first_line}: \"{shorten(block.text)}\"); "
        return Problem(path, e.line, f"no paragraph with the id '{ident}' in {source.path}",
                       hint + "ids are shown by the ¶ link after each paragraph on the source page; "
                       "or use a quote with 'start:' / 'end:'")
    found = match_quote(text, Selector(e.value))
    if isinstance(found, Failure):
        return Problem(path, e.line, *_describe(found, e.value, source.path))
    return index[found.block_id]


def _describe(failure: Failure, quote: str, where: str) -> tuple[str, str]:
    if failure.reason == "absent":
        place = failure.places[0]
        hint = (f'closest passage, seed line {place.first_line} (id {place.block_id}): "{shorten(place.excerpt, 120)}"'
                if place.block_id else "the source has no text")
        return f'quote not found in {where}: "{shorten(quote)}"', hint + "; copy the quote from the source page exactly"
    places = listed([f'{p.block_id} (seed line {p.first_line}): "{shorten(p.excerpt, 60)}"' for p in failure.places],
                    failure.total)
    return (f'quote occurs in {failure.total:,} places in {where}: "{shorten(quote)}"',
            f"use a longer quote, or the paragraph id with 'from:' / 'to:'; it occurs at {places}")


# -- rendering -------------------------------------------------------------------------------
SCOPED_ATTR = re.compile(r'\b(id|data-annotation|data-note|data-ref|aria-controls|aria-labelledby|aria-describedby)="([^"]*)"')
LOCAL_HREF = re.compile(r'<a\b([^>]*?)\bhref="#([^"]*)"')


def scope_ids(html: str, prefix: str, outside_url: str) -> str:
    """Give every id in an excerpt (and every reference to one) ``prefix``, so that excerpts never
    collide with each other or with the page; a link to something the excerpt does not contain,
    and every ¶ permalink, goes to the source page instead.  ``note-X`` becomes ``note-<prefix>X``:
    the margin's script finds a note as ``"note-" + data-ref``."""
    def scoped(value: str) -> str:
        return "note-" + prefix + value[5:] if value.startswith("note-") else prefix + value

    defined = {m.group(2) for m in SCOPED_ATTR.finditer(html) if m.group(1) == "id"}

    def href(m: re.Match) -> str:
        attrs, target = m.group(1), m.group(2)
        if target in defined and "rr-permalink" not in attrs:
            return f'<a{attrs}href="#{scoped(target)}"'
        return f'<a{attrs}href="{attr(outside_url)}#{target}"'

    html = LOCAL_HREF.sub(href, html)
    return SCOPED_ATTR.sub(lambda m: f'{m.group(1)}="{" ".join(scoped(v) for v in m.group(2).split())}"', html)


def excerpt_layer(excerpt: Excerpt, resolution: Resolution, sources: dict[str, Source], page_uri: str,
                  first_number: int = 1) -> MarginLayer:
    """The margin of just this excerpt: its notes numbered on from ``first_number`` (one
    numbering for the whole page), rebuttal links to the real source pages (relative to the
    assignment page)."""
    slug = excerpt.source.slug
    ids = {b.id for b in excerpt.blocks}
    placed = [p for p in resolution.placed
              if (p.note.source == slug and p.anchor.block_id in ids)
              or (p.note.target and p.note.target.source == slug and p.target and p.target.block_id in ids)]
    part = dataclasses.replace(excerpt.source, blocks=excerpt.blocks)
    # every marker of the room, not only the excerpt's: a rebuttal's Text Fragment must avoid
    # the markers on the far page
    return MarginLayer(part, Resolution(placed=placed), sources, lambda other: source_url(other, page_uri),
                       marker_offsets(resolution), first_number=first_number)


def render_excerpt(excerpt: Excerpt, ref: ExcerptRef, number: int, layer: MarginLayer | None, page_uri: str,
                   iris: RoomIris | None = None) -> str:
    source = excerpt.source
    first, last = excerpt.blocks[0], excerpt.blocks[-1]
    prefix = f"ex{number}-"
    url = source_url(source.slug, page_uri)
    body = scope_ids(render_fragment(source, excerpt.blocks, layer), prefix, url)
    lines = (f"seed line {first.first_line}" if first.first_line == last.last_line
             else f"seed lines {first.first_line}–{last.last_line}")
    count = len(excerpt.blocks)
    notes = ""
    if layer is not None:
        n = len(layer.entries)
        notes = f" · {n or 'no'} note{'s' * (n != 1)} in the margin"
    elif ref.notes is False:
        notes = " · shown without its notes"
    caption = (f'<p class="rr-excerpt__caption" id="{prefix}caption"><strong>Excerpt {number}'
               + (f": {escape(ref.title)}" if ref.title else "") + "</strong><br>"
               f'From <a href="{attr(url)}#{first.id}"><cite>{escape(source.meta.title)}</cite></a> · '
               f"{count} {'passage' if count == 1 else 'passages'}, {lines}{notes}</p>")
    # a named group, not a landmark: the notes' own landmarks may not sit inside another one
    return (f'<div class="rr-excerpt" role="group" id="{prefix[:-1]}" aria-labelledby="{prefix}caption" '
            f'data-source="{source.slug}" data-from="{first.id}" data-to="{last.id}" '
            f'{seed_attrs(source, iris or RoomIris())}>\n{caption}\n{body}\n</div>')


def problem_box(problem: Problem, number: int) -> str:
    hint = f"<p><em>Hint:</em> {escape(problem.hint)}</p>" if problem.hint else ""
    return (f'<div class="admonition warning rr-excerpt-problem" data-excerpt="{number}">'
            f'<p class="admonition-title">Excerpt {number} could not be shown</p>'
            f"<p><strong>{escape(problem.where)}</strong>: {escape(problem.message)}</p>{hint}</div>")


def legend(layers: list[MarginLayer], page_uri: str) -> str:
    """One legend for all the page's excerpts, with the toggles the margin's script fills in."""
    kinds = [e.placed.note.kind for layer in layers for e in layer.entries]
    if not kinds:
        return ""
    about = posixpath.relpath("about-annotations.html", posixpath.dirname(page_uri) or ".")
    items = "".join(f'<li data-kind="{k}"><span class="rr-swatch rr-hl rr-hl--{k}">{escape(KINDS[k][0])}</span> '
                    f"{escape(KINDS[k][1])}</li>" for k in KINDS)
    counts = ", ".join(f"{kinds.count(k)} {k}" for k in KINDS)
    return (f'<section class="rr-legend" aria-label="Margin notes: legend and filters">'
            f'<p class="rr-legend__title"><strong>In the margins of the excerpts</strong> ({len(kinds)} notes: {counts}). '
            f'<a href="{about}">How the notes are written</a></p>'
            f'<ul class="rr-legend__kinds">{items}</ul><div class="rr-toggles" hidden></div>'
            f'<p class="rr-sr" aria-live="polite" data-rr-status></p></section>\n')


def header(data: dict, lines: dict, room, page_uri: str, path: str, problems: Problems) -> str:
    """Course, due date and sources from the front matter, as a small panel under the title."""
    if not any(k in data for k in ("course", "due", "sources")):
        return ""
    rows = []
    if data.get("course"):
        rows.append(("Course", escape(str(data["course"]))))
    if data.get("due"):
        rows.append(("Due", escape(due_text(data["due"]))))
    links = []
    for slug in listed_sources(data.get("sources")):
        if slug in room.sources:
            links.append(f'<a href="{attr(source_url(slug, page_uri))}">{escape(room.sources[slug].meta.title)}</a>')
        else:
            problems.add(path, lines.get("sources"), f"the front matter lists a source that does not exist: '{slug}'",
                         closest(slug, room.sources) + f"sources are: {listed(list(room.sources), sep=', ')}")
            links.append(f"<span class=\"rr-missing\">{escape(slug)} (no such source)</span>")
    if links:
        rows.append(("Sources", "<br>".join(links)))
    dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    return f'<div class="rr-assignment"><dl>{dl}</dl></div>\n\n'


def listed_sources(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [s.strip() for s in value.split(",") if s.strip()]
    if isinstance(value, list):
        return [str(s).strip() for s in value if str(s).strip()]
    return [str(value)]


def due_text(value) -> str:
    if isinstance(value, (datetime.date, datetime.datetime)):
        return f"{value:%A} {value.day} {value:%B %Y}"
    return str(value)


# -- the page --------------------------------------------------------------------------------
def expand(markdown: str, page_uri: str, room, problems: Problems, original: str | None = None,
           catalogue: list[Assignment] | tuple = ()) -> str:
    """The page with every ``excerpt`` block rendered, its header and (on the index) the list of
    assignments.  ``original`` is the file as written, front matter included, for line numbers."""
    path = f"docs/{page_uri}"
    offset = body_offset(original, markdown)
    data, lines = front_matter(original)
    lines_of = markdown.split("\n")
    parts: list[str] = []
    layers: list[MarginLayer] = []
    legend_at = None
    cursor, number = 0, 0
    for fence in fences(markdown):
        if fence.info != DIRECTIVE:
            continue
        number += 1
        parts.append("\n".join(lines_of[cursor:fence.open_index]))
        cursor = fence.close_index + 1
        line = offset + fence.open_index + 1
        before = len(problems)
        ref = parse_excerpt(fence, path, line, problems)
        found = resolve_excerpt(ref, room.sources) if ref else None
        if isinstance(found, Problem):
            problems.items.append(found)
        if not isinstance(found, Excerpt):
            parts.append("\n" + problem_box(problems.items[before], number) + "\n")
            continue
        first_number = sum(len(x.entries) for x in layers) + 1
        layer = excerpt_layer(found, room.resolution, room.sources, page_uri, first_number) if ref.notes else None
        if layer is not None:
            layers.append(layer)
            if legend_at is None:
                legend_at = len(parts)
        parts.append("\n" + render_excerpt(found, ref, number, layer, page_uri, room.iris) + "\n")
    if number == 0:
        out = markdown
    else:
        parts.append("\n".join(lines_of[cursor:]))
        if legend_at is not None:
            parts.insert(legend_at, "\n" + legend(layers, page_uri))
        out = "\n".join(parts)
    if INDEX_PLACEHOLDER.search(out):
        out = INDEX_PLACEHOLDER.sub(lambda m: index_table(catalogue, room, page_uri), out)
    return after_title(out, header(data, lines, room, page_uri, path, problems) + presets(data, lines, path, problems))


def after_title(markdown: str, html: str) -> str:
    """``html`` under the page's ``# title`` when it has one (else Material adds the title above)."""
    if not html:
        return markdown
    m = re.match(r"\s*# [^\n]*\n", markdown)
    return markdown[:m.end()] + "\n" + html + markdown[m.end():] if m else html + markdown


def strip_front_matter(original: str) -> str:
    m = FRONT_MATTER.match(original)
    return original[m.end():].lstrip("\n") if m else original


def check(pages: list[tuple[str, str]], room, catalogue: list[Assignment] | tuple = (),
          expanded: dict[str, tuple[str, str]] | None = None) -> Problems:
    """Every problem of every page's excerpts and front matter, found before the pages are built
    so that a non-strict build lists them on the attention page too.  Each page is expanded here
    once; ``expanded`` receives ``uri -> (markdown, expanded markdown)`` for the page to reuse."""
    problems = Problems()
    for uri, text in pages:
        if DIRECTIVE in text or "sources:" in text:
            markdown = strip_front_matter(text)
            result = expand(markdown, uri, room, problems, original=text, catalogue=catalogue)
            if expanded is not None:
                expanded[uri] = (markdown, result)
    return problems


def catalogue(pages: list[tuple[str, str]]) -> list[Assignment]:
    """The assignments (pages in ``assignments/`` other than its index), in file-name order."""
    out = []
    for uri, text in sorted(pages):
        if not uri.startswith(FOLDER + "/") or not uri.endswith(".md") or posixpath.basename(uri) in ("index.md", "README.md"):
            continue
        data, _ = front_matter(text)
        title = str(data.get("title") or "")
        if not title:
            heading = re.search(r"^# +(.+?)\s*$", strip_front_matter(text), re.M)
            title = heading.group(1) if heading else posixpath.basename(uri)[:-3].replace("-", " ").capitalize()
        out.append(Assignment(uri, title, str(data.get("course") or ""),
                              due_text(data["due"]) if data.get("due") else "",
                              tuple(listed_sources(data.get("sources")))))
    return out


def _cell(text: str) -> str:
    return escape(text).replace("|", "&#124;")


def index_table(items, room, page_uri: str) -> str:
    if not items:
        return "*No assignments yet: add a page to `docs/assignments/` (see below).*"
    rows = ["| Assignment | Course | Due | Sources |", "|---|---|---|---|"]
    for a in items:
        link = posixpath.relpath(a.uri, posixpath.dirname(page_uri) or ".")
        sources = ", ".join(f"[{_cell(room.sources[s].meta.title)}]({source_md_link(s, page_uri)})"
                            if s in room.sources else _cell(s) for s in a.sources)
        rows.append(f"| [{_cell(a.title)}]({link}) | {_cell(a.course)} | {_cell(a.due)} | {sources} |")
    return "\n".join(rows)
