"""Whole builds of small rooms: problems fail --strict with file:line, never a traceback."""

from __future__ import annotations

import json

import pytest
from conftest import build, make_project

SEED = "A Test Source\n\nThe workers chose freely, the report says.\n\nA second paragraph with a claim.\n"
OTHER = "Another Source\n\nThe workers were transferred under quotas.\n"
SEEDS = {"test.txt": SEED, "test.meta.yml": "title: A Test Source\n", "other.txt": OTHER,
         "other.meta.yml": "title: Another Source\n"}
GOOD = """# yaml-language-server: $schema=./schema.json
annotations:
  - id: t-framing
    kind: framing
    technique: loaded_language
    quote: "chose freely"
    note: "The phrase asserts free choice."
  - id: t-rebut
    kind: rebuttal
    quote: "A second paragraph with a claim."
    target: {source: other, quote: "transferred under quotas"}
    note: "The two texts disagree."
"""
MISSING = GOOD + """  - id: t-missing
    kind: uncited
    strength: unsourced
    quote: "a sentence that is not in the source"
    note: "Lost?"
"""


def test_good_room_builds_strict(tmp_path):
    project = make_project(tmp_path, seeds=SEEDS, annotations={"test.yml": GOOD})
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "sources" / "test.html").read_text()
    assert 'data-annotation="t-framing"' in page and 'data-note="t-rebut"' in page
    other = (tmp_path / "site" / "sources" / "other.html").read_text()
    # the link names the passage's id, and carries its Text Fragment (see test_fragments)
    assert "Disputes →" in other and 'href="test.html#t-rebut:~:text=' in other
    data = json.loads((tmp_path / "site" / "annotations.jsonld").read_text())
    assert data["total"] == 2


def test_missing_quote_fails_strict_with_file_and_line(tmp_path):
    project = make_project(tmp_path, seeds=SEEDS, annotations={"test.yml": MISSING})
    result = build(project, tmp_path / "site")
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert "annotations/test.yml:16" in out  # the line of its quote
    assert "t-missing" in out and "closest passage" in out
    assert "Traceback" not in out


def test_non_strict_build_lists_unplaced_notes(tmp_path):
    project = make_project(tmp_path, seeds=SEEDS, annotations={"test.yml": MISSING})
    result = build(project, tmp_path / "site", strict=False)
    assert result.returncode == 0, result.stderr
    attention = (tmp_path / "site" / "attention.html").read_text()
    assert "t-missing" in attention and "Lost?" in attention
    assert 'data-annotation="t-framing"' in (tmp_path / "site" / "sources" / "test.html").read_text()


def test_all_problems_reported_in_one_run(tmp_path):
    bad = GOOD.replace('quote: "chose freely"', 'quote: "chose nothing"').replace(
        'quote: "transferred under quotas"', 'quote: "not there"')
    project = make_project(tmp_path, seeds=SEEDS,
                           annotations={"test.yml": bad, "ghost.yml": "annotations: []\n"})
    out = build(project, tmp_path / "site").stdout
    result = build(project, tmp_path / "site")
    out = result.stdout + result.stderr
    assert "t-framing" in out and "t-rebut" in out and "ghost.yml" in out


def test_seed_without_metadata_says_not_stated(tmp_path):
    project = make_project(tmp_path, seeds={"sixth.txt": SEED})
    result = build(project, tmp_path / "site", strict=False)
    assert result.returncode == 0
    assert "no metadata file" in result.stdout + result.stderr
    page = (tmp_path / "site" / "sources" / "sixth.html").read_text()
    assert "not stated" in page


@pytest.mark.parametrize("name", ["index.html", "about.html", "about-annotations.html"])
def test_hand_written_pages_are_filled(site, name):
    html = (site / name).read_text()
    assert "room:" not in html  # every placeholder replaced
