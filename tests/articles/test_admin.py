"""The article admin for each role: the list, the story form, and the workflow buttons."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Article, AuditEntry, Credit
from sources.models import Attribution, AuditFinding
from sources.services import run_attribution_audit
from tests.articles.test_admin_support import (
    add_inline_rows,
    change_url,
    client_for,
    form_data,
    form_errors,
    messages_of,
    transition_url,
)
from tests.factories import (
    ArticleFactory,
    AttributionFactory,
    ContributorFactory,
    CreditFactory,
    SourceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")


@pytest.fixture
def superuser(db):
    return UserFactory(username="chief", is_superuser=True)


def with_open_finding(article: Article) -> Article:
    """A quote from a named person with no title or affiliation: the audit flags it."""
    AttributionFactory(article=article, source=SourceFactory(title="", affiliation=""))
    run_attribution_audit(article)
    return article


# The list ------------------------------------------------------------------------------


def test_changelist_shows_the_desk_columns_in_bounded_queries(
    desk, reporter, editor, django_assert_max_num_queries
):
    articles = [ArticleFactory(desk=desk, created_by=reporter) for _ in range(30)]
    for article in articles[:10]:
        workflow.publish(article, by=editor)
    for article in articles[10:13]:
        with_open_finding(article)
    client = client_for(editor)
    client.get(CHANGELIST)  # warm the session and content types

    with django_assert_max_num_queries(12):
        response = client.get(CHANGELIST)

    assert response.status_code == 200
    html = response.content.decode()
    for article in articles:
        assert article.headline in html
    for column in ("column-slug", "column-desk", "column-status", "column-priority"):
        assert column in html
    for column in ("column-lang", "column-embargo", "column-version", "column-modified"):
        assert column in html
    assert html.count('class="open-findings"') == 3


def test_changelist_filters_and_search(desk, reporter, editor):
    plain = ArticleFactory(desk=desk, created_by=reporter, body="<p>Rain over the harbour.</p>")
    embargoed = workflow.publish(
        ArticleFactory(desk=desk, created_by=reporter),
        by=editor,
        embargo_until=timezone.now() + timedelta(hours=2),
    )
    flagged = with_open_finding(ArticleFactory(desk=desk, created_by=reporter))
    client = client_for(editor)

    def listed(query: str) -> set[int]:
        response = client.get(f"{CHANGELIST}?{query}")
        assert response.status_code == 200
        return {a.pk for a in response.context["cl"].result_list}

    assert listed("status__exact=published") == {embargoed.pk}
    assert listed("embargoed=yes") == {embargoed.pk}
    assert embargoed.pk not in listed("embargoed=no")
    assert listed("findings=yes") == {flagged.pk}
    assert flagged.pk not in listed("findings=no")
    assert listed("q=harbour") == {plain.pk}
    assert listed(f"desk__id__exact={desk.pk}&language=en") == {
        plain.pk,
        embargoed.pk,
        flagged.pk,
    }


# What each role may see and do -----------------------------------------------------------


def test_reporter_edits_own_draft_and_sees_only_submit(draft, reporter):
    client = client_for(reporter)
    response = client.get(change_url(draft))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="_save"' in html
    assert 'name="lock_version"' in html
    assert [t["name"] for t in response.context["transitions"]] == ["submit"]
    assert "transition-publish" not in html

    data = form_data(response)
    data["headline"] = "Harbour reopens after the storm"
    response = client.post(change_url(draft), data)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.headline == "Harbour reopens after the storm"
    assert draft.modified_by == reporter
    assert draft.lock_version == 1
    assert AuditEntry.objects.filter(article=draft, action="edit", actor=reporter).exists()


def test_reporter_cannot_edit_someone_elses_draft(desk, reporter, other_reporter):
    theirs = ArticleFactory(desk=desk, created_by=other_reporter, headline="Their copy")
    client = client_for(reporter)

    response = client.get(change_url(theirs))
    assert response.status_code == 200  # they may read it
    assert 'name="_save"' not in response.content.decode()
    assert response.context["transitions"] == []

    response = client.post(change_url(theirs), {"headline": "Hijacked", "lock_version": 0})
    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.headline == "Their copy"


def test_reporter_cannot_edit_own_story_once_submitted(draft, reporter):
    client = client_for(reporter)
    data = form_data(client.get(change_url(draft)))
    workflow.submit(draft, by=reporter)

    data["headline"] = "Changed after submitting"
    response = client.post(change_url(draft), data)

    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.headline != "Changed after submitting"


def test_reporter_posting_publish_directly_is_refused(draft, reporter):
    client = client_for(reporter)
    response = client.post(transition_url(draft, "publish"), {}, follow=True)

    assert response.status_code == 200
    assert any("may not publish" in m for m in messages_of(response))
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert draft.version == 0
    assert not draft.versions.exists()


def test_reporter_submits_own_draft(draft, reporter):
    response = client_for(reporter).post(transition_url(draft, "submit"), {}, follow=True)

    draft.refresh_from_db()
    assert draft.status == Article.Status.SUBMITTED
    assert any("is with the desk" in m for m in messages_of(response))


def test_reporter_files_a_story_with_credit_and_quote(desk, reporter):
    contributor = ContributorFactory(name="Chung-Hsi Tu", desk=desk)
    source = SourceFactory(name="Mara Lind", title="harbour master", affiliation="Port Authority")
    client = client_for(reporter)
    data = form_data(client.get(reverse("admin:articles_article_add")))
    data.update(
        headline="Storm closes the harbour",
        slug="storm-harbour",
        desk=str(desk.pk),
        body="<p>The harbour closed on Monday.</p><script>alert(1)</script>",
        language="en",
        priority="5",
    )
    credit = {"contributor": contributor.pk, "role": "contributor", "order": 0}
    add_inline_rows(data, "credits", [credit])
    add_inline_rows(
        data,
        "attributions",
        [{"source": source.pk, "text": "We closed it.", "kind": "direct", "paragraph": 0}],
    )

    response = client.post(reverse("admin:articles_article_add"), data)

    assert response.status_code == 302, form_errors(response)
    article = Article.objects.get(slug="storm-harbour")
    assert article.created_by == reporter
    assert article.status == Article.Status.DRAFT
    assert "<script>" not in article.body
    assert list(article.credits.values_list("contributor__name", "role")) == [
        ("Chung-Hsi Tu", "contributor")
    ]
    assert Attribution.objects.get(article=article).source == source
    assert AuditEntry.objects.filter(article=article, action="create").exists()


def test_a_second_credit_added_without_an_order_goes_after_the_first(draft, reporter, desk):
    CreditFactory(article=draft, order=0)
    second = ContributorFactory(desk=desk)
    client = client_for(reporter)
    data = form_data(client.get(change_url(draft)))
    add_inline_rows(data, "credits", [{"contributor": second.pk, "role": "byline", "order": 0}])

    response = client.post(change_url(draft), data)

    assert response.status_code == 302, form_errors(response)
    assert list(draft.credits.values_list("contributor", "order")) == [
        (draft.credits.first().contributor_id, 0),
        (second.pk, 1),
    ]


def test_standards_reads_stories_but_has_no_buttons(draft, standards):
    response = client_for(standards).get(change_url(draft))

    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    assert response.context["transitions"] == []


def test_editor_and_superuser_get_the_buttons_for_the_state(draft, editor, superuser, reporter):
    workflow.submit(draft, by=reporter)
    for user in (editor, superuser):
        response = client_for(user).get(change_url(draft))
        names = [t["name"] for t in response.context["transitions"]]
        assert names == ["return_to_reporter", "approve", "publish"]
        assert 'id="transition-publish"' in response.content.decode()


# Transitions through the admin ---------------------------------------------------------


def test_editor_takes_a_story_through_the_wire(draft, editor, reporter):
    client = client_for(editor)
    workflow.submit(draft, by=reporter)

    client.post(transition_url(draft, "approve"))
    client.post(transition_url(draft, "publish"))
    draft.refresh_from_db()
    assert (draft.status, draft.version) == (Article.Status.PUBLISHED, 1)

    response = client.post(transition_url(draft, "correct"), {"note": ""}, follow=True)
    assert any("needs a note" in m for m in messages_of(response))
    draft.refresh_from_db()
    assert draft.version == 1

    response = client.post(
        transition_url(draft, "correct"), {"note": "Fixes the port's name."}, follow=True
    )
    assert any("correction" in m and "version 2" in m for m in messages_of(response))
    client.post(transition_url(draft, "update"), {"note": "Adds the minister's remarks."})
    client.post(transition_url(draft, "withhold"), {"reason": "Legal review."})
    draft.refresh_from_db()
    assert draft.status == Article.Status.WITHHELD
    client.post(transition_url(draft, "release"))
    asked = client.post(transition_url(draft, "kill"), {"reason": "The report was wrong."})
    assert asked.status_code == 200 and "A kill cannot be undone." in asked.content.decode()
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    client.post(
        transition_url(draft, "kill"), {"reason": "The report was wrong.", "confirmed": "yes"}
    )

    draft.refresh_from_db()
    assert draft.status == Article.Status.KILLED
    assert list(draft.versions.values_list("number", "event")) == [
        (1, "publish"),
        (2, "correct"),
        (3, "update"),
        (4, "kill"),
    ]


def test_publish_with_embargo_and_scheduled_time(desk, reporter, editor):
    client = client_for(editor)
    embargoed = ArticleFactory(desk=desk, created_by=reporter)
    scheduled = ArticleFactory(desk=desk, created_by=reporter)
    later = (timezone.now() + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")

    client.post(transition_url(embargoed, "publish"), {"embargo_until": later})
    response = client.post(transition_url(scheduled, "publish"), {"publish_at": later}, follow=True)

    embargoed.refresh_from_db()
    scheduled.refresh_from_db()
    assert embargoed.status == Article.Status.PUBLISHED and embargoed.is_embargoed
    assert scheduled.status == Article.Status.DRAFT
    assert scheduled.scheduled_for is not None
    assert any("scheduled to move" in m for m in messages_of(response))


def test_open_findings_block_publish_until_overridden_with_a_reason(draft, editor):
    with_open_finding(draft)
    client = client_for(editor)

    response = client.post(transition_url(draft, "publish"), {}, follow=True)
    assert any("open attribution finding" in m for m in messages_of(response))
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT

    client.post(transition_url(draft, "publish"), {"override_audit": "Title confirmed by phone."})
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    finding = draft.findings.get()
    assert finding.status == AuditFinding.Status.OVERRIDDEN
    assert finding.close_reason == "Title confirmed by phone."


def test_transition_needs_post_and_a_known_name(draft, editor):
    client = client_for(editor)
    assert client.get(transition_url(draft, "publish")).status_code == 405
    assert client.post(transition_url(draft, "teleport")).status_code == 404


def test_saving_runs_the_audit_so_findings_show_on_the_story(draft, reporter):
    client = client_for(reporter)
    data = form_data(client.get(change_url(draft)))
    add_inline_rows(
        data,
        "attributions",
        [{"text": "Nobody said this.", "kind": "direct", "verb": "said", "paragraph": 0}],
    )

    response = client.post(change_url(draft), data, follow=True)

    assert draft.findings.filter(code="unattributed-quote", status="open").exists()
    assert any("open finding" in m for m in messages_of(response))
    page = client.get(change_url(draft)).content.decode()
    assert 'class="open-findings-panel"' in page
    assert "No one is named as saying" in page


def test_published_story_cannot_be_deleted(published, superuser):
    response = client_for(superuser).get(
        reverse("admin:articles_article_delete", args=[published.pk])
    )
    assert response.status_code == 403
    assert Credit.objects.filter(article=published).count() == 0  # nothing touched
