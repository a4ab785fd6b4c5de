"""Machine flags for the reading room: pure detectors over a source's sentences.

* ``sentences`` — the sentence splitter (offsets into the decoded text);
* ``lexicons`` and ``lexicon/*.yml`` — the wording the detectors know, kept as data;
* ``rules`` — ``detect(text) -> list[Flag]`` (framing and uncited flags);
* ``candidates`` — passages in other sources that may rebut a flagged claim;
* ``suggest`` — merge suggestions into ``annotations/<slug>.yml`` as ``status: suggested``.

Command lines: ``python -m reading_room.detect FILE`` (JSON Lines, one flag per line) and
``python -m reading_room.detect.suggest SLUG``.
"""

from .rules import FRAMING, UNCITED, Flag, detect
from .sentences import split

__all__ = ["FRAMING", "UNCITED", "Flag", "detect", "split"]
