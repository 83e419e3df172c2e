"""Guards that explain themselves (issue 11 §3): publication waits for feedback inside its window and for every
re-review; past the window the office may proceed with a recorded reason; computing lists what is missing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fazhi.assessment import lifecycle
from fazhi.assessment.models import Campaign, CampaignStatus, Score, ScoreStatus
from fazhi.audit.models import AuditEvent
from fazhi.reviews import services
from fazhi.testing.lifecycle import advance, take

pytestmark = pytest.mark.django_db


def _approve(campaign, people):
    return advance(campaign, "submit", "approve", office=people["office"], approver=people["approver"])


def _publish(people, campaign, **kwargs):
    return take(user=people["office"], campaign=campaign, action="publish", **kwargs)


def test_publication_waits_for_feedback_inside_its_window(campaign, people, units, a1):
    now = timezone.now()
    services.feedback_send(user=people["office"], campaign=campaign, unit=units["C1"], indicator=a1,
                           text="请核实", sent_at=now - dt.timedelta(days=1))
    approved = _approve(campaign, people)  # submission and approval do not wait; publication does
    with pytest.raises(ValidationError, match="1 条反馈在核实期内") as exc:
        _publish(people, approved, reason="领导要求尽快公布")  # a reason does not lift a window still open
    assert "截止" in exc.value.messages[0]
    assert Campaign.objects.get(pk=approved.pk).status == CampaignStatus.APPROVED
    blocked = {a.step.action: a.blockers for a in lifecycle.available_steps(people["office"], approved)}
    assert any("核实期内" in b for b in blocked["publish"])


def test_after_the_window_the_office_proceeds_with_a_recorded_reason(campaign, people, units, a1):
    services.feedback_send(user=people["office"], campaign=campaign, unit=units["C1"], indicator=a1,
                           text="请核实", sent_at=timezone.now() - dt.timedelta(days=30))
    approved = _approve(campaign, people)
    with pytest.raises(ValidationError, match="逾期未核实") as exc:
        _publish(people, approved)
    assert any("填写理由" in m for m in exc.value.messages)
    _publish(people, approved, reason="核实期已过，考核对象未反馈意见")
    assert Campaign.objects.get(pk=approved.pk).status == CampaignStatus.PUBLISHED
    event = AuditEvent.objects.get(action="campaign.publish", target_id=str(approved.pk))
    assert event.reason == "核实期已过，考核对象未反馈意见"
    assert any("逾期未核实" in m for m in event.after["overridden"])


def test_an_undecided_re_review_blocks_even_with_a_reason(campaign, people, units, a1):
    feedback = services.feedback_send(user=people["office"], campaign=campaign, unit=units["C1"], indicator=a1,
                                      text="请核实", sent_at=timezone.now() - dt.timedelta(hours=1))
    approved = _approve(campaign, people)
    services.review_request(user=people["assessed"], feedback=feedback, text="不同意")
    with pytest.raises(ValidationError, match="复核申请未决定"):
        _publish(people, approved, reason="尽快")
    assert Campaign.objects.get(pk=approved.pk).status == CampaignStatus.APPROVED


def test_compute_refuses_incomplete_data_and_lists_what_is_missing(campaign, people, units):
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.SCORING)
    Score.objects.filter(campaign=campaign, unit=units["C2"]).update(status=ScoreStatus.DRAFT)
    Score.objects.filter(campaign=campaign, unit=units["D2"]).delete()
    with pytest.raises(ValidationError) as exc:
        take(user=people["office"], campaign=campaign, action="compute")
    message = exc.value.messages[0]
    assert "还有 2 项评分未提交（其中草稿 1 项、未评分 1 项）" in message
    assert "开封市人民政府 · A1 学习宣传贯彻（草稿未提交）" in message
    assert "A1 学习宣传贯彻（未评分）" in message
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.SCORING
