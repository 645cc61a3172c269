"""The attribution audit's findings: each fires on its kind of copy and stays quiet on the
look-alikes that produced false findings on real copy."""

from __future__ import annotations

import random

import pytest

from wire import checks
from wire.checks import audit_saved, titles_conflict
from wire.model import Quote, Source
from wire.pipeline import parse_wire_text


def flags(body: str, headline: str | None = "Headline for the story") -> list[tuple[str, str]]:
    text = f"{headline}\n{body}" if headline else body
    return [(f["code"], f["subject"]) for f in parse_wire_text(text)["flags"]]


FIRES = [
    pytest.param(
        '"The line is safe," said Piotr Kowalczyk, a track engineer.\n"We checked it twice," Kowalczik said.',
        ("name-variant", "Piotr Kowalczyk"),
        id="misspelt-surname",
    ),
    pytest.param(
        '"Nobody was hurt," said Hans Schuster, the depot manager.\n"It was fixed," Shuster added.',
        ("name-variant", "Hans Schuster"),
        id="dropped-letter",
    ),
    pytest.param(
        '"Exports are up," said Le Quang Vinh, a trader.\n"Prices will fall," Vihn said.',
        ("name-variant", "Le Quang Vinh"),
        id="swapped-letters",
    ),
    pytest.param(
        'Transport Minister Lena Holm opened the line.\n"We have the money," Trade Minister Holm said.',
        ("title-conflict", "Lena Holm"),
        id="two-ministries",
    ),
    pytest.param(
        '"The agency is stretched," said Chidi Okafor, a senior adviser at the agency.\n'
        'Okafor, the agency\'s director, said "we will hire more staff next year."',
        ("title-conflict", "Chidi Okafor"),
        id="later-role",
    ),
    pytest.param(
        '"We have waited three years for this," said Amal Idris.',
        ("source-without-affiliation", "Amal Idris"),
        id="bare-name",
    ),
]


@pytest.mark.parametrize(("body", "finding"), FIRES)
def test_finding_fires_on_its_kind(body, finding):
    assert finding in flags(body)


QUIET = [
    pytest.param(
        'Deputy Mayor Hana Kato said "the roads reopen on Monday."', id="title-before-name"
    ),
    pytest.param(
        'But media reports said "the bridge is still closed to traffic."', id="not-a-name"
    ),
    pytest.param(
        '"Orders are down," said Quilla Minerals in a statement.', id="organisation-is-not-a-person"
    ),
    pytest.param(
        "The bar is co-owned by Jonathan M. Stan and a partner.\n"
        '"We will keep it on the menu for a while," Stan said.',
        id="role-in-the-predicate",
    ),
    pytest.param(
        'Ambassador Tomas Ruel, the French envoy, arrived.\n"We are ready to talk," said Ambassador Ruel.',
        id="one-post-two-words",
    ),
    pytest.param(
        'The ministry, the country\'s regulator, said "rates will stay as they are."',
        id="institution",
    ),
    pytest.param(
        '"We are ready for the talks," said Kim Lee, a diplomat.\n"So are we," said Kim Lin, a trader.',
        id="two-people-alike-names",
    ),
]


@pytest.mark.parametrize("body", QUIET)
def test_no_false_finding_on_look_alikes(body):
    assert flags(body) == []


def test_missing_headline():
    assert ("missing-headline", "") in flags(
        "WASHINGTON —\nThe vote was delayed again.", headline=None
    )


def test_each_finding_message_tells_the_editor_what_to_check():
    story = parse_wire_text(
        'Headline here\n"The line is safe," said Piotr Kowalczyk.\n"It was fixed last week," Kowalczik said.'
    )
    messages = {f["code"]: f["message"] for f in story["flags"]}
    assert "check the spelling" in messages["name-variant"]
    assert "say who they are" in messages["source-without-affiliation"]


@pytest.mark.parametrize(
    ("a", "b", "conflict"),
    [
        ("Prime Minister", "Foreign Minister", True),
        ("senior adviser", "director", True),
        ("creator", "co-founder", False),
        ("Ambassador", "French envoy", False),
        ("Deputy Mayor", "Mayor", False),
        ("spokesman", "spokesperson", False),
    ],
)
def test_titles_conflict_only_between_two_offices(a, b, conflict):
    assert titles_conflict(a, b) is conflict


def test_audit_of_saved_attributions():
    sources = [
        Source("Rosa Condori", "person"),
        Source("Rosa Kondori", "person", title="farmer"),
        Source("Quilla Minerals", "organization"),
    ]
    quotes = [
        Quote("We will stay on the road", 1, "direct", "Rosa Condori"),
        Quote("Nobody told us anything", 2, "direct", None),
    ]
    found = {(f.code, f.subject) for f in audit_saved("Headline", sources, quotes)}
    assert found == {
        ("name-variant", "Rosa Condori"),
        ("unattributed-quote", "Nobody told us anything"),
        ("source-without-affiliation", "Rosa Condori"),
    }


@pytest.mark.parametrize(
    ("a", "b", "variant"),
    [
        ("Piotr Kowalczyk", "Piotr Kowalczik", True),
        ("Anna Schuster", "Anna Shuster", True),
        ("Tran Vinh", "Tran Vihn", True),
        ("Kowalczyk", "Piotr Kowalczik", True),
        ("Anna Schuster", "Maria Shuster", False),
        ("Lena Holm", "Lena Holt", True),
        ("Lena Holm", "Lena Hamm", False),
    ],
)
def test_saved_name_variants_are_one_name_spelled_two_ways(a, b, variant):
    sources = [Source(a, "person", title="adviser"), Source(b, "person", title="adviser")]
    found = [(f.code, f.subject) for f in audit_saved("Headline", sources, [])]
    assert found == ([("name-variant", a)] if variant else [])


def _made_up_surnames(count: int) -> list[str]:
    rng = random.Random(count)
    names: set[str] = set()
    while len(names) < count:
        names.add(
            "".join(rng.choice("bcdfghjklmnpqrstvwxz") + rng.choice("aeiou") for _ in range(4))
        )
    return sorted(names)


def test_saved_name_variants_compare_names_that_share_a_key_not_every_pair(monkeypatch):
    compared = []
    real = checks._same_person
    monkeypatch.setattr(checks, "_same_person", lambda a, b: compared.append(a) or real(a, b))

    def comparisons(count: int, *, against_every_pair: bool) -> int:
        people = [
            Source(f"Ann {name.title()}", "person", title="clerk")
            for name in _made_up_surnames(count)
        ]
        people.append(Source(f"Ann {people[0].name.split()[1]}e", "person", title="clerk"))
        compared.clear()
        found = [(f.subject, f.message) for f in audit_saved("Headline", people, [])]
        calls = len(compared)
        if against_every_pair:
            assert found == [
                (a.name, f"{a.name} is also spelled {b.name}: check the spelling.")
                for i, a in enumerate(people)
                for b in people[i + 1 :]
                if real(a.name, b.name)
            ]
        assert people[0].name in {subject for subject, _ in found}
        return calls

    # Every pair would be 125,250 and 8,002,000 comparisons.
    assert comparisons(500, against_every_pair=True) < 500
    assert comparisons(4000, against_every_pair=False) < 4000


SOURCES_WITH_NOTHING_SAID_OF_THEM = [
    pytest.param(
        '"I voted for her twice and I will again," said Terrence Boyd, 67.', id="age-only"
    ),
    pytest.param(
        'More than 80 residents spoke. "Give me a ballpark any day," said Loretta Vance.',
        id="name-only",
    ),
]


@pytest.mark.parametrize("body", SOURCES_WITH_NOTHING_SAID_OF_THEM)
def test_a_person_quoted_with_nothing_said_of_them_is_flagged(body):
    story = parse_wire_text(f"Headline for the story\n{body}")
    assert [f["code"] for f in story["flags"]] == ["source-without-affiliation"]


def test_a_person_called_by_an_epithet_is_not_without_a_description():
    body = (
        "Garrett Voss mocked the Democratic push on Tuesday.\n"
        '"They are sending senators because nobody wants to see her," the former Indiana'
        " governor told supporters in Harrisburg."
    )
    story = parse_wire_text(f"Headline for the story\n{body}")
    assert story["quotes"][0]["speaker"] == "Garrett Voss"
    assert not story["flags"]
