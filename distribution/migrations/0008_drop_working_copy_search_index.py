"""Search reads the sent versions (GIN index articles_version_search_gin, migration articles
0006), never the working copy: the GIN index on the articles' own text is dropped. Every
write of a draft paid for it, and nothing reads it any more. Reversible."""

from django.db import migrations

SEARCH_INDEX = "distribution_article_search_gin"
SEARCH_DOCUMENT = (
    "to_tsvector('simple'::regconfig, COALESCE(\"headline\", '') || ' ' || "
    "COALESCE(\"summary\", '') || ' ' || COALESCE(\"body\", ''))"
)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {SEARCH_INDEX}")


def restore_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        table = apps.get_model("articles", "Article")._meta.db_table
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {SEARCH_INDEX} ON {table} USING GIN ({SEARCH_DOCUMENT})"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("distribution", "0007_feed_renders"),
        ("articles", "0006_version_summary_and_search"),
    ]
    operations = [migrations.RunPython(drop_index, restore_index)]
