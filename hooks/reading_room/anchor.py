"""Anchoring: a stored selector (quote, prefix, suffix) → where it lands in a source.

In the spirit of Hypothesis's ``matchQuote``, but strict: the quote must occur exactly, or
exactly once its text is normalised (Unicode NFKC, curly/straight quotes, dashes, runs of
whitespace and line breaks, zero-width characters).  Nothing fuzzier is ever accepted; fuzzy
matching is used only to *describe* a failure ("the closest passage is …").

``SourceText`` is the text a reader sees: the source's blocks joined by a blank line.  Anchors
are offsets into one block's text (for rendering) and into this page text (for the exported
``TextPositionSelector``).  A quote never crosses from one block into another.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from functools import cached_property

from .decode import HIDDEN_CHARS
from .model import Block, Source
from .notes import Selector

SEPARATOR = "\n\n"
FOLD = str.maketrans({
    "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"',
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'",
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
})
# zero-width, bidirectional and control characters: the page shows them as markers, so a quote
# copied from it does not contain them (``decode.HIDDEN_CHARS``); soft hyphens likewise
INVISIBLE = {"\u00ad"} | HIDDEN_CHARS

# How a match was made, best first.  Only these two are accepted: there is no fuzzy tier.
EXACT = "exact"
NORMALISED = "normalised"
# Scoring for the closest-passage hint in an error message (never for accepting a match).
HINT_WEIGHT_LONGEST_RUN = 1.0
HINT_WEIGHT_RATIO = 0.5
PREFIX_WORDS_TRIED = 8


@dataclass(frozen=True)
class Anchor:
    block_id: str
    start: int  # in the block's text
    end: int
    page_start: int  # in the page text (all blocks joined by a blank line)
    page_end: int
    quality: str


@dataclass(frozen=True)
class Place:
    block_id: str
    first_line: int
    excerpt: str


@dataclass(frozen=True)
class Failure:
    reason: str  # "absent" | "ambiguous" | "context"
    places: tuple[Place, ...] = ()
    suggestion: str = ""  # a prefix/suffix that would make an ambiguous quote unique


def _clusters(text: str):
    """Split into (start, end) of base character + following combining marks."""
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or not unicodedata.combining(text[i]):
            yield start, i
            start = i


def normalise_with_map(text: str) -> tuple[str, list[int], list[int]]:
    """Normalised text and, for each of its characters, the original start and end offsets."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    space = False
    for a, b in _clusters(text):
        piece = text[a:b]
        if piece in INVISIBLE:
            continue
        if piece.isspace():
            if space:
                ends[-1] = b
                continue
            space = True
            out.append(" ")
            starts.append(a)
            ends.append(b)
            continue
        space = False
        for ch in unicodedata.normalize("NFKC", piece).translate(FOLD):
            out.append(ch)
            starts.append(a)
            ends.append(b)
    return "".join(out), starts, ends


def normalise(text: str) -> str:
    return normalise_with_map(text)[0]


class SourceText:
    def __init__(self, source: Source):
        self.source = source
        self.blocks: tuple[Block, ...] = source.blocks
        self.offsets: list[int] = []
        pos = 0
        for b in self.blocks:
            self.offsets.append(pos)
            pos += len(b.text) + len(SEPARATOR)
        self.text = SEPARATOR.join(b.text for b in self.blocks)

    @cached_property
    def normalised(self) -> tuple[str, list[int], list[int]]:
        return normalise_with_map(self.text)

    def block_at(self, pos: int) -> int:
        lo, hi = 0, len(self.offsets) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.offsets[mid] <= pos:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def occurrences(self, quote: str) -> tuple[list[tuple[int, int]], str]:
        """All (start, end) page offsets of ``quote``, exact first, else normalised."""
        found = _find_all(self.text, quote)
        if found:
            return [(s, s + len(quote)) for s in found], EXACT
        norm, starts, ends = self.normalised
        nquote = normalise(quote).strip()
        if not nquote:
            return [], NORMALISED
        return [(starts[s], ends[s + len(nquote) - 1]) for s in _find_all(norm, nquote)], NORMALISED

    def excerpt(self, start: int, end: int, context: int = 30) -> str:
        b = self.block_at(start)
        block_start = self.offsets[b]
        text = self.blocks[b].text
        a, z = max(0, start - block_start - context), min(len(text), end - block_start + context)
        return ("…" if a > 0 else "") + text[a:z] + ("…" if z < len(text) else "")


def _find_all(haystack: str, needle: str) -> list[int]:
    out, i = [], haystack.find(needle)
    while i != -1 and needle:
        out.append(i)
        i = haystack.find(needle, i + 1)
    return out


def _context_agrees(st: SourceText, start: int, end: int, selector: Selector) -> bool:
    if selector.prefix.strip():
        want = normalise(selector.prefix).strip()
        before = normalise(st.text[max(0, start - 3 * len(selector.prefix) - 20):start]).rstrip()
        if not before.endswith(want):
            return False
    if selector.suffix.strip():
        want = normalise(selector.suffix).strip()
        after = normalise(st.text[end:end + 3 * len(selector.suffix) + 20]).lstrip()
        if not after.startswith(want):
            return False
    return True


def match_quote(st: SourceText, selector: Selector) -> Anchor | Failure:
    """Anchor ``selector`` in ``st``, or say precisely why it cannot be anchored."""
    quick = _unique_exact(st, selector)
    if quick is not None:
        return quick
    spans, quality = st.occurrences(selector.exact)
    spans = [(s, e) for s, e in spans if st.block_at(s) == st.block_at(max(s, e - 1))]
    if not spans:
        return Failure("absent", (closest_passage(st, selector.exact),))
    agreeing = [(s, e) for s, e in spans if _context_agrees(st, s, e, selector)]
    if not agreeing:
        return Failure("context", tuple(_place(st, s, e) for s, e in spans))
    if len(agreeing) > 1:
        return Failure("ambiguous", tuple(_place(st, s, e) for s, e in agreeing), suggest_context(st, agreeing))
    s, e = agreeing[0]
    b = st.block_at(s)
    block_start = st.offsets[b]
    return Anchor(st.blocks[b].id, s - block_start, e - block_start, s, e, quality)


def _unique_exact(st: SourceText, selector: Selector) -> Anchor | None:
    """The common case, kept cheap: a quote found verbatim exactly once, with no context given."""
    if selector.prefix or selector.suffix or not selector.exact:
        return None
    text, quote = st.text, selector.exact
    start = text.find(quote)
    if start == -1 or text.find(quote, start + 1) != -1:
        return None
    b = st.block_at(start)
    block_start = st.offsets[b]
    end = start + len(quote)
    if end > block_start + len(st.blocks[b].text):
        return None  # it crosses into the next block: let the general path say so
    return Anchor(st.blocks[b].id, start - block_start, end - block_start, start, end, EXACT)


def _place(st: SourceText, start: int, end: int) -> Place:
    block = st.blocks[st.block_at(start)]
    return Place(block.id, block.first_line, st.excerpt(start, end))


def suggest_context(st: SourceText, spans: list[tuple[int, int]]) -> str:
    """The shortest run of preceding (or following) words that singles out the first occurrence."""
    start, end = spans[0]
    block_start = st.offsets[st.block_at(start)]
    before = st.text[block_start:start].split(" ")
    for n in range(1, min(PREFIX_WORDS_TRIED, len(before)) + 1):
        prefix = " ".join(before[-n:])
        if prefix.strip() and sum(st.text[max(0, s - len(prefix)):s] == prefix for s, _ in spans) == 1:
            return f'prefix: "{prefix}"'
    block_end = block_start + len(st.blocks[st.block_at(start)].text)
    after = st.text[end:block_end].split(" ")
    for n in range(1, min(PREFIX_WORDS_TRIED, len(after)) + 1):
        suffix = " ".join(after[:n])
        if suffix.strip() and sum(st.text[e:e + len(suffix)] == suffix for _, e in spans) == 1:
            return f'suffix: "{suffix}"'
    return "a longer quote"


def closest_passage(st: SourceText, quote: str) -> Place:
    """The passage most like ``quote``, to put in the error message (never to anchor on)."""
    nquote = normalise(quote).strip()
    best, best_score = None, -1.0
    for index, block in enumerate(st.blocks):
        text = normalise(block.text)
        if not text:
            continue
        matcher = difflib.SequenceMatcher(None, text, nquote, autojunk=False)
        m = matcher.find_longest_match(0, len(text), 0, len(nquote))
        a = max(0, m.a - m.b)
        window = text[a:a + len(nquote)]
        ratio = difflib.SequenceMatcher(None, window, nquote, autojunk=False).ratio()
        score = HINT_WEIGHT_LONGEST_RUN * m.size / max(1, len(nquote)) + HINT_WEIGHT_RATIO * ratio
        if score > best_score:
            best, best_score = (index, a, a + len(nquote)), score
    if best is None:
        return Place("", 0, "")
    index, a, z = best
    block = st.blocks[index]
    text = normalise(block.text)
    return Place(block.id, block.first_line, ("…" if a else "") + text[a:z] + ("…" if z < len(text) else ""))
