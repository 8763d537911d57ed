"""The pipeline on whole articles: order, bad input, pooling (rule classifier)."""
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
