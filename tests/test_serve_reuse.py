"""Under ``mkdocs serve``, a rebuild converts only the pages whose Markdown changed
(``room_hooks._reuse_rendering``), and the pages it did not convert are byte-identical to a
rebuild that converts everything.

The builds run in one child process, as ``mkdocs serve`` runs them: MkDocs' own ``build()`` with
a freshly loaded configuration each time, so the hooks module is run afresh while the room's
package stays imported.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap

from conftest import ENV, ROOT, make_project

SCRIPT = textwrap.dedent("""
    import json, os, sys
    from pathlib import Path
    import markdown
    from mkdocs.config import load_config
    from mkdocs.commands.build import build

    os.environ["READING_ROOM_SERVING"] = "1"  # what on_startup sets under `mkdocs serve`
    project, site = Path(sys.argv[1]), sys.argv[2]
    converted = []
    convert = markdown.Markdown.convert
    def counting(self, source):
        if source.strip():
            converted.append(source[:60])
        return convert(self, source)
    markdown.Markdown.convert = counting

    def rebuild(site_dir):
        converted.clear()
        build(load_config(str(project / "mkdocs.yml"), site_dir=site_dir))
        return len(converted)

    first = rebuild(site)
    ann = project / "annotations" / "white-paper-2020.yml"
    text = ann.read_text(encoding="utf-8")
    marker = "reuse-test-token"
    ann.write_text(text.replace("note: ", f"note: {marker} ", 1), encoding="utf-8")
    second = rebuild(site)
    from reading_room import cache
    cache.RENDERED.clear()  # the same rebuild, converting every page
    full = rebuild(site + "-full")
    print(json.dumps({"first": first, "second": second, "full": full}))
""")


def test_a_rebuild_under_serve_converts_only_what_changed(tmp_path):
    project = make_project(tmp_path, keep_seeds=True)
    for f in (ROOT / "annotations").iterdir():
        shutil.copy(f, project / "annotations" / f.name)
    site = tmp_path / "site"
    r = subprocess.run([sys.executable, "-c", SCRIPT, str(project), str(site)], capture_output=True, text=True,
                       env={**ENV, "PYTHONPATH": str(project / "hooks")}, cwd=project, timeout=900)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    counts = json.loads(r.stdout.strip().splitlines()[-1])
    assert counts["first"] == counts["full"] > 15, counts
    # the edited source, and the pages that list its notes (overview, counts), not the rest
    assert counts["second"] <= counts["full"] // 2, counts
    reused, full = site, tmp_path / "site-full"
    pages = sorted(p.relative_to(full) for p in full.rglob("*.html"))
    assert pages == sorted(p.relative_to(reused) for p in reused.rglob("*.html"))
    different = [str(p) for p in pages if (reused / p).read_bytes() != (full / p).read_bytes()]
    assert not different, different
    assert "reuse-test-token" in (reused / "sources" / "white-paper-2020.html").read_text(encoding="utf-8")
