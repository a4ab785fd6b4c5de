"""The theme's white space, folded: every page is written lighter, and looks the same.

Material's templates indent their markup for people reading them, and Jinja keeps every line:
a page's header, navigation and footer are about 20 KB, a quarter of it runs of spaces and
blank lines — on a source page of 10 KB of text, half a times its weight again.  A run of white
space that holds a line break renders as one space wherever white space collapses, and so does
a single line break: ``fold`` writes each such run as one ``\\n``.

It leaves alone what it cannot be sure of: the article (the source's text, byte for byte as the
room wrote it), and every ``<script>``, ``<style>``, ``<pre>`` and ``<textarea>`` (a script's
hash is in the page's Content-Security-Policy).  The theme writes no line break inside an
attribute's value.  Linear in the page's size.  Pure: text in, text out; the hook
``on_post_page`` calls it.
"""

from __future__ import annotations

import re

_VERBATIM = re.compile(r"<(script|style|pre|textarea)\b.*?</\1\s*>", re.S | re.I)
_RUN = re.compile(r"[ \t\r\f]*\n\s*")  # white space holding at least one line break


def _fold(part: str) -> str:
    out, at = [], 0
    for m in _VERBATIM.finditer(part):
        out.append(_RUN.sub("\n", part[at:m.start()]))
        out.append(m.group(0))
        at = m.end()
    out.append(_RUN.sub("\n", part[at:]))
    return "".join(out)


def fold(html: str) -> str:
    """``html`` with the white space of its template folded, its ``<article>`` as it was."""
    start, end = html.find("<article"), html.rfind("</article>")
    if start == -1 or end < start:
        return _fold(html)
    return _fold(html[:start]) + html[start:end] + _fold(html[end:])
