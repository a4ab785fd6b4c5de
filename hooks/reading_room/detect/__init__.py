"""Machine flags for the reading room: pure detectors over a source's sentences.

* ``sentences`` — the sentence splitter (offsets into the decoded text);
* ``lexicons`` and ``lexicon/*.yml`` — the wording the detectors know, kept as data;
* ``rules`` — ``detect(text) -> list[Flag]`` (framing and uncited flags);
* ``candidates`` — passages in other sources that may rebut a flagged claim;
* ``suggest`` — merge suggestions into ``annotations/<slug>.yml`` as ``status: suggested``.

Command lines: ``python -m reading_room.detect FILE`` (JSON Lines, one flag per line) and
``python -m reading_room.detect.suggest SLUG``.
"""

import hashlib
from pathlib import Path

from .rules import FRAMING, UNCITED, Flag, detect
from .sentences import split

__all__ = ["FRAMING", "UNCITED", "Flag", "detect", "split", "fingerprint"]

_HERE = Path(__file__).resolve().parent


def fingerprint() -> str:
    """A hash of the detector's code and lexicons: put it in any cache key for flags, so an
    editor's change to ``lexicon/*.yml`` (or to the rules) is seen at the next build."""
    h = hashlib.sha256()
    for path in sorted(_HERE.glob("*.py")) + sorted((_HERE / "lexicon").glob("*.yml")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]
