"""The gate between attribution and the classifier: what it must not read as a stance toward meeting.

A withheld stance ("declined to say whether ..."), an unnamed commentator's remark ("Analysts said ...") and
"meet" in the sense of satisfying something ("meet its fiscal rules") are left to ``none``;
``pipeline.Analyzer.gate_scores`` applies these with the meeting vocabulary of the lexicon.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc

from .parse import text_of

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
