"""Bylines and credit lines as the wire prints them. No database."""

from __future__ import annotations

import pytest

from wire.credits import parse_byline, parse_credit_line
from wire.layout import split_story


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("By Nadia Rahman", ["Nadia Rahman"]),
        ("By Dewi Lestari and Marcus Holt", ["Dewi Lestari", "Marcus Holt"]),
        (
            "By Kaori Sato, Daniel Brooks and Yuki Tanaka",
            ["Kaori Sato", "Daniel Brooks", "Yuki Tanaka"],
        ),
        ("By JANE DOE", ["Jane Doe"]),
        ("By Tom Ashworth, Political correspondent", ["Tom Ashworth"]),
        ("By Anna Pell, Chief Political Correspondent", ["Anna Pell"]),
        ("By Lee Wong, Economics Editor", ["Lee Wong"]),
        ("By DEREK HALVORSEN and PRIYA ANAND Associated Press", ["Derek Halvorsen", "Priya Anand"]),
    ],
)
def test_bylines(line, names):
    credits = parse_byline(line)
    assert [c.name for c in credits] == names
    assert {c.role for c in credits} == {"byline"}


def test_byline_with_agency_gives_desk():
    (credit,) = parse_byline("By Jane Doe, Associated Press")
    assert (credit.name, credit.desk) == ("Jane Doe", "Associated Press")


@pytest.mark.parametrize(
    "line", ["By the end of the year, prices rose.", "By Tuesday the ministry had"]
)
def test_sentences_starting_with_by_are_not_bylines(line):
    assert parse_byline(line) is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "VOA Mandarin's Chung-Hsi Tu contributed to this report.",
            [("Chung-Hsi Tu", "contributor", "VOA Mandarin")],
        ),
        (
            "VOA’s Brian Otieno contributed to this report from Marsabit.",
            [("Brian Otieno", "contributor", "VOA")],
        ),
        (
            "Jane Doe and John Roe contributed reporting.",
            [("Jane Doe", "contributor", None), ("John Roe", "contributor", None)],
        ),
        (
            "Reporting by Putri Anggraini in Surabaya; editing by Helen Marsh",
            [("Putri Anggraini", "reporting", None), ("Helen Marsh", "editor", None)],
        ),
        (
            "Reporting by Ann Lee in Kyiv; Additional reporting by Bo Chan; Writing by Cy Dee;"
            " Editing by Di Eve",
            [
                ("Ann Lee", "reporting", None),
                ("Bo Chan", "contributor", None),
                ("Cy Dee", "reporting", None),
                ("Di Eve", "editor", None),
            ],
        ),
        (
            "Associated Press writer Oksana Lytvyn in Odesa contributed.",
            [("Oksana Lytvyn", "contributor", "Associated Press")],
        ),
        (
            "Associated Press writers Ann Lee in Springfield, Illinois, and Omar Haddad in "
            "Detroit contributed to this report.",
            [
                ("Ann Lee", "contributor", "Associated Press"),
                ("Omar Haddad", "contributor", "Associated Press"),
            ],
        ),
        ("Translated from Spanish by Marta Ibáñez.", [("Marta Ibáñez", "translator", None)]),
        ("Photos by Dmytro Koval.", [("Dmytro Koval", "photographer", None)]),
        (
            "Photos by staff photographer Jenna Albrecht.",
            [("Jenna Albrecht", "photographer", None)],
        ),
        ("Photo: Basilio Sepe/VOA", [("Basilio Sepe", "photographer", "VOA")]),
        ("Edited by Laila Farouk.", [("Laila Farouk", "editor", None)]),
        (
            "(Reporting by Ann Lee; Editing by Bo Chan)",
            [("Ann Lee", "reporting", None), ("Bo Chan", "editor", None)],
        ),
    ],
)
def test_credit_lines(line, expected):
    assert [(c.name, c.role, c.desk) for c in parse_credit_line(line)] == expected


@pytest.mark.parametrize(
    "line",
    [
        "Farmers said the harvest was late.",
        "The company contributed $4 million to the fund last year.",
        "Officials said reporting by local media was inaccurate.",
    ],
)
def test_body_sentences_are_not_credit_lines(line):
    assert parse_credit_line(line) is None


REPORTERS_BY_BYLINE = [
    pytest.param(
        "Headline here\nLONDON, March 3 (Reuters) - Rates held.\n"
        "(Reporting by Ann Lee and Bo Chan; Additional reporting by Cy Dee; Writing by Di Eve;"
        " Editing by Fay Gu)",
        [
            ("Ann Lee", "byline"),
            ("Bo Chan", "byline"),
            ("Cy Dee", "contributor"),
            ("Di Eve", "byline"),
            ("Fay Gu", "editor"),
        ],
        id="agency-trailer-without-by-line",
    ),
    pytest.param(
        "Headline here\nBy Ann Lee\nTOKYO (Reuters) - Rates held.\n"
        "Reporting by Bo Chan in Osaka; Editing by Fay Gu",
        [("Ann Lee", "byline"), ("Bo Chan", "contributor"), ("Fay Gu", "editor")],
        id="agency-trailer-beside-a-by-line",
    ),
    pytest.param(
        "Headline here\nTrees cut heat deaths, a study says.\nAnn Lee reported from Barcelona.\n"
        "Translated from the Spanish by Bo Chan.",
        [("Ann Lee", "byline"), ("Bo Chan", "translator")],
        id="reported-from-without-by-line",
    ),
    pytest.param(
        "Headline here\nBy Di Eve\nTrees cut heat deaths, a study says.\n"
        "Ann Lee reported from Barcelona.",
        [("Di Eve", "byline"), ("Ann Lee", "contributor")],
        id="reported-from-beside-a-by-line",
    ),
]


@pytest.mark.parametrize(("text", "expected"), REPORTERS_BY_BYLINE)
def test_reporters_are_bylines_only_when_no_by_line_names_the_authors(text, expected):
    assert [(c.name, c.role) for c in split_story(text).credits] == expected


def test_afp_byline_with_a_helper_in_a_place_is_byline_and_contributor():
    layout = split_story(
        "Ministers vow to shield undersea cables after new outage\n\n"
        "by Mari KASK with Anna LINDQVIST in Helsinki\n\n"
        "Foreign ministers vowed on Tuesday to protect the cables."
    )
    assert layout.headline == "Ministers vow to shield undersea cables after new outage"
    assert [(c.name, c.role, c.place) for c in layout.credits] == [
        ("Mari Kask", "byline", None),
        ("Anna Lindqvist", "contributor", "Helsinki"),
    ]
