"""Batched transformer inference: the one path every classification goes through.

Like sentence-transformers' ``encode``: tokenise in large chunks, sort by length, pack batches under a token
budget (``max_tokens``) and a batch size, pad each batch to a multiple of 8, run under
``torch.inference_mode()``, and put the results back in input order. On CUDA: bf16, pinned memory with
non-blocking copies, a prefetch thread that stages batch i+1 while batch i runs, and an out-of-memory
back-off that halves the batch and retries without losing items.
"""
from __future__ import annotations

import queue
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import torch

from ..settings import EngineSettings

_PAD_MULTIPLE = 8


def resolve_device(name: str) -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cuda" and not torch.cuda.is_available():
        raise RuntimeError("--device cuda was asked for, but torch sees no CUDA device")
    return torch.device(name)


@dataclass
class Batch:
    indices: list[int]
    tensors: dict[str, torch.Tensor]


class Engine:
    """Runs a sequence-classification model over many inputs; returns logits in input order."""

    def __init__(self, model: torch.nn.Module, tokenizer, settings: EngineSettings | None = None):
        self.settings = settings or EngineSettings()
        self.device = resolve_device(self.settings.device)
        self.tokenizer = tokenizer
        dtype = self._dtype()
        model = model.to(self.device, dtype=dtype).eval()
        if self.settings.quantize:
            if self.device.type != "cpu":
                raise ValueError("int8 dynamic quantisation is a CPU option")
            model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
        if self.settings.compile:
            model = torch.compile(model)
        self.model = model

    def _dtype(self) -> torch.dtype:
        d = self.settings.dtype
        if d == "auto":
            return torch.bfloat16 if self.device.type == "cuda" else torch.float32
        return {"fp32": torch.float32, "bf16": torch.bfloat16, "fp16": torch.float16}[d]

    # -- batching ---------------------------------------------------------------------------------------
    def _encode(self, texts: Sequence[str], pairs: Sequence[str] | None) -> list[list[int]]:
        ids: list[list[int]] = []
        chunk = 4096
        for i in range(0, len(texts), chunk):
            args = (list(texts[i:i + chunk]),) if pairs is None else (list(texts[i:i + chunk]), list(pairs[i:i + chunk]))
            enc = self.tokenizer(*args, truncation=True, max_length=self.settings.max_length,
                                 padding=False, return_attention_mask=False, return_token_type_ids=False)
            ids.extend(enc["input_ids"])
        return ids

    def plan(self, lengths: Sequence[int]) -> list[list[int]]:
        """Index groups, longest first, each under batch_size items and max_tokens padded tokens."""
        order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
        batches: list[list[int]] = []
        current: list[int] = []
        for i in order:
            width = _round_up(lengths[current[0]] if current else lengths[i])
            if current and (len(current) >= self.settings.batch_size or width * (len(current) + 1) > self.settings.max_tokens):
                batches.append(current)
                current = []
            current.append(i)
        if current:
            batches.append(current)
        return batches

    def _collate(self, ids: list[list[int]], group: list[int]) -> Batch:
        width = _round_up(max(len(ids[i]) for i in group))
        pad = self.tokenizer.pad_token_id or 0
        input_ids = torch.full((len(group), width), pad, dtype=torch.long)
        mask = torch.zeros((len(group), width), dtype=torch.long)
        for row, i in enumerate(group):
            seq = ids[i]
            input_ids[row, : len(seq)] = torch.tensor(seq, dtype=torch.long)
            mask[row, : len(seq)] = 1
        tensors = {"input_ids": input_ids, "attention_mask": mask}
        if self.device.type == "cuda":
            tensors = {k: v.pin_memory() for k, v in tensors.items()}
        return Batch(group, tensors)

    def _batches(self, ids: list[list[int]]) -> Iterator[Batch]:
        groups = self.plan([len(x) for x in ids])
        if self.device.type != "cuda":
            for g in groups:
                yield self._collate(ids, g)
            return
        staged: queue.Queue = queue.Queue(maxsize=2)

        def stage() -> None:
            for g in groups:
                staged.put(self._collate(ids, g))
            staged.put(None)

        threading.Thread(target=stage, daemon=True).start()
        while (b := staged.get()) is not None:
            yield b

    # -- running ----------------------------------------------------------------------------------------
    def logits(self, texts: Sequence[str], pairs: Sequence[str] | None = None) -> torch.Tensor:
        """Logits for every input (float32, on the CPU), in input order."""
        if not texts:
            return torch.zeros((0, self._num_labels()))
        ids = self._encode(texts, pairs)
        out = torch.empty((len(texts), self._num_labels()), dtype=torch.float32)
        with torch.inference_mode():
            for batch in self._batches(ids):
                out[batch.indices] = self._run(batch.tensors)
        return out

    def _run(self, tensors: dict[str, torch.Tensor]) -> torch.Tensor:
        """Forward one batch; on CUDA out-of-memory, halve it and retry (down to one item)."""
        try:
            moved = {k: v.to(self.device, non_blocking=True) for k, v in tensors.items()}
            return self.model(**moved).logits.float().cpu()
        except torch.cuda.OutOfMemoryError:
            n = tensors["input_ids"].shape[0]
            if n == 1:
                raise
            if self.device.type == "cuda":
                torch.cuda.empty_cache()
            half = n // 2
            first = {k: v[:half] for k, v in tensors.items()}
            second = {k: v[half:] for k, v in tensors.items()}
            return torch.cat([self._run(first), self._run(second)])

    def _num_labels(self) -> int:
        config = getattr(self.model, "config", None) or getattr(getattr(self.model, "_orig_mod", None), "config")
        return int(config.num_labels)


def _round_up(n: int) -> int:
    return (n + _PAD_MULTIPLE - 1) // _PAD_MULTIPLE * _PAD_MULTIPLE
