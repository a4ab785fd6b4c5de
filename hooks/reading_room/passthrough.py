"""The room's raw HTML blocks, kept out of Python-Markdown's way and put back after it.

A page the room generates is mostly raw HTML: every paragraph of a source, with its highlights,
markers and margin notes, is one block of HTML that Python-Markdown passes through untouched.
Passing it through is still most of a build: Python-Markdown reads every raw block with its
HTML parser, tag by tag, to find where the block ends (in a 500-source room, about half of the
whole build), only to give the same text back.  ``split`` replaces each such block with a
one-word placeholder paragraph and ``restore`` puts the blocks back into the HTML that Markdown
made of the rest (the headings, whose ids, permalinks and table of contents Markdown still
makes).  Python-Markdown itself keeps raw HTML the same way (a placeholder paragraph that its
last step replaces), so the page comes out byte for byte as before; the tests compare both
ways on every page of several rooms.

Only blocks whose end is certain are taken: a chunk between blank lines that opens with a
block-level tag and ends with that tag's closing tag, and asks for no Markdown inside
(``markdown="1"``), every line of which starts with a tag.  Anything else is left for Markdown.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

# block-level tags whose raw HTML Python-Markdown passes through whole (a subset of its list:
# the ones the room writes)
BLOCK_TAGS = frozenset({"div", "p", "aside", "section", "footer", "header", "figure", "table", "ul", "ol",
                        "dl", "form", "nav", "blockquote", "details", "pre"})
_OPENING = re.compile(r"<([a-z]+)[\s>]")


@dataclass(frozen=True)
class Split:
    skeleton: str  # the Markdown to convert: the page with each kept block a placeholder word
    blocks: dict[str, str]  # placeholder word → the raw HTML block it stands for
    placeholder: re.Pattern

    def restore(self, html: str) -> str:
        """The HTML Markdown made of ``skeleton``, with every block back in its place."""
        if not self.blocks:
            return html
        return self.placeholder.sub(lambda m: self.blocks.get(m.group(1), m.group(0)), html)


def split(markdown: str) -> Split:
    # a word no page can hold by chance: the hash of the page's own Markdown
    nonce = "rrraw" + hashlib.blake2b(markdown.encode("utf-8", "surrogatepass"), digest_size=6).hexdigest()
    chunks = markdown.split("\n\n")
    blocks: dict[str, str] = {}
    for i, chunk in enumerate(chunks):
        body = chunk.lstrip("\n")
        state = _shape(body)
        if state is OPEN:  # Markdown reads on to the closing tag, past blank lines: leave the rest to it
            break
        if state is WHOLE:
            word = f"{nonce}x{i}"
            end = body.rstrip("\n")
            # as Python-Markdown keeps a raw block: with the line break before the blank line
            blocks[word] = end + "\n" if i + 1 < len(chunks) else end
            chunks[i] = chunk[:len(chunk) - len(body)] + word + body[len(end):]
    return Split("\n\n".join(chunks), blocks, re.compile(rf"<p>({nonce}x\d+)</p>"))


WHOLE, OPEN, OTHER = "whole", "open", "other"


def _shape(body: str) -> str:
    """WHOLE: one element of a block-level tag, closed at the chunk's end; OPEN: a block-level
    element the chunk does not close; OTHER: anything else (Markdown, or raw HTML left to it)."""
    m = _OPENING.match(body)
    if not m or m.group(1) not in BLOCK_TAGS:
        return OTHER
    tag, end = m.group(1), body.rstrip("\n")
    depth, closed_early = 0, False
    for t in re.finditer(rf"<(/?){tag}[\s>]", end):
        depth += -1 if t.group(1) else 1
        if depth == 0 and t.end() < len(end):
            closed_early = True
    if depth > 0:
        return OPEN
    if closed_early or not end.endswith(f"</{tag}>") or "markdown=" in end:
        return OTHER
    # every line a tag's: a line of plain text inside would still be one raw block, but keep to
    # what the room writes
    return WHOLE if all(line.startswith("<") for line in end.split("\n")) else OTHER
