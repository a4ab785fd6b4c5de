"""A first build starts the detector on the second core (``room.read_ahead``): a forked process
keeps the flags of the seeds no annotation file is named after in the build cache, and
``add_machine_layer`` reads what it has not reached from the last seed back until the two meet
(``machine.meet_read_ahead``), waits for it, and finds the rest in the cache."""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from reading_room import cache, machine, room as room_module
from reading_room.decode import decode_text
from reading_room.detect import detect
from reading_room.room import load_room, read_ahead

ROOT = Path(__file__).resolve().parents[1]

needs_a_fork = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the read-ahead forks on Linux only")


def write_seeds(folder: Path, names: list[str], paragraphs_each: int) -> Path:
    """Seeds "Source 0", "Source 1", ... named ``names``, each a run of the white paper's paragraphs."""
    (folder / "seeds").mkdir()
    (folder / "annotations").mkdir()
    paragraphs = [p for p in decode_text((ROOT / "seeds" / "white-paper-2020.txt").read_bytes(), "w").text.split("\n\n")
                  if p.strip()]
    for i, name in enumerate(names):
        body = "\n\n".join(paragraphs[paragraphs_each * i:paragraphs_each * (i + 1)])
        (folder / "seeds" / f"{name}.txt").write_text(f"Source {i}\n\n{body}\n", encoding="utf-8")
    return folder


@pytest.fixture
def project(tmp_path) -> Path:
    """Three sources: one annotated (its file named after it), two not."""
    write_seeds(tmp_path, [f"Source {i}" for i in range(3)], 10)
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
    while machine._get(machine._AHEAD[0].claims, machine._CHILD) < 2:  # it has taken both seeds
        time.sleep(0.01)
    room = load_room(project, cache_dir=cache_dir)  # waits for it (add_machine_layer)
    assert not machine._AHEAD and not [p for p in room.problems.items if p.note_id]
    assert [(p.note.id, p.anchor) for p in room.resolution.placed] == [(p.note.id, p.anchor) for p in alone.resolution.placed]
    assert any(p.note.source == "source-2" for p in room.resolution.placed)


@needs_a_fork
def test_a_read_ahead_that_fails_leaves_the_reading_to_the_build(project, tmp_path, monkeypatch):
    def breaks(paths, cache_dir, claims, max_chars):
        raise RuntimeError("a broken read-ahead")
    monkeypatch.setattr(machine, "_read_into_cache", breaks)
    cache_dir = tmp_path / "cache"
    assert read_ahead(project, cache_dir)
    machine.wait_for_read_ahead()
    assert flags_in(cache_dir) == []
    room = load_room(project, cache_dir=cache_dir)
    assert any(p.note.source == "source-1" for p in room.resolution.placed) and len(flags_in(cache_dir)) == 2


@pytest.fixture
def library(tmp_path) -> Path:
    """Eight sources, none annotated."""
    return write_seeds(tmp_path, [f"s{i}" for i in range(8)], 4)


def who_reads(monkeypatch, log: Path, slow_child: float) -> None:
    """Record which process reads which source ("parent s3" / "child s0"), the child slowly."""
    import reading_room.detect as detect_package

    parent, real = os.getpid(), detect_package.detect

    def recording(text, lexicon_dir=None):
        child = os.getpid() != parent
        with log.open("a", encoding="utf-8") as f:
            f.write(f"{'child' if child else 'parent'} {text.split(chr(10))[0]}\n")
        if child:
            time.sleep(slow_child)
        return real(text, lexicon_dir)
    monkeypatch.setattr(detect_package, "detect", recording)


@needs_a_fork
def test_the_build_reads_from_the_last_seed_back_until_it_meets_the_read_ahead(library, tmp_path, monkeypatch):
    alone = load_room(library)
    room_module._MACHINE.clear()
    log = tmp_path / "reads.txt"
    who_reads(monkeypatch, log, slow_child=0.4)
    assert read_ahead(library, tmp_path / "cache")  # forked with the slow detector
    room = load_room(library, cache_dir=tmp_path / "cache")
    assert not machine._AHEAD  # waited for
    reads = [line.split(" ", 1) for line in log.read_text(encoding="utf-8").splitlines()]
    child = [name for who, name in reads if who == "child"]
    parent = [name for who, name in reads if who == "parent"]
    assert child and parent, reads
    assert child == sorted(child) and parent == sorted(parent, reverse=True)  # towards each other
    assert len(set(child) & set(parent)) <= 1  # at most the seed where they met
    assert set(child) | set(parent) == {f"Source {i}" for i in range(8)}
    assert [(p.note.id, p.anchor) for p in room.resolution.placed] == [(p.note.id, p.anchor) for p in alone.resolution.placed]
    assert f"the build read the other {len(parent)} and waited" in room.machine_pool
    room_module._MACHINE.clear()
    assert read_ahead(library, tmp_path / "cache")  # a second build: every flag is kept
    assert load_room(library, cache_dir=tmp_path / "cache").machine_pool == ""  # nothing to say
    assert len(log.read_text(encoding="utf-8").splitlines()) == len(reads)  # nor read again


@needs_a_fork
def test_a_read_ahead_that_dies_halfway_leaves_the_rest_to_the_build(library, tmp_path, monkeypatch):
    alone = load_room(library)
    room_module._MACHINE.clear()
    real = machine.flags_for
    parent = os.getpid()

    def dies_on_the_third(text, cache_dir, known=None):
        if os.getpid() != parent and text.startswith("Source 2"):
            os._exit(9)  # it had told the build it was on this seed
        if os.getpid() != parent:
            time.sleep(0.1)
        return real(text, cache_dir, known)
    monkeypatch.setattr(machine, "flags_for", dies_on_the_third)
    assert read_ahead(library, tmp_path / "cache")
    time.sleep(0.5)  # the child has died on Source 2 before the build gets to the flags
    room = load_room(library, cache_dir=tmp_path / "cache")
    assert [(p.note.id, p.anchor) for p in room.resolution.placed] == [(p.note.id, p.anchor) for p in alone.resolution.placed]
    assert len(flags_in(tmp_path / "cache")) == 8


@needs_a_fork
def test_a_build_that_ends_early_stops_the_read_ahead_after_its_seed(library, tmp_path, monkeypatch):
    log = tmp_path / "reads.txt"
    who_reads(monkeypatch, log, slow_child=0.3)
    assert read_ahead(library, tmp_path / "cache")
    time.sleep(0.4)
    started = time.perf_counter()
    machine.stop_read_ahead()  # what the process does at exit
    assert time.perf_counter() - started < 1.5 and not machine._AHEAD
    assert 1 <= len(log.read_text(encoding="utf-8").splitlines()) < 8  # it stopped, it did not read them all


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
    for name in ("Source 1", "source-2"):  # by the seed's name or its page address
        (project / "annotations" / f"{name}.yml").write_text("annotations: []\n", encoding="utf-8")
    assert not read_ahead(project, tmp_path / "cache")  # nothing left unannotated
    assert not machine._AHEAD and not (tmp_path / "cache").exists()


def test_the_hooks_read_ahead_for_a_build_but_not_under_serve(monkeypatch, tmp_path):
    import room_hooks

    calls = []
    monkeypatch.setattr(room_hooks, "read_ahead", lambda root, cache_dir: calls.append((root, cache_dir)))
    monkeypatch.setattr(cache, "KEEP_IN_PROCESS", cache.KEEP_IN_PROCESS)  # on_config sets it: put back after
    config = SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml"), plugins=SimpleNamespace(get=lambda name: None))
    monkeypatch.setenv(room_hooks.SERVING, "")
    room_hooks.on_config(config)
    assert calls == [(tmp_path, tmp_path / ".cache" / "reading-room")]
    monkeypatch.setenv(room_hooks.SERVING, "1")
    room_hooks.on_config(config)
    assert len(calls) == 1


def test_the_read_ahead_skips_what_is_kept_and_what_the_build_shows_no_suggestions_for(library, tmp_path, monkeypatch):
    """``_read_into_cache``, the read-ahead's loop, run here: a source already in the cache is not
    read again, one longer than ``max_chars`` not at all, and only what it read is counted."""
    import mmap

    cache_dir = tmp_path / "cache"
    paths = sorted((library / "seeds").glob("*.txt"))
    first = decode_text(paths[0].read_bytes(), paths[0].name).text
    machine.flags_for(first, cache_dir)  # kept by an earlier build
    longest = max(len(decode_text(p.read_bytes(), p.name).text) for p in paths[1:])
    read = []
    real = machine.flags_for
    monkeypatch.setattr(machine, "flags_for", lambda text, cache_dir: read.append(text.split("\n")[0]) or real(text, cache_dir))
    claims = mmap.mmap(-1, 24)
    machine._set(claims, machine._PARENT, len(paths))
    machine._read_into_cache(paths, cache_dir, claims, max_chars=longest - 1)
    assert "Source 0" not in read  # kept
    assert len(read) == len(paths) - 2  # the longest left out too
    assert machine._get(claims, machine._READ) == len(read)
    assert machine._get(claims, machine._CHILD) == len(paths)
