"""Check the documents like a recipient: every kind rendered to PDF by LibreOffice and measured (A4, type area,
22 lines of 28 characters, every 要素), fonts and sizes read from the DOCX XML, page 1 of each kind saved as PNG
in ``test-artefacts/documents/`` (gitignored) to look at. LibreOffice is installed by ``make pdf-tools`` (part of
``make test``); without it these tests fail rather than skip."""

from __future__ import annotations

import collections
import io
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
from docx import Document as Docx

from fazhi.assessment.models import Adjustment, AdjustmentKind, CampaignStatus
from fazhi.documents import services
from fazhi.documents.models import Document, FileRole, PdfStatus
from fazhi.io import gongwen, pdf
from fazhi.reviews import letters
from fazhi.reviews import services as review_services
from fazhi.reviews.models import LetterKind

ARTEFACTS = Path(__file__).resolve().parents[3] / "test-artefacts" / "documents"
MM = 72 / 25.4


def _pdf_lines(page):
    lines = collections.defaultdict(list)
    for char in page.chars:
        lines[round(char["top"])].append(char)
    return [sorted(lines[top], key=lambda c: c["x0"]) for top in sorted(lines)]


def _text(page) -> str:
    return "".join(c["text"] for line in _pdf_lines(page) for c in line)


def _issue_all(campaign, people, units) -> dict[str, Document]:
    """One document of every kind, on a campaign with a 不合格 unit (D2), a warning and a serious deduction."""
    office = people["office"]
    services.profile_save(user=office, office=units["P-OFFICE"], code="豫法治办", mark="河南省法治政府建设领导小组办公室")
    Adjustment.objects.create(campaign=campaign, unit=units["D2"], kind=AdjustmentKind.DEDUCTION, points=Decimal(3),
                              reason="行政复议纠错率明显偏高", source="省司法厅通报", serious=True)
    campaign.results.filter(unit=units["D2"]).update(grade="不合格", serious=True)
    campaign.results.filter(unit=units["C1"]).update(warning=True)
    review_services.feedback_send(user=office, campaign=campaign, unit=units["C1"], text="请核实规范性文件公开情况")
    campaign.status = CampaignStatus.APPROVED
    campaign.save()
    targets = {LetterKind.NOTICE: "C1", LetterKind.RECOMMENDATION: "D2", LetterKind.WARNING: "all",
               LetterKind.CRITICISM: "all", LetterKind.INTERVIEW: "D2", LetterKind.RECTIFY_ORDER: "D2",
               LetterKind.FEEDBACK: "C1", LetterKind.COPY: "zuzhibu"}
    return {kind: letters.issue(user=office, campaign=campaign, kind=kind, target=target,
                                cc_to="省纪委监委，省委组织部" if kind == LetterKind.NOTICE else None)
            for kind, target in targets.items()}


def _file(document: Document, role: str) -> bytes:
    version = document.versions.order_by("-version").first()
    item = version.files.get(role=role)
    with item.file.open("rb") as handle:
        return handle.read()


def test_every_kind_as_a_recipient_sees_it(campaign, people, units, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the PDF task runs after commit
        documents = _issue_all(campaign, people, units)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    for kind, document in documents.items():
        version = document.versions.get()
        assert version.pdf_status == PdfStatus.DONE, (kind, version.pdf_error)
        data = _file(document, FileRole.PDF)
        with pdfplumber.open(io.BytesIO(data)) as rendered:
            first = rendered.pages[0]
            # A4
            assert abs(first.width - 210 * MM) < 1 and abs(first.height - 297 * MM) < 1, kind
            lines = _pdf_lines(first)
            body = [ln for ln in lines if abs(ln[0]["size"] - 16) < 0.1]
            # the type area: body text starts 28 mm from the left, nothing beyond 156 mm of width
            assert min(ln[0]["x0"] for ln in body) == pytest.approx(28 * MM, abs=1.5), kind
            assert max(ln[-1]["x1"] for ln in body) <= (28 + 156) * MM + 1.5, kind
            # 发文机关标志 in red at the top, 发文字号 under it, 主送 and the title
            mark = lines[0]
            assert "".join(c["text"] for c in mark) == "河南省法治政府建设领导小组办公室", kind
            assert mark[0]["non_stroking_color"] in ((1, 0, 0), [1, 0, 0], (1.0, 0.0, 0.0)), mark[0]["non_stroking_color"]
            assert mark[0]["top"] > (37 + 30) * MM and mark[0]["top"] < (37 + 42) * MM, mark[0]["top"] / MM
            text = "".join(_text(p) for p in rendered.pages)
            assert document.number in text and document.number.startswith("豫法治办〔20"), kind
            assert document.main_to.split("、")[0] in text and "：" in text, kind
            assert services.chinese_date(document.signed_on) in text, kind  # 成文日期
            assert f"{services.chinese_date(document.signed_on)}印发" in text, kind  # 版记
            assert "— 1 —" in _text(first), kind  # page number
            # 版记 on the last page: its last rule on the bottom edge of the type area
            last = rendered.pages[-1]
            rules = [r for r in last.rects if r["x1"] - r["x0"] > 150 * MM and r["bottom"] - r["top"] < 1.5]
            assert rules, kind
            assert max(r["bottom"] for r in rules) == pytest.approx((37 + 225) * MM, abs=1.5), kind
            if kind == LetterKind.NOTICE:
                assert "抄送：省纪委监委，省委组织部。" in text
            if shutil.which("pdftoppm"):
                target = ARTEFACTS / f"{kind}"
                with open(target.with_suffix(".pdf"), "wb") as handle:
                    handle.write(data)
                subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile",
                                str(target.with_suffix(".pdf")), str(target)], check=True, timeout=60)
                assert target.with_suffix(".png").stat().st_size > 5000


def test_a_full_page_has_22_lines_of_28_characters():
    """A body page of GB/T 9704-2012: 22 lines, full lines of 28 characters, line pitch 225 mm / 22."""
    text = "法治政府建设是全面依法治国的重点任务和主体工程" * 40
    template = gongwen.template_docx(gongwen.Layout(
        mark="示例机关", number="示〔2026〕1号", title="标题", main_to="示例单位", body="{{p body }}",
        attachment_note="", signature="示例机关", date="2026年1月1日", attachments="", cc="", cc_condition="",
        printer="示例机关", print_date="2026年1月1日"))
    from fazhi.io.docx_templates import render

    data = gongwen.finalize(render(template, {"body": gongwen.RawXml(gongwen.body_xml([gongwen.Para(text)]))}))
    with pdfplumber.open(io.BytesIO(pdf.docx_to_pdf(data))) as rendered:
        page = rendered.pages[1]  # the first page has the header
        lines = [ln for ln in _pdf_lines(page) if abs(ln[0]["size"] - 16) < 0.1]
        assert len(lines) == 22
        assert all(len(ln) == 28 for ln in lines)
        tops = [ln[0]["top"] for ln in lines]
        pitch = (tops[-1] - tops[0]) / 21
        assert pitch == pytest.approx(225 * MM / 22, abs=0.3)


def test_fonts_and_sizes_in_the_docx(campaign, people, units):
    """Fonts as offices name them and sizes of the standard, read from the XML of an issued document."""
    documents = _issue_all(campaign, people, units)
    data = _file(documents[LetterKind.NOTICE], FileRole.DOCX)
    document = Docx(io.BytesIO(data))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
    assert round(section.page_width.mm - section.left_margin.mm - section.right_margin.mm) == 156
    assert round(section.page_height.mm - section.top_margin.mm - section.bottom_margin.mm) == 225

    def runs_with(text):
        return [r for p in document.paragraphs for r in p.runs if text in r.text]

    def font(run):
        fonts = run._r.rPr.rFonts
        return fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")

    mark = runs_with("河南省法治政府建设领导小组办公室")[0]
    assert font(mark) == "方正小标宋简体" and str(mark.font.color.rgb) == "FF0000"
    title = runs_with(documents[LetterKind.NOTICE].title)[0]
    assert font(title) == "方正小标宋简体" and title.font.size.pt == 22  # 2号
    body = runs_with("考核结果已经审定")[0]
    assert font(body) == "仿宋_GB2312" and body.font.size.pt == 16  # 3号
    heading = runs_with("一、考核结果")[0]
    assert font(heading) == "黑体"
    number = runs_with(documents[LetterKind.NOTICE].number)[0]
    assert font(number) == "仿宋_GB2312"
    footer = section.footer._element.xml
    assert "宋体" in footer and 'w:val="28"' in footer and "PAGE" in footer and "— " in footer  # 4号宋体
    assert document.settings.odd_and_even_pages_header_footer
    record = runs_with("印发")[0]
    assert record.font.size.pt == 14  # 版记 in 4号
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode()
    assert 'w:linePitch="579"' in xml and 'w:lineRule="exact"' in xml and 'w:line="579"' in xml


def test_mark_fits_the_line():
    short, long = gongwen.mark_geometry("河南省人民政府文件"), gongwen.mark_geometry("中共河南省委全面依法治省委员会办公室文件")
    assert short == (42, 100)
    size, scale = long
    assert 60 <= scale < 100 and size * scale / 100 * 20 <= 156 * MM
