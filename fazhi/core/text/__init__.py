"""Chinese document toolkit (中文公文工具包).

Plain Python — no Django imports — so it can run in a worker, a CLI or a notebook.
It reads real government documents (damaged ones included), cleans them, and extracts
their outline (层级结构), deadlines (时限), statistics (数据) and, for annual reports
(法治政府建设年度报告), checks the five required parts (DOMAIN.md §6).

Public entry points::

    from fazhi.core.text import read_document, clean, parse_outline, find_deadlines,
        extract_figures, catalogue, check_report, split_documents
"""

from .cleaning import CleanResult, clean
from .deadlines import Deadline, find_deadlines
from .errors import (
    DocumentError,
    DocumentTooLarge,
    EmptyDocument,
    NoTextLayer,
    SuspiciousArchive,
    UnsupportedFormat,
)
from .figures import Figure, catalogue, extract_figures
from .outline import Document, OutlineNode, parse_outline, split_documents
from .reading import RawDocument, read_document
from .report_check import ReportCheck, check_report

__all__ = [
    "CleanResult",
    "Deadline",
    "Document",
    "DocumentError",
    "DocumentTooLarge",
    "EmptyDocument",
    "Figure",
    "NoTextLayer",
    "OutlineNode",
    "RawDocument",
    "ReportCheck",
    "SuspiciousArchive",
    "UnsupportedFormat",
    "catalogue",
    "check_report",
    "clean",
    "extract_figures",
    "find_deadlines",
    "parse_outline",
    "read_document",
    "split_documents",
]
