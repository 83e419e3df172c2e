from django.apps import AppConfig


class FindingsConfig(AppConfig):
    """监督督察与网络检索"""

    name = "fazhi.findings"
    verbose_name = "监督督察与网络检索"

    def ready(self) -> None:
        from fazhi.assessment.hooks import register_score_panel
        from fazhi.orgs.home import register_cards
        from fazhi.orgs.models import Role

        from . import cards, panels

        register_score_panel(panels.score_panel)
        register_cards(Role.OFFICE, cards.office_cards)
        for role in (Role.ASSESSING, Role.EXPERT, Role.FIELD_TEAM, Role.SURVEY):
            register_cards(role, cards.scorer_cards)
