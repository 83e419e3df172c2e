"""From a document to an editable task preview (文档 → 任务预览), with the Chinese document toolkit.

Pure reading step, no database: ``read_preview(data, filename, year)`` returns the preview dict stored on
``ImportJob.preview``. Steps: ``reading.read_document`` → ``cleaning.clean`` → ``outline.parse_outline``
→ deadlines of each item (``deadlines.find_deadlines`` with the plan's year as base year).

Rules:
- a document with no recognisable numbering raises ``NoOutline`` (the office builds the tree by hand);
- a toolkit ``DocumentError`` (empty, binary, oversized, scanned PDF, zip bomb) passes through with its message;
- when the text holds several documents (``outline.split_documents``; seed 001: the 考核方案 appended after
  the plan), the rows of the later ones are left out by default and a note says so; the office may tick them in;
- inline enumerations (一是…二是…) are shown but left out by default: they are points of a task, not tasks.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

from fazhi.core.text import cleaning, deadlines, outline, reading
from fazhi.core.text.errors import DocumentError

__all__ = ["DocumentError", "NoOutline", "find_deadline", "read_preview"]

Progress = Callable[[int, str], None]


class NoOutline(ValueError):
    """未识别到编号结构 — the text has no numbered items (一、 （一） 1. …)."""

    message = "未能在文档中识别出编号结构（如“一、”“（一）”“1.”），无法自动生成任务树。请检查文件，或手工建立任务树。"

    def __init__(self) -> None:
        super().__init__(self.message)


TITLE_HINT = re.compile(r"(实施方案|工作安排|工作要点|规划|计划)")


def _guess_title(text: str, first_offset: int) -> str:
    """The document's own title: the last short line before the first item naming a plan or arrangement."""
    head = text[:first_offset].split("\n")
    candidates = [ln.strip() for ln in head if ln.strip() and len(ln.strip()) <= 60 and TITLE_HINT.search(ln)]
    candidates = [c for c in candidates if not c.startswith(("关于", "现将")) and "通知" not in c]
    if not candidates:
        return ""
    title = re.sub(r"\s+", "", candidates[-1])
    title = re.sub(r"(全文如下|如下)[。：:]?$", "", title)
    return title.strip("《》。")


def find_deadline(text: str, year: int) -> tuple[datetime.date | None, str]:
    """(earliest dated deadline, the phrases found) in ``text``, via the toolkit's deadline finder."""
    dates: list[datetime.date] = []
    phrases: list[str] = []
    for item in deadlines.find_deadlines(text, year):
        if item.date is not None:
            dates.append(item.date)
        if item.phrase and item.phrase not in phrases:
            phrases.append(item.phrase)
    rule = "；".join(phrases)[:100]
    return (min(dates) if dates else None), rule


def read_preview(data: bytes, filename: str, year: int | None, progress: Progress | None = None) -> dict[str, Any]:
    """Read ``data`` into ``{"title", "year", "rows", "notes", "stats"}``; raises DocumentError or NoOutline.

    ``year`` is the base year of relative deadlines (“7月底前”); when None it is guessed from the text."""
    step = progress or (lambda _pct, _msg: None)
    step(10, "读取文件")
    raw = reading.read_document(data, filename=filename)
    step(35, "清洗文本")
    cleaned = cleaning.clean(raw.text)
    step(60, "识别编号结构")
    roots = outline.parse_outline(cleaned.text)
    nodes = list(outline.iter_nodes(roots))
    if not [n for n in nodes if n.style != "inline"]:
        raise NoOutline()
    step(75, "识别完成时限")
    first = nodes[0].offset
    title = _guess_title(cleaned.text, first)
    if year is None:
        # the title's (first) year — “实施方案（2021—2025年）” starts in 2021 — else the toolkit's guess
        in_title = re.search(r"(20\d{2})", title)
        year = (int(in_title.group(1)) if in_title else deadlines.guess_base_year(cleaned.text)) or (
            datetime.date.today().year  # noqa: DTZ011 - a calendar year, no time zone question
        )
    notes: list[str] = []
    # a text holding several documents (seed 001: the plan, then the 考核方案): only the first is imported by default
    documents = outline.split_documents(cleaned.text, roots)
    groups = outline.group_by_document(roots, documents)
    excluded_roots: set[int] = set()
    for document, group in list(zip(documents, groups, strict=False))[1:]:
        if group:
            excluded_roots.update(id(r) for r in group)
            notes.append(
                f"文档中还包含《{document.title}》（{len(group)} 个一级条目，从“{group[0].label}{group[0].title}”起），"
                "可能是附件，默认不导入；如需导入，请勾选“导入”。"
            )
    rows: list[dict[str, Any]] = []
    for root in roots:
        excluded_part = id(root) in excluded_roots
        for node in root.walk():
            deadline, rule = find_deadline(f"{node.title}。{node.text}", year)
            rows.append(
                {
                    "level": node.level,
                    "label": node.label[:20],
                    "ordinal": node.ordinal,
                    "title": node.title[:300],
                    "text": node.text,
                    "deadline": deadline.isoformat() if deadline else "",
                    "deadline_rule": rule,
                    "lead_unit": None,
                    "include": not excluded_part and node.style not in ("inline", "list"),
                    "inferred": bool(node.ordinal_inferred),
                }
            )
    if cleaned.unrepaired:
        notes.append(f"有 {len(cleaned.unrepaired)} 处乱码无法修复（显示为 �），请在预览中核对标题。")
    step(95, "生成预览")
    return {
        "title": title,
        "year": year,
        "rows": rows,
        "notes": notes,
        "stats": {"rows": len(rows), "included": sum(r["include"] for r in rows), "format": raw.format},
    }
