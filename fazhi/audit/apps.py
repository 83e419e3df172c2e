from django.apps import AppConfig


class AuditConfig(AppConfig):
    """审计日志"""

    name = "fazhi.audit"
    verbose_name = "审计日志"
