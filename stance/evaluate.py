"""Evaluation: ``stance eval`` and ``stance.evaluate``.

Classifier evaluation on a dataset split (per-label P/R/F1, macro-F1, accuracy, confusion matrix, the
benchmark's own metric, ECE), and end-to-end evaluation of the whole pipeline on gold articles: (speaker,
stance) pairs with stance != none, matched per article, and condition spans (>= 50% character overlap).
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import torch

from .classify.base import Classifier
from .metrics import Report, bootstrap_interval, classification_report, expected_calibration_error, prf
from .types import Query, Statement

if TYPE_CHECKING:
    from datasets import Dataset

    from .pipeline import Pipeline


def evaluate_classifier(classifier: Classifier, split: Dataset, dataset: str = "meetstance", bootstrap: int = 0,
                        seed: int = 0) -> Report:
    """Score a classifier on one split of a DatasetDict from ``stance.datasets.load``; with ``bootstrap`` > 0,
    also the 95% percentile intervals of macro-F1 (and F_avg) over that many resamples of the split's
    documents (the part of an ``id`` before "#"; each statement alone when the split has no ``id``), since
    statements of one article are not independent."""
    names = split.features["label"].names
    if set(classifier.labels) != set(names):
        raise ValueError(f"label-set mismatch: the model predicts {list(classifier.labels)}, "
                         f"the dataset has {list(names)}")
    docs = _documents(split["id"] if "id" in split.column_names else range(len(split))) if bootstrap else []
    if bootstrap and len(docs) < 2:
        raise ValueError("a bootstrap interval needs at least two documents to resample")
    queries = [Query(t, s or None, g or None) for t, s, g in zip(split["text"], split["speaker"], split["target"])]
    preds = classifier.predict(queries)
    pred_ids = [names.index(p.label) for p in preds]
    gold = list(split["label"])
    report = classification_report(gold, pred_ids, names)
    metrics: dict[str, Any] = {"macro_f1": lambda r: r.macro_f1}
    if dataset == "semeval2016":
        metrics["F_avg"] = lambda r: (r.per_label["favor"]["f1"] + r.per_label["against"]["f1"]) / 2
        report.extra["F_avg"] = metrics["F_avg"](report)
    if bootstrap and gold:
        gold_a, pred_a = np.array(gold), np.array(pred_ids)

        def resampled(d: np.ndarray) -> Report:
            i = np.concatenate([docs[k] for k in d])
            return classification_report(gold_a[i], pred_a[i], names)

        for name, metric in metrics.items():
            ci = bootstrap_interval(len(docs), lambda d, m=metric: m(resampled(d)), bootstrap, seed)
            if ci is not None:
                report.intervals[name] = ci
    probs = torch.tensor([[p.scores[n] for n in names] for p in preds]) if preds else torch.zeros((0, len(names)))
    if len(preds):
        report.extra["ECE"] = expected_calibration_error(probs, torch.tensor(list(split["label"])))
    return report


def _documents(ids) -> list[np.ndarray]:
    """The statement indices of each document, documents in order of first appearance."""
    groups: dict[str, list[int]] = {}
    for i, x in enumerate(ids):
        groups.setdefault(str(x).split("#")[0], []).append(i)
    return [np.array(v) for v in groups.values()]


def majority_report(train_split: Dataset, split: Dataset) -> Report:
    names = split.features["label"].names
    majority = Counter(train_split["label"]).most_common(1)[0][0]
    return classification_report(list(split["label"]), [majority] * len(split), names)


@dataclass
class _Tally:
    """One article's end-to-end counts; scores are computed from sums of these (so articles can be resampled)."""

    tp: int = 0
    span_tp: int = 0
    n_pred: int = 0
    n_gold: int = 0
    cond_gold: int = 0
    cond_hit: int = 0
    targets_found: int = 0
    targets_right: int = 0


def end_to_end(pipeline: Pipeline, articles: Dataset | list[dict[str, Any]], bootstrap: int = 0,
               seed: int = 0) -> dict[str, Any]:
    """Run the pipeline on gold articles; F1 of (speaker, stance) pairs (stance != none) matched per article;
    the same pairs matched only where the statements overlap (``span_pair_*``: a prediction in the wrong
    place no longer counts); condition recall; and target accuracy: of the gold stances found with their gold
    speaker (``targets_scored``: the first prediction that overlaps the gold span at all and has that
    speaker), the share whose predicted target is the gold one (both null counts as right); a share with
    nothing to count is None. With ``bootstrap`` > 0, also 95% percentile intervals (``*_ci``) over that many
    resamples of the articles."""
    if not len(articles):
        raise ValueError("no gold articles to score")
    if bootstrap and len(articles) < 2:
        raise ValueError("a bootstrap interval needs at least two documents to resample")
    results = pipeline.pipe({"id": a["id"], "text": a["text"]} for a in articles)
    tallies = [_tally(a, r.statements) for a, r in zip(articles, results)]
    scores: dict[str, Any] = {**_scores(tallies), "articles": len(articles)}
    if bootstrap:
        for name in ("pair_f1", "span_pair_f1", "condition_recall"):
            ci = bootstrap_interval(len(tallies), lambda idx, k=name: _scores([tallies[i] for i in idx])[k],
                                    bootstrap, seed)
            scores[name + "_ci"] = list(ci) if ci else None
    return scores


def _tally(article: dict[str, Any], predicted: list[Statement]) -> _Tally:
    t = _Tally()
    gold = [Statement.from_dict(s) for s in json.loads(article["statements"])]
    canon = alias_map(json.loads(article.get("entities") or "{}"))
    g = Counter((speaker_key(s.speaker, canon), s.stance) for s in gold if s.stance != "none")
    p = Counter((speaker_key(s.speaker, canon), s.stance) for s in predicted if s.stance != "none")
    t.tp = sum((g & p).values())
    t.n_pred, t.n_gold = sum(p.values()), sum(g.values())
    t.span_tp = _span_matches(gold, predicted, canon)
    for s in gold:
        found = None if s.stance == "none" else next(
            (q for q in predicted if min(s.end, q.end) > max(s.start, q.start)
             and speaker_key(q.speaker, canon) == speaker_key(s.speaker, canon)), None)
        if found is not None:
            t.targets_found += 1
            t.targets_right += speaker_key(found.target, canon) == speaker_key(s.target, canon)
        if s.stance == "conditional" and s.condition is not None:
            t.cond_gold += 1
            t.cond_hit += any(overlaps(s.condition.start, s.condition.end, q.condition.start, q.condition.end)
                              for q in predicted if q.condition is not None)
    return t


def _scores(tallies: list[_Tally]) -> dict[str, Any]:
    total = _Tally(*(sum(getattr(t, f.name) for t in tallies) for f in dataclass_fields(_Tally)))
    pairs: dict[str, float | None] = {}
    for prefix, tp in (("pair", total.tp), ("span_pair", total.span_tp)):
        p, r, f = prf(tp, total.n_pred - tp, total.n_gold - tp)
        nothing = not total.n_pred and not total.n_gold  # no stance in gold or predicted: nothing to score
        pairs.update({f"{prefix}_precision": None if not total.n_pred else p,
                      f"{prefix}_recall": None if not total.n_gold else r, f"{prefix}_f1": None if nothing else f})
    return {**pairs,
            "condition_recall": total.cond_hit / total.cond_gold if total.cond_gold else None,  # none to find
            "target_accuracy": total.targets_right / total.targets_found if total.targets_found else None,
            "targets_scored": total.targets_found}


def _span_matches(gold: list[Statement], predicted: list[Statement], canon: dict[str, str]) -> int:
    """The most gold stances (not none) that can be matched one to one with a prediction of the same speaker
    and stance whose statement overlaps the gold one by any character (a maximum bipartite matching)."""
    preds = [q for q in predicted if q.stance != "none"]
    edges = [[j for j, q in enumerate(preds) if (speaker_key(q.speaker, canon), q.stance)
              == (speaker_key(s.speaker, canon), s.stance) and min(s.end, q.end) > max(s.start, q.start)]
             for s in gold if s.stance != "none"]
    owner: dict[int, int] = {}  # prediction -> the gold statement it is matched to

    def augment(g: int, seen: set[int]) -> bool:
        for j in edges[g]:
            if j not in seen:
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    owner[j] = g
                    return True
        return False

    return sum(augment(g, set()) for g in range(len(edges)))


def alias_map(entities: dict[str, list[str]]) -> dict[str, str]:
    """Every gold name and alias (normalised) -> its gold canonical name, from the article's entity table."""
    out: dict[str, str] = {}
    for name, aliases in entities.items():
        for alias in [name, *aliases]:
            key = _key(alias)
            if key and key not in {"he", "she", "they", "it", "we", "i"}:
                out.setdefault(key, name)
                out.setdefault(key.split()[-1], name)  # surname
    return out


def _key(name: str | None) -> str:
    name = (name or "").lower().strip()
    return name[4:] if name.startswith("the ") else name


def speaker_key(speaker: str | None, canon: dict[str, str]) -> str:
    """A speaker as the gold canonical name it is an alias of (so "Putin" and "Vladimir Putin" match)."""
    key = _key(speaker)
    return canon.get(key) or canon.get(key.split()[-1] if key else "", key) or ""


def overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    """Whether two character spans share at least half of the shorter one."""
    inter = min(a1, b1) - max(a0, b0)
    return inter > 0 and inter >= 0.5 * min(a1 - a0, b1 - b0)


def plot_confusion(report: Report, path: str | Path, title: str = "") -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4.5, 4))
    ax.imshow(report.confusion, cmap="Blues")
    ax.set_xticks(range(len(report.labels)), report.labels, rotation=30)
    ax.set_yticks(range(len(report.labels)), report.labels)
    for i, row in enumerate(report.confusion):
        for j, v in enumerate(row):
            ax.text(j, i, str(v), ha="center", va="center")
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.set_title(title or f"macro-F1 {report.macro_f1:.3f}")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def as_json(report: Report, **extra: Any) -> str:
    return json.dumps({**report.to_dict(), **extra}, indent=2)
