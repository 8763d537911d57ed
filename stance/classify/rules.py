"""The rule/lexicon baseline: negation-aware refusals, condition markers and willingness cues.

A clearly named baseline, not the default model: ``stance.load(model="rules")`` selects it. Its scores are
fixed confidences (0.7 for the chosen label), not calibrated probabilities.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from ..gate import withholds_stance
from ..segment.cues import Lexicon, load_lexicon
from ..types import LABELS, Prediction, Query
from .conditions import find_condition

_NEG = r"(?:not|never|n't|no longer|hardly)"
_NEGATED_REFUSAL = re.compile(
    rf"\b{_NEG}\s+(?:\w+\s+){{0,2}}(?:rul(?:e|ed|ing)\s+out|reject\w*|refus\w*|dismiss\w*|declin\w*|oppos\w*|clos\w*\s+the\s+door)", re.I)
_REFUSAL = re.compile(
    r"\b(?:rul(?:e|es|ed|ing)\s+out|reject\w*|refus\w*|dismiss\w*|declin\w*|snub\w*|boycott\w*|spurn\w*|rebuff\w*|"
    r"walk(?:ed|s|ing)?\s+out|pull(?:ed|s)?\s+out|unanswered|ignored|no\s+point|any\s+point|pointless|"
    r"nothing\s+to\s+(?:discuss|talk|negotiate)|not\s+(?:the\s+)?(?:right\s+)?time|no\s+intention|not\s+interested|"
    r"(?:will|would|can|could|do|does|did|shall)\s*(?:not|n't|never)\s+(?:\w+\s+){0,2}(?:meet|talk|negotiat\w*|sit|engage|hold)|"
    r"won't\s+(?:\w+\s+){0,2}(?:meet|talk|negotiat\w*|sit|engage)|never\s+(?:meet|talk|negotiat\w*|sit)|"
    r"denied\s+(?:that\s+)?(?:any\s+)?(?:such\s+)?(?:agreement|deal|plan|meeting|talks)|no\s+(?:such\s+)?(?:agreement|meeting|talks)\s+(?:was|were|has|had)|"
    r"suspend\w*|cancel\w*|called\s+off|break\s+off|broke\s+off|halt\w*\s+talks|out\s+of\s+the\s+question|impossible)", re.I)
_WILLING = re.compile(
    r"\b(?:read(?:y|iness)|willing\w*|open\s+to|offer\w*|propos\w*|invit\w*|welcom\w*|agree\w*|accept\w*|"
    r"call\w*\s+(?:for|on)|urg\w*|facilitat\w*|mediat\w*|hope\w*|seek\w*|sought|want\w*|keen|eager|resum\w*|"
    r"let\s+(?:him|her|them)\s+come|look(?:s|ed|ing)?\s+forward|prepared\s+to|push\w*\s+for|press\w*\s+for|"
    r"return\w*\s+to\s+the\s+table|come\s+to\s+the\s+table|sit\s+down|reach\w*\s+out|extend\w*|committed)", re.I)

class RuleClassifier:
    """Lexicon and negation rules over the statement text."""

    labels: tuple[str, ...] = LABELS

    def __init__(self, lexicon: Lexicon | None = None):
        self.lexicon = lexicon or load_lexicon()

    def label(self, text: str) -> str:
        low = text.lower()
        if withholds_stance(low) or not any(w in low for w in self.lexicon.meeting_words):
            return "none"
        negated = bool(_NEGATED_REFUSAL.search(low))
        refusal = bool(_REFUSAL.search(_NEGATED_REFUSAL.sub(" ", low)))
        willing = bool(_WILLING.search(low)) or negated
        if find_condition(text, self.lexicon) is not None and (willing or refusal or "demand" in low):
            return "conditional"
        if refusal:
            return "rejecting"
        if willing:
            return "willing"
        return "none"

    def predict(self, queries: Sequence[Query]) -> list[Prediction]:
        out = []
        for q in queries:
            label = self.label(q.text)
            scores = {lab: (0.7 if lab == label else 0.1) for lab in self.labels}
            out.append(Prediction(label, scores))
        return out
