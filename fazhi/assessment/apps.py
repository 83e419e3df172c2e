from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    """考核评价"""

    name = "fazhi.assessment"
    verbose_name = "考核评价"
