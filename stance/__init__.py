"""stance: who is willing to meet or negotiate with whom, who refuses, and on what conditions.

>>> import stance
>>> nlp = stance.load()
>>> result = nlp('"If he is ready, let him come to Moscow," Putin told journalists.')
>>> [(s.speaker, s.stance, s.condition.text if s.condition else None) for s in result.statements]
"""
from __future__ import annotations

from pathlib import Path

from .classify.base import Classifier
from .classify.rules import RuleClassifier
from .classify.transformer import TransformerClassifier
from .pipeline import Pipeline
from .settings import DEFAULT_MODEL, SPACY_MODEL, EngineSettings
from .types import LABELS, ArticleResult, Prediction, Query, Span, Statement

__all__ = ["load", "load_classifier", "Pipeline", "Statement", "ArticleResult", "Span", "Query", "Prediction",
           "Classifier", "RuleClassifier", "TransformerClassifier", "EngineSettings", "LABELS"]
__version__ = "0.1.0"


def load_classifier(model: str | Path | None = None, settings: EngineSettings | None = None) -> Classifier:
    """The stance classifier: "rules" for the baseline, else a model directory (default: the shipped model)."""
    model = str(model or DEFAULT_MODEL)
    if model == "rules":
        return RuleClassifier()
    return TransformerClassifier.load(model, settings)


def load(model: str | Path | None = None, spacy_model: str = SPACY_MODEL, device: str = "auto",
         batch_size: int = 64, max_tokens: int = 8192, gate: bool = True) -> Pipeline:
    """A ready pipeline: ``load()(text)`` -> ArticleResult; ``load().pipe(records)`` -> results in order.

    ``gate=True`` (the default) sends only statements with meeting/negotiation vocabulary to the classifier:
    faster, and it keeps the classifier off statements on other topics, at the price of about 3% of labelled
    stances that use no such vocabulary (benchmarks/RESULTS.md); ``gate=False`` classifies everything."""
    from .parse import load_nlp

    settings = EngineSettings(batch_size=batch_size, max_tokens=max_tokens, device=device)
    return Pipeline(load_nlp(spacy_model), load_classifier(model, settings), gate=gate)
