"""The cue lexicons (reporting verbs and nouns, stance verbs, condition markers, meeting words), as data.

They live in ``stance/resources/cues.json``; pass ``extra`` (same keys) to extend them.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..settings import RESOURCES_DIR

# what follows an "if" that only hedges the report, no condition of the speaker's: "if true", "if confirmed",
# "if (the) reports were accurate"
REPORTER_HEDGE = re.compile(r"^\s*(?:true|confirmed|accurate|correct)\b|\b(?:reports?|claims?|accounts?|remarks?)\s+"
                            r"(?:\w+\s+)?(?:is|are|was|were|prove[sd]?|turn(?:s|ed)? out)\s+(?:to be\s+)?"
                            r"(?:true|accurate|correct|right)\b", re.I)


@dataclass(frozen=True)
class Lexicon:
    reporting_verbs: frozenset[str]
    reporting_nouns: frozenset[str]
    stance_verbs: frozenset[str]
    stance_nouns: frozenset[str]
    unanswered: frozenset[str]
    condition_markers: tuple[str, ...]
    meeting_words: tuple[str, ...]
    gate_words: tuple[str, ...]  # what the gate looks for: the core vocabulary of meetings and talks
    xcomp_verbs: frozenset[str]  # reporting verbs whose to-infinitive is the content ("wants to ...")
    object_verbs: frozenset[str]  # verbs whose object is the content ("cited the poll")


def load_lexicon(path: str | Path | None = None, extra: dict[str, list[str]] | None = None) -> Lexicon:
    """Read a cue lexicon (the shipped one by default), optionally extended by ``extra``."""
    return _load(str(path or RESOURCES_DIR / "cues.json"), json.dumps(extra or {}, sort_keys=True))


@lru_cache(maxsize=8)
def _load(path: str, extra_json: str) -> Lexicon:
    data: dict[str, list[str]] = json.loads(Path(path).read_text(encoding="utf-8"))
    for key, words in json.loads(extra_json).items():
        if key not in data:
            raise KeyError(f"unknown lexicon key {key!r}; expected one of {sorted(data)}")
        data[key] = list(data[key]) + list(words)
    # longest markers first so that "only if" wins over "if"
    markers = tuple(sorted(set(data["condition_markers"]), key=len, reverse=True))
    return Lexicon(
        reporting_verbs=frozenset(data["reporting_verbs"]),
        reporting_nouns=frozenset(data["reporting_nouns"]),
        stance_verbs=frozenset(data["stance_verbs"]),
        stance_nouns=frozenset(data["stance_nouns"]),
        unanswered=frozenset(data["unanswered"]),
        condition_markers=markers,
        meeting_words=tuple(data["meeting_words"]),
        gate_words=tuple(data["gate_words"]),
        xcomp_verbs=frozenset(data["xcomp_verbs"]),
        object_verbs=frozenset(data["object_verbs"]),
    )
