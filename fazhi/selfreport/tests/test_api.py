"""The self-report API checks the same policies as the pages: a unit sees only its own reports, a scorer only
submitted or returned reports on the cells it scores (never a unit's draft), the office its campaigns' reports."""

from __future__ import annotations

import pytest

from fazhi.selfreport.models import SelfReport

pytestmark = pytest.mark.django_db

URL = "/api/selfreport/reports/"


def test_unit_sees_only_its_own_with_what_is_missing(requirement, report, people, client_for):
    rows = client_for(people["assessed"]).get(URL).json()["results"]
    assert [(r["unit"], r["indicator"], r["status"]) for r in rows] == [("C1", "A1", "pending")]
    detail = client_for(people["assessed"]).get(f"{URL}{report.pk}/").json()
    assert detail["missing"] == ["年度学法计划", "学法记录"] and detail["deadline"] == str(requirement.deadline)
    other = SelfReport.objects.get(indicator=report.indicator, unit__code="C2")
    assert client_for(people["assessed"]).get(f"{URL}{other.pk}/").status_code == 404
    assert [r["unit"] for r in client_for(people["assessed_c2"]).get(URL).json()["results"]] == ["C2"]


def test_scorer_sees_submitted_reports_only(submitted, people, client_for):
    scorer = client_for(people["assessing"])  # D1 scores A1
    rows = scorer.get(URL).json()["results"]
    assert [(r["unit"], r["status"]) for r in rows] == [("C1", "submitted")]  # not C2's untouched report
    draft = SelfReport.objects.get(indicator=submitted.indicator, unit__code="C2")
    assert scorer.get(f"{URL}{draft.pk}/").status_code == 404
    assert scorer.get(f"{URL}{submitted.pk}/").json()["missing"] == []


def test_office_sees_progress_by_unit_and_filters(submitted, people, client_for):
    office = client_for(people["office"])
    rows = office.get(URL).json()["results"]
    assert sorted((r["unit"], r["status"]) for r in rows) == [("C1", "submitted"), ("C2", "pending")]
    assert [r["unit"] for r in office.get(URL, {"status": "submitted"}).json()["results"]] == ["C1"]
    assert [r["unit"] for r in office.get(URL, {"unit__code": "C2"}).json()["results"]] == ["C2"]


@pytest.mark.parametrize("who", ["other_office", "expert", "field_team", "survey", "public"])
def test_everyone_else_sees_nothing(submitted, people, client_for, who):
    client = client_for(people[who])
    assert client.get(URL).json()["results"] == []
    assert client.get(f"{URL}{submitted.pk}/").status_code == 404


def test_anonymous_refused(submitted, client_for):
    assert client_for(None).get(URL).status_code == 401
