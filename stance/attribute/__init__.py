"""Attribution: candidate statements -> statements with canonical speaker, target and reported_by.

No coreference model installs offline, so speakers resolve through the article's own names, titles and
appositions, an alias table, and pronouns bound to the most recent compatible party (see ``speakers``).
"""
from __future__ import annotations

import re

from spacy.tokens import Doc

from ..parse import text_of
from ..types import Candidate, Statement
from .aliases import AliasTable, load_aliases
from .speakers import Resolver
from .targets import find_target, implied_target

__all__ = ["attribute", "AliasTable", "load_aliases", "Resolver"]

# a statement that refers back to a meeting, offer or talks ("such a meeting", "these offers") takes its
# counterpart from the article when it names none (``implied_target``)
_REFERS_BACK = re.compile(r"\b(?:such|these|this|those|any|the)\s+(?:\w+\s+)?(?:meetings?|talks|offers?|proposals?|"
                          r"invitations?|agreements?|summits?|deals?|negotiations?|dialogue|requests?)\b", re.I)
# a bare answer ("Smith refused.") answers the offer just reported: it takes that offer's counterpart too
_BARE_ANSWER = re.compile(r"^(?:\w+ly\s+)?(?:refuse[sd]?|decline[sd]?|agree[sd]?|accept(?:s|ed)?|reject(?:s|ed)?)"
                          r"(?:\s+(?:outright|flatly|immediately|again|too|as well))?$", re.I)
# within this many chars, an unattributed quote takes the previous speaker, and a quote by that speaker the
# previous counterpart
_CARRY_OVER = 400


def attribute(doc: Doc, candidates: list[Candidate], aliases: AliasTable | None = None) -> list[Statement]:
    """Resolve speakers, targets and nested reporters; stance is left to the classifier."""
    resolver = Resolver.for_doc(doc, aliases or load_aliases())
    out: list[Statement] = []
    for c in candidates:
        if c.continues is not None and c.continues < len(out):
            speaker = out[c.continues].speaker
        else:
            speaker = resolver.resolve(c.speaker_mention, content=(c.start, c.end))
        mention = c.speaker_mention
        if speaker is None and mention is None and c.kind == "direct" and out and c.start - out[-1].end < _CARRY_OVER:
            speaker, mention = out[-1].speaker, out[-1].speaker_mention  # the quote continues the last speaker
        reported_by = resolver.resolve(c.reporter, content=(c.start, c.end))  # the reporter is remembered last
        if reported_by is not None and mention is not None and resolver.speaks_for(c.reporter, mention):
            speaker, mention, reported_by = reported_by, c.reporter, None
        holder = resolver.resolve(c.holder, remember=False)
        if holder is not None and resolver.other_side(speaker, holder):
            speaker, mention, reported_by = holder, c.holder, speaker  # "Lee said Pyongyang had no interest"
        target_mention, target = find_target(doc, resolver, c.start, c.end, speaker)
        out.append(Statement(
            text=text_of(doc)[c.start:c.end], start=c.start, end=c.end, kind=c.kind, cue=c.cue, speaker=speaker,
            speaker_mention=mention, target=target, target_mention=target_mention,
            reported_by=reported_by if reported_by != speaker else None,
        ))
    for i, s in enumerate(out):
        if s.target is None and (_REFERS_BACK.search(s.text) or _BARE_ANSWER.match(s.text)):
            s.target = implied_target(out, i, resolver)
        elif s.target is None and i and s.kind == "direct" and s.speaker is not None \
                and out[i - 1].speaker == s.speaker and s.start - out[i - 1].end < _CARRY_OVER:
            s.target = out[i - 1].target  # a quote that goes on from its speaker's last words keeps their counterpart
    return out
