"""The rule/lexicon baseline: negation-aware refusals, condition markers and willingness cues.

A clearly named baseline, not the default model: ``stance.load(model="rules")`` selects it. Its scores are
fixed confidences (0.7 for the chosen label), not calibrated probabilities.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.tokens import Doc

from ..parse import text_of
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

# "declined to say whether ...", "did not comment on the offer": a stance withheld, which the label guide
# calls none (the gate also leaves these unclassified)
_WITHHELD = re.compile(
    r"^(?:(?:declin|refus)\w*(?:\s+\w+){0,2}?\s+to\s+be\s+drawn|"
    r"(?:(?:declin|refus)\w*(?:\s+\w+){0,2}?\s+to|cannot|"
    r"(?:did|does|do|would|could|will|wo|can|ca|is|are|was|were|has|have|had)(?:\s+not|n[’']t|\s+never))"
    r"(?:\s+(?:yet|immediately|publicly|specifically|directly))?"
    r"\s+(?:said|say|comment|confirm|disclos|reveal|specif|elaborat|indicat|speculat)\w*)"
    r"(?:\W*$|\s+(?:on|about|whether|if|when|where|how|why|what|who|which)\b)", re.I)


_COMMENTATORS = re.compile(r"^(?:\w+\s+){0,2}(?:analysts?|experts?|observers?|commentators?|economists?|"
                           r"pollsters?|historians?|diplomats?|scholars?|academics?|researchers?|strategists?|"
                           r"specialists?)$", re.I)


_COMMENTING = re.compile(r"^(?:sa(?:y|ys|id)|told|tells?|argue[sd]?|note[sd]?|wr(?:ote|ites?)|warn(?:ed|s)?|"
                         r"predict(?:ed|s)?|expect(?:ed|s)?|believe[sd]?|according(?: to)?)$", re.I)


_REQUIREMENTS = {"rule", "target", "obligation", "demand", "standard", "deadline", "criterion", "criteria", "cost",
                 "need", "expectation", "requirement", "commitment", "payment", "goal", "bill", "debt", "shortfall",
                 "threshold", "quota", "challenge", "test", "forecast", "pledge", "promise", "budget", "limit",
                 "benchmark", "objective", "aim", "specification"}  # what "meet" satisfies


def comments_only(speaker: str | None, cue: str | None) -> bool:
    """Whether an unnamed commentator ("Analysts", "Western experts", "two diplomats") says it ("said", "argued",
    "according to"): they hold no stance toward meeting anyone, so what they say about others' talks is `none`
    (what they do, "experts agreed to meet", is not a comment)."""
    return bool(speaker and cue and _COMMENTATORS.match(speaker.strip()) and _COMMENTING.match(cue.strip()))


def other_senses_blanked(doc: Doc) -> str:
    """The article text with "meet" blanked where it means satisfying something ("would meet his fiscal rules",
    "struggled to meet its obligations"), so that the gate does not read it as a meeting (same offsets)."""
    text = text_of(doc)
    parts, at = [], 0
    for t in doc:
        if t.lemma_.lower() != "meet" or t.idx < at:
            continue
        for c in t.children:  # blank "meet" with what it satisfies ("his fiscal rules" may not read as "rule out")
            if c.dep_ in {"dobj", "nsubjpass"} and c.lemma_.lower() in _REQUIREMENTS:
                words = [t, *c.subtree]
                start, end = max(at, min(w.idx for w in words)), max(w.idx + len(w) for w in words)
                parts += [text[at:start], " " * (end - start)]
                at = end
                break
    return "".join([*parts, text[at:]])


def withholds_stance(text: str) -> bool:
    """Whether a statement (from its cue) only withholds a stance: "declined to say whether it would attend"."""
    return bool(_WITHHELD.search(text.strip()))


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
