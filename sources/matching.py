"""Matching quoted sources to the newsroom's source book (the saved Source records).

An incoming source is reused only when the match is certain: the same name and
affiliation, or a known alias at the same affiliation. A possible match (the same surname
with another first name or affiliation) is never merged silently: a new source is made and
the editor is shown the candidate as an audit finding.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Q

from sources.models import Source


def normalized(text: str | None) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.casefold().replace("’", "'").split())


def surname(name: str) -> str:
    parts = normalized(name).split()
    return parts[-1] if parts else ""


@dataclass
class SourceMatch:
    source: Source
    created: bool
    possible: list[Source] = field(default_factory=list)


def _names(source: Source) -> set[str]:
    return {normalized(source.name), *(normalized(alias) for alias in source.aliases or [])}


def candidates_for(incoming: list[dict]) -> list[Source]:
    """One query for every saved source that could match any incoming named source."""
    named = [s["name"] for s in incoming if s.get("kind") != Source.Kind.UNNAMED]
    # The surname as printed too: the database compares accents ("Galán" does not end
    # with "galan"), which the match itself ignores.
    ends = {surname(name) for name in named} | {name.split()[-1] for name in named if name.split()}
    ends.discard("")
    if not ends:
        return []
    by_surname = reduce(or_, (Q(name__iendswith=end) for end in ends))
    return list(Source.objects.filter(by_surname, confidential=False).exclude(kind="unnamed"))


def _enrich(candidate: Source, *, title: str, affiliation: str, aliases: list[str]) -> list[str]:
    """Fill what the saved source lacks from the new story, never overwriting what it has;
    return the names of the fields filled."""
    changed = []
    if not candidate.affiliation and affiliation:
        candidate.affiliation = affiliation
        changed.append("affiliation")
    if not candidate.title and title:
        candidate.title = title
        changed.append("title")
    new_aliases = [a for a in aliases if a not in (candidate.aliases or [])]
    if new_aliases:
        candidate.aliases = [*(candidate.aliases or []), *new_aliases]
        changed.append("aliases")
    return changed


class SourceMatcher:
    """Matches the named sources of many stories against the source book, in memory.

    ``SourceMatcher(incoming)`` reads every candidate for the ``incoming`` source dicts (the
    wire-import contract's ``sources``, of all the stories) in one query (`candidates_for`).
    `match` then decides each source without writing: it reuses a certain match (filling what
    the saved source lacks) or makes a new, unsaved Source, which later sources in the batch
    can reuse. `save` writes the new sources with one insert and the filled ones with an
    update per set of fields filled (at most seven), so the queries do not grow with the
    number of sources; it runs in the caller's transaction.
    """

    def __init__(self, incoming: list[dict]) -> None:
        self._new: list[Source] = []
        self._filled: dict[int, tuple[Source, set[str]]] = {}
        # The candidates in the order read, indexed by each normalised name and alias and
        # by surname, so that a match costs a few lookups, not a pass over the candidates.
        self._order: dict[int, int] = {}
        self._by_name: dict[str, list[Source]] = {}
        self._by_surname: dict[str, list[Source]] = {}
        for candidate in candidates_for(incoming):
            self._index(candidate)

    def _index(self, candidate: Source) -> None:
        self._order[id(candidate)] = len(self._order)
        for name in _names(candidate):
            self._by_name.setdefault(name, []).append(candidate)
        self._by_surname.setdefault(surname(candidate.name), []).append(candidate)

    def match(self, incoming: dict) -> SourceMatch:
        """The source for one incoming source dict; unsaved until `save`.

        The same decision `candidates` in order would give: the first candidate of the
        same kind with the same name (or a shared alias) at the same affiliation, or where
        either has none, is reused; otherwise a new source, with the people of the same
        surname as possible matches.
        """
        kind = incoming.get("kind") or Source.Kind.PERSON
        name = (incoming.get("name") or "").strip()
        affiliation = (incoming.get("affiliation") or "").strip()
        title = (incoming.get("title") or "").strip()
        aliases = [a for a in incoming.get("aliases") or [] if a and a != name]
        if kind == Source.Kind.UNNAMED:
            # An unnamed source is the story's own description, never one to match across
            # stories.
            return SourceMatch(self._add(Source(kind=kind, name=name or "unnamed source")), True)
        wanted = {normalized(name), *(normalized(a) for a in aliases if len(a.split()) > 1)}
        same_name = {id(c): c for n in wanted for c in self._by_name.get(n, ())}
        place = normalized(affiliation)
        for candidate in sorted(same_name.values(), key=lambda c: self._order[id(c)]):
            if candidate.kind != kind:
                continue
            if (
                normalized(candidate.affiliation) == place
                or not affiliation
                or not (candidate.affiliation)
            ):
                changed = _enrich(candidate, title=title, affiliation=affiliation, aliases=aliases)
                if "aliases" in changed:
                    for alias in _names(candidate):
                        found = self._by_name.setdefault(alias, [])
                        if candidate not in found:
                            found.append(candidate)
                if changed and candidate.pk is not None:
                    _, fields = self._filled.setdefault(id(candidate), (candidate, set()))
                    fields.update(changed)
                return SourceMatch(candidate, created=False)
        possible = []
        if kind == Source.Kind.PERSON:
            possible = [c for c in self._by_surname.get(surname(name), []) if c.kind == kind]
        source = self._add(
            Source(kind=kind, name=name, title=title, affiliation=affiliation, aliases=aliases)
        )
        self._index(source)
        return SourceMatch(source, created=True, possible=possible)

    def _add(self, source: Source) -> Source:
        self._new.append(source)
        return source

    def save(self) -> None:
        """Insert the new sources and update the filled ones (sets their primary keys)."""
        Source.objects.bulk_create(self._new)
        by_fields: dict[frozenset[str], list[Source]] = {}
        for source, fields in self._filled.values():
            by_fields.setdefault(frozenset(fields), []).append(source)
        for fields, sources in by_fields.items():
            Source.objects.bulk_update(sources, sorted(fields))
        self._new, self._filled = [], {}


def possible_match_message(match: SourceMatch) -> str:
    listed = "; ".join(f"#{c.pk} {c}" for c in match.possible[:3])
    return (
        f"“{match.source.name}” may be a source already in the source book ({listed}). "
        "It was kept separate; merge them in the source admin if they are one person."
    )
