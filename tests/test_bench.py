"""The benchmark script keeps working: at N = 5 it completes and prints every figure.

Times are not asserted here (a timed unit test on a shared machine proves nothing); the
figures live in the README's Performance section.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIGURES = [
    "Build overhead, warm cache",
    "Build overhead, cold (first build)",
    "Weight: room CSS+JS gzipped",
    "Weight: HTML bytes per seed byte",
    "Weight: search index per 1,000 words",
    "Anchoring throughput",
    "Peak RSS of a build, vs the baseline's",
    "Disk: the built site",
    "Live reload (touch a note → page)",
    "Search latency (type → first result)",
    "Search ready (page opened → index loaded)",
    "check, first room (5 sources), whole process",
    "Detector speed",
    "Detector's share of a cold build",
    "Error path: one-letter quote",
    "Error path: 3,000-word absent quote, a later failure on the same seed",
    "Error path: attention page with a 2 MB problem, through Python-Markdown",
    "Margin: note text shown with no click",
    "Margin: layout of a page",
]


@pytest.mark.slow
@pytest.mark.browser
def test_bench_runs_at_n5(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench.py"), "--sizes", "5", "--repeats", "1", "--quick",
         "--workdir", str(tmp_path)],
        capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    table = [line for line in result.stdout.splitlines() if line.startswith("| ")]
    for figure in FIGURES:
        row = next((line for line in table if line.startswith(f"| {figure} |")), None)
        assert row is not None, f"{figure!r} missing from:\n{result.stdout}"
        assert "not measured" not in row, row
    assert "[N=5]" in result.stdout  # progress lines, so a long run is never silent
    share = next(line for line in table if line.startswith("| Detector's share of a cold build |"))
    assert "the build says the detector read" in share, share  # the bench reads the build's own log line


def test_the_baseline_navigation_leaves_out_what_the_rooms_leaves_out(tmp_path):
    """The baseline renders the room's navigation: no source, collection or overview part in it
    (a big room's overview parts, ``reading_room.overview.PART_DIRS``, would weigh down every page)."""
    sys.path.insert(0, str(ROOT / "bench"))
    import bench

    docs = tmp_path / "docs"
    for uri in ("index.md", "overview/index.md", "overview/all-flags.md", "overview/all-flags/shelf-a.md",
                "overview/search-notes/shelf-a.md", "sources/s0000.md", "library/index.md"):
        (docs / uri).parent.mkdir(parents=True, exist_ok=True)
        (docs / uri).write_text("# Page\n")
    nav = bench.baseline_nav(docs, ["library/index.md"])
    assert nav == ["index.md", {"Overview": ["overview/index.md", "overview/all-flags.md"]},
                   {"Sources": ["library/index.md"]}]
