"""The theme's white space is folded (reading_room.compact): lighter pages that render the same.

Pure tests of ``fold``, and the built room: no page keeps a run of template white space, and
each source page's article is what the room wrote."""

from __future__ import annotations

import re

from reading_room.compact import fold

TEMPLATE = ("<html>\n  <head>\n    <script>var a = 1;\n\n    var b = 2;</script>\n  </head>\n  <body>\n"
            "    <nav>\n      <a href=\"x\">\n        \n          Title\n        \n      </a>\n    </nav>\n"
            "    <article class=\"md-content__inner\">\n\n<p>Text\n\n   kept   as is</p>\n<pre>a\n\n    b</pre>\n"
            "    </article>\n    <textarea>one\n\n   two</textarea>\n    <style>p {\n\n  color: red }</style>\n  </body>\n</html>\n")


def test_runs_of_white_space_with_a_line_break_become_one_line_break():
    out = fold(TEMPLATE)
    head, rest = out.split("<article", 1)
    assert "<nav>\n<a href=\"x\">\nTitle\n</a>\n</nav>" in head
    assert "\n " not in head.replace("var a = 1;\n\n    var b = 2;", "")
    assert out.endswith("</article>\n<textarea>one\n\n   two</textarea>\n<style>p {\n\n  color: red }</style>\n</body>\n</html>\n")


def test_the_article_scripts_and_preformatted_text_are_left_as_they_are():
    out = fold(TEMPLATE)
    article = TEMPLATE[TEMPLATE.index("<article"):TEMPLATE.rindex("</article>")]
    assert article in out
    for verbatim in ("<script>var a = 1;\n\n    var b = 2;</script>", "<textarea>one\n\n   two</textarea>",
                     "<style>p {\n\n  color: red }</style>"):
        assert verbatim in out


def test_white_space_without_a_line_break_is_left_and_folding_twice_changes_nothing():
    assert fold("<p>a   b</p>\n\n") == "<p>a   b</p>\n"
    assert fold(fold(TEMPLATE)) == fold(TEMPLATE)
    assert fold("") == ""


def test_a_page_without_an_article_is_folded_whole():
    assert fold("<div>\n   <p>x</p>\n\n</div>") == "<div>\n<p>x</p>\n</div>"


def test_the_built_room_carries_no_template_white_space_and_its_articles_as_written(site):
    source = (site / "sources" / "white-paper-2020.html").read_text(encoding="utf-8")
    start, end = source.find("<article"), source.rfind("</article>")
    outside = re.sub(r"<(script|style|pre|textarea)\b.*?</\1\s*>", "<v/>", source[:start] + source[end:], flags=re.S)
    outside = outside.replace("\n    <meta http-equiv", "\n<meta http-equiv", 1)  # reading_room.csp puts it there
    assert not re.search(r"\n[ \t]|[ \t]\n|\n\n", outside), re.search(r".{60}(\n[ \t]|[ \t]\n|\n\n).{60}", outside, re.S)
    assert len(source[:start]) + len(source[end:]) < 18_000  # 22.9 KB before: the theme's indentation
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "\n\n\n" not in text.replace(text[text.find("<article"):text.rfind("</article>")], "") \
            if "<article" in text else "\n\n\n" not in text, page
