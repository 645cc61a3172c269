"""Coreference: every mention of one person or organisation back to one entity.

- A surname, a title plus surname ("Ambassador Ruel") or an honorific plus surname ("Mrs.
  Pell", "Ms Pell") is the person named in full earlier with that surname; a lone given
  name ("Thomas") is the person with that given name.
- A misspelt surname (Kowalczyk / Kowalczik, Schuster / Shuster, Ko / Koh) is the same
  person (:func:`wire.spelling.sounds_alike`).
  The entity keeps the spelling as a variant, for the name-variant check.
- An acronym is the organisation whose initials it spells (KCNA, Korean Central News
  Agency), and a shorter form inside a longer name is that organisation (Coast Guard /
  U.S. Coast Guard).
- "he" / "she" is the person last made the subject of a sentence, of that gender where it
  is known; "it" and institutional descriptions ("the statement", "the ministry") are the
  organisation last named, preferring one whose name holds the description's noun.

Names are split into given name, surname and suffix by :mod:`wire.entities`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import jellyfish

from wire import vocabulary
from wire.descriptions import described_by, post_words
from wire.entities import Entity, _split_name, surname
from wire.model import Mention
from wire.spelling import _deletions, sounds_alike
from wire.words import is_role_word

__all__ = ["Entity", "Tracker", "_split_name", "sounds_alike", "surname"]


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[:1].isupper())


def _last_seen(candidates: list[Entity] | None) -> Entity | None:
    """The candidate mentioned most recently ("the department" is the one just named),
    among those that spoke or led a sentence when there are any: "the central bank" is
    the Bank of England that acted, not the Bank Rate it set."""
    return max(
        (candidates or ())[-BUCKET_SCAN:],
        key=lambda e: (e.spoke or e.led, e.seen),
        default=None,
    )


# A look-up reads at most this many entities of one index entry, the most recently added:
# a story naming thousands of people with one given name or one sound of surname still
# costs the same per mention (a variant spelling is looked for among recent names).
BUCKET_SCAN = 64


def _latest(candidates: list[Entity] | None, accept=None) -> Entity | None:
    """The candidate named last that ``accept`` takes; one the story has attributed words
    to comes before one only mentioned ("the Bank" is the Bank of England that spoke, not
    the Bank Rate it set)."""
    best = None
    best_key = (False, -1)  # below every entity's (spoke, order)
    for e in (candidates or ())[-BUCKET_SCAN:]:
        key = (e.spoke, e.order)
        # the cheap comparison first: ``accept`` only for a candidate that would win
        if key > best_key and (accept is None or accept(e)):
            best, best_key = e, key
    return best


def _given_age(context: str, name: str, years: str) -> bool:
    """Whether the text around a name gives the person that age: "Ana Ruiz, 58," or "the
    58-year-old Ana Ruiz"; not an age printed near the name for someone else."""
    escaped = re.escape(name)
    if re.search(rf"{escaped},\s+(?:an?\s+)?{years}\b", context):
        return True
    before = re.search(rf"\b{years}-year-old\s+((?:[a-z]+\s+){{0,3}}){escaped}", context)
    # only a role may stand between: "the 58-year-old farmer Ana Ruiz", not "said on"
    return bool(before) and all(is_role_word(w) for w in before[1].split())


class Tracker:
    """The entities of one story, in the order they were first named, and who was last
    the subject of a sentence. Lookups go through indexes (names, surnames, given names,
    one-edit deletions and Metaphone keys of surnames, initials and words of organisation
    names), so resolving a mention costs the same however many entities the story has."""

    def __init__(self) -> None:
        self.entities: list[Entity] = []
        self.last_subject: Entity | None = None
        self.last_person: dict[str | None, Entity] = {}
        self.last_org: Entity | None = None
        self.last_voice_org: Entity | None = None
        self.last_voice: Entity | None = None
        self._mentions = 0
        self._index: dict[tuple[str, str], list[Entity]] = {}
        # For entries longer than BUCKET_SCAN: where each entity was last appended.
        self._placed: dict[tuple[str, str], dict[Entity, int]] = {}
        # Each person's given name, lower case, as of its current name ("" when none).
        self._given_of: dict[Entity, str] = {}

    def _put(self, kind: str, keys: Iterable[str], entity: Entity) -> None:
        """Add the entity to the index entry of each key, unless it is among that entry's
        last BUCKET_SCAN already."""
        index = self._index
        for key in keys:
            entry = (kind, key)
            bucket = index.get(entry)
            if bucket is None:
                index[entry] = [entity]
            elif len(bucket) <= BUCKET_SCAN:
                if entity not in bucket:  # entities compare by identity
                    bucket.append(entity)
            else:
                # A long entry remembers where each entity last went, so a put need not
                # read its last BUCKET_SCAN; most entries stay short and never need it.
                placed = self._placed.get(entry)
                if placed is None:
                    placed = self._placed[entry] = {e: i for i, e in enumerate(bucket)}
                at = placed.get(entity)
                if at is None or len(bucket) - at > BUCKET_SCAN:
                    placed[entity] = len(bucket)
                    bucket.append(entity)

    def _get(self, kind: str, key: str) -> list[Entity] | None:
        return self._index.get((kind, key))

    def _register(self, entity: Entity, name: str) -> None:
        """Index one printed form of an entity's name (after any change of its name)."""
        self._put("key", (name.casefold(),), entity)
        if entity.kind == "person":
            self._given_of[entity] = entity.given.casefold()
            last = surname(name).casefold() if " " in name else name.casefold()
            # "Fahad bin Saleh al-Harbi" is "al-Harbi" later: the family name's last word
            self._put("surname", {last, last.rsplit(" ", 1)[-1]}, entity)
            self._put("deletion", _deletions(last), entity)
            self._put("metaphone", (jellyfish.metaphone(last),), entity)
            if " " in name:
                self._put("given", (_split_name(name)[0].casefold(),), entity)
        elif entity.kind == "organization":
            self._put("initials", (_initials(name),), entity)
            self._put("org-word", name.casefold().split(), entity)

    def _find(self, mention: Mention) -> tuple[Entity | None, bool]:
        """The entity a named mention is, and whether it is a variant spelling."""
        key = mention.name.casefold()
        found = _latest(self._get("key", key))
        if found is not None:
            return found, False
        words = mention.name.split()
        if mention.kind == "person" or len(words) == 1:
            last = surname(mention.name) if len(words) > 1 else words[0]
            first = words[0].casefold() if len(words) > 1 else None

            def given_ok(e: Entity) -> bool:
                if not first:
                    return True
                given = e.given
                return not given or given.casefold() == first

            found = _latest(
                self._get("surname", last.casefold()), lambda e: e.kind == "person" and given_ok(e)
            )
            if found is not None:
                return found, False
            if len(words) == 1:
                found = _latest(self._get("given", key), lambda e: e.kind == "person")
                if found is not None:
                    return found, False
            if len(last) >= 2:
                found = self._near_spelling(last, first)
                if found is not None:
                    return found, True
        if len(words) == 1 and words[0].isupper():
            found = _latest(self._get("initials", words[0]))
            if found is not None:
                return found, False
        padded = f" {key} "
        if len(words) >= 2 or words[0][:1].isupper():
            # "the Church" is the Church of Scientology named earlier
            found = _latest(
                self._get("org-word", key.split()[0]), lambda e: padded in f" {e.name.casefold()} "
            )
            if found is not None:
                return found, False
        near = []
        for word in set(key.split()):
            near.extend((self._get("org-word", word) or ())[-BUCKET_SCAN:])
        found = _latest(
            near, lambda e: len(e.name.split()) >= 2 and f" {e.name.casefold()} " in padded
        )
        return found, False

    def _near_candidates(self, folded: str) -> list[Entity]:
        """The last BUCKET_SCAN entities of the surname's one-deletion entries followed by
        its Metaphone entry, read from the end: entries that would fall outside are not
        read at all."""
        chunks = [(self._get("metaphone", jellyfish.metaphone(folded)) or ())[-BUCKET_SCAN:]]
        count = len(chunks[0])
        if count < BUCKET_SCAN:
            for d in reversed(_deletions(folded)):
                chunk = (self._get("deletion", d) or ())[-BUCKET_SCAN:]
                chunks.append(chunk)
                count += len(chunk)
                if count >= BUCKET_SCAN:
                    break
        near = [e for chunk in reversed(chunks) for e in chunk]
        return near[-BUCKET_SCAN:]

    def _near_spelling(self, last: str, first: str | None) -> Entity | None:
        """The person whose surname is a variant spelling of ``last`` (and whose given name,
        when both are known, is ``first``), the latest by :func:`_latest`'s order."""
        given_of = self._given_of
        known = ("", first)  # no given name known, or that one
        best = None
        best_key = (False, -1)
        # One pass, the given-name test first: it turns most candidates away. A candidate
        # listed twice is turned away the second time by its key, no greater than itself.
        for e in self._near_candidates(last.casefold()):
            if first and given_of.get(e, "") not in known:
                continue
            key = (e.spoke, e.order)
            if key > best_key and e.kind == "person" and sounds_alike(e.surname, last):
                best, best_key = e, key
        return best

    def last_org_with_word(self, word: str) -> Entity | None:
        """The organisation named last (first named, by order) whose name holds ``word``
        (lower case) as a word: read from the index, not from every entity."""
        found = None
        for e in dict.fromkeys(self._index.get(("org-word", word), ())):
            if (found is None or e.order > found.order) and word in e.name.casefold().split():
                found = e
        return found

    def holder(self, post: str, marks: str = "") -> Entity | None:
        """The person last mentioned whose titles hold every word of ``post`` ("governor",
        "prime minister"; abbreviated ranks count written out), or None. Read from the
        index of title words, not from every entity. ``marks``, place and party words
        ("indiana", "democratic"), must each be among the words of the person's titles and
        affiliations; with no ``post``, any person they all describe will do."""
        wanted = post.split()
        if not wanted and not marks:
            return None
        found = None
        # The most recent BUCKET_SCAN only, as every look-up here: linear on any input.
        pool = self._index.get(("post-word", wanted[-1]), ()) if wanted else self.entities
        for e in dict.fromkeys(pool[-BUCKET_SCAN:]):
            if e.kind != "person" or (found is not None and e.seen <= found.seen):
                continue
            if wanted and not any(set(wanted) <= post_words(t) for t in e.all_titles):
                continue
            if not marks or described_by(marks, (*e.all_titles, *e.all_affiliations)):
                found = e
        return found

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
            self._register(entity, entity.name)
        elif variant:
            if mention.name not in entity.variants:
                entity.variants.append(mention.name)
                self._register(entity, mention.name)
        elif mention.name != entity.name:
            longer = len(mention.name.split()) > len(entity.name.split())
            if longer and entity.name.casefold() in mention.name.casefold():
                entity.aliases.append(entity.name)
                entity.name = mention.name
            elif mention.name not in entity.aliases:
                entity.aliases.append(mention.name)
            self._register(entity, mention.name)
        titles = entity.passing_titles if in_passing else entity.titles
        affiliations = entity.passing_affiliations if in_passing else entity.affiliations
        if mention.title and mention.title not in titles:
            titles.append(mention.title)
            if entity.kind == "organization":
                self._put("org-title-word", mention.title.casefold().split(), entity)
            elif entity.kind == "person":
                self._put("post-word", post_words(mention.title), entity)
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
            self._register(entity, acronym)

    def _seen(self, entity: Entity) -> None:
        self._mentions += 1
        entity.seen, entity.mentions = self._mentions, entity.mentions + 1
        if entity.kind == "person":
            self.last_person[entity.gender] = entity
            self.last_person[None] = entity
        elif entity.kind == "organization":
            self.last_org = entity

    def resolve(self, mention: Mention, *, in_passing: bool = False) -> Entity | None:
        """The entity a mention stands for: named mentions are added (``in_passing`` as
        for :meth:`add`); pronouns and descriptions resolve to an entity already named, or
        None."""
        if mention.pronoun is None:
            if mention.kind not in ("person", "organization"):
                return None
            return self.add(mention, in_passing=in_passing)
        if mention.pronoun.startswith("age:"):
            years = mention.pronoun[4:]
            age = f"{years}-year-old"
            aged = next(
                (
                    e
                    for e in reversed(self.entities)
                    if e.kind == "person"
                    and (
                        any(age in t for t in e.all_titles) or _given_age(e.context, e.name, years)
                    )
                ),
                None,
            )
            subject = self.last_subject
            return aged or (subject if subject and subject.kind == "person" else None)
        if mention.kind == "person":
            subject = self.last_subject
            if (
                subject
                and subject.kind == "person"
                and (not mention.gender or not subject.gender or subject.gender == mention.gender)
            ):
                found = subject
            else:
                found = self.last_person.get(mention.gender) or (
                    None if mention.gender else self.last_person.get(None)
                )
            if found is not None and mention.gender and not found.gender:
                found.gender = mention.gender  # "she said" teaches the story who she is
                self.last_person[found.gender] = found
            return found
        if mention.kind == "organization":
            head = mention.pronoun.casefold()
            # By a word of its name, then of its description ("Kazakhstan Temir Zholy, the
            # state railway company" ... "the company"), then the organisation named last.
            if head == "it":
                return self._named_only_org() or self.last_voice_org or self.last_org
            return (
                _last_seen(self._get("org-word", head))
                or _last_seen(self._get("org-title-word", head))
                or self._named_only_org()
                or self.last_voice_org
                or self.last_org
            )
        subject = self.last_subject
        return subject or self.last_org

    def _named_only_org(self) -> Entity | None:
        """The entity that spoke last, when it was read as a person only for want of
        evidence and has spoken since the last organisation did: a name with no known given
        name, gender or title ("Andina Lithium said ... it regretted", "the company said").
        Being called "it" or "the company" makes it an organisation."""
        last = self.last_voice
        if (
            last is None
            or last.kind != "person"
            or last.gender
            or last.all_titles
            or last.given.casefold() in vocabulary.first_name_genders()
            or (self.last_voice_org is not None and self.last_voice_org.seen > last.seen)
        ):
            return None
        last.kind = "organization"
        self.last_voice_org = self.last_org = last
        return last

    def voiced(self, entity: Entity) -> None:
        """Note that words or views were just attributed to the entity."""
        self.last_voice = entity
        entity.spoke = True
        if entity.kind == "organization":
            self.last_voice_org = entity

    def subject(self, entity: Entity | None) -> None:
        """Note the entity that is the subject of the sentence just read."""
        if entity is not None:
            self.last_subject = entity
            entity.led = True
            self._seen(entity)
