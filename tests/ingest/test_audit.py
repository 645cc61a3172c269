"""The attribution audit on neutral input (as the Django app re-runs it) and on parsed copy."""

from __future__ import annotations

from sources.audit import audit_story, titles_conflict


def codes(flags: list[dict]) -> list[tuple[str, str]]:
    return [(f["code"], f["subject"]) for f in flags]


def test_clean_story_has_no_flags():
    flags = audit_story(
        headline="Headline",
        sources=[{"name": "Jane Doe", "kind": "person", "title": "mayor", "aliases": ["Doe"]}],
        quotes=[{"text": "We will rebuild.", "speaker": "Jane Doe", "kind": "direct"}],
        paragraphs=["Mayor Jane Doe said the city would rebuild."],
    )
    assert flags == []


def test_each_flag_has_a_message_an_editor_can_read():
    flags = audit_story(
        headline=None,
        sources=[
            {"name": "Amal Idris", "kind": "person"},
            {"name": "Anders Ko", "kind": "person", "title": "publisher", "aliases": ["Koh"]},
        ],
        quotes=[
            {"text": "Before, we received a full sack.", "speaker": "Amal Idris", "paragraph": 3},
            {"text": "The fire burned until morning.", "speaker": None, "paragraph": 1},
        ],
        paragraphs=[],
    )
    assert codes(flags) == [
        ("missing-headline", ""),
        ("name-variant", "Anders Ko"),
        ("unattributed-quote", "The fire burned until morning."),
        ("source-without-affiliation", "Amal Idris"),
    ]
    assert all(len(f["message"]) > 20 for f in flags)
    assert "Paragraph 2" in flags[2]["message"]


def test_partial_quote_without_speaker_is_not_unattributed():
    flags = audit_story(
        headline="H",
        sources=[],
        quotes=[{"text": "a hidden tax", "speaker": None, "kind": "partial"}],
    )
    assert flags == []


def test_source_with_title_only_or_affiliation_only_is_fine():
    flags = audit_story(
        headline="H",
        sources=[
            {"name": "Olha Marchenko", "kind": "person", "title": "Deputy Agriculture Minister"},
            {"name": "Tobias Lindqvist", "kind": "person", "affiliation": "Baltic Institute"},
        ],
        quotes=[
            {"text": "x y z", "speaker": "Olha Marchenko"},
            {"text": "x y z", "speaker": "Tobias Lindqvist"},
        ],
    )
    assert flags == []


def test_title_conflict_from_the_text():
    paragraphs = [
        "Prime Minister Fumio Kishida's visit begins on Friday.",
        "Foreign Minister Kishida is expected to announce a package.",
    ]
    flags = audit_story(headline="H", sources=[], quotes=[], paragraphs=paragraphs)
    assert codes(flags) == [("title-conflict", "Fumio Kishida")]


def test_title_conflict_between_appositive_and_prefix():
    paragraphs = [
        "Ilse Marten, the Humanitarian Funding Office’s deputy director, told reporters.",
        "Office spokeswoman Ilse Marten said a revised appeal would be published.",
    ]
    flags = audit_story(headline="H", sources=[], quotes=[], paragraphs=paragraphs)
    assert codes(flags) == [("title-conflict", "Ilse Marten")]


def test_without_paragraphs_title_conflict_is_not_judged():
    flags = audit_story(headline="H", sources=[], quotes=[])
    assert flags == []


def test_titles_conflict_rules():
    assert titles_conflict("Prime Minister", "Foreign Minister")
    assert titles_conflict("President", "Vice President")
    assert not titles_conflict("professor", "political science professor")
    assert not titles_conflict("Foreign Minister", "Chinese Foreign Minister")
    assert not titles_conflict("deputy minister", "deputy minister for mining")


def test_audit_runs_on_the_parsed_story(parse):
    story = parse(
        "Headline\nLIMA — Text.\n"
        '"We signed a paper," said Rosa Condori, president of the community.\n'
        "Condory said the offer was old.\n"
    )
    assert codes(story["flags"]) == [("name-variant", "Rosa Condori")]
    again = audit_story(
        headline=story["headline"],
        sources=story["sources"],
        quotes=story["quotes"],
        paragraphs=story["paragraphs"],
    )
    assert again == story["flags"]
