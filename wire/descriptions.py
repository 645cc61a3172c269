"""Unnamed sources: the short description a speaker phrase that names nobody gives ("a
senior official who asked not to be named" → "senior official")."""

from __future__ import annotations

import re
from functools import lru_cache

from wire import vocabulary
from wire.model import Mention
from wire.words import _bare, is_capitalised, is_role_word, is_title_head, is_title_word

_DESCRIPTION_BREAK = re.compile(r",| who | which | that ")
# The head of a description ends before what it is of or where it is: "a former colleague
# of the peer" is a former colleague.
_HEAD_END = re.compile(r" (?:of|at|from|in|with|on) ")
# "one of the people", "two of the officials": members of a group the story described.
_GROUP_MEMBER = re.compile(
    r"(?:one|two|three|some|several|many|most|another) of (?:the|those|these|them)"
    r"(?: (?P<group>[a-z]+))?",
    re.IGNORECASE,
)
_IN_THE_KNOW = re.compile(
    r"\b(?:familiar with|briefed on|close to|with (?:direct )?knowledge of|involved in"
    r"|knowledgeable about|aware of) "
)


def knowledge(phrase: str) -> str:
    """What an unnamed source's phrase says it knows ("familiar with the matter"), or ""."""
    m = _IN_THE_KNOW.search(phrase)
    return _DESCRIPTION_BREAK.split(phrase[m.start() :], maxsplit=1)[0].strip() if m else ""


_KNOWING = frozenset(("familiar", "briefed", "close", "involved", "knowledgeable"))


def knowing_end(tokens: list[str], i: int) -> int:
    """Where an unnamed source's knowledge, starting at ``tokens[i]``, ends: "familiar with
    the matter", "briefed on the whip count", "close to the campaign" (up to the speech
    verb, a comma or eight words on). 0 when ``tokens[i]`` does not start one."""
    if (
        tokens[i].casefold() not in _KNOWING
        or i + 1 >= len(tokens)
        or tokens[i + 1] not in ("with", "on", "to", "in", "about")
    ):
        return 0
    verbs = vocabulary.words("speech_verbs")
    j = i + 2
    while j < len(tokens) and j - i < 9 and tokens[j].casefold() not in verbs:
        j += 1
        if tokens[j - 1].endswith(","):
            break
    return j


# "the world's most visited museum", "the country's biggest union": an institution the story
# named, described by its rank in a place
RANKED_DESCRIPTION = re.compile(
    r"(?i:the) (?:world|country|nation|region|city|state|continent|island|province|industry"
    r"|sector|market)['’]s (?:[a-z-]+ ){0,3}(?P<head>[a-z]+)"
)
_INDEFINITE = frozenset(("a", "an", "one", "another"))


def unnamed(phrase: str, paragraph: int) -> Mention | None:
    """An unnamed source's short description ("a senior official who asked not to be
    named" gives "senior official"), or None for a phrase that describes no speaker."""
    clause = _DESCRIPTION_BREAK.split(phrase, maxsplit=1)[0]
    # "a person familiar with the matter": what the source knows is who the source is
    knows = _IN_THE_KNOW.search(clause)
    text = clause if knows else _HEAD_END.split(clause, maxsplit=1)[0]
    words = text.split()
    while words and words[0].casefold() in ("a", "an", "the", "some"):
        words = words[1:]
    if not words or len(words) > (8 if knows else 5) or not words[-1].strip("’'").isalpha():
        return None
    if words[-1].casefold() in vocabulary.words("stop_caps"):
        return None
    return Mention(name=" ".join(words), kind="unnamed", paragraph=paragraph)


def group_member(phrase: str, paragraph: int) -> Mention | None:
    """ "one of the people" → an unnamed "person"; "one of the officials" → "official";
    None for any other phrase."""
    m = _GROUP_MEMBER.fullmatch(phrase)
    if m is None:
        return None
    group = (m["group"] or "people").casefold()
    member = "person" if group == "people" else group.removesuffix("s")
    return Mention(name=member, kind="unnamed", paragraph=paragraph)


def indefinite_description(phrase: str, paragraph: int) -> Mention | None:
    """ "a Labour aide", "one senior Republican aide", "a White House official": an
    indefinite description whose head is a lower-case role noun names nobody, whatever
    capitalised words stand before the noun; None for any other phrase."""
    head = _DESCRIPTION_BREAK.split(phrase, maxsplit=1)[0]  # "..., who asked not to be named"
    core, *where = _HEAD_END.split(head, maxsplit=1)  # "a senior official at the Department"
    words = core.split()
    if (
        len(words) < 2
        or len(words) > 6
        or words[0].casefold() not in _INDEFINITE
        or not words[-1].isalpha()
        or not (
            (words[-1].islower() and is_role_word(words[-1]))
            or (words[-1].isupper() and is_title_head(words[-1]))  # "One Labour MP"
        )
        or not (where or any(is_capitalised(w) for w in words[1:-1]))
    ):
        return None
    return unnamed(head, paragraph)


_CAMPAIGN = re.compile(
    r"(?:[Tt]he |[Hh]is |[Hh]er )?(?P<who>[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,2}?)(?:['’]s?)?"
    r" (?:re-?election |presidential |Senate |mayoral )?campaign"
)


def campaign(phrase: str, paragraph: int) -> Mention | None:
    """ "the Voss campaign", "Hale's campaign", "the Harmon re-election campaign": a
    candidate's campaign speaks as an organisation of its own, "Voss campaign"; None for
    any other phrase."""
    m = _CAMPAIGN.fullmatch(phrase)
    if m is None or m["who"].casefold() in vocabulary.words("stop_caps"):
        return None
    who = re.sub(r"['’]s?$", "", m["who"])  # "Harmon's campaign"
    return Mention(name=f"{who} campaign", kind="organization", paragraph=paragraph)


# Words that date a post rather than name it: "the former governor" is the governor.
_POST_TIME = frozenset(("former", "then", "ex", "outgoing", "incoming", "current", "sitting"))


def title_description(phrase: str, paragraph: int) -> Mention | None:
    """ "the former governor", "the prime minister", "the senator": a definite description
    by a post, which stands for the person of the story who holds it (resolved by
    :meth:`wire.coreference.Tracker.holder`). An unnamed mention whose ``pronoun`` is
    ``post:`` and the post's words without the time words ("post:governor"); None for any
    other phrase.

    An epithet, a description with a place or party in it ("the former Indiana governor",
    "the Democratic presidential nominee", "the Louisiana Republican"), identifies someone
    the story has named: its ``pronoun`` is ``epithet:`` with the post's words, a bar, and
    the place and party words ("epithet:governor|indiana"), and it falls back to the
    person the story is about when nobody holds the post."""
    words = phrase.split()
    if len(words) < 2 or len(words) > 5 or words[0].casefold() != "the":
        return None
    if not all(w.isalpha() or "-" in w for w in words[1:]):
        return None
    party = vocabulary.words("party_members")
    head = words[-1]
    # "the Louisiana Republican"; "the Independent" alone may be a newspaper
    party_head = head.casefold() in party and is_capitalised(head) and len(words) > 2
    marks = [
        w.casefold()
        for w in words[1:]
        if is_capitalised(w) and not is_title_word(w) and w.casefold() not in _POST_TIME
    ]
    if not (is_title_head(head) or party_head or (marks and head.islower() and is_role_word(head))):
        return None
    if marks and (len(marks) > 3 or not party_head and len(words) - len(marks) < 2):
        return None
    if any(m in vocabulary.words("org_words") for m in marks) or _bare(head) in (
        vocabulary.words("speech_nouns") | vocabulary.words("text_carriers")
    ):
        return None  # "the Port Authority letter": a document of a body
    if not marks and len(words) > 4:
        return None
    post = [
        w.casefold()
        for w in words[1:]
        if w.casefold() not in _POST_TIME and w.casefold() not in marks
    ]
    # "the former governor" is someone the story has named, as an epithet is
    kind = "epithet:" if marks or words[1].casefold() in _POST_TIME else "post:"
    return Mention(
        name=" ".join(words[1:]),
        kind="unnamed",
        pronoun=kind + " ".join(post) + ("|" + " ".join(marks) if marks else ""),
        paragraph=paragraph,
    )


def post_words(title: str) -> set[str]:
    """The words of a title, lower case, with abbreviated ranks written out ("Gov." gives
    "gov" and "governor"), for matching a description by post."""
    ranks = vocabulary.table("rank_titles")
    words = set()
    for word in title.casefold().replace(".", " ").split():
        words.add(word)
        if word in ranks:
            words.update(ranks[word].casefold().split())
    return words


def may_hold(post: str, titles: list[str]) -> bool:
    """Whether a person with ``titles`` may be the holder of ``post`` ("governor"): no post
    or no titles to go by, a title that holds the post's words, or public posts on both
    sides ("the shadow chancellor" is also "the Conservative MP", a nominee a senator); a
    pollster or a nurse is no senator, and a mayor no governor."""
    wanted = set(post.split())
    words = {w for t in titles for w in post_words(t)}
    if not wanted or not words or wanted <= words:
        return True
    offices, public = vocabulary.words("offices"), vocabulary.words("public_offices")
    if wanted & offices and words & offices and not wanted & words:
        return False  # a mayor is no governor: one office at a time
    return bool(wanted & public and words & public)


# "Democratic" describes a Democrat: compared without the adjective's ending
_PARTY_ADJECTIVE = re.compile(r"(?<=democrat)ic$")


def described_by(marks: str, descriptions: tuple[str, ...]) -> bool:
    """Whether every place and party word of an epithet ("indiana democratic") is among
    the words of a person's titles and affiliations ("former governor", "Indiana",
    "Democrat")."""
    known = {_PARTY_ADJECTIVE.sub("", w) for d in descriptions for w in post_words(d)}
    return all(_PARTY_ADJECTIVE.sub("", m) in known for m in marks.split())


_COUNT_WORDS = frozenset(("the", "a", "an", "one", "some", "many", "several", "two", "three"))


def party_members(phrase: str, paragraph: int) -> Mention | None:
    """ "the Liberal Democrats", "Republicans", "a California Democrat": people described
    by their party, an unnamed source (never a person's name, so never a name variant of
    one); None for any other phrase. A singular counts only after "a" or "one": "Labour"
    may name the party itself, "the Independent" a newspaper, "Jo Green" a person."""
    words = phrase.split()
    counted = bool(words) and words[0].casefold() in _COUNT_WORDS - {"the"}
    while words and words[0].casefold() in _COUNT_WORDS:
        words = words[1:]
    if not words or len(words) > 3 or not all(is_capitalised(w) for w in words):
        return None
    last = words[-1].casefold()
    single = "tory" if last == "tories" else last.removesuffix("s")
    if single not in vocabulary.words("party_members"):
        return None
    if last == single and not counted:
        return None  # "Labour", "the Independent" (a newspaper), "Jo Green" (a surname)
    return Mention(name=" ".join(words), kind="unnamed", paragraph=paragraph)


@lru_cache(maxsize=65536)
def is_party_label(name: str) -> bool:
    """Whether a name read as a person's is a party's members instead: "Democrats",
    "Liberal Democrat", "Tories" (every word a party word, or a plural one at the end);
    "Jo Green" and "California Democrat" are not."""
    words = [w.casefold() for w in name.split()]
    if not words or len(words) > 3:
        return False
    party = vocabulary.words("party_members")
    last = words[-1]
    single = "tory" if last == "tories" else last.removesuffix("s")
    return single in party and (last != single or all(w in party for w in words))


def bench(phrase: str, paragraph: int) -> Mention | None:
    """ "the judges", "the majority", "the three-judge panel": a court's judges as a body,
    an unnamed mention whose ``pronoun`` is ``bench`` (resolved to the court the story
    named, by :meth:`wire.attribution._Reader.speaker`); None for any other phrase."""
    words = phrase.split()
    if (
        2 <= len(words) <= 3
        and words[0].casefold() == "the"
        and words[-1].casefold() in vocabulary.words("bench_nouns")
        and all(w.islower() for w in words[1:])
    ):
        return Mention(
            name=" ".join(words[1:]), kind="unnamed", pronoun="bench", paragraph=paragraph
        )
    return None


def national_institution(phrase: str, paragraph: int) -> Mention | None:
    """ "the Swedish foreign ministry", "the French interior ministry": a country's
    institution printed in lower case, named as its own name is written ("Swedish Foreign
    Ministry"); None for any other phrase."""
    words = phrase.split()
    if words and words[0].casefold() == "the":
        words = words[1:]
    if (
        not 2 <= len(words) <= 4
        or words[0].casefold() not in vocabulary.words("demonyms")
        or not all(w.islower() and w.isalpha() for w in words[1:])
        or words[-1] not in vocabulary.words("org_words")
    ):
        return None
    name = " ".join(w[:1].upper() + w[1:] for w in words)
    return Mention(name=name, kind="organization", paragraph=paragraph)


_REPRESENTATIVE = re.compile(
    r"(?:an?|one|the)\s+(?:[a-z]+\s+)?(?P<role>spokes(?:man|woman|person)|aide|adviser|advisor"
    r"|lawyer|attorney)\s+(?:for|to|of)\s+(?P<who>[^,]+)",
    re.IGNORECASE,
)


def representative(phrase: str, paragraph: int) -> Mention | None:
    """ "a spokeswoman for Gov. Thomas Greer", "a spokesperson for the company": someone
    unnamed who speaks for a person or an organisation. An unnamed mention whose ``pronoun``
    is ``for:ROLE:WHO``; the speaker is named after whom they speak for ("Greer
    spokeswoman", "Western Isles Ferries spokesperson") once the story's entities are known
    (:meth:`wire.attribution._Reader.speaker`). None for any other phrase."""
    m = _REPRESENTATIVE.fullmatch(phrase.strip())
    if m is None:
        return None
    role, who = m["role"].casefold(), m["who"].strip()
    return Mention(
        name=f"{role} for {who}", kind="unnamed", pronoun=f"for:{role}:{who}", paragraph=paragraph
    )


def is_group(words: list[str]) -> bool:
    """Whether the head words of a phrase describe a group ("police", "officials", "Two
    European officials"), not name a body whose name ends in such a word ("Maryland Capitol
    Police", "the Border Police")."""
    if words[-1].casefold() not in vocabulary.words("group_nouns"):
        return False
    named = [w for w in words if w.casefold() not in ("the", "a", "an")]
    return len(named) < 2 or not all(is_capitalised(w) for w in named)


_COUNTS = frozenset(("two", "three", "four", "several", "some", "many"))
# The head of an unnamed description ends where what it knows or where it is begins
_HEAD_WORDS = re.compile(r" (?:familiar|briefed|close|with|involved|of|at|from|in|on|who) ")


class UnnamedSources:
    """The unnamed sources of one story, remembered by their head word, so that a definite
    description that points back ("the person said", "one of the people said") gives the
    full description the story first printed ("person briefed on the whip count")."""

    def __init__(self) -> None:
        self.by_head: dict[str, str] = {}  # "person": "person briefed on the whip count"

    def knows(self, post: str) -> bool:
        """Whether an unnamed source was described by the last word of ``post``."""
        return bool(post) and post.split()[-1] in self.by_head

    def recall(self, description: str, phrase: str) -> str:
        """The description to report for an unnamed speaker: ``description`` as
        :func:`unnamed` read it from ``phrase``, with what the source knows ("familiar with
        the matter") kept, or the fuller one it points back to."""
        knows = knowledge(phrase)
        if knows and knows not in description:  # "Two people familiar with the matter"
            description = f"{description} {knows}"
        words = description.split()
        if len(words) == 1 and phrase.split()[0].casefold() in ("the", "that", "this", "one"):
            return self.by_head.get(words[0].casefold(), description)  # "one of them"
        lead = _HEAD_WORDS.split(description, maxsplit=1)[0].split()
        head = lead[-1].casefold()
        one = "person" if head == "people" else head.removesuffix("s")
        if lead[0].casefold() in _COUNTS:  # "two people familiar with ...": each is one
            words = [one if w.casefold() == head else w for w in words[1:]]
        if len(words) > 1:  # "Officials met": nothing more to remember than the noun
            self.by_head[one] = " ".join(words)
        return description
