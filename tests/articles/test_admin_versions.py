"""Preview, the version history with its diff, the audit trail, and resolving findings."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles import workflow
from articles.diff import body_blocks, side_by_side
from articles.models import AuditEntry
from sources.models import AuditFinding
from sources.services import run_attribution_audit
from tests.articles.test_admin_support import client_for, messages_of
from tests.factories import ArticleFactory, AttributionFactory, SourceFactory

pytestmark = pytest.mark.django_db


def versions_url(article) -> str:
    return reverse("admin:articles_article_versions", args=[article.pk])


def test_preview_renders_the_public_template_for_a_draft(draft, reporter):
    response = client_for(reporter).get(reverse("admin:articles_article_preview", args=[draft.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Preview: this is how the story will read when published." in html
    assert f'<h1 id="headline">{draft.headline}</h1>' in html
    assert "A subhead" in html
    assert 'rel="canonical"' not in html  # a draft has no public address yet
    assert "noindex" in html


def test_preview_needs_a_login(draft, client):
    response = client.get(reverse("admin:articles_article_preview", args=[draft.pk]))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_version_history_lists_each_version_and_diffs_the_latest(published, editor):
    published.body = "<p>First paragraph, now corrected.</p><h2>A subhead</h2>"
    workflow.save_copy(
        published, by=editor, expected_lock_version=published.lock_version, fields=["body"]
    )
    workflow.correct(published, by=editor, note="Corrects the first paragraph.")

    response = client_for(editor).get(versions_url(published))

    assert response.status_code == 200
    versions = response.context["versions"]
    assert [(v.number, v.event) for v in versions] == [(2, "correct"), (1, "publish")]
    html = response.content.decode()
    assert "Corrects the first paragraph." in html
    assert "First <del>paragraph.</del>" in html
    assert "First <ins>paragraph, now corrected.</ins>" in html
    rows = response.context["rows"]
    dropped = [row for row in rows if "Second paragraph." in row.left]
    assert len(dropped) == 1 and "Second paragraph." not in dropped[0].right


def test_any_two_versions_can_be_compared(published, editor):
    for note in ("One.", "Two."):
        workflow.update(published, by=editor, note=note)

    response = client_for(editor).get(versions_url(published), {"a": 1, "b": 3})

    assert [v.number for v in response.context["compared"]] == [1, 3]
    missing = client_for(editor).get(versions_url(published), {"a": 1, "b": 9})
    assert "no such version" in missing.content.decode()


def test_diff_escapes_hostile_copy():
    rows = side_by_side(
        ["Headline: Calm at the harbour"],
        ["Headline: Calm at the <script>alert(1)</script> & harbour"],
    )
    assert rows[0].kind == "changed"
    html = rows[0].right
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<ins>" in html


def test_body_blocks_split_paragraphs_subheads_and_items():
    blocks = body_blocks("<p>One &amp; two.</p><h2>Sub</h2><ul><li>A</li><li>B</li></ul>")
    assert blocks == ["One & two.", "Subhead: Sub", "A", "B"]


def test_audit_trail_is_shown_to_editors_not_reporters(published, editor, reporter):
    editor_page = client_for(editor).get(versions_url(published)).content.decode()
    reporter_page = client_for(reporter).get(versions_url(published))

    assert 'id="audit-trail"' in editor_page
    assert "publish" in editor_page
    assert reporter_page.status_code == 200
    assert 'id="audit-trail"' not in reporter_page.content.decode()


@pytest.fixture
def flagged(desk, reporter):
    article = ArticleFactory(desk=desk, created_by=reporter)
    AttributionFactory(article=article, source=SourceFactory(title="", affiliation=""))
    run_attribution_audit(article)
    return article


def test_editor_resolves_a_finding_with_a_reason(flagged, editor):
    finding = flagged.findings.get()
    url = reverse("admin:articles_article_resolve_finding", args=[flagged.pk, finding.pk])

    response = client_for(editor).post(url, {"reason": "Checked: she is the harbour master."})

    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.status == AuditFinding.Status.RESOLVED
    assert finding.closed_by == editor
    assert finding.close_reason == "Checked: she is the harbour master."
    assert AuditEntry.objects.filter(article=flagged, action="resolve-finding").exists()
    workflow.publish(flagged, by=editor)  # nothing left open


def test_reporter_cannot_resolve_findings(flagged, reporter):
    finding = flagged.findings.get()
    url = reverse("admin:articles_article_resolve_finding", args=[flagged.pk, finding.pk])
    page = client_for(reporter).get(reverse("admin:articles_article_change", args=[flagged.pk]))
    assert "Resolve</button>" not in page.content.decode()

    response = client_for(reporter).post(url, {"reason": "Looks fine to me."}, follow=True)

    assert any("may not resolve" in m for m in messages_of(response))
    finding.refresh_from_db()
    assert finding.status == AuditFinding.Status.OPEN
