"""The student's own margin and the teacher's import, in Chromium from file://
(docs/assets/mine.js, reading_room/student.py).

Each test starts with empty storage (a fresh browser context); "reload" reuses the context, as
the student's browser would.  A copy of the built room in another folder stands in for the
teacher's machine.
"""

from __future__ import annotations

import json
import re
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
    for words in (PASSAGE, "an essential human activity", "China has a large population"):
        write_note(page, words, "why " + words)
    # two of them in one paragraph, overlapping a room's highlight: each highlights its own words
    marks = page.evaluate("""() => { const by = {}; document.querySelectorAll('mark[data-kind=mine]').forEach(m =>
        by[m.dataset.annotation] = (by[m.dataset.annotation] || '') + m.textContent); return Object.values(by).sort(); }""")
    assert marks == sorted([PASSAGE, "an essential human activity", "China has a large population"])
    page.reload()
    expect(page.locator('.rr-note[data-kind="mine"]')).to_have_count(3)
    assert page.evaluate("[...document.querySelectorAll('mark[data-kind=mine]')].map(m => m.textContent).join('|')").count("|") >= 2
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


def test_answers_are_kept_exported_printed_and_imported(site, context, tmp_path):
    ctx = context()
    page = opened(ctx, url(site, ASSIGNMENT))
    boxes = page.get_by_role("textbox", name="Your answer to question")
    assert boxes.count() == 9  # one per question of the assignment, none in the excerpts
    answer = page.get_by_role("textbox", name="Your answer to question 2", exact=True)
    answer.fill("The 85 percent figure; no source is given.")
    answer.press("Tab")
    expect(page.locator(".rr-answer__status").nth(1)).to_have_text("Saved in this browser")
    page.reload()
    page.wait_for_function("document.querySelector('.rr-answer textarea')")
    expect(page.get_by_role("textbox", name="Your answer to question 2", exact=True)).to_have_value(
        "The 85 percent figure; no source is given.")
    page.emulate_media(media="print")
    printed = page.locator(".rr-answer__print").nth(1)
    assert printed.is_visible() and "85 percent" in printed.text_content()
    assert not page.locator(".rr-answer textarea").first.is_visible()
    screenshot(page, "student-answer-print")
    page.emulate_media(media="screen")
    data = json.loads(export_file(page, tmp_path, "Cem").read_text())
    (item,) = data["first"]["items"]
    assert item["motivation"] == "replying"
    catalogue = page.evaluate("window.ReadingRoomCatalogue")
    iri = next(p["iri"] for p in catalogue["pages"] if p["url"] == ASSIGNMENT)
    assert item["target"]["source"] == iri
    quote = next(s for s in item["target"]["selector"] if s["type"] == "TextQuoteSelector")
    assert quote["exact"].startswith("Which sentences state facts")
    teacher = opened(context(), url(site, ASSIGNMENT))
    teacher.get_by_label("Import notes").set_input_files(str(tmp_path / "notes-cem.jsonld"))
    shown = teacher.locator('.rr-answer--reader[data-author="Cem"]')
    expect(shown).to_contain_text("The 85 percent figure")
    assert shown.evaluate("n => n.closest('li').id") == "question-2"


def test_print_carries_the_students_notes_unless_switched_off(site, context):
    page = opened(context(), url(site, SOURCE))
    write_note(page, PASSAGE, "for the handout")
    page.emulate_media(media="print")
    note = page.locator('.rr-note[data-kind="mine"]')
    assert note.is_visible()
    assert not page.locator(".rr-mine-panel").is_visible()
    page.emulate_media(media="screen")
    box = page.get_by_label("Print my notes and answers with the page")
    assert box.is_checked()  # on by default
    box.uncheck()
    page.emulate_media(media="print")
    assert not note.is_visible()
    page.emulate_media(media="screen")
    page.reload()
    page.wait_for_function("document.querySelector('.rr-mine-panel')")
    assert not page.get_by_label("Print my notes and answers with the page").is_checked()  # remembered


def test_my_notes_lists_every_note_by_source_with_links(site, context):
    ctx = context()
    page = opened(ctx, url(site, SOURCE))
    write_note(page, PASSAGE, "one")
    other = opened(ctx, url(site, "sources/zenz-2024-forced-labor.html"))
    words = other.evaluate("document.querySelector('article .rr-p:not(:has(mark))').textContent.trim().split(' ').slice(0, 5).join(' ')")
    write_note(other, words, "two")
    mine = opened(ctx, url(site, "my-notes.html"))
    groups = mine.locator(".rr-mynotes h3")
    expect(groups).to_have_count(2)
    link = mine.locator(".rr-mynotes a", has_text=PASSAGE)
    link.click()
    note = mine.locator('.rr-note[data-kind="mine"]')
    expect(note).to_have_class(re.compile("is-open"), timeout=20000)  # the passage's page, its note open
    expect(note).to_be_in_viewport()
    assert mine.url.split("#")[0].endswith(SOURCE)


def test_a_note_whose_passage_is_gone_is_listed_unplaced(site, context):
    ctx = context()
    page = opened(ctx, url(site, SOURCE))
    write_note(page, PASSAGE, "still mine")
    # the room rebuilt with a changed text: the stored quote no longer occurs
    page.evaluate("""() => { const k = Object.keys(localStorage).find(k => k.startsWith('rr-student:'));
        const d = JSON.parse(localStorage.getItem(k)); d.notes[0].exact = 'Work creates the means of survival';
        localStorage.setItem(k, JSON.stringify(d)); }""")
    page.reload()
    page.wait_for_function("document.querySelector('.rr-mine-panel')")
    box = page.locator(".rr-mine-unplaced")
    expect(box).to_contain_text("Work creates the means of survival")
    expect(box).to_contain_text("still mine")
    expect(page.locator('.rr-note[data-kind="mine"]')).to_have_count(0)
    mine = opened(ctx, url(site, "my-notes.html"))
    expect(mine.locator(".rr-mynotes")).to_contain_text("unplaced")


@pytest.mark.parametrize("width", [1440, 390])
def test_keyboard_only(site, context, width):
    page = opened(context(width=width, height=900 if width > 400 else 844), url(site, SOURCE))
    tab_to(page, ".rr-mine-jump").press("Enter")  # from the top of the page to the panel at its foot
    assert page.evaluate("document.activeElement.textContent") == "Write a note on a passage"
    page.keyboard.press("Enter")
    page.keyboard.type(PASSAGE)
    page.keyboard.press("Tab")
    page.keyboard.type("typed, not selected")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Save"
    page.keyboard.press("Enter")
    note = page.locator('.rr-note[data-kind="mine"]')
    expect(note).to_be_visible()
    assert page.evaluate("document.activeElement.dataset.kind") == "mine"
    assert "".join(page.locator('mark[data-kind="mine"]').all_text_contents()) == PASSAGE
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") in ("Edit", "")  # the passage link, then Edit
    if page.evaluate("document.activeElement.textContent") == "":
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Edit"
    page.keyboard.press("Enter")
    page.keyboard.press("Control+a")
    page.keyboard.type("edited by keyboard")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(note.locator(".rr-note__body")).to_have_text("edited by keyboard")
    # the toggle of one's own notes, by keyboard
    for _ in range(200):  # back up from the note to the legend above it
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.matches('.rr-toggle[data-kind=mine]')"):
            break
    toggle = page.locator(":focus")
    assert toggle.get_attribute("data-kind") == "mine"
    toggle.press("Enter")
    assert toggle.get_attribute("aria-pressed") == "false"
    screenshot(page, f"student-keyboard-{width}")


@pytest.mark.parametrize("width", [1440, 390])
def test_axe_finds_nothing_serious_with_notes_and_imports(site, browser, tmp_path, width):
    from test_accessibility import axe_violations, describe

    ctx = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True, accept_downloads=True)
    try:
        page = ctx.new_page()
        page.on("dialog", lambda d: d.accept())
        page.goto(url(site, SOURCE))
        write_note(page, PASSAGE, "axe")
        path = export_file(page, tmp_path)
        page.get_by_label("Import notes").set_input_files(str(path))
        expect(page.locator('.rr-note[data-kind="reader"]')).to_have_count(1)
        select(page, "China has a large population")
        page.get_by_role("button", name="Add a note").click()  # the open form too
        bad = axe_violations(page)
        assert not bad, describe(bad)
        for path_ in (ASSIGNMENT, "my-notes.html"):
            page.goto(url(site, path_))
            page.wait_for_function("document.querySelector('.rr-mine-panel')")
            bad = axe_violations(page)
            assert not bad, path_ + "\n" + describe(bad)
    finally:
        ctx.close()


def test_phone_selection_offers_the_button_and_opens_the_note(site, context):
    """At 390 px (a long-press selects, then the same selectionchange arrives): the button is
    on screen below the selection, and the saved note opens under its paragraph."""
    page = opened(context(width=390, height=844), url(site, SOURCE))
    page.locator("#p-9a4e3dff").scroll_into_view_if_needed()
    select(page, PASSAGE)
    button = page.get_by_role("button", name="Add a note")
    expect(button).to_be_in_viewport()
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    button.click()
    form = page.get_by_role("textbox", name="Your note")
    expect(form).to_be_in_viewport()
    form.fill("on the phone")
    page.get_by_role("button", name="Save").click()
    note = page.locator('.rr-note[data-kind="mine"]')
    expect(note).to_be_visible()
    n, p = note.bounding_box(), page.locator("#p-9a4e3dff").bounding_box()
    assert n["y"] >= p["y"] + p["height"] - 1 and n["x"] + n["width"] <= 391  # below its paragraph, on screen
    screenshot(page, "student-note-phone")
    marker = page.locator('.rr-marker[data-kind="mine"]')
    marker.click()  # the marker closes and opens it, as the room's do on a phone
    expect(note).to_be_hidden()
    marker.click()
    expect(note).to_be_visible()


def test_two_unnamed_students_files_of_one_name_are_both_kept(site, context, tmp_path):
    paths = []
    for i, words in enumerate((PASSAGE, "China has a large population")):
        page = opened(context(), url(site, SOURCE))
        write_note(page, words, f"student {i}")
        with page.expect_download() as info:
            page.get_by_role("button", name="Export my notes").click()
        assert info.value.suggested_filename == "notes.jsonld"  # no name typed
        (tmp_path / str(i)).mkdir()
        paths.append(tmp_path / str(i) / "notes.jsonld")
        info.value.save_as(paths[-1])
    teacher = opened(context(), url(site, SOURCE))
    for path in paths:
        teacher.get_by_label("Import notes").set_input_files(str(path))
        expect(teacher.locator(".rr-mine-messages")).to_contain_text("Imported notes.jsonld")
    expect(teacher.locator('.rr-note[data-kind="reader"]')).to_have_count(2)
    teacher.get_by_label("Import notes").set_input_files(str(paths[1]))  # the same export again: replaced
    expect(teacher.locator(".rr-mine-messages")).to_contain_text("Replaced notes.jsonld")
    expect(teacher.locator('.rr-note[data-kind="reader"]')).to_have_count(2)


def test_a_real_export_passes_every_w3c_must(site, context, tmp_path):
    """The WG's MUST assertions (tests/w3c_model.py, helper export's copy of the WG tests) on a
    downloaded export holding a note and an answer: the annotations, the collection, its page."""
    from w3c_model import failed

    ctx = context()
    page = opened(ctx, url(site, SOURCE))
    write_note(page, PASSAGE, "a note")
    task = opened(ctx, url(site, ASSIGNMENT))
    answer = task.get_by_role("textbox", name="Your answer to question 1", exact=True)
    answer.fill("an answer")
    answer.press("Tab")
    data = json.loads(export_file(task, tmp_path).read_text())
    items = data["first"]["items"]
    assert sorted(a["motivation"] for a in items) == ["commenting", "replying"]
    for a in items:
        assert failed("annotation", a) == [], a
    assert failed("collection", data) == []
    page_ = dict(data["first"], **{"@context": data["@context"]})
    assert failed("page", page_) == []
