"""Layout: headline, dateline, paragraphs, subheads and where the credits are taken from.
No database."""

from __future__ import annotations

import pytest

from wire.layout import parse_date, parse_dateline, split_story
from wire.pipeline import parse_wire_text


def parse(text: str) -> dict:
    return parse_wire_text(text, file="story.txt")


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
    # The dateline is taken out of the first paragraph, so it is printed once.
    assert layout.paragraphs == ["One.", "Two.", "Three."]
    assert (layout.dateline.place, layout.dateline.agency) == ("Seoul", "VOA")


def test_first_line_sentence_is_not_a_headline():
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


def test_story_without_paragraphs_is_flagged():
    story = parse("Just a headline\nBy Ann Lee")
    assert story["paragraphs"] == []
    assert any(f["code"] == "no-paragraphs" for f in story["flags"])


def test_unclosed_quote_at_end_is_flagged_but_parsed():
    story = parse("Headline\nKYIV — Officials met.\n“We will rebuild everything we lost, she said")
    assert any(f["code"] == "unclosed-quote" for f in story["flags"])
    assert story["quotes"][0]["text"].startswith("We will rebuild")
