"""Evidence shown in the page (预览): PDFs in the browser's own viewer, images as images — no download first.

Only types whose content was checked at upload (``fazhi.io.uploads`` sniffs PDF and image signatures) are served
inline, with their own content type; everything else stays a download. The inline answer may be framed by the
platform's own pages only (X-Frame-Options SAMEORIGIN; the site's default is DENY).
"""

from __future__ import annotations

from pathlib import PurePath

from django.http import FileResponse

INLINE_TYPES = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def kind(name: str) -> str | None:
    """"pdf", "image" or None (not previewable) for a file name."""
    suffix = PurePath(name or "").suffix.lower()
    if suffix == ".pdf":
        return "pdf"
    return "image" if suffix in INLINE_TYPES else None


def inline_response(handle, name: str) -> FileResponse:
    """The file shown in the page: inline, its checked type, framable by the platform's own pages."""
    response = FileResponse(handle, as_attachment=False, filename=name,
                            content_type=INLINE_TYPES[PurePath(name).suffix.lower()])
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response
