"""The pipeline: text -> parse -> segment -> attribute -> gate -> classify -> assemble.

``Pipeline.pipe`` streams like spaCy's ``nlp.pipe``: it parses articles in batches (optionally in several
processes), pools the statements of a whole batch of articles into one classifier call, and yields one
``ArticleResult`` per input record, in input order. A record that cannot be processed yields a result with
an ``error`` and no statements; it never stops the batch.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from .attribute import AliasTable, attribute, load_aliases
from .classify.base import Classifier, query_for
from .classify.conditions import find_condition
from .parse import text_of
from .segment import Lexicon, load_lexicon, segment
from .settings import MAX_CHARS
from .types import LABELS, ArticleResult, Query, Span, Statement

Record = str | dict[str, Any]
_META = ("title", "date", "source", "warning")


@dataclass
class Pipeline:
    """Callable on one text; ``pipe`` over many records. Build one with ``stance.load()``."""

    nlp: Language
    classifier: Classifier
    lexicon: Lexicon = field(default_factory=load_lexicon)
    aliases: AliasTable = field(default_factory=load_aliases)
    gate: bool = True
    max_chars: int = MAX_CHARS

    def __call__(self, text: str, id: str = "0") -> ArticleResult:
        return next(self.pipe([{"id": id, "text": text}]))

    def pipe(self, records: Iterable[Record], batch_size: int = 64, n_process: int = 1) -> Iterator[ArticleResult]:
        """Results for records (texts or {"id", "text", ...} dicts), in input order."""
        numbered = ((i, r) for i, r in enumerate(records))
        while chunk := list(itertools.islice(numbered, batch_size)):
            yield from self._batch(chunk, n_process)

    # -- stages -----------------------------------------------------------------------------------------
    def _batch(self, chunk: list[tuple[int, Record]], n_process: int) -> list[ArticleResult]:
        results: list[ArticleResult] = []
        texts: list[tuple[str, int]] = []
        for i, record in chunk:
            result, text = self._check(i, record)
            results.append(result)
            if result.error is None:
                texts.append((text, len(results) - 1))
        docs = self.nlp.pipe(texts, as_tuples=True, n_process=n_process, batch_size=16)
        found: list[tuple[int, Doc, list[Statement]]] = []
        for doc, slot in docs:
            try:
                found.append((slot, doc, attribute(doc, segment(doc, self.lexicon), self.aliases)))
            except Exception as exc:  # one article's failure is that article's error record
                results[slot].error = f"segmentation failed: {type(exc).__name__}: {exc}"
        queries: list[Query] = []
        owners: list[Statement] = []
        for slot, doc, statements in found:
            for s in statements:
                q = query_for(text_of(doc), s.kind, s.start, s.end, (s.cue.start, s.cue.end) if s.cue else None,
                              s.speaker, s.target)
                if self.gate and not self.could_be_about_meeting(q.text):
                    s.stance, s.score, s.scores = "none", 1.0, {lab: float(lab == "none") for lab in LABELS}
                    continue
                queries.append(q)
                owners.append(s)
            results[slot].statements = statements
        for s, q, p in zip(owners, queries, self.classifier.predict(queries)):
            s.stance, s.scores, s.score = p.label, p.scores, p.score
            if p.label == "conditional":
                s.condition = self._condition(q, s)
        return results

    def could_be_about_meeting(self, text: str) -> bool:
        """The gate: only statements that mention meeting, talks or negotiation reach the classifier."""
        low = text.lower()
        return any(w in low for w in self.lexicon.meeting_words)

    def _check(self, i: int, record: Record) -> tuple[ArticleResult, str]:
        if isinstance(record, str):
            record = {"id": str(i), "text": record}
        if not isinstance(record, dict):
            return ArticleResult(str(i), error=f"record {i} is a {type(record).__name__}, not an object"), ""
        rid = str(record.get("id", i))
        meta = {k: record[k] for k in _META if k in record}
        if record.get("error"):
            return ArticleResult(rid, error=str(record["error"]), meta=meta), ""
        text = record.get("text")
        if not isinstance(text, str):
            return ArticleResult(rid, error='record has no "text" string', meta=meta), ""
        if len(text) > self.max_chars:
            return ArticleResult(rid, error=f"text of {len(text):,} characters exceeds the limit of "
                                            f"{self.max_chars:,} (STANCE_MAX_CHARS)", meta=meta), ""
        return ArticleResult(rid, meta=meta), text

    def _condition(self, q: Query, s: Statement) -> Span | None:
        found = find_condition(q.text, self.lexicon)
        if found is None:
            return None
        offset = s.start if q.text == s.text else min(s.start, s.cue.start if s.cue else s.start)
        start, end = offset + found[0], offset + found[1]
        return Span(q.text[found[0]:found[1]], start, end)
