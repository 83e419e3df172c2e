from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """公文 — official documents: number register, issued documents and their versions, DOCX/PDF."""

    name = "fazhi.documents"
    verbose_name = "公文"
