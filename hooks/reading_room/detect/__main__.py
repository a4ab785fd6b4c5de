"""``python -m reading_room.detect FILE`` — the machine flags of one text, as JSON Lines.

One flag per line: ``{"kind": "uncited"|"framing", "technique"|"strength": ..., "start": int,
"end": int, "exact": "...", "rule": "...", "evidence": "..."}``.  Offsets are characters of the
file decoded as UTF-8 (a BOM, if any, removed; nothing else changed), so
``text[start:end] == exact``.  Exit status 0 on success, 2 when the file cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .rules import detect


def read_text(path: str) -> str:
    return Path(path).read_bytes().decode("utf-8-sig")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reading_room.detect", description=__doc__.split("\n\n")[0])
    parser.add_argument("file", help="a plain-text source (UTF-8)")
    parser.add_argument("--kind", choices=["uncited", "framing"], help="only flags of this kind")
    args = parser.parse_args(argv)
    try:
        text = read_text(args.file)
    except OSError as exc:
        print(f"{args.file}: cannot read: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except UnicodeDecodeError as exc:
        print(f"{args.file}: not UTF-8 (byte offset {exc.start}); save it as UTF-8", file=sys.stderr)
        return 2
    out = sys.stdout
    try:
        for flag in detect(text):
            if args.kind and flag.kind != args.kind:
                continue
            out.write(json.dumps(flag.to_dict(), ensure_ascii=False) + "\n")
        out.flush()
    except BrokenPipeError:  # `... | head`: the reader has gone, which is not an error
        sys.stderr.close()
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
