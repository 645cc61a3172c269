"""Invariants the database holds itself: immutable versions, a published version that only
grows, unique guid and slug per desk, one credit per byline place; and the audit trail's
one way in, `AuditEntry.objects.record`."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from articles import workflow
from articles.models import Article, ArticleVersion, AuditEntry, Credit
from sources.models import Source
from tests.factories import (
    ArticleFactory,
    ContributorFactory,
    CreditFactory,
    DeskFactory,
)


def test_stored_version_refuses_save(published):
    version = published.versions.get()
    version.headline = "Rewritten history"
    with pytest.raises(ValueError, match="immutable"):
        version.save()
    assert published.versions.get().headline == published.headline


def test_raw_update_of_a_version_is_refused_by_the_database(published):
    version = published.versions.get()
    with (
        pytest.raises(DatabaseError, match="immutable"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE articles_articleversion SET headline = %s WHERE id = %s",
            ["Rewritten history", version.pk],
        )
    assert ArticleVersion.objects.get(pk=version.pk).headline == published.headline


def test_queryset_update_of_a_version_is_refused_by_the_database(published):
    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
        ArticleVersion.objects.filter(article=published).update(body="<p>Changed.</p>")
    assert ArticleVersion.objects.get(article=published).body == published.body


def test_published_version_cannot_go_down(published, editor):
    workflow.correct(published, by=editor, note="Fixes a figure.")
    with pytest.raises(DatabaseError, match="only grows"), transaction.atomic():
        Article.objects.filter(pk=published.pk).update(version=1)
    published.refresh_from_db()
    assert published.version == 2


def test_published_version_may_grow_and_other_fields_change(published):
    # The trigger refuses only a lower version, not ordinary writes.
    Article.objects.filter(pk=published.pk).update(version=5, summary="Changed summary.")
    published.refresh_from_db()
    assert (published.version, published.summary) == (5, "Changed summary.")


def test_version_numbers_unique_per_article(published):
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleVersion.objects.create(
            article=published, number=1, event="update", headline="x", body="", ninjs={}, html=""
        )


def test_version_number_positive(draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleVersion.objects.create(
            article=draft, number=0, event="publish", headline="x", body="", ninjs={}, html=""
        )


def test_guid_is_a_stable_urn_and_unique(draft):
    assert draft.guid.startswith("urn:newsroom:")
    guid = draft.guid
    draft.slug = "renamed-slug"
    draft.save()
    draft.refresh_from_db()
    assert draft.guid == guid
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(guid=guid)


def test_slug_unique_per_desk_not_across_desks(desk):
    ArticleFactory(desk=desk, slug="budget-vote")
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(desk=desk, slug="budget-vote")
    other = DeskFactory(name="Nairobi", slug="nairobi")
    assert ArticleFactory(desk=other, slug="budget-vote").pk


def test_one_credit_per_byline_place(draft):
    CreditFactory(article=draft, order=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditFactory(article=draft, order=0)


def test_one_credit_per_contributor_and_role(draft):
    contributor = ContributorFactory()
    CreditFactory(article=draft, contributor=contributor, role=Credit.Role.BYLINE, order=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditFactory(article=draft, contributor=contributor, role=Credit.Role.BYLINE, order=1)
    # The same person may hold another role on the story.
    CreditFactory(article=draft, contributor=contributor, role=Credit.Role.EDITOR, order=2)


def test_confidential_source_cannot_be_an_organization(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.create(name="a ministry", kind=Source.Kind.ORGANIZATION, confidential=True)


def test_publicly_visible_excludes_drafts_embargoes_withheld_and_kills(desk, editor):
    from datetime import timedelta

    from django.utils import timezone

    live = workflow.publish(ArticleFactory(desk=desk), by=editor)
    embargoed = workflow.publish(
        ArticleFactory(desk=desk), by=editor, embargo_until=timezone.now() + timedelta(hours=2)
    )
    withheld = workflow.withhold(
        workflow.publish(ArticleFactory(desk=desk), by=editor), by=editor, reason="Legal."
    )
    killed = workflow.kill(
        workflow.publish(ArticleFactory(desk=desk), by=editor), by=editor, reason="Wrong."
    )
    ArticleFactory(desk=desk)
    visible = set(Article.objects.publicly_visible())
    assert visible == {live}
    assert not {embargoed, withheld, killed} & visible
    assert embargoed.is_embargoed and not live.is_embargoed


# The audit trail ---------------------------------------------------------------------------


def test_record_writes_who_did_what_to_which_story(draft, editor):
    entry = AuditEntry.objects.record(
        draft, by=editor, action="approve", from_status="submitted", note="Tightened the lede."
    )

    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.actor, stored.actor_name, stored.action, stored.note) == (
        editor,
        "eddie",
        "approve",
        "Tightened the lede.",
    )
    assert (stored.article, stored.subject) == (draft, "")
    assert (stored.from_status, stored.to_status) == ("submitted", draft.status)


def test_record_names_a_target_that_is_not_a_story(standards):
    entry = AuditEntry.objects.record(
        None, by=standards, action="reveal-contact", subject="source:7"
    )

    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.article, stored.subject, stored.to_status) == (None, "source:7", "")
    assert (stored.actor, stored.action, stored.note) == (standards, "reveal-contact", "")


def test_record_without_a_user_is_the_systems(published):
    entry = AuditEntry.objects.record(published, by=None, action="embargo-lift")

    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.actor, stored.actor_name) == (None, "system")
    assert stored.to_status == Article.Status.PUBLISHED
