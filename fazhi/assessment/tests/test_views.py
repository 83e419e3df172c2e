from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from fazhi.assessment import services
from fazhi.assessment.models import Result, Score, ScoreStatus

pytestmark = pytest.mark.django_db

OFFICE_PAGES = ["campaign_detail", "campaign_settings", "indicator_tree", "indicator_export", "adjustments",
                "results", "results_export", "progress"]
SCORING_PAGES = ["worklist", "score_batch_export"]


@pytest.mark.parametrize("name", OFFICE_PAGES)
def test_office_pages_ok_for_office(name, client_for, people, scored):
    response = client_for(people["office"]).get(reverse(f"assessment:{name}", args=[scored.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("name", OFFICE_PAGES)
@pytest.mark.parametrize("who", ["city_office", "other_office"])
def test_office_pages_404_for_other_levels(name, who, client_for, people, scored):
    """分级考核: the city office and another province's office cannot see the province's campaign."""
    response = client_for(people[who]).get(reverse(f"assessment:{name}", args=[scored.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("name", OFFICE_PAGES)
@pytest.mark.parametrize("who", ["assessing", "assessed", "expert", "public"])
def test_office_pages_403_for_other_roles(name, who, client_for, people, scored):
    response = client_for(people[who]).get(reverse(f"assessment:{name}", args=[scored.pk]))
    assert response.status_code == 403


def test_anonymous_redirected_to_login(client, scored):
    response = client.get(reverse("assessment:results", args=[scored.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("name", SCORING_PAGES)
def test_scoring_pages(name, client_for, people, scoring, make_user, units):
    assert client_for(people["assessing"]).get(reverse(f"assessment:{name}", args=[scoring.pk])).status_code == 200
    for who in ("office", "assessed", "public"):
        assert client_for(people[who]).get(reverse(f"assessment:{name}", args=[scoring.pk])).status_code == 403
    stranger = make_user("assessing_x", "assessing", units["X1"])  # scores nothing in this campaign
    assert client_for(stranger).get(reverse(f"assessment:{name}", args=[scoring.pk])).status_code == 404


def test_worklist_shows_only_own_cells(client_for, people, scoring):
    html = client_for(people["assessing"]).get(reverse("assessment:worklist", args=[scoring.pk])).content.decode()
    assert "学习宣传贯彻习近平法治思想" in html and "行政执法规范化" in html
    assert "落实决策部署" not in html  # A2 is scored by D2
    assert html.count('class="score-row"') == 7


def test_draft_campaign_hidden_from_assessing(client_for, people, campaign):
    response = client_for(people["assessing"]).get(reverse("assessment:worklist", args=[campaign.pk]))
    assert response.status_code == 404


def test_inline_save_htmx_and_conflict(client_for, people, scoring, units):
    client = client_for(people["assessing"])
    a1 = scoring.indicators.get(code="A1")
    url = reverse("assessment:score_save", args=[scoring.pk])
    data = {"indicator": a1.pk, "unit": units["C1"].pk, "version": 0, "value": "38", "reason": "学习不够深入"}
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "已保存" in response.content.decode()
    assert Score.objects.get(indicator=a1, unit=units["C1"]).value == Decimal(38)
    stale = client.post(url, {**data, "value": "20"}, HTTP_HX_REQUEST="true")  # still version 0
    assert response["X-Fazhi-Status"] == "200" and stale["X-Fazhi-Status"] == "409"
    assert "未保存" in stale.content.decode()
    assert Score.objects.get(indicator=a1, unit=units["C1"]).value == Decimal(38)
    plain = client.post(url, {**data, "value": "20"})
    assert plain.status_code == 409


def test_save_other_assessors_indicator_is_404(client_for, people, scoring, units):
    a2 = scoring.indicators.get(code="A2")
    response = client_for(people["assessing"]).post(
        reverse("assessment:score_save", args=[scoring.pk]),
        {"indicator": a2.pk, "unit": units["C1"].pk, "version": 0, "value": "30", "reason": "x"})
    assert response.status_code == 404
    assert not Score.objects.exists()


def test_submit_view(client_for, people, scoring, units):
    services.score_save(user=people["assessing"], campaign=scoring, indicator=scoring.indicators.get(code="A1"),
                        unit=units["C1"], value="40", expected_version=0)
    client = client_for(people["assessing"])
    url = reverse("assessment:scores_submit", args=[scoring.pk])
    preview = client.post(url)  # the consequences first: nothing submitted yet
    html = preview.content.decode()
    assert preview.status_code == 200 and "将提交 1 项评分" in html
    assert Score.objects.get().status == ScoreStatus.DRAFT
    token = re.search(r'name="confirmation" value="([^"]+)"', html).group(1)
    # a forged confirmation is refused and audited
    assert client.post(url, {"confirmation": "forged-token-123"}).status_code == 302
    assert Score.objects.get().status == ScoreStatus.DRAFT
    from fazhi.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="confirmation.refused").count() == 1
    response = client.post(url, {"confirmation": token})
    assert response.status_code == 302
    assert Score.objects.get().status == ScoreStatus.SUBMITTED
    client.post(url, {"confirmation": token})  # replayed: refused (numbers changed, token used), audited
    assert AuditEvent.objects.filter(action="confirmation.refused").count() == 2


def test_compute_and_results_pages(client_for, people, scored):
    client = client_for(people["office"])
    response = client.post(reverse("assessment:campaign_compute", args=[scored.pk]))
    assert response.status_code == 302 and Result.objects.count() == 4
    html = client.get(reverse("assessment:results", args=[scored.pk]) + "?category=1&sort=name").content.decode()
    assert "郑州市人民政府" in html and "排名" in html
    html = client.get(reverse("assessment:results", args=[scored.pk]) + "?category=2").content.decode()
    assert "只评定等次" in html and "排名</a>" not in html
    detail = client.get(reverse("assessment:result_detail", args=[scored.pk, "C1"])).content.decode()
    assert "郑州市公安局" in detail and "assessing" in detail  # sub-unit scores and who scored them
    assert client_for(people["city_office"]).get(
        reverse("assessment:result_detail", args=[scored.pk, "C1"])).status_code == 404


def test_compute_error_shown(client_for, people, scored, units):
    Score.objects.filter(indicator__code="A2", unit=units["C2"]).delete()
    client = client_for(people["office"])
    response = client.post(reverse("assessment:campaign_compute", args=[scored.pk]), follow=True)
    assert "无法计算" in response.content.decode() and "开封市人民政府" in response.content.decode()


def test_compute_post_refused_for_other_office(client_for, people, scored):
    assert client_for(people["other_office"]).post(
        reverse("assessment:campaign_compute", args=[scored.pk])).status_code == 404
    assert client_for(people["assessing"]).post(
        reverse("assessment:campaign_compute", args=[scored.pk])).status_code == 403


def test_create_campaign_via_page(client_for, people, campaign):
    response = client_for(people["office"]).post(reverse("assessment:campaign_list"),
                                                 {"year": 2026, "copy_previous": "on"})
    assert response.status_code == 302
    assert campaign.owner.campaigns.get(year=2026).indicators.count() == 5


def test_indicator_import_page_errors(client_for, people, campaign):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for(people["office"]).post(
        reverse("assessment:indicator_import", args=[campaign.pk]),
        {"file": SimpleUploadedFile("x.xlsx", b"not excel")})
    assert response.status_code == 400 and "Excel" in response.content.decode()


def test_adjustment_page(client_for, people, scoring):
    client = client_for(people["office"])
    response = client.post(reverse("assessment:adjustments", args=[scoring.pk]), {
        "unit": "C1", "kind": "deduction", "points": "12", "reason": "重大舆情", "source": "媒体", "exceed_cap": "on"})
    assert response.status_code == 400 and "理由" in response.content.decode()
    response = client.post(reverse("assessment:adjustments", args=[scoring.pk]), {
        "unit": "C1", "kind": "deduction", "points": "12", "reason": "重大舆情", "source": "媒体", "exceed_cap": "on",
        "exceed_reason": "考核办会议决定"})
    assert response.status_code == 302


def test_navigation_entries(client_for, people, scoring):
    assert reverse("assessment:campaign_list") in client_for(people["office"]).get("/home/").content.decode()
    html = client_for(people["assessing"]).get("/home/").content.decode()
    assert reverse("assessment:scoring_home") in html and reverse("assessment:campaign_list") not in html


def test_settings_post(client_for, people, campaign):
    response = client_for(people["office"]).post(reverse("assessment:campaign_settings", args=[campaign.pk]), {
        "name": "2025年度考核", "excellent_min": "92", "good_min": "80", "pass_min": "60", "bonus_cap": "5",
        "deduction_cap": "10", "excellent_quota": "0.3", "ranked_categories": ["1", "4"], "warning_rank_drop": "3"})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.excellent_min == Decimal(92) and campaign.ranked_categories == [1, 4]
    bad = client_for(people["office"]).post(reverse("assessment:campaign_settings", args=[campaign.pk]), {
        "name": "x", "excellent_min": "70", "good_min": "80", "pass_min": "60", "bonus_cap": "5",
        "deduction_cap": "10", "warning_rank_drop": "3"})
    assert bad.status_code == 400


def test_score_detail_and_evidence_upload(client_for, people, scoring, units, make_user, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    score = services.score_save(user=people["assessing"], campaign=scoring,
                                indicator=scoring.indicators.get(code="A1"), unit=units["C1"], value="40",
                                expected_version=0)
    url = reverse("assessment:score_detail", args=[scoring.pk, score.pk])
    client = client_for(people["assessing"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4", "application/pdf")})
    assert response.status_code == 302 and score.evidence.count() == 1
    response = client.post(url, {"file": SimpleUploadedFile("a.exe", b"MZ", "application/octet-stream")})
    assert response.status_code == 400 and score.evidence.count() == 1
    other = make_user("assessing_d2", "assessing", units["D2"])  # scores A2, not A1
    assert client_for(other).get(url).status_code == 404
