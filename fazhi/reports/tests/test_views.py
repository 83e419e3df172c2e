from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fazhi.reports.models import AnnualReport, ReportStatus

#: the seeds are other governments' reports submitted here as test data: confirmed with this reason
SEED_ELSEWHERE = "示例报告：原文来自其他单位"

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert('x')</script>"


def test_submit_page_roles(client_for, people):
    url = reverse("reports:submit")
    assert client_for(None).get(url).status_code == 302
    for role in ("assessing", "expert", "field_team", "survey", "public"):
        assert client_for(people[role]).get(url).status_code == 403, role
    assert client_for(people["assessed"]).get(url).status_code == 200
    assert client_for(people["office"]).get(url).status_code == 200


def test_paste_submit_shows_check(client_for, people, seed000):
    client = client_for(people["assessed"])
    data = {"year": 2024, "text": seed000, "published_on": "2025-03-27",
            "publication_url": "https://www.henan.gov.cn/r.html"}
    # seed 000 is the province's report: 郑州市 submitting it is warned and nothing is saved without a reason
    refused = client.post(reverse("reports:submit"), data)
    assert refused.status_code == 400 and not AnnualReport.objects.exists()
    warning = refused.content.decode()
    assert "provenance-warning" in warning and "河南省人民政府" in warning and "郑州市人民政府" in warning
    response = client.post(reverse("reports:submit"), {**data, "provenance_reason": "代省政府转报，经办公室同意"})
    report = AnnualReport.objects.get()
    assert report.check_result["provenance"]["reason"] == "代省政府转报，经办公室同意"
    from fazhi.audit.models import AuditEvent
    event = AuditEvent.objects.filter(action="reports.report_save").latest("pk")
    assert event.reason == "代省政府转报，经办公室同意"
    assert response.status_code == 302 and response.url == reverse("reports:detail", args=[report.pk])
    page = client.get(response.url).content.decode()
    assert "党政主要负责人履行推进法治建设第一责任人职责情况" in page
    assert "34777" in page and "按时公开" in page
    assert "代省政府转报，经办公室同意" in page and "reconsideration.received" not in page


def test_hostile_text_is_escaped(client_for, people, seed000):
    client = client_for(people["assessed"])
    client.post(reverse("reports:submit"), {"year": 2024, "text": HOSTILE + "\n" + seed000, "title": HOSTILE,
                                            "provenance_reason": HOSTILE})
    report = AnnualReport.objects.get()
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page


def test_oversized_and_malformed_upload_refused_with_message(client_for, people, settings):
    client = client_for(people["assessed"])
    settings.FAZHI_MAX_UPLOAD_BYTES = 1000
    big = SimpleUploadedFile("big.txt", "报告".encode() * 1000)
    response = client.post(reverse("reports:submit"), {"year": 2024, "file": big})
    assert response.status_code == 400 and "文件过大" in response.content.decode()
    bad = SimpleUploadedFile("bad.docx", b"PK\x03\x04 not really a docx")
    response = client.post(reverse("reports:submit"), {"year": 2024, "file": bad})
    assert response.status_code == 400
    assert "error-box" in response.content.decode()
    assert not AnnualReport.objects.exists()


def test_detail_scope(client_for, people, submitted_report):
    url = reverse("reports:detail", args=[submitted_report.pk])
    assert client_for(people["assessed"]).get(url).status_code == 200
    assert client_for(people["office"]).get(url).status_code == 200
    assert client_for(people["city_office"]).get(url).status_code == 200  # C1 is in the city office's subtree
    assert client_for(people["assessed_c2"]).get(url).status_code == 404
    assert client_for(people["other_office"]).get(url).status_code == 404
    assert client_for(people["expert"]).get(url).status_code == 403


def test_office_review_via_view(client_for, people, submitted_report):
    url = reverse("reports:review", args=[submitted_report.pk])
    assert client_for(people["assessed"]).post(url, {"action": "accept"}).status_code == 403
    assert client_for(people["other_office"]).post(url, {"action": "accept"}).status_code == 404
    client_for(people["office"]).post(url, {"action": "accept", "text": "来源已核实"})
    submitted_report.refresh_from_db()
    assert submitted_report.status == ReportStatus.ACCEPTED


def test_compare_table_and_export(client_for, people, units, submitted_report, seed002):
    from fazhi.reports import services

    services.report_save(provenance_reason=SEED_ELSEWHERE, user=people["assessed_c2"], unit=units["C2"], year=2023, text=seed002)
    client = client_for(people["office"])
    # closed cases: 30460 (seed 000) and 87 (seed 002; its 87 received are 受理, i.e. accepted, since issue 16)
    page = client.get(reverse("reports:compare"), {"key": "reconsideration.closed"}).content.decode()
    assert "30460" in page and "87" in page
    assert "缺失" in page  # C1 has no 2023 report, C2 no 2024 report
    assert client_for(people["assessed"]).get(reverse("reports:compare")).status_code == 403
    response = client.get(reverse("reports:compare_export"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
