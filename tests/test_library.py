"""The library's shape: collections, the sources index, and a navigation that does not grow with
the room (``reading_room.library``, ``room_hooks._navigation``, ``assets/sources-index.js``).

Unit tests of the core without a build; one build of a 30-source room in three collections
(above ``NAV_LIMIT``, so the navigation lists collections); the real five-source room, whose
navigation still lists every source; and the sources index in Chromium from ``file://`` under the
site's Content-Security-Policy: filter, sort, a link that opens filtered, and no script at all.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import build, make_project, screenshot

from reading_room import library
from reading_room.errors import Problems
from reading_room.model import Meta, Source
from reading_room.room import Room

SLUGS = ["baichuan-migrant-workers", "news-600000-uyghurs", "swupl-field-survey", "white-paper-2020",
         "zenz-2024-forced-labor"]


def room_of(metas: dict[str, Meta]) -> Room:
    room = Room(root=Path("."), problems=Problems())
    for slug, meta in metas.items():
        room.sources[slug] = Source(slug, f"seeds/{slug}.txt", meta, ())
    return room


# -- the core -------------------------------------------------------------------------------------
def test_collections_are_sorted_by_name_with_other_sources_last():
    room = room_of({"a": Meta("A", collection="Zeta"), "b": Meta("B"), "c": Meta("C", collection="alpha"),
                    "d": Meta("D", collection="Zeta")})
    cols = library.collections(room)
    assert [(c.title, c.sources) for c in cols] == [("alpha", ("c",)), ("Zeta", ("a", "d")), ("Other sources", ("b",))]
    assert [c.uri for c in cols] == ["library/alpha.md", "library/zeta.md", "library/other.md"]


def test_collection_addresses_never_collide_with_the_index_or_each_other():
    room = room_of({"a": Meta("A", collection="Index"), "b": Meta("B", collection="index!"), "c": Meta("C", collection="???")})
    uris = [c.uri for c in library.collections(room)]
    assert len(set(uris)) == 3 and library.INDEX_URI not in uris, uris


def test_a_small_room_lists_every_source_and_a_big_one_only_its_collections():
    small = room_of({f"s{i}": Meta(f"S{i}") for i in range(library.NAV_LIMIT)})
    assert library.nav_plan(small) == [library.INDEX_URI] + [f"sources/s{i}.md" for i in range(library.NAV_LIMIT)]
    grouped = room_of({"a": Meta("A", collection="One"), "b": Meta("B")})
    assert library.nav_plan(grouped) == [library.INDEX_URI, ("One", ["library/one.md", "sources/a.md"]),
                                         ("Other sources", ["library/other.md", "sources/b.md"])]
    big = room_of({f"s{i:03d}": Meta(f"S{i}", collection=f"C{i % 3}") for i in range(library.NAV_LIMIT + 1)})
    plan = library.nav_plan(big)
    assert plan == [library.INDEX_URI, "library/c0.md", "library/c1.md", "library/c2.md"]
    assert not any("sources/" in str(item) for item in plan)


def test_a_library_of_many_collections_lists_one_collections_page_not_each():
    """Each collection in every page's navigation would grow every page with the library again."""
    n = library.NAV_LIMIT + 1
    many = room_of({f"s{i:03d}": Meta(f"S{i}", collection=f"C{i:02d}") for i in range(n)})
    assert library.nav_plan(many) == [library.INDEX_URI, library.COLLECTIONS_URI]
    pages = {p.uri: p.text for p in library.pages(many)}
    listing = pages[library.COLLECTIONS_URI]
    assert [m for m in re.findall(r"\]\((c\d\d)\.md\)", listing)] == [f"c{i:02d}" for i in range(n)]
    assert all(f"library/c{i:02d}.md" in pages for i in range(n)), "every collection keeps its page"
    assert "](index.md)" in listing
    # at the limit, the navigation still lists each collection, and there is no such page
    few = room_of({f"s{i:03d}": Meta(f"S{i}", collection=f"C{i % library.NAV_LIMIT:02d}") for i in range(n)})
    assert library.nav_plan(few) == [library.INDEX_URI] + [f"library/c{i:02d}.md" for i in range(library.NAV_LIMIT)]
    assert library.COLLECTIONS_URI not in {p.uri for p in library.pages(few)}
    # a collection called "Collections" does not take the page's address
    named = room_of({"a": Meta("A", collection="Collections")})
    assert [c.uri for c in library.collections(named)] == ["library/collections-2.md"]


@pytest.mark.parametrize("text, key", [
    ("September 2020", "2020-09-00"), ("2024-03-05", "2024-03-05"), ("5 May 2021", "2021-05-05"),
    ("2023", "2023-00-00"), ("not stated", ""), ("Dec. 1999, revised", "1999-12-00"),
])
def test_dates_written_any_way_sort_in_time_order(text, key):
    assert library.date_key(text) == key


def test_the_index_lists_every_source_with_its_fields_escaped():
    room = room_of({"a": Meta('<img src=x onerror=alert(1)> "A"', author="Ann & Co", date="2020", genre="report",
                              stance="critical", collection="One"),
                    "b": Meta("B", genre="news article")})
    html = library.index_page(room)
    soup = BeautifulSoup(html.split("---\n", 2)[2], "html.parser")
    rows = soup.select("[data-rr-library] tbody tr")
    assert [r["data-title"] for r in rows] == ['<img src=x onerror=alert(1)> "A"', "B"]
    assert rows[0]["data-author"] == "Ann & Co" and rows[0]["data-date"] == "2020-00-00"
    assert rows[0]["data-collection"] == "One" and rows[1]["data-collection"] == "Other sources"
    assert rows[0]["data-notes"] == "0" and not soup.select("img")
    assert [o["value"] for o in soup.select("select[name=genre] option")] == ["", "news article", "report"]
    assert soup.select_one("[data-rr-library-filter]").has_attr("hidden")  # shown by the script only
    assert 'src="../assets/sources-index.js"' in html
    assert "title: " in html.split("---\n", 2)[1] and "exclude: true" in html


# -- builds --------------------------------------------------------------------------------------
SEED = "Title {i}\n\nThe report {i} says the programme {word} grew in 2019 and that workers chose freely.\n"


@pytest.fixture(scope="module")
def big_site(tmp_path_factory):
    """A room of 30 sources in three collections (and two with none)."""
    tmp = tmp_path_factory.mktemp("library")
    seeds = {}
    for i in range(30):
        seeds[f"s{i:02d}.txt"] = SEED.format(i=i, word=["quickly", "slowly", "steadily"][i % 3])
        col = f"collection: \"Group {'ABC'[i % 3]}\"\n" if i < 28 else ""
        seeds[f"s{i:02d}.meta.yml"] = (f"title: \"Report {i:02d}\"\nauthor: \"Author {29 - i:02d}\"\n"
                                       f"date: \"{2000 + i}\"\ngenre: \"{['report', 'news article'][i % 2]}\"\n"
                                       f"stance: \"{['critical', 'defends'][i % 2]}\"\n{col}")
    project = make_project(tmp, seeds=seeds)
    out = tmp / "site"
    result = build(project, out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "not included in the" not in result.stderr  # the unlisted sources are not reported
    return out


def nav_links(page: Path) -> list[str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return [a.get("href") for a in soup.select("nav.md-nav--primary a.md-nav__link")]


def test_a_big_room_navigation_lists_collections_not_sources(big_site):
    links = nav_links(big_site / "sources" / "s05.html")
    assert not [h for h in links if re.search(r"(^|/)s\d\d\.html", h)], links
    assert [h for h in links if "library/" in h] == ["../library/index.html", "../library/group-a.html",
                                                     "../library/group-b.html", "../library/group-c.html",
                                                     "../library/other.html"]
    # the navigation, and so every page, stays the same size whatever the room holds
    sizes = {len(str(BeautifulSoup((big_site / p).read_text(), "html.parser").select_one("nav.md-nav--primary")))
             for p in ("sources/s05.html", "sources/s29.html")}
    assert max(sizes) < 8000, sizes


def test_a_collection_page_lists_its_sources_and_the_index_all(big_site):
    col = BeautifulSoup((big_site / "library" / "group-b.html").read_text(), "html.parser")
    assert [a["href"] for a in col.select("[data-rr-library] tbody a")] == [f"../sources/s{i:02d}.html" for i in range(1, 28, 3)]
    index = BeautifulSoup((big_site / "library" / "index.html").read_text(), "html.parser")
    assert len(index.select("[data-rr-library] tbody tr")) == 30
    home = BeautifulSoup((big_site / "index.html").read_text(), "html.parser")
    assert "library/group-a.html" in {a.get("href") for a in home.select("article a")}
    assert not home.select('article a[href^="sources/"]')  # the home page lists collections, not 30 rows


def test_a_big_rooms_overview_is_built_in_parts_the_navigation_leaves_out(big_site):
    """The overview pages list a part for each collection (``reading_room.overview.parts``); the
    part pages exist, their links reach real pages, and neither the navigation nor the search
    index holds them."""
    flags_page = BeautifulSoup((big_site / "overview" / "all-flags.html").read_text(), "html.parser")
    parts = [a["href"] for a in flags_page.select("article table a")]
    assert parts == [f"all-flags/{p}.html" for p in ("group-a", "group-b", "group-c", "other")]
    for href in parts:
        page = big_site / "overview" / href
        soup = BeautifulSoup(page.read_text(), "html.parser")
        links = {a["href"].split("#")[0] for a in soup.select("article a[href]") if not a["href"].startswith("#")}
        assert links and all((page.parent / link).resolve().exists() for link in links), links
    group_b = BeautifulSoup((big_site / "overview" / "all-flags" / "group-b.html").read_text(), "html.parser")
    assert {li["data-source"] for li in group_b.select("li[data-flag]")} <= {f"s{i:02d}" for i in range(1, 28, 3)}
    assert group_b.select("li[data-flag]")  # the detector's suggestions on its sources
    assert (big_site / "overview" / "search-notes" / "other.html").exists()
    assert not [h for h in nav_links(big_site / "overview" / "all-flags.html") if "all-flags/" in h]
    meta = (big_site / "search" / "rr" / "meta.js").read_text(encoding="utf-8")
    assert "overview/all-flags/" not in meta and "overview/search-notes/" not in meta


def test_a_library_of_many_collections_builds_with_a_collections_page(tmp_path):
    n = library.NAV_LIMIT + 2
    seeds = {}
    for i in range(n):
        seeds[f"t{i:02d}.txt"] = f"Title {i}\n\nA short paragraph number {i} of this small source.\n"
        seeds[f"t{i:02d}.meta.yml"] = f'title: "Title {i}"\ncollection: "Shelf {i:02d}"\n'
    project = make_project(tmp_path, seeds=seeds)
    out = tmp_path / "site"
    result = build(project, out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "not included in the" not in result.stderr
    links = nav_links(out / "sources" / "t03.html")
    assert [h for h in links if "library/" in h] == ["../library/index.html", "../library/collections.html"]
    page = BeautifulSoup((out / "library" / "collections.html").read_text(encoding="utf-8"), "html.parser")
    assert [a["href"] for a in page.select("article table a")] == [f"shelf-{i:02d}.html" for i in range(n)]
    assert (out / "library" / "shelf-05.html").exists()


def test_the_real_room_lists_its_five_sources_as_before(site):
    links = nav_links(site / "sources" / "white-paper-2020.html")
    listed = [h for h in links if h.endswith(".html") and not h.startswith("..")]
    assert listed == [f"{s}.html" for s in SLUGS]
    assert "../library/index.html" in links
    assert not (site / "library" / "other.html").exists()  # no collections, no collection pages


# -- in the browser --------------------------------------------------------------------------------
def visible_titles(page) -> list[str]:
    return page.eval_on_selector_all("[data-rr-library] tbody tr:not([hidden])", "rs => rs.map(r => r.dataset.title)")


@pytest.mark.browser
def test_the_index_filters_and_sorts_from_file_under_the_policy(big_site, open_page):
    page = open_page((big_site / "library" / "index.html").as_uri())
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.wait_for_selector("[data-rr-library-filter]:not([hidden])")
    assert page.evaluate("!!document.querySelector('meta[http-equiv=Content-Security-Policy]')")
    assert len(visible_titles(page)) == 30
    page.select_option("select[name=genre]", "news article")
    page.select_option("select[name=collection]", "Group B")
    assert visible_titles(page) == [f"Report {i:02d}" for i in (1, 7, 13, 19, 25)]
    assert page.inner_text("[data-rr-library-count]") == "5 of 30 sources."
    page.click("th[data-rr-sort=author] button")  # authors run backwards: Author 29 is Report 00
    assert visible_titles(page) == [f"Report {i:02d}" for i in (25, 19, 13, 7, 1)]
    assert page.get_attribute("th[data-rr-sort=author]", "aria-sort") == "ascending"
    page.click("th[data-rr-sort=date] button")
    page.click("th[data-rr-sort=date] button")
    assert visible_titles(page)[0] == "Report 25" and page.get_attribute("th[data-rr-sort=date]", "aria-sort") == "descending"
    page.fill("[data-rr-library-filter] input[name=q]", "report 07")
    page.wait_for_function("() => document.querySelector('[data-rr-library-count]').textContent.startsWith('1 of')")
    assert visible_titles(page) == ["Report 07"]
    assert "q=report%2007" in page.url and "sort=-date" in page.url
    screenshot(page, "library-index-1440")
    assert not page.errors and not violations, (page.errors, violations)


@pytest.mark.browser
def test_a_link_opens_the_index_filtered_and_sorted(big_site, open_page):
    page = open_page((big_site / "library" / "index.html").as_uri() + "#stance=critical&sort=-date")
    page.wait_for_selector("[data-rr-library-filter]:not([hidden])")
    assert visible_titles(page) == [f"Report {i:02d}" for i in range(28, -1, -2)]


@pytest.mark.browser
def test_without_javascript_the_whole_table_is_there(big_site, open_page):
    page = open_page((big_site / "library" / "index.html").as_uri(), js=False)
    assert page.locator("[data-rr-library] tbody tr:visible").count() == 30
    assert not page.locator("[data-rr-library-filter]").is_visible()


@pytest.mark.browser
@pytest.mark.parametrize("width", [1440, 390])
def test_navigation_screenshots(big_site, site, open_page, width):
    for name, root in (("big", big_site), ("real", site)):
        page = open_page((root / "sources" / ("s05.html" if name == "big" else "white-paper-2020.html")).as_uri(),
                         width=width, height=900 if width > 400 else 844)
        if width < 400:
            page.click("label.md-header__button[for=__drawer]")
            page.wait_for_timeout(400)
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        screenshot(page, f"nav-{name}-{width}")
        page = open_page((root / "library" / "index.html").as_uri(), width=width, height=900 if width > 400 else 844)
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        screenshot(page, f"library-{name}-{width}")
