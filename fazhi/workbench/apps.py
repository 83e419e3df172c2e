from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbenchConfig(AppConfig):
    """工作台 — the top floor: what each role has to do now, gathered from every app below (which never import
    it; they offer their own cards through ``fazhi.orgs.home.register_cards``)."""

    name = "fazhi.workbench"
    verbose_name = _("工作台")

    def ready(self) -> None:
        from . import cards  # the apps are loaded now: the cards module imports their models

        cards.register()
