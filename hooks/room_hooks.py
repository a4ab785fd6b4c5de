"""MkDocs hooks of the reading room: thin event handlers that hand off to ``reading_room``.

- ``on_config``: start a fresh build state (and let the last build's room be collected); for a
  build (not under ``mkdocs serve``), start the detector on the second core for the seeds that no
  annotation file is named after (``reading_room.room.read_ahead``): ``on_files`` reads what it
  has not reached when the room needs their flags, and finds the rest in the build cache.
- ``on_files``: read every seed and annotation file once, with the hand-written pages MkDocs
  found (``reading_room.project.open_project``, which ``python -m reading_room`` shares), report
  every problem as a warning (so ``mkdocs build --strict`` fails on any), and add the generated
  pages in memory with ``File.generated``: one page per source, the untouched originals, the
  sources index and collection pages, the "Notes that need attention" page (a room made of the
  same files as the last build's gets them back whole from the disk cache); the room's own CSS
  and JavaScript are swapped for copies without their comments (``reading_room.assets``).
  Nothing is written into ``docs/``.  It also sets the
  navigation (unless mkdocs.yml has one): MkDocs' own, but with ``reading_room.library``'s
  Sources section, which in a big room lists collections, not every source
  (``Project.navigation``, which the export writes into its mkdocs.yml too).  The garbage collector
  is paused while the room is read, and the room then frozen for it: it lives until the build
  ends, and full passes would only walk it again and again.
- ``on_page_markdown``: the hand-written page with its assignment excerpts expanded and its
  generated tables filled (``Project.page_markdown``; their problems were checked with the others
  in ``on_files``).
- ``on_page_markdown`` and ``on_page_content`` under ``mkdocs serve``: a page whose Markdown is
  the same as in the last build gets its HTML from that build rather than being converted again
  (``_reuse_rendering``); ``on_post_build`` lets go of what the build did not use.
- ``on_page_markdown`` and ``on_page_content``: the room's generated pages are mostly raw HTML
  blocks, which Python-Markdown would read tag by tag only to pass them through; they are set
  aside as placeholder words and put back into the HTML it makes (``reading_room.passthrough``):
  the same page, made in a fifth of the time.
- ``on_page_content``: the headings' permalinks lose their ¶, which the stylesheet draws, so a
  heading's text is the seed's (``reading_room.render.quiet_headerlinks``); a generated page's
  Markdown, and its file's bytes, are let go of once it is converted (``_let_go_of_markdown``).
- ``on_config``: Material's search plugin stays configured, so that the theme draws its search
  box, but its indexing events are taken out; ``on_page_content`` keeps each hand-written page's
  HTML, and ``on_post_build`` writes the room's own search index into the site
  (``reading_room.search_index``: small files that ``assets/room-search.js`` loads from
  ``file://`` as words are typed).
- ``on_post_page``, ``on_post_template``: fold the theme's white space (``reading_room.compact``),
  and add the Content-Security-Policy meta tag
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

from mkdocs.utils import write_file

from reading_room import assets, cache, compact, csp, passthrough, search_index, site
from reading_room.iri import RoomIris
from reading_room.project import ROOM_DIRS, open_project
from reading_room.render import quiet_headerlinks
from reading_room.room import read_ahead

log = get_plugin_logger("reading-room")
SERVING = "READING_ROOM_SERVING"
_state: dict = {}  # "project": the room and its hand-written pages (reading_room.project)


def on_config(config):
    _state.clear()
    gc.unfreeze()  # last build's room (under `mkdocs serve`) may be collected again
    # under `mkdocs serve`, the room's whole-site values stay in memory from one rebuild to the next
    cache.KEEP_IN_PROCESS = bool(os.environ.get(SERVING))
    _unhook_material_search(config)
    if not os.environ.get(SERVING):  # the detector starts on the second core (room.read_ahead)
        root = Path(config.config_file_path).parent
        read_ahead(root, root / ".cache" / "reading-room")
    return config


def _unhook_material_search(config):
    # Material draws its search box only while its search plugin is configured; the plugin's
    # work (every page's text into one search_index.json, which the browser indexes whole) is
    # what the room's own index replaces, so its events are taken out and the box is kept.
    plugin = config.plugins.get("material/search")
    if plugin is None:
        return
    for event in ("page_context", "post_build"):
        config.plugins.events[event] = [m for m in config.plugins.events[event]
                                        if getattr(m, "__self__", None) is not plugin]


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
    if project.room.machine_pool:
        log.info(project.room.machine_pool)
    for page in project.generated_pages():
        # a source page the navigation does not list is left out of it, not reported as missing
        hidden = page.uri.endswith(".md") and not project.in_navigation(page.uri)
        files.append(File.generated(config, page.uri, content=page.content, abs_src_path=page.abs_src_path,
                                    inclusion=InclusionLevel.NOT_IN_NAV if hidden else InclusionLevel.UNDEFINED))
    for name in assets.SHIPPED:  # the room's CSS and JavaScript without their comments
        kept = files.get_file_from_path(name)
        if kept is not None and kept.abs_src_path and not kept.generated_by:
            files.remove(kept)
            files.append(File.generated(config, name, content=assets.shipped(name, kept.content_string)))
    if config.nav is None:  # a nav written in mkdocs.yml is the editor's own, and left alone
        config.nav = project.navigation(f.src_uri for f in files.documentation_pages() if f.inclusion.is_in_nav())
    return files


def on_page_markdown(markdown, page, config, files):
    project = _state.get("project")
    if project and not page.file.generated_by:  # the room's own pages carry no excerpts or placeholders
        markdown = project.page_markdown(page.file.src_uri, markdown, original=page.file.content_string)
    if os.environ.get(SERVING):
        markdown = _reuse_rendering(markdown, page, config, files)  # "" when last build's HTML is kept
    if project and page.file.generated_by and markdown:
        # the room's raw HTML blocks skip Markdown's HTML parser (reading_room.passthrough)
        kept = passthrough.split(markdown)
        _state.setdefault("raw", {})[page.file.src_uri] = kept
        markdown = kept.skeleton
    return markdown


# -- under `mkdocs serve`: a page whose Markdown did not change is not converted again ---------
# MkDocs 1.6 rebuilds the whole site on every change, and converting each page's Markdown is
# most of that; after an edit to one note, all but a few pages have the very same Markdown as
# in the last build.  Their HTML (and table of contents, and anchors) from that build is reused:
# the page's Markdown is handed on empty, and on_page_content puts the kept HTML back.  Keyed by
# the page, its Markdown, the Markdown settings and the set of files (links are checked against
# it), so any change that could change the HTML converts the page again.
def _reuse_rendering(markdown, page, config, files):
    build = _state.setdefault("render", {"used": set(), "context": None})
    if build["context"] is None:
        build["context"] = cache.key("render-context", repr(config["markdown_extensions"]),
                                     repr(config["mdx_configs"]), *sorted(f.src_uri for f in files))
    key = cache.key("rendered", build["context"], page.file.src_uri, markdown)
    build["used"].add(key)
    build.setdefault("pending", {})[page.file.src_uri] = key
    if key in cache.RENDERED:
        return ""  # converted in no time; on_page_content gives the page its HTML back
    return markdown


def on_page_content(html, page, config, files):
    kept = _state.get("raw", {}).pop(page.file.src_uri, None)
    if kept:
        html = kept.restore(html)
    # the toc extension's ¶ would be part of every heading's text: the stylesheet draws it
    html = quiet_headerlinks(html)
    html = _kept_rendering(html, page)
    uri = page.file.src_uri
    search = page.meta.get("search") if isinstance(page.meta.get("search"), dict) else {}
    if not uri.startswith(ROOM_DIRS) and not search.get("exclude"):  # sources: from the room itself
        _state.setdefault("search_pages", []).append(search_index.html_page(page.url, page.title or "", html))
    if page.file.generated_by:
        _let_go_of_markdown(page)
    return html


def _let_go_of_markdown(page):
    # MkDocs keeps every page's Markdown, and the file's bytes it was read from, until the build
    # ends, though nothing reads them once the page is converted: for the room's own pages that
    # is two copies of the whole site's Markdown (600 MB at 5,000 sources).  "" and not None:
    # a page whose Markdown is None has no title.
    page.markdown = ""
    page.file.content_bytes = b""


def _kept_rendering(html, page):
    build = _state.get("render")
    key = build and build["pending"].pop(page.file.src_uri, None)
    if not key:
        return html
    kept = cache.RENDERED.get(key)
    if kept is None:
        cache.RENDERED[key] = (html, page.toc, page._title_from_render, page.present_anchor_ids)
        return html
    html, page.toc, page._title_from_render, page.present_anchor_ids = kept
    page.links_to_anchors = None  # checked when the page was converted
    return html


def on_post_build(config):
    project = _state.get("project")
    if project:  # the room's search index (reading_room.search_index), in place of Material's
        files = search_index.room_files(project.room, _state.get("search_pages", []), site.source_url)
        for path, content in files.items():
            write_file(content.encode("utf-8"), os.path.join(config.site_dir, path))
    cache.end_build()
    build = _state.get("render")
    if build:  # what this build did not use will not be asked for again
        for key in [k for k in cache.RENDERED if k not in build["used"]]:
            del cache.RENDERED[key]


def on_startup(*, command, dirty):
    # an environment variable, because MkDocs runs this module afresh on every rebuild under
    # `serve`, but calls on_startup only once
    os.environ[SERVING] = "1" if command == "serve" else ""


def on_post_page(output, page, config):
    output = compact.fold(output)
    if os.environ.get(SERVING):
        return output
    return csp.add_policy(output)


def on_post_template(output_content, template_name, config):
    if os.environ.get(SERVING) or not template_name.endswith(".html"):  # 404.html, not sitemap.xml
        return output_content
    return csp.add_policy(compact.fold(output_content))
