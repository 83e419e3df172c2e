"""HTTP responses for files we produce."""

from urllib.parse import quote

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def file_response(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """A download with a UTF-8 file name (RFC 5987), so Chinese names survive every browser."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    return file_response(content, filename, XLSX)


def docx_response(content: bytes, filename: str) -> HttpResponse:
    return file_response(content, filename, DOCX)


def not_found(request, exception=None):
    """``handler404``: a path under /api/ that names nothing answers in JSON, as the rest of the API does (its
    OpenAPI description says so); every other path gets the usual page."""
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse({"detail": "未找到 / not found"}, status=404)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)
