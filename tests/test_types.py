import json

from stance.types import ArticleResult, Span, Statement


def test_statement_json_round_trip():
    s = Statement("we are ready", 10, 22, "direct", cue=Span("said", 25, 29), speaker="Ilham Aliyev",
                  speaker_mention=Span("Aliyev", 30, 36), target="Armenia", target_mention=None, stance="conditional",
                  score=0.9, scores={"willing": 0.05, "rejecting": 0.02, "conditional": 0.9, "none": 0.03},
                  condition=Span("the treaty is signed", 40, 60), reported_by=None)
    r = ArticleResult("a1", [s], None, {"date": "2025-01-02"})
    back = ArticleResult.from_dict(json.loads(json.dumps(r.to_dict())))
    assert back == r
    d = r.to_dict()
    assert set(d) == {"id", "statements", "error", "date"}
    assert set(d["statements"][0]) == {"text", "start", "end", "kind", "cue", "speaker", "speaker_mention", "target",
                                       "target_mention", "stance", "score", "scores", "condition", "reported_by"}
    assert d["statements"][0]["cue"] == {"text": "said", "start": 25, "end": 29}
