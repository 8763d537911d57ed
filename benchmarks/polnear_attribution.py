"""Attribution quality on PolNeAR (real 2016 US political news, brat stand-off Source/Cue/Content spans).

Content-span precision/recall/F1: a gold Content is found when predicted statements cover >= 50% of its
characters; a predicted statement is correct when >= 50% of its characters lie inside gold Contents.
Source accuracy: over found gold attributions, the share whose best-covering predicted statement has a
speaker mention overlapping the gold Source span. Spans do not depend on the stance classifier, so the
rule baseline is used (same segmentation and attribution as the default model).

    python benchmarks/polnear_attribution.py [--split validation] [--path ../shared/benchmarks/polnear]
"""
from __future__ import annotations

import argparse
import json
import time

import stance
from stance import datasets
from stance.metrics import prf


def chars(spans) -> set[int]:
    return {i for s in spans for i in range(s["start"], s["end"])}


def score(articles, results) -> dict[str, float]:
    found = gold_n = correct = pred_n = source_ok = 0
    for art, res in zip(articles, results):
        gold_contents = [chars(a["content"]) for a in art["attributions"]]
        all_gold = set().union(*gold_contents) if gold_contents else set()
        preds = [(set(range(s.start, s.end)), s) for s in res.statements]
        covered = set().union(*(p for p, _ in preds)) if preds else set()
        for p, _ in preds:
            pred_n += 1
            correct += len(p & all_gold) >= 0.5 * max(1, len(p))
        for a, g in zip(art["attributions"], gold_contents):
            gold_n += 1
            if len(g & covered) >= 0.5 * max(1, len(g)):
                found += 1
                best = max(preds, key=lambda ps: len(ps[0] & g))[1]
                src = chars(a["source"])
                m = best.speaker_mention
                source_ok += bool(m and src & set(range(m.start, m.end)))
    precision, _, _ = prf(correct, pred_n - correct, 0)
    recall = found / gold_n if gold_n else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "source_accuracy": source_ok / max(1, found),
            "gold_attributions": gold_n, "predicted_statements": pred_n}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--split", default="validation", help="PolNeAR split (validation = dev); never tune on test")
    ap.add_argument("--path", default=None)
    args = ap.parse_args()
    arts = datasets.load("polnear", args.path)[args.split]
    nlp = stance.load("rules")
    t0 = time.perf_counter()
    results = list(nlp.pipe({"id": a["id"], "text": a["text"]} for a in arts))
    out = score(arts, results)
    out.update(split=args.split, articles=len(arts), seconds=round(time.perf_counter() - t0, 1))
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
