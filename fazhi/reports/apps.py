from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """年度报告"""

    name = "fazhi.reports"
    verbose_name = "年度报告"
