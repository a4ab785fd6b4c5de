"""The shared vocabulary of the annotation layer, from the room's editorial standard.

One place for the kinds, techniques and strengths, so the loader, the schema test, the legend,
the About page and the detectors all speak the same words.
"""

from __future__ import annotations

KINDS = {
    "framing": ("Framing", "Wording that steers the reader's judgement beyond what the evidence in the passage supports."),
    "uncited": ("Uncited", "A statement of fact given without a source at that point, or with one that cannot be checked."),
    "rebuttal": ("Rebuttal", "A passage in another document that disputes, contradicts or materially qualifies this one."),
    "slip": ("Slip", "A neutral note on a typo, a mistranslation, a wrong date or an internal inconsistency."),
}

TECHNIQUES = {
    "loaded_language": ("loaded language", 'emotive words carrying a verdict ("brilliant achievements", "insidious")'),
    "name_calling": ("name calling / labelling", 'a label in place of an argument ("anti-China forces", "propaganda")'),
    "scare_quotes": ("scare quotes", "quotation marks that mock or dismiss a term"),
    "euphemism": ("euphemism", "a mild term for a harsh thing, or the reverse"),
    "exaggeration_minimisation": ("exaggeration / minimisation", '"virtually nonexistent", "the world\'s largest", "unabated"'),
    "whataboutism": ("whataboutism", "answering a charge by pointing to someone else's conduct"),
    "appeal_to_authority": ("appeal to authority", "a claim rests on who said it, not on evidence shown"),
    "black_and_white": ("black-and-white", "only two options offered where more exist"),
    "motive_attribution": ("motive attribution", 'assigning hidden motives to the other side ("ulterior motives")'),
    "self_characterisation": ("self-characterisation", "the text declares its own neutrality or rigour"),
    "slogan": ("slogan / cliché", "a set phrase that ends thought"),
    "causal_oversimplification": ("causal oversimplification", "one cause offered for a complex outcome"),
    "doubt": ("doubt", "casting doubt on a source without engaging its evidence"),
    "repetition": ("repetition", "the same framing phrase hammered across the text"),
}

STRENGTHS = {
    "unsourced": ("unsourced", "no footnote, no parenthetical source, no named report"),
    "vague": ("vaguely sourced", 'a source is gestured at but cannot be checked ("relevant departments", "one scholar said")'),
}

STATUSES = ("curated", "suggested")
