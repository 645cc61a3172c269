"""Language: is the copy in English, the language the attribution rules speak?

The most frequent short words of each language (``vocab/languages.txt``) are counted in
the copy; the language whose words make up most of it wins. Copy the rules do not cover
gets structure and credits, but no quotes, sources or findings.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from wire import vocabulary

ATTRIBUTION_LANGUAGES = frozenset({"en"})
_WORD = re.compile(r"[^\W\d_]+")


@cache
def _function_words() -> dict[str, tuple[str, ...]]:
    """Each function word and the languages it belongs to."""
    index: dict[str, list[str]] = {}
    for code, words in vocabulary.table("languages").items():
        for word in set(words.split()):
            index.setdefault(word, []).append(code)
    return {word: tuple(codes) for word, codes in index.items()}


def detect_language(paragraphs: list[str], *, sample: int = 600) -> str:
    """The BCP 47 code of the copy's language, by function words in its first ``sample``
    words (enough to tell a language; more only costs time); "en" when nothing decides it
    (too little text)."""
    words: list[str] = []
    for paragraph in paragraphs:
        words.extend(_WORD.findall(paragraph.casefold()))
        if len(words) >= max(sample, 1):
            break
    del words[max(sample, 1) :]
    seen = len(words)
    # Each distinct word once, in the order first seen (so ties between languages fall
    # as they would word by word).
    counts: dict[str, int] = {}
    table = _function_words()
    for word, times in Counter(words).items():
        for code in table.get(word, ()):
            counts[code] = counts.get(code, 0) + times
    if seen < 8 or not counts:
        return "en"
    best = max(counts, key=lambda code: (counts[code], code == "en"))
    return best if counts[best] >= max(3, counts.get("en", 0) * 1.5) else "en"
