"""Attribution: quotes to speakers, paragraph by paragraph, sentence by sentence.

For each quote the sentence's own cue is tried first (:mod:`wire.cues`), then, in order:

1. a sentence that is only an attribution right after it ("We won!" Smith shouted.);
2. the speaker of the run it belongs to: a quote over several paragraphs belongs to the
   speaker named where the run ends, and a run that ends without one keeps the speaker
   of its first paragraph;
3. an earlier quote of the same paragraph;
4. the interview turn the paragraph belongs to ("Bos: ...");
5. for a paragraph that is only a quote, the speaker of the quote just before it;
6. the subject of the sentence before it (a quote with no speech verb takes the speaker
   named in the sentence or paragraph before).

Sentences without quotes are read too: their subjects keep pronoun resolution right, and
their paraphrased attributions ("X said that ...", "according to X") make sources.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from wire import cues, quotes, speakers, vocabulary
from wire.coreference import Entity, Tracker
from wire.model import Layout, Mention, QuoteSpan

_ACRONYM = re.compile(
    r"(?P<name>[A-Z][\w'’.-]*(?: (?:of |for |and |the |on )?[A-Z][\w'’.-]*){1,7})"
    r" \((?P<acr>[A-Z]{2,8})\)"
)
_NAME_RUN = re.compile(
    r"(?:(?:[A-Za-z][\w'’-]* ){0,3})(?:(?:[A-Z]\.|[A-Z][\w'’-]*|of|for|and|on|de|the) ){1,6}"
    r"[A-Z][\w'’-]+"
)

# Every name run ends in a capitalised word after a space, and holds at most nine words
# before it (three of lead, six of name): only the stretches around such words are read.
_NAME_END = re.compile(r" [A-Z][\w'’-]+")
_WORDS_BEFORE = re.compile(r"(?: [\w'’.-]+){1,9}")  # read on the reversed text


_LOWER_WORD = re.compile(r"\b[a-z][a-z'’-]+\b")
_ADVERB_OR_PARTICIPLE = re.compile(r"(?:ly|ing|ed)$")


def _name_runs(text: str) -> Iterator[re.Match[str]]:
    """The matches of ``_NAME_RUN.finditer(text)``, the same ones in the same order, found
    by running it only over the stretches that can hold one, so that the cost of its
    backtracking is paid around capitalised words and not at every letter of the copy."""
    reverse = text[::-1]
    last = len(text) - 1
    lo = hi = -1
    for end in _NAME_END.finditer(text):
        words = _WORDS_BEFORE.match(reverse, last - end.start())
        if words is None:
            continue  # nothing before the capitalised word: no run ends there
        start = len(text) - words.end()
        if lo >= 0 and start <= hi:
            hi = max(hi, end.end())
            continue
        if lo >= 0:
            yield from _NAME_RUN.finditer(text, lo, hi)
        lo, hi = start, end.end()
    if lo >= 0:
        yield from _NAME_RUN.finditer(text, lo, hi)


_LIST_JOIN = re.compile(r",\s+(?:and\s+)?|\s+and\s+")


def _listed_names(phrase: str) -> list[str]:
    """The names of a list printed in passing ("Tom Devocht and Mark Rathbun", "Ana Ruiz,
    Jo Pell and Kim Lee"), each on its own; the phrase itself when it is not such a list.
    A list counts only when every item after the first is a name of two or more
    capitalised words, so "Ministry of Trade and Industry" stays one name."""
    if " and " not in phrase:
        return [phrase]
    items = _LIST_JOIN.split(phrase)
    if len(items) < 2 or not all(
        len(item.split()) >= 2 and all(w[:1].isupper() for w in item.split()) for item in items[1:]
    ):
        return [phrase]
    return items


_APPOSITION = re.compile(
    r"(?:, \d{1,3})?, (?:an?|the|of|at|who)\b [^,\x00;]{1,100}(?:,|(?=[.;]|$))"
)
# "The Louvre museum", "Andina Lithium company": a name with its kind of institution after it
_NAMED_INSTITUTION = re.compile(
    r"\b(?:the |The )(?P<name>[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,3}) (?P<noun>[a-z]+)\b"
)


@dataclass
class FoundQuote:
    """A quote and who says it (an entity, an unnamed description, or nobody)."""

    span: QuoteSpan
    kind: str
    entity: Entity | None = None
    unnamed: str | None = None
    verb: str | None = None
    how: str = ""


@dataclass
class Attribution:
    """What the attribution stage found in a story."""

    quotes: list[FoundQuote] = field(default_factory=list)
    tracker: Tracker = field(default_factory=Tracker)
    sources: list[Entity] = field(default_factory=list)
    unnamed: list[str] = field(default_factory=list)
    unclosed: bool = False


class _Reader:
    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.out = Attribution()
        self.tracker = self.out.tracker
        self.style = quotes.quote_style(layout.paragraphs)
        self.run: list[FoundQuote] = []
        self.turn: Entity | None = None
        self.interviewer: str | None = None
        self.subject_paragraph = -1
        self.source_ids: set[int] = set()
        self.last_voice: tuple[Entity | None, str | None] = (None, None)
        self.sentence_subject: Entity | None = None
        self.lower_words = frozenset(w for p in layout.paragraphs for w in _LOWER_WORD.findall(p))

    def source(self, entity: Entity | None) -> None:
        if entity is not None and entity.name == self.interviewer:
            return  # the outlet asking the questions is not a source
        if entity is not None:
            self.tracker.voiced(entity)
        if entity is not None and id(entity) not in self.source_ids:
            self.source_ids.add(id(entity))
            self.out.sources.append(entity)

    def speaker(self, phrase: str, paragraph: int) -> tuple[Entity | None, str | None]:
        mention = speakers.analyse(phrase, paragraph=paragraph)
        if mention is None or mention.pronoun == "carrier":
            return None, None
        subject = self.sentence_subject
        if (
            mention.pronoun in ("he", "she")
            and subject is not None
            and subject.kind == "person"
            and (not subject.gender or subject.gender == mention.gender)
        ):
            return subject, None  # "Thomas' sister pleaded with him ..., but he replied"
        if mention.kind == "unnamed":
            return None, mention.name
        if mention.pronoun is None and not self.plausible(mention):
            return None, None
        self.resolve_affiliation(mention)
        return self.tracker.resolve(mention), None

    def resolve_affiliation(self, mention: Mention) -> None:
        """ "the association's general secretary", "its managing director": the affiliation
        is the organisation named last whose name holds that noun (or, for "its", the
        organisation named last)."""
        affiliation = mention.affiliation
        if not affiliation or affiliation[:1].isupper():
            return
        lead_word = affiliation.startswith("~")
        affiliation = affiliation.lstrip("~")
        mention.affiliation = affiliation
        if affiliation == "its":
            org = self.tracker.last_org
        else:
            org = self.tracker.last_org_with_word(affiliation.split()[-1].casefold())
        if org is not None:
            mention.affiliation = org.name
        elif affiliation == "its":
            mention.affiliation = None
        elif lead_word:
            # "the team captain" with no team named: the word belongs to the title
            mention.title = f"{affiliation} {mention.title}" if mention.title else affiliation
            mention.affiliation = None

    def plausible(self, mention: Mention) -> bool:
        """A lone capitalised word names someone only when it is known already, is an
        organisation's name, or does not read as an ordinary word ("Probably", "Started",
        "Critics"): an adverb, a participle, or a word the story prints in lower case."""
        words = mention.name.split()
        if len(words) > 1 or mention.title or speakers.is_org_name(mention.name):
            return True
        if self.tracker.find(mention) is not None:
            return True
        word = words[0]
        if speakers.is_title_word(word) or word.casefold() in self.lower_words:
            return False
        return not _ADVERB_OR_PARTICIPLE.search(word)

    def register_names(self, text: str, paragraph: int) -> None:
        """Names printed anywhere are remembered, so a later surname or pronoun finds them."""
        for m in _ACRONYM.finditer(text):
            self.tracker.define_acronym(m["name"], m["acr"])
        for m in _NAMED_INSTITUTION.finditer(text):
            noun = m["noun"]
            if noun in vocabulary.words("org_anaphors") or noun in vocabulary.words("org_words"):
                self.tracker.add(
                    Mention(name=m["name"], kind="organization", title=noun), in_passing=True
                )
        for m in _name_runs(text):
            apposition = _APPOSITION.match(text, m.end())
            phrase = m[0] + (apposition[0].rstrip(",") if apposition else "")
            for part in _listed_names(phrase):
                mention = speakers.analyse(part, paragraph=paragraph)
                if (
                    mention
                    and mention.pronoun is None
                    and mention.kind != "unnamed"
                    and (
                        len(mention.name.split()) >= 2
                        or (mention.title and mention.kind == "person")
                    )
                ):
                    self.resolve_affiliation(mention)
                    entity = self.tracker.add(mention, in_passing=True)
                    if not entity.context:
                        entity.context = text[max(0, m.start() - 80) : m.end() + 80]

    def assign(
        self,
        q: FoundQuote,
        entity: Entity | None,
        unnamed: str | None,
        how: str,
        verb: str | None = None,
    ) -> None:
        q.entity, q.unnamed, q.how, q.verb = entity, unnamed, how, verb
        if entity is not None or unnamed is not None:
            self.last_voice = (entity, unnamed)
        if entity is not None:
            self.source(entity)

    def read(self) -> Attribution:
        running = False
        last: FoundQuote | None = None
        for i, paragraph in enumerate(self.layout.paragraphs):
            turn_label = self.layout.turns.get(i)
            if turn_label:
                if self.interviewer is None:
                    self.interviewer = turn_label
                self.turn = (
                    None if turn_label == self.interviewer else (self.speaker(turn_label, i)[0])
                )
            if turn_label:
                paragraph = paragraph[len(turn_label) + 1 :].lstrip()
            spans = quotes.find_spans(paragraph, i, style=self.style, running=running)
            # Titles and scare quotes stay text; only speech is masked and attributed.
            spans = [s for s in spans if quotes.is_speech(s)]
            masked = quotes.mask(paragraph, spans)
            self.register_names(masked, i)
            continues_run = running
            running = bool(spans) and not spans[-1].closed
            sentences = quotes.split_sentences(masked, spans, i)
            in_paragraph: list[FoundQuote] = []
            for k, sentence in enumerate(sentences):
                self.sentence_subject = None
                opening = cues.subject_of(sentence.text)
                if opening:
                    mention = speakers.analyse(opening, paragraph=i)
                    if mention and mention.pronoun is None and mention.kind == "person":
                        self.sentence_subject = self.speaker(opening, i)[0]
                for n in sentence.quotes:
                    span = spans[n]
                    in_run = continues_run and n == 0
                    partial = not in_run and quotes.is_partial(sentence, n, span)
                    kind = "partial" if partial else "direct"
                    q = FoundQuote(span, kind)
                    self.out.quotes.append(q)
                    self.attribute(
                        q,
                        sentence,
                        n,
                        sentences[k + 1 :],
                        in_paragraph,
                        continues_run and n == 0,
                        last,
                    )
                    in_paragraph.append(q)
                    last = q
                self.paraphrases(sentence.text, i)
                # The sentence's subject, read once at its start, is now the last subject.
                entity = self.speaker(opening, i)[0] if opening else None
                if entity is not None:
                    self.tracker.subject(entity)
                    self.subject_paragraph = i
            if (running or continues_run) and in_paragraph:
                self.run.extend(q for q in in_paragraph if q not in self.run)
            if self.run and not running:
                self.close_run()
        self.out.unclosed = running
        if self.run:
            self.close_run()
        return self.out

    def close_run(self) -> None:
        """The whole run belongs to the speaker named where it ends (or, failing that, to
        the first speaker found in it)."""
        named = [q for q in self.run if q.how in ("verb", "according", "colon")]
        final = (
            named[-1]
            if named
            else next((q for q in self.run if q.entity is not None or q.unnamed), None)
        )
        if final is not None:
            for q in self.run:
                if q.how not in ("verb", "according", "colon"):
                    self.assign(q, final.entity, final.unnamed, "run", q.verb)
        self.run = []

    def attribute(
        self,
        q: FoundQuote,
        sentence: quotes.Sentence,
        n: int,
        following: list[quotes.Sentence],
        in_paragraph: list[FoundQuote],
        in_run: bool,
        last: FoundQuote | None,
    ) -> None:
        p = sentence.paragraph
        cue = cues.cue_for(sentence.text, n)
        if cue:
            carrier = speakers.analyse(cue[0], paragraph=p)
            if carrier is not None and carrier.pronoun == "carrier":
                return  # words on a sign: no speaker unless the story names the writer
            entity, unnamed = self.speaker(cue[0], p)
            if entity or unnamed:
                self.assign(q, entity, unnamed, cue[2], cue[1])
                return
        if following and not following[0].quotes:
            short = cues.short_attribution(following[0].text)
            if short:
                entity, unnamed = self.speaker(short[0], p)
                if entity or unnamed:
                    self.assign(q, entity, unnamed, "verb", short[1])
                    return
        if in_run and self.run:
            first = self.run[0]
            self.assign(q, first.entity, first.unnamed, "run")
            return
        if in_paragraph:
            prev = in_paragraph[-1]
            self.assign(q, prev.entity, prev.unnamed, "run")
            return
        if self.turn is not None:
            self.assign(q, self.turn, None, "turn")
            return
        bare = not sentence.text[: sentence.text.find("\x00")].strip()
        voice, described = self.last_voice
        if bare and last is not None and last.span.paragraph >= p - 1 and (voice or described):
            # A paragraph that is only a quote: the voice heard last, by quote or paraphrase.
            self.assign(q, voice, described, "run")
            return
        subject = self.tracker.last_subject
        if subject is not None and self.subject_paragraph >= p - 1:
            self.assign(q, subject, None, "context")

    def paraphrases(self, text: str, paragraph: int) -> None:
        for phrase, _verb in cues.attributions(text):
            entity, _unnamed = self.speaker(phrase, paragraph)
            if entity is not None and entity.kind in ("person", "organization"):
                self.source(entity)
                self.last_voice = (entity, None)
                # "..., and Morel said ...": the subject of a reporting clause is a subject
                self.tracker.subject(entity)
                self.subject_paragraph = paragraph


def attribute(layout: Layout) -> Attribution:
    """Quotes with speakers, and the entities the story attributes words or views to."""
    return _Reader(layout).read()


def mention_of(entity: Entity) -> Mention:
    """A named mention for an entity (for callers that only need its name and kind)."""
    return Mention(name=entity.name, kind=entity.kind, gender=entity.gender)
