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
import re
import sys
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import cache, cached_property

from .decode import HIDDEN_CHARS
from .errors import MAX_LISTED
from .model import Block, Source
from .notes import Selector

SEPARATOR = "\n\n"
FOLDED = {
    "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"',
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'",
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
}
FOLD = str.maketrans(FOLDED)
FOLD_FROM = "".join(FOLDED)
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
# The hint looks only where the quote's rarest words occur, so that it costs milliseconds on a
# 10 MB source: at most this many of the quote's words are looked up (rarest first) ...
HINT_WORDS_LOOKED_UP = 8
# ... each only if it occurs at most this often (a word on every line says nowhere in particular),
HINT_MAX_OCCURRENCES = 500
# ... and the best-voted places, this many, are scored as the passage (more for a short quote,
# whose few words vote less clearly and whose scoring costs less).
HINT_PLACES_SCORED = 8
# A quote is compared by its first characters, up to this many (a 3,000-word quote's opening
# says where it was copied from as well as its whole length would, at a sliver of the cost),
HINT_QUOTE_CHARS = 240
# within this many characters either side of where its words say it begins.
HINT_MARGIN_CHARS = 120


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
    places: tuple[Place, ...] = ()  # the first ``MAX_LISTED`` of them
    suggestion: str = ""  # a prefix/suffix that would make an ambiguous quote unique
    count: int = 0  # how many places there are in all (0: as many as listed)

    @property
    def total(self) -> int:
        return max(self.count, len(self.places))


def _clusters(text: str, start: int = 0, stop: int | None = None):
    """Split ``text[start:stop]`` into (start, end) of base character + following combining marks."""
    stop = len(text) if stop is None else stop
    for i in range(start + 1, stop + 1):
        if i == stop or not unicodedata.combining(text[i]):
            yield start, i
            start = i


# Characters that normalising turns into one character each (most often themselves; curly
# quotes and dashes into straight ones), that are neither space, hidden nor combining.  Runs of
# them and of single spaces (most of any text) are translated whole, and their offsets kept as
# one (start, length) each; only what lies between runs goes through the per-character path.
_PLAIN_RANGES = ((0x21, 0x7E), (0xA1, 0x24F), (0x370, 0x52F), (0x590, 0x6FF), (0x900, 0xDFF),
                 (0x2010, 0x2033), (0x3040, 0x30FF), (0x4E00, 0x9FFF), (0xAC00, 0xD7A3))
_SPACES = re.compile(" {2,}")
_RUN_TABLE: dict[str, str] = {}  # what in a run becomes another character


def _plain_char(ch: str) -> str | None:
    """What ``ch`` becomes inside a plain run (itself, or the one character it folds to), or None
    if it cannot be in one."""
    if ch in INVISIBLE or ch.isspace() or unicodedata.combining(ch):
        return None
    becomes = unicodedata.normalize("NFKC", ch).translate(FOLD)
    return None if len(becomes) != 1 or becomes.isspace() else becomes


# The ranges are read a chunk at a time: a chunk that NFKC and the fold leave as it is, with no
# white space, hidden or combining character in it, is plain whole (most of the 35,000
# characters, CJK and Hangul above all, are); only the others are asked character by character.
_PLAIN_CHUNK = 128


@cache
def _plain_run() -> re.Pattern:
    ranges: list[list[int]] = []
    invisible = sorted(map(ord, INVISIBLE))

    def keep(lo: int, hi: int) -> None:
        if ranges and ranges[-1][1] == lo - 1:
            ranges[-1][1] = hi
        else:
            ranges.append([lo, hi])

    def read(first: int, last: int) -> None:
        chunk = array("I", range(first, last + 1)).tobytes().decode(_UTF32)
        if (bisect_left(invisible, first) == bisect_right(invisible, last) and not _NOT_IN_RUN.search(chunk)
                and not any(map(unicodedata.combining, chunk)) and unicodedata.normalize("NFKC", chunk) == chunk):
            keep(first, last)
            return
        for code in range(first, last + 1):
            ch = chr(code)
            becomes = _plain_char(ch)
            if becomes is not None:
                if becomes != ch:
                    _RUN_TABLE[ch] = becomes
                keep(code, code)

    for lo, hi in _PLAIN_RANGES:
        for first in range(lo, hi + 1, _PLAIN_CHUNK):
            read(first, min(first + _PLAIN_CHUNK - 1, hi))
    body = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return re.compile(f"[ {body}]+")


_UTF32 = "utf-32-le" if sys.byteorder == "little" else "utf-32-be"  # an array of code points, as text
_NOT_IN_RUN = re.compile("[\\s" + "".join(map(re.escape, FOLD_FROM)) + "]")  # white space, or folded


class OffsetMap:
    """For each character of a normalised text, where it came from in the original: ``starts[i]``
    and ``ends[i]``.  Kept as segments, not one number per character: a run copied whole is
    one segment (its characters map one for one), anything else one segment per character."""

    def __init__(self) -> None:
        self.out_at = array("q")  # first normalised offset of each segment
        self.in_at = array("q")  # its original offset
        self.end_at = array("q")  # original end of a one-character segment; -1 for a run
        self.size = 0

    def run(self, start: int, length: int) -> None:
        self.out_at.append(self.size)
        self.in_at.append(start)
        self.end_at.append(-1)
        self.size += length

    def one(self, start: int, end: int) -> None:
        self.out_at.append(self.size)
        self.in_at.append(start)
        self.end_at.append(end)
        self.size += 1

    def extend_last(self, end: int) -> None:
        """The last character now reaches ``end`` in the original (a run of white space)."""
        if self.end_at[-1] < 0:  # split the run's last character off into a segment of its own
            last = self.size - 1
            start = self.in_at[-1] + last - self.out_at[-1]
            if self.out_at[-1] == last:
                self.end_at[-1] = end
                return
            self.out_at.append(last)
            self.in_at.append(start)
            self.end_at.append(end)
            return
        self.end_at[-1] = end

    def first_at_or_after(self, x: int) -> int:
        """The first normalised offset whose original start is at or after ``x``."""
        k = bisect_left(self.in_at, x)
        if k and self.end_at[k - 1] < 0:  # x may fall inside the run before
            length = (self.out_at[k] if k < len(self.out_at) else self.size) - self.out_at[k - 1]
            if x < self.in_at[k - 1] + length:
                return self.out_at[k - 1] + x - self.in_at[k - 1]
        return self.out_at[k] if k < len(self.out_at) else self.size

    def start(self, i: int) -> int:
        k = bisect_right(self.out_at, i) - 1
        return self.in_at[k] + i - self.out_at[k]

    def end(self, i: int) -> int:
        k = bisect_right(self.out_at, i) - 1
        return self.end_at[k] if self.end_at[k] >= 0 else self.in_at[k] + i - self.out_at[k] + 1


class _View:
    def __init__(self, offsets: OffsetMap, get) -> None:
        self.offsets, self.get = offsets, get

    def __len__(self) -> int:
        return self.offsets.size

    def __getitem__(self, i: int) -> int:
        if i < 0:
            i += self.offsets.size
        if not 0 <= i < self.offsets.size:
            raise IndexError(i)
        return self.get(i)


def normalise_with_map(text: str) -> tuple[str, _View, _View]:
    """Normalised text and, for each of its characters, the original start and end offsets.

    Each cluster (a character and the combining marks after it) is NFKC-normalised and folded;
    hidden characters are dropped and every run of white space becomes one space."""
    out: list[str] = []
    offsets = OffsetMap()
    space = False
    pos = 0
    for m in _plain_run().finditer(text):
        a, b = m.span()
        if b < len(text) and unicodedata.combining(text[b]):
            b -= 1  # the run's last character takes the marks after it: the per-character path
        if b <= a:
            continue
        if pos < a:
            space = _normalise_slowly(text, pos, a, out, offsets, space)
        pos = b
        if space and text[a] == " ":  # spaces that continue the white space before the run
            k = a
            while k < b and text[k] == " ":
                k += 1
            offsets.extend_last(k)
            a = k
            if a == b:
                continue
        run = text[a:b]
        if not run.isascii():
            for old, new in _RUN_TABLE.items():  # str.replace is a C scan; translate() is per character
                if old in run:
                    run = run.replace(old, new)
        if "  " not in run:
            out.append(run)
            offsets.run(a, b - a)
        else:
            done = 0
            for sp in _SPACES.finditer(run):
                out.append(run[done:sp.start() + 1])
                offsets.run(a + done, sp.start() + 1 - done)
                offsets.extend_last(a + sp.end())
                done = sp.end()
            if done < len(run):
                out.append(run[done:])
                offsets.run(a + done, len(run) - done)
        space = text[b - 1] == " "
    if pos < len(text):
        _normalise_slowly(text, pos, len(text), out, offsets, space)
    return "".join(out), _View(offsets, offsets.start), _View(offsets, offsets.end)


def _normalise_slowly(text: str, start: int, stop: int, out: list[str], offsets: OffsetMap, space: bool) -> bool:
    for a, b in _clusters(text, start, stop):
        piece = text[a:b]
        if piece in INVISIBLE:
            continue
        if piece.isspace():
            if space:
                offsets.extend_last(b)
                continue
            space = True
            out.append(" ")
            offsets.one(a, b)
            continue
        space = False
        for ch in unicodedata.normalize("NFKC", piece).translate(FOLD):
            out.append(ch)
            offsets.one(a, b)
    return space


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
    def normalised(self) -> tuple[str, "_View", "_View"]:
        return normalise_with_map(self.text)

    @cached_property
    def hint_index(self) -> "HintIndex":
        return HintIndex(self)

    def block_at(self, pos: int) -> int:
        return max(0, bisect_right(self.offsets, pos) - 1)

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
    # blocks are apart by a line break, so a span without one is inside a block
    spans = [(s, e) for s, e in spans
             if "\n" not in st.text[s:e] or st.block_at(s) == st.block_at(max(s, e - 1))]
    if not spans:
        return Failure("absent", (closest_passage(st, selector.exact),))
    agreeing = ([(s, e) for s, e in spans if _context_agrees(st, s, e, selector)]
                if selector.prefix.strip() or selector.suffix.strip() else spans)
    if not agreeing:
        return Failure("context", _places(st, spans), count=len(spans))
    if len(agreeing) > 1:
        return Failure("ambiguous", _places(st, agreeing), suggest_context(st, agreeing), count=len(agreeing))
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


def _places(st: SourceText, spans: list[tuple[int, int]]) -> tuple[Place, ...]:
    """The first places, as many as a message lists (the failure counts the rest)."""
    return tuple(_place(st, s, e) for s, e in spans[:MAX_LISTED])


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
        if prefix.strip() and _only_one(st.text[max(0, s - len(prefix)):s] == prefix for s, _ in spans):
            return f'prefix: "{prefix}"'
    block_end = block_start + len(st.blocks[st.block_at(start)].text)
    after = st.text[end:block_end].split(" ")
    for n in range(1, min(PREFIX_WORDS_TRIED, len(after)) + 1):
        suffix = " ".join(after[:n])
        if suffix.strip() and _only_one(st.text[e:e + len(suffix)] == suffix for _, e in spans):
            return f'suffix: "{suffix}"'
    return "a longer quote"


def _only_one(hits) -> bool:
    """Exactly one true value (stops at the second: a quote may occur 240,000 times)."""
    found = 0
    for hit in hits:
        if hit:
            found += 1
            if found > 1:
                return False
    return found == 1


def closest_passage(st: SourceText, quote: str) -> Place:
    """The passage most like ``quote``, to put in the error message (never to anchor on).

    Only the places where the quote's rarest words (or, failing those, pieces of it) occur
    are scored, each within a window around where the quote would start; so a hint costs
    about the same on a 10 MB source as on a page, and for a quote of 3,000 words as of 3."""
    nquote = normalise(quote).strip()
    if not nquote or not st.normalised[0].strip():
        return Place("", 0, "")
    index = st.hint_index
    text = index.text
    scored = nquote[:HINT_QUOTE_CHARS]
    margin = min(HINT_MARGIN_CHARS, 2 * len(scored) + 20)  # a short quote cannot be far off
    best, best_score = None, -1.0
    for begins in _hint_starts(index, nquote):
        # the longest run in common decides where the passage starts (within one block: blocks
        # are apart by line breaks, which a normalised quote never has), and its likeness to
        # the quote from there is scored
        lo, hi = max(0, begins - margin), min(len(text), begins + len(scored) + margin)
        m = difflib.SequenceMatcher(None, text[lo:hi], scored, autojunk=False).find_longest_match(0, hi - lo, 0, len(scored))
        b = index.block_of(lo + m.a if m.size else begins)
        block_lo, block_hi = index.spans[b]
        a = min(block_hi, max(block_lo, lo + m.a - m.b))
        ratio = difflib.SequenceMatcher(None, text[a:min(block_hi, a + len(scored))], scored, autojunk=False).ratio()
        score = HINT_WEIGHT_LONGEST_RUN * m.size / len(scored) + HINT_WEIGHT_RATIO * ratio
        if score > best_score:
            best, best_score = (b, a), score
    if best is None:
        return Place("", 0, "")
    b, a = best
    block_lo, block_hi = index.spans[b]
    z = min(block_hi, a + len(nquote))
    block = st.blocks[b]
    return Place(block.id, block.first_line,
                 ("…" if a > block_lo else "") + text[a:z] + ("…" if z < block_hi else ""))


def _hint_starts(index: "HintIndex", nquote: str) -> list[int]:
    """Where in the normalised page text a passage like ``nquote`` may start, in page order,
    from a vote of the quote's rarest words: each occurrence of one says the quote would begin
    so many characters before it."""
    words, at = [], 0
    for word in nquote.split(" "):
        words.append((word, at))
        at += len(word) + 1
    # rarest first; a word's vote weighs 1 / how often it occurs, so a few rare words agreeing
    # outweigh a common word's many places; each word votes once per place
    ranked = sorted({(index.counts[w], -len(w), w, off) for w, off in words
                     if 0 < index.counts.get(w, 0) <= HINT_MAX_OCCURRENCES})
    votes: dict[int, float] = {}
    looked_up = set()
    for count, _, word, off in ranked:
        if word not in looked_up and len(looked_up) < HINT_WORDS_LOOKED_UP:
            looked_up.add(word)
            _vote(votes, (pos - off for pos in index.positions[word]), 1 / count)
    if not votes:  # no whole word in common: pieces of the quote, evenly spread
        step = max(1, (len(nquote) - 5) // HINT_WORDS_LOOKED_UP)
        for off in range(0, max(1, len(nquote) - 4), step):
            found = index.find(nquote[off:off + 5], HINT_MAX_OCCURRENCES)
            if len(found) <= HINT_MAX_OCCURRENCES:
                _vote(votes, (pos - off for pos in found), 1 / max(1, len(found)))
    if not votes:
        votes[0] = 1.0
    # nearby starts are one place (a word more or less in the quote shifts the count a little)
    merged: Counter = Counter()
    likeliest: dict[int, tuple[float, int]] = {}  # bucket -> (votes, start) of its best-voted start
    for begins, n in sorted(votes.items()):
        bucket = begins // HINT_MARGIN_CHARS
        merged[bucket] += n
        if n > likeliest.get(bucket, (0.0, 0))[0]:
            likeliest[bucket] = (n, begins)
    places = min(4 * HINT_PLACES_SCORED, max(HINT_PLACES_SCORED, HINT_PLACES_SCORED * HINT_QUOTE_CHARS // max(len(nquote), 1)))
    chosen = sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))[:places]
    return sorted(likeliest[bucket][1] for bucket, _ in chosen)


def _vote(votes: dict[int, float], starts, weight: float) -> None:
    seen = set()
    for begins in starts:
        begins = max(0, begins)
        if begins // HINT_MARGIN_CHARS not in seen:
            seen.add(begins // HINT_MARGIN_CHARS)
            votes[begins] = votes.get(begins, 0.0) + weight


class HintIndex:
    """What the closest-passage hint needs of a source, made once, when a quote first fails:
    where each block lies in the normalised page text, that text with line breaks between the
    blocks (so that no match runs from one into the next), how often each of its words occurs,
    and where the rarer ones do."""

    def __init__(self, st: SourceText):
        norm, starts, _ = st.normalised
        at = starts.offsets.first_at_or_after
        self.spans = [(at(first), at(first + len(block.text))) for first, block in zip(st.offsets, st.blocks)]
        self.firsts = [lo for lo, _ in self.spans]
        pieces, at = [], 0
        for lo, hi in self.spans:
            pieces += [norm[at:lo].translate(_GAP), norm[lo:hi]]
            at = hi
        pieces.append(norm[at:].translate(_GAP))
        self.text = "".join(pieces)
        self.norm = norm
        words = norm.split(" ")
        self.counts = Counter(words)
        # where each word occurs, for the words rare enough to vote
        rare = {w for w, n in self.counts.items() if n <= HINT_MAX_OCCURRENCES}
        self.positions: dict[str, list[int]] = {}
        at = 0
        for w in words:
            if w in rare:
                self.positions.setdefault(w, []).append(at)
            at += len(w) + 1

    def find(self, needle: str, limit: int) -> list[int]:
        """Offsets in the normalised text where ``needle`` occurs, up to ``limit`` + 1 of them."""
        text, out = self.norm, []
        i = text.find(needle)
        while i != -1 and len(out) <= limit:
            out.append(i)
            i = text.find(needle, i + 1)
        return out

    def block_of(self, pos: int) -> int:
        """The block at (or, between two blocks, just after) ``pos`` in the normalised text."""
        b = max(0, bisect_right(self.firsts, pos) - 1)
        return b + 1 if pos >= self.spans[b][1] and b + 1 < len(self.spans) else b


_GAP = {ord(" "): "\n"}
