"""The disk cache: an unchanged room costs (almost) nothing on rebuild, and any edit misses."""

from __future__ import annotations

from pathlib import Path

import pytest

from reading_room import cache, site
from reading_room.room import load_room

SEED = "A Title\n\nThe first paragraph says that ninety percent of workers agreed.\n"
NOTES = """annotations:
  - id: a-1
    kind: uncited
    strength: unsourced
    quote: "ninety percent of workers agreed"
    note: No survey is named.
"""


def _room(tmp_path: Path) -> Path:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "annotations").mkdir()
    (tmp_path / "seeds" / "a.txt").write_text(SEED, encoding="utf-8")
    (tmp_path / "annotations" / "a.yml").write_text(NOTES, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("edit", [
    lambda root: (root / "seeds" / "a.txt").write_text(SEED + "\nOne more line.\n", encoding="utf-8"),
    lambda root: (root / "seeds" / "a.meta.yml").write_text("title: Another title\n", encoding="utf-8"),
    lambda root: (root / "annotations" / "a.yml").write_text(NOTES.replace("No survey", "No poll"), encoding="utf-8"),
    lambda root: (root / "annotations" / "b.yml").write_text("annotations: []\n", encoding="utf-8"),
    lambda root: (root / "seeds" / "b.txt").write_text("Another source\n", encoding="utf-8"),
], ids=["seed", "meta", "annotation", "annotation-without-seed", "new-seed"])
def test_room_digest_changes_with_every_input(tmp_path, edit):
    root = _room(tmp_path)
    before = load_room(root).digest
    assert load_room(root).digest == before  # same files, same digest
    edit(root)
    assert load_room(root).digest != before


def test_latest_keeps_a_single_slot(tmp_path):
    calls = []

    def compute(value):
        def run():
            calls.append(value)
            return value
        return run

    assert cache.latest(tmp_path, "site", "d1", compute("one")) == "one"
    assert cache.latest(tmp_path, "site", "d1", compute("again")) == "one"  # read back, not computed
    assert cache.latest(tmp_path, "site", "d2", compute("two")) == "two"
    assert calls == ["one", "two"]
    assert [p.name for p in (tmp_path / "site").iterdir()] == ["latest.pickle"]


def test_latest_under_serve_keeps_rebuilds_in_memory(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "KEEP_IN_PROCESS", True)
    monkeypatch.setattr(cache, "_LATEST", {})
    calls = []
    first = cache.latest(tmp_path, "site", "d1", lambda: calls.append(1) or "one")
    slot = tmp_path / "site" / "latest.pickle"
    written = slot.stat().st_mtime_ns
    assert first == "one" and slot.exists()  # the first build leaves the disk cache for the next process
    assert cache.latest(tmp_path, "site", "d1", lambda: calls.append(2) or "again") == "one"
    assert cache.latest(tmp_path, "site", "d2", lambda: calls.append(3) or "two") == "two"
    assert calls == [1, 3]
    assert slot.stat().st_mtime_ns == written  # a rebuild is not written to disk again
    monkeypatch.setattr(cache, "KEEP_IN_PROCESS", False)
    assert cache.latest(tmp_path, "site", "d2", lambda: "computed: the disk holds d1") == "computed: the disk holds d1"


def test_under_serve_a_rebuild_gets_back_the_same_objects_and_what_was_made_of_them(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "KEEP_IN_PROCESS", True)
    for table in ("_IN_PROCESS", "_KEPT"):
        monkeypatch.setattr(cache, table, {})
    monkeypatch.setattr(cache, "_USED", set())
    notes = cache.cached(tmp_path, "notes", "n1", lambda: ["a note"])
    (tmp_path / "notes").rename(tmp_path / "gone")  # not read from disk again
    assert cache.cached(tmp_path, "notes", "n1", lambda: ["computed again"]) is notes
    made = []
    html = cache.kept("item", (notes,), "page", lambda: made.append(1) or "<li>a note</li>")
    assert cache.kept("item", (notes,), "page", lambda: made.append(2) or "new") is html
    assert cache.kept("item", (notes,), "other page", lambda: made.append(3) or "x") == "x"  # extra differs
    assert cache.kept("item", (["a note"],), "page", lambda: made.append(4) or "y") == "y"  # equal, not the same
    assert made == [1, 3, 4]
    cache.end_build()
    cache.end_build()  # a build that asked for nothing: everything is let go
    assert not cache._KEPT and not cache._IN_PROCESS
    monkeypatch.setattr(cache, "KEEP_IN_PROCESS", False)
    assert cache.kept("item", (notes,), "page", lambda: "a one-off build keeps nothing") == "a one-off build keeps nothing"
    assert not cache._KEPT


def test_latest_survives_a_damaged_file(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "latest.pickle").write_bytes(b"not a pickle")
    assert cache.latest(tmp_path, "site", "d1", lambda: "fresh") == "fresh"


def test_site_pages_come_back_whole_from_the_cache_when_nothing_changed(tmp_path, monkeypatch):
    root = _room(tmp_path)
    folder = tmp_path / ".cache"
    first = site.pages(load_room(root, cache_dir=folder))
    assert any(p.uri == "sources/a.md" and "ninety percent" in p.text for p in first)

    def must_not_run(room):
        raise AssertionError("the pages were made again although no file changed")

    monkeypatch.setattr(site, "_pages", must_not_run)
    assert site.pages(load_room(root, cache_dir=folder)) == first
    # an edited note is a different room: its pages are made again
    (root / "annotations" / "a.yml").write_text(NOTES.replace("No survey", "No poll"), encoding="utf-8")
    with pytest.raises(AssertionError, match="made again"):
        site.pages(load_room(root, cache_dir=folder))


def test_room_digest_follows_the_detector_where_it_writes_the_margin(tmp_path, monkeypatch):
    """A source with no notes shows the detector's suggestions: an edit to its lexicons must
    make the room's pages again, while a fully annotated room does not depend on it."""
    import reading_room.detect as detector

    root = _room(tmp_path)
    annotated = load_room(root).digest
    monkeypatch.setattr(detector, "fingerprint", lambda: "another lexicon")
    assert load_room(root).digest == annotated
    (root / "seeds" / "b.txt").write_text("Another source\n\nNinety percent agreed.\n", encoding="utf-8")
    with_b = load_room(root).digest
    monkeypatch.setattr(detector, "fingerprint", lambda: "a third lexicon")
    assert load_room(root).digest != with_b


def test_problems_from_outside_the_room_reach_the_cached_attention_page(tmp_path):
    """An assignment's stale excerpt is a problem of the build but not a file of the room: the
    attention page must show it, and drop it once fixed, even when no room file changed."""
    root = _room(tmp_path)
    folder = tmp_path / ".cache"

    def attention(room) -> str:
        return "".join(p.text for p in site.pages(room) if p.uri == site.ATTENTION_URI)

    assert "week-1.md" not in attention(load_room(root, cache_dir=folder))
    room = load_room(root, cache_dir=folder)
    room.problems.add("docs/assignments/week-1.md", 12, "excerpt quote not found")
    assert "week-1.md" in attention(room)
    assert "week-1.md" not in attention(load_room(root, cache_dir=folder))


@pytest.mark.parametrize("fails", [False, True], ids=["build", "build-that-fails"])
def test_on_files_pauses_the_garbage_collector_and_always_restarts_it(monkeypatch, fails):
    """The collector is paused while the room is read (its full passes would walk the room again
    and again) and runs again afterwards, even when reading the room fails."""
    import gc

    import room_hooks

    seen = []

    def add_room(files, config):
        seen.append(gc.isenabled())
        if fails:
            raise RuntimeError("unreadable room")
        return files

    monkeypatch.setattr(room_hooks, "_add_room", add_room)
    try:
        if fails:
            with pytest.raises(RuntimeError):
                room_hooks.on_files([], None)
        else:
            assert room_hooks.on_files([], None) == []
        assert seen == [False] and gc.isenabled()
    finally:
        gc.unfreeze()
