from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("submit/", views.report_submit, name="submit"),
    path("compare/", views.compare, name="compare"),
    path("compare/export.xlsx", views.compare_export, name="compare_export"),
    path("settings/", views.report_settings, name="settings"),
    path("import/", views.bulk_import, name="bulk_import"),
    path("import/<int:pk>/", views.bulk_job, name="bulk_job"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/review/", views.report_review, name="review"),
]
