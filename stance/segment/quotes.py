"""Direct quotations found in raw text: quote-mark pairing that never raises.

Handles straight and curly double quotes, guillemets, single quotes (British style) where they pair, quotes
spanning sentences, and the news convention where a quote running over several paragraphs (lines) reopens
a quote mark at each paragraph without closing the previous one. A quote never runs past its paragraph: an
unbalanced mark closes at the paragraph end.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_PARAGRAPH = re.compile(r"\n\s*")
_OPENERS = {"„": "“”", "“": "”", "«": "»", "‘": "’"}  # opener -> its closers („…“ German, „…” Polish style)
QUOTE_MARKS = "\"“”«»‘’'„"  # every mark that opens or closes a quotation
_MIN_WORDS = 4  # shorter quotes are scare quotes inside reported speech, not statements


@dataclass(frozen=True)
class Quote:
    """A quotation's content span (inside the marks) and whether it continues the previous paragraph's quote."""

    start: int
    end: int
    continued: bool = False  # the previous paragraph's quote was left open: same speaker
    short: bool = False  # under four words: a statement only when a reporting verb follows it


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for m in _PARAGRAPH.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return [(s, e) for s, e in spans if e > s]


def _is_opening_straight(text: str, i: int, lo: int) -> bool:
    before = text[i - 1] if i > lo else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before.isspace() or before in "([{—–-:;,/":
        return not after.isspace()
    return False


def _reopens(text: str, i: int, lo: int) -> bool:
    """A straight double mark that opens a new quote while one is open: after a sentence's end and a space,
    before a word ('weeks. "We are going'), not a closing mark after a stray space ('deal ", he said')."""
    before = text[lo:i].rstrip()
    return (i > lo and text[i - 1].isspace() and before[-1:] in {".", "?", "!"} and i + 1 < len(text)
            and text[i + 1].isalnum())


def _pairs(text: str, lo: int, hi: int, mark: str) -> list[tuple[int, int, bool]]:
    """Content spans of a paragraph for one straight mark (`"` or `'`); the bool says 'left open'."""
    out: list[tuple[int, int, bool]] = []
    open_at: int | None = None
    for i in range(lo, hi):
        if text[i] != mark:
            continue
        if mark == "'" and 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum():
            continue  # apostrophe: don't, O'Neill
        if open_at is None:
            if mark == '"' or _is_opening_straight(text, i, lo):
                open_at = i + 1
        elif mark == '"' and _reopens(text, i, lo):
            out.append((open_at, i, False))  # 'weeks. "We are going': a new quote opens where the last one was
            open_at = i + 1  # left open (paragraphs of one speaker run together on a line)
        elif not _is_opening_straight(text, i, lo) or mark == '"':
            out.append((open_at, i, False))
            open_at = None
    if open_at is not None:
        out.append((open_at, hi, True))
    return out


def _curly_pairs(text: str, lo: int, hi: int, opener: str, closers: str,
                 closing: set[int] | None = None) -> list[tuple[int, int, bool]]:
    """Content spans of a paragraph for one opening mark; the bool says 'left open'. A mark at a position in
    ``closing`` closes another quote („…“) and opens none."""
    out: list[tuple[int, int, bool]] = []
    open_at: int | None = None
    for i in range(lo, hi):
        ch = text[i]
        if ch == opener and open_at is None and not (opener == "‘" and i > lo and text[i - 1].isalnum()) \
                and not (closing and i in closing):
            open_at = i + 1
        elif ch in closers and open_at is not None:
            if ch == "’" and i + 1 < hi and text[i + 1].isalnum():
                continue  # apostrophe inside the quote
            out.append((open_at, i, False))
            open_at = None
    if open_at is not None:
        out.append((open_at, hi, True))
    return out


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] == "\0"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


def find_quotes(text: str) -> list[Quote]:
    """All direct quotations, in text order (``short`` marks those under four words)."""
    quotes: list[Quote] = []
    previous_open = False
    text = text.replace("''", '"\0')  # doubled apostrophes as a double quote mark (same length)
    for lo, hi in _paragraphs(text):
        spans = _pairs(text, lo, hi, '"')
        closing: set[int] = set()  # where a „ quote closes
        for opener, closers in _OPENERS.items():
            if opener != "‘":
                found = _curly_pairs(text, lo, hi, opener, closers, closing)
                spans += found
                if opener == "„":
                    closing.update(e for _, e, left_open in found if not left_open)
        taken = [(s, e) for s, e, _ in spans]
        singles = _curly_pairs(text, lo, hi, "‘", "’") + _pairs(text, lo, hi, "'")
        spans += [q for q in singles if not q[2] and not any(s <= q[0] < e for s, e in taken)]
        spans.sort()
        kept: list[tuple[int, int, bool]] = []
        for s, e, left_open in spans:
            if kept and s < kept[-1][1]:
                continue  # nested or overlapping marks: keep the outer quote
            kept.append((s, e, left_open))
        first = True
        para_open = False
        for s, e, left_open in kept:
            s, e = _strip(text, s, e)
            continued = first and previous_open and text[lo:s].strip() in {'"', "“", "«", "‘", "'", "„"}
            first = False
            para_open = left_open
            words = len(text[s:e].split())
            if words:
                quotes.append(Quote(s, e, continued, short=words < _MIN_WORDS))
        previous_open = para_open
    return quotes
