"""Text of one block → HTML, with emphasis, footnote references and note highlights.

Everything that is not markup we create is escaped, and the ASCII punctuation that Markdown,
pymdown-extensions or Material could read as syntax (``* _ [ ] { } : = ~ ^ $ | # ` \\``) is
written as a numeric character reference.  Python-Markdown then passes it through as text, so a
seed line such as ``!!! note``, ``{: .x}``, ``:smile:`` or ``==mark==`` reaches the reader
exactly as typed and never becomes markup.

Ranges may overlap (two notes on one passage, a note across an emphasis); the text is cut at
every range boundary and each piece is wrapped in the ranges that cover it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SYNTAX = "&<>\"*_[]{}:=~^$|#`\\"
_ESCAPES = {ord(ch): f"&#{ord(ch)};" for ch in SYNTAX}
_ESCAPES.update({ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;"})

FOOTNOTE_REF = re.compile(r"\[(\d{1,3})\]")


def escape(text: str) -> str:
    """Escape text so neither HTML nor any Markdown extension can read it as syntax."""
    return text.translate(_ESCAPES)


def attr(text: str) -> str:
    """Escape a value for a double-quoted HTML attribute."""
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass(frozen=True)
class Wrap:
    """Markup around ``[start, end)``; lower ``layer`` wraps outside higher."""

    start: int
    end: int
    open: str
    close: str
    layer: int = 0
    first_open: str = ""  # used instead of ``open`` on the first piece (e.g. to carry an id once)


def render(text: str, wraps: list[Wrap] | tuple[Wrap, ...] = ()) -> str:
    """Escape ``text`` and apply ``wraps``; a zero-width wrap inserts ``open + close`` at its point."""
    inserts = sorted((w for w in wraps if w.end == w.start), key=lambda w: (w.start, w.layer))
    wraps = [w for w in wraps if w.end > w.start]
    if not wraps and not inserts:
        return escape(text)
    cuts = sorted({0, len(text), *(w.start for w in wraps), *(w.end for w in wraps), *(w.start for w in inserts)})
    out = [w.open + w.close for w in inserts if w.start == 0]
    opened: set[int] = set()
    for a, b in zip(cuts, cuts[1:]):
        piece = escape(text[a:b])
        covering = sorted((w for w in wraps if w.start <= a and w.end >= b), key=lambda w: (w.layer, w.start, -w.end))
        for w in reversed(covering):
            first = w.first_open and id(w) not in opened
            opened.add(id(w))
            piece = f"{w.first_open if first else w.open}{piece}{w.close}"
        out.append(piece)
        out.extend(w.open + w.close for w in inserts if w.start == b)
    return "".join(out)


def emphasis_wraps(block) -> list[Wrap]:
    return [
        Wrap(e.start, e.end, "<strong>" if e.strong else "<em>", "</strong>" if e.strong else "</em>", layer=2)
        for e in block.emphasis
    ]


def footnote_wraps(text: str, present: set[str], skip_leading: bool = False) -> list[Wrap]:
    """Link ``[n]`` to its note where the document has one; mark it missing where it has none."""
    wraps, seen = [], set()
    for m in FOOTNOTE_REF.finditer(text):
        if skip_leading and m.start() == 0:
            continue
        n = m.group(1)
        if n in present:
            ident = "" if n in seen else f' id="fnref-{n}"'
            seen.add(n)
            wraps.append(Wrap(m.start(), m.end(), f'<a class="rr-fnref" href="#fn-{n}"{ident}>', "</a>", layer=3))
        else:
            wraps.append(
                Wrap(
                    m.start(),
                    m.end(),
                    f'<span class="rr-fnref rr-fnref--missing" title="Note {n} is not included in the source">',
                    '<span class="rr-sr"> (note not included in the source)</span></span>',
                    layer=3,
                )
            )
    return wraps
