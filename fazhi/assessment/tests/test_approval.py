"""审定 (separation of duties): the approver of the campaign's own level approves, with a document number and date;
whoever computed or submitted never approves; publication is the office's own step afterwards."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from fazhi.assessment import services
from fazhi.assessment.models import Campaign, CampaignStatus
from fazhi.audit.models import AuditEvent
from fazhi.orgs.models import Role
from fazhi.testing.lifecycle import take

pytestmark = pytest.mark.django_db
S = CampaignStatus
NUMBER = "豫法治委〔2026〕3号"


@pytest.fixture
def submitted(scored, people):
    services.campaign_compute(user=people["office"], campaign=scored)
    take(user=people["office"], campaign=scored, action="submit")
    scored.refresh_from_db()
    return scored


def _approve(user, campaign, **kwargs):
    kwargs.setdefault("document_number", NUMBER)
    kwargs.setdefault("decided_on", timezone.localdate())
    return take(user=user, campaign=campaign, action="approve", **kwargs)


def test_approval_records_approver_date_and_number(submitted, people):
    day = timezone.localdate() - dt.timedelta(days=2)
    _approve(people["approver"], submitted, decided_on=day)
    campaign = Campaign.objects.get(pk=submitted.pk)
    assert campaign.status == S.APPROVED
    assert (campaign.approved_by, campaign.approval_date, campaign.approval_number) == (people["approver"], day, NUMBER)
    assert campaign.submitted_by == people["office"] and campaign.computed_by == people["office"]
    event = AuditEvent.objects.get(action="campaign.approve", target_id=str(campaign.pk))
    assert event.actor == people["approver"] and event.after["approval_number"] == NUMBER
    # publication is its own step, taken by the office
    with pytest.raises(PermissionDenied):
        take(user=people["approver"], campaign=campaign, action="publish")
    take(user=people["office"], campaign=campaign, action="publish")
    assert Campaign.objects.get(pk=campaign.pk).published_by == people["office"]


@pytest.mark.parametrize("number,day,message", [
    ("", None, "审定文号"), ("  ", "today", "审定文号"), (NUMBER, None, "审定日期"), (NUMBER, "tomorrow", "晚于今天"),
    ("号\x00", "today", "控制字符"), ("长" * 81, "today", "80"),
])
def test_approval_needs_a_number_and_a_date(submitted, people, number, day, message):
    today = timezone.localdate()
    decided = {"today": today, "tomorrow": today + dt.timedelta(days=1), None: None}[day]
    with pytest.raises(ValidationError, match=message):
        take(user=people["approver"], campaign=submitted, action="approve",
                                      document_number=number, decided_on=decided)
    assert Campaign.objects.get(pk=submitted.pk).status == S.SUBMITTED


@pytest.mark.parametrize("who", ["office", "city_office", "city_approver", "assessing", "assessed", "public"])
def test_only_the_approver_of_the_level_approves(submitted, people, who):
    with pytest.raises(PermissionDenied):
        _approve(people[who], submitted)
    assert Campaign.objects.get(pk=submitted.pk).status == S.SUBMITTED
    assert AuditEvent.objects.filter(action="campaign.refused", target_id=str(submitted.pk),
                                     actor=people[who]).exists()


def test_a_platform_admin_does_not_approve(submitted, make_user, units):
    admin = make_user("root", Role.OFFICE, units["P-OFFICE"], is_superuser=True, is_staff=True)
    with pytest.raises(PermissionDenied):
        _approve(admin, submitted)


def test_four_eyes_whoever_submitted_never_approves(submitted, people):
    """The person who computed and submitted is later made an approver: still refused, audited, nothing changed."""
    office = people["office"]
    office.role = Role.APPROVER
    office.save()
    with pytest.raises(ValidationError, match="不能再审定"):
        _approve(office, submitted)
    campaign = Campaign.objects.get(pk=submitted.pk)
    assert campaign.status == S.SUBMITTED and campaign.approved_by is None
    event = AuditEvent.objects.filter(action="campaign.refused", target_id=str(campaign.pk), actor=office).get()
    assert "不能再审定" in event.after["message"]


def test_the_approver_page(submitted, people, client_for):
    client = client_for(people["approver"])
    listing = client.get(reverse("assessment:approvals")).content.decode()
    assert submitted.name in listing
    html = client.get(reverse("assessment:approval_detail", args=[submitted.pk])).content.decode()
    assert 'id="approval-form"' in html and 'id="return-form"' in html and "郑州市" in html
    form = {"action": "approve", "document_number": NUMBER, "decided_on": timezone.localdate().isoformat()}
    # without the confirmation the server refuses, whatever the browser did
    client.post(reverse("assessment:campaign_action", args=[submitted.pk]), form)
    assert Campaign.objects.get(pk=submitted.pk).status == S.SUBMITTED
    preview = client.post(reverse("assessment:campaign_confirm", args=[submitted.pk]), form).content.decode()
    assert "将审定通过 4 个单位的结果" in preview and NUMBER in preview
    token = re.search(r'name="confirmation" value="([^"]+)"', preview).group(1)
    response = client.post(reverse("assessment:campaign_action", args=[submitted.pk]),
                           {**form, "confirmation": token}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("assessment:approval_detail", args=[submitted.pk])
    assert Campaign.objects.get(pk=submitted.pk).approval_number == NUMBER
    assert NUMBER in response.content.decode() and 'id="approval-form"' not in response.content.decode()


def test_the_approver_page_refuses_others(submitted, people, client_for):
    url = reverse("assessment:approval_detail", args=[submitted.pk])
    for who in ("office", "assessing", "assessed", "public"):
        assert client_for(people[who]).get(url).status_code == 403, who
    assert client_for(people["city_approver"]).get(url).status_code == 404  # another level's campaign
    # before submission the approver does not see the campaign at all
    Campaign.objects.filter(pk=submitted.pk).update(status=S.COMPUTED)
    assert client_for(people["approver"]).get(url).status_code == 404


def test_the_approver_page_shows_the_four_eyes_refusal(submitted, people, client_for):
    office = people["office"]
    office.role = Role.APPROVER
    office.save()
    html = client_for(office).get(reverse("assessment:approval_detail", args=[submitted.pk])).content.decode()
    assert "不能再审定" in html and 'id="approval-form"' not in html


def test_the_approver_home_card(submitted, people, client_for):
    html = client_for(people["approver"]).get(reverse("home")).content.decode()
    assert "待审定的考核" in html and reverse("assessment:approvals") in html
    from fazhi.assessment.cards import approver_cards

    assert [c.value for c in approver_cards(people["approver"])] == ["1"]
    assert [c.value for c in approver_cards(people["city_approver"])] == ["0"]  # another level's campaign
