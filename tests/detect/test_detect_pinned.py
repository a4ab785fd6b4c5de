"""The detector's output, pinned: every flag's fields and every suggested note the page makes
of them, on the five seeds and on synthetic sources made from them (shuffled, re-wrapped,
repeated, hostile), as a digest per source.

Speed work on the detector (issue 17) must not change a single flag or note: these digests were
written by the code before that work.  Regenerate only after an intended change of what the
detector finds, with ``REGENERATE=1 .venv/bin/python -m pytest tests/detect/test_detect_pinned.py``,
and say why in the commit message.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
from dataclasses import asdict
from pathlib import Path

import pytest

from reading_room.anchor import Anchor, SourceText, match_quote
from reading_room.convert import convert
from reading_room.decode import decode_text
from reading_room.detect import detect
from reading_room.machine import machine_notes

ROOT = Path(__file__).resolve().parents[2]
PINNED = Path(__file__).with_name("pinned.json")
REGENERATE = os.environ.get("REGENERATE") == "1"


def _read(path: Path) -> str:
    return decode_text(path.read_bytes(), path.name).text


def corpus() -> dict[str, str]:
    """name -> text: the seeds as the room reads them, and sources made from them."""
    seeds = {p.stem: _read(p) for p in sorted((ROOT / "seeds").glob("*.txt"))}
    out = dict(seeds)
    paragraphs = [p for text in seeds.values() for p in text.split("\n\n") if p.strip()]
    for n in (1, 2, 3):  # as the bench makes them: a title, then shuffled paragraphs of all seeds
        rng = random.Random(n)
        chosen = rng.sample(paragraphs, min(len(paragraphs), 120 * n))
        out[f"shuffled-{n}"] = f"A Shuffled Source {n}\n\n" + "\n\n".join(chosen) + "\n"
    rng = random.Random(7)
    wrapped = []  # lines cut mid-sentence and paragraphs split as a PDF page break does
    for p in rng.sample(paragraphs, 150):
        words = p.split(" ")
        cut = rng.randrange(len(words)) if len(words) > 3 else 0
        wrapped.append(" ".join(words[:cut]) + ("\n\n" if rng.random() < 0.3 else "\n") + " ".join(words[cut:])
                       if cut else p)
    out["rewrapped"] = "A Re-wrapped Source\n\n" + "\n\n".join(wrapped) + "\n"
    # repeated text: every quote ambiguous, so the prefix/suffix search and the drops are pinned
    out["repeated"] = "A Repeated Source\n\n" + "\n\n".join([seeds["news-600000-uyghurs"]] * 3 + paragraphs[:40] * 2)
    echoed = []  # the same paragraphs in other words' company: a prefix or a suffix tells them apart
    for i, p in enumerate(rng.sample(paragraphs, 60)):
        echoed += [p, f"In account {i}, as told, {p}", f"{p} So ends account {i}."]
    out["echoed"] = "An Echoed Source\n\n" + "\n\n".join(echoed) + "\n"
    hostile = [_read(p) for p in sorted((ROOT / "tests" / "hostile" / "seeds").glob("*.txt"))
               if p.stat().st_size < 200_000 and _decodes(p)]
    out["hostile"] = "Hostile Pieces\n\n" + "\n\n".join(h for h in hostile if h.strip()) + "\n"
    return out


def _decodes(path: Path) -> bool:
    try:
        _read(path)
    except Exception:  # noqa: BLE001 - a fixture broken on purpose
        return False
    return True


def flags_digest(text: str) -> tuple[int, str]:
    flags = [f.to_dict() for f in detect(text)]
    return len(flags), hashlib.sha256(json.dumps(flags, ensure_ascii=False).encode()).hexdigest()


def notes_digest(name: str, text: str) -> tuple[int, int, str]:
    source_text = SourceText(convert(text, f"seeds/{name}.txt", name))
    notes, dropped = machine_notes(name, f"seeds/{name}.txt", text, source_text, None)
    rows = []
    for note in notes:
        anchor = match_quote(source_text, note.selector)
        assert isinstance(anchor, Anchor)
        rows.append([asdict(note), anchor.block_id, anchor.start, anchor.end])
    return len(notes), dropped, hashlib.sha256(json.dumps(rows, ensure_ascii=False, default=str).encode()).hexdigest()


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return corpus()


@pytest.fixture(scope="module")
def pinned(texts) -> dict:
    if REGENERATE or not PINNED.exists():
        doc = {}
        for name, text in texts.items():
            count, digest = flags_digest(text)
            notes, dropped, notes_hash = notes_digest(name, text)
            doc[name] = {"chars": len(text), "flags": count, "flags_sha256": digest,
                         "notes": notes, "dropped": dropped, "notes_sha256": notes_hash}
        PINNED.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
        if not REGENERATE:
            pytest.fail(f"{PINNED} was missing and has been written; check it in")
    return json.loads(PINNED.read_text(encoding="utf-8"))


NAMES = ["baichuan-migrant-workers", "news-600000-uyghurs", "swupl-field-survey", "white-paper-2020",
         "zenz-2024-forced-labor", "shuffled-1", "shuffled-2", "shuffled-3", "rewrapped", "repeated", "echoed", "hostile"]


def test_the_corpus_is_the_one_pinned(texts, pinned):
    assert sorted(texts) == sorted(NAMES) == sorted(pinned)
    assert {name: len(text) for name, text in texts.items()} == {name: p["chars"] for name, p in pinned.items()}


@pytest.mark.parametrize("name", NAMES)
def test_flags_are_the_pinned_ones(texts, pinned, name):
    count, digest = flags_digest(texts[name])
    assert (count, digest) == (pinned[name]["flags"], pinned[name]["flags_sha256"])


@pytest.mark.parametrize("name", NAMES)
def test_suggested_notes_are_the_pinned_ones(texts, pinned, name):
    notes, dropped, digest = notes_digest(name, texts[name])
    assert (notes, dropped, digest) == (pinned[name]["notes"], pinned[name]["dropped"], pinned[name]["notes_sha256"])
