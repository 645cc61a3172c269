"""Quotes to speakers, one table per kind of sentence. Every row is made up; each stands for
a whole kind of wire sentence, so a rule that passes here is written for the kind, not for
one story. No database: the wire pipeline is pure Python."""

from __future__ import annotations

import pytest

from wire.pipeline import parse_wire_text


def parse(body: str) -> dict:
    return parse_wire_text(f"Headline for the story\n{body}")


def speakers(body: str) -> list[str | None]:
    return [q["speaker"] for q in parse(body)["quotes"]]


PARTIAL_QUOTES = [
    pytest.param('Mayor Ilse Brandt called the plan "a dead end."', "Ilse Brandt", id="object"),
    pytest.param(
        'Calling the bill "a gift to the bottlers," Senator Ada Brill urged a no vote.',
        "Ada Brill",
        id="participial-lead",
    ),
    pytest.param(
        'Chancellor Olaf Berg described the deal as "a good day for Europe."',
        "Olaf Berg",
        id="described-as",
    ),
]


@pytest.mark.parametrize(("body", "speaker"), PARTIAL_QUOTES)
def test_partial_quote_inside_the_reporters_sentence_goes_to_its_subject(body, speaker):
    story = parse(body)
    assert [q["speaker"] for q in story["quotes"]] == [speaker]
    assert story["quotes"][0]["kind"] == "partial"


COLON_LEAD_INS = [
    pytest.param(
        'Union leader Rosa Vail was blunt: "This deal is dead."', "Rosa Vail", id="adjective"
    ),
    pytest.param(
        'The Port Authority letter reads: "Fees double in May."', "Port Authority", id="document"
    ),
    pytest.param(
        'Finance Minister Kojo Mensah had one message: "We will not borrow more."',
        "Kojo Mensah",
        id="had-a-message",
    ),
]


@pytest.mark.parametrize(("body", "speaker"), COLON_LEAD_INS)
def test_colon_lead_in_without_a_speech_verb_gives_the_lead_ins_subject(body, speaker):
    assert speakers(body) == [speaker]


UNCOMMON_VERBS = [
    pytest.param(
        '"The nets are empty," sighed Kofi Mensah, a boat owner.', "Kofi Mensah", id="sighed"
    ),
    pytest.param(
        '"We will be back," quipped Lars Holt, the team captain.', "Lars Holt", id="quipped"
    ),
    pytest.param(
        '"Please listen to us," pleaded Mina Sato, a shelter manager.', "Mina Sato", id="pleaded"
    ),
    pytest.param('"It is over for us," Ana Lopes lamented.', "Ana Lopes", id="lamented"),
    pytest.param('"Nobody asked us," Piet Smit grumbled bitterly.', "Piet Smit", id="adverb-after"),
    pytest.param('"See you in court," tweeted Dana Ross, a lawyer.', "Dana Ross", id="tweeted"),
    pytest.param('"I had no choice," wrote Omar Aziz, a doctor in Homs.', "Omar Aziz", id="wrote"),
    pytest.param(
        '"Why now, after all these years?" wondered Eva Lund, a retired teacher.',
        "Eva Lund",
        id="wondered",
    ),
    pytest.param('"Get out of my shop," snapped Ray Dunn, the owner.', "Ray Dunn", id="snapped"),
    pytest.param(
        'Beau Landry took questions on Tuesday.\n"Because debates are democracy," Landry shot'
        " back.",
        "Beau Landry",
        id="shot-back",
    ),
    pytest.param(
        'Arrieta answered within the hour. "Senator Landry and I agree on one thing," Ana'
        " Ruiz fired back.",
        "Ana Ruiz",
        id="fired-back",
    ),
]


@pytest.mark.parametrize(("body", "speaker"), UNCOMMON_VERBS)
def test_uncommon_speech_verbs_with_or_without_an_adverb(body, speaker):
    assert speakers(body) == [speaker]


def test_uncommon_verb_keeps_the_apposition_as_title():
    story = parse('"The nets are empty," sighed Kofi Mensah, a boat owner.')
    assert story["sources"][0]["title"] == "boat owner"


PRONOUNS = [
    pytest.param(
        'Tom Barrow spoke first. Dunmore took a harder line. "They send us problems," he said.',
        "Dunmore",
        id="last-subject-not-last-named",
    ),
    pytest.param(
        '"We are ready," said Ana Costa, a farmer.\nHer neighbour Paulo Reis disagreed. "We are not," he said.',
        "Paulo Reis",
        id="subject-of-previous-sentence",
    ),
    pytest.param(
        'Allegedly, Tomas Berg\'s sister pleaded with him to stop, but he replied "I cannot do that."',
        "Tomas Berg",
        id="person-named-in-own-sentence",
    ),
    pytest.param(
        "Health Minister Ana Ruiz said she understood the nurses' anger.\n"
        '"Nobody wants the wards closed," the 58-year-old said on Radio Norte.',
        "Ana Ruiz",
        id="age-not-given-anywhere-else",
    ),
    pytest.param(
        "Kofi Mensah, 61, has fished from Tema for forty years. Ama Owusu sells his catch.\n"
        '"The nets come back empty," the 61-year-old said.',
        "Kofi Mensah",
        id="age-given-earlier",
    ),
]


@pytest.mark.parametrize(("body", "speaker"), PRONOUNS)
def test_pronouns_go_to_the_person_last_made_subject(body, speaker):
    assert speakers(body)[-1] == speaker


def test_closing_paragraph_of_a_multi_paragraph_quote_keeps_the_runs_speaker():
    body = (
        '"The first part of the quote goes on here,\n'
        '"and the second part continues the run.\n'
        '"Then it closes here," said Ana Costa, a farmer in Tete.\n'
        '"This closing paragraph has no attribution of its own."'
    )
    story = parse(body)
    assert [q["speaker"] for q in story["quotes"]] == ["Ana Costa"] * 4
    assert {q["kind"] for q in story["quotes"]} == {"direct"}
    assert not [f for f in story["flags"] if f["code"] == "unattributed-quote"]


NAME_CUTS = [
    pytest.param(
        '"We will fight this," said the Rev. Amos Kell, R-Tex.', "Amos Kell", id="rev-party-state"
    ),
    pytest.param(
        'Mara Lind, a lecturer at Tarn University, Northfield, said "the plan is sound."',
        "Mara Lind",
        id="apposition-with-place",
    ),
    pytest.param(
        'President Lena Marsh on Tuesday said "the border stays open."',
        "Lena Marsh",
        id="time-phrase",
    ),
    pytest.param(
        '"It is a bad idea," said Dr. Yusuf Kaya in a statement.', "Yusuf Kaya", id="manner-phrase"
    ),
    pytest.param(
        'He called it "the most reckless budget in a generation," said Jan Ek, a former minister.',
        "Jan Ek",
        id="name-never-from-inside-the-quote",
    ),
    pytest.param(
        'Sen. Ruth Ann Dillard (R-Mont.) said in an interview, "I am not there yet at all."',
        "Ruth Ann Dillard",
        id="bracketed-party-state",
    ),
    pytest.param(
        "Sen. Paula Whitmire (D-N.M.), the ranking member on the Finance Committee, said:"
        ' "No way this passes now."',
        "Paula Whitmire",
        id="bracketed-tag-then-apposition",
    ),
]


@pytest.mark.parametrize(("body", "speaker"), NAME_CUTS)
def test_speaker_names_are_cut_where_the_name_ends(body, speaker):
    assert speakers(body)[-1] == speaker


WORKPLACE_IN_AN_APPOSITION = [
    pytest.param(
        "Pasang Tenzing Sherpa, a 54-year-old guide with Himal Peaks Expeditions, reached the"
        " summit on Monday.\nThe 54-year-old first climbed Everest in 1994.\n"
        '"Climbing is my job and I love it," he told reporters.',
        "Pasang Tenzing Sherpa",
        id="guide-with",
    ),
    pytest.param(
        "Ruth Adjei, a nurse at Korle Bu Teaching Hospital, worked through the night.\n"
        '"We ran out of beds by midnight," she said.',
        "Ruth Adjei",
        id="nurse-at",
    ),
]


@pytest.mark.parametrize(("body", "speaker"), WORKPLACE_IN_AN_APPOSITION)
def test_the_workplace_in_an_apposition_is_not_the_person_described(body, speaker):
    story = parse(body)
    assert [q["speaker"] for q in story["quotes"]] == [speaker]
    assert all(s["kind"] == "organization" for s in story["sources"] if s["name"] != speaker)


ACRONYM_OF_AN_INSTITUTION_NAMED_IN_PASSING = [
    pytest.param(
        "It would refill the Federal Emergency Management Agency’s disaster relief fund.\n"
        '"Without more money we will be unable to pay for rebuilding," FEMA said.',
        "Federal Emergency Management Agency",
        id="possessive-after-a-pronoun",
    ),
    pytest.param(
        "The money goes to the World Food Programme's school meals.\n"
        '"Every dollar feeds a child for a week," WFP said.',
        "World Food Programme",
        id="possessive",
    ),
]


@pytest.mark.parametrize(("body", "speaker"), ACRONYM_OF_AN_INSTITUTION_NAMED_IN_PASSING)
def test_an_acronym_is_the_institution_whose_initials_it_is(body, speaker):
    assert speakers(body) == [speaker]


ASIDES_BEFORE_THE_VERB = [
    pytest.param(
        'Port Authority operations director Lena Voss, in remarks to state radio, said "The berths'
        ' are full."',
        "Lena Voss",
        id="remarks-to",
    ),
    pytest.param(
        'Transport Ministry deputy spokesman Arjun Mehta, speaking to reporters in Pune, said "The'
        ' line reopens Monday."',
        "Arjun Mehta",
        id="participle",
    ),
    pytest.param(
        'Regional water board chief engineer Sam Okoro, on Tuesday, said "The dam is safe."',
        "Sam Okoro",
        id="time",
    ),
    pytest.param(
        'The Tema Harbour Board, in a statement, said "Crews remain on station."',
        "Tema Harbour Board",
        id="institution",
    ),
]


@pytest.mark.parametrize(("body", "speaker"), ASIDES_BEFORE_THE_VERB)
def test_an_aside_between_the_speaker_and_the_verb_is_not_the_speaker(body, speaker):
    assert speakers(body) == [speaker]


NAME_PARTICLES_IN_LOWER_CASE = [
    pytest.param(
        "Civil Aviation Authority director general Hassan al-Amin, in remarks to al-Arabiya"
        ' television, said "All flights resume tonight."',
        "Hassan al-Amin",
        id="al-after-a-long-title",
    ),
    pytest.param(
        'Health Ministry spokesman Khaled el-Sayed told reporters: "The clinics are open."',
        "Khaled el-Sayed",
        id="el-colon",
    ),
    pytest.param(
        'Deputy Governor Omar bin Rashid said "Salaries will be paid."', "Omar bin Rashid", id="bin"
    ),
]


@pytest.mark.parametrize(("body", "speaker"), NAME_PARTICLES_IN_LOWER_CASE)
def test_names_with_lower_case_particles_are_whole(body, speaker):
    assert speakers(body) == [speaker]


NAMES_LISTED_IN_PASSING = [
    pytest.param(
        "The article attacked defectors including Tom Devocht and Mark Rathbun.\n"
        '"They lied to him about the drives," Rathbun wrote.',
        "Mark Rathbun",
        id="two-names",
    ),
    pytest.param(
        "The panel heard from Ana Ruiz, Kofi Boateng and Lena Holm on Monday.\n"
        '"We agreed on almost nothing today," Boateng said.',
        "Kofi Boateng",
        id="three-names",
    ),
]


@pytest.mark.parametrize(("body", "speaker"), NAMES_LISTED_IN_PASSING)
def test_each_name_of_a_list_in_passing_is_remembered_whole(body, speaker):
    assert speakers(body) == [speaker]


PLURAL_NOUNS_NOT_VERBS = [
    pytest.param(
        "Recent reports have revealed that the defector was questioned for hours.\n"
        '"We will appeal the ruling," said Jo Pell, a lawyer for the family.',
        id="reports-have",
    ),
    pytest.param(
        "Unconfirmed accounts say the convoy turned back at the border.\n"
        '"We will appeal the ruling," said Jo Pell, a lawyer for the family.',
        id="accounts-say",
    ),
]


@pytest.mark.parametrize("body", PLURAL_NOUNS_NOT_VERBS)
def test_a_plural_report_noun_before_a_verb_names_no_source(body):
    story = parse(body)
    assert [s["name"] for s in story["sources"]] == ["Jo Pell"]


ACCORDING_TO_THEN_A_CLAUSE = [
    pytest.param(
        "According to Rathbun, a detective for the county sheriff's office was given the files."
        '\n"He lied about the drives," Rathbun wrote.',
        ("Rathbun", None, None),
        id="clause-after-the-name",
    ),
    pytest.param(
        "According to Jo Pell, a lawyer for the family, the case is weak.\n"
        '"It will fail in court," Pell said.',
        ("Jo Pell", "lawyer", "family"),
        id="apposition-then-clause",
    ),
]


@pytest.mark.parametrize(("body", "source"), ACCORDING_TO_THEN_A_CLAUSE)
def test_according_to_takes_an_apposition_but_not_the_reported_clause(body, source):
    found = [(s["name"], s.get("title"), s.get("affiliation")) for s in parse(body)["sources"]]
    assert found == [source]


SHORT_FORMS_OF_AN_ACTING_INSTITUTION = [
    pytest.param(
        "The Bank of Ghana held its policy rate on Monday.\n"
        "Its committee voted to keep Bank Rate at 27%, the central bank said.\n"
        '"Inflation is still too high to cut," the Bank said.',
        "Bank of Ghana",
        id="bank-and-the-rate-it-sets",
    ),
    pytest.param(
        "The Port Authority of Tema raised fees for the first time in a decade.\n"
        "Shippers will pay the higher Port Dues from May, when Authority Rules change.\n"
        '"Our berths are full every day," the authority said.',
        "Port Authority of Tema",
        id="authority-and-terms-in-passing",
    ),
]


@pytest.mark.parametrize(("body", "speaker"), SHORT_FORMS_OF_AN_ACTING_INSTITUTION)
def test_a_short_form_is_the_institution_that_acted_not_a_term_named_in_passing(body, speaker):
    assert speakers(body) == [speaker]


RANKED_DESCRIPTIONS_OF_A_NAMED_INSTITUTION = [
    pytest.param(
        "The Prado museum in Madrid stayed shut on Monday.\n"
        "The country’s most visited museum said in a statement that it was "
        "“unable to open safely”.",
        "Prado",
        id="museum",
    ),
    pytest.param(
        "Chilean miner Cobre Andino halted shipments on Monday.\n"
        'The world\'s largest copper miner said "output will recover within a week."',
        "Cobre Andino",
        id="miner",
    ),
]


@pytest.mark.parametrize(("body", "speaker"), RANKED_DESCRIPTIONS_OF_A_NAMED_INSTITUTION)
def test_a_ranked_description_is_the_institution_the_story_named(body, speaker):
    assert speakers(body) == [speaker]


INSTITUTIONS_KNOWN_ONLY_BY_NAME = [
    pytest.param(
        "The union said talks had collapsed.\nAndina Lithium said in a statement that it "
        'regretted the decision.\n"Our offer is among the best in the sector," the company said.',
        ["Andina Lithium"],
        id="the-company",
    ),
    pytest.param(
        'Vestra Nordic said sales fell 8%. "Demand will return by spring," it added.',
        ["Vestra Nordic"],
        id="it-added",
    ),
]


@pytest.mark.parametrize(("body", "speakers_"), INSTITUTIONS_KNOWN_ONLY_BY_NAME)
def test_a_name_the_story_calls_it_or_the_company_is_an_institution(body, speakers_):
    story = parse(body)
    assert [q["speaker"] for q in story["quotes"]] == speakers_
    assert {s["name"]: s["kind"] for s in story["sources"]}[speakers_[0]] == "organization"


INSTITUTIONS = [
    pytest.param(
        'The Coast Guard said in a statement that the search would go on.\n"Crews remain on station," the statement said.',
        "Coast Guard",
        id="the-statement",
    ),
    pytest.param(
        'The Federal Grain Board set new quotas on Monday.\n"Stocks are sufficient," the board said.',
        "Federal Grain Board",
        id="the-board",
    ),
    pytest.param(
        "Petrasindo, the state-owned distributor, opened registration.\n"
        '"Registration is free," the company wrote.',
        "Petrasindo",
        id="company-by-description",
    ),
]


@pytest.mark.parametrize(("body", "speaker"), INSTITUTIONS)
def test_institutions_speak_through_statements_and_descriptions(body, speaker):
    assert speakers(body)[-1] == speaker


BARE_QUOTES = [
    pytest.param(
        '"We planted late," said Rui Sousa, a farmer.\n"The rain came too early this year."',
        "Rui Sousa",
        id="continues-previous-quote",
    ),
    pytest.param(
        'Hanna Berg, a nurse, said the ward had been full all week.\n"We sent people home too soon."',
        "Hanna Berg",
        id="continues-paraphrase",
    ),
]


@pytest.mark.parametrize(("body", "speaker"), BARE_QUOTES)
def test_a_paragraph_that_is_only_a_quote_continues_the_voice_before_it(body, speaker):
    assert speakers(body)[-1] == speaker


UNATTRIBUTED = [
    pytest.param(
        'The river rose overnight and the bridge closed.\n"Nobody told us anything about the flood."',
        id="no-one-named-before",
    ),
    pytest.param(
        '"The golf clubs are green and my tap is dry," read a handwritten sign outside a shop.',
        id="words-on-a-sign",
    ),
]


@pytest.mark.parametrize("body", UNATTRIBUTED)
def test_a_quote_nobody_is_named_for_has_no_speaker_and_a_finding(body):
    story = parse(body)
    assert [q["speaker"] for q in story["quotes"]] == [None]
    assert [f["code"] for f in story["flags"]] == ["unattributed-quote"]


NOT_QUOTES = [
    pytest.param('The "Central Asia plus Japan" dialogue meets in May.', id="name-in-quotes"),
    pytest.param('Critics call the tax "dangerous" and "ideological".', id="scare-quotes"),
    pytest.param('Her book "The Charity Trap" sold well.', id="title-in-quotes"),
]


@pytest.mark.parametrize("body", NOT_QUOTES)
def test_names_titles_and_scare_quotes_are_not_quotes(body):
    assert parse(body)["quotes"] == []


def test_british_copy_with_single_quotes():
    body = (
        "LONDON - Ministers met on Tuesday.\n"
        "'We will not be rushed into this,' said Mr Hale, the Home Secretary.\n"
        "'The public's patience is not endless,' he added.\n"
        "Asked about the vote, Ms Kerr said it was 'far too early to say'."
    )
    story = parse(body)
    assert [q["speaker"] for q in story["quotes"]] == ["Hale", "Hale", "Kerr"]
    assert story["quotes"][-1]["kind"] == "partial"
    assert all("'" not in q["text"][:1] for q in story["quotes"])


def test_interview_turns_are_not_quotes_and_the_outlet_is_no_source():
    body = (
        "Nick Bos, of the University of Helsinki, studies ants.\n"
        "Wikinews: What first attracted you to ants?\n"
        'Bos: Their colonies. As one colleague put it, "they are a society in miniature."\n'
        "Wikinews: What is next?"
    )
    story = parse(body)
    assert "Wikinews" not in [s["name"] for s in story["sources"]]
    assert story["subheads"] == []
    assert len(story["paragraphs"]) == 4


INTERVIEWS_THAT_OPEN_WITH_AN_ANSWER = [
    pytest.param(
        "On Saturday, the Review interviewed Tina Marsh, a former captain of the national"
        " team, known as the Gliders.\n"
        "Marsh: The tournament in Canada was a really good one for us.\n"
        "Review: Who plays in that one?\n"
        "Marsh: Mostly club sides from the west, and a few national teams.\n"
        "Review: Was that the year you were captain?",
        ("Tina Marsh", "former captain", "national team"),
        id="answer-first",
    ),
    pytest.param(
        "Ola Berg, who chairs the fishers' association, spoke to the Courier.\n"
        "Courier: How bad is the season?\n"
        "Berg: The worst in thirty years.",
        ("Ola Berg", "chair", "fishers' association"),
        id="question-first",
    ),
]


@pytest.mark.parametrize(("body", "source"), INTERVIEWS_THAT_OPEN_WITH_AN_ANSWER)
def test_the_one_who_answers_is_the_source_and_the_one_who_asks_is_not(body, source):
    story = parse(body)
    found = [(s["name"], s.get("title"), s.get("affiliation")) for s in story["sources"]]
    assert found == [source]


def test_a_subject_described_later_keeps_the_title_it_was_introduced_with():
    story = parse(
        "The Review interviewed Tina Marsh, a former captain of the national team.\n"
        "Marsh, a two-time medal winner, retired after the last Games.\n"
        '"I miss the travel more than the games," Marsh said.'
    )
    source = story["sources"][0]
    assert (source["name"], source["title"]) == ("Tina Marsh", "former captain")


NAMES_WITH_A_LOWER_CASE_PARTICLE = [
    pytest.param(
        "Date farmer Mohamed el-Ouazzani scoops dust from a dry channel.\n"
        '"My father planted these trees, and his father before him," el-Ouazzani told AFP.',
        "Mohamed el-Ouazzani",
        id="surname-alone-later",
    ),
    pytest.param(
        "Saudi businessman Fahad bin Saleh al-Harbi, whose company bought land near Zagora, said"
        " the farms used little water.\n"
        '"We are not taking water from anyone at all," al-Harbi told AFP.',
        "Fahad bin Saleh al-Harbi",
        id="family-name-of-a-long-name",
    ),
    pytest.param(
        "But Youssef el-Amrani, a 29-year-old activist with a local association, said the farms"
        ' drew from the same aquifer.\n"The small farmer watches his well go dry," he said.',
        "Youssef el-Amrani",
        id="after-a-conjunction",
    ),
    pytest.param(
        'Back in his grove, el-Ouazzani points to a young shoot. "The palm is stubborn," he says.',
        "el-Ouazzani",
        id="after-a-short-lead",
    ),
]


@pytest.mark.parametrize(("body", "speaker"), NAMES_WITH_A_LOWER_CASE_PARTICLE)
def test_a_surname_with_a_lower_case_particle_is_a_name(body, speaker):
    assert speakers(body) == [speaker]


def test_a_document_no_institution_stands_behind_is_an_unnamed_source_not_a_finding():
    story = parse(
        "Researchers followed 80,000 adults for seven years.\n"
        '"Even modest increases in daily steps cut the risk," the study found.'
    )
    assert [q["speaker"] for q in story["quotes"]] == ["study"]
    assert story["flags"] == []


def test_a_place_after_an_apposition_and_a_relative_clause_are_not_the_speaker():
    body = (
        "Dana Albright, a nurse from Garland, Texas, who was waiting for a flight at Love Field,"
        ' grumbled: "They will charge us for the air in the cabin next."'
    )
    assert speakers(body) == ["Dana Albright"]


POST_DESCRIPTIONS = [
    pytest.param(
        "Former Gov. Anna Pike met Rep. Tom Hale on Monday.\n"
        '"I got that wrong," the former governor said.',
        "Anna Pike",
        id="former-abbreviated-rank",
    ),
    pytest.param(
        "Prime Minister Ola Berg and the opposition leader, Jo Kett, clashed on Wednesday.\n"
        '"The right honourable lady," the prime minister replied, "forgets her record."',
        "Ola Berg",
        id="two-word-post-split-quote",
    ),
    pytest.param(
        "Sen. Ida Moss, R-Ohio, and Mayor Carl Dunn spoke at the rally.\n"
        '"We will not wait," the senator said.',
        "Ida Moss",
        id="rank-written-out",
    ),
    pytest.param(
        "Claire Vandermeer addressed the rally on Monday.\nThe senator, who has represented"
        ' Michigan since 2017, said her opponent would "sell the Midwest for parts."',
        "Claire Vandermeer",
        id="public-post-of-the-person-written-about",
    ),
    pytest.param(
        'Mayor Carl Dunn opened the session.\n"Nobody told us," the governor said.',
        "governor",
        id="no-holder-stays-unnamed",
    ),
]


@pytest.mark.parametrize(("body", "speaker"), POST_DESCRIPTIONS)
def test_a_definite_post_description_is_the_person_who_holds_the_post(body, speaker):
    assert set(speakers(body)) == {speaker}


UNNAMED_MEMBERS = [
    pytest.param(
        'Aides met on Monday.\n"Every week she asks," one Labour aide said.',
        "one Labour aide",
        id="indefinite-with-party",
    ),
    pytest.param(
        'The talks went on.\n"We will wait for the vote," said a senior Republican aide.',
        "senior Republican aide",
        id="inverted-indefinite",
    ),
    pytest.param(
        "Two people familiar with the matter said the offer stood.\n"
        '"Everything is on the table," one of the people said.',
        "person familiar with the matter",
        id="one-of-the-group",
    ),
    pytest.param(
        'Officials met overnight.\n"No deal yet," one of the officials said.',
        "official",
        id="one-of-the-officials",
    ),
]


@pytest.mark.parametrize(("body", "speaker"), UNNAMED_MEMBERS)
def test_an_unnamed_member_of_a_group_is_an_unnamed_source_not_unattributed(body, speaker):
    story = parse(body)
    assert speakers(body) == [speaker]
    assert [s["kind"] for s in story["sources"]] == ["unnamed"]
    assert not [f for f in story["flags"] if f["code"] == "unattributed-quote"]


PARTICIPLE_ASIDES = [
    pytest.param(
        'Ms Lal, asked about the reports as she left Downing Street, said only: "I am '
        'focused on the waiting lists."',
        "Lal",
        id="asked-with-place",
    ),
    pytest.param(
        'Senator Ida Moss, pressed on the vote by reporters at the Capitol, said: "We will '
        'not wait for the House."',
        "Ida Moss",
        id="pressed",
    ),
]


@pytest.mark.parametrize(("body", "speaker"), PARTICIPLE_ASIDES)
def test_a_participles_aside_between_subject_and_verb_is_not_the_speaker(body, speaker):
    assert speakers(body) == [speaker]


TAGS_AND_POSTS_AROUND_A_NAME = [
    pytest.param(
        "Sen. Walt Hennings, R-Kan., the party's No. 2 leader, told reporters that he "
        'expected "a handful of our members to come around once they read it."',
        "Walt Hennings",
        id="party-state-tag-then-apposition",
    ),
    pytest.param(
        '"Members will calm down or leave the chamber," said the Speaker, Sir Malcolm Tewkes.',
        "Malcolm Tewkes",
        id="capitalised-post-before-the-name",
    ),
    pytest.param(
        "Prime Minister Ola Berg spoke first.\n"
        '"We will build the hospital this year," the Prime Minister said.',
        "Ola Berg",
        id="capitalised-post-description",
    ),
    pytest.param(
        'One Labour MP, who asked not to be named, said: "The mood in the tea room is not '
        'great at all."',
        "One Labour MP",
        id="indefinite-with-acronym-post",
    ),
]


@pytest.mark.parametrize(("body", "speaker"), TAGS_AND_POSTS_AROUND_A_NAME)
def test_tags_and_posts_around_a_name_leave_the_speaker_whole(body, speaker):
    assert speakers(body) == [speaker]


RELATIVE_CLAUSES_AND_JOINED_APPOSITIONS = [
    pytest.param(
        "Democrats voted for their leader, Representative Yvonne Parrish of California, who "
        'called the standoff "a circus with no ringmaster."',
        "Yvonne Parrish",
        id="partial-quote-in-relative-clause",
    ),
    pytest.param(
        "The debate was halted by the chair, Sir Malcolm Tewkes, who warned members "
        'to "calm down or leave the chamber."',
        "Malcolm Tewkes",
        id="post-then-name-then-who",
    ),
    pytest.param(
        "Sen. Curtis Lamb, R-Idaho, who voted against the measure, called it "
        '"a blank check written on our grandchildren\'s account."',
        "Curtis Lamb",
        id="party-tag-before-who",
    ),
    pytest.param(
        "Tomasz Wright, the Reform UK MP for Hartfell and the party's deputy leader, "
        'predicted that Reform would "win seats in places Labour has held for a century."',
        "Tomasz Wright",
        id="two-posts-joined-by-and",
    ),
]


@pytest.mark.parametrize(("body", "speaker"), RELATIVE_CLAUSES_AND_JOINED_APPOSITIONS)
def test_the_speaker_of_a_relative_clause_is_the_name_it_follows(body, speaker):
    assert speakers(body) == [speaker]


COURT_BENCHES = [
    pytest.param(
        "A three-judge panel of the U.S. District Court in Tarn struck down the map.\n"
        '"The Legislature was free to pursue advantage," the majority wrote.',
        "U.S. District Court",
        id="majority",
    ),
    pytest.param(
        "The Federal Court of Appeal ruled on Monday.\n"
        'The judges wrote that the law "went far beyond what the constitution allows."',
        "Federal Court of Appeal",
        id="judges",
    ),
    pytest.param(
        'The committee met.\n"We were not persuaded by the evidence," the panel said.',
        "panel",
        id="no-court-stays-unnamed",
    ),
]


@pytest.mark.parametrize(("body", "speaker"), COURT_BENCHES)
def test_a_courts_judges_as_a_body_are_the_court(body, speaker):
    assert speakers(body) == [speaker]


REPRESENTATIVES = [
    pytest.param(
        "Gov. Thomas Greer cut the routes.\n"
        'A spokeswoman for Gov. Thomas Greer said the changes were "a redesign, not a cut."',
        "Greer spokeswoman",
        id="for-a-person",
    ),
    pytest.param(
        "The Tarn Ferry Company cancelled 40 sailings.\n"
        'A spokesperson for the company said: "We apologise unreservedly to islanders."',
        "Tarn Ferry Company spokesperson",
        id="for-the-company-named-before",
    ),
    pytest.param(
        '"We will appeal the ruling," an attorney for the Tarn Water Board said.',
        "Tarn Water Board attorney",
        id="for-a-named-organisation",
    ),
]


@pytest.mark.parametrize(("body", "speaker"), REPRESENTATIVES)
def test_someone_unnamed_speaking_for_another_is_named_after_them(body, speaker):
    story = parse(body)
    assert speakers(body) == [speaker]
    assert [s["kind"] for s in story["sources"] if s["name"] == speaker] == ["unnamed"]


def test_a_relative_clause_after_a_presentational_clause_goes_to_the_name():
    body = (
        "Among them was Ruth Pellegrini, 71, a retired schoolteacher from Dundalk, who said "
        '"I have never been arrested in my life."'
    )
    assert speakers(body) == ["Ruth Pellegrini"]


ANONYMOUS_ASIDES = [
    pytest.param(
        "A former colleague of the peer, who asked not to be named, said he had "
        '"always been careful to stay on the right side of the line."',
        "former colleague",
        id="relative-aside-and-of-phrase",
    ),
    pytest.param(
        "A senior official at the Department of Public Works, who spoke on condition of "
        'anonymity, said the bridges were "being watched around the clock."',
        "senior official",
        id="official-at-a-named-department",
    ),
]


@pytest.mark.parametrize(("body", "speaker"), ANONYMOUS_ASIDES)
def test_an_anonymous_source_is_named_by_the_head_of_the_description(body, speaker):
    story = parse(body)
    assert speakers(body) == [speaker]
    assert [s["kind"] for s in story["sources"]] == ["unnamed"]


def test_an_inverted_speaker_with_a_long_relative_clause_keeps_the_name():
    body = (
        '"Rent caps have been tried for 80 years, and they have failed every time," said '
        "Warren Tisdale, president of the Real Estate Council of New York, which represents "
        "about 400 property owners and managers across the state and lobbied heavily against "
        "the bill."
    )
    assert speakers(body) == ["Warren Tisdale"]


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        pytest.param(
            "Foreign ministers vowed on Tuesday to step up patrols, two days after a cable was "
            'cut in what Estonian officials called "very likely a deliberate act".',
            "Estonian officials",
            id="group-after-a-speech-verb",
        ),
        pytest.param(
            'The plan drew what Mayor Jo Pell described as "a flood of complaints" on Monday.',
            "Jo Pell",
            id="described-as",
        ),
    ],
)
def test_what_someone_called_a_thing_is_theirs(body, speaker):
    assert speakers(body) == [speaker]


def test_a_quote_after_two_verbs_joined_by_and_goes_to_their_subject():
    body = (
        "The Tarn Farmers Union, the largest farm lobby in Brussels, said in a statement that it "
        'welcomed the draft and urged the Commission to "move quickly, before the spring '
        'planting season."'
    )
    assert speakers(body) == ["Tarn Farmers Union"]


def test_a_presentational_among_clause_is_not_the_subject():
    body = (
        "Police arrested 23 people.\n"
        "Among them was Ruth Pellegrini, 71, a retired schoolteacher from Dundalk, who said "
        'she had ridden the bus for three decades. "I have never been arrested in my life," '
        "she said."
    )
    assert speakers(body) == ["Ruth Pellegrini"]


EPITHETS = [
    pytest.param(
        "Garrett Voss, the Republican nominee, held a town hall in Michigan on Wednesday.\n"
        '"I have built things my whole life," the former Indiana governor told voters.',
        "Garrett Voss",
        id="place-and-post-of-the-person-written-about",
    ),
    pytest.param(
        "New Mexico Gov. Luis Arrieta spoke first. Garrett Voss, a former governor of Indiana,"
        " spoke next.\nArrieta left early.\n"
        '"We will carry this state," the former Indiana governor said.',
        "Garrett Voss",
        id="place-picks-the-holder-among-two-governors",
    ),
    pytest.param(
        "Sen. Beau Landry, R-La., went on television on Monday to press for a second debate.\n"
        '"Show up and make your case to the people," the Louisiana Republican said.',
        "Beau Landry",
        id="place-and-party",
    ),
    pytest.param(
        "Claire Vandermeer, a Democrat, spoke to a crowd in Saginaw.\n"
        '"I was 11 years old when the plant closed," the Democratic presidential nominee said.',
        "Claire Vandermeer",
        id="party-adjective-and-role",
    ),
    pytest.param(
        "Wade Pritchard toured Iowa on Saturday. Pritchard told voters he had changed.\n"
        "Annette Bergeron, a Republican pollster, said the tour could help.\n"
        'A senior adviser was blunter. "Ask me again in three weeks," the adviser said.\n'
        "By evening, the former governor had drifted back to familiar material."
        ' "I promised my staff I would be nice," he said.',
        "Wade Pritchard",
        id="a-pollster-is-no-former-governor",
    ),
    pytest.param(
        "The shadow chancellor, Sir Nigel Ashworth, said the decision was wrong.\n"
        '"Families were promised lower bills," the Conservative MP told the BBC.',
        "Nigel Ashworth",
        id="public-posts-go-together",
    ),
    pytest.param(
        "Brendan Szymanski, a political scientist, watched the rally.\n"
        "Miriam Hale spoke for an hour. Hale, a senator from Ohio, read the posts aloud.\n"
        '"She wants to hear what Hale will do," Szymanski said.\n'
        'The Ohio senator did get to that. She promised to "lift the cap" on payroll taxes.',
        "Miriam Hale",
        id="a-political-scientist-is-no-senator",
    ),
]


@pytest.mark.parametrize(("body", "speaker"), EPITHETS)
def test_an_epithet_is_the_person_the_story_named(body, speaker):
    assert speakers(body)[-1] == speaker


def test_a_capitalised_party_word_alone_is_no_epithet():
    body = (
        "Nick Bos, a biologist, studies ants in Finland.\n"
        '"Self-medicating ants are a first among insects," the Independent reported.'
    )
    assert speakers(body)[-1] != "Nick Bos"


UNNAMED_SOURCES_POINTED_BACK_TO = [
    pytest.param(
        "But a person briefed on the whip count said leaders might wait.\n"
        '"Nobody wants a failed vote on the floor," the person said.',
        "person briefed on the whip count",
        id="the-person",
    ),
    pytest.param(
        '"If we lose Pennsylvania, nobody is going to remember the memo," said a Republican'
        " strategist close to the campaign.",
        "Republican strategist close to the campaign",
        id="close-to-keeps-its-article",
    ),
    pytest.param(
        "A senior aide involved in the talks said the offer stood.\n"
        '"We are not moving on price," the aide said.',
        "senior aide involved in the talks",
        id="the-aide",
    ),
]


@pytest.mark.parametrize(("body", "speaker"), UNNAMED_SOURCES_POINTED_BACK_TO)
def test_an_unnamed_source_keeps_what_it_knows_and_is_the_one_pointed_back_to(body, speaker):
    assert speakers(body)[-1] == speaker


CAMPAIGNS = [
    pytest.param(
        "Garrett Voss spoke in Erie on Monday.\n"
        'The Voss campaign said in a statement that it "follows the law to the letter."',
        "Voss campaign",
        id="the-x-campaign",
    ),
    pytest.param(
        '"We are grateful to every senator on the road," the Hale campaign said.',
        "Hale campaign",
        id="inverted",
    ),
    pytest.param(
        '"We will win Ohio by ten points," the Harmon re-election campaign said.',
        "Harmon campaign",
        id="re-election-campaign",
    ),
    pytest.param(
        "Tessa Harmon is running for the Senate.\nHarmon's campaign stood by the ad."
        ' "Brock Dunleavy said what he said," the campaign said in a statement.',
        "Harmon campaign",
        id="possessive-then-the-campaign",
    ),
]


@pytest.mark.parametrize(("body", "speaker"), CAMPAIGNS)
def test_a_candidates_campaign_speaks_as_an_organisation(body, speaker):
    story = parse(body)
    assert story["quotes"][-1]["speaker"] == speaker
    assert {"name": speaker} in [{"name": s["name"]} for s in story["sources"]]


POLLS = [
    pytest.param(
        "Corbett trails Whitlow by 6 points, according to a poll released last week by the"
        " Peachtree Polling Group.",
        "Peachtree Polling Group",
        id="according-to-a-poll-by",
    ),
    pytest.param(
        "A Bayard-Lowe Research survey of debate watchers found 49% thought Vandermeer had won.",
        "Bayard-Lowe Research",
        id="name-before-survey",
    ),
    pytest.param(
        "The survey of 2,104 adults by Meridian Research put Labour on 29%.",
        "Meridian Research",
        id="survey-of-adults-by",
    ),
    pytest.param(
        "The race is tied, according to a new Yahoo News/Bellwether Analytics poll.",
        "Bellwether Analytics",
        id="sponsor-slash-pollster",
    ),
    pytest.param(
        "Hale holds a narrow edge in North Carolina, 48% to 46%, in a Tar Heel Research poll"
        " released Monday.",
        "Tar Heel Research",
        id="in-a-poll",
    ),
]


@pytest.mark.parametrize(("body", "pollster"), POLLS)
def test_the_organisation_whose_poll_is_reported_is_a_source(body, pollster):
    names = [s["name"] for s in parse(body)["sources"]]
    assert pollster in names
    assert not [n for n in names if "/" in n or n.startswith(("Yahoo", "Monday"))]


def test_a_state_after_a_place_in_a_leading_phrase_is_no_speaker():
    body = (
        "Wade Pritchard has tried to play down the split. At a fundraiser in Naples, Fla., on"
        ' Wednesday, he joked that his advisers "fight like my kids at Thanksgiving."'
    )
    assert speakers(body) == ["Wade Pritchard"]


def test_a_chant_in_quotation_marks_gives_no_name():
    body = (
        "Claire Vandermeer spoke for an hour.\n"
        'The crowd roared back "Claire! Claire!" for nearly a minute.'
    )
    assert not [s for s in parse(body)["sources"] if "!" in s["name"]]


def test_a_quote_before_a_coordinated_clause_belongs_to_the_first_clauses_speaker():
    body = (
        "Senate Majority Leader Howard Pell (D-Del.) said in a statement that the effort was"
        ' "the biggest surrogate operation this caucus has ever run," and Sen. Gwen'
        " Abernathy-Ruiz (D-Wis.) said she had cleared her schedule."
    )
    assert speakers(body) == ["Howard Pell"]


AGES_BEFORE_A_POST = [
    pytest.param(
        'Wade Sorrel, the 73-year-old former governor of Tennessee, said: "I know what '
        'things cost." Asked about his age, the 73-year-old said: "Ask my doctor."',
        "former governor",
        id="apposition",
    ),
    pytest.param(
        '"We lost the boats," said Ana Ruiz, a 58-year-old fisher. "All of them," the '
        "58-year-old added.",
        "fisher",
        id="indefinite-apposition",
    ),
]


@pytest.mark.parametrize(("body", "title"), AGES_BEFORE_A_POST)
def test_an_age_describes_the_person_not_the_post(body, title):
    story = parse(body)
    [source] = story["sources"]
    assert source["title"] == title
    # the age still finds the person when the story calls them by it alone
    assert {q["speaker"] for q in story["quotes"]} == {source["name"]}


POSTS_AFTER_A_LEADING_ADVERBIAL = [
    pytest.param(
        'The shadow chancellor, Sir Nigel Ashdown, said it showed "a loss of control".\n'
        "Later on Thursday the shadow business secretary, Sir Nigel Ashdown, wrote in a "
        'post on X that "businesses are being strangled".',
        "Nigel Ashdown",
        "shadow business secretary",
        id="time-adverbial-then-post",
    ),
    pytest.param(
        'Finance Minister Ines Vale said the budget was "ready".\n'
        'On Tuesday the country\'s foreign minister, Ines Vale, said: "Talks go on."',
        "Ines Vale",
        "foreign minister",
        id="day-then-possessive-post",
    ),
]


@pytest.mark.parametrize(("body", "name", "later_post"), POSTS_AFTER_A_LEADING_ADVERBIAL)
def test_a_post_after_a_leading_adverbial_is_the_named_persons(body, name, later_post):
    story = parse(body)
    [conflict] = [f for f in story["flags"] if f["code"] == "title-conflict"]
    assert conflict["subject"] == name
    assert later_post in conflict["message"]


@pytest.mark.parametrize(
    "body",
    [
        'After the talks with the finance minister, Dana Brandt said: "We are nowhere."',
        'With the finance minister, Dana Brandt, said: "We are nowhere."',
    ],
)
def test_a_post_inside_a_leading_phrase_is_not_the_next_names(body):
    story = parse(body)
    assert [(s["name"], s["title"]) for s in story["sources"]] == [("Dana Brandt", None)]
