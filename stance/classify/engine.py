"""Batched transformer inference: the one path every classification goes through.

Like sentence-transformers' ``encode``: tokenise pools of inputs (a fast tokenizer through its Rust backend),
sort each pool by length, pack batches under a token budget (``max_tokens``) and a batch size, pad each batch
to a multiple of 8, run under ``torch.inference_mode()``, and put the results back in input order. On CUDA:
bf16, pinned memory with non-blocking copies, a staging thread that tokenises and collates the next batches
(and the next pool) while the GPU runs, results kept on the GPU until the end so that the host never waits
on a batch, and an out-of-memory back-off that halves the batch and retries without losing items. On the
CPU, fp32 by default, its Linear layers run by oneDNN with bias and GELU fused into the products
(``onednn_linears``); ``dtype="bf16"`` where the CPU multiplies bf16 natively (AMX, AVX512-BF16), or
``quantize``, which swaps the transformer's Linear layers for ``Int8Linear`` (see ``quantize_int8``).
"""
from __future__ import annotations

import copy
import itertools
import platform
import queue
import threading
import warnings
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass

import torch
from tokenizers import Tokenizer

from ..settings import EngineSettings

_PAD_MULTIPLE = 8
_DTYPES = {"fp32": torch.float32, "bf16": torch.bfloat16, "fp16": torch.float16}
_POOL = 8192  # inputs tokenised and length-sorted together; on CUDA the next pool is tokenised meanwhile
_FP32_CHANNELS = 8  # input channels of each quantised Linear kept in fp32: the largest activations seen
_CALIBRATION = (  # plain sentences to find those channels: they come from the model, mostly whatever the text
    "The minister said the government would not agree to the new trade deal.",
    "Union leaders have threatened strikes unless the pay offer is improved.",
    "We are ready to meet them next week if they drop their preconditions.",
    "The company declined to comment on reports of a merger.",
    "Shares fell sharply after the bank warned of lower profits this year.",
    "He told reporters he had no intention of talking to the rebels.",
    "Officials in Brussels say talks could resume in the spring.",
    "The striker scored twice as United beat Chelsea on Saturday.",
    "I would be happy to sit down with the president at any time.",
    "Critics argue the plan will cost taxpayers billions of pounds.",
    "The film won three awards at the ceremony in London last night.",
    "Police said a man had been arrested in connection with the attack.",
)


def cpu_has_bf16() -> bool:
    """Whether this CPU multiplies bf16 matrices natively (AMX or AVX512-BF16), where bf16 beats fp32."""
    caps = getattr(torch.cpu, "get_capabilities", dict)()
    return bool(caps.get("amx_bf16") or caps.get("avx512_bf16"))


def resolve_device(name: str) -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise ValueError(f"device {name!r} was asked for, but torch sees no CUDA device")
    return torch.device(name)


@dataclass
class Batch:
    indices: list[int]
    tensors: dict[str, torch.Tensor]


@dataclass
class Encoded:
    """Every input's token ids, end to end in one tensor, with each input's offset and length; for text pairs
    to a model that reads them, the segment ids (``token_type_ids``) the same way."""
    flat: torch.Tensor
    offsets: torch.Tensor
    lengths: torch.Tensor
    types: torch.Tensor | None = None


def _flat(rows: list[list[int]]) -> torch.Tensor:
    return torch.tensor(list(itertools.chain.from_iterable(rows)), dtype=torch.long)


class Engine:
    """Runs a sequence-classification model over many inputs; returns logits in input order."""

    def __init__(self, model: torch.nn.Module, tokenizer, settings: EngineSettings | None = None):
        self.settings = settings or EngineSettings()
        self.device = resolve_device(self.settings.device)
        self.tokenizer = tokenizer
        self._backend = _backend(tokenizer, self.settings.max_length)
        if self._backend is not None:  # tokenizers >= 0.21 skips the character offsets we never read
            self._encode_batch = getattr(self._backend, "encode_batch_fast", self._backend.encode_batch)
        dtype = self._dtype()
        model = model.to(self.device, dtype=dtype).eval()
        if self.settings.quantize:
            if self.device.type != "cpu":
                raise ValueError("int8 quantisation is a CPU option")
            model = quantize_int8(model, tokenizer)
        if self.settings.compile:
            model = torch.compile(model)
        self.model = model
        self._runner: torch.nn.Module = model
        self._built_for: tuple = ()
        self._lock = threading.Lock()

    def __getstate__(self) -> dict:
        """Pickled without its lock and its oneDNN copy (made again where it runs): for ``nlp.pipe(n_process=N)``
        under the spawn start method, which pickles the spaCy pipeline."""
        state = self.__dict__.copy()
        del state["_lock"]
        state["_runner"], state["_built_for"] = self.model, ()
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    @property
    def runner(self) -> torch.nn.Module:
        """The module that runs: ``model`` itself, or, for a plain fp32 model on an x86 CPU, its oneDNN copy
        (``onednn_linears``), which shares its weights. Forward hooks go here (a hook on ``model`` or one of
        its Linear layers does not fire with the copy). The copy is made again, without hooks, when the
        model's tensors are no longer those it was made for: another dtype or device (``model.half()``), or
        new tensors (``load_state_dict(..., assign=True)``, ``resize_token_embeddings``), or the model is
        switched between training and eval mode (any of its modules). The copy shares the model's config."""
        if self.device.type != "cpu" or self.settings.quantize or self.settings.compile:
            return self.model
        tensors = tuple((id(t), t.dtype, t.device) for t in itertools.chain(self.model.parameters(),
                                                                             self.model.buffers()))
        key = (tuple(m.training for m in self.model.modules()), tensors)
        with self._lock:
            if key != self._built_for:
                fp32 = all(device.type == "cpu" and (dtype == torch.float32 or not dtype.is_floating_point)
                           for _, dtype, device in tensors)
                self._runner = onednn_linears(self.model) if fp32 else self.model
                self._built_for = key
            return self._runner

    def _dtype(self) -> torch.dtype:
        """The settings' dtype: ``auto`` is bf16 on CUDA and fp32 on the CPU. bf16 on a CPU without native
        bf16 products (AMX or AVX512-BF16) is emulated and slower than fp32: a warning says so."""
        d = self.settings.dtype
        if d == "auto":
            return torch.bfloat16 if self.device.type == "cuda" else torch.float32
        if d not in _DTYPES:
            raise ValueError(f"unknown dtype {d!r}: choose one of auto, {', '.join(_DTYPES)}")
        if self.settings.quantize and d != "fp32":
            raise ValueError("int8 quantisation keeps fp32 around its int8 products: use it with dtype fp32 or auto")
        if d == "bf16" and self.device.type == "cpu" and not cpu_has_bf16():
            warnings.warn("this CPU has no native bf16 matrix products (AMX or AVX512-BF16): bf16 runs slower "
                          "than fp32 here", RuntimeWarning, stacklevel=2)
        return _DTYPES[d]

    # -- batching ---------------------------------------------------------------------------------------
    def encode(self, texts: Sequence[str], pairs: Sequence[str] | None) -> Encoded:
        """Token ids of every input, truncated to max_length. A fast tokenizer runs through its Rust backend
        (parallel, and without the per-input Python bookkeeping of ``tokenizer(...)``); the same ids."""
        typed = pairs is not None and "token_type_ids" in getattr(self.tokenizer, "model_input_names", ())
        if self._backend is not None:
            inputs = list(texts) if pairs is None else list(zip(texts, pairs))
            encodings = self._encode_batch(inputs)
            ids = [e.ids for e in encodings]
            types = [e.type_ids for e in encodings] if typed else None
        else:
            args = (list(texts),) if pairs is None else (list(texts), list(pairs))
            out = self.tokenizer(*args, truncation=True, max_length=self.settings.max_length, padding=False,
                                 return_attention_mask=False, return_token_type_ids=typed)
            ids, types = out["input_ids"], out["token_type_ids"] if typed else None
        lengths = torch.tensor([len(x) for x in ids], dtype=torch.long)
        offsets = torch.cumsum(lengths, 0) - lengths
        return Encoded(_flat(ids), offsets, lengths, None if types is None else _flat(types))

    def plan(self, lengths: Sequence[int]) -> list[list[int]]:
        """Index groups, longest first, each under batch_size items and max_tokens padded tokens (an input
        longer than max_tokens alone is a group of its own)."""
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

    def _collate(self, enc: Encoded, group: list[int], first: int) -> Batch:
        """One padded batch, gathered from the flat ids in a few tensor operations (no loop over rows);
        ``first`` is the input index of the pool's first item."""
        rows = torch.tensor(group, dtype=torch.long)
        lengths = enc.lengths[rows]
        cols = torch.arange(_round_up(int(lengths.max())))
        mask = cols < lengths[:, None]
        gather = (enc.offsets[rows][:, None] + cols).clamp_(max=max(len(enc.flat) - 1, 0))
        pad = self.tokenizer.pad_token_id or 0
        tensors = {"input_ids": enc.flat[gather].masked_fill_(~mask, pad), "attention_mask": mask.long()}
        if enc.types is not None:
            tensors["token_type_ids"] = enc.types[gather].masked_fill_(~mask, 0)
        if self.device.type == "cuda":
            tensors = {k: v.pin_memory() for k, v in tensors.items()}
        return Batch([first + i for i in group], tensors)

    def _pooled(self, texts: Sequence[str], pairs: Sequence[str] | None) -> Iterator[Batch]:
        """Batches pool by pool: each pool of ``_POOL`` inputs is tokenised, sorted by length and packed."""
        for first in range(0, len(texts), _POOL):
            enc = self.encode(texts[first:first + _POOL], None if pairs is None else pairs[first:first + _POOL])
            for group in self.plan(enc.lengths.tolist()):
                yield self._collate(enc, group, first)

    def _batches(self, texts: Sequence[str], pairs: Sequence[str] | None) -> Iterator[Batch]:
        """On CUDA, a thread tokenises and stages the next batches (and the next pool) while the GPU runs."""
        if self.device.type != "cuda":
            yield from self._pooled(texts, pairs)
            return
        staged: queue.Queue = queue.Queue(maxsize=4)
        stop = threading.Event()

        def put(item: object) -> None:
            while not stop.is_set():
                try:
                    return staged.put(item, timeout=0.1)
                except queue.Full:
                    continue

        def stage() -> None:
            try:
                for batch in self._pooled(texts, pairs):
                    put(batch)
                put(None)
            except BaseException as exc:  # handed to the consumer, which raises it
                put(exc)

        threading.Thread(target=stage, daemon=True).start()
        try:
            while (item := staged.get()) is not None:
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            stop.set()  # the consumer stopped (done or failed): let the thread end

    # -- running ----------------------------------------------------------------------------------------
    def logits(self, texts: Sequence[str], pairs: Sequence[str] | None = None) -> torch.Tensor:
        """Logits for every input (float32, on the CPU), in input order. Batch results stay on the device
        until the end, so that the host never waits for one batch before it queues the next."""
        if not texts:
            return torch.zeros((0, self._num_labels()))
        indices: list[int] = []
        results: list[torch.Tensor] = []
        with torch.inference_mode():
            for batch in self._batches(texts, pairs):
                indices.extend(batch.indices)
                results.append(self._run(batch.tensors))
            logits = torch.cat(results).cpu()
        out = torch.empty((len(texts), self._num_labels()), dtype=torch.float32)  # made outside inference
        out[indices] = logits  # mode, so callers may use it in autograd (temperature calibration does)
        return out

    def _frozen(self) -> AbstractContextManager:
        """While a compiled model runs (and compiles a new batch shape), inductor treats the weights as
        constants: it prepacks them and fuses bias and GELU into the matrix products, about 6% faster on a
        2-core CPU than plain compile (``benchmarks/RESULTS.md``). Set per call, as the setting is global."""
        if not self.settings.compile:
            return nullcontext()
        from torch._inductor import config as inductor  # loaded by torch.compile already

        return inductor.patch(freezing=True)

    def _run(self, tensors: dict[str, torch.Tensor]) -> torch.Tensor:
        """Forward one batch (logits as float32, left on the device); on CUDA out-of-memory, halve it and
        retry (down to one item)."""
        try:
            moved = {k: v.to(self.device, non_blocking=True) for k, v in tensors.items()}
            with self._frozen():
                return self.runner(**moved).logits.float()
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


class OneDNNLinear(torch.nn.Module):
    """A Linear run by oneDNN (``mkldnn._linear_pointwise``, the kernel inductor uses for frozen CPU weights)
    with its bias, and the exact GELU that follows it where ``gelu``, fused into the product. The wrapped
    Linear's tensors are used as they are (shared, not copied)."""

    def __init__(self, linear: torch.nn.Linear, gelu: bool = False):
        super().__init__()
        self.linear = linear
        self.attr, self.algorithm = ("gelu", "none") if gelu else ("none", "")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.ops.mkldnn._linear_pointwise(x, self.linear.weight, self.linear.bias, self.attr, [],
                                                  self.algorithm)


def onednn_linears(model: torch.nn.Module) -> torch.nn.Module:
    """A copy of ``model`` for fp32 inference on an x86 CPU that shares its weights, with every ``nn.Linear``
    run as a ``OneDNNLinear``, and the exact GELU of a BERT-style intermediate block (``dense`` then
    ``intermediate_act_fn``) fused into its ``dense``: 24% more statements/s than ``torch.mm``'s BLAS on the AMD
    EPYC host of benchmarks/RESULTS.md. ``model`` itself is left as it is (a model being trained stays
    trainable); without oneDNN, or without a Linear to swap, ``model`` is returned."""
    from transformers import PretrainedConfig
    from transformers.activations import GELUActivation

    if not (torch.backends.mkldnn.is_available() and platform.machine().lower() in {"x86_64", "amd64"}
            and any(type(m) is torch.nn.Linear for m in model.modules())):
        return model
    shared = {id(t): t for t in itertools.chain(model.parameters(), model.buffers())}
    shared.update((id(m.config), m.config) for m in model.modules() if isinstance(getattr(m, "config", None),
                                                                              PretrainedConfig))
    fast = copy.deepcopy(model, shared)
    for module in fast.modules():  # the model's hooks stay on the model (removing them there leaves no copy)
        for hooks in (module._forward_pre_hooks, module._forward_hooks, module._forward_hooks_with_kwargs,
                      module._forward_pre_hooks_with_kwargs, module._forward_hooks_always_called):
            hooks.clear()
    for parent in list(fast.modules()):
        act = getattr(parent, "intermediate_act_fn", None)
        gelu = isinstance(act, GELUActivation) and act.act is torch.nn.functional.gelu \
            and type(getattr(parent, "dense", None)) is torch.nn.Linear
        for name, child in list(parent.named_children()):
            if type(child) is torch.nn.Linear:
                setattr(parent, name, OneDNNLinear(child, gelu=gelu and name == "dense"))
        if gelu:
            parent.intermediate_act_fn = torch.nn.Identity()
    return fast


class Int8Linear(torch.nn.Module):
    """A Linear run as an int8 matrix product (``torch._int_mm``): weights int8 with one scale per output
    channel; activations int8 with a scale and zero point per row (token), computed on each call, so a
    row's quantisation does not depend on the rest of its batch. The ``outliers`` input channels, whose
    activations are many times larger than the rest and would take most of a row's int8 range, stay fp32."""

    def __init__(self, linear: torch.nn.Linear, outliers: torch.Tensor):
        super().__init__()
        w = linear.weight.detach().float()
        scale = w.index_fill(1, outliers, 0.0).abs().amax(1).clamp(min=1e-12) / 127
        q = torch.round(w / scale[:, None]).index_fill_(1, outliers, 0).to(torch.int8)
        # fp32 part, one small product: the outlier channels, then the zero-point correction -sum_k(w_k) and
        # the bias as two more inputs (scale * zero and 1)
        bias = linear.bias.detach().float() if linear.bias is not None else torch.zeros(len(w))
        fp32 = torch.cat([w[:, outliers], -(scale * q.sum(1, dtype=torch.int32))[:, None], bias[:, None]], 1)
        self.register_buffer("outliers", outliers)
        self.register_buffer("fp32_weight", fp32.t().contiguous())
        self.register_buffer("weight_t", q.t())  # (in, out) view of the (out, in) int8 weights
        self.register_buffer("weight_scale", scale)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shape = x.shape
        x = x.reshape(-1, shape[-1])
        kept = x[:, self.outliers]
        x = x.index_fill(1, self.outliers, 0.0)  # a copy, quantised in place below
        lo = x.amin(1, keepdim=True).clamp_(max=0.0)
        hi = x.amax(1, keepdim=True).clamp_(min=0.0)
        scale = (hi - lo).clamp_(min=1e-12) / 255
        zero = torch.round(-lo / scale) - 128  # x ~ scale * (q - zero), q in [-128, 127]
        q = x.mul_(scale.reciprocal()).add_(zero).round_().clamp_(-128, 127).to(torch.int8)
        # Dequantised in place: the int32 products become floats in their own memory (same size, element for
        # element), as each new (rows, out) tensor costs page faults (benchmarks/RESULTS.md, nineteenth session).
        acc = torch._int_mm(q, self.weight_t)
        out = acc.view(torch.float32).copy_(acc).mul_(scale).mul_(self.weight_scale)
        fp32 = torch.cat([kept, scale * zero, torch.ones_like(scale)], 1)
        return out.addmm_(fp32, self.fp32_weight).reshape(*shape[:-1], -1)


def quantize_int8(model: torch.nn.Module, tokenizer) -> torch.nn.Module:
    """Swap, in place, every Linear that runs on each token (not a pooler or head that sees one row per
    input) for an ``Int8Linear``, its fp32 channels the ``_FP32_CHANNELS`` largest inputs over ``_CALIBRATION``.
    Label agreement with fp32: 99.5% on 5,000 news statements (benchmarks/engine.py), 99.5% on MeetStance
    validation. Needs torch >= 2.6 (before it, ``_int_mm`` overflowed on CPUs without AVX512-VNNI), and is
    fast only with AVX512-VNNI (without it, torch runs a slow reference ``_int_mm``)."""
    if tuple(int(v) for v in torch.__version__.split(".")[:2]) < (2, 6):
        raise ValueError(f"int8 quantisation needs torch >= 2.6, not {torch.__version__}")
    seen: dict[torch.nn.Linear, tuple[int, torch.Tensor]] = {}

    def record(module, args):
        x = args[0].detach().reshape(-1, args[0].shape[-1])
        rows, peak = seen.get(module, (0, torch.zeros(x.shape[1])))
        seen[module] = rows + x.shape[0], torch.maximum(peak, x.abs().amax(0).float())

    hooks = [m.register_forward_pre_hook(record) for m in model.modules() if isinstance(m, torch.nn.Linear)]
    tokens = 0
    try:
        with torch.no_grad():
            for text in _CALIBRATION:
                enc = tokenizer(text, return_tensors="pt", return_token_type_ids=False)
                model(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"])
                tokens += enc["input_ids"].numel()
    finally:
        for h in hooks:
            h.remove()
    for parent in list(model.modules()):
        for name, child in parent.named_children():
            if child in seen and seen[child][0] == tokens:
                outliers = seen[child][1].topk(min(_FP32_CHANNELS, child.in_features)).indices.sort().values
                setattr(parent, name, Int8Linear(child, outliers))
    return model


def _backend(tokenizer, max_length: int) -> Tokenizer | None:
    """A private copy of a fast tokenizer's Rust backend, truncating like ``tokenizer(..., truncation=True,
    max_length=max_length)``; None for a slow (pure Python) tokenizer."""
    if not getattr(tokenizer, "is_fast", False):
        return None
    backend = Tokenizer.from_str(tokenizer.backend_tokenizer.to_str())
    backend.enable_truncation(max_length)
    backend.no_padding()
    return backend


def _round_up(n: int) -> int:
    return (n + _PAD_MULTIPLE - 1) // _PAD_MULTIPLE * _PAD_MULTIPLE
