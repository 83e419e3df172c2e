from django.apps import AppConfig


class FieldworkConfig(AppConfig):
    """实地考核 — field assessment: sampled units, team, visit records, 法治理论测试 (考核方案 §五(五))."""

    name = "fazhi.fieldwork"
    verbose_name = "实地考核"

    def ready(self) -> None:
        from fazhi.orgs import home
        from fazhi.orgs.models import Role

        from . import cards

        home.register_cards(Role.FIELD_TEAM, cards.field_cards)
