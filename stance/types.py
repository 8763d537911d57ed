"""The dataclasses that every stage exchanges, with JSON (de)serialisation.

Offsets are character offsets into the original article text, end-exclusive.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

LABELS: tuple[str, ...] = ("willing", "rejecting", "conditional", "none")
Kind = Literal["direct", "indirect", "reported"]


@dataclass(frozen=True)
class Span:
    """A piece of the article: its text and [start, end) character offsets."""

    text: str
    start: int
    end: int

    @classmethod
    def of(cls, text: str, start: int, end: int) -> "Span":
        return cls(text[start:end], start, end)

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> "Span | None":
        return None if d is None else cls(d["text"], int(d["start"]), int(d["end"]))


@dataclass
class Statement:
    """One attributed statement and the speaker's stance toward meeting or negotiating.

    ``text``/``start``/``end`` is the content span (for direct quotes, inside the quote marks).
    ``speaker`` is the canonical stance holder; ``reported_by`` the speaker through whose claim the
    stance is reported (nested claims), else None.
    """

    text: str
    start: int
    end: int
    kind: Kind
    cue: Span | None = None
    speaker: str | None = None
    speaker_mention: Span | None = None
    target: str | None = None
    target_mention: Span | None = None
    stance: str = "none"
    score: float = 1.0
    scores: dict[str, float] = field(default_factory=dict)
    condition: Span | None = None
    reported_by: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Statement":
        spans = {"cue", "speaker_mention", "target_mention", "condition"}
        kwargs = {f.name: d.get(f.name) for f in fields(cls) if f.name in d}
        for name in spans & kwargs.keys():
            kwargs[name] = Span.from_dict(kwargs[name])
        return cls(**kwargs)


@dataclass
class ArticleResult:
    """Everything found in one article; ``error`` is None or a message, and then ``statements`` is empty."""

    id: str
    statements: list[Statement] = field(default_factory=list)
    error: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "statements": [s.to_dict() for s in self.statements],
                             "error": self.error}
        d.update({k: v for k, v in self.meta.items() if k not in d})
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "ArticleResult":
        meta = {k: v for k, v in d.items() if k not in ("id", "statements", "error")}
        return cls(str(d["id"]), [Statement.from_dict(s) for s in d.get("statements", [])],
                   d.get("error"), meta)


@dataclass(frozen=True)
class Query:
    """What a classifier sees: the stance-bearing text with its speaker and target."""

    text: str
    speaker: str | None = None
    target: str | None = None


@dataclass(frozen=True)
class Prediction:
    """A classifier's answer for one query: the label and a probability per label."""

    label: str
    scores: dict[str, float]

    @property
    def score(self) -> float:
        return self.scores[self.label]


@dataclass(frozen=True)
class Candidate:
    """A statement found by segmentation, before attribution resolves its mentions to canonical names.

    ``reporter`` is the outer speaker's mention for a nested claim ("Putin claimed that Ukraine rejected
    peace": speaker mention "Ukraine", reporter "Putin"). ``holder`` is the named subject of indirect speech's
    content ("Lee said Pyongyang had no interest in talks": "Pyongyang"); attribution makes it the speaker
    when it is not on the speaker's side. ``continues`` links a quote paragraph to the
    earlier quote it continues (index into the candidate list), whose speaker it shares.
    """

    start: int
    end: int
    kind: Kind
    cue: Span | None = None
    speaker_mention: Span | None = None
    reporter: Span | None = None
    holder: Span | None = None
    continues: int | None = None
