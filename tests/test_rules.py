"""The rule baseline and condition spans (sentences written for these tests)."""
import pytest

from stance import RuleClassifier
from stance.classify.conditions import find_condition
from stance.gate import withholds_stance
from stance.types import Query

CASES = [
    ("has never ruled out a meeting with the prime minister", "willing"),
    ("did not refuse the invitation to talks", "willing"),
    ("has not rejected the offer of negotiations", "willing"),
    ("called for immediate negotiations", "willing"),
    ("ruled out any talks with the rebels", "rejecting"),
    ("questioned whether there was any point in such a meeting", "rejecting"),
    ("said there was no point in meeting them", "rejecting"),
    ("denied that any agreement on a summit was reached", "rejecting"),
    ("We will sit down with them only if the shelling stops", "conditional"),
    ("talks can resume once the troops withdraw", "conditional"),
    ("called for a full ceasefire as a precondition for peace talks", "conditional"),
    ("We are ready to negotiate provided that the blockade is lifted", "conditional"),
    ("every country has the right to security guarantees", "none"),
]


@pytest.mark.parametrize("text,label", CASES)
def test_rule_labels(text, label):
    [p] = RuleClassifier().predict([Query(text)])
    assert p.label == label
    assert set(p.scores) == {"willing", "rejecting", "conditional", "none"}


@pytest.mark.parametrize("text,condition", [
    ("If Zelensky is ready, let him come to Moscow", "Zelensky is ready"),
    ("talks can resume once the shelling stops", "the shelling stops"),
    ("called for a full ceasefire as a precondition for peace talks", "a full ceasefire"),
    ("no meeting unless the hostages are freed, he said", "the hostages are freed"),
    ("as long as the strike continues, there is no meeting", "the strike continues"),
    ("on condition that the tariffs are lifted", "the tariffs are lifted"),
    ("the union was ready to resume talks as soon as the offer matched inflation", "the offer matched inflation"),
    ("İstanbul talks İ can resume if Russia withdraws its troops", "Russia withdraws its troops"),  # "İ" lowers to 2
])
def test_condition_spans(text, condition):
    start, end = find_condition(text)
    assert text[start:end] == condition


def test_no_condition_without_marker():
    assert find_condition("We are ready to talk") is None


@pytest.mark.parametrize("text", ["we are ready to resume talks as soon as possible",
                                  "talks will resume as soon as Friday", "we want a meeting as soon as next week"])
def test_as_soon_as_a_time_is_no_condition(text):
    assert find_condition(text) is None
    assert RuleClassifier().predict([Query(text)])[0].label == "willing"


@pytest.mark.parametrize("text", ["We are ready to meet him without preconditions",
                                  "Kyiv is ready for talks with no preconditions at all",
                                  "He offered talks without any precondition"])
def test_negated_precondition_is_no_condition(text):
    assert find_condition(text) is None
    assert RuleClassifier().predict([Query(text)])[0].label == "willing"


@pytest.mark.parametrize("text", ["the talks would go ahead even if only one side turned up",
                                  "they talk as if a deal were already done"])
def test_even_if_and_as_if_state_no_condition(text):
    assert find_condition(text) is None


def test_a_condition_after_an_even_if_is_found():
    text = "the talks would go ahead even if one side stays away, but only if the ceasefire holds"
    start, end = find_condition(text)
    assert text[start:end] == "the ceasefire holds"


@pytest.mark.parametrize("text, withheld", [
    ("declined to say whether it would attend the talks", True),
    ("did not comment on the offer of talks", True),
    ("has not yet confirmed whether Kipiani will take part in the talks", True),
    ("refuses to speculate.", True),
    ("won't say whether the talks will go ahead", True),
    ("did not immediately comment", True),
    ("declined on Monday to say whether it had been invited to the talks", True),
    ("declined to be drawn on whether a meeting was planned", True),
    ("would not on any account meet them", False),
    ("declined to rule out talks with the union", False),
    ("declined the invitation to talks", False),
    ("did not say the talks had failed", False),
])
def test_withheld_stances(text, withheld):
    assert withholds_stance(text) is withheld
    if withheld:
        assert RuleClassifier().label(text) == "none"


@pytest.mark.parametrize("text", ["he was ready to meet Zelensky, if Western media reports were accurate",
                                  "the talks would resume next week, if true"])
def test_a_reporters_hedge_states_no_condition(text):
    assert find_condition(text) is None
