"""Generated overview pages for teachers and readers (All flags, Disputed figures, Rebuttals
side by side, Search notes).  Pure functions of a ``Room``."""

from __future__ import annotations


def pages(room) -> list:
    return []
