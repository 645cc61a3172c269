"""Patterns written for speed match exactly what their plain forms match: the windowed
reading of name runs, and the verb forms written as a tree."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wire import vocabulary
from wire.cues import _verb_alternation
from wire.passing import NAME_RUN, name_runs


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
    assert _spans(name_runs(text)) == _spans(NAME_RUN.finditer(text))


WORDS = st.sampled_from(
    ["a", "bc", "Ab", "of", "the", "and", "A.", "Mc", "X-y", "d'Or", "O’Neil", "on", "de"]
    + ["for", "é", "Zé", "1", "Q", "x.", ",", "\x000\x00", "(", "B.C.", "Lind"]
)
GAPS = st.sampled_from([" ", " ", " ", "", "  ", ", "])


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.tuples(WORDS, GAPS), max_size=30))
def test_same_runs_on_any_word_sequence(pieces: list[tuple[str, str]]) -> None:
    text = "".join(word + gap for word, gap in pieces)
    assert _spans(name_runs(text)) == _spans(NAME_RUN.finditer(text))


def _plain_alternation(vocab: str) -> str:
    forms = sorted(vocabulary.words(vocab), key=len, reverse=True)
    return "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in forms)


VERB_SENTENCES = [
    "He said it was over, she says, they say, saying so.",
    "Mensah told reporters on Tuesday and told  reporters again.",
    "The ministry described the plan; it describes, and described it.",
    "SAID nobody, Said Kim, said-so, saidx, unsaid.",
    "She added that officials had acknowledged and then denied it.",
]


@pytest.mark.parametrize("flags", [0, re.IGNORECASE])
@pytest.mark.parametrize(
    ("which", "vocab"), [("speech", "speech_verbs"), ("report", "report_verbs")]
)
@pytest.mark.parametrize("sentence", VERB_SENTENCES)
def test_verb_tree_matches_the_plain_alternation(
    sentence: str, which: str, vocab: str, flags: int
) -> None:
    tree = re.compile(rf"\b(?P<verb>{_verb_alternation(which)})\b", flags)
    plain = re.compile(rf"\b(?P<verb>{_plain_alternation(vocab)})\b", flags)
    assert [m.span() for m in tree.finditer(sentence)] == [
        m.span() for m in plain.finditer(sentence)
    ]
    # backtracked into from outside: the same forms in the same order
    tree_then = re.compile(rf"(?P<verb>{_verb_alternation(which)})(?=\w*$)", flags)
    plain_then = re.compile(rf"(?P<verb>{_plain_alternation(vocab)})(?=\w*$)", flags)
    assert [m.span() for m in tree_then.finditer(sentence)] == [
        m.span() for m in plain_then.finditer(sentence)
    ]
