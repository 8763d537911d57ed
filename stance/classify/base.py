"""The classifier interface every stance model implements."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from ..types import Prediction, Query


@runtime_checkable
class Classifier(Protocol):
    """Labels (text, speaker, target) queries with a stance and per-label probabilities."""

    labels: tuple[str, ...]

    def predict(self, queries: Sequence[Query]) -> list[Prediction]:
        """One prediction per query, in input order."""
        ...


def query_for(article_text: str, kind: str, start: int, end: int, cue: tuple[int, int] | None,
              speaker: str | None, target: str | None) -> Query:
    """The classifier's view of a statement: a direct quote's own words; for reported speech and reported
    stances, the span from the cue through the content ("questioned whether there was any point ...")."""
    if kind != "direct" and cue is not None and abs(cue[0] - start) < 200:
        start, end = min(start, cue[0]), max(end, cue[1])
    return Query(article_text[start:end], speaker, target)
