from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("", views.round_list, name="list"),
    path("new/", views.round_new, name="new"),
    path("<int:pk>/", views.round_detail, name="detail"),
    path("<int:pk>/import/<str:kind>/", views.data_import, name="import"),
    path("<int:pk>/template/<str:kind>.xlsx", views.data_template, name="template"),
    path("<int:pk>/write/", views.indicator_write, name="write"),
]
