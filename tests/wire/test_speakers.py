"""Speaker phrases read into name, title and affiliation, one table per kind of phrase."""

from __future__ import annotations

import pytest

from wire.speakers import analyse

TITLES_BEFORE_THE_NAME = [
    pytest.param(
        "NASA Administrator Jo Pell", "Jo Pell", "Administrator", "NASA", id="acronym-org"
    ),
    pytest.param("Deputy Mayor Hana Kato", "Hana Kato", "Deputy Mayor", None, id="two-word-title"),
    pytest.param(
        "Transport Minister Lena Holm", "Lena Holm", "Transport Minister", None, id="portfolio"
    ),
    pytest.param("US President Barack Obama", "Barack Obama", "President", "US", id="country"),
    pytest.param(
        "Tunisia's coach Nabil Maaloul", "Nabil Maaloul", "coach", "Tunisia", id="possessive"
    ),
    pytest.param(
        "Russian Foreign Ministry spokeswoman Maria Zakharova",
        "Maria Zakharova",
        "spokeswoman",
        "Russian Foreign Ministry",
        id="ministry-then-post",
    ),
    pytest.param(
        "Minister of Education Stefania Giannini",
        "Stefania Giannini",
        "Minister",
        "Education",
        id="title-of-org-name",
    ),
    pytest.param(
        "Professor Helen Strauss of Northwestern University",
        "Helen Strauss",
        "Professor",
        "Northwestern University",
        id="name-then-of-org",
    ),
    pytest.param("Homeowner Peter Schulz", "Peter Schulz", "Homeowner", None, id="role-noun"),
]


@pytest.mark.parametrize(("phrase", "name", "title", "affiliation"), TITLES_BEFORE_THE_NAME)
def test_title_before_the_name_is_a_title(phrase, name, title, affiliation):
    mention = analyse(phrase)
    assert (mention.name, mention.title, mention.affiliation) == (name, title, affiliation)
    assert mention.kind == "person"


APPOSITIONS = [
    pytest.param("Kofi Mensah, a boat owner", "boat owner", None, id="role"),
    pytest.param(
        "Mara Lind, a lecturer at Tarn University, Northfield",
        "lecturer",
        "Tarn University",
        id="place-dropped",
    ),
    pytest.param(
        "Hana Kato, an analyst at Danube Ridge Capital in Vienna",
        "analyst",
        "Danube Ridge Capital",
        id="org-in-place",
    ),
    pytest.param(
        "Rosa Vail, who chairs the residents' group",
        "chair",
        "residents' group",
        id="relative-clause",
    ),
    pytest.param(
        "Luc Bergeron, the Montreal Board of Trade's chief economist",
        "chief economist",
        "Montreal Board of Trade",
        id="possessive-org",
    ),
    pytest.param(
        "Kim Soo-hyun, 41, owner of a small supplier", "owner", "small supplier", id="age-first"
    ),
    pytest.param("Tom Molomby, SC", "SC", None, id="post-nominal-only"),
    pytest.param(
        "Deputy Mayor Ruth Okafor, who is responsible for transport",
        "Deputy Mayor",
        None,
        id="relative-clause-without-a-post",
    ),
    pytest.param(
        "Ama Owusu, who is a senior nurse at Tema General Hospital",
        "senior nurse",
        "Tema General Hospital",
        id="relative-clause-with-a-post",
    ),
]


@pytest.mark.parametrize(("phrase", "title", "affiliation"), APPOSITIONS)
def test_apposition_gives_title_and_affiliation_without_trailing_place(phrase, title, affiliation):
    mention = analyse(phrase)
    assert (mention.title, mention.affiliation) == (title, affiliation)


HONORIFICS_AND_SUFFIXES = [
    pytest.param("the Rev. Amos Kell, R-Tex.", "Amos Kell", None, id="rev"),
    pytest.param("Mrs. Pell", "Pell", "female", id="mrs-with-stop"),
    pytest.param("Ms Pell", "Pell", "female", id="ms-without-stop"),
    pytest.param("Mr Hale", "Hale", "male", id="mr-british"),
    pytest.param(
        "the Crown prosecutor, Mark Tedeschi, QC", "Mark Tedeschi", "male", id="post-nominal"
    ),
    pytest.param(
        "Civil Defense Authority director General Suleiman al-Amr",
        "Suleiman al-Amr",
        "male",
        id="al-",
    ),
]


@pytest.mark.parametrize(("phrase", "name", "gender"), HONORIFICS_AND_SUFFIXES)
def test_honorifics_and_post_nominals_are_not_part_of_the_name(phrase, name, gender):
    mention = analyse(phrase)
    assert mention.name == name
    if gender:
        assert mention.gender == gender


ORGANISATIONS = [
    pytest.param("The Coast Guard", "Coast Guard", id="the-org"),
    pytest.param(
        "Japan's Ministry of Foreign Affairs",
        "Ministry of Foreign Affairs",
        id="possessive-country",
    ),
    pytest.param("Yonhap news agency", "Yonhap", id="lowercase-descriptor"),
    pytest.param("KCNA", "KCNA", id="acronym"),
    pytest.param("PC World's recent analysis", "PC World", id="owner-of-a-speech-noun"),
    pytest.param(
        "a statement from the Garment Exporters Council",
        "Garment Exporters Council",
        id="statement-from",
    ),
    pytest.param(
        "the Ministry of Trade, Industry and Energy",
        "Ministry of Trade, Industry and Energy",
        id="listed",
    ),
    pytest.param("Petrasindo, the state-owned distributor", "Petrasindo", id="business-apposition"),
]


@pytest.mark.parametrize(("phrase", "name"), ORGANISATIONS)
def test_organisations(phrase, name):
    mention = analyse(phrase)
    assert (mention.name, mention.kind) == (name, "organization")


UNNAMED = [
    pytest.param("a senior official who asked not to be named", "senior official", id="official"),
    pytest.param(
        "Two European officials familiar with the talks", "Two European officials", id="group"
    ),
    pytest.param("experts", "experts", id="bare-plural"),
    pytest.param("Fishermen in Aparri", "Fishermen", id="group-with-place"),
]


@pytest.mark.parametrize(("phrase", "description"), UNNAMED)
def test_unnamed_sources_get_a_short_description(phrase, description):
    mention = analyse(phrase)
    assert (mention.kind, mention.name) == ("unnamed", description)


PRONOUNS_AND_DESCRIPTIONS = [
    pytest.param("he", "he", id="he"),
    pytest.param("the statement", "statement", id="statement"),
    pytest.param("the ministry", "ministry", id="ministry"),
]


@pytest.mark.parametrize(("phrase", "pronoun"), PRONOUNS_AND_DESCRIPTIONS)
def test_pronouns_and_institutional_descriptions_are_left_to_resolve(phrase, pronoun):
    assert analyse(phrase).pronoun == pronoun


def test_a_possessive_before_a_relative_names_the_possessor():
    # "Thomas' sister pleaded with him": the person named is Thomas, which is who a
    # pronoun later in the sentence can point to.
    mention = analyse("Thomas' sister")
    assert (mention.name, mention.gender) == ("Thomas", "male")


def test_words_on_a_sign_have_no_speaker():
    mention = analyse("a handwritten sign outside a shop in the Kennedy district")
    assert (mention.kind, mention.pronoun) == ("unnamed", "carrier")


@pytest.mark.parametrize(
    ("phrase", "title", "affiliation"),
    [
        ("Chief Financial Officer Renata Solis", "Chief Financial Officer", None),
        ("Chief Operating Officer Jo Pell", "Chief Operating Officer", None),
        ("former Pennsylvania Senator Jo Pell", "former Senator", "Pennsylvania"),
        ("Consumer advocate Lionel Fitch", "Consumer advocate", None),
        ("Saudi businessman Fahad bin Saleh al-Harbi", "businessman", "Saudi"),
    ],
)
def test_a_word_between_the_words_of_a_post_is_part_of_it(phrase, title, affiliation):
    mention = analyse(phrase)
    assert (mention.title, mention.affiliation) == (title, affiliation)


SENTENCE_BEFORE_A_NAME = [
    pytest.param("county commissioner and Pomeroy", "Pomeroy", None, id="conjunction"),
    pytest.param("official spokesman was asked whether Mr Ashcroft", "Ashcroft", None, id="clause"),
    pytest.param("Garrity led Caldwell", "Caldwell", None, id="verb"),
    pytest.param(
        "Trade and Industry Minister Lena Holm",
        "Lena Holm",
        "Trade and Industry Minister",
        id="and-inside-a-post",
    ),
    pytest.param(
        "former Democratic Gov. Ray Caldwell", "Ray Caldwell", "former Governor", id="rank"
    ),
]


@pytest.mark.parametrize(("phrase", "name", "title"), SENTENCE_BEFORE_A_NAME)
def test_words_of_the_sentence_before_a_name_are_no_title(phrase, name, title):
    mention = analyse(phrase)
    assert (mention.name, mention.title) == (name, title)


PARTY_MEMBERS = [
    pytest.param("Democrats", "unnamed", id="plural"),
    pytest.param("the Liberal Democrats", "unnamed", id="two-word-plural"),
    pytest.param("a California Democrat", "unnamed", id="indefinite-with-state"),
    pytest.param("Tories", "unnamed", id="irregular-plural"),
    pytest.param("Jo Green", "person", id="surname-not-a-party"),
    pytest.param("The Independent", "organization", id="newspaper"),
]


@pytest.mark.parametrize(("phrase", "kind"), PARTY_MEMBERS)
def test_a_partys_members_are_no_named_source(phrase, kind):
    assert analyse(phrase).kind == kind


DESCRIPTIONS_WITH_A_CLAUSE_OR_A_PARTY = [
    pytest.param(
        "Tessa Harmon, a two-term state treasurer who resigned in March to run for the Senate",
        "two-term state treasurer",
        None,
        id="relative-clause-cut",
    ),
    pytest.param("Ana Ruiz, a Democrat", None, "Democrat", id="party-is-affiliation"),
    pytest.param(
        "Paula Garrity, an Iowa City Democrat who has endorsed Caldwell",
        None,
        "Iowa City Democrat",
        id="place-and-party",
    ),
    pytest.param(
        "Carl Ransome, a Republican from Rockingham County",
        None,
        "Republican",
        id="party-from-place",
    ),
    pytest.param(
        "Juan Ocampo, a Republican strategist", "strategist", "Republican", id="party-and-post"
    ),
    pytest.param(
        "Jo Pell, who chairs the residents' group", "chair", "residents' group", id="chairs"
    ),
]


@pytest.mark.parametrize(("phrase", "title", "affiliation"), DESCRIPTIONS_WITH_A_CLAUSE_OR_A_PARTY)
def test_a_clause_is_no_title_and_a_party_is_an_affiliation(phrase, title, affiliation):
    mention = analyse(phrase)
    assert (mention.title, mention.affiliation) == (title, affiliation)


NATIONAL_AND_STATE_POSTS = [
    pytest.param("Dutch MEP Hendrik Vos", "Hendrik Vos", "MEP", "Dutch", id="demonym-post"),
    pytest.param(
        "state Sen. Luis Carmona, D-Yonkers",
        "Luis Carmona",
        "state Senator",
        "D-Yonkers",
        id="state-rank-and-district",
    ),
    pytest.param(
        "Del. Naomi Feld, D-Baltimore City",
        "Naomi Feld",
        "Delegate",
        "D-Baltimore City",
        id="delegate-two-word-district",
    ),
]


@pytest.mark.parametrize(("phrase", "name", "title", "affiliation"), NATIONAL_AND_STATE_POSTS)
def test_national_and_state_posts(phrase, name, title, affiliation):
    mention = analyse(phrase)
    # the full stop of an abbreviated state may be the sentence's ("said Sen. X, R-Tenn.")
    got = (mention.name, mention.title, mention.affiliation.rstrip("."))
    assert got == (name, title, affiliation.rstrip("."))


def test_a_countrys_institution_in_lower_case_is_named_in_capitals():
    mention = analyse("the Swedish foreign ministry")
    assert (mention.name, mention.kind) == ("Swedish Foreign Ministry", "organization")


@pytest.mark.parametrize(
    ("phrase", "kind"),
    [
        pytest.param("the Maryland Capitol Police", "organization", id="named-force"),
        pytest.param("Police", "unnamed", id="police"),
        pytest.param("Two European officials familiar with the talks", "unnamed", id="officials"),
    ],
)
def test_a_body_whose_name_ends_in_a_group_noun_is_an_organisation(phrase, kind):
    assert analyse(phrase).kind == kind


@pytest.mark.parametrize(
    ("phrase", "name", "title", "affiliation"),
    [
        pytest.param(
            "The Liberal Democrats' Treasury spokesperson, Daisy Penhallow",
            "Daisy Penhallow",
            "spokesperson",
            "Liberal Democrats",
            id="party-possessive-post",
        ),
        pytest.param(
            "the company's chief executive, Jo Pell",
            "Jo Pell",
            "chief executive",
            "company",
            id="possessive-post",
        ),
    ],
)
def test_a_possessive_post_before_a_name_describes_the_name(phrase, name, title, affiliation):
    mention = analyse(phrase)
    # the full stop of an abbreviated state may be the sentence's ("said Sen. X, R-Tenn.")
    got = (mention.name, mention.title, mention.affiliation.rstrip("."))
    assert got == (name, title, affiliation.rstrip("."))


CONGRESSIONAL_IDS = [
    pytest.param(
        "Senate Majority Leader Glenn Harrow, R-Tenn.",
        "Glenn Harrow",
        "Majority Leader",
        "R-Tenn.",
        id="leadership-post-and-tag",
    ),
    pytest.param(
        "House Minority Leader Vincent Aiello, R-Wallingford",
        "Vincent Aiello",
        "Minority Leader",
        "R-Wallingford",
        id="state-house-district-tag",
    ),
    pytest.param(
        "House Speaker Lionel Batts, D-Prince George's",
        "Lionel Batts",
        "Speaker",
        "D-Prince George's",
        id="county-tag-with-possessive",
    ),
    pytest.param(
        "Sen. Ruth Ann Dillard (R-Mont.)", "Ruth Ann Dillard", "Senator", "R-Mont", id="bracketed"
    ),
    pytest.param(
        "Sen. Paula Whitmire (D-N.M.), the ranking member on the Finance Committee",
        "Paula Whitmire",
        "Senator",
        "D-N.M.",
        id="bracketed-then-committee-post",
    ),
    pytest.param(
        "Rep. Al Brun, R-Texas, the chairman of the panel",
        "Al Brun",
        "Representative",
        "R-Texas",
        id="tag-then-committee-post",
    ),
]


@pytest.mark.parametrize(("phrase", "name", "title", "affiliation"), CONGRESSIONAL_IDS)
def test_a_party_state_tag_is_the_affiliation_and_the_post_before_the_name_the_title(
    phrase, name, title, affiliation
):
    mention = analyse(phrase)
    # the full stop of an abbreviated state may be the sentence's ("said Sen. X, R-Tenn.")
    got = (mention.name, mention.title, mention.affiliation.rstrip("."))
    assert got == (name, title, affiliation.rstrip("."))


PARTY_BEFORE_THE_NAME = [
    pytest.param("Republican Wade Pritchard", "Wade Pritchard", "Republican", id="republican"),
    pytest.param("Democrat Claire Vandermeer", "Claire Vandermeer", "Democrat", id="democrat"),
    pytest.param(
        "Republican presidential nominee Wade Pritchard",
        "Wade Pritchard",
        "Republican",
        id="party-then-post",
    ),
]


@pytest.mark.parametrize(("phrase", "name", "affiliation"), PARTY_BEFORE_THE_NAME)
def test_a_party_word_before_a_name_is_its_affiliation_not_part_of_it(phrase, name, affiliation):
    mention = analyse(phrase)
    assert (mention.name, mention.kind, mention.affiliation) == (name, "person", affiliation)


@pytest.mark.parametrize("phrase", ["Green Party", "Liberal Democrats", "Republican Party"])
def test_a_partys_own_name_keeps_its_party_word(phrase):
    assert analyse(phrase).name.startswith(phrase.split()[0])


def test_a_name_inside_a_relative_clause_is_not_the_speakers():
    mention = analyse(
        "The 73-year-old former governor of Tennessee, who made a fortune building shopping"
        " centers across the South before entering politics"
    )
    assert mention is None or "South" not in mention.name


RANKS_AFTER_A_PLACE_OR_BODY = [
    pytest.param(
        "New Mexico Gov. Luis Arrieta", "Luis Arrieta", "Governor", "New Mexico", id="state-gov"
    ),
    pytest.param("Ohio Gov. Ray Caldwell", "Ray Caldwell", "Governor", "Ohio", id="one-word"),
    pytest.param(
        "Bank of England Governor Catherine Holloway",
        "Catherine Holloway",
        "Governor",
        "Bank of England",
        id="body-name-with-of",
    ),
    pytest.param(
        "Ministry of Health spokesman Ali Noor",
        "Ali Noor",
        "spokesman",
        "Ministry of Health",
        id="ministry-of",
    ),
    pytest.param(
        "state Del. Marcus Henley", "Marcus Henley", "state Delegate", None, id="state-delegate"
    ),
    pytest.param("Sen. Maria Delgado", "Maria Delgado", "Senator", None, id="rank-alone"),
]


@pytest.mark.parametrize(("phrase", "name", "title", "affiliation"), RANKS_AFTER_A_PLACE_OR_BODY)
def test_a_rank_is_a_title_and_the_place_or_body_before_it_the_affiliation(
    phrase, name, title, affiliation
):
    mention = analyse(phrase)
    assert (mention.name, mention.title, mention.affiliation) == (name, title, affiliation)


PARTY_BEFORE_A_POST = [
    pytest.param("Labour MP Jo Pell", "MP", "Labour", id="before-a-name"),
    pytest.param(
        "Jonah Pryce, the Liberal Democrat MP for Eastholme",
        "MP for Eastholme",
        "Liberal Democrat",
        id="two-word-party-and-seat",
    ),
    pytest.param(
        "Tomasz Wright, the Reform UK MP for Hartfell",
        "MP for Hartfell",
        "Reform UK",
        id="party-with-acronym",
    ),
    pytest.param("Green Party co-leader Ann Bell", "co-leader", "Green Party", id="party-name"),
]


@pytest.mark.parametrize(("phrase", "title", "affiliation"), PARTY_BEFORE_A_POST)
def test_a_party_before_a_post_is_the_affiliation_and_a_seat_stays_with_the_post(
    phrase, title, affiliation
):
    mention = analyse(phrase)
    assert (mention.title, mention.affiliation) == (title, affiliation)


@pytest.mark.parametrize("phrase", ["By Sunday", "In January", "Last Monday"])
def test_a_time_after_a_preposition_is_no_name(phrase):
    assert analyse(phrase) is None or analyse(phrase).kind == "unnamed"


PLACES_INSIDE_A_POST = [
    pytest.param(
        "Wade Pritchard, a former Tennessee governor", "former governor", "Tennessee", id="ee"
    ),
    pytest.param(
        "former Tennessee governor Wade Pritchard",
        "former governor",
        "Tennessee",
        id="before-the-name",
    ),
    pytest.param(
        "Claire Vandermeer, the Democratic presidential nominee",
        "presidential nominee",
        "Democratic",
        id="party-before-a-nominee",
    ),
]


@pytest.mark.parametrize(("phrase", "title", "affiliation"), PLACES_INSIDE_A_POST)
def test_a_place_or_party_inside_a_post_is_the_affiliation(phrase, title, affiliation):
    mention = analyse(phrase)
    assert (mention.title, mention.affiliation) == (title, affiliation)


WHAT_FOLLOWS_OR_LEADS_A_NAME = [
    pytest.param(
        "The union’s chief negotiator, Pia Lund, went further",
        "Pia Lund",
        "chief negotiator",
        "union",
        id="verb-after-name-keeps-the-post-before",
    ),
    pytest.param(
        "The committee chair, Dana Voss, later added",
        "Dana Voss",
        "chair",
        "committee",
        id="adverb-after-name",
    ),
    pytest.param(
        "Asked by reporters after the hearing whether he would resign, Okafor",
        "Okafor",
        None,
        None,
        id="asked-clause-is-no-post",
    ),
    pytest.param(
        "Asked whether the plan was dead, Mayor Ilse Brandt",
        "Ilse Brandt",
        "Mayor",
        None,
        id="asked-clause-then-post",
    ),
    pytest.param(
        "Pressed on the deal’s cost, Jo Pell", "Jo Pell", None, None, id="pressed-is-no-name"
    ),
    pytest.param("Reached by phone, Dana Voss", "Dana Voss", None, None, id="reached-is-no-name"),
    pytest.param(
        "Jo Pell, who represents a district where most households rent",
        "Jo Pell",
        "representative",
        None,
        id="one-common-noun-is-no-organisation",
    ),
    pytest.param(
        "Jo Pell, who heads a local cooperative of date growers",
        "Jo Pell",
        "head",
        "local cooperative of date growers",
        id="described-organisation",
    ),
    pytest.param(
        "Jo Pell, who chairs the residents’ group, which meets monthly",
        "Jo Pell",
        "chair",
        "residents’ group",
        id="relative-clause-after-organisation",
    ),
]


@pytest.mark.parametrize(("phrase", "name", "title", "affiliation"), WHAT_FOLLOWS_OR_LEADS_A_NAME)
def test_a_clause_before_or_a_verb_after_a_name_is_no_post(phrase, name, title, affiliation):
    mention = analyse(phrase)
    assert (mention.name, mention.title, mention.affiliation) == (name, title, affiliation)


PLACES_BEFORE_A_POST = [
    pytest.param(
        "Harbor City coach Marta Lindgren", "coach", "Harbor City", id="place-word-like-a-role"
    ),
    pytest.param("Kansas City Mayor Jo Pell", "Mayor", "Kansas City", id="city-before-post"),
    pytest.param("Orange County Sheriff Don Barnes", "Sheriff", "Orange County", id="county"),
    pytest.param("City Manager Jo Pell", "City Manager", None, id="city-is-the-posts-own"),
]


@pytest.mark.parametrize(("phrase", "title", "affiliation"), PLACES_BEFORE_A_POST)
def test_a_place_before_a_post_is_the_affiliation(phrase, title, affiliation):
    mention = analyse(phrase)
    assert (mention.title, mention.affiliation) == (title, affiliation)
