"""Another W3C client anchors our selectors: Apache Annotator's text-quote matcher in Chromium.

``make test`` bundles ``@apache-annotator/dom`` 0.2.0 from npm with esbuild into
``.cache/annotator/annotator.js`` (tests/js/annotator-entry.js is the entry; nothing of it is
committed).  It matches exactly, character for character, the selector's prefix + exact +
suffix in the text of a DOM scope, so a page whose text is not the seed's, or a selector
without context, shows here.

Reuse (students' notes too)::

    from annotator import count_matches, pages_by_iri
    page = open_page(url)                      # a context with bypass_csp=True (see below)
    counts = count_matches(page, [selector, ...])   # one int per selector: 1 is right

The page's own Content-Security-Policy forbids injected scripts, so open it in a context made
with ``bypass_csp=True``; ``annotator_page`` in conftest does.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / ".cache" / "annotator" / "annotator.js"
# the room's margin and everything else that is not the source's text; the article is the scope
MARGIN = ".rr-notes"
SCOPE = "article.md-content__inner"
IRI = re.compile(r'data-rr-iri="([^"]+)"')

_COUNT = """async ([selectors, scope, margin, limit]) => {
  document.querySelectorAll(margin).forEach(e => e.remove());
  const root = document.querySelector(scope);
  const out = [];
  for (const s of selectors) {
    let n = 0;
    for await (const _ of ApacheAnnotator.createTextQuoteSelectorMatcher(s)(root)) { if (++n >= limit) break; }
    out.push(n);
  }
  return out;
}"""


def load(page) -> None:
    """Put the matcher into ``page`` (once)."""
    if not page.evaluate("typeof window.ApacheAnnotator !== 'undefined'"):
        page.add_script_tag(content=BUNDLE.read_text(encoding="utf-8"))


def count_matches(page, selectors: list[dict], scope: str = SCOPE, margin: str = MARGIN, limit: int = 3) -> list[int]:
    """How many times each ``TextQuoteSelector`` matches in ``scope`` once ``margin`` is removed
    (counting stops at ``limit``).  The margin is removed from the page: reload it afterwards."""
    load(page)
    return page.evaluate(_COUNT, [selectors, scope, margin, limit])


def pages_by_iri(site: Path) -> dict[str, Path]:
    """Each source's IRI (``data-rr-iri`` of its page) → its built page."""
    out = {}
    for page in sorted((site / "sources").glob("*.html")):
        m = IRI.search(page.read_text(encoding="utf-8"))
        if m:
            out[m.group(1)] = page
    return out


def quote_selectors_by_page(site: Path) -> dict[Path, list[tuple[str, dict]]]:
    """Every TextQuoteSelector of annotations.jsonld (targets, and rebuttals' linked passages),
    with its annotation's id, grouped by the page it belongs to."""
    data = json.loads((site / "annotations.jsonld").read_text(encoding="utf-8"))
    pages = pages_by_iri(site)
    out: dict[Path, list[tuple[str, dict]]] = {}
    for a in data["first"]["items"]:
        resources = [a["target"]] + [b for b in a["body"] if b.get("purpose") == "linking"]
        for r in resources:
            quote = next(s for s in r["selector"] if s["type"] == "TextQuoteSelector")
            out.setdefault(pages[r["source"]], []).append((a["id"], quote))
    return out
