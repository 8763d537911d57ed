"""Fine-tuning a stance classifier: ``stance train`` and ``stance.train.train``.

Seeded and reproducible on one kind of CPU or GPU (bf16 products differ between, say, AMX and AVX512-BF16,
and so do the models). Length-grouped batches, class-weighted cross-entropy, linear warm-up and decay, early stopping on
validation macro-F1, then temperature scaling fitted on validation (ECE before/after recorded). The saved
model is fp16 safetensors + tokenizer + ``stance.json``; ``TransformerClassifier.load`` reads it back.
"""
from __future__ import annotations

import json
import random
import sys
import time
import warnings
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer

from .classify.engine import resolve_device
from .classify.transformer import STANCE_CONFIG, TransformerClassifier, encode_inputs
from .io import follow_umask
from .metrics import classification_report, expected_calibration_error
from .settings import EngineSettings
from .types import Query


@dataclass
class TrainConfig:
    """What ``train`` fine-tunes (``base``: a model directory or hub name; ``stance.settings.base_encoder()``
    is the installed all-MiniLM-L6-v2, the default of ``stance train``), on what, and where it saves it."""

    base: str
    out: str
    dataset: str = "meetstance"
    input_format: str | None = None  # "pair" or "marked"; None: the base's when it is a stance model, else "pair"
    epochs: int = 8
    batch_size: int = 32
    lr: float = 1e-4
    weight_decay: float = 0.01
    warmup: float = 0.1
    max_length: int = 128
    patience: int = 2
    seed: int = 13
    device: str = "auto"
    dtype: str = "auto"  # autocast: auto is bf16 on CUDA, fp32 on the CPU; bf16 pays on CPUs with AMX
    max_steps: int = 0  # > 0: stop after this many optimiser steps (smoke runs)
    dataset_path: str | None = None
    target_noise: float = 0.0  # per epoch, this share of examples flips target presence (see ``_noisy``)
    found_targets: float = 0.0  # per epoch, this share of examples takes the target the pipeline finds (``_found``)
    pipeline_examples: bool = False  # add the pipeline's own queries for the gold train articles (``_pipeline_examples``)


_INVERSE_T_RANGE = (0.05, 20.0)  # 1/T: a temperature between 0.05 and 20


def _base_input_format(base: str) -> str | None:
    """The input format a stance model directory was trained on; None for any other base."""
    meta = Path(base) / STANCE_CONFIG
    return json.loads(meta.read_text()).get("input_format", "pair") if meta.is_file() else None


def _seed(seed: int) -> None:
    random.seed(seed)
    torch.manual_seed(seed)


def _queries(split) -> tuple[list[Query], list[int]]:
    return ([Query(t, s or None, g or None) for t, s, g in zip(split["text"], split["speaker"], split["target"])],
            list(split["label"]))


def _noisy(queries: list[Query], share: float, rng: random.Random) -> list[Query]:
    """Queries whose target presence says less about the label (nothing at ``share`` 0.5): in gold data a
    `none` statement mostly has no target, while the pipeline's target finder names one for many `none`
    statements and misses implied counterparts. A ``share`` of examples loses its target, or gains another
    example's target when it has none (none when the draw is its own speaker)."""
    pool = sorted({q.target for q in queries if q.target})
    if not share or not pool:
        return queries
    out = []
    for q in queries:
        if rng.random() < share:
            other = rng.choice(pool)
            q = Query(q.text, q.speaker, None if q.target else (other if other != q.speaker else None))
        out.append(q)
    return out


def _found(queries: list[Query], found: list[str | None], share: float, rng: random.Random) -> list[Query]:
    """Queries of which a ``share`` carry the target the pipeline's target finder gives the bare statement
    (``attribute.targets.bare_targets``) instead of the gold one: the model learns from targets as it will
    get them, which the gold annotation does not reproduce (it names a counterpart the statement only
    implies, and none for most `none` statements, while the finder names any other party)."""
    if share >= 1.0:
        return [Query(q.text, q.speaker, f) for q, f in zip(queries, found, strict=True)]
    return [Query(q.text, q.speaker, f) if rng.random() < share else q for q, f in zip(queries, found, strict=True)]


def _finder_targets(splits: list, share: float) -> list[list[str | None]]:
    if not share:
        return [[] for _ in splits]
    from .attribute import load_aliases
    from .attribute.targets import bare_targets
    from .parse import load_nlp

    nlp, aliases = load_nlp(), load_aliases()
    return [bare_targets(nlp, split["text"], [s or None for s in split["speaker"]], aliases) for split in splits]


def _pipeline_examples(articles, labels: list[str]) -> tuple[list[Query], list[int]]:
    """The queries the pipeline itself builds for gold articles (its spans, cues and found targets), so that the
    model learns from statements as it will get them. Each takes the stance of the gold statement that it
    overlaps by half of the shorter span and attributes to the same speaker; a query identical to that gold
    example adds nothing and is left out, and so is one that matches no gold statement (the gold articles miss
    a few statements, so no match does not mean `none`)."""
    from .evaluate import alias_map, speaker_key, overlaps
    from .parse import load_nlp
    from .pipeline import Analyzer
    from .types import Statement

    analysed, _ = Analyzer(load_nlp()).analyse([(i, {"id": a["id"], "text": a["text"]}) for i, a in enumerate(articles)])
    queries, y = [], []
    for a, done in zip(articles, analysed):
        gold = [Statement.from_dict(s) for s in json.loads(a["statements"])]
        canon = alias_map(json.loads(a["entities"]))
        for p in done.pending:
            s = p.statement
            match = next((g for g in gold if overlaps(g.start, g.end, s.start, s.end)
                          and speaker_key(g.speaker, canon) == speaker_key(s.speaker, canon)), None)
            if match is not None and (p.query.text, p.query.target) != (match.text, match.target):
                queries.append(p.query)
                y.append(labels.index(match.stance))
    return queries, y


def train(cfg: TrainConfig, data=None) -> dict[str, Any]:
    """Fine-tune cfg.base on cfg.dataset and save to cfg.out; returns the recorded metrics."""
    from . import datasets

    for name in ("target_noise", "found_targets"):
        if not 0.0 <= getattr(cfg, name) <= 1.0:
            raise ValueError(f"{name} must lie in [0, 1], got {getattr(cfg, name)}")
    if cfg.dtype not in {"auto", "fp32", "bf16"}:
        raise ValueError(f"unknown training dtype {cfg.dtype!r}: choose auto, fp32 or bf16")
    if cfg.pipeline_examples and cfg.dataset != "meetstance":
        raise ValueError("pipeline_examples needs gold articles, which only the meetstance dataset has")
    base_format = _base_input_format(cfg.base)
    if cfg.input_format is None:
        cfg = replace(cfg, input_format=base_format or "pair")
    elif base_format and cfg.input_format != base_format:
        warnings.warn(f"{cfg.base} was trained on {base_format!r} inputs; training it on {cfg.input_format!r} "
                      "inputs changes what its weights see", UserWarning, stacklevel=2)
    _seed(cfg.seed)
    data = data or datasets.load(cfg.dataset, cfg.dataset_path)
    labels = data["train"].features["label"].names
    device = resolve_device(cfg.device)
    tokenizer = AutoTokenizer.from_pretrained(cfg.base)
    model = AutoModelForSequenceClassification.from_pretrained(
        cfg.base, num_labels=len(labels), id2label=dict(enumerate(labels)), label2id={l: i for i, l in enumerate(labels)},
        use_safetensors=True, trust_remote_code=False, dtype=torch.float32).to(device)

    train_q, train_y = _queries(data["train"])
    found_train, found_val = _finder_targets([data["train"], data["validation"]], cfg.found_targets)
    if cfg.pipeline_examples:
        extra_q, extra_y = _pipeline_examples(datasets.load(cfg.dataset, cfg.dataset_path, articles=True)["train"],
                                              labels)
        train_q, train_y = train_q + extra_q, train_y + extra_y
        if cfg.found_targets:  # a pipeline query's target is already the one the pipeline finds
            found_train += [q.target for q in extra_q]
        print(f"{len(extra_q)} pipeline examples added to train", file=sys.stderr, flush=True)
    val_q, val_y = _queries(data["validation"])
    if cfg.found_targets:  # validate on the inputs the model is trained for, drawn once
        val_q = _found(val_q, found_val, cfg.found_targets, random.Random(cfg.seed))

    def encode(queries: list[Query]):
        texts, pairs = encode_inputs(queries, cfg.input_format)
        return tokenizer(texts, pairs, truncation=True, max_length=cfg.max_length) if pairs else \
            tokenizer(texts, truncation=True, max_length=cfg.max_length)

    counts = torch.bincount(torch.tensor(train_y), minlength=len(labels)).float()
    weights = (counts.sum() / (len(labels) * counts.clamp(min=1))).to(device)
    loss_fn = torch.nn.CrossEntropyLoss(weight=weights)
    steps_per_epoch = (len(train_y) + cfg.batch_size - 1) // cfg.batch_size
    total = cfg.max_steps or steps_per_epoch * cfg.epochs
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    warm = max(1, int(cfg.warmup * total))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))))
    use_bf16 = cfg.dtype == "bf16" or (cfg.dtype == "auto" and device.type == "cuda")

    best = (-1.0, None, 0)
    history, step, t0, bad = [], 0, time.perf_counter(), 0
    rng = random.Random(cfg.seed)
    redraw = bool(cfg.target_noise or cfg.found_targets)  # inputs drawn anew each epoch
    enc = None if redraw else encode(train_q)
    for epoch in range(cfg.epochs):
        if redraw:
            queries = _found(train_q, found_train, cfg.found_targets, rng) if cfg.found_targets else train_q
            enc = encode(_noisy(queries, cfg.target_noise, rng))
        lengths = [len(ids) for ids in enc["input_ids"]]
        model.train()
        for idx in _length_grouped(lengths, cfg.batch_size, rng):
            batch = tokenizer.pad({k: [enc[k][i] for i in idx] for k in enc.keys()}, return_tensors="pt")
            batch = {k: v.to(device) for k, v in batch.items()}
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=use_bf16):
                logits = model(**batch).logits
            loss = loss_fn(logits.float(), torch.tensor([train_y[i] for i in idx], device=device))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            if cfg.max_steps and step >= cfg.max_steps:
                break
        f1 = _macro_f1(model, tokenizer, labels, cfg, val_q, val_y)
        history.append({"epoch": epoch + 1, "step": step, "validation_macro_f1": f1,
                        "seconds": round(time.perf_counter() - t0, 1)})
        print(f"epoch {epoch + 1}: validation macro-F1 {f1:.4f} ({history[-1]['seconds']}s)", file=sys.stderr, flush=True)
        if f1 > best[0]:
            best, bad = (f1, {k: v.detach().clone() for k, v in model.state_dict().items()}, epoch + 1), 0
        else:
            bad += 1
        if bad >= cfg.patience or (cfg.max_steps and step >= cfg.max_steps):
            break
    model.load_state_dict(best[1])
    temperature, ece_before, ece_after = _calibrate(model, tokenizer, labels, cfg, val_q, val_y)
    meta = {"input_format": cfg.input_format, "temperature": temperature, "labels": labels,
            "base": cfg.base, "dataset": cfg.dataset, "config": asdict(cfg), "best_epoch": best[2],
            "validation_macro_f1": best[0], "ece_validation": {"before": ece_before, "after": ece_after},
            "history": history, "train_seconds": round(time.perf_counter() - t0, 1)}
    save(model, tokenizer, Path(cfg.out), meta)
    return meta


def average(dirs: list[str], out: str, dataset: str = "meetstance", dataset_path: str | None = None) -> dict[str, Any]:
    """A uniform model soup (Wortsman et al., 2022): the mean of the weights of stance models fine-tuned from one
    base (same architecture, vocabulary, labels and input format; else a ValueError), computed in fp32 on the
    CPU and saved to ``out`` with a temperature fitted on the dataset's validation split (gold targets)."""
    from . import datasets

    if len(dirs) < 2:
        raise ValueError("averaging needs at least two model directories")
    cpu = EngineSettings(device="cpu", dtype="fp32")
    loaded = [TransformerClassifier.load(d, cpu) for d in dirs]
    first = loaded[0]
    shapes = {k: v.shape for k, v in first.engine.model.state_dict().items()}
    for d, c in zip(dirs[1:], loaded[1:]):
        if (tuple(c.labels), c.input_format) != (tuple(first.labels), first.input_format):
            raise ValueError(f"{d} predicts {list(c.labels)} from {c.input_format!r} inputs, {dirs[0]} predicts "
                             f"{list(first.labels)} from {first.input_format!r} inputs: they cannot be averaged")
        if {k: v.shape for k, v in c.engine.model.state_dict().items()} != shapes \
                or c.tokenizer.get_vocab() != first.tokenizer.get_vocab():
            raise ValueError(f"{d} and {dirs[0]} differ in architecture or vocabulary: they cannot be averaged")
    val = datasets.load(dataset, dataset_path)["validation"]
    if val.features["label"].names != list(first.labels):
        raise ValueError(f"the models predict {list(first.labels)}, {dataset} is labelled "
                         f"{val.features['label'].names}: label-set mismatch")
    states = [c.engine.model.state_dict() for c in loaded]
    model = first.engine.model
    model.load_state_dict({k: torch.stack([st[k].float() for st in states]).mean(0) for k in states[0]})
    val_q, val_y = _queries(val)
    cfg = TrainConfig(base=dirs[0], out=out, dataset=dataset, input_format=first.input_format)
    temperature, ece_before, ece_after = _calibrate(model, first.tokenizer, list(first.labels), cfg, val_q, val_y)
    meta = {"input_format": first.input_format, "temperature": temperature, "labels": list(first.labels),
            "averaged": [str(d) for d in dirs], "dataset": dataset,
            "validation_macro_f1": _macro_f1(model, first.tokenizer, list(first.labels), cfg, val_q, val_y),
            "ece_validation": {"before": ece_before, "after": ece_after}}
    save(model, first.tokenizer, Path(out), meta)
    return meta


def _length_grouped(lengths: list[int], batch_size: int, rng: random.Random) -> list[list[int]]:
    """One epoch's batches, shuffled, each of examples of similar length (as ``group_by_length`` in
    transformers): every example once, far less padding. Examples are sorted by length within shuffled
    windows of 50 batches, cut into batches, and the batches shuffled."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    window, batches = 50 * batch_size, []
    for w in range(0, len(order), window):
        chunk = sorted(order[w:w + window], key=lengths.__getitem__, reverse=True)
        batches += [chunk[b:b + batch_size] for b in range(0, len(chunk), batch_size)]
    rng.shuffle(batches)
    return batches


def _classifier(model, tokenizer, labels, cfg: TrainConfig, temperature: float = 1.0) -> TransformerClassifier:
    settings = EngineSettings(max_length=cfg.max_length, device=str(next(model.parameters()).device.type), dtype="fp32")
    return TransformerClassifier(model, tokenizer, labels, cfg.input_format, temperature, settings)


def _macro_f1(model, tokenizer, labels, cfg, q: list[Query], y: list[int]) -> float:
    model.eval()
    logits = _classifier(model, tokenizer, labels, cfg).logits(q)
    return classification_report(y, logits.argmax(-1).tolist(), labels).macro_f1


def _calibrate(model, tokenizer, labels, cfg, q: list[Query], y: list[int]) -> tuple[float, float, float]:
    """The temperature (``fit_temperature``) of the model's validation logits, with the ECE before and after."""
    model.eval()
    return fit_temperature(_classifier(model, tokenizer, labels, cfg).logits(q), torch.tensor(y))


def fit_temperature(logits: torch.Tensor, gold: torch.Tensor) -> tuple[float, float, float]:
    """One temperature T for ``logits``: the NLL minimum over 1/T in [0.05, 20] (NLL is convex in 1/T, so a
    golden-section search finds it), kept only where it lowers the ECE, else T = 1. Returns T and the ECE
    before and after."""
    wide = logits.double()  # float32 rounds a near-zero NLL to zero, which would flatten the search

    def nll(inverse_t: float) -> float:
        return float(torch.nn.functional.cross_entropy(wide * inverse_t, gold))

    lo, hi = _INVERSE_T_RANGE
    ratio = (5 ** 0.5 - 1) / 2
    for _ in range(60):
        a, b = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
        lo, hi = (lo, b) if nll(a) <= nll(b) else (a, hi)
    t = 2 / (lo + hi)
    before = expected_calibration_error(torch.softmax(logits, -1), gold)
    after = expected_calibration_error(torch.softmax(logits / t, -1), gold)
    return (t, before, after) if after < before else (1.0, before, before)


def save(model, tokenizer, out: Path, meta: dict[str, Any]) -> None:
    """fp16 safetensors weights (small enough to commit), tokenizer and stance.json."""
    out.mkdir(parents=True, exist_ok=True)
    model.to("cpu").half().save_pretrained(out, safe_serialization=True)
    model.float()
    tokenizer.save_pretrained(out)
    (out / STANCE_CONFIG).write_text(json.dumps(meta, indent=2) + "\n")
    follow_umask(out)
