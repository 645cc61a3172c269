"""Invariants a constraint cannot express, held by the database itself:
an ArticleVersion is never updated, and an article's published version never goes down."""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION articles_version_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'article versions are immutable';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER articles_version_no_update BEFORE UPDATE ON articles_articleversion
    FOR EACH ROW EXECUTE FUNCTION articles_version_immutable();

CREATE OR REPLACE FUNCTION articles_version_only_grows() RETURNS trigger AS $$
BEGIN
    IF NEW.version < OLD.version THEN
        RAISE EXCEPTION 'an article''s published version only grows (%% to %%)', OLD.version, NEW.version;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER articles_article_version_grows BEFORE UPDATE OF version ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_version_only_grows();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS articles_version_no_update ON articles_articleversion;
DROP FUNCTION IF EXISTS articles_version_immutable();
DROP TRIGGER IF EXISTS articles_article_version_grows ON articles_article;
DROP FUNCTION IF EXISTS articles_version_only_grows();
"""
SQLITE_FORWARD = [
    """CREATE TRIGGER articles_version_no_update BEFORE UPDATE ON articles_articleversion
       BEGIN SELECT RAISE(ABORT, 'article versions are immutable'); END;""",
    """CREATE TRIGGER articles_article_version_grows BEFORE UPDATE OF version ON articles_article
       WHEN NEW.version < OLD.version
       BEGIN SELECT RAISE(ABORT, 'an article''s published version only grows'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS articles_version_no_update;",
    "DROP TRIGGER IF EXISTS articles_article_version_grows;",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD, params=())
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
