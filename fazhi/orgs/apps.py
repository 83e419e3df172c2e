from django.apps import AppConfig


class OrgsConfig(AppConfig):
    """单位与人员"""

    name = "fazhi.orgs"
    verbose_name = "单位与人员"

    def ready(self) -> None:
        from . import auth  # noqa: F401 - connects the login log and lock receivers
