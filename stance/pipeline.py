"""The pipeline: text -> parse -> segment -> attribute -> gate -> classify -> assemble.

Two halves. ``Analyzer`` (picklable, no model weights) parses, segments, attributes and gates a chunk of
records; it runs here or in worker processes (``stance.workers``). ``Pipeline.classify`` pools the
statements of a whole chunk into one classifier call and assembles the results. ``Pipeline.pipe`` streams
like spaCy's ``nlp.pipe`` and yields exactly one ``ArticleResult`` per input record, in input order; a record
that cannot be processed yields a result with an ``error`` and no statements, and never stops the run.
"""
from __future__ import annotations

import bisect
import itertools
import json
import os
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from .attribute import AliasTable, attribute, load_aliases
from .classify.base import Classifier, view
from .classify.conditions import find_condition
from .gate import comments_only, other_senses_blanked, withholds_stance
from .io import add_warning, id_text, json_safe, prepare_text
from .parse import PIECE_CHARS, pipe_in_pieces, text_of
from .segment import Lexicon, load_lexicon, segment
from .settings import MAX_CHARS
from .types import LABELS, ArticleResult, Query, Span, Statement

Record = str | dict[str, Any]
Chunk = list[tuple[int, Record]]
_META = ("title", "date", "source", "warning")


@dataclass
class StageTimes:
    """Seconds spent per stage (parse and attribute summed over worker processes)."""

    parse: float = 0.0
    attribute: float = 0.0
    classify: float = 0.0

    def add(self, other: "StageTimes") -> None:
        self.parse += other.parse
        self.attribute += other.attribute
        self.classify += other.classify


@dataclass
class Pending:
    """A statement that passed the gate, with the query the classifier sees and where the query's text starts
    in the article. A label other than ``none`` needs at least ``min_score`` probability (set for statements
    that passed only through their context)."""

    statement: Statement
    query: Query
    start: int
    min_score: float = 0.0


@dataclass
class Analysed:
    """One article after parse, segment, attribute and gate; ``pending`` statements await the classifier."""

    result: ArticleResult
    pending: list[Pending] = field(default_factory=list)

    def to_row(self) -> dict[str, str]:
        """An Arrow-friendly row (Ray Data stages): the result as JSON, and the pending statements as JSON
        [index into ``result.statements``, query text, speaker, target, query start, min_score] lists."""
        index = {id(s): n for n, s in enumerate(self.result.statements)}
        pending = [[index[id(p.statement)], p.query.text, p.query.speaker, p.query.target, p.start, p.min_score]
                   for p in self.pending]
        return {"result": json.dumps(self.result.to_dict(), default=str), "pending": json.dumps(pending)}

    @classmethod
    def from_row(cls, row: dict[str, str]) -> "Analysed":
        """The inverse of ``to_row``: pending statements are the result's own Statement objects again."""
        result = ArticleResult.from_dict(json.loads(row["result"]))
        return cls(result, [Pending(result.statements[i], Query(text, speaker, target), start, min_score)
                            for i, text, speaker, target, start, min_score in json.loads(row["pending"])])


@dataclass
class Analyzer:
    """Everything before the classifier. Holds no weights, so it pickles to worker processes."""

    nlp: Language
    lexicon: Lexicon = field(default_factory=load_lexicon)
    aliases: AliasTable = field(default_factory=load_aliases)
    gate: bool = True
    gate_context: int = 2  # sentences on each side of a statement that the gate also reads (chosen on train
    # and validation: benchmarks/gate.py shows it loses no labelled stance on any gold set)
    context_min_score: float = 0.9  # a statement with no meeting words of its own is none unless the
    # classifier is nearly sure (0.9: best end-to-end F1 on train + validation of 0.5 / 0.7 / 0.8 / 0.9)
    max_chars: int = MAX_CHARS
    truncate: bool = False  # cut texts over max_chars (with a warning) instead of an error record
    piece_chars: int = PIECE_CHARS  # longer texts are parsed in pieces cut at line breaks (memory)

    def analyse(self, chunk: Chunk) -> tuple[list[Analysed], StageTimes]:
        """The chunk's articles, in order, and the time spent parsing and attributing them."""
        times = StageTimes()
        out: list[Analysed] = []
        texts: list[tuple[str, int]] = []
        for i, record in chunk:
            result, text = self._check(i, record)
            out.append(Analysed(result))
            if result.error is None:
                texts.append((text, len(out) - 1))
        docs = pipe_in_pieces(self.nlp, texts, batch_size=16, piece_chars=self.piece_chars)
        while True:
            t0 = time.perf_counter()
            item = next(docs, None)
            t1 = time.perf_counter()
            times.parse += t1 - t0
            if item is None:
                break
            doc, slot = item
            try:
                out[slot].result.statements, out[slot].pending = self.find(doc)
            except Exception as exc:  # one article's failure is that article's error record
                out[slot].result.error = f"segmentation failed: {type(exc).__name__}: {exc}"
                continue
            times.attribute += time.perf_counter() - t1
        return out, times

    def find(self, doc: Doc) -> tuple[list[Statement], list[Pending]]:
        """One parsed article's statements, gated; those that pass the gate also come back as ``Pending``
        for ``Pipeline.classify`` (the spaCy component calls this too)."""
        statements = attribute(doc, segment(doc, self.lexicon), self.aliases)
        text = text_of(doc)
        spans = [(s.start, s.end) for s in statements]
        pending: list[Pending] = []
        for s, min_score in zip(statements, self.gate_scores(doc, statements)):
            if min_score is None:
                s.stance, s.score, s.scores = "none", 1.0, {lab: float(lab == "none") for lab in LABELS}
            else:
                start, end = view(text, s.kind, s.start, s.end, (s.cue.start, s.cue.end) if s.cue else None, spans)
                pending.append(Pending(s, Query(text[start:end], s.speaker, s.target), start, min_score))
        return statements, pending

    def gate_scores(self, doc: Doc, statements: list[Statement]) -> list[float | None]:
        """The gate, per statement: None (not classified: ``none``) when it only withholds a stance ("declined
        to say whether ...") or an unnamed commentator says it ("Analysts said ..."); 0.0 when its own words
        (with its cue) use any meeting vocabulary; ``context_min_score`` when only the ``gate_context``
        sentences on either side use the core of it; None (not classified: ``none``) otherwise. Everything
        gets 0.0 when the gate is off."""
        text = other_senses_blanked(doc)
        out: list[float | None] = []
        for s, context in zip(statements, self.gate_contexts(doc, statements, text)):
            if self.gate and (withholds_stance(s.text) or withholds_stance(_with_cue(text, s))
                              or comments_only(s.speaker, s.cue.text if s.cue else None)):
                out.append(None)
            elif not self.gate or self.mentions_meeting(_with_cue(text, s)):
                out.append(0.0)
            else:
                out.append(self.context_min_score if self.could_be_about_meeting(context) else None)
        return out

    def gate_contexts(self, doc: Doc, statements: list[Statement], text: str) -> list[str]:
        """Each statement's sentences (with its cue) and ``gate_context`` sentences on either side, from the
        article ``text`` (the Doc's, or with words blanked)."""
        if not self.gate or not statements:
            return [""] * len(statements)
        sents = [(s.start_char, s.end_char) for s in doc.sents]
        starts = [a for a, _ in sents]
        out = []
        for s in statements:
            lo = min(s.start, s.cue.start) if s.cue else s.start
            hi = max(s.end, s.cue.end) if s.cue else s.end
            first = max(0, bisect.bisect_right(starts, lo) - 1 - self.gate_context)
            last = min(len(sents) - 1, bisect.bisect_left(starts, hi) - 1 + self.gate_context)
            out.append(text[sents[first][0]:sents[last][1]] if sents else text)
        return out

    def mentions_meeting(self, text: str) -> bool:
        """Does the text use any meeting vocabulary (the broad list the rule baseline also uses)?"""
        low = text.lower()
        return any(w in low for w in self.lexicon.meeting_words) or self.could_be_about_meeting(low)

    def could_be_about_meeting(self, text: str) -> bool:
        """Does the text use the vocabulary of meetings, talks or negotiation (the lexicon's gate words)?"""
        low = text.lower()
        return any(w in low for w in self.lexicon.gate_words)

    def _check(self, i: int, record: Record) -> tuple[ArticleResult, str]:
        if isinstance(record, str):
            record = {"id": str(i), "text": record}
        if not isinstance(record, dict):
            return ArticleResult(str(i), error=f"record {i} is a {type(record).__name__}, not an object"), ""
        rid = str(i) if record.get("id") is None else id_text(record["id"])
        meta = {k: json_safe(record[k]) for k in _META if k in record}
        if record.get("error") and not isinstance(record.get("text"), str):  # a reader's error record
            return ArticleResult(rid, error=str(record["error"]), meta=meta), ""
        text = record.get("text")
        if not isinstance(text, str):
            return ArticleResult(rid, error='record has no "text" string', meta=meta), ""
        if len(text) > self.max_chars and not self.truncate:
            return ArticleResult(rid, error=f"text of {len(text):,} characters exceeds the limit of "
                                            f"{self.max_chars:,} (STANCE_MAX_CHARS; truncate=True or --truncate "
                                            "cuts it instead)", meta=meta), ""
        text, warnings = prepare_text(text, record.get("format"), self.max_chars)
        for w in warnings:
            add_warning(meta, w)
        return ArticleResult(rid, meta=meta), text


@contextmanager
def _cores_left_to(workers: int) -> Iterator[None]:
    """While ``workers`` processes parse, the classifier here uses only the cores they leave free: idle torch
    threads spin, and on a small machine they would slow the parsers down (benchmarks/RESULTS.md)."""
    if workers == 0:  # (nothing to restore: a generator left unfinished closes at exit, when torch is gone)
        yield
        return
    import torch  # here, not at the top: worker processes import this module and need no torch

    before = torch.get_num_threads()
    torch.set_num_threads(max(1, min(before, (os.cpu_count() or 1) - workers)))
    try:
        yield
    finally:
        torch.set_num_threads(before)


def _with_cue(text: str, s: Statement) -> str:
    """The statement's words with its cue's, from ``text`` (the article, or it with words blanked)."""
    return text[min(s.start, s.cue.start):max(s.end, s.cue.end)] if s.cue else text[s.start:s.end]


def check_batching(batch_size: int, workers: int) -> None:
    """A clear error for batch sizes below 1 (which would give no results at all) and negative worker counts."""
    if batch_size < 1 or workers < 0:
        raise ValueError(f"batch_size must be at least 1 and workers at least 0, got {batch_size} and {workers}")


def chunked(records: Iterable[Record], size: int) -> Iterator[Chunk]:
    """Records numbered by input position, in chunks of ``size``."""
    numbered = enumerate(records)
    while chunk := list(itertools.islice(numbered, size)):
        yield chunk


@dataclass
class Pipeline:
    """Callable on one text; ``pipe`` over many records. Build one with ``stance.load()``."""

    analyzer: Analyzer
    classifier: Classifier
    times: StageTimes = field(default_factory=StageTimes)

    @property
    def nlp(self) -> Language:
        return self.analyzer.nlp

    def __call__(self, text: str, id: str = "0") -> ArticleResult:
        if not isinstance(text, str):  # (``pipe`` turns a bad record into an error record instead)
            raise TypeError(f"text must be a str, not {type(text).__name__}")
        return next(self.pipe([{"id": id, "text": text}]))

    def pipe(self, records: Iterable[Record], batch_size: int = 64, workers: int = 0) -> Iterator[ArticleResult]:
        """One result per record (a text or a {"id", "text", ...} dict), in input order.

        ``batch_size`` articles are analysed together and their statements pooled into one classifier call.
        ``workers=0`` analyses here; ``workers=N`` starts N processes that parse, segment and attribute while
        this process classifies, with a bounded number of chunks in flight (memory stays flat)."""
        check_batching(batch_size, workers)  # here, not on the first result: ``_results`` is a generator
        return self._results(records, batch_size, workers)

    def _results(self, records: Iterable[Record], batch_size: int, workers: int) -> Iterator[ArticleResult]:
        chunks = chunked(records, batch_size)
        if workers > 0:
            from .workers import analyse_in_processes

            analysed = analyse_in_processes(self.analyzer, chunks, workers)
        else:
            analysed = map(self.analyzer.analyse, chunks)
        with _cores_left_to(workers):
            for batch, times in analysed:
                self.times.add(times)
                yield from self.classify(batch)

    def classify(self, batch: list[Analysed]) -> list[ArticleResult]:
        """Label every pending statement of the batch in one classifier call; the finished results."""
        t0 = time.perf_counter()
        pending = [p for a in batch for p in a.pending]
        for item, p in zip(pending, self.classifier.predict([item.query for item in pending])):
            s = item.statement
            s.stance = p.label if p.score >= item.min_score else "none"
            s.scores, s.score = p.scores, p.scores[s.stance]
            if s.stance == "conditional":
                s.condition = self._condition(item)
        self.times.classify += time.perf_counter() - t0
        return [a.result for a in batch]

    def _condition(self, item: Pending) -> Span | None:
        """The condition in the statement's own words, else in the rest of what the classifier saw (the cue's
        phrase: "refused to meet unless ..."); not in words between the cue and the statement ("said, after a
        long session, that she would meet him only if ...")."""
        text, own = item.query.text, max(0, item.statement.start - item.start)
        found = find_condition(text[own:], self.analyzer.lexicon)
        if found is not None:
            found = (own + found[0], own + found[1])
        else:
            found = find_condition(text, self.analyzer.lexicon)
            if found is None:
                return None
        return Span(text[found[0]:found[1]], item.start + found[0], item.start + found[1])
