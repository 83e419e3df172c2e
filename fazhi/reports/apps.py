from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """年度报告"""

    name = "fazhi.reports"
    verbose_name = "年度报告"

    def ready(self) -> None:
        from fazhi.io.jobs import register_recovery

        from .tasks import recover_bulk_imports

        register_recovery("reports.bulk_import", recover_bulk_imports)
