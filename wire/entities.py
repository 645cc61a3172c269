"""Entities of a story (a person or an organisation with every form and title it was
given) and the reading of a person's name into given name and surname (nameparser)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from nameparser import HumanName


@dataclass(eq=False, slots=True)
class Entity:
    """One person or organisation of the story, with every form and title it was given."""

    name: str
    kind: str
    gender: str | None = None
    titles: list[str] = field(default_factory=list)
    affiliations: list[str] = field(default_factory=list)
    # Titles and affiliations read from a name printed in passing, without its apposition:
    # used after those read where the story attributes words to the entity.
    passing_titles: list[str] = field(default_factory=list)
    passing_affiliations: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    variants: list[str] = field(default_factory=list)
    order: int = 0
    spoke: bool = False  # words or views were attributed to it
    led: bool = False  # it was the subject of a sentence, not only named in passing
    mentions: int = 0  # how many times the story mentioned it
    seen: int = 0  # when it was last mentioned, counted in mentions
    context: str = ""  # the text around the first mention, for the checks
    _given: tuple[str, str, str] | None = field(default=None, repr=False)

    @property
    def all_titles(self) -> list[str]:
        """Titles read where words are attributed first, then those read in passing."""
        return [*self.titles, *(t for t in self.passing_titles if t not in self.titles)]

    @property
    def all_affiliations(self) -> list[str]:
        return [
            *self.affiliations,
            *(a for a in self.passing_affiliations if a not in self.affiliations),
        ]

    @property
    def surname(self) -> str:
        return surname(self.name) if self.kind == "person" else self.name

    @property
    def given(self) -> str:
        # Read on every look-up by surname: kept with the name it was read from.
        cached = self._given
        if cached is None or cached[0] is not self.name or cached[1] is not self.kind:
            given = _split_name(self.name)[0] if self.kind == "person" and " " in self.name else ""
            cached = self._given = (self.name, self.kind, given)
        return cached[2]


_PLAIN_WORD = re.compile(r"^[A-Z][\w'’-]*[a-z0-9]$")
_NOT_PLAIN = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md", "qc", "kc", "sc", "mp"})


@lru_cache(maxsize=65536)
def _split_name(name: str) -> tuple[str, str]:
    """(given name, family name) by nameparser; cached, since one story names the same
    people many times and parsing a name costs far more than a look-up."""
    words = name.split()
    if 2 <= len(words) <= 3 and all(
        _PLAIN_WORD.match(w) and w.casefold() not in _NOT_PLAIN for w in words
    ):
        return words[0], words[-1]  # "Ana Costa": nothing for a name parser to find
    parsed = HumanName(name)
    return parsed.first, parsed.last or words[-1]


def surname(name: str) -> str:
    """The family name of a person's name as printed ("Amos Kell Jr." gives "Kell")."""
    return _split_name(name)[1]
