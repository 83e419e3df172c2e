from django.urls import path

from . import views

app_name = "casereview"

urlpatterns = [
    path("", views.review_list, name="list"),
    path("new/", views.review_new, name="new"),
    path("<int:pk>/", views.review_detail, name="detail"),
    path("<int:pk>/checklist/", views.checklist_add, name="checklist_add"),
    path("<int:pk>/experts/", views.expert_add, name="expert_add"),
    path("<int:pk>/files/", views.file_register, name="file_register"),
    path("<int:pk>/import/", views.file_import, name="file_import"),
    path("<int:pk>/template.xlsx", views.file_template, name="file_template"),
    path("<int:pk>/draw/", views.sample_draw, name="draw"),
    path("<int:pk>/assign/", views.assignments_make, name="assign"),
    path("<int:pk>/files/<int:file_pk>/expert/", views.assignment_set, name="assignment_set"),
    path("<int:pk>/write/", views.indicator_write, name="write"),
    path("<int:pk>/population.txt", views.sample_file, {"which": "population"}, name="population"),
    path("<int:pk>/drawn.txt", views.sample_file, {"which": "drawn"}, name="drawn"),
    path("files/<int:pk>/scan/", views.file_attachment, name="attachment"),
    path("mine/", views.my_files, name="my_files"),
    path("mine/<int:pk>/", views.file_review, name="file_review"),
]
