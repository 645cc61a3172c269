"""Layout and credits on the kinds of copy agencies file: dateline forms, subhead styles,
interview turns, control characters, credit lines in their real forms, other languages."""

from __future__ import annotations

import pytest

from wire.credits import parse_credit_line
from wire.language import detect_language
from wire.layout import split_story
from wire.pipeline import parse_wire_text

DATELINES = [
    pytest.param("Dayton, Ohio - The council voted.", "Dayton, Ohio", id="plain-hyphen"),
    pytest.param("NAIROBI, Kenya (VOA) — Lawmakers met.", "Nairobi, Kenya", id="agency-tag"),
    pytest.param("LONDON, March 3 (Reuters) - Shares fell.", "London", id="reuters"),
    pytest.param("PARIS (AFP) - Strikes spread.", "Paris", id="afp"),
    pytest.param(
        "Preston, Victoria, Australia On Saturday, the team won.",
        "Preston, Victoria, Australia",
        id="place-lead-without-separator",
    ),
    pytest.param("WASHINGTON—A super PAC raised $68 million.", "Washington", id="wsj-tight-dash"),
    pytest.param("The council voted on Monday to close the plant.", None, id="none"),
]


@pytest.mark.parametrize(("first", "place"), DATELINES)
def test_dateline_forms_and_the_dateline_is_printed_once(first, place):
    layout = split_story(f"A headline for it\n{first}\nA second paragraph.")
    assert layout.dateline.place == place
    if place:
        assert not layout.paragraphs[0].upper().startswith(place.split(",")[0].upper())
    assert layout.paragraphs[-1] == "A second paragraph."


SUBHEADS = [
    pytest.param("– A long road –", "A long road", id="afp-dashes"),
    pytest.param("MARKET JITTERS", "MARKET JITTERS", id="reuters-capitals"),
    pytest.param("A careful alliance", "A careful alliance", id="plain"),
    pytest.param("'A warning shot'", "'A warning shot'", id="quoted-single"),
    pytest.param("“Labour squeezed”", "“Labour squeezed”", id="quoted-curly"),
]


@pytest.mark.parametrize(("line", "subhead"), SUBHEADS)
def test_subhead_styles(line, subhead):
    layout = split_story(f"Headline\nFirst paragraph of the story.\n{line}\nNext paragraph.")
    assert layout.subheads == [subhead]
    assert len(layout.paragraphs) == 2


@pytest.mark.parametrize(
    "line", ["Wikinews: What first attracted you to ants?", "Bos: Ants are fun."]
)
def test_interview_prefixes_are_turns_not_subheads(line):
    layout = split_story(f"Headline\nFirst paragraph of the story.\n{line}\nNext paragraph.")
    assert layout.subheads == []
    assert layout.turns == {1: line.split(":")[0]}


@pytest.mark.parametrize("char", ["\v", "\f", "\u2028", "\u2029"])
def test_control_characters_inside_a_line_are_whitespace(char):
    layout = split_story(f"Flood waters{char}rise in the north\nThe river broke its banks.")
    assert layout.headline == "Flood waters rise in the north"
    assert layout.paragraphs == ["The river broke its banks."]


CREDITS = [
    pytest.param(
        "VOA Khmer's Sok Dara contributed from Phnom Penh.",
        [("Sok Dara", "contributor", "VOA Khmer", "Phnom Penh")],
        id="contributed-from",
    ),
    pytest.param(
        "Photographs by Ines Carvalho for VOA.",
        [("Ines Carvalho", "photographer", "VOA", None)],
        id="photographs-for",
    ),
    pytest.param(
        "Translation from Armenian: Ani Petrosyan",
        [("Ani Petrosyan", "translator", None, None)],
        id="translation-colon",
    ),
    pytest.param(
        "(Additional reporting by Jo Lin in Lagos; Editing by Mark Potter)",
        [("Jo Lin", "contributor", None, "Lagos"), ("Mark Potter", "editor", None, None)],
        id="reuters-bracket",
    ),
    pytest.param(
        "Associated Press writer Ann Lee in Denver contributed to this report.",
        [("Ann Lee", "contributor", "Associated Press", "Denver")],
        id="ap",
    ),
    pytest.param(
        "Fox News' Dana Reyes contributed to this report.",
        [("Dana Reyes", "contributor", "Fox News", None)],
        id="plural-possessive-outlet",
    ),
]


@pytest.mark.parametrize(("line", "credits"), CREDITS)
def test_credit_lines_in_their_real_forms(line, credits):
    got = [(c.name, c.role, c.desk, c.place) for c in parse_credit_line(line)]
    assert got == credits


def test_credit_place_reaches_the_contract_json():
    story = parse_wire_text("Headline\nBody text here.\nVOA's Sok Dara contributed from Marsabit.")
    assert story["credits"] == [
        {"name": "Sok Dara", "role": "contributor", "desk": "VOA", "place": "Marsabit"}
    ]


GERMAN = (
    "Regierung plant neue Steuer\n"
    "BERLIN (dpa) - Die Bundesregierung will nach Angaben des Finanzministeriums eine neue "
    "Abgabe einführen. „Das ist nicht gerecht“, sagte der Sprecher der Opposition, Max Müller.\n"
    '"Wir werden dagegen klagen", sagte Anna Schmidt, die Vorsitzende des Verbandes.\n'
    "Die Pläne sollen im Herbst vorgestellt werden und gelten ab dem kommenden Jahr.\n"
    "Mitarbeit: Jonas Weber"
)


def test_copy_in_a_language_the_rules_do_not_cover_gets_structure_but_no_attribution():
    story = parse_wire_text(GERMAN)
    assert story["attribution"] == "skipped: language de"
    assert story["headline"] == "Regierung plant neue Steuer"
    assert story["dateline"]["place"] == "Berlin"
    assert story["quotes"] == [] and story["sources"] == []
    assert story["flags"] == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The minister said on Tuesday that the plan was the best one for the country.", "en"),
        (
            "Der Minister sagte am Dienstag, dass der Plan für das Land der beste sei und nicht.",
            "de",
        ),
        ("Ministeren sa på tirsdag at planen var den beste for landet og det er ikke slik.", "no"),
        (
            "Le ministre a dit mardi que le plan était le meilleur pour le pays et pas un autre.",
            "fr",
        ),
    ],
)
def test_language_detection(text, code):
    assert detect_language([text]) == code


HEADERS = [
    pytest.param(
        "Pritchard Tries a Softer Pitch. Not Everyone Is Buying It.\nBy Reid Halvorsen\n",
        "Pritchard Tries a Softer Pitch. Not Everyone Is Buying It.",
        [("Reid Halvorsen", None)],
        id="headline-ending-in-a-full-stop",
    ),
    pytest.param(
        "WATCH -- Pritchard in Erie: 'We Are Not Giving Up!'\nby Colby Harkness\n",
        "WATCH -- Pritchard in Erie: 'We Are Not Giving Up!'",
        [("Colby Harkness", None)],
        id="headline-with-a-dash-is-no-dateline",
    ),
    pytest.param(
        "Senators fan out\nBY NATHANIEL OKWU AND SOPHIE LARUE - 10/16/24 6:00 AM ET\n",
        "Senators fan out",
        [("Nathaniel Okwu", None), ("Sophie Larue", None)],
        id="capitals-and-a-posting-time",
    ),
    pytest.param(
        "Town hall in Michigan\nBy Priya Venkataraman and Owen Castellanos, CNN\n",
        "Town hall in Michigan",
        [("Priya Venkataraman", "CNN"), ("Owen Castellanos", "CNN")],
        id="outlet-acronym-after-a-comma",
    ),
    pytest.param(
        "Hale reads the posts\nBy Marisol Ortega-Reyes\nSenior Politics Reporter, HuffPost\n",
        "Hale reads the posts",
        [("Marisol Ortega-Reyes", None)],
        id="post-line-under-the-byline",
    ),
]


@pytest.mark.parametrize(("header", "headline", "bylines"), HEADERS)
def test_headline_and_byline_block(header, headline, bylines):
    layout = split_story(f"{header}LAS VEGAS — The senator spoke.\nA second paragraph.")
    assert layout.headline == headline
    assert [(c.name, c.desk) for c in layout.credits if c.role == "byline"] == bylines
    assert layout.dateline.place == "Las Vegas"
    assert layout.paragraphs == ["The senator spoke.", "A second paragraph."]
