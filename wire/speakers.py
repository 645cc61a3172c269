"""Speakers: a noun phrase as printed ("NASA Administrator Jo Pell", "Mara Lind, a lecturer
at Tarn University, Northfield", "the statement", "he") read as a :class:`Mention`.

What it takes apart, by kind of phrase:

- a title before the name is a title, and an organisation, country, party or possessive
  before it the affiliation ("Deputy Mayor Hana Kato", "Tunisia's coach Nabil Maaloul");
- honorifics and post-nominals are not part of the name ("the Rev. Amos Kell", "Mrs. Pell",
  "Mark Tedeschi, QC"); a party-state tag ("R-Tex.", "(D-N.M.)") is the affiliation;
- an apposition gives title and affiliation ("a lecturer at Tarn University, Northfield",
  "the agency's director", "who chairs the residents' group"); a trailing place is dropped;
- a description before the name is its title ("the Crown prosecutor, Mark Tedeschi");
- time and manner phrases after a name end it ("President Lena Marsh on Tuesday");
- pronouns and descriptions ("the statement", "the ministry") are left to resolve.
"""

from __future__ import annotations

import re
from functools import lru_cache

from wire import descriptions as unnamed_sources
from wire import vocabulary
from wire.model import Mention
from wire.phrases import _as_printed, _cut_tail, _split_parts
from wire.titles import (
    _PREPOSITIONS,
    _affiliation,
    _clean,
    _title_of_org_name,
    parse_description,
    split_lead,
)
from wire.words import (
    _CONNECTORS,
    _NAME_PARTICLES,
    _PARTY_STATE,
    _POSSESSIVE,
    _bare,
    gender_of,
    honorific_gender,
    is_capitalised,
    is_org_name,
    is_role_word,
    is_title_head,
    is_title_word,
    unbracket_party_tags,
)

_TOKEN = re.compile(r"[^\s,;:()]+")

_CAPITALISED_WITH_STOP = re.compile(r"[A-Z][a-z]+\.")
_PLURAL_POSSESSIVE = re.compile(r"s['’]$")
_POSSESSIVE_END = re.compile(r"(?:['’]s|(?<=s)['’])$")
_AGE_PHRASE = re.compile(r"the (\d{1,3})-year-old", re.IGNORECASE)
_PLACE_PREPOSITION = re.compile(r"\s(?:outside|near|in|at|on|by)\s")
_HEAD_BREAK = re.compile(
    r",| who | which | that | familiar | with | in | at | from | of | on | near "
)
_AND_THE = re.compile(r"\band (?=the |an? |his |her |its |their )")
_CARRIED_BY = re.compile(
    r"^(?:an?|the|its|his|her|their)\s+(?:\w+\s+)?(?P<noun>\w+)\s+(?:from|by|of|issued by)\s+"
    r"(?P<who>.+)$",
    re.IGNORECASE,
)


# A preposition between a description and a name: the name is not the one described.
_BELONGS_TO = frozenset(("with", "at", "for", "from", "of"))


def _name_run(tokens: list[str], start: int) -> int:
    """End index (exclusive) of the name that starts at ``tokens[start]``."""
    end = start
    while end < len(tokens):
        tok = tokens[end]
        low = _bare(tok)
        if is_capitalised(tok) and low not in vocabulary.words("post_nominals"):
            if end > start and low in vocabulary.words("stop_caps"):
                break
            end += 1
            if _CAPITALISED_WITH_STOP.fullmatch(tok) and not honorific_gender(tok)[0]:
                break  # "Kendrick Moxon. Rathbun": the full stop ends a sentence
            continue
        nxt = tokens[end + 1] if end + 1 < len(tokens) else ""
        org_words = vocabulary.words("org_words")
        org_so_far = any(_bare(t) in org_words for t in tokens[start:end])
        org_ahead = any(_bare(t) in org_words for t in tokens[end + 1 : end + 5])
        joins = (
            low in _NAME_PARTICLES
            or (low in _CONNECTORS and org_so_far)
            or (
                low in ("and", "&") and org_ahead  # "Risk Reduction and Management Council"
            )
        )
        if end > start and joins and is_capitalised(nxt):
            # "Ministry of Foreign Affairs", "Ludwig van Beethoven"; not "Nojima of Daito"
            end += 1
            continue
        break
    for k in range(start, end - 1):
        plural_in_name = _PLURAL_POSSESSIVE.search(tokens[k]) and _bare(tokens[k + 1]) in (
            vocabulary.words("org_words")
        )
        if _POSSESSIVE.match(tokens[k]) and not plural_in_name:
            return k + 1  # "Japan's Ministry": the owner is a name of its own

    while end > start and _bare(tokens[end - 1]) in _CONNECTORS | _NAME_PARTICLES:
        end -= 1
    return end


def _named(part: str) -> Mention | None:
    """The mention a part holds when it contains a name, with any title before it."""
    tokens = _cut_tail(_TOKEN.findall(part))
    lead_in = _title_of_org_name(tokens)
    if lead_in is False:
        return None
    k = 0
    while k < len(tokens) and _bare(tokens[k]) in ("the", "a", "an"):
        k += 1
    if 0 < k < len(tokens) and not is_capitalised(tokens[k]) and not is_title_word(tokens[k]):
        for t in tokens[k:]:
            if is_capitalised(t):
                break
            if _bare(t) in _PREPOSITIONS | {"outside", "near", "inside", "by"}:
                return None  # "a handwritten sign outside a building in the Kennedy district"
    if lead_in is not None:
        return lead_in
    i, gender, lead = 0, None, []
    while i < len(tokens) and _bare(tokens[i]) in ("the", "a", "an"):
        i += 1
    if i and all(is_title_word(t) for t in tokens[i:]):
        return None  # "the Speaker, Sir Malcolm Tewkes": a post, the name follows
    # Find the name's first token: after any titles, honorifics, affiliations before them.
    last_title = None
    for j in range(i, len(tokens)):
        hon, g = honorific_gender(tokens[j])
        if hon and j + 1 < len(tokens) and is_capitalised(tokens[j + 1]):
            gender = gender or g
            last_title = j
        elif (
            (
                is_title_head(tokens[j])
                or (is_role_word(tokens[j]) and not is_capitalised(tokens[j]))
            )
            and j + 1 < len(tokens)
            and is_capitalised(tokens[j + 1])
        ):
            last_title = j  # "Mayor Ilse Brandt", "machine operator Shirin Akter"
        elif (
            j + 2 < len(tokens)
            and is_capitalised(tokens[j])
            and is_capitalised(tokens[j + 1])
            and is_capitalised(tokens[j + 2])
            and is_role_word(tokens[j])
            and not gender_of(tokens[j])
            and (j == i or is_title_word(tokens[j - 1]))
        ):
            last_title = j  # "Homeowner Peter Schulz", "Deputy Harbourmaster Ibrahim Musa"
    start = i if last_title is None else last_title + 1
    while start < len(tokens) and not is_capitalised(tokens[start]):
        start += 1
    if start >= len(tokens):
        return None
    if last_title is None and _bare(tokens[start]) in vocabulary.words("stop_caps"):
        start += 1  # "It would replenish the Federal ... Agency's": the sentence's first word
        while start < len(tokens) and not is_capitalised(tokens[start]):
            start += 1
        if start >= len(tokens):
            return None
    party = None  # "Republican Wade Pritchard": the party word is no part of the name
    if _bare(tokens[start]) in vocabulary.words("party_members") and start + 2 < len(tokens):
        party, start = (
            (tokens[start], start + 1)
            if _name_run(tokens, start + 1) > start + 2
            else (None, start)
        )
    end = _name_run(tokens, start)
    if any(t[-1] in '"”' for t in tokens[start:end]):
        return None  # 'roared back "Claire! Claire!"': no name from inside quotation marks
    name_tokens = [
        t.strip(".,;:'’\"“”") if k == end - start - 1 else t.strip('"“”')
        for k, t in enumerate(tokens[start:end])
    ]
    name = " ".join(name_tokens).strip()
    owner = _POSSESSIVE.match(name)
    lead_affiliation = None
    if owner and end == len(tokens):
        name = _POSSESSIVE_END.sub("", name)  # "Fumio Kishida's visit"
    elif owner and end < len(tokens):
        if any(_bare(t) in vocabulary.words("speech_nouns") for t in tokens[end:]):
            owned = owner["owner"]  # "PC World's recent analysis": PC World speaks
            kind = "organization" if is_org_name(owned) or len(owned.split()) > 1 else "person"
            return Mention(name=owned, kind=kind)
        if not is_capitalised(tokens[end]):
            if any(_bare(w) in vocabulary.words("org_words") for w in owner["owner"].split()):
                # "the Federal Emergency Management Agency's relief fund": the agency
                return Mention(name=owner["owner"], kind="organization")
            if _bare(tokens[-1]) in vocabulary.words("org_words"):
                # "Kazakhstan's transport ministry": an institution of the owner
                return Mention(name=" ".join(tokens[start:]).strip(".,"), kind="organization")
            return None  # "Thomas' sister": a description of someone else
        lead_affiliation = owner["owner"]  # "Japan's Ministry of ...": the ministry
        start, end = end, _name_run(tokens, end)
        name = " ".join(t.strip(".,;:'’\"“”") for t in tokens[start:end]).strip()
    rest = tokens[end:]
    if rest and any(is_title_head(t) for t in rest) and not any(map(is_capitalised, rest)):
        return None  # "the Crown prosecutor": a description, the name follows elsewhere
    if not name or name.casefold() in vocabulary.words("stop_caps"):
        return None  # "By Sunday", "In January": a time, no one's name
    ranks = vocabulary.table("rank_titles")  # "Ohio Gov. X": a rank is a title, not "Mr"
    lead = [t for t in tokens[i:start] if not honorific_gender(t)[0] or _bare(t) in ranks]
    if lead and _bare(lead[-1]) in _BELONGS_TO and not is_capitalised(lead[-1]):
        # "a guide with Himal Peaks Expeditions": where the described person works
        return Mention(name=name, kind="organization") if len(name.split()) > 1 else None
    while lead and _bare(lead[0]) in vocabulary.words("stop_caps"):
        lead = lead[1:]  # "As coauthor Colette Heald": "As" is no affiliation
    title, affiliation = split_lead(lead)
    tail = tokens[end:]
    if tail and tail[0].casefold() in ("of", "at") and len(tail) > 1 and is_capitalised(tail[-1]):
        tail_affiliation = _affiliation(" ".join(tail[1:]))
        if (
            affiliation
            and title
            and not any(_bare(w) in vocabulary.words("org_words") for w in affiliation.split())
            and affiliation.casefold() not in vocabulary.words("countries")
        ):
            # "Climate scientist Dr. Ana Reyes of the University of the Philippines"
            title, affiliation = f"{affiliation} {title}", None
        affiliation = affiliation or tail_affiliation
    tail_desc = " ".join(t for t in tail if not is_capitalised(t) or t.isupper())
    kind = "person"
    if is_org_name(name):
        kind = "organization"  # "the Department of Public Works", whatever stood before it
    elif tail_desc and any(_bare(t) in vocabulary.words("org_words") for t in tail_desc.split()):
        kind = "organization" if not title else "person"  # "Yonhap news agency"
    if kind == "person" and gender is None:
        gender = gender_of(name.split()[0])
    affiliation = affiliation or lead_affiliation or party
    if not title or (title[1:].islower() and len(title.split()) <= 2):  # "state Sen. X"
        rank = next((ranks[_bare(t)] for t in tokens[i:start] if _bare(t) in ranks), None)
        if not (rank and title and rank in title):  # "former ... Gov.", not "Ohio Gov."
            title = f"{title} {rank}" if title and rank else title or rank
    if "," in part:
        name = _as_printed(name, part)
    return Mention(
        name=name, kind=kind, title=_clean(title), affiliation=_clean(affiliation), gender=gender
    )


@lru_cache(maxsize=1)
def _institution_nouns() -> frozenset[str]:
    return (
        vocabulary.words("org_anaphors")
        | vocabulary.words("speech_nouns")
        | vocabulary.words("org_words")
    )


def analyse(phrase: str, *, paragraph: int = 0) -> Mention | None:
    """The mention a speaker phrase stands for, or None when it names nobody.

    Returns a named mention (``person`` or ``organization``), a pronoun or institution
    description to resolve (``pronoun`` set), or an ``unnamed`` mention with a short
    description as its name ("senior official", "one poster"). A new Mention each call:
    callers may change it.
    """
    m = _analyse(phrase)
    if m is None:
        return None
    if m.kind == "person" and unnamed_sources.is_party_label(m.name):
        return Mention(m.name, "unnamed", paragraph=paragraph)  # "Liberal Democrat"
    # A fresh copy (cheaper than dataclasses.replace), so callers may change it.
    return Mention(m.name, m.kind, m.title, m.affiliation, m.gender, m.pronoun, paragraph)


@lru_cache(maxsize=65536)
def _analyse(phrase: str, paragraph: int = 0) -> Mention | None:
    # Cached: a story names the same people again and again, and a reading never changes.
    phrase = unbracket_party_tags(phrase).strip(" ,.;:!?\"“”'‘’()—–-")  # "X (R-Mont.)"
    if not phrase or len(phrase) > 300:
        return None
    words = phrase.split()
    first = words[0].casefold()
    age = _AGE_PHRASE.fullmatch(phrase)
    if age:
        # AFP's "the 54-year-old": the person given that age, resolved later
        return Mention(name=phrase, kind="person", pronoun=f"age:{age[1]}", paragraph=paragraph)
    pronouns = vocabulary.table("pronouns")
    if len(words) <= 2 and first in pronouns:
        kind, _, gender = pronouns[first].partition(" ")
        return Mention(
            name=first, kind=kind, gender=gender or None, pronoun=first, paragraph=paragraph
        )
    if (
        first in ("the", "this", "that", "its", "their")
        and len(words) <= 3
        and not any(is_capitalised(w) for w in words[1:-1])
    ):
        head = _bare(words[-1])
        if words[-1][:1].islower() and head in _institution_nouns():
            return Mention(name=phrase, kind="organization", pronoun=head, paragraph=paragraph)
    ranked = unnamed_sources.RANKED_DESCRIPTION.fullmatch(phrase)
    if ranked:
        head = ranked["head"].casefold()
        if head in _institution_nouns() or head in vocabulary.words("business_nouns"):
            # "the world's most visited museum": the museum the story named
            return Mention(name=phrase, kind="organization", pronoun=head, paragraph=paragraph)
    carried = _CARRIED_BY.match(phrase)
    head_word = _PLACE_PREPOSITION.split(phrase)[0].split()[-1:]
    if head_word and _bare(head_word[0]) in vocabulary.words("text_carriers"):
        return Mention(name=phrase, kind="unnamed", pronoun="carrier", paragraph=paragraph)
    if carried and carried["noun"].casefold() in vocabulary.words("speech_nouns"):
        return analyse(carried["who"], paragraph=paragraph)  # "a statement from the X"
    head = _HEAD_BREAK.split(phrase, maxsplit=1)[0].split()
    if head and len(head) <= 5 and unnamed_sources.is_group(head):
        return Mention(name=" ".join(head), kind="unnamed", paragraph=paragraph)
    if (
        1 < len(head) <= 5
        and head[-1].islower()
        and head[-1].removesuffix("s") in vocabulary.words("speech_nouns")
        and all(w.casefold() in vocabulary.words("report_modifiers") for w in head[:-1])
    ):
        # "Recent reports", "Earlier statements": reports of nobody named
        return Mention(name=" ".join(head), kind="unnamed", paragraph=paragraph)
    member = (
        unnamed_sources.campaign(phrase, paragraph)
        or unnamed_sources.representative(phrase, paragraph)
        or unnamed_sources.group_member(phrase, paragraph)
        or unnamed_sources.indefinite_description(phrase, paragraph)
        or unnamed_sources.title_description(phrase, paragraph)
        or unnamed_sources.party_members(phrase, paragraph)
        or unnamed_sources.bench(phrase, paragraph)
        or unnamed_sources.national_institution(phrase, paragraph)
    )
    if member is not None:
        return member
    parts = _split_parts(phrase)
    descriptions: list[str] = []
    for n, part in enumerate(parts):
        if _PARTY_STATE.match(part) or part.isdigit():
            continue
        if part.split(" ", 1)[0] in ("who", "which", "whose"):
            break  # "..., who made a fortune across the South": no name of the speaker's
        last, later = part.split()[-1], parts[n + 1 : n + 2]  # "X's Treasury spokesperson, Jo Pell"
        mention = None if later and last.islower() and is_role_word(last) else _named(part)
        if mention is None:
            descriptions.append(part)
            continue
        mention.paragraph = paragraph
        if descriptions and not mention.title:
            # "Prime Minister Ola Berg and the opposition leader, Jo Kett": after "and"
            title, affiliation = parse_description(_AND_THE.split(descriptions[-1])[-1])
            mention.title = title
            mention.affiliation = mention.affiliation or affiliation
            relation = descriptions[-1].split()[-1].casefold()
            mention.gender = vocabulary.table("relations").get(relation) or mention.gender
        for later in parts[n + 1 :]:
            if _PARTY_STATE.match(later):  # "Sen. X, R-Tenn.": party and state, the affiliation
                mention.affiliation = later
                if mention.title:
                    break  # "Sen. X, D-N.M., the ranking member ...": the ID is the post
                continue
            if later.isdigit():
                continue
            if _bare(later) in vocabulary.words("post_nominals"):
                if not mention.title and later.isupper():
                    mention.title = later
                continue
            title, affiliation = parse_description(later)
            if title:
                # Several roles in one mention: the apposition's post is the one used.
                mention.title = title
                mention.affiliation = affiliation or (None if title else mention.affiliation)
            elif affiliation and not mention.affiliation:
                mention.affiliation = affiliation
            break
        if mention.kind == "organization" and mention.title and not is_org_name(mention.name):
            mention.kind = "person"
        described = " ".join(p for p in parts if p != part).split()
        if (
            " " not in mention.name
            and not mention.gender
            and any(_bare(w) in vocabulary.words("business_nouns") for w in described[:8])
        ):
            # "Petrasindo, the state-owned distributor", "Vaillant, one of the largest makers"
            mention.kind, mention.title, mention.affiliation = "organization", None, None
        return mention
    return unnamed_sources.unnamed(phrase, paragraph)
