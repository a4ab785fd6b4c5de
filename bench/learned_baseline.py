"""What a learned framing classifier reaches on the labelled training sentences alone.

    .venv/bin/python bench/learned_baseline.py            # 5-fold, grouped by paragraph

The detector's framing rules are word lists and patterns; this script answers "would a model
learned from the same 580 training sentences do better?" without touching the held-out split.
It trains a bag-of-words logistic regression (words and word pairs, L2, plain SGD — no
dependency) on four fifths of ``train`` and scores the fifth, folds drawn by paragraph so that
neighbouring sentences never straddle a fold, and prints precision, recall and F1 per stance
group for a few regularisation strengths and thresholds.  Rerun it when more sentences are
labelled: the figure to beat is the rules' held-out F1 (``make eval-detect``).
"""

from __future__ import annotations

import argparse
import hashlib
import math
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_detect import load_labels, prf  # noqa: E402

WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def features(text: str) -> set[str]:
    words = WORD.findall(text.lower())
    return set(words) | {f"{a} {b}" for a, b in zip(words, words[1:])}


def fold_of(record: dict, folds: int) -> int:
    key = f"{record['slug']}:{record['paragraph_start']}".encode()
    return int(hashlib.sha256(key).hexdigest()[8:16], 16) % folds  # not the split's digits


def train(examples: list[tuple[set[str], bool]], l2: float, epochs: int = 30, rate: float = 0.3):
    weights: dict[str, float] = defaultdict(float)
    bias = 0.0
    rng = random.Random(0)
    examples = list(examples)
    for _ in range(epochs):
        rng.shuffle(examples)
        for feats, label in examples:
            z = max(-30.0, min(30.0, bias + sum(weights[f] for f in feats)))
            error = 1 / (1 + math.exp(-z)) - label
            for f in feats:
                weights[f] -= rate * (error + l2 * weights[f])
            bias -= rate * error
    return weights, bias


def score(model, feats: set[str]) -> float:
    weights, bias = model
    return bias + sum(weights.get(f, 0.0) for f in feats)


def cross_validate(records: list[dict], folds: int, l2: float, thresholds: list[float]) -> dict:
    """threshold → stance → (label, predicted) pairs over all folds."""
    out = {t: defaultdict(list) for t in thresholds}
    for k in range(folds):
        model = train([(features(r["text"]), r["framing"]) for r in records if fold_of(r, folds) != k], l2)
        for r in records:
            if fold_of(r, folds) == k:
                s = score(model, features(r["text"]))
                for t in thresholds:
                    out[t][r["stance"]].append((r["framing"], s > t))
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--l2", type=float, nargs="+", default=[0.0001, 0.001])
    parser.add_argument("--thresholds", type=float, nargs="+", default=[-3.0, -2.0, -1.0])
    args = parser.parse_args(argv)
    records = [r for r in load_labels()[1] if r["split"] == "train"]
    print(f"framing, {len(records)} train sentences, {args.folds}-fold cross-validation by paragraph")
    print(f"{'l2':>6} {'threshold':>9}  {'group':8} {'P':>6} {'R':>6} {'F1':>6}")
    for l2 in args.l2:
        results = cross_validate(records, args.folds, l2, args.thresholds)
        for t in args.thresholds:
            for stance in ("prc", "critical"):
                res = prf(results[t][stance])
                print(f"{l2:6g} {t:9g}  {stance:8} {res['precision']:6.3f} {res['recall']:6.3f} {res['f1']:6.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
