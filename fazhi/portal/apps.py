from django.apps import AppConfig
from django.db.models.signals import post_migrate


def drop_orphaned_index_rows(using="default", **kwargs) -> None:
    """Keep the SQLite FTS5 index in step with the reports after ``migrate`` or ``flush``.

    ``flush`` (run after every transactional test, and by admins) empties the model tables but knows nothing of
    the FTS5 virtual table; both commands emit ``post_migrate``, so rows for reports that no longer exist go here.
    """
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite":
        return  # PostgreSQL keeps its index in a model table, which flush empties itself
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'portal_search_fts'")
        if cursor.fetchone():
            cursor.execute(
                "DELETE FROM portal_search_fts WHERE rowid NOT IN (SELECT id FROM reports_annualreport)"
            )


class PortalConfig(AppConfig):
    """公众门户"""

    name = "fazhi.portal"
    verbose_name = "公众门户"

    def ready(self) -> None:
        from fazhi.surveys.hooks import register_opinion_source

        from . import selectors

        post_migrate.connect(drop_orphaned_index_rows, sender=self)
        register_opinion_source(selectors.accepted_opinion_counts)  # 社情民意 for the satisfaction indicator
