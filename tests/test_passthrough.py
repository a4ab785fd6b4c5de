"""The room's raw HTML blocks skip Python-Markdown (``reading_room.passthrough``), and every page
comes out byte for byte as Markdown would have made it.

The comparison runs Python-Markdown twice on every generated page of three rooms (the real one,
the hostile one, and a synthetic library with collections and detector suggestions), with the
extensions and settings of the room's own mkdocs.yml.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import markdown
import pytest
from mkdocs.config import load_config

from conftest import ENV, ROOT, make_project

sys.path.insert(0, str(ROOT / "hooks"))
from reading_room import passthrough  # noqa: E402
from reading_room.project import hand_written_pages, open_project  # noqa: E402


def _markdown_settings():
    config = load_config(str(ROOT / "mkdocs.yml"))
    return config["markdown_extensions"], config["mdx_configs"]


def _convert(text: str) -> str:
    extensions, configs = _markdown_settings()
    return markdown.Markdown(extensions=extensions, extension_configs=configs).convert(text)


def _generated(root: Path) -> list[tuple[str, str]]:
    project = open_project(root, hand_written_pages(root / "docs"), cache_dir=None)
    out = []
    for page in project.generated_pages():
        if page.content is None or not page.uri.endswith(".md"):
            continue
        text = page.text
        if text.startswith("---\n"):  # MkDocs hands on_page_markdown the page without its front matter
            text = text.split("\n---\n", 1)[1]
        out.append((page.uri, text))
    return out


def _assert_same(root: Path, expect_pages: int) -> int:
    pages = _generated(root)
    assert len(pages) >= expect_pages
    taken = 0
    for uri, text in pages:
        kept = passthrough.split(text)
        taken += len(kept.blocks)
        assert kept.restore(_convert(kept.skeleton)) == _convert(text), uri
    return taken


def test_every_page_of_the_room_is_the_same(tmp_path):
    assert _assert_same(ROOT, 10) > 300  # most of the room's blocks are taken


def test_every_page_of_the_hostile_room_is_the_same(tmp_path):
    from test_hostile_build import hostile_files

    seeds, notes = hostile_files()
    _assert_same(make_project(tmp_path, seeds=seeds, annotations=notes), 10)


def test_every_page_of_a_library_with_suggestions_is_the_same(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    import bench

    project = bench.make_room(24, tmp_path)  # collections from 21 sources; half with no notes
    assert _assert_same(project, 24) > 500


# -- what is taken, and what is left to Markdown ------------------------------------------------
def test_whole_blocks_are_taken_and_headings_stay():
    text = '# Title {#t}\n\n<div class="rr-block">\n<p>a &amp; b</p>\n</div>\n\n## Part\n\n<aside>x</aside>'
    kept = passthrough.split(text)
    assert list(kept.blocks.values()) == ['<div class="rr-block">\n<p>a &amp; b</p>\n</div>\n', "<aside>x</aside>"]
    assert "# Title {#t}" in kept.skeleton and "## Part" in kept.skeleton and "rr-block" not in kept.skeleton


@pytest.mark.parametrize("chunk", [
    "<div>\n*emphasis* in Markdown\n</div>",  # a line of text: Markdown's to read
    '<div markdown="1">\n*x*\n</div>',  # asks for Markdown inside
    "<div>a</div>\n<div>b</div>",  # two elements: left to Markdown's rules for what follows
    "<mark>inline</mark>",  # not a block: a paragraph
    "<p>a</p> and text",  # text after the element
])
def test_what_is_left_to_markdown(chunk):
    assert passthrough.split(f"# T\n\n{chunk}\n\n<p>after</p>").blocks.keys().__len__() == 1


def test_a_block_left_open_leaves_the_rest_of_the_page_to_markdown():
    text = '<div data-source="a">\n\n<div class="x"><p>in</p></div>\n\n</div>\n\n<p>after</p>'
    assert passthrough.split(text).blocks == {}
    assert passthrough.split(text).skeleton == text


def test_placeholders_cannot_come_from_the_text():
    a, b = passthrough.split("<p>one</p>"), passthrough.split("<p>two</p>")
    assert a.skeleton != b.skeleton  # the word is a hash of the page
    assert a.restore("<p>not a placeholder</p>") == "<p>not a placeholder</p>"


# -- the hooks use it ---------------------------------------------------------------------------
SPY = textwrap.dedent("""
    import sys, markdown
    from mkdocs.__main__ import cli
    seen = []
    convert = markdown.Markdown.convert
    def spying(self, source):
        seen.append(source)
        return convert(self, source)
    markdown.Markdown.convert = spying
    try:
        cli(["build", "-q", "--site-dir", sys.argv[1]])
    except SystemExit as exc:
        assert not exc.code, exc.code
    # a source page is the only one whose Markdown starts with its title and provenance
    print(sum('class="rr-block"' in s and 'class="rr-provenance"' in s for s in seen),
          sum('rrraw' in s and 'class="rr-block"' not in s for s in seen))
""")


def test_the_build_hands_markdown_only_the_source_pages_skeletons(tmp_path):
    project = make_project(tmp_path, keep_seeds=True)
    for f in (ROOT / "annotations").iterdir():
        shutil.copy(f, project / "annotations" / f.name)
    r = subprocess.run([sys.executable, "-c", SPY, str(tmp_path / "site")], capture_output=True, text=True,
                       env=ENV, cwd=project, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    source_pages_with_blocks, skeletons = map(int, r.stdout.split())
    assert source_pages_with_blocks == 0 and skeletons >= 5
    page = (tmp_path / "site" / "sources" / "white-paper-2020.html").read_text(encoding="utf-8")
    assert page.count('class="rr-block"') > 50 and "rrraw" not in page
