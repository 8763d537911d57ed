"""The gate (on by default): statements without meeting vocabulary skip the classifier."""
from dataclasses import replace

import stance


def test_gate_is_on_by_default_and_marks_off_topic_statements_none(rules_pipeline):
    assert stance.pipeline.Analyzer.gate is True
    text = 'The minister said the harvest had been poor this year. "We are ready to meet them on Monday," she added.'
    gated = replace(rules_pipeline, analyzer=replace(rules_pipeline.analyzer, gate=True))
    off_topic, meeting = gated(text).statements
    assert (off_topic.stance, off_topic.score, off_topic.scores["none"]) == ("none", 1.0, 1.0)
    assert meeting.stance == "willing" and meeting.score < 1.0


def test_gate_keeps_core_meeting_vocabulary(rules_pipeline):
    for text in ("ruled out talks", "is ready to sit down with them", "rejected the invitation",
                 "will attend the session", "called for negotiations", "the offer went unanswered"):
        assert rules_pipeline.analyzer.could_be_about_meeting(text), text
