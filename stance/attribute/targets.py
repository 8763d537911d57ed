"""The counterpart of a statement: whom the speaker would (not) meet or negotiate with.

In order: the object of a meeting word (meet X, talks with X, invite X, negotiate with X), a party of
"between X and Y" other than the speaker's side, else the first other party named in the statement; else the
counterpart implied by the article (``implied_target``), else None.
"""
from __future__ import annotations

from spacy.tokens import Doc, Token

from ..segment.speech import mention
from ..types import Span, Statement
from .speakers import Resolver

_MEETING_HEADS = {"meet", "meeting", "talk", "talks", "negotiate", "negotiation", "dialogue", "summit", "sit",
                  "invite", "invitation", "discuss", "discussion", "engage", "host", "visit", "call", "contact",
                  "conversation", "deal", "agreement", "ceasefire", "truce", "peace", "reconcile", "bargain"}
_DIRECT_OBJECT_HEADS = {"meet", "invite", "host", "visit", "call", "contact", "engage"}
_PREPS = {"with", "between", "to", "and"}
_REACH = 20  # statements on either side that ``implied_target`` reads


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
    """The target mention and canonical name in the content [start, end), or (None, None). A party on the
    speaker's own side (their country, or the speaker itself) is never the target."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None, None
    own = resolver.side(speaker)
    for tok in span:
        if tok.lemma_.lower() not in _MEETING_HEADS:
            continue
        for obj in _objects(tok):
            if obj.pos_ == "PRON" or not (start <= obj.idx < end):
                continue
            m = mention(obj)
            name = resolver.resolve(m, remember=False)
            if name and (obj.pos_ == "PROPN" or resolver.aliases.canonical(m.text)) and resolver.side(name) != own:
                return m, name
    for m, name in resolver.names_in(start, end):
        if resolver.side(name) != own:
            return m, name
    return None, None


def implied_target(statements: list[Statement], i: int, resolver: Resolver) -> str | None:
    """The counterpart of a statement that names none ("the Kremlin denied that any such agreement was
    reached"), from the nearest statement (of ``_REACH`` on either side, in text order) whose speaker and named
    target set the speaker's side against another party: that other party."""
    own = resolver.side(statements[i].speaker)
    if own is None:
        return None
    here = statements[i].start
    near = statements[max(0, i - _REACH):i + _REACH + 1]
    for s in sorted(near, key=lambda s: (abs(s.start - here), s.start > here)):
        if s.speaker is None or s.target is None or s.target_mention is None:
            continue
        pair = {resolver.side(s.speaker): s.target, resolver.side(s.target): s.speaker}
        other = pair.get(own)
        if other is not None and resolver.side(other) != own:
            return other
    return None
