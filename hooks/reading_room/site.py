"""What the room adds to the site: generated pages, and the generated parts of hand-written ones.

Pure functions of a ``Room``; the hooks turn each ``GeneratedPage`` into ``File.generated``.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

import json

from . import cache, fragments
from .inline import escape, show_hidden, title_text
from .jsonld import export
from .margin import MarginLayer, marker_offsets
from .render import render_source
from .room import Room
from .vocabulary import KINDS, STRENGTHS, TECHNIQUES

SOURCES_DIR = "sources"
ORIGINALS_DIR = "originals"
PLACEHOLDER = re.compile(r"^<!--\s*room:([a-z-]+)\s*-->$", re.M)


@dataclass(frozen=True)
class GeneratedPage:
    uri: str
    content: str | bytes | None = None
    abs_src_path: str | None = None

    @property
    def text(self) -> str:
        """The content as text (the room keeps its pages as UTF-8 bytes, see ``_compact``)."""
        content = self.content or ""
        return content.decode("utf-8") if isinstance(content, bytes) else content


def _compact(page: GeneratedPage) -> GeneratedPage:
    # A page is kept as UTF-8 bytes until MkDocs reads it: a str holding any character beyond
    # Latin-1 (a curly quote will do) takes two or four bytes a character, and pickling it into
    # the cache leaves a UTF-8 copy attached to it for good; in a 500-source room, that is
    # hundreds of MB held for the whole build.
    if isinstance(page.content, str):
        return GeneratedPage(page.uri, page.content.encode("utf-8"), page.abs_src_path)
    return page


def source_uri(slug: str) -> str:
    return f"{SOURCES_DIR}/{slug}.md"


def page_url(uri: str, from_uri: str = "") -> str:
    """Relative URL of the page ``uri`` (``….md``) as built (``use_directory_urls: false``), from
    the page ``from_uri``: for links written as HTML."""
    return posixpath.relpath(uri[:-3] + ".html", posixpath.dirname(from_uri) or ".")


def md_link(uri: str, from_uri: str = "") -> str:
    """Relative link to the page ``uri`` for Markdown, which MkDocs checks and rewrites."""
    return posixpath.relpath(uri, posixpath.dirname(from_uri) or ".")


def source_url(slug: str, from_uri: str = "") -> str:
    """Relative URL of a source page as built."""
    return page_url(source_uri(slug), from_uri)


def source_md_link(slug: str, from_uri: str = "") -> str:
    """Relative link to a source page for Markdown."""
    return md_link(source_uri(slug), from_uri)


def front_matter(title: str, exclude_from_search: bool = False) -> str:
    """A generated page's front matter and heading: the title as YAML reads it back, the heading
    escaped so that no Markdown extension reads it as syntax."""
    search = "search:\n  exclude: true\n" if exclude_from_search else ""
    return f"---\ntitle: {json.dumps(title_text(title), ensure_ascii=False)}\n{search}---\n\n# {escape(title)}\n\n"


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def original_uri(slug: str) -> str:
    return f"{ORIGINALS_DIR}/{slug}.txt"


ATTENTION_URI = "attention.md"
JSONLD_URI = "annotations.jsonld"


def pages(room: Room) -> list[GeneratedPage]:
    """Every page the room adds to the site.  A room made from the same files as the last
    build's (``Room.digest``), with the same problems, makes the same pages, so they are read
    back whole from the cache.  The problems count apart from the files because some come from
    outside the room (an assignment page's stale excerpt) and belong on the attention page."""
    digest = cache.key("site", room.digest, *(repr(p) for p in room.problems))
    return cache.latest(room.cache_dir, "site", digest, lambda: _pages(room))


def _pages(room: Room) -> list[GeneratedPage]:
    out = []
    # every source's title, as one digest: each page's key holds it (its links name other
    # sources), and the titles themselves, hashed for each of 5,000 pages, were 2.5 s of a build
    titles = cache.key("titles", repr(sorted((slug, s.meta.title) for slug, s in room.sources.items())))
    fragments.preload(room.sources.values(), lambda source, build: cache.cached(
        room.cache_dir, "pagetext", cache.key("pagetext", source.sha256, source.meta.title,
                                              source.meta.headnote or "", repr([b.id for b in source.blocks])), build))
    markers = marker_offsets(room.resolution)
    for slug, source in room.sources.items():
        original = posixpath.relpath(original_uri(slug), SOURCES_DIR)
        layer = MarginLayer(source, room.resolution, room.sources, lambda other: source_url(other, source_uri(slug)),
                            markers)
        digest = cache.key("page", slug, source.sha256, repr(source.meta), repr(layer.entries), titles,
                           repr(layer.far_links), repr(room.iris))
        markdown = cache.cached(room.cache_dir, "pages", digest,
                                lambda: render_source(source, layer, original_url=original,
                                                      page_path=f"{SOURCES_DIR}/{slug}.html",
                                                      iris=room.iris).encode("utf-8"))
        out.append(GeneratedPage(source_uri(slug), content=markdown))
        out.append(GeneratedPage(original_uri(slug), abs_src_path=str(room.seed_files[slug])))
    from . import library, overview  # they build on this module's URLs

    out.extend(library.pages(room))
    out.extend(overview.pages(room))
    if len(room.problems):
        out.append(GeneratedPage(ATTENTION_URI, content=attention_page(room)))
    data = export(room.resolution, room.iris, room.sources, room.modified)
    out.append(GeneratedPage(JSONLD_URI, content=json.dumps(data, ensure_ascii=False, separators=(",", ":"))))
    return [_compact(page) for page in out]


def attention_page(room: Room) -> str:
    """Every problem of the build, and every note that could not be placed, shown in full.

    The lists are written as HTML, which Python-Markdown passes through as one block: a
    problem's text is the editors' own (quotes, notes), and Markdown's inline patterns on
    megabytes of it would take minutes, where passing it through costs only its length."""
    lines = ["# Notes that need attention", "",
             "The build found these problems. A strict build (`make build`) fails until they are fixed; "
             "until then, nothing is dropped: notes that could not be placed are shown here in full.", "",
             '<ul class="rr-attention">']
    for problem in room.problems:
        lines.append(f"<li><strong>{_text(problem.where)}</strong> — {_text(problem.message)}"
                     + (f"<br><em>Hint:</em> {_text(problem.hint)}" if problem.hint else "") + "</li>")
    lines.append("</ul>")
    if room.resolution.unplaced:
        lines += ["", "## Notes not shown on their page", "", '<ul class="rr-attention">']
        for note, why in room.resolution.unplaced:
            lines.append(f"<li><strong>{_text(note.id)}</strong> ({_text(note.kind)}, {_text(note.path)}:{note.line}) — "
                         f"“{_text(note.selector.exact)}”: {_text(note.body)}<br><em>Why:</em> {_text(why)}</li>")
        lines.append("</ul>")
    return "\n".join(lines) + "\n"


def _text(text: str) -> str:
    """Text inside the attention page's HTML: only what HTML reads as markup is escaped (Markdown
    does not look inside), so the parser meets few character references; hidden characters
    become their visible markers, as everywhere."""
    return show_hidden(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def fill_placeholders(markdown: str, page_uri: str, room: Room) -> str:
    def replace(m: re.Match) -> str:
        name = m.group(1)
        maker = PLACEHOLDERS.get(name)
        return maker(room, page_uri) if maker else m.group(0)

    return PLACEHOLDER.sub(replace, markdown)


def sources_table(room: Room, page_uri: str) -> str:
    from . import library

    if not library.lists_sources(room):  # a big room: its collections, not thousands of rows
        return library.collections_table(room, page_uri)
    rows = ["| Source | Author / issuer | Date | Genre | Words |", "|---|---|---|---|---:|"]
    for slug, s in room.sources.items():
        m = s.meta
        link = f"[{_cell(m.title)}]({source_md_link(slug, page_uri)})"
        rows.append(f"| {link} | {_cell(m.author)} | {_cell(m.date)} | {_cell(m.genre)} | {s.word_count:,} |")
    return "\n".join(rows)


def joins_table(room: Room, page_uri: str) -> str:
    rows = ["| Source | Page-break joins | Where (seed lines) |", "|---|---:|---|"]
    for slug, s in room.sources.items():
        where = ", ".join(f"{j.upper_line}+{j.lower_line} ({j.kind})" for j in s.joins) or "none"
        rows.append(f"| [{_cell(s.meta.title)}]({source_md_link(slug, page_uri)}) | {len(s.joins)} | {where} |")
    return "\n".join(rows)


def _cell(text: str) -> str:
    return escape(text).replace("|", "&#124;")


def note_counts(room: Room, page_uri: str) -> str:
    kinds = list(KINDS)
    # per 1,000 words, so that a short text read closely and a long one read lightly can be told apart
    rows = ["| Source | " + " | ".join(KINDS[k][0] for k in kinds)
            + " | Total | Framing and uncited per 1,000 words | Machine suggestions |",
            "|---|" + "---:|" * (len(kinds) + 3)]
    for slug, s in room.sources.items():
        everything = room.resolution.for_source(slug)
        placed = [p for p in everything if not p.note.suggested]
        counts = [sum(p.note.kind == k for p in placed) for k in kinds]
        disputed = sum(1 for p in room.resolution.targets_in(slug) if not p.note.suggested)
        counts_text = [str(c) for c in counts]
        counts_text[kinds.index("rebuttal")] += f" (+{disputed} as target)"
        flagged = counts[kinds.index("framing")] + counts[kinds.index("uncited")]
        density = f"{1000 * flagged / s.word_count:.1f}" if s.word_count else "–"
        rows.append(f"| [{_cell(s.meta.title)}]({source_md_link(slug, page_uri)}) | " + " | ".join(counts_text)
                    + f" | {sum(counts)} | {density} | {len(everything) - len(placed)} |")
    return "\n".join(rows)


def vocabulary_table(room: Room, page_uri: str) -> str:
    rows = ["| Technique (in the files) | What it looks like |", "|---|---|"]
    rows += [f"| **{_cell(label)}** (`{key}`) | {_cell(desc)} |" for key, (label, desc) in TECHNIQUES.items()]
    rows += ["", "| Strength of an uncited note | Meaning |", "|---|---|"]
    rows += [f"| **{_cell(label)}** (`{key}`) | {_cell(desc)} |" for key, (label, desc) in STRENGTHS.items()]
    return "\n".join(rows)


PLACEHOLDERS = {"sources": sources_table, "joins": joins_table, "note-counts": note_counts,
                "vocabulary": vocabulary_table}
