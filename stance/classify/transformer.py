"""The fine-tuned transformer stance classifier: its input encoding, labels, loading and export.

A model directory is a Hugging Face checkpoint (``config.json``, ``model.safetensors``, tokenizer files)
plus ``stance.json``: the input format and the calibration temperature. Weights load only from
safetensors unless ``allow_pickle=True`` (then ``pytorch_model.bin`` loads through
``torch.load(weights_only=True)``), and never with ``trust_remote_code``.
"""
from __future__ import annotations

import json
import pickle
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import torch
from safetensors import safe_open
from transformers import AutoModelForSequenceClassification, AutoTokenizer, PreTrainedTokenizerBase
from transformers.utils import logging as hf_logging

from ..io import follow_umask
from ..settings import EngineSettings
from ..types import LABELS, Prediction, Query
from .engine import Engine

STANCE_CONFIG = "stance.json"
WEIGHTS = "model.safetensors"
PICKLE_WEIGHTS = "pytorch_model.bin"
INPUT_FORMATS = ("pair", "marked")


def encode_inputs(queries: Sequence[Query], input_format: str) -> tuple[list[str], list[str] | None]:
    """Model inputs for queries: a (statement, "speaker ; target") text pair (the tokenizer joins the two with
    its separator and segment ids), or one marked text ("speaker: S . target: T . statement")."""
    if input_format == "pair":
        return [q.text for q in queries], [f"{q.speaker or 'unknown'} ; {q.target or 'none'}" for q in queries]
    if input_format == "marked":
        return [f"speaker: {q.speaker or 'unknown'} . target: {q.target or 'none'} . {q.text}" for q in queries], None
    raise ValueError(f"unknown input format {input_format!r}; expected one of {INPUT_FORMATS}")


def check_model_dir(path: str | Path, allow_pickle: bool = False) -> Path:
    """A readable model directory, or a clear error naming what is missing or corrupt."""
    p = Path(path)
    if not p.is_dir():
        raise FileNotFoundError(f"model directory {p} does not exist (name one with --model or STANCE_MODEL, or "
                                "\"rules\" for the rule baseline)")
    if not (p / "config.json").is_file():
        raise FileNotFoundError(f"model directory {p} is incomplete: missing config.json")
    if (p / WEIGHTS).is_file():
        try:
            with safe_open(p / WEIGHTS, "pt"):  # reads and checks the header: a truncated file fails here
                pass
        except Exception as exc:
            raise ValueError(f"model weights {p / WEIGHTS} are corrupt or truncated: {exc}") from exc
    elif not (allow_pickle and (p / PICKLE_WEIGHTS).is_file()):
        pickled = sorted(f.name for f in p.iterdir() if f.suffix in {".bin", ".pt", ".pth", ".ckpt", ".pkl"})
        hint = (f" (found pickle-based weights {pickled}: refused unless allow_pickle=True, which loads "
                f"{PICKLE_WEIGHTS} with torch.load(weights_only=True))") if pickled else ""
        raise FileNotFoundError(f"model directory {p} is incomplete: missing {WEIGHTS}{hint}")
    if not any((p / f).is_file() for f in ("tokenizer.json", "vocab.txt", "tokenizer_config.json")):
        raise FileNotFoundError(f"model directory {p} is incomplete: missing tokenizer files (tokenizer.json)")
    return p


class TransformerClassifier:
    """A fine-tuned sequence classifier over (statement, speaker, target), run through the Engine."""

    def __init__(self, model: torch.nn.Module, tokenizer: PreTrainedTokenizerBase, labels: Sequence[str] = LABELS,
                 input_format: str = "pair", temperature: float = 1.0, settings: EngineSettings | None = None):
        self.labels = tuple(labels)
        self.input_format = input_format
        self.temperature = float(temperature)
        self.tokenizer = tokenizer
        self.engine = Engine(model, tokenizer, settings)

    @classmethod
    def load(cls, path: str | Path, settings: EngineSettings | None = None, labels: Sequence[str] | None = None,
             allow_pickle: bool = False) -> "TransformerClassifier":
        """Load a model directory; ``allow_pickle=True`` accepts ``pytorch_model.bin`` when there is no
        ``model.safetensors`` (loaded with ``weights_only=True``)."""
        p = check_model_dir(path, allow_pickle)
        try:
            meta = json.loads((p / STANCE_CONFIG).read_text()) if (p / STANCE_CONFIG).is_file() else {}
        except json.JSONDecodeError as exc:
            raise ValueError(f"{p / STANCE_CONFIG} is not valid JSON: {exc}") from exc
        try:
            with quiet_loading():
                model = AutoModelForSequenceClassification.from_pretrained(
                    p, use_safetensors=(p / WEIGHTS).is_file(), weights_only=True, trust_remote_code=False,
                    dtype=torch.float32)
        except pickle.UnpicklingError as exc:
            raise ValueError(f"{p / PICKLE_WEIGHTS} holds more than tensors and is refused "
                             "(loaded with torch.load(weights_only=True))") from exc
        model_labels = tuple(model.config.id2label[i] for i in range(model.config.num_labels))
        if labels is not None and set(labels) != set(model_labels):
            raise ValueError(f"label-set mismatch: the model at {p} predicts {list(model_labels)}, "
                             f"the task expects {list(labels)}")
        try:
            tokenizer = AutoTokenizer.from_pretrained(p, trust_remote_code=False)
        except Exception as exc:  # a corrupt tokenizer.json raises a bare JSON error naming no file
            raise ValueError(f"cannot load the tokenizer files of {p}: {type(exc).__name__}: {exc}") from exc
        return cls(model, tokenizer, model_labels, meta.get("input_format", "pair"),
                   meta.get("temperature", 1.0), settings)

    def logits(self, queries: Sequence[Query]) -> torch.Tensor:
        texts, pairs = encode_inputs(queries, self.input_format)
        return self.engine.logits(texts, pairs)

    def predict(self, queries: Sequence[Query]) -> list[Prediction]:
        probs = torch.softmax(self.logits(queries) / self.temperature, dim=-1).tolist()
        out = []
        for row in probs:
            scores = {lab: round(p, 6) for lab, p in zip(self.labels, row)}
            out.append(Prediction(max(scores, key=scores.__getitem__), scores))
        return out


@contextmanager
def quiet_loading() -> Iterator[None]:
    """No "Loading weights" progress bar from transformers while a model loads (the setting is restored)."""
    shown = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if shown:
            hf_logging.enable_progress_bar()


def export_model(src: str | Path, dst: str | Path) -> Path:
    """Write a plain Hugging Face checkpoint (fp32 safetensors + tokenizer) that
    ``AutoModelForSequenceClassification`` and ``pipeline("text-classification")`` load."""
    src, dst = check_model_dir(src), Path(dst)
    with quiet_loading():
        model = AutoModelForSequenceClassification.from_pretrained(src, use_safetensors=True, dtype=torch.float32)
    model.save_pretrained(dst, safe_serialization=True)
    AutoTokenizer.from_pretrained(src).save_pretrained(dst)
    if (src / STANCE_CONFIG).is_file():
        shutil.copyfile(src / STANCE_CONFIG, dst / STANCE_CONFIG)
    follow_umask(dst)
    return dst
