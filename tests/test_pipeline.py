"""The pipeline on whole articles: order, bad input, pooling (rule classifier)."""
from dataclasses import replace
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "meeting.txt"


def test_example_article(rules_pipeline):
    text = EXAMPLE.read_text()
    r = rules_pipeline(text, id="meeting")
    assert r.error is None
    got = {(s.speaker, s.stance) for s in r.statements}
    assert ("Ilham Aliyev", "conditional") in got
    assert ("Azerbaijan", "rejecting") in got  # "an offer Baku has so far left unanswered"
    starts = [s.start for s in r.statements]
    assert starts == sorted(starts)
    for s in r.statements:
        assert text[s.start:s.end] == s.text
        if s.condition:
            assert text[s.condition.start:s.condition.end] == s.condition.text


def test_bad_records_get_errors_and_others_survive(rules_pipeline):
    records = [{"id": "ok", "text": '"We will talk to them tomorrow," the minister said.'}, {"id": "no-text"},
               {"id": "empty", "text": ""}, {"id": "blank", "text": "   \n\t "}, 42,
               {"id": "unbalanced", "text": 'He said "we are ready to meet them and then left. "And another'}]
    results = list(rules_pipeline.pipe(records))
    assert [r.id for r in results] == ["ok", "no-text", "empty", "blank", "4", "unbalanced"]
    assert results[0].statements and results[0].error is None
    assert results[1].error and results[4].error
    assert results[2].statements == [] and results[2].error is None
    assert results[3].statements == [] and results[3].error is None
    assert results[5].error is None


def test_too_long_article_gets_error(rules_pipeline):
    from dataclasses import replace
    small = replace(rules_pipeline, analyzer=replace(rules_pipeline.analyzer, max_chars=100))
    [r] = list(small.pipe([{"id": "big", "text": "x " * 200}]))
    assert "exceeds the limit" in r.error


@pytest.mark.slow
def test_two_megabyte_article(rules_pipeline):
    para = 'The minister said the talks would resume on Monday. "We are ready," she added.\n'
    text = para * (2_000_000 // len(para))
    r = rules_pipeline(text)
    assert r.error is None and len(r.statements) > 1000


def test_pooled_results_equal_one_by_one(rules_pipeline):
    text = EXAMPLE.read_text()
    records = [{"id": str(i), "text": text if i % 2 else "No statement here."} for i in range(6)]
    pooled = [r.to_dict() for r in rules_pipeline.pipe(records, batch_size=6)]
    single = [r.to_dict() for r in rules_pipeline.pipe(records, batch_size=1)]
    assert pooled == single


ARTICLE = (
    "KYIV, May 2 (Reuters) - Ukrainian President Volodymyr Zelensky said on Friday he was ready to meet "
    "Russian President Vladimir Putin \"in any format\" to end the war.\n\n"
    "The Kremlin said no such meeting was being prepared. \"There is nothing to discuss until Kyiv accepts the "
    "new realities,\" Kremlin spokesman Dmitry Peskov told reporters.\n\n"
    "Turkish President Tayyip Erdogan has offered to host talks between the two leaders in Istanbul, an offer "
    "that Moscow has not answered.\n\n"
    "Zelensky later told reporters that he would not accept any ceasefire that froze the front line. \"We will "
    "talk, but not on our knees,\" he said.\n\n"
    "Putin said last week that talks could resume only if Ukraine withdrew its troops from four regions.\n")


def test_a_long_text_is_parsed_in_pieces_with_the_same_statements(rules_pipeline):
    from stance.parse import split_lines

    parts = split_lines(ARTICLE, 300)
    assert "".join(parts) == ARTICLE and all(len(p) <= 300 and p.endswith("\n") for p in parts[:-1])
    pieced = replace(rules_pipeline, analyzer=replace(rules_pipeline.analyzer, piece_chars=300))
    whole, in_pieces = rules_pipeline(ARTICLE), pieced(ARTICLE)
    assert len(parts) > 2 and len(whole.statements) >= 6
    assert [s.to_dict() for s in in_pieces.statements] == [s.to_dict() for s in whole.statements]


def test_a_batch_size_below_one_is_an_error_not_an_empty_result(rules_pipeline):
    with pytest.raises(ValueError, match="batch_size must be at least 1"):
        rules_pipeline.pipe(["The mayor said he would meet them."], batch_size=0)  # on the call, not later


def test_the_submodules_the_readme_uses_are_reached_from_the_package():
    import stance

    assert callable(stance.archive.run) and callable(stance.datasets.load) and stance.train.TrainConfig
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        stance.nope


def test_the_classifier_sees_a_statement_from_its_cue_but_not_a_statement_between_them(rules_pipeline):
    text = ("Officials said the meeting had been constructive, and that talks could resume once the "
            "shelling stops.")
    doc = rules_pipeline.nlp(text)
    statements, pending = rules_pipeline.analyzer.find(doc)
    assert [s.text for s in statements] == ["the meeting had been constructive",
                                            "talks could resume once the shelling stops"]
    views = {p.statement.text: p for p in pending}
    assert views["the meeting had been constructive"].query.text == "said the meeting had been constructive"
    second = views["talks could resume once the shelling stops"]
    assert second.query.text == "and that talks could resume once the shelling stops"
    assert second.start == text.index("and that")
    [result] = rules_pipeline.pipe([text])
    last = result.statements[-1]
    assert last.stance == "conditional" and last.condition.text == "the shelling stops"
    assert text[last.condition.start:last.condition.end] == "the shelling stops"


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\u2028", "\u2029", "\x85"])
def test_every_kind_of_line_break_ends_a_paragraph_like_a_newline(rules_pipeline, newline):
    from stance.parse import split_lines

    text = ARTICLE.replace("\n", newline)
    parts = split_lines(text, 300)
    assert "".join(parts) == text and all(len(p) <= 300 and p.endswith(newline[-1]) for p in parts[:-1])
    pieced = replace(rules_pipeline, analyzer=replace(rules_pipeline.analyzer, piece_chars=300))
    expected = [(s.text, s.speaker, s.stance) for s in rules_pipeline(ARTICLE).statements]
    assert [(s.text, s.speaker, s.stance) for s in rules_pipeline(text).statements] == expected
    assert [(s.text, s.speaker, s.stance) for s in pieced(text).statements] == expected


def test_a_line_that_goes_on_in_lower_case_is_one_sentence(rules_pipeline):
    wrapped = "Kowal told reporters\nthat she would negotiate with Dubas as long as the shelling stops."
    [s] = rules_pipeline(wrapped).statements
    assert (s.speaker, s.text) == ("Kowal", "she would negotiate with Dubas as long as the shelling stops")
    [s] = rules_pipeline("Talks resume today\nKowal said she would meet Dubas.").statements
    assert s.text == "she would meet Dubas" and s.speaker == "Kowal"  # a new line in upper case: a new sentence


def test_without_a_line_break_a_long_text_is_cut_at_a_space_never_inside_a_word():
    from stance.parse import split_lines

    text = "President Anna Kowal said she would meet Marek Dubas. " * 3
    parts = split_lines(text.replace(". ", "; "), 40)
    assert all(p.endswith(" ") for p in parts[:-1]) and "".join(parts) == text.replace(". ", "; ")
    assert split_lines("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]


def test_a_condition_comes_from_the_statement_before_the_words_between_it_and_its_cue(rules_pipeline):
    text = "Kowal said after the session that talks would resume once the shelling stops."
    [s] = rules_pipeline(text).statements
    assert s.text == "talks would resume once the shelling stops" and s.condition.text == "the shelling stops"
    assert text[s.condition.start:s.condition.end] == "the shelling stops"


def test_a_new_line_that_opens_with_a_lower_case_name_starts_a_sentence(rules_pipeline):
    for text, speaker in (("Putin ready to meet Zelensky\nde Villepin said France would host talks.", "Villepin"),
                          ("Talks off, says Kremlin\nal-Sisi said he was ready to meet Netanyahu.", "al-Sisi")):
        assert [s.speaker for s in rules_pipeline(text).statements] == [speaker]
    # a long text is cut into pieces at a line break that starts a sentence, not inside a wrapped one
    text = "Markets were calm. " * 523 + "The minister told reporters\nthat she would refuse to meet the rebels."
    pieced = replace(rules_pipeline, analyzer=replace(rules_pipeline.analyzer, piece_chars=10_000))
    assert [(s.speaker, s.kind) for s in pieced(text).statements] == [("minister", "indirect")]
