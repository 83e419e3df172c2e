from django.urls import path

from . import views

app_name = "findings"
urlpatterns = [
    path("", views.office_home, name="office_home"),
    path("campaigns/<int:pk>/", views.finding_list, name="finding_list"),
    path("campaigns/<int:pk>/import/", views.finding_import, name="finding_import"),
    path("campaigns/<int:pk>/template.xlsx", views.finding_template, name="finding_template"),
    path("items/<int:pk>/", views.finding_detail, name="finding_detail"),
    path("items/<int:pk>/evidence/", views.finding_evidence, name="finding_evidence"),
    path("web/", views.web_home, name="web_home"),
    path("web/campaigns/<int:pk>/", views.web_list, name="web_list"),
    path("web/records/<int:pk>/", views.web_snapshot, name="web_snapshot"),
]
