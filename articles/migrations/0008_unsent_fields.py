"""Each story keeps the parts of its working copy not yet sent, for the article list.

The backfill compares every published story with its latest version through
`articles.unsent`, which reads only attributes the historical models have. On SQLite,
adding the column rebuilds the article table, which drops its trigger (a published version
only grows), so it is created again here, both ways.
"""

from django.db import migrations, models


SQLITE_TRIGGER = """CREATE TRIGGER articles_article_version_grows BEFORE UPDATE OF version
       ON articles_article WHEN NEW.version < OLD.version
       BEGIN SELECT RAISE(ABORT, 'an article''s published version only grows'); END;"""


def recreate_sqlite_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS articles_article_version_grows")
        schema_editor.execute(SQLITE_TRIGGER)


def backfill(apps, schema_editor):
    from articles.unsent import PARTS, latest_version, sent_copy, working_copy

    Article = apps.get_model("articles", "Article")
    for article in Article.objects.filter(status="published").select_related("desk").iterator():
        version = latest_version(article)
        if version is None or version.event == "kill":
            continue
        sent, working = sent_copy(article, version), working_copy(article)
        parts = [part for part in PARTS if sent[part] != working[part]]
        if parts:
            Article.objects.filter(pk=article.pk).update(unsent_fields=", ".join(parts))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_version_summary_generated"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="unsent_fields",
            field=models.CharField(
                blank=True,
                default="",
                editable=False,
                help_text="Parts of a published story's working copy not yet sent "
                '("headline, body"), kept by articles.unsent.',
                max_length=200,
            ),
        ),
        migrations.RunPython(recreate_sqlite_trigger, recreate_sqlite_trigger),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
