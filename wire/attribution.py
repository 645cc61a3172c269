"""Attribution: quotes to speakers, paragraph by paragraph, sentence by sentence.

For each quote the sentence's own cue is tried first (:mod:`wire.cues`), then, in order:

1. a sentence that is only an attribution right after it ("We won!" Smith shouted.);
2. the speaker of the run it belongs to (named where the run ends, else where it began);
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
from dataclasses import dataclass, field

from wire import cues, polls, quotes, speakers, vocabulary
from wire.coreference import BUCKET_SCAN, Entity, Tracker
from wire.descriptions import UnnamedSources, may_hold
from wire.model import Layout, Mention, QuoteSpan
from wire.passing import (
    ACRONYM,
    APPOSITION,
    NAMED_INSTITUTION,
    listed_names,
    name_runs,
    split_at_verb,
)

_PUBLIC = vocabulary.words("public_offices")
_LOWER_WORD = re.compile(r"\b[a-z][a-z'’-]+\b")
_ADVERB_OR_PARTICIPLE = re.compile(r"(?:ly|ing|ed)$")


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


def _interviewer(layout: Layout) -> str:
    """The turn label that asks the questions: the one with the most turns ending in a
    question mark, the first label when no turn asks one ("Wikinews: Who plays in that
    one?" against "McKenzie: It's quite a large tournament")."""
    asked: dict[str, int] = {}
    for i, label in layout.turns.items():
        asked.setdefault(label, 0)
        if layout.paragraphs[i].rstrip().endswith("?"):
            asked[label] += 1
    return max(asked, key=lambda label: asked[label])  # ties: the first label


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
        self.unnamed = UnnamedSources()  # "the person said": the person described before
        self.lower_words = frozenset(w for p in layout.paragraphs for w in _LOWER_WORD.findall(p))

    def source(self, entity: Entity | None) -> None:
        if entity is not None and entity.name == self.interviewer:
            return  # the outlet asking the questions is not a source
        if entity is not None:
            self.tracker.voiced(entity)
        if entity is not None and id(entity) not in self.source_ids:
            self.source_ids.add(id(entity))
            self.out.sources.append(entity)

    def speaker(
        self, phrase: str, paragraph: int, *, in_passing: bool = False
    ) -> tuple[Entity | None, str | None]:
        mention = speakers.analyse(polls.pollster(phrase), paragraph=paragraph)
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
        if mention.pronoun and mention.pronoun.startswith("for:"):
            return None, self.representative(mention.pronoun, paragraph)
        if mention.pronoun == "bench":
            court = self.tracker.last_org_with_word("court")  # "the majority wrote"
            if court is not None:
                return court, None
        if mention.pronoun and mention.pronoun.startswith(("post:", "epithet:")):
            kind, _, post = mention.pronoun.partition(":")
            post, _, marks = post.partition("|")
            holder = self.tracker.holder(post, marks)  # "the former governor"
            subject = subject or self.tracker.last_subject
            # "the former Indiana governor"; "The senator, who has represented Michigan since
            # 2017": someone written about; "the spokesman" may be someone unnamed
            epithet, public = kind == "epithet", set(post.split()) & _PUBLIC
            if holder is None and (epithet or public and not self.unnamed.knows(post)):
                holder = self.written_about(post, subject, anyone=epithet)
            if holder is not None:
                if not holder.all_titles:  # what the story called them is who they are
                    holder.passing_titles.append(mention.name)
                return holder, None
        if mention.kind == "unnamed":
            return None, self.unnamed.recall(mention.name, phrase)
        if mention.pronoun is None and not self.plausible(mention):
            return None, None
        self.resolve_affiliation(mention)
        entity = self.tracker.resolve(mention, in_passing=in_passing)
        if entity is None and mention.pronoun in vocabulary.words("speech_nouns"):
            # "the study found": a document no institution in the story stands behind is
            # itself the source, unnamed, and the quote is attributed
            return None, mention.pronoun
        return entity, None

    def written_about(self, post: str, subject: Entity | None, *, anyone: bool) -> Entity | None:
        """The person a description nobody holds the post of stands for ("the Conservative
        MP"): the last subject, unless its titles are of another kind (a pollster is no
        senator); else, for ``anyone``, the fitting person the story mentions most."""
        if subject is not None and subject.kind == "person" and may_hold(post, subject.all_titles):
            return subject
        if not anyone:
            return None
        recent = self.tracker.entities[-BUCKET_SCAN:]  # bounded, so a long file stays linear
        people = [e for e in recent if e.kind == "person" and may_hold(post, e.all_titles)]
        return max(people, key=lambda e: (e.mentions, e.seen), default=None)

    def representative(self, pronoun: str, paragraph: int) -> str:
        """ "for:spokeswoman:Gov. Thomas Greer" → "Greer spokeswoman"; "for:spokesperson:the
        company" → "Western Isles Ferries spokesperson" (the company the story named)."""
        _, role, who = pronoun.split(":", 2)
        principal = speakers.analyse(who, paragraph=paragraph)
        entity = None
        if principal is not None and principal.kind != "unnamed":
            entity = self.tracker.resolve(principal, in_passing=True)
        if entity is None:
            return f"{role} for {who}"
        label = entity.name.split()[-1] if entity.kind == "person" else entity.name
        return f"{label} {role}"

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
        for m in ACRONYM.finditer(text):
            self.tracker.define_acronym(m["name"], m["acr"])
        for m in NAMED_INSTITUTION.finditer(text):
            noun = m["noun"]
            if noun in vocabulary.words("org_anaphors") or noun in vocabulary.words("org_words"):
                self.tracker.add(
                    Mention(name=m["name"], kind="organization", title=noun), in_passing=True
                )
        for m in name_runs(text):
            apposition = APPOSITION.match(text, m.end())
            *before, last = split_at_verb(m[0])
            phrase = last + (apposition[0].rstrip(",") if apposition else "")
            for part in [*before, *listed_names(phrase)]:
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
                    self.interviewer = _interviewer(self.layout)
                self.turn = (
                    None if turn_label == self.interviewer else (self.speaker(turn_label, i)[0])
                )
                if self.turn is not None:
                    self.source(self.turn)  # the one answering is the interview's source
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
                        # a subject is not yet a speaker: its titles count as in passing
                        self.sentence_subject = self.speaker(opening, i, in_passing=True)[0]
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
                entity = self.speaker(opening, i, in_passing=True)[0] if opening else None
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
        for phrase in [p for p, _verb in cues.attributions(text)] + polls.pollsters(text):
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
