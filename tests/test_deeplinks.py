"""Deep links in a real browser (Chromium from file://): Text Fragments that bring a reader to the
passage even from outside the room, element ids that still work with a directive, the ¶ buttons
that copy a paragraph's or a note's address, and room.js's handling of such addresses."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from conftest import SCREENSHOTS, screenshot, tab_to

pytestmark = pytest.mark.browser
SLUGS = ["baichuan-migrant-workers", "white-paper-2020", "news-600000-uyghurs", "swupl-field-survey",
         "zenz-2024-forced-labor"]
# an element, or any piece of a highlight (a long passage may be taller than the window)
IN_VIEW = """id => [document.getElementById(id), ...document.querySelectorAll(`mark[data-annotation="${id}"]`)]
    .some(el => { if (!el) return false; const r = el.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; })"""


def url(site, path):
    path, hash_, fragment = path.partition("#")
    return (site / path).as_uri() + hash_ + fragment


def rebuttal_links(site):
    """(page the link is on, href) for every "Disputed by →" / "Disputes →" link of the room."""
    out = []
    for slug in SLUGS:
        soup = BeautifulSoup((site / "sources" / f"{slug}.html").read_text(encoding="utf-8"), "html.parser")
        out += [(slug, a["href"]) for a in soup.select(".rr-note__link a")]
    return out


@pytest.mark.parametrize("js", [False, True], ids=["sample-no-js", "one-per-page-with-js"])
def test_rebuttal_text_fragments_find_their_passage_without_the_id(site, browser, js):
    """The directive alone (no element id to fall back on) must scroll the far passage into view:
    what a reader sees who opens the link in a browser that honours Text Fragments.  Up to eight
    links into each page without JavaScript (the match does not need it; test_fragments checks
    every link's terms against its passage); with it (room.js moves the notes after the browser
    has scrolled) the first link into each page."""
    links = [href for _, href in rebuttal_links(site) if ":~:" in href]
    assert len(links) >= 2
    per_page: dict[str, list[str]] = {}
    for href in links:
        per_page.setdefault(href.split("#")[0], []).append(href)
    links = [href for hrefs in per_page.values() for href in hrefs[::max(1, len(hrefs) // 8)][:1 if js else 8]]
    ctx = browser.new_context(viewport={"width": 1440, "height": 700}, java_script_enabled=js)
    page = ctx.new_page()
    at_top = set()  # passages in view before any scrolling prove nothing
    for target in {href.split("#")[0] for href in links}:
        page.goto(url(site, f"sources/{target}"))
        at_top |= {(target, i) for i in page.evaluate(
            "[...document.querySelectorAll('mark[id]')].filter(m => m.getBoundingClientRect().top < innerHeight).map(m => m.id)")}
    tried = 0
    for n, href in enumerate(links):
        target, fragment = href.split("#", 1)
        note_id, directive = fragment.split(":~:")
        if (target, note_id) in at_top:
            continue
        # a query makes each address a new document, where the browser applies the directive
        page.goto(url(site, f"sources/{target}") + f"?{n}#:~:{directive}")
        page.wait_for_timeout(300 if js else 0)  # room.js places the notes after the scroll
        try:
            page.wait_for_function(IN_VIEW, arg=note_id, timeout=6000)
        except Exception:
            pytest.fail(f"{href}: the passage is not in view (scrollY {page.evaluate('scrollY')})")
        tried += 1
    assert tried >= len(links) // 2, (tried, len(links))
    ctx.close()


def test_a_text_fragment_is_highlighted_when_a_rebuttal_link_is_clicked(site, open_page):
    page = open_page(url(site, "sources/white-paper-2020.html"), height=600)
    link = page.locator(".rr-note[data-kind=rebuttal] .rr-note__link a").first
    href = link.get_attribute("href")
    note_id = re.search(r"#([^:]+):~:text=", href).group(1)
    link.scroll_into_view_if_needed()
    link.click()
    page.wait_for_url(re.compile(re.escape(href.split("#")[0])))
    page.wait_for_function(IN_VIEW, arg=note_id, timeout=3000)
    assert page.evaluate("location.hash") == f"#{note_id}"  # Chromium keeps the directive out of sight
    screenshot(page, "deeplink-text-fragment-desktop")


def test_an_element_id_still_works_when_the_text_is_not_found(site, open_page):
    page = open_page("about:blank", height=500)
    page.goto(url(site, "sources/white-paper-2020.html"))
    para = page.evaluate("[...document.querySelectorAll('.rr-p')].slice(-3)[0].id")
    page.goto("about:blank")
    page.goto(url(site, f"sources/white-paper-2020.html#{para}:~:text=no%20such%20words%20anywhere"))
    page.wait_for_function(IN_VIEW, arg=para, timeout=3000)
    assert page.evaluate("location.hash") == f"#{para}"
    assert page.evaluate("document.querySelector(':target') && document.querySelector(':target').id") == para


def test_a_note_address_opens_the_note_on_a_phone(site, open_page):
    page = open_page("about:blank", width=390, height=844)
    page.goto(url(site, "sources/zenz-2024-forced-labor.html"))
    a = page.locator(".rr-note .rr-permalink").nth(2)
    href, directive = a.get_attribute("href"), a.get_attribute("data-text-fragment")
    note_id = href[len("#note-"):]
    page.goto("about:blank")
    page.goto(url(site, f"sources/zenz-2024-forced-labor.html{href}:~:{directive}"))
    note = page.locator(f"#note-{note_id}")
    note.wait_for(state="visible", timeout=3000)
    assert page.locator(f'.rr-marker[data-ref="{note_id}"]').get_attribute("aria-expanded") == "true"
    assert not page.errors, page.errors
    screenshot(page, "deeplink-note-phone")


def test_room_js_reads_an_address_whose_directive_is_not_hidden(site, open_page):
    """Browsers that do not know Text Fragments leave ``:~:text=…`` in location.hash."""
    page = open_page(url(site, "sources/white-paper-2020.html"), width=390, height=844)
    note_id = page.locator(".rr-marker").nth(3).get_attribute("data-ref")
    page.evaluate("""id => { history.replaceState(null, "", "#" + id + "%3A~%3Atext%3Dsome%2Dwords");
                             window.dispatchEvent(new HashChangeEvent("hashchange")); }""", note_id)
    assert ":~:" in page.evaluate("decodeURIComponent(location.hash)")
    assert page.locator(f"#note-{note_id}").is_visible()
    assert not page.errors, page.errors


def expected_address(page, a):
    return (page.evaluate("location.href.split('#')[0]") + a.get_attribute("href") + ":~:"
            + a.get_attribute("data-text-fragment"))


def test_the_paragraph_button_copies_its_address_with_the_text_fragment(site, browser):
    ctx = browser.new_context(viewport={"width": 1440, "height": 900}, permissions=["clipboard-read", "clipboard-write"])
    page = ctx.new_page()
    page.goto(url(site, "sources/white-paper-2020.html"))
    para = page.locator(".rr-block > .rr-p").nth(1)
    para.hover()
    a = para.locator(":scope > .rr-permalink")
    assert float(a.evaluate("el => getComputedStyle(el).opacity")) == 1  # revealed on hover
    a.click()
    page.locator(".rr-toast", has_text="Link copied").wait_for(timeout=3000)
    assert page.evaluate("navigator.clipboard.readText()") == expected_address(page, a)
    assert page.locator(".rr-toast").get_attribute("role") == "status"
    # the copied address, opened afresh, brings the paragraph into view
    copied = page.evaluate("navigator.clipboard.readText()")
    page.goto("about:blank")
    page.goto(copied)
    para_id = copied.split("#")[1].split(":~:")[0]
    page.wait_for_function(IN_VIEW, arg=para_id, timeout=3000)
    ctx.close()


def test_the_note_button_works_by_keyboard(site, browser):
    ctx = browser.new_context(viewport={"width": 1440, "height": 900}, permissions=["clipboard-read", "clipboard-write"])
    page = ctx.new_page()
    page.goto(url(site, "sources/zenz-2024-forced-labor.html"))
    tab_to(page, ".rr-note .rr-permalink")
    a = page.locator(".rr-note .rr-permalink:focus")
    assert a.get_attribute("role") == "button" and "Copy the link" in a.get_attribute("aria-label")
    assert float(a.evaluate("el => getComputedStyle(el).opacity")) == 1  # revealed on focus
    assert a.evaluate("el => getComputedStyle(el).outlineStyle") != "none"
    page.keyboard.press("Enter")
    page.locator(".rr-toast", has_text="Link copied").wait_for(timeout=3000)
    assert page.evaluate("navigator.clipboard.readText()") == expected_address(page, a)
    page.evaluate("navigator.clipboard.writeText('')")
    page.keyboard.press(" ")
    page.locator(".rr-toast", has_text="Link copied").wait_for(timeout=3000)
    assert page.evaluate("navigator.clipboard.readText()") == expected_address(page, a)
    ctx.close()


def test_without_a_clipboard_the_address_is_selected_in_a_box(site, browser):
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    ctx.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    page = ctx.new_page()
    page.goto(url(site, "sources/white-paper-2020.html"))
    a = page.locator(".rr-block > .rr-p > .rr-permalink").first
    a.focus()
    page.keyboard.press("Enter")
    box = page.locator(".rr-copybox")
    box.wait_for(timeout=3000)
    assert page.evaluate("document.activeElement.classList.contains('rr-copybox')")
    assert box.input_value() == expected_address(page, a)
    assert page.evaluate("[document.activeElement.selectionStart, document.activeElement.selectionEnd]") == \
        [0, len(box.input_value())]
    assert page.locator(".rr-toast").inner_text() in ("Link copied", "Press Ctrl+C to copy the link")
    box.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "deeplink-copybox-phone.png"))
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.classList.contains('rr-permalink')")
    assert page.locator(".rr-copybox").count() == 0  # gone once it loses focus
    ctx.close()


def test_every_link_to_a_passage_lands_on_an_element_of_its_page(site):
    """A note's "Go to the passage" and a rebuttal's link name an id that exists on the page they
    go to: the highlight, or, where a passage sits in a table shown as it is (no highlight there),
    the table itself.  Zensical's strict check found four such links pointing nowhere."""
    import re
    pages = {p.name: p.read_text(encoding="utf-8") for p in (site / "sources").glob("*.html")}
    ids = {name: set(re.findall(r'\bid="([^"]+)"', html)) for name, html in pages.items()}
    missing = []
    for name, html in pages.items():
        for href in re.findall(r'class="rr-note__(?:num|far|quote)?[^"]*" href="([^"]+)"', html) + \
                re.findall(r'<p class="rr-note__link">.*?href="([^"]+)"', html):
            page, _, target = href.partition("#")
            target = target.split(":~:")[0]
            page = page.rsplit("/", 1)[-1] or name
            if page in ids and target and target not in ids[page]:
                missing.append(f"{name}: {href}")
    assert not missing, missing[:10]
