"""The one check for uploaded evidence files (佐证材料), shared by assessment, reviews and plans.

A file is accepted when its extension is allowed, its first bytes match that extension (a renamed ``.exe`` is
not a PDF), it is not empty and it is at most ``settings.FAZHI_MAX_UPLOAD_BYTES``. Messages are Chinese and
name the file.

``validate_evidence_file`` is the rule for scores, re-reviews and rectification reports (pdf, docx, xlsx, jpg,
png). ``EvidenceFileValidator(extensions=...)`` is the same rule over another list of extensions (plans' progress
reports also take txt, zip, ofd, doc, xls); it is deconstructible, so it can stand in a model field's
``validators`` and in migrations.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

#: The evidence types of scores, re-reviews and rectification reports.
EVIDENCE_EXTENSIONS = (".pdf", ".docx", ".xlsx", ".jpg", ".jpeg", ".png")

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary Office formats (.doc, .xls)
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")  # a zip container (docx, xlsx, ofd), possibly empty

#: What a file of each extension starts with. An extension without an entry (``.txt``) is not sniffed.
MAGIC: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF",),
    ".docx": _ZIP,
    ".xlsx": _ZIP,
    ".zip": _ZIP,
    ".ofd": _ZIP,
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG",),
    ".doc": (_OLE,),
    ".xls": (_OLE,),
}

_LABELS = {".pdf": "PDF", ".docx": "Word（docx）", ".doc": "Word（doc）", ".xlsx": "Excel（xlsx）",
           ".xls": "Excel（xls）", ".jpg": "JPG", ".jpeg": None, ".png": "PNG", ".txt": "文本（txt）",
           ".zip": "ZIP", ".ofd": "OFD"}


def _describe(extensions) -> str:
    labels = [_LABELS.get(ext, ext.lstrip(".").upper()) for ext in extensions]
    return "、".join(label for label in labels if label)


def _size(file) -> int | None:
    try:
        return file.size
    except (OSError, AttributeError, ValueError):
        return None


def _head(file, count: int = 8) -> bytes | None:
    """The first ``count`` bytes of an upload, or of a file already saved to storage; the position is kept."""
    if getattr(file, "_committed", False) and getattr(file, "name", None):  # a FieldFile already in storage
        try:
            with file.storage.open(file.name, "rb") as handle:
                return handle.read(count)
        except OSError:
            return None
    try:
        position = file.tell()
    except (AttributeError, OSError, ValueError):
        position = 0
    try:
        file.seek(0)
        data = file.read(count)
        file.seek(position)
    except (AttributeError, OSError, ValueError):
        return None
    return data if isinstance(data, bytes) else None


@deconstructible
class EvidenceFileValidator:
    """Extension in ``extensions``, content matching the extension, not empty, at most the size cap."""

    def __init__(self, extensions=EVIDENCE_EXTENSIONS):
        self.extensions = tuple(ext.lower() for ext in extensions)

    def __call__(self, file) -> None:
        name = Path(getattr(file, "name", "") or "").name
        suffix = Path(name).suffix.lower()
        if suffix not in self.extensions:
            raise ValidationError(
                _("“%(name)s”：不支持的文件类型，只接受 %(types)s 文件") % {"name": name,
                                                                 "types": _describe(self.extensions)},
                code="file_type",
            )
        size = _size(file)
        if size == 0:
            raise ValidationError(_("“%(name)s”：文件为空") % {"name": name}, code="file_empty")
        limit = settings.FAZHI_MAX_UPLOAD_BYTES
        if size is not None and size > limit:
            raise ValidationError(
                _("“%(name)s”：文件过大（上限 %(limit)s）") % {"name": name, "limit": _readable(limit)},
                code="file_size",
            )
        expected = MAGIC.get(suffix)
        if expected:
            head = _head(file)
            if head is not None and not head.startswith(expected):
                raise ValidationError(
                    _("“%(name)s”：文件内容与扩展名不符（不是有效的 %(type)s 文件）")
                    % {"name": name, "type": _LABELS.get(suffix) or suffix.lstrip(".").upper()},
                    code="file_content",
                )

    def __eq__(self, other) -> bool:
        return isinstance(other, EvidenceFileValidator) and self.extensions == other.extensions

    def __hash__(self) -> int:
        return hash(self.extensions)


def _readable(limit: int) -> str:
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):g} MB"
    if limit >= 1024:
        return f"{limit / 1024:g} KB"
    return f"{limit} 字节"


#: The evidence rule of scores, re-reviews and rectification reports.
validate_evidence_file = EvidenceFileValidator()


def uploaded_file(request, field: str = "file"):
    """The file posted in ``field`` and a list of problems (empty when there are none): missing, or over
    ``settings.FAZHI_MAX_UPLOAD_BYTES``. The one check every upload form does before reading a byte of it."""
    upload = request.FILES.get(field)
    if upload is None:
        return None, [_("请选择要上传的文件")]
    if upload.size > settings.FAZHI_MAX_UPLOAD_BYTES:
        return None, [_("文件过大（上限 %(limit)s）") % {"limit": _readable(settings.FAZHI_MAX_UPLOAD_BYTES)}]
    return upload, []
