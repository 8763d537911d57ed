"""The classifier interface every stance model implements."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, runtime_checkable

from ..types import Prediction, Query


@runtime_checkable
class Classifier(Protocol):
    """Labels (text, speaker, target) queries with a stance and per-label probabilities."""

    labels: tuple[str, ...]

    def predict(self, queries: Sequence[Query]) -> list[Prediction]:
        """One prediction per query, in input order."""
        ...


def view(text: str, kind: str, start: int, end: int, cue: tuple[int, int] | None,
         others: Iterable[tuple[int, int]] = ()) -> tuple[int, int]:
    """The span of ``text`` the classifier sees of a statement: a direct quote's own words; for reported speech
    and reported stances, the span from the cue through the content ("questioned whether there was any point
    ..."), stopping short of ``others`` (the article's other statements) that stand between the two ("said A
    and that B": B's view is "and that B")."""
    if kind == "direct" or cue is None or abs(cue[0] - start) >= 200:
        return start, end
    first, last = min(start, cue[0]), max(end, cue[1])
    for a, b in others:
        if first <= a and b <= start:
            first = max(first, b)
        elif end <= a and b <= last:
            last = min(last, a)
    while first < start and not text[first].isalnum():
        first += 1
    while last > end and not text[last - 1].isalnum():
        last -= 1
    return first, last
