"""What the room adds to the site: generated pages, and the generated parts of hand-written ones.

Pure functions of a ``Room``; the hooks turn each ``GeneratedPage`` into ``File.generated``.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from .inline import escape
from .render import render_source
from .room import Room

SOURCES_DIR = "sources"
ORIGINALS_DIR = "originals"
PLACEHOLDER = re.compile(r"^<!--\s*room:([a-z-]+)\s*-->$", re.M)


@dataclass(frozen=True)
class GeneratedPage:
    uri: str
    content: str | bytes | None = None
    abs_src_path: str | None = None


def source_uri(slug: str) -> str:
    return f"{SOURCES_DIR}/{slug}.md"


def source_url(slug: str, from_uri: str = "") -> str:
    """Relative URL of a source page as built (``use_directory_urls: false``)."""
    target = f"{SOURCES_DIR}/{slug}.html"
    base = posixpath.dirname(from_uri)
    return posixpath.relpath(target, base or ".")


def source_md_link(slug: str, from_uri: str = "") -> str:
    """Relative link to a source page for Markdown, which MkDocs checks and rewrites."""
    return posixpath.relpath(source_uri(slug), posixpath.dirname(from_uri) or ".")


def original_uri(slug: str) -> str:
    return f"{ORIGINALS_DIR}/{slug}.txt"


def pages(room: Room) -> list[GeneratedPage]:
    out = []
    for slug, source in room.sources.items():
        original = posixpath.relpath(original_uri(slug), SOURCES_DIR)
        out.append(GeneratedPage(source_uri(slug), content=render_source(source, original_url=original)))
        out.append(GeneratedPage(original_uri(slug), abs_src_path=str(room.seed_files[slug])))
    return out


def fill_placeholders(markdown: str, page_uri: str, room: Room) -> str:
    def replace(m: re.Match) -> str:
        name = m.group(1)
        maker = PLACEHOLDERS.get(name)
        return maker(room, page_uri) if maker else m.group(0)

    return PLACEHOLDER.sub(replace, markdown)


def sources_table(room: Room, page_uri: str) -> str:
    rows = ["| Source | Author / issuer | Date | Genre | Words |", "|---|---|---|---|---:|"]
    for slug, s in room.sources.items():
        m = s.meta
        link = f"[{_cell(m.title)}]({source_md_link(slug, page_uri)})"
        rows.append(f"| {link} | {_cell(m.author)} | {_cell(m.date)} | {_cell(m.genre)} | {s.word_count:,} |")
    return "\n".join(rows)


def joins_table(room: Room, page_uri: str) -> str:
    rows = ["| Source | Page-break joins | Where (seed lines) |", "|---|---:|---|"]
    for slug, s in room.sources.items():
        where = ", ".join(f"{j.upper_line}+{j.lower_line} ({j.kind})" for j in s.joins) or "none"
        rows.append(f"| [{_cell(s.meta.title)}]({source_md_link(slug, page_uri)}) | {len(s.joins)} | {where} |")
    return "\n".join(rows)


def _cell(text: str) -> str:
    return escape(text).replace("|", "&#124;")


PLACEHOLDERS = {"sources": sources_table, "joins": joins_table}
