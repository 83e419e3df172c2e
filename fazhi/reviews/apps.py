from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """反馈与复核"""

    name = "fazhi.reviews"
    verbose_name = "反馈与复核"

    def ready(self) -> None:
        from . import guards, letters

        letters.register_kinds()
        guards.register()
