"""Resolving an attribution finding by hand: who may, and the entry it leaves in the trail."""

from __future__ import annotations

import pytest

from articles.models import AuditEntry
from sources.findings import FindingNotResolvable, resolve_finding
from sources.models import AuditFinding


@pytest.fixture
def finding(draft):
    return AuditFinding.objects.create(
        article=draft,
        code="source-without-affiliation",
        subject="Ana Duarte",
        message="Ana Duarte has no title or affiliation.",
    )


def test_resolving_is_recorded_against_the_story(finding, editor, draft):
    resolve_finding(finding, by=editor, reason="She is the harbour master.")

    entry = AuditEntry.objects.get(action="resolve-finding")
    assert (entry.article, entry.actor, entry.from_status, entry.to_status) == (
        draft,
        editor,
        draft.status,
        draft.status,
    )
    assert entry.note == "source-without-affiliation: She is the harbour master."


def test_a_refusal_leaves_no_entry(finding, reporter):
    with pytest.raises(FindingNotResolvable):
        resolve_finding(finding, by=reporter, reason="Looks fine to me.")

    assert not AuditEntry.objects.filter(action="resolve-finding").exists()
