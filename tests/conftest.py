"""Shared fixtures: the built room, builds of small throw-away rooms, and a real browser."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MKDOCS = [sys.executable, "-m", "mkdocs"]
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = ROOT / "tests" / "screenshots"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def build(project: Path, site: Path, strict: bool = True) -> subprocess.CompletedProcess:
    args = MKDOCS + ["build", "--site-dir", str(site), "--config-file", str(project / "mkdocs.yml")]
    if strict:
        args.append("--strict")
    return subprocess.run(args, capture_output=True, text=True, env=ENV, cwd=project)


def make_project(tmp: Path, seeds: dict[str, bytes | str] | None = None,
                 annotations: dict[str, bytes | str] | None = None, keep_seeds: bool = False) -> Path:
    """A copy of the room with its own seeds and annotations, for build tests."""
    project = tmp / "room"
    project.mkdir()
    for name in ("mkdocs.yml", "hooks", "docs", "overrides"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, project / name)
    if not keep_seeds:  # the shipped assignments quote the real seeds; their index stays
        for page in (project / "docs" / "assignments").glob("*.md"):
            if page.name != "index.md":
                page.unlink()
    (project / "seeds").mkdir()
    (project / "annotations").mkdir()
    if keep_seeds:
        for f in (ROOT / "seeds").iterdir():
            shutil.copy(f, project / "seeds" / f.name)
    for name, data in (seeds or {}).items():
        (project / "seeds" / name).write_bytes(data.encode() if isinstance(data, str) else data)
    for name, data in (annotations or {}).items():
        (project / "annotations" / name).write_bytes(data.encode() if isinstance(data, str) else data)
    return project


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The real room, built once with --strict."""
    out = tmp_path_factory.mktemp("site")
    result = build(ROOT, out)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        yield b
        b.close()


@pytest.fixture
def open_page(browser):
    """open_page(url, width=1440, js=True) → a page that records every request it makes."""
    contexts = []

    def _open(url: str, width: int = 1440, height: int = 900, js: bool = True):
        ctx = browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=js)
        contexts.append(ctx)
        page = ctx.new_page()
        page.requests = []
        page.on("request", lambda r: page.requests.append(r.url))
        page.errors = []
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.goto(url)
        return page

    yield _open
    for ctx in contexts:
        ctx.close()


def tab_to(page, selector: str, limit: int = 400):
    """Press Tab until the focused element matches ``selector``; fail if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return page.locator(":focus")
    pytest.fail(f"Tab never reached {selector}")


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path
