from django.urls import path

from . import views

app_name = "fieldwork"

urlpatterns = [
    path("", views.visit_list, name="list"),
    path("new/", views.visit_new, name="new"),
    path("<int:pk>/", views.visit_detail, name="detail"),
    path("<int:pk>/members/", views.member_add, name="member_add"),
    path("<int:pk>/draw/", views.sample_draw, name="draw"),
    path("<int:pk>/population.txt", views.sample_file, {"which": "population"}, name="population"),
    path("<int:pk>/drawn.txt", views.sample_file, {"which": "drawn"}, name="drawn"),
    path("<int:pk>/records/", views.record_add, name="record_add"),
    path("<int:pk>/tests/", views.theory_import, name="theory_import"),
    path("<int:pk>/tests/template.xlsx", views.theory_template, name="theory_template"),
    path("<int:pk>/write/", views.indicator_write, name="write"),
    path("<int:pk>/complete/", views.visit_complete, name="complete"),
    path("photos/<int:pk>/", views.photo_download, name="photo"),
]
