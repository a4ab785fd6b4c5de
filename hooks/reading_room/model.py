"""The source model: small frozen dataclasses that remember where they came from.

A ``Source`` is a list of ``Block`` s, each the smallest unit a reader can link to and a note can
anchor on (a heading, a paragraph, a list item, a dialogue turn, a caption, a table, a footnote).
``Block.text`` is the text as the page shows it: the seed's line breaks inside a paragraph become
single spaces, and the asterisks of paired emphasis are taken out (``emphasis`` keeps where they
were).  Every block keeps its seed line range, and every decision that is not literal copying is
recorded as a ``Join``, so tests and the About page can list them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class Span:
    """A half-open character range ``[start, end)`` in a block's text."""

    start: int
    end: int


@dataclass(frozen=True)
class Emphasis(Span):
    strong: bool = False


@dataclass(frozen=True)
class Block:
    kind: str  # heading | paragraph | item | dialogue | caption | table | pre | footnote | contents
    text: str
    path: str
    first_line: int
    last_line: int
    level: int = 0  # heading level (2–4)
    group: int = 0  # consecutive list items / contents entries share a group
    speaker: str = ""  # dialogue: the label before the colon, e.g. "Worker A"
    caption_of: str = ""  # caption: "table" or "chart"
    rows: tuple[tuple[str, ...], ...] = ()  # table cells
    number: str = ""  # footnote number
    emphasis: tuple[Emphasis, ...] = ()
    id: str = ""

    @property
    def lines(self) -> str:
        if self.first_line == self.last_line:
            return str(self.first_line)
        return f"{self.first_line}-{self.last_line}"


@dataclass(frozen=True)
class Join:
    """Two seed blocks that a page break split mid-sentence, set again as one."""

    path: str
    upper_line: int  # last line of the upper part
    lower_line: int  # first line of the lower part
    kind: str  # the kind of block they were joined into


@dataclass(frozen=True)
class Meta:
    title: str
    author: str = "not stated"
    publisher: str = "not stated"
    date: str = "not stated"
    genre: str = "not stated"
    stance: str = "not stated"
    original_file: str = "not stated"
    sha256: str = "not stated"
    headnote: str = ""
    collection: str = ""  # the collection the library lists it in; "" for none
    path: str = ""  # the metadata file, or "" when the seed has none


@dataclass(frozen=True)
class Source:
    slug: str
    path: str
    meta: Meta
    blocks: tuple[Block, ...]
    joins: tuple[Join, ...] = ()
    sha256: str = ""
    footnotes_present: bool = False

    @cached_property  # the home page, the provenance panel and the counts table all ask
    def word_count(self) -> int:
        return sum(len(b.text.split()) for b in self.blocks) if self.blocks else 0

    def block(self, block_id: str) -> Block | None:
        return next((b for b in self.blocks if b.id == block_id), None)


@dataclass(frozen=True)
class RawBlock:
    """Lines of the seed between blank lines, before any structure is recovered."""

    first_line: int
    lines: tuple[str, ...] = field(default_factory=tuple)

    @property
    def last_line(self) -> int:
        return self.first_line + len(self.lines) - 1
