"""Hostile input: every broken seed or annotation file gets a clear message, nothing is lost or run.

Each row of ``SEED_CASES`` and ``NOTE_CASES`` is one case of issue 6, with a real fixture file
under ``tests/hostile/`` (``seeds/``, ``annotations/``; ``tests/hostile/README.md`` says how
each was made) and its expected outcome: *rendered* — every word of the text reaches the page in
order, and no HTML element appears that the converter did not make — or *refused* / *warned* —
a problem naming the file and line (and byte offset), checked on its text.  The rows run on the
pure core (``load_room`` on a temporary root, no MkDocs); ``test_hostile_build.py`` builds the
whole lot with MkDocs, strict and not.
"""

from __future__ import annotations

import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import markdown
import pytest
import yaml
from bs4 import BeautifulSoup

from reading_room.anchor import Anchor, SourceText, match_quote
from reading_room.decode import decode_text, normalise_newlines
from reading_room.margin import MarginLayer
from reading_room.notes import Selector
from reading_room.render import render_source
from reading_room.room import Room, load_room

HOSTILE = Path(__file__).parent / "hostile"
SEEDS = HOSTILE / "seeds"
NOTES = HOSTILE / "annotations"
ROOT = Path(__file__).resolve().parents[1]
# what MkDocs runs: its own defaults (toc, tables, fenced_code) and those of mkdocs.yml
EXTENSIONS = ["toc", "tables", "fenced_code", "attr_list", "admonition"]
# every element the converter and the margin make; anything else came from the input
ALLOWED_TAGS = {"h1", "h2", "h3", "h4", "p", "a", "span", "div", "ul", "li", "table", "thead", "tbody", "tr",
                "th", "td", "pre", "em", "strong", "aside", "dl", "dt", "dd", "footer", "code", "q", "sup",
                "mark", "section"}
# the room's own words around the text (provenance, permalinks, print footer, notes)
CHROME = ".rr-provenance, .rr-headnote, .rr-permalink, .headerlink, .rr-print-foot, .rr-pre__why, " \
         ".rr-absent, .rr-sr, .rr-notes, .rr-legend, .rr-ref"
WORD = re.compile(r"\w+")
RENDERED, WARNED, REFUSED = "rendered", "rendered with a warning", "refused"


@dataclass(frozen=True)
class SeedCase:
    files: tuple[str, ...]
    outcome: str
    problems: tuple[str, ...] = ()  # regexes, one per problem the case must report (and no others)
    encoding: str = "utf-8-sig"  # how a careful human would decode the bytes: the reference text
    shown: tuple[str, ...] = ()  # strings that must appear verbatim in the page's text
    quotes: tuple[str, ...] = ()  # quotes, as copied from the page, that must anchor
    lines: dict[int, str] = field(default_factory=dict)  # block index → its data-lines


SEED_CASES = {
    "utf-8 with BOM": SeedCase(("utf8-bom.txt",), RENDERED, quotes=("“chose freely”",)),
    "utf-16 LE with BOM": SeedCase(("utf16-le-bom.txt",), RENDERED, encoding="utf-16", quotes=("cafés",)),
    "utf-16 BE with BOM": SeedCase(("utf16-be-bom.txt",), RENDERED, encoding="utf-16", quotes=("cafés",)),
    "utf-16 without BOM": SeedCase(("utf16-no-bom.txt",), REFUSED, (
        r"^seeds/utf16-no-bom\.txt:1: looks like UTF-16 saved without a byte-order mark: 148 of its 302 bytes are "
        r"0x00 \(the first at byte offset 1\); the source was not published\n    hint: .*UTF-8",)),
    "windows-1252": SeedCase(("windows-1252.txt",), WARNED, (
        r"^seeds/windows-1252\.txt:3: is not UTF-8; read as Windows-1252 \(Latin-1\).*the first non-ASCII byte, "
        r"0x93 at byte offset 39, reads as '“'",), encoding="cp1252",
        shown=("“chose freely”", "— and", "€5 million…", "‘plan’", "naïve"), quotes=("they “chose freely” to go",)),
    "latin-1": SeedCase(("latin-1.txt",), WARNED, (
        r"^seeds/latin-1\.txt:1: is not UTF-8; read as Windows-1252 \(Latin-1\).*0xfc at byte offset 8, "
        r"reads as 'ü'",), encoding="latin-1", shown=("«frei gewählt»", "Straße", "Noël coûte 5\u00a0£")),
    "invalid utf-8 mid-file": SeedCase(("invalid-utf8.txt",), REFUSED, (
        r"^seeds/invalid-utf8\.txt:5: is not valid UTF-8: byte offset 83 \(0xff\) cannot be read, though the file "
        r"has UTF-8 text elsewhere \(line 3\).*; the source was not published\n    hint: find the line named",)),
    "CRLF endings": SeedCase(("crlf.txt",), RENDERED, lines={1: "3", 2: "5-6"}),
    "lone-CR endings": SeedCase(("cr-only.txt",), RENDERED, lines={1: "3", 2: "5-6"}),
    "mixed endings": SeedCase(("mixed-endings.txt",), RENDERED, lines={1: "3", 2: "5-7", 3: "9"}),
    "empty file": SeedCase(("empty.txt",), WARNED, (
        r"^seeds/empty\.txt: has no text: the file is empty\n    hint: .*its page shows only the title",)),
    "only whitespace": SeedCase(("whitespace-only.txt",), WARNED, (
        r"^seeds/whitespace-only\.txt: has no text: its 12 bytes are all whitespace or line breaks",)),
    "NUL bytes": SeedCase(("nul-bytes.txt",), WARNED, (
        r"^seeds/nul-bytes\.txt:3: has 2 invisible or control characters that could hide or reorder words: "
        r"U\+0000 NULL ×2 \(line 3\)\. The page shows each as a visible marker",), quotes=("wor\x00ker", "worker.")),
    "zero-width and bidi controls": SeedCase(("invisible-characters.txt",), WARNED, (
        r"^seeds/invisible-characters\.txt:3: has 6 invisible or control characters that could hide or reorder "
        r"words: U\+200B ZERO WIDTH SPACE ×1 \(line 3\); U\+200D ZERO WIDTH JOINER ×1 \(line 3\); "
        r"U\+202E RIGHT-TO-LEFT OVERRIDE ×1 \(line 5\); U\+202C POP DIRECTIONAL FORMATTING ×1 \(line 5\); "
        r"U\+2067 RIGHT-TO-LEFT ISOLATE ×1 \(line 5\); U\+2069 POP DIRECTIONAL ISOLATE ×1 \(line 5\)",),
        quotes=("A zerowidth space, a joiner and", "The price is 01$ in the text", "isolate abc too")),
    "NFD text, NFC quotes": SeedCase(("nfd.txt",), RENDERED, quotes=("café owners in Ürümqi", "the régime")),
    "very long line": SeedCase(("long-line.txt",), RENDERED, quotes=("word2999 end.",)),
    "HTML": SeedCase(("html.txt",), RENDERED, shown=(
        "<script>alert('seed')</script> is shown as text.", '<img src=x onerror="alert(1)">',
        '<iframe src="javascript:alert(2)"></iframe>', '<a href="javascript:alert(3)">click</a>',
        "<!-- hidden? -->", "&amp; and &#60;b&#62;", "<style>body{display:none}</style>",
        '<svg onload=alert(4)><p onclick="x()">para</p>'), quotes=("<script>alert('seed')</script>",)),
    "HTML in the title line": SeedCase(("html-title.txt",), RENDERED, shown=(
        "<img src=x onerror=alert('title')> A Title \"quoted\" & </title><script>alert(5)</script>",
        "IV. <b onmouseover=alert(6)>Section</b> heading")),
    "Markdown and Material syntax": SeedCase(("markdown-syntax.txt",), RENDERED, shown=(
        "# Not a heading", "> not a quote", "---", "[x]: http://example.com/reference", "| a | b |",
        "|---|---|", '!!! note "Not an admonition"', 'indented text', '{: .hidden #id onclick="alert(1)" }',
        '--8<-- "mkdocs.yml"', ":smile: :material-alert: $x^2$ and $$E=mc^2$$ <<< ==mark== ~~del~~ ^^ins^^ "
        "`code` ++ctrl+alt++", "1. not an ordered list", ":   not a definition", "[^1]: not a footnote",
        '<div markdown="1">', "&copy;", "trailing backslash \\")),
    "file name with spaces": SeedCase(("File Name With Spaces.txt",), RENDERED),
    "file name with non-ASCII letters": SeedCase(("Ürümqi – Bericht.txt",), RENDERED),
    "file name with no Latin letters": SeedCase(("新疆报告.txt",), RENDERED),
    "two seeds, one slug": SeedCase(("Same Slug.txt", "same_slug.txt"), WARNED, (
        r"^seeds/same_slug\.txt: gets the same page address as seeds/Same Slug\.txt; it is published as "
        r"'same-slug-2'\n    hint: rename one of the two files",)),
}
EXPECTED_SLUGS = {"File Name With Spaces.txt": "file-name-with-spaces", "Ürümqi – Bericht.txt": "urumqi-bericht",
                  "新疆报告.txt": re.compile(r"^source-[0-9a-f]{8}$"), "Same Slug.txt": "same-slug",
                  "same_slug.txt": "same-slug-2"}


def make_root(tmp: Path, seeds: dict[Path, str], notes: dict[Path, str] | None = None) -> Path:
    """A throw-away room root: fixture files copied under the names the case gives them."""
    root = tmp / "root"
    (root / "seeds").mkdir(parents=True)
    (root / "annotations").mkdir()
    for src, name in seeds.items():
        shutil.copy(src, root / "seeds" / name)
    for src, name in (notes or {}).items():
        shutil.copy(src, root / "annotations" / name)
    return root


def reported(room: Room) -> list[str]:
    """Every problem as the build prints it, leaving out the missing-metadata warning that every
    fixture without a .meta.yml gets."""
    return [str(p) for p in room.problems if "no metadata file" not in p.message]


def assert_problems(room: Room, expected: tuple[str, ...]) -> None:
    got = reported(room)
    for pattern in expected:
        assert any(re.search(pattern, text, re.S) for text in got), f"no problem matches {pattern!r}; got {got}"
    assert len(got) == len(expected), f"expected {len(expected)} problems, got {got}"
    assert all(" Traceback" not in text for text in got)


def page_html(markdown_text: str) -> BeautifulSoup:
    body = markdown_text.split("---\n", 2)[2]  # the front matter, as MkDocs strips it
    return BeautifulSoup(markdown.markdown(body, extensions=EXTENSIONS), "html.parser")


def text_of(soup: BeautifulSoup, source=None) -> str:
    """The page's text without the room's own words; without the title the room makes up when
    the ``source`` has no title line of its own."""
    for el in soup.select(CHROME):
        el.decompose()
    if source is not None and not (source.blocks and source.blocks[0].kind == "heading" and source.blocks[0].level == 1):
        soup.find("h1").decompose()
    return soup.get_text(" ")


def foreign_markup(soup: BeautifulSoup) -> list[str]:
    """Elements the converter does not make, event handlers and script URLs: all from input."""
    out = [f"<{el.name}>" for el in soup.find_all(True) if el.name not in ALLOWED_TAGS]
    for el in soup.find_all(True):
        for name, value in el.attrs.items():
            values = value if isinstance(value, list) else [value]
            if name.lower().startswith("on"):
                out.append(f"{el.name} {name}=")
            if any(re.sub(r"[\s\x00-\x1f]", "", v).lower().startswith(("javascript:", "data:")) for v in values):
                out.append(f"{el.name} {name}={value}")
    return out


def reference_text(case: SeedCase, path: Path) -> str:
    return normalise_newlines(path.read_bytes().decode(case.encoding))


@pytest.mark.parametrize("name", SEED_CASES)
def test_seed(tmp_path, name):
    case = SEED_CASES[name]
    root = make_root(tmp_path, {SEEDS / f: f for f in case.files})
    room = load_room(root, machine_flags=False)
    assert_problems(room, case.problems)
    if case.outcome == REFUSED:
        assert not room.sources, "a refused seed must not be published half-read"
        return
    assert len(room.sources) == len(case.files)
    for file_name in case.files:
        slug = next(s for s, p in room.seed_files.items() if p.name == file_name)
        want_slug = EXPECTED_SLUGS.get(file_name, Path(file_name).stem)
        assert re.match(want_slug, slug) if isinstance(want_slug, re.Pattern) else slug == want_slug
        source = room.sources[slug]
        front_matter, md = render_source(source).split("---\n", 2)[1:]
        title = yaml.safe_load(front_matter)["title"]
        assert "<" not in title and ">" not in title, "the theme prints the title unescaped: it must be escaped"
        soup = page_html(render_source(source))
        assert foreign_markup(soup) == []
        page = text_of(soup, source)
        reference = reference_text(case, SEEDS / file_name)
        assert WORD.findall(page) == WORD.findall(reference), "every word, in order, and nothing else"
        flat_page = " ".join(page.split())
        for shown in case.shown:
            assert " ".join(shown.split()) in flat_page, f"{shown!r} is not shown as text"
        for quote in case.quotes:
            assert isinstance(match_quote(SourceText(source), Selector(quote)), Anchor), f"{quote!r} does not anchor"
        for index, lines in case.lines.items():
            assert source.blocks[index].lines == lines


def test_hidden_characters_become_visible_markers(tmp_path):
    """A zero-width or bidi character is never in the page's DOM: a marker stands in its place."""
    root = make_root(tmp_path, {SEEDS / "invisible-characters.txt": "invisible-characters.txt"})
    source = load_room(root, machine_flags=False).sources["invisible-characters"]
    html = str(page_html(render_source(source)))
    for ch in "\u200b\u200d\u202e\u202c\u2067\u2069":
        assert ch not in html
        assert f'data-char="U+{ord(ch):04X}"' in html
    # the non-breaking hyphen is an ordinary visible character: left as it is
    assert "non\u2011breaking" in html


def test_zero_width_joiner_between_letters_of_a_script_is_kept():
    """ZWJ/ZWNJ shape Persian, Indic and emoji text; only next to ASCII or a space are they suspect."""
    from reading_room.decode import hidden_characters
    from reading_room.inline import escape

    assert hidden_characters("می\u200cخواهم and 👩\u200d💻", "x.txt") is None
    assert escape("می\u200cخواهم") == "می\u200cخواهم"
    assert hidden_characters("ab\u200ccd", "x.txt") is not None


def test_a_title_with_hidden_characters_stays_valid_front_matter(tmp_path):
    seed = "Title \u202eevil\u202c \x07 \ufeff line\n\nText.\n"
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "t.txt").write_text(seed)
    source = load_room(tmp_path, machine_flags=False).sources["t"]
    title = yaml.safe_load(render_source(source).split("---\n", 2)[1])["title"]
    assert title == "Title [U+202E]evil[U+202C] [U+0007] [U+FEFF] line"


def test_ten_megabyte_seed_renders_and_reports_its_time(tmp_path, record_property, capsys):
    """10 MB of real seed text (the five seeds repeated; generated here, not committed)."""
    body = "\n\n".join(decode_text(p.read_bytes(), p.name).text for p in sorted((ROOT / "seeds").glob("*.txt")))
    text = "A Very Large Source\n\n" + "\n\n".join([body] * (10_000_000 // len(body.encode()) + 1))
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "large.txt").write_bytes(text.encode())
    size = len(text.encode())
    start = time.perf_counter()
    room = load_room(tmp_path, machine_flags=False)
    loaded = time.perf_counter()
    page = render_source(room.sources["large"])
    rendered = time.perf_counter()
    record_property("seconds_load", round(loaded - start, 2))
    record_property("seconds_render", round(rendered - loaded, 2))
    with capsys.disabled():
        print(f"\n10 MB seed ({size / 1e6:.1f} MB): read and converted in {loaded - start:.2f} s, "
              f"page Markdown in {rendered - loaded:.2f} s")
    assert size >= 10_000_000
    assert reported(room) == []
    assert page.count('data-lines="') >= len(room.sources["large"].blocks) - 100
    assert rendered - start < 30, "a 10 MB seed must not take minutes"


@pytest.mark.parametrize("line", ["**a " * 50_000, "*a " * 50_000, "[1] " * 50_000, "a*b " * 50_000,
                                  "\u200b" * 100_000, "&<" * 100_000])
def test_pathological_long_lines_stay_linear(line):
    """Unpaired asterisks, thousands of footnote marks or hidden characters on one long line."""
    from reading_room.convert import convert

    start = time.perf_counter()
    render_source(convert("Title\n\n" + line + "\n", "seeds/x.txt", "x"))
    assert time.perf_counter() - start < 5


# ---------------------------------------------------------------------------------------------
# Annotation files.  The fixtures annotate tests/hostile/annotations/sources/claim.txt (and
# other.txt, for rebuttals); each case installs its file(s) as annotations/<name>.


@dataclass(frozen=True)
class NoteCase:
    files: dict[str, str]  # fixture → name in annotations/
    problems: tuple[str, ...] = ()
    placed: tuple[str, ...] = ()  # ids of the notes that must reach the page
    extra_seeds: tuple[str, ...] = ()  # from tests/hostile/seeds/


def as_claim(name: str) -> dict[str, str]:
    return {name: "claim.yml"}


NOTE_CASES = {
    "YAML syntax error": NoteCase(as_claim("yaml-syntax-error.yml"), (
        r"^annotations/claim\.yml:8: is not valid YAML, column 1 \(while scanning a quoted scalar that starts on "
        r"line 6\): found unexpected end of stream — the line reads: 'quote: \"chose freely'\n    hint: .*"
        r"No note in this file was read",)),
    "list where a mapping is expected (top)": NoteCase(as_claim("top-level-list.yml"), (
        r"^annotations/claim\.yml:2: expected a mapping with the key 'annotations:' at the top, found a list",)),
    "mapping where a list is expected": NoteCase(as_claim("annotations-mapping.yml"), (
        r"^annotations/claim\.yml:3: 'annotations' must be a list of notes, each starting with '- '",)),
    "list where a note's mapping is expected": NoteCase(as_claim("entry-list.yml"), (
        r"^annotations/claim\.yml:3: each note must be a mapping of field: value, found list",)),
    "mapping and list where text is expected": NoteCase(as_claim("field-mapping.yml"), (
        r"^annotations/claim\.yml:6: note 'c-framing': 'quote' must be text, found a mapping",
        r"^annotations/claim\.yml:7: note 'c-framing': 'note' must be text, found a list")),
    "missing id, kind, quote, note": NoteCase(as_claim("missing-fields.yml"), (
        r"^annotations/claim\.yml:3: a note has no 'id'\n    hint: add a short unique id",
        r"^annotations/claim\.yml:7: note 'c-no-kind' has no 'kind'\n    hint: add 'kind:' with framing",
        r"^annotations/claim\.yml:10: note 'c-no-quote' has no 'quote'",
        r"^annotations/claim\.yml:13: note 'c-no-note' has no 'note'")),
    "unknown kind and technique": NoteCase(as_claim("unknown-kind.yml"), (
        r"^annotations/claim\.yml:4: note 'c-kind': unknown kind 'framin'\n    hint: did you mean 'framing'\?",
        r"^annotations/claim\.yml:9: note 'c-technique': framing needs a technique from the vocabulary, got "
        r"'loaded_langauge'\n    hint: did you mean 'loaded_language'\?")),
    "duplicate id in one file": NoteCase(as_claim("duplicate-id.yml"), (
        r"^annotations/claim\.yml:7: note 'c-same': id is already used at annotations/claim\.yml:3",),
        placed=("c-same",)),
    "duplicate id across files": NoteCase(
        {"duplicate-id-claim.yml": "claim.yml", "duplicate-id-other.yml": "other.yml"},
        (r"^annotations/other\.yml:3: note 'shared-id': id is already used at annotations/claim\.yml:3",),
        placed=("shared-id",)),
    "quote found nowhere": NoteCase(as_claim("quote-absent.yml"), (
        r"^annotations/claim\.yml:6: note 'c-absent': quote not found in seeds/claim\.txt: \"Officials counted "
        r"2\.7 million person times\"\n    hint: closest passage, seed line 7: \"Officials counted 2\.6 million "
        r"person-times",)),
    "quote found twice": NoteCase(as_claim("quote-twice.yml"), (
        r"^annotations/claim\.yml:6: note 'c-twice': quote matches 2 passages in seeds/claim\.txt: \"workers chose "
        r"freely\"\n    hint: add prefix: \"The \" to say which one; it occurs at seed line 3: .*; seed line 5: ",)),
    "prefix contradicts the quote": NoteCase(as_claim("context-contradicts.yml"), (
        r"^annotations/claim\.yml:6: note 'c-context': prefix/suffix contradict the quote in seeds/claim\.txt: "
        r"\"workers chose freely\" occurs, but never after \"nobody says the\".*\n    hint: the quote occurs at "
        r"seed line 3: .*; seed line 5: .*fix or remove the prefix/suffix",)),
    "rebuttal to a missing source": NoteCase(as_claim("rebuttal-missing-source.yml"), (
        r"^annotations/claim\.yml:6: note 'c-rebut-nowhere': rebuttal target names a missing source 'nowhere'\n"
        r"    hint: sources are: claim, other",)),
    "rebuttal quote not in its target": NoteCase(as_claim("rebuttal-quote-absent.yml"), (
        r"^annotations/claim\.yml:6: note 'c-rebut-absent': rebuttal target quote not found in seeds/other\.txt: "
        r"\"transferred by force\"\n    hint: closest passage, seed line 3: ",)),
    "rebuttal to its own source": NoteCase(as_claim("rebuttal-self.yml"), (
        r"^annotations/claim\.yml:6: note 'c-rebut-self': a rebuttal must point at another source, not at its own "
        r"\(claim\)",)),
    "raw HTML and javascript: links in a note": NoteCase(as_claim("html-and-javascript.yml"),
                                                        placed=("c-hostile-note",)),
    "annotation file for a missing source": NoteCase({"ghost.yml": "ghost.yml"}, (
        r"^annotations/ghost\.yml: annotates a source that does not exist: no seed in seeds/ is published as "
        r"'ghost'\n    hint: name the file after a seed's page address \(annotations/<address>\.yml; the addresses "
        r"are: claim, other\); none of its notes were shown",)),
    "annotation file named after a seed file with spaces": NoteCase(
        {"spaces-in-name.yml": "File Name With Spaces.yml"}, placed=("s-spaces",),
        extra_seeds=("File Name With Spaces.txt",)),
    "empty file": NoteCase(as_claim("empty.yml"), (
        r"^annotations/claim\.yml: is empty: expected 'annotations:' followed by a list of notes",)),
    "not UTF-8 (Windows-1252)": NoteCase(as_claim("not-utf8.yml"), (
        r"^annotations/claim\.yml:7: is not UTF-8; read as Windows-1252 \(Latin-1\).*0x97 at byte offset 187, "
        r"reads as '—'",), placed=("c-legacy",)),
    "damaged UTF-8": NoteCase(as_claim("damaged-utf8.yml"), (
        r"^annotations/claim\.yml:6: is not valid UTF-8: byte offset 178 \(0xe2\) cannot be read.*; no note in it "
        r"was read",)),
    "a key twice in one note (a missing dash)": NoteCase(as_claim("duplicate-keys.yml"), tuple(
        rf"^annotations/claim\.yml:{line}: '{key}' appears twice in one note \(it began on line 3\); YAML would "
        rf"silently keep only the last, so the note was not shown\n    hint: a missing '- ' before 'id:'"
        for line, key in ((7, "id"), (8, "kind"), (9, "quote"), (10, "note"))),),
    "a control character YAML refuses": NoteCase(as_claim("control-character.yml"), (
        r"^annotations/claim\.yml:6: has 1 invisible or control character .*U\+0000 NULL",
        r"^annotations/claim\.yml:6: is not valid YAML: it contains U\+0000 NULL, which YAML does not allow")),
    "bidi override in a note": NoteCase(as_claim("hidden-in-note.yml"), (
        r"^annotations/claim\.yml:6: has 2 invisible or control characters .*U\+202E RIGHT-TO-LEFT OVERRIDE",),
        placed=("c-hidden",)),
    "notes under an unknown top-level key": NoteCase(as_claim("unknown-top-level.yml"), (
        r"^annotations/claim\.yml:8: unknown top-level key 'notes': only 'annotations' is read, so what is under "
        r"it was not read\n    hint: did you mean 'annotations'\?",), placed=("c-kept",)),
}


def note_room(tmp: Path, case: NoteCase) -> Room:
    seeds = {p: p.name for p in (NOTES / "sources").iterdir()}
    seeds.update({SEEDS / name: name for name in case.extra_seeds})
    root = make_root(tmp, seeds, {NOTES / src: name for src, name in case.files.items()})
    return load_room(root, machine_flags=False)


@pytest.mark.parametrize("name", NOTE_CASES)
def test_annotation_file(tmp_path, name):
    case = NOTE_CASES[name]
    room = note_room(tmp_path, case)
    assert_problems(room, case.problems)
    assert sorted(p.note.id for p in room.resolution.placed) == sorted(case.placed)


def rendered_note(tmp_path, case_name: str, note_id: str) -> BeautifulSoup:
    room = note_room(tmp_path, NOTE_CASES[case_name])
    placed = next(p for p in room.resolution.placed if p.note.id == note_id)
    source = room.sources[placed.note.source]
    layer = MarginLayer(source, room.resolution, room.sources, lambda slug: f"{slug}.html")
    soup = page_html(render_source(source, layer))
    return soup.select_one(f"#note-{note_id}")


def test_html_and_script_links_in_a_note_are_shown_as_text(tmp_path):
    note = rendered_note(tmp_path, "raw HTML and javascript: links in a note", "c-hostile-note")
    assert {el.name for el in note.find_all(True)} <= ALLOWED_TAGS
    assert foreign_markup(note) == []
    text = " ".join(note.get_text(" ").split())
    for shown in ("<script>alert('note')</script>", '<img src=x onerror="alert(1)">',
                  '<a href="javascript:alert(2)">raw</a>', "[a link](javascript:alert(3))",
                  "[encoded](&#106;avascript:alert(5))", "[data](data:text/html,<script>alert(6)</script>)"):
        assert shown in text, shown
    assert [a["href"] for a in note.select(".rr-note__body a")] == ["https://example.org/"]
    assert note.select_one(".rr-note__body em").get_text() == "emphasis"


def test_bidi_override_in_a_note_is_shown_not_obeyed(tmp_path):
    note = rendered_note(tmp_path, "bidi override in a note", "c-hidden")
    assert "\u202e" not in str(note)
    assert note.select_one('.rr-invisible[data-char="U+202E"]') is not None


@pytest.mark.parametrize("data, encoding", [
    (b"\xff\xfe\x00\x00" + "Title\n\nText “é”.\n".encode("utf-32-le"), "UTF-32"),
    (b"\x00\x00\xfe\xff" + "Title\n\nText “é”.\n".encode("utf-32-be"), "UTF-32"),
    (b"\xfe\xff" + "Title\r\n\r\nText “é”.\r\n".encode("utf-16-be"), "UTF-16"),
])
def test_byte_order_marks_decide(data, encoding):
    decoded = decode_text(data, "seeds/x.txt")
    assert (decoded.encoding, decoded.text, decoded.problems) == (encoding, "Title\n\nText “é”.\n", ())


def test_broken_utf16_is_refused_with_line_and_offset():
    from reading_room.errors import RoomError

    data = b"\xff\xfe" + "Title\n\nText\n".encode("utf-16-le") + b"\x00\xd8A\x00"  # a lone surrogate
    with pytest.raises(RoomError) as caught:
        decode_text(data, "seeds/x.txt")
    assert str(caught.value).startswith("seeds/x.txt:4: is marked as UTF-16 but byte offset 26 ")


def test_detector_leaves_out_a_very_large_source_and_says_so(tmp_path, monkeypatch):
    from reading_room import room as room_module

    monkeypatch.setattr(room_module, "MACHINE_MAX_CHARS", 10_000)  # 12 million in earnest: too slow to write here
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "big.txt").write_text("Title\n\n" + "The workers went. " * (10_000 // 17 + 1))
    room = load_room(tmp_path)
    assert "the detector's suggestions were left out" in room.machine_skipped["big"]
    assert not room.resolution.placed
