from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("units/", views.unit_list, name="unit_list"),
    path("units/export.xlsx", views.unit_export, name="unit_export"),
    path("units/import/", views.unit_import, name="unit_import"),
    path("units/<str:code>/", views.unit_detail, name="unit_detail"),
    path("people/", views.people, name="people"),
    path("login-log/", views.login_log, name="login_log"),
]
