"""Excel in and out, in one format: what an export writes, an import reads back (update by key).

Imports are all-or-nothing: ``read_rows`` parses and checks every row first and raises ``ImportFailed``
with every problem it found (row number as Excel shows it, column header, message); the caller writes
only when there are none, inside one transaction. Templates follow what Chinese back offices do: a
frozen header row, drop-down lists for coded columns, and an instructions sheet (说明).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

MAX_ROWS = 50_000
MAX_BYTES = 20 * 1024 * 1024
#: An .xlsx is a zip; refuse ones whose content inflates beyond this (zip bomb).
MAX_UNCOMPRESSED = 200 * 1024 * 1024


#: A text starting with one of these is a formula (or DDE) to Excel or another spreadsheet (CWE-1236).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def write_cell(sheet, row: int, column: int, value):
    """Put ``value`` in a cell so that text is only ever text: a value such as ``=HYPERLINK(...)`` typed by the
    public is stored as a string with Excel's quote prefix (shown as typed, never evaluated, also after
    editing), and characters an .xlsx cannot hold are dropped instead of failing the export."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = value
        cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


@dataclass(frozen=True)
class Column:
    """One column of a sheet: ``key`` in code, ``header`` as the user sees it (Chinese)."""

    key: str
    header: str
    required: bool = True
    parse: Callable[[Any], Any] | None = None  # raises ValueError with a user-facing message
    choices: tuple[str, ...] = ()
    help: str = ""
    width: int = 18


@dataclass(frozen=True)
class RowError:
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"第{self.row}行")
        if self.column:
            where.append(f"“{self.column}”列")
        return ("".join(where) + "：" if where else "") + self.message

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportFailed(Exception):
    """Raised with every problem found; nothing has been written."""

    errors: list[RowError] = field(default_factory=list)

    def __str__(self) -> str:
        return "；".join(str(e) for e in self.errors[:20]) + (
            f"；另有{len(self.errors) - 20}处错误" if len(self.errors) > 20 else ""
        )


def _open_workbook(data: bytes):
    if not data:
        raise ImportFailed([RowError(None, None, "文件为空")])
    if len(data) > MAX_BYTES:
        raise ImportFailed([RowError(None, None, f"文件过大（{len(data)} 字节，上限 {MAX_BYTES} 字节）")])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise ImportFailed([RowError(None, None, "不是有效的 Excel（.xlsx）文件")]) from None
    if total > MAX_UNCOMPRESSED:
        raise ImportFailed([RowError(None, None, "Excel 文件解压后过大，已拒绝（疑似压缩炸弹）")])
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for damaged files
        raise ImportFailed([RowError(None, None, "无法读取该 Excel 文件，文件可能已损坏")]) from None


def _cell_text(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def read_rows(data: bytes, columns: list[Column], sheet: str | None = None) -> list[tuple[int, dict]]:
    """Parse the first sheet (or ``sheet``) against ``columns``; header row located by header text.

    Returns ``[(excel_row_number, {key: value})]``; raises ``ImportFailed`` listing every error.
    """
    rows, errors = parse_rows(data, columns, sheet)
    if errors:
        raise ImportFailed(errors)
    return rows


def parse_rows(
    data: bytes, columns: list[Column], sheet: str | None = None
) -> tuple[list[tuple[int, dict]], list[RowError]]:
    """Like ``read_rows`` but returns the cell errors beside the rows, so a caller can add its own checks
    and report everything at once. A cell that failed to parse is ``None`` in its row. File-level
    problems (not a workbook, missing columns) still raise ``ImportFailed``."""
    workbook = _open_workbook(data)
    try:
        worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
    except KeyError:
        raise ImportFailed([RowError(None, None, f"缺少工作表“{sheet}”")]) from None
    rows = worksheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        raise ImportFailed([RowError(1, None, "表头为空")])
    header_texts = [str(h).strip().rstrip("*").strip() if h is not None else "" for h in header]
    positions: dict[str, int] = {}
    errors: list[RowError] = []
    for column in columns:
        if column.header in header_texts:
            positions[column.key] = header_texts.index(column.header)
        elif column.required:
            errors.append(RowError(1, column.header, "缺少此列"))
    if errors:
        raise ImportFailed(errors)

    parsed: list[tuple[int, dict]] = []
    for offset, raw in enumerate(rows, start=2):
        if offset - 1 > MAX_ROWS:
            raise ImportFailed([RowError(offset, None, f"行数超过上限 {MAX_ROWS}")])
        values = {key: _cell_text(raw[pos]) if pos < len(raw) else None for key, pos in positions.items()}
        if all(v is None for v in values.values()):
            continue  # blank line
        record: dict = {"_row_errors": 0}
        for column in columns:
            value = values.get(column.key)
            if value is None:
                if column.required:
                    errors.append(RowError(offset, column.header, "不能为空"))
                    record["_row_errors"] += 1
                record[column.key] = None
                continue
            if column.choices and str(value) not in column.choices:
                allowed = "、".join(column.choices[:12])
                errors.append(RowError(offset, column.header, f"“{value}”不是可选值（{allowed}）"))
                record[column.key] = None
                record["_row_errors"] += 1
                continue
            if column.parse:
                try:
                    value = column.parse(value)
                except (ValueError, TypeError) as exc:
                    errors.append(RowError(offset, column.header, str(exc) or "格式不正确"))
                    record[column.key] = None
                    record["_row_errors"] += 1
                    continue
            record[column.key] = value
        parsed.append((offset, record))
    workbook.close()
    return parsed, errors


HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")


def build_workbook(
    title: str,
    columns: list[Column],
    rows: Iterable[dict],
    instructions: Iterable[str] = (),
    extra_sheets: dict[str, list[list[Any]]] | None = None,
) -> bytes:
    """An .xlsx with a data sheet (frozen header, drop-downs), and an instructions sheet (说明)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    for index, column in enumerate(columns, start=1):
        cell = write_cell(sheet, 1, index, column.header + (" *" if column.required else ""))
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    count = 1
    for count, row in enumerate(rows, start=2):
        for index, column in enumerate(columns, start=1):
            write_cell(sheet, count, index, row.get(column.key))
    sheet.freeze_panes = "A2"
    last_row = max(count, 2) + 500
    for index, column in enumerate(columns, start=1):
        if column.choices:
            formula = '"' + ",".join(column.choices) + '"'
            if len(formula) <= 255:  # Excel's limit for an inline list
                validation = DataValidation(type="list", formula1=formula, allow_blank=not column.required)
                letter = get_column_letter(index)
                validation.add(f"{letter}2:{letter}{last_row}")
                sheet.add_data_validation(validation)
    notes = workbook.create_sheet("说明")
    notes.column_dimensions["A"].width = 100
    lines = list(instructions) + [""] + [
        f"{c.header}{'（必填）' if c.required else ''}：{c.help or ''}"
        + (f" 可选值：{'、'.join(c.choices)}" if c.choices else "")
        for c in columns
    ]
    for index, line in enumerate(lines, start=1):
        write_cell(notes, index, 1, line)
    for name, data_rows in (extra_sheets or {}).items():
        extra = workbook.create_sheet(name[:31])
        for row_number, data_row in enumerate(data_rows, start=1):
            for column_number, value in enumerate(data_row, start=1):
                write_cell(extra, row_number, column_number, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
