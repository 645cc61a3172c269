"""Titles and affiliations: the words before a name or in an apposition read as
``(title, affiliation)``, with trailing places and relative clauses handled."""

from __future__ import annotations

import re

from wire import vocabulary
from wire.model import Mention
from wire.words import (
    _POSSESSIVE,
    _bare,
    gender_of,
    is_capitalised,
    is_role_noun,
    is_role_word,
    is_title_head,
    is_title_word,
)

_ORG_IN_PLACE = re.compile(r"^(?P<org>.+?)(?:,? (?:in|based in) (?P<place>[A-Z][\w .'’\-]*))$")


_ARTICLE_SPACE = re.compile(r"^(?:the|a|an|its|his|her|their) ", re.IGNORECASE)
_AND_LOWER = re.compile(r" and (?=[a-z])")
_BASED_IN = re.compile(r"^(?:the )?[\w-]+-based ")
_RELATIVE_OR_MEMBER = re.compile(r"^(?:whose|which|where|when|one of|some of|part of|among)\b")
_PARTICIPLE = re.compile(r"^[a-z]+ing\b")
# "Asked by reporters whether ...", "Pressed on the deal": a clause of what was done to the
# person, which the name follows; no post.
_PARTICIPLE_CLAUSE = re.compile(
    r"^[A-Za-z]+(?:ed|ing)\s+(?:by|about|whether|if|on|to|after|during|for|at|what|why|how)\b"
)
# "a district where most households rent": a relative clause ends the organisation's name
_RELATIVE_TAIL = re.compile(r"\s+(?:where|which|that|who|whom|whose|when)\b.*$")
_PREPOSITION_ORG = re.compile(r"^(?:of|at|from|with) (?P<org>.+)$")
_INNER_RELATIVE = re.compile(r"(?<=\w) (?:who|whom|whose|which) ")
_WHO_IS = re.compile(r"^who (?:is|was) (?P<rest>.+)$")
_WHO_VERB = re.compile(r"^who (?P<verb>\w+) (?P<what>.+)$")
_AT_ORG = re.compile(r"\b(?:at|for|with) (?P<org>(?:the )?(?:[\w-]+-based )?[A-Z].*)$")
_ITS = re.compile(r"^its\s", re.IGNORECASE)
_ARTICLE_SPACES = re.compile(r"^(?:a|an|the|its|his|her|their)\s+", re.IGNORECASE)
_POSSESSIVE_END = re.compile(r"(?:['’]s|(?<=s)['’])$")
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_INITIAL = re.compile(r"[A-Z]\.")


def _clean(text: str | None) -> str | None:
    if not text:
        return None
    text = text.strip(" ,.;:'’\"“”")
    text = _ARTICLE_SPACE.sub("", text)
    return text or None


def _affiliation(text: str) -> str | None:
    """An organisation named in a description, without a trailing place: "Danube Ridge
    Capital in Vienna" and "Tema Harbour Board." give the organisation alone."""
    text = text.strip(" ,.;:")
    text = _AND_LOWER.split(text, maxsplit=1)[0]  # "X Forum and author of ..."
    text = _RELATIVE_TAIL.sub("", text)  # "the board, which meets monthly"
    text = _BASED_IN.sub("", text)  # "the Riga-based Baltic Institute"
    m = _ORG_IN_PLACE.match(text)
    if m:
        text = m["org"]  # "Danube Ridge Capital in Vienna", "a shelter in Osaka"
    return _clean(text)


def _names_a_post(tokens: list[str]) -> bool:
    """Whether the words hold a post or a role ("lecturer", "Deputy Mayor", "head")."""
    return any(is_title_head(t) or is_title_word(t) or is_role_noun(t) for t in tokens)


def parse_description(text: str) -> tuple[str | None, str | None]:
    """``(title, affiliation)`` from an apposition or a description: "a lecturer at Tarn
    University", "publisher of the Journal of Political Risk", "the agency's director",
    "who chairs the residents' group", "Japan's foreign minister"."""
    text = text.strip(" ,.;:")
    inner = _INNER_RELATIVE.search(text)
    if inner:
        # "a state treasurer who resigned in March": the clause tells what the person did
        text = text[: inner.start()]
    if _RELATIVE_OR_MEMBER.match(text):
        return None, None  # a relative clause, or membership: "one of the largest makers"
    if _PARTICIPLE.match(text) and not is_role_word(text.split()[0]):
        return None, None  # "speaking to reporters by video": what they did, not who they are
    if _PARTICIPLE_CLAUSE.match(text):
        return None, None  # "Asked by reporters whether she had discussed it": no post
    if text.split()[-1].casefold().strip(".,") in vocabulary.table("relations"):
        return None, None  # "Pasang's wife": a relation to someone else is no title
    where = _PREPOSITION_ORG.match(text)
    if where:
        return None, _affiliation(where["org"])  # "Nick Bos, of the University of Helsinki"
    rel = _WHO_IS.match(text)
    if rel:
        text = rel["rest"]
    else:
        rel = _WHO_VERB.match(text)
        if rel:
            title = vocabulary.table("relative_titles").get(rel["verb"].casefold())
            if title:
                # "who chairs the residents' group"; "who represents a district" names none:
                # one common noun is no organisation's name
                affiliation = _affiliation(rel["what"])
                if affiliation and " " not in affiliation and affiliation.islower():
                    affiliation = None
                return title, affiliation
            where = _AT_ORG.search(rel["what"])
            # "who studies Black Sea shipping at the Riga-based Baltic Maritime Institute"
            return None, _affiliation(where["org"]) if where else None
    affiliation = None
    if _ITS.match(text):
        affiliation = "its"  # resolved to the organisation named last
    text = _ARTICLE_SPACES.sub("", text)
    tokens = text.split()
    if not tokens or len(tokens) > 24:
        return None, None
    cut = next((k for k, t in enumerate(tokens[:-1]) if _POSSESSIVE.match(t)), None)
    plain = {"the", "a", "an", "of", "and", "&"}
    if (
        cut is not None
        and cut < 6
        and all(is_capitalised(t) or t.casefold() in plain for t in tokens[:cut])
    ):
        # "the Montreal Board of Trade's chief economist", "the association's secretary"
        owner = " ".join(tokens[: cut + 1])
        owner = _POSSESSIVE_END.sub("", owner)
        affiliation = _LEADING_ARTICLE.sub("", owner)
        tokens = tokens[cut + 1 :]
    if not affiliation and 0 < len(tokens) <= 4 and _party_member(tokens[-1]):
        return None, _clean(" ".join(tokens))  # "a Democrat", "an Iowa City Democrat"
    for i, tok in enumerate(tokens):
        if tok.casefold() in ("at", "of", "for", "with", "from", "in") and i:
            if not affiliation and _party_member(tokens[i - 1]) and i <= 3:
                return None, _clean(" ".join(tokens[:i]))  # "a Republican from Rockingham"
            if rel and not _names_a_post(tokens[:i]):
                return None, affiliation  # "who is responsible for transport": no post
            party = 0 if affiliation or tokens[i] != "for" else _party_prefix(tokens[:i])
            if party:  # "the Liberal Democrat MP for Eastholme": party, and post for a place
                return _clean(" ".join(tokens[party:])), " ".join(tokens[:party])
            return _clean(" ".join(tokens[:i])), affiliation or _affiliation(
                " ".join(tokens[i + 1 :])
            )
    if not _names_a_post(tokens):
        return None, affiliation  # not a post or a role: "the Taipei lantern festival"
    title, lead_affiliation = split_lead(tokens, apposition=True)
    return title, affiliation or lead_affiliation


def _party_prefix(tokens: list[str]) -> int:
    """How many leading words of a post name a party ("Liberal Democrat MP" gives 2), or 0.
    The words after them must hold a post."""
    parties = vocabulary.words("parties")
    for k in (3, 2, 1):
        if (
            len(tokens) > k
            and all(is_capitalised(t) for t in tokens[:k])
            and " ".join(tokens[:k]).casefold() in parties
            and any(is_title_word(t) for t in tokens[k:])
        ):
            return k
    return 0


def _party_member(title: str) -> bool:
    last = title.split()[-1].casefold()
    return ("tory" if last == "tories" else last.removesuffix("s")) in vocabulary.words(
        "party_members"
    )


def split_lead(lead: list[str], *, apposition: bool = False) -> tuple[str | None, str | None]:
    """``(title, affiliation)`` from the words before a name, or a description without a
    preposition. An organisation, country, place or possessive is the affiliation; title
    words and role nouns are the title: "Russian Foreign Ministry spokeswoman" gives
    ("spokeswoman", "Russian Foreign Ministry"); "former Pennsylvania Senator" gives
    ("former Senator", "Pennsylvania"); "Panama coach" gives ("coach", "Panama"); "Deputy
    Mayor" gives ("Deputy Mayor", None). Before a name, lower-case words that are neither
    (the end of the sentence before) are dropped from the front; in an ``apposition`` they
    qualify the title ("a boat owner"). An abbreviated rank is written out ("Ohio Gov."
    gives ("Governor", "Ohio"))."""
    if not lead:
        return None, None
    ranks = vocabulary.table("rank_titles")
    lead = [ranks.get(_bare(t), t) if t.endswith(".") else t for t in lead]
    party = _party_prefix(lead)
    if party:  # "Labour MP Jo Pell", "Reform UK MP"
        return split_lead(lead[party:], apposition=apposition)[0], " ".join(lead[:party])
    if not apposition:
        # "a county commissioner and Pomeroy", "the spokesman was asked whether Mr Ashcroft",
        # "Garrity led Caldwell": words before a name after a clause word belong to the
        # sentence, not to a post the name holds.
        cut = max(
            (
                k
                for k, t in enumerate(lead)
                if t.casefold() in vocabulary.words("clause_words")
                and not (
                    0 < k < len(lead) - 1
                    and is_capitalised(lead[k - 1])
                    and is_capitalised(lead[k + 1])
                )
            ),
            default=-1,
        )  # "Trade and Industry Minister" keeps its "and"
        lead = lead[cut + 1 :]
    while (
        not apposition
        and lead
        and not is_capitalised(lead[0])
        and not is_title_word(lead[0])
        and not (is_role_word(lead[0]) or _POSSESSIVE.match(lead[0]))
    ):
        if (
            _bare(lead[0]) in vocabulary.words("org_anaphors")
            and len(lead) > 1
            and (is_role_word(lead[1]) or is_title_word(lead[1]))
        ):
            # "council spokesman": the council named earlier (resolved by the caller)
            title, _ = split_lead(lead[1:])
            return title, "~" + _bare(lead[0])  # "~": the caller resolves or folds it back
        lead = lead[1:]
    if not lead or not any(is_role_word(t) or is_title_word(t) for t in lead):
        return None, None
    org_words = vocabulary.words("org_words")
    last_org = max((k for k, t in enumerate(lead) if _bare(t) in org_words), default=-1)
    owner = next((k for k, t in enumerate(lead) if _POSSESSIVE.match(t)), -1)
    cut = max(last_org, owner)
    while (
        0 <= cut < len(lead) - 2
        and lead[cut + 1] in ("of", "for")
        and is_capitalised(lead[cut + 2])
        and not is_title_head(lead[cut + 2])
    ):
        cut += 2  # "Bank of England Governor": the bank's name runs through "of England"
    affiliation_words: list[str] = []
    if cut >= 0 and any(is_role_word(t) for t in lead[cut + 1 :]):
        affiliation_words, lead = lead[: cut + 1], lead[cut + 1 :]
    title_words = []
    portfolio = any(_bare(t) in vocabulary.words("portfolio_posts") for t in lead)
    for k, t in enumerate(lead):
        body = (
            t.isupper()
            or _bare(t) in vocabulary.words("countries")
            or _bare(t) in vocabulary.words("demonyms")
            or _bare(t) in vocabulary.words("org_words")
        )
        # A capitalised word shaped like a role noun is one where capitals are the post's own
        # ("Homeowner X", "Deputy Harbourmaster X"), not a place ("former Tennessee governor")
        role = is_role_word(t) and (
            not is_capitalised(t)
            or k == 0
            or is_capitalised(lead[k - 1])
            and is_title_word(lead[k - 1])
            or _bare(t).endswith(("ist", "ian"))  # "former Scientologist"
        )
        if (
            affiliation_words
            and not title_words
            and lead[k - 1] == affiliation_words[-1]
            and _bare(t) in vocabulary.words("place_nouns")
        ):
            affiliation_words.append(t)  # "Harbor City coach", "Kansas City Mayor"
        elif is_title_word(t) or role or not is_capitalised(t):
            title_words.append(t)
        elif portfolio and not body:
            title_words.append(t)  # "Tourism Minister": the portfolio is part of the post
        elif (
            title_words
            and is_capitalised(lead[k - 1])
            and is_title_word(lead[k - 1])
            and any(is_title_word(n) for n in lead[k + 1 : k + 3])
            and not body
        ):
            title_words.append(t)  # "Chief Financial Officer": inside the post's words
        elif not title_words or not affiliation_words:
            affiliation_words.append(t)
        else:
            title_words.append(t)
    affiliation = " ".join(affiliation_words)
    affiliation = _POSSESSIVE_END.sub("", affiliation)
    return _clean(" ".join(title_words)), _clean(affiliation)


# "Ministry of Trade, Industry and Energy": a comma inside a name, before its last pair.


_PREPOSITIONS = frozenset({"of", "at", "for", "from", "in", "with", "on"})


def _title_of_org_name(tokens: list[str]) -> Mention | None | bool:
    """ "Minister of Education Stefania Giannini", "Psychology major at University of Texas
    Arlington Amneh Jafari": a title, a preposition, the organisation, then the name, which
    is the run's last two words (three when the first is a known given name). A run too
    short to hold both ("secretary general of CEI") is a description: False. Not this kind
    of phrase: None."""
    end = len(tokens)
    k = end
    while k > 0 and (is_capitalised(tokens[k - 1]) or tokens[k - 1] in ("-", "&")):
        k -= 1
    run = tokens[k:]
    if k == 0 or not run or _bare(tokens[k - 1]) not in _PREPOSITIONS:
        return None
    heads = [h for h in range(k) if is_title_head(tokens[h]) or is_role_word(tokens[h])]
    if not heads or heads[-1] + 1 >= k or _bare(tokens[heads[-1] + 1]) not in _PREPOSITIONS:
        return None  # "Professor Helen Strauss of Northwestern University": name first
    if len(run) < 3 or any(_bare(t) in vocabulary.words("org_words") for t in run[-2:]):
        return False
    size = 3 if gender_of(run[-3]) or _INITIAL.fullmatch(run[-2]) else 2
    name = " ".join(run[-size:]).strip(".,")
    prep = k - 1
    title = " ".join(tokens[:prep])
    return Mention(
        name=name,
        kind="person",
        title=_clean(title),
        affiliation=_clean(" ".join(run[:-size])),
        gender=gender_of(run[-size]),
    )
