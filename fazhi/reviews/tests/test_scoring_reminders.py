"""评分催办 from the scoring progress page: every assessing unit behind on submissions is reminded (a notice per
scorer), a unit nobody can receive it for is listed with the reason; only the campaign's office may press it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from fazhi.assessment.models import CampaignStatus, Indicator, Score, ScoreStatus
from fazhi.audit.models import AuditEvent
from fazhi.reviews.models import Notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def scoring(campaign, units):
    """Back to scoring, with a second indicator A2 scored by D2 (省委办公厅, which has no account) and nothing of
    A2 submitted; D1 has submitted A1 for everyone but has a draft on A2's twin A3."""
    campaign.status = CampaignStatus.SCORING
    campaign.save()
    heading = campaign.indicators.get(code="A")
    a2 = Indicator.objects.create(campaign=campaign, parent=heading, code="A2", title="依法决策",
                                  points=Decimal(50), method="daily", categories=[1, 2, 4])
    a2.assessing_units.add(units["D2"])
    a3 = Indicator.objects.create(campaign=campaign, parent=heading, code="A3", title="依法行政",
                                  points=Decimal(50), method="daily", categories=[1])
    a3.assessing_units.add(units["D1"])
    Score.objects.create(campaign=campaign, indicator=a3, unit=units["C1"], value=Decimal(40),
                         status=ScoreStatus.DRAFT, scored_by_unit=units["D1"])
    return campaign


def test_the_office_reminds_the_units_behind_and_hears_who_could_not_be(scoring, people, client_for):
    client = client_for(people["office"])
    page = client.get(reverse("assessment:progress", args=[scoring.pk])).content.decode()
    assert reverse("reviews:scoring_remind", args=[scoring.pk]) in page
    response = client.post(reverse("reviews:scoring_remind", args=[scoring.pk]), follow=True)
    text = response.content.decode()
    assert "已向 1 个考核主体（1 人）发送评分催办" in text
    assert "以下 1 个考核主体未催办" in text and "省委办公厅（该单位没有可接收提醒的账号）" in text
    notice = Notice.objects.get(user=people["assessing"])
    assert "本单位还有 2 项评分未提交" in notice.text and notice.link == reverse("assessment:scoring_home")
    event = AuditEvent.objects.get(action="reviews.scoring_reminders_send")
    assert event.after["units"] == 1 and event.after["skipped"] == ["省委办公厅：该单位没有可接收提醒的账号"]


def test_only_while_scoring_and_only_the_office(scoring, people, client_for):
    url = reverse("reviews:scoring_remind", args=[scoring.pk])
    assert client_for(people["assessing"]).post(url).status_code == 403
    assert client_for(people["other_office"]).post(url).status_code == 404
    assert client_for(people["office"]).get(url).status_code == 405
    scoring.status = CampaignStatus.COMPUTED
    scoring.save()
    text = client_for(people["office"]).post(url, follow=True).content.decode()
    assert "只有评分阶段可以催办评分" in text
    assert not Notice.objects.exists()
