"""Evaluation: ``stance eval`` and ``stance.evaluate``.

Classifier evaluation on a dataset split (per-label P/R/F1, macro-F1, accuracy, confusion matrix, the
benchmark's own metric, ECE), and end-to-end evaluation of the whole pipeline on gold articles: (speaker,
stance) pairs with stance != none, matched per article, and condition spans (>= 50% character overlap).
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import torch

from .classify.base import Classifier
from .metrics import Report, classification_report, expected_calibration_error, prf
from .types import Query, Statement


def evaluate_classifier(classifier: Classifier, split, dataset: str = "meetstance") -> Report:
    """Score a classifier on one split of a DatasetDict from ``stance.datasets.load``."""
    names = split.features["label"].names
    if set(classifier.labels) != set(names):
        raise ValueError(f"label-set mismatch: the model predicts {list(classifier.labels)}, "
                         f"the dataset has {list(names)}")
    queries = [Query(t, s or None, g or None) for t, s, g in zip(split["text"], split["speaker"], split["target"])]
    preds = classifier.predict(queries)
    pred_ids = [names.index(p.label) for p in preds]
    report = classification_report(list(split["label"]), pred_ids, names)
    if dataset == "semeval2016":
        report.extra["F_avg"] = (report.per_label["favor"]["f1"] + report.per_label["against"]["f1"]) / 2
    probs = torch.tensor([[p.scores[n] for n in names] for p in preds]) if preds else torch.zeros((0, len(names)))
    if len(preds):
        report.extra["ECE"] = expected_calibration_error(probs, torch.tensor(list(split["label"])))
    return report


def majority_report(train_split, split) -> Report:
    names = split.features["label"].names
    majority = Counter(train_split["label"]).most_common(1)[0][0]
    return classification_report(list(split["label"]), [majority] * len(split), names)


def end_to_end(pipeline, articles) -> dict[str, float]:
    """Run the pipeline on gold articles; F1 of (speaker, stance) pairs (stance != none) matched per article;
    the same pairs matched only where the statements overlap (``span_pair_*``: a prediction in the wrong
    place no longer counts); condition recall; and target accuracy: of the gold stances found with their gold
    speaker (``targets_scored``: the first prediction that overlaps the gold span at all and has that
    speaker), the share whose predicted target is the gold one (both null counts as right)."""
    tp = fp = fn = 0
    span_tp = n_pred = n_gold = 0
    cond_gold = cond_hit = 0
    targets_found = targets_right = 0
    results = pipeline.pipe({"id": a["id"], "text": a["text"]} for a in articles)
    for a, r in zip(articles, results):
        gold = [Statement.from_dict(s) for s in json.loads(a["statements"])]
        canon = alias_map(json.loads(a.get("entities") or "{}"))
        g = Counter((speaker_key(s.speaker, canon), s.stance) for s in gold if s.stance != "none")
        p = Counter((speaker_key(s.speaker, canon), s.stance) for s in r.statements if s.stance != "none")
        hit = sum((g & p).values())
        tp, fp, fn = tp + hit, fp + sum(p.values()) - hit, fn + sum(g.values()) - hit
        span_tp += _span_matches(gold, r.statements, canon)
        n_pred, n_gold = n_pred + sum(p.values()), n_gold + sum(g.values())
        for s in gold:
            found = None if s.stance == "none" else next(
                (q for q in r.statements if min(s.end, q.end) > max(s.start, q.start)
                 and speaker_key(q.speaker, canon) == speaker_key(s.speaker, canon)), None)
            if found is not None:
                targets_found += 1
                targets_right += speaker_key(found.target, canon) == speaker_key(s.target, canon)
            if s.stance == "conditional" and s.condition is not None:
                cond_gold += 1
                cond_hit += any(overlaps(s.condition.start, s.condition.end, q.condition.start, q.condition.end)
                                for q in r.statements if q.condition is not None)
    precision, recall, f1 = prf(tp, fp, fn)
    span_precision, span_recall, span_f1 = prf(span_tp, n_pred - span_tp, n_gold - span_tp)
    return {"pair_precision": precision, "pair_recall": recall, "pair_f1": f1,
            "span_pair_precision": span_precision, "span_pair_recall": span_recall, "span_pair_f1": span_f1,
            "condition_recall": cond_hit / cond_gold if cond_gold else 0.0,
            "target_accuracy": targets_right / targets_found if targets_found else 0.0,
            "targets_scored": targets_found, "articles": len(articles)}


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
