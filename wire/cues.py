"""Cues: the words of a sentence that say who is speaking.

Kinds of cue, tried in this order for a quote inside a sentence (quotes masked):

- after the quote, a speech verb with its speaker, either order, adverb allowed:
  ``"...," sighed Kofi Mensah, a boat owner.`` / ``"...," Doe told VOA.``
- before the quote, the last speech verb and the phrase that is its subject:
  ``Mr. Tedeschi also told the court that, over the last months, "..."``
- "according to X" or "in the words of X" anywhere in the sentence;
- a lead-in ending in a colon, with or without a speech verb: the lead-in's subject
  (``Union leader Rosa Vail was blunt: "..."``);
- a partial quote with no verb: the sentence's subject
  (``Mayor Ilse Brandt called the plan "a dead end."``; ``Calling the bill "...," Senator
  Ada Brill urged a no vote.``).

The same patterns find paraphrased attributions in sentences without quotes
(:func:`attributions`), which make their speakers sources of the story. Windows are bounded
(:data:`WINDOW` characters either side of a quote), so the work is linear in the copy.
"""

from __future__ import annotations

import re
from functools import cache

from wire import vocabulary
from wire.clauses import _is_apposition, _looks_like_name, _reporting_tail, _strip_leads
from wire.descriptions import knowing_end
from wire.words import is_capitalised, is_role_word, unbracket_party_tags

WINDOW = 400
_AUX = (
    r"(?:(?:also|later|then|has|had|have|would|will|once|previously|further|again|again,|"
    r"only|simply|just|reportedly|recently|earlier|herself|himself)\s+)*"
)
_ADV = r"(?:[a-z]+ly\s+)?"
# "and", "that" and "which" break a clause only before a new subject ("..., and he said",
# "which the Church describes"), never inside an apposition ("an Australian woman and former
# Scientologist", "the distributor that runs most stations").
_CLAUSE_BREAK = re.compile(
    r"(?:\x00\d+\x00|;|\s(?:but|while|as|after|because|since|although|though|when|where|"
    r"whereas|so|until|before|if)\s|\s(?:that|which|whom)\s(?=[A-Z]|(?:he|she|they|it|we|I|"
    r"the|a|an|his|her|its|their)\s)|\sand\s(?=(?:he|she|they|it|we|I|the|a|an|his|her|its|"
    r"their)\s)|\s[—–]\s|\(|\))"
)
_AND_CLAUSE = re.compile(r"^[\s,]*and\s+(?!said\b|added\b)")
_TRAILING_AUX = re.compile(rf"\s+{_AUX}{_ADV}$")
_ASIDE = re.compile(r"\s*\([^()\x00]{0,80}\)")
_OPEN_APPOSITION = re.compile(r"^[A-Z][^,]*,\s+(?:the|an?)\s[^,]*$")
_DETERMINER = re.compile(r"(?:the|an?|his|her|its|their)\s")
_LEAD_CLAUSE = re.compile(r"\b(?:was|were|is|are|by|including)\s+(?=[A-Z])")
_WHAT_X_CALLED = re.compile(
    r"\bwhat (?P<np>[^,;\x00]{1,80}?) (?P<verb>called|termed|dubbed|described as|labell?ed)\s*$"
)
_RELATIVE_TAIL = re.compile(r",\s+(?:which|who)\s.*$")
_WHO_END = re.compile(r",\s+who\s*$")
# "Ms Lal, asked about the reports," / "An official, who asked not to be named,": an aside
_PARTICIPLE_ASIDE = re.compile(r"(?<=\w),\s+(?:[a-z]+(?:ed|ing)|who)\s[^,\x00]{0,120}$")
_CONJUNCTION_START = re.compile(r"^(?:As|When|While|Though|Although|If|Because|Once|And|But|So)\s+")
_ACCORDING_START = re.compile(r"(?:according|in the words)\b", re.IGNORECASE)
_LEADING_QUOTE = re.compile(r"^\x00\d+\x00[,\s]*")
_AGE_SUBJECT = re.compile(r"^(?:the|The) (\d{1,3})-year-old\b")
_ONE_APPOSITION = re.compile(r"^((?:an?|the|who)\s[^,\x00]{1,120}|[^,\x00]{1,80}),")
_SAID_NAME_COLON = re.compile(r"^\s+(?P<np>[A-Z][^,:\x00]{1,80}?)\s*[:,]\s*$")
_SHORT_REST = re.compile(r"[^.!?]*[.!?]?")


# An apposition holds no finite verb: in "According to Rathbun, a detective ... was
# provided with material", what follows the comma is the reported clause.
_NO_FINITE = r"(?:(?!\s(?:was|were|is|are|has|have|had|will|would|could|can|may|did)\b)[^,.;:\x00])"
_ACCORDING = re.compile(
    r"\b(?:according to|in the words of|as reported by|quoted by|cited by)\s+"
    rf"(?P<np>[^,.;:\x00()]+?(?:,\s+(?:(?:an?|the)\s{_NO_FINITE}+|[A-Z]{_NO_FINITE}+))*)"
    r"\s*(?=[,.;:\x00()]|$)",
    re.IGNORECASE,
)


@cache
def _verb_alternation(which: str) -> str:
    """The verb forms as one pattern that matches what ``said|says|say|...`` (longest form
    first) matches, in the same order when backtracked into, written as a tree of shared
    beginnings (``sa(?:id|ys|y)``) so that the regex engine reads a word once instead of
    trying every form in turn. A space in a form matches any run of whitespace."""
    name = "report_verbs" if which == "report" else "speech_verbs"
    tree: dict = {}
    for form in vocabulary.words(name):
        node = tree
        for char in form:
            node = node.setdefault(char, {})
        node[""] = {}  # a form ends here
    return _alternation(tree)


def _alternation(node: dict) -> str:
    """The pattern of one node of the tree of forms: each continuation (only one can match
    the next character), tried before ending here, so longer forms come first."""
    branches = [
        (r"\s+" if char == " " else re.escape(char)) + _alternation(child)
        for char, child in sorted(node.items())
        if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 and "" not in node else f"(?:{'|'.join(branches)})"
    return f"{body}?" if "" in node else body


@cache
def _after_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    v = _verb_alternation("speech")
    inverted = re.compile(
        rf"^[,\s]*(?:[—–-]\s*)?{_ADV}(?P<verb>{v})\s+(?P<np>(?!that\b|to\b)[^\x00;]+?)"
        rf"\s*(?=[.;!?]?\s*$|,\s*\x00|\s\x00)",
        re.IGNORECASE,
    )
    normal = re.compile(
        rf"^[,\s]*(?:[—–-]\s*)?(?P<np>[^\x00;]{{1,160}}?)\s+{_AUX}{_ADV}(?P<verb>{v})\b",
        re.IGNORECASE,
    )
    return inverted, normal


@cache
def _verb_re(which: str) -> re.Pattern[str]:
    # Case-sensitive: "States" in "United States" is no verb. A word in -s before a verb
    # is a plural noun: "Recent reports have revealed", "Witness accounts say".
    return re.compile(
        rf"\b(?P<verb>{_verb_alternation(which)})\b"
        r"(?!(?<=s)\s+(?:have|had|are|were|say|said|show|showed|suggest|suggested|indicate"
        r"|indicated)\b)"
    )


def _np_ok(np: str) -> bool:
    words = np.split()
    if not words or len(words) > 24:
        return False
    first = words[0].strip('("“')
    last = words[-1].strip(".,;:").casefold()
    if first[:1].islower() and (
        last in vocabulary.words("group_nouns")
        or last.rstrip("s") in vocabulary.words("speech_nouns")
    ):
        return len(words) <= 5  # "media reports", "local officials"
    if any(is_capitalised(w) for w in words[1:6]) and first[:1].isalpha():
        return True  # "coauthor Colette Heald", "former president Ana Ruiz"
    return is_capitalised(first) or first.casefold() in vocabulary.words("subject_starts")


_PASSIVE = re.compile(r"\b(?:be|been|being|is|was|were|are|to|not|who|which)\s+$", re.IGNORECASE)


def subject_before(text: str) -> str | None:
    """The phrase that is the subject of a verb which follows ``text`` directly: the last
    clause's words, without a leading adverbial ("On Tuesday, ..."). None for a passive or
    infinitive verb ("was told", "to say"), whose subject is not the speaker."""
    rel = _WHO_END.search(text)
    if rel:
        # "Representative Yvonne Parrish of California, who called the standoff ...": the
        # subject of the relative clause's verb is the name the clause follows
        segments = [s.strip() for s in text[: rel.start()].split(",")][-4:]
        k = len(segments) - 1
        while k > 0 and _is_apposition(segments[k]):
            k -= 1  # "Sen. Curtis Lamb, R-Idaho, who", "Dr. Osei, chief of ..., who"
        name = segments[k] = _LEAD_CLAUSE.split(segments[k])[-1]  # "Among them was X, who"
        return ", ".join(segments[k:]) if name[:1].isupper() and _looks_like_name(name) else None
    if _PASSIVE.search(text):
        return None
    last = text.rstrip().rsplit(" ", 1)[-1]
    if last.casefold() in ("he", "she", "they", "it", "we", "i"):
        return last  # "She told The Review Desk she wrote ...": the verb's own subject
    text = _TRAILING_AUX.sub("", text + " ").rstrip(" ,")
    text = _ASIDE.sub("", unbracket_party_tags(text))  # an aside: "(منى عبد الفتاح)"
    # "Ms Lal, asked about the reports as she left Downing Street, said": the participle's
    # clause between the subject and its verb is an aside too
    text = _PARTICIPLE_ASIDE.sub("", text)
    parts = _CLAUSE_BREAK.split(text)
    if len(parts) > 1 and _OPEN_APPOSITION.search(parts[-2]) and _DETERMINER.match(parts[-1]):
        # "Tomasz Wright, the Reform UK MP and the party's deputy leader": one apposition
        parts[-2:] = [f"{parts[-2]} and {parts[-1]}"]
    clause = parts[-1].strip(" ,") if parts else ""
    clause = _strip_leads(clause)
    clause = _reporting_tail(clause)
    clause = _CONJUNCTION_START.sub("", clause)
    if _ACCORDING_START.match(clause):
        return None
    if clause.endswith(" and") and " " in clause[:-4]:
        return subject_of(clause[:-4])  # "it welcomed the draft and urged": its subject
    return clause if _np_ok(clause) else None


@cache
def _subject_words() -> tuple[frozenset[str], frozenset[str]]:
    """(title words, institution nouns), read once."""
    return (
        vocabulary.words("titles") | vocabulary.words("title_modifiers"),
        vocabulary.words("org_anaphors") | vocabulary.words("org_words"),
    )


def subject_of(sentence: str) -> str | None:
    """The leading subject phrase of a (masked) sentence: leading adverbials and
    participial phrases dropped, then a name, its titles and one apposition."""
    stripped = _strip_leads(_ASIDE.sub("", unbracket_party_tags(sentence.strip())))
    text = _LEADING_QUOTE.sub("", stripped)
    if text != stripped:  # stripping again only finds more after a leading quote went
        text = _strip_leads(text)
    tokens = text.split(" ")
    if tokens and tokens[0].casefold() in ("he", "she", "they", "it", "we", "i"):
        return tokens[0]  # "he shrugged:", "she told reporters"
    age = _AGE_SUBJECT.match(text)
    if age:
        return age[0]  # "The 54-year-old first climbed Everest in 1994"
    out: list[str] = []
    titles, institutions = _subject_words()
    glue = {"the", "a", "an", "of", "for", "at", "de", "van", "von", "al", "and", "&"}
    i = 0
    while i < len(tokens) - 1 and tokens[i].casefold() in ("her", "his", "their", "its", "our"):
        i += 1  # "Her neighbour Paulo Reis disagreed": the neighbour is the subject
    while i < len(tokens):
        tok = tokens[i]
        bare = tok.strip(",.;:'’\"“”()").casefold()
        if "\x00" in tok or tok[:1] in '"“‘':  # no name from inside quotation marks
            break
        if out and (end := knowing_end(tokens, i)):
            out.extend(tokens[i:end])  # "Two people familiar with the matter said"
            break
        ahead = tokens[i + 1 : i + 4]
        described = (
            (
                is_role_word(bare)
                or bare in vocabulary.words("group_nouns")
                or bare in vocabulary.table("relations")
                or (bare in institutions and len(out) == 1 and out[0].casefold() == "the")
                or (
                    bare in institutions and out and out[-1].endswith(("'s", "’s"))
                )  # "X's campaign"
            )
            or (
                tok[:1].islower()
                and any(t[:1].isupper() for t in ahead)
                and (not out or any(is_role_word(t) for t in ahead[:2]))
            )
        )
        if (
            is_capitalised(tok)
            or bare in glue
            or bare in titles
            or described
            or (out and bare.endswith("'s"))
        ):
            out.append(tok)
            if tok.endswith(","):
                # one apposition: ", a boat owner," up to the next comma
                rest = " ".join(tokens[i + 1 :])
                m = _ONE_APPOSITION.match(rest)
                words = m[1].split() if m else []
                named = len(words) <= 4 and all(w[:1].isupper() for w in words)
                if m and (
                    words[0].casefold() in ("a", "an", "the", "who")
                    or named
                    or any(is_role_word(w) for w in words)
                ):
                    out.append(m[1] + ",")
                break
            i += 1
            continue
        break
    np = " ".join(out).rstrip(",")
    return (
        np
        if out
        and _np_ok(np)
        and any(
            is_capitalised(t)
            or t.casefold() in ("he", "she", "it", "they")
            or t.casefold().strip(",") in institutions
            or (t.casefold() in titles and out[0].casefold() == "the")  # "the former governor"
            for t in out
        )
        else None
    )


def cue_for(sentence: str, n: int) -> tuple[str, str | None, str] | None:
    """``(speaker phrase, verb, how)`` for the ``n``-th quote of a masked sentence, or None
    when the sentence itself does not say who speaks. ``how`` is one of ``verb``,
    ``according``, ``colon``, ``subject``."""
    token = f"\x00{n}\x00"
    before, _, after = sentence.partition(token)
    before, after = before[-WINDOW:], after[:WINDOW]
    inverted, normal = _after_patterns()
    m = inverted.match(after)
    np = m and _RELATIVE_TAIL.sub("", m["np"])  # "said X, president of Y, which represents ..."
    if m and (_np_ok(m["np"]) or _np_ok(np)):
        return m["np"] if _np_ok(m["np"]) else np, m["verb"], "verb"
    m = normal.match(after)
    if m and _AND_CLAUSE.match(after) and _verb_re("speech").search(before):
        m = None  # 'X said the effort was "...," and Y said ...': X's words, not Y's
    if m and _np_ok(m["np"]) and "," not in m["np"].split(" ", 1)[0][:-1]:
        return m["np"], m["verb"], "verb"
    named = _WHAT_X_CALLED.search(before)
    if named and _np_ok(named["np"]):
        return named["np"], named["verb"], "subject"  # "in what Estonian officials called"
    verbs = list(_verb_re("speech").finditer(before))
    for v in reversed(verbs):
        np = subject_before(before[: v.start()])
        if np:
            return np, v["verb"], "verb"
        tail = before[v.end() :]
        if before[: v.start()].strip(" ,") and not before[: v.start()].rstrip().endswith(","):
            continue
        m = _SAID_NAME_COLON.match(tail)
        if m:
            return m["np"], v["verb"], "verb"  # 'Said Kim: "..."' / '..., wrote Kim: "..."'
    m = _ACCORDING.search(sentence[-2 * WINDOW :])
    if m:
        return m["np"], None, "according"
    if before.rstrip().endswith(":"):
        np = subject_of(before.rstrip()[:-1])
        if np:
            return np, None, "colon"
    who = before.rfind(", who ")
    if who >= 0 and "\x00" not in before[who:]:
        np = subject_before(before[: who + 5])  # "Parrish, who called the standoff '...'"
        if np:
            return np, None, "subject"
    np = subject_of(sentence)
    if np and not sentence.lstrip().startswith(token):
        return np, None, "subject"
    return None


def short_attribution(sentence: str) -> tuple[str, str] | None:
    """``(speaker phrase, verb)`` when a sentence is only an attribution ("Smith shouted.",
    "said Jo Pell, the mayor."), which then belongs to the quote just before it."""
    if "\x00" in sentence or len(sentence.split()) > 14:
        return None
    inverted, normal = _after_patterns()
    m = inverted.match(sentence)
    if m and _np_ok(m["np"]):
        return m["np"], m["verb"]
    m = normal.match(sentence)
    rest = sentence[m.end() :].strip() if m else ""
    if m and _np_ok(m["np"]) and _SHORT_REST.fullmatch(rest) and len(rest.split()) <= 3:
        return m["np"], m["verb"]
    return None


_INVERTED_TAIL = re.compile(
    r",\s+(?P<verb>said|says|added|wrote|explained|noted|warned)\s+(?P<np>[A-Z][^\x00;]{1,160}?)"
    r"\s*[.!?]?\s*$"
)


def attributions(sentence: str) -> list[tuple[str, str]]:
    """Paraphrased attributions in a sentence: ``(speaker phrase, verb)`` for each subject
    of a speech or report verb, and each "according to X" (verb ``according to``)."""
    found = [(m["np"], "according to") for m in _ACCORDING.finditer(sentence)]
    tail = _INVERTED_TAIL.search(sentence)
    if tail and _np_ok(tail["np"]) and _looks_like_name(tail["np"].split(", ")[0]):
        found.append((tail["np"], tail["verb"]))  # "..., said Benson Kiprono, an agronomist."
    for v in _verb_re("report").finditer(sentence):
        np = subject_before(sentence[max(0, v.start() - WINDOW) : v.start()])
        if np:
            found.append((np, v["verb"]))
    return found
