"""Coreference: every mention of one person or organisation back to one entity.

- A surname, a title plus surname ("Ambassador Ruel") or an honorific plus surname ("Mrs.
  Pell", "Ms Pell") is the person named in full earlier with that surname; a lone given
  name ("Thomas") is the person with that given name.
- A misspelt surname (Kowalczyk / Kowalczik, Schuster / Shuster, Ko / Koh) is the same
  person: close by edit distance (rapidfuzz) and alike in sound (jellyfish's Metaphone).
  The entity keeps the spelling as a variant, for the name-variant check.
- An acronym is the organisation whose initials it spells (KCNA, Korean Central News
  Agency), and a shorter form inside a longer name is that organisation (Coast Guard /
  U.S. Coast Guard).
- "he" / "she" is the person last made the subject of a sentence, of that gender where it
  is known; "it" and institutional descriptions ("the statement", "the ministry") are the
  organisation last named, preferring one whose name holds the description's noun.

Names are split into given name, surname and suffix with nameparser.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import jellyfish
from nameparser import HumanName
from rapidfuzz.distance import OSA

from wire.model import Mention


@dataclass
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
    context: str = ""  # the text around the first mention, for the checks

    @property
    def all_titles(self) -> list[str]:
        """Titles read where words are attributed first, then those read in passing."""
        return [*self.titles, *(t for t in self.passing_titles if t not in self.titles)]

    @property
    def all_affiliations(self) -> list[str]:
        return [*self.affiliations,
                *(a for a in self.passing_affiliations if a not in self.affiliations)]

    @property
    def surname(self) -> str:
        return surname(self.name) if self.kind == "person" else self.name

    @property
    def given(self) -> str:
        return HumanName(self.name).first if self.kind == "person" and " " in self.name else ""


def surname(name: str) -> str:
    """The family name of a person's name as printed ("Amos Kell Jr." gives "Kell")."""
    parsed = HumanName(name)
    return parsed.last or name.split()[-1]


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[:1].isupper())


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


class Tracker:
    """The entities of one story, in the order they were first named, and who was last
    the subject of a sentence."""

    def __init__(self) -> None:
        self.entities: list[Entity] = []
        self.last_subject: Entity | None = None
        self.last_person: dict[str | None, Entity] = {}
        self.last_org: Entity | None = None

    def _find(self, mention: Mention) -> tuple[Entity | None, bool]:
        """The entity a named mention is, and whether it is a variant spelling."""
        key = mention.name.casefold()
        for e in reversed(self.entities):
            if key == e.name.casefold() or key in (a.casefold() for a in e.aliases):
                return e, False
        words = mention.name.split()
        people = [e for e in reversed(self.entities) if e.kind == "person"]
        if mention.kind == "person" or len(words) == 1:
            last = surname(mention.name) if len(words) > 1 else words[0]
            first = words[0] if len(words) > 1 else None
            for e in people:
                if e.surname.casefold() == last.casefold() and (
                    not first or not e.given or e.given.casefold() == first.casefold()
                ):
                    return e, False
            if len(words) == 1:
                for e in people:
                    if e.given and e.given.casefold() == key:
                        return e, False
            for e in people:
                given_ok = not first or not e.given or e.given.casefold() == first.casefold()
                if given_ok and len(last) >= 2 and sounds_alike(e.surname, last):
                    return e, True
        for e in reversed(self.entities):
            if e.kind != "organization":
                continue
            if len(words) == 1 and words[0].isupper() and _initials(e.name) == words[0]:
                return e, False
            if (len(words) >= 2 or words[0][:1].isupper()) and f" {key} " in f" {e.name.casefold()} ":
                return e, False  # "the Church" is the Church of Scientology named earlier
            if len(e.name.split()) >= 2 and f" {e.name.casefold()} " in f" {key} ":
                return e, False
        return None, False

    def find(self, mention: Mention) -> Entity | None:
        """The entity a named mention is, or None when it is new."""
        return self._find(mention)[0]

    def add(self, mention: Mention, *, in_passing: bool = False) -> Entity:
        """The entity of a named mention, created when it is new; a fuller form of the
        name becomes the entity's name and the shorter one an alias. ``in_passing`` marks
        a name read outside any attribution, whose title counts after attributed ones."""
        entity, variant = self._find(mention)
        if entity is None:
            entity = Entity(mention.name, mention.kind, mention.gender, order=len(self.entities))
            self.entities.append(entity)
        elif variant:
            if mention.name not in entity.variants:
                entity.variants.append(mention.name)
        elif mention.name != entity.name:
            longer = len(mention.name.split()) > len(entity.name.split())
            if longer and entity.name.casefold() in mention.name.casefold():
                entity.aliases.append(entity.name)
                entity.name = mention.name
            elif mention.name not in entity.aliases:
                entity.aliases.append(mention.name)
        titles = entity.passing_titles if in_passing else entity.titles
        affiliations = entity.passing_affiliations if in_passing else entity.affiliations
        if mention.title and mention.title not in titles:
            titles.append(mention.title)
        if mention.affiliation and mention.affiliation not in affiliations:
            affiliations.append(mention.affiliation)
        entity.gender = entity.gender or mention.gender
        self._seen(entity)
        return entity

    def define_acronym(self, name: str, acronym: str) -> None:
        """Record "Korean Central News Agency (KCNA)": the acronym is an alias."""
        entity = self.add(Mention(name=name, kind="organization"))
        if acronym not in entity.aliases:
            entity.aliases.append(acronym)

    def _seen(self, entity: Entity) -> None:
        if entity.kind == "person":
            self.last_person[entity.gender] = entity
            self.last_person[None] = entity
        elif entity.kind == "organization":
            self.last_org = entity

    def resolve(self, mention: Mention) -> Entity | None:
        """The entity a mention stands for: named mentions are added; pronouns and
        descriptions resolve to an entity already named, or None."""
        if mention.pronoun is None:
            return self.add(mention) if mention.kind in ("person", "organization") else None
        if mention.kind == "person":
            subject = self.last_subject
            if subject and subject.kind == "person" and (
                not mention.gender or not subject.gender or subject.gender == mention.gender
            ):
                return subject
            return self.last_person.get(mention.gender) or (
                None if mention.gender else self.last_person.get(None)
            )
        if mention.kind == "organization":
            head = mention.pronoun.casefold()
            orgs = [e for e in reversed(self.entities) if e.kind == "organization"]
            for e in orgs:
                if head in e.name.casefold().split():
                    return e
            for e in orgs:  # "Kazakhstan Temir Zholy, the state railway company" ... "the company"
                if any(head in t.casefold().split() for t in e.all_titles):
                    return e
            return self.last_org
        subject = self.last_subject
        return subject or self.last_org

    def subject(self, entity: Entity | None) -> None:
        """Note the entity that is the subject of the sentence just read."""
        if entity is not None:
            self.last_subject = entity
            self._seen(entity)
