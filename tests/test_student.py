"""The student's own margin and the teacher's import, in Chromium from file://
(docs/assets/mine.js, reading_room/student.py).

Each test starts with empty storage (a fresh browser context); "reload" reuses the context, as
the student's browser would.  A copy of the built room in another folder stands in for the
teacher's machine.
"""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import screenshot, tab_to
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
SOURCE = "sources/white-paper-2020.html"
ASSIGNMENT = "assignments/framing-job-preferences.html"
PASSAGE = "Work creates the means of existence"


def url(site, path, query=""):
    return (site / path).as_uri() + query


@pytest.fixture
def context(browser):
    made = []

    def _new(width=1440, height=900):
        ctx = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
        made.append(ctx)
        return ctx

    yield _new
    for ctx in made:
        ctx.close()


def opened(ctx, address):
    page = ctx.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.asked = []
    page.confirm = True  # how the reader answers a confirmation
    page.on("dialog", lambda d: (page.asked.append(d.message), d.accept() if page.confirm else d.dismiss()))
    page.goto(address)
    page.wait_for_function("document.querySelector('.rr-mine-panel')")
    return page


def select(page, words, within="article"):
    """Select ``words`` in the first element of ``within`` that holds them, as a reader's drag does."""
    page.evaluate("""([words, within]) => {
        const root = document.querySelector(within);
        const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let n = walk.nextNode(); n; n = walk.nextNode()) {
            const i = n.data.indexOf(words);
            if (i < 0 || n.parentElement.closest('.rr-notes')) continue;
            const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + words.length);
            const s = getSelection(); s.removeAllRanges(); s.addRange(r); return;
        }
        throw new Error('not on the page: ' + words);
    }""", [words, within])


def write_note(page, words, text, within="article"):
    select(page, words, within)
    page.get_by_role("button", name="Add a note").click()
    page.get_by_role("textbox", name="Your note").fill(text)
    page.get_by_role("button", name="Save").click()


def test_select_add_reload_still_there(site, context):
    ctx = context()
    page = opened(ctx, url(site, SOURCE))
    select(page, PASSAGE)
    button = page.get_by_role("button", name="Add a note")
    expect(button).to_be_visible()
    # near the selection: within a line or two below it
    sel = page.evaluate("getSelection().getRangeAt(0).getBoundingClientRect().bottom")
    assert 0 <= button.bounding_box()["y"] - sel < 60
    button.click()
    page.get_by_role("textbox", name="Your note").fill("Is work a right or a duty here?")
    page.get_by_role("button", name="Save").click()
    note = page.locator('.rr-note[data-kind="mine"]')
    expect(note).to_have_count(1)
    expect(note).to_contain_text("Is work a right or a duty here?")
    mark = page.locator('mark[data-kind="mine"]')
    assert mark.first.get_attribute("data-annotation") == note.get_attribute("data-note")
    assert "".join(mark.all_text_contents()) == PASSAGE
    # beside its passage: in the margin of the block that holds it
    assert note.evaluate("n => n.closest('.rr-block').contains(document.getElementById(n.dataset.note))")
    screenshot(page, "student-note-desktop")
    page.reload()
    page.wait_for_function("document.querySelector('.rr-note[data-kind=mine]')")
    expect(page.locator('.rr-note[data-kind="mine"]')).to_contain_text("Is work a right or a duty here?")
    assert "".join(page.locator('mark[data-kind="mine"]').all_text_contents()) == PASSAGE
    assert not page.errors, page.errors


def test_edit_and_delete_asks_first(site, context):
    ctx = context()
    page = opened(ctx, url(site, SOURCE))
    write_note(page, PASSAGE, "first")
    page.locator('.rr-note[data-kind="mine"]').get_by_role("button", name="Edit").click()
    page.get_by_role("textbox", name="Your note").fill("second")
    page.get_by_role("button", name="Save").click()
    expect(page.locator('.rr-note[data-kind="mine"] .rr-note__body')).to_have_text("second")
    page.confirm = False
    page.locator('.rr-note[data-kind="mine"]').get_by_role("button", name="Delete").click()
    assert page.asked and "Delete" in page.asked[0]
    expect(page.locator('.rr-note[data-kind="mine"]')).to_have_count(1)  # not confirmed: kept
    page.confirm = True
    page.locator('.rr-note[data-kind="mine"]').get_by_role("button", name="Delete").click()
    expect(page.locator('.rr-note[data-kind="mine"]')).to_have_count(0)
    expect(page.locator('mark[data-kind="mine"]')).to_have_count(0)
    page.reload()
    page.wait_for_function("document.querySelector('.rr-mine-panel')")
    expect(page.locator('.rr-note[data-kind="mine"]')).to_have_count(0)


def export_file(page, tmp_path, name="Anna"):
    box = page.get_by_role("textbox", name="Your name, for the export")
    box.fill(name)
    box.press("Tab")
    with page.expect_download() as info:
        page.get_by_role("button", name="Export my notes").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path


def test_export_import_in_another_folder(site, context, tmp_path):
    ctx = context()
    page = opened(ctx, url(site, SOURCE))
    write_note(page, PASSAGE, "Note <b>one</b>")
    path = export_file(page, tmp_path)
    data = json.loads(path.read_text())
    assert data["type"] == "AnnotationCollection" and data["creator"]["name"] == "Anna"
    items = data["first"]["items"]
    assert len(items) == 1
    target = items[0]["target"]
    iri = page.locator(".rr-print-foot").get_attribute("data-rr-iri")
    assert "file:" not in path.read_text()
    assert target["source"] == iri and iri.startswith("ni:///sha-256;")  # the room's IRI of the seed
    assert target["selector"]["exact"] == PASSAGE
    # the teacher: the room copied to another folder, a browser with nothing stored
    teacher_site = tmp_path / "elsewhere" / "room"
    shutil.copytree(site, teacher_site)
    teacher = opened(context(), url(teacher_site, SOURCE))
    expect(teacher.locator('.rr-note[data-kind="mine"]')).to_have_count(0)
    teacher.get_by_label("Import notes").set_input_files(str(path))
    note = teacher.locator('.rr-note[data-kind="reader"]')
    expect(note).to_have_count(1)
    assert note.get_attribute("data-author") == "Anna"
    expect(note).to_contain_text("Note <b>one</b>")  # as text, never markup
    marks = teacher.locator('mark[data-kind="reader"]')
    assert "".join(marks.all_text_contents()) == PASSAGE
    assert marks.first.get_attribute("data-annotation") == note.get_attribute("data-note")
    screenshot(teacher, "teacher-import-desktop")
    expect(teacher.locator(".rr-mine-imports")).to_contain_text("Anna")
    teacher.reload()  # kept
    teacher.wait_for_function("document.querySelector('.rr-note[data-kind=reader]')")
    teacher.get_by_role("button", name="Remove the notes imported from " + path.name).click()
    expect(teacher.locator('.rr-note[data-kind="reader"]')).to_have_count(0)
    assert not teacher.errors and not page.errors


def test_note_on_an_excerpt_shows_on_the_source_page(site, context):
    ctx = context()
    page = opened(ctx, url(site, ASSIGNMENT))
    write_note(page, "Workers' job preferences have always served", "on the excerpt", within="#ex1")
    # the same passage shown twice on the page (Parts 1 and 2): the note is beside both
    expect(page.locator('.rr-note[data-kind="mine"]')).to_have_count(2)
    source = opened(ctx, url(site, SOURCE))
    expect(source.locator('.rr-note[data-kind="mine"]')).to_have_count(1)
    expect(source.locator('.rr-note[data-kind="mine"]')).to_contain_text("on the excerpt")


def test_students_notes_anchor_with_apache_annotator(site, context, browser, tmp_path):
    """Another W3C client finds each exported note exactly once on the room's own page."""
    from annotator import count_matches

    ctx = context()
    page = opened(ctx, url(site, SOURCE))
    for words in (PASSAGE, "the right and obligation to work", "China has a large population"):
        write_note(page, words, "why " + words)
    selectors = [a["target"]["selector"] for a in json.loads(export_file(page, tmp_path).read_text())["first"]["items"]]
    assert len(selectors) == 3 and all(s["prefix"] is not None and s["suffix"] is not None for s in selectors)
    fresh = browser.new_context(bypass_csp=True)
    try:
        other = fresh.new_page()
        other.goto(url(site, SOURCE))
        assert count_matches(other, selectors) == [1, 1, 1]
    finally:
        fresh.close()


def hostile_files(tmp_path, site):
    good = {"@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationCollection", "id": "urn:uuid:1",
            "creator": {"type": "Person", "name": "<img src=x onerror=\"window.__pwned=1\">Mallory"},
            "first": {"type": "AnnotationPage", "items": []}}
    iri = (site / SOURCE).read_text().split('data-rr-iri="')[1].split('"')[0]

    def note(text, source=iri, exact=PASSAGE):
        return {"type": "Annotation", "id": "x", "body": [{"type": "TextualBody", "value": text}],
                "target": {"type": "SpecificResource", "source": source,
                           "selector": {"type": "TextQuoteSelector", "exact": exact}}}
    files = {}
    markup = json.loads(json.dumps(good))
    markup["first"]["items"] = [note('<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'),
                                note("javascript:window.__pwned=1", exact="<b>not on the page</b>")]
    files["markup.jsonld"] = json.dumps(markup)
    files["page.jsonld"] = "<!doctype html><script>window.__pwned=1</script>"
    files["anna.jsonld"] = '{\n  "type": "AnnotationCollection",\n  items: []\n}'
    other = json.loads(json.dumps(good))
    other["generator"] = {"id": "urn:uuid:00000000-0000-5000-8000-000000000000", "type": "Software"}
    other["first"]["items"] = [note("elsewhere", source="ni:///sha-256;AAAA")]
    files["other-room.jsonld"] = json.dumps(other)
    many = json.loads(json.dumps(good))
    many["first"]["items"] = [note(str(i)) for i in range(5001)]
    files["many.jsonld"] = json.dumps(many)
    files["list.jsonld"] = "[1, 2, 3]"
    paths = {}
    for name, text in files.items():
        paths[name] = tmp_path / name
        paths[name].write_text(text)
    big = tmp_path / "big.jsonld"
    with big.open("wb") as f:  # 50 MB: refused by its size, never read
        f.write(b'{"type": "AnnotationCollection", "first": {"items": [' + b" " * (50 * 1024 * 1024) + b"]}}")
    paths["big.jsonld"] = big
    return paths


def test_hostile_imports_give_plain_messages_and_run_nothing(site, context, tmp_path):
    student = opened(context(), url(site, SOURCE))
    write_note(student, PASSAGE, "kept")
    earlier = export_file(student, tmp_path, "Bea")
    page = opened(context(), url(site, SOURCE))
    page.get_by_label("Import notes").set_input_files(str(earlier))
    expect(page.locator('.rr-note[data-kind="reader"]')).to_have_count(1)
    paths = hostile_files(tmp_path, site)
    expected = {
        "page.jsonld": "line 1 of page.jsonld is not JSON",
        "anna.jsonld": "line 3 of anna.jsonld is not JSON",
        "other-room.jsonld": "this file holds no annotations for this room",
        "many.jsonld": "at most 5000",
        "big.jsonld": "at most 5 MB",
        "list.jsonld": "not a notes file",
    }
    messages = page.locator(".rr-mine-messages")
    for name, words in expected.items():
        page.get_by_label("Import notes").set_input_files(str(paths[name]))
        expect(messages).to_contain_text(words)
    page.get_by_label("Import notes").set_input_files(str(paths["markup.jsonld"]))
    expect(messages).to_contain_text("Imported markup.jsonld")
    notes = page.locator('.rr-note[data-kind="reader"]')
    expect(notes).to_have_count(2)  # Bea's, and the one of markup.jsonld whose passage is on the page
    hostile = page.locator('.rr-note[data-author*="Mallory"]')
    expect(hostile).to_contain_text("<script>window.__pwned=1</script>")
    assert hostile.locator("script, img").count() == 0
    assert page.locator(".rr-mine-imports img, .rr-mine-messages img, .rr-mine-messages script").count() == 0
    expect(page.locator('.rr-note[data-author="Bea"]')).to_have_count(1)  # never lose what came before
    assert page.evaluate("window.__pwned") is None
    page.reload()
    page.wait_for_function("document.querySelectorAll('.rr-note[data-kind=reader]').length === 2")
    assert page.evaluate("window.__pwned") is None
    screenshot(page, "teacher-hostile-import")
    assert not page.errors, page.errors


def test_show_preset_is_for_this_visit_only(site, context):
    ctx = context()
    page = opened(ctx, url(site, SOURCE, "?show=framing,rebuttal"))
    visible = page.evaluate("""() => Object.fromEntries(['framing','uncited','rebuttal','slip'].map(k =>
        [k, [...document.querySelectorAll('.rr-notes .rr-note[data-kind=' + k + ']')].some(n => getComputedStyle(n).display !== 'none')]))""")
    assert visible == {"framing": True, "uncited": False, "rebuttal": True, "slip": False}
    assert page.get_by_role("button", name="Uncited").get_attribute("aria-pressed") == "false"
    expect(page.locator(".rr-mine-preset")).to_contain_text("framing and rebuttal")
    assert page.evaluate("localStorage.getItem('rr-hidden-kinds')") is None
    page.goto(url(site, SOURCE))
    page.wait_for_function("document.querySelector('.rr-mine-panel')")
    assert page.locator(".rr-notes .rr-note[data-kind=uncited]").first.evaluate("n => getComputedStyle(n).display") != "none"


def test_first_mine_holds_the_room_back_until_a_note_is_written(site, context):
    ctx = context()
    page = opened(ctx, url(site, SOURCE, "?first=mine"))
    room_notes = page.locator(".rr-notes .rr-note[data-kind=framing]")
    assert room_notes.first.evaluate("n => getComputedStyle(n).display") == "none"
    assert page.locator(".rr-marker[data-kind=framing]").first.evaluate("n => getComputedStyle(n).display") == "none"
    expect(page.locator(".rr-mine-first")).to_contain_text("held back")
    screenshot(page, "student-first-mine")
    write_note(page, PASSAGE, "my reading first")
    assert room_notes.first.evaluate("n => getComputedStyle(n).display") != "none"
    expect(page.locator(".rr-mine-first")).to_contain_text("shown now")
