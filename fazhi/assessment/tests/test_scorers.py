"""Experts score 集中评查, field teams 实地考核, survey providers 满意度调查 (DOMAIN.md §2, §5.1): the indicators of
their own method assigned to their unit, through the same worklist and with the same scope rules."""

from __future__ import annotations

import re

import pytest
from django.http import Http404
from django.urls import reverse

from fazhi.assessment import policies
from fazhi.assessment.models import Campaign, CampaignStatus, Method, Score
from fazhi.orgs.models import Level, Role, Unit, UnitKind
from fazhi.testing.lifecycle import take

pytestmark = pytest.mark.django_db


@pytest.fixture
def method_units(units):
    def make(code, name):
        return Unit.objects.create(code=code, name=name, level=Level.PROVINCE, kind=UnitKind.OTHER, parent=units["P"])

    return {"expert": make("EXPERTS", "评查专家库"), "field_team": make("FIELD", "实地考核组"), "survey": units["X1"]}


@pytest.fixture
def scorers(method_units, make_user):
    return {role: make_user(f"{role}_user", role, unit) for role, unit in method_units.items()}


@pytest.fixture
def mixed(campaign, method_units, units):
    """A1 集中评查, A2 实地考核, B1 满意度调查; every method unit is also assigned an indicator of another method."""
    indicators = {i.code: i for i in campaign.indicators.filter(points__isnull=False)}
    indicators["A1"].method = Method.REVIEW
    indicators["A2"].method = Method.FIELD
    indicators["B1"].method = Method.SURVEY
    for ind in indicators.values():
        ind.save()
    indicators["A1"].assessing_units.add(method_units["expert"], method_units["field_team"])
    indicators["A2"].assessing_units.add(method_units["field_team"], method_units["survey"])
    indicators["B1"].assessing_units.add(method_units["survey"], method_units["expert"])
    return campaign


OWN = {"expert": ("A1", "A2"), "field_team": ("A2", "B1"), "survey": ("B1", "A1")}  # (its method's, another)


def test_draft_campaign_is_hidden(mixed, scorers):
    for user in scorers.values():
        assert not policies.scoring_campaigns(user).exists()


@pytest.mark.parametrize("role", ["expert", "field_team", "survey"])
def test_scorable_only_own_method(role, mixed, scorers, people):
    take(user=people["office"], campaign=mixed, action="start_scoring")
    mixed.refresh_from_db()
    user = scorers[role]
    own, other = OWN[role]
    assert list(policies.scoring_campaigns(user)) == [mixed]
    assert {i.code for i in policies.scorable_indicators(user, mixed)} == {own}
    with pytest.raises(Http404):
        policies.ensure_can_score(user, mixed, mixed.indicators.get(code=other))


@pytest.mark.parametrize("role", ["expert", "field_team", "survey"])
def test_worklist_save_and_refusal(role, mixed, scorers, people, units, client_for):
    take(user=people["office"], campaign=mixed, action="start_scoring")
    own, other = OWN[role]
    client = client_for(scorers[role])
    home = client.get(reverse("assessment:scoring_home"))
    assert home.status_code == 200 and mixed.name in home.content.decode()
    worklist = client.get(reverse("assessment:worklist", args=[mixed.pk]))
    html = worklist.content.decode()
    assert worklist.status_code == 200
    assert mixed.indicators.get(code=own).title in html and mixed.indicators.get(code=other).title not in html
    save = reverse("assessment:score_save", args=[mixed.pk])
    unit = units["C2"]  # C2 has no sub-units: one cell per indicator
    ok = client.post(save, {"indicator": mixed.indicators.get(code=own).pk, "unit": unit.pk, "version": 0,
                            "value": "5", "reason": "评查发现问题"})
    assert ok.status_code == 302
    score = Score.objects.get(indicator__code=own, unit=unit)
    assert score.scored_by == scorers[role] and score.scored_by_unit_id == scorers[role].unit_id
    refused = client.post(save, {"indicator": mixed.indicators.get(code=other).pk, "unit": unit.pk, "version": 0,
                                 "value": "5", "reason": "越权"})
    assert refused.status_code == 404
    assert not Score.objects.filter(indicator__code=other, unit=unit).exists()
    preview = client.post(reverse("assessment:scores_submit", args=[mixed.pk]))
    token = re.search(r'name="confirmation" value="([^"]+)"', preview.content.decode()).group(1)
    assert client.post(reverse("assessment:scores_submit", args=[mixed.pk]), {"confirmation": token}).status_code == 302
    score.refresh_from_db()
    assert score.status == "submitted"


def test_role_on_unassigned_unit_sees_nothing(scoring, people, client_for):
    """The conftest expert/field team/survey users' units score nothing here: an empty home and 404s."""
    for who in ("expert", "field_team", "survey"):
        client = client_for(people[who])
        assert client.get(reverse("assessment:scoring_home")).status_code == 200
        assert client.get(reverse("assessment:worklist", args=[scoring.pk])).status_code == 404


def test_expert_cannot_use_office_pages_and_public_cannot_score(mixed, scorers, people, client_for):
    Campaign.objects.filter(pk=mixed.pk).update(status=CampaignStatus.SCORING)
    assert client_for(scorers["expert"]).get(reverse("assessment:campaign_detail", args=[mixed.pk])).status_code == 403
    assert client_for(people["public"]).get(reverse("assessment:worklist", args=[mixed.pk])).status_code == 403


def test_navigation_entry_for_scoring_roles(mixed, scorers, people, client_for):
    url = reverse("assessment:scoring_home")
    for user in (*scorers.values(), people["assessing"]):
        assert f'href="{url}"' in client_for(user).get(reverse("home")).content.decode(), user.role
    assert f'href="{url}"' not in client_for(people["assessed"]).get(reverse("home")).content.decode()


def test_scorer_roles_table():
    assert policies.SCORER_METHODS[Role.EXPERT] == (Method.REVIEW,)
    assert policies.SCORER_METHODS[Role.FIELD_TEAM] == (Method.FIELD,)
    assert policies.SCORER_METHODS[Role.SURVEY] == (Method.SURVEY,)
