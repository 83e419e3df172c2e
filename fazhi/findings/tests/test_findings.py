from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fazhi.assessment import services as assessment_services
from fazhi.audit.models import AuditEvent
from fazhi.findings import services
from fazhi.findings.models import Finding, Source, WebRecord
from fazhi.io.excel import ImportFailed, build_workbook
from fazhi.reviews import services as review_services
from fazhi.reviews.models import RectificationStatus
from fazhi.selfreport.demo import pdf_bytes


def pdf(name="通报.pdf"):
    return SimpleUploadedFile(name, pdf_bytes("finding"))


@pytest.fixture
def finding(campaign, people, units):
    return services.finding_create(
        user=people["office"], campaign=campaign, unit=units["C1"], source=Source.INSPECTION,
        problem="行政执法公示不及时", found_on=dt.date(2025, 5, 20), reference="豫法督〔2025〕3号",
        indicators=[campaign.indicators.get(code="A1")], evidence=pdf())


def _xlsx(rows):
    return build_workbook("督察发现", services.finding_columns(), rows)


def test_register_a_finding_with_its_file(finding):
    assert finding.evidence_name == "通报.pdf" and finding.evidence.read().startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="findings.finding_create", target_id=str(finding.pk)).exists()


def test_a_finding_is_refused_for_a_unit_outside_the_campaign_or_a_bad_file(campaign, people, units):
    with pytest.raises(ValidationError, match="不是本次考核的考核对象"):
        services.finding_create(user=people["office"], campaign=campaign, unit=units["P2"], source="audit",
                                problem="x", found_on=dt.date(2025, 1, 1))
    with pytest.raises(ValidationError, match="不是有效的 PDF"):
        services.finding_create(user=people["office"], campaign=campaign, unit=units["C1"], source="audit",
                                problem="x", found_on=dt.date(2025, 1, 1),
                                evidence=SimpleUploadedFile("a.pdf", b"<html>"))
    for who in ("assessing", "assessed", "other_office", "city_office"):
        with pytest.raises(PermissionDenied):
            services.finding_create(user=people[who], campaign=campaign, unit=units["C1"], source="audit",
                                    problem="x", found_on=dt.date(2025, 1, 1))


def test_import_is_all_or_nothing_with_row_and_column(campaign, people):
    good = {"unit": "C1", "source": "审计", "problem": "专项资金未按规定使用", "found_on": "2025-04-01",
            "indicators": "A1、B1", "reference": "审计报告"}
    rows = [good,
            {**good, "unit": "P2", "problem": "另一问题"},
            {**good, "source": "传闻", "problem": "第三个"},
            {**good, "indicators": "Z9", "problem": "第四个"},
            {**good, "found_on": "明年", "problem": "第五个"},
            good]
    with pytest.raises(ImportFailed) as info:
        services.finding_import(user=people["office"], campaign=campaign, data=_xlsx(rows))
    messages = [str(e) for e in info.value.errors]
    assert "第3行“单位编码”列：“P2”不是本次考核的考核对象" in messages
    assert any(m.startswith("第4行“来源”列") for m in messages)
    assert "第5行“指标编号”列：不是本次考核的末级指标：Z9" in messages
    assert any(m.startswith("第6行“发现日期”列") for m in messages)
    assert "第7行“问题”列：与第2行重复" in messages
    assert not Finding.objects.exists()
    assert services.finding_import(user=people["office"], campaign=campaign, data=_xlsx([good])) == 1
    finding = Finding.objects.get()
    assert finding.source == Source.AUDIT and sorted(finding.indicators.values_list("code", flat=True)) == ["A1", "B1"]


def test_a_finding_opens_a_rectification_closed_by_signoff(finding, people, units):
    item = services.finding_open_rectification(user=people["office"], finding=finding, due_date=dt.date(2099, 3, 31))
    finding.refresh_from_db()
    assert finding.rectification == item and item.unit == units["C1"] and "豫法督" in item.detail
    with pytest.raises(ValidationError, match="已交办整改"):
        services.finding_open_rectification(user=people["office"], finding=finding, due_date=dt.date(2099, 3, 31))
    review_services.rectification_report(user=people["assessed"], rectification=item, text="已整改，公示已更新")
    review_services.rectification_signoff(user=people["office"], rectification=item, approve=True, note="销号")
    item.refresh_from_db()
    assert item.status == RectificationStatus.SIGNED_OFF


def test_scorers_see_findings_of_their_indicators_beside_the_cell(finding, campaign, people, units, client_for):
    score = assessment_services.score_save(user=people["assessing"], campaign=campaign,
                                           indicator=campaign.indicators.get(code="A1"), unit=units["C1"], value="20")
    page = client_for(people["assessing"]).get(reverse("assessment:score_detail", args=[campaign.pk, score.pk]))
    text = page.content.decode()
    assert 'id="findings-panel"' in text and "行政执法公示不及时" in text
    # D1 scores A1: the finding and its file; D2 does not (B1 only): 404
    assert client_for(people["assessing"]).get(reverse("findings:finding_evidence", args=[finding.pk])).status_code == 200
    d2 = people["assessing"].__class__.objects.create_user(username="d2", password="pw-Secret-1", role="assessing",
                                                           unit=units["D2"])
    assert client_for(d2).get(reverse("findings:finding_detail", args=[finding.pk])).status_code == 404
    assert client_for(d2).get(reverse("findings:finding_evidence", args=[finding.pk])).status_code == 404


def test_refusals(finding, campaign, people, client_for):
    for who in ("assessed", "public"):
        client = client_for(people[who])
        assert client.get(reverse("findings:finding_detail", args=[finding.pk])).status_code == 403
        assert client.get(reverse("findings:web_home")).status_code == 403
        assert client.get(reverse("findings:finding_evidence", args=[finding.pk])).status_code == 403
    for who in ("other_office", "city_office"):
        client = client_for(people[who])
        assert client.get(reverse("findings:finding_list", args=[campaign.pk])).status_code == 404
        assert client.get(reverse("findings:finding_detail", args=[finding.pk])).status_code == 404
    scorer = client_for(people["assessing"])
    assert scorer.get(reverse("findings:finding_list", args=[campaign.pk])).status_code == 403
    # a scorer reads the finding but may not change it
    assert scorer.post(reverse("findings:finding_detail", args=[finding.pk]),
                       {"op": "rectify", "due_date": "2099-01-01"}).status_code == 403
    assert client_for(None).get(reverse("findings:office_home")).status_code == 302


def test_office_pages_register_filter_and_import(campaign, people, client_for, units):
    client = client_for(people["office"])
    url = reverse("findings:finding_list", args=[campaign.pk])
    bad = client.post(url, {"unit": "C1", "source": "media", "problem": "", "found_on": "2025-06-01"})
    assert bad.status_code == 400 and "请填写问题" in bad.content.decode()
    ok = client.post(url, {"unit": "C2", "source": "media", "problem": "媒体报道窗口推诿",
                           "found_on": "2025-06-01", "indicators": [campaign.indicators.get(code="A1").pk]})
    assert ok.status_code == 302
    assert "媒体报道窗口推诿" in client.get(url + "?source=media").content.decode()
    assert "媒体报道窗口推诿" not in client.get(url + "?source=audit").content.decode()
    template = client.get(reverse("findings:finding_template", args=[campaign.pk]))
    assert template.status_code == 200 and template.content[:2] == b"PK"
    failed = client.post(reverse("findings:finding_import", args=[campaign.pk]),
                         {"file": SimpleUploadedFile("f.xlsx", _xlsx([{"unit": "ZZ", "source": "审计", "problem": "p",
                                                                        "found_on": "2025-01-01"}]))})
    assert failed.status_code == 400 and "第2行“单位编码”列" in failed.content.decode()


def test_web_records_by_the_scorer_of_a_web_indicator(campaign, people, units, client_for):
    client = client_for(people["assessing"])
    url = reverse("findings:web_list", args=[campaign.pk])
    w1 = campaign.indicators.get(code="W1")
    bad = client.post(url, {"unit": "C1", "indicator": w1.pk, "url": "javascript:alert(1)", "found_on": "2025-07-01",
                            "snapshot": SimpleUploadedFile("shot.png", b"\x89PNG\r\n\x1a\n....")})
    assert bad.status_code == 400 and "http://" in bad.content.decode()
    response = client.post(url, {"unit": "C1", "indicator": w1.pk, "url": "https://www.example.gov.cn/notice/1",
                                 "found_on": "2025-07-01", "notes": "政府信息公开目录未更新",
                                 "snapshot": SimpleUploadedFile("shot.png", b"\x89PNG\r\n\x1a\n....")})
    assert response.status_code == 302
    record = WebRecord.objects.get()
    assert record.created_by == people["assessing"] and record.snapshot_name == "shot.png"
    assert client.get(reverse("findings:web_snapshot", args=[record.pk])).status_code == 200
    # an indicator D1 does not score cannot be chosen (404), and D2 does not see D1's record
    b1 = campaign.indicators.get(code="B1")
    assert client.post(url, {"unit": "C1", "indicator": b1.pk}).status_code == 404
    d2 = people["assessing"].__class__.objects.create_user(username="d2", password="pw-Secret-1", role="assessing",
                                                           unit=units["D2"])
    assert client_for(d2).get(reverse("findings:web_snapshot", args=[record.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.web_record_create(user=d2, campaign=campaign, unit=units["C1"], indicator=w1,
                                   url="https://example.org", found_on=dt.date(2025, 7, 1),
                                   snapshot=SimpleUploadedFile("s.png", b"\x89PNG...."))


def test_home_cards(finding, people, client_for):
    assert reverse("findings:office_home") in client_for(people["office"]).get(reverse("home")).content.decode()
    assert reverse("findings:web_home") in client_for(people["assessing"]).get(reverse("home")).content.decode()
