"""Who is speaking: noun phrases that name a source, and the titles and affiliations around them.

This module reads the words around an attribution ("Kestrel Bank economist Faith Chebet",
"Koichi Nakano, a political science professor at Sophia University", "the ministry",
"a senior diplomat who spoke on condition of anonymity") and says what kind of source they
name. It keeps no state; :class:`sources.extraction.SourceBook` remembers who was named.
Pure Python: no Django imports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sources.verbs import (  # noqa: F401 (re-exported)
    _CONJUNCTIONS,
    _DETERMINERS,
    _FEMALE,
    _INANIMATE,
    _MALE,
    _NOT_NAMES,
    _POSTMODIFIERS,
    CAP_TITLE_WORDS,
    HONORIFICS,
    NAME_CONNECTORS,
    ORG_DESCRIPTORS,
    ORG_WORDS,
    PEOPLE_NOUNS,
    PRONOUNS,
    TITLE_WORDS,
    words,
)

_WORD_TOKEN = re.compile(r"[^\W\d_][\w.'’\-]*")


@dataclass
class NounPhrase:
    """What a noun phrase names. ``kind`` is ``person``, ``organization``, ``unnamed``,
    ``pronoun`` (he/she/they…) or ``reference`` ("the company": resolve to a named source)."""

    kind: str
    name: str
    title: str | None = None
    affiliation: str | None = None
    gender: str | None = None
    descriptor: str | None = None


@dataclass
class Appositive:
    """The description set off by commas after a name."""

    title: str | None = None
    affiliation: str | None = None
    hint: str | None = None  # "person" or "organization" when the words say so
    descriptor: str | None = None


def is_capitalised(token: str) -> bool:
    """A token that starts with a capital, or with a letter of a script without case."""
    c = token[:1]
    return bool(c) and (c.isupper() or (c.isalpha() and not c.islower()))


def _bare(token: str) -> str:
    return token.strip(".,;:()[]\"“”‘’'").lower()


_TITLE_SUFFIXES = ("ist", "yst", "ian", "man", "woman", "person", "er", "or", "ant", "ent")


def is_title_word(token: str) -> bool:
    """A job noun: from the lexicon, or shaped like one ("hydrologist", "alderman", "baker")."""
    b = _bare(token)
    return (
        b in TITLE_WORDS
        or b in CAP_TITLE_WORDS
        or (
            len(b) > 4
            and b.endswith(_TITLE_SUFFIXES)
            and b not in _NOT_NAMES
            and b not in ORG_DESCRIPTORS
        )
        or (len(b) > 9 and b.endswith(_COMPOUND_TITLES))  # "Undersecretary", "Harbourmaster"
    )


_COMPOUND_TITLES = ("secretary", "master", "general", "minister", "officer", "warden", "keeper")
# Titles of an office over a place: "Lagos State Governor", "Valparaíso Mayor".
_PLACE_TITLES = words(
    "mayor governor premier sheriff prefect commissioner councillor councilor senator "
    "lawmaker mp deputy-mayor lord-mayor"
)
# Capitalised words that make part of a title, not a place: "Foreign Minister".
_PORTFOLIO = words(
    """foreign prime finance agriculture transport interior home defence defense health
    education trade energy economy justice labour labor environment culture vice deputy first
    senior acting former chief executive general national public works minority majority
    opposition lieutenant assistant associate interim county city regional federal"""
)


def _place_title(caps: list[str]) -> tuple[str, str] | None:
    """("Governor", "Lagos State") for "Lagos State Governor"; None unless the words before
    an office over a place are a place name."""
    if len(caps) < 2 or _bare(caps[-1]) not in _PLACE_TITLES:
        return None
    place = caps[:-1]
    if any(_bare(t) in _PORTFOLIO or is_title_word(t) or _bare(t) in ORG_WORDS for t in place[:1]):
        return None
    if any(_bare(t) in CAP_TITLE_WORDS or is_title_word(t) for t in place):
        return None
    return caps[-1], " ".join(place)


def _head_is_title(words: list[str]) -> bool:
    return bool(words) and is_title_word(words[-1])


def gender_of(words: str) -> str | None:
    """'f' or 'm' when a title or honorific says so ("spokeswoman", "Mr."), else None."""
    for w in words.lower().split():
        if w in _FEMALE:
            return "f"
        if w in _MALE:
            return "m"
    return None


def _cut_affiliation(text: str) -> str | None:
    """The organisation after "at", "of", "for", "with": a capitalised run ("Kestrel Bank",
    "Centre for Extractive Governance"), or a common noun for an institution ("the
    utility"); never a lowercase tail ("the camp since it opened", "30 years")."""
    text = re.split(r",| who | which | whose | that | where |\ue000| and (?=[a-z])", text)[0]
    text = re.split(
        r" (?:for|since|in|on|at|to|by|from|during|until|after|over|as|when)\b"
        r"(?= [a-z\d]| the [a-z]| \d)",
        text,
    )[0]
    text = re.sub(r"^(?:the|a|an) ", "", text.strip(" .;:"), flags=re.IGNORECASE)
    if text[:1].islower() and _bare(text.split()[-1]) not in ORG_DESCRIPTORS:
        return None
    return text or None


_LEADS = {
    "heads": "head",
    "headed": "head",
    "leads": "leader",
    "led": "leader",
    "chairs": "chair",
    "chaired": "chair",
    "runs": "head",
    "ran": "head",
    "directs": "director",
    "manages": "manager",
    "founded": "founder",
    "co-founded": "co-founder",
    "presides over": "president",
}


def parse_appositive(text: str) -> Appositive:
    """Title, affiliation and kind hint from the words after a name, e.g. "a political
    science professor at Sophia University" or "Peru's deputy minister for mining"."""
    text = text.strip(" ,.;:")
    low = text.lower()
    if not text or text[0].isdigit():
        return Appositive()
    if low.startswith("which "):
        return Appositive(hint="organization")
    if low.startswith("whose "):
        return Appositive()
    one_of = re.match(r"^one of (?:the |its |their )?(?:[\w\-]+ ){0,3}?([a-z\-]+?)e?s\b", low)
    if one_of and one_of[1] in ORG_DESCRIPTORS:
        return Appositive(hint="organization", descriptor=text)
    leads = re.match(rf"^who (?:also )?({'|'.join(_LEADS)}) (?:the )?([A-Z].*)$", text)
    if leads:
        return Appositive(_LEADS[leads[1]], _cut_affiliation(leads[2]), hint="person")
    if low.startswith(("who ", "whom ")):
        m = re.search(r" (?:at|for|with) (?:the )?([A-Z][^,]*)", text)
        return Appositive(affiliation=_cut_affiliation(m[1]) if m else None, hint="person")
    body = re.sub(r"^(?:a|an|the) ", "", text, flags=re.IGNORECASE)
    owner = re.match(r"^([A-Z][\w.\-]*(?: (?:[A-Z][\w.\-]*|of|for|and|on|the))*)['’]s? (.+)$", body)
    if owner and not owner[2][:1].isupper():
        title = _cut_title(owner[2])
        return _with_hint(Appositive(title=title, affiliation=owner[1]))
    lower_owner = re.match(r"^(\w+(?: \w+)?)['’]s (.+)$", body)
    if lower_owner and lower_owner[1].islower():
        # "the federation's national chairman": the federation named earlier (settled by
        # the source book) is the affiliation.
        owner_noun = lower_owner[1].split()[-1]
        aff = owner_noun if owner_noun in ORG_DESCRIPTORS else None
        app = _with_hint(Appositive(title=_cut_title(lower_owner[2])))
        app.affiliation = aff if app.hint == "person" else None
        return app
    m = re.match(r"^(.+?) (?:of|at|for|with|in|from) (?:the )?(.+)$", body)
    if m:
        title = _cut_title(m[1])
        words = (title or "").split()
        if words and (
            not m[1][:1].isupper() or _head_is_title(words) or _bare(words[-1]) in ORG_DESCRIPTORS
        ):
            return _with_hint(Appositive(title=title, affiliation=_cut_affiliation(m[2])))
    if body[:1].islower():
        return _with_hint(Appositive(title=_cut_title(body)))
    return Appositive()


def _cut_title(text: str) -> str | None:
    text = re.split(r" (?:who|which|that|whose|where)\b|,|\ue000", text)[0].strip(" .;:")
    return text or None


def _with_hint(app: Appositive) -> Appositive:
    words = re.split(r" (?:of|for|at|in|on|with)\b", app.title or "")[0].split()
    if words and _bare(words[-1]) in ORG_DESCRIPTORS and _bare(words[-1]) not in TITLE_WORDS:
        app.hint, app.descriptor, app.title = "organization", app.title, None
        app.affiliation = None
    elif _head_is_title(words):
        app.hint = "person"
    return app


def _name_run(tokens: list[str]) -> int:
    """Index where a trailing run of name tokens starts (len(tokens) when there is none)."""
    i = len(tokens)
    while i > 0:
        t = tokens[i - 1]
        b = _bare(t)
        if (
            b in NAME_CONNECTORS
            and i < len(tokens)
            and i - 1 > 0
            and b not in ("the", "of", "and", "for", "on", "&")
        ):
            i -= 1
            continue
        if not is_capitalised(t) or b in CAP_TITLE_WORDS or b in ORG_WORDS or b in _NOT_NAMES:
            break
        if len(tokens) - i >= 2 and is_title_word(t):
            # "Homeowner Peter Schulz": a job word before a first name and surname.
            break
        i -= 1
    return i


def _split_prefix(prefix: list[str]) -> tuple[str | None, str | None]:
    """Title and affiliation from the words before a name: "Kestrel Bank economist",
    "Deputy Agriculture Minister", "Russian Foreign Ministry spokeswoman"."""
    prefix = [t for t in prefix if _bare(t) not in HONORIFICS]
    if not prefix:
        return None, None
    j = len(prefix)
    while j > 0 and not is_capitalised(prefix[j - 1]):
        j -= 1
    lower_title = prefix[j:]
    caps = prefix[:j]
    if lower_title:
        org_at = max(
            (k for k, t in enumerate(lower_title[:-1]) if _bare(t) in ORG_WORDS), default=-1
        )
        if org_at >= 0:
            # "contractors' association chairman": the association is the affiliation.
            aff = " ".join([*caps, *lower_title[: org_at + 1]])
            return " ".join(lower_title[org_at + 1 :]), aff
        acronym = len(caps) == 1 and caps[0].isupper() and len(caps[0]) > 1
        if (
            len(caps) == 1
            and not acronym
            and _bare(caps[0]) not in ORG_WORDS
            and "'" not in caps[0]
        ):
            # A sentence-initial capital: "Sewing machine operator Shirin Akter".
            return " ".join([caps[0].lower(), *lower_title]), None
        aff = " ".join(caps).removesuffix("'s").removesuffix("’s") or None
        return " ".join(lower_title), aff
    placed = _place_title(caps)
    if placed:
        return placed
    org_at = max((k for k, t in enumerate(caps) if _bare(t) in ORG_WORDS), default=-1)
    if org_at >= 0 and org_at < len(caps) - 1:
        return " ".join(caps[org_at + 1 :]), " ".join(caps[: org_at + 1])
    return " ".join(caps), None


def _person_from(tokens: list[str]) -> NounPhrase | None:
    start = _name_run(tokens)
    joint = next((k for k, t in enumerate(tokens) if t in ("for", "of")), -1)
    if (
        0 < joint < len(tokens) - 3
        and start > joint - 1
        and any(is_title_word(t) for t in tokens[:joint])
    ):
        # "Vice Finance Minister for International Affairs Atsushi Mimura": the title's
        # object is capitalised too, so the name is the last two words.
        start = len(tokens) - 2
        if not is_capitalised(tokens[start]):
            return None  # "… Chamber of Commerce and Industry": a fragment, not a name
        return NounPhrase("person", " ".join(tokens[start:]), " ".join(tokens[:start]))
    name_tokens, prefix = tokens[start:], tokens[:start]
    if not name_tokens or len(name_tokens) > 5 or not is_capitalised(name_tokens[0]):
        return None
    if any(_bare(t) in _NOT_NAMES for t in name_tokens) or any("\ue000" in t for t in tokens):
        return None
    if prefix and not _head_is_title(prefix):
        return None
    title, aff = _split_prefix(prefix)
    if title and _bare(title.split()[-1]) in HONORIFICS:
        title = None
    if len(name_tokens) == 1 and not prefix:
        return NounPhrase("person", name_tokens[0])
    return NounPhrase(
        "person", " ".join(name_tokens), title, aff, gender=gender_of(" ".join(prefix))
    )


def person_with_title(tokens: list[str]) -> NounPhrase | None:
    """A person named after a title in ``tokens`` ("Foreign Minister Kishida"), or None."""
    person = _person_from(tokens)
    if person is None or not person.title or _bare(person.title.split()[-1]) in HONORIFICS:
        return None
    return person


def _description(tokens: list[str]) -> str | None:
    words: list[str] = []
    for t in tokens:
        b = _bare(t)
        if not words and (b in _DETERMINERS or b[:1].isdigit()):
            continue
        if words and b in _POSTMODIFIERS:
            break
        words.append(t.strip(",;:"))
    desc = " ".join(words)
    return desc[:1].lower() + desc[1:] if desc and not desc.split()[0].isupper() else desc or None


def analyse_np(text: str, appositive: Appositive | None = None) -> NounPhrase | None:
    """Say what a subject noun phrase names, or None when it does not look like a source.

    ``appositive`` (the description after the name, if any) can turn a bare capitalised
    name into an organization ("Highland Springs, the country's largest bottler").
    """
    text = re.sub(r"\s*\([^()]*\)", "", text)
    text = re.sub(r"\s+", " ", text.strip(" ,;:—–-\u00a0"))
    if not text or "\ue000" in text or len(text) > 120:
        return None
    low = text.lower()
    if low in PRONOUNS:
        return NounPhrase("pronoun", low)
    tokens = text.split()
    if len(tokens) > 14 or not _WORD_TOKEN.match(tokens[0]):
        return None
    first = _bare(tokens[0])
    if first == "the":
        rest = tokens[1:]
        if not rest:
            return None
        if not is_capitalised(rest[0]):
            if len(rest) <= 3:
                return NounPhrase("reference", " ".join(rest).lower())
            return None
        tokens = rest
        first = _bare(tokens[0])
    elif first in _DETERMINERS or first[:1].isdigit():
        desc = _description(tokens)
        if desc and _bare(desc.split()[-1]) in _INANIMATE:
            return None  # words on a sign or banner: nobody the story names said them
        return NounPhrase("unnamed", desc) if desc else None
    if not is_capitalised(tokens[0]):
        if first in _NOT_NAMES or first in _POSTMODIFIERS or first in _CONJUNCTIONS:
            return None
        person = _person_from(tokens)
        if person and " " in person.name and person.title:
            return person
        if len(tokens) <= 4:
            desc = _description(tokens)
            return NounPhrase("unnamed", desc) if desc else None
        return None
    hint = appositive.hint if appositive else None
    bare = [_bare(t) for t in tokens]
    if len(tokens) == 1 and first in PEOPLE_NOUNS:
        return NounPhrase("unnamed", first)
    if len(tokens) > 1 and not is_capitalised(tokens[-1]) and bare[-1] in PEOPLE_NOUNS:
        return NounPhrase("unnamed", _description(tokens) or bare[-1])  # "Trade officials"
    lower_inside = [b for t, b in zip(tokens, bare, strict=True) if not is_capitalised(t)]
    has_org_word = any(b in ORG_WORDS for b in bare)
    if hint != "organization":
        tail = re.match(r"^(.+?) (?:of|at|from) (?:the )?([A-Z].*)$", " ".join(tokens))
        if tail:
            person = _person_from(tail[1].split())
            if person and (" " in person.name or person.title):
                person.affiliation = person.affiliation or tail[2]
                return person
        person = _person_from(tokens)
        if (
            person
            and not (has_org_word and not person.title)
            and (" " in person.name or person.title or hint == "person")
        ):
            return person
    if hint == "organization" or has_org_word:
        return NounPhrase(
            "organization", " ".join(tokens), descriptor=appositive and appositive.descriptor
        )
    if lower_inside and any(b not in NAME_CONNECTORS for b in lower_inside):
        desc = _description(tokens)
        return NounPhrase("unnamed", desc) if desc else None
    if first in _NOT_NAMES:
        return None
    if len(tokens) == 1:
        return NounPhrase("single", tokens[0])
    return NounPhrase("person", " ".join(tokens))
