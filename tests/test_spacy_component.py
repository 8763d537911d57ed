"""The spaCy component: ``nlp.add_pipe("stance")`` on a plain spaCy pipeline sets ``doc._.statements``."""
from importlib.metadata import entry_points

import pytest
import spacy
from spacy.tokens import DocBin, Span
from spacy.vocab import Vocab

from stance.settings import SPACY_MODEL
from stance.spacy_component import StatementView, make_stance

TEXT = ('"We are ready to meet him without preconditions," Zelensky said. '
        "The Kremlin said Putin would not meet Zelensky until a peace deal was ready.")
ARTICLE = ("Kovac open to talks with Lund\n"
           "Ruritania's president, Anna Kovac, said on Monday she was ready to meet Prime Minister Boris Lund "
           "if he withdrew his troops from the border.\n"
           '"We will never sit down with them while the shelling goes on," Lund told reporters in the capital.')
TEXTS = [TEXT, ARTICLE, "Nothing was said about talks.", ""]


@pytest.fixture(scope="session")
def rules_nlp():
    nlp = spacy.load(SPACY_MODEL)
    nlp.add_pipe("stance", config={"model": "rules"})
    return nlp


def dicts(doc):
    return [v.statement.to_dict() for v in doc._.statements]


def test_factory_is_the_spacy_factories_entry_point():
    [ep] = [ep for ep in entry_points(group="spacy_factories") if ep.name == "stance"]
    assert ep.load() is make_stance


def test_line_break_rule_is_added_before_the_parser(rules_nlp):
    names = rules_nlp.pipe_names
    assert names.index("stance_line_breaks") < names.index("parser") < names.index("stance")
    assert names[-1] == "stance"


def test_statements_with_speaker_target_cue_and_condition_as_spans(rules_nlp):
    doc = rules_nlp(TEXT)
    quote, reported = doc._.statements
    assert all(isinstance(v, StatementView) for v in (quote, reported))
    assert (quote.kind, quote.span.text, quote.cue.text) == ("direct", "We are ready to meet him without preconditions",
                                                             "said")
    assert (quote.speaker.text, quote.speaker_name, quote.target) == ("Zelensky", "Zelensky", None)
    assert reported.kind == "indirect"
    assert reported.span.text == "Putin would not meet Zelensky until a peace deal was ready"
    assert (reported.speaker.text, reported.speaker_name) == ("The Kremlin", "Russia")
    assert (reported.target.text, reported.target_name) == ("Zelensky", "Zelensky")
    assert (reported.stance, reported.condition.text) == ("conditional", "a peace deal was ready")
    assert isinstance(reported.target, Span) and reported.target.doc is doc
    assert reported.target.start_char == TEXT.index("Zelensky until")


def test_same_statements_as_the_pipeline(rules_nlp, rules_pipeline):
    doc = rules_nlp(ARTICLE)
    expected = rules_pipeline(ARTICLE).statements
    assert len(expected) >= 2
    assert [v.statement for v in doc._.statements] == expected
    assert "stance_text" not in doc.user_data  # the text cache is not stored twice


def test_pipe_pools_a_batch_into_one_classifier_call(rules_nlp, monkeypatch):
    component = rules_nlp.get_pipe("stance")
    calls = []
    predict = component.pipeline.classifier.predict
    monkeypatch.setattr(component.pipeline.classifier, "predict", lambda qs: calls.append(len(qs)) or predict(qs))
    docs = list(rules_nlp.pipe(TEXTS, batch_size=8))
    assert len(calls) == 1 and calls[0] > max(len(d._.statements) for d in docs)  # several docs' statements


def test_docbin_round_trip_into_a_fresh_vocab(rules_nlp):
    docs = list(rules_nlp.pipe(TEXTS))
    data = DocBin(docs=docs, store_user_data=True).to_bytes()
    back = list(DocBin().from_bytes(data).get_docs(Vocab()))
    assert [dicts(d) for d in back] == [dicts(d) for d in docs]
    assert [v.speaker.text for v in back[0]._.statements] == ["Zelensky", "The Kremlin"]


def test_multiprocess_pipe_gives_the_same_statements(rules_nlp):
    one = [dicts(d) for d in rules_nlp.pipe(TEXTS, n_process=1)]
    two = [dicts(d) for d in rules_nlp.pipe(TEXTS, n_process=2, batch_size=1)]
    assert two == one and len(one[0]) == 2


@pytest.mark.timeout(180, method="thread")  # a deadlocked fork blocks signals: end the run rather than hang it
def test_multiprocess_pipe_after_the_transformer_ran_here():
    nlp = spacy.load(SPACY_MODEL)
    nlp.add_pipe("stance")  # the shipped transformer
    first = dicts(nlp(TEXT))  # torch's threads start in this process before spaCy forks its workers
    two = [dicts(d) for d in nlp.pipe([TEXT, ARTICLE], n_process=2, batch_size=1)]  # hung before the fix
    assert two[0] == first and len(two[1]) == 2


def test_saved_pipeline_loads_with_the_component(rules_nlp, tmp_path):
    rules_nlp.to_disk(tmp_path)
    loaded = spacy.load(tmp_path)
    assert loaded.pipe_names == rules_nlp.pipe_names
    assert loaded.config["components"]["stance"]["model"] == "rules"
    assert dicts(loaded(ARTICLE)) == dicts(rules_nlp(ARTICLE))


def test_empty_and_unprocessed_docs_have_no_statements(rules_nlp):
    assert rules_nlp("")._.statements == []
    assert rules_nlp.make_doc(TEXT)._.statements == []


def test_without_a_parser_it_says_what_is_missing():
    nlp = spacy.blank("en")
    nlp.add_pipe("stance", config={"model": "rules"})
    with pytest.raises(ValueError, match="dependency parser"):
        nlp(TEXT)


def test_default_is_the_shipped_model():
    nlp = spacy.load(SPACY_MODEL)
    nlp.add_pipe("stance")
    assert nlp.config["components"]["stance"]["model"] is None
    quote, reported = nlp(TEXT)._.statements
    assert (quote.stance, quote.speaker_name) == ("willing", "Zelensky")
    assert (reported.stance, reported.speaker_name, reported.condition.text) == ("conditional", "Russia",
                                                                                 "a peace deal was ready")


def test_the_engine_options_of_stance_load_reach_the_classifier():
    nlp = spacy.load(SPACY_MODEL)
    nlp.add_pipe("stance", config={"int8": True, "dtype": "fp32", "batch_size": 16})
    settings = nlp.get_pipe("stance").pipeline.classifier.engine.settings
    assert (settings.quantize, settings.dtype, settings.batch_size, settings.compile) == (True, "fp32", 16, False)
    quote, reported = nlp(TEXT)._.statements
    assert (quote.stance, reported.stance) == ("willing", "conditional")


def test_the_pipeline_with_the_shipped_classifier_pickles():
    """Pickling is how ``nlp.pipe(n_process=N)`` ships the pipeline under the spawn start method."""
    import pickle

    nlp = spacy.load(SPACY_MODEL)
    nlp.add_pipe("stance")
    first = dicts(nlp(TEXT))
    again = pickle.loads(pickle.dumps(nlp))
    assert dicts(again(TEXT)) == first


def test_without_a_lemmatizer_it_says_so_rather_than_finding_nothing():
    nlp = spacy.load(SPACY_MODEL, exclude=["lemmatizer"])  # the attribute_ruler still lemmatises "he", "was"
    nlp.add_pipe("stance", config={"model": "rules"})
    with pytest.raises(ValueError, match="a lemmatizer"):
        nlp(TEXT)


def test_a_failed_add_leaves_the_pipeline_as_it_was():
    nlp = spacy.load(SPACY_MODEL)
    names = list(nlp.pipe_names)
    with pytest.raises(FileNotFoundError):
        nlp.add_pipe("stance", config={"model": "/no/such/model/dir"})
    assert nlp.pipe_names == names


def test_a_parsed_doc_runs_through_the_component_alone(rules_nlp):
    doc = rules_nlp(ARTICLE)
    with pytest.raises(ValueError, match="already parsed.*select_pipes"):
        rules_nlp(doc)
    loaded = list(DocBin(store_user_data=False, docs=[doc]).get_docs(rules_nlp.vocab))[0]
    assert loaded._.statements == []
    with rules_nlp.select_pipes(enable=["stance"]):
        assert dicts(rules_nlp(loaded)) == dicts(doc)


def test_another_librarys_statements_extension_is_left_alone():
    import subprocess
    import sys

    code = ("import warnings, spacy\n"
            "from spacy.tokens import Doc\n"
            "Doc.set_extension('statements', default='mine')\n"
            "import stance.spacy_component as sc\n"
            f"nlp = spacy.load({SPACY_MODEL!r})\n"
            "with warnings.catch_warnings(record=True) as w:\n"
            "    warnings.simplefilter('always')\n"
            "    nlp.add_pipe('stance', config={'model': 'rules'})\n"
            "doc = nlp('Putin said he would not meet Zelensky.')\n"
            "print(doc._.statements, len(sc.statements_of(doc)), any('another library' in str(x.message) for x in w))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.stdout.split() == ["mine", "1", "True"], out.stderr


def test_a_byte_order_mark_is_no_part_of_a_name(rules_nlp):
    doc = rules_nlp("\ufeffZelensky said he was ready to meet Putin. Zelensky later said he would not meet Lukashenko.")
    assert [v.speaker_name for v in doc._.statements] == ["Zelensky", "Zelensky"]


def test_statements_copied_into_another_doc_are_left_out(rules_nlp):
    doc = rules_nlp("Netanyahu said he was open to meeting Abbas. But Abbas said there would be no meeting until "
                    "settlement building stopped.")
    assert len(doc._.statements) == 2
    part = doc[9:].as_doc(copy_user_data=True)  # the offsets no longer point at the statements' words
    assert part._.statements == []
