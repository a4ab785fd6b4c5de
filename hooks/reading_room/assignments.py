"""Assignments: excerpts of sources, with their margin notes, pulled into a teacher's page."""

from __future__ import annotations


def expand(markdown: str, page_uri: str, room, problems) -> str:
    return markdown
