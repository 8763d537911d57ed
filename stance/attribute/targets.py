"""The counterpart of a statement: whom the speaker would (not) meet or negotiate with.

In order: the object of a meeting word (meet X, talks with X, invite X, negotiate with X), a party of
"between X and Y" other than the speaker, else the first other party named in the statement, else None.
"""
from __future__ import annotations

from spacy.tokens import Doc, Token

from ..segment.speech import mention
from ..types import Span
from .speakers import Resolver

_MEETING_HEADS = {"meet", "meeting", "talk", "talks", "negotiate", "negotiation", "dialogue", "summit", "sit",
                  "invite", "invitation", "discuss", "discussion", "engage", "host", "visit", "call", "contact",
                  "conversation", "deal", "agreement", "ceasefire", "truce", "peace", "reconcile", "bargain"}
_DIRECT_OBJECT_HEADS = {"meet", "invite", "host", "visit", "call", "contact", "engage"}
_PREPS = {"with", "between", "to", "and"}


def _objects(tok: Token) -> list[Token]:
    out: list[Token] = []
    for c in tok.children:
        if c.dep_ == "dobj" and tok.lemma_.lower() in _DIRECT_OBJECT_HEADS:
            out.append(c)
        elif c.dep_ == "prep" and c.lower_ in _PREPS:
            for o in c.children:
                if o.dep_ == "pobj":
                    out.append(o)
                    out.extend(x for x in o.conjuncts)
    return out


def find_target(doc: Doc, resolver: Resolver, start: int, end: int, speaker: str | None) -> tuple[Span | None, str | None]:
    """The target mention and canonical name in the content [start, end), or (None, None)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None, None
    for tok in span:
        if tok.lemma_.lower() not in _MEETING_HEADS:
            continue
        for obj in _objects(tok):
            if obj.pos_ == "PRON" or not (start <= obj.idx < end):
                continue
            m = mention(obj)
            name = resolver.resolve(m, remember=False)
            if name and name != speaker and obj.pos_ == "PROPN" or (name and resolver.aliases.canonical(m.text)):
                if name != speaker:
                    return m, name
    for m, name in resolver.names_in(start, end):
        if name != speaker:
            return m, name
    return None, None
