"""Evaluate classifiers on a MeetStance split: the shipped model against the rule baseline.

    python examples/evaluate.py [--split validation] [--model DIR]
"""
import argparse

import stance
from stance import datasets
from stance.evaluate import evaluate_classifier

ap = argparse.ArgumentParser(description=__doc__)
ap.add_argument("--split", default="validation", help="train, validation, test, test_unseen or real")
ap.add_argument("--model", default=None, help="model directory (default: the shipped model)")
args = ap.parse_args()

split = datasets.load("meetstance")[args.split]
for name in (args.model or "shipped model", "rules"):
    report = evaluate_classifier(stance.load_classifier(None if name == "shipped model" else name), split)
    print(f"== {name} on meetstance/{args.split} ({len(split)} statements)")
    print(report.table())
