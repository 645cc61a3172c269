"""Each version records whether its summary was made from the lede when it was sent.

Versions sent since summaries were made from the lede say so in their ninjs (a description
with role "summary-origin" and value "lede"); the backfill reads it from there. Versions
are immutable by trigger, so the backfill sets the trigger aside for its own UPDATE; on
SQLite adding (or, reversed, removing) the column rebuilds the table, which drops the
trigger, so it is created again here (as in 0005 and 0006).
"""

from django.db import migrations, models

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
    generated = [
        pk
        for pk, ninjs in ArticleVersion.objects.values_list("pk", "ninjs").iterator()
        if {"role": "summary-origin", "value": "lede"} in (ninjs or {}).get("descriptions", [])
    ]
    ArticleVersion.objects.filter(pk__in=generated).update(summary_generated=True)
    if vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE articles_articleversion ENABLE TRIGGER articles_version_no_update"
        )
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)


def restore_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS articles_version_no_update")
        schema_editor.execute(SQLITE_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_version_summary_and_search"),
    ]

    operations = [
        # Runs last when the migration is reversed, after the column is gone.
        migrations.RunPython(migrations.RunPython.noop, restore_trigger),
        migrations.AddField(
            model_name="articleversion",
            name="summary_generated",
            field=models.BooleanField(
                default=False,
                help_text="The summary was made from the lede when the version was sent (the "
                "editor left it empty).",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
