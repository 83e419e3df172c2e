from django.apps import AppConfig


class OrgsConfig(AppConfig):
    """单位与人员"""

    name = "fazhi.orgs"
    verbose_name = "单位与人员"
