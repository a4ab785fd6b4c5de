"""Machine flags on the site: the detector's suggestions for sources that have no curated notes.

A source that an editor has annotated shows only what is in its annotation file (including
entries that ``make suggest`` wrote there with ``status: suggested``, which the page hides by
default).  A source nobody has annotated yet — a teacher's sixth ``.txt`` — gets the detector's
flags as its margin, on by default, each marked "suggested by the room's detector" with the
rule that fired.  Flags the page cannot place exactly (a span across two blocks, a repeated
phrase with no telling context) are counted, not guessed.
"""

from __future__ import annotations

from . import cache
from .anchor import Anchor, SourceText, match_quote
from .notes import Note, Selector

PROSE = {"paragraph", "item", "dialogue"}

def flags_for(text: str, cache_dir):
    from .detect import detect, fingerprint  # the detector's lexicons load on first use only

    digest = cache.key("flags", fingerprint(), text)
    return cache.cached(cache_dir, "flags", digest, lambda: detect(text))


def machine_notes(slug: str, path: str, text: str, source_text: SourceText, cache_dir) -> tuple[list[Note], int]:
    """Suggested notes anchored in ``source_text``, and how many flags could not be placed."""
    from .detect.suggest import place

    notes, dropped = [], 0
    kinds = {b.id: b.kind for b in source_text.blocks}
    for flag in flags_for(text, cache_dir):
        where = place(text, flag)
        selector = Selector(text[where[0]:where[1]], where[2], where[3]) if where else None
        anchor = match_quote(source_text, selector) if selector else None
        if not isinstance(anchor, Anchor):
            dropped += 1
            continue
        if kinds.get(anchor.block_id) not in PROSE:
            continue  # titles, captions and notes sections assert nothing worth a flag
        line = text.count("\n", 0, flag.start) + 1
        why = (flag.evidence or flag.rule).rstrip(".")
        notes.append(Note(
            id=f"auto-{slug}-{flag.kind[0]}{flag.start}", kind=flag.kind, selector=selector,
            body=f"{why[:1].upper()}{why[1:]}.",
            source=slug, path=path, line=line, quote_line=line, technique=flag.technique,
            strength=flag.strength, status="suggested", author="detector", rule=flag.rule,
        ))
    return notes, dropped
