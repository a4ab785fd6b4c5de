"""The machine flags: pure functions from a source's text to ``Flag`` s.  No MkDocs, no I/O.

``detect(text)`` reads every sentence (``sentences.segments``) except table rows, interview turns,
captions and bibliography entries, and returns two kinds of flag:

* **framing** — a framing rule (``lexicon/framing.yml``) matched words in the author's voice.
  The flag covers the matched words; ``technique`` is the editorial vocabulary.  A match inside
  quotation marks is skipped unless the rule is about quotation marks (scare quotes).  A rule
  listed under ``repetition`` that matches ``min_count`` times in one text fires once more, on its
  first match, as ``repetition``.
* **uncited** — the sentence asserts a checkable fact (``lexicon/facts.yml``: a figure, a dated
  event, a measured change, what people want/feel/do, a sweeping claim) with no citation
  evidence in reach (``lexicon/citations.yml``).  *In reach* is the sentence itself, or the
  sentence just before it in the same paragraph when this one opens by continuing it ("Of these,
  ...", "The report noted ...") — the continued sentence's status (cited or vague) carries over,
  and chains.  A citation that comes after a claim does not cover it.  Strength is ``vague`` when
  the attribution is only gestured at (``lexicon/vague.yml``), else ``unsourced``.  A footnote
  marker counts as a citation only if the text has a note for it.

Facts are looked for after masking what is not the author's claim: quotations, citation
parentheses, italic titles and footnote markers.  Every flag carries the ``rule`` that fired and
the ``evidence`` (the words that matched and why), to show the editor.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

from . import lexicons
from .sentences import Segment, paragraph_spans, segments

FRAMING = "framing"
UNCITED = "uncited"
UNSOURCED = "unsourced"
VAGUE = "vague"
CITED = "cited"

SKIP_KINDS = {"table", "dialogue", "caption"}
FACT_GROUPS = ("figure", "event", "trend", "people", "sweeping")
NOTE_LINE = re.compile(r"(?m)^[ \t]*\[(\d{1,3})\][ \t]+\S")
MARKER = re.compile(r"\[(\d{1,3})\]")
ITALIC_TITLE = re.compile(r"\*[^*\n]{3,}?\*")
BIBLIOGRAPHY = re.compile(r"https?://|^\s*(?:\[\d+\]\s*)?(?:See related discussion in\s+)?[A-Z][\w'’-]+, [A-Z]\.|\(\d{4}[,)]|^\s*\[\d+\]\s*See\b")
OPENING_QUOTES = "“„‟«"
CLOSING_QUOTES = "”»"
_QUOTE_MARK = re.compile("[" + OPENING_QUOTES + CLOSING_QUOTES + '"]')


@dataclass(frozen=True)
class Flag:
    """One machine flag: what kind, where (character offsets into the text), and why."""

    kind: str  # "framing" | "uncited"
    technique: str  # framing only ("" otherwise)
    strength: str  # uncited only: "unsourced" | "vague" ("" otherwise)
    start: int
    end: int
    exact: str
    rule: str  # e.g. "framing.praise", "facts.figure.number-with-unit"
    evidence: str  # the words that matched and why, for the editor

    @property
    def label(self) -> str:
        return self.technique or self.strength

    def to_dict(self) -> dict:
        out = {"kind": self.kind}
        if self.kind == FRAMING:
            out["technique"] = self.technique
        else:
            out["strength"] = self.strength
        out.update(start=self.start, end=self.end, exact=self.exact, rule=self.rule, evidence=self.evidence)
        return out


# ------------------------------------------------------------------------------------------ masks

def quoted_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every quotation, marks included, paired within one raw paragraph.

    Curly quotes pair by direction, straight double quotes in order.  An opening mark that is
    never closed runs to the end of its paragraph (a quoted passage of several sentences); a
    stray closing mark is ignored."""
    spans: list[tuple[int, int]] = []
    for ps, pe in paragraph_spans(text):
        open_at = None
        straight_at = None
        for m in _QUOTE_MARK.finditer(text, ps, pe):  # only the marks, not every character
            ch, i = m.group(), m.start() - ps
            if ch in OPENING_QUOTES:
                if open_at is None:
                    open_at = i
            elif ch in CLOSING_QUOTES:
                if open_at is not None:
                    spans.append((ps + open_at, ps + i + 1))
                    open_at = None
            else:  # a straight double quote
                if straight_at is None:
                    straight_at = i
                else:
                    spans.append((ps + straight_at, ps + i + 1))
                    straight_at = None
        if open_at is not None:
            spans.append((ps + open_at, pe))
        if straight_at is not None and not text[ps:ps + straight_at].strip():
            spans.append((ps + straight_at, pe))
    spans.sort()
    return spans


class Quotes:
    """The quotations of a text (``quoted_spans``), asked about once per match and per sentence:
    a binary search each, so that a text with thousands of quotations stays linear."""

    def __init__(self, spans: list[tuple[int, int]], text: str):
        self.spans = spans
        self.starts = [s for s, _ in spans]
        self.reach = list(accumulate((e for _, e in spans), max))  # the furthest end so far
        # the text with every quotation blanked (line breaks kept), as masked_sentence wants it
        pieces, at = [], 0
        for s, e in spans:
            s = max(s, at)
            if e <= s:
                continue
            pieces += [text[at:s], _BLANKABLE.sub(" ", text[s:e])]
            at = e
        pieces.append(text[at:])
        self.blanked = "".join(pieces)

    def inside(self, start: int, end: int) -> bool:
        """Whether one quotation holds all of [start, end)."""
        i = bisect_right(self.starts, start)  # the quotations that begin at or before start
        return i > 0 and self.reach[i - 1] >= end


_BLANKABLE = re.compile(r"[^\n]")


def _blank(chars: list[str], a: int, b: int) -> None:
    for i in range(max(a, 0), min(b, len(chars))):
        if chars[i] != "\n":
            chars[i] = " "


# ------------------------------------------------------------------------------------------ detect

@dataclass
class _Context:
    text: str
    lex: lexicons.Lexicon
    quotes: Quotes
    notes: set[str]
    _found: dict = None  # lowered text -> the needle pieces in it, for the sentence being read
    sources_in_parentheses: tuple = ()  # the citation rules whose matches masked_sentence blanks
    claims: tuple = ()  # the fact rules of FACT_GROUPS, in that order
    not_a_claim: tuple = ()
    quiet: dict = None
    _last: tuple = (None, None)  # the text asked last, and its pieces

    def __post_init__(self):
        derived = self.lex.derived
        if "claims" not in derived:
            derived["sources_in_parentheses"] = tuple(r for r in self.lex.cited if r.id == "parenthetical-source")
            derived["claims"] = tuple(rule for group in FACT_GROUPS for rule in self.lex.facts.get(group, ()))
            if self.lex.finder is not None:
                self.lex.finder.group(derived["claims"])  # asked by its bits, if they are in order
                self.lex.finder.group(derived["sources_in_parentheses"])
        self.sources_in_parentheses = derived["sources_in_parentheses"]
        self.claims = derived["claims"]
        finder = self.lex.finder
        # groups that most sentences wake no rule of: looked at before they are asked
        self.not_a_claim = self.lex.facts.get("not_a_claim", ())
        self.quiet = {id(g): finder.mask(g) if finder is not None else -1
                      for g in (self.not_a_claim, self.lex.vague, self.lex.continuation, self.sources_in_parentheses)}

    def wakes(self, group, found) -> bool:
        """Whether ``found`` may wake a rule of ``group`` (one of ``quiet``)."""
        return bool(getattr(found, "active", -1) & self.quiet[id(group)])

    def found(self, text: str):
        """The lexicons' needle pieces in ``text`` (lowered), found once for every rule: the
        framing, citation and fact rules all ask about the same sentence."""
        if text is self._last[0]:  # the same string, asked again by the next rule
            return self._last[1]
        if self._found is None or len(self._found) > 16:
            self._found = {}
        hit = self._found.get(text)
        if hit is None:
            hit = self._found[text] = self.lex.finder(lexicons.lowered(text))
        self._last = (text, hit)
        return hit


def _is_bibliography(text: str, seg: Segment) -> bool:
    """A note that lists references (a URL, "Author, A. (2023)") rather than making a claim."""
    if seg.kind != "footnote":
        return False
    para_end = text.find("\n\n", seg.paragraph_start)
    para = text[seg.paragraph_start:para_end if para_end != -1 else len(text)]
    return bool(BIBLIOGRAPHY.search(para))


def detect(text: str, lexicon_dir: str | None = None) -> list[Flag]:
    """Every machine flag in ``text``, ordered by start offset."""
    ctx = _Context(text, lexicons.load(lexicon_dir), Quotes(quoted_spans(text), text), set(NOTE_LINE.findall(text)))
    flags: list[Flag] = []
    prev_status: str | None = None
    prev_paragraph = -1
    for seg in segments(text):
        if seg.paragraph != prev_paragraph:
            prev_status = None
            prev_paragraph = seg.paragraph
        if seg.kind in SKIP_KINDS or _is_bibliography(text, seg):
            prev_status = None
            continue
        sentence = text[seg.start:seg.end]
        flags.extend(framing_flags(ctx, seg, sentence))
        flag, status = uncited_flag(ctx, seg, prev_status, sentence)
        if flag:
            flags.append(flag)
        prev_status = status
    flags.extend(repetition_flags(ctx, flags))
    return _dedupe(flags)


def framing_flags(ctx: _Context, seg: Segment, sentence: str | None = None) -> list[Flag]:
    if sentence is None:
        sentence = ctx.text[seg.start:seg.end]
    low = ctx.found(sentence)
    out = []
    for rule in ctx.lex.finder.active(ctx.lex.framing, low):
        patterns = rule.candidates(low)
        if not patterns or rule.blocked(sentence):  # none of its words here: nothing to flag
            continue
        # One flag per run of this rule's words: a shorter entry inside a longer one adds
        # nothing, and entries that overlap ("remain trapped", "trapped in") make one note.
        spans: list[list] = []  # [start, end, first entry]
        for entry, m in rule.finditer(sentence, low, patterns):
            start, end = seg.start + m.start(), seg.start + m.end()
            start, end = _trim(ctx.text, start, end)
            if spans and end <= spans[-1][1]:
                continue
            if rule.quoted == "skip" and ctx.quotes.inside(start, end):
                continue
            if rule.quoted == "only" and not ctx.quotes.inside(start, end):
                continue
            if spans and start < spans[-1][1]:
                spans[-1][1] = end
            else:
                spans.append([start, end, entry])
        for start, end, entry in spans:
            out.append(Flag(
                FRAMING, rule.group, "", start, end, ctx.text[start:end], rule.name,
                f"{rule.group.replace('_', ' ')}: “{ctx.text[start:end]}” — {rule.describe(entry)}",
            ))
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


_PLAN_YEARS = re.compile(r"\((?:19|20)\d\d\s*(?:to|-|–|/)\s*(?:19|20)\d\d\)")
_ORDINAL = re.compile(r"\b\d+(?:st|nd|rd|th)\b")


def masked_sentence(ctx: _Context, seg: Segment, sentence: str) -> str:
    """The sentence with other people's words and the sources blanked out (same length)."""
    spans = []
    found = ctx.found(sentence)
    for rule in ctx.lex.finder.active(ctx.sources_in_parentheses, found) if ctx.wakes(ctx.sources_in_parentheses, found) else ():
        spans += [m.span() for _, m in rule.finditer(sentence, found)]
    # each pattern below needs one character, looked for first (most sentences have none)
    if "*" in sentence:
        spans += [m.span() for m in ITALIC_TITLE.finditer(sentence)]
    if "[" in sentence:
        spans += [m.span() for m in MARKER.finditer(sentence)]
    if getattr(found, "digit", True):
        # years in a parenthesis after a plan's name: "(2021 to 2025)", "(2016-2020)"
        if "(" in sentence:
            spans += [m.span() for m in _PLAN_YEARS.finditer(sentence)]
        # ordinals and names with numbers that are not figures: "14th Five-Year Plan", "May 1st"
        spans += [m.span() for m in _ORDINAL.finditer(sentence)]
    blanked = ctx.quotes.blanked[seg.start:seg.end]  # other people's words blanked
    if not spans:
        return blanked
    chars = list(blanked)
    for a, b in spans:
        _blank(chars, a, b)
    return "".join(chars)


def fact_match(ctx: _Context, masked: str):
    """(group, rule, matched words) of the first fact rule that fires, or None."""
    low = ctx.found(masked)
    active = ctx.lex.finder.active
    if ctx.wakes(ctx.not_a_claim, low):
        for rule in active(ctx.not_a_claim, low):
            if rule.search(masked, low):
                return None
    for rule in active(ctx.claims, low):  # group by group, in FACT_GROUPS' order
        hit = rule.search(masked, low)  # searched first: most rules find nothing, blocked or not
        if hit and not rule.blocked(masked):
            return rule.group, rule, hit[1].group(0)
    return None


def citation_status(ctx: _Context, sentence: str) -> tuple[str | None, str, bool]:
    """(status, evidence, implies_fact): CITED, VAGUE or None, from the sentence's own words.

    ``implies_fact`` is true when the vague attribution is itself a checkable claim
    ("one worker told the team that ...")."""
    cited = None
    low = ctx.found(sentence)
    for rule in ctx.lex.finder.active(ctx.lex.citing, low):
        hit = rule.search(sentence, low)  # searched first: most rules find nothing, blocked or not
        if hit and not rule.blocked(sentence):
            cited = (rule, hit[1])
            break
    if cited is None and "[" in sentence:
        for m in MARKER.finditer(sentence):
            if m.group(1) in ctx.notes:
                return CITED, f"footnote [{m.group(1)}] has a note", False
    vague = None
    for rule in ctx.lex.finder.active(ctx.lex.vague, low) if ctx.wakes(ctx.lex.vague, low) else ():
        hit = rule.search(sentence, low)
        if hit:
            vague = (rule, hit[1])
            break
    if cited and vague:
        cm, vm = cited[1], vague[1]
        if cm.start() < vm.end() and vm.start() < cm.end():  # the same words: the vague reading wins
            cited = None
    if cited:
        rule, m = cited
        return CITED, f"{rule.name}: “{m.group(0).strip()}”", False
    if vague:
        rule, m = vague
        return VAGUE, f"{rule.name}: “{m.group(0).strip()}”", bool(rule.extra.get("implies_fact"))
    return None, "", False


def _missing_notes(ctx: _Context, sentence: str) -> list[str]:
    if "[" not in sentence:
        return []
    return [m.group(1) for m in MARKER.finditer(sentence) if m.group(1) not in ctx.notes]


def uncited_flag(ctx: _Context, seg: Segment, prev_status: str | None,
                 sentence: str | None = None) -> tuple[Flag | None, str | None]:
    """The sentence's flag (or None) and its citation status, for the next sentence to inherit."""
    if sentence is None:
        sentence = ctx.text[seg.start:seg.end]
    status, evidence, implied = citation_status(ctx, sentence)
    if prev_status and status != CITED:
        opener = sentence.lstrip(" \"“'‘(")
        low = ctx.found(opener)
        for rule in ctx.lex.finder.active(ctx.lex.continuation, low):
            hit = rule.search(opener, low)
            if hit and hit[1].start() == 0:
                if prev_status == CITED or status is None:
                    status = prev_status
                    evidence = f"continues the sentence before ({rule.name}: “{hit[1].group(0)}”)"
                    implied = implied or bool(rule.extra.get("implies_fact"))
                break
    if status == CITED:
        return None, status
    fact = fact_match(ctx, masked_sentence(ctx, seg, sentence))
    if fact is None and implied:
        fact = ("attribution", None, evidence)
    if fact is None:
        return None, status
    group, rule, words = fact
    rule_id = rule.id if rule else "reported-claim"
    strength = VAGUE if status == VAGUE else UNSOURCED
    if strength == VAGUE:
        why = (f"{group}: “{words.strip()}”; the source is only gestured at ({evidence})" if rule
               else f"a reported claim whose source is only gestured at ({evidence})")
    else:
        missing = _missing_notes(ctx, sentence)
        if missing:
            why = (f"{group}: “{words.strip()}”; footnote marker [{missing[0]}] but the document has "
                   f"no note [{missing[0]}]")
        else:
            why = f"{group}: “{words.strip()}”; no footnote, source in parentheses or named source in reach"
    return Flag(UNCITED, "", strength, seg.start, seg.end, sentence, f"uncited.{group}.{rule_id}", why), status


def repetition_flags(ctx: _Context, flags: list[Flag]) -> list[Flag]:
    spec = ctx.lex.repetition
    if not spec:
        return []
    threshold = int(spec.get("min_count", 0) or 0)
    wanted = {f"framing.{r}" for r in spec.get("rules", []) or []}
    by_rule: dict[str, list[Flag]] = {}
    for f in flags:
        if f.kind == FRAMING and f.rule in wanted:
            by_rule.setdefault(f.rule, []).append(f)
    out = []
    for rule, found in by_rule.items():
        if threshold and len(found) >= threshold:
            first = min(found, key=lambda f: f.start)
            words = sorted({f.exact.lower() for f in found})
            shown = ", ".join(f"“{w}”" for w in words[:5]) + (", …" if len(words) > 5 else "")
            out.append(Flag(
                FRAMING, "repetition", "", first.start, first.end, first.exact, f"{rule}.repetition",
                f"repetition: {len(found)} matches of {rule} across the text ({shown})",
            ))
    return out


def _dedupe(flags: list[Flag]) -> list[Flag]:
    seen = set()
    out = []
    for f in sorted(flags, key=lambda f: (f.start, f.end, f.kind, f.label, f.rule)):
        key = (f.kind, f.label, f.start, f.end)
        if key in seen:
            continue
        seen.add(key)
        out.append(f)
    return out


def as_dicts(flags: list[Flag]) -> list[dict]:
    return [f.to_dict() for f in flags]


__all__ = ["Flag", "detect", "quoted_spans", "as_dicts", "FRAMING", "UNCITED", "UNSOURCED", "VAGUE"]
