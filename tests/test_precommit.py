"""The pre-commit hook (``.pre-commit-hooks.yaml``) points at the real command, and pre-commit can
install it: pre-commit installs the room as a Python package (``pyproject.toml``) and runs its
``reading-room`` script in the editor's clone.  (Tried by hand with pre-commit 4.7.0 on a clone:
a note whose quote was edited away refused the commit with the build's messages.)"""

from __future__ import annotations

import ast
import importlib
import re
import sys
import tomllib

import yaml
from conftest import ROOT

HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
CORE = ROOT / "hooks" / "reading_room"


def the_hook() -> dict:
    assert isinstance(HOOKS, list) and len(HOOKS) == 1
    return HOOKS[0]


def test_hook_file_has_what_pre_commit_requires():
    hook = the_hook()
    assert {"id", "name", "entry", "language"} <= set(hook)
    assert hook["id"] == "reading-room-check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False  # the whole room is checked, whichever file changed
    files = re.compile(hook["files"])
    for path in ("seeds/white-paper-2020.txt", "annotations/zenz-2024-forced-labor.yml", "docs/assignments/week-1.md"):
        assert files.search(path), path
    assert not files.search("README.md") and not files.search("hooks/room_hooks.py")


def test_hook_entry_is_the_check_command(capsys):
    script, *args = the_hook()["entry"].split()
    assert args == ["check"]
    target = PROJECT["project"]["scripts"][script]
    module, function = target.split(":")
    main = getattr(importlib.import_module(module), function)
    from reading_room import cli

    assert main is cli.main
    assert main(["check", "--root", str(ROOT)]) == 0
    assert "0 problems" in capsys.readouterr().err


def test_the_package_pre_commit_installs_holds_the_whole_core():
    find = PROJECT["tool"]["setuptools"]["packages"]["find"]
    assert find["where"] == ["hooks"] and "reading_room*" in find["include"]
    packages = {p.parent.relative_to(ROOT / "hooks").as_posix().replace("/", ".") for p in CORE.rglob("__init__.py")}
    assert all(any(re.fullmatch(pat.replace(".", r"\.").replace("*", ".*"), p) for pat in find["include"])
               for p in packages), packages
    data = PROJECT["tool"]["setuptools"]["package-data"]
    for path in CORE.rglob("*"):
        if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts:
            package = path.parent
            while not (package / "__init__.py").exists():
                package = package.parent
            name = package.relative_to(ROOT / "hooks").as_posix().replace("/", ".")
            rel = path.relative_to(package).as_posix()
            assert any(re.fullmatch(g.replace(".", r"\.").replace("*", "[^/]*"), rel) for g in data.get(name, [])), \
                f"{path.relative_to(ROOT)} would be left out of the package"


def test_the_package_declares_every_library_the_core_imports():
    third_party = set()
    for path in CORE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module else [])
            third_party |= {n.split(".")[0] for n in names if n.split(".")[0] not in sys.stdlib_module_names}
    third_party.discard("reading_room")
    distributions = {"yaml": "pyyaml"}
    declared = {re.split(r"[<>=!~ \[]", d)[0].lower() for d in PROJECT["project"]["dependencies"]}
    assert {distributions.get(m, m) for m in third_party} <= declared, third_party
    assert "mkdocs" not in third_party
