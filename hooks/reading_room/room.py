"""The room: every seed read, converted and (later) annotated, with all problems of the build.

This is the only core module that touches the file system; everything it calls is pure.  The
hooks build one ``Room`` per build in ``on_files`` and hand its pages to MkDocs.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from .convert import convert, slugify
from .decode import decode_seed
from .errors import Problems, RoomError
from .margin import AnchorCache, Resolution, resolve
from .metadata import load_meta
from .model import Source
from .notes import Note, load_annotation_file


@dataclass
class Room:
    root: Path
    sources: dict[str, Source] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)  # decoded seed text per slug
    seed_files: dict[str, Path] = field(default_factory=dict)
    problems: Problems = field(default_factory=Problems)
    notes: list[Note] = field(default_factory=list)
    resolution: Resolution = field(default_factory=Resolution)

    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


def seed_slug(path: Path) -> str:
    return slugify(path.stem, limit=80) or "source-" + hashlib.sha1(path.name.encode()).hexdigest()[:8]


# Kept across rebuilds of one process (``mkdocs serve``): an unchanged seed is not converted
# again and an unchanged quote is not anchored again.  Keys are content hashes, so an edit
# always misses the cache.
_CONVERTED: dict[tuple[str, str, str], Source] = {}
_ANCHORS = AnchorCache()


def load_room(root: Path, seeds_dir: str = "seeds", annotations_dir: str = "annotations") -> Room:
    room = load_sources(root, seeds_dir)
    load_notes(room, root / annotations_dir)
    room.resolution = resolve(room.sources, room.notes, _ANCHORS)
    room.problems.extend(room.resolution.problems)
    return room


def load_notes(room: Room, folder: Path) -> None:
    for path in sorted(folder.glob("*.yml")) + sorted(folder.glob("*.yaml")):
        rel = room.rel(path)
        slug = path.stem
        if slug not in room.seed_files:
            room.problems.add(rel, None, f"annotates a source that does not exist: there is no seeds/{slug}.txt",
                              "rename the file to match a seed (annotations/<seed name>.yml); its notes were not shown")
            continue
        room.notes.extend(load_annotation_file(path, rel, slug, room.problems))


def load_sources(root: Path, seeds_dir: str = "seeds") -> Room:
    room = Room(root=root)
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
        data = path.read_bytes()
        room.seed_files[slug] = path
        try:
            text = decode_seed(data, rel)
        except RoomError as exc:
            room.problems.items.append(exc.problem)
            continue
        meta = load_meta(path.with_suffix(".meta.yml"), room.rel(path.with_suffix(".meta.yml")),
                         _first_line(text) or path.stem, room.problems)
        room.texts[slug] = text
        sha = hashlib.sha256(data).hexdigest()
        key = (rel, sha, repr(meta))
        if key not in _CONVERTED:
            _CONVERTED[key] = convert(text, rel, slug, meta, sha)
        room.sources[slug] = _CONVERTED[key]
    live = {(room.rel(room.seed_files[s]), src.sha256, repr(src.meta)) for s, src in room.sources.items()}
    for key in [k for k in _CONVERTED if k not in live]:
        del _CONVERTED[key]
    return room


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.split("\n") if line.strip()), "")[:200]
