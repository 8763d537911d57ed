"""Engine throughput on a GPU (issue 4 §3): statements/s of our Engine alone (no spaCy) for the default model
and a 110M-parameter encoder, fp32 against bf16, over a sweep of batch size and token budget; the FLOPs per
statement (counted, see engine.py), the TFLOP/s reached against the card's dense peak, peak memory, and the
card. Target: >= 50,000 statements/s for the default model in bf16 on an H100.

The 110M encoder is ``BertForSequenceClassification(BertConfig())`` (bert-base shape, 4 labels) with random
weights: no such checkpoint can be downloaded here, and throughput does not depend on the weights. It reads
the default model's tokenizer (the same 30,522-word vocabulary) and input format, so both see the same inputs.

Statements come from ``engine.py --dump-statements`` (real news, hence a git-ignored file that must be
carried to the GPU machine); each configuration runs over them replicated to ``--n`` (steady state).

    python benchmarks/engine.py --dump-statements benchmarks/results/.cache/statements.jsonl   # with spaCy
    python benchmarks/gpu.py [--statements PATH] [--n 100000] [--compile] [--out benchmarks/results/gpu.json]
    python benchmarks/gpu.py --smoke   # CPU, our example article, tiny sweep: checks that the script runs
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import torch
from transformers import BertConfig, BertForSequenceClassification

sys.path.insert(0, str(Path(__file__).resolve().parent))
from engine import RESULTS, count_work, read_statements, timed  # noqa: E402  (it puts the repo on sys.path too)
from corpora import machine  # noqa: E402  (after engine, which puts the repo on sys.path)

from stance.classify.engine import resolve_device  # noqa: E402
from stance.classify.transformer import TransformerClassifier, encode_inputs  # noqa: E402
from stance.settings import DEFAULT_MODEL, REPO_DIR, EngineSettings  # noqa: E402
from stance.types import LABELS, Query  # noqa: E402

#: Dense peak TFLOP/s (bf16 tensor cores, fp32 without TF32), by a substring of the device name; first match.
PEAKS = (("H100 PCIe", {"bf16": 756, "fp32": 51}), ("H100 NVL", {"bf16": 835, "fp32": 60}),
         ("H100", {"bf16": 989, "fp32": 67}), ("H200", {"bf16": 989, "fp32": 67}),
         ("A100", {"bf16": 312, "fp32": 19.5}))
TARGET = 50_000
SMOKE_BERT = {"hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 2, "intermediate_size": 128}

Factory = Callable[[EngineSettings], TransformerClassifier]


def peak_tflops(device_name: str) -> dict[str, float] | None:
    return next((p for key, p in PEAKS if key in device_name), None)


def models(smoke: bool) -> dict[str, Factory]:
    """Classifier factories by name; each call builds a fresh model (the engine casts it in place)."""
    base = TransformerClassifier.load(DEFAULT_MODEL, EngineSettings(device="cpu"))

    def encoder(settings: EngineSettings) -> TransformerClassifier:
        torch.manual_seed(0)  # the same random weights for fp32 and bf16, so their labels compare
        config = BertConfig(num_labels=len(LABELS), id2label=dict(enumerate(LABELS)),
                            **(SMOKE_BERT if smoke else {}))
        return TransformerClassifier(BertForSequenceClassification(config).eval(), base.tokenizer, LABELS,
                                     base.input_format, settings=settings)

    return {"default (" + Path(DEFAULT_MODEL).name + ")": lambda s: TransformerClassifier.load(DEFAULT_MODEL, s),
            ("bert-tiny (smoke)" if smoke else "bert-base (110M, random weights)"): encoder}


def matmul_tflops(device: torch.device, dtype: torch.dtype, size: int = 8192, repeats: int = 10) -> float:
    """The card's measured dense matrix-product rate (median of ``repeats`` products on random data, after
    warm-up, timed with CUDA events): the ceiling our runs are compared with, beside the datasheet's."""
    a, b = (torch.randn(size, size, device=device, dtype=dtype) for _ in range(2))
    for _ in range(3):
        a @ b
    times = []
    for _ in range(repeats):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        a @ b
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end) / 1e3)
    return 2 * size**3 / sorted(times)[len(times) // 2] / 1e12


def device_info(device: torch.device) -> dict:
    if device.type != "cuda":
        return {"name": machine(), "type": device.type, "torch": torch.__version__, "peak_tflops": None}
    name = torch.cuda.get_device_name(device)
    return {"name": name, "type": "cuda", "host": machine(), "torch": torch.__version__, "cuda": torch.version.cuda,
            "capability": ".".join(map(str, torch.cuda.get_device_capability(device))),
            "memory_gib": torch.cuda.get_device_properties(device).total_memory / 2**30,
            "fp32_matmul_tf32": torch.backends.cuda.matmul.allow_tf32, "peak_tflops": peak_tflops(name),
            "measured_matmul_tflops": {"bf16": matmul_tflops(device, torch.bfloat16),
                                       "fp32": matmul_tflops(device, torch.float32)}}


def sweep(factory: Factory, base: list[Query], n: int, device: torch.device, dtypes: Sequence[str],
          batch_sizes: Sequence[int], budgets: Sequence[int], compile: bool) -> dict:
    """One model: the work per statement, then every (dtype, batch size, token budget) timed on n statements."""
    replicated = (base * (n // len(base) + 1))[:n]
    out: dict = {}
    labels: dict[str, list[int]] = {}
    runs = []
    for dtype in dtypes:
        clf = factory(EngineSettings(device=str(device), dtype=dtype, compile=compile))
        if "work" not in out:
            out["parameters"] = sum(p.numel() for p in clf.engine.model.parameters())
            plain = factory(dataclasses.replace(clf.engine.settings, compile=False)) if compile else clf
            work = count_work(plain, base)  # FLOPs do not depend on the dtype; counted on a plain module
            out["work"] = work.summary()
            out["work"]["counted_with"] = {"batch_size": clf.engine.settings.batch_size,
                                           "max_tokens": clf.engine.settings.max_tokens}
            # the host's share: tokenising alone (the tokenizer runs on the CPU before any batch reaches the GPU)
            texts, pairs = encode_inputs(replicated, clf.input_format)
            out["tokenise_statements_per_s"] = n / timed(lambda: clf.engine.encode(texts, pairs))[1]
        for batch_size in batch_sizes:
            for budget in budgets:
                # a sweep point changes only the batching, which the engine reads on every call
                clf.engine.settings = dataclasses.replace(clf.engine.settings, batch_size=batch_size, max_tokens=budget)
                warm = clf.logits(base).argmax(-1).tolist()  # warm-up (and compilation) on the base set
                labels.setdefault(dtype, warm)
                if device.type == "cuda":
                    torch.cuda.reset_peak_memory_stats(device)
                _, seconds = timed(lambda: clf.logits(replicated))
                rate = n / seconds
                runs.append({"dtype": dtype, "batch_size": batch_size, "max_tokens": budget,
                             "statements_per_s": rate, "tflops": rate * out["work"]["flops_per_statement"] / 1e12,
                             "peak_memory_mib": torch.cuda.max_memory_allocated(device) / 2**20
                             if device.type == "cuda" else None})
    out["runs"] = runs
    if "fp32" in labels and "bf16" in labels:
        out["bf16_label_agreement_with_fp32"] = sum(
            a == b for a, b in zip(labels["fp32"], labels["bf16"])) / len(base)
    return out


def smoke_statements() -> list[Query]:
    """Our own example article, one line a statement (no third-party text, no spaCy)."""
    text = (REPO_DIR / "examples" / "meeting.txt").read_text(encoding="utf-8")
    return [Query(line.strip()) for line in text.splitlines() if line.strip()]


def main(argv: Sequence[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--statements", default=str(RESULTS / ".cache" / "statements.jsonl"))
    ap.add_argument("--n", type=int, default=100_000, help="statements per timed run, default model")
    ap.add_argument("--n-large", type=int, default=20_000, help="statements per timed run, 110M encoder")
    ap.add_argument("--batch-sizes", type=int, nargs="+", default=[64, 128, 256, 512, 1024])
    ap.add_argument("--token-budgets", type=int, nargs="+", default=[8192, 16384, 32768, 65536])
    ap.add_argument("--dtypes", nargs="+", default=["fp32", "bf16"], choices=["fp32", "bf16", "fp16"])
    ap.add_argument("--device", default="auto")
    ap.add_argument("--compile", action="store_true", help="torch.compile the model (EngineSettings.compile)")
    ap.add_argument("--smoke", action="store_true", help="CPU, our example text, tiny models and sweep")
    ap.add_argument("--out", default=str(RESULTS / "gpu.json"))
    args = ap.parse_args(argv)
    if args.smoke:
        base, device = smoke_statements(), torch.device("cpu")
        args.n = args.n_large = len(base)
        args.batch_sizes, args.token_budgets = [4, 16], [2048]
    else:
        path = Path(args.statements)
        if not path.is_file():
            raise SystemExit(f"{path} not found: make it with engine.py --dump-statements {path}")
        base, device = read_statements(path), resolve_device(args.device)
        if not base:
            raise SystemExit(f"{path} holds no statements")
    info = device_info(device)
    res: dict = {"device": info, "statements": {"base": len(base), "n": args.n, "n_large": args.n_large},
                 "compile": args.compile, "models": {}}
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    peaks = info["peak_tflops"] or {}
    measured = info.get("measured_matmul_tflops") or {}
    for i, (name, factory) in enumerate(models(args.smoke).items()):
        model = res["models"][name] = sweep(factory, base, args.n if i == 0 else args.n_large, device,
                                            args.dtypes, args.batch_sizes, args.token_budgets, args.compile)
        for run in model["runs"]:
            peak = peaks.get(run["dtype"])
            run["pct_of_peak"] = 100 * run["tflops"] / peak if peak else None
            ceiling = measured.get(run["dtype"])
            run["pct_of_measured_matmul"] = 100 * run["tflops"] / ceiling if ceiling else None
        out.write_text(json.dumps(res, indent=2) + "\n")  # after each model, so a cut-short run keeps its part
    default = next(iter(res["models"].values()))
    best = max((r["statements_per_s"] for r in default["runs"] if r["dtype"] == "bf16"), default=None)
    # the H200 has the H100's compute (same chip, more memory): the target applies to both
    res["target"] = {"default_bf16_statements_per_s": TARGET, "on": "H100 or H200", "best": best,
                     "met": best >= TARGET if best is not None and ("H100" in info["name"] or "H200" in info["name"])
                     else None}
    out.write_text(json.dumps(res, indent=2) + "\n")
    report(res)
    print(f"-> {out}")
    return res


def report(res: dict) -> None:
    d = res["device"]
    print(f"{d['name']}" + (f" (host: {d['host']})" if "host" in d else "")
          + f", torch {d['torch']}, {res['statements']['base']} statements"
          + "".join(f", {k} matmul {v:.0f} TFLOP/s" for k, v in (d.get("measured_matmul_tflops") or {}).items()))
    for name, model in res["models"].items():
        w = model["work"]
        print(f"\n{name}: {model['parameters'] / 1e6:.1f}M parameters, {w['flops_per_statement'] / 1e9:.3f} GFLOP/"
              f"statement, {w['tokens_per_statement']:.1f} tokens ({w['padded_tokens_per_statement']:.1f} padded)"
              + f", tokenising alone {model['tokenise_statements_per_s']:,.0f} statements/s"
              + (f", bf16 label agreement with fp32 {model['bf16_label_agreement_with_fp32']:.4f}"
                 if "bf16_label_agreement_with_fp32" in model else ""))
        print(f"{'dtype':6} {'batch':>6} {'budget':>7} {'stmt/s':>10} {'TFLOP/s':>8} {'% peak':>7} {'MiB':>8}")
        for r in model["runs"]:
            pct = f"{r['pct_of_peak']:.1f}" if r["pct_of_peak"] is not None else "-"
            mem = f"{r['peak_memory_mib']:.0f}" if r["peak_memory_mib"] is not None else "-"
            print(f"{r['dtype']:6} {r['batch_size']:6} {r['max_tokens']:7} {r['statements_per_s']:10.0f} "
                  f"{r['tflops']:8.2f} {pct:>7} {mem:>8}")
    t = res["target"]
    print(f"\ntarget {t['default_bf16_statements_per_s']:,} statements/s (default model, bf16, {t['on']}): best "
          f"{t['best'] or 0:,.0f} -> {'met' if t['met'] else 'not met' if t['met'] is False else 'n/a on this device'}")


if __name__ == "__main__":
    main()
