"""The room's benchmark: build cost, growth, anchoring, live reload, weight, search latency and the margin.

Every figure is a ratio against a baseline measured in the same run (or an absolute figure
where the issue sets one), so the numbers mean something on a noisy machine.

    make bench                      # N = 5 and 500 (takes a while; prints progress)
    make bench SIZES=500,5000       # the big room too, and the growth from 500 to 5,000
    .venv/bin/python bench/bench.py --sizes 5 --repeats 1 --quick   # what the test runs

Synthetic rooms are made from the real seeds: each source is a real seed's paragraphs in a
shuffled order, with its provenance (and, above 20 sources, a collection of 100 sources).  Half
of the sources have notes generated on their own sentences (about one note per 300 words, a
tenth of them rebuttals to another source); the other half have none, as in a real library, so
the detector suggests notes for them.  The baseline is a plain MkDocs + Material build of the
very same pages, already converted to Markdown (margin notes, overview, sources index and
collection pages included), with the same navigation and no hooks: the floor MkDocs sets.
"""

from __future__ import annotations

import argparse
import compileall
import gzip
import json
import os
import random
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "hooks"))

from reading_room import overview  # noqa: E402
from reading_room.margin import MarginLayer, marker_offsets, resolve  # noqa: E402
from reading_room.project import ROOM_DIRS  # noqa: E402  (the folders only the room's own lists show)
from reading_room.render import render_source  # noqa: E402
from reading_room.room import load_room  # noqa: E402
from reading_room.site import source_url  # noqa: E402

PY = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
WORDS_PER_NOTE = 300
COLLECTIONS_FROM = 20  # a bigger synthetic room puts its sources into collections …
COLLECTION_SIZE = 100  # … of this many
OWN_ASSETS = ["docs/assets/room.css", "docs/assets/room-print.css", "docs/assets/room.js", "docs/assets/teaching.css",
              "docs/assets/search-notes.js", "docs/assets/sources-index.js"]


def say(*args) -> None:
    print(*args, flush=True)


# -- synthetic rooms ------------------------------------------------------------------------
def make_room(n: int, dest: Path, seed: int = 1) -> Path:
    """A copy of the project with ``n`` sources made from the real seeds, and their notes."""
    rng = random.Random(seed)
    real = load_room(ROOT)
    originals = list(real.sources.values())
    project = dest / f"room-{n}"
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    for name in ("mkdocs.yml", "hooks", "docs", "overrides"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, project / name, **({"ignore": shutil.ignore_patterns("__pycache__")} if src.is_dir() else {}))
    # as `make build` does: this machine sets PYTHONDONTWRITEBYTECODE, and without the bytecode
    # every build would compile the hooks afresh (0.05 s a build)
    compileall.compile_dir(project / "hooks", quiet=1)
    for page in (project / "docs" / "assignments").glob("*.md"):  # they quote the real seeds
        if page.name != "index.md":
            page.unlink()
    (project / "seeds").mkdir()
    (project / "annotations").mkdir()
    texts: dict[str, list[str]] = {}
    whole: dict[str, str] = {}  # the seed as written, title line included: a quote must be unique in it
    for i in range(n):
        base = originals[i % len(originals)]
        m = base.meta
        paras = [b.text for b in base.blocks if b.kind in ("paragraph", "dialogue")]
        title = base.blocks[0].text
        rng.shuffle(paras)
        slug = f"s{i:04d}"
        texts[slug] = paras
        whole[slug] = f"{title} ({slug})\n\n" + "\n\n".join(paras) + "\n"
        (project / "seeds" / f"{slug}.txt").write_text(whole[slug], encoding="utf-8")
        meta = {"title": f"{title} {slug}", "author": m.author, "date": m.date, "genre": m.genre, "stance": m.stance}
        if n > COLLECTIONS_FROM:
            meta["collection"] = f"Collection {i // COLLECTION_SIZE + 1:02d}"
        (project / "seeds" / f"{slug}.meta.yml").write_text(
            "".join(f"{k}: {json.dumps(v)}\n" for k, v in meta.items()), encoding="utf-8")
    slugs = list(texts)
    for i, (slug, paras) in enumerate(texts.items()):
        if i % 2:  # half the library has no notes yet: the detector's suggestions only
            continue
        body = whole[slug]
        count = max(1, len(body.split()) // WORDS_PER_NOTE)
        notes = []
        used = set()
        for k in range(count):
            quote = _unique_quote(rng, paras, body, used)
            if not quote:
                continue
            entry = {"id": f"{slug}-n{k}", "kind": "framing", "technique": "loaded_language", "quote": quote,
                     "note": "A synthetic note for the benchmark."}
            if k % 10 == 9 and len(slugs) > 1:
                other = rng.choice([s for s in slugs if s != slug])
                oq = _unique_quote(rng, texts[other], whole[other], set())
                if oq:
                    entry.update(kind="rebuttal", target={"source": other, "quote": oq})
                    del entry["technique"]
            notes.append(entry)
        (project / "annotations" / f"{slug}.yml").write_text(json.dumps({"annotations": notes}, indent=1), encoding="utf-8")
    return project


def _unique_quote(rng, paras, body, used) -> str:
    for _ in range(20):
        para = rng.choice(paras)
        words = para.split(" ")
        if len(words) < 12:
            continue
        start = rng.randrange(0, len(words) - 8)
        quote = " ".join(words[start:start + 8])
        if quote not in used and body.count(quote) == 1 and "[" not in quote and "*" not in quote:
            used.add(quote)
            return quote
    return ""


def make_baseline(project: Path, dest: Path) -> Path:
    """The same pages as plain Markdown files, no hooks: the floor Python-Markdown sets."""
    base = dest / (project.name + "-baseline")
    if base.exists():
        shutil.rmtree(base)
    shutil.copytree(project / "docs", base / "docs")
    # the room's cache (built first) holds the detector's flags: the bench need not detect again
    room = load_room(project, cache_dir=project / ".cache" / "reading-room")
    markers = marker_offsets(room.resolution)  # once, as the room's own build does (per page: quadratic)
    for slug, source in room.sources.items():
        layer = MarginLayer(source, room.resolution, room.sources, lambda o, s=slug: source_url(o, f"sources/{s}.md"),
                            markers)
        out = base / "docs" / "sources" / f"{slug}.md"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(render_source(source, layer, original_url=f"../originals/{slug}.txt"), encoding="utf-8")
    library = _library()
    extra = library.pages(room) if library else []
    for page in [*extra, *overview.pages(room)]:  # the generated pages are pages of the site too
        out = base / "docs" / page.uri
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(page.text, encoding="utf-8")
    for md in base.glob("docs/*.md"):  # the placeholders' tables, filled as the hooks would
        from reading_room.site import fill_placeholders
        md.write_text(fill_placeholders(md.read_text(encoding="utf-8"), md.name, room), encoding="utf-8")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"\nhooks:\n(  - .*\n)+", "\n", config)
    config = re.sub(r"\nwatch:\n(  - .*\n)+", "\n", config)
    # plain Material, with its own search: its search plugin puts every page's text into
    # search_index.json, the work the room's own index (reading_room.search_index) replaces
    config = re.sub(r"\n  custom_dir: .*\n", "\n", config)
    if library:  # the room's navigation, so that both builds render the same navigation
        config += ("\nnot_in_nav: |\n" + "".join(f"  /{folder}\n" for folder in ROOM_DIRS)
                   + "nav: " + json.dumps(baseline_nav(base / "docs", library.nav_plan(room))) + "\n")
    (base / "mkdocs.yml").write_text(config, encoding="utf-8")
    return base


def _library():
    try:
        from reading_room import library
    except ImportError:  # an older room, whose navigation listed every source: MkDocs' own then
        return None
    return library


def baseline_nav(docs: Path, plan: list) -> list:
    """MkDocs' own navigation of the hand-written pages, then the room's Sources section, as
    ``room_hooks._navigation`` makes it."""
    from mkdocs.structure.files import File, file_sort_key
    from mkdocs.utils import nest_paths

    files = [File(p.relative_to(docs).as_posix(), str(docs), str(docs.parent / "site"), False)
             for p in docs.rglob("*.md") if not p.relative_to(docs).as_posix().startswith(ROOM_DIRS)]
    section = [item if isinstance(item, str) else {item[0]: item[1]} for item in plan]
    return nest_paths(f.src_uri for f in sorted(files, key=file_sort_key)) + [{"Sources": section}]


# -- measurements ---------------------------------------------------------------------------
def timed_build(project: Path, repeats: int, label: str = "", logs: list[str] | None = None) -> tuple[list[float], list[float]]:
    """Seconds and peak RSS (MB) of each of ``repeats`` builds; the first of a room's is cold.
    ``logs`` gets what each build said, INFO lines included (a few dozen)."""
    times, peaks = [], []
    for k in range(repeats):
        site = project / "site"
        t = time.perf_counter()
        # --strict: a synthetic room that needs attention would not be the room we mean to measure
        with tempfile.TemporaryFile("w+") as log:
            quiet = [] if logs is not None else ["-q"]  # -q keeps INFO back (and, in 1.6, --strict's count of warnings)
            proc = subprocess.Popen([PY, "-m", "mkdocs", "build", *quiet, "--strict", "--site-dir", str(site)], cwd=project,
                                    env=ENV, stdout=log, stderr=subprocess.STDOUT, text=True)
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            times.append(time.perf_counter() - t)
            peaks.append(usage.ru_maxrss / 1024)
            log.seek(0)
            said = log.read()
            if proc.returncode != 0:
                raise SystemExit(f"build failed in {project}:\n{said[-5000:]}")
            if logs is not None:
                logs.append(said)
        if label:
            say(f"{label}   build {k + 1}/{repeats}: {times[-1]:.2f} s, peak RSS {peaks[-1]:.0f} MB")
    return times, peaks


# A small room's cold build takes well under a second, where the machine's own jitter is tens of
# milliseconds: its ratio is the median of this many cold builds of each, taken in turn.
ALTERNATED_COLD_BUILDS = 7
ALTERNATED_UP_TO = 50  # sources: above this one cold build of each says enough, and costs minutes


def alternated_cold_builds(project: Path, baseline: Path, rounds: int) -> tuple[list[float], list[float]]:
    """Seconds of ``rounds`` cold builds of the room (its cache and site removed first) and of
    its baseline (its site removed), one of each in turn, so that a slow spell of the machine
    falls on both."""
    room_t, base_t = [], []
    for _ in range(rounds):
        for root, out in ((project, room_t), (baseline, base_t)):
            shutil.rmtree(root / ".cache", ignore_errors=True)
            shutil.rmtree(root / "site", ignore_errors=True)
            out.append(timed_build(root, 1)[0][0])
    return room_t, base_t


def check_times(repeats: int) -> tuple[list[float], list[float], list[float]]:
    """``python -m reading_room check`` on the first room (the five real sources), as an editor
    or pre-commit runs it: the whole process, warm (cache as a build leaves it) and with no cache,
    and the processor time of the warm runs (on a busy machine the clock also counts waiting)."""
    env = {**ENV, "PYTHONPATH": str(ROOT / "hooks")}
    out, cpu = {}, []
    for name, extra in (("warm", []), ("cold", ["--no-cache"])):
        times = []
        for _ in range(max(repeats, 3)):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            r = subprocess.run([PY, "-m", "reading_room", "check", *extra], cwd=ROOT, env=env, capture_output=True, text=True)
            times.append(time.perf_counter() - t)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if name == "warm":
                cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            if r.returncode != 0:
                raise SystemExit(f"check found problems in the room:\n{r.stdout}{r.stderr}")
        out[name] = times
    return out["warm"], out["cold"], cpu


def timed_python_start(repeats: int) -> list[float]:
    times = []
    for _ in range(max(repeats, 3)):
        t = time.perf_counter()
        subprocess.run([PY, "-c", "pass"], env=ENV)
        times.append(time.perf_counter() - t)
    return times


def fmt(times: list[float]) -> str:
    return f"min {min(times):.2f} s, median {statistics.median(times):.2f} s"


def anchoring_throughput(project: Path, repeats: int) -> tuple[float, int]:
    room = load_room(project, cache_dir=project / ".cache" / "reading-room")  # the detector need not run again
    notes = room.notes
    quotes = len(notes) + sum(1 for n in notes if n.target)
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        resolve(room.sources, notes)  # SourceTexts are rebuilt inside: the cost a build pays
        best = min(best, time.perf_counter() - t)
    return quotes / best, quotes


def detector_speed(project: Path, budget_chars: int = 6_000_000) -> tuple[float, int, int]:
    """(characters a second of processor time, characters timed, characters of all the sources
    the detector reads): the room's sources with no notes, as a first build reads them; timed on
    up to ``budget_chars`` of them."""
    from reading_room.detect import detect

    room = load_room(project, machine_flags=False)
    annotated = {n.source for n in room.notes}
    texts = [room.texts[slug] for slug in room.sources if slug not in annotated]
    total = sum(map(len, texts))
    detect("The lexicons load before the clock starts.")
    timed, start = 0, time.process_time()
    for text in texts:
        if timed >= budget_chars:
            break
        detect(text)
        timed += len(text)
    return timed / max(time.process_time() - start, 1e-9), timed, total


def detector_wall(project: Path, budget_chars: int = 200_000_000) -> tuple[float, int]:
    """(seconds on the clock, characters): the detector as a first build runs it
    (``machine.detect_many``: both cores when there is enough to read), on up to
    ``budget_chars`` of the room's sources with no notes, with no cache.  All of them, up to
    N = 5,000 (83 MB, about 21 s): a sample scaled up would count the pool's start (about 0.3 s
    a worker) once for every sample's worth, 14 times at 5,000, and overstate the share."""
    from reading_room.machine import detect_many, flags_for

    room = load_room(project, machine_flags=False)
    annotated = {n.source for n in room.notes}
    texts, size = [], 0
    for slug in room.sources:
        if slug not in annotated and size < budget_chars:
            texts.append(room.texts[slug])
            size += len(room.texts[slug])
    start = time.perf_counter()
    found, _ = detect_many(texts, None)
    if not found:  # one core, or too little to pay for a pool: read here, as the build would
        for text in texts:
            flags_for(text, None)
    return time.perf_counter() - start, size


# what the build says of the detector (``machine.meet_read_ahead``)
DETECTOR_SAID = re.compile(r"the detector read (?P<ahead>[\d,]+) of (?P<all>[\d,]+) sources on a core of its own.*?"
                           r"waited (?P<wait>[\d.]+) s")


def cold_build_with_flags_kept(project: Path) -> float:
    """Seconds of a first build whose cache holds the detector's flags and nothing else: the
    cold build less what the detector costs it."""
    kept = project / ".cache" / "reading-room"
    for entry in kept.iterdir() if kept.is_dir() else ():
        if entry.name != "flags":
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    shutil.rmtree(project / "site", ignore_errors=True)
    return timed_build(project, 1)[0][0]


def error_path_probe() -> list[tuple[str, float, str]]:
    """The error paths on a 10 MB seed, through the core: (what, seconds of processor time, detail)."""
    import markdown

    from reading_room.anchor import SourceText, match_quote
    from reading_room.decode import decode_text
    from reading_room.margin import _describe
    from reading_room.notes import Selector
    from reading_room.room import _read_seed

    body = "\n\n".join(decode_text(p.read_bytes(), p.name).text for p in sorted((ROOT / "seeds").glob("*.txt")))
    text = "A Very Large Source\n\n" + "\n\n".join([body] * (10_000_000 // len(body.encode()) + 1))
    source, _, _ = _read_seed(text.encode(), "seeds/large.txt", "large", ROOT / "no.meta.yml", "no.meta.yml")
    words = body.split()[5000:8000]
    words[1500] = "otherwise"  # another edition's wording: the quote is found nowhere
    absent = " ".join(words)
    st = SourceText(source)
    out = []
    for label, quote in (("one-letter quote", "a"),
                         ("3,000-word absent quote, the seed's first failure (makes its hint index)", absent),
                         ("3,000-word absent quote, a later failure on the same seed", absent + " again"),
                         ("8-word absent quote", "The workers chose freely to go to the factory")):
        start = time.process_time()
        failure = match_quote(st, Selector(quote))
        seconds = time.process_time() - start
        message, hint = _describe(failure, Selector(quote), "seeds/large.txt")
        out.append((label, seconds, f"{failure.reason}, {failure.total:,} places; message {len(message) + len(hint):,} characters"))
        say(f"[10 MB seed]   {label}: {seconds:.2f} s")
    page = "# Notes that need attention\n\n<ul>\n" + "".join(f"<li>{m[2]}</li>\n" for m in out) + "</ul>\n"
    page += "<ul>\n<li>" + ("*a* [b] _c_ `d` &lt;x&gt; " * 100_000) + "</li>\n</ul>\n"
    start = time.process_time()
    markdown.markdown(page, extensions=["toc", "attr_list", "tables", "admonition"])
    out.append(("attention page with a 2 MB problem, through Python-Markdown", time.process_time() - start,
                f"{len(page) / 1e6:.1f} MB of page"))
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def live_reload(project: Path, repeats: int) -> list[float]:
    """Seconds from rewriting one annotation file to its page served with the change."""
    port = free_port()
    proc = subprocess.Popen([PY, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                            cwd=project, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/sources/s0000.html"
    try:
        _wait_for(url, "s0000", timeout=600)
        times = []
        ann = project / "annotations" / "s0000.yml"
        original = ann.read_text(encoding="utf-8")
        for k in range(repeats):
            token = f"reload-token-{k}-{time.time_ns()}"
            t = time.perf_counter()
            ann.write_text(original.replace("A synthetic note for the benchmark.", token, 1), encoding="utf-8")
            _wait_for(url, token, timeout=300)
            times.append(time.perf_counter() - t)
        ann.write_text(original, encoding="utf-8")
        return times
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def build_after_edit(project: Path) -> float:
    """Seconds of a full ``mkdocs build`` after the same edit as ``live_reload``'s (the cache
    otherwise warm): what the edit costs without ``mkdocs serve``."""
    ann = project / "annotations" / "s0000.yml"
    original = ann.read_text(encoding="utf-8")
    try:
        ann.write_text(original.replace("A synthetic note for the benchmark.", f"edit-{time.time_ns()}", 1),
                       encoding="utf-8")
        return timed_build(project, 1)[0][0]
    finally:
        ann.write_text(original, encoding="utf-8")


def _wait_for(url: str, token: str, timeout: float) -> None:
    end = time.time() + timeout
    while time.time() < end:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if token in r.read().decode("utf-8", "replace"):
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit(f"timed out waiting for {token!r} at {url}")


def du(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def weight(project: Path) -> dict:
    site = project / "site"
    # as shipped: the built site's copies (reading_room.assets takes their comments out)
    own = b"".join((site / f.removeprefix("docs/")).read_bytes() for f in OWN_ASSETS
                   if (site / f.removeprefix("docs/")).exists())
    pages = list((site / "sources").glob("*.html"))
    html = sum(p.stat().st_size for p in pages)
    seeds = sum((project / "seeds" / (p.stem + ".txt")).stat().st_size for p in pages)
    all_html = sum(p.stat().st_size for p in site.rglob("*.html"))
    # the room's own index (reading_room.search_index: many small files), or Material's one file
    index_dir = site / "search" / "rr"
    index_bytes = du(index_dir) if index_dir.is_dir() else 0
    for name in ("search_index.js", "search_index.json"):
        if not index_bytes and (site / "search" / name).exists():
            index_bytes = (site / "search" / name).stat().st_size
    words = sum(len((project / "seeds" / (p.stem + ".txt")).read_text(encoding="utf-8").split()) for p in pages)
    annotated = [p for p in pages if (project / "annotations" / (p.stem + ".yml")).exists()]
    machine = [p for p in pages if p not in annotated]

    def ratio(group):
        seed = sum((project / "seeds" / (p.stem + ".txt")).stat().st_size for p in group)
        return sum(p.stat().st_size for p in group) / seed if seed else 0.0

    all_seeds = sum(p.stat().st_size for p in (project / "seeds").glob("*.txt"))
    return {"own_gz": len(gzip.compress(own, 9)), "html_per_seed": html / seeds, "site_html_per_seed": all_html / all_seeds,
            "index_per_kword": index_bytes / (words / 1000), "site_bytes": du(site), "seed_bytes": all_seeds,
            "cache_bytes": du(project / ".cache" / "reading-room") if (project / ".cache" / "reading-room").exists() else 0,
            "index_bytes": index_bytes,
            "annotated_per_seed": ratio(annotated), "machine_per_seed": ratio(machine)}


def margin_figures(work: Path, widths=(1440, 1920)) -> list[dict]:
    """The margin of the first room (issue 14), per source page and assignment page and width, as
    tests/margin_measure.js measures it in Chromium from file://: the share of note text readable
    with no click or hover, notes more than 400 px from their passage, overlaps, notes covering
    text, how much the text grew, and the layout's own time (median of 7, every note placed again)."""
    from playwright.sync_api import sync_playwright

    site = work / "first-room-site"
    r = subprocess.run([PY, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)], cwd=ROOT, env=ENV,
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"the first room does not build:\n{r.stdout}{r.stderr}")
    js = (ROOT / "tests" / "margin_measure.js").read_text(encoding="utf-8")
    pages = sorted((site / "sources").glob("*.html")) + sorted(p for p in (site / "assignments").glob("*.html")
                                                               if p.stem != "index")
    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        for width in widths:
            ctx = browser.new_context(viewport={"width": width, "height": 900})
            for f in pages:
                page = ctx.new_page()
                page.goto(f.as_uri())
                page.wait_for_timeout(200)
                m = page.evaluate(js)
                m.pop("perNote")
                out.append({"page": f"{f.parent.name}/{f.stem}", "width": width, **m})
                page.close()
            ctx.close()
        browser.close()
    return out


def _descendants_memory_mb(root: int, only: bytes = b"") -> float:
    """Proportional set size (MB) of every process under ``root``: the browser and its renderers,
    each shared page counted once across them (``only``: the processes whose command line holds
    it, e.g. the renderers, where a tab's page lives)."""
    parent = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                parent[int(d.name)] = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    def under(pid):
        seen = 0
        while pid > 1 and seen < 64:
            pid, seen = parent.get(pid, 0), seen + 1
            if pid == root:
                return True
        return False
    total = 0
    for pid in parent:
        if not under(pid):
            continue
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
            if b"chrom" not in cmd or only not in cmd:
                continue
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def search_latency(project: Path, query: str = "person-times", repeats: int = 3) -> tuple[list[float], list[float], list[float]]:
    """(seconds from opening the page until search is ready, seconds from a keystroke to results,
    (the browser's memory in MB once the results are shown, the same with an empty tab before,
    the page's JavaScript heap in MB)).

    "Ready" is timed from opening the page (Material's worker starts loading its index as the
    page loads; the room's search loads its meta.js then too): type a letter, and wait until the
    result box no longer says "Initializing".  The keystroke is the query's last letter, typed
    after the rest was filled in: Material searches on key events only, the room's search on
    every input, so for the room the wait is for the results of the whole query
    (data-rr-search-done), not for the results of the filled-in part."""
    from playwright.sync_api import sync_playwright

    site = project / "site"
    times, loads, memory, page_ready = [], [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for _ in range(repeats):
            page = browser.new_page()
            page.set_default_timeout(120_000)  # Material's whole index can hold a page up that long
            blank = _descendants_memory_mb(os.getpid())  # the browser with an empty tab
            t0 = time.perf_counter()
            page.goto((site / "index.html").as_uri())
            page.wait_for_function("() => typeof document$ !== 'undefined'")
            page.click(".md-search__input")
            page.keyboard.type("x")  # the result box says "Initializing" until the index is loaded
            page.wait_for_function("() => !document.querySelector('.md-search-result__meta')"
                                   ".textContent.includes('Initializing')", timeout=120_000)
            loads.append(time.perf_counter() - t0)
            in_page = page.evaluate("() => window.ReadingRoomSearch && window.ReadingRoomSearch.readyAt")
            if in_page:  # the room's search: the browser's own clock, from navigation start
                page_ready.append(in_page / 1000)
            page.fill(".md-search__input", query[:-1])
            room_search = page.evaluate("() => !!document.querySelector('[data-rr-search-result]')")
            if room_search:
                page.wait_for_function("q => document.querySelector('[data-rr-search-done]')?.getAttribute('data-rr-search-done') === q",
                                       arg=query[:-1], timeout=120_000)
            t = time.perf_counter()
            page.keyboard.type(query[-1])  # Material searches on key events, not on a programmatic fill
            if room_search:
                page.wait_for_function("q => document.querySelector('[data-rr-search-done]')?.getAttribute('data-rr-search-done') === q"
                                       " && document.querySelector('.md-search-result__item')", arg=query, timeout=120_000)
            else:
                page.wait_for_selector(".md-search-result__item", timeout=120_000)
            times.append(time.perf_counter() - t)
            heap = page.context.new_cdp_session(page).send("Runtime.getHeapUsage")["usedSize"] / 2**20
            memory.append((_descendants_memory_mb(os.getpid()), blank, heap,
                           _descendants_memory_mb(os.getpid(), only=b"--type=renderer")))
            page.close()
        browser.close()
    search_latency.page_ready = page_ready  # read by ready_detail
    return loads, times, memory


def ready_detail(loads: list[float]) -> str:
    inner = getattr(search_latency, "page_ready", [])
    return fmt(loads) + (f"; by the page's own clock (navigation start → meta.js read): {fmt(inner)}" if inner else "")


def memory_row(n: int, mem: list[tuple[float, float, float, float]]) -> tuple:
    total, blank, heap, tab = max(mem)
    return ("Search: browser memory with the results shown", f"N={n}", f"tab {tab:.0f} MB, browser {total:.0f} MB",
            "≤ 200 MB", f"proportional set size of the tab's renderer processes, and of all Chromium's processes with "
            f"that one tab open; the whole browser {total - blank:+.0f} MB against the same browser with an empty tab "
            f"({blank:.0f} MB); the page's JavaScript heap {heap:.1f} MB")


def search_only(n: int, work: Path, repeats: int, small_site: Path | None) -> list[tuple]:
    """Search at N sources without building the N-source site (hours at 5,000 on 2 cores): the
    synthetic room is read by the core, its index made by ``reading_room.search_index`` exactly
    as the build's on_post_build makes it for the sources, and put in place of the index of a
    built small room, whose pages carry the same search box and script."""
    from reading_room import search_index

    project = make_room(n, work)
    t = time.perf_counter()
    room = load_room(project, cache_dir=project / ".cache" / "reading-room")
    read = time.perf_counter() - t
    t = time.perf_counter()
    index = search_index.build(search_index.room_pages(room, source_url), (s.meta.collection for s in room.sources.values()))
    made = time.perf_counter() - t
    text = sum(len(x) for x in room.texts.values())
    say(f"[N={n}]   room read in {read:.1f} s; index made in {made:.2f} s ({text / 2**20 / made:.1f} MB of text a second): "
        f"{index.entries:,} entries, {index.terms:,} terms, {index.postings:,} postings, {len(index.files):,} files")
    site = project / "site"
    shutil.copytree(small_site, site)
    shutil.rmtree(site / search_index.DIR)
    for path, content in index.files.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(content, encoding="utf-8")
    size = du(site / search_index.DIR)
    loads, lat, mem = search_latency(project, repeats=repeats)
    sizes = sorted(len(c.encode()) for c in index.files.values())
    return [
        ("Search index: made in", f"N={n}", f"{made:.2f} s", "", f"{text / 2**20:,.0f} MB of text, "
         f"{index.entries:,} entries, {index.postings:,} postings; reading the room {read:.0f} s (the build does that anyway)"),
        ("Search index: size on disk", f"N={n}", f"{size / 2**20:,.1f} MB", "",
         f"{len(index.files):,} files, the largest {sizes[-1] / 1024:,.0f} KB, meta.js "
         f"{len(index.files[search_index.DIR + '/meta.js'].encode()) / 1024:,.0f} KB"),
        ("Search latency (type → first result)", f"N={n}", f"{min(lat) * 1000:.0f} ms", "≤ 150 ms", fmt(lat) + " (index made by the core)"),
        ("Search ready (page opened → index loaded)", f"N={n}", f"{min(loads) * 1000:.0f} ms", "≤ 1 s", ready_detail(loads)),
        memory_row(n, mem),
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="5,500")
    ap.add_argument("--repeats", type=int, default=3, help="builds of each room (the first is cold) and of its baseline; "
                    "rooms of 2,000 sources or more are built twice and their baseline once")
    ap.add_argument("--quick", action="store_true", help="one size, skip live reload's long wait")
    ap.add_argument("--workdir", default="")
    ap.add_argument("--no-search", action="store_true", help="skip the search timings in Chromium")
    ap.add_argument("--search-only", action="store_true", help="only search, at each size, over the index the core "
                    "makes of the synthetic room (no N-source build): make bench SIZES=5,500,5000 BENCH_ARGS=--search-only")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="room-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    say(f"# Reading Room benchmark — {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, python {sys.version.split()[0]}")
    say(f"work folder: {work}; repeats: {args.repeats}")
    if args.search_only:
        say("\n[search] building a small room for its pages …")
        small = make_room(5, work / "small")
        timed_build(small, 1)
        rows = []
        for n in sizes:
            say(f"\n[N={n}] search over the core's index …")
            rows += search_only(n, work, args.repeats, small / "site")
        say("\n| figure | size | value | target | detail |\n|---|---|---|---|---|")
        for r in rows:
            say("| " + " | ".join(r) + " |")
        return
    cold_t: dict[int, float] = {}
    base_best: dict[int, float] = {}
    reload_at = 500 if 500 in sizes else sizes[0] if args.quick else None
    rows = []
    say("\n[first room] python -m reading_room check …")
    check_warm, check_cold, check_cpu = check_times(args.repeats)
    py_start = min(timed_python_start(args.repeats))
    say(f"[first room]   check: {fmt(check_warm)} ({min(check_cpu):.2f} s of processor time); with no cache {fmt(check_cold)}; "
        f"python's own start {py_start:.2f} s")
    rows.append(("check, first room (5 sources), whole process", "", f"{min(check_warm):.2f} s", "≤ 1 s",
                 f"{fmt(check_warm)}, processor time {min(check_cpu):.2f} s; no cache: {fmt(check_cold)}; "
                 f"of which Python's own start {py_start:.2f} s"))
    say("\n[first room] the margin in Chromium, every source and assignment page …")
    margin = margin_figures(work)
    say("| page | px | notes | shown with no click | far from passage | overlaps | covering text | text grown | layout |")
    say("|---|---|---|---|---|---|---|---|---|")
    for m in margin:
        say(f"| {m['page']} | {m['width']} | {m['notes']} | {m['shown']:.0%} | {m['far']} | {m['overlaps']} | "
            f"{m['covered']} | {m['growth']:.2f}× | {m['layoutMs']:.0f} ms ({m['idleMs']:.1f} ms with nothing to move) |")
    for width in (1440, 1920):
        at = [m for m in margin if m["width"] == width]
        shown = sorted(m["shown"] for m in at)
        rows.append(("Margin: note text shown with no click", f"{width} px", f"median {statistics.median(shown):.0%}, "
                     f"worst {shown[0]:.0%}", "≥ 90% every page at 1920; at 1440 median ≥ 90%, worst ≥ 75%",
                     f"{len(at)} pages; notes far from passage: {max(m['far'] / m['notes'] for m in at):.0%} at most "
                     f"(≤ 10%); text grown ≤ {max(m['growth'] for m in at):.2f}× (≤ 2×); overlaps "
                     f"{sum(m['overlaps'] for m in at)}, covering text {sum(m['covered'] for m in at)}"))
    most = max(margin, key=lambda m: (m["notes"], m["layoutMs"]))
    rows.append(("Margin: layout of a page", f"{most['notes']} notes", f"{most['layoutMs']:.0f} ms", "≤ 50 ms at 100 notes",
                 f"{most['page']} at {most['width']} px, every note moved (its reflow included); with nothing to move "
                 f"{most['idleMs']:.1f} ms; slowest page {max(m['layoutMs'] for m in margin):.0f} ms; "
                 f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"))
    for n in sizes:
        big = n >= 2000
        repeats, base_repeats = (min(2, args.repeats), 1) if big else (args.repeats, args.repeats)
        started = time.perf_counter()
        say(f"\n[N={n}] making the synthetic room …")
        project = make_room(n, work)
        say(f"[N={n}] building the room ({repeats}×; the first is cold) …")
        room_logs: list[str] = []
        room_t, room_rss = timed_build(project, repeats, f"[N={n}]", room_logs)
        say(f"[N={n}]   room: {fmt(room_t)}")
        say(f"[N={n}] making its plain baseline (the same pages as Markdown, the same navigation, no hooks) …")
        baseline = make_baseline(project, work)
        say(f"[N={n}] building the baseline ({base_repeats}×) …")
        base_t, base_rss = timed_build(baseline, base_repeats, f"[N={n}] baseline")
        say(f"[N={n}]   baseline: {fmt(base_t)}")
        cold_t[n], base_best[n] = room_t[0], min(base_t)
        warm = room_t[1:] or room_t
        if n <= ALTERNATED_UP_TO:
            say(f"[N={n}] {ALTERNATED_COLD_BUILDS} cold builds of the room and of its baseline, in turn …")
            cold_room, cold_base = alternated_cold_builds(project, baseline, ALTERNATED_COLD_BUILDS)
            ratios = sorted(r / b for r, b in zip(cold_room, cold_base))
            rows.append(("Build overhead, cold (first build)", f"N={n}",
                         f"{statistics.median(cold_room) / statistics.median(cold_base):.2f}×", "≤ 1.15×",
                         f"median of {len(cold_room)} cold builds, each in turn with one of the baseline: "
                         f"{fmt(cold_room)} vs {fmt(cold_base)}; pair by pair {ratios[0]:.2f}–{ratios[-1]:.2f}×; "
                         f"the first build alone {room_t[0]:.2f} s"))
        else:
            rows.append(("Build overhead, cold (first build)", f"N={n}", f"{room_t[0] / min(base_t):.2f}×", "≤ 1.15×",
                         f"{room_t[0]:.2f} s (nothing in .cache/reading-room yet) vs baseline {fmt(base_t)}"))
        rows.append(("Build overhead, warm cache", f"N={n}", f"{min(warm) / min(base_t):.2f}×", "",
                     fmt(warm) + " vs " + fmt(base_t)))
        rows.append(("Peak RSS of a build, vs the baseline's", f"N={n}", f"{max(room_rss) / max(base_rss):.2f}×",
                     "≤ 1.5× at 5,000", f"{max(room_rss):.0f} MB vs {max(base_rss):.0f} MB"))
        w = weight(project)
        if n == sizes[0]:
            rows.append(("Weight: room CSS+JS gzipped", "", f"{w['own_gz'] / 1024:.1f} KB", "≤ 12 KB",
                         "as shipped (without comments): " + ", ".join(OWN_ASSETS)))
        rows.append(("Weight: HTML bytes per seed byte", f"N={n}", f"{w['html_per_seed']:.1f}×", "≤ 3×",
                     f"source pages vs their seeds: with notes {w['annotated_per_seed']:.1f}×, with the detector's "
                     f"suggestions only {w['machine_per_seed']:.1f}×; the whole site's HTML: {w['site_html_per_seed']:.1f}× all seeds"))
        rows.append(("Weight: search index per 1,000 words", f"N={n}", f"{w['index_per_kword'] / 1024:.1f} KB", "",
                     f"{w['index_bytes'] / 2**20:.1f} MB in all"))
        rows.append(("Disk: the built site", f"N={n}", f"{w['site_bytes'] / 2**20:,.1f} MB",
                     "", f"{w['site_bytes'] / w['seed_bytes']:.1f}× the seeds' {w['seed_bytes'] / 2**20:,.1f} MB; "
                         f"the build cache .cache/reading-room: {w['cache_bytes'] / 2**20:,.1f} MB"))
        if n == 500 or (500 not in sizes and n == max(sizes)):
            say(f"[N={n}] anchoring throughput …")
            rate, quotes = anchoring_throughput(project, min(args.repeats, 3))
            rows.append(("Anchoring throughput", f"N={n}", f"{rate:,.0f} quotes/s", "≥ 100,000/s at 500",
                         f"{quotes:,} quotes; {rate / 100_000:.2f}× the target"))
        say(f"[N={n}] detector speed on the sources with no notes …")
        rate, timed, total = detector_speed(project)
        if total:
            share = total / rate / room_t[0]
            say(f"[N={n}]   detector: {rate / 1e6:.2f} MB/s, {total / rate:.1f} s for all {total / 1e6:.1f} MB")
            rows.append(("Detector speed", f"N={n}", f"{rate / 1e6:.2f} MB/s", "≥ 1 MB/s",
                         f"processor time on {timed / 1e6:.1f} of the {total / 1e6:.1f} MB its first build reads"))
            wall, sample = detector_wall(project)
            wall_total = wall * total / sample
            say(f"[N={n}] a cold build whose cache holds only the detector's flags …")
            kept_t = cold_build_with_flags_kept(project)
            cost = room_t[0] - kept_t
            said = DETECTOR_SAID.search(room_logs[0])
            # the difference of two builds is what the detector costs, but as noisy as either build
            # (a few seconds at 5,000); the build's own wait for it is exact, and a floor
            worst = max(cost, float(said["wait"]) if said else 0.0)
            rows.append(("Detector's share of a cold build", f"N={n}", f"{worst / room_t[0]:.0%}", "≤ 10% at 5,000",
                         f"the larger of: the cold build {room_t[0]:.1f} s vs {kept_t:.1f} s with the flags already "
                         f"kept, {cost:+.1f} s; " + (f"the build says the detector read {said['ahead']} of {said['all']} sources "
                                               f"on the second core as the room was read, and it waited {said['wait']} s"
                                               if said else "the build did not read ahead") +
                         f"; the detector alone: {wall_total:.1f} s on both cores, {total / rate:.1f} s on one "
                         f"({share:.0%} of the cold build)"))
        if n == reload_at:
            say(f"[N={n}] live reload under mkdocs serve …")
            reload_t = live_reload(project, 1 if args.quick else args.repeats)
            say(f"[N={n}] a full build after the same edit …")
            edited = build_after_edit(project)
            rows.append(("Live reload (touch a note → page)", f"N={n}", f"{min(reload_t) / edited:.2f}× a full build",
                         "≤ 0.5×", f"{fmt(reload_t)} vs a full build after the same edit {edited:.2f} s; "
                                   f"{min(reload_t) / min(warm):.2f}× a warm build with nothing changed ({min(warm):.2f} s), "
                                   f"{min(reload_t) / room_t[0]:.2f}× the cold one ({room_t[0]:.2f} s)"))
        if not args.no_search:
            say(f"[N={n}] search latency in Chromium from file:// …")
            try:
                loads, lat, mem = search_latency(project, repeats=1 if args.quick else args.repeats)
                rows.append(("Search latency (type → first result)", f"N={n}", f"{min(lat) * 1000:.0f} ms",
                             "≤ 150 ms", fmt(lat)))
                rows.append(("Search ready (page opened → index loaded)", f"N={n}", f"{min(loads) * 1000:.0f} ms",
                             "≤ 1 s", ready_detail(loads)))
                rows.append(memory_row(n, mem))
            except Exception as exc:  # a missing browser must not hide the other figures
                rows.append(("Search latency (type → first result)", f"N={n}", "not measured", "", str(exc)[:80]))
        say(f"[N={n}] done in {time.perf_counter() - started:.0f} s")
    if sizes:  # a few seconds: in the quick run too
        say("\n[10 MB seed] error paths, through the core …")
        for label, seconds, detail in error_path_probe():
            target = "≤ 0.5 s" if "later failure" in label or "8-word" in label else ""
            rows.append((f"Error path: {label}", "10 MB", f"{seconds:.2f} s", target, detail + "; processor time"))
    small, large = (500, 5000) if {500, 5000} <= set(sizes) else (50, 500) if {50, 500} <= set(sizes) else (0, 0)
    if small:
        growth, base_growth = cold_t[large] / cold_t[small], base_best[large] / base_best[small]
        rows.append(("Growth", f"{large} ÷ {small}", f"{growth:.1f}", "≤ 11",
                     f"cold builds; the plain baseline's own growth: {base_growth:.1f}"))
    say("\n| figure | size | value | target | detail |\n|---|---|---|---|---|")
    for r in rows:
        say("| " + " | ".join(r) + " |")


if __name__ == "__main__":
    main()
