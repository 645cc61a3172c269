"""Operations on sources: protected fields, the source book, and the attribution audit.

Clear text of a confidential identity or of contact details leaves the database only
through `reveal`, which checks the Standards permission and records the reading.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from articles.models import Article, AuditEntry
from sources import crypto
from sources.models import Attribution, AuditFinding, Source
from wire import model as wire
from wire.checks import audit_saved

PROTECTED_FIELDS = ("identity", "contact", "notes")
# What the audit can judge again from saved quotes and sources alone.
RECOMPUTABLE_CODES = {"missing-headline", "unattributed-quote", "source-without-affiliation"}
VIEW_CONFIDENTIAL = "sources.view_confidential_source"


class NotPermittedToReveal(PermissionError):
    pass


def can_reveal(user: AbstractBaseUser) -> bool:
    return bool(user and user.is_active and user.has_perm(VIEW_CONFIDENTIAL))


def reveal(source: Source, field: str, *, by: AbstractBaseUser) -> str:
    """The clear text of a protected field, for Standards only; every reading is recorded."""
    if field not in PROTECTED_FIELDS:
        raise ValueError(f"{field!r} is not a protected source field.")
    if not can_reveal(by):
        raise NotPermittedToReveal("Only the Standards desk may see protected source details.")
    AuditEntry.objects.record(None, by=by, action=f"reveal-{field}", subject=f"source:{source.pk}")
    return crypto.decrypt(getattr(source, field))


def set_protected(source: Source, **values: str) -> Source:
    """Encrypt and store protected fields (identity, contact, notes); empty clears one."""
    for field, value in values.items():
        if field not in PROTECTED_FIELDS:
            raise ValueError(f"{field!r} is not a protected source field.")
        setattr(source, field, crypto.encrypt(value.strip()))
    return source


def rotate_protected_fields(batch_size: int = 500) -> int:
    """Re-encrypt every protected field under the newest key; returns sources rewritten."""
    rewritten = 0
    queryset = Source.objects.exclude(identity="", contact="", notes="").order_by("pk")
    for source in queryset.iterator(chunk_size=batch_size):
        for field in PROTECTED_FIELDS:
            setattr(source, field, crypto.rotate(getattr(source, field)))
        source.save(update_fields=list(PROTECTED_FIELDS))
        rewritten += 1
    return rewritten


# Attribution audit -------------------------------------------------------------------------


def open_findings(article: Article):
    return article.findings.filter(status=AuditFinding.Status.OPEN)


def override_findings(
    findings: Iterable[AuditFinding], *, by: AbstractBaseUser, reason: str
) -> None:
    now = timezone.now()
    for finding in findings:
        finding.status = AuditFinding.Status.OVERRIDDEN
        finding.closed_by = by
        finding.closed_at = now
        finding.close_reason = reason
        finding.save(update_fields=["status", "closed_by", "closed_at", "close_reason"])


def audit_inputs(article: Article) -> tuple[list[wire.Source], list[wire.Quote]]:
    """The saved article's sources and quotes as the wire audit reads them."""
    sources: dict[int, wire.Source] = {}
    quotes: list[wire.Quote] = []
    for attribution in article.attributions.select_related("source"):
        source = attribution.source
        if source is not None and source.pk not in sources:
            sources[source.pk] = wire.Source(
                name=source.name,
                kind=source.kind,
                title=source.title or None,
                affiliation=source.affiliation or None,
                aliases=list(source.aliases or []),
            )
        quotes.append(
            wire.Quote(
                text=attribution.text,
                paragraph=attribution.paragraph,
                kind=attribution.kind,
                speaker=source.name if source else None,
                verb=attribution.verb or None,
            )
        )
    return list(sources.values()), quotes


@transaction.atomic
def run_attribution_audit(article: Article) -> list[AuditFinding]:
    """Re-run the audit on the saved article and keep its findings current.

    A finding already overridden or resolved stays closed while it still applies; one that
    no longer applies is closed as resolved; a new one opens. Findings that only the text
    can show (a title conflict, a possible source-book match) stay open until an editor
    resolves or overrides them.
    """
    sources, quotes = audit_inputs(article)
    flags = audit_saved(article.headline or None, sources, quotes)
    current = {(f.code, f.subject): f for f in flags}
    existing = {(f.code, f.subject): f for f in article.findings.all()}
    now = timezone.now()
    for key, finding in existing.items():
        recomputable = finding.code in RECOMPUTABLE_CODES
        if recomputable and key not in current and finding.status == AuditFinding.Status.OPEN:
            finding.status = AuditFinding.Status.RESOLVED
            finding.closed_at = now
            finding.close_reason = "No longer applies."
            finding.save(update_fields=["status", "closed_at", "close_reason"])
    created = []
    for key, flag in current.items():
        if key not in existing:
            created.append(
                AuditFinding(article=article, code=key[0], subject=key[1], message=flag.message)
            )
    AuditFinding.objects.bulk_create(created)
    return list(open_findings(article))


def attribution_count(source: Source) -> int:
    return Attribution.objects.filter(source=source).count()
