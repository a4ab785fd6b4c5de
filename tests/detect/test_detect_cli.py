"""The command-line contract the quality tests use: JSON Lines, one flag per line."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "hooks")}
TECHNIQUES = {
    "loaded_language", "name_calling", "scare_quotes", "euphemism", "exaggeration_minimisation", "whataboutism",
    "appeal_to_authority", "black_and_white", "motive_attribution", "self_characterisation", "slogan",
    "causal_oversimplification", "doubt", "repetition",
}


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "reading_room.detect", *map(str, args)],
                          capture_output=True, env=ENV, cwd=cwd)


def check_lines(stdout: bytes, text: str) -> list[dict]:
    out = stdout.decode("utf-8")
    assert out == "" or out.endswith("\n")
    flags = []
    for line in out.splitlines():
        obj = json.loads(line)  # one JSON object per line, nothing else on stdout
        assert obj["kind"] in ("uncited", "framing")
        if obj["kind"] == "framing":
            assert obj["technique"] in TECHNIQUES and "strength" not in obj
        else:
            assert obj["strength"] in ("unsourced", "vague") and "technique" not in obj
        assert isinstance(obj["start"], int) and isinstance(obj["end"], int) and 0 <= obj["start"] < obj["end"]
        assert text[obj["start"]:obj["end"]] == obj["exact"], "offsets index the decoded text"
        assert obj["rule"] and obj["evidence"]
        flags.append(obj)
    return flags


@pytest.mark.parametrize("slug", ["zenz-2024-forced-labor", "white-paper-2020"])
def test_seed_gives_json_lines_with_offsets_into_the_decoded_text(slug):
    path = ROOT / "seeds" / f"{slug}.txt"
    result = run(path)
    assert result.returncode == 0, result.stderr.decode()
    flags = check_lines(result.stdout, path.read_bytes().decode("utf-8-sig"))
    assert {f["kind"] for f in flags} == {"uncited", "framing"}
    assert [f["start"] for f in flags] == sorted(f["start"] for f in flags)


def test_bom_is_removed_and_nothing_else_changes(tmp_path):
    body = "Intro line.\r\nIn 2019, 4,000 workers moved.\r\n\r\nThey voluntarily joined the programme.\r\n"
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8"))
    result = run(path)
    assert result.returncode == 0
    flags = check_lines(result.stdout, body)  # offsets count the \r characters: the text as decoded
    assert any(f["exact"] == "In 2019, 4,000 workers moved." for f in flags)
    assert any(f["exact"] == "voluntarily" for f in flags)


def test_non_ascii_text_round_trips(tmp_path):
    body = "So-called “focus groups (重点群体)” were monitored in 2023 by 400,000 cadres."
    path = tmp_path / "zh.txt"
    path.write_text(body, encoding="utf-8")
    flags = check_lines(run(path).stdout, body)
    assert flags and all(body[f["start"]:f["end"]] == f["exact"] for f in flags)


def test_empty_file_prints_nothing(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    result = run(path)
    assert result.returncode == 0 and result.stdout == b""


def test_unreadable_input_is_an_error_on_stderr(tmp_path):
    missing = run(tmp_path / "nope.txt")
    assert missing.returncode == 2 and missing.stdout == b"" and b"nope.txt" in missing.stderr
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Caf\xe9".encode("latin-1"))
    result = run(bad)
    assert result.returncode == 2 and result.stdout == b"" and b"UTF-8" in result.stderr


def test_kind_filter(tmp_path):
    path = ROOT / "seeds" / "news-600000-uyghurs.txt"
    result = run(path, "--kind", "framing")
    assert {json.loads(l)["kind"] for l in result.stdout.decode().splitlines()} == {"framing"}


def test_make_detect_prints_the_same_lines():
    makefile = ROOT / "Makefile"
    if not shutil.which("make") or not re.search(r"(?m)^detect:.*\n\t", makefile.read_text()):
        pytest.skip("the Makefile has no 'detect' recipe yet (the lead wires it)")
    path = ROOT / "seeds" / "news-600000-uyghurs.txt"
    made = subprocess.run(["make", "-s", "detect", f"FILE={path}"], capture_output=True, cwd=ROOT)
    assert made.returncode == 0, made.stderr.decode()
    assert made.stdout == run(path).stdout
