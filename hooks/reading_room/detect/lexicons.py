"""The lexicon files (``lexicon/*.yml``) → compiled rules.  Data in, patterns out; no detection here.

Each rule keeps its file, id and the exact entry (word or regex) that matched, so a flag can
say which line of which file fired.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent / "lexicon"
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

    def finditer(self, text: str):
        """(entry, match) for every match of every pattern, in text order."""
        hits = []
        for entry, rx in self.patterns:
            for m in rx.finditer(text):
                if m.end() > m.start():
                    hits.append((m.start(), -m.end(), entry, m))
        hits.sort(key=lambda h: (h[0], h[1]))
        return [(entry, m) for _, _, entry, m in hits]

    def search(self, text: str):
        for entry, rx in self.patterns:
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


def _compile(spec: dict, file: str, group: str) -> Rule:
    flags = 0 if spec.get("case") else re.IGNORECASE
    patterns, kinds = [], []
    for w in spec.get("words", []) or []:
        patterns.append((str(w), re.compile(word_pattern(str(w)), re.IGNORECASE)))
        kinds.append("word")
    for r in spec.get("regex", []) or []:
        try:
            patterns.append((str(r), re.compile(str(r), flags | re.MULTILINE)))
        except re.error as exc:
            raise ValueError(f"lexicon/{file}.yml, rule {spec.get('id')!r}: bad regex {r!r}: {exc}") from None
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
    )


def _load(name: str, directory: Path) -> dict:
    with open(directory / f"{name}.yml", encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


@dataclass(frozen=True)
class Lexicon:
    framing: tuple[Rule, ...]
    repetition: dict
    facts: dict  # group → tuple[Rule]
    cited: tuple[Rule, ...]
    own_research: tuple[Rule, ...]
    continuation: tuple[Rule, ...]
    vague: tuple[Rule, ...]


@lru_cache(maxsize=8)
def load(directory: str | None = None) -> Lexicon:
    """Read and compile every lexicon file (cached; pass a directory to use other files)."""
    d = Path(directory) if directory else HERE
    framing_doc = _load("framing", d)
    framing = tuple(_compile(s, "framing", s["technique"]) for s in framing_doc.get("rules", []))
    facts_doc = _load("facts", d)
    facts = {g: tuple(_compile(s, "facts", g) for s in rules or []) for g, rules in facts_doc.items()}
    cit = _load("citations", d)
    vague = _load("vague", d)
    return Lexicon(
        framing=framing,
        repetition=framing_doc.get("repetition", {}) or {},
        facts=facts,
        cited=tuple(_compile(s, "citations", "cited") for s in cit.get("cited", []) or []),
        own_research=tuple(_compile(s, "citations", "own_research") for s in cit.get("own_research", []) or []),
        continuation=tuple(_compile(s, "citations", "continuation") for s in cit.get("continuation", []) or []),
        vague=tuple(_compile(s, "vague", "vague") for s in vague.get("vague", []) or []),
    )
