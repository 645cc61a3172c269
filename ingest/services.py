"""Importing wire copy: one draft Article per file, with its sources, quotes and credits.

The parser (`wire.pipeline`) turns text into the wire-import contract's object; this
module stores that object in one transaction per file, so a file that fails leaves nothing
behind, and returns a result per file for the command and the admin upload to report.
`import_wire_bytes` is the one path from a file's bytes to a draft: `import_wire` calls it
per path, and the admin upload's task (`ingest.uploads.run_wire_import`) per stored file.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from articles import workflow
from articles.models import Article, AuditEntry, Contributor, Credit, Desk
from articles.sanitize import paragraphs_to_html
from sources.matching import candidates_for, match_source, possible_match_message
from sources.models import Attribution, AuditFinding, Source
from wire.files import WireFileError, decode_wire_bytes
from wire.pipeline import parse_wire_text

logger = logging.getLogger(__name__)

CREDIT_ROLES = {choice.value for choice in Credit.Role}
QUOTE_KINDS = {choice.value for choice in Attribution.Kind}


@dataclass
class ImportResult:
    """What happened to one file: an article, or the reason it failed; ``story`` is the
    parsed story (the wire-import contract's object) when the file could be parsed."""

    file: str
    article: Article | None = None
    error: str = ""
    findings: list[str] = field(default_factory=list)
    published: bool = False
    note: str = ""
    story: dict = field(default_factory=dict)

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
            f"{article.attributions.count()} quote(s), {article.credits.count()} credit(s)"
            f"{open_findings}{note}"
        )


def unique_slug(desk: Desk, headline: str, fallback: str) -> str:
    words = slugify(headline or fallback).split("-")[:6]
    base = "-".join(word for word in words if word)[:80] or "wire-story"
    taken = set(
        Article.objects.filter(desk=desk, slug__startswith=base).values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


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


def _save_credits(article: Article, credits: list[dict]) -> None:
    desks = {d.name.casefold(): d for d in Desk.objects.all()}
    seen: set[tuple[int, str]] = set()
    rows = []
    for order, credit in enumerate(credits):
        name = (credit.get("name") or "").strip()
        role = credit.get("role")
        if not name or role not in CREDIT_ROLES:
            continue
        label = (credit.get("desk") or "").strip()
        contributor, _ = Contributor.objects.get_or_create(
            name=name, desk=desks.get(label.casefold()) if label else None
        )
        if (contributor.pk, role) in seen:
            continue
        seen.add((contributor.pk, role))
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


def _save_sources_and_quotes(article: Article, story: dict) -> list[AuditFinding]:
    incoming = [s for s in story.get("sources") or [] if (s.get("name") or "").strip()]
    candidates = candidates_for(incoming)
    by_name: dict[str, Source] = {}
    findings: list[AuditFinding] = []
    for source in incoming:
        match = match_source(source, candidates)
        by_name[source["name"]] = match.source
        if match.possible:
            findings.append(
                AuditFinding(
                    article=article,
                    code="possible-source-match",
                    subject=match.source.name,
                    message=possible_match_message(match),
                )
            )
    attributions = [
        Attribution(
            article=article,
            source=by_name.get(quote.get("speaker") or ""),
            text=quote.get("text") or "",
            kind=quote.get("kind") if quote.get("kind") in QUOTE_KINDS else "direct",
            verb=(quote.get("verb") or "")[:40],
            paragraph=max(int(quote.get("paragraph") or 0), 0),
        )
        for quote in story.get("quotes") or []
        if quote.get("text")
    ]
    Attribution.objects.bulk_create(attributions)
    return findings


@transaction.atomic
def save_wire_story(story: dict, *, desk: Desk, by: AbstractBaseUser, file: str = "") -> Article:
    """Store one parsed story (the wire-import contract's object) as a draft.

    Everything or nothing: the article, its credits, sources, quotes and the audit's flags
    as open findings are written in one transaction.
    """
    headline = (story.get("headline") or "").strip()
    paragraphs = story.get("paragraphs") or []
    dateline = story.get("dateline") or {}
    article = Article(
        desk=desk,
        slug=unique_slug(desk, headline, fallback=(paragraphs[0] if paragraphs else file)),
        headline=headline or (paragraphs[0][:120] if paragraphs else file),
        dateline_place=(dateline.get("place") or "")[:120],
        dateline_date=_dateline_date(dateline.get("date")),
        body=_body_html(story),
        language=desk.language,
        created_by=by,
        modified_by=by,
    )
    article.save()
    _save_credits(article, story.get("credits") or [])
    findings = _save_sources_and_quotes(article, story)
    findings += [
        AuditFinding(
            article=article,
            code=flag.get("code", "finding"),
            subject=(flag.get("subject") or "")[:200],
            message=flag.get("message") or flag.get("code", ""),
        )
        for flag in story.get("flags") or []
    ]
    AuditFinding.objects.bulk_create(findings)
    AuditEntry.objects.record(
        article, by=by, action="import", note=f"Imported from {file}" if file else ""
    )
    return article


def import_story(
    story: dict, *, desk: Desk, by: AbstractBaseUser, file: str, publish: bool = False
) -> ImportResult:
    """Save one parsed story and, when asked, publish it unless its audit has open findings."""
    if "error" in story:
        return ImportResult(file=file, error=story["error"])
    try:
        article = save_wire_story(story, desk=desk, by=by, file=file)
    except SoftTimeLimitExceeded:
        # The worker's time limit, not a fault of this file: the run stops (see
        # run_wire_import), and the transaction has already dropped this file's rows.
        raise
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the others
        logger.exception("import of %s failed", file)
        return ImportResult(
            file=file, story=story, error=f"could not be saved ({type(exc).__name__}: {exc})"
        )
    result = ImportResult(file=file, article=article, story=story)
    if publish:
        try:
            workflow.publish(article, by=workflow.system_editor())
            result.published = True
        except workflow.WorkflowError as exc:
            result.note = f"left as a draft: {exc}"
    result.findings = list(
        article.findings.filter(status=AuditFinding.Status.OPEN).values_list("code", flat=True)
    )
    return result


def import_wire_bytes(
    data: bytes, *, file: str, desk: Desk, by: AbstractBaseUser, publish: bool = False
) -> ImportResult:
    """Decode, parse and save one wire file's bytes as a draft; never raises for a bad file.

    Refuses (a result with ``error``) a file over ``settings.WIRE_FILE_MAX_BYTES``, bytes
    that `wire.files.decode_wire_bytes` refuses (binary, not UTF-8, empty), copy the parser
    cannot read, and a story that cannot be saved; a refused file leaves nothing saved.
    ``publish`` publishes a draft with no open findings, as `import_story` does.
    """
    limit = settings.WIRE_FILE_MAX_BYTES
    if len(data) > limit:
        return ImportResult(
            file=file, error=f"is {len(data):,} bytes; the limit is {limit:,} bytes"
        )
    try:
        story = parse_wire_text(decode_wire_bytes(data, path=file), file=file)
    except WireFileError as exc:
        return ImportResult(file=file, error=exc.reason)
    except SoftTimeLimitExceeded:
        raise
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the others
        logger.exception("parsing %s failed", file)
        return ImportResult(file=file, error=f"could not be read ({type(exc).__name__}: {exc})")
    return import_story(story, desk=desk, by=by, file=file, publish=publish)


__all__ = [
    "ImportResult",
    "import_story",
    "import_wire_bytes",
    "save_wire_story",
    "unique_slug",
]
