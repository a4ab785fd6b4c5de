"""``python -m reading_room check`` and ``python -m reading_room export DIR``: see ``cli``."""

import sys

from .cli import main

sys.exit(main())
