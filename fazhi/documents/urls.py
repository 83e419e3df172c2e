from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("settings/", views.issuer_settings, name="settings"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/print/", views.document_print, name="print"),
    path("<int:pk>/files/<int:file_pk>/", views.document_file, name="file"),
    path("<int:pk>/regenerate/", views.document_regenerate, name="regenerate"),
    path("<int:pk>/pdf/", views.document_pdf_retry, name="pdf_retry"),
]
