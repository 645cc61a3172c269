"""Names printed in passing: the runs of capitalised words a story prints anywhere, cut
into the names they hold, so that a later surname, pronoun or acronym finds them."""

from __future__ import annotations

import re
from collections.abc import Iterator

from wire import speakers

ACRONYM = re.compile(
    r"(?P<name>[A-Z][\w'’.-]*(?: (?:of |for |and |the |on )?[A-Z][\w'’.-]*){1,7})"
    r" \((?P<acr>[A-Z]{2,8})\)"
)
# A name's word: capitalised, or a surname after a lower-case particle ("el-Ouazzani").
_CAP = r"(?:(?:al|el|bin|ibn|abu|ben|da|de|di|van|von)-)?[A-Z]"
# Abbreviated ranks and honorifics keep their full stop inside a name run ("former
# Democratic Gov. Ray Caldwell", "Sen. Maria Delgado").
_RANK = r"(?:Mr|Mrs|Ms|Dr|Gov|Sen|Rep|Rev|Prof|Gen|Lt|Col|Capt|Sgt|Maj|Atty|Supt)\."
NAME_RUN = re.compile(
    rf"(?:(?:[A-Za-z][\w'’-]* ){{0,3}})"
    rf"(?:(?:[A-Z]\.|{_RANK}|{_CAP}[\w'’-]*|of|for|and|on|de|the) ){{1,6}}"
    rf"{_CAP}[\w'’-]+"
)

# Every name run ends in a capitalised word after a space, and holds at most nine words
# before it (three of lead, six of name): only the stretches around such words are read.
_NAME_END = re.compile(rf" {_CAP}[\w'’-]+")
_WORDS_BEFORE = re.compile(r"(?: [\w'’.-]+){1,9}")  # read on the reversed text


def name_runs(text: str) -> Iterator[re.Match[str]]:
    """The matches of ``NAME_RUN.finditer(text)``, the same ones in the same order, found
    by running it only over the stretches that can hold one, so that the cost of its
    backtracking is paid around capitalised words and not at every letter of the copy."""
    reverse = text[::-1]
    last = len(text) - 1
    lo = hi = -1
    for end in _NAME_END.finditer(text):
        words = _WORDS_BEFORE.match(reverse, last - end.start())
        if words is None:
            continue  # nothing before the capitalised word: no run ends there
        start = len(text) - words.end()
        if lo >= 0 and start <= hi:
            hi = max(hi, end.end())
            continue
        if lo >= 0:
            yield from NAME_RUN.finditer(text, lo, hi)
        lo, hi = start, end.end()
    if lo >= 0:
        yield from NAME_RUN.finditer(text, lo, hi)


_LIST_JOIN = re.compile(r",\s+(?:and\s+)?|\s+and\s+")


_GLUE = frozenset(("of", "for", "and", "the", "de", "da", "del", "van", "von", "al", "bin", "&"))


def split_at_verb(run: str) -> list[str]:
    """A name run cut before its last lower-case word that stands between two names and is
    neither a role nor a connecting word: "Wikinews interviewed Tina McKenzie" gives
    "Wikinews" and "interviewed Tina McKenzie", so an apposition after the run describes
    McKenzie. Role words stay ("coauthor Colette Heald")."""
    tokens = run.split()
    caps = [k for k, t in enumerate(tokens) if t[:1].isupper()]
    if len(caps) < 2:
        return [run]
    for k in range(caps[-1] - 1, caps[0], -1):
        word = tokens[k]
        if word[:1].islower() and word.casefold() not in _GLUE and not speakers.is_role_word(word):
            return [" ".join(tokens[:k]), " ".join(tokens[k:])]
    return [run]


def listed_names(phrase: str) -> list[str]:
    """The names of a list printed in passing ("Tom Devocht and Mark Rathbun", "Ana Ruiz,
    Jo Pell and Kim Lee"), each on its own; the phrase itself when it is not such a list.
    A list counts only when every item after the first is a name of two or more
    capitalised words, so "Ministry of Trade and Industry" stays one name."""
    if " and " not in phrase:
        return [phrase]
    items = _LIST_JOIN.split(phrase)
    if len(items) < 2 or not all(
        len(item.split()) >= 2 and all(w[:1].isupper() for w in item.split()) for item in items[1:]
    ):
        return [phrase]
    return items


APPOSITION = re.compile(r"(?:, \d{1,3})?, (?:an?|the|of|at|who)\b [^,\x00;]{1,100}(?:,|(?=[.;]|$))")
# "The Louvre museum", "Andina Lithium company": a name with its kind of institution after it
NAMED_INSTITUTION = re.compile(
    r"\b(?:the |The )(?P<name>[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,3}) (?P<noun>[a-z]+)\b"
)
