"""``Source`` model → the Markdown of its page.  Pure: no MkDocs.

Headings are Markdown headings (so Material's table of contents and permalinks work) with an
explicit ``{#id data-lines=…}``; every other block is one raw HTML block, which Python-Markdown
passes through untouched.  A ``Layer`` (the margin notes, added by ``reading_room.notes``) may add
highlights inside a block and note markup after it; without one, the page is the bare text.
"""

from __future__ import annotations

import re
from typing import Protocol

from .fragments import PageText, page_text, text_directive
from .inline import SAID_AFTER, Wrap, quiet_link, attr, emphasis_wraps, escape, footnote_wraps, render, title_text
from .iri import RoomIris
from .model import Block, Source

ABSENT_CHART = "(chart not included in the source text)"
# The page's text is the seed's, block by block (another W3C client anchors the room's notes on
# it): what the room says inside a block (note numbers, ¶ and ↩ links, "chart not included") is
# drawn by the stylesheet from an attribute, and named for screen readers with aria-label.
HEADERLINK = re.compile(r'<a class="headerlink" href="([^"]*)" title="([^"]*)">¶</a>')
UNSOUND_TABLE = "Table as extracted: its rows could not be rebuilt without guessing, so it is shown as the source has it."


class Layer(Protocol):
    def wraps(self, block: Block) -> list[Wrap]: ...

    def inline_after(self, block: Block) -> str: ...

    def after(self, block: Block) -> str: ...

    def header(self) -> str: ...


class NoLayer:
    def header(self) -> str:
        return ""

    def wraps(self, block: Block) -> list[Wrap]:
        return []

    def inline_after(self, block: Block) -> str:
        return ""

    def after(self, block: Block) -> str:
        return ""


def permalink(block: Block, what: str = "paragraph", wraps: list[Wrap] | None = None,
              page: PageText | None = None) -> str:
    """The ¶ link of a block; given the block's ``wraps`` it also carries the block's Text
    Fragment, whose terms avoid the note markers the wraps insert and, given its ``page``, any
    text earlier on the page."""
    fragment = ""
    if wraps is not None and (page is None or page.indexed):
        # markers and screen-reader-only text interrupt a browser's text search (see fragments)
        breaks = [w.start for w in wraps if w.start == w.end] + [w.end for w in wraps if SAID_AFTER in w.open]
        directive = text_directive(block.text, breaks, page.seen_before(block.id) if page else None)
        fragment = f' data-text-fragment="{directive}"' if directive else ""
    return quiet_link("rr-permalink", f"#{block.id}", f"Permanent link to this {what}", fragment)


def render_source(source: Source, layer: Layer | None = None, original_url: str = "", page_path: str = "",
                  iris: RoomIris | None = None) -> str:
    layer = layer or NoLayer()
    footnotes = {b.number for b in source.blocks if b.kind == "footnote"}
    headings = {b.text: b.id for b in source.blocks if b.kind == "heading"}
    out: list[str] = [f"---\ntitle: {_yaml_str(source.meta.title)}\n---\n"]
    blocks = list(source.blocks)
    if not blocks or blocks[0].kind != "heading" or blocks[0].level != 1:
        out.append(f"# {escape(source.meta.title)} {{#title}}\n")
    else:
        out.append(_block(blocks.pop(0), footnotes, headings, layer))
    out.append(provenance(source, original_url))
    out.append(layer.header())
    page = page_text(source)
    out.extend(_run(blocks, footnotes, headings, layer, page,
                    lambda block: _block(block, footnotes, headings, layer, page)))
    out.append(print_footer(source, page_path or f"sources/{source.slug}.html", iris or RoomIris()))
    return "\n".join(out)


def seed_attrs(source: Source, iris: RoomIris) -> str:
    """``data-sha256`` and, with it, the source's and the room's IRIs (``reading_room.iri``):
    what a script needs to name the document it shows, whichever folder the room sits in."""
    sha = source.sha256 or source.meta.sha256
    return (f'data-sha256="{attr(sha)}" data-rr-iri="{attr(iris.source(source.slug, source.sha256))}" '
            f'data-rr-room="{attr(iris.room)}"')


def print_footer(source: Source, page_path: str, iris: RoomIris | None = None) -> str:
    """Shown on paper only: where the page came from and which text it shows.  ``room.js``
    puts the address the page was opened at in place of ``page_path`` and repeats both in the
    bottom margin of every printed page."""
    sha = source.sha256 or source.meta.sha256
    return (f'<footer class="rr-print-foot" data-search-exclude {seed_attrs(source, iris or RoomIris())}><p>Printed from '
            f'<span class="rr-page-url">{escape(page_path)}</span>. <span class="rr-print-foot__title" data-text="{title_text(source.meta.title)}"></span>: seed text SHA-256 '
            f"<code>{escape(sha)}</code>.</p></footer>\n")


def render_fragment(source: Source, blocks, layer: Layer | None = None, top_heading: int = 3) -> str:
    """A run of ``source``'s blocks as one HTML fragment, for a page that quotes the source (an
    assignment's excerpt).  Headings are HTML, from ``h{top_heading}`` down, so that a quoted
    heading stays out of the quoting page's table of contents.  The ¶ links' Text Fragments are
    those of the source page, where they lead."""
    layer = layer or NoLayer()
    footnotes = {b.number for b in source.blocks if b.kind == "footnote"}
    headings = {b.text: b.id for b in source.blocks if b.kind == "heading"}
    page = page_text(source)

    def one(block: Block) -> str:
        if block.kind != "heading":
            return _block(block, footnotes, headings, layer, page)
        level = min(6, top_heading + max(0, block.level - 2))
        return (f"<h{level} {_attrs(block, 'rr-h')}>{_inline(block, footnotes, layer)}</h{level}>\n"
                + layer.after(block))

    return "\n".join(_run(list(blocks), footnotes, headings, layer, page, one))


def _run(blocks: list[Block], footnotes, headings, layer: Layer, page, one) -> list[str]:
    """Markdown of consecutive blocks: runs of list items (or contents lines) become one list,
    every other block is ``one(block)``."""
    out: list[str] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if block.kind in ("item", "contents"):
            group = [b for b in blocks[i:] if b.kind == block.kind and b.group == block.group]
            out.append(_list(group, footnotes, headings, layer, page))
            i += len(group)
            continue
        out.append(one(block))
        i += 1
    return out


def _yaml_str(text: str) -> str:
    # the theme prints the title unescaped into <title>, the header and every page's navigation
    text = title_text(text)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _wraps(block: Block, footnotes: set[str], layer: Layer) -> list[Wrap]:
    return (emphasis_wraps(block) + footnote_wraps(block.text, footnotes, skip_leading=block.kind == "footnote")
            + layer.wraps(block))


def _inline(block: Block, footnotes: set[str], layer: Layer) -> str:
    return render(block.text, _wraps(block, footnotes, layer)) + layer.inline_after(block)


def _attrs(block: Block, cls: str) -> str:
    return f'id="{block.id}" class="{cls}" data-lines="{block.lines}"'


def _block(block: Block, footnotes: set[str], headings: dict[str, str], layer: Layer,
           page: PageText | None = None) -> str:
    after = layer.after(block)
    if block.kind == "heading":
        # the heading's permalink comes from the toc extension
        text = _inline(block, footnotes, layer)
        return f'{"#" * block.level} {text} {{#{block.id} data-lines="{block.lines}"}}\n\n{after}'
    wraps = _wraps(block, footnotes, layer)
    inner = render(block.text, wraps) + layer.inline_after(block) if block.kind not in ("pre", "table") else ""
    if block.kind == "paragraph":
        html = f"<p {_attrs(block, 'rr-p')}>{inner}{permalink(block, 'paragraph', wraps, page)}</p>"
    elif block.kind == "dialogue":
        html = (
            f'<p {_attrs(block, "rr-p rr-dialogue")}><span class="rr-speaker">{escape(block.speaker)}:</span> '
            f"{inner}{permalink(block, 'turn', wraps, page)}</p>"
        )
    elif block.kind == "caption":
        absent = f'<span class="rr-absent" data-text="{ABSENT_CHART}"></span>' if block.caption_of == "chart" else ""
        html = f"<p {_attrs(block, 'rr-p rr-caption rr-caption--' + block.caption_of)}>{inner}{absent}{permalink(block, 'caption', wraps, page)}</p>"
    elif block.kind == "footnote":
        back = quiet_link("rr-backref", f"#fnref-{block.number}", "Back to the text")
        html = f"<p {_attrs(block, 'rr-p rr-footnote')}>{inner}{back}{permalink(block, 'note', wraps, page)}</p>"
    elif block.kind == "table":
        html = _table(block)
    elif block.kind == "pre":
        html = (
            f'<div {_attrs(block, "rr-pre")}><p class="rr-pre__why" data-text="{UNSOUND_TABLE}">{permalink(block, "table")}</p>'
            f'<pre tabindex="0">{escape(block.text)}</pre></div>'  # focusable: it may scroll sideways
        )
    else:  # pragma: no cover - every kind the converter makes is handled above
        raise ValueError(block.kind)
    if after:
        # the block and its notes side by side on a wide screen, notes below it on a narrow one
        return f'<div class="rr-block">\n{html}\n{after}\n</div>\n'
    return f"{html}\n"


def _table(block: Block) -> str:
    head, *body = block.rows
    cells = "".join(f"<th>{escape(c.strip())}</th>" for c in head)
    rows = "".join("<tr>" + "".join(f"<td>{escape(c.strip())}</td>" for c in row) + "</tr>" for row in body)
    return (
        f'<div {_attrs(block, "rr-table")} tabindex="0"><table><thead><tr>{cells}</tr></thead><tbody>{rows}</tbody></table>'
        f"</div>"
    )


def _list(group: list[Block], footnotes: set[str], headings: dict[str, str], layer: Layer,
          page: PageText | None = None) -> str:
    if group[0].kind == "contents":
        items = []
        for b in group:
            text = _inline(b, footnotes, layer)
            target = headings.get(b.text)
            body = f'<a href="#{target}">{text}</a>' if target else text
            after = _li_after(layer.after(b))
            if after:
                body = f'<div class="rr-block"><div class="rr-li__text">{body}</div>{after}</div>'
            items.append(f'<li {_attrs(b, "rr-li")}>{body}</li>')
        return '<ul class="rr-contents">\n' + "\n".join(items) + "\n</ul>\n"
    items = []
    for b in group:
        wraps = _wraps(b, footnotes, layer)
        text = f'{render(b.text, wraps)}{layer.inline_after(b)}{permalink(b, "item", wraps, page)}'
        after = _li_after(layer.after(b))
        if after:  # the item and its notes side by side, as for a paragraph
            text = f'<div class="rr-block"><div class="rr-li__text">{text}</div>{after}</div>'
        items.append(f'<li {_attrs(b, "rr-li")}>{text}</li>')
    return '<ul class="rr-list">\n' + "\n".join(items) + "\n</ul>\n"


def _li_after(after: str) -> str:
    return after.replace("\n", " ") if after else ""


def provenance(source: Source, original_url: str) -> str:
    m = source.meta
    rows = [
        ("Author / issuer", m.author),
        ("Publisher", m.publisher),
        ("Date", m.date),
        ("Genre", m.genre),
        ("Original file", m.original_file),
        ("SHA-256", source.sha256 or m.sha256),
    ]
    dl = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in rows)
    link = (
        f'<p class="rr-original"><a href="{attr(original_url)}">Read the untouched original text</a> '
        f"({source.word_count:,} words)</p>"
        if original_url
        else ""
    )
    headnote = escape(m.headnote) if m.headnote else "No headnote has been written for this source yet."
    return (
        f'<aside class="rr-provenance" aria-label="Provenance"><dl>{dl}</dl>{link}</aside>\n\n'
        f'<div class="rr-headnote"><p><strong>About this document.</strong> {headnote}</p></div>\n'
    )


def quiet_headerlinks(html: str) -> str:
    """The toc extension's heading permalinks, ¶ drawn by the stylesheet (see ``HEADERLINK``)."""
    return HEADERLINK.sub(r'<a class="headerlink" href="\1" title="\2" aria-label="\2"></a>', html)
