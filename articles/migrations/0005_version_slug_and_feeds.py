"""Each version records the slug it went out under and the feeds it was listed in.

Versions stored before this carry the story's slug and feeds as they are now, the best
record there is. Versions are immutable by trigger, so the backfill sets the trigger aside
for its own UPDATE; on SQLite adding a column rebuilds the table, which drops the trigger,
so it is created again here.
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
    for version in ArticleVersion.objects.select_related("article__desk").iterator():
        article = version.article
        topics = sorted(article.topics.values_list("slug", flat=True))
        feeds = [
            "all",
            f"desk:{article.desk.slug}",
            *(f"topic:{slug}" for slug in topics),
            f"lang:{article.language}",
        ]
        ArticleVersion.objects.filter(pk=version.pk).update(slug=article.slug, feeds=feeds)
    if vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE articles_articleversion ENABLE TRIGGER articles_version_no_update"
        )
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)


def restore_trigger(apps, schema_editor):
    # Removing the columns rebuilds the table on SQLite too.
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS articles_version_no_update")
        schema_editor.execute(SQLITE_TRIGGER)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0004_schedule_and_embargo_fields'),
    ]

    operations = [
        # Runs last when the migration is reversed, after the columns are gone.
        migrations.RunPython(migrations.RunPython.noop, restore_trigger),
        migrations.AddField(
            model_name='articleversion',
            name='feeds',
            field=models.JSONField(blank=True, default=list, help_text='The feeds it was listed in, by scope key: "all", "desk:<slug>", "topic:<slug>", "lang:<tag>".'),
        ),
        migrations.AddField(
            model_name='articleversion',
            name='slug',
            field=models.SlugField(blank=True, help_text='The slug line it went out under.', max_length=120),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
