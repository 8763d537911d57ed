"""The spaCy component: ``nlp.add_pipe("stance")`` sets ``doc._.statements``.

It runs segment -> attribute -> gate -> classify on the Docs that the pipeline's tagger, parser and NER
already annotated (nothing is parsed twice), pooling the statements of each batch of Docs into one classifier
call. Results are stored as plain data (``Statement.to_dict()``) in ``doc.user_data``, so they survive
``DocBin(store_user_data=True)`` and ``nlp.pipe(..., n_process=N)``; ``doc._.statements`` turns them into
``StatementView`` objects whose mentions are spaCy Spans.

Created on a pipeline without the ``stance_line_breaks`` component, it adds it before the parser, as
``stance.load()`` does: without it a headline or paragraph without final punctuation runs into the next.
"""
# no ``from __future__ import annotations``: spaCy validates the factory's arguments from real annotations
import os
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Optional

from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan
from spacy.util import minibatch

from . import load_classifier
from .pipeline import Analysed, Analyzer, Pipeline
from .settings import EngineSettings
from .types import ArticleResult, Span, Statement

USER_DATA_KEY = "stance_statements"
_NEEDS = {"DEP": "a dependency parser", "POS": "a tagger (with the attribute_ruler that maps its tags to POS)",
          "LEMMA": "a lemmatizer", "ENT_IOB": "an entity recognizer"}


@dataclass(frozen=True)
class StatementView:
    """A ``Statement`` seen through its Doc: the content, cue, mentions and condition as spaCy Spans."""

    statement: Statement
    span: Optional[SpacySpan]
    cue: Optional[SpacySpan]
    speaker: Optional[SpacySpan]
    target: Optional[SpacySpan]
    condition: Optional[SpacySpan]

    @classmethod
    def of(cls, doc: Doc, statement: Statement) -> "StatementView":
        def span(s: Optional[Span]) -> Optional[SpacySpan]:
            return None if s is None else doc.char_span(s.start, s.end, alignment_mode="expand")

        return cls(statement, doc.char_span(statement.start, statement.end, alignment_mode="expand"),
                   span(statement.cue), span(statement.speaker_mention), span(statement.target_mention),
                   span(statement.condition))

    @property
    def stance(self) -> str:
        return self.statement.stance

    @property
    def score(self) -> float:
        return self.statement.score

    @property
    def kind(self) -> str:
        return self.statement.kind

    @property
    def speaker_name(self) -> Optional[str]:
        """The canonical speaker ("Vladimir Putin" for the mention "Putin")."""
        return self.statement.speaker

    @property
    def target_name(self) -> Optional[str]:
        return self.statement.target

    @property
    def reported_by(self) -> Optional[str]:
        return self.statement.reported_by


def statements_of(doc: Doc) -> list[StatementView]:
    """The getter of ``doc._.statements``: empty when the component has not run on the Doc. A statement whose
    words are not at its offsets is left out: its user data was copied into another Doc
    (``Span.as_doc(copy_user_data=True)``)."""
    statements = [Statement.from_dict(d) for d in doc.user_data.get(USER_DATA_KEY, [])]
    text = doc.text if statements else ""
    return [StatementView.of(doc, s) for s in statements if text[s.start:s.end] == s.text]


def _extension_is_ours() -> bool:
    """Whether ``Doc._.statements`` is unset or this module's (another library's extension is left alone)."""
    if not Doc.has_extension("statements"):
        return True
    getter = Doc.get_extension("statements")[2]
    return getattr(getter, "__module__", None) == __name__ and getattr(getter, "__name__", None) == "statements_of"


if _extension_is_ours():
    Doc.set_extension("statements", getter=statements_of, force=True)


class StanceComponent:
    """Finds the statements of parsed Docs and classifies their stance (see the module docstring)."""

    def __init__(self, nlp: Language, name: str, pipeline: Pipeline):
        self.name = name
        self.pipeline = pipeline
        self._pid = os.getpid()

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        """Docs in order, annotated; each batch's statements go to the classifier in one call."""
        if os.getpid() != self._pid:  # a process forked by ``nlp.pipe(n_process=N)``: torch's thread pool,
            import torch  # started in the parent, hangs a forked child that runs parallel work

            torch.set_num_threads(1)
            self._pid = os.getpid()
        for batch in minibatch(docs, batch_size):
            analysed = [self._analyse(doc) for doc in batch]
            for doc, result in zip(batch, self.pipeline.classify(analysed)):
                doc.user_data[USER_DATA_KEY] = [s.to_dict() for s in result.statements]
                doc.user_data.pop("stance_text", None)  # parse.text_of's cache of doc.text: not worth storing
            yield from batch

    def _analyse(self, doc: Doc) -> Analysed:
        # lemmas on every token: the attribute_ruler alone lemmatises a few words ("he", "was")
        missing = [what for attr, what in _NEEDS.items()
                   if len(doc) and not doc.has_annotation(attr, require_complete=attr == "LEMMA")]
        if missing:
            raise ValueError(f"the stance component needs {', '.join(missing)} before it in the pipeline")
        statements, pending = self.pipeline.analyzer.find(doc)
        return Analysed(ArticleResult("", statements), pending)


@Language.factory(
    "stance",
    default_config={"model": None, "gate": True, "device": "auto", "batch_size": 64, "max_tokens": 8192,
                    "int8": False, "compile": False, "dtype": "auto"},
    requires=["token.dep", "token.pos", "token.lemma", "doc.ents"],
    assigns=["doc._.statements"],
)
def make_stance(nlp: Language, name: str, model: Optional[str], gate: bool, device: str, batch_size: int,
                max_tokens: int, int8: bool, compile: bool, dtype: str) -> StanceComponent:
    """The ``stance`` factory. ``model``: None for the shipped classifier, "rules", or a model directory;
    ``gate``, ``device``, ``batch_size``, ``max_tokens``, ``int8``, ``compile`` and ``dtype`` as in
    ``stance.load``."""
    classifier = load_classifier(model, EngineSettings(batch_size=batch_size, max_tokens=max_tokens, device=device,
                                                       quantize=int8, compile=compile, dtype=dtype))
    if not _extension_is_ours():
        warnings.warn("Doc._.statements belongs to another library; read stance's statements with "
                      "stance.spacy_component.statements_of(doc)", stacklevel=2)
    if "stance_line_breaks" not in nlp.component_names:  # (only once the classifier has loaded)
        nlp.add_pipe("stance_line_breaks", before="parser" if "parser" in nlp.component_names else None)
    return StanceComponent(nlp, name, Pipeline(Analyzer(nlp, gate=gate), classifier))
