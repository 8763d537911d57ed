"""Segmentation and attribution on sentences written for these tests (rule classifier)."""
import pytest

from stance.attribute import attribute
from stance.segment import segment


@pytest.fixture
def statements(nlp):
    def run(text):
        doc = nlp(text)
        return attribute(doc, segment(doc))
    return run


def test_quote_with_attribution_after(statements):
    [s] = statements('"Let them come to Baku and we will talk," Aliyev told reporters.')
    assert (s.kind, s.speaker, s.cue.text) == ("direct", "Aliyev", "told")
    assert s.text == "Let them come to Baku and we will talk"


def test_colon_introduction(statements):
    [s] = statements('Chancellor Olaf Scholz told reporters: "My door is open to anyone who wants peace."')
    assert (s.kind, s.speaker) == ("direct", "Olaf Scholz")


def test_split_quote_keeps_one_speaker(statements):
    ss = statements('"We are ready to sit down," union leader Maria Lopez said, "but not while the lockout goes on."')
    assert [s.kind for s in ss] == ["direct", "direct"]
    assert {s.speaker for s in ss} == {"Maria Lopez"}


def test_multi_paragraph_quote_inherits_speaker(statements):
    text = ('Mayor Anne Hidalgo said: "We have offered a meeting every week since June.\n'
            '"We will keep offering it until the organisers answer us."')
    ss = statements(text)
    assert [s.speaker for s in ss] == ["Anne Hidalgo", "Anne Hidalgo"]


def test_indirect_speech_with_that_clause(statements):
    [s] = statements("Foreign Minister Wang Yi said that Beijing was open to talks with Washington.")
    assert (s.kind, s.speaker, s.cue.text) == ("indirect", "Wang Yi", "said")
    assert s.text == "Beijing was open to talks with Washington"
    assert s.target == "United States"


def test_according_to(statements):
    [s] = statements("The talks will resume in Doha next week, according to Qatari officials.")
    assert s.kind == "indirect" and s.cue.text.startswith("according")
    assert s.text == "The talks will resume in Doha next week"


def test_reported_stance_verb(statements):
    [s] = statements("Zelensky has repeatedly expressed willingness to meet Putin.")
    assert (s.kind, s.speaker, s.target) == ("reported", "Zelensky", "Putin")
    assert s.text.startswith("has repeatedly expressed willingness")


def test_pronoun_resolves_to_last_person(statements):
    ss = statements("Prime Minister Nikol Pashinyan arrived in Brussels on Monday. He said the summit could go ahead.")
    assert ss[-1].speaker == "Nikol Pashinyan"


def test_role_noun_resolves_through_earlier_title(statements):
    text = ("Russian President Vladimir Putin spoke in Beijing. "
            "The Russian leader said that a meeting could happen soon.")
    assert statements(text)[-1].speaker == "Vladimir Putin"


def test_institution_resolves_to_country(statements):
    [s] = statements("The Kremlin denied that any such agreement was reached.")
    assert s.speaker == "Russia"


def test_nested_claim_sets_reported_by(statements):
    [s] = statements("Vladimir Putin claimed that Ukraine has declined these offers.")
    assert (s.speaker, s.reported_by) == ("Ukraine", "Vladimir Putin")


def test_unanswered_offer_is_attributed_to_the_ignoring_party(statements):
    ss = statements("Kyiv proposed talks in Istanbul, offers that have gone unanswered by the Kremlin.")
    assert any(s.speaker == "Russia" and "unanswered" in s.cue.text for s in ss)


def test_offsets_point_into_the_text(statements):
    text = 'Aliyev said he was ready. "We will talk," he added.'
    for s in statements(text):
        assert text[s.start:s.end] == s.text
        assert text[s.cue.start:s.cue.end] == s.cue.text


def test_no_statements_in_plain_narrative(statements):
    assert statements("The river rose two metres overnight and the bridge was closed.") == []


def test_dateline_is_never_the_speaker(statements):
    ss = statements("PERTH, Jan 13 (Wire) - Tarrant Minerals has not ruled out talks with Orebrook Resources.\n"
                    "MUSCAT - Yemen's Houthi movement has rejected an invitation from Oman to resume talks.")
    assert [s.speaker for s in ss] == ["Tarrant Minerals", "Houthi movement"]


def test_role_noun_with_named_apposition_is_the_person(statements):
    [s] = statements('"We are ready to sit with them tomorrow," the government\'s foreign minister, Shaya al-Zindani, '
                     'told reporters in Aden.')
    assert s.speaker == "Shaya al-Zindani"


def test_a_spokesman_speaks_for_the_organisation(statements):
    ss = statements("Nestaway said in a statement that it supported dialogue between all parties. A spokesman "
                    "declined to say whether the company would attend the talks. A spokesman for the Department of "
                    "Culture said ministers would not meet the bidders.")
    assert [s.speaker for s in ss] == ["Nestaway", "Nestaway", "Department of Culture"]
    assert ss[1].text == "declined to say whether the company would attend the talks"


def test_the_head_of_a_mention_names_the_speaker(statements):
    [s] = statements("Australian lithium producer Tarrant Minerals said it would meet the bidder next week.")
    assert s.speaker == "Tarrant Minerals"


def test_hyphenated_surname_and_its_short_form_are_one_person(statements):
    ss = statements("Prime Minister Alix Didier Fils-Aimé said the state would not negotiate with the gangs. "
                    '"There is no other conversation," Alix Didier said.')
    assert {s.speaker for s in ss} == {"Alix Didier Fils-Aimé"}


def test_pronoun_prefers_the_last_subject_over_a_mentioned_object(statements):
    ss = statements('Foreign secretary Amna Baloch said Islamabad had asked for a meeting between Prime Minister '
                    'Shehbaz Sharif and Prime Minister Narendra Modi. "We asked," she said, "and we were told the '
                    'calendar was full."')
    assert [s.speaker for s in ss if s.kind == "direct"][0] == "Amna Baloch"


def test_a_stance_inside_a_condition_stays_in_the_condition(statements):
    [s] = statements("Deni said his administration would return to the council only if the federal government agrees "
                     "to reopen discussions on the constitution.")
    assert s.speaker == "Deni"
    assert s.text.endswith("only if the federal government agrees to reopen discussions on the constitution")


def test_a_quote_inside_a_reported_act_is_part_of_it(statements):
    [s] = statements('Madobe dismissed the offer as "a public relations exercise" on Tuesday.')
    assert (s.kind, s.speaker) == ("reported", "Madobe")
    assert "a public relations exercise" in s.text


def test_abbreviated_title_does_not_end_the_attribution(statements):
    [s] = statements('Trump spoke first.\n“It is a dog whistle to all Americans,” Rep. Gwen Moore (D-Wis.) said Friday.')
    assert (s.speaker, s.cue.text) == ("Gwen Moore", "said")


def test_colon_paragraph_introduces_the_next_paragraphs_quote(statements):
    [s] = statements('Caddell continued:\n\n"The health issue is very much a partisan issue, and that is all."\n')
    assert (s.speaker, s.cue.text) == ("Caddell", "continued")


def test_dash_after_a_quote_names_its_speaker(statements):
    ss = statements("Readers wrote in.\n“He has never asked us what we need from the talks.” ― Jorge Falcon.\n"
                    "“We want a seat at the table before the vote.” — Oscar P.\n")
    assert [s.speaker for s in ss] == ["Jorge Falcon", "Oscar P."]


def test_speech_inside_the_same_speakers_speech_is_one_statement(statements):
    [s] = statements("Stein said she plans to join the talks with the organisers next week.")
    assert (s.speaker, s.cue.text) == ("Stein", "said")
    assert s.text == "she plans to join the talks with the organisers next week"


def test_an_organisation_mention_is_its_whole_name(statements):
    [s] = statements("The Alliance of Sahel States said it would not attend the summit in Abuja.")
    assert s.speaker == "Alliance of Sahel States"


def test_an_unnamed_official_speaks_for_the_party_last_named(statements):
    ss = statements("India ruled out talks with Pakistan on Monday. A senior official said India would consider "
                    "talks only after Pakistan acted. A Saudi diplomat said the kingdom would not mediate.")
    assert [s.speaker for s in ss] == ["India", "India", "Saudi Arabia"]


def test_two_people_with_one_surname_stay_two(statements):
    ss = statements("Union secretary Wycliffe Barasa said the union would meet the council. Vice-chancellor "
                    "Fernandes Barasa said the council was ready to talk. \"We are not refusing to talk,\" Wycliffe "
                    "Barasa said. South Korean President Lee Jae-myung said he would meet Kim. \"The door is open,\" "
                    "Lee said.")
    assert [s.speaker for s in ss] == ["Wycliffe Barasa", "Fernandes Barasa", "Wycliffe Barasa", "Lee Jae-myung",
                                       "Lee Jae-myung"]


def test_guillemet_is_never_the_speaker_and_accented_datelines_split(statements):
    [q] = statements("Talks stalled.\n\n«We are ready to talk,» said Katrin Wallner, chair of the union, at a rally.")
    assert q.speaker == "Katrin Wallner"
    [s] = statements("SANTA INÉS, Chile - The miners' union said it would not return to wage negotiations.")
    assert s.speaker == "miners' union"


def test_a_long_apposition_does_not_lose_the_speaker(statements):
    [s] = statements("In a statement carried by KCNA, Kim Yo Jong, the leader's sister, said a summit was not on "
                     "the agenda.")
    assert s.speaker == "Kim Yo Jong"


@pytest.mark.parametrize("text", [
    "Talks were held in the United Arab Emirates last week. The UAE foreign ministry said it would keep "
    "mediating as long as both parties asked it to.",
    "The UAE has hosted the exchanges. The United Arab Emirates said it would keep mediating as long as both "
    "parties asked it to.",
])
def test_an_acronym_and_the_full_name_are_one_party(statements, text):
    [s] = statements(text)
    assert s.speaker == "United Arab Emirates"


def test_a_reporting_verb_inside_reported_speech_is_not_an_aside(statements):
    ss = statements("Kenyatta said Asmara had not yet responded to his offer of talks.")
    assert [s.text for s in ss] == ["Asmara had not yet responded to his offer of talks"]


@pytest.mark.parametrize("text,speaker,reported_by", [
    # an unanswered offer is the silent party's stance, reported by the speaker (label guide)
    ("Kenyatta said Asmara had not yet responded to his offer of talks.", "Eritrea", "Kenyatta"),
    ("Chung said the North had ignored a request for talks on the fishermen.", "North Korea", "Chung"),
    ("Seoul said the offer had gone unanswered by Pyongyang.", "North Korea", "South Korea"),
    ("Five weeks later, the offer has gone unanswered by Pyongyang, according to the Unification Ministry.",
     "North Korea", "Unification Ministry"),
    # a named party that is not the speaker's side holds its stance (label guide: nested claims)
    ("South Korean President Lee Jae-myung said Pyongyang had no interest in talks with Seoul.", "North Korea",
     "Lee Jae-myung"),
    ("Ukrainian Foreign Minister Andrii Sybiha said Zelensky was ready to meet Putin.", "Zelensky",
     "Andrii Sybiha"),
    # the speaker's own country, or a speaker whose side the article does not give: the stance stays theirs
    ("Russian Foreign Minister Sergei Lavrov said Russia had never asked anyone for mediation.", "Sergei Lavrov",
     None),
    ("Lavrov said Russia had never asked anyone for mediation.", "Lavrov", None),
    # an accusation is a claim about the accused's stance
    ("O'Neill accused the DUP of boycott politics.", "DUP", "O'Neill"),
    ("The bidder raised its offer and accused the company's board of refusing to engage.", "company's board",
     "bidder"),
    # the holder rules through "according to"
    ("Mogadishu has not responded to the Kenyan offer, according to Kenyan officials.", "Somalia", "Kenya"),
    ("Pyongyang has no interest in talks with Seoul, according to South Korean President Lee Jae-myung.",
     "North Korea", "Lee Jae-myung"),
    ("The talks will resume in Doha next week, according to Qatari officials.", "Qatar", None),
])
def test_who_holds_a_stance_reported_in_indirect_speech(statements, text, speaker, reported_by):
    [s] = statements(text)
    assert (s.speaker, s.reported_by) == (speaker, reported_by)


def test_a_trailing_aside_inside_a_reported_claim_is_cut(statements):
    ss = statements("The Russian president reiterated claims that Ukraine rejected peace after Russian forces "
                    "withdrew from Kyiv in early 2022, choosing instead to continue fighting until the end.")
    assert [(s.text, s.speaker) for s in ss] == [
        ("rejected peace after Russian forces withdrew from Kyiv in early 2022", "Ukraine")]


def test_a_pronoun_after_a_quote_never_binds_to_a_name_inside_it(statements):
    ss = statements("Security minister Abdullahi Fiqi said the government had invited all states. \"President "
                    "Hassan Mohamud has said many times that his door is open to Madobe. It is still open,\" he "
                    "told the broadcaster SNTV.")
    assert [(s.kind, s.speaker) for s in ss if s.kind == "direct"] == [("direct", "Abdullahi Fiqi")]


def test_he_said_after_a_reported_claim_is_its_speaker_not_a_party_it_named(statements):
    ss = statements("Former unification minister Kim Yung-ho argued that Lee was 'pleading for a meeting that "
                    "will only legitimise Kim's bomb'. 'There is nothing to gain from a summit that starts by "
                    "conceding the central question,' he said.")
    assert [s.speaker for s in ss] == ["Kim Yung-ho", "Kim Yung-ho"]


@pytest.mark.parametrize("text,speaker", [
    ("The Catholic Archbishop of Bamenda, Andrew Nkea, urged both sides to start talking.", "Andrew Nkea"),
    ("Global rental platform Nestaway said in a statement that it supports dialogue between all parties.",
     "Nestaway"),
])
def test_the_named_party_is_the_speaker_not_its_description(statements, text, speaker):
    [s] = statements(text)
    assert s.speaker == speaker


def test_a_speaker_the_tagger_left_unlabelled_is_still_a_person_for_he(statements):
    ss = statements("Prime Minister Shehbaz Sharif offered talks on Sunday. The Indian response was swift. Randhir "
                    "Jaiswal, the spokesman for the Ministry of External Affairs, told a weekly briefing that "
                    "India's position was 'well known and unchanged'. 'Talks and terror cannot go together,' he said.")
    assert [s.speaker for s in ss if s.text.startswith("Talks and terror")] == ["Randhir Jaiswal"]


def test_a_stance_inside_a_denial_is_the_deniers(statements):
    ss = statements("Kremlin aide Yuri Ushakov denied that Putin had agreed to meet Zelensky in Istanbul.")
    assert [(s.speaker, s.reported_by) for s in ss] == [("Yuri Ushakov", None)]


def test_a_title_phrase_that_ends_with_a_name_is_that_person(statements):
    [s] = statements("The president of the ECOWAS Commission, Omar Alieu Touray, said the Commission was "
                     "prepared to send a delegation to Bamako.")
    assert s.speaker == "Omar Alieu Touray"


def test_a_plural_noun_naming_an_organisations_members_is_that_organisation(statements):
    ss = statements("The Amalgamated Dockers Union has called a strike at the port of Felixstowe. Dockers said they "
                    "would not meet the port authority until the new shift rota is withdrawn.")
    assert [s.speaker for s in ss if "not meet" in s.text] == ["Amalgamated Dockers Union"]


def test_anonymous_sources_keep_what_they_know(statements):
    [s] = statements("People familiar with the negotiations said the two delegations would meet again in Oslo.")
    assert s.speaker == "people familiar with the negotiations"


@pytest.mark.parametrize("text,holder", [
    ("Interior Minister Helena Kovacs said the government had ruled out reopening talks with the strikers.",
     ("Helena Kovacs", None)),
    ("Prime Minister Viktor Orban claimed that Kyiv had ruled out talks with Moscow.", ("Ukraine", "Viktor Orban")),
    # a body the article never names is the person's own
    ("Spokeswoman Elodie Marchand said the collective had ruled out talks with the prefect.",
     ("Elodie Marchand", None)),
])
def test_a_person_holds_the_stance_of_their_own_unnamed_institution(statements, text, holder):
    assert [(s.speaker, s.reported_by) for s in statements(text) if "ruled out" in s.text] == [holder]


def test_a_person_from_another_body_does_not_hold_the_institutions_stance(statements):
    [s] = statements("Union leader Mick Lynch said the company had refused to negotiate with the strikers.")
    assert (s.speaker, s.reported_by) == ("company", "Mick Lynch")


def test_sources_close_to_a_person_are_not_that_person(statements):
    [s] = statements("People close to Vladimir Putin said the Kremlin rejected the proposal.")
    assert (s.speaker, s.reported_by) == ("Russia", "people close to Vladimir Putin")


def test_line_breaks_refuse_a_parsed_doc(nlp):
    from stance.parse import line_breaks

    with pytest.raises(ValueError, match="before the parser"):
        line_breaks(nlp("The minister said\nthe talks failed."))


def test_a_place_where_talks_would_happen_is_not_the_target(statements):
    [s] = statements("The rebels said they were ready to meet government envoys in Geneva.")
    assert s.target is None
    [s] = statements("Iran said it saw no interest in Israel for a meeting.")
    assert s.target == "Israel"  # "in" here does not say where a meeting happens


def test_the_speakers_own_country_is_not_the_target(statements):
    [s] = statements("Russian President Vladimir Putin said talks between Russia and Ukraine could resume.")
    assert (s.speaker, s.target) == ("Vladimir Putin", "Ukraine")


def test_the_country_of_a_longer_title_is_the_speakers_side(statements):
    # the country may stand several words before the role, or in the possessive; a sentence before the title
    # lends it none
    [s] = statements("Iranian Foreign Ministry spokesman Esmaeil Baghaei said talks between Iran and the United "
                     "States would stay indirect.")
    assert (s.speaker, s.target) == ("Esmaeil Baghaei", "United States")
    [s] = statements("Ukraine's deputy foreign minister Olena Marchuk said Kyiv and Moscow could meet in Istanbul.")
    assert (s.speaker, s.target) == ("Olena Marchuk", "Russia")
    ss = statements("Drones struck Ukraine overnight. Foreign Minister Ivan Dorofeev said Ukraine was ready for "
                    "a ceasefire.")
    assert (ss[-1].speaker, ss[-1].target) == ("Ivan Dorofeev", "Ukraine")


def test_a_broker_of_talks_between_two_others_has_no_target(statements):
    [s] = statements("Norway said it was ready to host talks between Ukraine and Russia.")
    assert (s.speaker, s.target) == ("Norway", None)
    [s] = statements("The federation said it had invited both clubs to a meeting in Zurich.")
    assert s.target is None
    [s] = statements("Russian President Vladimir Putin said he was ready to host talks between Russia and Ukraine.")
    assert (s.speaker, s.target) == ("Vladimir Putin", "Ukraine")  # a party of its own talks


def test_the_author_of_an_answered_offer_is_the_target(statements):
    ss = statements("Governor Fernandes Barasa wrote to the university council on Monday. The council said it had "
                    "accepted the governor's invitation.")
    assert ss[-1].target == "Fernandes Barasa"
    [s] = statements("The Houthi movement said it had rejected an invitation from Oman to resume talks.")
    assert s.target == "Oman"


def test_a_noun_that_names_a_party_of_the_article_is_a_target(statements):
    ss = statements("The Bushveld Mineworkers Union walked out on Monday. Chief executive Annelie Botha said the "
                    "company wanted to sit down with the union again.")
    assert (ss[-1].speaker, ss[-1].target) == ("Annelie Botha", "Bushveld Mineworkers Union")
    [s] = statements("The minister said she would hold talks with reporters.")
    assert s.target is None  # a noun that names no party of the article


def test_a_town_named_in_passing_is_not_the_target(statements):
    [s] = statements("The Red Cross said it had proposed working talks at the truce village of Panmunjom.")
    assert s.target is None
    s = statements("The party said voters in Mostar expected Belgrade to talk.")[0]
    assert s.target == "Serbia"  # a capital the alias table knows stands for its state


def test_a_title_reads_no_country_from_a_clause_or_line_before_it(statements):
    ss = statements("A Russian delegation met envoy Steve Witkoff in Riyadh. Witkoff said Russia was serious about a "
                    "ceasefire.")
    assert (ss[-1].speaker, ss[-1].target) == ("Steve Witkoff", "Russia")
    ss = statements("Kyiv rejects Russian demands\nForeign Minister Andrii Sybiha said Ukraine would not cede land.")
    assert ss[-1].speaker == "Andrii Sybiha"


def test_talks_with_two_parties_are_not_brokered(statements):
    [s] = statements("Ukraine said it was ready for talks with Russia and Belarus.")
    assert s.target == "Russia"
    [s] = statements("The Houthis said they would hold talks with Saudi Arabia and the UAE in Muscat.")
    assert s.target == "Saudi Arabia"


def test_the_host_of_a_meeting_is_not_the_author_of_an_offer(statements):
    [s] = statements("Kyiv said it rejected Moscow's demands at the meeting hosted by Turkey in Istanbul.")
    assert s.target == "Russia"


def test_a_noun_for_the_speakers_own_body_is_not_the_target(statements):
    ss = statements("The Writers Guild and the studios resumed talks. Guild negotiator Ellen Stutzman said the "
                    "studios needed to bargain with the guild in good faith.")
    assert ss[-1].target != "Writers Guild"
    ss = statements("Acme Logistics cut 300 jobs. Acme spokeswoman Jo Reed said the firm would talk to an official.")
    assert ss[-1].target != "Acme Logistics"


def test_a_region_as_a_party_is_still_a_target(statements):
    [s] = statements("Britain said on Monday that Scotland had no right to negotiate a second referendum.")
    assert s.target == "Scotland"


def test_a_form_of_address_with_a_surname_is_the_named_person(statements):
    ss = statements('Australian Foreign Minister Penny Wong said Canberra was ready to talk. "The door is open. We '
                    'want to talk," Ms Wong said.')
    assert [s.speaker for s in ss] == ["Penny Wong", "Penny Wong"]
    ss = statements("Mr Brown said talks would start soon. Gordon Brown, the chancellor, said he was ready.")
    assert [s.speaker for s in ss] == ["Gordon Brown", "Gordon Brown"]
    ss = statements("Mr Brown said talks would start soon. Mrs Brown said she would not take part.")
    assert ss[0].speaker != ss[1].speaker  # two forms of address, two people
    ss = statements("Mohammed bin Salman said Riyadh would host talks. Prince Mohammed said they would start soon.")
    assert [s.speaker for s in ss] == ["Mohammed bin Salman", "Mohammed bin Salman"]


def test_a_surname_with_particles_is_one_name(statements):
    ss = statements("Heineken chief executive Dolf van den Brink said the brewer would not enter talks with "
                    "Carlsberg. Mr van den Brink said the offer undervalued the company.")
    assert [s.speaker for s in ss] == ["Dolf van den Brink", "Dolf van den Brink"]
    ss = statements("Ursula von der Leyen said the EU was ready to talk. Von der Leyen added that talks would start.")
    assert [s.speaker for s in ss] == ["Ursula von der Leyen", "Ursula von der Leyen"]


def test_a_body_of_an_organisations_members_is_not_the_organisation(statements):
    ss = statements("The National Basketball Association rejected the proposal. The NBA players' union said it "
                    "would not reopen talks. The players' union added that it was ready to strike.")
    assert [s.speaker for s in ss] == ["National Basketball Association", "NBA players' union", "NBA players' union"]
    [s] = statements("Chelsea's supporters' trust said it would meet the owners.")
    assert s.speaker != "Chelsea"


def test_those_who_speak_for_a_members_body_are_that_body(statements):
    ss = statements("Amazon workers' union leaders said they were ready to meet managers next week. Leaders of "
                    "the Amazon workers' union said they would meet management on Friday.")
    assert [s.speaker for s in ss] == ["Amazon workers' union", "Amazon workers' union"]


def test_a_part_of_a_group_speaks_for_the_group(statements):
    ss = statements("Hundreds of taxi drivers said they would not talk to the council. A group of Kenyan "
                    "opposition MPs said they would meet the president.")
    assert [s.speaker for s in ss] == ["taxi drivers", "MPs"]  # not "Hundreds", "group"


def test_a_named_firms_stakeholders_speak_as_a_party_of_their_own(statements):
    """As speakers they are not the firm they own (they may be against its board); as counterparts they stand
    for it, as the label guide has them ("requested a meeting with Brannock's largest shareholders")."""
    text = ("Marston's rejected the bid. Some of Marston's largest investors said they would not meet the board "
            "until the chairman resigned. Halverson said it had requested a meeting with Marston's largest "
            "shareholders.")
    ss = statements(text)
    assert [s.speaker for s in ss] == ["Marston", "Marston's investors", "Halverson"]
    assert ss[2].target == "Marston"


def test_a_sentence_initial_capital_does_not_make_a_second_speaker(statements):
    """"Protesters said" and "protesters said" are one party for ``stance report``; names keep their capitals."""
    ss = statements("Protesters said they would meet the mayor. Later, protesters said they would not. The union "
                    "said it was ready to talk. Catholic bishops said they would host talks. UN officials said they "
                    "would meet them.")
    assert [s.speaker for s in ss] == ["protesters", "protesters", "union", "Catholic bishops", "United Nations"]
    ss = statements("Equity rejected the offer from Tesco. On Monday, Equity demanded talks with Tesco.")
    assert [s.speaker for s in ss] == ["Equity", "Equity"]  # capitalised inside a sentence too: a name


def test_what_is_offered_or_refused_in_the_passive_is_no_party(statements):
    """The agent of a passive stance verb holds the stance; without one there is no holder to report."""
    assert not statements("Putin was invited to the summit. A deadline would be extended.")
    [s] = statements("Putin was invited to the summit by Trump.")
    assert s.speaker == "Trump"
    [s] = statements("Hamas was briefed by Egyptian mediators and rejected the offer from Israel.")
    assert s.speaker == "Hamas"  # an active stance verb joined to a passive one keeps the shared subject
    ss = statements("Some concessions had already been offered by the government, the union said.")
    assert "Some concessions" not in [s.speaker for s in ss] and "government" in [s.speaker for s in ss]


def test_a_condition_the_parser_conjoins_with_said_stays_in_what_was_said(statements):
    [s] = statements("The union said it would meet the board, but only if the lockout ended.")
    assert s.text == "it would meet the board, but only if the lockout ended"
    ss = statements("The union said it would meet the board, and the board agreed.")
    assert ss[0].text == "it would meet the board"  # not a condition: the board's own act


def test_two_people_of_one_country_can_be_each_others_target(statements):
    [s] = statements("Israeli Prime Minister Benjamin Netanyahu said he would hold talks with Israeli President "
                     "Isaac Herzog.")
    assert (s.speaker, s.target) == ("Benjamin Netanyahu", "Isaac Herzog")


def test_a_statement_that_refers_back_takes_the_counterpart_of_the_exchange(statements):
    ss = statements("Ukrainian President Volodymyr Zelensky said he was ready to meet Russian President Vladimir Putin. "
                    "The Kremlin said such a meeting was premature.")
    assert [(s.speaker, s.target) for s in ss] == [("Volodymyr Zelensky", "Vladimir Putin"),
                                                   ("Russia", "Volodymyr Zelensky")]
    assert ss[1].target_mention is None  # implied, not named in the statement


def test_an_implied_target_comes_only_from_a_nearby_exchange(statements):
    filler = "The weather in the region was mild for the season. " * 40
    ss = statements("Ukrainian President Volodymyr Zelensky said he was ready to meet Russian President Vladimir Putin. "
                    + filler + "The Kremlin said such a meeting was premature.")
    assert (ss[-1].speaker, ss[-1].target) == ("Russia", None)


def test_bare_targets_find_the_counterpart_in_the_statement_alone(nlp):
    from stance.attribute import load_aliases
    from stance.attribute.targets import bare_targets

    texts = ["Washington has ruled out direct talks with Tehran for now.",
             "Russia said talks between Russia and Ukraine could resume.",
             "The two leaders met in 2019.", "Ukraine rejected peace."]
    assert bare_targets(nlp, texts, ["United States", "Russia", None, "Ukraine"], load_aliases()) == \
        ["Iran", "Ukraine", None, None]


def test_a_quote_that_goes_on_from_its_speakers_words_keeps_their_counterpart(statements):
    ss = statements('Pakistani spokeswoman Amna Baloch said Islamabad had asked for a meeting with India. "We asked," '
                    'she said. The weather was mild. "We will keep going," said Indian official Vikram Misri.')
    assert [(s.speaker, s.target) for s in ss] == [("Amna Baloch", "India"), ("Amna Baloch", "India"),
                                                   ("Vikram Misri", None)]
    ss = statements('"We want a meeting with Iran soon," he said. "Nothing is settled," she said.')
    assert [(s.speaker, s.target) for s in ss] == [(None, "Iran"), (None, None)]  # two unknown people


@pytest.mark.parametrize("text,speaker", [
    # the small tagger stops at "Oceans", or reads the whole name as a work of art
    ("Seoul's Ministry of Oceans and Fisheries said it would raise a fishing-zone proposal with the North only "
     "once Pyongyang recognised the boundary.", "Ministry of Oceans and Fisheries"),
    ("The European Union has been cautious. Marta Kos said that Brussels encouraged dialogue.\n\nThe Conference "
     "of Serbian Universities, which groups the country’s rectors, said it would attend the round table "
     "provided that student plenums are invited on equal terms.", "Conference of Serbian Universities"),
])
def test_an_institution_keeps_its_whole_name(statements, text, speaker):
    assert speaker in [s.speaker for s in statements(text)]


@pytest.mark.parametrize("text,speaker", [
    # a name the small tagger missed after a title is a person, not the title's country
    ('Norwegian Foreign Minister Espen Barth Eide told reporters in Oslo that Norway "stands ready to facilitate '
     'contacts whenever the parties see value in it."', "Espen Barth Eide"),
    # a first name the tagger read as an organisation does not swallow the surname
    ("The prefect of the department, Anne-Sophie Berthier, said the state was ready to organise a mediation if "
     "the two parties ask for it.", "Anne-Sophie Berthier"),
    # demonyms and capitals of countries outside the corpus resolve to the country
    ("A Norwegian diplomat said talks between the two sides could resume in the spring.", "Norway"),
    ("Nairobi said it was ready to host talks between the two sides.", "Kenya"),
])
def test_names_the_small_tagger_misreads(statements, text, speaker):
    assert speaker in [s.speaker for s in statements(text)]


@pytest.mark.parametrize("text,expected", [
    ("Before the crisis, Chérizier proposed talks with the political parties, who ignored them.",
     [("proposed talks with the political parties", "Chérizier"), ("ignored them", "political parties")]),
    ("Faye has proposed a meeting of the two blocs' foreign ministers in Dakar, a proposal that the AES has not "
     "yet answered.",
     [("has proposed a meeting of the two blocs' foreign ministers in Dakar", "Faye"),
      ("a proposal that the AES has not yet answered", "AES")]),
])
def test_an_answer_in_a_relative_clause_is_its_own_statement(statements, text, expected):
    assert [(s.text, s.speaker) for s in statements(text)] == expected


def test_a_partial_quote_inside_indirect_speech_stays_in_it(statements):
    text = ('Defence Minister Khawaja Asif was less private: he told a Pakistani television channel that India '
            '"runs from every table we set" and that Pakistan would stop asking.')
    ss = statements(text)
    assert [(s.kind, s.speaker, s.cue.text) for s in ss] == [("indirect", "Khawaja Asif", "told")] * 2
    assert [s.text for s in ss] == ['India "runs from every table we set"', "Pakistan would stop asking"]


def test_a_partial_quote_in_the_phrase_of_the_verb_before_it_is_that_act(statements):
    [s] = statements('Pakistan accused India of "running away from the table and the talks" on Monday.')
    assert (s.kind, s.speaker, s.reported_by, s.cue.text) == ("reported", "India", "Pakistan", "accused")
    assert s.text == 'accused India of "running away from the table and the talks"'


def test_a_possessed_offer_keeps_its_quoted_predicate(statements):
    [s] = statements('A White House official said the president\'s offer "stands with no strings attached".')
    assert s.text == 'the president\'s offer "stands with no strings attached"'
    assert (s.speaker, s.reported_by) == ("president", "United States")  # the White House: the US


def test_a_statement_that_opens_a_quote_closes_it(statements):
    s = statements('The minister said the talks were «a waste of everybody\'s time», adding that no date was set.')[0]
    assert s.text == "the talks were «a waste of everybody's time»"


def test_a_participle_after_an_object_shares_the_subject_of_its_verb(statements):
    [s] = statements('The Vatican issued a note urging both sides to "preserve the spaces of dialogue built over '
                     'two years".')
    assert (s.speaker, s.kind) == ("Vatican", "reported")


@pytest.mark.parametrize("text,speaker", [
    # the tagger runs the portfolio into the name: "for [Mobility Ricardo Antunes]"
    ('Deputy Mayor for Mobility Ricardo Antunes told reporters the city would "not negotiate with a blockade."',
     "Ricardo Antunes"),
    # a proper-noun apposition to an unlabelled title, and one apposition further in
    ("Scotland’s Cabinet Secretary for Rural Affairs, Mairi Gougeon, said the Scottish government had asked to be "
     "included in future negotiations with the EU.", "Mairi Gougeon"),
    ("The operator of the landfill, the company EkoResurs, said it saw no subject for discussion with the "
     "protesters.", "EkoResurs"),
    # an unnamed role-holder of a named body speaks for it
    ("The Ashworth Athletic Supporters' Trust will not meet the consortium until the group discloses who is behind "
     "its funding, the trust's chair said on Monday.", "Ashworth Athletic Supporters' Trust"),
])
def test_a_role_names_its_holder(statements, text, speaker):
    assert [s.speaker for s in statements(text)] == [speaker]


def test_an_institution_speaking_through_an_official_keeps_the_stance(statements):
    ss = statements("The Ministry of Education, through Principal Secretary for Higher Education Beatrice "
                    "Inyangala, said the ministry would not intervene in the dispute.")
    assert [s.speaker for s in ss] == ["Ministry of Education"]


def test_pronouns_skip_mislabelled_names_questions_and_find_an_acronyms_body(statements):
    ss = statements("President Gustavo Petro said on Wednesday he was ready to talk. Petro wrote on X that the ELN "
                    "must free hostages first. The ELN's central command answered within hours. In a communiqué, "
                    "it said it would only resume talks if Bogotá honoured commitments.\n\n"
                    'Indian foreign secretary Vikram Misri said there had been "no such request". Asked whether '
                    'Modi would meet Sharif at a later date, he replied: "The prime minister will meet whoever he '
                    'needs to meet."')
    speakers = {s.text[:20]: s.speaker for s in ss}
    assert speakers["the ELN must free ho"] == "Gustavo Petro"  # "Petro", tagged a place, is the person
    assert speakers["it would only resume"] == "ELN"  # not Petro, taken for a group
    assert speakers["The prime minister w"] == "Vikram Misri"  # not Modi, named in the question


@pytest.mark.parametrize("text,speaker,cue", [
    # the parser made the subject the root and the verb its clause
    ("Iran's foreign minister, Abbas Araghchi, offered to host talks between the two neighbours in Tehran.",
     "Abbas Araghchi", "offered"),
    # "for" marks a clause instead of heading a phrase
    ("The Pentagon has repeatedly called for the channels to be restored.", "United States", "called"),
    # "out" parsed as a preposition
    ("The union representing 3,400 workers at Veltrona Components walked out of contract talks on Monday.",
     "union", "walked"),
    # a stance renewed
    ("Pope Leo XIV on Wednesday renewed his offer to host direct negotiations between Russia and Ukraine.",
     "Leo XIV", "renewed"),
])
def test_reported_stances_the_small_parser_misparses(statements, text, speaker, cue):
    ss = [s for s in statements(text) if s.kind == "reported"]
    assert [(s.speaker.lower(), s.cue.text) for s in ss] == [(speaker.lower(), cue)]


@pytest.mark.parametrize("text,content", [
    # the parser hung the "that" clause under the place of speaking
    ("Minister John Enoh said on a radio programme that the ministry would meet the players only if the league's "
     "own efforts fail.", "the ministry would meet the players only if the league's own efforts fail"),
    # quote marks broke the clause: "supports" became a possessive
    ("A federation spokesman added that the NFF 'fully supports' the league's summit.",
     "the NFF 'fully supports' the league's summit"),
])
def test_a_that_clause_hung_elsewhere_is_the_verbs_complement(statements, text, content):
    assert [s.text for s in statements(text) if s.kind == "indirect"] == [content]


def test_a_that_clause_conjoined_to_another_verb_is_not_its_complement(statements):
    ss = statements("His view, according to people close to the board, is that Strand wants access to confidential "
                    "data to find a cheaper route to control, and that there is no point in meeting until Strand puts "
                    "forward a fully financed offer.")
    assert [s.cue.text for s in ss if s.cue is not None] == ["according to"]


@pytest.mark.parametrize("text,cues", [
    # a past event in a narrated past is a statement ...
    ("Talks collapsed on Tuesday after the union rejected the company's final offer.", ["rejected"]),
    # ... a backshifted condition is not, and neither is a source named with "as"
    ("The union said it would only return to talks after the company accepted its offer.", ["said"]),
    ("The White House declined to say whether it had sent a message to Pyongyang, as one South Korean newspaper "
     "reported.", ["declined to say"]),
])
def test_temporal_clauses_narrate_or_set_conditions(statements, text, cues):
    assert [s.cue.text for s in statements(text)] == cues


@pytest.mark.parametrize("text,speaker", [
    ("The American Soybean Association wrote to the agriculture secretary last week calling for urgent "
     "negotiations on farm trade.", "American Soybean Association"),
    ("The Independent Drivers' Collective has spent three months demanding formal negotiations over rates.",
     "Independent Drivers' Collective"),
    # after a dateline the parser makes "fighting ..." the clausal subject
    ("OAKHURST - Campaigners fighting plans to build 420 apartments on Linden Fields have turned down an "
     "invitation from the developer.", "campaigners"),
])
def test_a_participle_shares_the_subject_of_its_verb(statements, text, speaker):
    assert [s.speaker for s in statements(text) if s.kind == "reported"] == [speaker]


def test_a_participle_after_while_is_no_stance_of_its_own(statements):
    ss = statements('A spokesperson for the European Commission said the bloc "expects both parties to engage '
                    'constructively and without preconditions", while declining to say whether the meeting would go '
                    "ahead if either leader stayed away.")
    assert [s.speaker for s in ss if s.text.startswith("the bloc")] == ["European Union"]
    assert not [s for s in ss if s.cue.text.startswith("declin")]


@pytest.mark.parametrize("text,speaker", [
    # the parser made "Chung ... met association members" one noun phrase
    ("Unification Minister Chung Dong-young met association members last week and, according to participants, "
     "promised that their concerns would be raised.", "Chung Dong-young"),
    # a first name tagged as a verb stays in the name
    ("Puntland President Said Abdullahi Deni said his administration would return to the national council only "
     "if the federal government agrees to reopen talks.", "Said Abdullahi Deni"),
])
def test_a_verb_inside_a_subject_phrase(statements, text, speaker):
    [s] = [s for s in statements(text) if s.cue.text in {"said", "promised"}]
    assert (s.kind, s.speaker) == ("indirect", speaker)


def test_what_resumes_is_no_party_but_who_resumes_it_is(statements):
    ss = statements('A senior official said trade would not resume "in the present circumstances".')
    assert [(s.speaker, s.text) for s in ss] == [("senior official", 'trade would not resume "in the present '
                                                                      'circumstances"')]
    assert [(s.speaker, s.cue.text) for s in statements("Russia resumed talks with Ukraine on Monday.")] == [
        ("Russia", "resumed")]


def test_a_past_act_conjoined_inside_a_modal_complement_is_the_reporters(statements):
    ss = statements("Russia's envoy in Vienna, Mikhail Ulyanov, wrote on X that the agency should avoid "
                    '"ultimatums" and urged "patient dialogue" between Tehran and the agency.')
    assert [s.speaker for s in ss if s.cue.text == "urged"] == ["Mikhail Ulyanov"]
    ss = statements("Coalition spokesman Jimmy Cherizier said his men were 'ready to sit at a table with any authority "
                    "that is serious' and called for a national dialogue 'in which the poor neighbourhoods have a "
                    "voice'.")
    assert [s.speaker for s in ss if s.cue.text.startswith("called")] == ["Jimmy Cherizier"]
    # a past act inside a past complement stays the complement's
    ss = statements("Putin said that Russia rejected the plan and called for talks.")
    assert [s.speaker for s in ss if s.cue.text.startswith("called")] == ["Russia"]


@pytest.mark.parametrize("text,speaker", [
    ("The Catholic bishops' conference has offered to mediate between the two men.", "Catholic bishops' conference"),
    ("European leaders said they should be included in any talks on Europe's security.", "European leaders"),
    ("Russian officials said they were ready to meet.", "Russia"),  # a demonym still names its country
])
def test_an_adjective_of_religion_or_region_is_no_party(statements, text, speaker):
    assert [s.speaker for s in statements(text)] == [speaker]


def test_a_continued_quote_paragraph_keeps_its_own_speaker_among_other_statements(statements):
    ss = statements('Lee said talks were possible. Park said the door was open. Moon said nothing had changed.\n\n'
                    '"We will not meet them," Kim said. "They have lied to us for years and they lie now.\n\n'
                    '"They have always lied to us."')
    assert [s.speaker for s in ss if s.kind == "direct"] == ["Kim", "Kim", "Kim"]
    # a continued paragraph with a cue of its own takes that cue's speaker
    ss = statements("Its spokesman, Ebenezer Akwanga, said the platform would not attend talks.\n\nMinister Paul Nji "
                    "said the government would never negotiate.\n\n“We have seen what dialogue on their terms "
                    "means.\n\n“If Yaoundé is serious, let it free our leaders,” Akwanga said.")
    assert [s.speaker for s in ss if s.text.startswith("If")] == ["Ebenezer Akwanga"]


@pytest.mark.parametrize("text,expected", [
    # "it" that is no party acts in no reported stance
    ("The proposal was tabled on Monday. It called for talks within a week.", []),
    # rebels are another body than the minister's, not an unnamed one of hers
    ("Interior Minister Helena Kovacs said the rebels had ruled out talks with the government.",
     [("rebels", "Helena Kovacs")]),
    # a place after "for" is no portfolio, and a role's possessive no acronym's body
    ("The mayor left for New York City on Monday. He said he would meet the strikers.", [(None, None)]),
    ("The CEO's assistant said the firm would not negotiate with the union.", [("CEO's assistant", None)]),
])
def test_what_the_speaker_rules_leave_alone(statements, text, expected):
    assert [(s.speaker, s.reported_by) for s in statements(text)] == expected


@pytest.mark.parametrize("text, content, cue", [
    ("The ministry declined to say whether Bern had been approached about hosting the talks.",
     "declined to say whether Bern had been approached about hosting the talks", "declined to say"),
    ("Rubio did not say whether Washington would join the talks in Oslo.",
     "did not say whether Washington would join the talks in Oslo", "did not say"),
    ("Rubio has never said whether Washington would join the talks in Oslo.",
     "has never said whether Washington would join the talks in Oslo", "has never said"),
    # relayed by a spokesman: still one statement, the company's refusal (no stray "The company")
    ("The company did not say whether it would meet the union, a spokesman said.",
     "did not say whether it would meet the union", "did not say"),
    ("The ministry declined to say if it would hold talks with the rebels, officials said on Monday.",
     "declined to say if it would hold talks with the rebels", "declined to say"),
])
def test_a_withheld_stance_is_one_statement_from_the_refusal(statements, text, content, cue):
    [s] = statements(text)
    assert (s.text, s.cue.text) == (content, cue)
    assert s.speaker.split()[-1].lower() in {"ministry", "rubio", "company"}  # the one who withholds


@pytest.mark.parametrize("text, answer, speaker", [
    ("Asked whether he would meet Lai Ching-te, Trump said he had no plans to do so.", "he had no plans to do so",
     "Trump"),
    ("Talks stalled.\n\nAsked whether Fidan would meet his Israeli counterpart, Gideon Saar, at next month's NATO "
     "summit, Akturk said such a meeting was 'not on the agenda'.",  # "Asked" tagged as a past tense
     "such a meeting was 'not on the agenda", "Akturk"),
    ("Asked whether that meant Corvane would only meet if the layoffs were taken off the table, a spokesperson said "
     "the statement spoke for itself.", "the statement spoke for itself", "spokesperson"),  # a verb inside it
])
def test_the_question_put_to_a_speaker_is_no_statement(statements, text, answer, speaker):
    [s] = statements(text)
    assert (s.text, s.speaker) == (answer, speaker)


def test_a_question_put_in_the_passive_is_no_statement(statements):
    assert statements("Trump was asked whether he would meet Kim.") == []


@pytest.mark.parametrize("text", [
    "Senator Chris Murphy asked whether the administration would ever sit down with Tehran.",
    "Senator Chris Murphy criticised the plan, asking whether the administration would ever sit down with Tehran.",
])
def test_a_speaker_who_asks_whether_still_makes_a_statement(statements, text):
    ss = statements(text)
    pairs = [(s.speaker, s.text) for s in ss]
    assert ("Chris Murphy", "whether the administration would ever sit down with Tehran") in pairs


@pytest.mark.parametrize("text,speaker", [
    ("Baghaei rejected reports that Iran had agreed to a direct session with the US delegation.", "Baghaei"),
    ("Munro rejected the suggestion that the council had refused to engage.", "Munro"),
])
def test_a_stance_inside_a_denied_report_is_the_deniers(statements, text, speaker):
    [s] = statements(text)
    assert (s.speaker, s.text) == (speaker, text[len(speaker) + 1:-1])


def test_a_participle_without_a_comma_belongs_to_its_act(statements):
    [s] = statements("Ben-Haim said she had written to the prime minister twice asking for a direct meeting.")
    assert s.text == "she had written to the prime minister twice asking for a direct meeting"
    ss = statements("Putin said talks were possible, adding that Russia was ready.")
    assert [s.text for s in ss] == ["talks were possible", "Russia was ready"]


@pytest.mark.parametrize("text", [
    "Moscow has not accused Kyiv of rejecting negotiations.",
    "Moscow denied accusing Kyiv of rejecting negotiations.",
])
def test_an_accusation_not_made_is_no_statement(statements, text):
    assert statements(text) == []


@pytest.mark.parametrize("text,speaker,reported_by", [
    ("Kenyatta said Asmara had not responded and ignored his offer of talks.", "Eritrea", "Kenyatta"),
    ("Kyiv said Moscow had not said whether it would join the talks.", "Russia", "Ukraine"),
    ("Tehran rejected the claim that it had refused to negotiate.", "Iran", None),
])
def test_holder_rules_with_conjoined_silence_withheld_comment_and_denied_claims(statements, text, speaker, reported_by):
    [s] = statements(text)
    assert (s.speaker, s.reported_by) == (speaker, reported_by)


@pytest.mark.parametrize("text", [
    "Putin rejected the offer of talks, according to Reuters.",
    "According to Reuters, Putin rejected the offer of talks.",
])
def test_a_reported_act_with_its_source_is_one_statement(statements, text):
    [s] = statements(text)
    assert (s.speaker, s.reported_by, s.text) == ("Putin", "Reuters", "rejected the offer of talks")


def test_a_date_the_parser_made_a_subject_is_not_the_holder(statements):
    ss = statements("Islamabad had written twice to New Delhi since May proposing talks between the two advisers.")
    assert [(s.speaker, s.text) for s in ss] == [("Pakistan", "proposing talks between the two advisers")]
    [s] = statements("Seoul had pressed Pyongyang since January demanding talks on family reunions.")
    assert s.speaker == "South Korea"


def test_a_name_before_its_description_is_the_speaker(statements):
    ss = statements("Movia, the Milan-based platform expected to win most of the licences, said it would meet "
                    "the drivers.")
    said = next(s for s in ss if s.cue.text == "said")  # the parse hangs "Movia" off the verb as an adverb
    assert (said.speaker, said.text) == ("Movia", "it would meet the drivers")
    [s] = statements("Washington, the Chinese embassy said in a statement, had cancelled the planned meeting.")
    assert s.speaker == "China"  # a reporter set in the clause is no description of its subject


@pytest.mark.parametrize("act", ["called on President Alain Mbida to appoint a mediator",
                                 "refused to meet President Alain Mbida"])
def test_an_act_conjoined_to_a_possessed_refusal_is_the_reporters(statements, act):
    ss = statements(f"Opposition leader Maria Oyono said the cabinet's refusal was a blunder and {act}.")
    [own] = [s for s in ss if s.text == act]
    assert own.speaker == "Maria Oyono"
    assert all(act.split()[0] not in s.text for s in ss if s is not own)


@pytest.mark.parametrize("subject,speaker", [
    ("Iran's football federation", "Iran's football federation"),
    ("The Nigerian league", "Nigerian league"),
    ("A spokesman for Iran's football federation", "Iran's football federation"),
    ("Iran's foreign ministry", "Iran"),  # an arm of the state speaks for it
    ("Iran's national security committee", "Iran"),
    ("The NATO alliance", "NATO"),
    ("Iran", "Iran"),
])
def test_a_body_named_with_its_country_is_not_the_country(statements, subject, speaker):
    [s] = statements(f"{subject} said it would not attend a meeting with the American officials.")
    assert s.speaker == speaker


@pytest.mark.parametrize("spokesperson,speaker", [
    ("A company spokesperson", "Northline Rail"),  # not the union, the group last named
    ("A union spokesperson", "Transport Workers' Union"),
    ("A spokesperson", "Transport Workers' Union"),
])
def test_a_spokesperson_named_for_a_kind_of_body_speaks_for_a_body_of_that_kind(statements, spokesperson, speaker):
    ss = statements("Northline Rail said on Monday it had offered talks. The Transport Workers' Union said it "
                    f"would refuse to meet the board. {spokesperson} said the board was ready to meet at any time.")
    assert ss[-1].text == "the board was ready to meet at any time" and ss[-1].speaker == speaker
    for body, spokesperson in (("Deutsche Bank", "A company spokesperson"), ("Manchester City", "A club spokesman")):
        ss = statements(f"{body} said on Monday it would meet the regulators. {spokesperson} said it was ready to "
                        "meet them at any time.")
        assert ss[-1].speaker == body  # a bank is a company, "City" names no kind of body


@pytest.mark.parametrize("text,content", [
    ("Araghchi ruled out direct talks, though he left the door open to indirect contacts through Oman.",
     "left the door open to indirect contacts through Oman"),
    ("Baku would keep its doors open for talks between the two.", "would keep its doors open for talks between the two"),
    ("Putin left open the door for talks with Kyiv.", "left open the door for talks with Kyiv"),
    ("She left the door open when she went out to meet the union.", None),  # a room's door
    ("The minister left the door open for reporters as he arrived for the talks.", None),
])
def test_leaving_the_door_open_to_talks_is_a_reported_stance(statements, text, content):
    found = [s.text for s in statements(text) if s.kind == "reported" and "door" in s.text]
    assert found == ([content] if content else [])


def test_a_bare_answer_takes_the_counterpart_of_the_offer_it_answers(statements):
    offer, answer = statements("Jane Doe said she was willing to meet Tom Smith. Tom Smith refused.")
    assert (offer.speaker, offer.target) == ("Jane Doe", "Tom Smith")
    assert (answer.text, answer.speaker, answer.target) == ("refused", "Tom Smith", "Jane Doe")


def test_a_partys_statement_speaks_for_the_party(statements):
    ss = statements("Defence Minister Lars Ekdal spoke on Monday. The minister's statement said Oslo would not "
                    "hold talks with the rebels.")
    assert [s.speaker for s in ss] == ["Lars Ekdal"]
    [s] = statements("The Houthis' statement said the group would not hold talks with the government.")
    assert s.speaker == "Houthis"


@pytest.mark.parametrize("text,speaker,content", [
    ("Pyongyang blew up the liaison office in 2020, and its officials have not replied to a ministry letter "
     "proposing a working-level meeting.", "North Korea", "have not replied to a ministry letter proposing a "
     "working-level meeting"),
    ("The union wrote to Calderbrook twice. Calderbrook has answered neither.", "Calderbrook", "has answered neither"),
])
def test_a_party_that_has_not_answered_holds_a_stance(statements, text, speaker, content):
    s = statements(text)[-1]
    assert (s.kind, s.speaker, s.text) == ("reported", speaker, content)


@pytest.mark.parametrize("text", ["He did not respond to a request for an interview.",
                                  "The ministry did not reply to emailed questions.",
                                  "The Kremlin did not respond to a request from The Associated Press.",
                                  "The board answered the union's letter on Friday."])
def test_not_answering_the_press_or_answering_is_no_statement(statements, text):
    assert statements(text) == []


def test_a_quotes_no_is_not_a_refusal_to_answer(statements):
    ss = statements('"Certainly not," the minister replied when asked whether he would meet the rebels.')
    assert [s.kind for s in ss] == ["direct"]


def test_a_stance_verb_the_parser_hung_on_a_relative_clause_is_the_subjects(statements):
    [s] = statements("The Harbourside Traders Federation (HTF), which represents about 900 stallholders, called "
                     "on Mayor Ines Valdor to receive a delegation before the vote in June.")
    # the speaker is what this checks; the parse hangs "to receive a delegation ..." on the relative clause,
    # so the content ends at the mayor's name
    assert s.speaker == "Harbourside Traders Federation" and s.text.startswith("called on Mayor Ines Valdor")


def test_hearsay_gives_the_raised_subject_the_stance(statements):
    ss = statements("Health Secretary Martin Aldous is understood to be open to discussions with the union. The "
                    "Treasury is understood to have turned down a request from the Executive. The talks are said "
                    "to have stalled.")
    assert [(s.speaker, s.text, s.kind) for s in ss] == [
        ("Martin Aldous", "be open to discussions with the union", "reported"),
        ("Treasury", "have turned down a request from the Executive", "reported")]  # "the talks" hold nothing


def test_voters_hold_what_they_voted_to_do(statements):
    [s] = statements("Union members voted overwhelmingly to reject the company's offer of talks.")
    assert (s.speaker, s.text, s.kind) == ("union members", "to reject the company's offer of talks", "reported")


def test_what_a_party_made_clear_is_its_indirect_speech(statements):
    ss = statements("Pakistan called for talks, but New Delhi made clear it saw no basis for dialogue. The union "
                    "made it clear that it would not negotiate. The mayor made the square clear of protesters.")
    assert [(s.speaker, s.text, s.kind) for s in ss if s.cue.text.startswith("made")] == [
        ("India", "it saw no basis for dialogue", "indirect"), ("union", "it would not negotiate", "indirect")]


def test_a_condition_hung_on_the_reporting_verb_belongs_to_what_was_said(statements):
    [s] = statements("Commission President Ursula von der Leyen said on Friday the EU was ready to negotiate with "
                     "China over car tariffs, provided that Beijing ends its export subsidies.")
    assert s.text.endswith("provided that Beijing ends its export subsidies")
    [s] = statements("The union said it would meet the board on Monday, if the lockout ended first.")
    assert s.text == "it would meet the board on Monday, if the lockout ended first"


def test_a_partial_quote_that_opens_a_longer_clause_is_part_of_it(statements):
    [s] = statements('Chief executive Anne Rigail said that "the timing is not right" for new talks with the '
                     "pilots' union before the end of the peak season.")
    assert (s.kind, s.speaker) == ("indirect", "Anne Rigail")
    assert s.text.startswith('"the timing is not right" for new talks') and s.text.endswith("peak season")
    [s] = statements('Rigail said that "the timing is not right for any new talks with the union."')
    assert s.kind != "indirect" and s.speaker == "Rigail"  # a quote that is the whole clause stays the statement


def test_titles_and_job_titles_resolve_to_the_person(statements):
    text = ("Iran's foreign minister, Abbas Araghchi, said on Monday that Tehran had received the letter. "
            "The minister said direct talks with Washington would be meaningless under pressure.")
    assert [s.speaker for s in statements(text)] == ["Abbas Araghchi", "Abbas Araghchi"]  # an apposition before
    text = ("Britain's Education Secretary Bridget Phillipson invited the union's leaders to talks on pay. "
            "The minister said she was willing to discuss workload.")
    assert [s.speaker for s in statements(text)] == ["Bridget Phillipson", "Bridget Phillipson"]
    text = ("Spokeswoman Amara Okafor said the group had turned down an invitation from Mayor Keith Wilson. "
            "Okafor said the group would not meet Wilson.")
    assert [s.speaker for s in statements(text)] == ["Amara Okafor", "Amara Okafor"]


def test_a_surname_the_tagger_missed_as_subject_still_binds_the_next_pronoun(statements):
    text = ('"There is nothing to talk about," UAW President Shawn Fain said.\n\n'
            "A company spokeswoman, Jodi Tinson, said management would not negotiate over the closure.\n\n"
            "Fain later softened his tone. He said the union could meet company executives as long as the "
            "closure was on the agenda.")
    assert [s.speaker for s in statements(text)] == ["Shawn Fain", "Jodi Tinson", "Shawn Fain"]


def test_his_counterpart_is_the_other_person_and_never_a_name(statements):
    text = ("Ukrainian President Volodymyr Zelensky said he was ready to meet Vladimir Putin and accused his "
            "counterpart of running away from dialogue.")
    _, accused = statements(text)
    assert (accused.speaker, accused.reported_by) == ("Vladimir Putin", "Volodymyr Zelensky")
    # with no other person to be the counterpart (the tagger takes Kurti for a group), no one, not the words
    text = ("Vucic, speaking in Belgrade, said he was ready to meet Kurti and accused his counterpart of running "
            "away from dialogue.")
    assert "his counterpart" not in {s.speaker for s in statements(text)}


@pytest.mark.parametrize("text, quote", [
    ('Zelensky said "I am ready to meet Putin in any format" before flying to Washington on Sunday.',
     "I am ready to meet Putin in any format"),
    ('Netanyahu said "we will not negotiate with Hamas under fire" when he met the families of the hostages.',
     "we will not negotiate with Hamas under fire"),
])
def test_a_quote_that_speaks_of_meeting_stays_the_statement_before_narration(statements, text, quote):
    [s] = statements(text)
    assert quote in s.text and "before flying" not in s.text and "when he met" not in s.text


def test_a_reporters_hedge_is_no_condition_of_the_speaker(statements):
    [s] = statements("Putin said on Friday that Russia was ready to resume talks with Ukraine on a new security "
                     "deal, if Western media reports were accurate.")  # the parser hangs the "if" on "said"
    assert s.text.endswith("security deal")


def test_a_title_in_an_opening_phrase_is_not_the_subjects(statements):
    text = ("In a meeting with the prime minister, Zelensky said he was ready for talks with Moscow. "
            "The prime minister said he would not join any talks.")
    assert [s.speaker for s in statements(text)][-1] != "Zelensky"


def test_the_minister_is_a_minister_before_a_secretary(statements):
    text = ("Foreign Secretary David Lammy met German Foreign Minister Annalena Baerbock in London. "
            "The minister said Berlin was ready to host talks.")
    assert statements(text)[-1].speaker == "Annalena Baerbock"


def test_the_board_of_a_named_firm_is_the_firm(statements):
    [s] = statements("The board of British drinks maker Hartwell Group on Monday rejected a takeover proposal "
                     "from U.S. rival Crestline Brands.")
    assert (s.speaker, s.target) == ("Hartwell Group", "Crestline Brands")
    [s] = statements("The board of directors said it would not engage with Crestline Brands.")
    assert s.speaker == "board"


@pytest.mark.parametrize("text, condition", [
    ('The president said "I will not negotiate" with the rebels unless they lay down their arms.',
     "they lay down their arms"),
    ('Petro said "we are ready to resume talks" with the ELN once the kidnapped soldiers are freed.',
     "the kidnapped soldiers are freed"),
])
def test_a_quoted_clause_that_goes_on_after_the_quote_is_one_statement(statements, text, condition):
    [s] = statements(text)
    assert s.text.startswith('"') and s.text.endswith(condition)  # with its opening mark


def test_a_hedge_word_inside_a_real_condition_keeps_it(statements):
    [s] = statements("Tehran said it was ready to resume nuclear talks, if Washington lifted sanctions and "
                     "recognised Iran's right to enrich uranium.")
    assert s.text.endswith("right to enrich uranium")


def test_the_board_of_its_own_members_is_the_board(statements):
    [s] = statements("The board of Governors said it would not meet the students.")
    assert s.speaker == "board"


def test_the_minister_is_the_nearest_secretary_when_no_minister_is_near(statements):
    text = ("German Foreign Minister Annalena Baerbock visited Kyiv in the spring. " + "Fighting went on. " * 90 +
            "Education Secretary Bridget Phillipson invited the teaching unions to talks on pay. "
            "The minister said she was ready to resume talks on pay.")
    assert statements(text)[-1].speaker == "Bridget Phillipson"


def test_each_that_clause_of_a_reporting_verb_is_a_statement(statements):
    ss = statements('The ministry said Beijing "welcomes all efforts to stabilise relations" but that the Taiwan '
                    "question was a red line, and that talks would resume only after the election.")
    assert [s.text for s in ss] == ['Beijing "welcomes all efforts to stabilise relations"',
                                    "the Taiwan question was a red line",
                                    "talks would resume only after the election"]
    assert {(s.speaker, s.kind, s.cue.text) for s in ss} == {("ministry", "indirect", "said")}
    # a condition hung on the reporting verb ends the last clause
    ss = statements("The union said the strike was a last resort and that it would meet the board on Monday, if "
                    "the lockout ended first.")
    assert ss[-1].text == "it would meet the board on Monday, if the lockout ended first"


def test_a_name_in_apposition_to_a_place_in_a_title_names_the_title_holder(statements):
    # the parser hangs the name on "South West State" and the tagger takes it for an organisation
    text = ("Puntland President Said Abdullahi Deni said he would not go. The president of South West State, "
            "Abdiaziz Laftagareen, said he would attend the talks.")
    assert [s.speaker for s in statements(text)] == ["Said Abdullahi Deni", "Abdiaziz Laftagareen"]
    [s] = statements("The leader of the rebel coalition, the Alliance Fleuve Congo, said it would attend the talks.")
    assert s.speaker == "Alliance Fleuve Congo"  # a common noun's apposition names it, not the title
