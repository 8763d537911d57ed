"""Fine-tuning a stance classifier: ``stance train`` and ``stance.train.train``.

Seeded and reproducible. Length-grouped batches, class-weighted cross-entropy, linear warm-up and decay, early stopping on
validation macro-F1, then temperature scaling fitted on validation (ECE before/after recorded). The saved
model is fp16 safetensors + tokenizer + ``stance.json``; ``TransformerClassifier.load`` reads it back.
"""
from __future__ import annotations

import json
import random
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer

from .classify.engine import resolve_device
from .classify.transformer import STANCE_CONFIG, TransformerClassifier, encode_inputs
from .metrics import classification_report, expected_calibration_error
from .settings import EngineSettings
from .types import Query


@dataclass
class TrainConfig:
    base: str
    out: str
    dataset: str = "meetstance"
    input_format: str = "pair"
    epochs: int = 8
    batch_size: int = 32
    lr: float = 1e-4
    weight_decay: float = 0.01
    warmup: float = 0.1
    max_length: int = 128
    patience: int = 2
    seed: int = 13
    device: str = "auto"
    max_steps: int = 0  # > 0: stop after this many optimiser steps (smoke runs)
    dataset_path: str | None = None
    target_noise: float = 0.0  # per epoch, this share of examples flips target presence (see ``_noisy``)


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


def train(cfg: TrainConfig, data=None) -> dict[str, Any]:
    """Fine-tune cfg.base on cfg.dataset and save to cfg.out; returns the recorded metrics."""
    from . import datasets

    if not 0.0 <= cfg.target_noise <= 1.0:
        raise ValueError(f"target_noise must lie in [0, 1], got {cfg.target_noise}")
    _seed(cfg.seed)
    data = data or datasets.load(cfg.dataset, cfg.dataset_path)
    labels = data["train"].features["label"].names
    device = resolve_device(cfg.device)
    tokenizer = AutoTokenizer.from_pretrained(cfg.base)
    model = AutoModelForSequenceClassification.from_pretrained(
        cfg.base, num_labels=len(labels), id2label=dict(enumerate(labels)), label2id={l: i for i, l in enumerate(labels)},
        use_safetensors=True, trust_remote_code=False, dtype=torch.float32).to(device)

    train_q, train_y = _queries(data["train"])

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
    use_bf16 = device.type == "cuda"

    best = (-1.0, None, 0)
    history, step, t0, bad = [], 0, time.perf_counter(), 0
    rng = random.Random(cfg.seed)
    enc = encode(train_q)
    for epoch in range(cfg.epochs):
        if cfg.target_noise:
            enc = encode(_noisy(train_q, cfg.target_noise, rng))
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
        f1 = _macro_f1(model, tokenizer, labels, cfg, data["validation"])
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
    temperature, ece_before, ece_after = _calibrate(model, tokenizer, labels, cfg, data["validation"])
    meta = {"input_format": cfg.input_format, "temperature": temperature, "labels": labels,
            "base": cfg.base, "dataset": cfg.dataset, "config": asdict(cfg), "best_epoch": best[2],
            "validation_macro_f1": best[0], "ece_validation": {"before": ece_before, "after": ece_after},
            "history": history, "train_seconds": round(time.perf_counter() - t0, 1)}
    save(model, tokenizer, Path(cfg.out), meta)
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


def _macro_f1(model, tokenizer, labels, cfg, split) -> float:
    model.eval()
    q, y = _queries(split)
    logits = _classifier(model, tokenizer, labels, cfg).logits(q)
    return classification_report(y, logits.argmax(-1).tolist(), labels).macro_f1


def _calibrate(model, tokenizer, labels, cfg, split) -> tuple[float, float, float]:
    """Fit one temperature on validation logits (NLL, LBFGS); ECE before and after."""
    model.eval()
    q, y = _queries(split)
    logits = _classifier(model, tokenizer, labels, cfg).logits(q)
    gold = torch.tensor(y)
    log_t = torch.zeros(1, requires_grad=True)
    opt = torch.optim.LBFGS([log_t], lr=0.1, max_iter=100)

    def closure():
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(logits / log_t.exp(), gold)
        loss.backward()
        return loss

    opt.step(closure)
    t = float(log_t.detach().exp())
    return (t, expected_calibration_error(torch.softmax(logits, -1), gold),
            expected_calibration_error(torch.softmax(logits / t, -1), gold))


def save(model, tokenizer, out: Path, meta: dict[str, Any]) -> None:
    """fp16 safetensors weights (small enough to commit), tokenizer and stance.json."""
    out.mkdir(parents=True, exist_ok=True)
    model.to("cpu").half().save_pretrained(out, safe_serialization=True)
    model.float()
    tokenizer.save_pretrained(out)
    (out / STANCE_CONFIG).write_text(json.dumps(meta, indent=2) + "\n")
