"""The room under engines other than MkDocs 1.6 (issue 18).

- **Zensical** (the Material team's successor, which runs no hooks) builds the tree that
  ``python -m reading_room export`` writes: the five source pages, every seed word on its page, and
  in Chromium the notes in the margin at 1440 px, a marker that opens its note at 390 px, and its
  own search finding a word that only a note contains.  What it cannot do is marked xfail(strict).
- **ProperDocs** (the maintained fork of MkDocs 1.x) builds the room itself, through the hooks as
  they are; its source pages are compared byte for byte with the MkDocs build's.

Both engines are pinned in requirements.txt and installed with the rest into .venv.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import ENV, ROOT, screenshot
from test_cli import run
from test_fidelity import page_words, seed_words

SLUGS = sorted(p.stem for p in (ROOT / "seeds").glob("*.txt"))
WORD = re.compile(r"[A-Za-z]{7,}")
# MkDocs and ProperDocs name themselves in the page; nothing else may differ
GENERATOR = re.compile(r'<meta name="generator" content="[^"]*">')


def engine(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True, cwd=cwd, env=ENV,
                          timeout=300)


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("exported") / "room"
    result = run("export", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def zensical_site(exported) -> Path:
    result = engine("zensical", "build", "-f", "mkdocs.yml", cwd=exported)
    assert result.returncode == 0, result.stdout + result.stderr
    return exported / "site"


def test_zensical_builds_the_five_source_pages(zensical_site):
    assert len(SLUGS) == 5
    for slug in SLUGS:
        html = (zensical_site / "sources" / f"{slug}.html").read_text(encoding="utf-8")
        assert 'content="zensical-' in html and 'class="rr-p' in html, slug
        assert (zensical_site / "originals" / f"{slug}.txt").read_bytes() == (ROOT / "seeds" / f"{slug}.txt").read_bytes()
    for name in ("annotations.jsonld", "notes-index.json", "overview/search-notes.html", "assignments/index.html"):
        assert (zensical_site / name).exists(), name


@pytest.mark.parametrize("slug", SLUGS)
def test_zensical_page_has_every_seed_word_in_order(zensical_site, slug):
    got = page_words((zensical_site / "sources" / f"{slug}.html").read_text(encoding="utf-8"))
    want = [word for word, _line in seed_words(slug)]
    assert got == want


def flatten(nav) -> list[str]:
    out = []
    for item in nav:
        if isinstance(item, str):
            out.append(item)
        else:
            for value in item.values():
                out += flatten(value) if isinstance(value, list) else [value]
    return out


def nav_links(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [a["href"] for a in soup.select("nav.md-nav--primary a.md-nav__link[href]") if "#" not in a["href"]]


def test_export_and_zensical_keep_the_navigation_of_the_mkdocs_build(site, exported, zensical_site):
    """The hooks set MkDocs' navigation (the room's Sources section); the export writes the same
    into its mkdocs.yml, and Zensical lists the same pages in the same order."""
    config = yaml.safe_load((exported / "mkdocs.yml").read_text(encoding="utf-8"))
    mkdocs_nav = nav_links((site / "index.html").read_text(encoding="utf-8"))
    assert [uri.removesuffix(".md") + ".html" for uri in flatten(config["nav"])] == mkdocs_nav
    assert "sources/white-paper-2020.html" in mkdocs_nav
    zensical_nav = nav_links((zensical_site / "index.html").read_text(encoding="utf-8"))
    assert [link.removeprefix("./") for link in zensical_nav] == mkdocs_nav


def test_zensical_pages_carry_the_content_security_policy(zensical_site):
    html = (zensical_site / "sources" / "white-paper-2020.html").read_text(encoding="utf-8")
    assert 'http-equiv="Content-Security-Policy"' in html


test_zensical_pages_carry_the_content_security_policy = pytest.mark.xfail(
    strict=True, reason="the room adds its Content-Security-Policy in MkDocs' on_post_page hook, and Zensical runs "
    "no hooks; the policy hashes the theme's inline scripts, so it can only be written once the page is made "
    "(Zensical would need its planned module system, or a post-build step of ours)")(
    test_zensical_pages_carry_the_content_security_policy)


def note_only_word() -> tuple[str, str]:
    """A word (7+ letters) that one note contains and no seed or hand-written page does, and the
    source of that note: what only a search of the notes can find."""
    from reading_room.room import load_room

    room = load_room(ROOT, cache_dir=ROOT / ".cache" / "reading-room")
    elsewhere = {w.lower() for text in room.texts.values() for w in WORD.findall(text)}
    for page in (ROOT / "docs").rglob("*.md"):
        elsewhere |= {w.lower() for w in WORD.findall(page.read_text(encoding="utf-8"))}
    seen: dict[str, set[str]] = {}
    for note in room.notes:
        for w in WORD.findall(note.body):
            if w.lower() not in elsewhere:
                seen.setdefault(w.lower(), set()).add(note.source)
    word = min(w for w, sources in seen.items() if len(sources) == 1)
    return word, seen[word].pop()


# --- in Chromium, from file:// -----------------------------------------------------------------

@pytest.mark.browser
def test_zensical_notes_sit_in_the_margin_on_a_desktop(zensical_site, open_page):
    page = open_page((zensical_site / "sources" / "white-paper-2020.html").as_uri(), width=1440)
    boxes = page.evaluate("""() => {
        const text = document.querySelector('article .rr-p').getBoundingClientRect();
        return [...document.querySelectorAll('.rr-note')].filter(n => n.offsetParent && !n.closest('.rr-excerpt'))
            .map(n => { const r = n.getBoundingClientRect(); return {left: r.left, width: r.width, textRight: text.right}; });
    }""")
    assert len(boxes) > 10, "no notes shown"
    for b in boxes:
        assert b["left"] >= b["textRight"] - 1 and b["width"] > 100, b
    page.locator(".rr-note").nth(3).scroll_into_view_if_needed()
    screenshot(page, "zensical-desktop-white-paper")
    assert not page.errors, page.errors
    assert all(u.startswith(("file://", "data:", "blob:", "about:")) for u in page.requests), page.requests


@pytest.mark.browser
def test_zensical_marker_opens_its_note_on_a_phone(zensical_site, open_page):
    page = open_page((zensical_site / "sources" / "white-paper-2020.html").as_uri(), width=390, height=844)
    marker = page.locator(".rr-marker").first
    note = page.locator("#note-" + marker.get_attribute("data-ref"))
    assert not note.is_visible()
    marker.click()
    assert note.is_visible() and marker.get_attribute("aria-expanded") == "true"
    screenshot(page, "zensical-phone-note-open")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


@pytest.mark.browser
def test_zensical_search_finds_a_word_only_a_note_contains(zensical_site, open_page):
    word, slug = note_only_word()
    page = open_page((zensical_site / "index.html").as_uri())
    page.click(".md-search__button")
    page.keyboard.type(word)
    # Zensical's search draws its results in a shadow root; Playwright's CSS looks inside it
    result = page.locator(f'ol[aria-label="Search results"] a[role="option"][href*="sources/{slug}.html"]').first
    result.wait_for(timeout=20_000)
    screenshot(page, "zensical-search")
    result.click()
    page.wait_for_url(f"**/sources/{slug}.html*")
    assert word in page.locator("article").text_content().lower()


# --- ProperDocs, through the hooks -------------------------------------------------------------

def test_properdocs_builds_the_same_source_pages_as_mkdocs(site, tmp_path):
    out = tmp_path / "properdocs-site"
    result = engine("properdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(out), cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "reading-room" not in result.stdout + result.stderr  # no problem reported, as with MkDocs
    for slug in SLUGS:
        mkdocs_page = (site / "sources" / f"{slug}.html").read_text(encoding="utf-8")
        properdocs_page = (out / "sources" / f"{slug}.html").read_text(encoding="utf-8")
        assert 'content="mkdocs-ProperDocs 1.' in properdocs_page
        assert GENERATOR.sub("", properdocs_page) == GENERATOR.sub("", mkdocs_page), slug
    for name in ("annotations.jsonld", "notes-index.json"):
        assert (out / name).read_bytes() == (site / name).read_bytes(), name


# --- the hostile room under Zensical ------------------------------------------------------------

def test_zensical_build_of_the_hostile_room_runs_nothing_from_input(tmp_path):
    """Every hostile fixture exported and built by Zensical: the room's escaping, not the engine,
    keeps markup in seeds, titles and notes inert, so it holds under an engine without the
    Content-Security-Policy too (in Chromium the policy would block what slipped through; here
    nothing may slip through)."""
    from test_hostile_build import hostile_files, runnable_attributes
    from conftest import make_project

    seeds, notes = hostile_files()
    project = make_project(tmp_path, seeds=seeds, annotations=notes)
    out = tmp_path / "exported"
    exported = run("export", str(out), "--root", str(project))
    assert exported.returncode == 1 and "Traceback" not in exported.stderr  # problems listed, tree written
    result = engine("zensical", "build", "-f", "mkdocs.yml", cwd=out)
    assert result.returncode == 0, result.stdout + result.stderr
    site = out / "site"
    assert (site / "attention.html").exists() and (site / "sources" / "html.html").exists()
    found = []
    for path in sorted(site.rglob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        where = path.relative_to(site).as_posix()
        for el in soup.find_all(True):
            found += runnable_attributes(el, where)
            if el.name in ("script", "iframe", "svg", "img") and "alert" in str(el):
                found.append(f"{where}: <{el.name}> from input: {str(el)[:60]}")
    assert found == []
    title = BeautifulSoup((site / "sources" / "html-title.html").read_text(encoding="utf-8"), "html.parser").title
    assert title.get_text().startswith("<img src=x onerror=alert('title')>")
