from django.apps import AppConfig


class SurveysConfig(AppConfig):
    """满意度测评 — third-party survey, 神秘办事人, 好差评 and 社情民意 into the satisfaction indicator (§五(六))."""

    name = "fazhi.surveys"
    verbose_name = "满意度测评"

    def ready(self) -> None:
        from fazhi.orgs import home
        from fazhi.orgs.models import Role

        from . import cards

        home.register_cards(Role.SURVEY, cards.survey_cards)
