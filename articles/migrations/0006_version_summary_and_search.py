"""Each version keeps the summary it went out with, and search reads the versions.

Partner search matches the headline, summary and body of the version that went out
(`distribution.selectors.search`), so PostgreSQL gets a GIN index on that document of the
version table. Versions are immutable by trigger, so the backfill of the summary (from the
stored ninjs) sets the trigger aside for its own UPDATE; on SQLite altering the table
rebuilds it, which drops the trigger, so it is created again here (as in 0005).
"""

from django.db import migrations, models

SEARCH_INDEX = "articles_version_search_gin"
SEARCH_DOCUMENT = (
    "to_tsvector('simple'::regconfig, COALESCE(\"headline\", '') || ' ' || "
    "COALESCE(\"summary\", '') || ' ' || COALESCE(\"body\", ''))"
)
SQLITE_TRIGGER = """CREATE TRIGGER articles_version_no_update BEFORE UPDATE ON articles_articleversion
       BEGIN SELECT RAISE(ABORT, 'article versions are immutable'); END;"""


def backfill(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    ArticleVersion = apps.get_model("articles", "ArticleVersion")
    if vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE articles_articleversion DISABLE TRIGGER articles_version_no_update"
        )
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS articles_version_no_update")
    for pk, ninjs in ArticleVersion.objects.values_list("pk", "ninjs").iterator():
        described = {d.get("role"): d.get("value", "") for d in (ninjs or {}).get("descriptions", [])}
        if described.get("summary"):
            ArticleVersion.objects.filter(pk=pk).update(summary=described["summary"])
    if vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE articles_articleversion ENABLE TRIGGER articles_version_no_update"
        )
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {SEARCH_INDEX} ON articles_articleversion "
            f"USING GIN ({SEARCH_DOCUMENT})"
        )
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {SEARCH_INDEX}")


def restore_trigger(apps, schema_editor):
    # Removing the column rebuilds the table on SQLite too.
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS articles_version_no_update")
        schema_editor.execute(SQLITE_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_version_slug_and_feeds"),
    ]

    operations = [
        # Runs last when the migration is reversed, after the table is rebuilt.
        migrations.RunPython(migrations.RunPython.noop, restore_trigger),
        migrations.AddField(
            model_name="articleversion",
            name="summary",
            field=models.TextField(blank=True, help_text="The summary as sent (empty for a kill)."),
        ),
        migrations.AlterField(
            model_name="articleversion",
            name="body",
            field=models.TextField(blank=True),
        ),
        migrations.AlterField(
            model_name="articleversion",
            name="headline",
            field=models.CharField(blank=True, help_text="Empty for a kill.", max_length=300),
        ),
        migrations.RunPython(backfill, drop_index),
    ]
