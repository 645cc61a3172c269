"""The sources of one story, as the copy names them, and who "he", "she" or "the ministry" is.

A :class:`SourceBook` is filled in reading order. Each attribution is resolved against what
was named before it: a surname to the person first named in full, a misspelled surname to
that person (remembered as a variant for the audit), a pronoun to the person last quoted or
attributed, "the company" to the organisation last named of that kind.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from sources.speakers import ORG_DESCRIPTORS, Appositive, NounPhrase, is_capitalised, words

_STATEMENT_NOUNS = words(
    "post statement release communique communiqué letter tweet message notice report website "
    "announcement filing update"
)


@dataclass
class Source:
    """Someone or something a story quotes or attributes information to."""

    name: str
    kind: str  # "person", "organization" or "unnamed"
    title: str | None = None
    affiliation: str | None = None
    aliases: list[str] = field(default_factory=list)
    variants: list[str] = field(default_factory=list)
    gender: str | None = None
    descriptor: str | None = None

    def to_dict(self) -> dict:
        """The source as the wire-import contract prints it."""
        return {
            "name": self.name,
            "kind": self.kind,
            "title": self.title,
            "affiliation": self.affiliation,
            "aliases": list(self.aliases),
        }


def fold(text: str) -> str:
    """Lower case without accents, for comparing spellings."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Edit distance counting a swap of two neighbouring letters as one edit (Vinh/Vihn),
    giving up (returning ``limit``) once it must exceed it."""
    if abs(len(a) - len(b)) >= limit:
        return limit
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            best = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                best = min(best, prev2[j - 2] + 1)
            cur.append(best)
        if min(cur) >= limit:
            return limit
        prev2, prev = prev, cur
    return min(prev[-1], limit)


_SOUNDS = ((r"ph", "f"), (r"qu", "k"), (r"ck", "k"), (r"q", "k"), (r"c(?=[aoukr]|$)", "k"))


def sound_key(name: str) -> str:
    """A rough spoken form of a name: K, Q and hard C alike, ph as f, doubled letters
    single (Qadir/Kadir, Quiambao/Kiambao, Philips/Filips, Mathew/Matthew)."""
    key = fold(name)
    for pattern, repl in _SOUNDS:
        key = re.sub(pattern, repl, key)
    return re.sub(r"(.)\1+", r"\1", key)


def is_variant_spelling(a: str, b: str) -> bool:
    """Two spellings of one name: the same sound (Qadir/Kadir), or the same first letter
    and one or two letters apart, a swap of neighbours counting as one (Ko/Koh,
    Condori/Condory, Vinh/Vihn); never identical."""
    if a == b or len(a) < 2 or len(b) < 2:
        return False
    fa, fb = fold(a), fold(b)
    if fa == fb:
        return True
    ka, kb = sound_key(a), sound_key(b)
    if ka == kb:
        return True
    if ka[0] != kb[0]:
        return False
    allowed = 1 if max(len(fa), len(fb)) <= 6 else 2
    return min(edit_distance(fa, fb, allowed + 1), edit_distance(ka, kb, allowed + 1)) <= allowed


_MALE_IN_A = words(
    "luca joshua nikita ilya andrea sasha mustafa musa isa yahya attila akira kuba jonah "
    "elijah ezra noah zakaria issa mika"
)


def _guess_gender(name: str) -> str | None:
    """'f' for a first name ending in -a (Rosa, Maria, Olha) except known male ones."""
    first = fold(name.split()[0]) if name.split() else ""
    if len(name.split()) > 1 and first.endswith("a") and first not in _MALE_IN_A:
        return "f"
    return None


class SourceBook:
    """The sources named so far in one story, in order of first attribution."""

    def __init__(self, known_names: dict[str, str] | None = None) -> None:
        self.sources: list[Source] = []
        self._recent: list[Source] = []
        self.statement_source: Source | None = None
        self.org_mentions: list[str] = []
        # surname -> full name of people mentioned anywhere in the story (not yet sources)
        self._known_names = known_names or {}

    # -- bookkeeping -------------------------------------------------------------------
    def touch(self, source: Source | None) -> Source | None:
        """Mark ``source`` as the one most recently attributed."""
        if source is not None:
            if self._recent and self._recent[-1] is source:
                return source
            if source in self._recent:
                self._recent.remove(source)
            self._recent.append(source)
        return source

    @property
    def last(self) -> Source | None:
        return self._recent[-1] if self._recent else None

    def _add(self, source: Source) -> Source:
        self.sources.append(source)
        return source

    @staticmethod
    def _fill(source: Source, title: str | None, affiliation: str | None) -> None:
        if title and not source.title:
            source.title = title
        if affiliation and not source.affiliation:
            source.affiliation = affiliation

    @staticmethod
    def _alias(source: Source, alias: str) -> None:
        if alias != source.name and alias not in source.aliases:
            source.aliases.append(alias)

    # -- resolution --------------------------------------------------------------------
    def resolve(self, np: NounPhrase | None, appositive: Appositive | None = None) -> Source | None:
        """The source a noun phrase names, adding it to the book when new; None when the
        phrase names nobody the story has introduced (a stray pronoun)."""
        if np is None:
            return None
        app = appositive or Appositive()
        if np.kind == "pronoun":
            return self._pronoun(np.name)
        if np.kind == "reference":
            return self._reference(np.name)
        if np.kind == "unnamed":
            return self._unnamed(np.name)
        if np.kind == "organization":
            return self._organization(np.name, np.descriptor or app.descriptor)
        if np.kind == "single":
            return self._single(np.name, app)
        return self._person(np, app)

    def _pronoun(self, word: str) -> Source | None:
        if word in ("he", "she"):
            want = "m" if word == "he" else "f"
            fits = [
                s for s in reversed(self._recent) if s.kind == "person" and s.gender in (None, want)
            ]
            if want == "m":
                # A weak hint: "he" passes over a recent Rosa or Maria of unknown gender.
                fits = [s for s in fits if s.gender == "m" or _guess_gender(s.name) != "f"] or fits
            chosen = fits[0] if fits else None
            if chosen is not None:
                chosen.gender = want
            return chosen
        if word == "it":
            return next((s for s in reversed(self._recent) if s.kind == "organization"), None)
        if word == "they":
            return self.last
        return None

    def _reference(self, noun: str) -> Source | None:
        head = noun.split()[-1]
        for src in reversed(self._recent):
            if src.kind == "person" and src.title and head in src.title.lower().split():
                return src
        orgs = [s for s in reversed(self._recent) if s.kind == "organization"]
        for src in orgs:
            words = f"{src.name} {src.descriptor or ''}".lower().split()
            if head in words:
                return src
        if head in _STATEMENT_NOUNS:
            return self.statement_source or (orgs[0] if orgs else self.last)
        if head in ORG_DESCRIPTORS:
            if orgs:
                return orgs[0]
            named = next((m for m in reversed(self.org_mentions) if head in m.lower()), None)
            named = named or (self.org_mentions[-1] if self.org_mentions else None)
            if named:
                return self._organization(named, noun)
        return self._unnamed(noun)

    def org_for(self, words: str) -> Source | None:
        """The organisation a common noun stands for ("the utility", "ministry")."""
        head = words.lower().split()[-1]
        for src in reversed(self._recent):
            if src.kind == "organization" and head in f"{src.name} {src.descriptor or ''}".lower():
                return src
        return None

    def settle_affiliations(self) -> None:
        """Replace an affiliation printed as a common noun ("a spokeswoman for the utility",
        "council spokesman") by the organisation's name, when the story names it."""
        for src in self.sources:
            aff = src.affiliation
            if src.kind == "person" and aff and aff == aff.lower() and len(aff.split()) <= 2:
                org = self.org_for(aff)
                head = aff.split()[-1]
                named = next((m for m in reversed(self.org_mentions) if head in fold(m)), None)
                if org is not None:
                    src.affiliation = org.name
                elif named is not None:
                    src.affiliation = named

    def _unnamed(self, description: str) -> Source:
        for src in self.sources:
            if src.kind == "unnamed" and src.name.lower() == description.lower():
                return src
        return self._add(Source(description, "unnamed"))

    def _organization(self, name: str, descriptor: str | None) -> Source:
        key = fold(name)
        for src in self.sources:
            if src.kind != "organization":
                continue
            other = fold(src.name)
            if key == other or re.search(rf"\b{re.escape(key)}\b", other):
                return src
            if re.search(rf"\b{re.escape(other)}\b", key):
                self._alias(src, src.name)
                src.name = name
                return src
        return self._add(Source(name, "organization", descriptor=descriptor))

    def _persons(self) -> list[Source]:
        return [s for s in reversed(self._recent) if s.kind == "person"] + [
            s for s in self.sources if s.kind == "person" and s not in self._recent
        ]

    def _single(self, token: str, app: Appositive) -> Source:
        persons = self._persons()
        for src in persons:
            if token == src.name.split()[-1] or token in src.aliases or token == src.name:
                self._alias(src, token)
                self._fill(src, app.title, app.affiliation)
                return src
        for src in persons:
            # Family name first (Lee Jae-won, Wang Wei): the short form is the first token.
            if len(src.name.split()) > 1 and token == src.name.split()[0]:
                self._alias(src, token)
                return src
        for src in self.sources:
            if src.kind == "organization" and fold(src.name.split()[0]) == fold(token):
                return src
        if token in self._known_names:
            return self._person(NounPhrase("person", self._known_names[token]), app, alias=token)
        if app.hint == "person":
            return self._person(NounPhrase("person", token), app)
        for src in persons:
            surname = src.name.split()[-1]
            if is_variant_spelling(token, surname) and len(src.name.split()) > 1:
                if token not in src.variants:
                    src.variants.append(token)
                self._alias(src, token)
                return src
        known = next((k for k in self._known_names if is_variant_spelling(token, k)), None)
        if known is not None:
            return self._person(NounPhrase("person", self._known_names[known]), app, alias=token)
        if app.descriptor or (token.isupper() and len(token) > 1) or self._is_org_mention(token):
            return self._organization(token, app.descriptor)
        # A lone capitalised word before "said" names a person unless the story says
        # otherwise (an acronym, an institution described as one, or named as one).
        return self._person(NounPhrase("person", token), app)

    def _is_org_mention(self, token: str) -> bool:
        key = fold(token)
        return any(key in fold(m).split() for m in self.org_mentions)

    def _person(self, np: NounPhrase, app: Appositive, alias: str | None = None) -> Source:
        tokens = np.name.split()
        title, affiliation = np.title or app.title, np.affiliation or app.affiliation
        for src in self._persons():
            known = src.name.split()
            same_surname = known[-1] == tokens[-1]
            if same_surname and (
                len(tokens) == 1 or len(known) == 1 or known[0] == tokens[0] or tokens == known
            ):
                if len(tokens) > len(known):
                    self._alias(src, src.name)
                    src.name = np.name
                elif np.name != src.name:
                    self._alias(src, np.name)
                break
            if (
                len(tokens) > 1
                and len(known) > 1
                and known[:-1] == tokens[:-1]
                and is_variant_spelling(tokens[-1], known[-1])
            ):
                if tokens[-1] not in src.variants:
                    src.variants.append(tokens[-1])
                self._alias(src, np.name)
                break
        else:
            full = self._known_names.get(np.name) if len(tokens) == 1 else None
            if full is not None and full != np.name:
                # The story printed the full name earlier ("Tran Thi Hong watched …").
                return self._person(
                    NounPhrase("person", full, np.title, np.affiliation), app, np.name
                )
            src = self._add(Source(np.name, "person"))
        if alias:
            self._alias(src, alias)
        self._fill(src, title, affiliation)
        src.gender = src.gender or np.gender
        return src


def known_person_names(texts: list[str]) -> dict[str, str]:
    """Surname -> full name for every "First Last" pair printed in the copy, so a later
    bare surname ("Kishida said") is known to be a person."""
    names: dict[str, str] = {}
    for text in texts:
        for m in _FULL_NAME.finditer(text):
            tokens = m[0].split()
            if any(t.lower() in _NOT_PERSON for t in tokens) or not all(
                is_capitalised(t) for t in tokens
            ):
                continue
            names.setdefault(tokens[-1], m[0])
    return names


_FULL_NAME = re.compile(r"(?<![\w.'’])[A-Z][a-zà-ÿ'’\-]+(?: [A-Z][a-zà-ÿ'’\-]+){1,2}\b(?!['’]s\b)")
_NOT_PERSON = ORG_DESCRIPTORS | words(
    """the a an in on at but and however meanwhile according monday tuesday wednesday thursday
    friday saturday sunday january february march april may june july august september october
    november december minister president professor central north south east west united new
    foreign prime deputy senior chief national state river sea ocean street road square"""
)
