"""Campaign status has one owner per step (task: assessment opens/closes scoring and computes; the reviews app
submits, approves, publishes and returns), freezing, and the campaign page's buttons."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fazhi.assessment import services
from fazhi.assessment.models import Campaign, CampaignStatus, Score, ScoreStatus
from fazhi.reviews import services as review_services
from fazhi.reviews.models import Feedback, FeedbackStatus, ReviewRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(scored, people):
    services.campaign_compute(user=people["office"], campaign=scored)
    scored.refresh_from_db()
    return scored


@pytest.mark.parametrize("start,target", [
    (CampaignStatus.COMPUTED, CampaignStatus.SUBMITTED),
    (CampaignStatus.SUBMITTED, CampaignStatus.APPROVED),
    (CampaignStatus.APPROVED, CampaignStatus.PUBLISHED),
    (CampaignStatus.SUBMITTED, CampaignStatus.COMPUTED),
    (CampaignStatus.SCORING, CampaignStatus.COMPUTED),
])
def test_set_status_refuses_the_reviews_transitions(computed, people, start, target):
    Campaign.objects.filter(pk=computed.pk).update(status=start)
    with pytest.raises(ValidationError):
        services.campaign_set_status(user=people["office"], campaign=computed, status=target)
    assert Campaign.objects.get(pk=computed.pk).status == start


def test_set_status_refuses_unknown_status(campaign, people):
    with pytest.raises(ValidationError, match="未知"):
        services.campaign_set_status(user=people["office"], campaign=campaign, status="nonsense")


def test_publication_goes_through_reviews_and_waits_for_open_re_reviews(computed, people, units):
    a1 = computed.indicators.get(code="A1")
    feedback = review_services.feedback_send(user=people["office"], campaign=computed, unit=units["C1"],
                                             indicator=a1, text="请核实")
    review_services.review_request(user=people["assessed"], feedback=feedback, text="不同意")
    with pytest.raises(ValidationError, match="复核"):
        review_services.campaign_transition(user=people["office"], campaign=computed, action="submit")
    # the old back door through the assessment app is closed too
    with pytest.raises(ValidationError):
        services.campaign_set_status(user=people["office"], campaign=computed, status=CampaignStatus.SUBMITTED)
    review = ReviewRequest.objects.get()
    review_services.review_decide(user=people["office"], review=review, outcome="upheld", reason="维持")
    assert Feedback.objects.get().status == FeedbackStatus.DECIDED
    for action in ("submit", "approve", "publish"):
        review_services.campaign_transition(user=people["office"], campaign=computed, action=action)
    assert Campaign.objects.get(pk=computed.pk).status == CampaignStatus.PUBLISHED


def test_frozen_stops_scores_and_adjustments_but_not_approval(computed, people, units):
    review_services.campaign_freeze(user=people["office"], campaign=computed)
    computed.refresh_from_db()
    assert computed.frozen
    with pytest.raises(ValidationError, match="冻结"):
        services.campaign_set_status(user=people["office"], campaign=computed, status=CampaignStatus.SCORING)
    with pytest.raises(ValidationError, match="冻结"):
        services.campaign_compute(user=people["office"], campaign=computed)
    with pytest.raises(ValidationError, match="冻结"):
        services.adjustment_create(user=people["office"], campaign=computed, unit=units["C1"], kind="bonus",
                                   points="1", reason="r", source="s")
    with pytest.raises(ValidationError):
        services.campaign_update_settings(user=people["office"], campaign=computed, excellent_min=95)
    for action in ("submit", "approve", "publish"):
        review_services.campaign_transition(user=people["office"], campaign=computed, action=action)
    assert Campaign.objects.get(pk=computed.pk).status == CampaignStatus.PUBLISHED


def test_freeze_refused_before_results(scoring, people):
    with pytest.raises(ValidationError, match="计算结果后"):
        review_services.campaign_freeze(user=people["office"], campaign=scoring)


def test_settings_refused_once_submitted(computed, people):
    review_services.campaign_transition(user=people["office"], campaign=computed, action="submit")
    with pytest.raises(ValidationError):
        services.campaign_update_settings(user=people["office"], campaign=Campaign.objects.get(pk=computed.pk),
                                          excellent_min=95)


def _buttons(client, campaign) -> str:
    html = client.get(reverse("assessment:campaign_detail", args=[campaign.pk])).content.decode()
    return html[html.index('id="campaign-actions"'):html.index("</div>", html.index('id="campaign-actions"'))]


def test_campaign_page_buttons_follow_the_status(campaign, people, client_for):
    client = client_for(people["office"])
    draft = _buttons(client, campaign)
    assert "开始评分" in draft and "报请审定" not in draft and "冻结考核" not in draft
    services.campaign_set_status(user=people["office"], campaign=campaign, status=CampaignStatus.SCORING)
    scoring = _buttons(client, campaign)
    assert "计算结果" in scoring and "退回草稿" in scoring and "报请审定" not in scoring
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.COMPUTED)
    computed = _buttons(client, campaign)
    assert "报请审定" in computed and "重新开放评分" in computed and "冻结考核" in computed
    assert reverse("reviews:campaign_action", args=[campaign.pk]) in computed
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.SUBMITTED)
    submitted = _buttons(client, campaign)
    assert "审定通过" in submitted and 'value="return"' in submitted and "计算结果" not in submitted
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.APPROVED, frozen=True)
    approved = _buttons(client, campaign)
    assert "公布结果" in approved and "冻结考核" not in approved
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.PUBLISHED)
    assert "当前状态没有可办理的操作" in _buttons(client, campaign)


def test_campaign_page_posts_to_reviews_and_shows_refusal(computed, people, units, client_for):
    a1 = computed.indicators.get(code="A1")
    feedback = review_services.feedback_send(user=people["office"], campaign=computed, unit=units["C1"],
                                             indicator=a1, text="请核实")
    review_services.review_request(user=people["assessed"], feedback=feedback, text="不同意")
    client = client_for(people["office"])
    here = reverse("assessment:campaign_detail", args=[computed.pk])
    response = client.post(reverse("reviews:campaign_action", args=[computed.pk]),
                           {"action": "submit", "next": here}, follow=True)
    assert response.redirect_chain[-1][0] == here
    assert "复核申请未决定" in response.content.decode()
    assert Campaign.objects.get(pk=computed.pk).status == CampaignStatus.COMPUTED
    # an outside ``next`` is ignored
    response = client.post(reverse("reviews:campaign_action", args=[computed.pk]),
                           {"action": "submit", "next": "https://evil.example/"})
    assert response["Location"] == reverse("reviews:campaign_detail", args=[computed.pk])


def test_campaign_page_submit_then_return_with_reason(computed, people, client_for):
    client = client_for(people["office"])
    here = reverse("assessment:campaign_detail", args=[computed.pk])
    action = reverse("reviews:campaign_action", args=[computed.pk])
    client.post(action, {"action": "submit", "next": here})
    assert Campaign.objects.get(pk=computed.pk).status == CampaignStatus.SUBMITTED
    refused = client.post(action, {"action": "return", "next": here}, follow=True)
    assert "退回必须说明理由" in refused.content.decode()
    client.post(action, {"action": "return", "reason": "数据需复查", "next": here})
    assert Campaign.objects.get(pk=computed.pk).status == CampaignStatus.COMPUTED


def test_freeze_button_on_campaign_page(computed, people, client_for):
    client = client_for(people["office"])
    here = reverse("assessment:campaign_detail", args=[computed.pk])
    response = client.post(reverse("reviews:campaign_action", args=[computed.pk]),
                           {"action": "freeze", "next": here}, follow=True)
    assert "考核已冻结" in response.content.decode()
    assert Campaign.objects.get(pk=computed.pk).frozen
    for who in ("assessing", "assessed", "public"):
        assert client_for(people[who]).post(reverse("reviews:campaign_action", args=[computed.pk]),
                                            {"action": "freeze"}).status_code == 403
    assert client_for(people["city_office"]).post(reverse("reviews:campaign_action", args=[computed.pk]),
                                                  {"action": "freeze"}).status_code == 404


def test_old_status_view_cannot_publish(computed, people, client_for):
    client = client_for(people["office"])
    response = client.post(reverse("assessment:campaign_status", args=[computed.pk]),
                           {"status": CampaignStatus.SUBMITTED}, follow=True)
    assert "反馈与结果运用" in response.content.decode()
    assert Campaign.objects.get(pk=computed.pk).status == CampaignStatus.COMPUTED


def test_score_reopen_service_rules(scored, people, units):
    score = Score.objects.filter(campaign=scored, status=ScoreStatus.SUBMITTED).first()
    with pytest.raises(ValidationError, match="退回理由"):
        services.score_reopen(user=people["office"], score=score, reason="  ")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.score_reopen(user=people["city_office"], score=score, reason="x")
    services.score_reopen(user=people["office"], score=score, reason="理由不充分")
    score.refresh_from_db()
    assert score.status == ScoreStatus.DRAFT
    with pytest.raises(ValidationError, match="尚未提交"):
        services.score_reopen(user=people["office"], score=score, reason="again")
    # a computed campaign refuses reopening (reopen scoring first)
    Campaign.objects.filter(pk=scored.pk).update(status=CampaignStatus.COMPUTED)
    other = Score.objects.filter(campaign=scored, status=ScoreStatus.SUBMITTED).first()
    with pytest.raises(ValidationError, match="评分中"):
        services.score_reopen(user=people["office"], score=other, reason="x")
