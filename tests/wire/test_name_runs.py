"""The windowed reading of name runs finds exactly what the full regex scan finds."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wire.attribution import _NAME_RUN, _name_runs


def _spans(matches) -> list[tuple[int, int]]:
    return [m.span() for m in matches]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "no capital letters here at all",
        "Mayor Ilse Brandt called the plan a dead end.",
        "said Ana Mensah12, an analyst at the Tema Harbour Board.",
        "the chief of Staff spoke to the Ministry of Foreign Affairs",
        "a b c d e f g h i j k Lena Marsh",
        "abCd Ef and zof Smith",
        "U.S. Coast Guard and Korean Central News Agency (KCNA)",
        "O’Neil d'Or X-y Mc Donald é Zé B.C. Jones",
        "\x000\x00 Kofi Mensah, a boat owner, said \x001\x00 Rosa Vail",
    ],
)
def test_same_runs_as_the_full_scan(text: str) -> None:
    assert _spans(_name_runs(text)) == _spans(_NAME_RUN.finditer(text))


WORDS = st.sampled_from(
    ["a", "bc", "Ab", "of", "the", "and", "A.", "Mc", "X-y", "d'Or", "O’Neil", "on", "de"]
    + ["for", "é", "Zé", "1", "Q", "x.", ",", "\x000\x00", "(", "B.C.", "Lind"]
)
GAPS = st.sampled_from([" ", " ", " ", "", "  ", ", "])


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.tuples(WORDS, GAPS), max_size=30))
def test_same_runs_on_any_word_sequence(pieces: list[tuple[str, str]]) -> None:
    text = "".join(word + gap for word, gap in pieces)
    assert _spans(_name_runs(text)) == _spans(_NAME_RUN.finditer(text))
