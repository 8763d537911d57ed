"""Loading the spaCy pipeline that every stage reads from.

Adds one small component before the parser: a line break starts a new sentence, so that headlines and
paragraphs never run into each other (but for a wrapped line that goes on in lower case), and so does the text
after a dateline ("KYIV, May 2 (Reuters) - ..."), so that a place name is never read as the first sentence's
subject. Long texts are parsed in pieces (``pipe_in_pieces``).
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Token

from .names import NAME_PARTICLES
from .settings import SPACY_MODEL

PIECE_CHARS = 10_000  # longer texts are parsed in pieces (``pipe_in_pieces``): 16 pieces a batch


# A paragraph-initial place in capitals, an optional ", date or region" and "(agency)", then a dash.
_DATELINE = re.compile(r"^[ \t]*[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ.'’/ -]*[A-ZÀ-ÖØ-Þ]\b(?:,[^\n]{1,40}?)?(?:\s*\([^)\n]{1,40}\))?\s+(?:--?|—|–)\s+",
                       re.M)


_LINE_BREAK = re.compile("\r\n|[\n\r\v\f\x85\u2028\u2029]")  # what str.splitlines splits at ("\r\n" once)


_NAME_OPENERS = NAME_PARTICLES | {"al", "el", "ben", "la", "le", "zu"}  # lower-case words that open a name


def _wrapped(last: Token | None, tok: Token) -> bool:
    """Whether one line break between ``last`` and ``tok`` only wraps a sentence: the line before ends without a
    sentence's punctuation and the next goes on with a lower-case word that opens no name (not "de Villepin",
    "al-Sisi", "eBay")."""
    return (last is not None and last.text not in {".", "!", "?", ":", ";"} and tok.text[:1].islower()
            and tok.tag_ not in {"NNP", "NNPS", "FW"} and tok.lower_.split("-")[0] not in _NAME_OPENERS)


@Language.component("stance_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Mark the token after a line break (unless one break leads into a lower-case word: the line is wrapped)
    or a dateline as a sentence start.

    The marks are written as one array: setting ``Token.is_sent_start`` scans the whole Doc on each call. It
    must run before the parser: marks written into a parsed Doc would cut across its dependency trees."""
    if len(doc) and doc.has_annotation("DEP"):  # (an empty Doc counts as annotated)
        raise ValueError("stance_line_breaks met a Doc that is already parsed: it must come before the parser, and "
                         "a parsed Doc (from a DocBin, say) runs through the stance component alone: "
                         "`with nlp.select_pipes(enable=['stance']): doc = nlp(doc)`")
    marks = doc.to_array(SENT_START).astype("int64")  # -1: not a start, 0: unset, 1: a start
    breaks, last = 0, None
    for tok in doc:
        if breaks > 1 or breaks == 1 and not _wrapped(last, tok):
            marks[tok.i] = 1
        breaks = (breaks if tok.is_space else 0) + len(_LINE_BREAK.findall(tok.text + tok.whitespace_))
        last = last if tok.is_space else tok
    starts = [tok.idx for tok in doc]
    for m in _DATELINE.finditer(text_of(doc)):
        i = bisect.bisect_left(starts, m.end())
        if 0 < i < len(doc) and starts[i] == m.end():
            marks[i] = 1
            if i + 1 < len(doc) and "\n" not in doc[i].whitespace_:
                marks[i + 1] = -1  # no one-word sentence after the dash
    return doc.from_array([SENT_START], marks.astype("uint64")[:, None])  # spaCy stores -1 wrapped


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


def pipe_in_pieces(nlp: Language, items: Iterable[tuple[str, Any]], batch_size: int = 16,
                   piece_chars: int = PIECE_CHARS) -> Iterator[tuple[Doc, Any]]:
    """``nlp.pipe(items, as_tuples=True)``, with a text longer than ``piece_chars`` parsed in pieces cut at line
    breaks and joined into one Doc of the same text. The parser's memory grows with the text of a batch (a
    million characters took 3.5 GB at once, 1.0 GB in pieces: ``benchmarks/RESULTS.md``), and a piece
    boundary at a line break barely changes the parse, as such a line break starts a sentence anyway."""
    def pieces() -> Iterator[tuple[str, tuple[Any, int, int]]]:
        for text, context in items:
            parts = split_lines(text, piece_chars)
            for i, part in enumerate(parts):
                yield part, (context, i, len(parts))

    held: list[Doc] = []
    for doc, (context, i, n) in nlp.pipe(pieces(), as_tuples=True, batch_size=batch_size):
        if n == 1:
            yield doc, context
            continue
        doc.user_data.pop("stance_text", None)  # (not merged by spaCy; rebuilt by ``text_of``)
        held.append(doc)
        if i == n - 1:
            yield Doc.from_docs(held, ensure_whitespace=False), context
            held = []


def split_lines(text: str, size: int) -> list[str]:
    """The text in consecutive pieces of at most ``size`` characters, each cut after a line break where there
    is one that starts a sentence (not before a lower-case word, which may go on a wrapped line, nor inside
    "\r\n"), else after a sentence's ". ", else after a space, else at ``size``; joined, they are the text."""
    out: list[str] = []
    start = 0
    while len(text) - start > size:
        window = text[start:start + size]
        cut = max((m.end() for m in _LINE_BREAK.finditer(window, 1)
                   if not text[start + m.end():start + m.end() + 1].islower()
                   and text[start + m.start():start + m.end() + 1] != "\r\n"), default=0)
        for boundary in (". ", " "):
            if not cut and window.rfind(boundary, 1) != -1:
                cut = window.rfind(boundary, 1) + len(boundary)
        end = start + (cut or size)
        out.append(text[start:end])
        start = end
    out.append(text[start:])
    return out


def text_of(doc: Doc) -> str:
    """The article text of a Doc, built once (``Doc.text`` joins every token on each access)."""
    text = doc.user_data.get("stance_text")
    if text is None:
        text = doc.user_data["stance_text"] = doc.text
    return text
