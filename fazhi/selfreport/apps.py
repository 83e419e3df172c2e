from django.apps import AppConfig


class SelfreportConfig(AppConfig):
    """自评与指标填报"""

    name = "fazhi.selfreport"
    verbose_name = "自评与指标填报"

    def ready(self) -> None:
        from fazhi.assessment.hooks import register_row_links, register_score_panel
        from fazhi.orgs.home import register_cards
        from fazhi.orgs.models import Role

        from . import cards, panels

        register_score_panel(panels.score_panel)
        register_row_links(panels.row_links)
        register_cards(Role.ASSESSED, cards.assessed_cards)
        for role in (Role.ASSESSING, Role.EXPERT, Role.FIELD_TEAM, Role.SURVEY):
            register_cards(role, cards.assessing_cards)
        register_cards(Role.OFFICE, cards.office_cards)
