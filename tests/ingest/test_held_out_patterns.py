"""Attribution patterns from wire copy written by other hands: misspelled surnames,
uncommon titles, appositives before any verb, organisation names with "and" or commas."""

from __future__ import annotations

from sources.registry import is_variant_spelling, sound_key


def _flags(story: dict, code: str) -> list[str]:
    return [f["subject"] for f in story["flags"] if f["code"] == code]


def test_variant_spellings_by_sound_and_swapped_letters():
    assert is_variant_spelling("Qadir", "Kadir")
    assert is_variant_spelling("Vinh", "Vihn")
    assert is_variant_spelling("Quiambao", "Kiambao")
    assert is_variant_spelling("Philips", "Filips")
    assert sound_key("Mathew") == sound_key("Matthew")
    assert not is_variant_spelling("Kim", "Lee")
    assert not is_variant_spelling("Hong", "Tuan")


def test_misspelled_surname_with_other_first_letter_is_the_person(parse, speaker_of):
    story = parse(
        "Headline\nKARACHI — Text.\n"
        "Ayesha Qadir, an economist at Kestrel Bank, said prices rose.\n"
        "“Prices will rise again,” Kadir said in an interview.\n"
    )
    assert speaker_of(story, "Prices will rise") == "Ayesha Qadir"
    assert [s["name"] for s in story["sources"]] == ["Ayesha Qadir"]
    assert _flags(story, "name-variant") == ["Ayesha Qadir"]


def test_swapped_letters_in_a_short_given_name(parse, speaker_of):
    story = parse(
        "Headline\nHANOI — Text.\n"
        "Le Quang Vinh, the association's general secretary, said deals were signed.\n"
        "“Buyers want certainty,” Vihn said.\n"
    )
    assert speaker_of(story, "Buyers want") == "Le Quang Vinh"
    assert _flags(story, "name-variant") == ["Le Quang Vinh"]


def test_single_unknown_word_speaker_is_a_person(parse, source_named):
    story = parse("Headline\nLIMA — Text.\n“We will not move,” Quispe said.\n")
    assert source_named(story, "Quispe")["kind"] == "person"


def test_bare_quote_does_not_continue_an_unnamed_paraphrase(parse, speaker_of):
    story = parse(
        "Headline\nMANILA — Text.\n"
        "“Prices will fall,” Ana Cruz said.\n"
        "Customs officials said Sunday that permits would be checked.\n"
        "“We will not allow the warehouses to be flooded.”\n"
    )
    assert speaker_of(story, "We will not allow") is None
    assert _flags(story, "unattributed-quote")


def test_bare_quote_continues_the_quote_just_before(parse, speaker_of):
    story = parse(
        "Headline\nMANILA — Text.\n"
        "“Prices will fall,” Ana Cruz, a trader, said.\n"
        "“And they will stay low.”\n"
    )
    assert speaker_of(story, "And they will") == "Ana Cruz"


def test_uncommon_title_words_before_a_name(parse, source_named):
    story = parse(
        "Headline\nMANILA — Text.\n"
        "Agriculture Undersecretary Celia Ramos said prices would fall.\n"
        "Deputy Harbourmaster Paul Kwan said two ships turned back.\n"
    )
    assert "Undersecretary" in source_named(story, "Celia Ramos")["title"]
    assert "Harbourmaster" in source_named(story, "Paul Kwan")["title"]


def test_title_conflict_still_raised_for_an_uncommon_title(parse):
    story = parse(
        "Headline\nMANILA — Text.\n"
        "Agriculture Undersecretary Celia Ramos said prices would fall.\n"
        "Agriculture Secretary Celia Ramos said later that prices would rise.\n"
    )
    assert _flags(story, "title-conflict") == ["Celia Ramos"]


def test_appositive_before_any_verb(parse, source_named):
    story = parse(
        "Headline\nMONTREAL — Text.\n"
        "Luc Bergeron, the Montreal Board of Trade's chief economist, estimated that it cost "
        "millions.\n"
        "Geneviève Roy, Quebec's transport minister, called the walkout “a failure of both "
        "sides to take their responsibilities seriously.”\n"
        "“Every day counts,” Bergeron said.\n"
    )
    bergeron, roy = source_named(story, "Luc Bergeron"), source_named(story, "Geneviève Roy")
    assert (bergeron["title"], bergeron["affiliation"]) == (
        "chief economist",
        "Montreal Board of Trade",
    )
    assert (roy["title"], roy["affiliation"]) == ("transport minister", "Quebec")


def test_who_heads_and_who_chairs(parse, source_named):
    story = parse(
        "Headline\nHANOI — Text.\n"
        "Pham Minh Chau, who chairs the Mekong Delta Rice Growers Cooperative, said farmers lost.\n"
        "Martin Lapointe, who heads the Longshore Workers Union Local 375, said members struck.\n"
    )
    chau, lapointe = source_named(story, "Pham Minh Chau"), source_named(story, "Martin Lapointe")
    assert (chau["title"], chau["affiliation"]) == (
        "chair",
        "Mekong Delta Rice Growers Cooperative",
    )
    assert (lapointe["title"], lapointe["affiliation"]) == (
        "head",
        "Longshore Workers Union Local 375",
    )


def test_organisation_kind_noun_refers_back(parse, source_named):
    story = parse(
        "Headline\nNAIROBI — Text.\n"
        "The Kenya National Union of Teachers said members would stay out.\n"
        "Peter Mwangi, the union's general secretary, said the strike would go on.\n"
    )
    mwangi = source_named(story, "Peter Mwangi")
    assert (mwangi["title"], mwangi["affiliation"]) == (
        "general secretary",
        "Kenya National Union of Teachers",
    )


def test_place_before_mayor_or_governor(parse, source_named):
    story = parse(
        "Headline\nSANTIAGO — Text.\n"
        "Valparaíso Mayor Camila Nieto said the fires were out.\n"
        "Nairobi County Governor Johnson Sakaja said the budget was tight.\n"
        "Foreign Minister Ana Soto said talks would go on.\n"
    )
    nieto, sakaja = source_named(story, "Camila Nieto"), source_named(story, "Johnson Sakaja")
    assert (nieto["title"], nieto["affiliation"]) == ("Mayor", "Valparaíso")
    assert (sakaja["title"], sakaja["affiliation"]) == ("Governor", "Nairobi County")
    assert source_named(story, "Ana Soto")["title"] == "Foreign Minister"


def test_organisation_names_with_and_or_commas_are_not_cut(parse, speaker_of):
    story = parse(
        "Headline\nLAGOS — Text.\n"
        "The Lagos Chamber of Commerce and Industry warned that costs were rising.\n"
        "“We cannot go on like this,” the chamber said.\n"
        "Norway's Ministry of Trade, Industry and Fisheries said exports fell.\n"
    )
    names = [s["name"] for s in story["sources"]]
    assert names == [
        "Lagos Chamber of Commerce and Industry",
        "Norway's Ministry of Trade, Industry and Fisheries",
    ]
    assert speaker_of(story, "We cannot go on") == "Lagos Chamber of Commerce and Industry"
    assert all(s["kind"] == "organization" for s in story["sources"])


def test_organisation_name_stops_at_the_verb(parse, speaker_of):
    story = parse(
        "Headline\nMANILA — Text.\n"
        "The Federation of Free Farmers called the tariff cut “a betrayal of every farmer "
        "who planted this season.”\n"
        "The Coalition for Clean Air criticized the plan as “a gift to the polluters of "
        "this city.”\n"
    )
    assert speaker_of(story, "a betrayal") == "Federation of Free Farmers"
    assert speaker_of(story, "a gift to") == "Coalition for Clean Air"


def test_no_affiliation_from_lowercase_tails(parse, source_named):
    story = parse(
        "Headline\nNAIROBI — Text.\n"
        "Amina Yusuf, who has worked at the camp since it opened, said food was short.\n"
        "John Mbeki, a teacher in the village for 30 years, said the school was closed.\n"
        "Sarah Okoth, a researcher at the Centre for Extractive Governance, said revenue fell.\n"
    )
    assert source_named(story, "Amina Yusuf")["affiliation"] is None
    assert source_named(story, "John Mbeki")["affiliation"] is None
    okoth = source_named(story, "Sarah Okoth")
    assert okoth["affiliation"] == "Centre for Extractive Governance"


def test_short_name_resolves_to_an_earlier_full_mention(parse, speaker_of, source_named):
    story = parse(
        "Headline\nHANOI — Text.\n"
        "Families fled. Tran Thi Hong watched the water rise.\n"
        "“We lost everything,” said Hong, a rice farmer.\n"
    )
    assert speaker_of(story, "We lost everything") == "Tran Thi Hong"
    assert source_named(story, "Tran Thi Hong")["title"] == "rice farmer"
