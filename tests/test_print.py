"""Print handouts in a real browser (Chromium, print media and PDF export): every source page
and every assignment prints on A4 and Letter with no screen chrome, numbered side notes, its
highlights told apart by underline style, rebuttal targets with their title and paragraph
link, and the page's address and seed SHA-256 on every sheet.

PDF pages are also rendered to tests/screenshots/ when poppler's pdftoppm is installed, for a
person to look at; the print-media screenshots are made in any case.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from conftest import SCREENSHOTS, screenshot

pytestmark = pytest.mark.browser
SLUGS = ["baichuan-migrant-workers", "white-paper-2020", "news-600000-uyghurs", "swupl-field-survey",
         "zenz-2024-forced-labor"]
# printable width at 96 px per inch: A4 210 mm and Letter 8.5 in less the 14 mm side margins
PAPER = {"A4": (210 - 28) / 25.4 * 96, "Letter": 8.5 * 96 - 28 / 25.4 * 96}
SIZES_PT = {"A4": (595, 842), "Letter": (612, 792)}


def url(site, path):
    return (site / path).as_uri()


def printed_pages(site):
    """Every source page, and every assignment page the build made."""
    return [f"sources/{s}.html" for s in SLUGS] + sorted(
        str(p.relative_to(site)) for p in (site / "assignments").glob("*.html") if p.stem != "index")


def open_print(open_page, site, path, width=1440, height=900, js=True):
    page = open_page(url(site, path), width=width, height=height, js=js)
    page.emulate_media(media="print")
    return page


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_pdf_export_succeeds_on_the_paper_size(site, open_page, paper, tmp_path):
    page = open_page(url(site, "sources/white-paper-2020.html"))
    pdf = page.pdf(format=paper)
    assert pdf.startswith(b"%PDF")
    width, height = (int(float(n)) for n in re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf).groups())
    assert (width, height) == SIZES_PT[paper]
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 5 < pages < 60, pages  # a handout, not one page per note
    if shutil.which("pdftoppm"):
        out = tmp_path / "handout.pdf"
        out.write_bytes(pdf)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for number in (1, 3):
            subprocess.run(["pdftoppm", "-r", "80", "-png", "-singlefile", "-f", str(number), "-l", str(number),
                            str(out), str(SCREENSHOTS / f"print-{paper}-page{number}")], check=True)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-", "-"], input=pdf, capture_output=True).stdout
        sha = page.locator(".rr-print-foot").get_attribute("data-sha256")
        assert sha.encode() in text, "the seed's SHA-256 is in the page margin"
        # (a long address wraps in the margin, and pdftotext drops the hyphen it wrapped at)
        assert b"sources/white-paper" in text and b"2020.html" in text, "the page's address is in the page margin"


@pytest.mark.parametrize("path", ["sources/white-paper-2020.html", "sources/baichuan-migrant-workers.html"])
@pytest.mark.parametrize("width", [1440, 390])
def test_print_shows_numbered_notes_and_no_screen_chrome(site, open_page, path, width):
    page = open_print(open_page, site, path, width=width, height=900 if width > 400 else 844)
    for chrome in [".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-search", ".md-footer",
                   ".rr-toggle", ".rr-permalink", ".md-top"]:
        shown = page.locator(chrome).evaluate_all("els => els.filter(e => e.offsetParent || e.getClientRects().length).length")
        assert shown == 0, f"{chrome} is printed"
    notes = page.locator(".rr-note:not(.rr-off)")
    assert notes.count() > 3
    for i in range(notes.count()):
        note = notes.nth(i)
        assert note.is_visible(), "every note prints, also where the screen keeps it closed"
        assert note.locator(".rr-note__body").is_visible(), "in full, also where a crowded margin shows its head only"
        number = note.locator(".rr-note__num").get_attribute("data-n")  # drawn by the stylesheet
        marker = page.locator(f'.rr-marker[data-ref="{note.get_attribute("data-note")}"]')
        # the passage carries the same number (a note on a heading sits by the next block, unnumbered there)
        assert marker.count() == 0 or marker.first.get_attribute("data-n") == number
    # a paragraph with notes: text in one column, its notes in a column beside it
    block = page.locator(".rr-block:has(> .rr-p)").nth(2)
    block.scroll_into_view_if_needed()
    text, aside = block.locator(":scope > .rr-p").bounding_box(), block.locator(":scope > .rr-notes").bounding_box()
    assert aside["x"] >= text["x"] + text["width"] and abs(aside["y"] - text["y"]) < 20
    name = path.split("/")[1].removesuffix(".html")
    screenshot(page, f"print-media-{'desktop' if width > 400 else 'phone'}-{name}")


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_every_handout_fits_the_paper_width(site, open_page, paper):
    for path in printed_pages(site):
        page = open_print(open_page, site, path, width=round(PAPER[paper]), height=1000)
        over = page.evaluate("""() => [...document.querySelectorAll('article *')]
            .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > innerWidth + 1 && !e.closest('.rr-table, pre'))
            .map(e => e.tagName + '.' + e.className).slice(0, 5)""")
        assert not over, f"{path} on {paper}: {over}"
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth + 1"), path


def test_highlights_keep_one_underline_style_per_kind_on_paper(site, open_page):
    page = open_print(open_page, site, "sources/white-paper-2020.html")
    styles = page.evaluate("""() => Object.fromEntries(['framing', 'uncited', 'rebuttal', 'slip'].map(k => {
        const m = document.querySelector(`mark.rr-hl--${k}:not(.rr-hl--suggested)`) || document.querySelector(`.rr-swatch.rr-hl--${k}`);
        const s = getComputedStyle(m);
        return [k, {line: s.textDecorationLine, style: s.textDecorationStyle, bg: s.backgroundColor}];
    }))""")
    assert all(s["line"] == "underline" for s in styles.values()), styles
    assert len({s["style"] for s in styles.values()}) == 4, styles  # told apart without colour
    assert all(s["bg"] in ("rgba(0, 0, 0, 0)", "transparent") for s in styles.values()), styles
    # the legend explains the styles on paper too
    assert page.locator(".rr-legend .rr-swatch").first.is_visible()


def test_rebuttal_targets_print_their_title_and_paragraph_link(site, open_page):
    page = open_print(open_page, site, "sources/white-paper-2020.html")
    links = page.locator(".rr-note__link a")
    assert links.count() > 0
    for i in range(min(links.count(), 5)):
        a = links.nth(i)
        printed = a.evaluate("a => getComputedStyle(a, '::after').content")
        paragraph = a.get_attribute("data-paragraph")
        assert paragraph.startswith("file://") and paragraph in printed, (printed, paragraph)
        target, block_id = paragraph.split("#")
        other = open_page(target)
        assert other.locator(f'[id="{block_id}"]').count() == 1
        assert a.inner_text().strip() == other.locator("article h1").first.inner_text().strip().rstrip("¶").strip() \
            or a.inner_text().strip() in other.title()


def test_every_sheet_names_the_page_and_the_seed(site, open_page):
    page = open_print(open_page, site, "sources/zenz-2024-forced-labor.html")
    foot = page.locator(".rr-print-foot")
    assert foot.is_visible()
    here = page.evaluate("location.href.split('#')[0]")
    sha = foot.get_attribute("data-sha256")
    assert re.fullmatch(r"[0-9a-f]{64}", sha)
    assert sha in page.locator(".rr-provenance").inner_text()
    assert here in foot.inner_text() and sha in foot.inner_text()
    margins = page.evaluate("[...document.querySelectorAll('style[media=print]')].map(s => s.textContent).join()")
    assert "@bottom-left" in margins and here in margins and sha in margins


def test_without_javascript_the_last_sheet_still_names_the_page(site, open_page):
    page = open_print(open_page, site, "sources/zenz-2024-forced-labor.html", js=False)
    foot = page.locator(".rr-print-foot")
    assert foot.is_visible()
    assert "sources/zenz-2024-forced-labor.html" in foot.inner_text()
    assert foot.get_attribute("data-sha256") in foot.inner_text()
    assert page.locator(".rr-note").first.is_visible()


def test_kinds_switched_off_on_screen_stay_off_paper_and_out_of_the_legend(site, open_page):
    page = open_page(url(site, "sources/white-paper-2020.html"))
    page.click(".rr-toggle[data-kind=framing]")
    page.emulate_media(media="print")
    assert page.locator(".rr-note[data-kind=framing]").first.is_hidden()
    assert page.locator(".rr-legend li[data-kind=framing]").is_hidden()
    assert page.locator(".rr-legend li[data-kind=uncited]").is_visible()
    page.evaluate("localStorage.clear()")


def test_an_assignment_handout_names_its_page_and_the_seeds_it_knows(site, open_page):
    handouts = [p for p in printed_pages(site) if p.startswith("assignments/")]
    if not handouts:
        pytest.skip("no assignment is built (yet)")
    page = open_print(open_page, site, handouts[0])
    here = page.evaluate("location.href.split('#')[0]")
    margins = page.evaluate("[...document.querySelectorAll('style[media=print]')].map(s => s.textContent).join()")
    assert "@bottom-left" in margins and here in margins
    for sha in page.locator("[data-sha256]").evaluate_all("els => els.map(e => e.getAttribute('data-sha256'))"):
        assert sha in margins  # each excerpt that names its seed's checksum
    assert page.locator(".rr-note:not(.rr-off)").first.is_visible()
    assert page.locator(".md-header").is_hidden()
    screenshot(page, "print-media-desktop-assignment")
