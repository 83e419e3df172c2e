"""Confirmation enforced on the server (issue 11 §4): an irreversible step runs only with a one-time token issued by
its preview, which states the consequences in numbers; no token, a replayed token, someone else's token, a token for
another step, an expired one, or one issued before the numbers changed: refused, audited, nothing changed."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fazhi.assessment import lifecycle, services
from fazhi.assessment.models import Campaign, CampaignStatus, Score
from fazhi.audit.models import AuditEvent, Confirmation

pytestmark = pytest.mark.django_db
S = CampaignStatus


@pytest.fixture
def computed(scored, people):
    services.campaign_compute(user=people["office"], campaign=scored)
    scored.refresh_from_db()
    return scored


def _refused(campaign) -> int:
    return AuditEvent.objects.filter(action="campaign.refused", target_id=str(campaign.pk)).count()


def test_submit_states_its_consequences_and_needs_the_token(computed, people):
    issued = lifecycle.preview(user=people["office"], campaign=computed, action="submit")
    assert issued.consequences[0].startswith("将把 4 个单位的结果报请审定：优秀 2 个、良好 1 个、合格 0 个、不合格 1 个")
    with pytest.raises(ValidationError, match="须先查看操作后果并确认"):
        lifecycle.campaign_transition(user=people["office"], campaign=computed, action="submit")
    assert Campaign.objects.get(pk=computed.pk).status == S.COMPUTED and _refused(computed) == 1
    lifecycle.campaign_transition(user=people["office"], campaign=computed, action="submit",
                                  confirmation=issued.token)
    assert Campaign.objects.get(pk=computed.pk).status == S.SUBMITTED


def test_a_replayed_token_is_refused_and_audited(computed, people):
    issued = lifecycle.preview(user=people["office"], campaign=computed, action="submit")
    lifecycle.campaign_transition(user=people["office"], campaign=computed, action="submit", confirmation=issued.token)
    lifecycle.campaign_transition(user=people["approver"], campaign=computed, action="return", reason="复查")
    assert Campaign.objects.get(pk=computed.pk).status == S.COMPUTED
    with pytest.raises(ValidationError, match="已使用过"):
        lifecycle.campaign_transition(user=people["office"], campaign=computed, action="submit",
                                      confirmation=issued.token)
    assert Campaign.objects.get(pk=computed.pk).status == S.COMPUTED
    event = AuditEvent.objects.filter(action="campaign.refused", target_id=str(computed.pk)).latest("id")
    assert "已使用过" in event.after["message"]


def test_tokens_are_bound_to_person_step_and_campaign(computed, people, make_user, units):
    issued = lifecycle.preview(user=people["office"], campaign=computed, action="submit")
    colleague = make_user("colleague", "office", units["P-OFFICE"])
    with pytest.raises(ValidationError, match="确认无效"):
        lifecycle.campaign_transition(user=colleague, campaign=computed, action="submit", confirmation=issued.token)
    Campaign.objects.filter(pk=computed.pk).update(status=S.APPROVED)
    with pytest.raises(ValidationError, match="确认无效"):
        lifecycle.campaign_transition(user=people["office"], campaign=computed, action="publish",
                                      confirmation=issued.token)
    assert Campaign.objects.get(pk=computed.pk).status == S.APPROVED
    assert Confirmation.objects.get(action="campaign.submit").used_at is None


def test_a_token_issued_before_the_numbers_changed_is_refused(computed, people, units):
    issued = lifecycle.preview(user=people["office"], campaign=computed, action="submit")
    Score.objects.filter(campaign=computed, unit=units["D2"]).update(value=40)  # D2 now 优秀 … recompute
    lifecycle.campaign_transition(user=people["office"], campaign=computed, action="compute")
    with pytest.raises(ValidationError, match="情况已有变化"):
        lifecycle.campaign_transition(user=people["office"], campaign=computed, action="submit",
                                      confirmation=issued.token)
    assert Campaign.objects.get(pk=computed.pk).status == S.COMPUTED


def test_an_expired_token_is_refused(computed, people):
    issued = lifecycle.preview(user=people["office"], campaign=computed, action="submit")
    mine = Confirmation.objects.filter(action="campaign.submit")
    mine.update(created_at=mine.get().created_at - dt.timedelta(hours=1))
    with pytest.raises(ValidationError, match="已过期"):
        lifecycle.campaign_transition(user=people["office"], campaign=computed, action="submit",
                                      confirmation=issued.token)


def test_no_preview_for_a_step_that_cannot_happen(computed, people):
    with pytest.raises(ValidationError):
        lifecycle.preview(user=people["office"], campaign=computed, action="publish")
    assert not Confirmation.objects.filter(action="campaign.publish").exists()


def test_publish_preview_says_what_the_public_will_see(computed, people):
    Campaign.objects.filter(pk=computed.pk).update(status=S.APPROVED)
    issued = lifecycle.preview(user=people["office"], campaign=computed, action="publish")
    text = "".join(issued.consequences)
    assert "公众可以看到 4 个单位的考核等次" in text and "不公开总分和排名" in text and "扣分理由不公开" in text
    Campaign.objects.filter(pk=computed.pk).update(publish_scores=True)
    text = "".join(lifecycle.preview(user=people["office"], campaign=computed, action="publish").consequences)
    assert "总分和排名也将公开" in text


def test_the_confirmation_page_and_a_forged_post(computed, people, client_for):
    client = client_for(people["office"])
    page = client.post(reverse("assessment:campaign_confirm", args=[computed.pk]), {"action": "submit"})
    html = page.content.decode()
    assert page.status_code == 200 and "将把 4 个单位的结果报请审定" in html and 'id="confirm-form"' in html
    token = re.search(r'name="confirmation" value="([^"]+)"', html).group(1)
    url = reverse("assessment:campaign_action", args=[computed.pk])
    forged = client.post(url, {"action": "submit", "confirmation": "x" * 32}, follow=True)
    assert "确认无效" in forged.content.decode()
    assert Campaign.objects.get(pk=computed.pk).status == S.COMPUTED
    client.post(url, {"action": "submit", "confirmation": token})
    assert Campaign.objects.get(pk=computed.pk).status == S.SUBMITTED
    replay = client.post(url, {"action": "submit", "confirmation": token}, follow=True)
    assert "不能报请审定" in replay.content.decode()  # the campaign moved on: refused by the table first
    assert _refused(computed) == 2
