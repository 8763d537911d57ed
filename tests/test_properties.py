"""Property-based tests: segmentation, attribution and the rules pipeline never raise on any Unicode text,
and every span they return points into that text, in order."""
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from stance.attribute import attribute
from stance.io import prepare_text
from stance.segment import segment

PIECES = ['"', "“", "”", "‘", "’", "'", "«", "»", "„", "''", "\n", "\n\n", " ", ", ", ". ", ": ", "?", "—",
          "said", "told", "added", "claimed that", "according to", "rejected talks", "ready to meet", "he", "they",
          "Putin", "Zelensky", "President Emmanuel Macron", "the Kremlin", "Kyiv", "We will talk", "never",
          "if they withdraw", "PENCE:", "<p>", "é", "中文", "🙂", "\t", "\u00a0", "\u200b", "\r\n",
          " the minister ", " is ready to ", " talks with ", " Russia ", " Ukraine ", " that ", " the offer "]
QUOTED = st.builds("{}{}{}{} {} {}{}".format, st.sampled_from(['"', "“", "«", "‘", "'", ""]),
                   st.sampled_from(["We will talk to them", "We are ready to meet Putin if he comes", "Never", ""]),
                   st.sampled_from([",", ".", "?", ""]), st.sampled_from(['"', "”", "»", "’", "'", ""]),
                   st.sampled_from(["Putin", "the minister", "he", "Kyiv", "President Emmanuel Macron", ""]),
                   st.sampled_from(["said", "told reporters", "added", "rejected talks", "claimed that", ""]),
                   st.sampled_from([".", " on Monday.", ":", "\n", ""]))
NEWSLIKE = st.lists(QUOTED | st.sampled_from(PIECES), max_size=30).map("".join)
NOISY = st.lists(QUOTED | st.sampled_from(PIECES) | st.text(max_size=6), max_size=30).map("".join)
TEXTS = st.text(max_size=300) | NEWSLIKE | NOISY
MARKUP = ["<p>", "</p>", "<br/>", "<P class='a'>", "<!--", "-->", "<script>", "</SCRIPT >", "<style", "&amp;", "&ldquo;",
          "&rdquo;", "&#8217;", "&#x110000;", "&nbsp;", "&bogus;", '<a href="x>y">', "</a>", "<", ">", "&"]
HTML = st.lists(st.sampled_from(MARKUP) | QUOTED | st.text(max_size=4), max_size=30).map("".join)
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _assert_span(text, span):
    assert 0 <= span.start <= span.end <= len(text)
    assert text[span.start:span.end] == span.text


@PROPERTY
@given(TEXTS)
@example("Ukraine's offer of talks")  # a verbless headline with a possessed stance noun once looped forever
@example('"0 0 0 0" 001n!20‘" saId')  # a clause that takes in its opening quote mark once came after the quote
def test_segment_candidates_lie_in_the_text_in_order(nlp, text):
    candidates = segment(nlp(text))
    assert [(c.start, c.end) for c in candidates] == sorted((c.start, c.end) for c in candidates)
    for c in candidates:
        assert 0 <= c.start <= c.end <= len(text)
        for span in (c.cue, c.speaker_mention, c.reporter):
            if span is not None:
                _assert_span(text, span)
        assert c.continues is None or 0 <= c.continues < len(candidates)


@PROPERTY
@given(TEXTS)
def test_attributed_statements_lie_in_the_text(nlp, text):
    doc = nlp(text)
    for s in attribute(doc, segment(doc)):
        _assert_span(text, s)
        for span in (s.cue, s.speaker_mention, s.target_mention):
            if span is not None:
                _assert_span(text, span)


@PROPERTY
@given(TEXTS)
@example('"""""0 0 0\x000')  # a NUL inside a quote: the statement's text has a space there
def test_rules_pipeline_gives_one_clean_result(rules_pipeline, text):
    r = rules_pipeline(text, id="x")
    assert r.id == "x" and r.error is None
    assert [s.start for s in r.statements] == sorted(s.start for s in r.statements)
    prepared, _ = prepare_text(text)  # same offsets; a NUL or byte-order mark reads as a space (warned)
    for s in r.statements:
        _assert_span(prepared, s)
        assert s.stance in ("willing", "rejecting", "conditional", "none") and 0 <= s.score <= 1
        for span in (s.cue, s.speaker_mention, s.target_mention, s.condition):
            if span is not None:
                _assert_span(prepared, span)


@PROPERTY
@given(HTML)
def test_html_blanking_keeps_every_offset(rules_pipeline, text):
    blanked, warnings = prepare_text(text, "html")
    assert len(blanked) == len(text) and "HTML markup blanked out; offsets index the original HTML" in warnings
    [r] = rules_pipeline.pipe([{"id": "h", "text": text, "format": "html"}])
    for s in r.statements:
        _assert_span(blanked, s)


NAMES = ["Putin", "Vladimir Putin", "President Vladimir Putin", "Mr Brown", "Mrs Brown", "Gordon Brown", "Ms Wong",
         "Penny Wong", "Lee", "Lee Jae-myung", "Kim", "Kim Jong Un", "Wycliffe Barasa", "Fernandes Barasa", "Barasa",
         "Alix Didier", "Alix Didier Fils-Aimé", "Prince Mohammed", "Mohammed bin Salman", "Ursula von der Leyen",
         "von der Leyen", "Dr Lee", "Jae-myung"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(NAMES), min_size=1, max_size=25))
def test_the_person_index_finds_whom_a_comparison_with_everyone_finds(nlp, names):
    """``Resolver._person`` compares a name only with the people it shares a first or last word with (long
    texts were quadratic); it must pick whom comparing with every person picks."""
    from stance.attribute.speakers import Resolver, _same_person
    from stance.attribute.aliases import load_aliases

    resolver = Resolver(nlp("x"), load_aliases())
    for at, name in enumerate(names):
        people = [e for e in resolver.entities if e.kind == "person"]
        same = [p for p in people if _same_person(name.split(), p.name.split())]
        expected = None if not same else same[0] if len(same) == 1 else next(
            (p for p in same if p.name == name), None) or next((e for e in resolver._before(at) if e in same), same[-1])
        found = resolver._person(name, at)
        assert found is expected
        if found is None:
            resolver._new_person(name)
        resolver._remember(at, found or resolver.entities[-1], True)
