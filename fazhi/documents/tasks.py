"""Background work of the documents app (Celery; eager in the demo and tests)."""

from __future__ import annotations

from celery import shared_task

from .pdfs import version_make_pdf


@shared_task
def make_pdf(version_pk: int) -> str:
    """The PDF of one version; returns its status (done, unavailable, failed)."""
    version = version_make_pdf(version_pk)
    return version.pdf_status if version is not None else "missing"
