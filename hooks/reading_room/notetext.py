"""The text of a note → safe HTML: emphasis and links only; everything else is shown as typed.

Notes are written by editors (and by the detector), so they are treated as untrusted: raw HTML
is escaped and a link is kept only when it points at http(s), mailto, or a relative address.
A refused link (``javascript:``, ``data:`` …) is shown as its text, never as a link.  Hidden
characters (bidi overrides, zero-width spaces) are shown as markers, as in the source text.
"""

from __future__ import annotations

import html
import re

from .inline import show_hidden

LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
STRONG = re.compile(r"(?<![\w*])\*\*(?=\S)(.+?)(?<=\S)\*\*(?![\w*])")
EM = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])|(?<![\w])_(?=\S)(.+?)(?<=\S)_(?![\w])")
SAFE_SCHEMES = ("http:", "https:", "mailto:")
LINE_BREAKS = re.compile(r"[\r\n\x0b\x0c\x85\u2028\u2029]+")


def safe_url(url: str) -> bool:
    # unescaped until nothing changes: "&amp;#106;avascript:" is a script link in disguise
    previous, decoded = None, url
    while decoded != previous:
        previous, decoded = decoded, html.unescape(decoded)
    compact = re.sub(r"[\s\x00-\x1f]", "", decoded).lower()
    if ":" not in compact.split("/")[0].split("#")[0].split("?")[0]:
        return True  # relative address or fragment
    return compact.startswith(SAFE_SCHEMES)


def note_html(text: str) -> str:
    # one line: a line break (a YAML "\r" too) could end the raw HTML block the note sits in,
    # and Markdown would then read the rest of the note as Markdown, links and all
    text = LINE_BREAKS.sub(" ", text)
    escaped = show_hidden(html.escape(text, quote=True))

    def link(m: re.Match) -> str:
        label, url = m.group(1), m.group(2)
        if not safe_url(url):
            return m.group(0)  # shown as typed: the link is refused
        return f'<a href="{url}">{label}</a>'

    out = LINK.sub(link, escaped)
    out = STRONG.sub(r"<strong>\1</strong>", out)
    out = EM.sub(lambda m: f"<em>{m.group(1) or m.group(2)}</em>", out)
    return out


def note_text(text: str) -> str:
    """Plain text of a note (for the JSON-LD export and search snippets)."""
    out = LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})", text)
    out = STRONG.sub(r"\1", out)
    return EM.sub(lambda m: m.group(1) or m.group(2), out)
