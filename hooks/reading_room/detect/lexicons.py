"""The lexicon files (``lexicon/*.yml``) → compiled rules.  Data in, patterns out; no detection here.

Each rule keeps its file, id and the exact entry (word or regex) that matched, so a flag can
say which line of which file fired.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import chain, count
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent / "lexicon"
# The characters that a case-insensitive pattern takes for an ASCII letter, though they are not
# ASCII (tests/detect/test_detect_prefilter.py finds them all): mapped to it before lowering,
# so that a listed word's letters are in the lowered text wherever its pattern can match.
ASCII_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u212a": "k", "\u017f": "s"})
_TOKEN = re.compile(r"[a-z0-9]+")


def lowered(text: str) -> str:
    """``text`` as the listed words' needles are looked for in it."""
    return text.translate(ASCII_FOLD).lower()


class Found(frozenset):
    """The needle pieces a text contains (``PieceFinder``), with the rules they make worth
    running (``active``, one bit per rule of the lexicon)."""

    __slots__ = ("active",)


class PieceFinder:
    """Which of many needle pieces a lowered text contains, in one scan of it.

    One regex, a trie of every piece tried at every position (a lookahead, so that overlapping
    pieces are all seen): at each position it yields the longest piece that starts there, and
    every piece that starts there is a prefix of that one.  The same set as testing each piece
    with ``in`` (tests/detect/test_detect_prefilter.py compares them), at a quarter of the cost
    for the 700 pieces of the shipped lexicons; and a rule none of whose pieces is there (and
    which has no pattern without one) is not even asked."""

    def __init__(self, rules):
        masks: dict[str, int] = {}
        self.always = 0
        for rule in rules:
            bit = rule.bit
            if rule.always or not rule.needles:
                self.always |= bit
            for piece in rule.pieces:
                masks[piece] = masks.get(piece, 0) | bit
        self.pieces = tuple(sorted(masks))
        trie: dict = {}
        for piece in self.pieces:
            node = trie
            for ch in piece:
                node = node.setdefault(ch, {})
            node[""] = {}  # a piece ends here
        body = _trie_pattern(trie)
        self.rx = re.compile(f"(?=({body}))") if body else None
        # a piece found at a position brings every piece that is a prefix of it, and their rules
        self.prefixes = {p: frozenset(q for q in self.pieces if p.startswith(q)) for p in self.pieces}
        self.masks = {p: _union(masks[q] for q in self.prefixes[p]) for p in self.pieces}

    def __call__(self, low: str) -> Found:
        longest = set(self.rx.findall(low)) if self.rx is not None else ()
        found = Found(chain.from_iterable(self.prefixes[p] for p in longest))
        found.active = _union(self.masks[p] for p in longest) | self.always
        return found

    def active(self, rules, found) -> list:
        """The rules of ``rules`` that may match the text ``found`` was made of (all of them when
        ``found`` is not a ``Found``), in their order."""
        if not isinstance(found, Found):
            return list(rules)
        active = found.active
        return [rule for rule in rules if active & rule.bit or not rule.bit]


def _union(masks) -> int:
    out = 0
    for mask in masks:
        out |= mask
    return out


def _trie_pattern(node: dict) -> str:
    """The regex of a trie's continuations: longer pieces first (greedy), so a match is the
    longest piece at its position."""
    alts = [re.escape(ch) + _trie_pattern(child) for ch, child in sorted(node.items()) if ch]
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    return f"(?:{body})?" if "" in node else body


def required(rx: re.Pattern) -> tuple[str, ...] | None:
    """Pieces of plain ASCII text (lowered) of which every match of ``rx`` contains at least one,
    read from the parsed pattern: a run of literals in sequence (at its top level, in groups, in
    repeats that occur at least once), or one such run from each branch of an alternation;
    None when there is none, or the pattern is unusual."""
    try:
        from re import _parser as sre_parse  # the parser re itself uses
        tree = sre_parse.parse(rx.pattern, rx.flags)
    except Exception:  # noqa: BLE001 - an unusual pattern is simply run on every sentence
        return None
    return _best(_options(tree))


def _best(options: list[tuple[str, ...]]) -> tuple[str, ...] | None:
    """The most telling option: the one whose shortest piece is longest (fewest alternatives
    on a tie)."""
    options = [o for o in options if o and all(piece.strip() for piece in o)]
    return max(options, key=lambda o: (min(map(len, o)), -len(o))) if options else None


def _options(items) -> list[tuple[str, ...]]:
    options: list[tuple[str, ...]] = []
    current: list[str] = []

    def close() -> None:
        if current:
            options.append(("".join(current),))
            current.clear()

    def walk(items) -> None:
        for op, av in items:
            name = str(op)
            if name == "LITERAL" and av < 128 and chr(av) != "\n":
                current.append(chr(av).lower())
            elif name == "SUBPATTERN":
                walk(av[-1])
            elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1 and av[0] == av[1]:
                for _ in range(av[0]):
                    walk(av[2])
            elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1:
                close()
                walk(av[2])  # its first time round is required
                close()
            elif name == "BRANCH":
                close()
                pieces: list[str] = []
                for branch in av[1]:
                    best = _best(_options(branch))
                    if best is None:  # a branch with no literal: the alternation tells nothing
                        pieces = []
                        break
                    pieces.extend(best)
                if pieces:
                    options.append(tuple(sorted(set(pieces))))
            else:  # AT, ASSERT, ASSERT_NOT (zero-width), IN, ANY, ...: the run stops here
                close()
    walk(items)
    close()
    return options


def needle(phrase: str) -> tuple[str, ...] | None:
    """The longest run of ASCII letters and digits in a listed word: its pattern can match only
    where the lowered text contains it (None: the word has no such run)."""
    runs = _TOKEN.findall(phrase.lower()) if phrase.isascii() else [
        r for r in _TOKEN.findall(phrase.lower()) if r.isascii()]
    return (max(runs, key=len),) if runs else None
QUOTE_CLASS = "[\"“”„‟«»]"
APOS_CLASS = "['’‘]"


@dataclass(frozen=True)
class Rule:
    file: str  # "framing", "facts", ...
    group: str  # "loaded_language" for framing; the group key otherwise
    id: str
    patterns: tuple[tuple[str, re.Pattern], ...]  # (entry as written in the file, compiled)
    entry_kinds: tuple[str, ...] = ()  # "word" or "regex", one per pattern
    unless: tuple[re.Pattern, ...] = ()
    note: str = ""
    quoted: str = "skip"
    extra: dict = field(default_factory=dict, compare=False, hash=False)
    # per pattern, pieces of text of which it cannot match without one (None: any text)
    needles: tuple[tuple[str, ...] | None, ...] = ()
    pieces: tuple[str, ...] = field(default=(), compare=False, hash=False)  # every needle's pieces
    piece_set: frozenset = field(default=frozenset(), compare=False, hash=False)  # the same, as a set
    by_piece: dict = field(default_factory=dict, compare=False, hash=False)  # piece -> pattern numbers
    always: tuple[int, ...] = field(default=(), compare=False, hash=False)  # patterns with no needle
    bit: int = field(default=0, compare=False, hash=False)  # its place in its lexicon, as 1 << n (PieceFinder)
    chosen: dict = field(default_factory=dict, compare=False, hash=False, repr=False)  # candidates, by pieces found

    @property
    def name(self) -> str:
        return f"{self.file}.{self.id}"

    def blocked(self, sentence: str) -> bool:
        return any(u.search(sentence) for u in self.unless)

    def describe(self, entry: str) -> str:
        """How an entry reads in an evidence string: a listed word, or a pattern of this rule."""
        kinds = dict(zip((e for e, _ in self.patterns), self.entry_kinds))
        if kinds.get(entry) == "word":
            return f"listed word “{entry}” in lexicon/{self.file}.yml ({self.id})"
        return f"a pattern of {self.id} in lexicon/{self.file}.yml"

    def candidates(self, low: str | frozenset | None):
        """The patterns that may match a text whose ``lowered`` form is ``low`` (all, if None), in
        the file's order: a pattern none of whose needle's pieces is in the text cannot match,
        so it is not run.  ``low`` may also be the set of pieces the text contains (a
        ``PieceFinder``'s answer), found once for every rule."""
        if low is None or not self.needles:
            return self.patterns
        if isinstance(low, str):
            found = frozenset(filter(low.__contains__, self.pieces))
        else:
            found = self.piece_set & low
        chosen = self.chosen.get(found)  # the same few pieces come up sentence after sentence
        if chosen is None:
            numbers = set(self.always)
            for piece in found:
                numbers.update(self.by_piece[piece])
            chosen = self.chosen[found] = [self.patterns[i] for i in sorted(numbers)]
            if len(self.chosen) > 4096:  # bounded, whatever the texts
                self.chosen.clear()
        return chosen

    def finditer(self, text: str, low: str | frozenset | None = None, patterns=None):
        """(entry, match) for every match of every pattern (of ``patterns``, if given: what
        ``candidates`` answered), in text order."""
        hits = []
        for entry, rx in self.candidates(low) if patterns is None else patterns:
            for m in rx.finditer(text):
                if m.end() > m.start():
                    hits.append((m.start(), -m.end(), entry, m))
        hits.sort(key=lambda h: (h[0], h[1]))
        return [(entry, m) for _, _, entry, m in hits]

    def search(self, text: str, low: str | frozenset | None = None):
        """The first pattern (in the file's order) that matches, and its first match."""
        for entry, rx in self.candidates(low):
            m = rx.search(text)
            if m:
                return entry, m
        return None


def word_pattern(phrase: str) -> str:
    """A literal phrase → a whole-word regex; spaces match any white space, quotes are loose."""
    out = []
    for ch in phrase:
        if ch.isspace():
            if not out or out[-1] != r"\s+":
                out.append(r"\s+")
        elif ch in "'’‘":
            out.append(APOS_CLASS)
        elif ch in "\"“”":
            out.append(QUOTE_CLASS)
        else:
            out.append(re.escape(ch))
    body = "".join(out)
    left = r"(?<!\w)" if phrase[:1].isalnum() else ""
    right = r"(?!\w)" if phrase[-1:].isalnum() else ""
    return left + body + right


def _compile(spec: dict, file: str, group: str, bit: int = 0) -> Rule:
    flags = 0 if spec.get("case") else re.IGNORECASE
    patterns, kinds, needles = [], [], []
    for w in spec.get("words", []) or []:
        patterns.append((str(w), re.compile(word_pattern(str(w)), re.IGNORECASE)))
        kinds.append("word")
        needles.append(needle(str(w)))
    for r in spec.get("regex", []) or []:
        try:
            patterns.append((str(r), re.compile(str(r), flags | re.MULTILINE)))
        except re.error as exc:
            raise ValueError(f"lexicon/{file}.yml, rule {spec.get('id')!r}: bad regex {r!r}: {exc}") from None
        needles.append(required(patterns[-1][1]))
        kinds.append("regex")
    unless = tuple(re.compile(str(u), re.IGNORECASE) for u in spec.get("unless", []) or [])
    return Rule(
        file=file,
        group=group,
        id=str(spec["id"]),
        patterns=tuple(patterns),
        entry_kinds=tuple(kinds),
        unless=unless,
        note=str(spec.get("note", "")),
        quoted=str(spec.get("quoted", "skip")),
        extra={k: v for k, v in spec.items() if k not in {"id", "words", "regex", "unless", "note", "quoted", "case"}},
        needles=tuple(needles),
        pieces=tuple(sorted({piece for n in needles if n for piece in n})),
        piece_set=frozenset(piece for n in needles if n for piece in n),
        by_piece=_by_piece(needles),
        always=tuple(i for i, n in enumerate(needles) if n is None),
        bit=bit,
    )


def _by_piece(needles) -> dict[str, tuple[int, ...]]:
    out: dict[str, list[int]] = {}
    for i, n in enumerate(needles):
        for piece in n or ():
            out.setdefault(piece, []).append(i)
    return {piece: tuple(ids) for piece, ids in out.items()}


def _load(name: str, directory: Path) -> dict:
    with open(directory / f"{name}.yml", encoding="utf-8") as fh:
        # libyaml's parser when PyYAML has it (its wheels do): the same documents, read ten
        # times faster, which a build with a source to detect on pays before its first page
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}


@dataclass(frozen=True)
class Lexicon:
    framing: tuple[Rule, ...]
    repetition: dict
    facts: dict  # group → tuple[Rule]
    cited: tuple[Rule, ...]
    own_research: tuple[Rule, ...]
    continuation: tuple[Rule, ...]
    vague: tuple[Rule, ...]
    finder: PieceFinder | None = field(default=None, compare=False, hash=False)  # every rule's pieces

    def rules(self):
        yield from self.framing
        for group in self.facts.values():
            yield from group
        yield from self.cited + self.own_research + self.continuation + self.vague


@lru_cache(maxsize=8)
def load(directory: str | None = None) -> Lexicon:
    """Read and compile every lexicon file (cached; pass a directory to use other files)."""
    d = Path(directory) if directory else HERE
    numbers = count()

    def compiled(spec: dict, file: str, group: str) -> Rule:
        return _compile(spec, file, group, 1 << next(numbers))

    framing_doc = _load("framing", d)
    framing = tuple(compiled(s, "framing", s["technique"]) for s in framing_doc.get("rules", []))
    facts_doc = _load("facts", d)
    facts = {g: tuple(compiled(s, "facts", g) for s in rules or []) for g, rules in facts_doc.items()}
    cit = _load("citations", d)
    vague = _load("vague", d)
    lexicon = Lexicon(
        framing=framing,
        repetition=framing_doc.get("repetition", {}) or {},
        facts=facts,
        cited=tuple(compiled(s, "citations", "cited") for s in cit.get("cited", []) or []),
        own_research=tuple(compiled(s, "citations", "own_research") for s in cit.get("own_research", []) or []),
        continuation=tuple(compiled(s, "citations", "continuation") for s in cit.get("continuation", []) or []),
        vague=tuple(compiled(s, "vague", "vague") for s in vague.get("vague", []) or []),
    )
    return replace(lexicon, finder=PieceFinder(lexicon.rules()))
