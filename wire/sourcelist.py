"""The story's source list: each entity the story attributes words or views to, once,
under the fullest form of its name, with its first title and affiliation and every other
form it was printed in as an alias. Unnamed sources are listed by their description."""

from __future__ import annotations

import re

from wire.attribution import Attribution
from wire.model import Quote, Source

# "the 73-year-old former governor": the age describes the person, not the post. Titles
# keep it while the story is read ("the 73-year-old" later is the same person).
_AGE = re.compile(r"^[\w-]+-year-old\b")


def posts(titles: list[str]) -> list[str]:
    """The titles as posts: each without an age ("73-year-old former governor" gives
    "former governor"), once each, in order; a title that was only an age is dropped."""
    found = (_AGE.sub("", title).strip() for title in titles)
    return list(dict.fromkeys(post for post in found if post))


def build_sources(attribution: Attribution) -> list[Source]:
    """Named sources in the order they were first attributed, then unnamed ones."""
    quoted = {id(q.entity) for q in attribution.quotes if q.entity is not None}
    sources = []
    for e in attribution.sources:
        titles = posts(e.all_titles)
        sources.append(
            Source(
                name=e.name,
                kind=e.kind,
                title=titles[0] if titles else None,
                affiliation=e.all_affiliations[0] if e.all_affiliations else None,
                aliases=[a for a in [*e.aliases, *e.variants] if a != e.name],
                titles=titles,
                gender=e.gender,
                quoted=id(e) in quoted,
            )
        )
    seen: set[str] = set()
    for q in attribution.quotes:
        if q.entity is None and q.unnamed and q.unnamed.casefold() not in seen:
            seen.add(q.unnamed.casefold())
            sources.append(Source(name=q.unnamed, kind="unnamed", quoted=True))
    return sources


def build_quotes(attribution: Attribution) -> list[Quote]:
    """The quotes in order, each with its speaker's name (a source's ``name``) or None."""
    return [
        Quote(
            text=q.span.text,
            paragraph=q.span.paragraph,
            kind=q.kind,
            speaker=q.entity.name if q.entity is not None else q.unnamed,
            verb=q.verb,
        )
        for q in attribution.quotes
    ]
