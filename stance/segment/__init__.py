"""Segmentation: a parsed article -> candidate statements (direct quotes, indirect speech, reported stances).

``segment(doc)`` reads as the stage itself: find quotes, attribute each to its cue and speaker mention, find
indirect speech and reported stances on the parse, then keep one candidate per piece of content.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import replace

from spacy.tokens import Doc

from ..parse import text_of
from ..types import Candidate, Span
from .cues import Lexicon, load_lexicon
from .quotes import QUOTE_MARKS, Quote, find_quotes
from .speech import (accusations, according_to, hearsay, indirect_speech, made_clear, mention, nearest_party,
                     reported_claims, reported_stances, subject, transcript_lines)

__all__ = ["segment", "find_quotes", "load_lexicon", "Lexicon"]

_SENTENCE_END = re.compile(r"[.!?]\s|\n")
_ABBREVIATION = re.compile(r"(?:\b[A-Z]|\b(?:Rep|Sen|Gov|Mr|Mrs|Ms|Dr|St|Gen|Lt|Col|Sgt|Capt|Rev|Jr|Sr|Prof|Pres|"
                           r"Jan|Feb|Aug|Sept|Oct|Nov|Dec|No|U\.S|U\.N))$")
_QUOTE_ONLY_CUES = {"continue", "read"}  # cues only next to a quote: "Caddell continued:", "...,” she continued.
# "...” ― Pamela Padilla": a name after a dash closing the quote (vox pops, epigraphs)
_DASH_NAME = re.compile(r"[\"“”«»‘’'„.,!?]*[ \t]*([―—–]|--?)[ \t]*([A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,4})")
_DENIAL = re.compile(r"(den(y|ies|ied|ying)|refut|rebut)", re.I)


def segment(doc: Doc, lex: Lexicon | None = None) -> list[Candidate]:
    """All candidate statements of a parsed article, in text order."""
    lex = lex or load_lexicon()
    quotes = find_quotes(text_of(doc))
    long_quotes = [q for q in quotes if not q.short]
    direct = quoted = _attribute_quotes(doc, quotes, lex)
    lines = list(transcript_lines(doc))
    if lines:  # "PENCE: Well, look, ..." — the name prefix attributes an otherwise unattributed quote
        direct = [q for q in direct if q.speaker_mention is not None
                  or not any(q.start < t.end and t.start < q.end for t in lines)]
        direct += [t for t in lines if not any(q.start < t.end and t.start < q.end for q in direct)]
    quote_index = _Near(long_quotes)
    spoken = _Near([c for c in [*indirect_speech(doc, lex), *reported_claims(doc, lex), *according_to(doc, lex),
                                *made_clear(doc, lex)] if not _inside_quote(c, quote_index)])
    reported = _Near([c for c in [*reported_stances(doc, lex), *accusations(doc, lex), *hearsay(doc)]
                      if not _inside_quote(c, quote_index)])
    # a quote that is most of a reported clause is the statement; a quote inside a longer clause is part of it
    direct = _Near([_with_act(doc, q) for q in direct if not any(_quote_inside_clause(q, c, text_of(doc))
                                                                 for c in [*spoken.around(q), *reported.around(q)])])
    spoken = _Near([c for c in spoken.items if not any(_same_content(c, q) for q in direct.around(c))])
    # speech inside another speech's complement ("Stein said she plans to ...") nests like a reported stance
    inner = [c for c in spoken.items if any(_cue_inside(c, o) for o in spoken.around(c))]
    outer = _Near([c for c in spoken.items if not any(c is i for i in inner)])
    text = text_of(doc)
    out = sorted((_close_quote(text, c) for c in _resolve_nesting(text, direct, outer, [*reported.items, *inner])),
                 key=lambda c: (c.start, c.end))  # (a statement that takes in its opening mark starts earlier)
    return _relink(out, quoted)


def _relink(out: list[Candidate], quoted: list[Candidate]) -> list[Candidate]:
    """``continues`` counted among the quotes; make it the continued quote's index in ``out`` (None when that
    quote is gone)."""
    at = {c.start: i for i, c in enumerate(out) if c.kind == "direct"}
    return [replace(c, continues=at.get(quoted[c.continues].start)) if c.continues is not None else c for c in out]


def _close_quote(text: str, c: Candidate) -> Candidate:
    """A statement that opens a quote mark ends with its closing mark ('the talks were "a waste of time"'), and
    one that closes a quote mark opens with its opening mark ('"I will not negotiate" with the rebels ...')."""
    pairs = (("“", "”"), ("«", "»"), ("„", "“"))
    span, nxt, prev = text[c.start:c.end], text[c.end:c.end + 1], text[c.start - 1:c.start] if c.start else ""
    if (nxt == '"' and span.count('"') % 2 == 1) or any(
            nxt == close and span.count(open_) > span.count(close) for open_, close in pairs):
        c = replace(c, end=c.end + 1)
    elif (prev == '"' and span.count('"') % 2 == 1) or any(
            prev == open_ and span.count(close) > span.count(open_) for open_, close in pairs):
        c = replace(c, start=c.start - 1)
    return c


def _cue_inside(c: Candidate, o: Candidate) -> bool:
    return c is not o and c.cue is not None and o.start <= c.cue.start and c.end <= o.end


class _Near:
    """Spans sorted by start, for finding those near a position without scanning them all (long articles)."""

    REACH = 3000  # no statement or quote is longer than this many characters

    def __init__(self, items: list):
        self.items = sorted(items, key=lambda c: (c.start, c.end))
        self.starts = [c.start for c in self.items]

    def around(self, span) -> list:
        lo = bisect.bisect_left(self.starts, span.start - self.REACH)
        hi = bisect.bisect_right(self.starts, span.end)
        return self.items[lo:hi]


def _quote_inside_clause(q: Candidate, c: Candidate, text: str) -> bool:
    """"claiming such a meeting could happen if it is "well prepared"", "dismissed the offer as "a stunt"": the
    clause (or the reported act) opens before the quote; or the quoted clause goes on after it ('said that "the
    timing is not right" for new talks', '"I will not negotiate" with the rebels unless ...'). Narration the
    parser takes into the clause after a quote leaves the quote the statement ('said "I am ready to meet him"
    before flying to Washington')."""
    opens = c.cue is not None and (c.cue.end <= c.start or c.kind == "reported") and c.cue.end <= q.start
    if not (opens and c.start <= q.start and q.end <= c.end + 1):
        return False
    if c.start < q.start - 2:
        return True
    return c.end > q.end + 2 and _CONTINUES.match(text, q.end) is not None


# after a closing quote mark, words that carry on the quoted clause ('"I will not negotiate" with the rebels
# unless ...', '"the timing is not right" for new talks'), not the reporter's narration ("before flying to ...",
# "during a news conference", "in a statement")
_CONTINUES = re.compile(r"""[\s"“”«»‘’'„,]*(?:with|for|over|unless|if|until|once|provided|as long as)\b""", re.I)


def _same_content(c: Candidate, q: Candidate) -> bool:
    """A clause that a quote (``q``) mostly covers, or that shares the quote's cue, says what the quote says."""
    return _overlap(c, q) > 0.5 or (_overlap(c, q) > 0 and c.cue == q.cue)


def _overlap(a: Candidate, b: Candidate) -> float:
    inter = min(a.end, b.end) - max(a.start, b.start)
    return max(0, inter) / max(1, a.end - a.start)


def _inside_quote(c: Candidate, quotes: "_Near") -> bool:
    cue = c.cue
    return cue is not None and any(q.start <= cue.start < q.end for q in quotes.around(cue))


def _resolve_nesting(text: str, direct: "_Near", spoken: "_Near", reported: list[Candidate]) -> list[Candidate]:
    """Merge the three kinds: a reported stance inside another speaker's complement becomes a nested
    claim of that speaker (and replaces the complement when it covers most of it); inside the same
    speaker's complement, or inside a denial, it is dropped (the complement already says it)."""
    out = list(direct.items)
    replaced: set[int] = set()
    position = {id(s): i for i, s in enumerate(spoken.items)}
    for r in reported:
        outer = next((s for s in spoken.around(r) if s.start <= r.start < s.end), None)
        if outer is None:
            if not any(_same_content(r, d) for d in direct.around(r)):
                out.append(r)
            continue
        if outer.cue is not None and _DENIAL.match(outer.cue.text):
            continue  # "Ushakov denied that Putin had agreed to meet": the denial is the stance, the denier's
        host = position[id(outer)]
        same = (outer.speaker_mention and r.speaker_mention
                and outer.speaker_mention.start <= r.speaker_mention.start < outer.speaker_mention.end) \
            or (r.speaker_mention is not None and r.speaker_mention.text.lower() in _PRONOUNS)
        if same:
            continue
        out.append(Candidate(r.start, r.end, "indirect", outer.cue, r.speaker_mention, outer.speaker_mention))
        replaced.add(host)
    nested_index = _Near([c for c in out if c.reporter is not None])
    for i, s in enumerate(spoken.items):
        if i in replaced:
            nested = [c for c in nested_index.around(s) if s.start <= c.start and c.end <= s.end]
            if sum(c.end - c.start for c in nested) >= 0.5 * (s.end - s.start):
                continue
        out.append(s)
    out.sort(key=lambda c: (c.start, c.end))
    unique: list[Candidate] = []
    for c in out:
        if unique and c.start == unique[-1].start and c.end == unique[-1].end:
            continue
        prev = unique[-1] if unique else None
        if prev is not None and prev.start < c.start < prev.end and prev.kind != "direct" \
                and c.reporter is None and prev.reporter is None:
            unique[-1] = replace(prev, end=_trim_end(text, prev.start, c.start))  # "X rejected ... — offers Y ignored"
        unique.append(c)
    return unique


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:—–-"):
        end -= 1
    return end


_PRONOUNS = {"he", "she", "it", "they", "we", "i"}


def _attribute_quotes(doc: Doc, quotes: list[Quote], lex: Lexicon) -> list[Candidate]:
    """Each quote's cue and speaker: a reporting verb after the quote in its sentence ("...," Putin told
    journalists), else before it (Putin told reporters: "..."); a continued paragraph keeps its speaker."""
    text = text_of(doc)
    starts = [q.start for q in quotes]  # find_quotes gives them in text order
    out: list[Candidate] = []
    for q in quotes:
        after = _cue_after(doc, q, lex, starts)
        if q.continued and out and after is None:
            prev = out[-1]
            out.append(Candidate(q.start, q.end, "direct", prev.cue, prev.speaker_mention, continues=len(out) - 1))
            continue
        dash = _DASH_NAME.match(text, q.end) if after is None and not q.short else None
        if dash is not None:
            name_end = dash.end(2) - (text[dash.end(2) - 1] == "." and dash.end(2) - dash.start(2) > 2
                                      and text[dash.end(2) - 3] != " ")  # "Jorge Falcon." but "Oscar P."
            out.append(Candidate(q.start, q.end, "direct", Span.of(text, dash.start(1), dash.end(1)),
                                 Span.of(text, dash.start(2), name_end)))
            continue
        if q.short and after is None:
            continue  # a scare quote inside a sentence, not a statement
        cue_tok = after or _cue_before(doc, q, lex)
        if cue_tok is None:
            out.append(Candidate(q.start, q.end, "direct"))
            continue
        subj = subject(cue_tok, lex)
        if subj is None or q.start <= subj.idx < q.end:
            subj = _inverted_subject(cue_tok) or nearest_party(cue_tok)
            if subj is not None and q.start <= subj.idx < q.end:
                subj = None
        cue = Span.of(text, cue_tok.idx, cue_tok.idx + len(cue_tok))
        out.append(Candidate(q.start, q.end, "direct", cue, mention(subj) if subj is not None else None))
    return out


def _with_act(doc: Doc, q: Candidate) -> Candidate:
    """A partial quote in the phrase of the verb before it, which no clause holds, is that act with its quote
    ('calling the offer "a media performance"', 'accused India of "running away from the table"')."""
    text = text_of(doc)
    if q.kind != "direct" or q.cue is None or q.cue.end > q.start or not _partial(text, q):
        return q
    cue, first = (doc.char_span(a, a + 1, alignment_mode="expand") for a in (q.cue.start, q.start))
    if cue is None or first is None or cue[0] not in first[0].ancestors:
        return q
    return replace(q, start=q.cue.start, kind="reported")


def _tokens_in(doc: Doc, start: int, end: int):
    text = text_of(doc)
    end = min(end, len(text))
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    span = doc.char_span(start, end, alignment_mode="expand")
    return [] if span is None else list(span)


def _cue_after(doc: Doc, q: Quote, lex: Lexicon, starts: list[int]):
    """A reporting verb after the quote, before its sentence ends or the next quote (at ``starts``) opens."""
    text = text_of(doc)
    close = q.end
    while close < len(text) and (text[close] in QUOTE_MARKS or text[close] in ",.!?; "):
        close += 1
    if _partial(text, q) and not any(ch in ",.!?" for ch in text[q.end - 1:close]):
        return None  # 'India "runs from every table we set" and that Pakistan would stop asking': no "...," X said
    following = bisect.bisect_right(starts, close)
    nxt = min(_sentence_end(text, close), starts[following] - 1 if following < len(starts) else len(text))
    window = _tokens_in(doc, close, min(nxt + 1, close + 250)) if nxt > close else []
    return next((t for t in window if _is_quote_cue(t, lex, intransitive=True)), None)


def _partial(text: str, q: Quote | Candidate) -> bool:
    """A quote that carries on its sentence from a word before it ('accused India of "running away"'), not one
    that opens it or follows a colon or comma."""
    before = text[max(0, q.start - 40):q.start].rstrip(QUOTE_MARKS + " \t")
    return bool(before) and before[-1].isalnum()


def _is_quote_cue(t, lex: Lexicon, intransitive: bool = False) -> bool:
    """A reporting verb, or "continue"/"read" used on their own ("she continued.") or before a colon."""
    if t.pos_ not in {"VERB", "AUX"}:
        return False
    lemma = t.lemma_.lower()
    return lemma in lex.reporting_verbs or (lemma in _QUOTE_ONLY_CUES and not (
        intransitive and any(c.dep_ in {"dobj", "xcomp", "ccomp"} for c in t.children)))


def _sentence_end(text: str, pos: int) -> int:
    """Where the sentence running at ``pos`` ends; "Rep. Gwen Moore" and "John F. Kennedy" do not end one."""
    for m in _SENTENCE_END.finditer(text, pos):
        if m.group() == "\n" or not _ABBREVIATION.search(text, max(0, m.start() - 5), m.start()):
            return m.start()
    return len(text)


def _cue_before(doc: Doc, q: Quote, lex: Lexicon):
    """The last reporting verb before the quote in its sentence, or in a paragraph ending with a colon
    ("Caddell continued:" then the quote in the next paragraph)."""
    text = text_of(doc)
    lo = max(0, q.start - 400)
    intro = text[lo:q.start].rstrip(QUOTE_MARKS + " \t\n")
    colon = intro.endswith(":")
    if colon:
        window = _tokens_in(doc, lo + intro.rfind("\n") + 1, lo + len(intro))
    else:
        lo = max(lo, text.rfind("\n", lo, q.start),
                 max((m.end() for m in _SENTENCE_END.finditer(text, lo, q.start - 1)), default=lo))
        window = _tokens_in(doc, lo, max(lo, q.start - 1))
    verbs = [t for t in window if _is_quote_cue(t, lex) if colon or t.lemma_.lower() in lex.reporting_verbs]
    return verbs[-1] if verbs else None


def _inverted_subject(verb):
    """"..., said Putin" / "..., Putin said": a proper noun or pronoun right next to the verb."""
    for t in [*verb.rights, *verb.lefts]:
        if t.dep_ in {"nsubj", "dobj", "npadvmod", "attr", "dep"} and t.pos_ in {"PROPN", "PRON", "NOUN"} \
                and t.ent_type_ not in {"DATE", "TIME"} and t.text[0].isalnum():  # not "..., said Monday", not »
            return t
    return None
