"""Plain text of a seed → ``Source`` model.  Pure: no MkDocs, no I/O.

Structure is recovered only where the text itself carries it; everything else stays a literal
paragraph.  The passes, in order:

1. ``split_raw_blocks`` — lines between blank (or whitespace-only) lines.
2. ``_contents`` — a "Contents" block followed by short entries is a table of contents; an entry
   that a page break split in two is joined when the joined text is a heading later in the text.
3. ``_join_page_breaks`` — a block that ends mid-sentence is joined to the next one (a PDF page
   break cut it).  Every join is recorded with both seed line numbers.
4. ``_classify`` — headings, list items, dialogue turns, captions, tables, footnotes, paragraphs.
5. ``assign_ids`` — ids derived from the block's own text, so they survive edits elsewhere.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import replace

from .model import Block, Emphasis, Join, Meta, RawBlock, Source

BULLET = re.compile(r"^\s*(?:[-•▪●◦]|\*(?=\s))\s+")
SPEAKER = re.compile(r"^(I\s?&\s?R Team|Worker [A-Z]|Interviewer|Interviewee(?: [A-Z])?)\s*:\s*")
CAPTION = re.compile(r"^(Table|Chart|Figure)\s*\d+\b")
FOOTNOTE = re.compile(r"^\[(\d{1,3})\]\s*")
NUMBERED_H2 = re.compile(r"^[IVX]{1,5}[.:]\s*\S")
NUMBERED_H3 = re.compile(r"^(?:[ivx]{1,5}\.\s|\(\d{1,2}\)\s|\d{1,2}\.\s)")
FOOTNOTE_MARKS = re.compile(r"\s*\[\d{1,3}\]")
SENTENCE_INSIDE = re.compile(r"[.!?]\s+\S")
DATE_LINE = re.compile(
    r"^(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"(?: \d{1,2},)? \d{4}$"
)
SECTION_WORDS = {"contents", "notes", "references", "endnotes", "footnotes", "sources"}
NOTES_HEADINGS = {"notes", "references", "endnotes", "footnotes", "sources"}
# A block that ends without one of these ends mid-sentence.
TERMINAL = tuple('.!?:;"“”’)]…。！？')
# Words that cannot end an English sentence: a block ending in one was cut by a page break.
FUNCTION_WORDS = frozenset(
    "a an the of to in on at by for with from and or but as than that which who whose whom "
    "its their his her our your is are was were be been has have had this these those into "
    "such more most very".split()
)
MIN_WORDS_FOR_CUT = 12  # a shorter unpunctuated line is taken for a title, not a cut paragraph
MIN_CHARS_FOR_CUT = 200  # an unpunctuated block this long is prose cut by a page break


def split_raw_blocks(text: str) -> list[RawBlock]:
    blocks: list[RawBlock] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip() == "":
            if current:
                blocks.append(RawBlock(start, tuple(current)))
                current = []
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        blocks.append(RawBlock(start, tuple(current)))
    return blocks


def _is_table(raw: RawBlock) -> bool:
    return any("\t" in line for line in raw.lines)


def _flat(raw_lines) -> str:
    return " ".join(line.strip() for line in raw_lines)


def _ends_mid_sentence(text: str) -> bool:
    stripped = text.rstrip().rstrip("*_")
    if not stripped or stripped.endswith(TERMINAL):
        return False
    words = stripped.split()
    last = words[-1].lower().strip("*")
    return (
        stripped.endswith((",", "–", "—", "-"))
        or last in FUNCTION_WORDS
        or len(stripped) >= MIN_CHARS_FOR_CUT
        # a long line with a clause break reads as prose; a long title has no commas
        or (len(words) >= MIN_WORDS_FOR_CUT and "," in stripped)
    )


def _starts_continuation(text: str) -> bool:
    first = text.lstrip()[:1]
    return bool(first) and (first.islower() or first.isdigit() or first in "–—-,;")


def _heading_level(line: str) -> int:
    """0 when the line is not a heading."""
    if NUMBERED_H2.match(line) and len(line) <= 160:
        return 2
    if NUMBERED_H3.match(line) and len(line) <= 200:
        return 3
    words = line.split()
    line = FOOTNOTE_MARKS.sub("", line).rstrip()
    if (
        1 <= len(words) <= MIN_WORDS_FOR_CUT
        and not SENTENCE_INSIDE.search(line)
        and line[:1].isupper()
        and not line.rstrip().endswith((".", ",", ";", "?", "!"))
        and (not line.rstrip().endswith(":") or len(words) <= 3)
        and ":" not in line.rstrip()[:-1]
        and not DATE_LINE.match(line.strip())
        and not CAPTION.match(line)
    ):
        return 2
    return 0


class _Converter:
    def __init__(self, text: str, path: str):
        self.path = path
        self.raw = split_raw_blocks(text)
        self.joins: list[Join] = []
        self.blocks: list[Block] = []
        self.group = 0
        self.in_notes = False
        self.footnotes_present = False
        later_lines = {_flat(r.lines) for r in self.raw}
        self.later_headings = later_lines

    # -- pass 2: table of contents -------------------------------------------------------------
    def _contents(self, index: int) -> int:
        """Consume a table of contents starting after raw[index]; return the next index."""
        entries: list[RawBlock] = []
        i = index + 1
        while i < len(self.raw) and len(self.raw[i].lines) == 1 and len(self.raw[i].lines[0]) <= 100:
            line = self.raw[i].lines[0].strip()
            if entries and line == entries[0].lines[0].strip():
                break  # the body starts: its first heading repeats the first entry
            entries.append(self.raw[i])
            i += 1
        if len(entries) < 2 or i >= len(self.raw):
            return index + 1  # not a table of contents after all
        self.group += 1
        body_lines = {_flat(r.lines) for r in self.raw[i:]}
        j = 0
        while j < len(entries):
            entry = entries[j]
            text = entry.lines[0].strip()
            last = entry.first_line
            if j + 1 < len(entries):
                joined = f"{text} {entries[j + 1].lines[0].strip()}"
                if joined in body_lines and text not in body_lines:
                    self.joins.append(Join(self.path, entry.first_line, entries[j + 1].first_line, "contents"))
                    text, last = joined, entries[j + 1].first_line
                    j += 1
            self._add("contents", text, entry.first_line, last, group=self.group)
            j += 1
        return i

    # -- pass 3 and 4 -------------------------------------------------------------------------
    def run(self) -> None:
        i = 0
        first = True
        while i < len(self.raw):
            raw = self.raw[i]
            flat = _flat(raw.lines)
            if first:
                first = False
                if len(raw.lines) == 1 and not _is_table(raw) and not flat.endswith(".") and len(flat) <= 300:
                    self._add("heading", flat, raw.first_line, raw.last_line, level=1)
                    i += 1
                    continue
            if flat.lower() == "contents" and len(raw.lines) == 1:
                self._add("heading", flat, raw.first_line, raw.last_line, level=2)
                i = self._contents(i)
                continue
            if _is_table(raw):
                i = self._table(i)
                continue
            if BULLET.match(raw.lines[0]):
                i = self._list(i)
                continue
            # A paragraph-like block: gather the parts a page break split off.
            parts = [raw]
            while i + 1 < len(self.raw) and self._continues(parts[-1], self.raw[i + 1], len(parts) == 1 and raw):
                parts.append(self.raw[i + 1])
                i += 1
            self._prose(parts)
            i += 1

    def _continues(self, upper: RawBlock, lower: RawBlock, _first) -> bool:
        if _is_table(lower) or BULLET.match(lower.lines[0]) or _is_table(upper):
            return False
        upper_text, lower_text = _flat(upper.lines), _flat(lower.lines)
        if CAPTION.match(upper_text) or CAPTION.match(lower_text) or SPEAKER.match(lower_text):
            return False
        if (FOOTNOTE.match(lower_text) and self.in_notes) or NUMBERED_H3.match(lower_text):
            return False
        if _heading_level(upper_text) and not _starts_continuation(lower_text):
            return False
        if upper_text.rstrip().rstrip("*").endswith(TERMINAL):
            return False
        return _starts_continuation(lower_text) or _ends_mid_sentence(upper_text)

    def _record_joins(self, parts: list[RawBlock], kind: str) -> None:
        for upper, lower in zip(parts, parts[1:]):
            self.joins.append(Join(self.path, upper.last_line, lower.first_line, kind))

    def _prose(self, parts: list[RawBlock]) -> None:
        text = " ".join(_flat(p.lines) for p in parts)
        first, last = parts[0].first_line, parts[-1].last_line
        if self.in_notes and (m := FOOTNOTE.match(text)):
            self._record_joins(parts, "footnote")
            self.footnotes_present = True
            self._add("footnote", text, first, last, number=m.group(1))
            return
        if CAPTION.match(text):
            self._record_joins(parts, "caption")
            kind = "chart" if text.lower().startswith(("chart", "figure")) else "table"
            self._add("caption", text, first, last, caption_of=kind)
            return
        if m := SPEAKER.match(text):
            self._record_joins(parts, "dialogue")
            self._add("dialogue", text[m.end():], first, last, speaker=m.group(1))
            return
        level = _heading_level(text) if len(parts[0].lines) == 1 else 0
        if level:
            self._record_joins(parts, "heading")
            self.in_notes = text.strip().rstrip(":").lower() in NOTES_HEADINGS
            self._add("heading", text, first, last, level=level)
            return
        self._record_joins(parts, "paragraph")
        self._add("paragraph", text, first, last)

    def _list(self, i: int) -> int:
        """Bullet items; an item a page break cut is joined with the lines that continue it."""
        self.group += 1
        while i < len(self.raw) and BULLET.match(self.raw[i].lines[0]):
            raw = self.raw[i]
            items: list[list] = []  # [text, first_line, last_line]
            for offset, line in enumerate(raw.lines):
                number = raw.first_line + offset
                if m := BULLET.match(line):
                    items.append([line[m.end():].strip(), number, number])
                else:
                    items[-1][0] += " " + line.strip()
                    items[-1][2] = number
            # the last item may continue in the next block(s), after a page break
            while (
                i + 1 < len(self.raw)
                and not BULLET.match(self.raw[i + 1].lines[0])
                and not _is_table(self.raw[i + 1])
                and not items[-1][0].rstrip().endswith(TERMINAL)
                and _starts_continuation(_flat(self.raw[i + 1].lines))
            ):
                nxt = self.raw[i + 1]
                self.joins.append(Join(self.path, items[-1][2], nxt.first_line, "item"))
                items[-1][0] += " " + _flat(nxt.lines)
                items[-1][2] = nxt.last_line
                i += 1
            for text, first, last in items:
                self._add("item", text, first, last, group=self.group)
            i += 1
        return i

    def _table(self, i: int) -> int:
        """Tab-separated rows, possibly split by page breaks, up to the next non-table block."""
        parts = [self.raw[i]]
        while i + 1 < len(self.raw) and _is_table(self.raw[i + 1]):
            parts.append(self.raw[i + 1])
            i += 1
        # a lone row fragment between table parts (a cell a page break pushed down) belongs to it
        rows = tuple(tuple(line.split("\t")) for p in parts for line in p.lines)
        first, last = parts[0].first_line, parts[-1].last_line
        raw_text = "\n".join("\n".join(p.lines) for p in parts)
        if _table_is_sound(rows):
            self._add("table", " ".join(c.strip() for r in rows for c in r if c.strip()), first, last, rows=rows)
        else:
            self._add("pre", raw_text, first, last)
        return i + 1

    def _add(self, kind: str, text: str, first: int, last: int, **fields) -> None:
        clean, emphasis = ("", ()) if kind in ("pre",) else strip_emphasis(text)
        if kind == "pre":
            clean = text
        self.blocks.append(Block(kind=kind, text=clean, path=self.path, first_line=first, last_line=last, emphasis=emphasis, **fields))


def _table_is_sound(rows: tuple[tuple[str, ...], ...]) -> bool:
    """Rebuild a table only when no cell has to be guessed: equal width, no empty or ruled cells."""
    widths = {len(r) for r in rows}
    if len(rows) < 2 or len(widths) != 1:
        return False
    for index, row in enumerate(rows):
        cells = row[1:] if index == 0 else row  # a header may leave its corner cell empty
        if any(not c.strip() or set(c.strip()) <= {"-"} for c in cells):
            return False
    return True


# The content of a pair may not run past a marker that could open or close another pair (only
# a free-standing ``**`` or ``*`` between spaces is passed over): each opener then stops at the
# next marker, so a long line full of unpaired asterisks is read in linear time, not quadratic.
STRONG = re.compile(r"(?<!\w)\*\*(?=[^\s*])((?:[^*]|\*(?!\*)|(?<=\s)\*\*(?=\s))+?)(?<=[^\s*])\*\*(?![\w])")
ITALIC = re.compile(r"(?<![\w*])\*(?=[^\s*])((?:[^*]|(?<=\s)\*(?=\s))+?)(?<=[^\s*])\*(?![\w*])")


def strip_emphasis(text: str) -> tuple[str, tuple[Emphasis, ...]]:
    """Remove paired asterisks; return the clean text and where the emphasis was.

    Only asterisks the seed itself pairs become emphasis (``**bold**`` first, then ``*italic*``);
    a lone or unpaired asterisk stays in the text as typed.
    """
    if "*" not in text:
        return text, ()
    keep = [True] * len(text)
    found: list[tuple[int, int, bool]] = []  # original coordinates, content only
    for m in STRONG.finditer(text):
        keep[m.start()] = keep[m.start() + 1] = keep[m.end() - 1] = keep[m.end() - 2] = False
        found.append((m.start(1), m.end(1), True))
    # italic pass over the text without the strong markers, mapped back to original indices
    index = [k for k, kept in enumerate(keep) if kept]
    reduced = "".join(text[k] for k in index)
    for m in ITALIC.finditer(reduced):
        keep[index[m.start()]] = keep[index[m.end() - 1]] = False
        found.append((index[m.start(1)], index[m.end(1) - 1] + 1, False))
    if not found:
        return text, ()
    new_pos = []
    count = 0
    for kept in keep:
        new_pos.append(count)
        count += kept
    new_pos.append(count)
    clean = "".join(ch for ch, kept in zip(text, keep) if kept)
    spans = tuple(Emphasis(new_pos[s], new_pos[e], strong) for s, e, strong in sorted(found))
    return clean, spans


def slugify(text: str, limit: int = 60) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:limit].rstrip("-")


PREFIX = {"paragraph": "p", "item": "li", "dialogue": "d", "caption": "cap", "table": "tbl", "pre": "pre",
          "footnote": "fn", "contents": "toc"}


def assign_ids(blocks: list[Block]) -> tuple[Block, ...]:
    """Ids from each block's own text, so an edit elsewhere never moves them."""
    seen: dict[str, int] = {}
    out = []
    for block in blocks:
        if block.kind == "heading":
            base = slugify(block.text) or "h-" + _digest(block.text)
        elif block.kind == "footnote":
            base = f"fn-{block.number}"
        else:
            base = f"{PREFIX[block.kind]}-{_digest(block.speaker + block.text)}"
        seen[base] = seen.get(base, 0) + 1
        out.append(replace(block, id=base if seen[base] == 1 else f"{base}-{seen[base]}"))
    return tuple(out)


def _digest(text: str) -> str:
    return hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()[:8]


def convert(text: str, path: str, slug: str, meta: Meta | None = None, sha256: str = "") -> Source:
    converter = _Converter(text, path)
    converter.run()
    return Source(
        slug=slug,
        path=path,
        meta=meta or Meta(title=slug),
        blocks=assign_ids(converter.blocks),
        joins=tuple(converter.joins),
        sha256=sha256,
        footnotes_present=converter.footnotes_present,
    )
