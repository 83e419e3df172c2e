from __future__ import annotations

import pytest
from django.urls import reverse

from fazhi.assessment.models import Score
from fazhi.audit.models import AuditEvent
from fazhi.selfreport import services
from fazhi.selfreport.models import ReportStatus, SelfReport

from .conftest import pdf


def test_unit_fills_in_and_submits_through_the_pages(report, people, client_for):
    client = client_for(people["assessed"])
    page = client.get(reverse("selfreport:my_reports"))
    assert page.status_code == 200 and "学习宣传贯彻习近平法治思想" in page.content.decode()
    url = reverse("selfreport:report_detail", args=[report.pk])
    detail = client.get(url).content.decode()
    assert "年度学法计划" in detail and "缺少" in detail
    upload = reverse("selfreport:attachment_upload", args=[report.pk])
    for item in report.requirement.items.filter(required=True):
        assert client.post(upload, {"item": item.pk, "file": pdf(f"{item.title}.pdf")}).status_code == 302
    response = client.post(url, {"account": "按月学法", "submit": "1"}, follow=True)
    assert "已提交" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.attachments.count() == 2


def test_submit_with_missing_material_saves_and_says_what_is_missing(report, people, client_for):
    client = client_for(people["assessed"])
    response = client.post(reverse("selfreport:report_detail", args=[report.pk]),
                           {"account": "草稿", "submit": "1"}, follow=True)
    text = response.content.decode()
    assert "还不能提交" in text and "年度学法计划" in text
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.account == "草稿"


def test_a_bad_file_is_refused_with_its_name(report, people, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(people["assessed"])
    response = client.post(reverse("selfreport:attachment_upload", args=[report.pk]),
                           {"file": SimpleUploadedFile("记录.pdf", b"not a pdf at all")}, follow=True)
    assert "记录.pdf" in response.content.decode() and "不是有效的 PDF" in response.content.decode()
    assert not report.attachments.exists()


def test_a_unit_sees_only_its_own_reports(report, people, client_for, units):
    other = SelfReport.objects.get(indicator=report.indicator, unit=units["C2"])
    client = client_for(people["assessed"])
    assert client.get(reverse("selfreport:report_detail", args=[other.pk])).status_code == 404
    assert client.post(reverse("selfreport:attachment_upload", args=[other.pk]),
                       {"file": pdf()}).status_code == 404
    listing = client.get(reverse("selfreport:my_reports")).content.decode()
    assert listing.count("selfreport/reports/") == 1


def test_scorers_see_only_submitted_reports_on_cells_they_score(report, submitted, people, client_for, units):
    draft = SelfReport.objects.get(indicator=report.indicator, unit=units["C2"])
    services.report_save(user=people["assessed_c2"], report=draft, account="草稿中")
    assessing = client_for(people["assessing"])
    assert assessing.get(reverse("selfreport:assess", args=[submitted.pk])).status_code == 200
    assert assessing.get(reverse("selfreport:assess", args=[draft.pk])).status_code == 404
    listing = assessing.get(reverse("selfreport:review_list")).content.decode()
    assert "郑州市人民政府" in listing and "开封市人民政府" not in listing
    # D2 scores A2 only; the expert scores 集中评查 only
    for who in ("expert", "survey"):
        assert client_for(people[who]).get(reverse("selfreport:assess", args=[submitted.pk])).status_code == 404
    other_assessing = people["assessing"].__class__.objects.create_user(
        username="d2", password="pw-Secret-1", role="assessing", unit=units["D2"])
    assert client_for(other_assessing).get(reverse("selfreport:assess", args=[submitted.pk])).status_code == 404
    attachment = submitted.attachments.first()
    assert assessing.get(reverse("selfreport:attachment_download", args=[attachment.pk])).status_code == 200
    assert client_for(other_assessing).get(
        reverse("selfreport:attachment_download", args=[attachment.pk])).status_code == 404


def test_wrong_roles_are_refused(report, people, client_for):
    public = client_for(people["public"])
    for name, args in (("selfreport:my_reports", []), ("selfreport:review_list", []),
                       ("selfreport:office_home", []), ("selfreport:report_detail", [report.pk]),
                       ("selfreport:progress", [report.campaign_id])):
        assert public.get(reverse(name, args=args)).status_code == 403, name
    assert client_for(None).get(reverse("selfreport:my_reports")).status_code == 302  # to the login page
    assert client_for(people["assessed"]).get(reverse("selfreport:review_list")).status_code == 403
    assert client_for(people["assessing"]).get(reverse("selfreport:my_reports")).status_code == 403
    assert client_for(people["assessed"]).get(
        reverse("selfreport:progress", args=[report.campaign_id])).status_code == 403


def test_office_sees_its_subtree_only(report, people, client_for):
    campaign = report.campaign
    assert client_for(people["office"]).get(reverse("selfreport:progress", args=[campaign.pk])).status_code == 200
    for who in ("other_office", "city_office"):
        client = client_for(people[who])
        assert client.get(reverse("selfreport:progress", args=[campaign.pk])).status_code == 404
        assert client.get(reverse("selfreport:report_detail", args=[report.pk])).status_code == 404
        assert client.get(reverse("selfreport:requirements", args=[campaign.pk])).status_code == 404


def test_office_sets_the_material_list_and_publishes(campaign, people, client_for, units):
    indicator = campaign.indicators.get(code="A2")
    client = client_for(people["office"])
    url = reverse("selfreport:requirement_edit", args=[campaign.pk, indicator.pk])
    bad = client.post(url, {"required_items": "计划\n计划", "working_days": "abc"})
    assert bad.status_code == 400 and "1–60" in bad.content.decode()
    response = client.post(url, {"instructions": "说明", "required_items": "决策目录\n审查意见", "optional_items": "照片",
                                 "working_days": "10", "publish": "1"}, follow=True)
    assert "已发布，为 2 个考核对象开启填报" in response.content.decode()
    assert SelfReport.objects.filter(indicator=indicator).count() == 2
    assert list(indicator.requirement.items.values_list("title", "required")) == [
        ("决策目录", True), ("审查意见", True), ("照片", False)]


def test_progress_pages_sort_and_page_in_the_database(submitted, people, client_for, django_assert_max_num_queries):
    client = client_for(people["office"])
    url = reverse("selfreport:progress", args=[submitted.campaign_id])
    with django_assert_max_num_queries(12):
        text = client.get(url + "?by=unit&sort=-missing").content.decode()
    assert text.index("开封市人民政府") < text.index("郑州市人民政府")
    text = client.get(url + "?by=indicator").content.decode()
    assert "A1" in text
    listing = client.get(reverse("selfreport:report_list", args=[submitted.campaign_id]) + "?missing=1")
    assert "开封市人民政府" in listing.content.decode() and "郑州市人民政府" not in listing.content.decode()


def test_assessor_scores_through_the_assessment_service_and_returns(submitted, people, client_for):
    client = client_for(people["assessing"])
    url = reverse("selfreport:assess", args=[submitted.pk])
    refused = client.post(url, {"op": "score", "value": "30", "score_reason": "", "version": "0"})
    assert refused.status_code == 400 and "未得满分时必须填写评分理由" in refused.content.decode()
    client.post(url, {"op": "score", "value": "36", "score_reason": "缺少二季度记录", "version": "0"})
    score = Score.objects.get(indicator=submitted.indicator, unit=submitted.unit)
    assert str(score.value) == "36.00" and score.scored_by == people["assessing"]
    assert AuditEvent.objects.filter(action="assessment.score_save", target_id=str(score.pk)).exists()
    bad = client.post(url, {"op": "return", "reason": ""})
    assert bad.status_code == 400 and "请说明需要补充什么材料" in bad.content.decode()
    records = submitted.requirement.items.get(title="学法记录")
    client.post(url, {"op": "return", "reason": "请补充二季度记录", "items": [str(records.pk)]})
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.RETURNED and list(submitted.requested_items.all()) == [records]
    page = client_for(people["assessed"]).get(reverse("selfreport:report_detail", args=[submitted.pk]))
    assert "请补充二季度记录" in page.content.decode() and "要求补充" in page.content.decode()


def test_the_scoring_page_of_the_cell_shows_the_account(submitted, people, client_for, campaign):
    from fazhi.assessment import services as assessment_services

    score = assessment_services.score_save(user=people["assessing"], campaign=campaign,
                                           indicator=submitted.indicator, unit=submitted.unit, value="40")
    client = client_for(people["assessing"])
    page = client.get(reverse("assessment:score_detail", args=[campaign.pk, score.pk])).content.decode()
    assert 'id="selfreport-panel"' in page and "已制定年度学法计划" in page and "年度学法计划.pdf" in page


@pytest.mark.parametrize("role", ["assessed", "assessing", "office"])
def test_home_has_one_click_cards(role, submitted, people, client_for):
    page = client_for(people[role]).get(reverse("home")).content.decode()
    target = {"assessed": "selfreport:my_reports", "assessing": "selfreport:review_list"}.get(role)
    expected = reverse(target) if target else reverse("selfreport:progress", args=[submitted.campaign_id])
    assert f'href="{expected}"' in page
