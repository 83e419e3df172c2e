"""Full-text index: an FTS5 virtual table on SQLite, a GIN index on PostgreSQL (see fazhi/portal/search.py)."""

from django.db import migrations


class VendorSQL(migrations.RunSQL):
    """RunSQL applied only when the database vendor matches (the other backend skips it)."""

    def __init__(self, vendor, sql, reverse_sql=None, **kwargs):
        self.vendor = vendor
        super().__init__(sql, reverse_sql, **kwargs)

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        kwargs["vendor"] = self.vendor
        return name, args, kwargs

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_initial")]

    operations = [
        VendorSQL(
            "sqlite",
            "CREATE VIRTUAL TABLE portal_search_fts USING fts5(body, tokenize = 'unicode61')",
            "DROP TABLE IF EXISTS portal_search_fts",
        ),
        VendorSQL(
            "postgresql",
            "CREATE INDEX portal_searchdocument_fts ON portal_searchdocument "
            "USING GIN (to_tsvector('simple', body))",
            "DROP INDEX IF EXISTS portal_searchdocument_fts",
        ),
    ]
