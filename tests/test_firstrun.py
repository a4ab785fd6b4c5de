"""A newcomer's first run (issue 18): the Makefile says what is missing instead of failing
obscurely, shows progress while it installs, and offers the suite without the browser."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def make(*args: str, path: str | None = None) -> subprocess.CompletedProcess:
    env = {"PATH": path} if path is not None else None
    return subprocess.run(["/usr/bin/make", "--no-print-directory", "-C", str(ROOT), *args], capture_output=True,
                          text=True, env=env, timeout=60)


def fake_apt(tmp: Path) -> tuple[str, Path]:
    """A PATH whose apt-get only records that it was called."""
    bin_dir = tmp / "bin"
    bin_dir.mkdir()
    called = tmp / "apt-get-was-called"
    (bin_dir / "apt-get").write_text(f"#!/bin/sh\ntouch {called}\n")
    (bin_dir / "apt-get").chmod(0o755)
    return f"{bin_dir}:/usr/bin:/bin", called


def test_missing_chromium_without_root_says_what_to_install(tmp_path):
    path, called = fake_apt(tmp_path)
    result = make("browser", "CHROMIUM=/nonexistent/chromium", "USER_ID=1000", path=path)
    assert result.returncode != 0
    assert "sudo apt-get install chromium" in result.stderr and "make test-fast" in result.stderr
    assert not called.exists(), "apt-get ran for a user who is not root"


def test_missing_chromium_as_root_installs_it_with_apt(tmp_path):
    path, called = fake_apt(tmp_path)
    result = make("browser", "CHROMIUM=/nonexistent/chromium", "USER_ID=0", path=path)
    assert result.returncode == 0, result.stderr
    assert "Installing Debian's chromium" in result.stdout and called.exists()


def test_missing_npm_says_what_to_install(tmp_path):
    target = tmp_path / "axe.min.js"
    result = make(f"AXE={target}", str(target), path=str(tmp_path))  # a PATH with no npm on it
    assert result.returncode != 0 and not target.exists()
    assert "install Node.js with npm" in result.stderr


def test_install_shows_progress_and_test_fast_needs_no_browser():
    dry = make("-n", "-B", ".venv/.installed").stdout
    pip = next(line for line in dry.splitlines() if "pip install" in line)
    assert "--quiet" not in pip and "-q" not in pip.split()
    assert "Installing the pinned Python packages" in dry
    fast = make("-n", "test-fast").stdout
    assert '-m "not browser"' in fast
    assert "apt-get" not in fast and "npm" not in fast and "chromium" not in fast


def test_readme_lists_the_requirements_and_the_suite_s_duration():
    requirements = README.split("## Requirements", 1)[1].split("\n## ", 1)[0]
    for needed in ("`make`", "Python 3.11", "`venv`", "Node.js", "`npm`", "root", "apt-get", "chromium"):
        assert needed in requirements, needed
    assert re.search(r"`make test` .*runs [\d,]+ tests in about \d+ minutes", README, re.S)
    assert re.search(r"`make test-fast` runs the [\d,]+ that need no browser in about \d+ minutes", README)
    assert (ROOT / ".ci" / "run").read_text().strip().endswith("exec make test")
