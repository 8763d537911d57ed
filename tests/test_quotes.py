"""Quote-mark pairing on raw text (sentences written for these tests)."""
from stance.segment.quotes import find_quotes


def contents(text):
    return [text[q.start:q.end] for q in find_quotes(text)]


def test_straight_and_curly_double_quotes():
    text = 'She said: "We are ready to talk today." Later: “Nothing has changed since Monday.”'
    assert contents(text) == ["We are ready to talk today.", "Nothing has changed since Monday."]


def test_guillemets_and_british_single_quotes():
    text = "«Nous sommes prêts à négocier demain» said the minister. He said 'we will not meet them at all' and left."
    assert contents(text) == ["Nous sommes prêts à négocier demain", "we will not meet them at all"]


def test_apostrophes_do_not_open_quotes():
    text = "The union's leader said it wasn't the workers' fault that the talks' agenda slipped."
    assert contents(text) == []


def test_quote_spanning_sentences():
    text = '"We came in good faith. They walked away. We will come back," the envoy said.'
    assert contents(text) == ["We came in good faith. They walked away. We will come back"]


def test_multi_paragraph_quote_reopens_without_closing():
    text = 'The mayor said: "We have offered a meeting every week since June.\n"We will keep offering it until they answer," she added.'
    qs = find_quotes(text)
    assert [text[q.start:q.end] for q in qs] == ["We have offered a meeting every week since June.",
                                                  "We will keep offering it until they answer"]
    assert qs[1].continued and not qs[0].continued


def test_split_quote_gives_two_quotes():
    text = '"We are ready to sit down," he said, "but not while the strike goes on."'
    assert contents(text) == ["We are ready to sit down", "but not while the strike goes on."]


def test_unbalanced_quotes_never_raise_and_stay_in_paragraph():
    text = 'He said "we will never meet them again and then\nA new paragraph without marks follows here.'
    assert contents(text) == ["we will never meet them again and then"]
    for weird in ['"', '""', '“', '«»', "'''", '"a" "b', '\n"\n"\n']:
        find_quotes(weird)


def test_short_quotes_are_flagged_and_doubled_apostrophes_pair():
    [q] = find_quotes('Putin said he had "never ruled out" a meeting.')
    assert q.short
    text = "''It has the virtue of being responsible,'' an economist said."
    assert contents(text) == ["It has the virtue of being responsible"]


def test_a_quote_reopened_on_the_same_line_starts_a_new_quote():
    """Paragraphs of one speaker run together on a line keep each paragraph's opening mark and drop the
    closing ones: the narrative between two such quotes must not become a quote."""
    text = ('The minister said: "We have doubled the grant in two years. "We will double it again by 2027." '
            'She said councils would be consulted. "We have made a firm promise." She left.')
    assert contents(text) == ["We have doubled the grant in two years.", "We will double it again by 2027.",
                            "We have made a firm promise."]


def test_a_closing_mark_after_a_stray_space_does_not_reopen():
    text = '"We will strike ", the union leader said, calling the offer an insult today.'
    assert contents(text) == ["We will strike"]


def test_low_high_quotes_close_with_either_curly_mark_and_open_nothing_after():
    # German „…“: the closing “ is not a new opening mark, so the narration after it is no quote
    text = '„We will not meet them at all,“ Kurti said. Vucic said he was ready to meet Kurti.'
    assert contents(text) == ["We will not meet them at all"]
    text = '„We are ready to meet them tomorrow,” Kurti said. The two leaders last met in 2023.'  # Polish „…”
    assert contents(text) == ["We are ready to meet them tomorrow"]
    text = '“We will not meet them at all,” he said. „We refuse any talks now,“ he added. “Never with them,” he said.'
    assert contents(text) == [
        "We will not meet them at all", "We refuse any talks now", "Never with them"]
