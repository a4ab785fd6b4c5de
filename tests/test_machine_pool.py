"""The detector on both cores (issue 17): sources whose flags are not cached are read in a process
pool when there is enough of them, and the room is the same as when one process reads them — the
same notes, the same drops, the same cache entries — including when the pool fails part way."""

from __future__ import annotations

import concurrent.futures
import random
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from reading_room import machine, room as room_module
from reading_room.decode import decode_text
from reading_room.room import load_room

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """Six sources nobody has annotated (shuffled paragraphs of the seeds), two of the same text."""
    root = tmp_path_factory.mktemp("pool")
    (root / "seeds").mkdir()
    paragraphs = [p for seed in sorted((ROOT / "seeds").glob("*.txt"))
                  for p in decode_text(seed.read_bytes(), seed.name).text.split("\n\n") if p.strip()]
    rng = random.Random(3)
    for i in range(5):
        body = "\n\n".join(rng.sample(paragraphs, 40))
        (root / "seeds" / f"s{i}.txt").write_text(f"Source {i}\n\n{body}\n", encoding="utf-8")
    (root / "seeds" / "s5.txt").write_text((root / "seeds" / "s0.txt").read_text(encoding="utf-8"), encoding="utf-8")
    return root


@pytest.fixture(autouse=True)
def forget_placed_suggestions():
    """Each load reads the sources afresh: one process keeps a source's placed suggestions for
    the next load (``room._MACHINE``, for ``mkdocs serve``), and these tests load the room again."""
    room_module._MACHINE.clear()
    yield
    room_module._MACHINE.clear()


def margins(room) -> tuple:
    return ([(n.note.id, n.note.selector, n.note.body, n.anchor) for n in room.resolution.placed],
            dict(room.machine_dropped))


@pytest.fixture(scope="module")
def serial(project):
    room = load_room(project)
    assert room.machine_pool == "" and room.resolution.placed
    return margins(room)


def test_the_pool_makes_the_same_notes_as_one_process(project, serial, monkeypatch):
    monkeypatch.setattr(machine, "POOL_MIN_CHARS", 0)
    room = load_room(project)
    assert room.machine_pool.startswith("reading room: the detector read 5 sources (")  # s5 is s0 again
    assert room.machine_pool.endswith(" in 2 processes") or machine.usable_cores() < 2
    assert margins(room) == serial


def test_the_parent_caches_what_the_pool_found_under_the_keys_one_process_uses(project, serial, tmp_path, monkeypatch):
    monkeypatch.setattr(machine, "POOL_MIN_CHARS", 0)
    room = load_room(project, cache_dir=tmp_path / "cache")
    assert room.machine_pool and margins(room) == serial
    assert len(list((tmp_path / "cache" / "flags").rglob("*.pickle"))) == 5

    def no_detector(text, lexicon_dir=None):
        raise AssertionError("the flags should have come from the cache")
    monkeypatch.setattr("reading_room.detect.detect", no_detector)
    again = load_room(project, cache_dir=tmp_path / "cache")
    assert again.machine_pool == "" and margins(again) == serial  # nothing left to read


def test_a_pool_that_breaks_part_way_leaves_the_rest_to_this_process(project, serial, monkeypatch):
    class Breaks(concurrent.futures.ThreadPoolExecutor):
        def __init__(self, max_workers=None, mp_context=None, initializer=None, initargs=()):
            super().__init__(max_workers)

        def map(self, fn, items):
            items = list(items)
            yield fn(items[0])
            raise BrokenProcessPool("a worker died")

    monkeypatch.setattr(machine, "POOL_MIN_CHARS", 0)
    monkeypatch.setattr(machine, "usable_cores", lambda: 2)
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Breaks)
    room = load_room(project)
    assert "processes failed (BrokenProcessPool: a worker died) after 1 of 5 sources" in room.machine_pool
    assert margins(room) == serial


def test_workers_that_read_another_detector_are_not_believed(project, serial, monkeypatch):
    monkeypatch.setattr(machine, "POOL_MIN_CHARS", 0)
    monkeypatch.setattr(machine, "usable_cores", lambda: 2)
    monkeypatch.setattr("reading_room.detect.fingerprint", lambda: "edited-since")  # the parent's view
    room = load_room(project)
    assert "another version of the detector" in room.machine_pool
    assert margins(room) == serial


def test_one_usable_core_or_little_text_reads_in_this_process(project, monkeypatch):
    monkeypatch.setattr(machine.os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert machine.usable_cores() == 1
    monkeypatch.setattr(machine, "POOL_MIN_CHARS", 0)
    assert load_room(project).machine_pool == ""
    monkeypatch.undo()
    monkeypatch.setattr(machine, "usable_cores", lambda: 2)
    assert load_room(project).machine_pool == ""  # 0.3 MB: below POOL_MIN_CHARS


def test_one_process_places_a_sources_suggestions_once_until_it_changes(project, serial, tmp_path, monkeypatch):
    """Under ``mkdocs serve`` every rebuild reads the room again: the suggestions of a source whose
    text and the detector are the same as last time are not placed again."""
    import shutil

    copy = tmp_path / "room"
    shutil.copytree(project, copy)
    first = margins(load_room(copy))
    calls = []
    placing = room_module.machine_notes
    monkeypatch.setattr(room_module, "machine_notes", lambda *a, **k: calls.append(a[0]) or placing(*a, **k))
    assert margins(load_room(copy)) == first and calls == []
    seed = copy / "seeds" / "s1.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("Source 1", "Source one"), encoding="utf-8")
    again = load_room(copy)
    assert calls == ["s1"]
    assert [p.note.id for p in again.resolution.placed if p.note.source != "s1"] == \
        [p.note.id for p in load_room(project).resolution.placed if p.note.source != "s1"]


def test_what_is_cached_is_handed_back_not_read_again(project, tmp_path, monkeypatch):
    """``detect_many`` gives the flags it finds in the cache to the build, which then reads none
    of them from the cache a second time, nor with the detector."""
    texts = [decode_text(p.read_bytes(), p.name).text for p in sorted((project / "seeds").glob("*.txt"))]
    cache_dir = tmp_path / "cache"
    for text in texts:
        machine.flags_for(text, cache_dir)
    monkeypatch.setattr("reading_room.detect.detect", lambda *a, **k: pytest.fail("read again"))
    found, how = machine.detect_many(texts, cache_dir)
    assert how == "" and set(found) == {machine.flags_key(t) for t in texts}
    assert all(found[machine.flags_key(t)] == machine.flags_for(t, cache_dir) for t in texts)
