from django.apps import AppConfig


class PlansConfig(AppConfig):
    """计划与督导"""

    name = "fazhi.plans"
    verbose_name = "计划与督导"

    def ready(self) -> None:
        from fazhi.io.jobs import register_recovery

        from .tasks import recover_imports

        register_recovery("plans.import", recover_imports)
