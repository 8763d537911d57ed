"""Error analysis of the end-to-end run on MeetStance gold articles (train or validation; never tune on test).

Each gold statement is matched to the predicted statements that overlap it and counted as ``ok`` (a
prediction has the gold speaker and stance), ``speaker`` (right stance, wrong speaker), ``stance`` (right
speaker, another stance), ``both``, or ``miss`` (no overlapping prediction); a ``_goldnone`` suffix marks
gold ``none`` statements. Predictions with a stance that overlap no gold statement count as ``extra``.
``stance_errors_other_span`` counts the ``stance`` errors (either kind) whose prediction with the gold speaker
covers other words than the gold statement: the classifier saw another span than the annotator marked.

    python benchmarks/e2e_errors.py --split validation [--out errors.txt] [--no-gate]
"""
from __future__ import annotations

import argparse
import json
import re
from collections import Counter

import stance
from stance.datasets import meetstance
from stance.evaluate import alias_map, speaker_key, end_to_end
from stance.types import Statement


def category(gold: Statement, preds: list[tuple[str, str]], speaker: str) -> str:
    if not preds:
        cat = "miss"
    elif (speaker, gold.stance) in preds:
        return "ok"
    elif any(p[0] == speaker for p in preds):
        cat = "stance"
    elif any(p[1] == gold.stance for p in preds):
        cat = "speaker"
    else:
        cat = "both"
    return cat + "_goldnone" if gold.stance == "none" else cat


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="validation", choices=["train", "validation"])
    ap.add_argument("--out", default=None, help="write every error, with gold and predicted statements, here")
    ap.add_argument("--no-gate", action="store_true")
    ap.add_argument("--model", default=None, help="model directory (default: the shipped model)")
    args = ap.parse_args()
    articles = list(meetstance.load(articles=True)[args.split])
    pipe = stance.load(args.model, gate=not args.no_gate)
    counts: Counter[str] = Counter()
    lines: list[str] = []
    for a, r in zip(articles, pipe.pipe({"id": x["id"], "text": x["text"]} for x in articles)):
        canon = alias_map(json.loads(a.get("entities") or "{}"))
        lines.append(f"== {a['id']}")
        used: set[int] = set()
        for g in (Statement.from_dict(s) for s in json.loads(a["statements"])):
            near = [i for i, p in enumerate(r.statements) if min(g.end, p.end) > max(g.start, p.start)]
            used.update(near)
            preds = [(speaker_key(r.statements[i].speaker, canon), r.statements[i].stance) for i in near]
            gold_speaker = speaker_key(g.speaker, canon)
            cat = category(g, preds, gold_speaker)
            counts[cat] += 1
            if cat.startswith("stance"):
                own = next(r.statements[i] for i, (speaker, _) in zip(near, preds) if speaker == gold_speaker)
                counts["stance_errors_other_span"] += _words(own.text) != _words(g.text)
            if cat != "ok":
                lines.append(f"[{cat}] gold {g.speaker}/{g.stance}: {g.text!r}")
                lines += [f"    pred {r.statements[i].speaker}/{r.statements[i].stance} ({r.statements[i].kind}): "
                          f"{r.statements[i].text!r}" for i in near]
        for i, p in enumerate(r.statements):
            if i not in used and p.stance != "none":
                counts["extra"] += 1
                lines.append(f"[extra] pred {p.speaker}/{p.stance} ({p.kind}): {p.text!r}")
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
    scores = end_to_end(pipe, articles)
    print(json.dumps({"split": args.split, "gold_statements": sum(v for k, v in counts.items()
                                                                  if k not in {"extra", "stance_errors_other_span"}),
                      "categories": dict(sorted(counts.items())), **scores}, indent=2))


if __name__ == "__main__":
    main()
