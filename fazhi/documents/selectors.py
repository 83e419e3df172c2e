"""Reads: latest versions and files, lists with filters, the bundle (ZIP) of a set of documents."""

from __future__ import annotations

import io
import zipfile

from django.db.models import Prefetch

from fazhi.io.excel import Column, build_workbook

from .models import Document, DocumentFile, DocumentVersion, FileRole


def with_latest(queryset):
    """Documents with their versions (newest first) and files prefetched: a fixed number of queries."""
    return queryset.select_related("office").prefetch_related(
        Prefetch("versions", queryset=DocumentVersion.objects.order_by("-version").prefetch_related(
            Prefetch("files", queryset=DocumentFile.objects.order_by("role", "id")))))


def latest_version(document: Document) -> DocumentVersion | None:
    versions = list(document.versions.all())
    return versions[0] if versions else None


def filter_documents(queryset, *, kind: str = "", year: int | None = None, text: str = ""):
    if kind:
        queryset = queryset.filter(kind=kind)
    if year:
        queryset = queryset.filter(year=year)
    if text:
        queryset = queryset.filter(title__icontains=text) | queryset.filter(number__icontains=text)
    return queryset.order_by("-issued_at", "-pk")


INDEX_COLUMNS = [
    Column("no", "序号", width=6), Column("number", "发文字号", width=24), Column("kind", "文种", width=14),
    Column("title", "标题", width=40), Column("main_to", "主送机关", width=30), Column("cc_to", "抄送机关", width=30),
    Column("signed_on", "成文日期", width=14), Column("version", "版本", width=6),
    Column("sha256", "Word 文件 SHA-256", width=66), Column("files", "文件", width=50),
]


def bundle_zip(documents, *, title: str) -> bytes:
    """All files of the latest version of each document, and an index sheet (目录.xlsx) with numbers and hashes.
    ``documents`` should come through ``with_latest`` (no query per document)."""
    rows = []
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for no, document in enumerate(documents, 1):
            version = latest_version(document)
            if version is None:
                continue
            names = []
            for item in version.files.all():
                with item.file.open("rb") as handle:
                    archive.writestr(item.name, handle.read())
                names.append(item.name)
            rows.append({"no": no, "number": document.number, "kind": document.kind_label, "title": document.title,
                         "main_to": document.main_to, "cc_to": document.cc_to,
                         "signed_on": document.signed_on.isoformat(), "version": version.version,
                         "sha256": version.sha256, "files": "；".join(names)})
        index = build_workbook("目录", INDEX_COLUMNS, rows,
                               instructions=[title, "每份公文为最新版本；SHA-256 与审计日志中的记录一致。"])
        archive.writestr("目录.xlsx", index)
    return out.getvalue()


def file_of(document: Document, file_pk: int) -> DocumentFile | None:
    return DocumentFile.objects.filter(pk=file_pk, version__document=document).select_related("version").first()


def pdf_of(version: DocumentVersion) -> DocumentFile | None:
    return next((f for f in version.files.all() if f.role == FileRole.PDF), None)
