"""Bytes of a seed file to text.

The seeds are evidence, so decoding never guesses silently: UTF-8 (with or without a BOM) and
UTF-16 with a BOM are read as such; anything else is a ``RoomError`` naming the file and the byte
offset of the first undecodable byte.  Line endings are normalised to ``\\n`` for the converter;
the original bytes stay untouched in ``seeds/`` and are copied as they are into the site.
"""

from __future__ import annotations

import codecs

from .errors import Problem, RoomError


def decode_seed(data: bytes, path: str) -> str:
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise RoomError(
            Problem(
                path,
                line,
                f"cannot be read as {encoding.upper().replace('-SIG', '')}: byte offset {exc.start} "
                f"(0x{data[exc.start]:02x}) is not valid",
                "save the file as UTF-8 (most editors: 'Save with encoding' → UTF-8) and build again",
            )
        ) from None
    return normalise_newlines(text)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
