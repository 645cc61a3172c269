"""Reporting clauses: the speaker at the end of a clause that ends in a speech verb, with
its appositions ("Kim Soo-hyun, 41, owner of a supplier, said"), and the leading phrases
that come before a sentence's subject ("On Tuesday,", "Speaking to reporters,")."""

from __future__ import annotations

import re

from wire.words import _PARTY_STATE, is_capitalised, is_role_word

_PREPOSITION_INSIDE = re.compile(r"\s(?:at|of|in|for|from)\s")
_RELATIVE_START = re.compile(r"^(?:whose|which|where)\s")
# An aside between a speaker and the verb: "X, in remarks to state radio, said", "X,
# speaking to reporters, said", "X, on Tuesday, said". Lower case: no name starts one.
_ADVERBIAL_ASIDE = re.compile(
    r"^(?:in|on|at|during|after|before|from|with|via|through|later|earlier|again|also"
    r"|speaking|writing|talking|addressing|responding|replying|quoted|[a-z]+day)\b"
)


def _looks_like_name(segment: str) -> bool:
    words = segment.split()
    caps = sum(1 for w in words if is_capitalised(w))
    return 0 < len(words) <= 10 and caps / len(words) >= 0.5


_APPOSITION_START = re.compile(r"^(?:an?|the|one|who|of|at|its|his|her|their)\s", re.IGNORECASE)


def _is_apposition(segment: str) -> bool:
    words = segment.split()
    return (
        bool(words)
        and (
            bool(_APPOSITION_START.match(segment))
            or segment.isdigit()
            or bool(_PARTY_STATE.match(segment))  # "Sen. Walt Hennings, R-Kan., the party's ..."
            or (is_role_word(words[0]) and not words[0][:1].isupper())
        )
    )


def _place_after(segments: list[str], k: int) -> bool:
    """ "a lecturer at Tarn University, Northfield": the place after an apposition that
    names an institution belongs to the apposition."""
    words = segments[k].split()
    return (
        k >= 2
        and 0 < len(words) <= 3
        and all(w[:1].isupper() for w in words)
        and _is_apposition(segments[k - 1])
        and bool(_PREPOSITION_INSIDE.search(segments[k - 1]))
    )


def _reporting_tail(clause: str) -> str:
    """The speaker of a reporting clause at the end of a sentence: "Egypt will raise the
    price, the Ministry of Supply said" gives "the Ministry of Supply"; "Vaillant, one of
    the largest manufacturers, said" and "Kim Soo-hyun, 41, owner of a supplier, said" keep
    the name with its appositions; "Its managing director, Jonas Richter" keeps the
    description before the name."""
    segments = [s.strip() for s in clause.split(", ")]
    while len(segments) > 1 and (
        _RELATIVE_START.match(segments[-1]) or _ADVERBIAL_ASIDE.match(segments[-1])
    ):
        segments.pop()  # "X, whose book ... examines ...,", "X, in a statement,": no speaker
    if len(segments) < 2:
        return ", ".join(segments)
    k = len(segments) - 1
    while k > 0 and (_is_apposition(segments[k]) or _place_after(segments, k)):
        k -= 1
    if k < len(segments) - 1 and _looks_like_name(segments[k]) and len(segments[k].split()) <= 6:
        return ", ".join(segments[k:])  # a name and its appositions
    last = segments[-1]
    before = segments[-2]
    if (
        _looks_like_name(last)
        and _APPOSITION_START.match(before)
        and any(is_role_word(w) for w in before.split())
    ):
        return ", ".join(segments[-2:])  # "Its managing director, Jonas Richter"
    if _looks_like_name(segments[0]) and all(_is_apposition(x) for x in segments[1:]):
        return ", ".join(segments)
    if len(before.split()) > 6 or not _looks_like_name(before):
        return last
    return ", ".join(segments)


# "But Youssef el-Amrani, an activist, said": the conjunction goes, the name stays.
_LEAD_CONJUNCTION = re.compile(r"^(?:but|and|yet|so)\s+(?:,\s*)?", re.IGNORECASE)
_LEAD_WORDS = re.compile(
    r"^(?:according to|regarding|as|when|while|though|although|if|because|once|in|on|at|"
    r"after|before|during|asked|however|meanwhile|still|yet|instead|later|earlier|separately|"
    r"allegedly|reportedly|by|for|from|with|without|under|in an?|last|this|yesterday|"
    r"today|[a-z]+day)\b[^,\x00]*(?:\x00\d+\x00[^,\x00]*)*(?:, [A-Z][a-z]{1,4}\.)?,\s+",
    re.IGNORECASE,
)
# A participial lead ("Speaking to reporters,", "Calling the bill "...",") holds no name: a
# capitalised word inside means a noun phrase ("Sewing machine operator Shirin Akter,").
_LEAD_AMONG = re.compile(r"^(?:Also )?[Aa]mong [^,\x00]{1,40}? (?:was|were)\s+")
_LEAD_PARTICIPLE = re.compile(r"^[A-Za-z]+ing\b[^,\x00A-Z]*(?:\x00\d+\x00[^,\x00A-Z]*)*,\s+")


_LEAD_SHORT = re.compile(
    r"^(?!(?:The|A|An|Its|His|Her|Their|Our|My|One|Some|Many|Most)\b)"
    r"(?P<lead>[A-Z][a-z]+(?: [a-z'’]+){1,5}), (?=[A-Z]|(?:al|el|bin|ibn|abu|de|van|von)-[A-Z])"
)


# "Later on Thursday the shadow business secretary, Sir Nigel Ashworth, wrote": an adverbial
# without its comma runs into the subject, a post set off before the name it describes.
_POST_AFTER_LEAD = re.compile(r"\s(?P<post>(?:the|a|an|its|his|her|their)\s[^,\x00]+?),\s+$")
_NAME_IN_COMMAS = re.compile(r"^[A-Z][\w.’'-]*(?: [A-Z][\w.’'-]*)*,")
_LEAD_PREPOSITIONS = frozenset({"of", "with", "at", "for", "to", "by", "from", "in", "on"})


def _post_before_name(lead: str, rest: str) -> str | None:
    """The post that ends an adverbial lead, when a name in commas follows it ("On Tuesday
    the union's chief negotiator, Pia Lund, said"), or None. A post in a prepositional
    phrase ("after the talks with the minister, Brandt, ...") is no apposition."""
    post = _POST_AFTER_LEAD.search(lead)
    if post is None or not _NAME_IN_COMMAS.match(rest):
        return None
    words = post["post"].split()
    before = lead[: post.start()].split()[-1:]
    if any(w.casefold() in _LEAD_PREPOSITIONS for w in [*before, *words]):
        return None
    return post["post"] if any(is_role_word(w) for w in words[1:]) else None


def _strip_leads(text: str) -> str:
    """``text`` without its leading adverbial and participial phrases, and without a short
    phrase of lower-case words before a capitalised subject ("Back on his plot, Chepkoech
    said"). A post at the end of the adverbial, set off before a name, stays."""
    while True:
        m = (
            _LEAD_CONJUNCTION.match(text)
            or _LEAD_WORDS.match(text)
            or _LEAD_PARTICIPLE.match(text)
            or _LEAD_AMONG.match(text)  # "Among them was Ruth Pellegrini, 71, who ..."
        )
        short = _LEAD_SHORT.match(text)
        if not m and short and not any(is_role_word(w) for w in short["lead"].split()):
            m = short
        if not m:
            return text
        post = _post_before_name(m[0], text[m.end() :])
        if post is not None:
            return f"{post}, {text[m.end() :]}"
        text = text[m.end() :]
