"""What a build holds on to: a generated page's Markdown, and its file's bytes, are let go of
once the page is converted (``room_hooks._let_go_of_markdown``); MkDocs would keep both until the
build ends, two copies of the whole site's Markdown.  A hook after the room's looks at every page
once all are converted (``on_env``)."""

from __future__ import annotations

import json

from conftest import build, make_project

SEED = "A Test Source\n\nThe workers chose freely, the report says.\n\nA second paragraph.\n"
PROBE = '''
import json, os


def on_env(env, config, files):
    pages = [f.page for f in files.documentation_pages() if f.page is not None]
    room = [p for p in pages if p.file.generated_by]
    written = [p for p in pages if not p.file.generated_by]
    with open(os.path.join(os.path.dirname(__file__), "probe.json"), "w") as out:
        json.dump({"room_markdown": sum(len(p.markdown) for p in room),
                   "room_bytes": sum(len(p.file.content_bytes) for p in room),
                   "written_markdown": min(len(p.markdown) for p in written),
                   "titles": {p.file.src_uri: p.title for p in room}}, out)
'''


def test_generated_pages_let_go_of_their_markdown_and_keep_their_titles(tmp_path):
    project = make_project(tmp_path, seeds={"test.txt": SEED, "test.meta.yml": "title: A Test Source\n"})
    (project / "hooks" / "probe.py").write_text(PROBE)
    config = (project / "mkdocs.yml").read_text()
    (project / "mkdocs.yml").write_text(config.replace("  - hooks/room_hooks.py\n", "  - hooks/room_hooks.py\n  - hooks/probe.py\n"))
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    seen = json.loads((project / "hooks" / "probe.json").read_text())
    assert seen["room_markdown"] == 0 and seen["room_bytes"] == 0
    assert seen["written_markdown"] > 0  # hand-written pages are MkDocs' own business
    assert seen["titles"]["sources/test.md"] == "A Test Source" and seen["titles"]["overview/all-flags.md"] == "All flags"
    assert "<title>A Test Source" in (tmp_path / "site" / "sources" / "test.html").read_text()
