"""MkDocs hooks of the reading room: thin event handlers that hand off to ``reading_room``.

- ``on_config``: start a fresh build state (and let the last build's room be collected).
- ``on_files``: read every seed and annotation file once, with the hand-written pages MkDocs
  found (``reading_room.project.open_project``, which ``python -m reading_room`` shares), report
  every problem as a warning (so ``mkdocs build --strict`` fails on any), and add the generated
  pages in memory with ``File.generated``: one page per source, the untouched originals, the
  sources index and collection pages, the "Notes that need attention" page (a room made of the same files as the last build's gets
  them back whole from the disk cache).  Nothing is written into ``docs/``.  It also sets the
  navigation (unless mkdocs.yml has one): MkDocs' own, but with ``reading_room.library``'s
  Sources section, which in a big room lists collections, not every source
  (``Project.navigation``, which the export writes into its mkdocs.yml too).  The garbage collector
  is paused while the room is read, and the room then frozen for it: it lives until the build
  ends, and full passes would only walk it again and again.
- ``on_page_markdown``: the hand-written page with its assignment excerpts expanded and its
  generated tables filled (``Project.page_markdown``; their problems were checked with the others
  in ``on_files``).
- ``on_post_page``, ``on_post_template``: add the Content-Security-Policy meta tag
  (``reading_room.csp``) to every page, 404.html included,
  of a built site (not under ``mkdocs serve``, whose live reload is an inline script it adds to
  each page as it serves it, which the policy would block).
"""

from __future__ import annotations

import gc
import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, InclusionLevel

from reading_room import csp
from reading_room.iri import RoomIris
from reading_room.project import open_project

log = get_plugin_logger("reading-room")
SERVING = "READING_ROOM_SERVING"
_state: dict = {}  # "project": the room and its hand-written pages (reading_room.project)


def on_config(config):
    _state.clear()
    gc.unfreeze()  # last build's room (under `mkdocs serve`) may be collected again
    return config


def on_files(files, config):
    # The room is made of many small objects that all live until the build ends: the garbage
    # collector's full passes while it is read would walk them again and again (0.5 s of a
    # 500-source build) and find nothing to free.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _add_room(files, config)
    finally:
        gc.freeze()  # the room lives until the build ends: leave it out of later passes too
        if enabled:
            gc.enable()


def _add_room(files, config):
    root = Path(config.config_file_path).parent
    written = [(f.src_uri, f.content_string) for f in files.documentation_pages() if not f.generated_by]
    try:
        project = open_project(root, written, cache_dir=root / ".cache" / "reading-room",
                               iris=RoomIris(site_url=config.site_url or "", name=config.site_name or ""))
    except OSError as exc:  # an unreadable seeds/ folder is the only thing that stops the build
        raise PluginError(f"reading room: cannot read {exc.filename}: {exc.strerror}") from None
    _state["project"] = project
    for problem in project.problems:
        log.warning(str(problem))
    for note in project.room.machine_skipped.values():
        log.info(note)
    for page in project.generated_pages():
        # a source page the navigation does not list is left out of it, not reported as missing
        hidden = page.uri.endswith(".md") and not project.in_navigation(page.uri)
        files.append(File.generated(config, page.uri, content=page.content, abs_src_path=page.abs_src_path,
                                    inclusion=InclusionLevel.NOT_IN_NAV if hidden else InclusionLevel.UNDEFINED))
    if config.nav is None:  # a nav written in mkdocs.yml is the editor's own, and left alone
        config.nav = project.navigation(f.src_uri for f in files.documentation_pages() if f.inclusion.is_in_nav())
    return files


def on_page_markdown(markdown, page, config, files):
    project = _state.get("project")
    if not project or page.file.generated_by:  # the room's own pages carry no excerpts or placeholders
        return markdown
    return project.page_markdown(page.file.src_uri, markdown, original=page.file.content_string)


def on_startup(*, command, dirty):
    # an environment variable, because MkDocs runs this module afresh on every rebuild under
    # `serve`, but calls on_startup only once
    os.environ[SERVING] = "1" if command == "serve" else ""


def on_post_page(output, page, config):
    if os.environ.get(SERVING):
        return output
    return csp.add_policy(output)


def on_post_template(output_content, template_name, config):
    if os.environ.get(SERVING) or not template_name.endswith(".html"):  # 404.html, not sitemap.xml
        return output_content
    return csp.add_policy(output_content)
