"""``python -m reading_room``: check and export without an engine (issue 18).

- ``check`` prints the build's own problems (the same text the MkDocs build logs), exits 0 / 1 / 2,
  and ``--format json`` writes one JSON object per problem;
- neither command needs MkDocs: they run with ``mkdocs`` made unimportable;
- ``export`` writes a docs tree any engine builds without hooks (built by Zensical and MkDocs in
  ``test_engines.py``).

The hostile room's problems are compared with its strict build in ``test_hostile_build.py``.
"""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ENV, ROOT, build, make_project

CLI = [sys.executable, "-m", "reading_room"]
CLI_ENV = {**ENV, "PYTHONPATH": str(ROOT / "hooks")}
WARNING = "WARNING -  reading-room: "
CLAIM = "A Claim\n\nThe workers chose freely, the report says.\n\nA second paragraph.\n"
# a problem of each place check reads: a note that does not anchor, an excerpt that does not resolve
BAD_NOTES = ("annotations:\n  - id: c-absent\n    kind: framing\n    technique: loaded_language\n"
             "    quote: \"words that are nowhere\"\n    note: The quote is not in the text.\n")
BAD_ASSIGNMENT = "# Week 1\n\nRead this:\n\n```excerpt\nsource: claim\nfrom: p-00000000\n```\n"


def run(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(CLI + list(args), capture_output=True, text=True, cwd=cwd, env=env or CLI_ENV, timeout=120)


def problem_texts(build_output: str) -> list[str]:
    """Each problem the build logged, as ``str(Problem)`` (its hint line included)."""
    out, current = [], None
    for line in build_output.splitlines():
        if line.startswith(WARNING):
            current = line[len(WARNING):]
            out.append(current)
        elif current is not None and line.startswith("    hint: "):
            out[-1] += "\n" + line
            current = None
        else:
            current = None
    return out


def check_texts(stdout: str) -> list[str]:
    out = []
    for line in stdout.splitlines():
        if line.startswith("    hint: ") and out:
            out[-1] += "\n" + line
        else:
            out.append(line)
    return out


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    """A small room with a note that does not anchor and an assignment whose excerpt does not resolve."""
    project = make_project(tmp_path_factory.mktemp("broken"), seeds={"claim.txt": CLAIM},
                           annotations={"claim.yml": BAD_NOTES})
    (project / "docs" / "assignments" / "week-1.md").write_text(BAD_ASSIGNMENT)
    return project


def test_check_prints_exactly_the_build_problems(broken, tmp_path):
    result = build(broken, tmp_path / "site", strict=True)
    assert result.returncode != 0
    logged = problem_texts(result.stdout + result.stderr)
    assert any(p.startswith("annotations/claim.yml:5:") for p in logged), logged
    assert any(p.startswith("docs/assignments/week-1.md:7:") for p in logged), logged
    checked = run("check", "--root", str(broken))
    assert checked.returncode == 1, checked.stderr
    assert check_texts(checked.stdout) == logged
    assert "Traceback" not in checked.stderr
    assert f"{len(logged)} problems" in checked.stderr


def test_check_json_is_one_object_per_problem(broken):
    text = run("check", "--root", str(broken)).stdout
    result = run("check", "--root", str(broken), "--format", "json")
    assert result.returncode == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["text"] for r in records] == check_texts(text)
    for r in records:
        assert set(r) == {"path", "line", "message", "hint", "note_id", "text"}
        assert isinstance(r["path"], str) and isinstance(r["message"], str) and isinstance(r["hint"], str)
        assert r["line"] is None or (isinstance(r["line"], int) and r["line"] >= 1)
    absent = next(r for r in records if r["path"] == "annotations/claim.yml")
    assert absent["line"] == 5 and absent["note_id"] == "c-absent"
    assert next(r for r in records if r["path"] == "docs/assignments/week-1.md")["line"] == 7


def test_json_escapes_what_could_rewrite_a_terminal():
    from reading_room.cli import json_line

    line = json_line({"message": "quote \u202ereversed\u202c and \x1b[2J cleared"})
    assert "\u202e" not in line and "\x1b" not in line
    assert json.loads(line)["message"] == "quote \u202ereversed\u202c and \x1b[2J cleared"


def test_exit_codes(broken, tmp_path):
    clean = run("check")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert clean.stdout == "" and "0 problems in 5 sources" in clean.stderr
    assert run("check", "--root", str(broken)).returncode == 1
    nowhere = run("check", "--root", str(tmp_path))
    assert nowhere.returncode == 2 and "no seeds/ folder" in nowhere.stderr
    assert run("check", "--format", "xml").returncode == 2
    assert run().returncode == 2


def test_runs_where_mkdocs_cannot_be_imported(tmp_path):
    """The command line is for editors' machines and engines other than MkDocs: with mkdocs,
    material and properdocs made unimportable, check and export still work."""
    blocker = tmp_path / "sitecustomize.py"
    blocker.write_text("import sys\nfor name in ('mkdocs', 'material', 'properdocs', 'zensical'):\n"
                       "    sys.modules[name] = None  # any import of it now fails\n")
    env = {**CLI_ENV, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT / 'hooks'}"}
    probe = subprocess.run([sys.executable, "-c", "import mkdocs"], env=env, capture_output=True, text=True)
    assert probe.returncode != 0 and "ModuleNotFoundError" in probe.stderr  # the blocker works
    assert run("check", env=env).returncode == 0
    exported = run("export", str(tmp_path / "out"), env=env)
    assert exported.returncode == 0, exported.stderr
    assert (tmp_path / "out" / "docs" / "sources" / "white-paper-2020.md").exists()


def test_export_writes_a_tree_that_needs_no_hooks(tmp_path):
    out = tmp_path / "room"
    result = run("export", str(out))
    assert result.returncode == 0, result.stderr
    docs = out / "docs"
    slugs = sorted(p.stem for p in (ROOT / "seeds").glob("*.txt"))
    for slug in slugs:
        assert (docs / "sources" / f"{slug}.md").exists()
        assert (docs / "originals" / f"{slug}.txt").read_bytes() == (ROOT / "seeds" / f"{slug}.txt").read_bytes()
    for name in ("annotations.jsonld", "notes-index.json", "overview/index.md", "overview/all-flags.md",
                 "overview/search-notes.md", "index.md", "about-annotations.md"):
        assert (docs / name).exists(), name
    json.loads((docs / "annotations.jsonld").read_text(encoding="utf-8"))
    for asset in (ROOT / "docs" / "assets").rglob("*"):  # whatever the assets are, they travel as they are
        if asset.is_file():
            rel = asset.relative_to(ROOT / "docs")
            assert (docs / rel).read_bytes() == asset.read_bytes(), rel
    # hand-written pages: excerpts expanded, placeholders filled, front matter kept for the engine
    for page in (ROOT / "docs").rglob("*.md"):
        text = (docs / page.relative_to(ROOT / "docs")).read_text(encoding="utf-8")
        assert "<!-- room:" not in text, page
        if page.parent.name == "assignments":
            assert "```excerpt" not in text, page
    assignment = (docs / "assignments" / "counting-transfers.md").read_text(encoding="utf-8")
    assert assignment.startswith("---\n") and 'class="rr-excerpt' in assignment
    config = yaml.safe_load((out / "mkdocs.yml").read_text(encoding="utf-8"))
    assert "hooks" not in config and "watch" not in config
    assert config["docs_dir"] == "docs" and config["theme"]["name"] == "material"
    room = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["nav"][-1]["Sources"]  # the hooks' navigation, compared with the build in test_engines.py
    assert {k: v for k, v in config.items() if k not in ("docs_dir", "site_dir", "nav")} == \
        {k: v for k, v in room.items() if k not in ("hooks", "watch")}


def test_export_lists_the_problems_and_writes_the_attention_page(broken, tmp_path):
    result = run("export", str(tmp_path / "out"), "--root", str(broken))
    assert result.returncode == 1
    assert "annotations/claim.yml:5:" in result.stderr
    attention = html.unescape((tmp_path / "out" / "docs" / "attention.md").read_text(encoding="utf-8"))
    assert "c-absent" in attention and "week-1.md:7" in attention


def test_export_never_overwrites_a_folder_it_did_not_write(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.md").write_text("my work")
    result = run("export", str(mine))
    assert result.returncode == 2 and "is not empty" in result.stderr
    assert (mine / "thesis.md").read_text() == "my work" and len(list(mine.iterdir())) == 1
    again = tmp_path / "again"
    assert run("export", str(again)).returncode == 0
    (again / "docs" / "stale.md").write_text("from an older export")
    assert run("export", str(again)).returncode == 0  # an earlier export is replaced whole
    assert not (again / "docs" / "stale.md").exists()


def test_exported_config_keeps_tagged_values():
    """A Material configuration may carry Python tags (``!!python/name:…`` for emoji, ``!ENV``);
    they are written back as they were, without importing what they name."""
    from reading_room.cli import _Dumper, _Loader

    text = ("markdown_extensions:\n- pymdownx.emoji:\n    emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
            "copyright: !ENV COPYRIGHT\n")
    data = yaml.load(text, Loader=_Loader)
    again = yaml.dump(data, Dumper=_Dumper, sort_keys=False)
    assert "!!python/name:material.extensions.emoji.twemoji" in again and "!ENV" in again
    assert yaml.load(again, Loader=_Loader) == data


def test_the_main_module_runs_the_command_only_as_the_main_program(monkeypatch):
    """The detector's pool starts its workers with forkserver (or spawn), which import the main
    module again under the name ``__mp_main__``: an unguarded ``__main__`` would run the whole
    command a second time in every worker."""
    import runpy

    from reading_room import cli

    calls = []
    monkeypatch.setattr(cli, "main", lambda *a, **k: calls.append(a) or 0)
    runpy.run_module("reading_room", run_name="__mp_main__")
    assert calls == []
    with pytest.raises(SystemExit) as stopped:
        runpy.run_module("reading_room", run_name="__main__")
    assert calls == [()] and stopped.value.code == 0
