"""``checks:``: every count, sum and percentage a note states about the room's own text is
recomputed from the seed, and a wrong or malformed check is a problem naming file and line."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import build, make_project

from reading_room.checks import agrees, compute, parse_checks
from reading_room.errors import Problems
from reading_room.room import load_room

SEED = ("A Test Source\n\nThe coercive plan was coercive; coercion followed. 1.05 million of 3.05 million moved.\n\n"
        "A second paragraph says coercive once, and 27,600 and 38,000.\n")
ROOT = Path(__file__).resolve().parents[1]


def room_with(tmp_path, checks: str):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "annotations").mkdir()
    (tmp_path / "seeds" / "test.txt").write_text(SEED)
    (tmp_path / "seeds" / "test.meta.yml").write_text("title: A Test Source\n")
    (tmp_path / "annotations" / "test.yml").write_text(
        "annotations:\n"
        "  - id: t-count\n"
        "    kind: framing\n"
        "    technique: repetition\n"
        "    quote: \"The coercive plan\"\n"
        "    note: \"Counts.\"\n"
        "    checks:\n" + checks)
    return load_room(tmp_path, machine_flags=False)


def messages(room):
    return [str(p) for p in room.problems]


def test_right_checks_pass(tmp_path):
    room = room_with(tmp_path, '      - {count: "(?i)\\\\bcoerc(?:ive|ion)\\\\b", equals: 4}\n'
                               '      - {count: "coercive", within: paragraph, equals: 2}\n'
                               '      - {percent: ["1.05", "3.05"], equals: 34.4}\n'
                               '      - {sum: ["27,600", "38,000"], equals: "65,600"}\n'
                               '      - {difference: ["38,000", "27,600"], equals: 10400}\n')
    assert messages(room) == []
    note = room.notes[0]
    assert [c.operation for c in note.checks] == ["count", "count", "percent", "sum", "difference"]
    assert note.checks[0].line == 8 and note.checks[0].equals == "4"


@pytest.mark.parametrize("check, expected", [
    ('{count: "coercive", equals: 25}', r"states 25, but the count of /coercive/ in test gives 3"),
    ('{count: "coercive", within: paragraph, equals: 3}', r"in the paragraph of its quote gives 2"),
    ('{percent: ["1.05", "3.05"], equals: 34.5}', r"states 34.5, but the percent of 1.05, 3.05 in test gives 34.426"),
    ('{sum: ["27,600", "38,001"], equals: 65601}', r"'38,001' does not occur in the source"),
    ('{sum: ["27,600"], equals: 1, source: nowhere}', r"names source 'nowhere', which is not in the room"),
])
def test_wrong_check_names_file_line_and_both_values(tmp_path, check, expected):
    import re

    found = messages(room_with(tmp_path, f"      - {check}\n"))
    assert len(found) == 1 and found[0].startswith("annotations/test.yml:8: note 't-count'"), found
    assert re.search(expected, found[0]), found


@pytest.mark.parametrize("check, expected", [
    ('{count: "x", sum: ["1"], equals: 1}', "exactly one of count, sum, difference, percent (found count, sum)"),
    ('{equals: 1}', "exactly one of count, sum, difference, percent (found none)"),
    ('{count: "x", equals: many}', "needs 'equals:' with the number the note states, found 'many'"),
    ('{count: "x", equals: 1, times: 2}', "unknown check field 'times'"),
    ('{count: "(unclosed", equals: 1}', "is not a valid regular expression"),
    ('{count: "(a+)+", equals: 1}', "repeats a group that itself repeats"),
    ('{count: "x*", equals: 1}', "matches empty text"),
    ('{percent: ["1"], equals: 1}', "must be a list [part, whole]"),
    ('{sum: ["1.05 million"], equals: 1}', "'1.05 million' is not a figure"),
    ('{count: "x", within: chapter, equals: 1}', "'within' must be 'source' or 'paragraph'"),
    ('"count coercive"', "each check must be a mapping"),
])
def test_malformed_check_is_a_message_never_a_traceback(tmp_path, check, expected):
    room = room_with(tmp_path, f"      - {check}\n")
    found = messages(room)
    assert len(found) == 1 and expected in found[0] and "annotations/test.yml:" in found[0], found
    assert [n.id for n in room.notes] == ["t-count"] and room.notes[0].checks == ()  # shown, without the bad check


def test_checks_not_a_list(tmp_path):
    found = messages(room_with(tmp_path, "      count: coercive\n"))
    assert len(found) == 1 and "'checks' must be a list" in found[0] and "annotations/test.yml:8" in found[0]


def test_rounding_follows_the_stated_decimals():
    assert agrees(compute_value(1.05, 3.05), "34.4") and agrees(compute_value(1.05, 3.05), "34")
    assert agrees(compute_value(1.05, 3.05), "34.43") and not agrees(compute_value(1.05, 3.05), "34.42")
    assert agrees(compute_value(157, 1606), "9.8")


def compute_value(part, whole):
    from reading_room.checks import Check

    value, why = compute(Check("percent", "0", 1, figures=(str(part), str(whole))), f"{part} {whole}")
    assert why == ""
    return value


def test_a_figure_is_not_found_inside_a_longer_number():
    from reading_room.checks import Check

    value, why = compute(Check("sum", "1", 1, figures=("1.05",)), "21.05 and 1.055")
    assert value is None and "does not occur" in why


def test_count_is_bounded_on_a_10_mb_seed():
    from reading_room.checks import Check

    text = "coercive labour " * 650_000  # ~10 MB
    started = time.perf_counter()
    value, _ = compute(Check("count", "0", 1, pattern="(?i)\\bcoerc(?:ive|ion)\\b"), text)
    assert value == 650_000 and time.perf_counter() - started < 5


def test_parse_checks_without_a_list_node_reports_instead_of_raising():
    problems = Problems()
    assert parse_checks({"count": "x"}, None, "a.yml", 3, "note 'n'", "n", problems) == ()
    assert "a.yml:3" in str(problems.items[0])


def test_wrong_check_fails_the_strict_build(tmp_path):
    seeds = {"test.txt": SEED, "test.meta.yml": "title: A Test Source\n"}
    notes = ("annotations:\n  - id: t-count\n    kind: framing\n    technique: repetition\n"
             "    quote: \"The coercive plan\"\n    note: \"'Coercive' appears 25 times.\"\n"
             "    checks:\n      - {count: coercive, equals: 25}\n")
    project = make_project(tmp_path, seeds=seeds, annotations={"test.yml": notes})
    result = build(project, tmp_path / "site")
    out = result.stdout + result.stderr
    assert result.returncode != 0 and "annotations/test.yml:8" in out and "states 25" in out
    assert "Traceback" not in out


def test_every_check_in_the_room_holds():
    room = load_room(ROOT, machine_flags=False)
    checked = [n for n in room.notes if n.checks]
    assert checked, "the room's notes state counts; they carry checks"
    wrong = [str(p) for p in room.problems if "check" in p.message or "states" in p.message]
    assert wrong == []
