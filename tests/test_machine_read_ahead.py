"""A first build of a small room starts the detector on the second core (``room.read_ahead``):
a forked process keeps the flags of the seeds no annotation file is named after in the build
cache, and ``add_machine_layer`` waits for it and finds them there."""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest

from reading_room import cache, machine, room as room_module
from reading_room.decode import decode_text
from reading_room.detect import detect
from reading_room.room import load_room, read_ahead

ROOT = Path(__file__).resolve().parents[1]

needs_a_fork = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the read-ahead forks on Linux only")


@pytest.fixture
def project(tmp_path) -> Path:
    """Three sources: one annotated (its file named after it), two not."""
    (tmp_path / "seeds").mkdir()
    (tmp_path / "annotations").mkdir()
    paragraphs = [p for p in decode_text((ROOT / "seeds" / "white-paper-2020.txt").read_bytes(), "w").text.split("\n\n")
                  if p.strip()]
    for i in range(3):
        body = "\n\n".join(paragraphs[10 * i:10 * i + 10])
        (tmp_path / "seeds" / f"Source {i}.txt").write_text(f"Source {i}\n\n{body}\n", encoding="utf-8")
    (tmp_path / "annotations" / "source-0.yml").write_text(
        "annotations:\n  - id: n1\n    kind: uncited\n    strength: unsourced\n    quote: Source 0\n"
        "    note: Nothing is cited for it.\n", encoding="utf-8")
    return tmp_path


@pytest.fixture(autouse=True)
def one_thread_two_cores(monkeypatch):
    """The read-ahead starts only in a process with one thread (a fork copies no other thread's
    locks), on two cores; the browser tests may have left Playwright's threads running in this
    one, which the forked process never touches."""
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setattr(machine, "usable_cores", lambda: 2)
    room_module._MACHINE.clear()
    yield
    machine.wait_for_read_ahead()
    room_module._MACHINE.clear()


def flags_in(cache_dir: Path) -> list[Path]:
    return sorted((cache_dir / "flags").rglob("*.pickle"))


def texts(project: Path, *names: str) -> list[str]:
    return [decode_text((project / "seeds" / f"{n}.txt").read_bytes(), n).text for n in names]


@needs_a_fork
def test_the_unannotated_seeds_flags_are_in_the_cache_when_the_build_needs_them(project, tmp_path):
    cache_dir = tmp_path / "cache"
    assert read_ahead(project, cache_dir)
    machine.wait_for_read_ahead()
    kept = {p.stem: cache.peek(cache_dir, "flags", p.stem) for p in flags_in(cache_dir)}
    wanted = {machine.flags_key(t): detect(t) for t in texts(project, "Source 1", "Source 2")}
    assert kept == wanted  # the annotated Source 0 is not read


@needs_a_fork
def test_the_build_takes_them_from_the_cache_and_makes_the_same_margin(project, tmp_path, monkeypatch):
    alone = load_room(project)
    room_module._MACHINE.clear()
    cache_dir = tmp_path / "cache"
    assert read_ahead(project, cache_dir)

    def no_detector(text, lexicon_dir=None):
        raise AssertionError("the flags should have come from the read-ahead")
    monkeypatch.setattr("reading_room.detect.detect", no_detector)  # in this process only: it has forked
    room = load_room(project, cache_dir=cache_dir)  # waits for it (add_machine_layer)
    assert not machine._AHEAD and not [p for p in room.problems.items if p.note_id]
    assert [(p.note.id, p.anchor) for p in room.resolution.placed] == [(p.note.id, p.anchor) for p in alone.resolution.placed]
    assert any(p.note.source == "source-2" for p in room.resolution.placed)


@needs_a_fork
def test_a_read_ahead_that_fails_leaves_the_reading_to_the_build(project, tmp_path, monkeypatch):
    def breaks(paths, cache_dir):
        raise RuntimeError("a broken read-ahead")
    monkeypatch.setattr(machine, "_read_into_cache", breaks)
    cache_dir = tmp_path / "cache"
    assert read_ahead(project, cache_dir)
    machine.wait_for_read_ahead()
    assert flags_in(cache_dir) == []
    room = load_room(project, cache_dir=cache_dir)
    assert any(p.note.source == "source-1" for p in room.resolution.placed) and len(flags_in(cache_dir)) == 2


def test_no_read_ahead_where_it_cannot_help_or_could_harm(project, tmp_path, monkeypatch):
    assert not read_ahead(project, None)  # nowhere to keep what it finds
    with monkeypatch.context() as m:
        m.setattr(cache, "DISABLED", True)  # ROOM_NO_CACHE=1
        assert not read_ahead(project, tmp_path / "cache")
    with monkeypatch.context() as m:
        m.setattr(threading, "active_count", lambda: 2)  # a fork would copy another thread's locks
        assert not read_ahead(project, tmp_path / "cache")
    with monkeypatch.context() as m:
        m.setattr(machine, "usable_cores", lambda: 1)
        assert not read_ahead(project, tmp_path / "cache")
    with monkeypatch.context() as m:
        m.setattr(room_module, "POOL_MIN_CHARS", 5_000)  # enough text for the pool, later
        assert not read_ahead(project, tmp_path / "cache")
    for name in ("Source 1", "source-2"):  # by the seed's name or its page address
        (project / "annotations" / f"{name}.yml").write_text("annotations: []\n", encoding="utf-8")
    assert not read_ahead(project, tmp_path / "cache")  # nothing left unannotated
    assert not machine._AHEAD and not (tmp_path / "cache").exists()


def test_the_hooks_read_ahead_for_a_build_but_not_under_serve(monkeypatch, tmp_path):
    import room_hooks

    calls = []
    monkeypatch.setattr(room_hooks, "read_ahead", lambda root, cache_dir: calls.append((root, cache_dir)))
    config = SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml"), plugins=SimpleNamespace(get=lambda name: None))
    monkeypatch.setenv(room_hooks.SERVING, "")
    room_hooks.on_config(config)
    assert calls == [(tmp_path, tmp_path / ".cache" / "reading-room")]
    monkeypatch.setenv(room_hooks.SERVING, "1")
    room_hooks.on_config(config)
    assert len(calls) == 1
