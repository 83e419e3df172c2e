from django.apps import AppConfig


class AuditConfig(AppConfig):
    """审计日志"""

    name = "fazhi.audit"
    verbose_name = "审计日志"

    def ready(self) -> None:
        from fazhi.orgs import events

        from . import admin_log, services

        events.register(record_event=services.record_event, record_download=services.record_download)
        admin_log.connect()
