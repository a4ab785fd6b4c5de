"""Rebuttal candidates: passages in *other* sources that share a flagged claim's subject.

Pure ranking, for the editor only: a candidate is a place to look, never a link by itself (the
standard asks for a note that says what is in tension, which only a reader can write).

A claim and a passage (one sentence of another source) are compared on what makes two claims
about "the same thing" checkable against each other:

* **figures with the same unit** — "151,000 ... labor force" and "600,000 Uighurs" both count
  people; the same unit scores, the same or a close number (within 15%) scores more;
* **named programmes and policies** — capitalised names with a programme word ("Pairing
  Assistance program", "Poverty Alleviation Through Labor Transfer") and quoted terms;
* **places** — capitalised names ending in County, Prefecture, City, Province, Town, Township,
  Village or Region, and other capitalised names;
* **years** — the same year, or overlapping ranges;
* **disputed concepts** — ``lexicon/concepts.yml`` (voluntariness, freedom of movement, wages,
  ...), which lets "all voluntary" meet "coercive transfers" with no figure in common; a
  concept alone scores less than any of the above.

Counting units are compared with care: persons and person-times are different units, so the
pair scores as related, not equal, and the reason says so (the standard's lesson: say what each
counts).

Names are weighted by how rare they are across all the passages compared (a name every source
uses, like "Xinjiang", counts for little).  A passage with none of these in common is never
returned, however many ordinary words it shares.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from pathlib import Path

import yaml

from .sentences import segments

UNITS = {
    "percent": ("%", "percent", "per cent", "percentage point", "percentage points"),
    "yuan": ("yuan", "rmb"),
    "person-times": ("person-times", "person-sessions"),
    "people": ("people", "persons", "workers", "laborers", "labourers", "employees", "villagers", "labor",
               "labour", "surplus labor", "rural surplus labor",
               "residents", "uyghurs", "uighurs", "women", "farmers", "households", "labor force",
               "surplus laborers", "rural laborers", "cadres", "trainees", "students", "children",
               "respondents", "jobs", "new jobs", "families"),
    "enterprises": ("enterprises", "companies", "factories", "businesses"),
    "places": ("counties", "villages", "prefectures", "townships", "provinces"),
}
SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
NUMBER = re.compile(
    r"(?<![\w.])(?:RMB\s?)?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(thousand|million|billion)?\s*"
    r"(%|percent|per cent|percentage points?|yuan|RMB|person-times|person-sessions|"
    r"(?:(?:[a-z-]+\s+){0,2}?)(?:people|persons|workers|laborers|labourers|employees|villagers|residents|labou?r|"
    r"Uyghurs|Uighurs|women|farmers|households|labor force|cadres|trainees|students|children|respondents|"
    r"jobs|families|enterprises|companies|factories|businesses|counties|villages|prefectures|townships|provinces))",
    re.IGNORECASE,
)
RMB = re.compile(r"\bRMB\s?(\d[\d,]*(?:\.\d+)?)\s*(thousand|million|billion)?", re.IGNORECASE)
YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?:\s*(?:to|-|–|/)\s*((?:19|20)\d\d))?(?!\d)")
PLACE = re.compile(
    r"\b((?:[A-Z][a-z’'-]+\s){0,3}[A-Z][a-z’'-]+)\s(County|Prefecture|City|Province|Town|Township|Village|Region|Autonomous Region)\b"
)
PROGRAMME_WORDS = ("Program", "Programme", "Plan", "Policy", "Initiative", "Assistance", "Alleviation",
                   "Mechanism", "System", "Centers", "Centres", "Act", "Law", "Convention", "Report", "Campaign")
NAME = re.compile(r"\b([A-Z][a-z’'-]+(?:\s+(?:of|and|for|on|the|Through|through)?\s*[A-Z][a-z’'-]+)+)")
QUOTED = re.compile(r"[“\"]([^”\"]{4,80})[”\"]")
ACRONYM = re.compile(r"\b([A-Z]{3,}s?)\b")
LEADING = {"Under", "Since", "During", "After", "Before", "Within", "Through", "Among", "Of", "And", "But", "While",
           "Although", "When", "With", "From", "To", "According"}
STOP_NAMES = {"The", "This", "These", "In", "On", "At", "By", "From", "Since", "For", "It", "As", "A", "An",
              "China", "Chinese", "Xinjiang", "Uyghur", "Uygur", "Uighur", "PRC", "CPC", "CCP", "XUAR", "However"}

W_SAME_NUMBER = 3.0
W_CLOSE_NUMBER = 2.0
W_SAME_UNIT = 0.75
W_YEAR = 0.75
W_PLACE = 1.5
W_PROGRAMME = 2.0
W_NAME = 1.0
W_CONCEPT = 0.75
W_SAME_NOUN = 0.5  # the same counted thing: "rural surplus laborers" and "surplus rural workers"
GENERIC_WORDS = {"million", "billion", "thousand", "people", "persons", "percent", "%", "yuan", "rmb", "of", "the"}
W_RELATED_UNIT = 0.5  # persons against person-times
RELATED_UNITS = {frozenset({"people", "person-times"})}
CONCEPTS_FILE = Path(__file__).resolve().parent / "lexicon" / "concepts.yml"
CLOSE = 0.15
MIN_CHARS = 30


@dataclass(frozen=True)
class Figure:
    value: float
    unit: str
    text: str


@dataclass(frozen=True)
class Features:
    figures: tuple[Figure, ...]
    years: frozenset[int]
    places: frozenset[str]
    programmes: frozenset[str]
    names: frozenset[str]
    concepts: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Candidate:
    slug: str
    start: int
    end: int
    text: str
    score: float
    shared: dict = field(default_factory=dict, compare=False, hash=False)  # reason → items

    def summary(self) -> str:
        parts = [f"{k}: {', '.join(v)}" for k, v in self.shared.items() if v]
        return "; ".join(parts)


def _stems(stems) -> re.Pattern:
    alts = "|".join(re.escape(str(s)).replace(r"\ ", r"\s+") for s in stems)
    return re.compile(rf"(?<!\w)(?:{alts})", re.IGNORECASE)


def load_concepts(path: Path = CONCEPTS_FILE) -> dict[str, re.Pattern]:
    """concept (or "concept:pole") → pattern.  A two-pole concept gives two entries."""
    with open(path, encoding="utf-8") as fh:
        doc = yaml.safe_load(fh) or {}
    out = {}
    for name, spec in (doc.get("concepts") or {}).items():
        if isinstance(spec, dict):
            for pole, stems in spec.items():
                out[f"{name}:{pole}"] = _stems(stems)
        else:
            out[str(name)] = _stems(spec)
    return out


_CONCEPTS: dict[str, re.Pattern] | None = None


def concepts() -> dict[str, re.Pattern]:
    global _CONCEPTS
    if _CONCEPTS is None:
        _CONCEPTS = load_concepts()
    return _CONCEPTS


NEGATED = re.compile(r"(?:\b(?:not|no|never|oppose[sd]?|opposes|against|den(?:y|ies|ied)|forbids?|prohibits?|"
                     r"so-called|false|claims? of|accused|allegations? of)\W+(?:\w+\W+){0,2}|[“\"'‘])$", re.IGNORECASE)


def _asserted(rx: re.Pattern, text: str, polar: bool) -> bool:
    """Does the text use the concept's words in its own voice?  For a two-pole concept a
    negated or quoted use ("opposes forced labor", 'so-called "forced labor"') does not count."""
    for m in rx.finditer(text):
        if not polar or not NEGATED.search(text[max(0, m.start() - 40):m.start()]):
            return True
    return False


def _unit_of(word: str) -> str | None:
    w = " ".join(word.lower().split())
    for unit, names in UNITS.items():
        if w in names or any(w.endswith(" " + n) or w == n for n in names):
            return unit
    return None


def _value(number: str, scale: str | None) -> float:
    v = float(number.replace(",", ""))
    return v * SCALE.get((scale or "").lower(), 1.0)


def features(text: str) -> Features:
    figures = []
    for m in NUMBER.finditer(text):
        unit = _unit_of(m.group(3))
        if unit is None:
            continue
        figures.append(Figure(_value(m.group(1), m.group(2)), unit, m.group(0).strip()))
    for m in RMB.finditer(text):
        figures.append(Figure(_value(m.group(1), m.group(2)), "yuan", m.group(0).strip()))
    years = set()
    for m in YEAR.finditer(text):
        a = int(m.group(1))
        b = int(m.group(2)) if m.group(2) else a
        if a <= b <= a + 30:
            years.update(range(a, b + 1))
        else:
            years.add(a)
    places = {f"{m.group(1)} {m.group(2)}" for m in PLACE.finditer(text)}
    programmes, names = set(), set()
    for m in NAME.finditer(text):
        words = m.group(1).split()
        while words and (words[0] in STOP_NAMES or words[0] in LEADING or words[0].islower()):
            words = words[1:]
        while words and words[-1].islower():
            words = words[:-1]
        if len(words) < 2:
            continue
        name = " ".join(words)
        if any(w in name.split() for w in PROGRAMME_WORDS):
            programmes.add(name.lower())
        else:
            names.add(name.lower())
    for m in QUOTED.finditer(text):
        term = " ".join(m.group(1).split()).strip(" ,.").lower()
        if term:
            programmes.add(term)
    for m in ACRONYM.finditer(text):
        if m.group(1) not in STOP_NAMES:
            names.add(m.group(1).rstrip("s").lower())
    found = frozenset(name for name, rx in concepts().items() if _asserted(rx, text, ":" in name))
    places_l = frozenset(p.lower() for p in places)
    return Features(tuple(figures), frozenset(years), places_l,
                    frozenset(programmes), frozenset(names) - places_l, found)


def passages(text: str) -> list[tuple[int, int]]:
    """The sentences of a source that can be candidates (no table rows, captions or headings)."""
    return [(s.start, s.end) for s in segments(text)
            if s.kind not in ("table", "caption", "heading") and s.end - s.start >= MIN_CHARS]


def _idf(df: Counter, n: int, item: str) -> float:
    return math.log((n + 1) / (df[item] + 0.5))


def score(claim: Features, other: Features, df: Counter, n: int) -> tuple[float, dict]:
    total = 0.0
    shared: dict[str, list[str]] = {"figures": [], "programmes": [], "places": [], "years": [], "names": []}
    units_done = set()
    for a in claim.figures:
        best = 0.0
        best_text = ""
        for b in other.figures:
            related = frozenset({a.unit, b.unit}) in RELATED_UNITS
            if a.unit != b.unit and not related:
                continue
            close = max(a.value, b.value) and abs(a.value - b.value) / max(a.value, b.value) <= CLOSE
            if related:
                s = W_CLOSE_NUMBER * 0.75 if close else W_RELATED_UNIT
                label = f"{a.text} ~ {b.text} (persons vs person-times: different units)"
            else:
                s = W_SAME_NUMBER if a.value == b.value else W_CLOSE_NUMBER if close else (
                    W_SAME_UNIT if a.unit not in units_done else 0.0)
                label = f"{a.text} ~ {b.text}"
            nouns_a = set(a.text.lower().split()[1:]) - GENERIC_WORDS
            nouns_b = set(b.text.lower().split()[1:]) - GENERIC_WORDS
            if s and nouns_a & nouns_b:
                s += W_SAME_NOUN
            if s > best:
                best, best_text = s, label
        if best:
            total += best
            units_done.add(a.unit)
            shared["figures"].append(best_text)
    for item in sorted(claim.programmes & other.programmes):
        total += W_PROGRAMME * min(2.0, _idf(df, n, "p:" + item))
        shared["programmes"].append(item)
    for item in sorted(claim.places & other.places):
        total += W_PLACE * max(1.0, min(2.0, _idf(df, n, "l:" + item)))
        shared["places"].append(item)
    years = sorted(claim.years & other.years)
    if years:
        total += W_YEAR * min(3, len(years))
        shared["years"].append(f"{years[0]}" if len(years) == 1 else f"{years[0]}–{years[-1]}")
    for item in sorted(claim.names & other.names):
        total += W_NAME * min(2.0, _idf(df, n, "n:" + item))
        shared["names"].append(item)
    topics_a = {c.split(":")[0] for c in claim.concepts}
    topics_b = {c.split(":")[0] for c in other.concepts}
    common = sorted(topics_a & topics_b)
    if common:
        total += W_CONCEPT * len(common)
        opposed = sorted(
            c for c in common
            if {p for p in claim.concepts if p.startswith(c + ":")} - {p for p in other.concepts if p.startswith(c + ":")}
            and {p for p in other.concepts if p.startswith(c + ":")} - {p for p in claim.concepts if p.startswith(c + ":")}
        )
        total += W_CONCEPT * len(opposed)
        shared["concepts"] = [c + (" (opposite wording)" if c in opposed else "") for c in common]
    specific = shared["figures"] or shared["programmes"] or shared["places"] or shared["years"] or common
    return (total if specific else 0.0), {k: v for k, v in shared.items() if v}


class Index:
    """The passages of other sources, with their features computed once."""

    def __init__(self, others: dict[str, str]):
        self.pool = []
        for slug, text in sorted(others.items()):
            for a, b in passages(text):
                self.pool.append((slug, a, b, text[a:b], features(text[a:b])))
        self.df: Counter = Counter()
        for *_, f in self.pool:
            self.df.update({"p:" + p for p in f.programmes})
            self.df.update({"l:" + p for p in f.places})
            self.df.update({"n:" + p for p in f.names})

    def rank(self, claim: str, limit: int = 5, min_score: float = 2.0) -> list[Candidate]:
        """Best first; when nothing reaches ``min_score``, passages sharing only a disputed
        concept are offered instead (they are weaker leads, and their score says so)."""
        claim_f = features(claim)
        strong, weak = [], []
        for slug, a, b, passage, f in self.pool:
            s, shared = score(claim_f, f, self.df, len(self.pool))
            if s >= min_score:
                strong.append(Candidate(slug, a, b, passage, round(s, 3), shared))
            elif s >= W_CONCEPT and "concepts" in shared:
                weak.append(Candidate(slug, a, b, passage, round(s, 3), shared))
        out = strong or weak
        out.sort(key=lambda c: (-c.score, c.slug, c.start))
        return _diverse(out, limit)


def _diverse(ranked: list[Candidate], limit: int) -> list[Candidate]:
    """The best passage of each source first (by score), then the rest in score order, so one
    long source cannot fill every slot."""
    firsts, rest, seen = [], [], set()
    for c in ranked:
        (rest if c.slug in seen else firsts).append(c)
        seen.add(c.slug)
    return (firsts + rest)[:limit] if len(firsts) < limit else firsts[:limit]


def rank(claim: str, others: dict[str, str], limit: int = 5, min_score: float = 2.0) -> list[Candidate]:
    """Passages of ``others`` ({slug: text}) that share the claim's subject, best first."""
    return Index(others).rank(claim, limit=limit, min_score=min_score)


def claim_of(flag, text: str) -> str:
    """The claim a flag stands for: its whole sentence (a framing flag covers only words)."""
    for s in segments(text):
        if s.start <= flag.start < s.end:
            return text[s.start:max(s.end, flag.end)]
    return text[flag.start:flag.end]


def for_flag(flag, text: str, others: dict[str, str] | Index, limit: int = 5) -> list[Candidate]:
    """Candidates in other sources for a flag of ``text``."""
    index = others if isinstance(others, Index) else Index(others)
    return index.rank(claim_of(flag, text), limit=limit)
