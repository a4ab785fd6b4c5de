"""The lexicon files (``lexicon/*.yml``) → compiled rules.  Data in, patterns out; no detection here.

Each rule keeps its file, id and the exact entry (word or regex) that matched, so a flag can
say which line of which file fired.
"""

from __future__ import annotations

import re
from re import _parser as sre_parse  # the parser re itself uses: a lexicon's regexes are read, not only run
from dataclasses import dataclass, field, replace
from functools import lru_cache
from functools import reduce
from itertools import chain, count
from operator import or_
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
    if text.isascii() or _FOLDED.search(text) is None:  # translate reads every character: only if needed
        return text.lower()
    return text.translate(ASCII_FOLD).lower()


_FOLDED = re.compile("[" + "".join(chr(c) for c in ASCII_FOLD) + "]")


class Found:
    """The needle pieces a text contains (``PieceFinder``: one bit each, ``bits``), the rules
    they make worth running (``active``, one bit per rule of the lexicon) and whether the text
    has a digit.  It compares, iterates and answers ``in`` as the set of those pieces."""

    __slots__ = ("bits", "active", "digit", "finder")

    def __init__(self, bits: int, active: int, digit: bool, finder: "PieceFinder"):
        self.bits, self.active, self.digit, self.finder = bits, active, digit, finder

    def __iter__(self):
        return iter(self.finder.names(self.bits))

    def __len__(self) -> int:
        return bin(self.bits).count("1")

    def __contains__(self, piece) -> bool:
        at = self.finder.index.get(piece)
        return at is not None and bool(self.bits >> at & 1)

    def __eq__(self, other) -> bool:
        if isinstance(other, Found):
            return self.bits == other.bits and self.finder is other.finder and self.digit == other.digit
        return frozenset(self) == other if isinstance(other, (set, frozenset)) else NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Found({sorted(self)!r}, digit={self.digit})"


_HAS_DIGIT = re.compile(r"\d")
TOKENS_REMEMBERED = 100_000  # the finder's memory of words it has read (a vocabulary, not texts)
CHOSEN_REMEMBERED = 65_536  # its memory of which patterns the pieces found leave, for every rule


class PieceFinder:
    """Which of many needle pieces a lowered text contains, read from its words.

    A piece of letters and digits only is in the text exactly when it is in one of the text's
    words (its maximal runs of ``[a-z0-9]``), so the text is split into words (one C-level
    scan) and the pieces in each word are found once per distinct word and remembered: the same
    words come up sentence after sentence in any prose (the memory is bounded by
    TOKENS_REMEMBERED words, whatever the texts).  A piece with other characters (" the ",
    "per cent", "%") is tested with ``in`` only when the text's words have what it needs
    (``_guard``: " (i.e." needs the word "i", "per cent" a word ending in "per").  The same set as testing each piece with ``in``
    (tests/detect/test_detect_prefilter.py compares them); and a rule none of whose pieces is
    there (and which has no pattern that needs no piece) is not even asked.

    A word's pieces and the rules they wake are kept as one integer (a bit per piece, then a
    bit per rule, then a bit per rule woken only if there is a digit), so a sentence's answer is
    the OR of its words' integers, without a Python loop over them."""

    def __init__(self, rules):
        rules = list(rules)
        # piece -> the rules it makes worth asking: (whatever else the text has, if it has a digit)
        masks: dict[str, tuple[int, int]] = {}
        self.always = 0  # rules with a pattern that needs no piece
        self.with_digit = 0  # rules with a pattern that needs no piece, only a digit
        for rule in rules:
            bit = rule.bit
            if not rule.entries:
                self.always |= bit
            for needs in rule.needs:
                if needs is None or not needs.options:
                    if needs is not None and needs.digit:
                        self.with_digit |= bit
                    else:
                        self.always |= bit
                    continue
                # a rule is asked when one of its patterns' most telling pieces is there (its
                # other needs are for Rule.candidates: common words would wake every rule)
                for piece in wake_option(needs):
                    plain, digit = masks.get(piece, (0, 0))
                    masks[piece] = (plain, digit | bit) if needs.digit else (plain | bit, digit)
            for piece in rule.pieces:
                masks.setdefault(piece, (0, 0))
        self.pieces = tuple(sorted(masks))
        self.index = {p: i for i, p in enumerate(self.pieces)}
        self._width = len(self.pieces)  # the pieces' bits, then the rules' (twice)
        self._rule_width = max([rule.bit.bit_length() for rule in rules] + [1])
        self._piece_mask = (1 << self._width) - 1
        self._rule_mask = (1 << self._rule_width) - 1
        self._entry = {p: (1 << i) | (masks[p][0] << self._width) | (masks[p][1] << (self._width + self._rule_width))
                       for i, p in enumerate(self.pieces)}
        # each rule's pieces as bits (Rule.candidates asks the finder, by the rule's identity)
        self._rules = {id(rule): (rule, _union(1 << self.index[p] for p in rule.pieces)) for rule in rules}
        self._chosen: dict = {}
        self._groups: dict = {}
        words = {p for p in self.pieces if _TOKEN.fullmatch(p)}
        guards = {p: _guard(p) for p in self.pieces if p not in words}
        self.unguarded = tuple(p for p, guard in guards.items() if guard is None)
        # a guard's run -> the pieces it guards, for each way a word can hold it
        self._guarded: dict[str, dict[str, tuple[str, ...]]] = {"exact": {}, "start": {}, "end": {}}
        for p, guard in guards.items():
            if guard is not None:
                how, run = guard
                self._guarded[how][run] = self._guarded[how].get(run, ()) + (p,)
        self._guard_lengths = {how: sorted({len(run) for run in runs}) for how, runs in self._guarded.items()}
        keys = words
        self._words = frozenset(words)
        trie: dict = {}
        for key in sorted(keys):
            node = trie
            for ch in key:
                node = node.setdefault(ch, {})
            node[""] = {}  # a key ends here
        body = _trie_pattern(trie)
        # at each position of a word, the longest key that starts there; every key that starts
        # there is a prefix of that one
        self._rx = re.compile(f"(?=({body}))") if body else None
        self._prefixes = {k: tuple(k[:n] for n in range(1, len(k) + 1) if k[:n] in keys) for k in keys}
        self._words_read: dict[str, tuple[int, tuple[str, ...]]] = {}  # word -> its bits and guards
        self._seen: set[str] = set()  # every run between white space read
        self._bits: dict[str, int] = {}  # run -> its pieces and rules, for the runs that have some
        self._with_bits: set[str] = set()  # the same words, as a set (set & set is one C loop)
        self._guards: dict[str, tuple[str, ...]] = {}  # run -> the pieces it guards
        self._with_guards: set[str] = set()

    def _word(self, token: str) -> tuple[int, tuple[str, ...]]:
        """(the bits of its pieces and rules, the pieces with other characters it guards) of one
        word, remembered."""
        hit = self._words_read.get(token)
        if hit is None:
            keys = {k for longest in self._rx.findall(token) for k in self._prefixes[longest]} if self._rx else ()
            by, size = self._guarded, len(token)
            guarded = by["exact"].get(token, ())
            starts, ends = by["start"], by["end"]
            for n in self._guard_lengths["start"]:  # shortest first: stop at the word's length
                if n > size:
                    break
                if token[:n] in starts:
                    guarded += starts[token[:n]]
            for n in self._guard_lengths["end"]:
                if n > size:
                    break
                if token[-n:] in ends:
                    guarded += ends[token[-n:]]
            if len(self._words_read) >= TOKENS_REMEMBERED:
                self._words_read.clear()
            hit = self._words_read[token] = (_union(self._entry[p] for p in keys), guarded)
        return hit

    def _read(self, chunk: str) -> None:
        """Remember what a run of text between white space holds: its words' pieces and guards."""
        bits, guarded = 0, ()
        for token in _TOKEN.findall(chunk):
            more, guards = self._word(token)
            bits |= more
            guarded += guards
        self._seen.add(chunk)
        if bits:
            self._bits[chunk] = bits
            self._with_bits.add(chunk)
        if guarded:
            self._guards[chunk] = guarded
            self._with_guards.add(chunk)

    def __call__(self, low: str) -> Found:
        # the text's words lie inside its runs between white space, which split() finds faster
        # than a regex finds the words; each run is read once (and remembered, like a word)
        chunks = set(low.split())
        new = chunks - self._seen
        if new:
            if len(self._seen) + len(new) > TOKENS_REMEMBERED:  # bounded, whatever the texts
                for memory in (self._seen, self._bits, self._with_bits, self._guards, self._with_guards):
                    memory.clear()
                new = chunks
            for chunk in new:
                self._read(chunk)
        acc = reduce(or_, map(self._bits.__getitem__, chunks & self._with_bits), 0)
        maybe = set(chain(self.unguarded, *map(self._guards.__getitem__, chunks & self._with_guards)))
        acc = reduce(or_, map(self._entry.__getitem__, filter(low.__contains__, maybe)), acc)
        digit = _HAS_DIGIT.search(low) is not None
        width, rule_mask = self._width, self._rule_mask
        active = (acc >> width) & rule_mask | self.always
        if digit:
            active |= (acc >> (width + self._rule_width)) | self.with_digit
        return Found(acc & self._piece_mask, active, digit, self)

    def names(self, bits: int) -> list[str]:
        """The pieces whose bits are set, in order."""
        out = []
        while bits:  # lowest set bit first (a few of a thousand: not every bit)
            bit = bits & -bits
            out.append(self.pieces[bit.bit_length() - 1])
            bits ^= bit
        return out

    def candidates(self, rule, found: Found):
        """``rule.candidates`` for a text whose pieces are ``found``, remembered by the rule's
        pieces among them (the same few come up sentence after sentence; bounded)."""
        known = self._rules.get(id(rule))
        if known is None or known[0] is not rule:  # a rule this finder was not made with
            return rule.choose(frozenset(p for p in rule.pieces if p in found), found.digit)
        key = (id(rule), found.bits & known[1], found.digit)
        chosen = self._chosen.get(key)
        if chosen is None:
            if len(self._chosen) >= CHOSEN_REMEMBERED:
                self._chosen.clear()
            chosen = self._chosen[key] = rule.choose(frozenset(self.names(key[1])), found.digit)
        return chosen

    def group(self, rules) -> None:
        """Remember ``rules`` (a tuple of rules with distinct bits, in bit order), so that
        ``active`` on it reads the active bits instead of testing every rule."""
        rules = tuple(rules)
        bits = [rule.bit for rule in rules]
        if all(bits) and bits == sorted(set(bits)):
            self._groups[id(rules)] = (rules, _union(bits), {rule.bit: rule for rule in rules})

    def mask(self, rules) -> int:
        """The bits of a group of rules (``group``; every bit for any other), to see at a glance
        whether a text wakes any of them."""
        known = self._groups.get(id(rules))
        return known[1] if known is not None and known[0] is rules else -1

    def active(self, rules, found) -> list:
        """The rules of ``rules`` that may match the text ``found`` was made of (all of them when
        ``found`` is not a ``Found``), in their order."""
        if not isinstance(found, Found):
            return list(rules)
        group = self._groups.get(id(rules))
        if group is None or group[0] is not rules:
            active = found.active
            return [rule for rule in rules if active & rule.bit or not rule.bit]
        out, by_bit = [], group[2]
        bits = found.active & group[1]
        while bits:  # lowest bit first: the rules' order
            bit = bits & -bits
            out.append(by_bit[bit])
            bits ^= bit
        return out


def _guard(piece: str) -> tuple[str, str] | None:
    """What a text that holds ``piece`` (a piece with other characters than letters and digits)
    must have among its words, as ``(how, run)``: the word ``run`` itself ("exact": a run of the
    piece's letters with other characters on both sides, " (i.e." needs the word "i"), a word that
    starts with it ("start": other characters on its left only, " th"), or one that ends with it
    ("end", "per cent" needs a word ending in "per"); an exact run first, then the longest.  None:
    the piece has no letters or digits ("%")."""
    best = None
    for m in _TOKEN.finditer(piece):
        left, right = m.start() > 0, m.end() < len(piece)
        how = "exact" if left and right else "start" if left else "end"
        rank = (how == "exact", len(m.group()))
        if best is None or rank > best[0]:
            best = (rank, how, m.group())
    return (best[1], best[2]) if best else None


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
    None when there is none, or the pattern is unusual.  The most telling of ``requirements``."""
    needs = requirements(rx)
    return _best(list(needs.options)) if needs else None


@dataclass(frozen=True)
class Needs:
    """What every match of a pattern contains: one piece of each option (each a tuple of pieces
    of plain ASCII text, lowered), and a decimal digit (``\\d``) if ``digit``."""

    options: tuple[tuple[str, ...], ...] = ()
    digit: bool = False

    def met(self, found: frozenset, digit: bool) -> bool:
        """Whether a text with these pieces (and a digit or not) may hold a match."""
        return (digit or not self.digit) and all(not found.isdisjoint(o) for o in self.options)


def requirements(rx: re.Pattern) -> Needs | None:
    """Everything ``required`` reads from a pattern, not only its most telling option: a match
    must contain one piece of *every* option (a pattern that opens with "let" and goes on to
    " the " needs both), and a digit when a ``\\d`` is on its required path.  None when the
    pattern is unusual."""
    try:
        tree = sre_parse.parse(rx.pattern, rx.flags)
    except Exception:  # noqa: BLE001 - an unusual pattern is simply run on every sentence
        return None
    return _requirements(tree)


def _requirements(tree) -> Needs:
    options = _options(tree)
    best = _best(options)
    # the other options only where they tell something cheaply: "a" or "s" is in nearly every
    # sentence, and a piece with spaces or punctuation costs a test of its own ("of the ")
    return Needs(tuple(o for o in options if o == best or _telling(o) and all(map(_extra_piece, o))),
                 _DIGIT_OPTION in options)


MIN_PIECE = 3  # the shortest piece of an option that is not a pattern's most telling one


def _extra_piece(piece: str) -> bool:
    return len(piece) >= MIN_PIECE and _TOKEN.fullmatch(piece) is not None


_DIGIT_OPTION = ("\\d",)  # among _options: a \d on the required path (not a piece: never looked for)


# Words in nearly every English sentence: a pattern is woken by an option none of whose pieces
# is made of them only, when it has one ("let the facts" by "let" or "facts", not by " the ").
COMMON_WORDS = frozenset(
    "a an the of to in on at by for with from and or but as is are was were be been it its this that these "
    "those which who not no all has have had he she they we our their there than then also into".split()
)


def wake_option(needs: "Needs") -> tuple[str, ...]:
    """The option of a pattern's needs whose pieces wake its rule (PieceFinder) and choose it
    (Rule.choose): one that is not common, if it has one, else the most telling."""
    return max(needs.options, key=lambda o: (not _common(o), min(map(len, o)), -len(o)))


def _common(option: tuple[str, ...]) -> bool:
    """Whether one of the option's pieces is only common words (and spaces or punctuation)."""
    return any(set(_TOKEN.findall(piece)) <= COMMON_WORDS for piece in option)


def _telling(option: tuple[str, ...]) -> bool:
    return bool(option) and option != _DIGIT_OPTION and all(piece.strip() for piece in option)


def _best(options: list[tuple[str, ...]]) -> tuple[str, ...] | None:
    """The most telling option: the one whose shortest piece is longest (fewest alternatives
    on a tie)."""
    options = [o for o in options if _telling(o)]
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
            elif name == "IN" and len(av) == 1 and str(av[0][0]) == "CATEGORY" and str(av[0][1]) == "CATEGORY_DIGIT":
                close()  # \d: whatever digit it is, the text must have one
                options.append(_DIGIT_OPTION)
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


def word_needs(phrase: str) -> Needs:
    """What every match of a listed word contains: each of its runs of ASCII letters and digits
    (its pattern spells them out, with only spaces, quotes and punctuation between them); for a
    word that is not all ASCII, its ``needle`` alone."""
    if phrase.isascii():
        runs = list(dict.fromkeys(_TOKEN.findall(phrase.lower())))
        best = needle(phrase)
        return Needs(tuple((r,) for r in runs if (r,) == best or len(r) >= MIN_PIECE))
    found = needle(phrase)
    return Needs((found,) if found else ())


QUOTE_CLASS = "[\"“”„‟«»]"
APOS_CLASS = "['’‘]"


@dataclass(frozen=True)
class Rule:
    file: str  # "framing", "facts", ...
    group: str  # "loaded_language" for framing; the group key otherwise
    id: str
    # (entry as written in the file, its regex, the regex's flags); compiled when first chosen
    entries: tuple[tuple[str, str, int], ...]
    entry_kinds: tuple[str, ...] = ()  # "word" or "regex", one per pattern
    unless: tuple[re.Pattern, ...] = ()
    note: str = ""
    quoted: str = "skip"
    extra: dict = field(default_factory=dict, compare=False, hash=False)
    # per pattern, pieces of text of which it cannot match without one (None: any text)
    needles: tuple[tuple[str, ...] | None, ...] = ()
    # per pattern, everything a match needs (every option's pieces, a digit; None: nothing known)
    needs: tuple[Needs | None, ...] = field(default=(), compare=False, hash=False)
    pieces: tuple[str, ...] = field(default=(), compare=False, hash=False)  # every option's pieces
    piece_set: frozenset = field(default=frozenset(), compare=False, hash=False)  # the same, as a set
    bit: int = field(default=0, compare=False, hash=False)  # its place in its lexicon, as 1 << n (PieceFinder)
    # the patterns by the pieces of their most telling option, and those with no option
    wake: dict = field(default_factory=dict, compare=False, hash=False, repr=False)
    free: tuple[int, ...] = field(default=(), compare=False, hash=False)
    chosen: dict = field(default_factory=dict, compare=False, hash=False, repr=False)  # candidates, by pieces found
    kinds: dict = field(default_factory=dict, compare=False, hash=False, repr=False)  # entry -> kind (describe)
    # (entry, compiled) by entry number, None until one is chosen: a listed word's regex is made
    # only for a text that holds its words (most of a lexicon's words never come up in a text,
    # and a first build that detects on one page would pay for all of them)
    compiled: list = field(default_factory=list, compare=False, hash=False, repr=False)

    @property
    def name(self) -> str:
        return f"{self.file}.{self.id}"

    @property
    def patterns(self) -> tuple[tuple[str, re.Pattern], ...]:
        """Every (entry as written in the file, compiled pattern), in the file's order."""
        return tuple(map(self.pattern, range(len(self.entries))))

    def pattern(self, i: int) -> tuple[str, re.Pattern]:
        found = self.compiled[i]
        if found is None:
            entry, source, flags = self.entries[i]
            found = self.compiled[i] = (entry, re.compile(source, flags))
        return found

    def blocked(self, sentence: str) -> bool:
        return any(u.search(sentence) for u in self.unless)

    def describe(self, entry: str) -> str:
        """How an entry reads in an evidence string: a listed word, or a pattern of this rule."""
        kinds = self.kinds
        if not kinds:  # made once: every flag of the rule asks
            kinds.update(zip((e for e, _, _ in self.entries), self.entry_kinds))
        if kinds.get(entry) == "word":
            return f"listed word “{entry}” in lexicon/{self.file}.yml ({self.id})"
        return f"a pattern of {self.id} in lexicon/{self.file}.yml"

    def candidates(self, low: "str | frozenset | Found | None"):
        """The patterns that may match a text whose ``lowered`` form is ``low`` (all, if None), in
        the file's order: a pattern whose needs (``requirements``) the text does not meet cannot
        match, so it is not run.  ``low`` may also be the pieces the text contains (a
        ``PieceFinder``'s ``Found``, found once for every rule, or a set)."""
        if low is None or not self.entries:
            return self.patterns
        if isinstance(low, Found):
            return low.finder.candidates(self, low)
        if isinstance(low, str):
            found = frozenset(filter(low.__contains__, self.pieces))
            digit = _HAS_DIGIT.search(low) is not None
        else:
            found = self.piece_set & low
            digit = True  # a set of pieces does not say
        key = (found, digit)
        chosen = self.chosen.get(key)
        if chosen is None:
            chosen = self.chosen[key] = self.choose(found, digit)
            if len(self.chosen) > 4096:  # bounded, whatever the texts
                self.chosen.clear()
        return chosen

    def choose(self, found: frozenset, digit: bool) -> list:
        """The patterns whose needs a text with the pieces ``found`` (and a digit or not) meets:
        of those whose most telling piece is there (few), or that need none."""
        numbers = set(self.free)
        for piece in found:
            numbers.update(self.wake.get(piece, ()))
        needs = self.needs
        return [self.pattern(i) for i in sorted(numbers) if needs[i] is None or needs[i].met(found, digit)]

    def finditer(self, text: str, low: str | frozenset | None = None, patterns=None):
        """(entry, match) for every match of every pattern (of ``patterns``, if given: what
        ``candidates`` answered), in text order."""
        hits = []
        if patterns is None:
            patterns = low.finder.candidates(self, low) if type(low) is Found else self.candidates(low)
        for entry, rx in patterns:
            for m in rx.finditer(text):
                if m.end() > m.start():
                    hits.append((m.start(), -m.end(), entry, m))
        hits.sort(key=lambda h: (h[0], h[1]))
        return [(entry, m) for _, _, entry, m in hits]

    def search(self, text: str, low: str | frozenset | None = None):
        """The first pattern (in the file's order) that matches, and its first match."""
        for entry, rx in low.finder.candidates(self, low) if type(low) is Found else self.candidates(low):
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
    entries, compiled, kinds, needles, needs = [], [], [], [], []
    for w in spec.get("words", []) or []:
        entries.append((str(w), word_pattern(str(w)), re.IGNORECASE))  # escaped: it compiles
        compiled.append(None)
        kinds.append("word")
        needles.append(needle(str(w)))
        needs.append(word_needs(str(w)))
    for r in spec.get("regex", []) or []:
        # parsed now (a regex that does not parse is the lexicon's error, said when it is read),
        # and what a match needs read from that parse; compiled when first chosen, like a word
        try:
            tree = sre_parse.parse(str(r), flags | re.MULTILINE | re.UNICODE)
        except re.error as exc:
            raise ValueError(_bad_regex(file, spec.get("id"), r, exc)) from None
        entries.append((str(r), str(r), flags | re.MULTILINE))
        compiled.append(None)
        if _LOOK_BEHIND in str(r) or _NOT_BEHIND in str(r):  # its width is checked only by compiling it
            try:
                compiled[-1] = (str(r), re.compile(str(r), flags | re.MULTILINE))
            except re.error as exc:
                raise ValueError(_bad_regex(file, spec.get("id"), r, exc)) from None
        try:
            found = _requirements(tree)
        except Exception:  # noqa: BLE001 - as ``requirements``: an unusual pattern runs on every sentence
            found = None
        needles.append(_best(list(found.options)) if found else None)
        needs.append(found)
        kinds.append("regex")
    unless = tuple(re.compile(str(u), re.IGNORECASE) for u in spec.get("unless", []) or [])
    pieces = {piece for n in needs if n for option in n.options for piece in option}
    return Rule(
        file=file,
        group=group,
        id=str(spec["id"]),
        entries=tuple(entries),
        compiled=compiled,
        entry_kinds=tuple(kinds),
        unless=unless,
        note=str(spec.get("note", "")),
        quoted=str(spec.get("quoted", "skip")),
        extra={k: v for k, v in spec.items() if k not in {"id", "words", "regex", "unless", "note", "quoted", "case"}},
        needles=tuple(needles),
        needs=tuple(needs),
        pieces=tuple(sorted(pieces)),
        piece_set=frozenset(pieces),
        bit=bit,
        wake=_wake(needs),
        free=tuple(i for i, n in enumerate(needs) if n is None or not n.options),
    )


# A regex that parses compiles, but for one thing the parser leaves to the compiler: a
# look-behind must have one width.  So a regex with a look-behind is compiled when it is read.
_LOOK_BEHIND, _NOT_BEHIND = "(?<=", "(?<!"


def _bad_regex(file: str, rule_id, regex, exc: Exception) -> str:
    return f"lexicon/{file}.yml, rule {rule_id!r}: bad regex {regex!r}: {exc}"


def _wake(needs) -> dict[str, tuple[int, ...]]:
    out: dict[str, list[int]] = {}
    for i, n in enumerate(needs):
        if n is not None and n.options:
            for piece in wake_option(n):
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
    citing: tuple[Rule, ...] = field(default=(), compare=False, hash=False)  # cited, then own_research
    # what the detector derives from the lexicon once (rules.py), rather than once per text
    derived: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    def rules(self):
        yield from self.framing
        for group in self.facts.values():
            yield from group
        yield from self.cited + self.own_research + self.continuation + self.vague


def load(directory: str | None = None) -> Lexicon:
    """Read and compile every lexicon file (cached; pass a directory to use other files).
    ``load()`` and ``load(None)`` are one lexicon (the detector asks for one, the notes' writer
    for the other: an lru_cache alone would compile the shipped files twice)."""
    return _compiled(str(directory) if directory else None)


@lru_cache(maxsize=8)
def _compiled(directory: str | None) -> Lexicon:
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
    lexicon = replace(lexicon, citing=lexicon.cited + lexicon.own_research, finder=PieceFinder(lexicon.rules()))
    for group in (lexicon.framing, *lexicon.facts.values(), lexicon.citing, lexicon.continuation, lexicon.vague):
        lexicon.finder.group(group)
    return lexicon


load.cache_clear = _compiled.cache_clear  # type: ignore[attr-defined]
