"""The office's pages for 指标增减 per unit, assessed units of a draft campaign, and sending a score back."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fazhi.assessment import selectors, services
from fazhi.assessment.models import CampaignUnit, IndicatorOverride, OverrideAction, Score, ScoreStatus
from fazhi.audit.models import AuditEvent
from fazhi.testing.lifecycle import take

pytestmark = pytest.mark.django_db


# --- 增减 ---------------------------------------------------------------------------------------------------------

def test_override_add_and_remove_with_reason(campaign, people, units):
    b1 = campaign.indicators.get(code="B1")  # category 1 only, 20 points
    a1 = campaign.indicators.get(code="A1")
    added = services.indicator_override_set(user=people["office"], indicator=b1, unit=units["D1"],
                                            action=OverrideAction.ADD, reason="省司法厅承担行政执法监督")
    assert added.reason == "省司法厅承担行政执法监督"
    services.indicator_override_set(user=people["office"], indicator=a1, unit=units["C2"],
                                    action=OverrideAction.REMOVE, reason="开封市本年度不承担此项")
    cells = {(c.indicator.code, c.unit.code) for c in selectors.campaign_cells(campaign)}
    assert ("B1", "D1") in cells and ("A1", "C2") not in cells
    from fazhi.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="assessment.indicator_override", reason="开封市本年度不承担此项").exists()
    services.indicator_override_delete(user=people["office"], override=added, reason="撤销")
    assert not IndicatorOverride.objects.filter(pk=added.pk).exists()


@pytest.mark.parametrize("code,unit,action,message", [
    ("A1", "C1", OverrideAction.ADD, "无需增加"),       # already covered by category 1
    ("B1", "D1", OverrideAction.REMOVE, "无需减少"),    # category 4 is not covered
    ("B1", "X1", OverrideAction.ADD, "不是本年度考核"),  # not an assessed unit
])
def test_override_refusals(campaign, people, units, code, unit, action, message):
    with pytest.raises(ValidationError, match=message):
        services.indicator_override_set(user=people["office"], indicator=campaign.indicators.get(code=code),
                                        unit=units[unit], action=action, reason="理由")
    assert not IndicatorOverride.objects.exists()


def test_override_needs_reason_draft_and_100_points(campaign, people, units):
    b1 = campaign.indicators.get(code="B1")
    with pytest.raises(ValidationError, match="增减理由"):
        services.indicator_override_set(user=people["office"], indicator=b1, unit=units["D1"], action="add",
                                        reason=" ")
    b1.points = 30  # D1 (category 4) has 80 points: +30 would be 110
    b1.save()
    with pytest.raises(ValidationError, match="超过 100 分"):
        services.indicator_override_set(user=people["office"], indicator=b1, unit=units["D1"], action="add",
                                        reason="理由")
    with pytest.raises(PermissionDenied):
        services.indicator_override_set(user=people["city_office"], indicator=b1, unit=units["D1"],
                                        action="add", reason="理由")
    take(user=people["office"], campaign=campaign, action="start_scoring")
    campaign.refresh_from_db()
    with pytest.raises(ValidationError, match="草稿"):
        services.indicator_override_set(user=people["office"], indicator=campaign.indicators.get(code="A1"),
                                        unit=units["C2"], action="remove", reason="理由")


def test_override_page(campaign, people, units, client_for):
    b1 = campaign.indicators.get(code="B1")
    url = reverse("assessment:indicator_overrides", args=[campaign.pk, b1.pk])
    client = client_for(people["office"])
    page = client.get(url)
    assert page.status_code == 200 and "省司法厅" in page.content.decode()
    tree = client.get(reverse("assessment:indicator_tree", args=[campaign.pk])).content.decode()
    assert url in tree
    refused = client.post(url, {"op": "set", "unit": "D1", "action": "add", "reason": ""})
    assert refused.status_code == 400 and "请填写增减理由" in refused.content.decode()
    assert client.post(url, {"op": "set", "unit": "D1", "action": "add", "reason": "承担执法监督"}).status_code == 302
    override = IndicatorOverride.objects.get()
    assert "承担执法监督" in client.get(url).content.decode()
    assert client.post(url, {"op": "delete", "pk": override.pk}).status_code == 302
    assert not IndicatorOverride.objects.exists()
    for who in ("assessing", "assessed", "expert", "public"):
        assert client_for(people[who]).get(url).status_code == 403
    for who in ("city_office", "other_office"):
        assert client_for(people[who]).get(url).status_code == 404
    heading = campaign.indicators.get(code="H1")
    assert client.get(reverse("assessment:indicator_overrides", args=[campaign.pk, heading.pk])).status_code == 404


# --- assessed units ----------------------------------------------------------------------------------------------

def test_campaign_units_add_and_remove_while_draft(campaign, people, units, subunits, client_for):
    client = client_for(people["office"])
    detail = reverse("assessment:campaign_detail", args=[campaign.pk])
    assert "增加考核对象" in client.get(detail).content.decode()
    response = client.post(reverse("assessment:campaign_unit_add", args=[campaign.pk]),
                           {"code": "C1-D1", "category": "4", "reason": "纳入省级考核"}, follow=True)
    assert "已将 郑州市司法局 加入考核对象" in response.content.decode()
    assert CampaignUnit.objects.get(campaign=campaign, unit=units["C1-D1"]).category == 4
    again = client.post(reverse("assessment:campaign_unit_add", args=[campaign.pk]), {"code": "C1-D1"}, follow=True)
    assert "已是本年度考核的考核对象" in again.content.decode()
    outside = client.post(reverse("assessment:campaign_unit_add", args=[campaign.pk]), {"code": "P2-OFFICE"},
                          follow=True)
    assert "找不到编码" in outside.content.decode()
    no_category = client.post(reverse("assessment:campaign_unit_add", args=[campaign.pk]), {"code": "X1"},
                              follow=True)
    assert "考核类别" in no_category.content.decode()
    services.indicator_override_set(user=people["office"], indicator=campaign.indicators.get(code="B1"),
                                    unit=units["C1-D1"], action="add", reason="理由")
    url = reverse("assessment:campaign_unit_remove", args=[campaign.pk, "C1-D1"])
    preview = client.post(url, {"reason": "不再考核"}).content.decode()  # the consequences first, nothing removed yet
    assert "将把“郑州市司法局”（第 4 类）移出本年度考核" in preview and "1 项指标增减将一并删除" in preview
    assert CampaignUnit.objects.filter(campaign=campaign, unit=units["C1-D1"]).exists()
    token = re.search(r'name="confirmation" value="([^"]+)"', preview).group(1)
    forged = client.post(url, {"reason": "不再考核", "confirmation": "forged"}, follow=True).content.decode()
    assert "确认无效" in forged
    assert CampaignUnit.objects.filter(campaign=campaign, unit=units["C1-D1"]).exists()
    assert AuditEvent.objects.filter(action="confirmation.refused", target_id=str(campaign.pk)).exists()
    client.post(url, {"reason": "不再考核", "confirmation": token})
    assert not CampaignUnit.objects.filter(campaign=campaign, unit=units["C1-D1"]).exists()
    assert AuditEvent.objects.get(action="assessment.campaign_unit_remove", target_id=str(campaign.pk)).reason == "不再考核"
    assert not IndicatorOverride.objects.filter(unit=units["C1-D1"]).exists()


def test_campaign_units_refused_after_scoring_started_and_for_others(scoring, people, units, client_for):
    with pytest.raises(ValidationError, match="草稿"):
        services.campaign_unit_remove(user=people["office"], campaign=scoring, unit=units["C2"])
    with pytest.raises(ValidationError, match="草稿"):
        services.campaign_unit_add(user=people["office"], campaign=scoring, unit=units["X1"], category=7)
    client = client_for(people["office"])
    response = client.post(reverse("assessment:campaign_unit_remove", args=[scoring.pk, "C2"]), follow=True)
    assert "只有草稿状态的考核可以调整考核对象" in response.content.decode()
    assert "增加考核对象" not in client.get(reverse("assessment:campaign_detail", args=[scoring.pk])).content.decode()
    url = reverse("assessment:campaign_unit_remove", args=[scoring.pk, "C2"])
    for who in ("assessing", "assessed", "public"):
        assert client_for(people[who]).post(url).status_code == 403
    assert client_for(people["city_office"]).post(url).status_code == 404
    assert CampaignUnit.objects.filter(campaign=scoring, unit=units["C2"]).exists()


# --- sending a score back ------------------------------------------------------------------------------------------

def test_office_sends_submitted_score_back_with_reason(scored, people, units, client_for):
    score = Score.objects.get(campaign=scored, indicator__code="A1", unit=units["C2"])
    client = client_for(people["office"])
    detail = reverse("assessment:result_detail", args=[scored.pk, "C2"])
    url = reverse("assessment:score_reopen", args=[scored.pk, score.pk])
    assert url in client.get(detail).content.decode()
    refused = client.post(url, {"reason": ""}, follow=True)
    assert "请填写退回理由" in refused.content.decode()
    assert Score.objects.get(pk=score.pk).status == ScoreStatus.SUBMITTED
    done = client.post(url, {"reason": "扣分理由不充分，请补充"}, follow=True)
    assert done.redirect_chain[-1][0] == detail and "已退回" in done.content.decode()
    score.refresh_from_db()
    assert score.status == ScoreStatus.DRAFT
    # the assessing unit can edit it again
    services.score_save(user=people["assessing"], campaign=scored, indicator=score.indicator, unit=units["C2"],
                        value="32", reason="补充理由", expected_version=score.version)
    for who in ("assessing", "assessed", "public"):
        assert client_for(people[who]).post(url, {"reason": "x"}).status_code == 403
    assert client_for(people["other_office"]).post(url, {"reason": "x"}).status_code == 404
