"""Accessibility in a real browser: axe-core (installed from npm by `make test` into .cache, injected
from disk, never from a CDN) finds no serious or critical violation on any page of the room, at
desktop and phone width; notes, toggles and link buttons work by keyboard alone, with visible focus.

The pages are the room's own list (hand-written pages under docs/ and the pages the build
generates: sources, overview pages, and whatever is added later), so a new page is checked
without touching this file.
"""

from __future__ import annotations

import pytest
from conftest import ROOT, screenshot, tab_to

pytestmark = pytest.mark.browser
AXE = ROOT / ".cache" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


def room_pages() -> list[str]:
    """Every HTML page the build makes, as site paths."""
    from reading_room import site
    from reading_room.room import load_room

    room = load_room(ROOT, cache_dir=ROOT / ".cache" / "reading-room")
    uris = [p.uri for p in site.pages(room)] + [str(p.relative_to(ROOT / "docs")) for p in (ROOT / "docs").rglob("*.md")]
    return sorted({u.removesuffix(".md") + ".html" for u in uris if u.endswith(".md")})


PAGES = room_pages()
# at phone width the same markup is laid out again: the home page and the first page of each folder
PHONE_PAGES = sorted({p if "/" not in p else min(q for q in PAGES if q.split("/")[0] == p.split("/")[0])
                      for p in PAGES if p == "index.html" or "/" in p})


def url(site, path):
    return (site / path).as_uri()


@pytest.fixture
def open_for_axe(browser):
    """Like open_page, in a context that lets axe in: the room's Content-Security-Policy allows
    only the site's own scripts, and Playwright injects axe inline."""
    contexts = []

    def _open(address: str, width: int = 1440, height: int = 900):
        ctx = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
        contexts.append(ctx)
        page = ctx.new_page()
        page.requests = []
        page.on("request", lambda r: page.requests.append(r.url))
        page.goto(address)
        return page

    yield _open
    for ctx in contexts:
        ctx.close()


def test_the_page_list_covers_what_the_issue_names():
    assert "index.html" in PAGES
    for folder in ("sources/", "assignments/", "overview/"):
        assert any(p.startswith(folder) for p in PAGES), folder


def axe_violations(page) -> list[dict]:
    if not AXE.exists():
        pytest.fail(f"{AXE.relative_to(ROOT)} is missing: run `make test` (or make {AXE.relative_to(ROOT)})")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])} elements)")
        for node in v["nodes"][:3]:
            lines.append(f"    {' '.join(node['target'])}: {node.get('failureSummary', '').splitlines()[-1].strip()}")
    return "\n".join(lines)


@pytest.mark.parametrize(("path", "width"), [(p, 1440) for p in PAGES] + [(p, 390) for p in PHONE_PAGES],
                         ids=[f"{p}-desktop" for p in PAGES] + [f"{p}-phone" for p in PHONE_PAGES])
def test_axe_finds_no_serious_or_critical_violation(site, open_for_axe, path, width):
    if not (site / path).exists():
        pytest.skip(f"{path} is not built (yet)")
    page = open_for_axe(url(site, path), width=width, height=900 if width > 400 else 844)
    page.wait_for_load_state("load")
    violations = axe_violations(page)
    assert not violations, f"{path} at {width}px:\n{describe(violations)}"
    only_local = [u for u in page.requests if not u.startswith(("file://", "data:", "blob:", "about:"))]
    assert not only_local, only_local  # axe came from disk


@pytest.mark.parametrize("width", [1440, 390], ids=["desktop", "phone"])
def test_axe_passes_with_a_note_open_and_a_kind_switched_off(site, open_for_axe, width):
    page = open_for_axe(url(site, "sources/white-paper-2020.html"), width=width, height=900)
    page.locator(".rr-toggle[data-kind=slip]").click()
    page.locator(".rr-marker:not([data-kind=slip])").first.click()
    violations = axe_violations(page)
    page.evaluate("localStorage.clear()")
    assert not violations, describe(violations)


def focus_ring(locator) -> dict:
    return locator.evaluate("""el => { const s = getComputedStyle(el);
        const lum = c => { const [r, g, b] = c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number).map(v => v / 255)
            .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
        return {visible: el.matches(':focus-visible'), outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
                contrast: 1.05 / (lum(s.outlineColor) + 0.05),  // against the white page
                shadow: s.boxShadow !== 'none', opacity: parseFloat(s.opacity)}; }""")


def assert_visible_focus(locator, what: str):
    ring = focus_ring(locator)
    assert ring["visible"], f"{what} does not match :focus-visible"
    assert ring["outline"] or ring["shadow"], f"{what} shows no focus ring: {ring}"
    assert not ring["outline"] or ring["contrast"] >= 3, f"{what}: the focus ring is too faint: {ring}"
    assert ring["opacity"] == 1, f"{what} is invisible while focused"


def test_kind_toggles_work_by_keyboard_with_visible_focus(site, open_page):
    page = open_page(url(site, "sources/zenz-2024-forced-labor.html"))
    kind = tab_to(page, ".rr-toggle").get_attribute("data-kind")
    toggle = page.locator(f'.rr-toggle[data-kind="{kind}"]')
    assert_visible_focus(toggle, "a kind toggle")
    assert page.locator(".rr-toggles").get_attribute("role") == "group"
    assert toggle.get_attribute("aria-pressed") == "true"
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-pressed") == "false"
    assert page.locator(f".rr-note[data-kind={kind}]").first.is_hidden()
    assert kind in page.locator("[data-rr-status]").inner_text()  # announced
    page.keyboard.press(" ")
    assert toggle.get_attribute("aria-pressed") == "true"
    assert page.locator(f".rr-note[data-kind={kind}]").first.is_visible()
    screenshot(page, "a11y-toggle-focus-desktop")
    page.evaluate("localStorage.clear()")


def test_a_note_is_reached_from_its_marker_by_keyboard_on_a_desktop(site, open_page):
    page = open_page(url(site, "sources/white-paper-2020.html"))
    marker = page.locator(f'.rr-marker[data-ref="{tab_to(page, ".rr-marker").get_attribute("data-ref")}"]')
    assert_visible_focus(marker, "a note marker")
    assert marker.get_attribute("role") == "button" and marker.get_attribute("aria-label").startswith("Note ")
    note_id = "note-" + marker.get_attribute("data-ref")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == note_id
    note = page.locator(f"#{note_id}")
    assert note.get_attribute("role") == "note" and note.get_attribute("aria-label")
    assert focus_ring(note)["outline"], "the note shows where focus went"
    page.keyboard.press("Tab")  # into the note: its number links back to the passage
    assert page.evaluate("document.activeElement.closest('.rr-note') && document.activeElement.closest('.rr-note').id") == note_id
    screenshot(page, "a11y-note-focus-desktop")


def test_a_note_opens_and_closes_by_keyboard_on_a_phone(site, open_page):
    page = open_page(url(site, "sources/zenz-2024-forced-labor.html"), width=390, height=844)
    marker = page.locator(f'.rr-marker[data-ref="{tab_to(page, ".rr-marker").get_attribute("data-ref")}"]')
    assert_visible_focus(marker, "a note marker")
    note = page.locator("#note-" + marker.get_attribute("data-ref"))
    assert note.is_hidden()
    page.keyboard.press(" ")
    assert note.is_visible() and marker.get_attribute("aria-expanded") == "true"
    marker.focus()
    page.keyboard.press("Enter")
    assert note.is_hidden() and marker.get_attribute("aria-expanded") == "false"


@pytest.mark.parametrize("width", [1440, 390], ids=["desktop", "phone"])
def test_link_buttons_are_reached_by_keyboard_and_show_focus(site, open_page, width):
    page = open_page(url(site, "sources/white-paper-2020.html"), width=width, height=900)
    button = tab_to(page, ".rr-permalink")
    assert_visible_focus(button, "a paragraph's link button")
    assert button.get_attribute("role") == "button"
    assert button.get_attribute("aria-label").startswith("Copy the link to this")
    screenshot(page, f"a11y-copy-focus-{'desktop' if width > 400 else 'phone'}")


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_link_signs_are_named_by_their_words_not_their_sign(site, open_page, js):
    """A ¶ or ↩ is drawn by the stylesheet with empty alternative text, and the link carries its
    words once, as its title: in Chromium's own accessibility tree each link is named by them,
    never "¶", with JavaScript (room.js makes them buttons named "Copy the link to …") or without."""
    page = open_page(url(site, "sources/zenz-2024-forced-labor.html"), js=js)
    cdp = page.context.new_cdp_session(page)
    named = [(n.get("role", {}).get("value"), n.get("name", {}).get("value", ""))
             for n in cdp.send("Accessibility.getFullAXTree")["nodes"]]
    links = [name for role, name in named if role in ("link", "button")]
    assert not [name for name in links if name.strip() in ("¶", "↩", "")], links
    words = "Copy the link to this" if js else "Permanent link to this"
    shown = page.locator(".rr-permalink:visible").count()
    assert shown and sum(name.startswith(words) for name in links) >= shown, (shown, links)
    assert page.locator("a.rr-backref").count() and "Back to the text" in links


def test_highlight_and_badge_colours_meet_contrast(site, open_page):
    """axe checks the page as it is; this checks every kind's colours, also those no page uses yet."""
    page = open_page(url(site, "sources/white-paper-2020.html"))
    ratios = page.evaluate("""() => {
        const lum = c => { const [r, g, b] = c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number).map(v => v / 255)
            .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
        const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
        const out = {};
        for (const k of ['framing', 'uncited', 'rebuttal', 'slip']) {
            const probe = document.createElement('span'); probe.className = `rr-badge rr-badge--${k}`;
            const mark = document.createElement('mark'); mark.className = `rr-hl rr-hl--${k}`; mark.textContent = 'x';
            document.querySelector('article').append(probe, mark);
            const text = getComputedStyle(document.querySelector('article .rr-p')).color;
            const bg = getComputedStyle(mark).backgroundColor;
            out[k] = {badge: ratio(getComputedStyle(probe).color, 'rgb(255, 255, 255)'),
                      highlight: ratio(text, bg === 'rgba(0, 0, 0, 0)' ? 'rgb(255, 255, 255)' : bg)};
            probe.remove(); mark.remove();
        }
        return out;
    }""")
    for kind, r in ratios.items():
        assert r["badge"] >= 4.5 and r["highlight"] >= 4.5, (kind, r)


@pytest.mark.parametrize("path", [p for p in PAGES if p.startswith("sources/")])
def test_no_heading_runs_under_the_margin_notes(site, open_page, path):
    page = open_page(url(site, path))
    over = page.evaluate("""() => {
        const notes = document.querySelector('.rr-notes');
        if (!notes) return [];
        const edge = notes.getBoundingClientRect().left;
        return [...document.querySelectorAll('article h2, article h3')]
            .filter(h => h.getBoundingClientRect().right > edge + 1).map(h => h.id);
    }""")
    assert not over, over
