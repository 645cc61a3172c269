"""Headline, byline, dateline, paragraphs, subheads and credit lines."""

from __future__ import annotations

import pytest

from articles.ingest.credits import parse_byline, parse_credit_line
from articles.ingest.structure import parse_date, parse_dateline, split_story


@pytest.mark.parametrize(
    ("line", "place", "date", "rest"),
    [
        ("Washington –", "Washington", None, ""),
        ("Kyiv –", "Kyiv", None, ""),
        ("JAKARTA, Indonesia —", "Jakarta, Indonesia", None, ""),
        ("NAIROBI, Kenya (VOA) — Lawmakers voted.", "Nairobi, Kenya", None, "Lawmakers voted."),
        ("LIMA, Peru, March 3 — Farmers marched.", "Lima, Peru", None, "Farmers marched."),
        ("GENEVA (VOA) — The office said.", "Geneva", None, "The office said."),
        ("ASTANA, Kazakhstan (Reuters) - Trains ran.", "Astana, Kazakhstan", None, "Trains ran."),
        ("CHICAGO, March 14, 2024 (AP) -- Buses stop.", "Chicago", "2024-03-14", "Buses stop."),
        ("TOKYO, Oct 21, 2024 (Reuters) - The yen fell.", "Tokyo", "2024-10-21", "The yen fell."),
        ("RIO DE JANEIRO (AP) — Rain fell.", "Rio de Janeiro", None, "Rain fell."),
        ("BEIJING, 9 August 2024 — Data.", "Beijing", "2024-08-09", "Data."),
    ],
)
def test_datelines(line, place, date, rest):
    dateline, after = parse_dateline(line)
    assert (dateline.place, dateline.date, after) == (place, date, rest)


@pytest.mark.parametrize(
    "line",
    [
        "The plan — a bold one — failed.",
        "Kishida said — no.",
        "Analysts — cautious as ever — waited.",
        "Prices rose 5% in March.",
    ],
)
def test_sentences_with_dashes_are_not_datelines(line):
    assert parse_dateline(line) is None


def test_parse_date_needs_a_year():
    assert parse_date("March 3") is None
    assert parse_date("Aug. 9, 2024") == "2024-08-09"
    assert parse_date("February 30, 2024") is None


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
            [("Putri Anggraini", "contributor", None), ("Helen Marsh", "editor", None)],
        ),
        (
            "Reporting by Ann Lee in Kyiv; Additional reporting by Bo Chan; Writing by Cy Dee;"
            " Editing by Di Eve",
            [
                ("Ann Lee", "contributor", None),
                ("Bo Chan", "contributor", None),
                ("Cy Dee", "contributor", None),
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
        ("Photo: Basilio Sepe/VOA", [("Basilio Sepe", "photographer", "VOA")]),
        ("Edited by Laila Farouk.", [("Laila Farouk", "editor", None)]),
        (
            "(Reporting by Ann Lee; Editing by Bo Chan)",
            [("Ann Lee", "contributor", None), ("Bo Chan", "editor", None)],
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


def test_layout_with_subheads_blank_lines_and_credits():
    layout = split_story(
        "Headline here\n\nBy Ann Lee\n\nKYIV —\n\nFirst paragraph.\n\nSecond paragraph.\n\n"
        "A second route\n\nThird paragraph.\n\nAnn Lee contributed to this report.\n"
    )
    assert layout.headline == "Headline here"
    assert layout.dateline.place == "Kyiv"
    assert layout.paragraphs == ["First paragraph.", "Second paragraph.", "Third paragraph."]
    assert layout.subheads == ["A second route"]
    assert layout.subhead_positions == {2: "A second route"}
    assert [(c.name, c.role) for c in layout.credits] == [
        ("Ann Lee", "byline"),
        ("Ann Lee", "contributor"),
    ]


def test_windows_line_endings_and_no_blank_lines():
    layout = split_story("Headline\r\nSEOUL (VOA) — One.\r\nTwo.\r\nThree.\r\n")
    assert layout.paragraphs == ["SEOUL (VOA) — One.", "Two.", "Three."]
    assert layout.dateline.place == "Seoul"


def test_first_line_sentence_is_not_a_headline(parse):
    story = parse("Officials met on Tuesday.\nThey agreed on a plan.")
    assert story["headline"] is None
    assert story["paragraphs"] == ["Officials met on Tuesday.", "They agreed on a plan."]
    assert any(f["code"] == "missing-headline" for f in story["flags"])


def test_hard_wrapped_lines_join_into_one_paragraph():
    layout = split_story(
        "Headline\n\nOfficials in the capital said on Tuesday that the new rules would\n"
        "take effect next month.\n\nSecond paragraph.\n"
    )
    assert layout.paragraphs[0].endswith("would take effect next month.")
    assert len(layout.paragraphs) == 2


def test_story_without_paragraphs_is_flagged(parse):
    story = parse("Just a headline\nBy Ann Lee")
    assert story["paragraphs"] == []
    assert any(f["code"] == "no-paragraphs" for f in story["flags"])


def test_unclosed_quote_at_end_is_flagged_but_parsed(parse):
    story = parse("Headline\nKYIV — Officials met.\n“We will rebuild everything we lost, she said")
    assert any(f["code"] == "unclosed-quote" for f in story["flags"])
    assert story["quotes"][0]["text"].startswith("We will rebuild")
