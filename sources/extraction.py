"""Quotes and who said them, from the paragraphs of a wire story.

Wire conventions followed (see the wire-import contract):

- Quoted spans in “curly”, "straight" or «guillemet» double quotes; single quotes inside
  them are nested quotes and stay part of the outer quote.
- Names, titles, glosses and scare-quoted words in quotation marks are not quotes: spans
  of three words or fewer, title-case names, spans after "called", "known as", "dubbed"…
  A longer span inside reporting ("called the levy “a hidden tax on households…”") is a
  partial quote of the sentence's speaker.
- The speaker is named after the quote ("…,” said X, a … at Y." / "…,” X told VOA."), or
  before it ("X said: “…”", "According to X, “…”"), or is the subject of the reporting
  sentence for a partial quote. Pronouns resolve to the person last attributed, "the
  ministry" to the organisation last named of that kind.
- A paragraph that is only a complete quote continues the previous speaker; a paragraph
  that opens a quote without closing it runs into the next paragraph, and the whole run
  belongs to the speaker named where it ends.

Pure Python: no Django imports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sources.quotes import PLACEHOLDER, Span, find_spans, is_quote, split_sentences
from sources.registry import Source, SourceBook, known_person_names
from sources.speakers import (
    NAME_CONNECTORS,
    ORG_WORDS,
    Appositive,
    NounPhrase,
    analyse_np,
    is_capitalised,
    parse_appositive,
    words,
)
from sources.verbs import SUBJECT_VERBS, VERBS

_PARA_VERB = re.compile(
    r"\b(said|says|say|told|tells|added|stated|wrote|noted|warned|argued|insisted|explained|"
    r"claimed|cautioned|acknowledged|issued a statement|according to)\b",
    re.IGNORECASE,
)
_NO_SUBJECT_BEFORE = re.compile(
    r"\b(?:to|not|would|will|could|may|might|should|can|did|does|do|must|cannot)\s*$", re.I
)
_POST_VERB_FIRST = re.compile(rf"^\s*[,—–-]?\s*(?P<verb>{VERBS})\s+(?P<rest>\S.*)$", re.S)
_POST_NP_FIRST = re.compile(
    rf"^\s*[,—–-]?\s*(?P<np>[^,;:!?\ue000]{{1,90}}?)\s+(?:(?:also|later|then|again|simply|"
    rf"once|has|have|had)\s+)?(?P<verb>{VERBS})\b",
    re.S,
)
_ACCORDING = re.compile(r"^\s*,?\s*according to\s+(?P<np>[^,;]+)", re.I)
_TRAILING_ADVERB = re.compile(
    r"(?:,?\s+(?:also|later|earlier|previously|separately|again|then|now|further|recently|"
    r"once|repeatedly|has|have|had|on \w+day|\w+day|last \w+|this \w+))+\s*$",
    re.I,
)
_CLAUSE_START = re.compile(
    r"(?:^|[;:—–]\s*|,\s+|\s(?:that|but|while|as|because|though|although|if|when)\s+"
    r"|\sand\s+(?=(?:he|she|they|the|a|an|its?|his|her)\b)|\ue001\s*)"
)
_STATEMENT_OF = re.compile(
    r"^(?:an?|the)\s+(?:[\w\-]+\s+)?(?:statement|post|report|release|letter|tally|count|"
    r"estimate|survey|figures|data|study|analysis|message|notice)\s+(?:from|by|of|issued by)\s+",
    re.I,
)
_POSSESSIVE_OF = re.compile(r"^(?P<owner>.+?)['’]s?\s+(?:own\s+)?[\w\-]+(?:\s+[\w\-]+)?$")


@dataclass
class Quote:
    """One quoted span and who said it (``speaker`` is a :class:`Source` or None)."""

    text: str
    paragraph: int
    kind: str = "direct"
    speaker: Source | None = None
    verb: str = ""

    def to_dict(self) -> dict:
        """The quote as the wire-import contract prints it."""
        return {
            "text": self.text,
            "speaker": self.speaker.name if self.speaker else None,
            "kind": self.kind,
            "paragraph": self.paragraph,
            "verb": self.verb,
        }


@dataclass
class Extraction:
    """Everything attributed in a story: sources in order of first attribution, quotes in
    reading order, and whether a quotation mark was left open at the end."""

    sources: list[Source] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    unclosed: bool = False


def _leading_np(text: str) -> tuple[str, str | None]:
    """The noun phrase at the start of ``text`` and the appositive after its comma.

    The phrase ends at the first lower-case word that is neither a name particle nor part
    of a title standing before a name ("Kestrel Bank economist Faith Chebet"), so "Hakim
    put it this way" gives "Hakim".
    """
    text = text.strip()
    head, comma, rest = text.partition(",")
    head = re.split(r"[;:!?]|\.\s*$", head)[0]
    tokens = head.split()
    keep: list[str] = []
    lead = tokens[:1] and tokens[0].lower() in ("the", "a", "an", "one", "two", "three", "some")
    for i, tok in enumerate(tokens):
        if i and tok.lower() in SUBJECT_VERBS:
            break
        named = lead and len(keep) > 1 and is_capitalised(keep[1]) and not is_capitalised(tok)
        if named and (
            tok.lower() not in NAME_CONNECTORS or not any(map(is_capitalised, tokens[i:]))
        ):
            break  # "The Federation of Free Farmers called …": the name ends here
        if i == 0 or is_capitalised(tok) or tok.lower() in NAME_CONNECTORS - {"and"}:
            keep.append(tok)
            continue
        ahead = tokens[i + 1 : i + 4]
        if any(is_capitalised(t) for t in ahead) and not lead:
            keep.append(tok)
            continue
        if lead and tok.lower() not in _STOP_DESCRIPTION and len(keep) < 6:
            keep.append(tok)
            continue
        break
    cut = len(keep) < len(tokens)
    appositive = re.split(r",|;|\.\s*$", rest)[0] if comma and not cut else None
    return " ".join(keep), appositive


_STOP_DESCRIPTION = words(
    """who whom whose that which said says told added wrote read was were is are has have had
    will would could may might in at on to from with during after before by"""
)


def _subject_before(pre: str) -> tuple[str, str | None]:
    """The subject noun phrase (and its appositive) of a verb, from the words before it."""
    pre = _TRAILING_ADVERB.sub("", pre.rstrip())
    if pre.endswith(","):
        segs = pre[:-1].split(", ")
        i = len(segs) - 1
        while i > 0 and _looks_appositive(segs[i]):
            i -= 1
        head = segs[i]
        appositive = ", ".join(x for x in segs[i + 1 :] if not x.strip().isdigit()) or None
        if appositive is None and i > 0 and _TITLE_FIRST.match(segs[i - 1]):
            # "The Controller of Budget, Margaret Nyakang'o, said" / "Its director, X, said"
            return head.strip(), segs[i - 1]
    else:
        head, appositive = pre, None
    starts = list(_CLAUSE_START.finditer(head))
    k = len(starts) - 1
    while k >= 0 and _inside_org_name(head, starts[k]):
        k -= 1  # "Norway's Ministry of Trade, Industry and Fisheries said": one name
    head = head[starts[k].end() :] if k >= 0 else head
    return head.strip(), appositive


_NAME_GLUE = words("and of for & the on")


def _inside_org_name(text: str, start: re.Match) -> bool:
    """A comma inside an institution's name: capitalised words follow it, and a
    capitalised run with an institution word comes just before it."""
    if not start.group().startswith(","):
        return False
    after = text[start.end() :].split()
    before = text[: start.start()].split()
    if not after or not all(is_capitalised(t) or t in _NAME_GLUE for t in after):
        return False
    run: list[str] = []
    for tok in reversed(before):
        if not (is_capitalised(tok) or tok in _NAME_GLUE):
            break
        run.append(tok.lower().removesuffix("'s").removesuffix("’s"))
    return bool(ORG_WORDS.intersection(run))


_TITLE_FIRST = re.compile(r"^(?:The|Its|Their|[A-Z][\w.\-]*(?: [A-Z][\w.\-]*)*['’]s) [\w\- ]+$")
_ORG_MENTION = re.compile(
    r"[A-Z][\w.&'’\-]*(?:\s+(?:(?:of|for|and|the|on|de)\s+)*[A-Z][\w.&'’\-]*)*"
)


def _looks_appositive(seg: str) -> bool:
    seg = seg.strip()
    return bool(seg) and (
        not seg[0].isupper()
        or re.match(r"^(?:A|An|The)\s", seg) is not None
        or re.match(r"^[A-Z][\w.\-]*(?: [A-Z][\w.\-]*)*['’]s [a-z]", seg) is not None
    )


_APPOSED = re.compile(
    r"(?<![\w'’])(?P<name>[A-ZÀ-Þ][\w'’\-]+(?: [A-ZÀ-Þ][\w'’\-]+){1,3}), "
    r"(?P<app>[^,;\ue000]{3,90}?), (?:\w+ly )?[a-z]{3,}\b"
)
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|«[^»]*»")


class _Reader:
    """Reads paragraphs in order, keeping the state that spans paragraphs."""

    def __init__(self, paragraphs: list[str]) -> None:
        self.paragraphs = paragraphs
        self.book = SourceBook(known_person_names(paragraphs))
        self.quotes: list[Quote] = []
        self.last_speaker: Source | None = None
        # speaker of the last quote of the paragraph just read (None when it quoted nobody)
        self.last_quoted: Source | None = None
        self.pending: list[Quote] = []

    def _np_source(
        self, np_text: str, appositive: str | None, *, owner: bool = False
    ) -> Source | None:
        """Resolve a subject phrase; with ``owner``, "a statement from X" and "X's figures"
        mean X (the wording of "according to …")."""
        np_text = np_text.strip()
        statement = False
        if owner:
            stripped = _STATEMENT_OF.sub("", np_text)
            statement = stripped != np_text
            m = _POSSESSIVE_OF.match(stripped)
            np_text = m["owner"] if m and re.search(r"['’]s?\s", stripped) else stripped
        if appositive and re.match(r"^(?:its|their) ", appositive, re.I):
            org = next((o for o in reversed(self.book.sources) if o.kind == "organization"), None)
            appositive = f"{org.name}'s {appositive.split(' ', 1)[1]}" if org else appositive
        app: Appositive | None = parse_appositive(appositive) if appositive else None
        np: NounPhrase | None = analyse_np(np_text, app)
        src = self.book.resolve(np, app)
        if src is not None and statement:
            self.book.statement_source = src
        return src

    def _according(self, text: str) -> Source | None:
        """The source of "according to X[, the Y]": a named organisation in apposition
        wins over a description ("the city's water utility, the Bogota Water Company")."""
        parts = [p.strip() for p in re.split(r",|;|\.\s*$", text)[:2]]
        src = self._np_source(parts[0], parts[1] if len(parts) > 1 else None, owner=True)
        if len(parts) > 1 and re.match(r"^(?:the )?[A-Z]", parts[1]):
            named = analyse_np(parts[1])
            if (
                named is not None
                and named.kind == "organization"
                and (src is None or src.kind == "unnamed")
            ):
                if src is not None and src in self.book.sources and src.kind == "unnamed":
                    self.book.sources.remove(src)
                named.descriptor = parts[0]
                src = self.book.resolve(named)
        return src

    def _attribute(self, src: Source | None) -> Source | None:
        if src is not None:
            self.book.touch(src)
            self.last_speaker = src
        return src

    def _post(self, tail: str) -> tuple[Source | None, str, int]:
        """Speaker named right after a quote; returns (source, verb, characters used)."""
        m = _ACCORDING.match(tail)
        if m:
            return self._according(tail[m.start("np") :]), "according to", m.end()
        m = _POST_VERB_FIRST.match(tail)
        if m:
            np_text, appositive = _leading_np(m["rest"])
            src = self._np_source(np_text, appositive)
            if src is not None:
                return src, m["verb"], len(tail)
        m = _POST_NP_FIRST.match(tail)
        if m:
            src = self._np_source(m["np"], None)
            if src is not None:
                if re.search(r"\b(?:statement|post)\b", tail[m.end() : m.end() + 40]):
                    self.book.statement_source = self.book.statement_source or src
                return src, m["verb"], m.end()
        return None, "", 0

    def _paraphrases(self, sentence: str, skip: list[tuple[int, int]]) -> list[tuple[int, Source]]:
        found: list[tuple[int, Source]] = []
        for m in _PARA_VERB.finditer(sentence):
            if any(a <= m.start() < b for a, b in skip) or _NO_SUBJECT_BEFORE.search(
                sentence[: m.start()]
            ):
                continue
            verb = m[1].lower()
            if verb == "according to":
                src = self._according(sentence[m.end() :])
            else:
                np_text, appositive = _subject_before(sentence[: m.start()])
                if not np_text or len(np_text.split()) > 14:
                    continue
                src = self._np_source(np_text, appositive)
                after = sentence[m.end() : m.end() + 40]
                if src is not None and re.search(r"\b(?:statement|post)\b", verb + after):
                    self.book.statement_source = src
            if src is not None:
                found.append((m.start(), self._attribute(src)))
        return found

    def read(self) -> Extraction:
        for index, paragraph in enumerate(self.paragraphs):
            self._paragraph(index, paragraph)
        unclosed = bool(self.pending)
        self._settle_pending(None)
        self._fill_from_apposition()
        self.book.settle_affiliations()
        return Extraction(self.book.sources, self.quotes, unclosed)

    def _fill_from_apposition(self) -> None:
        """Titles set off by commas after a person's name, whatever verb follows ("Luc
        Bergeron, the Board of Trade's chief economist, estimated …")."""
        people = [s for s in self.book.sources if s.kind == "person"]
        if not people:
            return
        for paragraph in self.paragraphs:
            for m in _APPOSED.finditer(_QUOTED.sub("\ue000", paragraph)):
                src = next((s for s in people if m["name"] in (s.name, *s.aliases)), None)
                if src is None or (src.title and src.affiliation):
                    continue
                app = parse_appositive(m["app"])
                if app.hint == "person" and (app.title or app.affiliation):
                    if app.title and not src.title:
                        src.title = app.title
                    if app.affiliation and not src.affiliation:
                        src.affiliation = app.affiliation

    def _settle_pending(self, speaker: Source | None) -> None:
        for q in self.pending:
            q.speaker = q.speaker or speaker
        self.pending = []

    def _paragraph(self, index: int, paragraph: str) -> None:
        all_spans = find_spans(paragraph)
        spans = [s for s in all_spans if is_quote(paragraph, s)]
        continues = bool(self.pending) and bool(spans) and not paragraph[: spans[0].start].strip()
        if self.pending and not continues:
            self._settle_pending(self.last_speaker)
        masked, cursor, n = [], 0, 0
        for span in all_spans:
            masked.append(paragraph[cursor : span.start])
            if span in spans:
                masked.append(f"\ue000{n}\ue001")
                n += 1
            else:
                # A name in quotation marks is a word of the sentence; wire style puts the
                # sentence's comma or period inside the marks, so set it back outside.
                masked.append("\ue002" + span.text[-1:] if span.text[-1:] in ",." else "\ue002")
            cursor = span.end
        masked.append(paragraph[cursor:])
        text = "".join(masked)
        quotes = [Quote(span.text.rstrip(",").strip(), index) for span in spans]
        para_speakers: list[tuple[int, Source]] = []
        bare = not PLACEHOLDER.sub("", text).strip(" .,;")
        for s_start, s_end in split_sentences(text):
            sentence = text[s_start:s_end]
            phs = list(PLACEHOLDER.finditer(sentence))
            skip: list[tuple[int, int]] = [(p.start(), p.end()) for p in phs]
            partial_slots: list[Quote] = []
            for k, ph in enumerate(phs):
                q = quotes[int(ph[1])]
                tail_end = phs[k + 1].start() if k + 1 < len(phs) else len(sentence)
                tail = sentence[ph.end() : tail_end]
                prefix = sentence[phs[k - 1].end() if k else 0 : ph.start()]
                src, verb, used = self._post(tail)
                if used:
                    skip.append((ph.end(), ph.end() + used))
                if src is None:
                    src, verb = self._pre(prefix)
                stripped = prefix.strip()
                if (
                    k == 0
                    and stripped
                    and not stripped.endswith(":")
                    and not (stripped.endswith(",") and spans[int(ph[1])].text[:1].isupper())
                ):
                    q.kind = "partial"
                q.verb = verb
                if src is not None:
                    q.speaker = self._attribute(src)
                elif q.kind == "partial":
                    partial_slots.append(q)
            found = self._paraphrases(sentence, skip)
            para_speakers.extend((s_start + pos, src) for pos, src in found)
            for q in partial_slots:
                q.speaker = found[0][1] if found else self._sentence_subject(sentence)
            for m in _ORG_MENTION.finditer(sentence):
                if not ORG_WORDS.intersection(m[0].lower().split()):
                    continue
                np = analyse_np(m[0])
                if np is not None and np.kind == "organization":
                    self.book.org_mentions.append(np.name)
        self._fill_paragraph(quotes, para_speakers, bare, continues, spans)
        self.quotes.extend(quotes)

    def _pre(self, prefix: str) -> tuple[Source | None, str]:
        stripped = prefix.strip()
        m = re.search(r"\baccording to\s+([^,;]+),\s*$", stripped, re.I)
        if m:
            return self._np_source(m[1], None, owner=True), "according to"
        if stripped.endswith(":"):
            clause = stripped[:-1]
            m = _PARA_VERB.search(clause)
            if m and m[1].lower() != "according to":
                np_text, appositive = _subject_before(clause[: m.start()])
                return self._np_source(np_text, appositive), m[1].lower()
            np_text, appositive = _leading_np(clause)
            return self._np_source(np_text, appositive), "said"
        return None, ""

    def _sentence_subject(self, sentence: str) -> Source | None:
        np_text, appositive = _leading_np(PLACEHOLDER.sub("", sentence))
        words = np_text.split()
        if not words or len(words) > 8:
            return None
        np = analyse_np(np_text, parse_appositive(appositive) if appositive else None)
        if (
            np is None
            or np.kind in ("unnamed", "reference", "single")
            and np.name not in {a for s in self.book.sources for a in (s.name, *s.aliases)}
        ):
            return None
        return self._attribute(self.book.resolve(np))

    def _fill_paragraph(
        self,
        quotes: list[Quote],
        para_speakers: list[tuple[int, Source]],
        bare: bool,
        continues: bool,
        spans: list[Span],
    ) -> None:
        direct = [q for q in quotes if q.kind == "direct"]
        run_speaker = next((q.speaker for q in quotes if q.speaker), None)
        if continues:
            if run_speaker is not None:
                self._settle_pending(run_speaker)
            elif not (spans and not spans[-1].closed):
                self._settle_pending(self.last_speaker)
        for i, q in enumerate(direct):
            if q.speaker is not None:
                continue
            before = next((d.speaker for d in reversed(direct[:i]) if d.speaker), None)
            after = next((d.speaker for d in direct[i + 1 :] if d.speaker), None)
            q.speaker = before or after
            if q.speaker is None and para_speakers:
                q.speaker = para_speakers[-1][1]
            if (
                q.speaker is None
                and bare
                and not continues
                and not (spans and not spans[-1].closed)
            ):
                # A bare quote continues the quote (or named person) just before it.
                q.speaker = self.last_quoted
        if spans and not spans[-1].closed:
            run = quotes[-1]
            if run.speaker is None or continues:
                self.pending.append(run)
            if continues and run.speaker is None:
                pass
        if any(q.speaker for q in quotes):
            self.last_speaker = next(q.speaker for q in reversed(quotes) if q.speaker)
            self.book.touch(self.last_speaker)
        if quotes:
            self.last_quoted = quotes[-1].speaker
        else:
            # A named person reported just before may go on in a bare quote; an unnamed
            # group or an institution paraphrased ("officials said Sunday") does not.
            named = [src for _, src in para_speakers if src.kind == "person"]
            self.last_quoted = named[-1] if named and named[-1] is para_speakers[-1][1] else None


def extract_attributions(paragraphs: list[str]) -> Extraction:
    """Sources and quotes of a story's body paragraphs (dateline already removed).

    Never raises on any text; every quote's speaker is one of the returned sources or None.
    """
    return _Reader(paragraphs).read()
