"""Names as the small spaCy tagger cuts them, mended: a surname's particles and hyphens, an institution's
capitalised complement, and the person a title's portfolio was run into (segmentation and attribution both
use these)."""
from __future__ import annotations

from spacy.tokens import Doc, Span

# institution nouns whose capitalised "of" / "for" complement is part of the name
_INSTITUTION_HEADS = {"ministry", "department", "conference", "commission", "council", "union", "federation",
                      "association", "confederation", "office", "committee", "organisation", "organization",
                      "agency", "authority", "bureau", "chamber", "institute", "secretariat", "assembly", "league",
                      "board", "alliance", "forum", "coalition", "congress", "foundation", "court", "bank", "fund"}
_NAME_LINKS = {"of", "for", "and", "&", ",", "the"}
NAME_PARTICLES = {"van", "von", "den", "der", "de", "da", "di", "du", "del", "della", "dos", "das", "ter", "ten",
                   "bin", "ibn"}  # lower-case words inside a surname


def portfolio_holder(ent: Span) -> Span | None:
    """The person at the end of an entity the tagger ran a title's portfolio into: "Deputy Mayor for [Mobility
    Ricardo Antunes]" -> "Ricardo Antunes": three or more capitalised words after "for" that follows a
    capitalised title; the last two, none an institution's word, are the name (so a three-word name loses its
    first word)."""
    words = list(ent)
    title = ent.root.head.head
    if (len(words) < 3 or ent.root.dep_ != "pobj" or ent.root.head.lower_ != "for"
            or title.pos_ != "PROPN" or not title.text[:1].isupper() or title.ent_type_
            or not all(w.pos_ == "PROPN" and w.text[:1].isupper() for w in words)
            or any(w.lower_ in _INSTITUTION_HEADS for w in words[-2:])):
        return None
    return ent[-2:]


def full_name(doc: Doc, first: int, last: int) -> Span:
    """The name in tokens first..last (inclusive), extended over what the small tagger cuts off: a hyphenated
    surname ("Alix Didier" + "Fils-Aimé"), a surname with particles ("Dolf van" + "den Brink", "Dolf" + "van
    den Brink") and an institution's capitalised complement ("Ministry of Oceans" + "and Fisheries", "The
    Conference" + "of Serbian Universities")."""
    end = last + 1
    if (end + 2 < len(doc) and doc[end].text[:1].isupper() and doc[end + 1].text == "-"
            and not doc[end].whitespace_ and not doc[end + 1].whitespace_ and doc[end + 2].text[:1].isupper()):
        return doc[first:end + 3]
    after = end
    while after < len(doc) and doc[after].text in NAME_PARTICLES:
        after += 1
    if (after > end or doc[last].text in NAME_PARTICLES) and after < len(doc) and doc[after].text[:1].isupper() \
            and doc[after].pos_ == "PROPN":
        return doc[first:after + 1]
    for tok in doc[first:end]:
        if tok.lower_ not in _INSTITUTION_HEADS or not tok.text[:1].isupper():
            continue
        for prep in tok.rights:
            if prep.dep_ != "prep" or prep.lower_ not in {"of", "for"} or prep.i > end:
                continue
            name_end = prep.i
            for w in list(prep.subtree)[1:]:  # the capitalised words, up to a relative clause or the like
                if w.text[:1].isupper():
                    name_end = w.i
                elif w.lower_ not in _NAME_LINKS:
                    break
            end = max(end, name_end + 1)
    return doc[first:end]
