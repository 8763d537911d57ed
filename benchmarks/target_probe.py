"""How much a classifier leans on whether a statement has a target: macro-F1 on MeetStance gold spans with
the gold targets, with none, with the targets shuffled among the statements that have one, and with every
statement given a target (those without one get another statement's), and with the targets the pipeline's
target finder gives each statement alone ("found", ``attribute.targets.bare_targets``). Gold vs shuffled
shows how much the counterpart's identity matters, gold vs none and filled how much its mere presence does;
the target finder names a target for many `none` statements and misses implied counterparts, so a model
that leans on presence loses end to end ("found" is the closest of these to what the pipeline feeds it).
"presence" counts where found and gold targets differ in presence.

    python benchmarks/target_probe.py [--model DIR] [--splits validation test]
"""
from __future__ import annotations

import argparse
import json
import random

import stance
from stance import datasets
from stance.attribute import load_aliases
from stance.attribute.targets import bare_targets
from stance.evaluate import evaluate_classifier
from stance.parse import load_nlp


def variants(split, rng: random.Random, nlp) -> dict:
    """The split with its target column replaced five ways."""
    gold = list(split["target"])
    pool = [t for t in gold if t]
    shuffled = iter(rng.sample(pool, len(pool)))
    columns = {"gold": gold, "none": [""] * len(gold),
               "shuffled": [next(shuffled) if t else "" for t in gold],
               "filled": [t or rng.choice(pool) for t in gold] if pool else gold,
               "found": [t or "" for t in bare_targets(nlp, split["text"], [s or None for s in split["speaker"]],
                                                        load_aliases())]}
    return {k: split.remove_columns("target").add_column("target", v) for k, v in columns.items()}


def presence(split, found: list[str]) -> dict[str, int]:
    """Where the found targets differ from the gold ones in presence: stance-bearing statements with a gold
    target and none found, and `none` statements with no gold target and one found."""
    none = split.features["label"].names.index("none")
    rows = list(zip(split["label"], split["target"], found))
    return {"stance_bearing": sum(y != none for y, _, _ in rows),
            "stance_bearing_gold_target_none_found": sum(y != none and bool(g) and not f for y, g, f in rows),
            "none": sum(y == none for y, _, _ in rows),
            "none_no_gold_target_one_found": sum(y == none and not g and bool(f) for y, g, f in rows)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=None, help="model directory (default: the shipped model)")
    ap.add_argument("--splits", nargs="+", default=["validation", "test"])
    args = ap.parse_args()
    data, clf, nlp = datasets.load("meetstance"), stance.load_classifier(args.model), load_nlp()
    out = {}
    for name in args.splits:
        runs = variants(data[name], random.Random(13), nlp)
        out[name] = {k: round(evaluate_classifier(clf, v).macro_f1, 4) for k, v in runs.items()}
        out[name]["presence"] = presence(data[name], runs["found"]["target"])
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
