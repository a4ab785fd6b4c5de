"""The room's search index: small files a browser loads from ``file://`` one at a time, on demand.

Material's own search puts the text of every page into one file that its worker loads whole and
indexes in the browser (39 MB and 8 s at 500 sources); a library of thousands of sources needs
an index that is built once, here, and read a little at a time.  ``fetch()`` and ``import()``
do not work from ``file://``, but a ``<script src>`` does, so every file is a small script that
hands its data to ``assets/room-search.js`` (``ReadingRoomSearch.load(kind, number, data)``).

What is indexed (an *entry* is what a posting points at):

- each source page, in *parts* of consecutive blocks of at most ``PART_CHARS`` characters (the
  title is the first part's first block), so a hit's snippet never needs more than one part;
- each note placed on a source page (curated or the detector's), with its kind;
- each other page the site renders (``html_page``), in sections split at its headings.

The files (under ``search/rr/``):

- ``meta.js``: the pages (address, title, collection, how many entries), each entry's kind, the
  first term of every term chunk, the first entry of every entry pack, and the tokeniser's
  stop words.  It is all a browser needs before the first keystroke.
- ``t<k>.js``: a *term chunk*: terms in sorted order with their postings (the ascending entry
  numbers, delta-encoded as base-32 variable-length digits, ``encode_postings``), cut where a
  chunk would exceed ``CHUNK_CHARS``.  A query loads only the chunks of its terms (Pagefind's
  way, by sorted term range rather than a fixed prefix, so no chunk grows with the room).
- ``d<k>.js``: an *entry pack*: the text of consecutive entries (for snippets and for the block
  to link to), cut where a pack would exceed ``PACK_CHARS``.

Pure: text in, files (path -> content) out.  ``build`` is linear in the room's text.  The hooks
gather the pages (``room_pages`` from the room, ``html_page`` for each rendered page) and write
the files after the build; the tokeniser here and in ``room-search.js`` must agree (a browser
test compares them on the same strings).
"""

from __future__ import annotations

import html as html_lib
import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from . import cache

DIR = "search/rr"
THEME_PARTIAL = "partials/search.html"  # the theme override that draws the box over this index
PART_CHARS = 16_000  # a source page is indexed in parts of about this much text …
PACK_CHARS = 32_000  # … packed into files of about this much text for snippets …
CHUNK_CHARS = 48_000  # … and its terms' postings into files of about this size
MIN_TERM = 2  # shorter tokens ("s" of "China's") are not indexed
MAX_TERM = 40  # nor longer ones (a run of digits, a URL's tail): bounded postings keys

# The tokeniser: a term is a run of letters and digits (Python's \w without "_"; in JavaScript
# /[\p{L}\p{N}]+/u), after folding case and accents.  "person-times" is two terms, as in
# Material's own search; "151,000" is "151" and "000", in the index and in a query alike.
TOKEN = re.compile(r"[^\W_]+")
STOP_WORDS = frozenset("""
a an and are as at be but by for from had has have he her his i if in into is it its of on or
our she so such than that the their them then there these they this those to was we were which
will with
""".split())

# kinds of entry, in the order meta.js numbers them
ENTRY_KINDS = ("text", "page", "framing", "uncited", "rebuttal", "slip")


COMBINING = re.compile("[\u0300-\u036f]+")


def fold(text: str) -> str:
    """Lower case, accents off (NFKD, combining marks dropped), as room-search.js folds."""
    text = text.lower()
    if text.isascii():  # most text: nothing to decompose
        return text
    return COMBINING.sub("", unicodedata.normalize("NFKD", text))


def _indexed(term: str) -> bool:
    return MIN_TERM <= len(term) <= MAX_TERM and term not in STOP_WORDS


def terms(text: str) -> list[str]:
    """The index terms of ``text``, in order, repeats kept."""
    return [t for t in TOKEN.findall(fold(text)) if _indexed(t)]


def term_set(text: str) -> set[str]:
    """The distinct index terms of ``text`` (what a posting records)."""
    words = set(TOKEN.findall(fold(text)))
    words -= STOP_WORDS
    return {t for t in words if MIN_TERM <= len(t) <= MAX_TERM}


# -- what is indexed ------------------------------------------------------------------------
@dataclass(frozen=True)
class Entry:
    kind: str  # one of ENTRY_KINDS
    blocks: tuple[tuple[str, str], ...]  # (element id on the page, text); one for a note
    suggested: bool = False  # a note the detector suggested, not yet reviewed


@dataclass(frozen=True)
class IndexPage:
    url: str  # relative to the site's root, as built ("sources/x.html")
    title: str
    entries: tuple[Entry, ...]
    collection: str = ""


def parts(blocks: Iterable[tuple[str, str]], limit: int = PART_CHARS) -> list[Entry]:
    """Consecutive blocks grouped into text entries of at most ``limit`` characters (a longer
    block is cut into pieces that keep its id)."""
    out: list[Entry] = []
    current: list[tuple[str, str]] = []
    size = 0
    for block_id, text in blocks:
        pieces = [text[i:i + limit] for i in range(0, len(text), limit)] or [""]
        for piece in pieces:
            if current and size + len(piece) > limit:
                out.append(Entry("text", tuple(current)))
                current, size = [], 0
            current.append((block_id, piece))
            size += len(piece)
    if current:
        out.append(Entry("text", tuple(current)))
    return out


def block_text(block) -> str:
    if block.rows:
        return " ".join(" ".join(row) for row in block.rows)
    return block.text


def room_pages(room, url_of: Callable[[str], str]) -> list[IndexPage]:
    """Every source page of ``room``: its text in parts, then each note placed on it."""
    from .notetext import note_text  # the core's own module; imported here to keep this one light
    from .vocabulary import TECHNIQUES

    notes: dict[str, list] = {}
    for placed in room.resolution.placed:
        notes.setdefault(placed.note.source, []).append(placed.note)
    out = []
    for slug, source in room.sources.items():
        blocks = [("title", source.meta.title)] + [(b.id, block_text(b)) for b in source.blocks]
        entries = parts(blocks)
        for note in notes.get(slug, ()):
            technique = TECHNIQUES.get(note.technique, (note.technique,))[0] if note.technique else ""
            text = note_text(note.body) + (f" ({technique})" if technique else "")
            kind = note.kind if note.kind in ENTRY_KINDS else "framing"
            entries.append(Entry(kind, ((f"note-{note.id}", text),), suggested=note.suggested))
        out.append(IndexPage(url_of(slug), source.meta.title, tuple(entries), source.meta.collection))
    return out


HEADING = re.compile(r"<h([1-6])\b[^>]*?\bid=\"([^\"]*)\"[^>]*>", re.I)
TAG = re.compile(r"<[^>]+>")
SKIP = re.compile(r"<(script|style|svg)\b.*?</\1\s*>", re.I | re.S)
PERMALINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)


def html_page(url: str, title: str, html: str) -> IndexPage:
    """A rendered page (its content HTML), in sections split at headings with an id."""
    html = PERMALINK.sub("", SKIP.sub(" ", html))
    cuts = [(m.start(), m.group(2)) for m in HEADING.finditer(html)]
    if not cuts or cuts[0][0] > 0:
        cuts.insert(0, (0, ""))
    blocks = []
    for (start, anchor), (end, _) in zip(cuts, cuts[1:] + [(len(html), "")]):
        text = " ".join(html_lib.unescape(TAG.sub(" ", html[start:end])).split())
        if text:
            blocks.append((anchor, text))
    entries = [Entry("page", e.blocks) for e in parts(blocks)] or [Entry("page", (("", title),))]
    return IndexPage(url, title, tuple(entries))


# -- postings -------------------------------------------------------------------------------
# a number as base-32 digits, most significant first: the last digit from FINAL, the others
# from MORE, so numbers need no separator.  Both alphabets are safe inside a JSON string.
MORE = "ABCDEFGHIJKLMNOPQRSTUVWXYZ!#$%&("
FINAL = "abcdefghijklmnopqrstuvwxyz0123456789"[:32]
_SMALL = [FINAL[v] if v < 32 else MORE[v >> 5] + FINAL[v & 31] for v in range(1024)]


def _digits(v: int) -> str:
    if v < 1024:
        return _SMALL[v]
    out = FINAL[v & 31]
    v >>= 5
    while v:
        out = MORE[v & 31] + out
        v >>= 5
    return out


def encode_postings(ids: list[int]) -> str:
    """Ascending entry numbers as the gaps between them (the first from -1), in base-32 digits."""
    small, prev, out = _SMALL, -1, []
    for i in ids:
        gap = i - prev
        out.append(small[gap] if gap < 1024 else _digits(gap))
        prev = i
    return "".join(out)


def decode_postings(code: str) -> list[int]:
    """The inverse of ``encode_postings`` (room-search.js has the same loop)."""
    out, value, prev = [], 0, -1
    for c in code:
        k = MORE.find(c)
        if k >= 0:
            value = (value << 5) | k
        else:
            prev += (value << 5) | FINAL.index(c)
            out.append(prev)
            value = 0
    return out


# -- the files ------------------------------------------------------------------------------
@dataclass
class Index:
    files: dict[str, str] = field(default_factory=dict)  # path under the site -> content
    entries: int = 0
    terms: int = 0
    postings: int = 0


def _script(kind: str, number: int | None, data) -> str:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"ReadingRoomSearch.load({json.dumps(kind)},{json.dumps(number)},{payload});\n"


def room_files(room, other_pages: Iterable[IndexPage], url_of: Callable[[str], str]) -> dict[str, str]:
    """The index files of the room's source pages and ``other_pages`` (the rendered hand-written
    ones).  A room made of the same files as the last build's, with the same other pages, gets
    them back from the cache's single slot (``mkdocs serve``, a second build)."""
    other_pages = list(other_pages)
    digest = cache.key("search", room.digest, repr(other_pages))
    return cache.latest(room.cache_dir, "search", digest, lambda: build(
        room_pages(room, url_of) + other_pages, (s.meta.collection for s in room.sources.values())).files)


def build(pages: Iterable[IndexPage], collections: Iterable[str] = ()) -> Index:
    """The index files of ``pages``, in one pass over their text."""
    pages = list(pages)
    postings: dict[str, list[int]] = {}
    kinds: list[str] = []
    packs: list[list] = [[]]
    pack_first = [0]
    pack_size = 0
    n = 0
    seen: dict[str, set[str]] = {}
    for page in pages:
        for entry in page.entries:
            text = " ".join(t for _, t in entry.blocks)
            if len(text) < 1000:  # notes: the detector's repeat the same few sentences
                found = seen.get(text)
                if found is None:
                    found = seen[text] = term_set(text)
            else:  # a source's text: under `mkdocs serve`, the same as in the last rebuild (cache.kept)
                found = cache.kept("terms", (), text, lambda: term_set(text))
            for term in found:
                got = postings.get(term)
                if got is None:
                    postings[term] = [n]
                else:
                    got.append(n)
            code = ENTRY_KINDS.index(entry.kind) * 2 + entry.suggested
            kinds.append(FINAL[code])
            record = [list(b) for b in entry.blocks]
            size = len(text) + 16
            if packs[-1] and pack_size + size > PACK_CHARS:
                packs.append([])
                pack_first.append(n)
                pack_size = 0
            packs[-1].append(record)
            pack_size += size
            n += 1
    index = Index(entries=n, terms=len(postings))
    chunk_first: list[str] = []
    chunk: dict[str, str] = {}
    size = 0
    for term in sorted(postings):
        ids = postings[term]
        index.postings += len(ids)
        code = encode_postings(ids)
        if chunk and size + len(code) + len(term) > CHUNK_CHARS:
            index.files[f"{DIR}/t{len(chunk_first) - 1}.js"] = _script("t", len(chunk_first) - 1, chunk)
            chunk, size = {}, 0
        if not chunk:
            chunk_first.append(term)
        chunk[term] = code
        size += len(code) + len(term) + 6
    if chunk:
        index.files[f"{DIR}/t{len(chunk_first) - 1}.js"] = _script("t", len(chunk_first) - 1, chunk)
    for k, pack in enumerate(packs):
        if pack:
            index.files[f"{DIR}/d{k}.js"] = _script("d", k, pack)
    names = sorted({c for c in collections if c} | {p.collection for p in pages if p.collection}, key=str.casefold)
    number = {c: i + 1 for i, c in enumerate(names)}
    meta = {
        "version": 1,
        "pages": [[p.url, p.title, number.get(p.collection, 0), len(p.entries)] for p in pages],
        "collections": names,
        "kinds": list(ENTRY_KINDS),
        "entryKinds": "".join(kinds),
        "chunks": chunk_first,
        "packs": pack_first if packs[0] else [],
        "stopWords": sorted(STOP_WORDS),
        "minTerm": MIN_TERM,
        "maxTerm": MAX_TERM,
        "alphabet": [MORE, FINAL],
    }
    index.files[f"{DIR}/meta.js"] = _script("meta", None, meta)
    return index
