"""Resolving a mention to a canonical speaker without a coreference model.

Per article, a ``Resolver`` collects the people, organisations and countries it names, with the titles and
appositions they carry ("Russian President Vladimir Putin", "Putin, the Russian president"). A mention then
resolves by, in order: the alias table ("the Kremlin" -> Russia), a name or surname ("Putin" -> Vladimir
Putin, the fullest name the article uses), a role noun with its country ("the Russian leader" -> the person
titled Russian president), a pronoun (the most recent compatible speaker or subject before it, else the most
recent compatible mention), a bare "a spokesman" (the organisation or country last mentioned).
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc

from ..names import full_name, portfolio_holder
from ..parse import text_of
from ..types import Span
from .aliases import AliasTable

_PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers", "i", "me", "my"}
_GROUP_PRONOUNS = {"it", "its", "they", "them", "their", "we", "us", "our"}
_DETERMINERS = re.compile(r"^(the|a|an|this|that|these|those)\s+", re.I)
_SPOKESPEOPLE = {"spokesman", "spokeswoman", "spokesperson", "official"}
_GOVERNING = {"president", "prime minister", "premier", "chancellor", "minister", "foreign minister",
              "defence minister", "defense minister", "secretary", "secretary of state", *_SPOKESPEOPLE}
_EXECUTIVES = {"chairman", "chairwoman", "chair", "chief executive", "ceo", "director", "boss", "head", "manager",
               *_SPOKESPEOPLE}
# An unnamed institution, and the titles (from ``_titles``) of the people who speak for it.
_INSTITUTIONS = {
    **dict.fromkeys(["government", "ministry", "administration", "cabinet", "authorities"], _GOVERNING),
    "commission": {"commissioner", "president", *_SPOKESPEOPLE},
    **dict.fromkeys(["city", "council"], {"mayor", "governor", *_SPOKESPEOPLE}),
    **dict.fromkeys(["company", "board", "management"], _EXECUTIVES),
    **dict.fromkeys(["club", "league"], {"owner", "coach", "commissioner", "president", *_EXECUTIVES}),
}
_ANONYMOUS = re.compile(r"^\S+(?:\s+\S+)?\s+(?:familiar with|close to)\b", re.I)  # "people close to X" is not X
_MEMBERS_BODY = re.compile(r"\w+s['’] (?:union|trust|association|federation|council|committee|alliance|coalition"
                           r"|forum|network|league|group)(?P<delegates> (?:leaders|officials|representatives"
                           r"|negotiators))?$", re.I)  # a body of an organisation's members, or those who speak for it
_STAKEHOLDERS = re.compile(r"([A-Z][\w.&-]*(?: [A-Z][\w.&-]*)*)['’]s?(?: \w+){0,2} (investors|shareholders"
                           r"|bondholders|creditors|employees|staff|workers|fans|supporters|customers|residents)$")
# a named firm's or club's stakeholders: "Marston's largest investors"
_LOOKBACK = 2000  # mentions searched back for a pronoun's or role noun's antecedent
_POSSESSIVE = re.compile(r"(’s|'s|’|')$")
_HONORIFICS = {**dict.fromkeys(["mr", "sir", "lord"], "male"),  # forms of address and titles, with the sex they give
               **dict.fromkeys(["mrs", "ms", "miss", "dame", "lady"], "female"),
               **dict.fromkeys(["dr", "prof", "professor", "prince", "sheikh", "emir", "president", "premier",
                                "chancellor", "senator", "governor", "mayor", "general"])}
# job titles the tagger sometimes takes into a name ("Spokeswoman Amara Okafor"): not part of the person's name
_JOB_TITLES = {"spokesman", "spokeswoman", "spokesperson", "councillor", "councilor", "councilman", "councilwoman",
               "alderman", "commissioner", "ambassador", "envoy", "chairman", "chairwoman"}
_HONORIFICS |= {**dict.fromkeys(_JOB_TITLES), "spokesman": "male", "spokeswoman": "female"}
_INVISIBLE = re.compile(r"^[\s\ufeff\u200b-\u200d]+|[\s\ufeff\u200b-\u200d]+$")  # around a name: white space,
# a byte-order mark (a file read as utf-8, not utf-8-sig), zero-width characters
_COUNTERPARTS = {"counterpart", "counterparts", "rival", "rivals", "opponent", "opponents", "adversary"}
_POSSESSIVE_PRONOUNS = {"his", "her", "its", "their", "my", "our", "your"}
_SAME_ROLE = dict.fromkeys(["minister", "secretary"], {"minister", "secretary"})  # (British cabinet usage)
_TITLE_WORDS = 4  # words before a role that ``Resolver._country`` reads for the title's country
_TITLE_BREAK = re.compile(r"[\n;:!?\"“”()—–]|(?<!\b\w)[.,]\s")  # where a title phrase starts ("u.s. " goes on)
_NAMED_AFTER_OWNER = re.compile(r"^.+?(?:’s|'s)\s+(?=[A-Z])")  # "Yemen's Houthi movement": the movement
_BARE_SPOKESPERSON = re.compile(r"^(?:(?:a|an|the|one|another)\s+)?(?:(?P<body>\w+)\s+)?(spokes(?:man|woman|person)"
                                r"|representative|official|diplomat)$")
# the kinds of body a spokesperson may be named for ("a company spokesperson"), by family: a "company
# spokesperson" does not speak for a group whose name ends in a word of another family ("... Workers' Union")
_BODY_FAMILIES = {**dict.fromkeys(["company", "firm", "bank", "airline", "group", "corporation", "plc"], "company"),
                  **dict.fromkeys(["union", "guild", "association", "federation"], "union"),
                  **dict.fromkeys(["government", "ministry", "embassy", "army", "police", "commission"], "state"),
                  **dict.fromkeys(["party", "coalition", "alliance", "campaign"], "party"),
                  **dict.fromkeys(["club", "league"], "club"), "university": "university", "hospital": "hospital",
                  "trust": "trust", "council": "council"}
_SUBJECT_DEPS = {"nsubj", "nsubjpass"}
_BODY_ROLE = re.compile(r"^(?:the\s+)?([a-z][\w-]+)(?:'s|’s)\s+(.+)$")  # "the trust's chair"
# "the president's remarks", "the Houthis' statement": the owner speaks
_OWNED_DOCUMENT = re.compile(r"^(.+?)(?:’s|'s|(?<=s)[’'])\s+(?:\w+\s+)?(?:statement|remarks|comments|letter|note|"
                             r"message|communiqu[eé]|speech|transcript|reply|response)$", re.I)
_BARE_BODY = re.compile(r"^the [a-z]+$")  # "the collective", "the firm"
# a body that is not the state, named with its country: "Iran's football federation", "the Nigerian league"
_CIVIL_BODY = re.compile(r"(?<![\w'])(?!(?:the|a|an|for|of|at|from|by)\b)(?P<named>[\w.'-]+(?:\s+[\w.'-]+){0,2})\s+"
                         r"(?:federation|league|association|union|club|board|alliance|confederation"
                         r"|chamber of commerce)$", re.I)  # (NATO alliance is NATO: ``named`` is no alias)
_STATE_WORDS = {"security", "state", "central", "foreign", "defence", "defense", "military", "government",
                "parliamentary", "revolutionary", "intelligence"}
_NAME_GOES_ON = re.compile(r"^(?: [A-Z][\w'’.-]*){1,2}$")  # a surname after a first name the tagger took for a group
_PARTY_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"}
_LOCATIVE = {"in", "at", "near", "outside", "inside"}
_VENUE_HEADS = {"meet", "meeting", "talk", "talks", "negotiation", "negotiations", "negotiate", "summit", "hold",
                "host", "convene", "resume", "reconvene", "round", "dialogue", "session", "conference", "sit"}
_SALIENT_LOOKBACK = 1500  # characters searched back for a pronoun's subject antecedent


@dataclass
class Entity:
    name: str
    kind: str  # "person" | "group"
    country: str | None = None
    roles: set[str] = field(default_factory=set)
    title: set[str] = field(default_factory=set)  # the words of a title before its role ("union", "guild")


@dataclass
class Resolver:
    """Resolves mentions in one article to canonical names."""

    doc: Doc
    aliases: AliasTable
    entities: list[Entity] = field(default_factory=list)
    _seen_at: list[int] = field(default_factory=list)  # char offsets of mentions seen, sorted
    _seen: list[Entity] = field(default_factory=list)  # the entity mentioned at each of those offsets
    _salient_at: list[int] = field(default_factory=list)  # the same for subjects and resolved speakers only
    _salient: list[Entity] = field(default_factory=list)
    _ents: list = field(default_factory=list)
    _ent_starts: list[int] = field(default_factory=list)
    _countries: dict[str, str] = field(default_factory=dict)  # person -> country from their title (only
    # ``_collect`` creates people)
    _people: dict[str, list[Entity]] = field(default_factory=dict)  # the people a name's first or last word
    # may refer to (``_name_keys``): ``_person`` compares a mention with these only, in the order they were met
    _people_order: dict[int, int] = field(default_factory=dict)  # id(person) -> its place among the people
    _mid_capitals: set[str] | None = None  # words capitalised somewhere inside a sentence (``_proper``)

    @classmethod
    def for_doc(cls, doc: Doc, aliases: AliasTable) -> "Resolver":
        r = cls(doc, aliases)
        r._collect()
        return r

    # -- building the article's entity table ----------------------------------------------------------
    def _collect(self) -> None:
        for ent in self.doc.ents:
            if ent.label_ == "PERSON":
                name = _INVISIBLE.sub("", _POSSESSIVE.sub("", full_name(self.doc, ent.start, ent.end - 1).text))
                if not name or not name[0].isupper():
                    continue
                person = self._person(name, ent.start_char)
                if person is None:
                    person = self._new_person(name)
                elif len(name) > len(person.name):
                    person.name = name
                    self._index(person)
                self._titles(ent, person)
                self._remember(ent.start_char, person, _is_subject(ent))
            elif ent.label_ in _PARTY_LABELS and not _modifier(ent, self.aliases):
                name = _INVISIBLE.sub("", full_name(self.doc, ent.start, ent.end - 1).text)
                entity = self._mislabelled_person(ent, name) or self._group(name)
                if entity is not None:
                    self._remember(ent.start_char, entity, _is_subject(ent))
        for name, at, kind in _unlabelled_subjects(self.doc, self.aliases.roles):
            if kind == "group":
                entity = self._group(name)
            elif kind == "surname":  # "Fain later softened his tone": only someone already named
                entity = self._person(name, at)
            else:
                entity = self._person(name, at) or self._new_person(name)
            if entity is not None:
                self._remember(at, entity, True)
        self._ents = [e for e in self.doc.ents if e.label_ in {"PERSON", "ORG", "GPE", "NORP"}]
        self._ent_starts = [e.start_char for e in self._ents]
        self._countries = {e.name: e.country for e in self.entities if e.kind == "person" and e.country}

    def _mislabelled_person(self, ent, name: str) -> Entity | None:
        """A person the tagger took for an organisation or a place: the name of a person already met ("Petro"
        after "Gustavo Petro"), a first name whose unlabelled surname follows ("Anne-Sophie" + "Berthier"), a
        name after a portfolio (``portfolio_holder``)."""
        if ent.label_ == "NORP" or self.aliases.canonical(name) or self.aliases.demonyms.get(name.lower()):
            return None
        holder = portfolio_holder(ent)
        if holder is not None:
            return self._person(holder.text, holder.start_char) or self._new_person(holder.text)
        nxt = self.doc[ent.end] if ent.end < len(self.doc) else None
        after = self.doc[nxt.i + 1] if nxt is not None and nxt.i + 1 < len(self.doc) else None
        if (nxt is not None and nxt.pos_ == "PROPN" and not nxt.ent_type_ and ent[-1].dep_ == "compound"
                and ent[-1].head.i == nxt.i and nxt.lower_ not in self.aliases.roles
                and (after is None or (after.pos_ != "PROPN" and not after.ent_type_))):
            name = self.doc[ent.start:nxt.i + 1].text
            return self._person(name, ent.start_char) or self._new_person(name)
        return self._person(name, ent.start_char)

    def _remember(self, at: int, entity: Entity, salient: bool) -> None:
        for offsets, entities in ((self._seen_at, self._seen), (self._salient_at, self._salient))[: 1 + salient]:
            i = bisect.bisect_right(offsets, at)
            offsets.insert(i, at)
            entities.insert(i, entity)

    def _group(self, text: str) -> Entity | None:
        text = " ".join(_POSSESSIVE.sub("", text).split())  # (blanked HTML pads an entity with spaces)
        name = self.aliases.canonical(text) or self.aliases.demonyms.get(text.lower())
        if name is None:
            name = _DETERMINERS.sub("", text)
            if not name or not name[0].isupper():
                return None
        for e in self.entities:
            if e.name == name or (e.kind == "group" and name == _initials(e.name)):  # "UAE" after its full name
                return e
            if e.kind == "group" and e.name == _initials(name):  # the acronym came first: keep the full name
                e.name = e.country = name
                return e
        entity = Entity(name, "group", country=name)
        self.entities.append(entity)
        return entity

    def _titles(self, ent, person: Entity) -> None:
        """Roles from a title before the name ("Russian President") or an apposition after it."""
        k = ent.start  # the title: the words just before the name, back to a verb, preposition or line break
        while k > 0 and (self.doc[k - 1].pos_ not in {"VERB", "AUX", "ADP", "CCONJ", "SCONJ", "PRON"}
                         or self.doc[k - 1].lower_ == "of") and "\n" not in self.doc[k - 1].text_with_ws:
            k -= 1
        lo = self.doc[k].idx if k < ent.start else ent.start_char
        before = text_of(self.doc)[max(lo, ent.start_char - 60):ent.start_char].lower().rstrip()
        if before.endswith(",") and ent.root.dep_ == "appos":  # "Iran's foreign minister, Abbas Araghchi", not
            before = before[:-1].rstrip()  # "In a meeting with the prime minister, Zelensky said"
        after = text_of(self.doc)[ent.end_char:ent.end_char + 60].lower()
        m = re.match(r"^\s*,\s*(?:the |a |an )?([^,;.]*)", after)
        for chunk in (before, m.group(1).strip() if m else ""):
            role = next((r for r in self.aliases.roles if chunk.endswith(r)
                         and (len(chunk) == len(r) or not chunk[-len(r) - 1].isalnum())), None)
            if role is None:
                continue
            person.roles.update(r for r in self.aliases.roles if chunk.endswith(r))
            phrase = _TITLE_BREAK.split(chunk[: -len(role)])[-1]  # the title's own words
            person.title.update(_POSSESSIVE.sub("", w) for w in phrase.split()[-2:])
            country = self._country(phrase)
            if country:
                person.country = country

    def _country(self, phrase: str) -> str | None:
        """The country a title phrase names in its last few words, nearest first ("u.s." -> United States,
        "iranian foreign ministry" -> Iran, "ukraine's deputy" -> Ukraine)."""
        tokens = [_POSSESSIVE.sub("", t) for t in phrase.split() if t != "the"][-_TITLE_WORDS:]
        for i in range(len(tokens), 0, -1):
            for cand in (" ".join(tokens[i - 2:i]) if i > 1 else "", tokens[i - 1]):
                found = cand and (self.aliases.demonyms.get(cand) or self.aliases.canonical(cand))
                if found:
                    return found
        return None

    # -- resolving mentions ---------------------------------------------------------------------------
    def resolve(self, mention: Span | None, remember: bool = True,
                content: tuple[int, int] | None = None, as_target: bool = False) -> str | None:
        """The canonical name for a mention, or None when it cannot be resolved. ``content`` is the
        (start, end) of what the mention's party said: a pronoun never binds to a party named inside it, and
        the party is remembered as a speaker at its end, so that a later "he said" prefers it to the parties
        its words named ("Kim argued that Lee was pleading ... 'There is nothing to gain,' he said": Kim).
        ``as_target``: the mention is a counterpart, where a firm's shareholders stand for the firm (label
        guide), while as speakers they are a party of their own."""
        if mention is None:
            return None
        entity = self._entity(mention, content, as_target)
        if entity is None:
            bare = _DETERMINERS.sub("", _NAMED_AFTER_OWNER.sub("", _POSSESSIVE.sub("", _INVISIBLE.sub("", mention.text))))
            text = " ".join(bare.split())
            if not text or text.lower() in _PERSON_PRONOUNS | _GROUP_PRONOUNS \
                    or text.split()[0].lower() in _POSSESSIVE_PRONOUNS:  # "his counterpart" names no one
                return None
            return text if self._proper(mention, text) else text[0].lower() + text[1:]
        if remember:
            self._remember(max(mention.start, content[1]) if content else mention.start, entity, True)
        return entity.name

    def _proper(self, mention: Span, text: str) -> bool:
        """Whether an unresolved mention's first word keeps its capital: not a common noun capitalised only
        because it opens a sentence ("The union said", "Protesters said": "union", "protesters")."""
        word = text.split()[0]
        if not (word[:1].isupper() and word[1:].islower()):  # "EU", "MPs", "van", "union"
            return True
        span = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
        tok = next((t for t in span or () if t.text == word), None)
        if tok is None or tok.pos_ == "PROPN" or tok.ent_type_:  # "Catholic bishops' conference"
            return True
        if self._mid_capitals is None:  # "Equity" at a sentence's start and inside one: a name
            self._mid_capitals = {t.text for t in self.doc if t.text[:1].isupper() and not _opens_sentence(t)}
        return not _opens_sentence(tok) or word in self._mid_capitals

    def speaks_for(self, reporter: Span, mention: Span) -> bool:
        """Whether a person reports the stance of their own, unnamed institution, and so holds it: their title
        says they belong to it ("Home Secretary Shabana Mahmood said the government has ruled out ..."). A
        named party stays the holder ("Putin claimed that Moscow proposed ...": Russia), and so does another
        body's ("Union leader Mick Lynch said the company had refused ...": the company). A body that the
        article never names is the person's own ("Spokeswoman Elodie Marchand said the collective would ...")."""
        bare = _DETERMINERS.sub("", mention.text.strip()).lower()
        person = self._entity(reporter)
        if person is None or person.kind != "person":
            return False
        institution = self._entity(mention)
        if bare in _INSTITUTIONS:
            own = institution is None or institution.name.lower() == bare
            return own and bool(person.roles & _INSTITUTIONS[bare])
        if institution is not None or not _BARE_BODY.match(mention.text.strip()):
            return False
        span = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
        return span is not None and span.root.tag_ == "NN"  # one body, not "the rebels"

    def _entity(self, mention: Span, content: tuple[int, int] | None = None, as_target: bool = False) -> Entity | None:
        if _ANONYMOUS.match(mention.text.strip()):
            return None
        document = _OWNED_DOCUMENT.match(mention.text)
        if document is not None:  # "Kim's statement said": Kim
            owner = document.group(1)
            return self._entity(Span(owner, mention.start, mention.start + len(owner)), content, as_target)
        raw = _NAMED_AFTER_OWNER.sub("", _POSSESSIVE.sub("", mention.text.strip()))
        low = raw.lower()
        owner = low.split()[0] if " " in low else ""
        if owner in {"his", "her"} and low.split()[-1] in _COUNTERPARTS:  # "his counterpart": the other person
            skip = (content, self._question(mention))
            own = self._recent(mention.start, "person", skip)
            return self._recent(mention.start, "person", skip, admits=lambda e: e is not own)
        if owner in {"his", "her"} or low in _PERSON_PRONOUNS:  # "he", "his office": the person
            return self._recent(mention.start, "person", (content, self._question(mention)))
        if owner in {"its", "their"} or low in _GROUP_PRONOUNS:  # "they", "its spokesman": the organisation
            return self._recent(mention.start, "group", (content, self._question(mention)))
        name = self.aliases.canonical(raw) or self.aliases.demonyms.get(low)
        if name is not None:
            return self._group(name)
        bare = _DETERMINERS.sub("", raw)
        person = self._person(bare, mention.start) or self._titled_person(raw)
        if person is not None:
            return person
        role = self._role_entity(low, mention.start)
        if role is not None:
            return role
        body = _BODY_ROLE.match(low)
        if body is not None and body.group(2) in self.aliases.roles:  # "the trust's chair": the trust last named
            named = re.compile(rf"\b{re.escape(body.group(1))}$")
            group = next((e for e in [*self._before(mention.start), *self.entities]
                          if e.kind == "group" and named.search(e.name.lower())), None)
            if group is not None:
                return group
        members = _MEMBERS_BODY.search(raw)
        if members is not None:  # "the NBA players' union (leaders)", "Chelsea's supporters' trust": not the NBA
            body = bare[:len(bare) - len(members.group("delegates") or "")]
            same = next((e for e in self.entities if e.kind == "group" and e.name.lower().endswith(body.lower())), None)
            return same or self._group(body)  # "the players' union" after "the NBA players' union": that one
        stake = None if as_target else _STAKEHOLDERS.match(bare)
        if stake is not None:  # "Marston's largest investors": a party of their own, or the body they form
            noun = stake.group(2).lower()
            return self._members_of(noun, mention.start) or self._group(f"{stake.group(1)}'s {noun}")
        body = _CIVIL_BODY.search(raw.replace("’", "'"))
        if body is not None and not self.aliases.canonical(body.group("named")) and not _STATE_WORDS & set(
                body.group().lower().split()) and (self.aliases.demonym_in(body.group().lower())
                                                   or self.aliases.alias_in(body.group().lower())):
            return self._group(body.group())  # "Iran's football federation" is a body of its own, not Iran
        named = [(m.end(), len(e.name), e) for e in self.entities if e.kind == "group" and e.name.lower() in low
                 for m in _as_word(e.name.lower()).finditer(low)]
        if named:  # "a Kremlin spokesman"; the head wins: "Australian producer Tarrant Minerals" -> the firm
            end, _, group = max(named, key=lambda n: n[:2])
            if not _NAME_GOES_ON.match(raw[end:]):
                return group
            return self._new_person(bare)  # "Anne-Sophie" + "Berthier" (``_person`` found no one above)
        country = self.aliases.demonym_in(low)
        if country is not None:  # "a Saudi diplomat"
            return self._group(country)
        spokesperson = _BARE_SPOKESPERSON.match(low)
        if spokesperson is not None:  # "a spokesman", "a senior official": the party last named; "a company
            # spokesperson": not a union
            family = _BODY_FAMILIES.get(spokesperson.group("body") or "")
            return self._recent(mention.start, "group", admits=lambda e: family is None or _BODY_FAMILIES.get(
                _POSSESSIVE.sub("", e.name.lower().split()[-1]), family) == family)
        acronym = next((e for e in self.entities if e.kind == "group" and _initials(e.name) in raw.split()), None)
        if acronym is not None:  # "the UAE foreign ministry" -> United Arab Emirates, named earlier or later
            return acronym
        name = self.aliases.alias_in(low)
        if name is not None:
            return self._group(name)
        for e in self.entities:  # "the union" -> "the United Auto Workers union"
            if e.kind == "group" and bare and e.name.lower().endswith(bare.lower().split()[-1]) and len(bare) > 2:
                return e
        return self._members_of(bare.lower(), mention.start)

    def _members_of(self, bare: str, at: int) -> Entity | None:
        """A plural noun that names an organisation's members is that organisation, the one last mentioned
        ("Lecturers" -> "University and College Lecturers' Federation", "workers" -> "Lumenfall Workers
        United"): the members come before the body's own noun, so "States" is not "United States"."""
        if " " in bare or len(bare) < 5 or not bare.endswith("s"):
            return None
        groups = [e for e in self._before(at) if e.kind == "group"] + self.entities
        return next((e for e in groups if e.kind == "group"
                     and bare in (_POSSESSIVE.sub("", w) for w in e.name.lower().split()[:-1])), None)

    def _person(self, name: str, at: int) -> Entity | None:
        """The person a name refers to: the same full name, else the one last mentioned whose name it can be
        short for ("Putin", "Vladimir Putin"; two Barasas stay two people)."""
        words = name.split()
        if not words:
            return None
        candidates = {id(p): p for key in _name_keys(words) for p in self._people.get(key, ())}
        same = [p for p in sorted(candidates.values(), key=lambda p: self._people_order[id(p)])
                if _same_person(words, p.name.split())]
        if len(same) < 2:
            return same[0] if same else None
        exact = next((p for p in same if p.name == name), None)
        return exact or next((e for e in self._before(at) if e in same), same[-1])

    def _new_person(self, name: str) -> Entity:
        words = _INVISIBLE.sub("", name).split()
        while len(words) > 1 and words[0].lower() in _JOB_TITLES:
            words = words[1:]
        person = Entity(" ".join(words), "person")
        self.entities.append(person)
        self._people_order[id(person)] = len(self._people_order)
        self._index(person)
        return person

    def _index(self, person: Entity) -> None:
        for key in _name_keys(person.name.split()):
            people = self._people.setdefault(key, [])
            if not any(p is person for p in people):
                people.append(person)

    def _titled_person(self, raw: str) -> Entity | None:
        """A name the tagger missed after a title ("Norwegian Foreign Minister Espen Barth Eide"): a person, with
        the title's role and the country before it."""
        words = raw.split()
        for i in range(len(words) - 1):
            for n in (3, 2, 1):
                role, name = " ".join(words[i:i + n]).lower(), words[i + n:]
                if role in self.aliases.roles and 0 < len(name) <= 4 and all(w[:1].isupper() for w in name):
                    person = self._new_person(" ".join(name))
                    person.roles.add(role)
                    person.country = self._country(" ".join(words[:i]).lower())
                    if person.country:
                        self._countries[person.name] = person.country
                    return person
        return None

    def _role_entity(self, low: str, at: int) -> Entity | None:
        role = next((r for r in self.aliases.roles if re.search(rf"\b{re.escape(r)}$", low)), None)
        if role is None:
            return None
        country = self._country(low[: low.rfind(role)])
        # the role itself within reach, else the nearest of an equivalent role ("the minister" after
        # "Education Secretary Bridget Phillipson")
        for roles, reach in (({role}, _SALIENT_LOOKBACK), (_SAME_ROLE.get(role, {role}), None)):
            for e in self._before(at, reach=reach):
                role_ok = e.roles & roles or (role == "leader" and e.roles & self.aliases.leader_roles)
                if e.kind == "person" and role_ok and (country is None or e.country == country):
                    return e
        return None

    def _question(self, mention: Span) -> tuple[int, int] | None:
        """The question a pronoun's clause answers, whose parties are not the pronoun's ("Asked whether Modi
        would meet Sharif, he replied": not Modi)."""
        span = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if not span:
            return None
        tok = span.root
        asked = next((c for c in tok.head.lefts if c.dep_ == "advcl" and c.lemma_ == "ask"), None)
        return None if asked is None else (asked.left_edge.idx, tok.idx)

    def _before(self, at: int, skip: tuple[tuple[int, int] | None, ...] = (), reach: int | None = None):
        """Entities mentioned before ``at``, most recent first (within ``reach`` characters, if given); none
        mentioned inside a ``skip`` range."""
        i = bisect.bisect_left(self._seen_at, at)
        return (self._seen[j] for j in range(i - 1, max(-1, i - 1 - _LOOKBACK), -1)
                if not _inside(self._seen_at[j], skip) and (reach is None or at - self._seen_at[j] <= reach))

    def _recent(self, at: int, kind: str, skip: tuple[tuple[int, int] | None, ...] = (),
                admits: Callable[[Entity], bool] = lambda e: True) -> Entity | None:
        """The most recent subject or speaker of this kind that ``admits`` takes within reach, else the most
        recent such mention; none mentioned inside a ``skip`` range."""
        i = bisect.bisect_left(self._salient_at, at)
        for j in range(i - 1, -1, -1):
            if at - self._salient_at[j] > _SALIENT_LOOKBACK:
                break
            e = self._salient[j]
            if e.kind == kind and admits(e) and not _inside(self._salient_at[j], skip):
                return e
        return next((e for e in self._before(at, skip) if e.kind == kind and admits(e)), None)

    def known(self, mention: Span) -> bool:
        """Whether a counterpart's mention resolves to a party the article names (not just to its own words)."""
        return self._entity(mention, as_target=True) is not None

    def own_body(self, speaker: str | None, mention: Span) -> bool:
        """Whether a common noun names the speaker's own body ("Guild negotiator X": "the guild") or is a bare
        "an official", which resolves to whoever was named last."""
        low = _DETERMINERS.sub("", mention.text.strip().lower())
        if _BARE_SPOKESPERSON.match(low):
            return True
        person = next((e for e in self.entities if e.name == speaker and e.kind == "person"), None)
        return person is not None and any(_POSSESSIVE.sub("", w) in person.title for w in low.split())

    def same_side(self, speaker: str | None, name: str | None) -> bool:
        """Whether a party is the speaker or on the speaker's side: the speaker's country ("Russian President
        Vladimir Putin" and Russia) or a person of the speaker's country. Two people of one country are not
        (a domestic dispute has two sides)."""
        if speaker is None or name is None:
            return False
        return name == speaker or self._countries.get(speaker) == name or self._countries.get(name) == speaker

    def other_side(self, speaker: str | None, name: str) -> bool:
        """Whether a party is known to be another side than the speaker's: the speaker is a person whose
        country the article's titles give ("South Korean President Lee Jae-myung"), and the party is neither
        that country nor one of its people (two people of one country may be two sides, see ``same_side``)."""
        return speaker in self._countries and not self.same_side(speaker, name)

    def names_in(self, start: int, end: int) -> list[tuple[Span, str]]:
        """Named parties inside [start, end), as counterparts: (mention, canonical name), in text order; a place
        named as where a meeting happens ("talks in Geneva") is not a party."""
        out: list[tuple[Span, str]] = []
        lo, hi = bisect.bisect_left(self._ent_starts, start), bisect.bisect_left(self._ent_starts, end)
        for ent in self._ents[lo:hi]:
            if ent.end_char <= end and not _is_place(ent):
                span = Span(ent.text, ent.start_char, ent.end_char)
                name = self.resolve(span, remember=False, as_target=True)
                if name is not None:
                    out.append((span, name))
        return out


def _modifier(ent, aliases: AliasTable) -> bool:
    """An adjective of religion or region that names no party ("the Catholic bishops' conference", "European
    leaders"); a demonym ("Russian officials") names its country."""
    return (ent.label_ == "NORP" and ent.root.dep_ in {"amod", "compound"}
            and not aliases.demonyms.get(ent.text.lower()) and not aliases.canonical(ent.text))


def _inside(at: int, ranges: tuple[tuple[int, int] | None, ...]) -> bool:
    return any(r is not None and r[0] <= at < r[1] for r in ranges)


def _is_subject(ent) -> bool:
    """Whether an entity mention is (part of) a clause's subject."""
    root = ent.root
    while root.dep_ in {"compound", "appos", "poss", "conj"} and root.head.i != root.i:
        root = root.head
    return root.dep_ in _SUBJECT_DEPS


def _is_place(ent) -> bool:
    """Whether a place name says where a meeting happens ("talks in Geneva", "meet envoys in Oslo"), not who
    takes part ("no interest in Ukraine", "angry at Israel")."""
    prep = ent.root.head
    return (ent.label_ == "GPE" and ent.root.dep_ == "pobj" and prep.lower_ in _LOCATIVE
            and prep.head.lemma_.lower() in _VENUE_HEADS)


def _unlabelled_subjects(doc: Doc, roles: frozenset[str]) -> list[tuple[str, int, str]]:
    """Subjects that are names the tagger left unlabelled, with their offsets and kinds: an institution's
    name ("The Conference of Serbian Universities ... said"), a group, as is an acronym whose body is the
    subject ("The ELN's central command"); else two to four capitalised proper nouns ("Randhir Jaiswal, the
    spokesman ..., told"), taken for a person; else one ("surname": a person only if already named)."""
    out = []
    for tok in doc:
        if tok.dep_ in _SUBJECT_DEPS and tok.pos_ == "NOUN":  # an acronym's body: "The ELN's central command"
            owner = next((c for c in tok.children if c.dep_ == "poss" and c.text.isupper() and len(c.text) > 1
                          and not c.ent_type_ and c.lower_ not in roles), None)  # not "The CEO's assistant"
            if owner is not None:
                out.append((owner.text, owner.idx, "group"))
                continue
        elif tok.dep_ not in _SUBJECT_DEPS or tok.pos_ != "PROPN" or tok.ent_type_ in _PARTY_LABELS:
            continue  # (the small tagger reads some institutions as works of art)
        words = [c for c in tok.lefts if c.dep_ == "compound"] + [tok]
        span = doc[words[0].i:tok.i + 1]
        name = full_name(doc, span.start, span.end - 1)
        if tok.pos_ == "PROPN" and name.end > span.end:
            out.append((name.text, name.start_char, "group"))
        elif tok.pos_ == "PROPN" and 2 <= len(span) <= 4 and all(
                t.pos_ == "PROPN" and t.text[:1].isupper() and not t.ent_type_ for t in span):
            out.append((span.text, span.start_char, "person"))
        elif len(span) == 1 and tok.text[:1].isupper() and not tok.ent_type_:  # a surname, perhaps tagged as a
            out.append((tok.text, tok.idx, "surname"))  # noun ("Fain later softened his tone")
    return out


@lru_cache(maxsize=65536)  # asked of every group for every group mention: long texts name thousands
def _initials(name: str) -> str:
    """The acronym of a multi-word name: "United Arab Emirates" -> "UAE" (function words skipped)."""
    words = [w for w in name.split() if w.lower() not in {"of", "and", "the", "for", "&"}]
    return "".join(w[0] for w in words).upper() if len(words) > 1 else "-"


def _same_person(mention: list[str], name: list[str]) -> bool:
    """Can a mention be this person: the same surname and no clash of the names before it ("Putin" /
    "President Vladimir Putin", "Mr Brown" / "Gordon Brown"), or the leading part of the name ("Lee" for "Lee
    Jae-myung", "Alix Didier" for "Alix Didier Fils-Aimé"), or the name the leading part of a longer mention?"""
    if {_address(mention), _address(name)} == {"male", "female"}:  # "Mr Brown" is not "Mrs Brown"
        return False
    mention, name = _without_honorific(mention), _without_honorific(name)
    if mention[-1] == name[-1]:  # the words before the surname may differ only by a title
        return len(mention) == 1 or len(name) == 1 or mention[-2] == name[-2]
    if name[:len(mention)] == mention:
        return True
    return len(name) > 1 and mention[:len(name)] == name


def _opens_sentence(tok) -> bool:
    """The first word of a sentence, or the first after an opening determiner ("The union")."""
    before = tok.doc[tok.i - 1] if tok.i > 0 else None
    return tok.is_sent_start or (before is not None and before.is_sent_start and before.pos_ == "DET")


def _name_keys(words: list[str]) -> set[str]:
    """The words by which ``_same_person`` can match a name: its first and last, without a form of address.
    Two names it matches share one of them (the surname, or the leading word)."""
    words = _without_honorific(words)
    return {words[0], words[-1]}


def _address(words: list[str]) -> str | None:
    """The sex a leading form of address gives ("Mr" male, "Ms" female), else None."""
    return _HONORIFICS.get(words[0].rstrip(".").lower()) if len(words) > 1 else None


def _without_honorific(words: list[str]) -> list[str]:
    """A name's words without a leading form of address or title ("Ms Wong" -> "Wong", "Prince Mohammed" ->
    "Mohammed"), unless that is all there is."""
    return words[1:] if len(words) > 1 and words[0].rstrip(".").lower() in _HONORIFICS else words


@lru_cache(maxsize=4096)
def _as_word(name: str) -> re.Pattern[str]:
    """A name as a whole word, compiled once (a long article names hundreds of groups)."""
    return re.compile(rf"\b{re.escape(name)}\b")
