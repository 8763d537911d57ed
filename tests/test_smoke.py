def test_rules_pipeline_finds_conditional_quote(rules_pipeline):
    r = rules_pipeline('"If Zelensky is ready, let him come to Moscow," Putin told journalists.')
    [s] = r.statements
    assert (s.kind, s.speaker, s.stance) == ("direct", "Putin", "conditional")
    assert s.condition.text == "Zelensky is ready"
