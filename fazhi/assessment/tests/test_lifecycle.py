"""The campaign's one lifecycle (``fazhi.assessment.lifecycle``): the transitions table tested exhaustively
(every status × every action, frozen or not), one audit row per step, refusals audited with nothing changed,
the guards other apps register, and the campaign page's buttons."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from fazhi.assessment import lifecycle, services
from fazhi.assessment.models import Campaign, CampaignStatus, Result, Score, ScoreStatus
from fazhi.audit.models import AuditEvent
from fazhi.reviews import services as review_services
from fazhi.reviews.models import Feedback, FeedbackStatus, ReviewRequest
from fazhi.testing.lifecycle import take

pytestmark = pytest.mark.django_db

S = CampaignStatus
ACTIONS = ["start_scoring", "back_to_draft", "compute", "reopen_scoring", "open_feedback", "submit", "return",
           "approve", "publish", "notify", "freeze"]

#: (status, action) -> status after the step, written out by hand (not derived from ``STEPS``)
ALLOWED = {
    (S.DRAFT, "start_scoring"): S.SCORING,
    (S.SCORING, "back_to_draft"): S.DRAFT,
    (S.SCORING, "compute"): S.COMPUTED,
    (S.COMPUTED, "compute"): S.COMPUTED,
    (S.FEEDBACK, "compute"): S.FEEDBACK,
    (S.COMPUTED, "reopen_scoring"): S.SCORING,
    (S.FEEDBACK, "reopen_scoring"): S.SCORING,
    (S.COMPUTED, "open_feedback"): S.FEEDBACK,
    (S.COMPUTED, "submit"): S.SUBMITTED,
    (S.FEEDBACK, "submit"): S.SUBMITTED,
    (S.SUBMITTED, "return"): S.COMPUTED,
    (S.SUBMITTED, "approve"): S.APPROVED,
    (S.APPROVED, "publish"): S.PUBLISHED,
    (S.APPROVED, "notify"): S.NOTIFIED,  # 通报: the other publication level (``disclosure``)
    (S.COMPUTED, "freeze"): S.COMPUTED,
    (S.FEEDBACK, "freeze"): S.FEEDBACK,
    (S.SUBMITTED, "freeze"): S.SUBMITTED,
    (S.APPROVED, "freeze"): S.APPROVED,
}
#: what a frozen campaign still allows: approval and publication go on, nothing that changes scores
ALLOWED_FROZEN = {key: value for key, value in ALLOWED.items() if key[1] in ("submit", "return", "approve", "publish",
                                                                           "notify")}


@pytest.fixture
def computed(scored, people):
    services.campaign_compute(user=people["office"], campaign=scored)
    scored.refresh_from_db()
    return scored


def _take(people, campaign, action, **kwargs):
    """Take ``action`` as the person it belongs to (the approver approves and returns, the office the rest)."""
    step = lifecycle.STEPS.get(action)
    user = people["approver"] if step and step.who == lifecycle.APPROVER else people["office"]
    kwargs.setdefault("document_number", "豫法治委〔2026〕1号")
    kwargs.setdefault("decided_on", timezone.localdate())
    return take(user=user, campaign=campaign, action=action, **kwargs)


def _events(campaign, action):
    return AuditEvent.objects.filter(action=action, target_id=str(campaign.pk)).count()


def test_the_table_is_the_one_written_here():
    table = {(source, step.action): target for step in lifecycle.STEPS.values() for source, target in step.moves.items()}
    assert table == ALLOWED
    assert sorted(lifecycle.STEPS) == sorted(ACTIONS)


@pytest.mark.parametrize("frozen", [False, True], ids=["open", "frozen"])
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("status", list(S.values))
def test_every_status_times_every_action(computed, people, status, action, frozen):
    if action == "back_to_draft":
        Score.objects.filter(campaign=computed).delete()  # the guard "no scores yet" is tested below
    Campaign.objects.filter(pk=computed.pk).update(status=status, frozen=frozen)
    campaign = Campaign.objects.get(pk=computed.pk)
    expected = (ALLOWED_FROZEN if frozen else ALLOWED).get((status, action))
    refused_before = _events(campaign, "campaign.refused")
    steps_before = _events(campaign, f"campaign.{action}")  # the fixture took some steps already
    if expected is None:
        with pytest.raises(ValidationError) as exc:
            _take(people, campaign, action, reason="理由")
        message = "；".join(exc.value.messages)
        assert "不能" in message or "已冻结" in message, message
        after = Campaign.objects.get(pk=campaign.pk)
        assert (after.status, after.frozen) == (status, frozen)
        assert _events(campaign, f"campaign.{action}") == steps_before
        assert _events(campaign, "campaign.refused") == refused_before + 1
    else:
        _take(people, campaign, action, reason="理由")
        after = Campaign.objects.get(pk=campaign.pk)
        assert after.status == expected
        assert after.frozen == (frozen or action == "freeze")
        assert _events(campaign, f"campaign.{action}") == steps_before + 1  # one audit row per step
        assert _events(campaign, "campaign.refused") == refused_before


def test_unknown_action_is_refused_and_audited(computed, people):
    with pytest.raises(ValidationError, match="未知操作"):
        take(user=people["office"], campaign=computed, action="set_status")
    assert Campaign.objects.get(pk=computed.pk).status == S.COMPUTED
    event = AuditEvent.objects.get(action="campaign.refused", target_id=str(computed.pk))
    assert event.after["action"] == "set_status" and "未知操作" in event.after["message"]


@pytest.mark.parametrize("who", ["assessing", "assessed", "city_office", "other_office", "public"])
def test_people_outside_the_office_cannot_take_steps(computed, people, who):
    with pytest.raises(PermissionDenied):
        take(user=people[who], campaign=computed, action="submit")
    assert Campaign.objects.get(pk=computed.pk).status == S.COMPUTED
    assert AuditEvent.objects.filter(action="campaign.refused", target_id=str(computed.pk),
                                     actor=people[who]).count() == 1


def test_return_needs_a_reason(computed, people):
    _take(people, computed, "submit")
    with pytest.raises(ValidationError, match="必须说明理由"):
        _take(people, computed, "return", reason="  ")
    assert Campaign.objects.get(pk=computed.pk).status == S.SUBMITTED
    _take(people, computed, "return", reason="数据需复查")
    event = AuditEvent.objects.get(action="campaign.return", target_id=str(computed.pk))
    assert event.reason == "数据需复查" and event.before["status"] == S.SUBMITTED


def test_own_guards_explain_themselves(campaign, scored, people):
    leaf = campaign.indicators.get(code="A1")
    Campaign.objects.filter(pk=campaign.pk).update(status=S.DRAFT)
    leaf.assessing_units.clear()
    with pytest.raises(ValidationError, match="A1"):
        take(user=people["office"], campaign=campaign, action="start_scoring")
    Campaign.objects.filter(pk=campaign.pk).update(status=S.SCORING)
    with pytest.raises(ValidationError, match="已有评分"):
        take(user=people["office"], campaign=campaign, action="back_to_draft")
    Campaign.objects.filter(pk=campaign.pk).update(status=S.COMPUTED)
    with pytest.raises(ValidationError, match="尚未计算"):
        take(user=people["office"], campaign=campaign, action="submit")
    assert Campaign.objects.get(pk=campaign.pk).status == S.COMPUTED


def test_reviews_guards_block_submit_publish_and_freeze(computed, people, units):
    a1 = computed.indicators.get(code="A1")
    feedback = review_services.feedback_send(user=people["office"], campaign=computed, unit=units["C1"],
                                             indicator=a1, text="请核实")
    with pytest.raises(ValidationError, match="核实期内"):
        take(user=people["office"], campaign=computed, action="freeze")
    review_services.review_request(user=people["assessed"], feedback=feedback, text="不同意")
    for action in ("submit", "freeze"):
        with pytest.raises(ValidationError, match="复核申请未决定"):
            take(user=people["office"], campaign=computed, action=action)
    blocked = {a.step.action: a.blockers for a in lifecycle.available_steps(people["office"], computed)}
    assert any("复核申请未决定" in b for b in blocked["submit"])
    review_services.review_decide(user=people["office"], review=ReviewRequest.objects.get(), outcome="upheld",
                                  reason="维持")
    assert Feedback.objects.get().status == FeedbackStatus.DECIDED
    for action in ("submit", "approve", "publish"):
        _take(people, computed, action)
    assert Campaign.objects.get(pk=computed.pk).status == S.PUBLISHED


def test_registry_refuses_unknown_actions_and_counts_a_hook_once(computed, people, monkeypatch):
    with pytest.raises(ValueError):
        lifecycle.register_guard("rank", lambda campaign, **kw: [])
    monkeypatch.setattr(lifecycle, "_GUARDS", {k: list(v) for k, v in lifecycle._GUARDS.items()})
    calls = []

    def guard(campaign, **kw):
        calls.append(campaign.pk)
        return ["测试阻止"]

    lifecycle.register_guard("open_feedback", guard)
    lifecycle.register_guard("open_feedback", guard)
    with pytest.raises(ValidationError, match="测试阻止"):
        take(user=people["office"], campaign=computed, action="open_feedback")
    assert calls == [computed.pk]


def test_reactions_run_in_the_step(computed, people, monkeypatch):
    monkeypatch.setattr(lifecycle, "_REACTIONS", {k: list(v) for k, v in lifecycle._REACTIONS.items()})
    seen = []
    lifecycle.register_reaction("submit", lambda campaign, **kw: seen.append((campaign.status, kw["before"])))
    take(user=people["office"], campaign=computed, action="submit")
    assert seen == [(S.SUBMITTED, {"status": S.COMPUTED, "frozen": False})]


def test_frozen_stops_scores_and_adjustments_but_not_approval(computed, people, units):
    take(user=people["office"], campaign=computed, action="freeze")
    computed.refresh_from_db()
    assert computed.frozen
    with pytest.raises(ValidationError, match="冻结"):
        take(user=people["office"], campaign=computed, action="reopen_scoring")
    with pytest.raises(ValidationError, match="冻结"):
        services.campaign_compute(user=people["office"], campaign=computed)
    with pytest.raises(ValidationError, match="冻结"):
        services.adjustment_create(user=people["office"], campaign=computed, unit=units["C1"], kind="bonus",
                                   points="1", reason="r", source="s")
    with pytest.raises(ValidationError):
        services.campaign_update_settings(user=people["office"], campaign=computed, excellent_min=95)
    for action in ("submit", "approve", "publish"):
        _take(people, computed, action)
    assert Campaign.objects.get(pk=computed.pk).status == S.PUBLISHED


def test_settings_refused_once_submitted(computed, people):
    take(user=people["office"], campaign=computed, action="submit")
    with pytest.raises(ValidationError):
        services.campaign_update_settings(user=people["office"], campaign=Campaign.objects.get(pk=computed.pk),
                                          excellent_min=95)


def test_score_changed_on_review_sends_a_submitted_campaign_back_and_recomputes(computed, people, units):
    take(user=people["office"], campaign=computed, action="submit")
    score = Score.objects.get(campaign=computed, unit=units["C1"], indicator__code="A1")
    total = Result.objects.get(campaign=computed, unit=units["C1"]).total
    services.score_change_on_review(user=people["assessing"], score=score, new_value="40", reason="复核认定")
    assert Campaign.objects.get(pk=computed.pk).status == S.COMPUTED
    assert Result.objects.get(campaign=computed, unit=units["C1"]).total == total + 4
    assert _events(computed, "campaign.return") == 1 and _events(computed, "assessment.results_recompute") == 1
    # an assessed unit may not change its own score
    with pytest.raises(PermissionDenied):
        services.score_change_on_review(user=people["assessed"], score=score, new_value="40", reason="x")


def _buttons(client, campaign) -> str:
    html = client.get(reverse("assessment:campaign_detail", args=[campaign.pk])).content.decode()
    start = html.index('id="campaign-actions"')
    return html[start:html.index("</div>", start)]


def test_campaign_page_buttons_follow_the_status(campaign, people, client_for):
    client = client_for(people["office"])
    draft = _buttons(client, campaign)
    assert 'value="start_scoring"' in draft and 'value="submit"' not in draft and 'value="freeze"' not in draft
    take(user=people["office"], campaign=campaign, action="start_scoring")
    scoring = _buttons(client, campaign)
    assert 'value="compute"' in scoring and 'value="back_to_draft"' in scoring and 'value="submit"' not in scoring
    Campaign.objects.filter(pk=campaign.pk).update(status=S.COMPUTED)
    computed = _buttons(client, campaign)
    assert all(f'value="{a}"' in computed for a in ("submit", "reopen_scoring", "freeze", "open_feedback"))
    assert reverse("assessment:campaign_action", args=[campaign.pk]) in computed
    Campaign.objects.filter(pk=campaign.pk).update(status=S.SUBMITTED)
    submitted = _buttons(client, campaign)
    # approval and return belong to the approver, not to the office that submitted
    assert 'value="approve"' not in submitted and 'value="return"' not in submitted
    assert 'value="freeze"' in submitted and 'value="compute"' not in submitted
    Campaign.objects.filter(pk=campaign.pk).update(status=S.APPROVED, frozen=True)
    approved = _buttons(client, campaign)
    assert 'value="publish"' in approved and 'value="freeze"' not in approved
    Campaign.objects.filter(pk=campaign.pk).update(status=S.PUBLISHED)
    assert "当前状态没有可办理的操作" in _buttons(client, campaign)


def test_campaign_page_shows_why_a_step_is_blocked(computed, people, units, client_for):
    a1 = computed.indicators.get(code="A1")
    feedback = review_services.feedback_send(user=people["office"], campaign=computed, unit=units["C1"],
                                             indicator=a1, text="请核实")
    review_services.review_request(user=people["assessed"], feedback=feedback, text="不同意")
    client = client_for(people["office"])
    html = client.get(reverse("assessment:campaign_detail", args=[computed.pk])).content.decode()
    assert 'id="blockers-submit"' in html and "还有 1 件复核申请未决定" in html
    here = reverse("assessment:campaign_detail", args=[computed.pk])
    response = client.post(reverse("assessment:campaign_action", args=[computed.pk]),
                           {"action": "submit", "next": here}, follow=True)
    assert response.redirect_chain[-1][0] == here
    assert "复核申请未决定" in response.content.decode()
    assert Campaign.objects.get(pk=computed.pk).status == S.COMPUTED
    # an outside ``next`` is ignored
    response = client.post(reverse("assessment:campaign_action", args=[computed.pk]),
                           {"action": "submit", "next": "https://evil.example/"})
    assert response["Location"] == here


def test_forged_posts_are_refused_audited_and_change_nothing(computed, people, client_for):
    client = client_for(people["office"])
    url = reverse("assessment:campaign_action", args=[computed.pk])
    for forged in ("publish", "approve", "set_status", ""):
        response = client.post(url, {"action": forged}, follow=True)
        assert response.status_code == 200
        assert Campaign.objects.get(pk=computed.pk).status == S.COMPUTED
    assert _events(computed, "campaign.refused") == 4
    for who in ("assessing", "assessed", "public"):
        assert client_for(people[who]).post(url, {"action": "freeze"}).status_code == 403
    assert client_for(people["city_office"]).post(url, {"action": "freeze"}).status_code == 404
    assert not Campaign.objects.get(pk=computed.pk).frozen


def test_campaign_page_submit_then_return_with_reason(computed, people, client_for):
    client = client_for(people["office"])
    url = reverse("assessment:campaign_action", args=[computed.pk])
    preview = client.post(reverse("assessment:campaign_confirm", args=[computed.pk]), {"action": "submit"})
    token = re.search(r'name="confirmation" value="([^"]+)"', preview.content.decode()).group(1)
    client.post(url, {"action": "submit", "confirmation": token})
    assert Campaign.objects.get(pk=computed.pk).status == S.SUBMITTED
    approver = client_for(people["approver"])
    refused = approver.post(url, {"action": "return"}, follow=True)
    assert "必须说明理由" in refused.content.decode()
    returned = approver.post(url, {"action": "return", "reason": "数据需复查"}, follow=True)
    assert Campaign.objects.get(pk=computed.pk).status == S.COMPUTED
    # back on the approver's list (the campaign is the office's again), not a 404 for a page it may no longer open
    assert returned.status_code == 200 and returned.redirect_chain[-1][0] == reverse("assessment:approvals")
    assert "已退回" in returned.content.decode()


def test_reviews_page_offers_the_approval_steps(computed, people, client_for):
    html = client_for(people["office"]).get(reverse("reviews:campaign_detail", args=[computed.pk])).content.decode()
    assert 'value="submit"' in html and 'value="freeze"' in html and 'value="compute"' not in html
    assert reverse("assessment:campaign_action", args=[computed.pk]) in html


def test_score_reopen_service_rules(scored, people, units):
    score = Score.objects.filter(campaign=scored, status=ScoreStatus.SUBMITTED).first()
    with pytest.raises(ValidationError, match="退回理由"):
        services.score_reopen(user=people["office"], score=score, reason="  ")
    with pytest.raises(PermissionDenied):
        services.score_reopen(user=people["city_office"], score=score, reason="x")
    services.score_reopen(user=people["office"], score=score, reason="理由不充分")
    score.refresh_from_db()
    assert score.status == ScoreStatus.DRAFT
    with pytest.raises(ValidationError, match="尚未提交"):
        services.score_reopen(user=people["office"], score=score, reason="again")
    # a computed campaign refuses reopening (reopen scoring first)
    Campaign.objects.filter(pk=scored.pk).update(status=S.COMPUTED)
    other = Score.objects.filter(campaign=scored, status=ScoreStatus.SUBMITTED).first()
    with pytest.raises(ValidationError, match="评分中"):
        services.score_reopen(user=people["office"], score=other, reason="x")
