"""Stance quality: majority class, the rule baseline and a fine-tuned model on every MeetStance split (with the
model's accuracy per source: article statements, standalone statements, ...), the end-to-end (speaker,
stance) score on the held-out gold articles (test, test_unseen, check) and on the train-only supplement
articles (written after the rules and the shipped model, so a fresh check of both), and optionally a
SemEval-2016 model on its test split. The fine-tuned model's macro-F1 and every end-to-end pair F1 come with
95% percentile bootstrap intervals over ``--bootstrap`` resamples of the documents (articles).

    python benchmarks/quality.py [--model models/meetstance-minilm] [--semeval-model DIR] [--bootstrap 1000]
"""
from __future__ import annotations

import argparse
import json

import stance
from stance import datasets
from stance.evaluate import end_to_end, evaluate_classifier, majority_report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", default=None, help="fine-tuned model directory (default: the shipped model)")
    ap.add_argument("--semeval-model", default=None, help="a model trained with `stance train --dataset semeval2016`")
    ap.add_argument("--bootstrap", type=int, default=1000, help="resamples for the intervals (0: none)")
    args = ap.parse_args()
    data = datasets.load("meetstance")
    rules, tuned = stance.load_classifier("rules"), stance.load_classifier(args.model)
    rows = []
    for split in data:
        maj = majority_report(data["train"], data[split])
        r = evaluate_classifier(rules, data[split])
        t = evaluate_classifier(tuned, data[split], bootstrap=args.bootstrap)
        rows.append({"split": split, "n": t.n, "majority": maj.macro_f1, "rules": r.macro_f1, "fine_tuned": t.macro_f1,
                     "fine_tuned_ci": t.intervals.get("macro_f1"),
                     "fine_tuned_accuracy": t.accuracy, "fine_tuned_ece": t.extra["ECE"],
                     "per_label_f1": {k: v["f1"] for k, v in t.per_label.items()},
                     "fine_tuned_accuracy_by_source": {
                         src: evaluate_classifier(tuned, data[split].filter(lambda x: x["source"] == src)).accuracy
                         for src in sorted(set(data[split]["source"]))}})
    arts = datasets.load("meetstance", articles=True)
    sets = {name: arts[name] for name in ("test", "test_unseen", "check") if name in arts}
    sets["train_supplement"] = arts["train"].filter(lambda a: a["id"].startswith("supp_art_"))
    e2e = {name: end_to_end(stance.load(args.model), a, bootstrap=args.bootstrap) for name, a in sets.items()}
    e2e_rules = {name: end_to_end(stance.load("rules"), a) for name, a in sets.items()}
    out = {"meetstance": rows, "end_to_end": e2e, "end_to_end_rules": e2e_rules}
    if args.semeval_model:
        sem = datasets.load("semeval2016")
        clf = stance.TransformerClassifier.load(args.semeval_model, labels=("none", "against", "favor"))
        rep = evaluate_classifier(clf, sem["test"], "semeval2016", bootstrap=args.bootstrap)
        out["semeval2016_test"] = {"F_avg": rep.extra["F_avg"], "macro_f1": rep.macro_f1, "accuracy": rep.accuracy,
                                   "F_avg_ci": rep.intervals.get("F_avg")}
    print(json.dumps(out, indent=2))
    print("\n| split | n | majority | rules | fine-tuned (95% interval) | accuracy | ECE |\n|---|---|---|---|---|---|---|")
    for r in rows:
        ci = f" ({r['fine_tuned_ci'][0]:.3f}-{r['fine_tuned_ci'][1]:.3f})" if r["fine_tuned_ci"] else ""
        print(f"| {r['split']} | {r['n']} | {r['majority']:.3f} | {r['rules']:.3f} | {r['fine_tuned']:.3f}{ci} | "
              f"{r['fine_tuned_accuracy']:.3f} | {r['fine_tuned_ece']:.3f} |")


if __name__ == "__main__":
    main()
