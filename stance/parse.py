"""Loading the spaCy pipeline that every stage reads from.

Adds one small component before the parser: a line break always starts a new sentence, so that headlines and
paragraphs never run into each other.
"""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .settings import SPACY_MODEL


@Language.component("stance_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Mark the token after a line break as a sentence start."""
    after_break = False
    for tok in doc:
        if after_break:
            tok.is_sent_start = True
        after_break = "\n" in tok.text or "\n" in tok.whitespace_
    return doc


@lru_cache(maxsize=4)
def load_nlp(name: str = SPACY_MODEL) -> Language:
    """Load a spaCy pipeline by package name or path, with the line-break rule, ready for ``nlp.pipe``."""
    try:
        nlp = spacy.load(name, exclude=["textcat"])
    except OSError as exc:
        raise OSError(f"spaCy model {name!r} is not installed or not a pipeline directory: {exc}") from exc
    before = "parser" if "parser" in nlp.pipe_names else None
    if "stance_line_breaks" not in nlp.pipe_names:
        nlp.add_pipe("stance_line_breaks", before=before)
    nlp.max_length = max(nlp.max_length, 10_000_000)
    return nlp


def text_of(doc: Doc) -> str:
    """The article text of a Doc, built once (``Doc.text`` joins every token on each access)."""
    text = doc.user_data.get("stance_text")
    if text is None:
        text = doc.user_data["stance_text"] = doc.text
    return text
