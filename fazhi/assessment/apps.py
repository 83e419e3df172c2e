from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    """考核评价"""

    name = "fazhi.assessment"
    verbose_name = "考核评价"

    def ready(self) -> None:
        from fazhi.orgs.home import register_cards
        from fazhi.orgs.models import Role

        from . import cards

        register_cards(Role.APPROVER, cards.approver_cards)
