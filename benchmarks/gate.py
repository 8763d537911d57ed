"""The gate: on every gold set, how many labelled stances (stance != none) it would keep from the classifier
(target: none), and on real news how many statements it saves the transformer.

    python benchmarks/gate.py [--bbc-sample 300] [--out benchmarks/results/gate.json]

Gold sets: the gold articles of every MeetStance split, and the stand-off labels on BBC articles (`real`).
Each gold statement is checked with the pipeline's own gate (`Analyzer.gate_scores`) on the parsed article.
The context width (2 sentences) was chosen on train and validation only.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpora import bbc  # noqa: E402

import stance  # noqa: E402
from stance import datasets  # noqa: E402
from stance.types import Statement  # noqa: E402


def gold_sets() -> dict[str, list[tuple[str, list[Statement]]]]:
    """(article text, labelled statements) per gold set."""
    arts = datasets.load("meetstance", articles=True)
    sets = {split: [(a["text"], [Statement.from_dict(s) for s in json.loads(a["statements"])]) for a in arts[split]]
            for split in arts}
    texts = {a["id"]: a["text"] for a in bbc()}
    by_doc: dict[str, list[Statement]] = defaultdict(list)
    for line in (Path(datasets.meetstance.__file__).resolve().parents[2] / "data" / "meetstance" / "real"
                 / "bbc.jsonl").read_text().splitlines():
        r = json.loads(line)
        doc = f"bbc/{r['doc']}"
        by_doc[doc].append(Statement(texts[doc][r["start"]:r["end"]], r["start"], r["end"], r["kind"] or "direct",
                                     stance=r["stance"]))
    sets["real"] = [(texts[doc], stmts) for doc, stmts in sorted(by_doc.items())]
    return sets


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--bbc-sample", type=int, default=300, help="BBC articles for the share sent on (every k-th)")
    ap.add_argument("--out", default=str(Path(__file__).parent / "results" / "gate.json"))
    args = ap.parse_args()
    pipeline = stance.load("rules")
    analyzer, nlp = pipeline.analyzer, pipeline.nlp
    out: dict[str, dict] = {}
    for name, arts in gold_sets().items():
        labelled = lost = nones = nones_gated = 0
        for doc, (_, stmts) in zip(nlp.pipe(t for t, _ in arts), arts):
            for s, level in zip(stmts, analyzer.gate_scores(doc, stmts)):
                passes = level is not None
                if s.stance == "none":
                    nones, nones_gated = nones + 1, nones_gated + (not passes)
                else:
                    labelled, lost = labelled + 1, lost + (not passes)
        out[name] = {"labelled_stances": labelled, "lost": lost, "none_statements": nones, "none_gated": nones_gated}
        print(name, out[name], flush=True)
    articles = bbc()[::max(1, len(bbc()) // max(1, args.bbc_sample))][:args.bbc_sample]
    found = sent = 0
    for a in articles:
        statements, pending = analyzer.find(nlp(a["text"]))
        found, sent = found + len(statements), sent + len(pending)
    out["bbc_sample"] = {"articles": len(articles), "statements": found, "sent_to_classifier": sent,
                         "share_sent": round(sent / max(1, found), 3)}
    print("bbc_sample", out["bbc_sample"])
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
