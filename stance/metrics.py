"""Classification metrics: per-label precision/recall/F1, macro-F1, accuracy, confusion, ECE, and percentile
bootstrap intervals."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import torch


@dataclass
class Report:
    labels: list[str]
    per_label: dict[str, dict[str, float]]
    macro_f1: float
    accuracy: float
    confusion: list[list[int]]  # rows gold, columns predicted
    n: int
    extra: dict[str, float] = field(default_factory=dict)
    intervals: dict[str, tuple[float, float]] = field(default_factory=dict)  # 95% bootstrap, when asked for

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def table(self) -> str:
        lines = [f"{'label':<12}{'P':>7}{'R':>7}{'F1':>7}{'n':>6}"]
        for lab in self.labels:
            m = self.per_label[lab]
            lines.append(f"{lab:<12}{m['precision']:>7.3f}{m['recall']:>7.3f}{m['f1']:>7.3f}{int(m['support']):>6}")
        lines.append(f"macro-F1 {self.macro_f1:.3f}   accuracy {self.accuracy:.3f}   n {self.n}")
        for k, v in self.extra.items():
            lines.append(f"{k} {v:.3f}")
        for k, (lo, hi) in self.intervals.items():
            lines.append(f"{k} 95% bootstrap interval {lo:.3f}-{hi:.3f}")
        lines.append("confusion (rows gold, columns predicted): " + " ".join(self.labels))
        for lab, row in zip(self.labels, self.confusion):
            lines.append(f"  {lab:<12}" + "".join(f"{c:>7}" for c in row))
        return "\n".join(lines)


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def classification_report(gold: Sequence[int], pred: Sequence[int], labels: Sequence[str]) -> Report:
    k = len(labels)
    conf = [[0] * k for _ in range(k)]
    for g, p in zip(gold, pred):
        conf[g][p] += 1
    per: dict[str, dict[str, float]] = {}
    for i, lab in enumerate(labels):
        tp = conf[i][i]
        fp = sum(conf[j][i] for j in range(k)) - tp
        fn = sum(conf[i]) - tp
        p, r, f = prf(tp, fp, fn)
        per[lab] = {"precision": p, "recall": r, "f1": f, "support": float(sum(conf[i]))}
    # the labels in gold or predicted (scikit-learn's convention): a label predicted but never gold scores 0
    present = [lab for i, lab in enumerate(labels) if per[lab]["support"] > 0 or any(row[i] for row in conf)] \
        or list(labels)
    macro = sum(per[lab]["f1"] for lab in present) / len(present)
    acc = sum(conf[i][i] for i in range(k)) / max(1, len(gold))
    return Report(list(labels), per, macro, acc, conf, len(gold))


def expected_calibration_error(probs: torch.Tensor, gold: torch.Tensor, bins: int = 15) -> float:
    """ECE over equal-width confidence bins."""
    conf, pred = probs.max(dim=-1)
    correct = (pred == gold).float()
    ece = torch.zeros(())
    edges = torch.linspace(0, 1, bins + 1)
    for lo, hi in zip(edges[:-1], edges[1:]):
        m = (conf > lo) & (conf <= hi)
        if m.any():
            ece += m.float().mean() * (conf[m].mean() - correct[m].mean()).abs()
    return float(ece)


MIN_RESAMPLES = 100


def bootstrap_interval(n: int, statistic: Callable[[np.ndarray], float | None], resamples: int = 1000,
                       seed: int = 0, level: float = 0.95) -> tuple[float, float] | None:
    """The percentile bootstrap interval of ``statistic`` (a function of an array of item indices) over ``n``
    items (documents) drawn with replacement, ``resamples`` times, seeded. Resamples where the statistic is
    undefined (None) are left out; None when it is undefined in half of them or more."""
    if n < 2:
        raise ValueError("a bootstrap interval needs at least two documents to resample")
    if resamples < MIN_RESAMPLES:
        raise ValueError(f"a bootstrap interval needs at least {MIN_RESAMPLES} resamples, got {resamples}")
    rng = np.random.default_rng(seed)
    values = [v for v in (statistic(rng.integers(0, n, n)) for _ in range(resamples)) if v is not None]
    if len(values) < resamples / 2:  # undefined in most resamples: no interval worth the name
        return None
    lo, hi = np.quantile(values, [(1 - level) / 2, (1 + level) / 2])
    return float(lo), float(hi)
