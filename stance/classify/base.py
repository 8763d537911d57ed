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


def view(kind: str, start: int, end: int, cue: tuple[int, int] | None) -> tuple[int, int]:
    """The span the classifier sees of a statement: a direct quote's own words; for reported speech and
    reported stances, the span from the cue through the content ("questioned whether there was any point ...")."""
    if kind != "direct" and cue is not None and abs(cue[0] - start) < 200:
        return min(start, cue[0]), max(end, cue[1])
    return start, end


def view_cue(start: int, end: int, cue: tuple[int, int] | None,
             others: Iterable[tuple[int, int]]) -> tuple[int, int] | None:
    """The cue a statement's view may take in: none when another statement stands between the two ("said A
    and that B": B's view leaves A out)."""
    if cue is not None and any(cue[1] <= a and b <= start or end <= a and b <= cue[0] for a, b in others):
        return None
    return cue

