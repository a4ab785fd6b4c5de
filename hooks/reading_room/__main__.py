"""``python -m reading_room check`` and ``python -m reading_room export DIR``: see ``cli``."""

import sys

from .cli import main

if __name__ == "__main__":  # the detector's worker processes import this module again, as __mp_main__
    sys.exit(main())
