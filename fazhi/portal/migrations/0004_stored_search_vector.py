"""PostgreSQL search at scale: the tsvector is stored (a generated column, so every writer keeps it without
code) and indexed; ranking reads the stored vector instead of re-parsing every body. Where the RUM extension is
installed (Debian postgresql-15-rum, ``make setup``), a RUM index ranks and checks phrases inside the index.
SQLite keeps its FTS5 table: nothing happens there."""

from django.db import migrations


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS portal_searchdocument_fts")
        cursor.execute(
            "ALTER TABLE portal_searchdocument ADD COLUMN IF NOT EXISTS vector tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED")
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
        if cursor.fetchone():
            cursor.execute("CREATE EXTENSION IF NOT EXISTS rum")
            cursor.execute("CREATE INDEX IF NOT EXISTS portal_searchdocument_rum ON portal_searchdocument "
                           "USING rum (vector rum_tsvector_ops)")
        else:
            cursor.execute("CREATE INDEX IF NOT EXISTS portal_searchdocument_vector ON portal_searchdocument "
                           "USING GIN (vector)")


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS portal_searchdocument_rum")
        cursor.execute("DROP INDEX IF EXISTS portal_searchdocument_vector")
        cursor.execute("ALTER TABLE portal_searchdocument DROP COLUMN IF EXISTS vector")
        cursor.execute("CREATE INDEX IF NOT EXISTS portal_searchdocument_fts ON portal_searchdocument "
                       "USING GIN (to_tsvector('simple', body))")


class Migration(migrations.Migration):
    dependencies = [("portal", "0003_search_index")]

    operations = [migrations.RunPython(forwards, backwards)]
