"""Checks: the attribution audit's findings, each with a message saying what to check.

Each check is written to be right when it fires (a false finding blocks publishing until
an editor overrides it):

- ``missing-headline``: the copy has no headline line.
- ``unattributed-quote``: a direct quote for which no cue, run, turn or context gives
  a speaker.
- ``name-variant``: a source whose surname is printed two ways that sound alike.
- ``title-conflict``: a person (never an organisation) given two different posts
  ("Prime Minister" / "Foreign Minister"), both naming an office; two words for one role
  ("creator" / "co-founder") are not offices and never conflict.
- ``source-without-affiliation``: a person quoted directly, named with a given name and a
  surname, known to be a person (a given name the vocabulary knows, or a he or she the
  story uses for them, so an organisation's name is never taken for a person),
  with no title or affiliation anywhere in the story, and no role noun printed beside
  the first mention ("co-owned by X", "defectors including X") that the rules could not
  read as a title.
- ``unclosed-quote``: a quotation mark opened and never closed.
"""

from __future__ import annotations

import re
from functools import cache

from wire import speakers, vocabulary
from wire.attribution import Attribution
from wire.coreference import BUCKET_SCAN, Entity, surname
from wire.model import Finding, Layout, Quote, Source
from wire.spelling import sounds_alike, spelling_keys

_WORD_OR_HYPHEN = re.compile(r"[\w-]+")


@cache
def _same_office() -> dict[str, str]:
    """Each office word to its group's first word, from ``same_office.txt``; read once."""
    return {w: line.split()[0] for line in vocabulary.words("same_office") for w in line.split()}


def _offices(title: str) -> frozenset[str]:
    """The office words of a title, each as its group's first word ("envoy" is
    "ambassador"), from ``offices.txt`` and ``same_office.txt``."""
    same = _same_office()
    return frozenset(
        same.get(w, w)
        for w in _WORD_OR_HYPHEN.findall(title.casefold())
        if w in vocabulary.words("offices")
    )


def titles_conflict(a: str, b: str) -> bool:
    """Two titles that cannot both be one person's post at once."""
    fa, fb = a.casefold().strip(), b.casefold().strip()
    oa, ob = _offices(fa), _offices(fb)
    if not oa or not ob or fa in fb or fb in fa:
        return False
    if oa == ob and (len(fa.split()) == 1 or len(fb.split()) == 1):
        return False  # "Ambassador" and "the French envoy": one post
    words_a, words_b = set(fa.split()), set(fb.split())
    return words_a != words_b


def _title_conflicts(sources: list[Entity]) -> list[Finding]:
    found = []
    for e in sources:
        if e.kind != "person":
            continue
        titles = e.all_titles
        for i, a in enumerate(titles):
            b = next((b for b in titles[i + 1 :] if titles_conflict(a, b)), None)
            if b:
                found.append(
                    Finding(
                        "title-conflict",
                        e.name,
                        f"{e.name} is called both “{a}” and “{b}”: check which post is right.",
                    )
                )
                break
    return found


def audit(layout: Layout, attribution: Attribution) -> list[Finding]:
    """The findings for a story, in a stable order."""
    findings: list[Finding] = []
    if not layout.headline:
        findings.append(Finding("missing-headline", "", "The copy has no headline line."))
    quoted = {id(q.entity) for q in attribution.quotes if q.entity and q.kind == "direct"}
    for e in attribution.sources:
        if e.kind == "person" and e.variants:
            findings.append(
                Finding(
                    "name-variant",
                    e.name,
                    f"{e.name} is also spelled {', '.join(e.variants)}: check the spelling.",
                )
            )
    findings.extend(_title_conflicts(attribution.tracker.entities))
    for q in attribution.quotes:
        if q.kind == "direct" and q.entity is None and q.unnamed is None:
            findings.append(
                Finding(
                    "unattributed-quote",
                    q.span.text[:60],
                    f"No one is named as saying “{q.span.text[:60]}…”: add the attribution.",
                )
            )
    for e in attribution.sources:
        if (
            e.kind == "person"
            and id(e) in quoted
            and not e.all_titles
            and not e.all_affiliations
            and len(e.name.split()) >= 2
            and (e.given.casefold() in vocabulary.first_name_genders() or e.gender)
            and not any(speakers.is_role_word(w) for w in e.context.split())
        ):
            findings.append(
                Finding(
                    "source-without-affiliation",
                    e.name,
                    f"{e.name} is quoted with no title or affiliation: say who they are.",
                )
            )
    if attribution.unclosed:
        findings.append(
            Finding(
                "unclosed-quote",
                "",
                "A quotation mark is opened and never closed: check where the quote ends.",
            )
        )
    if not layout.paragraphs:
        findings.append(Finding("no-paragraphs", "", "The copy has no body paragraphs."))
    return findings


def audit_saved(headline: str | None, sources: list[Source], quotes: list[Quote]) -> list[Finding]:
    """The findings that saved attributions alone can show (no text needed), for the audit
    re-run before publishing: missing headline, a direct quote with no speaker, a quoted
    person with no title or affiliation, and two sources whose names are variants of one
    name. ``quotes[].speaker`` is a source's ``name`` or None."""
    findings: list[Finding] = []
    if not headline:
        findings.append(Finding("missing-headline", "", "The copy has no headline line."))
    people = [s for s in sources if s.kind == "person"]
    for a, b in _variant_pairs(people):
        findings.append(
            Finding(
                "name-variant",
                a.name,
                f"{a.name} is also spelled {b.name}: check the spelling.",
            )
        )
    for q in quotes:
        if q.kind == "direct" and not q.speaker:
            findings.append(
                Finding(
                    "unattributed-quote",
                    q.text[:60],
                    f"No one is named as saying “{q.text[:60]}…”: add the attribution.",
                )
            )
    quoted = {q.speaker for q in quotes if q.kind == "direct" and q.speaker}
    for s in people:
        if s.name in quoted and not s.title and not s.affiliation and len(s.name.split()) >= 2:
            findings.append(
                Finding(
                    "source-without-affiliation",
                    s.name,
                    f"{s.name} is quoted with no title or affiliation: say who they are.",
                )
            )
    return findings


def _variant_pairs(people: list[Source]) -> list[tuple[Source, Source]]:
    """Each pair of differently printed names of one person, in the order the sources come.

    Only names that share a spelling key are compared, the most recent BUCKET_SCAN of
    them per key, so the work grows with the number of sources, not with its square.
    """
    index: dict[str, list[int]] = {}
    pairs: list[tuple[int, int]] = []
    for j, b in enumerate(people):
        keys = spelling_keys(surname(b.name))
        near = {i for key in keys for i in index.get(key, ())[-BUCKET_SCAN:]}
        pairs.extend(
            (i, j)
            for i in near
            if people[i].name != b.name and _same_person(people[i].name, b.name)
        )
        for key in keys:
            index.setdefault(key, []).append(j)
    return [(people[i], people[j]) for i, j in sorted(pairs)]


def _same_person(a: str, b: str) -> bool:
    wa, wb = a.split(), b.split()
    if len(wa) >= 2 and len(wb) >= 2 and wa[0].casefold() != wb[0].casefold():
        return False
    return sounds_alike(surname(a), surname(b))
