"""stance: who is willing to meet or negotiate with whom, who refuses, and on what conditions.

>>> import stance
>>> nlp = stance.load()
>>> result = nlp('"If he is ready, let him come to Moscow," Putin told journalists.')
>>> [(s.speaker, s.stance, s.condition.text if s.condition else None) for s in result.statements]
"""
from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the lazily imported names, typed for checkers
    from .aggregation import aggregate
    from .classify.rules import RuleClassifier
    from .classify.transformer import TransformerClassifier
    from .events import Event, to_events
    from .pipeline import Analyzer, Pipeline
    from .view import render, render_many

from .classify.base import Classifier
from .settings import DEFAULT_MODEL, SPACY_MODEL, EngineSettings
from .types import LABELS, ArticleResult, Prediction, Query, Span, Statement

# Imported on first use, so that ``import stance`` (and spaCy's discovery of our component) stays light:
# torch, transformers and pandas load only when a name that needs them is used.
_LAZY = {"Analyzer": ".pipeline", "Pipeline": ".pipeline", "RuleClassifier": ".classify.rules",
         "TransformerClassifier": ".classify.transformer", "render": ".view", "render_many": ".view",
         "aggregate": ".aggregation", "to_events": ".events", "Event": ".events"}
__all__ = ["load", "load_classifier", "Pipeline", "Analyzer", "Statement", "ArticleResult", "Span", "Query",
           "Prediction", "Classifier", "RuleClassifier", "TransformerClassifier", "EngineSettings", "LABELS",
           "render", "render_many", "aggregate", "to_events", "Event"]


# submodules that ``stance.NAME`` reaches without its own import (the README uses them so)
_SUBMODULES = {"archive", "datasets", "evaluate", "train", "report", "io", "events", "aggregation", "pipeline",
               "parse", "segment", "attribute", "classify", "view", "workers", "distributed", "metrics"}


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)  # the import binds it here too
    if name not in _LAZY:
        raise AttributeError(f"module 'stance' has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name], __name__), name)
    globals()[name] = value
    return value


__version__ = "0.1.0"


def load_classifier(model: str | Path | None = None, settings: EngineSettings | None = None,
                    allow_pickle: bool = False) -> Classifier:
    """The stance classifier: "rules" for the baseline, else a model directory (default: the shipped model).
    Weights load from safetensors only; ``allow_pickle=True`` also accepts ``pytorch_model.bin``."""
    from .classify.rules import RuleClassifier
    from .classify.transformer import TransformerClassifier

    model = str(model or DEFAULT_MODEL)
    if model == "rules":
        return RuleClassifier()
    return TransformerClassifier.load(model, settings, allow_pickle=allow_pickle)


def load(model: str | Path | None = None, spacy_model: str = SPACY_MODEL, device: str = "auto",
         batch_size: int = 64, max_tokens: int = 8192, gate: bool = True, truncate: bool = False,
         int8: bool = False, compile: bool = False, dtype: str = "auto") -> Pipeline:
    """A ready pipeline: ``load()(text)`` -> ArticleResult; ``load().pipe(records)`` -> results in order.

    ``gate=True`` (the default) sends only statements with meeting/negotiation vocabulary, in their own words
    or in the sentences around them, to the classifier: faster, and it keeps the classifier off statements on
    other topics; it misses under 1% of labelled stances (benchmarks/RESULTS.md). ``gate=False`` classifies
    everything. ``truncate=True`` cuts a text over ``STANCE_MAX_CHARS`` (with a warning) instead of an error
    record. ``int8=True`` runs the classifier with int8 matrix products on the CPU (faster; label agreement
    with fp32 is measured in benchmarks/RESULTS.md). ``compile=True`` runs the classifier through
    ``torch.compile``: the first batches of each new shape compile (tens of seconds), later ones run faster.
    ``dtype``: ``"auto"`` is bf16 on a GPU and fp32 on a CPU; ``"bf16"`` on a CPU with AMX or AVX512-BF16 is
    about 3x faster than fp32 with over 99.9% label agreement (RESULTS.md), and slower on other CPUs."""
    from .parse import load_nlp
    from .pipeline import Analyzer, Pipeline

    settings = EngineSettings(batch_size=batch_size, max_tokens=max_tokens, device=device, quantize=int8,
                              compile=compile, dtype=dtype)
    return Pipeline(Analyzer(load_nlp(spacy_model), gate=gate, truncate=truncate), load_classifier(model, settings))
