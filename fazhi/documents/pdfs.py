"""PDFs of document versions: LibreOffice after commit, the file stored only once it is complete."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction

from fazhi.audit.services import record_event
from fazhi.io import pdf

from .models import DocumentFile, DocumentVersion, FileRole, PdfStatus


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def version_make_pdf(version_pk: int) -> DocumentVersion | None:
    """Convert a version's .docx with LibreOffice and store the PDF (the task's body). The file is stored only
    once LibreOffice has finished; a failure is recorded on the version with its reason."""
    version = DocumentVersion.objects.select_related("document").filter(pk=version_pk).first()
    if version is None or version.pdf_status == PdfStatus.DONE:
        return version
    source = version.files.filter(role=FileRole.DOCX).first()
    if source is None:
        return version
    with source.file.open("rb") as handle:
        data = handle.read()
    try:
        output = pdf.docx_to_pdf(data)
    except pdf.PdfUnavailable:
        DocumentVersion.objects.filter(pk=version.pk).update(pdf_status=PdfStatus.UNAVAILABLE, pdf_error="")
        return version
    except pdf.PdfFailed as exc:
        DocumentVersion.objects.filter(pk=version.pk).update(pdf_status=PdfStatus.FAILED, pdf_error=str(exc)[:300])
        return version
    with transaction.atomic():
        version = DocumentVersion.objects.select_for_update().get(pk=version.pk)
        if version.pdf_status == PdfStatus.DONE:
            return version
        name = source.name[: -len(".docx")] + ".pdf" if source.name.endswith(".docx") else f"{source.name}.pdf"
        item = DocumentFile(version=version, role=FileRole.PDF, name=name, sha256=sha256_hex(output), size=len(output))
        item.file.save(f"pdf-{item.sha256[:16]}.pdf", ContentFile(output), save=False)
        item.save()
        version.pdf_status, version.pdf_error = PdfStatus.DONE, ""
        version.save(update_fields=["pdf_status", "pdf_error"])
        record_event(actor="system", action="document.pdf", target=version.document, before=None,
                     after={"number": version.document.number, "version": version.version, "pdf": name,
                            "sha256": item.sha256}, unit=version.document.office)
    return version
