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
    ends = {surname(s["name"]) for s in incoming if s.get("kind") != Source.Kind.UNNAMED}
    ends.discard("")
    if not ends:
        return []
    by_surname = reduce(or_, (Q(name__iendswith=end) for end in ends))
    return list(Source.objects.filter(by_surname, confidential=False).exclude(kind="unnamed"))


def _enrich(candidate: Source, *, title: str, affiliation: str, aliases: list[str]) -> None:
    """Fill what the saved source lacks from the new story; never overwrite what it has."""
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
    if changed:
        candidate.save(update_fields=changed)


def match_source(incoming: dict, candidates: list[Source]) -> SourceMatch:
    """Reuse a certain match from `candidates`, else create and return a new Source.

    `candidates` comes from `candidates_for`; a source created here is appended to it, so a
    later story in the same batch can reuse it.
    """
    kind = incoming.get("kind") or Source.Kind.PERSON
    name = (incoming.get("name") or "").strip()
    affiliation = (incoming.get("affiliation") or "").strip()
    title = (incoming.get("title") or "").strip()
    aliases = [a for a in incoming.get("aliases") or [] if a and a != name]
    if kind == Source.Kind.UNNAMED:
        # An unnamed source is the story's own description, never one to match across stories.
        return SourceMatch(
            Source.objects.create(kind=kind, name=name or "unnamed source"), created=True
        )
    wanted = {normalized(name), *(normalized(a) for a in aliases if len(a.split()) > 1)}
    possible = []
    for candidate in candidates:
        if candidate.kind != kind:
            continue
        same_name = bool(wanted & _names(candidate))
        same_place = normalized(candidate.affiliation) == normalized(affiliation)
        if same_name and (same_place or not affiliation or not candidate.affiliation):
            _enrich(candidate, title=title, affiliation=affiliation, aliases=aliases)
            return SourceMatch(candidate, created=False)
        if kind == Source.Kind.PERSON and surname(candidate.name) == surname(name):
            possible.append(candidate)
    source = Source.objects.create(
        kind=kind, name=name, title=title, affiliation=affiliation, aliases=aliases
    )
    candidates.append(source)
    return SourceMatch(source, created=True, possible=possible)


def possible_match_message(match: SourceMatch) -> str:
    listed = "; ".join(f"#{c.pk} {c}" for c in match.possible[:3])
    return (
        f"“{match.source.name}” may be a source already in the source book ({listed}). "
        "It was kept separate; merge them in the source admin if they are one person."
    )
