"""``python -m reading_room``: the room without an engine.

- ``check`` reads ``seeds/``, ``annotations/`` and the hand-written pages of ``docs/`` (the
  assignments' excerpts), anchors every note and excerpt, and prints every problem exactly as
  ``mkdocs build`` words it, one after another, then a count on standard error.  With
  ``--format json``, one JSON object per problem and line instead (JSON Lines), for editors and CI
  annotations: ``{"path", "line", "message", "hint", "note_id", "text"}``, where ``line`` is null
  for a problem of a whole file and ``text`` is the problem as the build prints it.
- ``export DIR`` writes the room as a plain docs tree that needs no hooks: ``DIR/docs/`` (the
  source pages, originals, overview pages, attention page, ``annotations.jsonld``,
  ``notes-index.json``, the hand-written pages with their excerpts expanded and their tables
  filled, and everything else of ``docs/`` as it is) and ``DIR/mkdocs.yml`` (the room's own
  configuration without ``hooks`` and ``watch``, with the navigation the hooks would set), so
  that any engine that reads a Material ``mkdocs.yml`` builds the room from it.  Its problems are printed as ``check`` prints them.

Exit status (both commands): 0 no problem; 1 the room has problems (``export`` has still written
the tree, with the attention page that lists them); 2 nothing could be checked or written (bad
arguments, no ``seeds/`` folder, an unreadable folder, an export folder that is not ours).

This module imports no engine: it runs where MkDocs is not installed (a test proves it).  It
shares the hooks' code path (``reading_room.project``), so the problems are the build's own.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import time
from pathlib import Path

import yaml

from .assignments import FRONT_MATTER
from .errors import printable
from .iri import DEFAULT_NAME, RoomIris
from .project import Project, hand_written_pages, is_page, open_project
from . import search_index

OK, PROBLEMS, CANNOT = 0, 1, 2
EXPORT_MARK = ".reading-room-export"  # written into an export, so that a later export may replace it
CONFIG = "mkdocs.yml"
ENGINE_ONLY_KEYS = ("hooks", "watch")  # run the room's hooks; watch seeds/ that an export has no need of
# Control and bidi characters stay escaped in JSON too (json.dumps leaves them raw with
# ensure_ascii=False), so a problem's quoted text cannot rewrite an editor's terminal.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


class CannotRun(Exception):
    """Nothing could be checked or written: the message says why (exit status 2)."""


def read_project(root: Path, use_cache: bool = True) -> Project:
    if not (root / "seeds").is_dir():
        raise CannotRun(f"{root}: no seeds/ folder here; run this in the room's folder (beside mkdocs.yml) "
                        "or name it with --root")
    docs = root / "docs"
    try:
        written = hand_written_pages(docs) if docs.is_dir() else []
        return open_project(root, written, cache_dir=root / ".cache" / "reading-room" if use_cache else None,
                            iris=room_iris(root))
    except OSError as exc:
        raise CannotRun(f"cannot read {exc.filename}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:  # a hand-written page MkDocs could not read either
        raise CannotRun(f"a page in {docs} is not UTF-8 (byte offset {exc.start}); save it as UTF-8") from None


def room_iris(root: Path) -> RoomIris:
    """The room's name and address from its mkdocs.yml, as the build takes them (the defaults
    when it has none, or none that can be read)."""
    try:
        config = yaml.load((root / CONFIG).read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, CannotRun):
        config = None
    config = config if isinstance(config, dict) else {}
    return RoomIris(site_url=str(config.get("site_url") or ""), name=str(config.get("site_name") or DEFAULT_NAME))


def problem_record(problem) -> dict:
    return {"path": problem.path, "line": problem.line, "message": problem.message, "hint": problem.hint,
            "note_id": problem.note_id, "text": str(problem)}


def json_line(record: dict) -> str:
    text = json.dumps(record, ensure_ascii=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def report(project: Project, fmt: str, out, err) -> int:
    problems = list(project.problems)
    for problem in problems:
        print(json_line(problem_record(problem)) if fmt == "json" else str(problem), file=out)
    for note in project.room.machine_skipped.values():
        print(printable(note), file=err)
    return PROBLEMS if problems else OK


def check(args, out, err) -> int:
    start = time.perf_counter()
    project = read_project(args.root, use_cache=not args.no_cache)
    status = report(project, args.format, out, err)
    n, notes = len(project.problems), len(project.room.notes)
    print(f"reading-room check: {n} problem{'s' * (n != 1)} in {len(project.room.sources)} sources, "
          f"{notes} notes ({time.perf_counter() - start:.2f} s)", file=err)
    return status


# -- export -----------------------------------------------------------------------------------
class _Tagged(str):
    """A scalar with a YAML tag (``!!python/name:…``, ``!ENV``) kept as written, so that the
    exported configuration says what the room's says without this module importing anything."""

    tag = ""


class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    pass


def _tagged(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        value = _Tagged(loader.construct_scalar(node))
        value.tag = node.tag
        return value
    raise CannotRun(f"{CONFIG}:{node.start_mark.line + 1}: a tagged list or mapping ({node.tag}) cannot be exported")


_Loader.add_multi_constructor("!", _tagged)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _tagged)
_Dumper.add_representer(_Tagged, lambda dumper, value: dumper.represent_scalar(value.tag, str(value)))


def export_config(root: Path) -> dict:
    path = root / CONFIG
    if not path.exists():
        raise CannotRun(f"{path}: no {CONFIG} to export the room's settings from")
    try:
        config = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_Loader) or {}
    except yaml.YAMLError as exc:
        raise CannotRun(f"{path}: cannot be read as YAML: {exc}") from None
    for key in ENGINE_ONLY_KEYS:
        config.pop(key, None)
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    return config


def _prepare(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise CannotRun(f"{out}: is a file; name a folder to export into")
    if out.exists() and any(out.iterdir()) and not (out / EXPORT_MARK).exists():
        raise CannotRun(f"{out}: is not empty and holds no earlier export ({EXPORT_MARK}); name a new or empty "
                        "folder, so that nothing of yours is overwritten")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / EXPORT_MARK).write_text("written by `python -m reading_room export`; replaced by the next export\n")


def _write(path: Path, content: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="\n")


def write_tree(project: Project, root: Path, out: Path) -> list[str]:
    """The docs tree and its configuration in ``out``; the paths written, relative to ``out``."""
    config = export_config(root)
    _prepare(out)
    written = []
    docs, target = root / "docs", out / "docs"
    pages = dict(hand_written_pages(docs)) if docs.is_dir() else {}
    for path in sorted(docs.rglob("*")) if docs.is_dir() else []:
        rel = path.relative_to(docs).as_posix()
        if path.is_dir():
            continue
        if rel in pages:  # a page the engine renders: with its excerpts and tables, as the hooks make it
            original = pages[rel]
            m = FRONT_MATTER.match(original)
            body = original[m.end():].lstrip("\n") if m else original
            _write(target / rel, (m.group(0) if m else "") + project.page_markdown(rel, body, original=original))
        else:
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / rel)
        written.append(f"docs/{rel}")
    generated = project.generated_pages()
    for page in generated:
        if page.abs_src_path:
            (target / page.uri).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(page.abs_src_path, target / page.uri)
        else:
            _write(target / page.uri, page.content or "")
        written.append(f"docs/{page.uri}")
    theme_dir = (config.get("theme") or {}).get("custom_dir") if isinstance(config.get("theme"), dict) else None
    if theme_dir and (root / theme_dir).is_dir():  # theme overrides travel with the pages …
        # … but the room's search box, which needs the index the hooks write (reading_room.search_index):
        # another engine keeps its own search
        shutil.copytree(root / theme_dir, out / theme_dir, ignore=lambda folder, names: [
            n for n in names if Path(folder, n) == root / theme_dir / search_index.THEME_PARTIAL])
        written.append(theme_dir + "/")
    if config.get("nav") is None:  # the navigation the hooks would give MkDocs (a written nav is kept)
        config["nav"] = project.navigation(
            sorted({uri for uri in pages} | {p.uri for p in generated if is_page(p.uri)}))
    _write(out / CONFIG, "# Written by `python -m reading_room export`: the room as plain pages, no hooks needed.\n"
           + yaml.dump(config, Dumper=_Dumper, allow_unicode=True, sort_keys=False))
    written.append(CONFIG)
    return written


def export(args, out, err) -> int:
    start = time.perf_counter()
    project = read_project(args.root, use_cache=not args.no_cache)
    written = write_tree(project, args.root, args.dir)
    status = report(project, "text", err, err)
    print(f"reading-room export: {len(written)} files in {args.dir} ({time.perf_counter() - start:.2f} s); "
          f"build it with any engine that reads mkdocs.yml, e.g. `zensical build -f {args.dir / CONFIG}`", file=err)
    return status


# -- the command ------------------------------------------------------------------------------
def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m reading_room", description="The reading room without an engine.")
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check", help="report every problem of the room (as the build does); exit 1 if there is any")
    c.add_argument("--format", choices=["text", "json"], default="text",
                   help="text: as the build prints them; json: one JSON object per problem and line")
    c.set_defaults(run=check)
    e = sub.add_parser("export", help="write the room as a plain docs tree with its mkdocs.yml, needing no hooks")
    e.add_argument("dir", type=Path, help="the folder to write (new, empty, or an earlier export)")
    e.set_defaults(run=export)
    for s in (c, e):
        s.add_argument("--root", type=Path, default=Path("."), help="the room's folder (default: the current one)")
        s.add_argument("--no-cache", action="store_true", help="read everything afresh, ignoring .cache/reading-room")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    args.root = args.root.resolve()
    try:
        return args.run(args, sys.stdout, sys.stderr)
    except CannotRun as exc:
        print(f"reading-room: {printable(str(exc))}", file=sys.stderr)
        return CANNOT
    except BrokenPipeError:  # `| head`
        return OK
