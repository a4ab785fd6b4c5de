"""Golden fixtures: ``golden/<case>/input.txt`` → ``expected.md`` (the page Markdown) and
``expected.html`` (that Markdown through Python-Markdown with the site's extensions).

Regenerate after an intended change with ``REGENERATE=1 .venv/bin/python -m pytest tests/test_golden.py``
and review the diff like code.
"""

from __future__ import annotations

import os
from pathlib import Path

import markdown
import pytest

from reading_room.convert import convert
from reading_room.model import Meta
from reading_room.render import render_source

HERE = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in HERE.iterdir() if (p / "input.txt").exists())
REGENERATE = os.environ.get("REGENERATE") == "1"
EXTENSIONS = ["toc", "attr_list", "tables", "admonition"]


def page_markdown(case: str) -> str:
    text = (HERE / case / "input.txt").read_text(encoding="utf-8")
    meta = Meta(title=f"Golden {case}", author="A. Author", date="2020")
    source = convert(text, f"seeds/{case}.txt", case, meta, sha256="0" * 64)
    joins = "".join(f"<!-- join: lines {j.upper_line}+{j.lower_line} ({j.kind}) -->\n" for j in source.joins)
    return joins + render_source(source, original_url=f"../originals/{case}.txt")


def page_html(md_text: str) -> str:
    body = md_text.split("---\n", 2)[2]  # drop the front matter, as MkDocs does
    return markdown.markdown(body, extensions=EXTENSIONS)


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str) -> None:
    md_text = page_markdown(case)
    html = page_html(md_text)
    expected_md, expected_html = HERE / case / "expected.md", HERE / case / "expected.html"
    if REGENERATE or not expected_md.exists():
        expected_md.write_text(md_text, encoding="utf-8")
        expected_html.write_text(html, encoding="utf-8")
        if not REGENERATE:
            pytest.fail(f"{case}: no expected output yet; wrote it — review it and run again")
    assert md_text == expected_md.read_text(encoding="utf-8")
    assert html == expected_html.read_text(encoding="utf-8")
