"""Issue 11's "tests and bad input" on the platform's own data (the engine-level cases are in
``fazhi/core/scoring/tests/test_slices.py``): a slice downloaded from the platform verifies against the published
root and recomputes the stored result; changed by one cent, checked against another root, or taken from another
campaign it is refused with a clear message. Confirmations are bound to their step (a 公布 token does not 通报),
a replayed one is refused, and whatever is refused changes nothing and is audited."""

from __future__ import annotations

import copy
import json
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from fazhi.assessment.models import Campaign, CampaignStatus, Result
from fazhi.audit.models import AuditEvent
from fazhi.core.scoring.slices import verify_slice
from fazhi.orgs.models import Role
from fazhi.testing.lifecycle import take

pytestmark = pytest.mark.django_db


def _slice(client, campaign) -> dict:
    response = client.get(reverse("reviews:my_slice", args=[campaign.pk]))
    assert response.status_code == 200
    return json.loads(response.content)


@pytest.mark.parametrize("level", ["published", "notified"])
def test_the_downloaded_slice_verifies_and_recomputes_the_stored_result(campaign_at, people, client_for, level):
    campaign = campaign_at(level)
    data = _slice(client_for(people["assessed"]), campaign)
    report = verify_slice(data, campaign.commitment_root)
    assert report.ok, report.errors
    stored = Result.objects.get(campaign=campaign, unit__code="C1")
    assert data["leaf"]["result"]["total"] == format(stored.total, ".2f")
    assert data["leaf"]["unit"]["code"] == "C1" and {r["unit"] for r in data["leaf"]["scores"]} == {"C1"}


def test_a_slice_changed_by_one_cent_another_root_or_another_campaign_is_refused(campaign_at, people, client_for):
    campaign = campaign_at("notified")
    data = _slice(client_for(people["assessed"]), campaign)

    cent = copy.deepcopy(data)
    row = cent["leaf"]["scores"][0]
    row["score"] = format(float(row["score"]) - 0.01, ".2f")
    report = verify_slice(cent, campaign.commitment_root)
    assert not report.ok and any("包含证明不成立" in e for e in report.errors), report.errors

    other_root = "0" * 64
    report = verify_slice(data, other_root)
    assert not report.ok and any("与公布的根哈希" in e for e in report.errors), report.errors

    moved = copy.deepcopy(data)  # the same unit's slice presented as another campaign's
    moved["leaf"]["campaign"]["id"] = campaign.pk + 1
    report = verify_slice(moved, campaign.commitment_root)
    assert not report.ok and any("包含证明不成立" in e for e in report.errors), report.errors


def test_a_unit_gets_no_slice_before_release_and_never_another_units(campaign_at, people, client_for):
    campaign = campaign_at("approved")
    assert client_for(people["assessed"]).get(reverse("reviews:my_slice", args=[campaign.pk])).status_code == 404
    assert client_for(people["office"]).get(reverse("reviews:my_slice", args=[campaign.pk])).status_code == 403
    campaign = Campaign.objects.get(pk=campaign.pk)
    take(user=people["office"], campaign=campaign, action="notify")
    other = _slice(client_for(people["assessed_c2"]), campaign)
    assert other["leaf"]["unit"]["code"] == "C2"  # 开封市 gets its own, never 郑州市's


def test_a_publish_confirmation_does_not_notify_and_a_replay_is_refused(campaign_at, people, client_for):
    campaign = campaign_at("approved")
    client = client_for(people["office"])
    page = client.post(reverse("assessment:campaign_confirm", args=[campaign.pk]), {"action": "publish"})
    token = re.search(r'name="confirmation" value="([^"]+)"', page.content.decode()).group(1)
    url = reverse("assessment:campaign_action", args=[campaign.pk])
    refused = client.post(url, {"action": "notify", "confirmation": token}, follow=True).content.decode()
    assert "确认无效" in refused
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.APPROVED
    event = AuditEvent.objects.filter(action="campaign.refused", target_id=str(campaign.pk)).latest("id")
    assert event.after["action"] == "notify" and "确认无效" in event.after["message"]

    client.post(url, {"action": "publish", "confirmation": token})
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.PUBLISHED
    replay = client.post(url, {"action": "publish", "confirmation": token}, follow=True).content.decode()
    assert "不能" in replay  # the table refuses first: the campaign is already published
    assert AuditEvent.objects.filter(action="campaign.publish", target_id=str(campaign.pk)).count() == 1


def test_approving_ones_own_submission_is_refused_on_the_page_and_in_the_service(campaign_at, people, client_for):
    campaign = campaign_at("computed")
    take(user=people["office"], campaign=campaign, action="submit")
    people["office"].role = Role.APPROVER  # the preparer made an approver later: still never approves its own
    people["office"].save()
    before = AuditEvent.objects.filter(action="campaign.refused", target_id=str(campaign.pk)).count()
    page = client_for(people["office"]).post(
        reverse("assessment:campaign_confirm", args=[campaign.pk]),
        {"action": "approve", "document_number": "豫法治委〔2026〕2号", "decided_on": "2026-01-05"}, follow=True)
    assert "不能再审定" in page.content.decode() and 'id="confirm-form"' not in page.content.decode()
    with pytest.raises(ValidationError, match="不能再审定"):
        take(user=people["office"], campaign=campaign, action="approve", document_number="豫法治委〔2026〕2号",
             decided_on=timezone.localdate())
    after = Campaign.objects.get(pk=campaign.pk)
    assert after.status == CampaignStatus.SUBMITTED and after.approved_by is None
    assert AuditEvent.objects.filter(action="campaign.refused", target_id=str(campaign.pk)).count() == before + 1


@pytest.mark.parametrize("action", ["publish", "notify"])
def test_the_approver_never_releases_the_results(campaign_at, people, action):
    campaign = campaign_at("approved")
    with pytest.raises(PermissionDenied):
        take(user=people["approver"], campaign=campaign, action=action)
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.APPROVED
    event = AuditEvent.objects.filter(action="campaign.refused", target_id=str(campaign.pk)).latest("id")
    assert event.after["action"] == action and event.actor_id == people["approver"].pk
