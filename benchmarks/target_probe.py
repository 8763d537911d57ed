"""How much a classifier leans on whether a statement has a target: macro-F1 on MeetStance gold spans with
the gold targets, with none, with the targets shuffled among the statements that have one, and with every
statement given a target (those without one get another statement's). Gold vs shuffled shows how much the
counterpart's identity matters, gold vs none and filled how much its mere presence does; the pipeline's
target finder names a target for many `none` statements and misses implied counterparts, so a model that
leans on presence loses end to end.

    python benchmarks/target_probe.py [--model DIR] [--splits validation test]
"""
from __future__ import annotations

import argparse
import json
import random

import stance
from stance import datasets
from stance.evaluate import evaluate_classifier


def variants(split, rng: random.Random) -> dict:
    """The split with its target column replaced four ways."""
    gold = list(split["target"])
    pool = [t for t in gold if t]
    shuffled = iter(rng.sample(pool, len(pool)))
    columns = {"gold": gold, "none": [""] * len(gold),
               "shuffled": [next(shuffled) if t else "" for t in gold],
               "filled": [t or rng.choice(pool) for t in gold] if pool else gold}
    return {k: split.remove_columns("target").add_column("target", v) for k, v in columns.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=None, help="model directory (default: the shipped model)")
    ap.add_argument("--splits", nargs="+", default=["validation", "test"])
    args = ap.parse_args()
    data, clf = datasets.load("meetstance"), stance.load_classifier(args.model)
    out = {}
    for name in args.splits:
        runs = variants(data[name], random.Random(13))
        out[name] = {k: round(evaluate_classifier(clf, v).macro_f1, 4) for k, v in runs.items()}
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
