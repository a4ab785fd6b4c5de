"""The margin: notes resolved against the sources, then drawn beside the text.

Two phases, as in mkdocstrings/autorefs: ``resolve`` anchors every note (and every rebuttal's
target) once all sources are known, collecting every problem of the build; ``MarginLayer`` then
renders one source's highlights and notes, including the far ends of rebuttals that start in
other sources.  Pure: no MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .anchor import Anchor, Failure, SourceText, match_quote
from .errors import Problems, listed, shorten
from .fragments import page_text, text_directive, with_fragment
from .inline import Wrap, attr, escape, quiet_link
from .model import Block, Source
from .notes import Note, Selector
from .notetext import note_html
from .vocabulary import KINDS, STRENGTHS, TECHNIQUES


@dataclass(frozen=True)
class Placed:
    note: Note
    anchor: Anchor
    target: Anchor | None = None


@dataclass
class Resolution:
    placed: list[Placed] = field(default_factory=list)
    unplaced: list[tuple[Note, str]] = field(default_factory=list)  # note and why
    problems: Problems = field(default_factory=Problems)

    def for_source(self, slug: str) -> list[Placed]:
        return list(self._index()[0].get(slug, ()))

    def targets_in(self, slug: str) -> list[Placed]:
        return list(self._index()[1].get(slug, ()))

    def _index(self) -> tuple[dict[str, list[Placed]], dict[str, list[Placed]]]:
        """Notes by source and by target source, made once per build (every page asks, and a
        scan per page would make a build quadratic in the room's size); made again if the
        machine layer has added notes since."""
        cached = self.__dict__.get("_by_slug")
        if cached is not None and cached[0] == len(self.placed):
            return cached[1], cached[2]
        by_source: dict[str, list[Placed]] = {}
        by_target: dict[str, list[Placed]] = {}
        for p in self.placed:
            by_source.setdefault(p.note.source, []).append(p)
            if p.note.target:
                by_target.setdefault(p.note.target.source, []).append(p)
        self.__dict__["_by_slug"] = (len(self.placed), by_source, by_target)
        return by_source, by_target


def _describe(failure: Failure, selector: Selector, where: str) -> tuple[str, str]:
    quote = shorten(selector.exact)
    if failure.reason == "absent":
        place = failure.places[0]
        hint = (f'closest passage, seed line {place.first_line}: "{shorten(place.excerpt, 120)}"'
                if place.block_id else "the source has no text")
        return f'quote not found in {where}: "{quote}"', hint + "; copy the quote from the page exactly"
    places = listed([f'seed line {p.first_line}: "{shorten(p.excerpt, 80)}"' for p in failure.places], failure.total)
    if failure.reason == "context":
        context = " and ".join(
            f'{side} "{shorten(value, 40)}"' for side, value in (("after", selector.prefix), ("before", selector.suffix))
            if value.strip())
        return (f'prefix/suffix contradict the quote in {where}: "{quote}" occurs, but never {context}',
                f"the quote occurs at {places}; fix or remove the prefix/suffix")
    return (f'quote matches {failure.total:,} passages in {where}: "{quote}"',
            f"add {failure.suggestion} to say which one; it occurs at {places}")


class AnchorCache:
    """Anchors by (source content, selector), kept across rebuilds so that ``mkdocs serve``
    re-anchors only what changed.  Entries of sources that changed are dropped."""

    def __init__(self) -> None:
        self.texts: dict[str, SourceText] = {}  # by source sha256 + block ids
        self.anchors: dict[tuple, Anchor | Failure] = {}

    def text(self, source: Source) -> SourceText:
        key = source.sha256 or str(id(source))
        if key not in self.texts:
            self.texts[key] = SourceText(source)
        return self.texts[key]

    def match(self, source: Source, selector: Selector) -> Anchor | Failure:
        key = (source.sha256 or str(id(source)), selector)
        if key not in self.anchors:
            self.anchors[key] = match_quote(self.text(source), selector)
        return self.anchors[key]

    def remember(self, source: Source, selector: Selector, found: Anchor | Failure) -> None:
        """What ``match`` would find, found by a caller that anchored many quotes at once."""
        self.anchors[(source.sha256 or str(id(source)), selector)] = found

    def keep_only(self, sources: dict[str, Source]) -> None:
        live = {s.sha256 for s in sources.values()}
        self.texts = {k: v for k, v in self.texts.items() if k in live}
        self.anchors = {k: v for k, v in self.anchors.items() if k[0] in live}


# More notes than this on one passage (the same words) is a file gone wrong, not a reading: they
# are all shown, and one message says so.
MAX_NOTES_ON_ONE_PASSAGE = 20


def resolve(sources: dict[str, Source], notes: list[Note], cache: AnchorCache | None = None,
            keep_cache: bool = False) -> Resolution:
    """Anchor every note and rebuttal target; report duplicates and missing sources."""
    res = Resolution()
    cache = cache if cache is not None else AnchorCache()
    if not keep_cache:
        cache.keep_only(sources)

    seen: dict[str, Note] = {}
    for note in notes:
        def fail(message: str, hint: str, line: int | None = None) -> None:
            res.problems.add(note.path, line or note.quote_line, f"note '{note.id}': {message}", hint, note.id)
            res.unplaced.append((note, message))

        if note.id in seen:
            first = seen[note.id]
            fail(f"id is already used at {first.path}:{first.line}", "ids must be unique across the room; rename one", note.line)
            continue
        seen[note.id] = note
        if note.source not in sources:
            fail(f"there is no source '{note.source}' (no seeds/{note.source}.txt)",
                 "name the annotation file after a seed: annotations/<seed file name without .txt>.yml", note.line)
            continue
        where = sources[note.source].path
        found = cache.match(sources[note.source], note.selector)
        if isinstance(found, Failure):
            fail(*_describe(found, note.selector, where))
            continue
        target_anchor = None
        if note.target:
            t = note.target
            if t.source not in sources:
                fail(f"rebuttal target names a missing source '{t.source}'",
                     f"sources are: {listed(list(sources), sep=', ')}", t.line)
                continue
            target_found = cache.match(sources[t.source], t.selector)
            if isinstance(target_found, Failure):
                message, hint = _describe(target_found, t.selector, sources[t.source].path)
                fail("rebuttal target " + message, hint, t.line)
                continue
            target_anchor = target_found
        res.placed.append(Placed(note, found, target_anchor))
    _crowded_passages(res, sources)
    return res


def _crowded_passages(res: Resolution, sources: dict[str, Source]) -> None:
    """One message for each passage that carries more than ``MAX_NOTES_ON_ONE_PASSAGE`` notes."""
    on: dict[tuple, list[Note]] = {}
    for p in res.placed:
        on.setdefault((p.note.source, p.anchor.block_id, p.anchor.start, p.anchor.end), []).append(p.note)
    for (slug, block_id, start, end), crowd in on.items():
        if len(crowd) <= MAX_NOTES_ON_ONE_PASSAGE:
            continue
        first = crowd[0]
        block = sources[slug].block(block_id)
        line = f"seed line {block.first_line}: " if block else ""
        quote = shorten(block.text[start:end] if block else first.selector.exact)
        res.problems.add(
            first.path, first.quote_line,
            f'{len(crowd):,} notes are on one passage of {sources[slug].path} ({line}"{quote}"): '
            + listed([f"'{n.id}'" for n in crowd], sep=", ")
            + "; the page shows them all, but nobody can read that many beside one passage",
            "merge the notes that say the same thing, or quote the words each one is about", first.id)


def kind_label(note: Note) -> str:
    label = KINDS[note.kind][0]
    if note.technique:
        return f"{label} · {TECHNIQUES[note.technique][0]}"
    if note.strength:
        return f"{label} · {STRENGTHS[note.strength][0]}"
    return label


def marker_offsets(resolution: Resolution) -> dict[tuple[str, str], list[int]]:
    """Where note markers fall in each block of each page, (source, block id) → offsets.

    A link into another page needs them to pick its Text Fragment terms (see ``fragments``);
    built once per build rather than per link."""
    out: dict[tuple[str, str], list[int]] = {}
    for p in resolution.placed:
        out.setdefault((p.note.source, p.anchor.block_id), []).append(p.anchor.end)
        if p.target and p.note.target:
            out.setdefault((p.note.target.source, p.target.block_id), []).append(p.target.end)
    return out


@dataclass(frozen=True)
class _Entry:
    """One note as shown on one page: the claim end, or the far end of a rebuttal."""

    placed: Placed
    anchor: Anchor
    far_end: bool  # True on the page of a rebuttal's target
    number: int = 0


class MarginLayer:
    """Highlights and notes for one source page (implements ``render.Layer``)."""

    def __init__(self, source: Source, resolution: Resolution, sources: dict[str, Source], url_of,
                 markers: dict[tuple[str, str], list[int]] | None = None, first_number: int = 1):
        self.source = source
        self.sources = sources
        self.url_of = url_of  # slug -> relative URL of that source's page from this one
        entries = [_Entry(p, p.anchor, False) for p in resolution.for_source(source.slug)]
        entries += [_Entry(p, p.target, True) for p in resolution.targets_in(source.slug)]
        order = {b.id: i for i, b in enumerate(source.blocks)}
        entries.sort(key=lambda e: (order.get(e.anchor.block_id, 0), e.anchor.end, e.anchor.start, e.placed.note.id))
        # an assignment's excerpts continue one numbering down the page
        self.entries = [_Entry(e.placed, e.anchor, e.far_end, n) for n, e in enumerate(entries, start=first_number)]
        self.by_block: dict[str, list[_Entry]] = {}
        for e in self.entries:
            self.by_block.setdefault(e.anchor.block_id, []).append(e)
        # A heading's notes sit beside the block that follows it: a heading is Markdown (for the
        # table of contents), so it cannot share a row with its notes, and a number in it would
        # show up in the table of contents.
        self.headings = {b.id for b in source.blocks if b.kind == "heading"}
        self._blocks = {b.id: b for b in source.blocks}
        self.hosted: dict[str, list[_Entry]] = {}
        blocks = list(source.blocks)
        for i, b in enumerate(blocks):
            if b.id not in self.by_block:
                continue
            host = b.id
            if b.kind == "heading":
                host = next((n.id for n in blocks[i + 1:] if n.kind != "heading"), b.id)
            self.hosted.setdefault(host, []).extend(self.by_block[b.id])
        # machine suggestions stay out of the way where an editor has written notes
        self.suggested_off = any(not e.placed.note.suggested for e in self.entries)
        self.kinds_present = sorted({e.placed.note.kind for e in self.entries}, key=list(KINDS).index)
        markers = marker_offsets(resolution) if markers is None else markers
        # each rebuttal's link to its other end: href with a Text Fragment, and the paragraph's
        # address for print; part of the page's cache key, as it depends on the other page
        self.far_links: dict[tuple[str, bool], tuple[str, str]] = {}
        for e in self.entries:
            if e.placed.target is not None:
                self.far_links[(e.placed.note.id, e.far_end)] = self._far_link(e, markers)

    def _passage(self, source: Source, anchor: Anchor, breaks) -> str:
        """The Text Fragment directive for an anchored passage of ``source``."""
        block = source.block(anchor.block_id) if source is not self.source else self._blocks.get(anchor.block_id)
        page = page_text(source)
        if block is None or block.kind in ("pre", "table") or not page.indexed:  # pre, table: no highlight
            return ""
        inner = [b - anchor.start for b in breaks if anchor.start < b < anchor.end]
        seen = page.seen_before(anchor.block_id, anchor.start)
        return text_directive(block.text[anchor.start:anchor.end], inner, seen)

    def _landing(self, source: Source, anchor: Anchor, note_id: str) -> str:
        """The id a link to an anchored passage goes to: its highlight, or the block itself where
        the block is shown as it is (a table, an unsound table's text), with no highlight in it."""
        block = source.block(anchor.block_id) if source is not self.source else self._blocks.get(anchor.block_id)
        return anchor.block_id if block is not None and block.kind in ("pre", "table") else note_id

    def _far_link(self, e: _Entry, markers) -> tuple[str, str]:
        note, placed = e.placed.note, e.placed
        other, anchor = (note.source, placed.anchor) if e.far_end else (note.target.source, placed.target)
        url = self.url_of(other)
        directive = self._passage(self.sources[other], anchor, markers.get((other, anchor.block_id), ()))
        landing = self._landing(self.sources[other], anchor, note.id)
        return with_fragment(url, landing, directive), f"{url}#{anchor.block_id}"

    def header(self) -> str:
        if not self.entries:
            return ""
        items = "".join(
            f'<li data-kind="{k}"><span class="rr-swatch rr-hl rr-hl--{k}">{escape(KINDS[k][0])}</span> {escape(KINDS[k][1])}</li>'
            for k in KINDS
        )
        counts = ", ".join(f"{sum(e.placed.note.kind == k for e in self.entries)} {k}" for k in KINDS)
        # A page whose margin is all machine suggestions says so first: the detector misses
        # framing unevenly, so a sentence without a note is not a sentence an editor cleared.
        machine = ""
        if not self.suggested_off:
            machine = (
                '<p class="rr-legend__machine">No editor has annotated this source yet. Every note here is a '
                "<strong>suggestion</strong> from the room's detector, the first of each paragraph (its note counts the "
                "others found there), and the detector misses about a third "
                "of the framing an editor would mark, more in some kinds of writing than in others: "
                "a sentence without a note has not been cleared. "
                '<a href="../about-annotations.html#suggested">How far to trust the suggestions</a></p>'
            )
        return (
            f'<section class="rr-legend" aria-label="Margin notes: legend and filters">'
            f'<p class="rr-legend__title"><strong>In the margin</strong> ({len(self.entries)} notes: {counts}). '
            f'<a href="../about-annotations.html">How the notes are written</a></p>{machine}'
            f'<ul class="rr-legend__kinds">{items}</ul><div class="rr-toggles" hidden></div>'
            f'<p class="rr-sr" aria-live="polite" data-rr-status></p></section>\n'
        )

    def wraps(self, block: Block) -> list[Wrap]:
        out = []
        for e in self.by_block.get(block.id, ()):
            note = e.placed.note
            kind = note.kind
            off = " rr-off" if note.suggested and self.suggested_off else ""
            cls = f"rr-hl rr-hl--{kind}" + (" rr-hl--suggested" if note.suggested else "") + off
            open_ = f'<mark class="{cls}" data-annotation="{note.id}" data-kind="{kind}">'
            out.append(Wrap(e.anchor.start, e.anchor.end, open_, "</mark>", layer=0,
                            first_open=open_.replace("<mark ", f'<mark id="{note.id}" ', 1)))
            if block.id in self.headings:
                continue
            label = attr(f"Note {e.number}: {kind_label(note)}")
            marker = (f'<sup class="rr-ref{off}"><a class="rr-marker rr-marker--{kind}" href="#note-{note.id}" '
                      f'data-ref="{note.id}" data-kind="{kind}" data-n="{e.number}" aria-label="{label}"></a></sup>')
            out.append(Wrap(e.anchor.end, e.anchor.end, marker, "", layer=9))
        return out

    def inline_after(self, block: Block) -> str:
        return ""

    def after(self, block: Block) -> str:
        entries = self.hosted.get(block.id)
        if not entries:
            return ""
        notes = "".join(self._note(e) for e in entries)
        first, last = entries[0].number, entries[-1].number
        # each landmark needs its own name
        label = f"Margin note {first}" if first == last else f"Margin notes {first} to {last}"
        return f'<aside class="rr-notes" aria-label="{label}">{notes}</aside>'

    def _note(self, e: _Entry) -> str:
        note = e.placed.note
        kind = note.kind
        cls = f"rr-note rr-note--{kind}" + (" rr-note--suggested" if note.suggested else "")
        if note.suggested and self.suggested_off:
            cls += " rr-off"
        here = [x.anchor.end for x in self.by_block.get(e.anchor.block_id, ())] if e.anchor.block_id not in self.headings else []
        # an unreviewed suggestion's link is the note's address alone: its paragraph's ¶ carries
        # the passage's Text Fragment, and a page of suggestions has one for every sentence
        fragment = "" if note.suggested else self._passage(self.source, e.anchor, here)
        permalink = quiet_link("rr-permalink", f"#note-{note.id}", "Permanent link to this note",
                               f' data-text-fragment="{fragment}"' if fragment else "")
        head = (f'<p class="rr-note__head"><a class="rr-note__num" href="#{self._landing(self.source, e.anchor, note.id)}" data-n="{e.number}" '
                f'title="Go to the passage" aria-label="Note {e.number}: go to the passage"></a> '
                f'<span class="rr-badge rr-badge--{kind}">'
                f"{escape(kind_label(note))}</span> {permalink}</p>")
        body = f'<p class="rr-note__body">{note_html(note.body)}</p>'.replace("\n", " ")
        link = ""
        if note.target:
            if e.far_end:
                other, quote, words = note.source, note.selector.exact, "Disputes →"
            else:
                other, quote, words = note.target.source, note.target.selector.exact, "Disputed by →"
            title = self.sources[other].meta.title
            href, paragraph = self.far_links[(note.id, e.far_end)]
            link = (f'<p class="rr-note__link"><span class="rr-note__dir">{words}</span> '
                    f'<a href="{attr(href)}" data-paragraph="{attr(paragraph)}">{escape(title)}</a>: '
                    f'<q>{escape(quote)}</q></p>')
        machine = ""
        if note.suggested:
            # "Suggested by the room's detector … ; not yet reviewed by an editor." is drawn by the
            # stylesheet (and read out by screen readers): written out, it was a sixth of the
            # weight of a page of suggestions
            machine = ('<p class="rr-note__machine">'
                       + (f" (rule <code>{escape(note.rule)}</code>)" if note.rule else "") + "</p>")
        data = f'id="note-{note.id}" data-note="{note.id}" data-kind="{kind}"'
        if note.suggested:
            data += ' data-status="suggested"'
        return (f'<div class="{cls}" {data} role="note" tabindex="-1" aria-label="{attr(f"Note {e.number}")}">'
                f"{head}{body}{link}{machine}</div>")
