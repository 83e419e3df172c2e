from django.apps import AppConfig


class PortalConfig(AppConfig):
    """公众门户"""

    name = "fazhi.portal"
    verbose_name = "公众门户"
