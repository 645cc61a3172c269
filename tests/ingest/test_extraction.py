"""Quotes, speakers and sources, one wire convention per test."""

from __future__ import annotations

from sources.quotes import find_spans, is_quote


def test_said_after_quote_with_appositive(parse, speaker_of, source_named):
    story = parse(
        "Headline\nTOKYO — Text.\n"
        "“The visit signals a change in the region,” said Koichi Nakano, a political "
        "science professor at Sophia University.\n"
        "“But it will take years,” he told VOA.\n"
    )
    assert speaker_of(story, "The visit signals") == "Koichi Nakano"
    assert speaker_of(story, "But it will take") == "Koichi Nakano"
    nakano = source_named(story, "Koichi Nakano")
    assert (nakano["title"], nakano["affiliation"]) == (
        "political science professor",
        "Sophia University",
    )


def test_surname_after_quote_and_alias(parse, speaker_of, source_named):
    story = parse(
        "Headline\nKYIV — Text.\n"
        "Serhiy Hnatyuk, head of the Izmail port authority, said the terminal was hit.\n"
        '"Every berth we lose pushes cargo onto the roads," Hnatyuk said. "The farmers pay."\n'
    )
    assert speaker_of(story, "Every berth") == "Serhiy Hnatyuk"
    assert speaker_of(story, "The farmers pay") == "Serhiy Hnatyuk"
    assert source_named(story, "Serhiy Hnatyuk")["aliases"] == ["Hnatyuk"]


def test_colon_introduced_quote(parse, speaker_of, source_named):
    story = parse(
        "Headline\nJAKARTA — Text.\n"
        "Nusantara Capital economist Rizal Hakim said the quota was set high.\n"
        "Hakim put it this way: “The people who ride motorbikes are the voters.”\n"
    )
    assert speaker_of(story, "The people who ride") == "Rizal Hakim"
    hakim = source_named(story, "Rizal Hakim")
    assert (hakim["title"], hakim["affiliation"]) == ("economist", "Nusantara Capital")


def test_prefix_titles(parse, source_named):
    story = parse(
        "Headline\nMOSCOW — Text.\n"
        "Russian Foreign Ministry spokeswoman Maria Zakharova said the summit was a mistake.\n"
        "Professor Takeshi Nojima of Daito Bunka University said Japan had goodwill.\n"
        "Deputy Agriculture Minister Olha Marchenko said Kyiv would ask insurers.\n"
    )
    assert source_named(story, "Maria Zakharova")["affiliation"] == "Russian Foreign Ministry"
    assert source_named(story, "Maria Zakharova")["title"] == "spokeswoman"
    assert source_named(story, "Takeshi Nojima")["affiliation"] == "Daito Bunka University"
    assert source_named(story, "Olha Marchenko")["title"] == "Deputy Agriculture Minister"


def test_pronoun_resolves_to_last_person_attributed(parse, speaker_of, source_named):
    story = parse(
        "Headline\nLIMA — Text.\n"
        "Javier Salinas, Peru's deputy minister for mining, said talks would start.\n"
        "Rosa Condori, president of the community, said the road was closed.\n"
        '"We will not wait," she said.\n'
        '"The state will guarantee transit," he said.\n'
    )
    assert speaker_of(story, "We will not wait") == "Rosa Condori"
    assert speaker_of(story, "The state will") == "Javier Salinas"
    salinas = source_named(story, "Javier Salinas")
    assert (salinas["title"], salinas["affiliation"]) == ("deputy minister for mining", "Peru")


def test_organisation_resolved_from_the_ministry(parse, speaker_of, source_named):
    story = parse(
        "Headline\nDHAKA — Text.\n"
        "The Home Ministry said investigations were under way.\n"
        "“Anyone found responsible will face the law,” the ministry said in a statement.\n"
    )
    assert speaker_of(story, "Anyone found") == "Home Ministry"
    assert source_named(story, "Home Ministry")["kind"] == "organization"


def test_according_to_a_statement(parse, speaker_of):
    story = parse(
        "Headline\nNAIROBI — Text.\n"
        "The Arid Lands Water Authority, which will manage the fund, said wells would be dug. "
        "“Every shilling will be published online,” according to a statement from the authority.\n"
    )
    assert speaker_of(story, "Every shilling") == "Arid Lands Water Authority"


def test_bare_quote_paragraph_continues_previous_speaker(parse, speaker_of):
    story = parse(
        "Headline\nGENEVA — Text.\n"
        "“We are confident in our partners,” she said, according to Maria Zakharova's office.\n"
        "“We are asking for money now,” said Ilse Marten, the office's deputy director.\n"
        "“December is too late for a harvest that fails in August.”\n"
    )
    assert speaker_of(story, "December is too late") == "Ilse Marten"


def test_bare_quote_with_nobody_before_is_unattributed(parse, speaker_of):
    story = parse(
        'Headline\nKyiv –\nA strike hit the port.\n"The fire burned until morning. We heard it."\n'
    )
    assert speaker_of(story, "The fire burned") is None
    assert any(f["code"] == "unattributed-quote" for f in story["flags"])


def test_quote_running_over_paragraphs_takes_speaker_where_it_ends(parse, speaker_of):
    story = parse(
        "Headline\nNAIROBI — Text.\n"
        "The authority said 400 boreholes would be drilled.\n"
        "“We have been here before. Each time the boreholes are announced.\n"
        "“A levy is only as good as the maintenance plan behind it,” Peter Njoroge, a fellow "
        "at the Horn Policy Institute, told VOA.\n"
    )
    assert speaker_of(story, "We have been here") == "Peter Njoroge"
    assert speaker_of(story, "A levy is only") == "Peter Njoroge"
    assert not any(f["code"] == "unclosed-quote" for f in story["flags"])


def test_two_spans_around_attribution_are_two_quotes(parse):
    story = parse(
        "Headline\nJAKARTA — Text.\n"
        "“If the quota applies to me the same as to a man who drives to his office,” said "
        "Yusuf Hidayat, chairman of the Jakarta Online Drivers Association, “then I will be "
        "paying market price.”\n"
    )
    texts = [q["text"] for q in story["quotes"]]
    assert len(texts) == 2
    assert {q["speaker"] for q in story["quotes"]} == {"Yusuf Hidayat"}


def test_partial_quote_takes_the_sentence_speaker(parse, source_named):
    story = parse(
        "Headline\nNAIROBI — Text.\n"
        "Highland Springs, the country’s largest bottler, said in a statement that it would "
        "pass the cost on and called the levy “a hidden tax on households that already pay "
        "too much for clean water.”\n"
    )
    (quote,) = story["quotes"]
    assert (quote["kind"], quote["speaker"]) == ("partial", "Highland Springs")
    assert source_named(story, "Highland Springs")["kind"] == "organization"


def test_names_and_scare_quotes_are_not_quotes():
    cases = [
        ("a regional framework called the “Central Asia plus Japan Dialogue.”", False),
        ("a program the government calls “Maji Salama,” Swahili for “safe water.”", False),
        ("the book “The Charity Trap” examines aid", False),
        ("what aid workers call “prioritization.”", False),
        ("official estimates of “leakage” are too low", False),
        ("the so-called “social license” had become fragile", False),
        ("called the levy “a hidden tax on households that already pay too much.”", True),
        ("“Never,” she said.", True),
    ]
    for text, expected in cases:
        spans = find_spans(text)
        assert any(is_quote(text, s) for s in spans) is expected, text


def test_nested_single_quotes_stay_inside(parse):
    story = parse(
        "Headline\nLIMA — Text.\n"
        "\"They call it 'a new proposal,' but it is the old promise,\" said Rosa Condori, "
        "president of the community.\n"
    )
    (quote,) = story["quotes"]
    assert quote["text"].startswith("They call it 'a new proposal,' but")


def test_guillemets_and_unnamed_sources(parse, speaker_of):
    story = parse(
        "Headline\nBERLIN — Text.\n"
        "A senior official, who spoke on condition of anonymity, said talks had stalled.\n"
        "«We expect demand to return, but not before spring,» a company spokesperson said.\n"
    )
    assert speaker_of(story, "We expect demand") == "company spokesperson"
    kinds = {s["name"]: s["kind"] for s in story["sources"]}
    assert kinds == {"senior official": "unnamed", "company spokesperson": "unnamed"}


def test_people_only_mentioned_are_not_sources(parse):
    story = parse(
        "Headline\nASTANA — Text.\n"
        "Energy Minister Hendra Kusuma is expected to present the plan next week.\n"
        "“This is a good plan,” said Anders Ko, publisher of the Journal of Political Risk.\n"
    )
    assert [s["name"] for s in story["sources"]] == ["Anders Ko"]


def test_name_variant_is_merged_into_one_source(parse, source_named):
    story = parse(
        "Headline\nASTANA — Text.\n"
        "Anders Ko, publisher of the Journal of Political Risk, said the summit helped.\n"
        "Koh also said democracies needed to act.\n"
    )
    assert [s["name"] for s in story["sources"]] == ["Anders Ko"]
    assert "Koh" in source_named(story, "Anders Ko")["aliases"]
    assert any(f["code"] == "name-variant" and f["subject"] == "Anders Ko" for f in story["flags"])


def test_family_name_first_and_script_in_parentheses(parse, speaker_of, source_named):
    story = parse(
        "Headline\nSEOUL — Text.\n"
        "Wang Wei (王伟), an analyst at Huaxin Research, said buyers were stockpiling.\n"
        "“It is panic buying,” Wang told VOA.\n"
    )
    assert speaker_of(story, "It is panic buying") == "Wang Wei"
    assert source_named(story, "Wang Wei")["title"] == "analyst"
