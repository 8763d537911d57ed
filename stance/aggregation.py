"""Stance counts per period: who is willing, refusing or setting conditions toward whom, and when.

The table is long: one row per (period, speaker, target, stance) with a non-zero ``count``. ``period`` is a
pandas Period of the article's ``date`` (freq "M" = calendar month, "W", "Q", "Y", "D"...). Statements of
articles with no date, or a date that is not ISO, are kept, under period NaT (written as an empty cell in CSV),
so that totals add up; ``counts[counts.period.isna()]`` is the undated part. A missing speaker or target is
``"unknown"``. ``none`` statements are left out unless ``include_none=True``. Error records have no
statements and count nothing. Names are canonical only within an article, so with ``merge_names`` (the
default) a one-word name that is the last word of exactly one longer name in the results is counted under it
("Putin" under "Vladimir Putin"); a surname that two longer names share stays as it is, and so does a family
name written first ("Kim" is not "Kim Jong Un").
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .events import article_date, as_results
from .types import ArticleResult

if TYPE_CHECKING:
    import pandas as pd

UNKNOWN = "unknown"
COLUMNS: tuple[str, ...] = ("period", "speaker", "target", "stance", "count")


def aggregate(results: Iterable[ArticleResult | dict[str, Any]], freq: str = "M",
              include_none: bool = False, merge_names: bool = True) -> pd.DataFrame:
    """Speaker x target x stance counts per period, as a long DataFrame with columns ``COLUMNS``, sorted by
    period (undated last), speaker, target and stance."""
    import pandas as pd

    dtype = pd.PeriodDtype(freq)  # an unknown freq fails here, with pandas' message, even with no dates
    counts: Counter[tuple[Any, str, str, str]] = Counter()
    for result in as_results(results):
        day = article_date(result.meta)
        period = pd.Period(day, freq) if day else pd.NaT
        for s in result.statements:
            if include_none or s.stance != "none":
                counts[(period, s.speaker or UNKNOWN, s.target or UNKNOWN, s.stance)] += 1
    if merge_names:
        fuller = full_names({name for _, speaker, target, _ in counts for name in (speaker, target)})
        merged: Counter[tuple[Any, str, str, str]] = Counter()
        for (period, speaker, target, stance), n in counts.items():
            merged[(period, fuller.get(speaker, speaker), fuller.get(target, target), stance)] += n
        counts = merged
    table = pd.DataFrame([(*key, n) for key, n in counts.items()], columns=list(COLUMNS))
    table = table.astype({"period": dtype, "speaker": str, "target": str, "stance": str, "count": "int64"})
    return table.sort_values(list(COLUMNS[:4]), na_position="last", ignore_index=True)


def full_names(names: Iterable[str]) -> dict[str, str]:
    """One-word capitalised names that are the last word of exactly one longer name among ``names``, mapped to
    it ("Putin" -> "Vladimir Putin"); a surname shared by two longer names maps to neither, and a country or
    body the alias table knows keeps its name ("Sudan" is not "South Sudan")."""
    from .attribute import load_aliases

    known = set(load_aliases().alias_to_name.values())
    names = [n for n in names if n not in known]
    longer: dict[str, set[str]] = {}
    for name in names:
        words = name.split()
        if len(words) > 1:
            longer.setdefault(words[-1], set()).add(name)
    return {name: next(iter(longer[name])) for name in names
            if " " not in name and name[:1].isupper() and len(longer.get(name, ())) == 1}
