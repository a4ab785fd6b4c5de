"""Machine suggestions merged into ``annotations/<slug>.yml`` — a draft for the editor.

    python -m reading_room.detect.suggest SLUG [--seeds seeds] [--annotations annotations]

Every flag of ``rules.detect`` on ``seeds/<slug>.txt`` becomes an entry with ``status:
suggested``, ``author: detector`` and the ``rule`` that fired; the editor accepts one by deleting
its ``status`` line (and usually rewriting the note), or deletes the entry.

The merge is conservative:

* curated entries are never touched: new entries are *appended* as text, so every byte already
  in the file stays where it was (comments and formatting included);
* a suggestion whose span overlaps the quote of any existing entry (curated or suggested) is
  skipped, so nothing is duplicated and a second run adds nothing;
* ids are ``<slug>-auto-<n>``, numbered after the highest one already in the file;
* a quote is an exact substring of one paragraph of the seed, without emphasis asterisks or
  line breaks (so it matches the page as the reader sees it); when it occurs more than once in
  the source, a ``prefix`` (or ``suffix``) of a few words makes it unique.

For an uncited suggestion, up to two rebuttal candidates from the other sources are written as
YAML comments under the entry: leads for the editor, never published as links.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .lexicons import load as load_lexicon
from .rules import FRAMING, UNCITED, Flag, detect
from .sentences import paragraph_spans

HEADER = "# yaml-language-server: $schema=./schema.json\n"
AUTHOR = "detector"
STATUS = "suggested"
CONTEXT_WORDS = 8
MAX_CANDIDATES = 2
FOLD = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})


@dataclass(frozen=True)
class Suggestion:
    flag: Flag
    quote: str
    start: int  # offsets of the quote in the seed text
    end: int
    prefix: str = ""
    suffix: str = ""
    note: str = ""
    leads: tuple[str, ...] = ()


# ------------------------------------------------------------------------------------ quotes

def _normalised(text: str) -> tuple[str, list[int]]:
    """Text as the page shows it, for finding editors' quotes: no asterisks, one space for any
    white space, straight quotes and hyphens; with the seed offset of every character."""
    out, where = [], []
    space = False
    for i, ch in enumerate(text):
        if ch == "*":
            continue
        if ch.isspace():
            if not space:
                out.append(" ")
                where.append(i)
            space = True
            continue
        space = False
        for c in unicodedata.normalize("NFKC", ch).translate(FOLD):
            out.append(c)
            where.append(i)
    return "".join(out), where


def find_all(text: str, quote: str) -> list[tuple[int, int]]:
    """Seed spans where ``quote`` occurs: exactly, or else as the page shows it."""
    spans = []
    i = text.find(quote)
    while quote and i != -1:
        spans.append((i, i + len(quote)))
        i = text.find(quote, i + 1)
    if spans:
        return spans
    norm, where = _normalised(text)
    q, _ = _normalised(quote)
    q = q.strip()
    if not q:
        return []
    i = norm.find(q)
    while i != -1:
        spans.append((where[i], where[i + len(q) - 1] + 1))
        i = norm.find(q, i + 1)
    return spans


def _context_ok(text: str, start: int, end: int, prefix: str, suffix: str) -> bool:
    return _context_agrees(text, start, end, _Context(prefix, suffix))


@dataclass(frozen=True)
class _Context:
    """A prefix and suffix, and what their words look like once folded, computed once for all
    the places they are compared with."""

    prefix: str
    suffix: str

    @property
    def want_before(self) -> str:
        return " ".join(self.prefix.split()).translate(FOLD)

    @property
    def want_after(self) -> str:
        return " ".join(self.suffix.split()).translate(FOLD)


def _context_agrees(text: str, start: int, end: int, ctx: "_Context", want_before: str | None = None,
                    want_after: str | None = None) -> bool:
    prefix, suffix = ctx.prefix, ctx.suffix
    if prefix:
        want = ctx.want_before if want_before is None else want_before
        before = " ".join(text[max(0, start - 3 * len(prefix) - 20):start].replace("*", "").split())
        # FOLD maps one character to one, so only the last len(want) need folding
        if not (len(before) >= len(want) and (not want or before[-len(want):].translate(FOLD) == want)):
            return False
    if suffix:
        want = ctx.want_after if want_after is None else want_after
        after = " ".join(text[end:end + 3 * len(suffix) + 20].replace("*", "").split())
        if not (len(after) >= len(want) and after[:len(want)].translate(FOLD) == want):
            return False
    return True


def entry_spans(text: str, entry: dict) -> list[tuple[int, int]]:
    """Where an existing entry's quote lands in the seed (every place, if it is ambiguous)."""
    quote = entry.get("quote")
    if not isinstance(quote, str) or not quote.strip():
        return []
    spans = find_all(text, quote)
    prefix, suffix = str(entry.get("prefix") or ""), str(entry.get("suffix") or "")
    if (prefix or suffix) and len(spans) > 1:
        agreeing = [s for s in spans if _context_ok(text, s[0], s[1], prefix, suffix)]
        spans = agreeing or spans
    return spans


@lru_cache(maxsize=4)
def _paragraph_ends(text: str) -> list[int]:
    return [pe for _, pe in paragraph_spans(text)]


def _clean_span(text: str, start: int, end: int, focus: int) -> tuple[int, int]:
    """Shrink [start, end) to one raw paragraph, one line and no asterisks, keeping ``focus``."""
    spans = paragraph_spans(text)
    # the paragraphs that end at or before ``start`` play no part: begin after them
    for k in range(bisect_right(_paragraph_ends(text), start), len(spans)):  # not a copy of the rest
        ps, pe = spans[k]
        if ps > focus:
            break
        if ps <= focus < pe or (focus >= pe and start < pe and end > ps):
            start, end = max(start, ps), min(end, pe)
            if ps <= focus < pe:
                break
    line_start = text.rfind("\n", start, focus) + 1 if "\n" in text[start:focus] else start
    nl = text.find("\n", focus, end)
    line_end = nl if nl != -1 else end
    start, end = max(start, line_start), min(end, line_end)
    if "*" in text[start:end]:
        left = text.rfind("*", start, focus)
        right = text.find("*", focus, end)
        a = left + 1 if left != -1 else start
        b = right if right != -1 else end
        if b - a >= 12:
            start, end = a, b
        else:  # the focus is inside a title: take the longest asterisk-free run
            pieces = [m.span() for m in re.finditer(r"[^*]+", text[start:end])]
            a, b = max(pieces, key=lambda p: p[1] - p[0])
            start, end = start + a, start + b
    while start < end and (text[start].isspace() or text[start] in ",;:"):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def disambiguate(text: str, start: int, end: int, spans: list[tuple[int, int]] | None = None) -> tuple[str, str]:
    """A prefix (or else a suffix) of a few words that makes the quote at [start, end) unique.

    ``spans`` are the quote's places in the text, when the caller knows them (``QuoteIndex``)."""
    if spans is None:
        spans = find_all(text, text[start:end])
    if len(spans) <= 1:
        return "", ""
    para = _paragraph_of(text, start)
    before = _words_before(text, para[0], start)
    for n in range(1, min(CONTEXT_WORDS, len(before)) + 1):
        prefix = " ".join(before[-n:])
        if not prefix.strip() or "*" in prefix or "\n" in prefix:
            continue
        if _agreeing(text, spans, prefix, "") == 1:
            return prefix, ""
    after = _words_after(text, end, para[1])
    for n in range(1, min(CONTEXT_WORDS, len(after)) + 1):
        suffix = " ".join(after[:n])
        if not suffix.strip() or "*" in suffix or "\n" in suffix:
            continue
        if _agreeing(text, spans, "", suffix) == 1:
            return "", suffix
    return "", ""


def _agreeing(text: str, spans, prefix: str, suffix: str) -> int:
    """How many of ``spans`` the context agrees with: 0, 1, or 2 for "more than one"."""
    count = 0
    ctx = _Context(prefix, suffix)
    want_before, want_after = ctx.want_before, ctx.want_after
    for s, e in spans:
        if _context_agrees(text, s, e, ctx, want_before, want_after):
            count += 1
            if count == 2:
                break
    return count


@lru_cache(maxsize=4)
def _paragraph_starts(text: str) -> list[int]:
    return [ps for ps, _ in paragraph_spans(text)]


def _paragraph_of(text: str, at: int) -> tuple[int, int]:
    """The raw paragraph holding offset ``at`` (the whole text when none does)."""
    i = bisect_right(_paragraph_starts(text), at) - 1
    if i >= 0:
        ps, pe = paragraph_spans(text)[i]
        if ps <= at < pe:
            return ps, pe
    return 0, len(text)


def _words_before(text: str, lo: int, hi: int) -> list[str]:
    """The last words of ``text[lo:hi].split(" ")`` (at least CONTEXT_WORDS of them, and one more
    when there are more), without splitting all of a long paragraph."""
    cut, spaces = hi, 0
    while spaces < CONTEXT_WORDS + 1:
        cut = text.rfind(" ", lo, cut)
        if cut == -1:
            return text[lo:hi].split(" ")
        spaces += 1
    return text[cut:hi].split(" ")  # starts with "" (the space at ``cut``): one word more


def _words_after(text: str, lo: int, hi: int) -> list[str]:
    """The first words of ``text[lo:hi].split(" ")`` (at least CONTEXT_WORDS of them)."""
    cut, spaces = lo - 1, 0
    while spaces < CONTEXT_WORDS:
        cut = text.find(" ", cut + 1, hi)
        if cut == -1:
            return text[lo:hi].split(" ")
        spaces += 1
    return text[lo:cut].split(" ")


# A phrase with more places than this in one source is not placed (it is counted among the flags
# the page could not place): telling so many places apart by a few words of context would cost
# the square of their number.  No flag of the shipped or synthetic sources comes near it.
MAX_PLACES = 100
_KEY = 16  # the quotes' first characters that QuoteIndex scans the text for


class QuoteIndex:
    """Every place of each of many quotes in one text, found in one scan of it rather than one
    scan per quote: a regex of the quotes' first ``_KEY`` characters (a trie, in a lookahead so
    that overlapping places are all seen), each place then checked in full.  ``spans(quote)``
    is ``find_all(text, quote)`` for a quote that is in the text, up to MAX_PLACES + 1 places."""

    def __init__(self, text: str, quotes):
        self.text = text
        self.places: dict[str, list[int]] = {q: [] for q in quotes if q}
        by_key: dict[str, list[str]] = {}
        for q in self.places:
            by_key.setdefault(q[:_KEY], []).append(q)
        if not by_key:
            return
        trie: dict = {}
        for key in by_key:
            node = trie
            for ch in key:
                node = node.setdefault(ch, {})
            node[""] = {}
        from .lexicons import _trie_pattern

        rx = re.compile(f"(?=({_trie_pattern(trie)}))", re.DOTALL)
        # at a place, every key that starts there is a prefix of the longest one
        shorter = {key: [k for k in (key[:n] for n in range(1, len(key) + 1)) if k in by_key] for key in by_key}
        places, startswith, full = self.places, text.startswith, MAX_PLACES + 1
        for m in rx.finditer(text):
            at = m.start()
            for key in shorter[m.group(1)]:
                for q in by_key[key]:
                    found = places[q]
                    if len(found) < full and (len(q) <= _KEY or startswith(q, at)):
                        found.append(at)

    def spans(self, quote: str) -> list[tuple[int, int]]:
        found = self.places.get(quote)
        if found is None:
            return find_all(self.text, quote)
        return [(at, at + len(quote)) for at in found]


def place(text: str, flag: Flag, index: QuoteIndex | None = None) -> tuple[int, int, str, str] | None:
    """Where a flag can be quoted on the page: (start, end, prefix, suffix), or None.

    The span is cut to one paragraph and one line with no emphasis asterisks (the page shows
    neither), and given the few words of prefix or suffix that make it unique; None when a few
    words cannot make it unique, or when the phrase has more than MAX_PLACES places.
    ``text[start:end]`` is the quote.  ``place_all`` places many flags of one text at once."""
    start, end = _clean_span(text, flag.start, flag.end, flag.start)
    if end - start < 2:
        return None
    spans = (index.spans(text[start:end]) if index is not None else find_all(text, text[start:end]))
    if len(spans) > MAX_PLACES:
        return None
    prefix, suffix = disambiguate(text, start, end, spans)
    if len(spans) > 1 and not (prefix or suffix):
        return None
    return start, end, prefix, suffix


def place_all(text: str, flags) -> list[tuple[int, int, str, str] | None]:
    """``place`` for every flag of one text, in time linear in the text and the flags: the
    quotes' places are found in one scan (``QuoteIndex``)."""
    flags = list(flags)
    cleaned = [_clean_span(text, f.start, f.end, f.start) for f in flags]
    index = QuoteIndex(text, {text[s:e] for s, e in cleaned if e - s >= 2})
    return [place(text, f, index) for f in flags]


# ------------------------------------------------------------------------------------ notes

def _rule_note(flag: Flag) -> str:
    """The lexicon's "what to check" line for the rule that fired."""
    lex = load_lexicon()
    name = flag.rule.removesuffix(".repetition")
    if flag.technique == "repetition":
        return str(lex.repetition.get("note", ""))
    if name.startswith("framing."):
        for rule in lex.framing:
            if rule.name == name:
                return rule.note
    if name.startswith("uncited."):
        _, group, rule_id = (name.split(".") + ["", ""])[:3]
        for rule in lex.facts.get(group, ()):
            if rule.id == rule_id:
                return rule.note
        if group == "attribution":
            return "Who said this, and where can the reader check it?"
    return ""


def _sentence(s: str) -> str:
    s = " ".join(s.split())
    return s if s.endswith((".", "?", "!")) else s + "."


def note_for(flag: Flag) -> str:
    """One to three plain sentences: which rule fired, on what, and what to check."""
    check = _rule_note(flag)
    if flag.kind == UNCITED:
        if flag.strength == "vague":
            first = f"Machine suggestion ({flag.rule}): the sentence states a checkable fact, but its source is only gestured at."
        else:
            first = f"Machine suggestion ({flag.rule}): the sentence states a checkable fact with no source in reach."
        if "footnote marker" in flag.evidence:
            first = first[:-1] + ", and its footnote marker has no note in the document."
    elif flag.technique == "repetition":
        first = f"Machine suggestion ({flag.rule}): this framing recurs through the text."
    else:
        label = flag.technique.replace("_", " ")
        first = f"Machine suggestion ({flag.rule}): the wording may be {label}."
    parts = [first]
    if check:
        parts.append(_sentence(check))
    return " ".join(parts)


# ------------------------------------------------------------------------------------ plan

def plan(slug: str, text: str, entries: list[dict], others: dict[str, str] | None = None,
         kinds: tuple[str, ...] = (UNCITED, FRAMING)) -> list[Suggestion]:
    """The suggestions to add for ``text`` given the file's existing ``entries``."""
    taken = [span for e in entries for span in entry_spans(text, e)]
    from . import candidates as cand  # for drafting only: a build that places suggestions never asks

    index = cand.Index(others) if others else None
    out: list[Suggestion] = []
    # a repetition flag sits on the first match of its rule: let it speak for that span
    flags = sorted(detect(text), key=lambda f: (f.start, f.technique != "repetition", f.end))
    flags = [f for f in flags if f.kind in kinds]
    for flag, placed in zip(flags, place_all(text, flags)):
        if placed is None:
            continue
        start, end, prefix, suffix = placed
        if any(s < end and start < e for s, e in taken):
            continue
        if any(s.flag.kind == flag.kind and s.start < end and start < s.end for s in out):
            continue
        leads: tuple[str, ...] = ()
        if index is not None and flag.kind == UNCITED:
            found = index.rank(text[flag.start:flag.end], limit=MAX_CANDIDATES)
            leads = tuple(f"{c.slug}: “{_short(c.text, 140)}” ({_short(c.summary(), 120)})" for c in found)
        out.append(Suggestion(flag, text[start:end], start, end, prefix, suffix, note_for(flag), leads))
    return out


# ------------------------------------------------------------------------------------ write

def _short(s: str, limit: int) -> str:
    s = " ".join(s.split())
    if len(s) <= limit:
        return s
    cut = s[:limit].rsplit(" ", 1)[0]
    return cut + "…"


def _scalar(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def render(entry_id: str, s: Suggestion, indent: str) -> str:
    f = s.flag
    pad = indent + "  "
    lines = [f"{indent}- id: {entry_id}", f"{pad}kind: {f.kind}"]
    if f.kind == FRAMING:
        lines.append(f"{pad}technique: {f.technique}")
    else:
        lines.append(f"{pad}strength: {f.strength}")
    lines.append(f"{pad}quote: {_scalar(s.quote)}")
    if s.prefix:
        lines.append(f"{pad}prefix: {_scalar(s.prefix)}")
    if s.suffix:
        lines.append(f"{pad}suffix: {_scalar(s.suffix)}")
    lines.append(f"{pad}note: {_scalar(s.note)}")
    lines.append(f"{pad}status: {STATUS}")
    lines.append(f"{pad}author: {AUTHOR}")
    lines.append(f"{pad}rule: {f.rule}")
    lines.append(f"{pad}# evidence: {' '.join(f.evidence.split())}")
    for lead in s.leads:
        lines.append(f"{pad}# rebuttal candidate (check before linking): {' '.join(lead.split())}")
    return "\n".join(lines) + "\n"


def _existing(raw: str, path: Path) -> list[dict]:
    try:
        doc = yaml.safe_load(raw) if raw.strip() else {}
    except yaml.YAMLError as exc:
        raise SystemExit(f"{path}: not valid YAML, fix it before merging suggestions: {exc}")
    if doc is None:
        doc = {}
    if not isinstance(doc, dict):
        raise SystemExit(f"{path}: expected a mapping with an 'annotations:' list")
    items = doc.get("annotations") or []
    if not isinstance(items, list):
        raise SystemExit(f"{path}: 'annotations' must be a list")
    return [e for e in items if isinstance(e, dict)]


def _item_indent(raw: str) -> str:
    m = re.search(r"(?m)^annotations:[ \t]*(?:#.*)?\n(?:[ \t]*(?:#.*)?\n)*([ \t]*)- ", raw)
    return m.group(1) if m else "  "


def _next_number(slug: str, entries: list[dict]) -> int:
    rx = re.compile(rf"^{re.escape(slug)}-auto-(\d+)$")
    numbers = [int(m.group(1)) for e in entries if (m := rx.match(str(e.get("id", ""))))]
    return max(numbers, default=0) + 1


def merge(slug: str, seeds: Path, annotations: Path, with_candidates: bool = True,
          kinds: tuple[str, ...] = (UNCITED, FRAMING), dry_run: bool = False) -> tuple[Path, int, int]:
    """Append new suggestions to ``annotations/<slug>.yml``; return (path, added, flags seen)."""
    seed = seeds / f"{slug}.txt"
    text = seed.read_bytes().decode("utf-8-sig")
    path = annotations / f"{slug}.yml"
    raw = path.read_bytes().decode("utf-8-sig") if path.exists() else ""
    entries = _existing(raw, path)
    others = {}
    if with_candidates:
        for other in sorted(seeds.glob("*.txt")):
            if other.stem != slug:
                others[other.stem] = other.read_bytes().decode("utf-8-sig")
    suggestions = plan(slug, text, entries, others or None, kinds)
    if not suggestions or dry_run:
        return path, len(suggestions), len(suggestions)
    taken_ids = {str(e.get("id")) for e in entries}
    number = _next_number(slug, entries)
    if not raw.strip():
        out = HEADER + "annotations:\n"
        indent = "  "
    else:
        out = raw if raw.endswith("\n") else raw + "\n"
        if re.search(r"(?m)^annotations:[ \t]*(?:\[\s*\]|null|~)?[ \t]*(?:#.*)?$", out) is None:
            raise SystemExit(f"{path}: no top-level 'annotations:' key to add to")
        # an empty list written inline ("annotations: []") becomes a block list; nothing else changes
        out = re.sub(r"(?m)^annotations:[ \t]*(?:\[\s*\]|null|~)[ \t]*$", "annotations:", out, count=1)
        indent = _item_indent(out)
    blocks = []
    for s in suggestions:
        while f"{slug}-auto-{number}" in taken_ids:
            number += 1
        entry_id = f"{slug}-auto-{number}"
        taken_ids.add(entry_id)
        number += 1
        blocks.append(render(entry_id, s, indent))
    new = out + "".join(blocks)
    check = yaml.safe_load(new)
    assert isinstance(check, dict) and len(check.get("annotations") or []) == len(entries) + len(blocks)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".yml.tmp")
    tmp.write_bytes(new.encode("utf-8"))
    tmp.replace(path)
    return path, len(blocks), len(suggestions)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m reading_room.detect.suggest",
                                     description="Merge machine suggestions into annotations/<slug>.yml.")
    parser.add_argument("slug", help="the source's slug (its seed file name without .txt)")
    parser.add_argument("--seeds", default="seeds", type=Path)
    parser.add_argument("--annotations", default="annotations", type=Path)
    parser.add_argument("--kind", choices=[UNCITED, FRAMING], action="append",
                        help="only this kind of flag (repeatable; default both)")
    parser.add_argument("--no-candidates", action="store_true", help="do not list rebuttal candidates")
    parser.add_argument("--dry-run", action="store_true", help="count what would be added, write nothing")
    args = parser.parse_args(argv)
    if not (args.seeds / f"{args.slug}.txt").exists():
        known = ", ".join(sorted(p.stem for p in args.seeds.glob("*.txt"))) or "none"
        print(f"{args.seeds / (args.slug + '.txt')}: no such seed (known: {known})", file=sys.stderr)
        return 2
    kinds = tuple(args.kind) if args.kind else (UNCITED, FRAMING)
    path, added, _ = merge(args.slug, args.seeds, args.annotations, not args.no_candidates, kinds, args.dry_run)
    verb = "would add" if args.dry_run else "added"
    print(f"{path}: {verb} {added} suggestion{'s' if added != 1 else ''} (status: suggested)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
