"""Statements as political event records: CAMEO codes and PLOVER events, from speaker (source) to target.

Each statement with a stance becomes one directed event, source = speaker, target = the party the speaker
is willing to meet or refuses; no reverse event is made. ``none`` statements make no event.

===========  =====  =================================================  ======  =====  ==========
stance       CAMEO  CAMEO label                                        PLOVER  mode   context
===========  =====  =================================================  ======  =====  ==========
willing      036    Express intent to meet or negotiate                AGREE          diplomatic
rejecting    125    Reject proposal to meet, discuss, or negotiate     REJECT  meet   diplomatic
conditional  100    Demand, not specified below                        DEMAND         diplomatic
===========  =====  =================================================  ======  =====  ==========

Why these codes:

- A conditional stance ("we will talk once they withdraw") demands the condition of the target, so it is a
  CAMEO 10 DEMAND. The thing demanded varies (withdrawal, a ceasefire, a release...), so the code is the
  generic 100 and the demand is in ``condition``. 106/107/108 are avoided: "Demand meeting, negotiation" codes
  a call *for* talks, the opposite of talks offered on a condition, and the CAMEO code lists in use
  disagree on 106 ("Demand withdrawal" in GDELT's list, "Demand meeting, negotiation" in PLOVER's
  CAMEO2PLOVER table).
- PLOVER event and mode follow PLOVER's own CAMEO2PLOVER-2021 table for these codes: AGREE has no modes
  in PLOVER, so willing carries none; REJECT's mode ``meet`` ("meetings and negotiations") fits; DEMAND's
  ``meet`` would mean demanding a meeting, so conditional carries none. ``context`` is ``diplomatic`` for all
  three (the table's context for 036 and 125), since every event here is about meeting or negotiating.

Field names are PLOVER's where PLOVER has the field (``id``, ``date``, ``source``, ``target``, ``event``,
``mode``, ``context``, ``text``, ``publication``; PLOVER's gold records call the actor ``target``; later
drafts of the manual call it ``recipient``). The news source of an article (its ``source`` metadata) is
therefore ``publication`` here, as in PLOVER, because ``source`` is the source actor.
"""
from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .io import atomic_output
from .types import ArticleResult, Statement


@dataclass(frozen=True)
class EventCode:
    """How one stance is coded: CAMEO code and label, PLOVER event, mode and context."""

    cameo: str
    cameo_label: str
    event: str
    mode: str | None
    context: str


CODES: dict[str, EventCode] = {
    "willing": EventCode("036", "Express intent to meet or negotiate", "AGREE", None, "diplomatic"),
    "rejecting": EventCode("125", "Reject proposal to meet, discuss, or negotiate", "REJECT", "meet", "diplomatic"),
    "conditional": EventCode("100", "Demand, not specified below", "DEMAND", None, "diplomatic"),
}


@dataclass(frozen=True)
class Event:
    """One directed event: ``source`` (the speaker) toward ``target``, as CAMEO and PLOVER code it.

    ``id`` is ``ARTICLE-N`` with N the statement's index in the article (``ARTICLE/K-N`` for a later article of
    that id, K counting up past keys already used, so that event ids never repeat); ``date`` is the article's
    date as YYYY-MM-DD (None when it has none or it is not an ISO date); ``condition`` the condition's text.
    """

    id: str
    article_id: str
    date: str | None
    source: str | None
    target: str | None
    event: str
    mode: str | None
    context: str
    cameo: str
    cameo_label: str
    stance: str
    kind: str
    text: str
    condition: str | None
    score: float
    reported_by: str | None
    publication: str | None

    def to_plover(self) -> dict[str, Any]:
        """The event as a PLOVER record: actors as ``[{"actorText": ...}]`` and, as in PLOVER's gold
        records, only the fields that are not null."""
        record = asdict(self)
        for role in ("source", "target"):
            record[role] = [{"actorText": record[role]}] if record[role] else None
        return {k: v for k, v in record.items() if v is not None}


FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Event))


def as_results(results: Iterable[ArticleResult | dict[str, Any]]) -> Iterator[ArticleResult]:
    """ArticleResults, whether given as such or as the dicts ``stance.io.read_results`` yields."""
    for r in results:
        yield r if isinstance(r, ArticleResult) else ArticleResult.from_dict(r)


def article_date(meta: dict[str, Any]) -> date | None:
    """The calendar date of an article's ``date`` metadata ("2025-03-01", "2025-03-01T10:00:00Z"), as written
    (no time-zone conversion); None when absent or not an ISO date."""
    value = meta.get("date")
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        return datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text).date()
    except ValueError:
        return None


def to_event(result: ArticleResult, index: int, statement: Statement, occurrence: int = 1) -> Event | None:
    """The event of the ``index``-th statement of an article (the ``occurrence``-th article of its id); None for
    a ``none`` stance."""
    if statement.stance == "none":
        return None
    if statement.stance not in CODES:
        raise ValueError(f"article {result.id}: statement {index} has an unknown stance {statement.stance!r}")
    code = CODES[statement.stance]
    day = article_date(result.meta)
    return Event(id=f"{_key(result.id, occurrence)}-{index}", article_id=result.id,
                 date=day.isoformat() if day else None,
                 source=statement.speaker, target=statement.target, event=code.event, mode=code.mode,
                 context=code.context, cameo=code.cameo, cameo_label=code.cameo_label, stance=statement.stance,
                 kind=statement.kind, text=statement.text,
                 condition=statement.condition.text if statement.condition else None, score=statement.score,
                 reported_by=statement.reported_by, publication=result.meta.get("source"))


def _key(article_id: str, occurrence: int) -> str:
    return article_id if occurrence == 1 else f"{article_id}/{occurrence}"


def to_events(results: Iterable[ArticleResult | dict[str, Any]]) -> Iterator[Event]:
    """Every event in the results, in order; error records and ``none`` statements give none."""
    seen: Counter[str] = Counter()
    keys: set[str] = set()
    for result in as_results(results):
        seen[result.id] += 1
        while _key(result.id, seen[result.id]) in keys:  # ids "a", "a", "a/2": the second "a" is "a/3"
            seen[result.id] += 1
        keys.add(_key(result.id, seen[result.id]))
        for i, statement in enumerate(result.statements):
            event = to_event(result, i, statement, seen[result.id])
            if event is not None:
                yield event


def write_events(events: Iterable[Event], path: str | Path) -> int:
    """Write events as CSV (a ``.csv`` path, flat columns) or else as JSON lines of PLOVER records ("-" is
    stdout); returns how many were written."""
    if str(path) != "-" and not str(path).lower().endswith((".csv", ".jsonl")):
        raise ValueError(f"events output {path}: name a .csv or .jsonl file, or - for stdout")
    n = 0
    with atomic_output(path) as fh:
        if str(path).lower().endswith(".csv"):
            writer = csv.DictWriter(fh, fieldnames=FIELDS, lineterminator="\n")
            writer.writeheader()
            for event in events:
                writer.writerow(asdict(event))
                n += 1
        else:
            for event in events:
                fh.write(json.dumps(event.to_plover(), ensure_ascii=False) + "\n")
                n += 1
    return n
