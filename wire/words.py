"""Words of a speaker phrase, one at a time: is it capitalised, an honorific, a title or
role, part of an organisation's name, a given name with a usual gender. Every list comes
from ``wire/vocab/``."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

from wire import vocabulary

_ROLE_NOUN = re.compile(r"^[a-z][a-z-]+(?:ist|er|or|ian|ant|ee)$")
_ROLE_VERB = re.compile(r"(?:^|-)(?:owned|founded|led|run|including)$")
# R-Tex., D-N.M.; a state legislator's district: D-Yonkers, D-Baltimore City
_PARTY_STATE = re.compile(r"^[DRI]-(?:[A-Z][a-z]+\.?(?: [A-Z][a-z]+)?(?:['’]s)?|[A-Z]\.[A-Z]\.?)$")
_BRACKETED_PARTY_STATE = re.compile(r" ?\(([DRI]-[A-Z][\w.'’ ]{0,24})\)?(,?)(?=[ ;:]|$)")
_POSSESSIVE = re.compile(r"^(?P<owner>.+?)(?:'s|’s|s'|s’)$")
_CONNECTORS = frozenset({"of", "for", "and", "de", "du", "la", "the", "on", "&"})
_NAME_PARTICLES = frozenset(
    {"de", "da", "van", "von", "der", "den", "al", "el", "bin", "ibn", "la", "le", "di", "du"}
)


T = TypeVar("T")
_TOKEN_READERS: list = []


def _per_token(reader: Callable[[str], T]) -> Callable[[str], T]:
    """A story prints the same words again and again, and reading one costs several string
    operations and look-ups: each reading of a token is kept, in a bounded cache."""
    cached = lru_cache(maxsize=65536)(reader)
    _TOKEN_READERS.append(cached)
    return cached


def clear_token_caches() -> None:
    """Empty the caches of token readings (as a worker starts, with none)."""
    for reader in _TOKEN_READERS:
        reader.cache_clear()


_WEB_ADDRESS = re.compile(r"\.(?:com|org|net|gov)\b", re.IGNORECASE)


@_per_token
def _bare(token: str) -> str:
    return token.strip(".,;:'’\"“”()").casefold()


_NAME_PREFIX = re.compile(r"^(?:al|el|bin|ibn|abu|ben|da|de|di|van|von)-(?=[A-Z])")


@_per_token
def is_capitalised(token: str) -> bool:
    """A token that can stand in a name: an initial capital (or a digit-free uncased
    script), allowing "al-", "O'", "McK" and initials ("M.")."""
    t = token.lstrip("(\"“‘'")
    if not t:
        return False
    if t[0].isupper():
        return True
    if "-" in t[:4]:
        t = _NAME_PREFIX.sub("", t)
    return bool(t) and (t[0].isupper() or (t[0].isalpha() and not t[0].islower()))


@_per_token
def honorific_gender(token: str) -> tuple[bool, str | None]:
    """``(is_honorific, gender)`` for a token such as "Mrs." or "Ms"."""
    table = vocabulary.table("honorifics")
    key = _bare(token)
    if key in table:
        return True, table[key] or None
    return False, None


@_per_token
def is_title_word(token: str) -> bool:
    """A post noun or a title modifier ("Minister", "Deputy", "spokeswoman")."""
    key = _bare(token)
    return key in vocabulary.words("titles") or key in vocabulary.words("title_modifiers")


@_per_token
def is_title_head(token: str) -> bool:
    return _bare(token) in vocabulary.words("titles")


def is_role_noun(word: str) -> bool:
    """A lower-case word shaped as a noun of a role ("defector", "bartender", "analyst"),
    unless the vocabulary knows it names none ("further", "greater", "water")."""
    return bool(_ROLE_NOUN.match(word)) and word not in vocabulary.words("not_role_nouns")


@_per_token
def is_role_word(token: str) -> bool:
    """A post noun, or a lower-case noun of a role ("co-owner", "defector", "bartender")."""
    word = token.strip(".,;:()").casefold()
    return is_title_head(word) or is_role_noun(word) or bool(_ROLE_VERB.search(word))


def is_org_name(name: str) -> bool:
    """An organisation's name rather than a person's: an organisation word, an acronym,
    a web address, or a country."""
    tokens = name.split()
    if not tokens:
        return False
    if name.casefold() in vocabulary.words("countries"):
        return True
    if _WEB_ADDRESS.search(name):
        return True
    org_words = vocabulary.words("org_words")
    if any(_bare(t) in org_words for t in tokens):
        return True
    letters = [c for c in tokens[0] if c.isalpha()]
    return len(tokens) == 1 and len(letters) >= 2 and all(c.isupper() for c in letters)


def gender_of(first: str) -> str | None:
    """The usual gender of a given name, from the vocabulary, else None."""
    return vocabulary.first_name_genders().get(first.casefold())


def unbracket_party_tags(text: str) -> str:
    """Politico's bracketed party-state tag in the AP's comma form: "Sen. Ruth Ann Dillard
    (R-Mont.) said" gives "Sen. Ruth Ann Dillard, R-Mont., said". Other brackets stay."""
    if "(" not in text:
        return text
    return _BRACKETED_PARTY_STATE.sub(
        lambda m: f", {m[1]}," if _PARTY_STATE.match(m[1]) else m[0], text
    )
