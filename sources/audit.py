"""The attribution audit: findings an editor must see before a story moves.

Reads a neutral shape, so the importer (on parse) and the Django app (before publish, from
saved rows via ``sources.services.audit_inputs``) run the same checks:

    audit_story(headline=..., sources=[{name, kind, title, affiliation, aliases}, ...],
                quotes=[{text, speaker, kind, paragraph}, ...], paragraphs=[...])

Codes: ``missing-headline``, ``name-variant``, ``title-conflict``, ``unattributed-quote``,
``source-without-affiliation``. ``title-conflict`` reads the paragraphs (a person's titles
are printed in the text, not stored); without paragraphs it is not judged.
Pure Python: no Django imports.
"""

from __future__ import annotations

import re

from sources.registry import fold, is_variant_spelling
from sources.speakers import parse_appositive, person_with_title, words

_CAP_RUN = re.compile(
    r"[A-Z][\w.\-]*(?:['’][A-Z][\w\-]*)?(?:\s+[A-Z][\w.\-]*(?:['’][A-Z][\w\-]*)?)*"
)
_WORDS_BEFORE = re.compile(r"(?<![\w'’.\-])((?:[a-z][\w\-]*\s+){1,3})$")
_APPOSITIVE = re.compile(
    r"\b(?P<name>[A-Z][\w\-]+(?: [A-Z][\w\-]+){1,3}), "
    r"(?P<app>(?:an? |the )?[^,;.“”\"]{3,90}?)(?:,|\.|;|$)"
)
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|«[^»]*»")
_RANKS = words("vice deputy assistant acting former associate co under lieutenant interim")


def _flag(code: str, subject: str, message: str) -> dict:
    return {"code": code, "subject": subject, "message": message}


def _norm_title(title: str) -> frozenset[str]:
    words = re.sub(r"[^\w\s\-]", " ", title.lower()).split()
    return frozenset(w for w in words if w not in {"a", "an", "the", "of", "for", "at"})


def titles_conflict(a: str, b: str) -> bool:
    """Two titles that cannot both be right for one person ("Prime Minister" / "Foreign
    Minister", "deputy director" / "spokeswoman"); a title and a fuller form of it agree."""
    wa, wb = _norm_title(a), _norm_title(b)
    if not wa or not wb or wa == wb:
        return False
    small, big = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if small <= big:
        return bool((big - small) & _RANKS)
    return True


def title_mentions(paragraphs: list[str]) -> dict[str, list[tuple[str, str]]]:
    """Surname -> [(full name as printed, title)] for every titled mention of a person in
    the reporting (quoted words are skipped): "Prime Minister Fumio Kishida", "Office
    spokeswoman Ilse Marten", "Ilse Marten, the office's deputy director,"."""
    found: dict[str, list[tuple[str, str]]] = {}
    for paragraph in paragraphs:
        text = _QUOTED.sub(" ", paragraph)
        for m in _CAP_RUN.finditer(text):
            tokens = m[0].split()
            if len(tokens) < 2 and not _WORDS_BEFORE.search(text, 0, m.start()):
                continue
            tokens[-1] = re.sub(r"['’]s$", "", tokens[-1])
            lower = _WORDS_BEFORE.search(text, 0, m.start())
            words = lower[1].split() if lower else []
            person = person_with_title([*words, *tokens]) or person_with_title(tokens)
            if person is not None and person.title:
                found.setdefault(person.name.split()[-1], []).append((person.name, person.title))
        for m in _APPOSITIVE.finditer(text):
            app = parse_appositive(m["app"])
            if app.hint == "person" and app.title:
                found.setdefault(m["name"].split()[-1], []).append((m["name"], app.title))
    return found


def _title_conflicts(paragraphs: list[str], sources: list[dict]) -> list[dict]:
    flags = []
    mentions = title_mentions(paragraphs)
    for src in sources:
        if src.get("kind") == "person" and src.get("title"):
            surname = src["name"].split()[-1]
            mentions.setdefault(surname, []).append((src["name"], src["title"]))
    for _surname, seen in mentions.items():
        titles: list[str] = []
        norms: set[frozenset[str]] = set()
        for _, title in seen:
            if _norm_title(title) not in norms:
                norms.add(_norm_title(title))
                titles.append(title)
        clash = next(
            (
                (a, b)
                for i, a in enumerate(titles)
                for b in titles[i + 1 :]
                if titles_conflict(a, b)
            ),
            None,
        )
        if clash:
            name = max((n for n, _ in seen), key=lambda n: len(n.split()))
            flags.append(
                _flag(
                    "title-conflict",
                    name,
                    f"{name} is called “{clash[0]}” and also “{clash[1]}”: "
                    "check which title is right and use it throughout.",
                )
            )
    return flags


def _name_variants(sources: list[dict]) -> list[dict]:
    flags: list[dict] = []
    people = [s for s in sources if s.get("kind") == "person" and s.get("name")]
    flagged: set[str] = set()
    for src in people:
        tokens = src["name"].split()
        for alias in src.get("aliases") or []:
            extra = [t for t in alias.split() if t not in tokens]
            odd = next((t for t in extra if any(is_variant_spelling(t, k) for k in tokens)), None)
            if odd and src["name"] not in flagged:
                flagged.add(src["name"])
                flags.append(
                    _flag(
                        "name-variant",
                        src["name"],
                        f"{src['name']} is also spelled “{odd}” in the story: "
                        "check the spelling and use one form.",
                    )
                )
    for i, first in enumerate(people):
        for second in people[i + 1 :]:
            a, b = first["name"].split()[-1], second["name"].split()[-1]
            if first["name"] not in flagged and is_variant_spelling(a, b):
                flagged.add(first["name"])
                flags.append(
                    _flag(
                        "name-variant",
                        first["name"],
                        f"“{first['name']}” and “{second['name']}” may be one person spelled "
                        "two ways: check the spelling.",
                    )
                )
    return flags


def audit_story(
    *,
    headline: str | None,
    sources: list[dict],
    quotes: list[dict],
    paragraphs: list[str] | None = None,
    **_: object,
) -> list[dict]:
    """Findings as ``{"code", "subject", "message"}`` dicts, in a stable order.

    Judges only what the inputs show: the headline, the sources and quotes as parsed or
    saved, and (when given) the paragraphs for titles printed in the text. Never raises on
    missing keys; a quote's speaker is matched to sources by name.
    """
    flags: list[dict] = []
    if not (headline or "").strip():
        flags.append(
            _flag("missing-headline", "", "The story has no headline: write one before it moves.")
        )
    flags += _name_variants(sources)
    if paragraphs:
        flags += _title_conflicts(paragraphs, sources)
    for quote in quotes:
        if quote.get("kind", "direct") == "direct" and not quote.get("speaker"):
            text = str(quote.get("text") or "")
            flags.append(
                _flag(
                    "unattributed-quote",
                    text[:60],
                    f"Paragraph {int(quote.get('paragraph') or 0) + 1}: the quote "
                    f"“{text[:60]}{'…' if len(text) > 60 else ''}” is attributed to nobody.",
                )
            )
    quoted = {fold(str(q.get("speaker"))) for q in quotes if q.get("speaker")}
    for src in sources:
        if (
            src.get("kind") == "person"
            and fold(str(src.get("name"))) in quoted
            and not (src.get("title") or src.get("affiliation"))
        ):
            flags.append(
                _flag(
                    "source-without-affiliation",
                    src["name"],
                    f"{src['name']} is quoted with no title or affiliation: "
                    "say who they are so readers can judge the quote.",
                )
            )
    return flags
