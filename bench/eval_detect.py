"""Sentence-level quality of the machine flags against the hand-labelled set.

    .venv/bin/python bench/eval_detect.py                  # held-out, unseen documents, then train
    .venv/bin/python bench/eval_detect.py --split train --errors uncited   # for tuning: train only
    .venv/bin/python bench/eval_detect.py --json           # the figures as JSON

The labelled set is ``tests/detect/labelled.jsonl`` (rules in ``tests/detect/LABELLING.md``).
A sentence counts as flagged for a kind when any flag of that kind overlaps it.  Precision,
recall and F1 are reported per kind, overall and per stance group (PRC-aligned: 001 white
paper and 003 SWUPL survey; critical: 004 Zenz), with a 95% bootstrap interval (resampling
whole paragraphs, 2000 draws, fixed seed) because the critical group is small.

``tests/detect/unseen.jsonl`` labels, by the same guide, the two sources never used while the
rules were written (000 Baichuan, PRC-aligned; 002 news article, critical) — the "sixth source"
case.  They were labelled after the rules were frozen and are reported as the ``unseen`` split.

``tests/detect/second_labels.jsonl`` holds a second, independent labelling of the held-out and
unseen sentences, made from the guide alone without sight of the first labels.  The
``agreement`` section compares the two labellers (Cohen's kappa, and F1 of one against the
other) and scores the detector against each: how close the detector comes to a labeller, next
to how close two labellers come to each other.

``--errors`` lists the sentences the detector gets wrong, and is refused for the held-out and
unseen splits: rules are tuned on ``train`` only.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "hooks"))

from reading_room.detect.rules import detect  # noqa: E402

LABELS = ROOT / "tests" / "detect" / "labelled.jsonl"
UNSEEN = ROOT / "tests" / "detect" / "unseen.jsonl"
SECOND = ROOT / "tests" / "detect" / "second_labels.jsonl"
SEEDS = ROOT / "seeds"
KINDS = ("uncited", "framing")
GROUPS = {"all": None, "prc": "prc", "critical": "critical"}
TARGETS = {"uncited": 0.7, "framing": 0.6}
MAX_GAP = 0.1


def load_labels(path: Path = LABELS) -> tuple[dict, list[dict]]:
    meta, records = {}, []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        if "_meta" in rec:
            meta = rec["_meta"]
        else:
            records.append(rec)
    return meta, records


def predictions(records: list[dict], seeds: Path = SEEDS) -> dict[str, dict[str, bool]]:
    """record id → {kind: flagged?}"""
    by_slug = defaultdict(list)
    for r in records:
        by_slug[r["slug"]].append(r)
    out = {}
    for slug, recs in by_slug.items():
        text = (seeds / f"{slug}.txt").read_bytes().decode("utf-8-sig")
        flags = detect(text)
        for r in recs:
            assert text[r["start"]:r["end"]] == r["text"], f"{r['id']}: label text no longer matches the seed"
            out[r["id"]] = {
                kind: any(f.kind == kind and f.start < r["end"] and r["start"] < f.end for f in flags)
                for kind in KINDS
            }
            hits = [f for f in flags if f.start < r["end"] and r["start"] < f.end]
            out[r["id"]]["strength"] = next((f.strength for f in hits if f.kind == "uncited"), None)
            out[r["id"]]["rules"] = {kind: [f.rule for f in hits if f.kind == kind] for kind in KINDS}
    return out


def prf(pairs) -> dict:
    tp = sum(1 for gold, pred in pairs if gold and pred)
    fp = sum(1 for gold, pred in pairs if not gold and pred)
    fn = sum(1 for gold, pred in pairs if gold and not pred)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "n": len(pairs), "precision": p, "recall": r, "f1": f}


def bootstrap_f1(units: list[list[tuple[bool, bool]]], draws: int = 2000, seed: int = 11) -> tuple[float, float]:
    """95% interval of F1, resampling units (paragraphs) with replacement."""
    if not units:
        return 0.0, 0.0
    rng = random.Random(seed)
    values = []
    for _ in range(draws):
        pairs = [p for _ in units for p in units[rng.randrange(len(units))]]
        values.append(prf(pairs)["f1"])
    values.sort()
    return values[int(0.025 * draws)], values[int(0.975 * draws) - 1]


def evaluate(records: list[dict], preds: dict, split: str, ci: bool = True) -> dict:
    out = {}
    chosen = [r for r in records if r["split"] == split]
    for gname, stance in GROUPS.items():
        recs = [r for r in chosen if stance is None or r["stance"] == stance]
        out[gname] = {}
        for kind in KINDS:
            pairs = [(r[kind], preds[r["id"]][kind]) for r in recs]
            res = prf(pairs)
            if ci:
                paras = defaultdict(list)
                for r in recs:
                    paras[(r["slug"], r["paragraph_start"])].append((r[kind], preds[r["id"]][kind]))
                res["f1_ci95"] = bootstrap_f1(list(paras.values()))
            if kind == "uncited":
                both = [r for r in recs if r["uncited"] and preds[r["id"]]["uncited"]]
                res["strength_agreement"] = (
                    sum(1 for r in both if r["strength"] == preds[r["id"]]["strength"]) / len(both) if both else 0.0)
            res["positives"] = sum(1 for r in recs if r[kind])
            out[gname][kind] = res
    return out


def report(name: str, figures: dict) -> str:
    lines = [f"== {name} =="]
    lines.append(f"{'group':10} {'kind':8} {'n':>4} {'pos':>4} {'P':>6} {'R':>6} {'F1':>6}  95% CI (F1)     target")
    for gname, kinds in figures.items():
        for kind, res in kinds.items():
            ci = "[{:.2f}, {:.2f}]".format(*res["f1_ci95"]) if "f1_ci95" in res else "   (no CI)  "
            target = TARGETS[kind]
            ok = "ok" if res["f1"] >= target else "BELOW"
            lines.append(
                f"{gname:10} {kind:8} {res['n']:>4} {res['positives']:>4} {res['precision']:6.3f} {res['recall']:6.3f} "
                f"{res['f1']:6.3f}  {ci}   >= {target} {ok}"
            )
        if "uncited" in kinds:
            lines.append(f"{'':10} strength agrees on {kinds['uncited']['strength_agreement']:.0%} of the uncited sentences both flag")
    for kind in KINDS:
        gap = abs(figures["prc"][kind]["f1"] - figures["critical"][kind]["f1"])
        lines.append(f"stance gap {kind:8}: |F1(prc) - F1(critical)| = {gap:.3f}  (target <= {MAX_GAP}) "
                     f"{'ok' if gap <= MAX_GAP else 'ABOVE'}")
    return "\n".join(lines)


def cohen_kappa(pairs) -> float:
    """Agreement of two yes/no labellings beyond what their base rates give by chance."""
    n = len(pairs)
    if not n:
        return 0.0
    observed = sum(1 for a, b in pairs if a == b) / n
    a_yes = sum(1 for a, _ in pairs if a) / n
    b_yes = sum(1 for _, b in pairs if b) / n
    chance = a_yes * b_yes + (1 - a_yes) * (1 - b_yes)
    return (observed - chance) / (1 - chance) if chance < 1 else 1.0


def agreement(records: list[dict], second: dict[str, dict], preds: dict, split: str) -> dict:
    """Per group and kind: labeller A (labelled.jsonl) against labeller B (second_labels.jsonl),
    and the detector against each of them."""
    out = {}
    chosen = [r for r in records if r["split"] == split and r["id"] in second]
    for gname, stance in GROUPS.items():
        recs = [r for r in chosen if stance is None or r["stance"] == stance]
        out[gname] = {}
        for kind in KINDS:
            a_b = [(r[kind], second[r["id"]][kind]) for r in recs]
            a_det = [(r[kind], preds[r["id"]][kind]) for r in recs]
            out[gname][kind] = {
                "n": len(recs),
                "positives_a": sum(a for a, _ in a_b),
                "positives_b": sum(b for _, b in a_b),
                "kappa_a_b": cohen_kappa(a_b),
                "f1_b_vs_a": prf(a_b)["f1"],
                "f1_detector_vs_a": prf(a_det)["f1"],
                "f1_detector_vs_b": prf([(second[r["id"]][kind], preds[r["id"]][kind]) for r in recs])["f1"],
                "kappa_detector_a": cohen_kappa(a_det),
            }
    return out


def agreement_report(name: str, figures: dict) -> str:
    lines = [f"== agreement, {name} (A = labelled.jsonl, B = second_labels.jsonl) =="]
    lines.append(f"{'group':10} {'kind':8} {'n':>4} {'A+':>4} {'B+':>4} {'kappa A,B':>9} {'F1 B~A':>7} "
                 f"{'F1 det~A':>8} {'F1 det~B':>8} {'kappa det,A':>11}")
    for gname, kinds in figures.items():
        for kind, res in kinds.items():
            lines.append(
                f"{gname:10} {kind:8} {res['n']:>4} {res['positives_a']:>4} {res['positives_b']:>4} "
                f"{res['kappa_a_b']:9.3f} {res['f1_b_vs_a']:7.3f} {res['f1_detector_vs_a']:8.3f} "
                f"{res['f1_detector_vs_b']:8.3f} {res['kappa_detector_a']:11.3f}")
    for kind in KINDS:
        gaps = {who: abs(figures["prc"][kind][key] - figures["critical"][kind][key])
                for who, key in (("B~A", "f1_b_vs_a"), ("det~A", "f1_detector_vs_a"), ("det~B", "f1_detector_vs_b"))}
        lines.append(f"stance gap {kind:8}: " + ", ".join(f"{who} {gap:.3f}" for who, gap in gaps.items()))
    return "\n".join(lines)


def load_second(path: Path = SECOND) -> dict[str, dict]:
    return {r["id"]: r for r in load_labels(path)[1]} if path.exists() else {}


def errors(records: list[dict], preds: dict, kind: str, split: str) -> str:
    lines = []
    for r in records:
        if r["split"] != split:
            continue
        gold, pred = r[kind], preds[r["id"]][kind]
        if gold == pred:
            continue
        tag = "FN" if gold else "FP"
        extra = r["strength"] if kind == "uncited" else ",".join(r["techniques"])
        fired = ",".join(preds[r["id"]]["rules"][kind])
        lines.append(f"{tag} {r['slug'][:5]}@{r['start']} [{extra}] {fired} | {' '.join(r['text'].split())[:200]}")
    return "\n".join(sorted(lines))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=["heldout", "unseen", "train", "both"], default="both",
                        help="'both' (the default) reports held-out, unseen and train")
    parser.add_argument("--errors", choices=KINDS, help="list wrong sentences (train split only)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-ci", action="store_true", help="skip the bootstrap intervals (faster)")
    args = parser.parse_args(argv)
    meta, records = load_labels()
    if UNSEEN.exists():
        records = records + load_labels(UNSEEN)[1]
    preds = predictions(records)
    splits = ["heldout", "unseen", "train"] if args.split == "both" else [args.split]
    if args.errors:
        if args.split != "train":
            print("--errors is for tuning and shows train sentences only: add --split train", file=sys.stderr)
            return 2
        print(errors(records, preds, args.errors, "train"))
        return 0
    results = {s: evaluate(records, preds, s, ci=not args.no_ci) for s in splits}
    second = load_second()
    agreed = {s: agreement(records, second, preds, s) for s in splits
              if any(r["split"] == s and r["id"] in second for r in records)}
    if args.json:
        if agreed:
            results["agreement"] = agreed
        print(json.dumps(results, indent=2))
        return 0
    print(f"labelled sentences: {len(records)}; split rule: {meta.get('split_rule', '')}")
    print("stance groups: prc = 001 white paper, 003 SWUPL survey (unseen: 000 Baichuan); "
          "critical = 004 Zenz (unseen: 002 news article)")
    for s in splits:
        print()
        print(report(f"{s} split", results[s]))
    for s, figures in agreed.items():
        print()
        print(agreement_report(f"{s} split", figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
