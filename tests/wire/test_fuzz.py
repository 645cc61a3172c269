"""Any text at all: the parser never raises and always returns a contract-valid object."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from wire.model import CREDIT_ROLES
from wire.pipeline import parse_wire_text

PIECES = st.sampled_from(
    [
        "“",
        "”",
        '"',
        "‘",
        "’",
        "'",
        "«",
        "»",
        "„",
        " — ",
        " – ",
        " - ",
        "--",
        "\n",
        "\n\n",
        "\r\n",
        ", ",
        ". ",
        ": ",
        "said ",
        " told VOA.",
        "he said",
        "she added",
        "according to ",
        "By ",
        "Reporting by ",
        "; Editing by ",
        " contributed to this report.",
        "Photo: ",
        "NAIROBI, Kenya (VOA) — ",
        "Washington –",
        "Jane Doe",
        "Koh",
        "Ko",
        "the ministry ",
        "Professor ",
        " of ",
        "Ministry of Finance",
        "王伟",
        "منى",
        "(AP)",
        "<script>",
        "a ",
    ]
)
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=60).map("".join)


def check_contract(story: dict) -> None:
    assert isinstance(story["file"], str)
    assert story["headline"] is None or isinstance(story["headline"], str)
    assert set(story["dateline"]) >= {"place", "date"}
    assert all(isinstance(v, str) for v in story["subheads"])
    assert all(isinstance(v, str) for v in story["paragraphs"])
    names = set()
    for source in story["sources"]:
        assert source["kind"] in ("person", "organization", "unnamed")
        assert isinstance(source["name"], str) and source["name"]
        assert all(isinstance(a, str) for a in source["aliases"])
        for key in ("title", "affiliation"):
            assert source[key] is None or isinstance(source[key], str)
        names.add(source["name"])
    for quote in story["quotes"]:
        assert isinstance(quote["text"], str)
        assert quote["speaker"] is None or quote["speaker"] in names
        assert quote["kind"] in ("direct", "partial")
        assert 0 <= quote["paragraph"] < len(story["paragraphs"])
    for credit in story["credits"]:
        assert credit["role"] in CREDIT_ROLES
        assert isinstance(credit["name"], str) and credit["name"]
        assert credit["desk"] is None or isinstance(credit["desk"], str)
        assert credit["place"] is None or isinstance(credit["place"], str)
    for flag in story["flags"]:
        assert isinstance(flag["code"], str) and flag["code"]
        assert isinstance(flag["message"], str) and flag["message"]
    json.dumps(story)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_parser_never_raises_and_keeps_the_contract(text):
    check_contract(parse_wire_text(text, file="fuzz.txt"))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=400))
def test_any_unicode_text(text):
    check_contract(parse_wire_text(text, file="fuzz.txt"))
