"""Sentences of a source: ``(start, end)`` offsets into the decoded text, nothing else changed.

The detectors, the labelled test set and the suggestion writer all speak of "a sentence", so
they share one splitter.  It is deliberately plain and predictable:

1. Paragraphs are the text between blank (or whitespace-only) lines.
2. A paragraph that a PDF page break cut mid-sentence is joined to the next one (the same test
   the converter uses: it ends without terminal punctuation and either ends on a comma or a
   function word, is long, or the next part starts in lower case).  Such a sentence's span then
   contains the blank line; ``paragraph_spans`` lets a caller clip to one raw paragraph.
3. Inside a paragraph, every bullet line starts a new unit, and every line of a table (a line
   with a tab) is a unit of its own.
4. Inside a unit, a sentence ends at ``. ! ? 。 ！ ？`` (with any closing quotes, brackets and
   footnote markers such as ``[1]`` that follow), unless the full stop belongs to an
   abbreviation (``Mr.``, ``No. 5``, ``U.S.``, ``e.g.``, an initial ``A.``), a list marker at the
   start of a line (``ii.``), or the next word starts in lower case.  Decimals (``8.6``) and
   URLs never end a sentence because no space follows their full stop.  Chinese full stops end a
   sentence whatever follows.

``segments`` also says what kind of unit each sentence sits in (prose, heading, item, dialogue,
caption, table, footnote), because the detectors read headings and prose but not table cells,
interview turns or the notes section.
"""

from __future__ import annotations

from functools import lru_cache

import re
from dataclasses import dataclass

# The page-break decisions are the converter's, so flags and pages agree on what a paragraph is.
from ..convert import MIN_WORDS_FOR_CUT, TERMINAL, _ends_mid_sentence, _starts_continuation

BULLET = re.compile(r"[ \t\u00a0]*(?:[-•▪●◦]|\*(?=\s))\s+")
SPEAKER = re.compile(r"(?:I\s?&\s?R Team|Worker [A-Z]|Interviewer|Interviewee(?: [A-Z])?)\s*:")
CAPTION = re.compile(r"(?:Table|Chart|Figure)\s*\d+\b")
FOOTNOTE = re.compile(r"\[\d{1,3}\]")
ROMAN_MARKER = re.compile(r"(?:[IVX]{1,5}|[ivx]{1,5}|\d{1,2})[.:]\s")
NOTES_HEADINGS = {"notes", "references", "endnotes", "footnotes", "sources"}

# Tokens that end in a full stop without ending a sentence (compared without the final dot).
ABBREVIATIONS = frozenset(
    "Mr Mrs Ms Dr Prof Sr Jr St Gen Sen Rep Gov Lt Col Capt Mt Ft "
    "Co Corp Inc Ltd Bros Dept Univ Assn Fig Figs Vol Vols Ch Sec Art Para pp p cf vs al "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec e.g i.e viz approx ca".split()
)
# Abbreviations that only hold before a number ("No. 5", "p. 12").
NUMBER_ABBREVIATIONS = frozenset("No Nos no nos p pp Vol vol Art Sec Ch".split())
CANDIDATE = re.compile(r"([.!?]+|[。！？]+)([”\"’'»)\]]*)((?:\s?\[\d{1,3}\])*)")
TOKEN_BEFORE = re.compile(r"([\w.\-]+)$")


@dataclass(frozen=True)
class Segment:
    """One sentence (or one table row, heading, list item) of a text."""

    start: int
    end: int
    kind: str  # prose | heading | item | dialogue | caption | table | footnote
    paragraph: int  # index of its paragraph (after page-break joins)
    paragraph_start: int = 0  # offset of that paragraph's first character


@lru_cache(maxsize=4)  # the placer asks once per flag; a source's paragraphs are found once
def paragraph_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Raw paragraphs: (start, end) of the text between blank lines, surrounding space trimmed."""
    return tuple(_paragraph_spans(text))


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = None
    last_end = 0
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if line.strip():
            if start is None:
                start = pos + (len(line) - len(line.lstrip()))
            last_end = pos + len(line.rstrip())
        elif start is not None:
            spans.append((start, last_end))
            start = None
        pos = end + 1
    if start is not None:
        spans.append((start, last_end))
    return spans


def _is_table(text: str) -> bool:
    return "\t" in text


def _flat(text: str) -> str:
    return " ".join(text.split())


def _is_heading(text: str, flat: str | None = None) -> bool:
    """``flat`` is ``_flat(text)``, when the caller has it."""
    if "\n" in text.strip():
        return False
    if flat is None:
        flat = _flat(text)
    # ROMAN_MARKER reads at most 7 characters: the first 8 and a space answer as the whole does
    if ROMAN_MARKER.match(flat[:8] + " ") and len(flat) <= 200 and not flat[:3].strip().isdigit():
        return True
    words = flat.count(" ") + 1 if flat else 0  # flat's words are one space apart
    if not 1 <= words <= MIN_WORDS_FOR_CUT:
        return False
    bare = FOOTNOTE.sub("", flat).rstrip()
    return (
        1 <= words <= MIN_WORDS_FOR_CUT
        and bare[:1].isupper()
        and not re.search(r"[.!?]\s+\S", bare)
        and not bare.endswith((".", ",", ";", "?", "!"))
        and (not bare.endswith(":") or words <= 3)
        and not CAPTION.match(bare)
    )


_LIST_MARKER = re.compile(r"(?:[ivx]{1,5}\.\s|\(\d{1,2}\)\s|\d{1,2}\.\s)")


def _continues(upper: str, lower: str, up: str | None = None, low: str | None = None) -> bool:
    """``up`` and ``low`` are ``_flat(upper)`` and ``_flat(lower)``, when the caller has them."""
    if _is_table(upper) or _is_table(lower) or BULLET.match(lower):
        return False
    up = _flat(upper) if up is None else up
    low = _flat(lower) if low is None else low
    if CAPTION.match(up) or CAPTION.match(low) or SPEAKER.match(low) or FOOTNOTE.match(low):
        return False
    if _LIST_MARKER.match(low):
        return False
    if _is_heading(upper, up) and not _starts_continuation(lower):
        return False
    if up.rstrip().rstrip("*").endswith(TERMINAL):
        return False
    return _starts_continuation(low) or _ends_mid_sentence(up)


def _units(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Split one joined paragraph into units: bullet items and table rows on their own."""
    chunk = text[start:end]
    if _is_table(chunk):
        out = []
        pos = start
        for line in chunk.split("\n"):
            a = pos + len(line) - len(line.lstrip())
            b = pos + len(line.rstrip())
            if b > a:
                out.append((a, b, "table"))
            pos += len(line) + 1
        return out
    units: list[list] = []
    pos = start
    for line in chunk.split("\n"):
        line_end = pos + len(line)
        if BULLET.match(line) and line.strip():
            m = BULLET.match(line)
            units.append([pos + m.end(), line_end, "item"])
        elif units:
            units[-1][1] = line_end
        elif line.strip():
            units.append([pos + len(line) - len(line.lstrip()), line_end, ""])
        pos = line_end + 1
    out = []
    for a, b, kind in units:
        seg = text[a:b]
        b = a + len(seg.rstrip())
        if b > a:
            out.append((a, b, kind))
    return out


def _run_before(unit: str, end: int, inside) -> int:
    """Where the run of characters for which ``inside`` holds that ends at ``end`` begins
    (``end`` itself when there is none)."""
    start = end
    while start > 0 and inside(unit[start - 1]):
        start -= 1
    return start


def _token_char(ch: str) -> bool:  # TOKEN_BEFORE's class, [\w.\-]
    return ch.isalnum() or ch in "_.-"


def _lower_ascii(ch: str) -> bool:
    return "a" <= ch <= "z"


def _dollar(unit: str, end: int) -> int:
    """Where ``$`` lets a pattern end in ``unit[:end]``: before a final line break, if any."""
    return end - 1 if end and unit[end - 1] == "\n" else end


def _token_before(unit: str, end: int) -> tuple[int, str]:
    """(start, token) of ``TOKEN_BEFORE.search(unit[:end])`` ("" when it finds nothing), read
    backwards from ``end`` rather than by a search of everything before it (a paragraph of
    many sentences would cost its length once per full stop)."""
    stop = _dollar(unit, end)
    start = _run_before(unit, stop, _token_char)
    return start, unit[start:stop]


def _ends_in_lower_word(unit: str, end: int) -> bool:
    """``re.search(r"(?<![A-Za-z])[a-z]{2,}$", unit[:end])``, read backwards from ``end``."""
    stop = _dollar(unit, end)
    start = _run_before(unit, stop, _lower_ascii)
    return stop - start >= 2 and not (start and unit[start - 1].isascii() and unit[start - 1].isalpha())


_NOT_SPACE = re.compile(r"\S")


def _boundary(unit: str, m: re.Match, unit_start_offset: int) -> bool:
    """Does the candidate match ``m`` (inside ``unit``) end a sentence?"""
    punct, marks = m.group(1), m.group(3)
    at = m.end()  # where the text after the candidate begins
    if punct[0] in "。！？":
        return True
    if at >= len(unit):
        return True
    following = _NOT_SPACE.search(unit, at)
    nxt = following.group() if following else ""
    if not unit[at].isspace():
        # "[2]At the same time" and "areas.In fact": a sentence glued to the next one.
        if marks and nxt.isupper():
            return True
        return punct == "." and nxt.isupper() and _ends_in_lower_word(unit, m.start())
    if not nxt:
        return True
    if nxt.islower():
        return False
    if punct != ".":
        return True
    token_start, token = _token_before(unit, m.start())
    bare = token.strip(".-")
    if not bare:
        return True
    if bare in ABBREVIATIONS or bare + "." in ABBREVIATIONS:
        return False
    if bare in NUMBER_ABBREVIATIONS and nxt.isdigit():
        return False
    if _INITIALS.fullmatch(bare):  # U.S. U.N. P.R.C.
        return False
    if _INITIAL.fullmatch(bare) and not m.group(2):  # an initial: "Zenz, A. (2023)"
        return False
    # "ii. The ...": the token is all that comes before it
    if _LIST_NUMBER.fullmatch(bare) and not _NOT_SPACE.search(unit, 0, token_start):
        return False
    return True


_INITIALS = re.compile(r"(?:[A-Z]\.)+[A-Z]")
_INITIAL = re.compile(r"[A-Z]")
_LIST_NUMBER = re.compile(r"[IVXivx]{1,5}|\d{1,2}")


_PUNCT = re.compile(r"[.!?。！？]")  # where a CANDIDATE can begin: one character class, scanned fast


def _candidates(unit: str):
    """``CANDIDATE.finditer(unit)``: a match begins at a full stop, and at every full stop one
    does, so each is the match at the next full stop (re scans for one character class much
    faster than it tries CANDIDATE's alternation at every character)."""
    at, search, match = 0, _PUNCT.search, CANDIDATE.match
    while (stop := search(unit, at)) is not None:
        m = match(unit, stop.start())
        yield m
        at = m.end()


def _sentences_in_unit(text: str, a: int, b: int) -> list[tuple[int, int]]:
    unit = text[a:b]
    out = []
    start = 0
    for m in _candidates(unit):
        if m.end() <= start:
            continue
        if _boundary(unit, m, a):
            out.append((start, m.end()))
            start = m.end()
            while start < len(unit) and unit[start].isspace():
                start += 1
    if start < len(unit):
        out.append((start, len(unit)))
    spans = []
    for s, e in out:
        seg = unit[s:e]
        s2 = s + len(seg) - len(seg.lstrip())
        e2 = s + len(seg.rstrip())
        if e2 > s2:
            spans.append((a + s2, a + e2))
    return spans


def segments(text: str) -> list[Segment]:
    """Every sentence of ``text`` with the kind of unit it belongs to, in order."""
    raws = paragraph_spans(text)
    groups: list[list[int]] = []
    upper = up = None  # the last raw paragraph so far, and its flat form
    flats = {}  # a raw paragraph's flat form, by its span: often a unit's too
    for s, e in raws:
        lower = text[s:e]
        low = flats[s, e] = _flat(lower)
        if groups and _continues(upper, lower, up, low):
            groups[-1][1] = e
            groups[-1][2] = s
        else:
            groups.append([s, e, s])
        upper, up = lower, low
    out: list[Segment] = []
    in_notes = False
    for index, (gs, ge, _last) in enumerate(groups):
        for a, b, kind in _units(text, gs, ge):
            unit = text[a:b]
            if not kind:
                flat = flats.get((a, b))
                if flat is None:
                    flat = _flat(unit)
                if SPEAKER.match(flat):
                    kind = "dialogue"
                elif CAPTION.match(flat):
                    kind = "caption"
                elif in_notes and FOOTNOTE.match(flat):
                    kind = "footnote"
                elif _is_heading(unit, flat):
                    kind = "heading"
                    in_notes = flat.rstrip(":").lower() in NOTES_HEADINGS
                else:
                    kind = "prose"
            if kind in ("table", "heading"):
                out.append(Segment(a, b, kind, index, gs))
                continue
            for s, e in _sentences_in_unit(text, a, b):
                out.append(Segment(s, e, kind, index, gs))
    return out


def split(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of every sentence in ``text``, in order."""
    return [(s.start, s.end) for s in segments(text)]


def clip_to_paragraph(text: str, start: int, end: int, focus: int | None = None) -> tuple[int, int]:
    """The part of ``[start, end)`` inside one raw paragraph: the one holding ``focus`` if given,
    else the longest part.  A page-break-joined sentence is cut back to one side of the break."""
    parts = []
    for ps, pe in paragraph_spans(text):
        a, b = max(start, ps), min(end, pe)
        if b > a:
            parts.append((a, b))
    if not parts:
        return start, end
    if focus is not None:
        for a, b in parts:
            if a <= focus < b:
                return a, b
    return max(parts, key=lambda p: p[1] - p[0])
