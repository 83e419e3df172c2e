from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("public/reports/", views.report_list, name="reports"),
    path("public/reports/<int:pk>/", views.report_detail, name="report"),
    path("public/search/", views.search_view, name="search"),
    path("public/results/", views.results, name="results"),
    path("public/results/<int:pk>/", views.result_detail, name="result"),
    path("public/opinion/", views.opinion, name="opinion"),
    path("public/opinion/status/", views.opinion_status, name="opinion_status"),
    path("opinions/", views.moderation, name="moderation"),
    path("opinions/<int:pk>/moderate/", views.moderate, name="moderate"),
    path("opinions/satisfaction/", views.satisfaction, name="satisfaction"),
    path("opinions/satisfaction/export.xlsx", views.satisfaction_export, name="satisfaction_export"),
]
