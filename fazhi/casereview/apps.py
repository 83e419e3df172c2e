from django.apps import AppConfig


class CaseReviewConfig(AppConfig):
    """集中评查 — centralized review of case files by experts (考核方案 §五(三))."""

    name = "fazhi.casereview"
    verbose_name = "集中评查"

    def ready(self) -> None:
        from fazhi.orgs import home
        from fazhi.orgs.models import Role

        from . import cards

        home.register_cards(Role.EXPERT, cards.expert_cards)
        home.register_cards(Role.OFFICE, cards.office_cards)
