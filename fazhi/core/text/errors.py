"""Errors raised while reading a document (读取文档时的错误).

Every error is a ``ValueError`` subclass carrying a bilingual message, so a caller (web view,
Celery task, CLI) can show it as is: the user sees why the file was refused, never a traceback.
"""

from __future__ import annotations


class DocumentError(ValueError):
    """A document that cannot be read (无法读取的文档). Base class of all reading errors."""

    zh = "无法读取该文档"
    en = "the document cannot be read"

    def __init__(self, detail: str = "", *, zh: str | None = None, en: str | None = None):
        self.zh_message = zh or self.zh
        self.en_message = en or self.en
        self.detail = detail
        message = f"{self.zh_message} / {self.en_message}"
        if detail:
            message += f" ({detail})"
        super().__init__(message)


class EmptyDocument(DocumentError):
    """The file is empty or holds only whitespace (空文件)."""

    zh = "文档为空"
    en = "the document is empty"


class UnsupportedFormat(DocumentError):
    """Binary or unknown format (不支持的格式): not .txt/.html/.docx/.pdf."""

    zh = "不支持的文件格式（可能是二进制文件）"
    en = "unsupported file format (possibly a binary file)"


class NoTextLayer(DocumentError):
    """A PDF whose pages carry no text, e.g. a scan (无文字层的PDF，需先OCR)."""

    zh = "PDF没有文字层（可能是扫描件），请先进行文字识别"
    en = "the PDF has no text layer (probably a scan); run OCR first"


class DocumentTooLarge(DocumentError):
    """The file exceeds the size limit (文件过大)."""

    zh = "文件过大"
    en = "the file is too large"


class SuspiciousArchive(DocumentError):
    """A .docx whose zip would expand too much: a zip bomb or a broken file (可疑压缩包)."""

    zh = "可疑的压缩文件（解压后过大或压缩比异常）"
    en = "suspicious archive (too large when expanded, or abnormal compression ratio)"
