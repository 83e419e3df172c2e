from django.urls import path

from . import views

app_name = "selfreport"
urlpatterns = [
    path("", views.my_reports, name="my_reports"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/upload/", views.attachment_upload, name="attachment_upload"),
    path("reports/<int:pk>/files/<int:att_pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("reports/<int:pk>/evidence/<int:ev_pk>/", views.linked_evidence_download, name="linked_evidence"),
    path("files/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("review/", views.review_list, name="review_list"),
    path("review/<int:pk>/", views.assess, name="assess"),
    path("office/", views.office_home, name="office_home"),
    path("campaigns/<int:pk>/requirements/", views.requirements, name="requirements"),
    path("campaigns/<int:pk>/requirements/<int:ind_pk>/", views.requirement_edit, name="requirement_edit"),
    path("campaigns/<int:pk>/progress/", views.progress, name="progress"),
    path("campaigns/<int:pk>/reports/", views.report_list, name="report_list"),
]
