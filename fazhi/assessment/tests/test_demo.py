"""The assessment demo: method units score their methods' indicators; 2024 is published with consistent data."""

from __future__ import annotations

import io

import pytest

from fazhi.assessment import demo, policies, selectors, services
from fazhi.assessment.models import Campaign, CampaignStatus, Method, Score, ScoreStatus
from fazhi.orgs import demo as org_demo

pytestmark = pytest.mark.django_db

METHOD_UNITS = {Method.REVIEW: "HA-EXPERTS", Method.FIELD: "HA-FIELD", Method.SURVEY: "HA-SURVEY"}
USERS = {Method.REVIEW: "expert", Method.FIELD: "field", Method.SURVEY: "survey"}


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        units = org_demo.load_units()
        people = org_demo.load_people(units)
        demo.load(units=units, people=people, stdout=io.StringIO())
        yield units, people
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)


def test_method_indicators_belong_to_the_method_units(demo_data):
    units, people = demo_data
    for campaign in Campaign.objects.filter(owner=units["410000"]):
        for method, code in METHOD_UNITS.items():
            leaves = list(campaign.indicators.filter(method=method, points__isnull=False))
            assert leaves, method
            for leaf in leaves:
                assert [u.code for u in leaf.assessing_units.all()] == [code]
            user = people[USERS[method]]
            assert set(policies.scorable_indicators(user, campaign)) == set(leaves)
            scores = Score.objects.filter(campaign=campaign, indicator__in=leaves)
            assert scores.exists() and not scores.exclude(scored_by=user).exists()


def test_2024_published_consistently_and_2025_computes(demo_data):
    units, people = demo_data
    c2024 = Campaign.objects.get(owner=units["410000"], year=2024)
    assert c2024.status == CampaignStatus.PUBLISHED and c2024.frozen and c2024.computed_at
    assert not c2024.scores.exclude(status=ScoreStatus.SUBMITTED).exists()
    assert c2024.results.count() == c2024.units.count()
    assert len(selectors.campaign_cells(c2024)) == c2024.scores.count()
    c2025 = Campaign.objects.get(owner=units["410000"], year=2025)
    assert c2025.status == CampaignStatus.COMPUTED and c2025.previous_id == c2024.pk
    results = services.campaign_compute(user=people["office"], campaign=c2025)
    assert len(results) == c2025.units.count()
