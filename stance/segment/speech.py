"""Indirect speech and reported stances on the dependency parse.

- reporting verbs with clausal complements ("Putin said that ..."), including parallel reporting verbs
  that share the subject ("... and claimed that ...", "..., claiming ...");
- "according to X";
- reported stances as verbs ("rejected the offer", "ruled out talks", "called for negotiations",
  "expressed willingness to meet") and nouns ("Moscow's key demands", "offers that went unanswered by X");
- accusations ("accused the board of refusing to engage": the board's stance, reported by the accuser).
Nested claims: a reported stance with its own subject inside another speaker's complement keeps the outer
speaker as ``reporter``.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Doc, Span as SpacySpan, Token

from ..names import full_name, portfolio_holder
from ..parse import text_of
from ..types import Candidate, Span
from .cues import REPORTER_HEDGE, Lexicon
from .quotes import QUOTE_MARKS

_SUBJECTS = {"nsubj", "nsubjpass", "csubj"}
_NP_KEEP = {"compound", "amod", "det", "poss", "flat", "nummod", "nmod", "quantmod", "npadvmod"}
_EDGE_STRIP = " \t\n,;:—–-\"'“”‘’«»()"
_MADE_CLEAR = {"clear", "plain"}  # "made clear that ...": speech
_HEARSAY = {"understand", "say", "believe", "report", "think", "know", "rumour", "rumor"}  # "is understood to"
_NEED_PARTICLE = {"rule": {"out"}, "walk": {"out", "away"}, "pull": {"out"}, "turn": {"down"}}
_NEED_PREP = {"call": {"for", "on"}, "push": {"for"}, "press": {"for"}, "plead": {"for"}, "appeal": {"for"},
              "open": {"to"}}
_NOT_PARTIES = {"talk", "talks", "negotiation", "meeting", "summit", "dialogue", "process", "round", "it", "this",
                "door", "refusal", "offer", "proposal", "invitation", "call", "demand", "decision", "statement",
                "position", "plan", "move", "letter", "that", "which"}
_CONDITION_MARKS = {"if", "unless", "until", "till", "once", "provided", "providing", "as", "before", "after", "when",
                    "whenever"}
_TEMPORAL_MARKS = {"after", "as", "when", "before"}
_CONDITION_ONLY_MARKS = _CONDITION_MARKS - _TEMPORAL_MARKS - {"whenever"}  # "if", "unless", "once", "until", ...
_SPENDING = {"spend", "keep", "continue"}
_VOTING = {"vote"}  # "the council voted 7-1 to offer its hall as a venue": the voters offer
_ERGATIVE = {"resume", "suspend"}  # intransitive, their subject is the activity ("talks resumed")
_NOT_COMPLEMENTS = {"conj", "advcl", "ccomp", "xcomp", "parataxis"}  # a clause of its own, not a stray complement
_PARTY_ENTS = {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"}
_NON_RESPONSE = {"respond", "reply", "answer", "ignore"}  # "X had not responded": X holds the stance
_ANSWERING = _NON_RESPONSE - {"ignore"}  # "has not answered": a stance verb only when negated (``_left_unanswered``)
# what a party may leave unanswered that is no offer of talks: the press's questions
_PRESS_QUERIES = {"comment", "interview", "question", "query", "inquiry", "enquiry", "email", "call", "message",
                  "reporter", "journalist", "press", "newspaper", "reuters", "afp", "ap", "contact", "reach"}
_PARTITIVES = {"some", "many", "most", "several", "few", "all", "both", "majority", "number", "group", "one", "two",
               "three", "dozens", "hundreds", "thousands"}  # "some of X", "a group of X": X speaks
_DELEGATES = {"leaders", "officials", "representatives", "negotiators", "delegates", "envoys"}
_ORGANS = {"board", "management", "leadership", "directors"}  # "the board of Hartwell Group": the firm
_ORGAN_MEMBERS = {"governors", "trustees", "directors", "regents", "commissioners", "supervisors", "management"}
_KNOWING = {"familiar", "close"}  # anonymous sources described by what they know
_SPEAKS_FOR = {"spokesman", "spokeswoman", "spokesperson", "representative", "spokesmen", "spokespeople"}
_RESPONSES = {"answer", "respond", "reply", "ignore", "decline", "reject", "refuse", "rebuff", "spurn", "dismiss",
              "snub", "accept", "welcome"}  # a party's answer to an offer
_DISCLOSING = {"say", "confirm", "disclose", "reveal", "indicate"}  # reporting verbs that can withhold
_DENYING = {"deny", "reject", "dismiss", "refute", "rebut"}  # "rejected reports that ...": the clause is denied
_WITHHOLDING = {"decline", "refuse"}  # "declined to say whether ...": the speaker withholds a stance
_DOOR_TO = {"talk", "talks", "negotiation", "dialogue", "meeting", "contact", "discussion", "deal", "agreement",
            "compromise", "summit", "diplomacy", "bid", "offer", "settlement", "peace", "engagement", "mediation"}
_EXPRESS_OBJECTS = {"willingness", "readiness", "interest", "openness", "desire", "hope", "support",
                    "opposition", "reluctance", "unwillingness", "refusal", "preference", "wish"}


def token_span(doc: Doc, first: int, last: int) -> Span:
    """The character span of tokens first..last (inclusive), with edge punctuation and 'that' stripped."""
    text = text_of(doc)
    while last > first and (doc[last].dep_ == "cc" or doc[last].is_punct):
        last -= 1
    start, end = doc[first].idx, doc[last].idx + len(doc[last])
    while start < end and text[start] in _EDGE_STRIP:
        start += 1
    while end > start and text[end - 1] in _EDGE_STRIP:
        end -= 1
    if text[start:start + 5].lower() == "that " and doc[first].lower_ == "that":
        start += 5
    return Span.of(text, start, end)


def mention(tok: Token) -> Span:
    """The noun phrase of a speaker or target token, without relative clauses, appositions or prepositions.

    A role noun with a named apposition is the name ("the government's foreign minister, Shaya al-Zindani" ->
    "Shaya al-Zindani"); a spokesperson keeps whom they speak for ("a spokesman for the ministry")."""
    if tok.pos_ != "PROPN" or tok.ent_type_ != "PERSON":  # "The Catholic Archbishop of X, Andrew Nkea,"
        tok = _named_apposition(tok) or tok
    whole = _whole_of(tok)
    if whole is not None:  # "Some of Marston's investors", "Leaders of the union": the investors, the union
        return mention(whole)
    verb = next((c for c in tok.lefts if c.dep_ == "compound" and c.pos_ == "VERB" and not c.ent_type_), None)
    if verb is not None:  # "[Minister Chung met association members] ... promised": the parser made a clause a noun
        before = tok.doc[tok.left_edge.i:verb.i]
        party = next((entity(t) for t in reversed(before) if t.ent_type_ in _PARTY_ENTS), None)
        if party is not None:
            return Span.of(text_of(tok.doc), party.start_char, party.end_char)
    person = _closing_person(tok)
    if person is not None:
        return Span.of(text_of(tok.doc), person.start_char, person.end_char)
    tokens = [tok]
    if tok.lemma_.lower() in _SPEAKS_FOR:
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ == "for":
                tokens.extend(prep.subtree)
    for adj in tok.rights:  # "people familiar with the talks", "sources close to the government"
        if adj.dep_ == "amod" and adj.lower_ in _KNOWING:
            tokens.extend(adj.subtree)
    stack = [tok]
    while stack:
        t = stack.pop()
        for c in t.children:
            if c.dep_ in _NP_KEEP and c.i < tok.i + 3:
                tokens.append(c)
                stack.append(c)
    first, last = min(t.i for t in tokens), max(t.i for t in tokens)
    if tok.ent_type_ in _PARTY_ENTS:  # the whole name: "the Conference of Serbian Universities"
        ent = entity(tok)
        first, last = min(first, ent.start), max(last, ent.end - 1)
    name = full_name(tok.doc, first, last)
    return Span.of(text_of(tok.doc), name.start_char, name.end_char)


def entity(tok: Token) -> SpacySpan | None:
    """The named entity ``tok`` lies in, read from the tokens' IOB tags (``Span.ents`` walks every entity of
    the document, which is quadratic over a long article)."""
    if not tok.ent_type_:
        return None
    doc, start, end = tok.doc, tok.i, tok.i + 1
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return SpacySpan(doc, start, end, label=tok.ent_type_)


def _whole_of(tok: Token) -> Token | None:
    """The noun after "of" that a part, a delegation or an organ speaks for: "some of the investors", "leaders
    of the union" (not "the leader of the union": one person, whom a title may name), "the board of Hartwell
    Group" (a name: "the board of directors" is the board)."""
    if tok.lower_ not in _PARTITIVES and tok.lower_ not in _DELEGATES and tok.lower_ not in _ORGANS:
        return None
    of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" and c.i == tok.i + 1), None)
    whole = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    if whole is not None and tok.lower_ in _ORGANS:  # a named party, not "the board of Trustees"
        named = whole.pos_ == "PROPN" and whole.ent_type_ in _PARTY_ENTS and whole.lower_ not in _ORGAN_MEMBERS
        return whole if named else None
    return whole if whole is not None and (whole.pos_ in {"NOUN", "PROPN"} or whole.lower_ in {"them", "us"}) else None


def _named_apposition(tok: Token) -> Token | None:
    """The name in an apposition to a role: a person, or a proper noun after a common noun or an unlabelled
    title ("Scotland's Cabinet Secretary for Rural Affairs, Mairi Gougeon,"), also one apposition further in
    ("The operator of the landfill, the company EkoResurs,")."""
    untitled = tok.pos_ != "PROPN" or not tok.ent_type_
    for c in tok.children:
        if c.dep_ != "appos":
            continue
        if c.ent_type_ == "PERSON" or (untitled and c.pos_ == "PROPN"):
            return c
        inner = next((g for g in c.children if g.dep_ == "appos" and g.pos_ == "PROPN"), None)
        if tok.pos_ == "NOUN" and c.pos_ == "NOUN" and inner is not None:
            return inner
    return None


def _closing_person(tok: Token) -> SpacySpan | None:
    """The person a title phrase ends with ("Deputy Mayor for Mobility Ricardo Antunes", "The president of
    the ECOWAS Commission, Omar Alieu Touray,"), reached through prepositions, compounds and appositions;
    never for "a spokesman for X", who speaks for X."""
    if tok.ent_type_ == "PERSON" or tok.lemma_.lower() in _SPEAKS_FOR:
        return None
    last = tok.right_edge
    while last.i > tok.i and (last.is_punct or last.dep_ == "cc"):
        last = last.nbor(-1)
    ent = entity(last) if last.ent_type_ else None
    if ent is None or ent.end - 1 != last.i or ent.start <= tok.i:
        return None
    if ent.label_ != "PERSON" and not _named_after_a_name(ent):
        # only the title's own portfolio: not "The Ministry, through Secretary for X Y,"
        ent = portfolio_holder(ent) if ent.root.head.head.i == tok.i else None
        if ent is None:
            return None
    t = ent.root
    while t.i != tok.i:
        if t.dep_ not in {"pobj", "prep", "compound", "appos"} or t.head.i == t.i:
            return None
        t = t.head
    return ent


def _named_after_a_name(ent: SpacySpan) -> bool:
    """A name the tagger did not take for a person, in apposition to a name ("The president of South West
    State, Abdiaziz Laftagareen,"): a name is not named again, so it names the title (but "the rebel
    coalition, the Alliance Fleuve Congo," names the coalition)."""
    doc, head = ent.doc, ent.root.head
    return (ent.root.dep_ == "appos" and head.pos_ == "PROPN" and ent.start > 0 and doc[ent.start - 1].text == ","
            and doc[ent.start].pos_ == "PROPN")


_CLIMB = frozenset({"conj", "advcl", "xcomp", "ccomp", "acl"})


def subject(verb: Token, lex: Lexicon, through: frozenset[str] = _CLIMB) -> Token | None:
    """The verb's subject, climbing through conjunctions and participial clauses (``through``) that share it."""
    seen = 0
    while seen < 6:
        subjects = [c for c in verb.children  # never a stray « or »
                    if c.dep_ in _SUBJECTS and any(ch.isalnum() for ch in c.text)]
        if subjects:  # two subjects are a misparse of "Global rental platform Nestaway said": the name wins
            subj = _relative_antecedent(next((c for c in subjects if c.ent_type_ in _PARTY_ENTS), subjects[0]))
            return _fronted_name(subj) or subj
        for c in verb.lefts:  # the small parser sometimes labels a sentence-initial name intj or dep
            if c.dep_ in {"intj", "dep", "npadvmod"} and c.pos_ in {"PROPN", "PRON"} and c.i == c.sent.start:
                return c
        for c in verb.children:
            if c.dep_ == "agent":
                objs = [g for g in c.children if g.dep_ == "pobj"]
                if objs:
                    return objs[0]
        if verb.dep_ not in through or verb.head.i == verb.i:
            return None
        head = verb.head
        # "Putin claimed that Moscow proposed X and claimed that ...": a reporting verb conjoined inside
        # a complement shares the reporter's subject, not the complement's.
        # Not "[X] declined to say ..., officials said": X declines.
        if (verb.lemma_ in lex.reporting_verbs and head.dep_ == "ccomp" and head.head.lemma_ in lex.reporting_verbs
                and not (verb.dep_ == "xcomp" and head.lemma_.lower() in _WITHHOLDING)):
            head = head.head
        if verb.dep_ == "acl" and head.dep_ == "dobj":  # "X issued a note urging ...": X urges
            head = head.head
        verb = head
        seen += 1
    return None


def _fronted_name(tok: Token) -> Token | None:
    """The name that opens the sentence before a described subject, which the parser left out of it
    ("Movia, the Milan-based platform ..., said": Movia, not Milan)."""
    first, last = tok.left_edge.i, tok.right_edge.i
    closed = tok.doc[last].text == "," or (last + 1 < len(tok.doc) and tok.doc[last + 1].text == ",")
    if tok.pos_ != "NOUN" or first < 2 or tok.doc[first - 1].text != "," or not closed:
        return None  # not "Washington, the embassy said, had ...": a reporter set in the clause
    ent = entity(tok.doc[first - 2])
    if ent is None or ent.label_ not in _PARTY_ENTS or ent.start != tok.sent.start or ent.root.dep_ in _SUBJECTS:
        return None
    return ent.root


def nearest_party(verb: Token) -> Token | None:
    """When the parse gives a reporting verb no subject ("Kim Yo Jong, the leader's sister, said"): the last
    person named before it in its sentence, else the last organisation or place."""
    doc, ents, start = verb.doc, [], verb.sent.start
    i = start
    while i < verb.i:
        ent = entity(doc[i])
        if ent is not None and ent.start >= start and ent.end <= verb.i and ent.label_ in _PARTY_ENTS:
            ents.append(ent)
        i = ent.end if ent is not None else i + 1
    persons = [e for e in ents if e.label_ == "PERSON"]
    pick = (persons or ents)[-1:]
    return pick[0].root if pick else None


def _stance_subject(tok: Token, lex: Lexicon) -> Token | None:
    """A stance verb's subject, through conjunctions and participles ("wrote to X calling for talks"), and
    through xcomp only up to another stance verb ("rejected recognising X and called for talks") or a verb of
    time spent ("has spent a fortnight calling for ..."), never up to an ordinary verb ("discussed offering")."""
    verb = tok
    for _ in range(6):
        subj = subject(verb, lex, through=frozenset())
        if subj is not None and verb.dep_ in {"advcl", "pcomp"} and _dated_participle(verb, subj):
            # "had written to X since May proposing talks": the writer proposes, from the verb above
            verb = next((a for a in verb.ancestors if a.pos_ in {"VERB", "AUX"}), None)
            if verb is None:
                return None
            continue
        root = verb.sent.root
        if subj is None and verb.dep_ == "acl" and root.pos_ in {"NOUN", "PROPN"} and (
                verb.head.i == root.i or verb.nbor(-1).text == ","):
            return root  # the parser made the subject the root: "Iran's foreign minister, X, offered to ...",
            # "The association, which represents 4,800 holders, called on the mayor to ..."
        if subj is not None and subj.dep_ == "nsubjpass" and verb is tok:  # "concessions had been offered (by X)":
            return next((g for c in verb.children if c.dep_ == "agent"  # the agent holds it; what was offered
                         for g in c.children if g.dep_ == "pobj"), None)  # or refused is no party
        if subj is not None or verb.dep_ not in {"conj", "xcomp", "advcl"} or verb.head.i == verb.i:
            return subj
        if verb.dep_ == "xcomp" and not (_is_stance_verb(verb.head, lex)
                                         or verb.head.lemma_.lower() in _SPENDING | _VOTING):
            return None
        if verb.dep_ == "advcl" and (verb.tag_ != "VBG" or any(c.dep_ == "mark" for c in verb.children)):
            return None  # only a bare participle shares its verb's subject: "wrote to X, calling for talks"
        verb = _reporter_of(verb, lex) or verb.head
    return None


def _dated_participle(verb: Token, subj: Token) -> bool:
    """A participle after a date that the parser made its subject ("since [May] proposing talks"): the date is
    the object of the preposition, and the participle is bare."""
    return verb.tag_ == "VBG" and subj.ent_type_ in {"DATE", "TIME"} and subj.i < verb.i


def _reporter_of(verb: Token, lex: Lexicon) -> Token | None:
    """The reporting verb a past-tense verb is conjoined to when the parser put it inside that verb's complement
    in another tense: "X wrote that the agency should avoid ultimatums and urged dialogue", "X said his men
    were ready to sit with any authority that is serious and called for a dialogue" (X urged, X called), or
    when the complement's subject is no party that could act ("X said the government's refusal was a mistake
    and called on ...")."""
    head = verb.head
    if verb.dep_ != "conj" or verb.tag_ != "VBD":
        return None
    thing = head.lemma_ == "be" and any(c.dep_ in _SUBJECTS and c.lemma_.lower() in _NOT_PARTIES
                                        for c in head.children)
    if not (head.tag_ in {"VBZ", "VBP"} or _has_modal(head) or thing):
        return None
    return next((t.head for t in (head, *head.ancestors) if t.dep_ == "ccomp" and _is_reporting(t.head, lex)), None)


def _relative_antecedent(tok: Token) -> Token:
    """The party a subject stands for: a relative pronoun's antecedent, and the noun before a participle the
    parser made a clausal subject ("[Campaigners fighting plans ...] have turned down": Campaigners)."""
    if tok.lower_ in {"who", "which", "that"} and tok.head.dep_ == "relcl":
        return tok.head.head
    if tok.dep_ == "csubj" and tok.tag_ == "VBG":
        return next((c for c in tok.lefts if c.dep_ == "nsubj" and c.pos_ in {"NOUN", "PROPN"}), tok)
    return tok


def _subtree_without(root: Token, cut: set[int], skip: int = -1) -> tuple[int, int]:
    """First and last token index of root's subtree, stopping at the subtrees rooted at `cut` or `skip`."""
    keep: list[int] = []
    stack = [root]
    while stack:
        t = stack.pop()
        keep.append(t.i)
        stack.extend(c for c in t.children if c.i not in cut and c.i != skip)
    keep.sort()
    # contiguous run around the root
    lo = hi = keep.index(root.i)
    while lo > 0 and keep[lo - 1] == keep[lo] - 1:
        lo -= 1
    while hi < len(keep) - 1 and keep[hi + 1] == keep[hi] + 1:
        hi += 1
    return keep[lo], keep[hi]


class _Union:
    """Membership in either of two sets, without copying them."""

    def __init__(self, a: set[int], b: set[int]):
        self.a, self.b = a, b

    def __contains__(self, i: int) -> bool:
        return i in self.a or i in self.b


def _is_reporting(tok: Token, lex: Lexicon) -> bool:
    return tok.pos_ in {"VERB", "AUX"} and tok.lemma_.lower() in lex.reporting_verbs


def _is_stance_verb(tok: Token, lex: Lexicon) -> bool:
    lemma = tok.lemma_.lower()
    if tok.pos_ == "VERB" and lemma in _ANSWERING:
        return _left_unanswered(tok)
    if tok.pos_ != "VERB" or lemma not in lex.stance_verbs:
        return False
    if lemma in _NEED_PARTICLE:  # the parser takes "out" in "walked out of talks" for a preposition
        return any(c.dep_ in {"prt", "prep"} and c.lower_ in _NEED_PARTICLE[lemma] for c in tok.children)
    if lemma in _NEED_PREP:  # also "called for the channels to be restored", where "for" marks a clause
        return any((c.dep_ in {"prep", "prt"} and c.lower_ in _NEED_PREP[lemma])
                   or (c.dep_ in {"advcl", "ccomp"} and any(m.dep_ == "mark" and m.lower_ in _NEED_PREP[lemma]
                                                            and m.i == c.left_edge.i for m in c.children))
                   for c in tok.children)
    if lemma in {"express", "signal", "voice"}:
        return any(c.dep_ == "dobj" and c.lemma_.lower() in _EXPRESS_OBJECTS for c in tok.children)
    if lemma in {"leave", "keep"}:  # "left the door open to indirect contacts", "left open the door to talks",
        # "has left the door ajar"; not a room's door ("left the door open for reporters")
        said = [t for c in tok.children if c.dep_ != "advcl" for t in c.subtree]
        return any(t.dep_ == "dobj" and t.lemma_.lower() == "door" for t in said) and (
            any(t.lower_ == "ajar" for t in said) or any(t.lower_ == "open" for t in said) and any(
                t.dep_ == "prep" and t.lower_ in {"to", "for"} and any(w.lemma_.lower() in _DOOR_TO for w in t.subtree)
                for t in said))
    if lemma in {"renew", "repeat", "reiterate"}:  # "renewed his offer to host talks"
        return any(c.dep_ == "dobj" and c.lower_ in lex.stance_nouns for c in tok.children)
    return True


def _left_unanswered(verb: Token) -> bool:
    """A party that has not answered what was put to it ("Calderbrook has answered neither", "its officials have
    not replied to a ministry letter"); not a request for comment or an interview, which is no offer of talks."""
    subj = next((c for c in verb.children if c.dep_ in _SUBJECTS), None)
    silent = any(c.dep_ == "neg" and (subj is None or subj.i < c.i) for c in verb.children if c.i < verb.i) or any(
        c.dep_ == "dobj" and c.lower_ in {"neither", "none"} for c in verb.children)  # not a quote's "Certainly not"
    asked = [t for c in verb.children if c.dep_ in {"dobj", "prep", "advcl"} for t in c.subtree]
    return silent and not any(t.lemma_.lower() in _PRESS_QUERIES for t in asked)


def _cue(tok: Token) -> Span:
    preps = _NEED_PREP.get(tok.lemma_.lower(), set())
    parts = [tok] + [c for c in tok.children if c.dep_ == "prt" or (c.dep_ == "prep" and c.lower_ in preps)]
    first, last = min(p.i for p in parts), max(p.i for p in parts)
    doc = tok.doc
    return Span.of(text_of(doc), doc[first].idx, doc[last].idx + len(doc[last]))


def _speech_roots(lex: Lexicon, doc: Doc) -> set[int]:
    return {t.i for t in doc if _is_reporting(t, lex) or _is_stance_verb(t, lex)}


def _trailing_aside(verb: Token, c: Token) -> bool:
    """A participle clause closing the verb's clause (", choosing instead to ..."); not one followed by more
    of it ("— comprised of ... — as a condition for ...")."""
    return (c.dep_ == "advcl" and c.i > verb.i and c.doc[c.left_edge.i - 1].is_punct
            and not any(d.i > c.right_edge.i and not d.is_punct for d in verb.subtree))


def _asides(root: Token) -> set[int]:
    """The trailing participle clauses anywhere in root's subtree (", choosing instead to fight until ...")."""
    return {c.i for t in root.subtree for c in t.children if _trailing_aside(t, c)}


def _is_condition(tok: Token) -> bool:
    """An adverbial clause of condition or time ("only if Bogota agrees to ...", "as soon as the mayor agrees");
    not a past event in a narrated past ("talks collapsed after the union rejected the offer")."""
    marks = [c.lower_ for c in tok.children if c.dep_ == "mark" and c.lower_ in _CONDITION_MARKS]
    return tok.dep_ == "advcl" and bool(marks) and not (marks[0] in _TEMPORAL_MARKS and _narrated(tok))


def _narrated(clause: Token) -> bool:
    """A past-tense clause modifying a past-tense verb with no modal: an event told, not a condition set
    ("would resume talks after Bogota honoured ..." is a condition)."""
    head = clause.head
    return clause.tag_ == "VBD" and head.tag_ in {"VBD", "VBG", "VBN"} and not _has_modal(head)


def _has_modal(verb: Token) -> bool:
    return any(c.dep_ == "aux" and c.tag_ == "MD" for c in verb.children)


def _as_source(verb: Token) -> bool:
    """"..., as one newspaper reported": a source for the clause before, not a statement of its own."""
    return verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children)


def _in_condition(tok: Token) -> bool:
    """Whether a cue lies inside a condition: it is part of another statement's content, not a statement."""
    while tok.head.i != tok.i:
        if _is_condition(tok):
            return True
        tok = tok.head
    return False


def _parallel(doc: Doc, roots: Iterable[int]) -> set[int]:
    """Speech verbs conjoined with another ("said A and claimed B", "..., adding B"), not conditions, and not a
    participle that tells how an act was done ("had written to the minister asking for a meeting")."""
    return {i for i in roots if (doc[i].dep_ == "conj" or doc[i].dep_ == "advcl" and _set_off(doc[i]))
            and not _is_condition(doc[i])}


def _set_off(verb: Token) -> bool:
    """A clause set off by punctuation (a comma, a dash, a bracket) before it."""
    first = verb.left_edge.i
    return first > 0 and verb.doc[first - 1].is_punct


def indirect_speech(doc: Doc, lex: Lexicon) -> Iterable[Candidate]:
    """Reporting verbs with a clausal complement: "X said (that) ...", "..., X said", "claiming ..."."""
    parallel = _parallel(doc, (t.i for t in doc if _is_reporting(t, lex))) | {
        t.i for t in doc if _is_stance_verb(t, lex) and _reporter_of(t, lex) is not None}  # "... and refused to meet X"
    for tok in doc:
        if not _is_reporting(tok, lex) or _in_condition(tok) or _in_question(tok) or _as_source(tok):
            continue
        comps = [c for c in tok.children if (c.dep_ == "ccomp" and not _before_colon(c, tok))
                 or (c.dep_ == "xcomp" and tok.lemma_.lower() in lex.xcomp_verbs)]
        if not comps and tok.lemma_.lower() in lex.object_verbs:
            comps = [c for c in tok.children if c.dep_ == "dobj"]
        if not comps:
            comps = _stray_that_clause(tok, lex)
        if not comps:
            aside = _parenthetical(tok, parallel, lex)
            if aside is not None:
                yield aside
            continue
        if _asked(tok, comps[0]) or (tok.i > comps[0].right_edge.i and _relays_refusal(comps[0])):
            continue
        withheld = _withheld(tok, comps[0])
        further = [] if withheld is not None else _that_conjuncts(comps[0], lex)
        cut = _Union(parallel, {c.i for c in further})
        first, last = _subtree_without(comps[0], cut, tok.i)
        if len(comps) > 1 and not further:
            last = max(last, _subtree_without(comps[-1], cut, tok.i)[1])
        clauses = [(comps[0], first, last)] + [(c, _that_mark(c).i + 1, _subtree_without(c, cut, tok.i)[1])
                                               for c in further]
        clause, first, last = clauses[-1]  # a condition hung on the reporting verb ends the last clause
        clauses[-1] = clause, first, max([last] + [c.right_edge.i for c in tok.children
                                                   if _conjoined_condition(c, comps[0])])
        cue = _cue(tok) if withheld is None else Span.of(text_of(doc), withheld.idx, tok.idx + len(tok))
        subj = subject(tok, lex) or nearest_party(tok)
        speaker = mention(subj) if subj is not None else None
        for clause, first, last in clauses:
            content = token_span(doc, first if withheld is None else withheld.i, last)
            if content.end - content.start < 3:
                continue
            if withheld is not None:
                yield Candidate(content.start, content.end, "indirect", cue, speaker)
            else:
                yield _reported(content, cue, speaker, clause, lex)


def _that_conjuncts(clause: Token, lex: Lexicon) -> list[Token]:
    """Complements coordinated with the first one, each with its own "that" and subject ("said A and that B",
    "A, that B and that C"): each is a statement of its own. Not when the first is itself a reporting verb's
    ("said X claimed A and that B"), nor clauses deeper inside it ("said she knew that A and that B")."""
    if _is_reporting(clause, lex):
        return []
    found: list[Token] = []
    for t in clause.subtree:
        if (t.dep_ == "conj" and t.i > clause.i and (t.head.i == clause.i or t.head in found)
                and _that_mark(t) is not None and any(c.dep_ in _SUBJECTS | {"expl"} for c in t.children)):
            found.append(t)
    return found


def _that_mark(clause: Token) -> Token | None:
    """The "that" that opens a clause."""
    return next((c for c in clause.children if c.dep_ == "mark" and c.lower_ == "that" and c.i == clause.left_edge.i),
                None)


def _reported(content: Span, cue: Span, speaker: Span | None, clause: Token, lex: Lexicon) -> Candidate:
    """Indirect speech whose clause may name another party as the stance holder: "Kenyatta said Asmara had
    not responded" and "the ministry said the offer had gone unanswered by Pyongyang" are the silent party's
    whatever side it is on; "Lee said Pyongyang had no interest in talks" is Pyongyang's when it is not on
    Lee's side (attribution decides, from ``holder``)."""
    holder = _named_subject(clause)
    silent = holder if holder is not None and clause.lemma_.lower() in _NON_RESPONSE else None
    word = next((c for c in clause.children if c.lower_ in lex.unanswered), None)
    if word is not None:
        silent = next(iter(_agents(clause, word)), silent)
    if silent is not None and speaker is not None:
        return Candidate(content.start, content.end, "indirect", cue, mention(silent), reporter=speaker)
    return Candidate(content.start, content.end, "indirect", cue, speaker,
                     holder=mention(holder) if holder is not None and speaker is not None else None)


def _conjoined_condition(clause: Token, complement: Token) -> bool:
    """A condition the parser hung on the reporting verb after its complement, as a conjunct or an adverbial
    clause ("said it would meet the board, but only if the lockout ended"), or through "provided" taken for a
    preposition ("said the EU was ready to negotiate, provided that Beijing ends its subsidies"): it belongs to
    what was said; not the reporter's hedge ("..., if the reports were accurate")."""
    if clause.i <= complement.right_edge.i:
        return False
    if clause.dep_ == "prep":
        return clause.lower_ in {"provided", "providing"}
    mark = next((c for c in clause.children if c.dep_ == "mark" and c.lower_ in _CONDITION_ONLY_MARKS), None)
    if mark is None or clause.dep_ not in {"conj", "advcl"}:
        return False
    # not the reporter's hedge: "..., if Western media reports were accurate"
    return not REPORTER_HEDGE.search(clause.doc[mark.i + 1:clause.right_edge.i + 1].text)


def _question(clause: Token) -> bool:
    """An embedded question: a clause opened by "whether" or "if"."""
    return any(c.dep_ == "mark" and c.lower_ in {"whether", "if"} and c.i == clause.left_edge.i
               for c in clause.children)


def _asked(verb: Token, clause: Token) -> bool:
    """"Asked whether he would meet Lai, Trump said ...": the question put to the speaker, not a statement."""
    return (verb.lemma_.lower() == "ask" and (verb.tag_ == "VBN" or (verb.tag_ == "VBD" and verb.dep_ == "advcl"))
            and _question(clause) and not any(c.dep_ in {"nsubj", "csubj"} for c in verb.children))
    # (the tagger makes some a VBD; "he was asked whether" is a question too, "Murphy asked whether" is not)


def _in_question(tok: Token) -> bool:
    """Whether a word lies in the question put to a speaker ("Asked whether the association would accept a
    meeting, ...")."""
    while tok.head.i != tok.i:
        if _asked(tok.head, tok):
            return True
        tok = tok.head
    return False


def _withheld(verb: Token, clause: Token) -> Token | None:
    """The first word of a refusal to disclose ("declined to say whether ...", "did not say if ..."), whose
    statement runs from there; None when the verb reports what was said."""
    if verb.lemma_.lower() not in _DISCLOSING or not _question(clause):
        return None
    if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in _WITHHOLDING:
        return verb.head
    neg = [c for c in verb.children if c.dep_ == "neg"]
    lead = [c for c in verb.children if c.dep_ in {"aux", "neg"} and c.i < verb.i]
    return min(lead, key=lambda t: t.i) if neg and lead else None


def _withholds(verb: Token) -> bool:
    """"declined to say whether ...": the verb whose "to say" clause is a refusal to disclose."""
    return any(getattr(_withheld(x, c), "i", None) == verb.i for x in verb.children if x.dep_ == "xcomp"
               for c in x.children if c.dep_ == "ccomp")


def _relays_refusal(clause: Token) -> bool:
    """"The company did not say whether ..., a spokesman said": a verb that reports only a refusal to disclose,
    which is the statement (found as the inner verb's own)."""
    return _withholds(clause) or any(_withheld(clause, c) is not None for c in clause.children if c.dep_ == "ccomp")


def _stray_that_clause(verb: Token, lex: Lexicon) -> list[Token]:
    """A "that" clause the parser hung elsewhere in the verb's phrase, with no verb between: "said on a radio
    programme that the ministry would ..." (under "programme"), "added that the NFF 'fully supports' the
    league's summit" (under "summit": the quote marks broke the clause); not the clause of a noun of speech
    or stance ("reiterated claims that ...", see ``reported_claims``)."""
    nouns = lex.reporting_nouns | lex.stance_nouns
    for t in verb.subtree:
        if t.i > verb.i and t.dep_ == "mark" and t.lower_ == "that":
            clause, up = t.head, t.head.head
            while (up.i != verb.i and up.pos_ not in {"VERB", "AUX"} and up.lemma_.lower() not in nouns
                   and up.head.i != up.i):
                up = up.head
            stray = up.i == verb.i and clause.i != verb.i and clause.dep_ not in _NOT_COMPLEMENTS
            return [clause] if stray else []
    return []


def _before_colon(clause: Token, verb: Token) -> bool:
    """A clause that ends in a colon or semicolon before the verb is not what the verb reports ("Asif was less
    private: he told a channel that ..."); the small parser makes it a complement."""
    return clause.i < verb.i and any(t.text in {":", ";"} for t in verb.doc[clause.right_edge.i + 1:verb.i])


def _named_subject(clause: Token) -> Token | None:
    """The subject of a reported clause when it names a party ("Kenyatta said Asmara had not responded",
    "Lee said Pyongyang had no interest in talks"); never a pronoun or a common noun."""
    subj = next((c for c in clause.children if c.dep_ in _SUBJECTS), None)
    if subj is None or (subj.pos_ != "PROPN" and subj.ent_type_ not in _PARTY_ENTS):
        return None
    return subj


def reported_claims(doc: Doc, lex: Lexicon) -> Iterable[Candidate]:
    """Reporting nouns with a that-clause: "reiterated claims that ...", "Putin's warning that ..."."""
    for tok in doc:
        if tok.pos_ != "NOUN" or tok.lower_ not in lex.reporting_nouns:
            continue
        clause = next((c for c in tok.children if c.dep_ in {"acl", "ccomp"}
                       and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)), None)
        if clause is None or _denied(clause):
            continue  # "rejected the claim that it had refused to negotiate": one statement, the denier's
        owner = next((c for c in tok.children if c.dep_ == "poss"), None)
        if owner is None and tok.dep_ in {"dobj", "pobj"}:
            verb = tok.head if tok.dep_ == "dobj" else tok.head.head
            owner = subject(verb, lex)
        first, last = _subtree_without(clause, _asides(clause))
        content = token_span(doc, first, last)
        yield Candidate(content.start, content.end, "indirect", Span.of(text_of(doc), tok.idx, tok.idx + len(tok)),
                        mention(owner) if owner is not None else None)


def _parenthetical(tok: Token, parallel: set[int], lex: Lexicon) -> Candidate | None:
    """"But to prevent problems, he said, officials should be vigilant": the host clause is the content;
    "called the charges unsubstantiated": the object and its predicate. A cue whose host is itself a
    reporting verb is that verb's content ("Kenyatta said Asmara had not responded"), not an aside."""
    doc = tok.doc
    subj = next((c for c in tok.children if c.dep_ in _SUBJECTS), None)
    if tok.lemma_ == "call":
        obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
        pred = next((c for c in tok.children if c.dep_ in {"oprd", "xcomp", "attr"}), None)
        if obj is None or pred is None or subj is None:
            return None
        last = max(t.i for t in pred.subtree)
        content = token_span(doc, obj.left_edge.i, last)
    elif tok.dep_ in {"parataxis", "ccomp", "advcl"} and tok.head.i != tok.i and tok.head.pos_ in {"VERB", "AUX"} \
            and subj is not None and not any(c.dep_ == "dobj" for c in tok.children) \
            and not _is_reporting(tok.head, lex):
        host = tok.head
        first, last = _subtree_without(host, parallel, tok.i)
        content = token_span(doc, first, last)
    else:
        return None
    if content.end - content.start < 8:
        return None
    return Candidate(content.start, content.end, "indirect", _cue(tok), mention(subj))


_TRANSCRIPT = re.compile(r"^[\"“]?([A-Z][A-Z.'\- ]{1,40}|[A-Z][a-z]+(?: [A-Z][a-z]+)?):[ \t]+(\S.*)$", re.M)


def transcript_lines(doc: Doc) -> Iterable[Candidate]:
    """Interview transcripts: "WALLACE: Do you ...?" lines give the speaker and the content."""
    text = text_of(doc)
    for m in _TRANSCRIPT.finditer(text):
        if len(m.group(2).split()) < 3:
            continue
        cue = Span.of(text, m.end(1), m.end(1) + 1)
        yield Candidate(m.start(2), m.end(2), "direct", cue, Span.of(text, m.start(1), m.end(1)))


def made_clear(doc: Doc, lex: Lexicon) -> Iterable[Candidate]:
    """"X made clear (that) ...", "X made it clear that ...": what X made clear is X's indirect speech (the
    parser hangs the clause on "made" or on "clear")."""
    for tok in doc:
        if tok.lemma_.lower() != "make" or tok.pos_ not in {"VERB", "AUX"}:
            continue
        clear = next((c for c in tok.children if c.lower_ in _MADE_CLEAR and c.dep_ in {"oprd", "ccomp", "acomp"}),
                     None)
        if clear is None:
            continue
        clause = next((c for c in tok.children if c.dep_ == "ccomp" and c.i != clear.i), None) or next(
            (c for c in clear.children if c.dep_ in {"advcl", "ccomp"} and c.pos_ in {"VERB", "AUX"}), None)
        subj = subject(tok, lex)
        if clause is None or subj is None:
            continue
        first, last = _subtree_without(clause, {c.i for c in clause.children if c.dep_ == "mark"})
        content = token_span(doc, first, last)
        yield Candidate(content.start, content.end, "indirect", Span.of(text_of(doc), tok.idx, clear.idx + len(clear)),
                        mention(subj))


def hearsay(doc: Doc) -> Iterable[Candidate]:
    """Stances known by hearsay: "the Treasury is understood to have turned down the request", "X is said to be
    ready to talk": the raised subject holds what its infinitive says (no one is named as the source)."""
    for tok in doc:
        if tok.tag_ != "VBN" or tok.lemma_.lower() not in _HEARSAY or not any(c.dep_ == "auxpass" for c in tok.children):
            continue
        subj = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
        clause = next((c for c in tok.children if c.dep_ == "xcomp"), None)
        if subj is None or clause is None or subj.lemma_.lower() in _NOT_PARTIES:
            continue
        first, last = _subtree_without(clause, {c.i for c in clause.children if c.dep_ == "aux" and c.lower_ == "to"})
        content = token_span(doc, first, last)
        yield Candidate(content.start, content.end, "reported", _cue(tok), mention(subj))


def according_to(doc: Doc, lex: Lexicon) -> Iterable[Candidate]:
    """"..., according to X." and "According to X, ...": the rest of the sentence is the content."""
    for tok in doc[:-1]:
        if tok.lower_ != "according" or doc[tok.i + 1].lower_ != "to":
            continue
        objs = [c for c in doc[tok.i + 1].children if c.dep_ == "pobj"]
        if not objs:
            continue
        sent: SpacySpan = tok.sent
        phrase_last = max(t.i for t in objs[0].subtree)
        if tok.i - sent.start <= 1:  # "According to X, content."
            first, last = phrase_last + 1, sent.end - 1
        else:  # "content, according to X(, who ...)."
            first, last = sent.start, tok.i - 1
        if last <= first:
            continue
        content = token_span(doc, first, last)
        cue = Span.of(text_of(doc), tok.idx, doc[tok.i + 1].idx + 2)
        yield _reported(content, cue, mention(objs[0]), sent.root, lex)


def _denied(verb: Token) -> bool:
    """A stance inside what another verb denies: "rejected reports that Iran had agreed to a session" is one
    statement, the denier's (label guide: denying that an agreement to meet was reached)."""
    noun = verb.head
    return (verb.dep_ == "acl" and any(m.dep_ == "mark" and m.lower_ == "that" for m in verb.children)
            and noun.dep_ == "dobj" and noun.head.lemma_.lower() in _DENYING and not _negated(noun.head))


def _negated(verb: Token) -> bool:
    return any(c.dep_ == "neg" for c in verb.children)


def _agents(verb: Token, word: Token) -> list[Token]:
    """Who left an offer unanswered: the "by" agents of "went unanswered by X", which the parser hangs on the
    verb or on the adjective (never on a clause of its own: "said the offer had been ignored by X")."""
    heads = (verb, word) if word.dep_ in {"acomp", "oprd"} else (verb,)
    return [g for head in heads for c in head.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]


def accusations(doc: Doc, lex: Lexicon) -> Iterable[Candidate]:
    """"X accused Y of refusing to engage": Y's stance as X claims it (label guide: nested claims); the
    classifier tells a refusal from an accusation about anything else."""
    for tok in doc:
        if tok.lemma_.lower() != "accuse" or tok.pos_ != "VERB" or _in_condition(tok) or _in_question(tok) \
                or _negated(tok) or tok.head.lemma_.lower() in _DENYING:
            continue  # not "has not accused Kyiv of ...", "denied accusing Kyiv of ..."
        accused = next((c for c in tok.children if c.dep_ == "dobj"), None)
        if accused is None:
            continue
        of = next((c for head in (tok, accused) for c in head.children if c.dep_ == "prep" and c.lower_ == "of"),
                  None)
        if of is None or not any(c.dep_ in {"pobj", "pcomp"} for c in of.children):
            continue
        accuser = subject(tok, lex) or nearest_party(tok)
        dates = {t.i for t in of.subtree if t.dep_ in {"prep", "npadvmod"} and _dated(t)}  # "... on Monday"
        content = token_span(doc, tok.i, _subtree_without(of, dates)[1])
        yield Candidate(content.start, content.end, "reported", _cue(tok), mention(accused),
                        reporter=mention(accuser) if accuser is not None else None)


def _dated(tok: Token) -> bool:
    """A time phrase: "on Monday", "last week"."""
    return tok.ent_type_ in {"DATE", "TIME"} or any(c.ent_type_ in {"DATE", "TIME"} for c in tok.children)


def _response_clause(verb: Token) -> tuple[Token, int] | None:
    """A party's answer to an offer in a relative clause, as (holder, first token of the statement): "a
    proposal that the AES has not yet answered" (the AES; from "a proposal"), "the political parties, who
    ignored them" (the parties; from "ignored"). Not "an idea which had gone unanswered": the offer is the
    subject there, and ``lex.unanswered`` covers it."""
    if verb.dep_ != "relcl" or verb.lemma_.lower() not in _RESPONSES:
        return None
    subj = next((c for c in verb.children if c.dep_ in _SUBJECTS), None)
    if subj is None or subj.lower_ in {"that", "which"}:
        return None
    if subj.lower_ == "who":
        lead = [c.i for c in verb.children if c.dep_ in {"neg", "aux", "advmod"} and subj.i < c.i < verb.i]
        return verb.head, min([verb.i] + lead)
    return subj, verb.head.left_edge.i


def _responses_in(verb: Token) -> set[int]:
    """Tokens to cut from a stance's content: the answers to it in relative clauses (``_response_clause``),
    with the noun in apposition that carries one ("in Dakar, a proposal that the AES has not answered")."""
    cut = set()
    for t in verb.subtree:
        response = _response_clause(t) if t.i != verb.i else None
        if response is not None:
            cut.add(t.head.i if t.head.dep_ == "appos" and response[1] == t.head.left_edge.i else t.i)
    return cut


def _may_report_stance(tok: Token, lex: Lexicon) -> bool:
    """A cheap test that a word can open one of ``reported_stances``' branches, run before the costly ones."""
    lemma = tok.lemma_.lower()
    return (lemma in lex.stance_verbs or lemma in lex.stance_nouns or lemma in _RESPONSES or lemma in _ANSWERING
            or tok.lower_ in lex.unanswered)


def reported_stances(doc: Doc, lex: Lexicon) -> Iterable[Candidate]:
    """Stances reported as acts: stance verbs with their objects, unanswered offers, possessed demands."""
    roots = _speech_roots(lex, doc)
    conjoined = _parallel(doc, roots)
    for tok in doc:
        if not _may_report_stance(tok, lex) or _in_condition(tok) or _in_question(tok) or _denied(tok):
            continue
        response = _response_clause(tok)
        if response is not None:
            holder, first = response
            content = token_span(doc, first, tok.right_edge.i)
            yield Candidate(content.start, content.end, "reported", _cue(tok), mention(holder))
        elif _is_stance_verb(tok, lex) and not (_is_reporting(tok, lex) and any(c.dep_ == "ccomp" for c in tok.children)):
            if _withholds(tok):
                continue  # "declined to say whether ...": one statement, found with the speech (``_withheld``)
            subj = _stance_subject(tok, lex)
            if subj is None or subj.lemma_.lower() in _NOT_PARTIES:
                continue
            if tok.lemma_.lower() in _ERGATIVE and not any(c.dep_ in {"dobj", "xcomp"} for c in tok.children):
                continue  # "trade would not resume": what resumes, not who resumes it
            cut = {c.i for c in tok.children if c.dep_ in _SUBJECTS or c.dep_ in {"cc", "dep"}
                   or c.lower_ == "according"}  # "..., according to Reuters" is a source (``according_to``)
            cut |= _asides(tok) | _responses_in(tok)
            first, last = _subtree_without(tok, _Union(cut, conjoined))
            lead = [c.i for c in tok.children
                    if c.dep_ in {"neg", "aux", "auxpass", "advmod"} and subj.i < c.i < tok.i]
            first = min([tok.i] + lead)
            content = token_span(doc, first, last)
            yield Candidate(content.start, content.end, "reported", _cue(tok), mention(subj))
        elif tok.lower_ in lex.unanswered and tok.head.pos_ in {"VERB", "AUX"}:
            verb = tok.head
            agents = _agents(verb, tok)
            if not agents and verb.lemma_ == "leave":  # "an offer Baku has left unanswered"
                agents = [c for c in verb.children if c.dep_ == "nsubj"]
            if not agents:
                continue
            noun = verb.head if verb.dep_ == "relcl" else next((c for c in verb.children
                                                                  if c.dep_ in _SUBJECTS | {"dobj"} and c not in agents), verb)
            first = min(t.i for t in noun.subtree) if noun is not verb else verb.i
            last = max(t.i for t in verb.subtree)
            content = token_span(doc, first, last)
            cue = Span.of(text_of(doc), verb.idx, tok.idx + len(tok))
            yield Candidate(content.start, content.end, "reported", cue, mention(agents[0]))
        elif tok.lemma_.lower() in lex.stance_nouns and tok.pos_ == "NOUN":
            owners = [c for c in tok.children if c.dep_ == "poss" and c.pos_ in {"PROPN", "NOUN"}]
            if not owners:
                continue
            clause = tok
            while clause.pos_ not in {"VERB", "AUX"} and clause.head.i != clause.i:
                clause = clause.head
            if clause.pos_ not in {"VERB", "AUX"} or clause.i in roots:
                continue
            cut = {c.i for c in clause.children if (c.i < clause.i and c.dep_ in {"prep", "advmod", "punct", "cc"}
                   and c.text not in QUOTE_MARKS)  # "the president's offer "stands ..."": the mark opens the content
                   or (c.i > clause.i and c.dep_ in {"conj", "cc"})}  # "... was a mistake and called on": another act
            first, last = _subtree_without(clause, cut)
            content = token_span(doc, first, last)
            yield Candidate(content.start, content.end, "reported", Span.of(text_of(doc), tok.idx, tok.idx + len(tok)),
                            mention(owners[0]))
