"""The build's part of the students' margin (reading_room.student): the catalogue the script
reads, the My notes page, and an assignment's show:/first: front matter."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from conftest import ROOT, build, make_project

from reading_room.errors import Problems
from reading_room.student import CATALOGUE_URI, presets


def catalogue_of(site):
    text = (site / CATALOGUE_URI).read_text()
    assert text.startswith("window.ReadingRoomCatalogue=") and text.rstrip().endswith(";")
    return json.loads(text[len("window.ReadingRoomCatalogue="):].rstrip().rstrip(";"))


def test_catalogue_agrees_with_the_pages_iris(site):
    cat = catalogue_of(site)
    for s in cat["sources"]:
        html = (site / s["url"]).read_text()
        assert f'data-rr-iri="{s["iri"]}"' in html
        assert f'data-rr-room="{cat["room"]}"' in html
        assert "file:" not in s["iri"] and re.match(r"^[a-z][a-z0-9+.-]*:", s["iri"])
    urls = [p["url"] for p in cat["pages"]]
    assert "assignments/framing-job-preferences.html" in urls and "my-notes.html" in urls
    assert (site / "my-notes.html").exists()
    assert "data-rr-mynotes" in (site / "my-notes.html").read_text()


def test_every_page_loads_the_students_scripts(site):
    for path in ("index.html", "sources/white-paper-2020.html", "my-notes.html", "assignments/index.html"):
        html = (site / path).read_text()
        assert "rr-catalogue.js" in html and "mine.js" in html and "mine.css" in html, path


def test_presets_are_checked():
    problems = Problems()
    out = presets({"show": "framing, rebuttal", "first": "mine"}, {}, "docs/assignments/x.md", problems)
    assert 'data-rr-show="framing,rebuttal"' in out and 'data-rr-first="mine"' in out and not len(problems)
    out = presets({"show": ["framing", "verdicts"], "first": "theirs"}, {"show": 4, "first": 5}, "docs/a.md", problems)
    assert 'data-rr-show="framing"' in out and "data-rr-first" not in out
    messages = [str(p) for p in problems]
    assert any("docs/a.md:4" in m and "verdicts" in m for m in messages)
    assert any("docs/a.md:5" in m and "theirs" in m for m in messages)
    assert presets({}, {}, "docs/a.md", Problems()) == ""


ASSIGNMENT = """---
title: Presets
course: Test
show: [framing, rebuttal]
first: mine
---

# Presets

```excerpt
source: white-paper-2020
from: p-9a4e3dff
```

1. What do you see?
"""


@pytest.fixture(scope="module")
def preset_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("presets")
    project = make_project(tmp, keep_seeds=True)
    for f in (ROOT / "annotations").iterdir():  # the room's own notes, for the excerpts' margins
        shutil.copy(f, project / "annotations" / f.name)
    (project / "docs" / "assignments" / "presets.md").write_text(ASSIGNMENT)
    result = build(project, tmp / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    return tmp / "site"


@pytest.mark.browser
def test_front_matter_presets_apply_to_every_excerpt(preset_site, open_page):
    html = (preset_site / "assignments" / "presets.html").read_text()
    assert 'data-rr-show="framing,rebuttal"' in html and 'data-rr-first="mine"' in html
    page = open_page((preset_site / "assignments" / "presets.html").as_uri())
    page.wait_for_selector(".rr-mine-first")
    assert "held back" in page.locator(".rr-mine-first").text_content()
    shown = page.evaluate("""[...document.querySelectorAll('.rr-excerpt .rr-note')]
        .filter(n => getComputedStyle(n).display !== 'none').length""")
    assert shown == 0
    assert page.evaluate("document.documentElement.classList.contains('rr-hide-uncited')")
    assert page.evaluate("localStorage.getItem('rr-hidden-kinds')") is None
