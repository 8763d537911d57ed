"""Classification metrics and bootstrap intervals (``stance eval --bootstrap``)."""
import numpy as np
import pytest
from datasets import ClassLabel, Dataset, Features, Value

from stance.evaluate import evaluate_classifier
from stance.metrics import bootstrap_interval
from stance.types import LABELS, Prediction


def test_a_bootstrap_interval_brackets_the_estimate_narrows_with_data_and_is_seeded():
    rng = np.random.default_rng(1)
    small, large = rng.normal(5.0, 1.0, 40), rng.normal(5.0, 1.0, 4000)
    lo, hi = bootstrap_interval(len(small), lambda i: float(small[i].mean()), 500)
    assert lo < small.mean() < hi
    big_lo, big_hi = bootstrap_interval(len(large), lambda i: float(large[i].mean()), 500)
    assert big_hi - big_lo < (hi - lo) / 3  # ~1/sqrt(100) of the width
    assert bootstrap_interval(len(small), lambda i: float(small[i].mean()), 500) == (lo, hi)
    assert bootstrap_interval(len(small), lambda i: float(small[i].mean()), 500, seed=2) != (lo, hi)
    with pytest.raises(ValueError, match="at least two documents"):
        bootstrap_interval(1, lambda i: 0.0)  # one document resampled is itself: no interval
    with pytest.raises(ValueError, match="at least 100 resamples"):
        bootstrap_interval(40, lambda i: 0.0, 2)
    # resamples where the statistic is undefined are left out; undefined in half of them or more gives None
    assert bootstrap_interval(40, lambda i: None, 100) is None
    assert bootstrap_interval(40, lambda i: 1.0 if i[0] % 4 == 0 else None, 400) is None  # ~1 in 4 defined
    lo, hi = bootstrap_interval(40, lambda i: float(small[i].mean()) if i[0] % 4 else None, 500)  # ~3 in 4
    assert lo < small.mean() < hi


def test_macro_f1_counts_a_label_predicted_but_never_gold():
    from stance.metrics import classification_report

    report = classification_report([0, 0, 3, 3], [0, 2, 3, 3], LABELS)  # conditional predicted once, never gold
    assert report.per_label["conditional"]["f1"] == 0.0
    assert report.macro_f1 == pytest.approx((2 / 3 + 0.0 + 1.0) / 3)


class ByText:
    """A classifier that reads the label off a lookup of the statement text."""

    labels = LABELS

    def __init__(self, labels):
        self.by_text = labels

    def predict(self, queries):
        return [Prediction(self.by_text[q.text], {lab: float(lab == self.by_text[q.text]) for lab in LABELS})
                for q in queries]


def _split(ids, gold):
    features = Features({"id": Value("string"), "text": Value("string"), "speaker": Value("string"),
                         "target": Value("string"), "label": ClassLabel(names=list(LABELS))})
    return Dataset.from_dict({"id": ids, "text": [f"s{i}" for i in range(len(ids))], "speaker": [""] * len(ids),
                              "target": [""] * len(ids), "label": [LABELS.index(g) for g in gold]}, features=features)


def test_classifier_intervals_resample_documents_not_statements():
    gold = ["willing", "rejecting", "none", "none"] * 5
    predicted = ["willing", "none", "none", "rejecting"] * 5
    clf = ByText({f"s{i}": p for i, p in enumerate(predicted)})
    alike_docs = _split([f"doc{i // 4}#{i}" for i in range(20)], gold)  # five alike documents
    report = evaluate_classifier(clf, alike_docs, bootstrap=200)
    # the documents have the same labels and predictions: every resample gives the point estimate
    assert report.intervals["macro_f1"] == (report.macro_f1, report.macro_f1)
    with pytest.raises(ValueError, match="at least two documents"):
        evaluate_classifier(clf, _split([f"doc#{i}" for i in range(20)], gold), bootstrap=200)
    per_statement = evaluate_classifier(clf, _split([f"doc{i}" for i in range(20)], gold), bootstrap=200)
    lo, hi = per_statement.intervals["macro_f1"]
    assert lo < per_statement.macro_f1 < hi and per_statement.macro_f1 == report.macro_f1
    assert "macro_f1 95% bootstrap interval" in per_statement.table()
    assert evaluate_classifier(clf, alike_docs).intervals == {}
