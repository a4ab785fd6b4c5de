"""The room: every seed read, converted and (later) annotated, with all problems of the build.

This is the only core module that touches the file system; everything it calls is pure.  The
hooks build one ``Room`` per build in ``on_files`` and hand its pages to MkDocs.
"""

from __future__ import annotations

import hashlib
import os
from datetime import datetime, timezone
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import cache, checks
from .convert import convert, slugify
from .decode import decode_text, hidden_characters
from .errors import Problems, RoomError, listed
from .iri import RoomIris
from .machine import detect_many, machine_notes, meet_read_ahead
from .machine import read_ahead as machine_read_ahead
from .margin import AnchorCache, Resolution, resolve
from .metadata import load_meta
from .model import Source
from .notes import Note, closest, load_annotation_file


@dataclass
class Room:
    root: Path
    sources: dict[str, Source] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)  # decoded seed text per slug
    seed_files: dict[str, Path] = field(default_factory=dict)
    problems: Problems = field(default_factory=Problems)
    notes: list[Note] = field(default_factory=list)
    resolution: Resolution = field(default_factory=Resolution)
    cache_dir: Path | None = None
    machine_dropped: dict[str, int] = field(default_factory=dict)  # flags the page could not place
    machine_skipped: dict[str, str] = field(default_factory=dict)  # sources the detector left out, and why
    machine_pool: str = ""  # how the detector read the sources, for the log ("" when it read them in this process alone)
    inputs: list[str] = field(default_factory=list)  # a content hash of every file read, in order
    iris: RoomIris = field(default_factory=RoomIris)  # the room's name and address (mkdocs.yml)
    modified: dict[str, str] = field(default_factory=dict)  # when each file read was last saved (UTC)

    @property
    def digest(self) -> str:
        """A hash of everything the room was made from (and of this package's code): two rooms
        with the same digest make the same site."""
        return cache.key("room", str(self.root), repr(self.iris), repr(sorted(self.modified.items())), *self.inputs)

    def saved(self, path: Path, rel: str) -> None:
        self.modified[rel] = saved_at(path)

    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


def saved_at(path: Path) -> str:
    """When a file was last saved, in UTC to the second: the ``created`` of the notes read from
    it (the room keeps no other record of when a note was written).  ``SOURCE_DATE_EPOCH``, the
    reproducible-builds convention, stands in for every file's time when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    try:
        seconds = int(epoch) if epoch.isdigit() else int(path.stat().st_mtime)
    except OSError:
        seconds = 0
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def seed_slug(path: Path) -> str:
    return slugify(path.stem, limit=80) or "source-" + hashlib.sha1(path.name.encode()).hexdigest()[:8]


# Kept across rebuilds of one process (``mkdocs serve``), on top of the disk cache (which
# ``cache.KEEP_IN_PROCESS`` keeps in memory there too): an unchanged quote is not anchored again,
# nor a source's suggestions placed again.  Keys are content hashes, so an edit always misses.
_ANCHORS = AnchorCache()
_MACHINE: dict[str, tuple[int, list]] = {}  # a source's placed suggestions, by its content and the detector's


def load_room(root: Path, seeds_dir: str = "seeds", annotations_dir: str = "annotations",
              cache_dir: Path | None = None, machine_flags: bool = True) -> Room:
    """Read the whole room.  ``cache_dir`` (e.g. ``.cache/reading-room``) keeps conversions
    and parsed annotation files between builds; None reads everything afresh."""
    room = load_sources(root, seeds_dir, cache_dir)
    load_notes(room, root / annotations_dir)
    room.resolution = resolve(room.sources, room.notes, _ANCHORS)
    room.problems.extend(room.resolution.problems)
    checks.verify(room.resolution.placed, room.texts, lambda slug, block_id: _block_text(room, slug, block_id), room.problems)
    if machine_flags:
        add_machine_layer(room)
    return room


# The detector reads over 1 MB of text a second and places its flags in time linear in the text
# (detect.suggest.place_all), so it takes the 10 MB seeds the rest of the room handles (with
# room to spare for multi-byte characters); beyond that a source is shown without machine
# suggestions, and the build says so, rather than holding the build up for minutes.
MACHINE_MAX_CHARS = 12_000_000


def read_ahead(root: Path, cache_dir: Path | None, seeds_dir: str = "seeds", annotations_dir: str = "annotations") -> bool:
    """Start the detector on the seeds that no annotation file is named after, in a process of
    its own (``machine.read_ahead``); whether it started.  ``add_machine_layer`` takes over what
    it has not reached, and finds the rest of their flags in the cache."""
    folder = root / annotations_dir
    named = {p.stem for pattern in ("*.yml", "*.yaml") for p in folder.glob(pattern)} if folder.is_dir() else set()
    paths = [path for path in sorted((root / seeds_dir).glob("*.txt"))
             if path.stem not in named and seed_slug(path) not in named]
    return machine_read_ahead(paths, cache_dir, MACHINE_MAX_CHARS)


def add_machine_layer(room: Room) -> None:
    """The detector's suggestions, for every source that has no curated note yet."""
    annotated = {n.source for n in room.notes}
    wanted = {slug: source for slug, source in room.sources.items()
              if slug not in annotated and len(room.texts[slug]) <= MACHINE_MAX_CHARS}
    keys: dict[str, str] = {}
    if any(slug not in annotated for slug in room.sources):
        from .detect import fingerprint  # the detector's code and lexicons make these pages too

        version = fingerprint()
        room.inputs.append(cache.key("detector", version))
        keys = {slug: cache.key("machine", version, slug, s.path, s.sha256) for slug, s in wanted.items()}
    unread = [slug for slug in wanted if keys[slug] not in _MACHINE]
    known, room.machine_pool = meet_read_ahead([(room.seed_files[slug], room.texts[slug]) for slug in unread],
                                               room.cache_dir)
    if unread:
        known, pooled = detect_many([room.texts[slug] for slug in unread], room.cache_dir, known=known)
        room.machine_pool = pooled or room.machine_pool
    for slug, source in room.sources.items():
        if slug in annotated:
            continue
        if slug not in wanted:
            room.machine_skipped[slug] = (
                f"{source.path}: {len(room.texts[slug]):,} characters: the detector's suggestions were left out "
                f"(it reads sources of up to {MACHINE_MAX_CHARS:,}; split the file to get them); the text is shown in full")
            continue
        if keys[slug] not in _MACHINE:
            notes, dropped = machine_notes(
                slug, source.path, room.texts[slug], _ANCHORS.text(source), room.cache_dir, known,
                lambda selector, anchor, source=source: _ANCHORS.remember(source, selector, anchor))
            _MACHINE[keys[slug]] = (dropped, resolve(room.sources, notes, _ANCHORS, keep_cache=True).placed)
        room.machine_dropped[slug], placed = _MACHINE[keys[slug]]
        room.resolution.placed.extend(placed)
    live = set(keys.values())
    for key in [k for k in _MACHINE if k not in live]:
        del _MACHINE[key]


def load_notes(room: Room, folder: Path) -> None:
    for path in sorted(folder.glob("*.yml")) + sorted(folder.glob("*.yaml")):
        rel = room.rel(path)
        slug = annotated_slug(room, path)
        if slug is None:
            room.inputs.append(cache.key("unmatched annotations", rel))
            room.problems.add(
                rel, None, f"annotates a source that does not exist: no seed in seeds/ is published as '{path.stem}'",
                closest(path.stem, room.seed_files) + "name the file after a seed's page address "
                "(annotations/<address>.yml; the addresses are: " + (listed(list(room.seed_files), sep=", ") or "none") + "); "
                "none of its notes were shown")
            continue
        data = path.read_bytes()
        room.saved(path, rel)
        digest = cache.key("notes", data, rel, slug)
        room.inputs.append(digest)
        notes, problems = cache.cached(room.cache_dir, "notes", digest, lambda: _read_notes(path, rel, slug))
        room.notes.extend(notes)
        room.problems.items.extend(problems)


def _block_text(room: Room, slug: str, block_id: str) -> str:
    return next((b.text for b in room.sources[slug].blocks if b.id == block_id), "")


def annotated_slug(room: Room, path: Path) -> str | None:
    """The source an annotation file belongs to: its name is the source's page address, or the
    seed's own file name (``My Report.yml`` for ``seeds/My Report.txt``, published as my-report)."""
    if path.stem in room.seed_files:
        return path.stem
    by_name = {seed.stem: slug for slug, seed in room.seed_files.items()}
    return by_name.get(path.stem)


def _read_notes(path: Path, rel: str, slug: str):
    problems = Problems()
    return load_annotation_file(path, rel, slug, problems), problems.items


def _read_seed(data: bytes, rel: str, slug: str, meta_path: Path, meta_rel: str):
    """Decode, read provenance and convert one seed: (Source or None, text, problems)."""
    problems = Problems()
    try:
        decoded = decode_text(data, rel)
    except RoomError as exc:
        return None, "", [replace(exc.problem, message=exc.problem.message + "; the source was not published")]
    text = decoded.text
    problems.items.extend(decoded.problems)
    if not text.strip():
        problems.add(rel, None, "has no text: the file is empty" if not data else
                     f"has no text: its {len(data)} bytes are all whitespace or line breaks",
                     "put the source's text into the file, or delete it; its page shows only the title")
    hidden = hidden_characters(text, rel)
    if hidden:
        problems.items.append(hidden)
    meta = load_meta(meta_path, meta_rel, _first_line(text) or Path(rel).stem, problems)
    return convert(text, rel, slug, meta, hashlib.sha256(data).hexdigest()), text, problems.items


def load_sources(root: Path, seeds_dir: str = "seeds", cache_dir: Path | None = None) -> Room:
    room = Room(root=root, cache_dir=cache_dir)
    for path in sorted((root / seeds_dir).glob("*.txt")):
        rel = room.rel(path)
        slug = seed_slug(path)
        if slug in room.sources or slug in room.seed_files:
            other = room.rel(room.seed_files[slug])
            base, n = slug, 2
            while f"{base}-{n}" in room.seed_files:
                n += 1
            slug = f"{base}-{n}"
            room.problems.add(rel, None, f"gets the same page address as {other}; it is published as '{slug}'",
                              "rename one of the two files so their names differ in letters or digits")
        room.seed_files[slug] = path
        meta_path = path.with_suffix(".meta.yml")
        data = path.read_bytes()
        room.saved(path, rel)
        meta_bytes = meta_path.read_bytes() if meta_path.exists() else b"\0none"
        digest = cache.key("seed", data, meta_bytes, rel, slug)
        room.inputs.append(digest)
        source, text, problems = cache.cached(room.cache_dir, "seeds", digest,
                                              lambda: _read_seed(data, rel, slug, meta_path, room.rel(meta_path)))
        room.problems.items.extend(problems)
        if source is not None:
            room.texts[slug] = text
            room.sources[slug] = source
    return room


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.split("\n") if line.strip()), "")[:200]
