"""Closing an attribution finding by hand: an editor checked it and it does not stand."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from articles.models import AuditEntry
from sources.models import AuditFinding

RESOLVE_PERMISSION = "sources.change_auditfinding"


class FindingNotResolvable(Exception):
    """A refusal the admin shows as it is."""


@transaction.atomic
def resolve_finding(finding: AuditFinding, *, by: AbstractBaseUser, reason: str) -> AuditFinding:
    """Mark an open finding resolved, with who, when and why; recorded in the audit trail.

    Refuses a user without the permission to change findings, a finding that is no longer
    open, and an empty reason.
    """
    if not by.has_perm(RESOLVE_PERMISSION):
        raise FindingNotResolvable("You may not resolve attribution findings.")
    finding = AuditFinding.objects.select_for_update().get(pk=finding.pk)
    if finding.status != AuditFinding.Status.OPEN:
        raise FindingNotResolvable(
            f"This finding is already {finding.get_status_display().lower()}."
        )
    if not reason or not reason.strip():
        raise FindingNotResolvable("Say why the finding does not stand.")
    finding.status = AuditFinding.Status.RESOLVED
    finding.closed_by = by
    finding.closed_at = timezone.now()
    finding.close_reason = reason.strip()
    finding.save(update_fields=["status", "closed_by", "closed_at", "close_reason"])
    AuditEntry.objects.record(
        finding.article,
        by=by,
        action="resolve-finding",
        from_status=finding.article.status,
        note=f"{finding.code}: {finding.close_reason}",
    )
    return finding
