"""A content-addressed disk cache, so that an unchanged source costs (almost) nothing on rebuild.

Entries are keyed by a hash of everything that determines them — the bytes read, and the
source code of this package — so an edit anywhere always misses; nothing is ever invalidated
by hand.  The cache lives in ``.cache/reading-room/`` beside ``mkdocs.yml`` (``make clean``
removes it).  A cache that cannot be read or written is simply not used.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Callable, TypeVar

T = TypeVar("T")
_PACKAGE = Path(__file__).parent
_code_version: str | None = None
DISABLED = os.environ.get("ROOM_NO_CACHE") == "1"


# For a front end that renders the room's pages itself and wants to keep what it rendered across
# rebuilds of one process (the MkDocs hooks under `mkdocs serve`, whose module MkDocs runs afresh
# on every rebuild while this one stays imported): opaque values under the front end's own keys.
RENDERED: dict[str, object] = {}

# For such a front end, too: the cache kept in memory from one rebuild to the next, and the
# single-slot values (``latest``) kept there rather than written to disk again on every rebuild
# (the whole site's pages are hundreds of MB in a big room).  Off for a one-off build, which
# would only hold them longer.
KEEP_IN_PROCESS = False
_LATEST: dict[str, tuple[str, object]] = {}
_IN_PROCESS: dict[str, object] = {}  # ``cached`` entries by digest
_KEPT: dict[tuple, tuple] = {}  # ``kept`` values, with the objects they were made of
_USED: set = set()  # the keys of both that this build asked for


def code_version() -> str:
    global _code_version
    if _code_version is None:
        h = hashlib.sha256()
        for path in sorted(_PACKAGE.glob("*.py")):
            h.update(path.name.encode())
            h.update(path.read_bytes())
        _code_version = h.hexdigest()[:16]
    return _code_version


def key(*parts: bytes | str) -> str:
    h = hashlib.sha256(code_version().encode())
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def latest(folder: Path | None, kind: str, digest: str, compute: Callable[[], T]) -> T:
    """Like ``cached``, but with a single slot per ``kind``: for a value as large as the whole
    site's pages, which every edit changes, so that ``mkdocs serve`` does not fill the disk."""
    if KEEP_IN_PROCESS and kind in _LATEST:
        stored, value = _LATEST[kind]
        if stored != digest:  # a rebuild: in memory only, not hundreds of MB to disk every time
            value = compute()
            _LATEST[kind] = (digest, value)
        return value
    if folder is None or DISABLED:
        value = compute()
        _keep(kind, digest, value)
        return value
    path = folder / kind / "latest.pickle"
    try:
        with path.open("rb") as f:
            stored, value = pickle.load(f)
        if stored == digest:
            _keep(kind, digest, value)
            return value
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
        pass
    value = compute()
    _write(path, (digest, value))
    _keep(kind, digest, value)
    return value


def _entry(folder: Path, kind: str, digest: str) -> Path:
    """Where ``cached`` keeps an entry: a folder per kind, split by the digest's first two digits."""
    return folder / kind / digest[:2] / f"{digest}.pickle"


MISSING = object()  # what ``peek`` answers for an entry that is not there


def peek(folder: Path | None, kind: str, digest: str):
    """The entry ``cached`` would return without computing it, or ``MISSING``."""
    if folder is None or DISABLED:
        return MISSING
    try:
        with _entry(folder, kind, digest).open("rb") as f:
            return pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return MISSING


def has(folder: Path | None, kind: str, digest: str) -> bool:
    """Whether ``cached`` has the entry, without reading it."""
    return folder is not None and not DISABLED and _entry(folder, kind, digest).is_file()


def store(folder: Path | None, kind: str, digest: str, value) -> None:
    """Keep ``value`` as ``cached`` would have after computing it."""
    if folder is not None and not DISABLED:
        _write(_entry(folder, kind, digest), value)


def _keep(kind: str, digest: str, value) -> None:
    if KEEP_IN_PROCESS:
        _LATEST[kind] = (digest, value)


def cached(folder: Path | None, kind: str, digest: str, compute: Callable[[], T]) -> T:
    if KEEP_IN_PROCESS:  # a rebuild gets back the very objects of the last (see ``kept``)
        _USED.add(digest)
        if digest in _IN_PROCESS:
            return _IN_PROCESS[digest]
        value = _IN_PROCESS[digest] = _cached(folder, kind, digest, compute)
        return value
    return _cached(folder, kind, digest, compute)


def _cached(folder: Path | None, kind: str, digest: str, compute: Callable[[], T]) -> T:
    if folder is None or DISABLED:
        return compute()
    path = _entry(folder, kind, digest)
    try:
        with path.open("rb") as f:
            return pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    value = compute()
    _write(path, value)
    return value


def kept(kind: str, objects: tuple, extra, compute: Callable[[], T]) -> T:
    """``compute()``, or, while ``KEEP_IN_PROCESS``, what it gave in the last build for the very
    same ``objects`` (by identity: what ``cached`` gave back unchanged, and what was made of it)
    and an equal ``extra``.  Cheaper than any key made of their content: a rebuild after an
    edit asks for tens of thousands of notes' HTML and records, nearly all of them unchanged."""
    if not KEEP_IN_PROCESS:
        return compute()
    key = (kind, tuple(map(id, objects)), extra)
    _USED.add(key)
    hit = _KEPT.get(key)
    if hit is not None:
        return hit[0]
    value = compute()
    _KEPT[key] = (value, objects)  # the objects are held, so that their ids are not reused
    return value


def end_build() -> None:
    """Let go of what the build that just ended did not ask for: it will not be asked for again."""
    for table in (_IN_PROCESS, _KEPT):
        for key in [k for k in table if k not in _USED]:
            del table[key]
    _USED.clear()


def _write(path: Path, value) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass
