"""Indexes the partner API leans on, kept in distribution because it is the one reading them.

- The full-text document of an article (PostgreSQL only: a GIN index on the very expression
  `distribution.selectors.search` filters on; SQLite falls back to a substring match).
- (version_created_at, id) for the keyset cursor, so page 1,000 costs what page 1 costs.
"""

from django.db import migrations

SEARCH_INDEX = "distribution_article_search_gin"
CURSOR_INDEX = "distribution_article_cursor"
SEARCH_DOCUMENT = (
    "to_tsvector('simple'::regconfig, COALESCE(\"headline\", '') || ' ' || "
    "COALESCE(\"summary\", '') || ' ' || COALESCE(\"body\", ''))"
)


def create_indexes(apps, schema_editor):
    table = apps.get_model("articles", "Article")._meta.db_table
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {CURSOR_INDEX} ON {table} (version_created_at DESC, id DESC)"
    )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {SEARCH_INDEX} ON {table} USING GIN ({SEARCH_DOCUMENT})"
        )


def drop_indexes(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {CURSOR_INDEX}")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {SEARCH_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("distribution", "0001_initial"),
        ("articles", "0004_schedule_and_embargo_fields"),
    ]
    operations = [migrations.RunPython(create_indexes, drop_indexes)]
