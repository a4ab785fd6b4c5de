"""Bytes of a seed or annotation file to text, and the characters in it that a reader cannot see.

The seeds are evidence, so decoding never guesses silently.  The rules, in order:

1. A byte-order mark decides: UTF-8, UTF-16 or UTF-32 with a BOM is read as such.
2. A file that is valid UTF-8 is UTF-8 — unless a quarter of its bytes are 0x00, which is
   UTF-16 saved without a BOM: refused, with the offset of the first 0x00.
3. A file with no valid UTF-8 multi-byte sequence anywhere is a legacy 8-bit file (a Word or
   Notepad export from Windows): it is read as Windows-1252, a superset of the printable
   Latin-1 range, with a warning naming the file and the first non-ASCII byte.
4. Anything else — UTF-8 with a damaged byte, or a byte Windows-1252 does not define — is
   refused with the byte offset and line of the first byte that cannot be read.

Line endings (CRLF, lone CR, mixed) are normalised to ``\\n`` for the converter; the original
bytes stay untouched in ``seeds/`` and are copied as they are into the site.

``hidden_characters`` finds what would hide or reorder words without showing itself: control
characters (NUL and the rest of C0/C1 except tab, line feed and form feed), zero-width spaces,
word joiners, byte-order marks in mid-text, bidirectional embeddings/overrides/isolates and
marks, invisible operators and tag characters.  Zero-width (non-)joiners are left alone between
two non-ASCII letters, where scripts and emoji need them.  ``inline.escape`` shows each one on
the page as a visible marker (the word itself is never changed) and the room warns with
``file:line``.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from .errors import Problem, RoomError

UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
LEGACY = "cp1252"
LEGACY_NAME = "Windows-1252"
NUL_SHARE_OF_UTF16 = 0.25  # ASCII text saved as UTF-16 is half 0x00 bytes; real text has none
# A lead byte followed by the right number of continuation bytes: proof that a file is UTF-8.
UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
LINE_BREAK = re.compile(rb"\r\n|\r|\n")
SAVE_AS_UTF8 = "save the file as UTF-8 (most editors: 'Save with encoding' → UTF-8) and build again"

# Characters that hide or reorder text.  ZWNJ/ZWJ count only next to ASCII, a space or an
# edge: between two non-ASCII letters they shape Arabic, Indic and emoji text as intended.
_HIDDEN_ALWAYS = (
    "\x00-\x08\x0b\x0e-\x1f\x7f-\x9f"  # control characters (tab, LF, FF are ordinary whitespace)
    "\u061c\u180e\u200b\u200e\u200f"  # Arabic letter mark, Mongolian vowel separator, ZWSP, LRM, RLM
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f"  # bidi embeddings/overrides, joiners, isolates
    "\ufeff\ufff9-\ufffb\U000e0000-\U000e007f"  # BOM in mid-text, interlinear marks, tag characters
)
# One character class, so a clean text is scanned at C speed; ``is_hidden`` then lets
# ZWNJ/ZWJ through where they sit between two non-ASCII letters.
HIDDEN = re.compile(f"[{_HIDDEN_ALWAYS}\u200c\u200d]")
JOINERS = "\u200c\u200d"


def is_hidden(m: re.Match) -> bool:
    """Whether a ``HIDDEN`` match really hides something (a joiner between two letters of a
    script that needs it does not)."""
    if m.group() not in JOINERS:
        return True
    text, start, end = m.string, m.start(), m.end()
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return before.isascii() or before.isspace() or after.isascii() or after.isspace()
_HIDDEN_ALWAYS_RE = re.compile(f"[{_HIDDEN_ALWAYS}]")
# The same characters as a set, for the anchor's normalised matching: a quote copied from the
# page does not contain them, so they are skipped when a quote is compared with the text.
HIDDEN_CHARS = frozenset(
    ch for ch in map(chr, [*range(0xA0), 0x61C, 0x180E, *range(0x2000, 0x2070), *range(0xFEFF, 0xFFFC),
                           *range(0xE0000, 0xE0080)])
    if _HIDDEN_ALWAYS_RE.fullmatch(ch)
) | {"\u200c", "\u200d"}
# Python's unicodedata has no names for control characters; these are their Unicode aliases.
CONTROL_NAMES = dict(enumerate(
    "NULL,START OF HEADING,START OF TEXT,END OF TEXT,END OF TRANSMISSION,ENQUIRY,ACKNOWLEDGE,BELL,"
    "BACKSPACE,CHARACTER TABULATION,LINE FEED,LINE TABULATION,FORM FEED,CARRIAGE RETURN,SHIFT OUT,"
    "SHIFT IN,DATA LINK ESCAPE,DEVICE CONTROL ONE,DEVICE CONTROL TWO,DEVICE CONTROL THREE,"
    "DEVICE CONTROL FOUR,NEGATIVE ACKNOWLEDGE,SYNCHRONOUS IDLE,END OF TRANSMISSION BLOCK,CANCEL,"
    "END OF MEDIUM,SUBSTITUTE,ESCAPE,INFORMATION SEPARATOR FOUR,INFORMATION SEPARATOR THREE,"
    "INFORMATION SEPARATOR TWO,INFORMATION SEPARATOR ONE".split(",")))
CONTROL_NAMES[0x7F] = "DELETE"
MAX_LINES_LISTED = 5


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # what the bytes were read as, e.g. "UTF-8", "Windows-1252"
    problems: tuple[Problem, ...] = ()


def decode_text(data: bytes, path: str) -> Decoded:
    """Decode by the rules above; raise ``RoomError`` (file, line, byte offset) when it cannot."""
    for boms, codec, name in ((UTF32_BOMS, "utf-32", "UTF-32"), (UTF16_BOMS, "utf-16", "UTF-16")):
        if data.startswith(boms):
            try:
                return Decoded(normalise_newlines(data.decode(codec)), name)
            except UnicodeDecodeError as exc:
                raise _refusal(data, path, exc.start, f"is marked as {name} but byte offset {exc.start} "
                               f"(0x{data[exc.start]:02x}) is not valid {name}", codec) from None
    nuls = data.count(0)
    if nuls and nuls >= NUL_SHARE_OF_UTF16 * len(data):
        first = data.index(0)
        raise _refusal(data, path, first,
                       f"looks like UTF-16 saved without a byte-order mark: {nuls} of its {len(data)} bytes "
                       f"are 0x00 (the first at byte offset {first})",
                       hint="open it and save it again as UTF-8, or as UTF-16 with a BOM ('UTF-16 LE BOM')")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return _not_utf8(data, path, exc)
    return Decoded(normalise_newlines(text), "UTF-8")


def decode_seed(data: bytes, path: str) -> str:
    """The text only (for tests and tools); the room uses ``decode_text`` to keep its warnings."""
    return decode_text(data, path).text


def _not_utf8(data: bytes, path: str, exc: UnicodeDecodeError) -> Decoded:
    bad = exc.start
    proof = UTF8_MULTIBYTE.search(data)
    if proof:
        raise _refusal(
            data, path, bad,
            f"is not valid UTF-8: byte offset {bad} (0x{data[bad]:02x}) cannot be read, though the file "
            f"has UTF-8 text elsewhere (line {line_at(data, proof.start())}), so it is not a legacy "
            f"{LEGACY_NAME} file either; the bytes may have been damaged or two files joined",
            hint="find the line named, retype the damaged character, and save the file as UTF-8")
    try:
        text = data.decode(LEGACY)
    except UnicodeDecodeError as legacy:
        raise _refusal(
            data, path, legacy.start,
            f"cannot be read: byte offset {legacy.start} (0x{data[legacy.start]:02x}) is neither UTF-8 "
            f"nor {LEGACY_NAME}", hint=SAVE_AS_UTF8) from None
    read_as = data[bad:bad + 1].decode(LEGACY)
    warning = Problem(
        path, line_at(data, bad),
        f"is not UTF-8; read as {LEGACY_NAME} (Latin-1), the usual encoding of Word and Notepad files "
        f"from Windows: the first non-ASCII byte, 0x{data[bad]:02x} at byte offset {bad}, reads as "
        f"{read_as!r} — check the page shows the text as it should",
        "save the file as UTF-8 to make this warning go away")
    return Decoded(normalise_newlines(text), LEGACY_NAME, (warning,))


def _refusal(data: bytes, path: str, offset: int, message: str, codec: str = "", hint: str = SAVE_AS_UTF8) -> RoomError:
    return RoomError(Problem(path, line_at(data, offset, codec), message, hint))


def line_at(data: bytes, offset: int, codec: str = "") -> int:
    """Line number of byte ``offset``, counting CRLF, CR and LF endings alike."""
    if codec:  # a wide encoding: count in what decodes cleanly before the offset
        text = data[:offset].decode(codec, errors="ignore")
        return len(re.findall(r"\r\n|\r|\n", text)) + 1
    return len(LINE_BREAK.findall(data, 0, offset)) + 1


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def char_name(ch: str) -> str:
    code = ord(ch)
    name = unicodedata.name(ch, "") or CONTROL_NAMES.get(code) or ("C1 CONTROL CHARACTER" if code < 0xA0 else "UNNAMED")
    return f"U+{code:04X} {name}"


def hidden_characters(text: str, path: str) -> Problem | None:
    """One warning for every hidden character in ``text``, by kind, with the lines they are on."""
    found: dict[str, list[int]] = {}
    first = None
    line, counted = 1, 0
    for m in HIDDEN.finditer(text):
        if not is_hidden(m):
            continue
        line += text.count("\n", counted, m.start())
        counted = m.start()
        first = first or line
        found.setdefault(m.group(), []).append(line)
    if not found:
        return None
    total = sum(len(lines) for lines in found.values())
    kinds = []
    for ch, lines in sorted(found.items(), key=lambda item: item[1][0]):
        shown = sorted(set(lines))
        where = ", ".join(map(str, shown[:MAX_LINES_LISTED])) + (", …" if len(shown) > MAX_LINES_LISTED else "")
        kinds.append(f"{char_name(ch)} ×{len(lines)} (line{'s' if len(shown) > 1 else ''} {where})")
    return Problem(
        path, first,
        f"has {total} invisible or control character{'s' if total > 1 else ''} that could hide or reorder "
        f"words: {'; '.join(kinds)}. The page shows each as a visible marker such as [U+{ord(next(iter(found))):04X}]; "
        f"the words around it are unchanged",
        "if they are not part of the original, delete them from the file (a quote in a note may leave them out)")
