"""The room together with its hand-written pages: what every front end needs, whatever the engine.

A ``Project`` is the room (``room.load_room``) plus the hand-written pages of ``docs/`` whose
excerpts and placeholders it fills in.  Three front ends share it, so each problem is found and
worded once:

- the MkDocs hooks (``room_hooks.py``) open it in ``on_files`` with the pages MkDocs found, and
  ask it for each page's Markdown in ``on_page_markdown``;
- ``python -m reading_room check`` opens it with the pages it reads from ``docs/`` itself, and
  prints its problems;
- ``python -m reading_room export`` writes its pages into a plain docs tree for any engine.

Pure apart from ``hand_written_pages``, which reads ``docs/`` the way MkDocs does.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath

from . import assignments, library, overview, site, student
from .errors import Problems
from .iri import RoomIris
from .room import Room, load_room


@dataclass
class Project:
    room: Room
    catalogue: list = field(default_factory=list)  # the assignments, for the index page
    # uri -> (page Markdown without front matter, the same expanded), made once while checking
    expanded: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def problems(self) -> Problems:
        return self.room.problems

    def generated_pages(self) -> list[site.GeneratedPage]:
        # the students' margin (reading_room.student): the room's IRIs for its script, and My notes
        return site.pages(self.room) + [
            site.GeneratedPage(student.CATALOGUE_URI, content=student.catalogue_js(self.room, self.catalogue)),
            site.GeneratedPage(student.MY_NOTES_URI, content=student.my_notes_page())]

    def page_markdown(self, uri: str, markdown: str, original: str | None = None) -> str:
        """A hand-written page's Markdown (front matter already taken off, as engines do) with its
        excerpts expanded and its generated tables filled in.  ``original`` is the file as written,
        for line numbers."""
        done = self.expanded.get(uri)
        if done and done[0] == markdown:
            markdown = done[1]
        else:  # its problems were reported when the project was opened
            markdown = assignments.expand(markdown, uri, self.room, Problems(), original=original,
                                          catalogue=self.catalogue)
        return site.fill_placeholders(markdown, uri, self.room)


    # -- the navigation ------------------------------------------------------------------------
    def in_navigation(self, uri: str) -> bool:
        """Whether the navigation lists a page: a source or collection page only when the room's
        Sources section does (a big room lists its collections, not every source)."""
        return not uri.startswith(ROOM_DIRS) or uri in self._listed_uris

    @cached_property
    def nav_plan(self) -> list:
        # asked once per page: made once (making it walks the whole room)
        return library.nav_plan(self.room)

    @cached_property
    def _listed_uris(self) -> set[str]:
        return _listed(self.nav_plan)

    def navigation(self, page_uris: Iterable[str]) -> list:
        """The site's navigation, as a ``nav:`` value: the pages an engine would list by itself
        (MkDocs' order: by folder, an index first, folders after pages; a section per folder,
        titled after it), then the room's Sources section (``library.nav_plan``)."""
        own = sorted((u for u in page_uris if not u.startswith(ROOM_DIRS)), key=_nav_sort_key)
        nested: list = []
        for uri in own:
            branch = nested
            for part in PurePosixPath(uri).parent.parts:
                branch = _section(branch, _folder_title(part))
            branch.append(uri)
        plan = self.nav_plan
        return nested + [{library.SECTION: [item if isinstance(item, str) else {item[0]: list(item[1])}
                                            for item in plan]}]


# the folders whose pages only the room's Sources section lists, and a big room's overview
# parts, which only their overview pages list
ROOM_DIRS = (site.SOURCES_DIR + "/", library.DIR + "/", *overview.PART_DIRS)


def _listed(plan: list) -> set[str]:
    return {uri for item in plan for uri in ([item] if isinstance(item, str) else item[1])}


def _nav_sort_key(uri: str) -> tuple:
    parts = PurePosixPath(uri).parts
    stem = posixpath.splitext(parts[-1])[0]
    return parts[:-1], (stem if stem != "README" else "index") != "index", parts[-1]


def _folder_title(name: str) -> str:
    title = name.replace("-", " ").replace("_", " ")
    return title.capitalize() if title.lower() == title else title


def _section(branch: list, title: str) -> list:
    for node in branch:
        if isinstance(node, dict) and title in node:
            return node[title]
    node: dict = {title: []}
    branch.append(node)
    return node[title]


def open_project(root: Path, written: list[tuple[str, str]], cache_dir: Path | None = None,
                 iris: RoomIris | None = None) -> Project:
    """The room under ``root`` and its hand-written pages (``(uri, text as written)``, uri
    relative to ``docs/``), with every problem of both in ``project.problems``.  ``iris``: the
    room's name and address (``site_name``, ``site_url``), which its identifiers come from."""
    room = load_room(root, cache_dir=cache_dir)
    room.iris = iris or RoomIris()
    project = Project(room, assignments.catalogue(written))
    room.problems.extend(assignments.check(written, room, project.catalogue, project.expanded))
    return project


def is_page(rel: str) -> bool:
    """Whether MkDocs treats ``rel`` (a path under docs/) as a page it renders: Markdown, not in
    a hidden folder or file, not in ``templates/`` (MkDocs' default exclusions)."""
    parts = rel.split("/")
    return (rel.endswith((".md", ".markdown")) and not any(p.startswith(".") for p in parts)
            and parts[0] != "templates")


def hand_written_pages(docs: Path) -> list[tuple[str, str]]:
    """Every Markdown page under ``docs`` as ``(uri, text)``, read as MkDocs reads them (UTF-8,
    a byte-order mark dropped, any line ending made ``\\n``)."""
    out = []
    for path in sorted(docs.rglob("*")):
        rel = path.relative_to(docs).as_posix()
        if path.is_file() and is_page(rel):
            out.append((rel, path.read_text(encoding="utf-8-sig")))
    return out
