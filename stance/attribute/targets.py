"""The counterpart of a statement: whom the speaker would (not) meet or negotiate with.

``find_target``, in order: the object of a meeting word (meet X, talks with X, invite X, negotiate with X; a
name, or a noun the article's parties resolve, "talks with the company"), a party of "between X and Y" not on
the speaker's side (none when the speaker brokers talks between two others), the author of an offer or
invitation the statement answers ("the governor's invitation", "an invitation from Oman"), else the first
such party named in the statement, else None. ``implied_target`` gives the counterpart of a statement that
names none but refers back to a meeting (``attribute`` uses it for those). ``bare_targets`` runs ``find_target`` on statements without their article
(what the classifier is trained on when ``stance train --found-targets`` is set).
"""
from __future__ import annotations

from collections.abc import Sequence

from spacy.language import Language
from spacy.tokens import Doc, Token

from ..segment.speech import mention
from ..types import Span, Statement
from .aliases import AliasTable
from .speakers import Resolver

_MEETING_HEADS = {"meet", "meeting", "talk", "talks", "negotiate", "negotiation", "dialogue", "summit", "sit",
                  "invite", "invitation", "discuss", "discussion", "engage", "host", "visit", "call", "contact",
                  "conversation", "deal", "agreement", "ceasefire", "truce", "peace", "reconcile", "bargain"}
_OFFER_HEADS = {"offer", "invitation", "proposal", "request", "overture", "initiative", "appeal", "call",
                "summit", "dialogue", "talks", "meeting"}  # whose owner or author is the counterpart
_BROKER_VERBS = {"host", "broker", "mediate", "facilitate", "organise", "organize", "sponsor", "chair", "arrange"}
_DIRECT_OBJECT_HEADS = {"meet", "invite", "host", "visit", "call", "contact", "engage"}
_PREPS = {"with", "between", "to", "and"}
_REACH = 1500  # characters around a statement that ``implied_target`` reads (as far as a pronoun looks back)


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


def _brokered(tok: Token, resolver: Resolver, speaker: str | None) -> bool:
    """Whether a meeting word names two or more parties "between" them, none on the speaker's side ("offered to
    host talks between Kyiv and Moscow"), or invites or hosts "both" ("invited both federations"): the speaker
    brokers, and has no counterpart. "Talks with Russia and Belarus" has the speaker as a party."""
    between = [x for c in tok.children if c.dep_ == "prep" and c.lower_ == "between"
               for o in c.children if o.dep_ == "pobj" for x in (o, *o.conjuncts)]
    parties = [resolver.resolve(mention(o), remember=False, as_target=True) for o in between]
    both = tok.lemma_.lower() in {"invite", "host"} \
        and any(c.lower_ == "both" for o in _objects(tok) for c in o.children)
    named = [p for p in parties if p]
    return (len(named) >= 2 or both) and speaker is not None \
        and not any(p == speaker or resolver.same_side(speaker, p) for p in named)


def find_target(doc: Doc, resolver: Resolver, start: int, end: int, speaker: str | None) -> tuple[Span | None, str | None]:
    """The target mention and canonical name in the content [start, end), or (None, None). A party on the
    speaker's own side (``Resolver.same_side``) is never the target."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None, None
    for tok in span:
        if tok.lemma_.lower() not in _MEETING_HEADS:
            continue
        if _brokered(tok, resolver, speaker):
            return None, None
        for obj in _objects(tok):
            if obj.pos_ == "PRON" or not (start <= obj.idx < end):
                continue
            m = mention(obj)
            name = resolver.resolve(m, remember=False, as_target=True)
            named = obj.pos_ == "PROPN" or resolver.aliases.canonical(m.text) \
                or resolver.known(m) and not resolver.own_body(speaker, m)
            if name and named and not resolver.same_side(speaker, name):
                return m, name
    for tok in span:
        for owner in _owners(tok):
            m = mention(owner)
            name = resolver.resolve(m, remember=False, content=(start, end), as_target=True)
            if name and resolver.known(m) and not resolver.same_side(speaker, name):
                return m, name
    for m, name in resolver.names_in(start, end):
        if not resolver.same_side(speaker, name) and not _unknown_place(doc, resolver, m):
            return m, name
    return None, None


def _unknown_place(doc: Doc, resolver: Resolver, m: Span) -> bool:
    """A place after a preposition that the alias table does not know as a state ("the village of Panmunjom",
    "voters in Mostar"): named in passing, not a party."""
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    return span is not None and span.root.ent_type_ == "GPE" and span.root.dep_ == "pobj" \
        and not resolver.aliases.canonical(m.text) \
        and not resolver.aliases.demonyms.get(m.text.lower())


def _owners(tok: Token) -> list[Token]:
    """Who made an offer or invitation the statement answers: its owner ("the governor's invitation", "his
    offer"), "an invitation from Oman", "the dialogue proposed by President Chapo"."""
    if tok.lemma_.lower() not in _OFFER_HEADS:
        return []
    out = [c for c in tok.children if c.dep_ == "poss"]
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "from":
            out.extend(o for o in c.children if o.dep_ == "pobj")
        elif c.dep_ == "acl" and c.lemma_.lower() not in _BROKER_VERBS:  # "proposed by X", not "hosted by X"
            out.extend(o for a in c.children if a.dep_ == "agent" for o in a.children if o.dep_ == "pobj")
    return out


def implied_target(statements: list[Statement], i: int, resolver: Resolver) -> str | None:
    """The counterpart of a statement that names none ("the Kremlin denied that any such agreement was
    reached"), from the nearest statement (``statements`` in text order; at most ``_REACH`` characters away)
    whose speaker and named target set the speaker's side against another party: that other party."""
    speaker, here = statements[i].speaker, statements[i].start
    if speaker is None:
        return None
    lo = hi = i
    while lo > 0 and here - statements[lo - 1].start <= _REACH:
        lo -= 1
    while hi + 1 < len(statements) and statements[hi + 1].start - here <= _REACH:
        hi += 1
    near = (s for s in statements[lo:hi + 1] if s.speaker and s.target and s.target_mention)
    for s in sorted(near, key=lambda s: (abs(s.start - here), s.start > here)):
        for party, other in ((s.speaker, s.target), (s.target, s.speaker)):
            if resolver.same_side(speaker, party) and not resolver.same_side(speaker, other):
                return other
    return None


def bare_targets(nlp: Language, texts: Sequence[str], speakers: Sequence[str | None],
                 aliases: AliasTable) -> list[str | None]:
    """``find_target`` on each statement text parsed alone, with its speaker: the target the pipeline gives a
    statement whose article adds nothing (no implied counterpart, no names from earlier paragraphs)."""
    out: list[str | None] = []
    for doc, speaker in zip(nlp.pipe(texts, batch_size=64), speakers):
        out.append(find_target(doc, Resolver.for_doc(doc, aliases), 0, len(doc.text), speaker)[1])
    return out
