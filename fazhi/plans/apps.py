from django.apps import AppConfig


class PlansConfig(AppConfig):
    """计划与督导"""

    name = "fazhi.plans"
    verbose_name = "计划与督导"
