"""Condition spans: what must happen before the speaker will meet or negotiate.

Rule-based and shared by every classifier: a marker ("if", "unless", "once", "until", "provided", "as long
as", "on condition that", ...) introduces the condition clause, which runs to the next clause boundary; with
"as a (pre)condition for" the condition is the demand before the marker ("called for a full ceasefire as a
precondition for talks" -> "a full ceasefire"); "X's demand ... is Y" gives Y. A negated marker ("without
preconditions"), "even if", "as if" and a reporter's hedge ("if the reports were accurate") state no condition.
"""
from __future__ import annotations

import re

from ..segment.cues import REPORTER_HEDGE, Lexicon, load_lexicon

_BOUNDARY = re.compile(r"[,;:.!?—–]|\s(?:then|let|we|I)\s|\s(?:and|but)\s(?=\w+\s(?:will|would|can|could|must|should)\b)")
_BACKWARD = {"as a precondition", "precondition", "preconditions", "as a condition for", "as a condition of",
             "in exchange for", "in return for"}
_DEMAND_CUE = re.compile(r"\b(?:call(?:s|ed|ing)? for|demand(?:s|ed|ing)?|insist(?:s|ed|ing)? on|requir(?:e|es|ed|ing)|"
                         r"want(?:s|ed)?|seek(?:s|ing)?|sought|set|named|made)\s+", re.I)
_NEGATED = re.compile(r"\b(?:without|no|free of)(?:\s+(?:any|all|prior))?\s+$")  # "without preconditions"
_NOT_CONDITIONAL_IF = re.compile(r"\b(?:even|as)\s+$")  # "even if" concedes, "as if" compares
_DEMAND_IS = re.compile(r"\bdemands?\b.*?\b(?:is|are|was|were|remains?)\s+(.+)$", re.I)
# "as soon as possible", "as soon as Friday": a time, not a condition
_SOON_TIME = re.compile(r"\s+(?:possible|practicable|feasible|next|this|today|tomorrow|tonight|early|mid|"
                        r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|january|february|march|april|may|june|july|"
                        r"august|september|october|november|december)\b", re.I)


def find_condition(text: str, lex: Lexicon | None = None) -> tuple[int, int] | None:
    """[start, end) of the condition inside ``text``, or None when none is stated."""
    lex = lex or load_lexicon()
    low = text.lower()
    if len(low) != len(text):  # "İ" lowers to two characters: positions in ``low`` must index ``text``
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    best: tuple[int, str] | None = None
    for marker in lex.condition_markers:
        found = (m for m in re.finditer(rf"(?<![\w-]){re.escape(marker)}(?![\w-])", low)
                 if not _NEGATED.search(low, 0, m.start())
                 and not (marker == "if" and (_NOT_CONDITIONAL_IF.search(low, 0, m.start())
                                              or REPORTER_HEDGE.search(text[m.end():m.end() + 80])))
                 and not (marker == "as soon as" and _SOON_TIME.match(low, m.end())))
        m = next(found, None)
        if m and (best is None or m.start() < best[0] or (m.start() == best[0] and len(marker) > len(best[1]))):
            best = (m.start(), marker)
    if best is None:
        m = _DEMAND_IS.search(text)
        return _trim(text, m.start(1), len(text)) if m else None
    at, marker = best
    if marker in _BACKWARD:
        cues = list(_DEMAND_CUE.finditer(text, 0, at))
        start = cues[-1].end() if cues else max(text.rfind(",", 0, at) + 1, 0)
        return _trim(text, start, at)
    start = at + len(marker)
    if text[start:start + 5].lower() == " that":
        start += 5
    stop = _BOUNDARY.search(text, start + 1)
    return _trim(text, start, stop.start() if stop else len(text))


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not (text[end - 1].isalnum() or text[end - 1] in ")%"):
        end -= 1
    return (start, end) if end - start >= 3 else None
