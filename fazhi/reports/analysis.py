"""The bridge between annual reports and the Chinese document toolkit (``fazhi.core.text``).

Nothing here parses Chinese: reading, cleaning, figures, the catalogue and the five-part check all come from
the toolkit. This module only turns its results into what the reports app stores (JSON + figure rows) and adds
the one check that depends on platform settings: the publication deadline (DOMAIN.md §6, default 1 April).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from fazhi.core.text import cleaning, reading, report_check
from fazhi.core.text.errors import DocumentError

__all__ = ["Analysis", "DocumentError", "analyse", "deadline_check", "read_upload"]

#: Largest pasted text accepted (characters): a long report is ~30 000.
MAX_TEXT_CHARS = 500_000


@dataclass
class Analysis:
    clean_text: str
    title: str
    published_on: datetime.date | None
    check: dict[str, Any]
    figures: list[dict[str, Any]] = field(default_factory=list)


def read_upload(data: bytes, filename: str | None, max_bytes: int) -> str:
    """Bytes of an uploaded file → text. Raises ``DocumentError`` (bilingual message) when refused."""
    return reading.read_document(data, filename=filename, max_bytes=max_bytes).text


def _parse_date(value: Any) -> datetime.date | None:
    if not value:
        return None
    match = re.search(r"(\d{4})[-年/.](\d{1,2})[-月/.](\d{1,2})", str(value))
    if not match:
        return None
    try:
        return datetime.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def analyse(text: str) -> Analysis:
    """Clean ``text`` and check it: parts, figures with catalogue keys, consistency (all from the toolkit)."""
    if len(text) > MAX_TEXT_CHARS:
        raise DocumentError(f"{len(text)} > {MAX_TEXT_CHARS}", zh="文本过长", en="the text is too long")
    result = cleaning.clean(text)
    clean_text = result.text
    if not clean_text.strip():
        raise DocumentError(zh="文档为空", en="the document is empty")
    checked = report_check.check_report(clean_text, result.repaired_spans, title=result.metadata.get("title"))
    key_by_offset = {entry["offset"]: key for key, entry in checked.catalogue.items()}
    rows = []
    for fig in checked.figures:
        key = key_by_offset.get(fig.offset)
        entry = checked.catalogue.get(key) if key else None
        rows.append({
            "key": key,
            "label": (fig.label or fig.raw)[:200],
            "value": fig.value,
            "unit": fig.unit[:20],
            "numerator": str(entry["numerator"]) if entry and entry.get("numerator") is not None else "",
            "denominator": str(entry["denominator"]) if entry and entry.get("denominator") is not None else "",
            "sentence": fig.sentence,
            "offset": fig.offset,
            "low_confidence": fig.low_confidence,
        })
    check = checked.to_dict()
    check.pop("figures", None)  # stored as ReportFigure rows
    check["metadata"] = {k: v for k, v in result.metadata.items() if k in ("title", "published", "source")}
    check["stats"] = result.stats
    return Analysis(
        clean_text=clean_text,
        title=str(result.metadata.get("title") or "")[:300],
        published_on=_parse_date(result.metadata.get("published")),
        check=_jsonable(check),
        figures=rows,
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def deadline_check(published_on: datetime.date | None, deadline: datetime.date) -> dict[str, Any]:
    """Publication before the deadline (督察工作规定 Art. 24: 每年4月1日之前公开)."""
    if published_on is None:
        return {"status": "unknown", "deadline": deadline.isoformat(), "published_on": None,
                "message": "未填写公开日期"}
    ok = published_on < deadline
    return {
        "status": "ok" if ok else "late",
        "deadline": deadline.isoformat(),
        "published_on": published_on.isoformat(),
        "message": "按时公开" if ok else f"公开日期晚于截止日期（{deadline.isoformat()}之前）",
    }
