"""End-to-end scoring of a pipeline's output against gold articles (``stance eval --end-to-end``)."""
import json

import pytest

from stance.evaluate import end_to_end
from stance.types import ArticleResult, Span, Statement

TEXT = "Putin said he would meet Zelensky. Kyiv ruled out talks. The two met in 2019. Kyiv would talk if shelling stops."


def st(fragment, speaker, stance, target=None, condition=None):
    start = TEXT.index(fragment)
    if condition is not None:
        condition = Span(condition, TEXT.index(condition), TEXT.index(condition) + len(condition))
    return Statement(fragment, start, start + len(fragment), "indirect", speaker=speaker, stance=stance,
                     target=target, condition=condition)


GOLD = [st("he would meet Zelensky", "Vladimir Putin", "willing", "Volodymyr Zelensky"),
        st("ruled out talks", "Ukraine", "rejecting", "Russia"),
        st("The two met in 2019", "Vladimir Putin", "none"),
        st("would talk if shelling stops", "Ukraine", "conditional", "Russia", condition="shelling stops")]
ARTICLE = {"id": "a", "text": TEXT, "statements": json.dumps([s.to_dict() for s in GOLD]),
           "entities": json.dumps({"Vladimir Putin": ["Putin"], "Volodymyr Zelensky": ["Zelensky"],
                                   "Ukraine": ["Kyiv"], "Russia": []})}


class Fixed:
    """A pipeline that returns the given statements for every article."""

    def __init__(self, statements):
        self.statements = statements

    def pipe(self, records):
        return (ArticleResult(r["id"], statements=self.statements) for r in records)


def test_pairs_conditions_and_targets_are_scored_against_the_gold_aliases():
    predicted = [st("he would meet Zelensky", "Putin", "willing", "Zelensky"),  # aliases match
                 st("ruled out talks", "Kyiv", "rejecting", None),  # right pair, wrong (missing) target
                 st("The two met in 2019", "Donald Trump", "willing")]  # a stance gold does not have
    scores = end_to_end(Fixed(predicted), [ARTICLE])
    assert (scores["pair_precision"], scores["pair_recall"]) == (2 / 3, 2 / 3)  # the conditional is missed
    assert (scores["target_accuracy"], scores["targets_scored"], scores["articles"]) == (0.5, 2, 1)
    assert scores["condition_recall"] == 0.0
    found = predicted + [st("would talk if shelling stops", "Kyiv", "conditional", "Russia", condition="shelling stops")]
    scores = end_to_end(Fixed(found), [ARTICLE])
    assert (scores["condition_recall"], scores["target_accuracy"], scores["pair_recall"]) == (1.0, 2 / 3, 1.0)


def test_a_gold_stance_found_with_another_speaker_does_not_count_for_targets():
    scores = end_to_end(Fixed([st("ruled out talks", "Russia", "rejecting", "Russia")]), [ARTICLE])
    assert (scores["pair_precision"], scores["pair_recall"], scores["targets_scored"]) == (0.0, 0.0, 0)


def test_span_pairs_count_a_pair_only_where_the_statements_overlap():
    elsewhere = st("The two met in 2019", "Kyiv", "rejecting")  # Ukraine's refusal, found in the wrong place
    scores = end_to_end(Fixed([elsewhere]), [ARTICLE])
    assert (scores["pair_precision"], scores["span_pair_precision"]) == (1.0, 0.0)
    right = st("ruled out talks", "Kyiv", "rejecting")
    scores = end_to_end(Fixed([right, elsewhere]), [ARTICLE])
    assert (scores["span_pair_precision"], scores["span_pair_recall"]) == (0.5, 1 / 3)


def test_span_pairs_are_matched_one_to_one_as_many_as_possible():
    # nested gold stances of one speaker: matching the outer one first to the inner prediction must not
    # leave the inner gold statement unmatched
    outer = st("ruled out talks. The two met in 2019", "Ukraine", "rejecting")
    inner = st("ruled out talks", "Ukraine", "rejecting")
    article = dict(ARTICLE, statements=json.dumps([s.to_dict() for s in (outer, inner)]))
    predicted = [st("ruled out talks", "Kyiv", "rejecting"), st("The two met in 2019", "Kyiv", "rejecting")]
    scores = end_to_end(Fixed(predicted), [article])
    assert (scores["span_pair_precision"], scores["span_pair_recall"]) == (1.0, 1.0)


class ById:
    """A pipeline that returns each article's own statements."""

    def __init__(self, by_id):
        self.by_id = by_id

    def pipe(self, records):
        return (ArticleResult(r["id"], statements=self.by_id[r["id"]]) for r in records)


def test_end_to_end_intervals_resample_articles():
    right = [st("he would meet Zelensky", "Putin", "willing"), st("ruled out talks", "Kyiv", "rejecting"),
             st("would talk if shelling stops", "Kyiv", "conditional", condition="shelling stops")]
    wrong = [st("he would meet Zelensky", "Putin", "rejecting")]
    articles = [dict(ARTICLE, id="good"), dict(ARTICLE, id="bad")]
    pipe = ById({"good": right, "bad": wrong})
    plain = end_to_end(pipe, articles)
    assert not any(k.endswith("_ci") for k in plain)
    scores = end_to_end(pipe, articles, bootstrap=400)
    assert scores["pair_f1"] == plain["pair_f1"]  # the point estimate does not move
    # resamples that draw the good article twice score 1, the bad one twice 0: the interval spans both
    assert scores["pair_f1_ci"] == [0.0, 1.0] and scores["condition_recall_ci"] == [0.0, 1.0]
    assert end_to_end(pipe, articles, bootstrap=400) == scores  # seeded
    assert end_to_end(ById({"good": right, "bad": right}), articles, bootstrap=100)["pair_f1_ci"] == [1.0, 1.0]


def test_shares_with_nothing_to_count_are_undefined_not_zero():
    no_condition = dict(ARTICLE, statements=json.dumps([GOLD[0].to_dict()]))
    scores = end_to_end(Fixed([]), [no_condition, dict(no_condition, id="b")], bootstrap=100)
    assert scores["condition_recall"] is None and scores["condition_recall_ci"] is None
    assert scores["target_accuracy"] is None  # no gold stance was found
    with pytest.raises(ValueError, match="no gold articles"):
        end_to_end(Fixed([]), [])


def test_precision_with_nothing_predicted_is_undefined_and_f1_zero():
    scores = end_to_end(Fixed([]), [ARTICLE])
    assert scores["pair_precision"] is None and (scores["pair_recall"], scores["pair_f1"]) == (0.0, 0.0)
    nothing = dict(ARTICLE, statements=json.dumps([GOLD[2].to_dict()]))  # a gold `none` statement only
    assert end_to_end(Fixed([]), [nothing])["pair_f1"] is None
