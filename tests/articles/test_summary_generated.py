"""A summary the editor left empty is made from the lede when the story is sent, stored in
the sent version like the rest of what went out, and marked as generated."""

from __future__ import annotations

import feedparser
import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from articles import workflow
from articles.models import ArticleVersion
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

LEDE = "Kenyan lawmakers approved a drought fund on Thursday after a month of talks."
BODY = f"<p>{LEDE}</p><h2>Who pays</h2><p>The counties share the cost.</p>"


def test_an_empty_summary_is_stored_with_the_version_and_marked(desk, editor):
    article = workflow.publish(ArticleFactory(desk=desk, summary="", body=BODY), by=editor)

    version = article.versions.get()
    assert (version.summary, version.summary_generated) == (LEDE, True)
    article.refresh_from_db()
    assert article.summary == ""  # the working copy stays as the editor left it


def test_an_editors_summary_is_stored_unmarked(desk, editor):
    article = workflow.publish(
        ArticleFactory(desk=desk, summary="Lawmakers agree on water.", body=BODY), by=editor
    )

    version = article.versions.get()
    assert (version.summary, version.summary_generated) == ("Lawmakers agree on water.", False)


def test_a_summary_written_later_moves_with_the_next_version(desk, editor):
    article = workflow.publish(ArticleFactory(desk=desk, summary="", body=BODY), by=editor)
    article.summary = "Lawmakers agree on water."
    workflow.save_copy(
        article, by=editor, expected_lock_version=article.lock_version, fields=["summary"]
    )
    workflow.update(article, by=editor, note="Summary.")

    first, second = article.versions.order_by("number")
    assert (first.summary_generated, second.summary_generated) == (True, False)
    assert second.summary == "Lawmakers agree on water."


def test_the_kill_version_carries_no_summary(desk, editor):
    article = workflow.publish(ArticleFactory(desk=desk, summary="", body=BODY), by=editor)
    workflow.kill(article, by=editor, reason="Wrong.")

    kill = article.versions.get(event="kill")
    assert (kill.summary, kill.summary_generated) == ("", False)


def test_rss_and_atom_summaries_are_never_empty_for_a_sent_story(desk, editor):
    # A body that opens with a list and has no paragraph at all still gives a summary.
    bodies = [BODY, "<ul><li>Fund approved.</li><li>Counties pay.</li></ul>"]
    for n, body in enumerate(bodies):
        workflow.publish(
            ArticleFactory(desk=desk, slug=f"fund-{n}", summary="", body=body), by=editor
        )

    for fmt in ("rss", "atom"):
        entries = feedparser.parse(Client().get(f"/feeds/{fmt}/").content).entries
        assert sorted(entry.summary for entry in entries) == [
            "Fund approved. Counties pay.",
            LEDE,
        ], fmt


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_marks_versions_sent_with_a_lede_summary_and_reverses():
    before = [("articles", "0006_version_summary_and_search")]
    after = [("articles", "0007_version_summary_generated")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Desk = old.get_model("articles", "Desk")
    Article = old.get_model("articles", "Article")
    Version = old.get_model("articles", "ArticleVersion")
    desk = Desk.objects.create(name="Nairobi", slug="nairobi", language="en")
    descriptions = {
        "made": [{"role": "summary", "value": LEDE}, {"role": "summary-origin", "value": "lede"}],
        "written": [{"role": "summary", "value": "Written."}],
    }
    for slug, described in descriptions.items():
        article = Article.objects.create(desk=desk, slug=slug, headline=slug, guid=f"urn:{slug}")
        Version.objects.create(
            article=article, number=1, event="publish", ninjs={"descriptions": described}, html=""
        )
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new = executor.loader.project_state(after).apps
        marked = new.get_model("articles", "ArticleVersion").objects.order_by("article__slug")
        assert [(v.article.slug, v.summary_generated) for v in marked] == [
            ("made", True),
            ("written", False),
        ]
        _still_immutable(new.get_model("articles", "ArticleVersion"))

        executor = MigrationExecutor(connection)
        executor.migrate(before)
        columns = [
            column.name
            for column in connection.introspection.get_table_description(
                connection.cursor(), "articles_articleversion"
            )
        ]
        assert "summary_generated" not in columns
        _still_immutable(
            executor.loader.project_state(before).apps.get_model("articles", "ArticleVersion")
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        ArticleVersion.objects.all().delete()


def _still_immutable(Version) -> None:
    # The database refuses an UPDATE of a stored version, whatever the ORM allows.
    with pytest.raises(DatabaseError), transaction.atomic():
        Version.objects.update(note="changed")
