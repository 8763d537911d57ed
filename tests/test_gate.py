"""The gate (on by default): statements with no meeting vocabulary in or near them skip the classifier."""
from dataclasses import replace

import stance

HARVEST = ("The minister said the harvest had been poor this year. Rain fell late in the north. "
           "Prices of wheat rose by a tenth. Farmers sold their cattle early. ")
MEETING = '"We are ready to meet them on Monday," she added.'


def test_gate_is_on_by_default_and_marks_off_topic_statements_none(rules_pipeline):
    assert stance.pipeline.Analyzer.gate is True
    off_topic, meeting = rules_pipeline(HARVEST + MEETING).statements
    assert (off_topic.stance, off_topic.score, off_topic.scores["none"]) == ("none", 1.0, 1.0)
    assert meeting.stance == "willing" and meeting.score < 1.0


def test_gate_reads_two_sentences_around_a_statement(rules_pipeline):
    near = 'Talks resumed in Geneva on Monday. "That chapter is closed," the minister said. Nobody else spoke.'
    [s] = rules_pipeline(near).statements
    assert s.scores["none"] != 1.0  # classified: "Talks" is one sentence before the statement
    narrow = replace(rules_pipeline, analyzer=replace(rules_pipeline.analyzer, gate_context=0))
    [s] = narrow(near).statements
    assert s.scores["none"] == 1.0


def test_gate_off_classifies_everything(rules_pipeline):
    ungated = replace(rules_pipeline, analyzer=replace(rules_pipeline.analyzer, gate=False))
    assert all(s.scores["none"] != 1.0 for s in ungated(HARVEST + MEETING).statements)


def test_gate_keeps_core_meeting_vocabulary(rules_pipeline):
    for text in ("ruled out talks", "is ready to sit down with them", "rejected the invitation",
                 "the summit in Geneva", "called for negotiations", "the offer went unanswered"):
        assert rules_pipeline.analyzer.could_be_about_meeting(text), text


def test_a_withheld_stance_is_none_without_the_classifier(rules_pipeline):
    ungated = replace(rules_pipeline, analyzer=replace(rules_pipeline.analyzer, gate=False))
    for text in ("The ministry declined to say whether it would attend the talks in Geneva.",
                 "Tarrant declined to comment on the merger talks."):
        [s] = rules_pipeline(text).statements
        assert (s.stance, s.scores["none"]) == ("none", 1.0), text
        [s] = ungated(text).statements
        assert s.scores["none"] != 1.0, text  # the gate's rule: off with the gate


def test_an_unnamed_commentator_holds_no_stance(rules_pipeline):
    ungated = replace(rules_pipeline, analyzer=replace(rules_pipeline.analyzer, gate=False))
    text = "Analysts said both sides were ready to resume talks."
    [s] = rules_pipeline(text).statements
    assert (s.speaker, s.stance, s.scores["none"]) == ("analysts", "none", 1.0)
    [s] = ungated(text).statements
    assert s.stance == "willing"  # the gate's rule: off with the gate
    [s] = rules_pipeline("Analyst Li Wei said both sides were ready to resume talks.").statements
    assert s.stance == "willing"  # a named analyst is a speaker like any other
    ss = rules_pipeline("Nuclear experts from Iran and the agency agreed to meet again in Vienna.").statements
    assert all(s.scores["none"] != 1.0 for s in ss)  # an act, not a comment
    [s] = rules_pipeline("Two Western diplomats said both sides were ready to resume talks.").statements
    assert (s.stance, s.scores["none"]) == ("none", 1.0)  # unnamed diplomats comment too
    [s] = rules_pipeline("Russian President Vladimir Putin met reporters. Russian diplomats said Moscow was "
                         "ready to resume talks.").statements[-1:]
    assert s.scores["none"] != 1.0  # diplomats of a named side speak for it


def test_meet_in_the_sense_of_satisfying_something_is_no_meeting(rules_pipeline):
    for text in ("The economist said he was confident the chancellor would meet his fiscal rules.",
                 "The operator said it would struggle to meet its contractual obligations this year."):
        [s] = rules_pipeline(text).statements
        assert s.scores["none"] == 1.0, text  # not classified
    [s] = rules_pipeline("The minister said she would meet the union leaders on Monday.").statements
    assert s.scores["none"] != 1.0
    # a quote without a cue (its speaker named in the paragraph before) is read alike
    text = 'Finance Minister Ann Jones spoke on Monday.\n\n"The government will meet its fiscal rules this year."'
    last = rules_pipeline(text).statements[-1]
    assert last.cue is None and last.text.startswith("The government") and last.scores["none"] == 1.0
