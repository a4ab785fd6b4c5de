"""The one error type the room raises, and the collector that gathers every problem of a build.

A problem always names where it comes from (``path:line``), what was expected and a hint, so an
editor can act on it without reading Python.  Nothing in the core raises anything else on bad
input: the hooks turn ``RoomError`` into a ``PluginError`` and ``Problem`` into warnings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Control and bidirectional characters quoted from a file (a seed's text, a note's quote) must
# not reach the terminal as themselves: an escape sequence could rewrite the screen, a bidi
# override could reorder the message.  They are written as <U+…> instead.
_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    return _TERMINAL_UNSAFE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


def shorten(text: str, limit: int = 70) -> str:
    """A passage quoted in a message: on one line, and cut with "…" past ``limit`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# A message lists at most this many places (or names); the rest are counted, so that a quote
# found 240,000 times makes one readable line, not a warning of megabytes.
MAX_LISTED = 10


def listed(items, total: int | None = None, sep: str = "; ", limit: int = MAX_LISTED) -> str:
    """The first ``limit`` of ``items`` joined by ``sep``, then "and N more" for the rest of
    ``total`` (by default, how many items there are)."""
    shown = list(items[:limit]) if hasattr(items, "__getitem__") else [x for _, x in zip(range(limit), items)]
    total = len(items) if total is None else total
    more = total - len(shown)
    return sep.join(shown) + (f"{sep}and {more:,} more" if more > 0 else "")


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    message: str
    hint: str = ""
    note_id: str = ""

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    def __str__(self) -> str:
        text = printable(f"{self.where}: {self.message}")
        return f"{text}\n    hint: {printable(self.hint)}" if self.hint else text


class RoomError(Exception):
    """A problem that stops one file from being read at all (undecodable seed, broken YAML)."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


@dataclass
class Problems:
    """Collects problems so that a build reports all of them in one run, not one per build."""

    items: list[Problem] = field(default_factory=list)

    def add(self, path: str, line: int | None, message: str, hint: str = "", note_id: str = "") -> None:
        self.items.append(Problem(path, line, message, hint, note_id))

    def extend(self, other: "Problems") -> None:
        self.items.extend(other.items)

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)
