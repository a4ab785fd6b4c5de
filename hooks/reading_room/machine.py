"""Machine flags on the site: the detector's suggestions for sources that have no curated notes.

A source that an editor has annotated shows only what is in its annotation file (including
entries that ``make suggest`` wrote there with ``status: suggested``, which the page hides by
default).  A source nobody has annotated yet — a teacher's sixth ``.txt`` — gets the detector's
flags as its margin, on by default, each marked "suggested by the room's detector" with the
rule that fired.  Flags the page cannot place exactly (a span across two blocks, a repeated
phrase with no telling context) are counted, not guessed.

Flags are cached per text (and detector: ``detect.fingerprint``).  A build starts
``read_ahead`` as it begins: one process, forked on the core the build leaves idle, reads the
seeds that no annotation file is named after into the cache while the build reads the rest of
the room.  When the build gets to them, ``meet_read_ahead`` reads what is left from the last one
back until it meets the read-ahead coming forward, then waits for it.  Where there is no
read-ahead (under ``mkdocs serve``, with no cache, on one core) and more text without cached
flags than ``POOL_MIN_CHARS``, ``detect_many`` reads it in a pool of processes, one per core this
process may use (the detector is pure Python: threads would take turns); the parent keeps what
they find in the same cache, in the same order, and reads the sources itself if the pool cannot
be had or fails.
"""

from __future__ import annotations

import mmap
import os
import re
import time
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from pathlib import Path

from . import cache
from .anchor import Anchor, Failure, SourceText, match_quote
from .notes import Note, Selector

PROSE = {"paragraph", "item", "dialogue"}
_LINE_BREAK = re.compile("\n")
# Starting a pool costs about 0.4 s (fresh interpreters that import the detector and compile its
# lexicons), what one process reads of 0.5 MB; below this much text, one process is as quick.
POOL_MIN_CHARS = 1_000_000
# A page of suggestions alone had one every 266 characters: a margin too dense to read, and
# pages seven times their text.  The rest are for an editor: ``make suggest`` writes them all.
SHOWN_PER_PARAGRAPH = 1


def flags_key(text: str, fingerprint: str | None = None) -> str:
    if fingerprint is None:
        from .detect import fingerprint as detector_fingerprint
        fingerprint = detector_fingerprint()
    return cache.key("flags", fingerprint, text)


def flags_for(text: str, cache_dir, known: dict | None = None):
    """The detector's flags of ``text``: from ``known`` (what ``detect_many`` found), the
    cache, or the detector."""
    from .detect import detect  # the detector's lexicons load on first use only

    digest = flags_key(text)
    if known and digest in known:
        return known[digest]
    return cache.cached(cache_dir, "flags", digest, lambda: detect(text))


def usable_cores() -> int:
    """The cores this process may run on (its affinity, which a container or ``taskset`` may
    narrow), else the machine's."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


_WORKER_DETECTOR: list[str] = []  # a worker's own detector fingerprint, computed once


def _detect_in_worker(text: str):
    from .detect import detect, fingerprint

    if not _WORKER_DETECTOR:
        _WORKER_DETECTOR.append(fingerprint())
    return _WORKER_DETECTOR[0], detect(text)


def detect_many(texts: list[str], cache_dir, workers: int | None = None,
                known: dict | None = None) -> tuple[dict, str]:
    """Flags for every text of ``texts`` by cache key (the same keys as ``flags_for``): those in
    ``known`` or in the cache as they are, the others read in a process pool when there is
    enough of them (else left for ``flags_for`` to read one by one); and how they were read,
    for the build's log ("" when there was no pool).  Nothing is read twice: texts with the same
    content share one key."""
    from .detect import fingerprint

    detector = fingerprint()
    found = dict(known or {})
    todo: dict[str, str] = {}
    for text in texts:
        digest = flags_key(text, detector)
        if digest in found or digest in todo:
            continue
        kept = cache.peek(cache_dir, "flags", digest)
        if kept is cache.MISSING:
            todo[digest] = text
        else:  # read once here, not again by flags_for
            found[digest] = kept
    workers = min(workers or usable_cores(), len(todo))
    size = sum(map(len, todo.values()))
    if workers < 2 or size < POOL_MIN_CHARS or not _main_reloadable():
        return found, ""
    pooled, failure = _pool(list(todo.items()), workers, detector)
    how = (f"reading room: the detector read {len(todo):,} sources ({size / 1e6:.1f} MB) in {workers} processes"
           if not failure else
           f"reading room: the detector's {workers} processes failed ({failure}) after {len(pooled):,} of "
           f"{len(todo):,} sources; this process read the rest")
    for digest, flags in pooled.items():
        cache.store(cache_dir, "flags", digest, flags)
    found.update(pooled)
    return found, how


@dataclass
class _ReadAhead:
    """The process ``read_ahead`` started, the seeds it reads in order, and counters in memory
    both processes share: where each is in that list (``_CHILD``, the next seed the read-ahead
    takes; ``_PARENT``, the first seed the build took), and how many the read-ahead has read
    with the detector (``_READ``: not those already in the cache)."""

    pid: int
    paths: list[Path]
    claims: mmap.mmap


_CHILD, _PARENT, _READ = 0, 8, 16
_AHEAD: list[_ReadAhead] = []  # the process reading ahead (``read_ahead``), until it is waited for


def _get(claims: mmap.mmap, at: int) -> int:
    return int.from_bytes(claims[at:at + 8], "little")


def _set(claims: mmap.mmap, at: int, value: int) -> None:
    claims[at:at + 8] = value.to_bytes(8, "little")


def read_ahead(paths: list[Path], cache_dir, max_chars: int | None = None) -> bool:
    """Start reading the seeds ``paths`` (those of up to ``max_chars`` characters) with the
    detector in a process of its own, which keeps their flags in the cache for ``flags_for`` to
    find; whether it started.

    A build spends most of its time in one process, on one core: the read-ahead puts the
    detector on another while the build reads the room, and ``meet_read_ahead`` takes over what
    it has not reached when the build needs the flags.  A fork, started before the build has any
    thread (never under ``mkdocs serve``, whose server runs in threads), and only where the
    cache can carry what it finds; whatever it does not manage is read by the build."""
    import sys
    import threading

    if (not paths or cache_dir is None or cache.DISABLED or _AHEAD or not sys.platform.startswith("linux")
            or usable_cores() < 2 or threading.active_count() > 1):
        return False
    # what this process needs too, to place the flags (and the child would import on its own)
    from .detect import fingerprint, suggest  # noqa: F401

    fingerprint()
    cache.code_version()
    claims = mmap.mmap(-1, 24)  # anonymous and shared: the child sees the parent's writes
    _set(claims, _PARENT, len(paths))
    try:
        pid = os.fork()
    except OSError:
        return False
    if pid == 0:  # the child: read, keep, and leave without running the parent's exit handlers
        import gc

        gc.freeze()  # the parent's objects: a collection would only walk (and copy) them
        status = 1
        try:
            _read_into_cache(paths, cache_dir, claims, max_chars)
            status = 0
        except BaseException:  # noqa: BLE001 - the parent reads whatever is not in the cache
            pass
        os._exit(status)
    _AHEAD.append(_ReadAhead(pid, list(paths), claims))
    if not _STOP_AT_EXIT:
        import atexit

        atexit.register(stop_read_ahead)
        _STOP_AT_EXIT.append(True)
    return True


_STOP_AT_EXIT: list[bool] = []


def stop_read_ahead() -> None:
    """Tell the read-ahead to stop after the seed it is reading, and wait for it: a build that
    ends before it needs the flags (a problem that stops it) leaves no process behind."""
    for ahead in _AHEAD:
        _set(ahead.claims, _PARENT, 0)
    wait_for_read_ahead()


def _read_into_cache(paths: list[Path], cache_dir, claims: mmap.mmap, max_chars: int | None = None) -> None:
    from .decode import decode_text

    for i, path in enumerate(paths):
        _set(claims, _CHILD, i + 1)
        if i >= _get(claims, _PARENT):  # the build has taken this one and the rest
            return
        try:
            text = decode_text(path.read_bytes(), path.name).text
        except Exception:  # noqa: BLE001 - the build says what is wrong with the file
            continue
        if max_chars is not None and len(text) > max_chars:  # a longer one gets no suggestions
            continue
        if not cache.has(cache_dir, "flags", flags_key(text)):  # kept by an earlier build
            flags_for(text, cache_dir)  # read and kept, as the build would
            _set(claims, _READ, _get(claims, _READ) + 1)


def meet_read_ahead(todo: list[tuple[Path, str]], cache_dir) -> tuple[dict, str]:
    """Flags by key of the texts of ``todo`` (a seed's path and its text, in the order of the
    seeds) that the read-ahead has not reached, read here from the last one back until this
    process meets it coming forward; then wait for it, whose flags are in the cache; and how
    the detector read them, for the build's log.  Each tells the other where it is before it
    takes a seed, so at worst both read the one seed where they meet.  With no read-ahead,
    nothing."""
    if not _AHEAD:
        return {}, ""
    ahead = _AHEAD[0]
    place = {path: i for i, path in enumerate(ahead.paths)}
    found: dict = {}
    read_here = 0
    began = time.perf_counter()
    for path, text in reversed(todo):
        i = place.get(path)
        if i is not None:
            _set(ahead.claims, _PARENT, i)
            if i < _get(ahead.claims, _CHILD):  # the read-ahead has it (and all before it)
                continue
        digest = flags_key(text)
        read_here += not cache.has(cache_dir, "flags", digest)
        found[digest] = flags_for(text, cache_dir)
    wait_for_read_ahead()
    waited = time.perf_counter() - began
    read_there = _get(ahead.claims, _READ)
    if not read_there + read_here:  # all of them kept by an earlier build
        return found, ""
    how = (f"reading room: the detector read {read_there:,} of {read_there + read_here:,} sources on a core of its "
           f"own while the room was read; the build read the other {read_here:,} and waited {waited:.1f} s for it")
    return found, how


def wait_for_read_ahead() -> None:
    """Wait for the process ``read_ahead`` started, if any: what it found is in the cache."""
    while _AHEAD:
        ahead = _AHEAD.pop()
        try:
            os.waitpid(ahead.pid, 0)
        except ChildProcessError:
            pass


def _main_reloadable() -> bool:
    """Whether a new process can prepare itself as this one's copy: it imports the main module
    again (``multiprocessing.spawn``), which a script read from standard input does not have."""
    import sys

    main = sys.modules.get("__main__")
    if getattr(getattr(main, "__spec__", None), "name", None):
        return True
    path = getattr(main, "__file__", None)
    return path is None or os.path.exists(path)


def _pool(items: list[tuple[str, str]], workers: int, detector: str) -> tuple[dict, str]:
    """Flags by key, for as many of ``items`` as the pool managed, and what went wrong ("" if
    nothing did)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    found: dict = {}
    try:
        # forkserver (spawn where there is none): a fork of a process with threads, as under
        # `mkdocs serve`, may copy a lock that another thread holds
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        # largest first, so that no core is left with one long source at the end
        ordered = sorted(items, key=lambda item: -len(item[1]))
        # MkDocs puts hooks/ on sys.path only while it loads the hooks, so a worker is told where
        # this package is (by exec, which it can unpickle without the package)
        where = f"import sys; sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r})"
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=exec,
                                 initargs=(where, {})) as pool:
            for (digest, _), (their_detector, flags) in zip(ordered, pool.map(_detect_in_worker, [t for _, t in ordered])):
                if their_detector != detector:  # the detector changed on disk while the build ran
                    raise RuntimeError("the workers read another version of the detector")
                found[digest] = flags
    except Exception as exc:  # noqa: BLE001 - whatever it was, the sources are read here instead
        return found, f"{type(exc).__name__}: {exc}"[:300]
    return found, ""


def anchor_all(st: SourceText, selectors: list[Selector | None]) -> list[Anchor | Failure | None]:
    """``match_quote(st, selector)`` for every selector (None stays None), with the places of
    all their quotes in the page text found in one scan (``QuoteIndex``) rather than one scan
    each: a quote found verbatim once, or once with its context, is anchored here as
    ``match_quote`` would; anything else (absent, ambiguous, only found normalised) is left to
    ``match_quote`` itself, so its answer and its message are the same.
    tests/test_machine_pool.py compares the two."""
    from .anchor import EXACT, _context_agrees
    from .detect.suggest import MAX_PLACES, QuoteIndex

    index = QuoteIndex(st.text, {s.exact for s in selectors if s is not None and s.exact})
    out: list = []
    for selector in selectors:
        if selector is None:
            out.append(None)
            continue
        spans = index.spans(selector.exact) if selector.exact else []
        found = None
        if 0 < len(spans) <= MAX_PLACES:
            if not (selector.prefix or selector.suffix):  # match_quote's _unique_exact
                if len(spans) == 1:
                    found = _anchor_at(st, *spans[0], EXACT, within_block=True)
            elif selector.prefix.strip() or selector.suffix.strip():
                inside = [(a, b) for a, b in spans
                          if "\n" not in st.text[a:b] or st.block_at(a) == st.block_at(max(a, b - 1))]
                agreeing = [(a, b) for a, b in inside if _context_agrees(st, a, b, selector)]
                if len(agreeing) == 1:
                    found = _anchor_at(st, *agreeing[0], EXACT, within_block=False)
        out.append(found if found is not None else match_quote(st, selector))
    return out


def _anchor_at(st: SourceText, start: int, end: int, quality: str, within_block: bool) -> Anchor | None:
    b = st.block_at(start)
    block_start = st.offsets[b]
    if within_block and end > block_start + len(st.blocks[b].text):
        return None  # it crosses into the next block: match_quote says so
    return Anchor(st.blocks[b].id, start - block_start, end - block_start, start, end, quality)


def machine_notes(slug: str, path: str, text: str, source_text: SourceText, cache_dir,
                  known: dict | None = None, remember=None) -> tuple[list[Note], int]:
    """Suggested notes anchored in ``source_text``, and how many flags it tried and could not
    place; ``remember(selector, anchor)`` is told every anchor found (the room keeps them, so
    that resolving the notes does not anchor them again).  Linear in the text and its flags.

    A paragraph shows at most ``SHOWN_PER_PARAGRAPH`` suggestions: its first ones, in reading
    order, that can be placed; the last one shown says how many more the detector found in the
    paragraph, and of which kinds.  Only those are placed and anchored (a flag that cannot be
    placed gives its turn to the paragraph's next), so a page costs what it shows."""
    from .detect.suggest import place_all

    blocks = source_text.blocks
    line_breaks = [m.start() for m in _LINE_BREAK.finditer(text)]
    first_lines = [b.first_line for b in blocks]
    by_block: dict[int, list[tuple[int, object, int]]] = {}  # block -> [(order, flag, line), ...]
    for order, flag in enumerate(flags_for(text, cache_dir, known)):
        line = bisect_left(line_breaks, flag.start) + 1
        b = bisect_right(first_lines, line) - 1
        if b >= 0 and line <= blocks[b].last_line and blocks[b].kind in PROSE:
            by_block.setdefault(b, []).append((order, flag, line))
        # else: titles, captions and notes sections assert nothing worth a flag
    shown: dict[int, list] = {}  # paragraph -> [(order, flag, line, selector), ...]
    tried = dict.fromkeys(by_block, 0)  # how far down each paragraph's flags the turns have gone
    dropped = 0
    while turn := [(b, found[tried[b]]) for b, found in by_block.items()
                   if tried[b] < len(found) and len(shown.get(b, ())) < SHOWN_PER_PARAGRAPH]:
        flags = [flag for _, (_, flag, _) in turn]
        selectors = [Selector(text[w[0]:w[1]], w[2], w[3]) if w else None for w in place_all(text, flags)]
        for (b, (order, flag, line)), selector, anchor in zip(turn, selectors, anchor_all(source_text, selectors)):
            tried[b] += 1
            if isinstance(anchor, Anchor) and remember is not None:
                remember(selector, anchor)
            if isinstance(anchor, Anchor) and anchor.block_id == blocks[b].id:
                shown.setdefault(b, []).append((order, flag, line, selector))
            else:  # not placed, or placed outside the paragraph whose count it would be in
                dropped += 1
    notes: list[tuple[int, Note]] = []
    for b, found in by_block.items():
        picked = shown.get(b, [])
        # a flag on the very words of one shown, of its kind (a repetition on its phrase's first
        # place), is that note's, not one more
        taken = {(flag.kind, flag.start) for _, flag, _, _ in picked}
        rest = [(order, flag) for order, flag, _ in found if (flag.kind, flag.start) not in taken]
        for i, (order, flag, line, selector) in enumerate(picked):
            why = (flag.evidence or flag.rule).rstrip(".")
            body = f"{why[:1].upper()}{why[1:]}."
            if rest and i == len(picked) - 1:
                body += _more([f for _, f in rest])
            notes.append((order, Note(
                id=f"auto-{slug}-{flag.kind[0]}{flag.start}", kind=flag.kind, selector=selector,
                body=body, source=slug, path=path, line=line, quote_line=line, technique=flag.technique,
                strength=flag.strength, status="suggested", author="detector", rule=flag.rule,
            )))
    notes.sort(key=lambda pair: pair[0])  # the detector's order, as before
    return [note for _, note in notes], dropped


def _more(rest: list) -> str:
    """What the last note shown adds: "The detector found 2 more uncited passages in this
    paragraph." or, of both kinds, "The detector found 7 more in this paragraph (6 framing,
    1 uncited)."."""
    counts: dict[str, int] = {}
    for flag in rest:
        counts[flag.kind] = counts.get(flag.kind, 0) + 1
    if len(counts) == 1:
        (kind, n), = counts.items()
        return f" The detector found {n} more {kind} passage{'s' * (n > 1)} in this paragraph."
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return f" The detector found {len(rest)} more in this paragraph ({kinds})."
