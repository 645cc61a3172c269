"""Spellings of one surname: edit distance by rapidfuzz (a swap of two letters is one
edit) and sound by jellyfish's Metaphone, with the keys an index needs to find a name's
variants without comparing every pair of names."""

from __future__ import annotations

from functools import lru_cache

import jellyfish
from rapidfuzz.distance import OSA


def sounds_alike(a: str, b: str) -> bool:
    """Two spellings of one surname: one or two edits apart (one for short names; a swap
    of two letters is one edit) and the same Metaphone key, or the same first letter and
    a single edit."""
    a, b = a.casefold(), b.casefold()
    if a == b:
        return True
    limit = 1 if min(len(a), len(b)) <= 5 else 2
    # OSA counts a swap of two letters as one edit ("Vinh" / "Vihn").
    distance = OSA.distance(a, b)
    if distance > limit:
        return False
    return jellyfish.metaphone(a) == jellyfish.metaphone(b) or (
        a[0] == b[0] and distance == 1 and min(len(a), len(b)) >= 4
    )


@lru_cache(maxsize=8192)
def _deletions(word: str) -> tuple[str, ...]:
    """The word and every form of it with one letter removed: two words within one edit
    (a swap counts as one) share at least one of these keys. Cached: a surname's keys are
    read when it is looked up and again when it is indexed."""
    return (word, *(word[:i] + word[i + 1 :] for i in range(len(word))))


def spelling_keys(name: str) -> list[str]:
    """Keys that two surnames which :func:`sounds_alike` always share at least one of:
    the Metaphone key, and the casefolded word with and without each one letter. An index
    on them finds a name's variants without comparing every pair of names."""
    folded = name.casefold()
    return [f"m:{jellyfish.metaphone(folded)}", *(f"d:{d}" for d in _deletions(folded))]
