"""Text Fragments (WICG, https://wicg.github.io/scroll-to-text-fragment/) for the room's links.

A link ``page.html#ID:~:text=start,end`` makes a browser that knows the syntax scroll to and
highlight the passage; one that does not still lands on element ``ID``.  Pure: no MkDocs.

On the room's pages a note marker (``<sup class="rr-ref">``) is set as an inline block, which a
browser's find-in-page treats as a break in the text: a term cannot run across a marker, and
"workers" followed by marker "2" would otherwise read as the word "workers2" and never match.
So the terms are chosen around the markers inside the passage.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Iterable
from urllib.parse import quote

WHOLE_UP_TO = 10  # words: a passage this short is matched whole
WORDS_PER_END = 5  # a longer one by its first and last words
INDEXED_UP_TO = 2_000_000  # characters of a page; see PageText

_WORD = re.compile(r"\S+")
_WORDS = re.compile(r"\w+")


def encode_term(term: str) -> str:
    """Percent-encode a term; '-', ',' and '&' are syntax in a directive, so they are encoded too."""
    return quote(term, safe="").replace("-", "%2D")


def fold(text: str) -> str:
    """Text as a browser compares it when matching a directive: whitespace collapsed, case folded."""
    return " ".join(text.split()).casefold()


def text_directive(passage: str, breaks: Iterable[int] = (),
                   seen_before: Callable[[str], bool] | None = None) -> str:
    """``text=...`` for ``passage`` (no leading ``:~:``); "" if it has no words or cannot be told
    apart from text earlier on its page.

    ``breaks`` are offsets in ``passage`` where the page interrupts the text (note markers); the
    start term ends before the first inner one and the end term begins after the last.
    ``seen_before(folded term)`` says whether the page shows that text before the passage: a
    browser highlights the first match, so the start term grows until it is new there.
    """
    # Words are runs of non-space characters, kept as strings only: a term is its words joined by
    # single spaces.  A paragraph is split once, in C; only the words by its ends are looked at.
    inner = sorted(b for b in breaks if 0 < b < len(passage))
    first_break, last_break = (inner[0], inner[-1]) if inner else (len(passage), 0)
    head = passage[:first_break].split()  # the words before the first marker
    if head and first_break < len(passage) and not passage[first_break - 1].isspace() \
            and not passage[first_break].isspace():
        head.pop()  # a marker inside a word: that word is not before it
    if not inner:
        tail = words = head
    else:
        tail = passage[last_break:].split()  # and after the last
        if tail and not passage[last_break - 1].isspace() and not passage[last_break].isspace():
            tail.pop(0)
        words = None  # only a passage with no marker is ever matched whole
    if not head and not tail:  # no words, or none outside the markers: nothing to name
        return ""
    earlier = seen_before or (lambda term: False)

    def plain(span: list[str]) -> str:
        return " ".join(span)

    def new(span: list[str]) -> bool:
        return bool(span) and not earlier(fold(plain(span)))

    def directive(*spans: list[str]) -> str:
        return "text=" + ",".join(encode_term(plain(span)) for span in spans)

    def whole() -> str:  # only for short passages: encoding a long paragraph whole is costly
        return directive(words) if new(words) else ""

    if not inner and len(words) <= WHOLE_UP_TO:
        return whole()
    n = min(WORDS_PER_END, len(head))
    if not new(head[:n]) and new(head):  # the shortest start that is new: what occurs earlier
        seen_n, new_n = n, len(head)     # of a longer start occurs earlier of a shorter one too
        while new_n - seen_n > 1:
            mid = (seen_n + new_n) // 2
            seen_n, new_n = (seen_n, mid) if new(head[:mid]) else (mid, new_n)
        n = new_n
    start, end = head[:n], tail[-WORDS_PER_END:]
    if not new(start):  # a marker inside the first word, or the words before it occur earlier
        return directive(end) if new(end) else ""
    # the start ends before the end begins: always across a marker; without one, when the
    # passage has words enough for both
    if end and (inner or n + len(end) <= len(words)):
        return directive(start, end)
    return whole() if not inner else directive(start)


class PageText:
    """What a browser searches on a source's page up to a passage: the headings (also in the
    table of contents, which comes first), the title, the headnote and the blocks in order.
    The margin notes are left out: a note rarely repeats five words of another passage.

    Kept as word numbers (4-byte integers in one ``bytes``), so that asking about a term is one
    search of that string in C up to the passage, not a scan of the page's text in Python: a
    build asks once per paragraph and per note.  (An index of where each word occurs answered
    faster, but building it cost a Python step per word of every page: most of a cold build's
    Text Fragment work.)  Words are runs of letters and digits, so "force," and "(labor" still
    match "force" and "labor": a browser matches at word boundaries, so every match it can find
    is found here too (and a few it would not).

    A page of more than ``INDEXED_UP_TO`` characters is not indexed (that would cost seconds a
    build): every term counts as seen, so its links name element ids only, which are never wrong.
    """

    def __init__(self, source) -> None:
        self.indexed = sum(len(b.text) for b in source.blocks) <= INDEXED_UP_TO
        self._ids: dict[str, int] = {}
        words: list[int] = []
        for b in source.blocks if self.indexed else ():
            if b.kind == "heading":
                self._add(words, b.text)
        self._add(words, source.meta.title)
        self._add(words, source.meta.headnote or "")
        self._at: dict[str, int] = {}
        self._blocks = {b.id: b.text for b in source.blocks}
        for b in source.blocks if self.indexed else ():
            self._at[b.id] = len(words)
            self._add(words, b.text)
        self._words = array("i", words).tobytes()

    def _add(self, words: list[int], text: str) -> None:
        ids = self._ids
        # a new word gets the next number: len(ids) is taken before setdefault adds it
        words += [ids.setdefault(w, len(ids)) for w in _WORDS.findall(text.casefold())]

    def seen_before(self, block_id: str, offset: int = 0) -> Callable[[str], bool]:
        """For ``text_directive``: whether a term occurs before ``offset`` in block ``block_id``."""
        if not self.indexed:
            return lambda term: True
        limit = self._at.get(block_id, 0) + len(_WORDS.findall(self._blocks.get(block_id, "")[:offset]))
        text, size = self._words, array("i").itemsize

        def seen(term: str) -> bool:
            ids = [self._ids.get(w, -1) for w in _WORDS.findall(term.casefold())]
            if not ids or -1 in ids:
                return False
            pattern = array("i", ids).tobytes()
            end = (limit + len(ids) - 1) * size  # a match that starts before the limit
            at = text.find(pattern, 0, end)
            while at != -1 and at % size:  # a match must start at a word, not inside one
                at = text.find(pattern, at + 1, end)
            return at != -1

        return seen


_PAGES: dict[tuple, tuple[tuple, PageText]] = {}


def page_text(source) -> PageText:
    """``PageText`` of a source, made once per source (a build asks for it per link).  Keyed by
    the blocks themselves: an excerpt may share a source's slug and checksum but not its blocks."""
    key = (source.slug, id(source.blocks), source.meta.title, source.meta.headnote)
    entry = _PAGES.get(key)
    if entry is None or entry[0] is not source.blocks:
        if len(_PAGES) > 4096:
            _PAGES.clear()
        entry = _PAGES[key] = (source.blocks, PageText(source))  # holding the blocks keeps their id unique
    return entry[1]


def preload(sources, load) -> None:
    """Fill the per-source ``PageText`` memo through ``load(source, build)``, e.g. the disk cache,
    so that a fresh ``mkdocs build`` does not index every page again (half a second at 50 sources)."""
    for source in sources:
        key = (source.slug, id(source.blocks), source.meta.title, source.meta.headnote)
        if key not in _PAGES:
            _PAGES[key] = (source.blocks, load(source, lambda: PageText(source)))


def with_fragment(url: str, element_id: str, directive: str = "") -> str:
    """``url#element_id``, with ``:~:directive`` when there is one."""
    return f"{url}#{element_id}" + (f":~:{directive}" if directive else "")
