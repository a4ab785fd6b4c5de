"""Text of one block → HTML, with emphasis, footnote references and note highlights.

Everything that is not markup we create is escaped, and the ASCII punctuation that Markdown,
pymdown-extensions or Material could read as syntax (``* _ [ ] { } : = ~ ^ $ | # ` \\``) is
written as a numeric character reference.  Python-Markdown then passes it through as text, so a
seed line such as ``!!! note``, ``{: .x}``, ``:smile:`` or ``==mark==`` reaches the reader
exactly as typed and never becomes markup.

Characters that would hide or reorder words (``decode.HIDDEN``: controls, zero-width and
bidirectional formatting characters) never reach the page as themselves: each becomes an empty
``<span class="rr-invisible" data-char="U+…">`` that the stylesheet shows as ``[U+…]``, so the
reader sees that something is there, and copying a passage copies the words without it.

Ranges may overlap (two notes on one passage, a note across an emphasis); the text is cut at
every range boundary and each piece is wrapped in the ranges that cover it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from .decode import HIDDEN, char_name, is_hidden

SYNTAX = "&<>\"*_[]{}:=~^$|#`\\"
_ESCAPES = {ord(ch): f"&#{ord(ch)};" for ch in SYNTAX}
_ESCAPES.update({ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;"})
# Python-Markdown turns every tab of a page into spaces before it reads it; as a character
# reference, a tab of the seed stays a tab in the page's text (where another client anchors)
_ESCAPES[ord("\t")] = "&#9;"

FOOTNOTE_REF = re.compile(r"\[(\d{1,3})\]")
# a missing note's reference: the stylesheet says " (note not included in the source)" after it,
# to screen readers only, so that the words are not part of the page's text
SAID_AFTER = "rr-fnref rr-fnref--missing"


def escape(text: str) -> str:
    """Escape text so neither HTML nor any Markdown extension can read it as syntax."""
    return show_hidden(text.translate(_ESCAPES))


def show_hidden(escaped: str) -> str:
    """Replace each hidden character of already escaped text by its visible marker."""
    return HIDDEN.sub(_marker, escaped) if HIDDEN.search(escaped) else escaped


def _marker(m: re.Match) -> str:
    ch = m.group()
    if not is_hidden(m):
        return ch
    return (f'<span class="rr-invisible" data-char="U+{ord(ch):04X}" '
            f'title="{char_name(ch)}: invisible in the source"></span>')


# what a YAML double-quoted scalar cannot hold even escaped, beyond ``HIDDEN``
_UNPRINTABLE = re.compile("[\ud800-\udfff\ufffe\uffff]")


def title_text(text: str) -> str:
    """A title for the page's front matter: the theme puts it into ``<title>``, the header and
    the navigation of every page without escaping, so it is escaped here, and a hidden
    character is written as ``[U+…]`` (markup cannot show inside ``<title>``)."""
    out = html.escape(text, quote=True)
    out = HIDDEN.sub(lambda m: f"[U+{ord(m.group()):04X}]" if is_hidden(m) else m.group(), out)
    return _UNPRINTABLE.sub(lambda m: f"[U+{ord(m.group()):04X}]", out)


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
    """Escape ``text`` and apply ``wraps``; a zero-width wrap inserts ``open + close`` at its point.

    One sweep over the cut points, so a block with thousands of ranges (a long line full of
    footnote marks or asterisks) costs no more than its length.
    """
    inserts: dict[int, list[Wrap]] = {}
    for w in sorted((w for w in wraps if w.end == w.start), key=lambda w: (w.start, w.layer)):
        inserts.setdefault(w.start, []).append(w)
    ranges = [w for w in wraps if w.end > w.start]
    if not ranges and not inserts:
        return escape(text)
    cuts = sorted({0, len(text), *(w.start for w in ranges), *(w.end for w in ranges), *inserts})
    by_start = sorted(range(len(ranges)), key=lambda i: ranges[i].start)
    out = [w.open + w.close for w in inserts.get(0, ())]
    opened: set[int] = set()
    active: list[int] = []  # indices into ``ranges`` of the ranges open at the current cut
    next_start = 0
    for a, b in zip(cuts, cuts[1:]):
        while next_start < len(by_start) and ranges[by_start[next_start]].start <= a:
            active.append(by_start[next_start])
            next_start += 1
        active = [i for i in active if ranges[i].end > a]
        piece = escape(text[a:b])
        # cuts fall on every range boundary, so a range open at ``a`` covers the whole piece
        covering = sorted(active, key=lambda i: (ranges[i].layer, ranges[i].start, -ranges[i].end, i))
        for i in reversed(covering):
            w = ranges[i]
            first = w.first_open and i not in opened
            opened.add(i)
            piece = f"{w.first_open if first else w.open}{piece}{w.close}"
        out.append(piece)
        out.extend(w.open + w.close for w in inserts.get(b, ()))
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
                    f'<span class="{SAID_AFTER}" title="Note {n} is not included in the source">',
                    "</span>",
                    layer=3,
                )
            )
    return wraps


def quiet_link(cls: str, href: str, name: str, extra: str = "") -> str:
    """A link that adds no text to the page: its sign (¶, ↩) is drawn by the stylesheet
    (``::before``, with empty alternative text), so the article's text stays the seed's; its
    name is its ``title`` (one copy of the words, not two: every paragraph and note has one)."""
    return f'<a class="{cls}" href="{href}" title="{name}"{extra}></a>'
