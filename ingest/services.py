"""Importing wire copy: one draft Article per file, with its sources, quotes and credits.

The parser (`wire.pipeline`) turns text into the wire-import contract's object; this
module stores such objects, many at once in a fixed number of queries (`save_wire_stories`),
so that a file that fails leaves nothing behind and the others are saved, and returns a
result per file for the command and the admin upload to report. `import_wire_batch` is the
one path from files' bytes to drafts: `import_wire` and `bench.import_wire` call it per
`BATCH_SIZE` files, and the admin upload's task (`ingest.uploads.run_wire_import`) per batch
of stored files, committing the files' outcomes with their drafts. `import_wire_bytes` is
a batch of one file.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import reduce
from operator import or_

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from articles import workflow
from articles.models import Article, AuditEntry, Contributor, Credit, Desk
from articles.sanitize import paragraphs_to_html
from sources.matching import SourceMatch, SourceMatcher, possible_match_message
from sources.models import Attribution, AuditFinding, Source
from wire.files import WireFileError
from wire.formats import FormatError
from wire.pipeline import parse_wire_bytes_stories

logger = logging.getLogger(__name__)

# Files saved together by the callers that have many (the command, the benchmark): large
# enough that the per-batch queries are small beside the rows, small enough that a batch's
# bytes and rows stay a few megabytes.
BATCH_SIZE = 100

CREDIT_ROLES = {choice.value for choice in Credit.Role}
QUOTE_KINDS = {choice.value for choice in Attribution.Kind}


@dataclass
class ImportResult:
    """What happened to one story: an article, or the reason it failed; ``index`` is the
    story's 0-based place in its file (a file that fails as a whole has one result, index
    0); ``story`` is the parsed story (the wire-import contract's object) when the file
    could be parsed;
    ``quotes`` and ``credits`` count what was saved with the article."""

    file: str
    article: Article | None = None
    error: str = ""
    index: int = 0
    findings: list[str] = field(default_factory=list)
    published: bool = False
    note: str = ""
    story: dict = field(default_factory=dict)
    quotes: int = 0
    credits: int = 0

    @property
    def ok(self) -> bool:
        return self.article is not None

    def summary(self) -> str:
        if not self.ok:
            return f"{self.file}: FAILED — {self.error}"
        article = self.article
        state = "published" if self.published else "draft"
        open_findings = f", {len(self.findings)} open finding(s)" if self.findings else ""
        note = f" ({self.note})" if self.note else ""
        return (
            f"{self.file}: {state} “{article.headline}” [{article.desk.slug}/{article.slug}], "
            f"{self.quotes} quote(s), {self.credits} credit(s)"
            f"{open_findings}{note}"
        )


def _slug_base(headline: str, fallback: str) -> str:
    words = slugify(headline or fallback).split("-")[:6]
    return "-".join(word for word in words if word)[:80] or "wire-story"


def unique_slugs(desk: Desk, wanted: list[tuple[str, str]]) -> list[str]:
    """A slug unique on ``desk`` for each ``(headline, fallback)``, distinct from one another:
    the first six words of the headline (else the fallback), with "-2", "-3"… when taken.
    One query, whatever the number."""
    bases = [_slug_base(headline, fallback) for headline, fallback in wanted]
    if not bases:
        return []
    prefixes = reduce(or_, (Q(slug__startswith=base) for base in set(bases)))
    taken = set(Article.objects.filter(prefixes, desk=desk).values_list("slug", flat=True))
    slugs = []
    for base in bases:
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        slugs.append(slug)
    return slugs


def unique_slug(desk: Desk, headline: str, fallback: str) -> str:
    """One slug, as `unique_slugs` makes them."""
    return unique_slugs(desk, [(headline, fallback)])[0]


def _dateline_date(raw: str | None) -> date:
    # The date the copy prints, when the parser read one (it does only with a year); else
    # the day the copy came in, in the newsroom's time zone: the day it was filed.
    try:
        return date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        return timezone.localdate()


def _body_html(story: dict) -> str:
    # The parser reports where each subhead stood (index of the paragraph it precedes).
    placed = {int(k): v for k, v in (story.get("subhead_positions") or {}).items()}
    return paragraphs_to_html(story.get("paragraphs") or [], placed)


def _credit_place(place: str | None) -> str:
    # Credit.place holds the phrase the credit line prints after "contributed to this
    # report" ("from Marsabit"); the parser gives the place alone ("Marsabit").
    place = (place or "").strip()
    return f"from {place}"[: Credit._meta.get_field("place").max_length] if place else ""


@dataclass
class _Saving:
    # One story on its way into the database: the parsed story and its unsaved rows.
    file: str
    story: dict
    article: Article
    findings: list[AuditFinding] = field(default_factory=list)
    quotes: int = 0
    credits: int = 0


@dataclass
class SavedStory:
    """One story `save_wire_stories` stored: the draft, the codes of its open findings
    (sorted), and how many quotes and credits were saved with it."""

    article: Article
    findings: list[str]
    quotes: int
    credits: int


def _save_credits(saving: list[_Saving]) -> None:
    # Contributors are read with one query and the missing ones made with one insert.
    wanted = []
    for item in saving:
        for order, credit in enumerate(item.story.get("credits") or []):
            name = (credit.get("name") or "").strip()
            if name and credit.get("role") in CREDIT_ROLES:
                wanted.append((item, item.article, order, name, credit))
    if not wanted:
        return
    desks = {d.name.casefold(): d for d in Desk.objects.all()}
    contributors: dict[tuple[str, int | None], Contributor] = {}
    for contributor in Contributor.objects.filter(
        name__in={name for _, _, _, name, _ in wanted}
    ).order_by("pk"):
        contributors.setdefault((contributor.name, contributor.desk_id), contributor)
    new = []
    for _, _, _, name, credit in wanted:
        label = (credit.get("desk") or "").strip()
        desk = desks.get(label.casefold()) if label else None
        key = (name, desk.pk if desk else None)
        if key not in contributors:
            contributors[key] = Contributor(name=name, desk=desk)
            new.append(contributors[key])
    Contributor.objects.bulk_create(new)
    seen: set[tuple[int, int, str]] = set()
    rows = []
    for item, article, order, name, credit in wanted:
        label = (credit.get("desk") or "").strip()
        desk = desks.get(label.casefold()) if label else None
        contributor = contributors[(name, desk.pk if desk else None)]
        role = credit["role"]
        if (article.pk, contributor.pk, role) in seen:
            continue
        seen.add((article.pk, contributor.pk, role))
        item.credits += 1
        rows.append(
            Credit(
                article=article,
                contributor=contributor,
                role=role,
                desk_label=label,
                place=_credit_place(credit.get("place")),
                order=order,
            )
        )
    Credit.objects.bulk_create(rows)


def _save_sources_and_quotes(saving: list[_Saving]) -> None:
    # Sources are matched with one read (SourceMatcher); quotes written with one insert.
    incoming = [
        [s for s in item.story.get("sources") or [] if (s.get("name") or "").strip()]
        for item in saving
    ]
    matcher = SourceMatcher([source for sources in incoming for source in sources])
    speakers: list[dict[str, Source]] = []
    possible: list[tuple[_Saving, SourceMatch]] = []
    for item, sources in zip(saving, incoming, strict=True):
        by_name: dict[str, Source] = {}
        for source in sources:
            match = matcher.match(source)
            by_name[source["name"]] = match.source
            if match.possible:
                possible.append((item, match))
        speakers.append(by_name)
    matcher.save()
    # The message names the candidates by primary key, known once they are saved.
    for item, match in possible:
        item.findings.append(
            AuditFinding(
                article=item.article,
                code="possible-source-match",
                subject=match.source.name,
                message=possible_match_message(match),
            )
        )
    quotes = [
        Attribution(
            article=item.article,
            source=by_name.get(quote.get("speaker") or ""),
            text=quote.get("text") or "",
            kind=quote.get("kind") if quote.get("kind") in QUOTE_KINDS else "direct",
            verb=(quote.get("verb") or "")[:40],
            paragraph=max(int(quote.get("paragraph") or 0), 0),
        )
        for item, by_name in zip(saving, speakers, strict=True)
        for quote in item.story.get("quotes") or []
        if quote.get("text")
    ]
    per_article = Counter(id(quote.article) for quote in quotes)
    for item in saving:
        item.quotes = per_article[id(item.article)]
    Attribution.objects.bulk_create(quotes)


def _new_article(story: dict, *, desk: Desk, by: AbstractBaseUser, file: str) -> Article:
    headline = (story.get("headline") or "").strip()
    paragraphs = story.get("paragraphs") or []
    dateline = story.get("dateline") or {}
    agency = story.get("agency") or {}
    article = Article(
        desk=desk,
        headline=headline or (paragraphs[0][:120] if paragraphs else file),
        summary=agency.get("summary") or "",
        dateline_place=(dateline.get("place") or "")[:120],
        dateline_date=_dateline_date(dateline.get("date")),
        body=_body_html(story),
        language=(agency.get("language") or desk.language)[:35],
        priority=_priority(agency.get("urgency")),
        embargo_until=_embargo(agency.get("embargo")),
        created_by=by,
        modified_by=by,
    )
    article.clean_text()
    return article


def _priority(urgency: int | None) -> int:
    # Agency urgency runs 1 (flash) to 9; the article keeps the nearest of its levels.
    if not urgency:
        return Article.Priority.ROUTINE
    if urgency <= 3:
        return urgency
    return Article.Priority.ROUTINE if urgency <= 6 else Article.Priority.DEFERRED


def _embargo(value: str | None):
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def _agency_flags(story: dict) -> list[dict]:
    # An agency kill or withhold is an open finding on the draft, so that it is not
    # published by mistake (publishing needs every finding resolved).
    status = (story.get("agency") or {}).get("pub_status")
    if status not in ("canceled", "withheld"):
        return []
    what = "canceled (killed)" if status == "canceled" else "withheld"
    return [
        {
            "code": f"agency-{status}",
            "subject": story.get("guid") or "",
            "message": f"The agency has {what} this item: do not publish it as it stands.",
        }
    ]


def _import_note(file: str, story: dict) -> str:
    # The agency's identity of the item, kept in the audit trail: format, guid, version,
    # status and embargo (the article model has no fields for them).
    note = f"Imported from {file}" if file else ""
    if story.get("format") in (None, "text"):
        return note
    agency = story.get("agency") or {}
    parts = [story["format"]]
    if story.get("guid"):
        parts.append(f"guid {story['guid']}")
    parts.append(f"version {agency.get('version') or 1}")
    parts.append(agency.get("pub_status") or "usable")
    if agency.get("embargo"):
        parts.append(f"embargoed until {agency['embargo']}")
    if agency.get("signals"):
        parts.append(", ".join(agency["signals"]))
    index = f" story {story.get('index', 0) + 1}" if story.get("index") else ""
    return f"{note}{index} ({'; '.join(parts)})".strip()


@transaction.atomic
def save_wire_stories(
    stories: list[tuple[str, dict]], *, desk: Desk, by: AbstractBaseUser
) -> list[SavedStory]:
    """Store parsed stories, ``[(file, story)]`` (the wire-import contract's objects), as
    drafts; return a `SavedStory` for each, in the same order.

    Everything or nothing: the articles, their credits, sources, quotes, the audit's flags
    as open findings and an "import" audit entry each are written in one transaction, in a
    number of queries that does not grow with the number of stories (about fifteen). Raises
    whatever the database or a malformed story raises; `import_stories` keeps one bad story
    from failing the others.
    """
    saving = []
    for file, story in stories:
        saving.append(_Saving(file, story, _new_article(story, desk=desk, by=by, file=file)))
    slugs = unique_slugs(
        desk,
        [
            ((item.story.get("headline") or "").strip(), _slug_fallback(item.story, item.file))
            for item in saving
        ],
    )
    for item, slug in zip(saving, slugs, strict=True):
        item.article.slug = slug
    Article.objects.bulk_create([item.article for item in saving])
    _save_credits(saving)
    _save_sources_and_quotes(saving)
    for item in saving:
        item.findings += [
            AuditFinding(
                article=item.article,
                code=flag.get("code", "finding"),
                subject=(flag.get("subject") or "")[:200],
                message=flag.get("message") or flag.get("code", ""),
            )
            for flag in (item.story.get("flags") or []) + _agency_flags(item.story)
        ]
    AuditFinding.objects.bulk_create([f for item in saving for f in item.findings])
    AuditEntry.objects.record_many(
        [
            AuditEntry.objects.entry(
                item.article,
                by=by,
                action="import",
                note=_import_note(item.file, item.story)[:1000],
            )
            for item in saving
        ]
    )
    return [
        SavedStory(item.article, sorted(f.code for f in item.findings), item.quotes, item.credits)
        for item in saving
    ]


def _slug_fallback(story: dict, file: str) -> str:
    paragraphs = story.get("paragraphs") or []
    return paragraphs[0] if paragraphs else file


def save_wire_story(story: dict, *, desk: Desk, by: AbstractBaseUser, file: str = "") -> Article:
    """Store one parsed story as a draft: `save_wire_stories` for one."""
    return save_wire_stories([(file, story)], desk=desk, by=by)[0].article


def import_stories(
    stories: list[tuple[str, dict]], *, desk: Desk, by: AbstractBaseUser, publish: bool = False
) -> list[ImportResult]:
    """Save parsed stories, ``[(file, story)]``, as drafts and return a result for each, in
    order; never raises for a bad story (a story with ``error`` is reported as failed).

    The stories are written together (`save_wire_stories`). When that fails, each is saved
    again on its own, in its own savepoint, so a story that cannot be saved leaves nothing
    of itself and the others are saved. ``publish`` publishes, as the system editor, each
    draft with no open findings; the others stay drafts with a note saying why.
    A worker's soft time limit (`SoftTimeLimitExceeded`) is raised, not reported.
    """
    results: list[ImportResult | None] = [None] * len(stories)
    todo = []
    for i, (file, story) in enumerate(stories):
        if "error" in story:
            results[i] = ImportResult(file=file, error=story["error"], index=story.get("index", 0))
        else:
            todo.append(i)
    saved: list[SavedStory] | None = None
    if len(todo) > 1:
        try:
            saved = save_wire_stories([stories[i] for i in todo], desk=desk, by=by)
        except SoftTimeLimitExceeded:
            raise
        except Exception:  # noqa: BLE001 - one bad story must not stop the others
            logger.info("batch of %d stories failed; saving them one by one", len(todo))
    for n, i in enumerate(todo):
        file, story = stories[i]
        if saved is not None:
            done = saved[n]
        else:
            try:
                done = save_wire_stories([(file, story)], desk=desk, by=by)[0]
            except SoftTimeLimitExceeded:
                # The worker's time limit, not a fault of this file: the run stops (see
                # run_wire_import), and the transaction has already dropped its rows.
                raise
            except Exception as exc:  # noqa: BLE001 - one bad file must not stop the others
                logger.exception("import of %s failed", file)
                results[i] = ImportResult(
                    file=file,
                    index=story.get("index", 0),
                    story=story,
                    error=f"could not be saved ({type(exc).__name__}: {exc})",
                )
                continue
        result = ImportResult(
            file=file,
            index=story.get("index", 0),
            article=done.article,
            story=story,
            findings=done.findings,
            quotes=done.quotes,
            credits=done.credits,
        )
        if publish:
            try:
                workflow.publish(done.article, by=workflow.system_editor())
                result.published = True
            except workflow.WorkflowError as exc:
                result.note = f"left as a draft: {exc}"
        results[i] = result
    return [result for result in results if result is not None]


def import_story(
    story: dict, *, desk: Desk, by: AbstractBaseUser, file: str, publish: bool = False
) -> ImportResult:
    """Save one parsed story: `import_stories` for one."""
    return import_stories([(file, story)], desk=desk, by=by, publish=publish)[0]


def parse_wire_bytes(data: bytes, *, file: str) -> list[dict]:
    """The wire-import contract's objects for every story in one file's bytes, in order,
    whatever its format (plain text, NewsML-G2, NITF, ninjs, IPTC 7901, ANPA 1312, NewsML
    1.2, detected from the bytes): one for plain text, one per story for a file that holds
    several. A file that cannot be imported gives one ``{"file", "error", "index": 0}``:
    over ``settings.WIRE_FILE_MAX_BYTES``, bytes `wire.files.decode_wire_bytes` refuses
    (binary, not UTF-8, empty), hostile or broken XML or JSON
    (`wire.formats.FormatError`). Raises only `SoftTimeLimitExceeded`.
    """
    limit = settings.WIRE_FILE_MAX_BYTES
    if len(data) > limit:
        return [_failed(file, f"is {len(data):,} bytes; the limit is {limit:,} bytes")]
    try:
        return parse_wire_bytes_stories(data, file=file)
    except (WireFileError, FormatError) as exc:
        return [_failed(file, exc.reason)]
    except SoftTimeLimitExceeded:
        raise
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the others
        logger.exception("parsing %s failed", file)
        return [_failed(file, f"could not be read ({type(exc).__name__}: {exc})")]


def _failed(file: str, error: str) -> dict:
    return {"file": file, "error": error, "index": 0}


def import_wire_batch(
    files: list[tuple[str, bytes]], *, desk: Desk, by: AbstractBaseUser, publish: bool = False
) -> list[ImportResult]:
    """Decode, parse and save many wire files, ``[(name, bytes)]``, as drafts; a result for
    each story, in order (a file's stories in their order, ``index`` 0, 1, …; a file that
    fails as a whole has one result with index 0). Never raises for a bad file: a file
    refused by `parse_wire_bytes` or a story that cannot be saved leaves nothing of itself,
    and the others are saved (`import_stories`). `results_by_file` groups the results.

    The writes are batched: the queries do not grow with the number of files (asserted in
    tests/ingest/test_bulk_import.py). Callers with many files pass them in chunks of
    `BATCH_SIZE`, which bounds the memory held and the work one failure sends back to the
    one-by-one path.
    """
    return import_stories(
        [(file, story) for file, data in files for story in parse_wire_bytes(data, file=file)],
        desk=desk,
        by=by,
        publish=publish,
    )


def results_by_file(results: list[ImportResult]) -> list[list[ImportResult]]:
    """`import_wire_batch`'s results as one list per file, in the files' order: each file's
    results start at index 0."""
    groups: list[list[ImportResult]] = []
    for result in results:
        if result.index == 0 or not groups:
            groups.append([])
        groups[-1].append(result)
    return groups


def import_wire_bytes(
    data: bytes, *, file: str, desk: Desk, by: AbstractBaseUser, publish: bool = False
) -> ImportResult:
    """Decode, parse and save one wire file's bytes as a draft: `import_wire_batch` for one
    file, its first story's result; never raises for a bad file."""
    return import_wire_batch([(file, data)], desk=desk, by=by, publish=publish)[0]


__all__ = [
    "BATCH_SIZE",
    "ImportResult",
    "SavedStory",
    "import_stories",
    "import_story",
    "import_wire_batch",
    "import_wire_bytes",
    "parse_wire_bytes",
    "results_by_file",
    "save_wire_stories",
    "save_wire_story",
    "unique_slug",
    "unique_slugs",
]
