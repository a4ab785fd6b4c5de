"""The room's CSS and JavaScript ship without their comments (``reading_room.assets``): smaller,
and otherwise the same rules and statements, every script still valid."""

from __future__ import annotations

import gzip
import re
import shutil
import subprocess

import pytest

from conftest import ROOT
from reading_room import assets

DOCS = ROOT / "docs"


def _code_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("name", assets.SHIPPED)
def test_a_shipped_asset_is_its_source_without_comments(name):
    source = (DOCS / name).read_text(encoding="utf-8")
    out = assets.shipped(name, source)
    assert len(out) < len(source)
    if name.endswith(".css"):  # the same rules, nothing but comments and the blanks round them gone
        assert "/*" not in out
        assert out.split() == re.sub(r"/\*.*?\*/", " ", source, flags=re.S).split()
        return
    kept = iter(_code_lines(source))
    for line in _code_lines(out):  # every line shipped is a line of the source, in order
        assert any(line == other for other in kept), line


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
@pytest.mark.parametrize("name", [n for n in assets.SHIPPED if n.endswith(".js")])
def test_every_shipped_script_still_parses(name, tmp_path):
    out = tmp_path / "script.js"
    out.write_text(assets.shipped(name, (DOCS / name).read_text(encoding="utf-8")), encoding="utf-8")
    r = subprocess.run(["node", "--check", str(out)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_only_comments_go():
    css = "a { color: red; } /* why */\n/* a\n   long one */\nb { content: \"x\"; }\n"
    assert assets.shipped("x.css", css) == "a { color: red; }\nb { content: \"x\"; }\n"
    js = ("// why\nconst a = 1; // kept: it shares a line with code\n  /* a block\n  of lines */\n"
          "/* a */ const b = 2;\nconst c = '//not a comment';\n")
    assert assets.shipped("x.js", js) == ("const a = 1; // kept: it shares a line with code\n"
                                          "/* a */ const b = 2;\nconst c = '//not a comment';\n")


def test_the_built_site_ships_them_within_the_budget(site):
    shipped = b"".join((site / name).read_bytes() for name in
                       ("assets/room.css", "assets/room-print.css", "assets/room.js", "assets/teaching.css",
                        "assets/search-notes.js", "assets/sources-index.js"))
    assert b"/*" not in b"".join((site / n).read_bytes() for n in assets.SHIPPED if n.endswith(".css"))
    assert len(gzip.compress(shipped, 9)) <= 12 * 1024  # the room's own CSS + JS (issue 8)
