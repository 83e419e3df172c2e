from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fazhi.reports import analysis, services
from fazhi.reports.models import AnnualReport, ReportSettings, ReportStatus

#: the seeds are other governments' reports submitted here as test data: confirmed with this reason
SEED_ELSEWHERE = "示例报告：原文来自其他单位"

pytestmark = pytest.mark.django_db


def test_seed000_yields_catalogue_and_parts(submitted_report):
    report = submitted_report
    assert report.status == ReportStatus.SUBMITTED
    assert report.title == "河南省人民政府关于2024年度法治政府建设情况的报告"
    figures = {f.key: f for f in report.figures.exclude(key=None)}
    assert figures["reconsideration.received"].value == Decimal(34777)
    assert figures["reconsideration.closed"].value == Decimal(30460)
    assert figures["reconsideration.correction_rate"].value == Decimal("17.86")
    assert figures["reconsideration.mediated"].value == Decimal(8223)
    assert figures["litigation.head_appearance_rate"].value == Decimal("92.36")
    assert figures["normative_docs.filed"].value == Decimal(2881)
    assert figures["normative_docs.corrected"].value == Decimal(44)
    rate = figures["reconsideration.resolution_rate"]
    assert (rate.value, rate.numerator, rate.denominator) == (Decimal(27), "8223", "30460")
    check = report.check_result
    assert check["catalogue"]["reconsideration.received"]["value"] == "34777"
    assert [p["key"] for p in check["parts"]] == ["leadership", "measures", "shortcomings", "next_year", "other"]
    assert all(c["ok"] for c in check["checks"])
    # English machine translation and export header are not in the clean text
    assert "Henan Provincial" not in report.clean_text


def test_deadline_ok_before_first_of_april(submitted_report):
    assert submitted_report.check_result["deadline"] == {
        "status": "ok", "deadline": "2025-04-01", "published_on": "2025-03-27", "message": "按时公开"}


def test_deadline_late_after_first_of_april(people, units, seed000):
    report = services.report_save(provenance_reason=SEED_ELSEWHERE, user=people["assessed"], unit=units["C1"], year=2024, text=seed000,
                                  published_on=datetime.date(2025, 4, 2))
    assert report.check_result["deadline"]["status"] == "late"


def test_deadline_setting_of_the_office_applies(people, units, seed000):
    services.report_settings_set(user=people["office"], year=2024, deadline=datetime.date(2025, 3, 1))
    assert ReportSettings.objects.get().root == units["P"]
    report = services.report_save(provenance_reason=SEED_ELSEWHERE, user=people["assessed"], unit=units["C1"], year=2024, text=seed000,
                                  published_on=datetime.date(2025, 3, 27))
    assert report.check_result["deadline"]["status"] == "late"
    assert report.check_result["deadline"]["deadline"] == "2025-03-01"


def test_publication_date_is_read_from_the_export_header(people, units, seed000):
    report = services.report_save(provenance_reason=SEED_ELSEWHERE, user=people["assessed"], unit=units["C1"], year=2024, text=seed000)
    assert report.published_on == datetime.date(2025, 3, 27)


def test_seed002_five_parts_by_heading(people, units, seed002):
    report = services.report_save(provenance_reason=SEED_ELSEWHERE, user=people["assessed"], unit=units["C1"], year=2023, text=seed002)
    parts = report.check_result["parts"]
    assert all(p["present"] and p["how"] == "heading" for p in parts[:4])
    assert report.figures.get(key="reconsideration.accepted").value == Decimal(87)  # 受理复议案件87件


def test_publication_url_must_be_http(people, units, seed000):
    with pytest.raises(ValidationError):
        services.report_save(provenance_reason=SEED_ELSEWHERE, user=people["assessed"], unit=units["C1"], year=2024, text=seed000,
                             publication_url="javascript:alert(1)")
    assert not AnnualReport.objects.exists()


def test_assessed_unit_cannot_submit_for_another_unit(people, units, seed000):
    with pytest.raises(PermissionDenied):
        services.report_save(provenance_reason=SEED_ELSEWHERE, user=people["assessed"], unit=units["C2"], year=2024, text=seed000)
    with pytest.raises(PermissionDenied):
        services.report_save(provenance_reason=SEED_ELSEWHERE, user=people["other_office"], unit=units["C2"], year=2024, text=seed000)
    with pytest.raises(PermissionDenied):
        services.report_save(provenance_reason=SEED_ELSEWHERE, user=people["assessed"], unit=units["C1"], year=2024, text=seed000,
                             status=ReportStatus.ACCEPTED)
    assert not AnnualReport.objects.exists()


def test_malformed_and_oversized_uploads_refused(people, units, settings):
    with pytest.raises(analysis.DocumentError):
        services.report_save(provenance_reason=SEED_ELSEWHERE, user=people["assessed"], unit=units["C1"], year=2024, data=b"\x00\x01\x02binary" * 50,
                             filename="r.txt")
    settings.FAZHI_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(analysis.DocumentError):
        services.report_save(provenance_reason=SEED_ELSEWHERE, user=people["assessed"], unit=units["C1"], year=2024, data=b"a" * 2000, filename="r.txt")
    with pytest.raises(analysis.DocumentError):
        services.report_save(provenance_reason=SEED_ELSEWHERE, user=people["assessed"], unit=units["C1"], year=2024, data=b"PK\x03\x04broken",
                             filename="r.docx")
    assert not AnnualReport.objects.exists()


def test_review_accept_return_and_resubmit(people, submitted_report, seed000):
    report = submitted_report
    with pytest.raises(PermissionDenied):
        services.report_review(user=people["other_office"], report=report, action="accept", text="来源已核实")  # another province
    with pytest.raises(PermissionDenied):
        services.report_review(user=people["assessed"], report=report, action="accept", text="来源已核实")
    with pytest.raises(ValidationError):
        services.report_review(user=people["office"], report=report, action="return")  # a reason is required
    services.report_review(user=people["office"], report=report, action="return", text="请补充第三部分")
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    report = services.report_save(provenance_reason=SEED_ELSEWHERE, user=people["assessed"], unit=report.unit, year=2024, text=seed000)
    assert report.status == ReportStatus.SUBMITTED
    services.report_review(user=people["office"], report=report, action="accept", text="来源已核实")
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED and report.is_published
    with pytest.raises(ValidationError):  # accepted reports are not editable any more
        services.report_save(provenance_reason=SEED_ELSEWHERE, user=people["assessed"], unit=report.unit, year=2024, text=seed000)
    assert [c.action for c in report.comments.all()] == ["return", "accept"]


# --- provenance (issue 16): another issuer or year in the document ------------------------------------------

def _own_report(text: str) -> str:
    """Seed 000 rewritten as 郑州市's own 2024 report (title and issuer)."""
    return text.replace("河南省人民政府关于2024年度", "郑州市人民政府关于2024年度", 1)


def test_report_of_another_issuer_is_refused_without_reason(people, units, seed000):
    with pytest.raises(services.ProvenanceMismatch) as exc:
        services.report_save(user=people["assessed"], unit=units["C1"], year=2024, text=seed000)
    assert [f["code"] for f in exc.value.findings] == ["issuer_mismatch"]
    assert exc.value.findings[0]["params"]["issuer"] == "河南省人民政府"
    assert not AnnualReport.objects.exists()


def test_wrong_year_is_refused_and_own_report_is_not(people, units, seed000):
    with pytest.raises(services.ProvenanceMismatch) as exc:
        services.report_save(user=people["assessed"], unit=units["C1"], year=2023, text=_own_report(seed000))
    assert [(f["code"], f["params"]["doc_year"]) for f in exc.value.findings] == [("year_mismatch", 2024)]
    report = services.report_save(user=people["assessed"], unit=units["C1"], year=2024, text=_own_report(seed000))
    assert report.check_result["provenance"]["findings"] == []
    assert report.check_result["document"]["doctype"] == "annual_report"
    # no mismatch: the office accepts without a confirmation text
    services.report_review(user=people["office"], report=report, action="accept")
    assert AnnualReport.objects.get(pk=report.pk).status == "accepted"


def test_confirmed_mismatch_is_audited_and_needs_the_offices_reason_to_publish(people, units, seed000):
    from fazhi.audit.models import AuditEvent

    report = services.report_save(user=people["assessed"], unit=units["C1"], year=2024, text=seed000,
                                  provenance_reason="受省政府委托转报")
    assert report.check_result["provenance"]["reason"] == "受省政府委托转报"
    event = AuditEvent.objects.filter(action="reports.report_save").latest("pk")
    assert event.reason == "受省政府委托转报"
    with pytest.raises(ValidationError):
        services.report_review(user=people["office"], report=report, action="accept")
    assert AnnualReport.objects.get(pk=report.pk).status == "submitted"
    services.report_review(user=people["office"], report=report, action="accept", text="已核实为转报")
    assert AnnualReport.objects.get(pk=report.pk).status == "accepted"


def test_government_work_report_is_classified(people, units):
    text = ("郑州市人民政府工作报告\n各位代表：\n现在，我代表市人民政府，向大会报告政府工作，请予审议，"
            "并请市政协委员提出意见。\n一、2023年工作回顾\n过去一年，全市地区生产总值增长7%。\n"
            "二、2024年工作安排\n我们将坚持依法行政，主要负责人履行第一责任人职责。\n")
    report = services.report_save(user=people["assessed"], unit=units["C1"], year=2023, text=text)
    codes = [f["code"] for f in report.check_result["findings"]]
    assert report.check_result["document"]["doctype"] == "work_report" and "not_annual_report" in codes
