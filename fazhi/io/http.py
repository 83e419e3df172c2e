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
